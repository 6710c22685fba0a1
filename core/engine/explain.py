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
from core.model import Hypothesis, Label, Reason

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
    """Per atlas and hypothesis index: every area's evidence line, the areas from core to
    outside, each (symptom, area)'s structured reason, the prior's line and reason."""

    area_line: list[dict[str, str]]
    area_order: list[list[str]]  # the areas inside the territory (or unassigned), core first
    area_reason: list[dict[tuple[str, str], Reason]]
    outside_lead: list[str]  # "Outside this root's territory on the ... map"
    outside_sources: list[tuple[str, ...]]
    outside_cite: list[str]
    prior_line: list[str]
    prior_reason: list[Reason]
    sources: list[frozenset[str]]  # the prior's, the territory's and the outside share's


@cache
def lines(atlas_id: str) -> Lines:
    tab = table(atlas_id)
    ev = evidence()
    nerves = clinical.nerves()
    area_line: dict[str, list[str]] = {}
    area_rank: dict[str, list[int]] = {}
    area_reason: dict[str, dict[str, list[Reason]]] = {s: {} for s in SYMPTOMS}
    for area, grades in tab.area_grades.items():
        texts, ranks = [], []
        for i, hid in enumerate(tab.hyps):
            kind = _kind(hid)
            g = grades.get(i, "outside")
            if kind == "roots" and area in tab.unassigned:
                what = f"not assigned on the {tab.atlas.name} map"
                sources: tuple[str, ...] = tab.atlas.sources
            else:
                what = GRADE_PHRASES[g].format(whose=WHOSE[kind])
                if kind == "roots":
                    what += f" on the {tab.atlas.name} map"
                if g == "outside":
                    sources = ev.outside[(kind, "numbness")].sources
                elif kind == "roots":
                    sources = tab.atlas.sources_of(area)
                elif kind == "nerves":
                    sources = nerves[names.nerve_id(hid)].sources
                else:
                    sources = ev.polyneuropathy_sources
            texts.append(f"{names.area_name(area)}: {what} {cite(sources)}")
            ranks.append(GRADE_ORDER[g])
            for s in SYMPTOMS:
                lr = math.exp(tab.log_lr[s][area][i])
                params = {"area": area, "grade": g, "symptom": s}
                area_reason[s].setdefault(area, []).append(
                    Reason("area", area, lr, sources, params)
                )
        area_line[area] = texts
        area_rank[area] = ranks
    inside = {
        a: [ranks[i] < GRADE_ORDER["outside"] for i in range(len(tab.hyps))]
        for a, ranks in area_rank.items()
    }
    for a in tab.unassigned:
        for i, hid in enumerate(tab.hyps):
            inside[a][i] = inside[a][i] or _kind(hid) == "roots"
    area_order = [
        sorted((a for a in area_rank if inside[a][i]), key=lambda a: (area_rank[a][i], a))
        for i in range(len(tab.hyps))
    ]
    outside_lead, outside_sources = [], []
    for hid in tab.hyps:
        kind = _kind(hid)
        lead = GRADE_PHRASES["outside"].format(whose=WHOSE[kind])
        if kind == "roots":
            lead += f" on the {tab.atlas.name} map"
        outside_lead.append(lead[0].upper() + lead[1:])
        outside_sources.append(ev.outside[(kind, "numbness")].sources)
    prior_line, prior_reason = [], []
    for hid in tab.hyps:
        p = ev.priors[hid]
        prior_line.append(f"Before any evidence: relative frequency {p.value:g} {cite(p.sources)}")
        prior_reason.append(Reason("prior", hid, p.value, p.sources))
    n = range(len(tab.hyps))
    hyp_sources = [
        frozenset(
            src
            for per in area_reason.values()
            for reasons in per.values()
            for src in reasons[i].sources
        )
        | frozenset(prior_reason[i].sources)
        | frozenset(ev.drawing.sources)
        for i in n
    ]
    return Lines(
        [{a: texts[i] for a, texts in area_line.items()} for i in n],
        area_order,
        [
            {
                (sy, a): r[i]
                for sy, per in area_reason.items()
                for a, r in per.items()
                if inside[a][i]
            }
            for i in n
        ],
        outside_lead,
        outside_sources,
        [cite(src) for src in outside_sources],
        prior_line,
        prior_reason,
        hyp_sources,
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
    ex = lines(tab.atlas.id)
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
    explained: dict[str, tuple[str, Reason]] = {}
    drawing = ev.drawing
    drawing_cite = cite(drawing.sources)
    out: list[Hypothesis] = []
    for i in listed:
        hid = tab.hyps[i]
        p = probs[i]
        evidence_lines = [ex.prior_line[i]]
        reasons = [ex.prior_reason[i]]
        if marks:
            d = math.exp(res.drawing[i])
            evidence_lines.append(
                f"The drawing as a whole: likelihood ratio {d:.2g}, counted once {drawing_cite}"
            )
            reasons.append(Reason("drawing", "drawing", d, drawing.sources))
            area_line = ex.area_line[i]
            listed_areas = [a for a in ex.area_order[i] if a in marked]
            evidence_lines += [area_line[a] for a in listed_areas]
            area_reason = ex.area_reason[i]
            outside_logs = []
            outside: dict[str, None] = {}  # the areas outside, in mark order
            for k in marks:
                reason = area_reason.get(k)
                if reason is not None:
                    reasons.append(reason)
                else:
                    outside_logs.append(tab.log_lr[k[0]][k[1]][i])
                    outside[k[1]] = None
            outside_areas = list(outside)
            if outside_areas:
                lr = math.exp(sum(outside_logs) / len(outside_logs))
                names_out = ", ".join(_area_name(a) for a in outside_areas)
                src = ex.outside_sources[i]
                evidence_lines.append(
                    f"{ex.outside_lead[i]}: {names_out} (likelihood ratio {lr:.2g}) "
                    f"{ex.outside_cite[i]}"
                )
                reasons.append(Reason("outside", hid, lr, src, {"areas": outside_areas}))
        found = ex.sources[i]
        for row in res.rows:
            if hid not in row.hypothesis_set:
                continue
            if row.id not in explained:
                explained[row.id] = _row_reason(row, facts)
            line, reason = explained[row.id]
            evidence_lines.append(line)
            reasons.append(reason)
            found = found.union(row.sources)
        sources = _sorted_sources(found)
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
