"""Per-atlas tables: for every canonical area, the log likelihood ratio of a mark there under
each hypothesis, built once per atlas from the map's grades and the evidence table."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

from core import clinical, names, zones
from core.clinical import ROOT_IDS
from core.engine.evidence import SYMPTOMS, UNEXPLAINED, evidence

SACRAL_SADDLE_ROOTS = ("S3", "S4", "S5")
"""Considered only on a side whose saddle area is marked."""


def atlas_unassigned(atlas: clinical.Atlas) -> frozenset[str]:
    """Areas the map does not assign to roots (not drawn, or marked highly variable)."""
    return atlas.unassigned | atlas.variable


@cache
def hypothesis_ids() -> tuple[str, ...]:
    """Column order: roots, nerves, polyneuropathy, then the residual last."""
    nerves = tuple(names.nerve_hypothesis(n) for n in clinical.nerves())
    return (*ROOT_IDS, *nerves, "polyneuropathy", UNEXPLAINED)


@dataclass(frozen=True)
class Table:
    atlas: clinical.Atlas
    hyps: tuple[str, ...]
    index: dict[str, int]
    # symptom -> area -> log likelihood ratio of a mark there, per hypothesis (residual: 0)
    log_lr: dict[str, dict[str, list[float]]]
    # the same, sparse: per symptom the value most hypotheses take (a mark far from their
    # territory), and per (symptom, area) the hypotheses that differ from it and by how much
    base_log_lr: dict[str, list[float]]
    delta_log_lr: dict[tuple[str, str], list[tuple[int, float]]]
    row_log_lr: dict[str, list[tuple[int, float]]]  # evidence row -> (hypothesis, log LR)
    area_grades: dict[str, dict[int, str]]  # area -> hypothesis index -> grade (inside only)
    log_prior: list[float]
    log_prior_without_saddle: list[float]  # S3-S5 at minus infinity: not considered
    roots: list[int]  # indices of the roots
    roots_without_saddle: list[int]  # indices of the roots but S3-S5
    unassigned: frozenset[str]


def _kind(hid: str) -> str:
    if hid in ROOT_IDS:
        return "roots"
    return "nerves" if names.is_nerve(hid) else "polyneuropathy"


def _grades(atlas: clinical.Atlas, hyps: tuple[str, ...]) -> dict[str, dict[int, str]]:
    """Area -> hypothesis index -> grade, for every hypothesis with a territory there."""
    nerves = clinical.nerves()
    poly = evidence().polyneuropathy_territory
    unassigned = atlas_unassigned(atlas)
    out: dict[str, dict[int, str]] = {}
    for area in zones.areas():
        row: dict[int, str] = {}
        for i, h in enumerate(hyps):
            if h in ROOT_IDS:
                g = None if area in unassigned else atlas.grade(area, h)
            elif names.is_nerve(h):
                g = nerves[names.nerve_id(h)].grade(area)
            elif h == "polyneuropathy":
                g = poly.get(area)
            else:
                g = None
            if g:
                row[i] = g
        out[area] = row
    return out


def _root_spill(
    hyps: tuple[str, ...],
    t: list[list[float]],
    neighbours: float,
    caudal: float,
    barred: list[bool],
) -> dict[int, list[float]]:
    """Where each root's marks outside its territory fall: its neighbours' territories (the
    next lower root weighted ``caudal``), the rest evenly over the areas. What would fall in a
    ``barred`` area of a neighbour's territory is spread evenly too."""
    n = len(t[0])
    out: dict[int, list[float]] = {}
    index = {h: i for i, h in enumerate(hyps)}
    for k, root in enumerate(ROOT_IDS):
        near = []
        for j, w in ((k + 1, caudal), (k - 1, 1 - caudal)):
            if w > 0 and 0 <= j < len(ROOT_IDS) and sum(t[index[ROOT_IDS[j]]]) > 0:
                near.append((t[index[ROOT_IDS[j]]], w))
        spread = [1.0 / n] * n
        if near:
            total = sum(w for _, w in near)
            nb = [
                0.0 if barred[a] else sum(w / total * dist[a] for dist, w in near) for a in range(n)
            ]
            kept = neighbours * sum(nb)  # the share that stays in the neighbours' areas
            spread = [neighbours * x + (1 - kept) / n for x in nb]
        out[index[root]] = spread
    return out


def _nerve_course(
    hyps: tuple[str, ...], areas: tuple[str, ...], share: float
) -> dict[int, list[float]]:
    """Where each nerve with a course (nerves.json) puts its outside marks of the course's
    symptoms: ``share`` evenly over its course areas, the rest evenly over all areas."""
    n = len(areas)
    nerves = clinical.nerves()
    out: dict[int, list[float]] = {}
    for i, h in enumerate(hyps):
        course = set(nerves[names.nerve_id(h)].course) if names.is_nerve(h) else set()
        if course:
            out[i] = [
                (1 - share) / n + (share / len(course) if a in course else 0.0) for a in areas
            ]
    return out


@cache
def table(atlas_id: str) -> Table:
    """The table of ``atlas_id`` (``KeyError`` for an unknown atlas).

    Under hypothesis ``h`` a mark of symptom ``s`` falls in area ``a`` with probability
    ``(1 - out) * density(grade_h(a)) / sum of h's densities + out * elsewhere_h(a)`` (``out``:
    the share of marks outside the territory for ``h``'s kind and ``s``; ``elsewhere``: evenly,
    ``1 / N`` over the canonical areas, but for a root partly in its neighbours' territories
    and for a nerve's pain partly along its course); the residual spreads marks evenly. The
    likelihood ratio is the ratio of the two.
    Areas the map leaves unassigned carry no evidence between the roots (ratio 1).
    """
    atlas = clinical.atlases()[atlas_id]
    ev = evidence()
    hyps = hypothesis_ids()
    index = {h: i for i, h in enumerate(hyps)}
    unassigned = atlas_unassigned(atlas)
    grades = _grades(atlas, hyps)
    areas = tuple(zones.areas())
    n = len(areas)
    totals = [0.0] * len(hyps)
    for row in grades.values():
        for i, g in row.items():
            totals[i] += ev.density[g]
    # t[i][a]: hypothesis i's normalised density over the areas
    t = [[0.0] * n for _ in hyps]
    for j, area in enumerate(areas):
        for i, g in grades[area].items():
            t[i][j] = ev.density[g] / totals[i]
    barred = [area in ev.spill_not_into for area in areas]
    spill = _root_spill(hyps, t, ev.spill_neighbours, ev.spill_caudal, barred)
    course = _nerve_course(hyps, areas, ev.course_share)
    log_lr: dict[str, dict[str, list[float]]] = {}
    for symptom in SYMPTOMS:
        per_area: dict[str, list[float]] = {area: [0.0] * len(hyps) for area in areas}
        for i, h in enumerate(hyps):
            if h == UNEXPLAINED or totals[i] == 0:
                continue
            out = ev.outside[(_kind(h), symptom)].value
            if h in ROOT_IDS:
                elsewhere = spill[i]
            elif i in course and symptom in ev.course_symptoms:
                elsewhere = course[i]
            else:
                elsewhere = [1.0 / n] * n
            for j, area in enumerate(areas):
                if h in ROOT_IDS and area in unassigned:
                    continue  # the map says nothing here: ratio 1
                per_area[area][i] = math.log(((1 - out) * t[i][j] + out * elsewhere[j]) * n)
        log_lr[symptom] = per_area
    base_log_lr = {
        s: [Counter(per_area[a][i] for a in areas).most_common(1)[0][0] for i in range(len(hyps))]
        for s, per_area in log_lr.items()
    }
    delta_log_lr = {
        (s, a): [(i, v - base_log_lr[s][i]) for i, v in enumerate(row) if v != base_log_lr[s][i]]
        for s, per_area in log_lr.items()
        for a, row in per_area.items()
    }
    missing = [h for h in hyps if h not in ev.priors]
    if missing:
        raise ValueError(f"evidence.json: no prior for {', '.join(missing)}")
    total_prior = sum(ev.priors[h].value for h in hyps)
    log_prior = [math.log(ev.priors[h].value / total_prior) for h in hyps]
    row_log_lr = {
        erow.id: [(index[h], math.log(erow.lr)) for h in erow.hypotheses if h in index]
        for erow in ev.rows
    }
    saddle = [index[r] for r in SACRAL_SADDLE_ROOTS]
    return Table(
        atlas=atlas,
        hyps=hyps,
        index=index,
        log_lr=log_lr,
        base_log_lr=base_log_lr,
        delta_log_lr=delta_log_lr,
        row_log_lr=row_log_lr,
        area_grades=grades,
        log_prior=log_prior,
        log_prior_without_saddle=[-math.inf if i in saddle else p for i, p in enumerate(log_prior)],
        roots=[index[r] for r in ROOT_IDS],
        roots_without_saddle=[index[r] for r in ROOT_IDS if r not in SACRAL_SADDLE_ROOTS],
        unassigned=unassigned,
    )
