"""Session to JSON: the dict and the file text (Qt-free; part of :mod:`core.session_io`).

The writer never produces a file its own reader refuses: :func:`dumps_session` checks the visit
details against the reader's limits (:func:`core.session_read.visit_text_problem`: at most
:data:`core.session_format.MAX_TEXT` characters, no NUL) and then reads its own text back with
:func:`core.session_read.loads_session`; anything refused raises
:class:`SessionNotWritable` (a :class:`SessionError`) before a byte is written. Nothing is cut
or dropped to make it fit: the text stays in the session, and the user is told what to change.
(Text that is not valid Unicode -- a lone surrogate -- is left to
:func:`core.session_io.save_session`, which names the file and the field.)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from core.model import (
    HISTORY_BOOLEANS,
    SENSORY_POINTS,
    Movement,
    RedFlag,
    Reflex,
    Session,
    Side,
    Symptom,
    Test,
)
from core.session_format import (
    FORMAT,
    HISTORY_INTS,
    VERSION,
    VISIT_FIELDS,
    SessionError,
)
from core.session_read import loads_session, visit_text_problem


class SessionNotWritable(SessionError):
    """A session the reader would refuse (e.g. notes over :data:`MAX_TEXT` characters), so it
    is not written: ``problem`` is the reader's words (``visit.notes: too long (...)``)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem, None, "save")

    def message(self, full_path: bool = False) -> str:
        return (
            f"Cannot save the session: {self.problem}. Dermamap could not open such a file "
            "again, so nothing was written; correct it and save again"
        )


def _check_writable(session: Session) -> None:
    for name in VISIT_FIELDS:
        problem = visit_text_problem(getattr(session.visit, name))
        if problem is not None:
            raise SessionNotWritable(f"visit.{name}: {problem}")


def _check_readable(text: str) -> None:
    """Read ``text`` back as the reader will (from its UTF-8 bytes); raise
    :class:`SessionNotWritable` with the reader's problem when it is refused."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return  # a lone surrogate: save_session names the file and the field
    try:
        loads_session(data)
    except SessionError as exc:
        raise SessionNotWritable(exc.problem) from None


def session_to_dict(session: Session) -> dict[str, Any]:
    """The JSON-ready dict of ``session`` in a stable key order (empty optional parts omitted)."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "atlas": session.atlas}
    marks: list[dict[str, Any]] = []
    for m in session.marks:
        item: dict[str, Any] = {"zone": m.zone, "side": m.side.value, "symptom": m.symptom.value}
        if m.coverage < 1.0:
            item["coverage"] = m.coverage
        marks.append(item)
    out["marks"] = marks
    if session.red_flags:
        out["red_flags"] = [f.value for f in RedFlag if f in session.red_flags]
    findings: dict[str, Any] = {}
    f = session.findings
    strength = {
        side: {m: f.grades.get(side, {}).get(m, v) for m, v in table.items()}
        for side, table in f.strength.items()
    }
    sections: tuple[tuple[str, Mapping[Side, Mapping[Any, Any]], Any], ...] = (
        ("reflexes", f.reflexes, Reflex),
        ("strength", strength, Movement),
        ("tests", f.tests, Test),
        ("intensity", f.intensity, Symptom),
    )
    for name, table, order in sections:
        sides: dict[str, Any] = {}
        for side in Side:
            inner = table.get(side) or {}
            values = {k.value: getattr(inner[k], "value", inner[k]) for k in order if k in inner}
            if values:
                sides[side.value] = values
        if sides:
            findings[name] = sides
    history = {
        name: getattr(f.history, name)
        for name in (*HISTORY_INTS, *HISTORY_BOOLEANS)
        if getattr(f.history, name) is not None
    }
    if f.history.local_cause_site is not None:
        history["local_cause_site"] = f.history.local_cause_site.value
    if f.history.local_cause_side is not None:
        history["local_cause_side"] = f.history.local_cause_side.value
    if history:
        findings["history"] = history
    sensation = {
        side.value: {
            p: dict(f.sensation[side][p]) for p in SENSORY_POINTS if p in f.sensation[side]
        }
        for side in Side
        if f.sensation.get(side)
    }
    if sensation:
        findings["sensation"] = sensation
    for name, per_side in (("plantar_response", f.plantar_response), ("clonus", f.clonus)):
        if per_side:
            findings[name] = {s.value: per_side[s].value for s in Side if s in per_side}
    if findings:
        out["findings"] = findings
    if not session.visit.is_empty():
        out["visit"] = {
            name: getattr(session.visit, name)
            for name in VISIT_FIELDS
            if getattr(session.visit, name)
        }
    return out


def dumps_session(session: Session) -> str:
    """The session file text: indented JSON, UTF-8 characters kept, trailing newline.

    Each mark is written on one line so that files with many marks stay readable and diffable.
    Raises :class:`SessionNotWritable` for a session the reader would refuse (checked on the
    text itself, so the two can never disagree); nothing is cut to fit.
    """
    _check_writable(session)
    items = list(session_to_dict(session).items())
    lines = ["{"]
    for i, (key, value) in enumerate(items):
        if key == "marks" and value:
            rows = ",\n".join("    " + json.dumps(m, ensure_ascii=False) for m in value)
            text = "[\n" + rows + "\n  ]"
        else:
            # json.dumps escapes newlines inside strings, so every real newline is indentation
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    out = "\n".join(lines) + "\n"
    _check_readable(out)
    return out
