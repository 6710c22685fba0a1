"""Per-atlas tables: for every canonical area, the log likelihood ratio of a mark there under
each hypothesis, built once per atlas from the map's grades and the evidence table."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from core import clinical, zones
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
    nerves = tuple(f"peripheral:{n}" for n in clinical.nerves())
    return (*ROOT_IDS, *nerves, "polyneuropathy", UNEXPLAINED)


@dataclass(frozen=True)
class Table:
    atlas: clinical.Atlas
    hyps: tuple[str, ...]
    index: dict[str, int]
    # symptom -> area -> log likelihood ratio of a mark there, per hypothesis (residual: 0)
    area_log_lr: dict[str, dict[str, np.ndarray]]
    area_grades: dict[str, dict[int, str]]  # area -> hypothesis index -> grade (inside only)
    log_prior: np.ndarray
    saddle_only: np.ndarray  # bool: hypotheses considered only with a saddle mark
    root_columns: np.ndarray  # bool: root hypotheses
    unassigned: frozenset[str]


def _kind(hid: str) -> str:
    if hid in ROOT_IDS:
        return "roots"
    return "nerves" if hid.startswith("peripheral:") else "polyneuropathy"


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
            elif h.startswith("peripheral:"):
                g = nerves[h.split(":", 1)[1]].grade(area)
            elif h == "polyneuropathy":
                g = poly.get(area)
            else:
                g = None
            if g:
                row[i] = g
        out[area] = row
    return out


def _root_spill(
    hyps: tuple[str, ...], t: np.ndarray, neighbours: float, caudal: float, n: int
) -> dict[int, np.ndarray]:
    """Where each root's marks outside its territory fall: its neighbours' territories (the
    next lower root weighted ``caudal``), the rest evenly over the ``n`` areas."""
    out: dict[int, np.ndarray] = {}
    index = {h: i for i, h in enumerate(hyps)}
    for k, root in enumerate(ROOT_IDS):
        near = []
        for j, w in ((k + 1, caudal), (k - 1, 1 - caudal)):
            if w > 0 and 0 <= j < len(ROOT_IDS) and t[index[ROOT_IDS[j]]].sum() > 0:
                near.append((t[index[ROOT_IDS[j]]], w))
        spread = np.full(n, 1.0 / n)
        if near:
            total = sum(w for _, w in near)
            nb = sum((w / total) * dist for dist, w in near)
            spread = neighbours * nb + (1 - neighbours) * spread
        out[index[root]] = spread
    return out


@cache
def table(atlas_id: str) -> Table:
    """The table of ``atlas_id`` (``KeyError`` for an unknown atlas).

    Under hypothesis ``h`` a mark of symptom ``s`` falls in area ``a`` with probability
    ``(1 - out) * density(grade_h(a)) / sum of h's densities + out / N`` (``out``: the share of
    marks outside the territory for ``h``'s kind and ``s``; ``N``: the canonical areas); the
    residual spreads marks evenly (``1 / N``). The likelihood ratio is the ratio of the two.
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
    totals = np.zeros(len(hyps))
    for row in grades.values():
        for i, g in row.items():
            totals[i] += ev.density[g]
    # t[i][a]: hypothesis i's normalised density over the areas
    t = np.zeros((len(hyps), n))
    for j, area in enumerate(areas):
        for i, g in grades[area].items():
            t[i, j] = ev.density[g] / totals[i]
    spill = _root_spill(hyps, t, ev.spill_neighbours, ev.spill_caudal, n)
    area_log_lr: dict[str, dict[str, np.ndarray]] = {}
    for symptom in SYMPTOMS:
        lr = np.ones((len(hyps), n))
        for i, h in enumerate(hyps):
            if h == UNEXPLAINED or totals[i] == 0:
                continue
            out = ev.outside[(_kind(h), symptom)].value
            elsewhere = spill[i] if h in ROOT_IDS else np.full(n, 1.0 / n)
            lr[i] = ((1 - out) * t[i] + out * elsewhere) * n
        roots = [index[r] for r in ROOT_IDS]
        for j, area in enumerate(areas):
            if area in unassigned:
                lr[roots, j] = 1.0  # the map says nothing here
        area_log_lr[symptom] = {area: np.log(lr[:, j]) for j, area in enumerate(areas)}
    missing = [h for h in hyps if h not in ev.priors]
    if missing:
        raise ValueError(f"evidence.json: no prior for {', '.join(missing)}")
    prior = np.array([ev.priors[h].value for h in hyps])
    return Table(
        atlas=atlas,
        hyps=hyps,
        index=index,
        area_log_lr=area_log_lr,
        area_grades=grades,
        log_prior=np.log(prior / prior.sum()),
        saddle_only=np.array([h in SACRAL_SADDLE_ROOTS for h in hyps]),
        root_columns=np.array([h in ROOT_IDS for h in hyps]),
        unassigned=unassigned,
    )
