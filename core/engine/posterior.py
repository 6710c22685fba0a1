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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.engine.evidence import Row
from core.engine.tables import Table
from core.model import Symptom


@dataclass(frozen=True)
class SideMark:
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
    weights = np.array([m.coverage for m in marks])
    rows = np.stack([tab.area_log_lr[m.symptom.value][m.area] for m in marks])
    return np.asarray(weights @ rows / weights.sum())


def exam_vector(tab: Table, rows: list[Row]) -> np.ndarray:
    e = np.zeros(len(tab.hyps))
    for row in rows:
        lr = math.log(row.lr)
        for h in row.hypotheses:
            i = tab.index.get(h)
            if i is not None:
                e[i] += lr
    return e


def side_posterior(
    tab: Table, marks: tuple[SideMark, ...], rows: list[Row], saddle_marked: bool
) -> SideResult:
    d = drawing_vector(tab, marks)
    e = exam_vector(tab, rows)
    active = ~tab.saddle_only | saddle_marked
    probs = _softmax(tab.log_prior + d + e, active)
    return SideResult(probs, d, e, tuple(rows), marks)


def best_root(tab: Table, logits: np.ndarray, saddle_marked: bool) -> str:
    """The most probable root under ``logits`` (a part of the evidence only)."""
    mask = tab.root_columns & (~tab.saddle_only | saddle_marked)
    z = np.where(mask, logits, -np.inf)
    return tab.hyps[int(np.argmax(z))]


def drawing_exam_conflict(
    tab: Table, res: SideResult, saddle_marked: bool
) -> dict[str, Any] | None:
    """``{"drawing": root, "exam": root}`` when the drawing alone and the examination alone
    favour different roots (only with marks and root-specific exam evidence)."""
    if not res.marks or not np.any(res.exam[tab.root_columns]):
        return None
    spread = res.exam[tab.root_columns]
    if float(spread.max() - spread.min()) <= 0:
        return None
    by_drawing = best_root(tab, tab.log_prior + res.drawing, saddle_marked)
    by_exam = best_root(tab, tab.log_prior + res.exam, saddle_marked)
    if by_drawing == by_exam:
        return None
    return {"drawing": by_drawing, "exam": by_exam}
