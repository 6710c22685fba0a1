"""A side's listed hypotheses with their reasons (structured) and evidence lines (words).

Everything that depends only on the atlas (each area's line and reason for each hypothesis) or
only on the evidence table (priors, exam rows) is made once and reused; an analysis only picks
them and adds the one line that depends on the whole drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
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


def _kind(hid: str) -> str:
    if names.is_root(hid):
        return "roots"
    return "nerves" if names.is_nerve(hid) else "polyneuropathy"


@dataclass(frozen=True)
class Lines:
    """Per atlas and hypothesis index: every area's evidence line, the areas from core to
    outside, each (symptom, area)'s structured reason, the prior's line and reason."""

    area_line: list[dict[str, str]]
    area_order: list[list[str]]
    area_reason: list[dict[tuple[str, str], Reason]]
    prior_line: list[str]
    prior_reason: list[Reason]


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
                lr = math.exp(float(tab.area_log_lr[s][area][i]))
                params = {"area": area, "grade": g, "symptom": s}
                area_reason[s].setdefault(area, []).append(
                    Reason("area", area, lr, sources, params)
                )
        area_line[area] = texts
        area_rank[area] = ranks
    area_order = [
        sorted(area_rank, key=lambda a: (area_rank[a][i], a)) for i in range(len(tab.hyps))
    ]
    prior_line, prior_reason = [], []
    for hid in tab.hyps:
        p = ev.priors[hid]
        prior_line.append(f"Before any evidence: relative frequency {p.value:g} {cite(p.sources)}")
        prior_reason.append(Reason("prior", hid, p.value, p.sources))
    n = range(len(tab.hyps))
    return Lines(
        [{a: texts[i] for a, texts in area_line.items()} for i in n],
        area_order,
        [{(sy, a): r[i] for sy, per in area_reason.items() for a, r in per.items()} for i in n],
        prior_line,
        prior_reason,
    )


@cache
def _row_text(row: Row, values: tuple[tuple[str, Any], ...]) -> tuple[str, Reason]:
    what = "; ".join(names.finding_text(k, v) for k, v in values)
    line = f"{what}: likelihood ratio {row.lr:g} {cite(row.sources)}"
    return line, Reason("finding", row.id, row.lr, row.sources, dict(values))


def _row_values(
    row: Row, facts: dict[str, object], other: dict[str, object]
) -> tuple[tuple[str, Any], ...]:
    """The values that made ``row`` hold (for a both-sides key, this side's value)."""
    return tuple((key, facts.get(key.removeprefix("both_sides:"))) for key, _allowed in row.when)


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
    probs = res.probs.tolist()
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
    marked = {m.area for m in res.marks}
    marks = list(dict.fromkeys((m.symptom.value, m.area) for m in res.marks))
    rows = [(row, _row_text(row, _row_values(row, facts, other))) for row in res.rows]
    drawing = ev.drawing
    drawing_cite = cite(drawing.sources)
    out: list[Hypothesis] = []
    for i in listed:
        hid = tab.hyps[i]
        p = probs[i]
        evidence_lines = [ex.prior_line[i]]
        reasons = [ex.prior_reason[i]]
        if marks:
            d = math.exp(float(res.drawing[i]))
            evidence_lines.append(
                f"The drawing as a whole: likelihood ratio {d:.2g}, counted once {drawing_cite}"
            )
            reasons.append(Reason("drawing", "drawing", d, drawing.sources))
            area_line = ex.area_line[i]
            evidence_lines += [area_line[a] for a in ex.area_order[i] if a in marked]
            area_reason = ex.area_reason[i]
            reasons += [area_reason[k] for k in marks]
        for row, (line, reason) in rows:
            if hid in row.hypotheses:
                evidence_lines.append(line)
                reasons.append(reason)
        sources = sorted_reference_ids(set().union(*(r.sources for r in reasons)))
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
