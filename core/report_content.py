"""The clinical report's content, Qt-free: a list of :class:`Block` (rich-text HTML, or the
diagram's place) that :mod:`gui.report_layout` flows onto pages.

Page 1 is what a clinician files: patient and visit fields (a missing patient identifier or
visit date reads "not recorded"), the urgent banner (urgent warnings, once), the clinical
impression (:mod:`core.impression`, the same words as Copy Impression), the diagram with its
legend and the examination as a table. Then the visit notes, the ranked hypotheses, conditions,
other warnings and notes, the marked areas, an optional comparison with an earlier visit, only
the references cited, compactly, and last the signature line, under everything it signs.

Names come from :mod:`core.names`; atlas, red-flag and reference texts from :mod:`core.clinical`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from core import impression, names, warning_names
from core.exam import exam_table, history_items
from core.model import RedFlag, Session
from core.report_blocks import Block
from core.report_citations import SRC, cited_references, listed_hypotheses, map_sources
from core.results import Analysis, Hypothesis
from core.visit_dates import age_at_visit, age_years

if TYPE_CHECKING:
    from core.analyses import OtherMapTop
    from core.compare import Comparison

INTENDED_USE = (
    "Decision support, not a diagnosis. Dermatome maps differ between sources and between "
    "people; confirm by history, examination and, where indicated, imaging or nerve studies."
)
TITLE = "Dermamap report"
NOT_RECORDED = "not recorded"
"""What the patient fields say for a patient identifier or visit date left empty ("—" read as a
blank to fill in, or as a dash typed on purpose)."""


@dataclass(frozen=True)
class Names:
    """How the report names hypotheses and warning triggers (default: :mod:`core.names`)."""

    hypothesis: Callable[[str], str] = names.hypothesis_name
    trigger: Callable[[str], str] = warning_names.trigger_name


# --- names -------------------------------------------------------------------------


def atlas_label(atlas_id: str) -> str:
    return names.atlas_name(atlas_id)


def red_flag_label(flag: str) -> str:
    return warning_names.red_flag_name(flag)


# --- html helpers --------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text))


def _with_sources(text: str) -> str:
    """Escape ``text`` and set bracketed source ids in the source style."""
    out, last = [], 0
    for m in SRC.finditer(text):
        out.append(_e(text[last : m.start()]))
        out.append(f"<span class='src'>[{_e(m.group(1))}]</span>")
        last = m.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _sources(ids: tuple[str, ...] | list[str]) -> str:
    ids = list(dict.fromkeys(ids))
    return f" <span class='src'>[{_e(', '.join(ids))}]</span>" if ids else ""


def _heading(text: str, level: int = 2, space: float = 7) -> Block:
    return Block(f"<h{level}>{_e(text)}</h{level}>", keep_with_next=True, space_before=space)


def _table(head: list[tuple[str, int]], rows: list[list[str]]) -> str:
    """A table with a header row: ``head`` = (title, width %); cells are HTML. A row with fewer
    cells than the header spans its last cell over the columns left."""
    th = "".join(f"<th width='{w}%'>{_e(t)}</th>" for t, w in head)

    def tr(r: list[str]) -> str:
        span = len(head) - len(r) + 1
        last = f"<td colspan='{span}'>{r[-1]}</td>" if span > 1 else f"<td>{r[-1]}</td>"
        return "<tr>" + "".join(f"<td>{c}</td>" for c in r[:-1]) + last + "</tr>"

    body = "".join(tr(r) for r in rows)
    return f"<table width='100%' cellspacing='0' border='0'><tr>{th}</tr>{body}</table>"


def _fields(
    pairs: list[tuple[str, str]],
    cited: dict[str, tuple[str, ...]] | None = None,
    required: tuple[str, ...] = (),
) -> str:
    """Key/value pairs in two columns (four cells a row); a key in ``cited`` has its value's
    sources after it; a key in ``required`` left empty says :data:`NOT_RECORDED`, any other
    "—"."""
    cited = cited or {}

    def value(k: str, v: str) -> str:
        if v.strip():
            return _e(v)
        return f"<i>{NOT_RECORDED}</i>" if k in required else "—"

    cells = [
        f"<td width='17%' class='muted'>{_e(k)}</td>"
        f"<td width='33%'><b>{value(k, v)}</b>{_sources(cited.get(k, ()))}</td>"
        for k, v in pairs
    ]
    rows = ["".join(cells[i : i + 2]) for i in range(0, len(cells), 2)]
    return (
        "<table width='100%' cellspacing='0'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"
    )


def age_text(session: Session) -> tuple[str, str]:
    """("Date of birth", value) or ("Age", value) for the patient fields: the age at the visit
    (typed in the date-of-birth field, or from a full date of birth), with the history's age
    beside it when they differ (the history's is the one the analysis reads first)."""
    v = session.visit
    age = session.findings.history.age
    at_visit = age_at_visit(v.date_of_birth, v.date)
    other = f"history: {age} years" if at_visit is not None and age not in (None, at_visit) else ""
    if age_years(v.date_of_birth) is not None:  # the form takes an age here too
        return ("Age", f"{at_visit} years" + (f" ({other})" if other else ""))
    if v.date_of_birth:
        if at_visit is None:
            return ("Date of birth", v.date_of_birth)
        also = f"; {other}" if other else ""
        return ("Date of birth", f"{v.date_of_birth} (age {at_visit} at the visit{also})")
    return ("Age", f"{age} years" if age is not None else "")


# --- sections ------------------------------------------------------------------------------------


def _patient(session: Session, analysis: Analysis, now: datetime, source: str | None) -> Block:
    from core import __version__

    v = session.visit
    pairs = [
        ("Patient identifier", v.patient_id),
        age_text(session),
        ("Sex", v.sex.capitalize() if v.sex.islower() else v.sex),
        ("Date of visit", v.date),
        ("Examiner", v.examiner),
        ("Dermatome map", atlas_label(analysis.atlas)),
    ]
    made = f"{now.strftime('%d %B %Y, %H:%M')}, Dermamap {__version__}"
    if source:
        made += f", from {source}"
    return Block(
        f"<h1>{TITLE}</h1><p class='muted'>Sensory symptom map, nerve-root hypotheses and "
        f"warning signs</p>"
        f"{_fields(pairs, {'Dermatome map': map_sources(analysis)}, REQUIRED_FIELDS)}"
        f"<p class='small muted'>Generated {_e(made)}</p>"
    )


REQUIRED_FIELDS = ("Patient identifier", "Date of visit")
"""The patient fields that say :data:`NOT_RECORDED` when empty."""


def running_header(session: Session, now: datetime) -> str:
    """The header of every page after the first: the title, the patient identifier and the
    visit date when known, and the day the report was made, said to be that ("Dermamap report —
    patient P-77 — visit 2026-12-06 — printed 7 Dec 2026"; without a visit date it read
    "Dermamap report — 07 Dec 2026", which looked like the visit's date)."""
    v = session.visit
    parts = [TITLE]
    if v.patient_id.strip():
        parts.append(f"patient {' '.join(v.patient_id.split())}")
    if v.date.strip():
        parts.append(f"visit {' '.join(v.date.split())}")
    parts.append(f"printed {now.day} {now.strftime('%b %Y')}")
    return " — ".join(parts)


def _urgent(analysis: Analysis, nm: Names) -> list[Block]:
    urgent = analysis.urgent_warnings
    if not urgent and not analysis.urgent:
        return []
    items = (
        "".join(f"<li>{_with_sources(w.text)}{_sources(w.sources)}</li>" for w in urgent)
        or "<li>Urgent warning signs are present.</li>"
    )
    # each urgent warning's headline, in the window's words ("Emergency: exclude cauda equina
    # syndrome now", "Urgent: upper motor neuron signs"): "URGENT" named the emergency alone
    heads = [warning_names.urgent_headline(w.id) for w in urgent] or [
        warning_names.urgent_headline("cauda_equina")
    ]
    title = "<br>".join(f"⚠ {_e(h)}" for h in dict.fromkeys(heads))
    return [
        Block(
            f"<h2 style='color:#8b0000'>{title}</h2><ul>{items}</ul>",
            boxed="#b00020",
            space_before=8,
        )
    ]


def _caution(analysis: Analysis) -> list[Block]:
    """The warnings that are not urgent, in a box on page 1 as the window shows them at the top
    of its panel (page 2 does not repeat them)."""
    caution = [w for w in analysis.warnings if not w.urgent]
    if not caution:
        return []
    items = "".join(f"<li>{_with_sources(w.text)}{_sources(w.sources)}</li>" for w in caution)
    return [
        Block(
            f"<h2 style='color:#7a4a00'>⚠ Caution</h2><ul>{items}</ul>",
            boxed="#b36b00",
            fill="#fff4e0",
            space_before=8,
        )
    ]


def _impression(session: Session, analysis: Analysis) -> list[Block]:
    # the urgent sentence is the banner above (warnings once); the rest as on the clipboard
    paras = [
        p
        for p in impression.paragraphs(session, analysis)
        if p != impression.urgent_paragraph(analysis)
    ]
    body = "".join(
        f"<p class='small muted'>{_e(p)}</p>" if i == len(paras) - 1 else f"<p>{_e(p)}</p>"
        for i, p in enumerate(paras)
    )
    return [_heading("Clinical impression"), Block(body)]


def _exam(session: Session, analysis: Analysis) -> list[Block]:
    blocks = [_heading("Examination")]
    rows = [
        [_e(n), f"<b>{_e(r)}</b>", f"<b>{_e(lft)}</b>"]
        for n, r, lft in exam_table(session.findings)
    ]
    if rows:
        head = [("Finding", 52), ("Right", 24), ("Left", 24)]
        blocks.append(Block(_table(head, rows), split_rows=True))
    else:
        blocks.append(Block("<p class='muted'>No examination findings entered.</p>"))
    hist = history_items(session.findings)
    flags = [f for f in RedFlag if f in session.red_flags]
    triggers = [
        str(t) for w in analysis.warnings if w.id == "cauda_equina" for t in w.params["triggers"]
    ]
    found = warning_names.found_unticked(triggers, [f.value for f in flags])
    signs = (
        _e("; ".join(names.lower_first(red_flag_label(f.value)) for f in flags))
        if flags
        else "none ticked"
    )
    if found:  # "none ticked" under an emergency raised from the drawing read as a contradiction
        said = "; ".join(w for words in found.values() for w in words)
        signs += f"; raised from the drawing or the examination: {_e(said)}"
    lines = [
        # the ticked signs are present ("asked" read as if they had only been asked about)
        "<b>Warning signs present:</b> " + signs,
        "<b>History:</b> "
        + (_e("; ".join(f"{k}: {v}" for k, v in hist)) if hist else "none entered"),
    ]
    blocks.append(Block("".join(f"<p>{x}</p>" for x in lines), space_before=4))
    return blocks


def _signature() -> Block:
    line = "_" * 28
    return Block(
        "<table width='100%' cellspacing='0'><tr>"
        f"<td width='50%'>Signature {line}</td><td width='50%'>Name and date {line}</td>"
        "</tr></table>",
        space_before=16,
    )


def _hypotheses(session: Session, analysis: Analysis, nm: Names) -> list[Block]:
    ces = any(h.id == "cauda_equina" for h in analysis.hypotheses)
    caption = "Probability per side" + (
        "; cauda equina syndrome is an emergency to exclude, not a probability." if ces else "."
    )
    listed = listed_hypotheses(analysis)
    if not listed:
        why = _e(impression.none_listed(session, analysis))
        return [_heading("Ranked hypotheses"), Block(f"<p class='muted'>No hypotheses: {why}.</p>")]
    blocks = [
        _heading("Ranked hypotheses"),
        Block(f"<p class='small muted'>{caption}</p>", keep_with_next=True),
    ]

    def row(h: Hypothesis) -> list[str]:
        ev = "; ".join(impression.key_evidence(h))
        return [
            _e(names.side_name(h.side)),
            f"<b>{_e(nm.hypothesis(h.id))}</b>",
            _e(impression.percent(h.probability)),
            _e(h.label.value),
            f"<span class='small'>{_e(ev) or '—'}{_sources(impression.key_sources(h))}</span>",
        ]

    rows = [row(h) for h in listed if h.side == "both"]
    for side in ("right", "left"):  # each side's rows, its residual closing them
        rows += [row(h) for h in listed if h.side == side]
        if side in analysis.unexplained:
            others = impression.unlisted(analysis, side) or 0.0
            if others >= impression.LEAST_PERCENT:
                rows.append(_residual_row(side, names.UNLISTED_WORDS, others))
            rows.append(_residual_row(side, names.RESIDUAL_WORDS, analysis.unexplained[side]))
    head = [("Side", 9), ("Hypothesis", 25), ("Prob.", 8), ("Label", 12), ("Key evidence", 46)]
    blocks.append(Block(_table(head, rows), split_rows=True))
    return blocks


def _residual_row(side: str, name: str, probability: float) -> list[str]:
    """A side's residual share, its name and percentage on one line across the columns."""
    return [_e(names.side_name(side)), f"<i>{_e(name)}</i>: {_e(impression.percent(probability))}"]


def _other_maps(analysis: Analysis, tops: Sequence[OtherMapTop], nm: Names) -> list[Block]:
    """Where another published map puts a different lesion first (as the panel says)."""
    if not tops:
        return []
    parts = [
        f"{atlas_label(t.atlas)}: {nm.hypothesis(t.hypothesis)} ({names.side_name(t.side).lower()}"
        " leg)"
        for t in tops
    ]
    text = (
        f"Under other maps another lesion comes first (this reading uses "
        f"{atlas_label(analysis.atlas)}): " + "; ".join(parts) + "."
    )
    return [Block(f"<p class='small'>{_e(text)}</p>", space_before=2)]


def _conditions(analysis: Analysis) -> list[Block]:
    if not analysis.conditions:
        return []
    blocks = [_heading("Conditions that fit")]
    for c in analysis.conditions:
        # one sentence: a step's own full stop (the lead step's) would read ".;"
        steps = "; ".join(_with_sources(s.removesuffix(".")) for s in c.next_steps)
        # how pressing, in the warnings' word: "[EMERGENCY]" for cauda equina (its name no longer
        # says it), "[URGENT]" for the others
        word = warning_names.urgency_word(c.id).upper()
        tag = f" <b style='color:#8b0000'>[{word}]</b>" if c.urgent else ""
        in_text = {i.strip() for m in SRC.finditer(c.why) for i in m.group(1).split(",")}
        extra = [i for i in c.sources if i not in in_text]
        blocks.append(
            Block(
                f"<p><b>{_e(c.name)}</b>{tag}: {_with_sources(c.why)}{_sources(extra)}"
                + (
                    f"<br><span class='small'><i>Usual next steps:</i> {steps}</span>"
                    if steps
                    else ""
                )
                + "</p>",
                space_before=3,
            )
        )
    return blocks


def _warnings_and_notes(analysis: Analysis) -> list[Block]:
    """Where the warning signs are (page 1: the urgent banner, the caution box) or that none was
    found, then the notes about the maps and the method in small print."""
    items = []
    urgent = len(analysis.urgent_warnings)
    caution = len(analysis.warnings) - urgent
    where = [
        f"the urgent warning{'s' if urgent > 1 else ''} at the top" if urgent else "",
        f"the caution{'s' if caution > 1 else ''} below the impression" if caution else "",
    ]
    if analysis.warnings:
        items.append(f"<li>Warning signs: on page 1 ({' and '.join(w for w in where if w)}).</li>")
    else:
        items.append(
            "<li>No warning sign was ticked or found in the marks. Ask about saddle "
            "numbness, bladder, bowel and sexual function at every visit.</li>"
        )
    disagree = [n for n in analysis.notes if n.id == "map_disagreement" and "area" in n.params]
    for n in analysis.notes:
        if n in disagree[1:]:
            continue
        text = _with_sources(n.text)
        sources = list(n.sources)
        if n is (disagree[0] if disagree else None) and len(disagree) > 1:
            # one line for all the areas the maps disagree about
            parts = [
                f"the {names.area_name(d.params['area']).lower()} "
                f"({names.join(names.atlas_name(a) for a in d.params.get('atlases', ()))})"
                for d in disagree
            ]
            text = _e(
                f"The maps disagree about {names.join(parts)}: those maps assign these areas to "
                f"other roots than the {names.atlas_name(analysis.atlas)} map."
            )
            sources = [x for d in disagree for x in d.sources]
        items.append(f"<li><span class='small'>{text}{_sources(sources)}</span></li>")
    return [_heading("Warnings and notes"), Block("<ul>" + "".join(items) + "</ul>")]


def _marks(session: Session) -> list[Block]:
    """The marked areas, one line per side and symptom (share marked when below 100 %)."""
    blocks = [_heading("Marked areas")]
    groups: dict[tuple[str, str], list[str]] = {}
    for m in sorted(
        session.marks, key=lambda m: (m.side.value != "right", names.area_name(m.zone))
    ):
        share = "" if m.coverage >= 0.995 else f" ({round(m.coverage * 100)}%)"
        groups.setdefault((m.side.display, m.symptom.display), []).append(
            names.area_name(m.zone) + share
        )
    if not groups:
        return [*blocks, Block("<p class='muted'>No areas were marked.</p>")]
    rows = [[_e(side), _e(sym), _e(", ".join(areas))] for (side, sym), areas in groups.items()]
    return [*blocks, Block(_table([("Side", 12), ("Symptom", 16), ("Areas", 72)], rows))]


def _references(session: Session, analysis: Analysis) -> list[Block]:
    """The cited references in one compact paragraph."""
    refs = cited_references(session, analysis)
    if not refs:
        return []
    items = [f"<b>{_e(', '.join(rids))}</b> {_e(text)}" for rids, text in refs]
    return [
        _heading("References cited"),
        Block("<p class='refs'>" + " &nbsp;·&nbsp; ".join(items) + "</p>", splittable=True),
    ]


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
    names: Names | None = None,
    comparison: Comparison | None = None,
    other_maps: Sequence[OtherMapTop] = (),
) -> list[Block]:
    """The report's content as a list of blocks (headings keep with what follows);
    ``other_maps``: where another atlas puts a different lesion first
    (:func:`core.analyses.other_map_tops`)."""
    nm = names or Names()
    blocks = [_patient(session, analysis, now, source_name)]
    blocks += _urgent(analysis, nm)
    blocks += _impression(session, analysis)
    blocks += _caution(analysis)
    blocks.append(_heading("Symptom diagram"))
    # each box of warnings (urgent, caution) takes room on page 1: a smaller diagram keeps the
    # examination table there
    boxes = bool(analysis.urgent_warnings or analysis.urgent) + any(
        not w.urgent for w in analysis.warnings
    )
    dia_h = max_diagram_h * (1.0, 0.72, 0.55)[boxes]
    blocks.append(Block(height=min(body_w * aspect, dia_h), diagram=True))
    legend = "Patient's left and right as marked; a partly painted area shows its painted part."
    if overlay:
        legend += f" Dermatome overlay: {atlas_label(session.atlas)}."
    blocks.append(Block(f"<p class='small muted'>{_e(legend)}</p>", space_before=2))
    blocks += _exam(session, analysis)
    v = session.visit
    if v.notes:
        blocks.append(_heading("Visit notes"))
        blocks.extend(Block(f"<p>{_e(para) or '&nbsp;'}</p>") for para in v.notes.split("\n"))
    blocks += _hypotheses(session, analysis, nm)
    blocks += _other_maps(analysis, other_maps, nm)
    blocks += _conditions(analysis)
    blocks += _warnings_and_notes(analysis)
    blocks += _marks(session)
    if comparison is not None:
        from core.compare_report import comparison_blocks

        blocks += comparison_blocks(
            comparison, aspect=aspect, body_w=min(body_w, max_diagram_h / aspect)
        )
    blocks += _references(session, analysis)
    # last: a signature in the middle (under the examination) did not cover the notes, the
    # hypotheses, the conditions and the comparison after it (a clinician's review)
    blocks.append(_signature())
    return blocks  # the intended use is in every page's footer
