"""CSV export of one session: its marks, the hypotheses per side, the examination, the history and
the warning signs, in one table with a header row of human names (documented in docs/csv.md).

Long format, one row per record; ``Record`` says what a row is:

- ``mark``: one row per mark (``Side``, ``Zone id``, ``Area``, ``Symptom``, ``Marked share``);
- ``hypothesis``: one row per hypothesis per side, ranked within its side (``Rank`` 1 = most
  probable there), with ``Hypothesis id``, ``Hypothesis``, ``Probability`` (4 decimals; empty for
  cauda equina syndrome, an emergency to exclude) and ``Label``; each side ends with its
  ``unexplained`` share ("None of these");
- ``exam``: one row per side (right, then left) with any examination finding or intensity
  entered, after the others: that side's examination columns, the mark and hypothesis columns
  empty. A leg examined but neither marked nor ranked is in the table through this row alone.

Every row carries the patient and visit fields, the atlas, the warning signs (one column each:
``yes`` when ticked) and the history; the examination columns (one per finding) hold the value
on the row's side (empty on a ``both`` row). The columns are the same for every session, so
exports of many sessions can be concatenated. Ids (zones, hypotheses) are kept in their own
columns next to the names. Text a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from core import names, warning_names, zones
from core.exam import exam_items
from core.model import SENSORY_POINTS, Movement, RedFlag, Reflex, Session, Symptom, Test
from core.results import Analysis

LEAD = (
    "Patient identifier",
    "Visit date",
    "Atlas",
    "Record",
    "Side",
    "Zone id",
    "Area",
    "Symptom",
    "Marked share",
    "Rank",
    "Hypothesis id",
    "Hypothesis",
    "Probability",
    "Label",
)
HISTORY = (
    ("age", names.finding_name("history:age") + " (years)"),
    ("onset_days", names.finding_name("history:onset_days") + " (days ago)"),
    ("back_pain", names.finding_name("history:back_pain")),
    ("neurogenic_claudication", names.finding_name("history:neurogenic_claudication")),
    ("diabetes", names.finding_name("history:diabetes")),
    ("local_cause", names.finding_name("history:local_cause")),
    ("progressive", names.finding_name("history:progressive")),
    ("local_cause_site", names.finding_name("history:site_of_local_cause")),
    ("local_cause_side", names.finding_name("history:local_cause_side")),
    ("cancer", names.finding_name("history:cancer")),
    ("fever", names.finding_name("history:fever")),
)
FINDING_KEYS = (
    *(f"reflex:{r.value}" for r in Reflex),
    *(f"strength:{m.value}" for m in Movement),
    *(f"test:{t.value}" for t in Test),
    "plantar_response",
    "clonus",
    *(f"sensation:{p}" for p in SENSORY_POINTS),
    *(f"intensity:{s.value}" for s in Symptom),
)


def columns() -> tuple[str, ...]:
    """The header row (human names; the same for every session)."""
    flags = tuple(f"Warning sign: {warning_names.red_flag_name(f.value)}" for f in RedFlag)
    exam = tuple(names.finding_name(k) for k in FINDING_KEYS)
    return (*LEAD, *flags, *(h for _, h in HISTORY), *exam)


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _history(session: Session) -> list[str]:
    h = session.findings.history
    out = []
    for field, _ in HISTORY:
        v = getattr(h, field)
        if field == "local_cause_site" and v is not None:
            out.append(names.VALUE_WORDS.get(v.value, v.value))
            continue
        if field == "local_cause_side" and v is not None:
            out.append(v.value)
            continue
        out.append("" if v is None else ("yes" if v else "no") if isinstance(v, bool) else str(v))
    return out


def marks_and_hypotheses_csv(session: Session, analysis: Analysis) -> str:
    """The CSV of ``session`` and its ``analysis`` (see the module docstring)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns())
    v = session.visit
    flags = ["yes" if f in session.red_flags else "" for f in RedFlag]
    history = _history(session)
    exam: dict[str, dict[str, str]] = {"left": {}, "right": {}}
    for item in exam_items(session.findings):
        exam[item.side.value][item.key] = item.value_text

    def row(side: str, fields: list[str]) -> list[str]:
        per_side = exam.get(side, {})
        lead = [_cell(v.patient_id), _cell(v.date), names.atlas_name(analysis.atlas)]
        return [*lead, *fields, *flags, *history, *(per_side.get(k, "") for k in FINDING_KEYS)]

    for m in session.marks:
        area = names.area_name(zones.current_zone(m.zone))
        fields = ["mark", m.side.value, m.zone, area, m.symptom.value, f"{m.coverage:.6g}"]
        writer.writerow(row(m.side.value, [*fields, "", "", "", "", ""]))
    for side in ("both", "right", "left"):
        ranked = [h for h in analysis.hypotheses if h.side == side]
        for rank, h in enumerate(ranked, 1):
            p = "" if h.probability is None else f"{h.probability:.4f}"
            fields = ["hypothesis", side, "", "", "", "", str(rank), h.id]
            writer.writerow(row(side, [*fields, names.hypothesis_name(h.id), p, h.label.value]))
        if side in analysis.unexplained:
            fields = ["hypothesis", side, "", "", "", "", "", "unexplained"]
            share = f"{analysis.unexplained[side]:.4f}"
            writer.writerow(row(side, [*fields, names.hypothesis_name("unexplained"), share, ""]))
    # the examination of each side once, whether or not that side has marks or hypotheses (the
    # exam of a leg neither marked nor ranked was on no row: a review of the exports)
    for side in ("right", "left"):
        if exam[side]:
            writer.writerow(row(side, ["exam", side, *[""] * (len(LEAD) - 5)]))
    return buf.getvalue()
