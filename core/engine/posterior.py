"""One side's posterior: prior x drawing x exam, over every hypothesis and the residual.

``log posterior(h) = log prior(h) + D(h) + E(h)``, normalised over the hypotheses considered:

- ``D(h)``, the drawing, counted once: the coverage-weighted mean over the side's marks of the
  log likelihood ratio of a mark of that symptom in that area under ``h`` (marks of one leg
  are not independent, so a drawing with many marks says no more than its average mark);
- ``E(h)``, the sum of ``log LR`` of every evidence row that holds on this side;
- the residual ``unexplained`` has log LR 0 throughout (rows may name it, e.g. upper motor
  neuron signs), so it takes what no hypothesis explains.

All numbers are rows of ``assets/clinical/evidence.json``; see ``docs/engine.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from core.engine.evidence import Row, evidence
from core.engine.tables import Table
from core.model import Symptom

SideMarks = dict[tuple[Symptom, str], float]
"""A side's drawing: (symptom, canonical area) -> the summed coverage (0-1 per mark) of the
marks of that symptom there, in the order they were made."""


@dataclass(frozen=True)
class SideResult:
    probs: list[float]  # posterior over the table's hypotheses (0 where not considered)
    drawing: list[float]  # D
    exam: list[float]  # E
    rows: tuple[Row, ...]
    marks: SideMarks


def drawing_vector(tab: Table, marks: SideMarks) -> list[float]:
    """``D``: the coverage-weighted mean of the marks' log likelihood ratios."""
    n = len(tab.hyps)
    if not marks:
        return [0.0] * n
    total = sum(marks.values())
    d = [0.0] * n
    per_symptom: dict[Symptom, float] = {}
    delta = tab.delta_log_lr
    for key, w in marks.items():  # each area's departures from the common value
        share = w / total
        per_symptom[key[0]] = per_symptom.get(key[0], 0.0) + share
        for i, dv in delta[key]:
            d[i] += share * dv
    for sym, share in per_symptom.items():  # plus the common value, once per symptom
        d = [x + share * b for x, b in zip(d, tab.base_log_lr[sym], strict=True)]
    return d


def exam_vector(tab: Table, rows: list[Row]) -> list[float]:
    """``E``: the sum of the log likelihood ratios of the rows that hold."""
    e = [0.0] * len(tab.hyps)
    for row in rows:
        for i, lr in tab.row_log_lr[row.id]:
            e[i] += lr
    return e


def side_posterior(
    tab: Table, marks: SideMarks, rows: list[Row], saddle_marked: bool
) -> SideResult:
    d = drawing_vector(tab, marks)
    e = exam_vector(tab, rows)
    prior = tab.log_prior if saddle_marked else tab.log_prior_without_saddle
    logits = [p + x + y for p, x, y in zip(prior, d, e, strict=True)]
    top = max(logits)
    weights = [math.exp(z - top) for z in logits]  # exp(-inf) is 0: not considered
    total = sum(weights)
    return SideResult([w / total for w in weights], d, e, tuple(rows), marks)


def _best(values: list[float], among: list[int]) -> int | None:
    """The index in ``among`` with the single highest value (``None`` on a tie)."""
    ranked = sorted(among, key=values.__getitem__, reverse=True)
    if len(ranked) > 1 and values[ranked[0]] - values[ranked[1]] <= 1e-9:
        return None
    return ranked[0]


def drawing_exam_conflict(
    tab: Table, res: SideResult, saddle_marked: bool
) -> dict[str, Any] | None:
    """``{"drawing": root, "exam": root}`` when the drawing alone and the examination alone
    favour different roots (the root with the highest likelihood ratio under each, priors
    aside, when each singles one out): the exam argues for its root (likelihood ratio above 1)
    and favours it over the drawing's by ``patterns.conflict_exam_min_ratio`` or more, and the
    drawing argues against the exam's root (below 1) or favours its own over it by
    ``patterns.conflict_drawing_min_ratio`` or more. A drawing that fits both roots almost
    alike, or an exam that hardly tells them apart, is no disagreement worth a note."""
    if not res.marks:
        return None
    roots = tab.roots if saddle_marked else tab.roots_without_saddle
    by_exam = _best(res.exam, roots)
    by_drawing = _best(res.drawing, roots)
    if by_exam is None or by_drawing is None or by_drawing == by_exam:
        return None
    if res.exam[by_exam] <= 0:  # the exam only lowered the others (no back pain spares L1)
        return None
    patterns = evidence().patterns
    exam_margin = res.exam[by_exam] - res.exam[by_drawing]
    if exam_margin < math.log(patterns["conflict_exam_min_ratio"].value):
        return None
    drawing_margin = res.drawing[by_drawing] - res.drawing[by_exam]
    if res.drawing[by_exam] >= 0 and drawing_margin < math.log(
        patterns["conflict_drawing_min_ratio"].value
    ):
        return None
    return {"drawing": tab.hyps[by_drawing], "exam": tab.hyps[by_exam]}
