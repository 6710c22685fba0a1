"""CSV export of one session's marks and the engine's hypotheses, for research.

Long format: one table, one header row, one row per record. The ``record`` column says what a
row is and which other columns it fills:

- ``mark`` rows fill ``side``, ``zone``, ``area`` (the canonical area; several joined by ``+``
  for a group alias such as ``sole``), ``symptom`` and ``coverage`` (0-1), in session order.
- ``hypothesis`` rows fill ``rank`` (1 = highest score), ``id``, ``side`` (``left``, ``right``
  or ``both``), ``score`` (4 decimals) and ``label``, in the analysis's rank order.

Every row also carries ``atlas`` (the atlas of the analysis). When the session's visit has a
``patient_id``, a ``patient_id`` column comes first so that exports of many sessions can be
concatenated; otherwise the column is left out. Text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from core import zones
from core.model import Analysis, Session

COLUMNS = (
    "record",
    "atlas",
    "side",
    "zone",
    "area",
    "symptom",
    "coverage",
    "rank",
    "id",
    "score",
    "label",
)


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def marks_and_hypotheses_csv(session: Session, analysis: Analysis) -> str:
    """The research CSV of ``session`` and its ``analysis`` (see the module docstring)."""
    patient = session.visit.patient_id
    header = (["patient_id"] if patient else []) + list(COLUMNS)
    lead = [_cell(patient)] if patient else []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    atlas = analysis.atlas
    for m in session.marks:
        area = "+".join(zones.expand(m.zone))
        coverage = f"{m.coverage:.6g}"
        row = ["mark", atlas, m.side.value, m.zone, area, m.symptom.value, coverage]
        writer.writerow(lead + row + ["", "", "", ""])
    for rank, h in enumerate(analysis.hypotheses, 1):
        row = ["hypothesis", atlas, h.side, "", "", "", "", str(rank), h.id]
        writer.writerow(lead + row + [f"{h.score:.4f}", h.label.value])
    return buf.getvalue()
