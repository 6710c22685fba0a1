"""A side's listed hypotheses with their reasons (structured) and evidence lines (words)."""

from __future__ import annotations

import math
from functools import cache

from core import clinical, names
from core.clinical import cite
from core.engine.evidence import Row, evidence, label_for
from core.engine.posterior import SideMark, SideResult
from core.engine.tables import Table
from core.model import Hypothesis, Label, Reason

GRADE_ORDER = ("core", "shared", "occasional", "outside")
GRADE_PHRASES = {
    "core": "Core of {whose} territory",
    "shared": "Shared part of {whose} territory",
    "occasional": "Edge of {whose} territory",
    "outside": "Outside {whose} territory",
}
WHOSE = {"roots": "this root's", "nerves": "this nerve's", "polyneuropathy": "a stocking"}


@cache
def _area_name(area: str) -> str:
    return names.area_name(area).lower()


def _kind(hid: str) -> str:
    if names.is_root(hid):
        return "roots"
    if names.is_nerve(hid):
        return "nerves"
    return "polyneuropathy"


def _territory_sources(tab: Table, hid: str, areas: list[str]) -> tuple[str, ...]:
    if names.is_root(hid):
        out: list[str] = []
        for a in areas:
            out.extend(tab.atlas.sources_of(a))
        return tuple(dict.fromkeys(out))
    if names.is_nerve(hid):
        nerve = clinical.nerves().get(names.nerve_id(hid))
        return tuple(nerve.sources) if nerve is not None else ()
    return evidence().polyneuropathy_sources


def res_lr(tab: Table, mark: SideMark, i: int) -> float:
    return float(tab.area_log_lr[mark.symptom.value][mark.area][i])


def _area_reasons(tab: Table, hid: str, res: SideResult) -> list[tuple[Reason, str]]:
    i = tab.index[hid]
    kind = _kind(hid)
    by_grade: dict[str, list[str]] = {}
    for m in res.marks:
        if m.area in tab.unassigned and kind == "roots":
            continue
        g = tab.area_grades[m.area].get(i, "outside")
        areas = by_grade.setdefault(g, [])
        if m.area not in areas:
            areas.append(m.area)
    out = []
    for g in GRADE_ORDER:
        areas = by_grade.get(g, [])
        if not areas:
            continue
        lrs = [math.exp(res_lr(tab, m, i)) for m in res.marks if m.area in areas]
        lr = math.exp(sum(math.log(x) for x in lrs) / len(lrs))
        words = GRADE_PHRASES[g].format(whose=WHOSE[kind])
        if kind == "roots":
            words += f" on the {tab.atlas.name} map"
        if g == "outside":
            shares = (evidence().outside[(kind, m.symptom.value)] for m in res.marks)
            sources = tuple(dict.fromkeys(src for c in shares for src in c.sources))
        else:
            sources = _territory_sources(tab, hid, areas)
        listed = ", ".join(_area_name(a) for a in areas)
        line = f"{words}: {listed} (likelihood ratio {lr:.2g}) {cite(sources)}"
        reason = Reason("areas", g, lr, sources, {"areas": areas, "grade": g})
        out.append((reason, line))
    return out


def _row_value(row: Row, facts: dict[str, object], other: dict[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for key, _allowed in row.when:
        k = key.removeprefix("both_sides:")
        values[key] = facts.get(k) if k == key else other.get(k, facts.get(k))
    return values


def _row_line(row: Row, values: dict[str, object]) -> str:
    what = "; ".join(names.finding_text(k, v) for k, v in values.items())
    return f"{what}: likelihood ratio {row.lr:g} {cite(row.sources)}"


def hypotheses(
    tab: Table,
    side: str,
    res: SideResult,
    facts: dict[str, object],
    other: dict[str, object],
) -> list[Hypothesis]:
    """The side's listed hypotheses, most probable first (the residual is never listed)."""
    ev = evidence()
    order = sorted(range(len(tab.hyps)), key=lambda i: -res.probs[i])
    out: list[Hypothesis] = []
    for i in order:
        hid = tab.hyps[i]
        p = float(res.probs[i])
        if len(out) >= ev.max_per_side or p <= 0:
            break
        if p < ev.min_probability and len(out) >= ev.min_per_side:
            break
        if hid == "unexplained":
            continue
        prior = ev.priors[hid]
        reasons: list[Reason] = [Reason("prior", hid, prior.value, prior.sources)]
        lines = [f"Before any evidence: relative frequency {prior.value:g} {cite(prior.sources)}"]
        if res.marks:
            d = ev.drawing
            reasons.append(Reason("drawing", "drawing", math.exp(res.drawing[i]), d.sources))
            lines.append(
                f"The drawing as a whole: likelihood ratio {math.exp(res.drawing[i]):.2g}, "
                f"counted once {cite(d.sources)}"
            )
            for reason, line in _area_reasons(tab, hid, res):
                reasons.append(reason)
                lines.append(line)
        for row in res.rows:
            if hid in row.hypotheses:
                values = _row_value(row, facts, other)
                reasons.append(Reason("finding", row.id, row.lr, row.sources, values))
                lines.append(_row_line(row, values))
        sources = tuple(dict.fromkeys(s for r in reasons for s in r.sources))
        out.append(
            Hypothesis(
                id=hid,
                side=side,
                score=p,
                label=Label(label_for(p)),
                evidence=tuple(lines),
                sources=sources,
                probability=p,
                reasons=tuple(reasons),
            )
        )
    return out
