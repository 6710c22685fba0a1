"""The clinical report's content, Qt-free: a list of :class:`Block` (rich-text HTML, or the
diagram's place) that :mod:`gui.report_layout` flows onto pages.

Names the report shows come from :class:`Names` (hypotheses, warning triggers), given by the
caller; atlas, red-flag and reference texts come from :mod:`core.clinical`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from core.model import Analysis, Movement, RedFlag, Session, Side

INTENDED_USE = (
    "Decision support, not a diagnosis. Dermatome maps differ between sources and between "
    "people; confirm by history, examination and, where indicated, imaging or nerve studies."
)
TITLE = "Dermamap report"
_SRC = re.compile(r"\[([A-Z][A-Za-z0-9\-]*(?:,\s*[A-Z][A-Za-z0-9\-]*)*)\]")


@dataclass
class Block:
    """One unit of the flow: rich text, or the diagram at a fixed height."""

    html: str = ""
    height: float = 0.0  # the diagram only
    diagram: bool = False  # the symptom diagram goes here
    keep_with_next: bool = False
    space_before: float = 0.0  # points
    boxed: str = ""  # border colour of a framed block (urgent banner); "" = no frame


def _chance(p: float | None) -> str:
    """A probability as a rounded percentage; an emergency to exclude has none."""
    if p is None:
        return "&mdash;"
    pct = round(p * 100)
    return "&lt;1%" if pct < 1 else f"{pct}%"


def _plain_trigger(trigger: str) -> str:
    return trigger.replace("_", " ")


@dataclass(frozen=True)
class Names:
    """How the report names hypotheses and warning triggers."""

    hypothesis: Callable[[str], str] = str
    trigger: Callable[[str], str] = _plain_trigger


# --- names and sources -------------------------------------------------------------------------


def _clinical() -> Any:
    import core.clinical as clinical

    return clinical


def atlas_label(atlas_id: str) -> str:
    try:
        atlas = _clinical().atlases().get(atlas_id)
    except Exception:
        atlas = None
    return f"{atlas.name} ({atlas_id})" if atlas is not None else atlas_id


def red_flag_label(flag: str) -> str:
    try:
        info = _clinical().red_flags().get(flag)
    except Exception:
        info = None
    return str(info.label) if info is not None else flag.replace("_", " ").capitalize()


def cited_ids(session: Session, analysis: Analysis) -> tuple[str, ...]:
    """Every reference id the report cites (sources fields and ``[R..]`` in the text)."""
    ids: list[str] = []

    def text_ids(text: str) -> None:
        for m in _SRC.finditer(text):
            ids.extend(x.strip() for x in m.group(1).split(","))

    for h in analysis.hypotheses:
        ids.extend(h.sources)
        for e in h.evidence:
            text_ids(e)
    for c in analysis.conditions:
        ids.extend(c.sources)
        text_ids(c.why)
        for s in c.next_steps:
            text_ids(s)
    for w in analysis.warnings:
        ids.extend(w.sources)
        text_ids(w.text)
    for n in analysis.notes:
        text_ids(n.text)
    clinical = _clinical()
    for f in session.red_flags:
        info = clinical.red_flags().get(f.value)
        if info is not None:
            ids.extend(info.sources)
    atlas = clinical.atlases().get(analysis.atlas)
    if atlas is not None:
        ids.extend(atlas.sources)
    known = clinical.references()
    ids = [i for i in ids if i in known or i.startswith("R")]
    return tuple(clinical.sorted_reference_ids(ids))


def format_reference(rid: str) -> str:
    return str(_clinical().format_reference(rid))


# --- content -------------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text))


def _with_sources(text: str) -> str:
    """Escape ``text`` and set bracketed source ids in the source style."""
    out, last = [], 0
    for m in _SRC.finditer(text):
        out.append(_e(text[last : m.start()]))
        out.append(f"<span class='src'>[{_e(m.group(1))}]</span>")
        last = m.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _sources(ids: Iterable[str]) -> str:
    ids = list(dict.fromkeys(ids))
    return f"<span class='src'>Sources: {_e(', '.join(ids))}</span>" if ids else ""


def _heading(text: str, level: int = 2, space: float = 14) -> Block:
    return Block(f"<h{level}>{_e(text)}</h{level}>", keep_with_next=True, space_before=space)


def _kv_table(rows: list[tuple[str, str]], key_w: int = 24) -> str:
    body = "".join(
        f"<tr><td width='{key_w}%' class='muted'>{_e(k)}</td><td>{v}</td></tr>" for k, v in rows
    )
    return f"<table width='100%' cellspacing='0'>{body}</table>"


def _findings_rows(session: Session) -> list[tuple[str, str]]:
    f = session.findings
    rows: list[tuple[str, str]] = []
    for title, table in (("Reflex", f.reflexes), ("Strength", f.strength), ("Test", f.tests)):
        for side in (Side.RIGHT, Side.LEFT):
            for key, value in table.get(side, {}).items():
                shown = value.value
                grade = f.grades.get(side, {}).get(key) if isinstance(key, Movement) else None
                if grade is not None:
                    shown = f"MRC {grade} ({value.value})"
                rows.append(
                    (
                        f"{title}, {side.value}",
                        f"{_e(key.value.replace('_', ' ').capitalize())}: <b>{_e(shown)}</b>",
                    )
                )
    for side in (Side.RIGHT, Side.LEFT):
        points = f.sensation.get(side, {})
        if points:
            text = "; ".join(
                f"{p.replace('_', '-')} "
                + ", ".join(f"{'LT' if m == 'light_touch' else 'PP'} {v}" for m, v in sc.items())
                for p, sc in points.items()
            )
            rows.append((f"Sensation (0-2), {side.value}", _e(text)))
        rated = f.intensity.get(side, {})
        if rated:
            text = "; ".join(f"{sym.value} {v}/10" for sym, v in rated.items())
            rows.append((f"Intensity, {side.value}", _e(text)))
    h = f.history
    hist: list[str] = []
    if h.age is not None:
        hist.append(f"age {h.age}")
    if h.onset_days is not None:
        hist.append(f"onset {h.onset_days} days ago")
    for name in ("back_pain", "neurogenic_claudication", "diabetes", "local_cause"):
        value = getattr(h, name)
        if value is not None:
            hist.append(f"{name.replace('_', ' ')}: {'yes' if value else 'no'}")
    if hist:
        rows.append(("History", _e("; ".join(hist))))
    return rows


def build_blocks(
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool,
    aspect: float,
    body_w: float,
    max_diagram_h: float,
    source_name: str | None,
    now: datetime,
    names: Names,
) -> list[Block]:
    """The report's content as a list of blocks (headings keep with what follows)."""
    from core import __version__
    from core.zones import display_name

    blocks: list[Block] = []
    meta = [
        ("Generated", _e(now.strftime("%d %B %Y, %H:%M"))),
        ("Software", _e(f"Dermamap {__version__}")),
        ("Dermatome map (atlas)", _e(atlas_label(analysis.atlas))),
    ]
    if source_name:
        meta.append(("Session file", _e(source_name)))
    blocks.append(
        Block(
            f"<h1>{TITLE}</h1><p class='muted'>Sensory symptom map, nerve-root hypotheses and "
            f"warning signs</p>{_kv_table(meta)}"
        )
    )

    v = session.visit
    blocks.append(_heading("Visit details"))
    if v.is_empty():
        blocks.append(Block("<p class='muted'>No visit details were entered.</p>"))
    else:
        rows = [
            ("Patient identifier", _e(v.patient_id or "—")),
            ("Date of visit", _e(v.date or "—")),
            ("Examiner", _e(v.examiner or "—")),
        ]
        blocks.append(Block(_kv_table(rows)))
        if v.notes:
            blocks.append(Block("<p class='muted'>Notes</p>", keep_with_next=True, space_before=3))
            for para in v.notes.split("\n"):
                blocks.append(Block(f"<p>{_e(para) or '&nbsp;'}</p>"))

    urgent = [w for w in analysis.warnings if w.urgent]
    if analysis.urgent:
        items = (
            "".join(
                f"<li>{_with_sources(w.text)}"
                + (
                    "<br><span class='small'>Because: "
                    f"{_e(', '.join(names.trigger(t) for t in w.triggers))}</span>"
                    if w.triggers
                    else ""
                )
                + "</li>"
                for w in urgent
            )
            or "<li>Urgent warning signs are present.</li>"
        )
        blocks.append(
            Block(
                "<h2 style='color:#8b0000'>⚠ URGENT — possible cauda equina syndrome: arrange "
                f"same-day emergency assessment</h2><ul>{items}</ul>",
                boxed="#b00020",
                space_before=12,
            )
        )

    # diagram
    blocks.append(_heading("Symptom diagram"))
    dia_h = min(body_w * aspect, max_diagram_h)
    blocks.append(
        Block(
            height=dia_h,
            diagram=True,
            keep_with_next=True,
        )
    )
    legend = (
        "Patient's left and right as marked. Fill patterns: numbness = diagonal hatching, "
        "tingling = dots, pain = cross-hatching; a partly painted zone shows its painted "
        "part only."
    )
    if overlay:
        legend += f" Dermatome overlay: {atlas_label(session.atlas)}."
    blocks.append(Block(f"<p class='small muted'>{_e(legend)}</p>", space_before=3))

    # findings entered
    blocks.append(_heading("Findings entered"))
    marks = sorted(session.marks, key=lambda m: (m.side.value != "right", display_name(m.zone)))
    if marks:
        mark_rows = "".join(
            f"<tr><td>{_e(m.side.display)}</td><td>{_e(display_name(m.zone))} "
            f"<span class='id'>{_e(m.zone)}</span></td><td>{_e(m.symptom.display)}</td>"
            f"<td align='right'>{round(m.coverage * 100)}%</td></tr>"
            for m in marks
        )
        blocks.append(
            Block(
                "<table width='100%' cellspacing='0' border='0'><tr><th width='12%'>Side</th>"
                "<th width='56%'>Area</th><th width='18%'>Symptom</th>"
                f"<th width='14%' align='right'>Marked</th></tr>{mark_rows}</table>"
            )
        )
    else:
        blocks.append(Block("<p class='muted'>No areas were marked.</p>"))
    flags = [f for f in RedFlag if f in session.red_flags]
    blocks.append(
        Block(
            "<p><b>Warning signs ticked:</b> "
            + (_e("; ".join(red_flag_label(f.value) for f in flags)) if flags else "none")
            + "</p>",
            space_before=4,
        )
    )
    frows = _findings_rows(session)
    if frows:
        blocks.append(
            Block("<p><b>Examination and history</b></p>", keep_with_next=True, space_before=4)
        )
        blocks.append(Block(_kv_table(frows, key_w=22)))
    else:
        blocks.append(Block("<p><b>Examination and history:</b> none entered</p>"))

    # hypotheses
    blocks.append(_heading("Ranked hypotheses"))
    blocks.append(
        Block(
            "<p class='small muted'>Scores (0–1) rank how well each root or nerve explains the "
            "pattern entered; labels never go beyond “more likely”.</p>",
            keep_with_next=True,
        )
    )
    groups = (("Right side", "right"), ("Left side", "left"), ("Both sides", "both"))
    any_h = False
    for title, side in groups:
        hyps = [h for h in analysis.hypotheses if h.side == side]
        if not hyps:
            continue
        any_h = True
        blocks.append(_heading(title, 3, space=8))
        head = (
            "<table width='100%' cellspacing='0'><tr><th width='5%'>#</th>"
            "<th width='31%'>Hypothesis</th><th width='8%'>Score</th>"
            "<th width='56%'>Label and evidence</th></tr></table>"
        )
        blocks.append(Block(head, keep_with_next=True))
        for rank, h in enumerate(hyps, 1):
            ev = "".join(f"<li>{_with_sources(e)}</li>" for e in h.evidence)
            blocks.append(
                Block(
                    f"<table width='100%' cellspacing='0'><tr><td width='5%'>{rank}</td>"
                    f"<td width='31%'><b>{_e(names.hypothesis(h.id))}</b></td>"
                    f"<td width='8%'>{_chance(h.probability)}</td>"
                    f"<td width='56%'><b>{_e(h.label.value)}</b>"
                    f"{f'<ul>{ev}</ul>' if ev else ''}{_sources(h.sources)}</td></tr></table>",
                    space_before=2,
                )
            )
    if not any_h:
        blocks.append(
            Block(
                "<p class='muted'>No hypotheses: nothing marked that a root or nerve explains.</p>"
            )
        )

    # conditions
    blocks.append(_heading("Conditions that fit"))
    if analysis.conditions:
        for c in analysis.conditions:
            steps = "".join(f"<li>{_with_sources(s)}</li>" for s in c.next_steps)
            tag = " <b style='color:#8b0000'>[URGENT]</b>" if c.urgent else ""
            blocks.append(
                Block(
                    f"<h3>{_e(c.name)}{tag}</h3><p><i>Why:</i> {_with_sources(c.why)}</p>"
                    + (f"<p><i>Usual next steps:</i></p><ul>{steps}</ul>" if steps else "")
                    + f"<p>{_sources(c.sources)}</p>",
                    space_before=5,
                )
            )
    else:
        blocks.append(Block("<p class='muted'>No condition matched what was entered.</p>"))

    # warning signs
    blocks.append(_heading("Warning signs"))
    if analysis.warnings:
        for w in analysis.warnings:
            kind = "⚠ URGENT" if w.urgent else "Warning"
            trig = (
                f"<br><span class='small'>Triggered by: "
                f"{_e(', '.join(names.trigger(t) for t in w.triggers))}</span>"
                if w.triggers
                else ""
            )
            blocks.append(
                Block(
                    f"<p><b>{kind}:</b> {_with_sources(w.text)}{trig}<br>{_sources(w.sources)}</p>",
                    space_before=3,
                )
            )
    else:
        blocks.append(
            Block(
                "<p>No warning sign was ticked or found in the marks. Ask about "
                "saddle numbness, bladder, bowel and sexual function at every "
                "visit.</p>"
            )
        )

    if analysis.notes:
        blocks.append(_heading("Notes"))
        blocks.append(
            Block(
                "<ul>"
                + "".join(f"<li>{_with_sources(n.text)}</li>" for n in analysis.notes)
                + "</ul>"
            )
        )

    # references
    blocks.append(_heading("References"))
    ids = cited_ids(session, analysis)
    if ids:
        for rid in ids:
            text = format_reference(rid)
            body = text[len(rid) :].strip() if text.startswith(rid) else text
            blocks.append(
                Block(
                    f"<table width='100%' cellspacing='0'><tr><td width='9%'><b>{_e(rid)}</b></td>"
                    f"<td class='small'>{_e(body)}</td></tr></table>"
                )
            )
    else:
        blocks.append(Block("<p class='muted'>No sources cited.</p>"))
    blocks.append(
        Block(f"<p class='small'><b>Intended use.</b> {_e(INTENDED_USE)}</p>", space_before=14)
    )
    return blocks
