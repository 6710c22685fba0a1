"""Session to JSON: the dict and the file text (Qt-free; part of :mod:`core.session_io`)."""

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
from core.session_format import FORMAT, HISTORY_INTS, VERSION, VISIT_FIELDS


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
    """
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
    return "\n".join(lines) + "\n"
