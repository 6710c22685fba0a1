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
    area_log_lr: dict[str, dict[str, np.ndarray]] = {}
    for symptom in SYMPTOMS:
        per_area: dict[str, np.ndarray] = {}
        for area in areas:
            lr = np.ones(len(hyps))
            for i, h in enumerate(hyps):
                if h == UNEXPLAINED or totals[i] == 0:
                    continue
                if h in ROOT_IDS and area in unassigned:
                    continue
                out = ev.outside[(_kind(h), symptom)].value
                inside = ev.density[grades[area][i]] / totals[i] if i in grades[area] else 0.0
                lr[i] = ((1 - out) * inside + out / n) * n
            per_area[area] = np.log(lr)
        area_log_lr[symptom] = per_area
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
