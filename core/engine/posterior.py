"""One side's posterior: prior x drawing x exam, over every hypothesis and the residual.

``log posterior(h) = log prior(h) + D(h) + E(h)``, normalised over the hypotheses considered:

- ``D(h)``, the drawing, counted once: the coverage-weighted mean over the side's marks of
  ``symptom factor x log LR(area grade of h)`` (marks of one leg are not independent, so a
  drawing with many marks says no more than its average mark);
- ``E(h)``, the sum of ``log LR`` of every evidence row that holds on this side;
- the residual ``unexplained`` has log LR 0 throughout (rows may name it, e.g. upper motor
  neuron signs), so it takes what no hypothesis explains.

All numbers are rows of ``assets/clinical/evidence.json``; see ``docs/engine.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from core.engine.evidence import Row
from core.engine.tables import Table
from core.model import Symptom


class SideMark(NamedTuple):
    area: str
    coverage: float
    symptom: Symptom


@dataclass(frozen=True)
class SideResult:
    probs: np.ndarray  # posterior over the table's hypotheses (0 where not considered)
    drawing: np.ndarray  # D
    exam: np.ndarray  # E
    rows: tuple[Row, ...]
    marks: tuple[SideMark, ...]


def _softmax(logits: np.ndarray, active: np.ndarray) -> np.ndarray:
    z = np.where(active, logits, -np.inf)
    z = z - z.max()
    e = np.exp(z)
    return np.asarray(e / e.sum())


def drawing_vector(tab: Table, marks: tuple[SideMark, ...]) -> np.ndarray:
    """``D``: the coverage-weighted mean of the marks' log likelihood ratios."""
    if not marks:
        return np.zeros(len(tab.hyps))
    area, symptom = tab.area_index, tab.symptom_index
    weights = np.array([m.coverage for m in marks])
    rows = tab.log_lr[[symptom[m.symptom] for m in marks], [area[m.area] for m in marks]]
    return np.asarray(weights @ rows / weights.sum())


def exam_vector(tab: Table, rows: list[Row]) -> np.ndarray:
    """``E``: the sum of the log likelihood ratios of the rows that hold."""
    if not rows:
        return np.zeros(len(tab.hyps))
    return np.asarray(tab.row_log_lr[[tab.row_index[r.id] for r in rows]].sum(axis=0))


def side_posterior(
    tab: Table, marks: tuple[SideMark, ...], rows: list[Row], saddle_marked: bool
) -> SideResult:
    d = drawing_vector(tab, marks)
    e = exam_vector(tab, rows)
    active = ~tab.saddle_only | saddle_marked
    probs = _softmax(tab.log_prior + d + e, active)
    return SideResult(probs, d, e, tuple(rows), marks)


def drawing_exam_conflict(
    tab: Table, res: SideResult, saddle_marked: bool
) -> dict[str, Any] | None:
    """``{"drawing": root, "exam": root}`` when the drawing alone and the examination alone
    favour different roots (only with marks and an exam that tells the roots apart)."""
    roots = tab.roots if saddle_marked else tab.roots_without_saddle
    exam = res.exam[roots]
    if not res.marks or float(exam.max() - exam.min()) <= 0:
        return None
    prior = tab.log_prior[roots]
    by_drawing = roots[int(np.argmax(prior + res.drawing[roots]))]
    by_exam = roots[int(np.argmax(prior + exam))]
    if by_drawing == by_exam:
        return None
    return {"drawing": tab.hyps[by_drawing], "exam": tab.hyps[by_exam]}
