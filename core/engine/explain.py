"""A side's listed hypotheses with their reasons (structured) and evidence lines (words).

Everything that depends only on the atlas (each area's line and reason for each hypothesis) or
only on the evidence table (priors, exam rows) is made once and reused; an analysis only picks
them and adds the one line that depends on the whole drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from core import clinical, names
from core.clinical import cite, sorted_reference_ids
from core.engine.evidence import SYMPTOMS, Row, evidence, label_for
from core.engine.posterior import SideResult
from core.engine.tables import Table, table
from core.results import Hypothesis, Label, Reason

GRADE_ORDER = {"core": 0, "shared": 1, "occasional": 2, "outside": 3}
GRADE_PHRASES = {
    "core": "core of {whose} territory",
    "shared": "shared part of {whose} territory",
    "occasional": "edge of {whose} territory",
    "outside": "outside {whose} territory",
}
WHOSE = {"roots": "this root's", "nerves": "this nerve's", "polyneuropathy": "a stocking"}
LABELS = {lab.value: lab for lab in Label}


@cache
def _area_name(area: str) -> str:
    return names.area_name(area).lower()


def _kind(hid: str) -> str:
    if names.is_root(hid):
        return "roots"
    return "nerves" if names.is_nerve(hid) else "polyneuropathy"


@dataclass(frozen=True)
class Lines:
    """For one hypothesis under one atlas: each area's evidence line, the areas inside its
    territory (or unassigned) from core to edge, each (symptom, area)'s structured reason
    inside, the outside line's lead words and sources, the prior's line and reason, and the
    sources of all of these. Made the first time the hypothesis is listed under the atlas."""

    area_line: dict[str, str]
    area_order: list[str]
    area_reason: dict[tuple[str, str], Reason]
    outside_lead: str
    outside_sources: tuple[str, ...]
    outside_cite: str
    prior_line: str
    prior_reason: Reason
    sources: frozenset[str]


@cache
def lines(atlas_id: str, i: int) -> Lines:
    """The :class:`Lines` of hypothesis ``i`` (its index in the table) under ``atlas_id``."""
    tab = table(atlas_id)
    ev = evidence()
    hid = tab.hyps[i]
    kind = _kind(hid)
    on_map = f" on the {tab.atlas.name} map" if kind == "roots" else ""
    outside_sources = ev.outside[(kind, "numbness")].sources
    area_line: dict[str, str] = {}
    area_reason: dict[tuple[str, str], Reason] = {}
    rank: dict[str, int] = {}
    for area, grades in tab.area_grades.items():
        g = grades.get(i, "outside")
        if kind == "roots" and area in tab.unassigned:
            what = f"not assigned on the {tab.atlas.name} map"
            sources: tuple[str, ...] = tab.atlas.sources
            rank[area] = len(GRADE_ORDER)
        else:
            what = GRADE_PHRASES[g].format(whose=WHOSE[kind]) + on_map
            if g == "outside":
                sources = outside_sources
            elif kind == "roots":
                sources = tab.atlas.sources_of(area)
            elif kind == "nerves":
                sources = clinical.nerves()[names.nerve_id(hid)].sources
            else:
                sources = ev.polyneuropathy_sources
            if g != "outside":
                rank[area] = GRADE_ORDER[g]
        area_line[area] = f"{names.area_name(area)}: {what} {cite(sources)}"
        if area in rank:
            for s in SYMPTOMS:
                lr = math.exp(tab.log_lr[s][area][i])
                params = {"area": area, "grade": g, "symptom": s}
                area_reason[(s, area)] = Reason("area", area, lr, sources, params)
    lead = GRADE_PHRASES["outside"].format(whose=WHOSE[kind]) + on_map
    prior = ev.priors[hid]
    prior_reason = Reason("prior", hid, prior.value, prior.sources)
    return Lines(
        area_line=area_line,
        area_order=sorted(rank, key=lambda a: (rank[a], a)),
        area_reason=area_reason,
        outside_lead=lead[0].upper() + lead[1:],
        outside_sources=outside_sources,
        outside_cite=cite(outside_sources),
        prior_line=f"Before any evidence: relative frequency {prior.value:g} {cite(prior.sources)}",
        prior_reason=prior_reason,
        sources=frozenset(src for r in area_reason.values() for src in r.sources)
        | frozenset(prior.sources)
        | frozenset(outside_sources)
        | frozenset(ev.drawing.sources),
    )


@lru_cache(maxsize=4096)
def _sorted_sources(ids: frozenset[str]) -> tuple[str, ...]:
    """``ids`` in reference-list order (a few sets recur: each hypothesis's territory with the
    exam rows that apply)."""
    return tuple(sorted(ids, key=_reference_rank().__getitem__))


@cache
def _reference_rank() -> dict[str, int]:
    """Every reference id -> its place in the reference list (sources are shown in it)."""
    return {rid: k for k, rid in enumerate(sorted_reference_ids(clinical.references()))}


@cache
def _row_text(row_id: str, values: tuple[tuple[str, Any], ...]) -> tuple[str, Reason]:
    row = evidence().row(row_id)
    what = "; ".join(names.finding_text(k, v) for k, v in values)
    line = f"{what}: likelihood ratio {row.lr:g} {cite(row.sources)}"
    return line, Reason("finding", row.id, row.lr, row.sources, dict(values))


@cache
def _row_keys(row_id: str) -> tuple[tuple[str, str], ...]:
    """(key as written, the fact it reads) for each condition of the row."""
    row = evidence().row(row_id)
    return tuple(zip((k for k, _ in row.when), row.keys, strict=True))


def _row_reason(row: Row, facts: dict[str, object]) -> tuple[str, Reason]:
    values = tuple((key, facts.get(fact)) for key, fact in _row_keys(row.id))
    return _row_text(row.id, values)


def hypotheses(
    tab: Table,
    side: str,
    res: SideResult,
    facts: dict[str, object],
    other: dict[str, object],
) -> list[Hypothesis]:
    """The side's listed hypotheses, most probable first (the residual is never listed)."""
    ev = evidence()
    probs = res.probs
    order = sorted(range(len(probs)), key=probs.__getitem__, reverse=True)
    listed: list[int] = []
    for i in order:
        p = probs[i]
        if len(listed) >= ev.max_per_side or p <= 0:
            break
        if p < ev.min_probability and len(listed) >= ev.min_per_side:
            break
        if tab.hyps[i] != "unexplained":
            listed.append(i)
    if not listed:
        return []
    marked = {area for area, _c, _s in res.marks}
    marks = list(dict.fromkeys((sy, area) for area, _c, sy in res.marks))  # str keys match
    mark_logs = {k: tab.log_lr[k[0]][k[1]] for k in marks}
    explained: dict[str, tuple[str, Reason]] = {}
    drawing = ev.drawing
    drawing_cite = cite(drawing.sources)
    out: list[Hypothesis] = []
    for i in listed:
        hid = tab.hyps[i]
        p = probs[i]
        ex = lines(tab.atlas.id, i)
        evidence_lines = [ex.prior_line]
        reasons = [ex.prior_reason]
        if marks:
            d = math.exp(res.drawing[i])
            evidence_lines.append(
                f"The drawing as a whole: likelihood ratio {d:.2g}, counted once {drawing_cite}"
            )
            reasons.append(Reason("drawing", "drawing", d, drawing.sources))
            area_line = ex.area_line
            listed_areas = [a for a in ex.area_order if a in marked]
            evidence_lines += [area_line[a] for a in listed_areas]
            area_reason = ex.area_reason
            inside = [area_reason[k] for k in marks if k in area_reason]
            reasons += inside
            outside_marks = [k for k in marks if k not in area_reason]
            outside_areas = list(dict.fromkeys(area for _s, area in outside_marks))
            if outside_areas:
                logs = [mark_logs[k][i] for k in outside_marks]
                lr = math.exp(sum(logs) / len(logs))
                names_out = ", ".join(_area_name(a) for a in outside_areas)
                src = ex.outside_sources
                evidence_lines.append(
                    f"{ex.outside_lead}: {names_out} (likelihood ratio {lr:.2g}) {ex.outside_cite}"
                )
                reasons.append(Reason("outside", hid, lr, src, {"areas": outside_areas}))
        row_sources = []
        for row in res.rows:
            if hid not in row.hypothesis_set:
                continue
            if row.id not in explained:
                explained[row.id] = _row_reason(row, facts)
            line, reason = explained[row.id]
            evidence_lines.append(line)
            reasons.append(reason)
            row_sources.append(row.sources)
        sources = _sorted_sources(ex.sources.union(*row_sources))
        out.append(
            Hypothesis(
                id=hid,
                side=side,
                score=p,
                label=LABELS[label_for(p)],
                evidence=tuple(evidence_lines),
                sources=sources,
                probability=p,
                reasons=tuple(reasons),
            )
        )
    return out
