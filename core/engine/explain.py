"""A side's listed hypotheses with their reasons (structured) and evidence lines (words).

Everything that depends only on the atlas (each area's line and reason for each hypothesis) or
only on the evidence table (priors, exam rows) is made once and reused; an analysis only picks
them and adds the one line that depends on the whole drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from itertools import chain
from typing import Any

from core import clinical, names
from core.clinical import cite, sorted_reference_ids
from core.engine.evidence import SYMPTOMS, UNEXPLAINED, Row, evidence, label_for
from core.engine.facts import condition
from core.engine.posterior import SideResult
from core.engine.tables import Table, table
from core.results import Explanation, Hypothesis, Label, Reason, Why

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
    inside, the outside line's lead words and sources, the prior's line and reason. Made the
    first time the hypothesis is explained under the atlas."""

    area_line: dict[str, str]
    area_rank: dict[str, tuple[int, str]]  # areas inside (or unassigned) -> sort key, core first
    area_reason: dict[tuple[str, str], Reason]
    outside_lead: str
    outside_sources: tuple[str, ...]
    outside_cite: str
    spread_lead: str  # the same for a root when the outside marks favour it (likelihood ratio > 1)
    spread_sources: tuple[str, ...]
    spread_cite: str
    prior_line: str
    prior_reason: Reason


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
    # a root's marks outside its territory fall most often in its neighbours' (root_spill), so
    # marks there can favour it: say so, or "outside" would read as evidence against it
    # and a nerve's pain falls partly along its course (nerve_course): the same there
    if kind == "nerves":
        spread = lead + ", along its course, where its pain is often felt"
        course = clinical.nerves()[names.nerve_id(hid)].course_sources
        spread_sources = tuple(dict.fromkeys((*outside_sources, *course)))
    else:
        spread = lead + ", in a neighbouring root's, where its symptoms often spread"
        spread_sources = tuple(dict.fromkeys((*outside_sources, *ev.spill_cited.sources)))
    prior = ev.priors[hid]
    prior_reason = Reason("prior", hid, prior.value, prior.sources)
    return Lines(
        area_line=area_line,
        area_rank={a: (r, a) for a, r in rank.items()},
        area_reason=area_reason,
        outside_lead=lead[0].upper() + lead[1:],
        outside_sources=outside_sources,
        outside_cite=cite(outside_sources),
        spread_lead=spread[0].upper() + spread[1:],
        spread_sources=spread_sources,
        spread_cite=cite(spread_sources),
        prior_line=f"Before any evidence: relative frequency {prior.value:g} {cite(prior.sources)}",
        prior_reason=prior_reason,
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
    what = names.semicolon_line(names.sign_phrases(values))
    line = f"{what}: likelihood ratio {row.lr:g} {cite(row.sources)}"
    return line, Reason("finding", row.id, row.lr, row.sources, dict(values))


def _compare_min() -> float:
    """A difference between two hypotheses worth naming, as a log ratio: the factor of
    ``patterns.conflict_exam_min_ratio`` (2) or more, the one value for both uses."""
    return math.log(evidence().patterns["conflict_exam_min_ratio"].value)


COMPARE_MAX = 3
"""At most this many differences are named, the largest first."""


def _ratio(x: float) -> str:
    """A ratio in words: ``2.3``, ``9``, ``25``, ``1,200``."""
    return f"{x:.2g}" if x < 10 else f"{round(x):,}"


@cache
def _row_keys(row_id: str) -> tuple[tuple[str, str, str, bool], ...]:
    """(key as written, the fact it reads, on which side, whether a missing finding also
    meets it alongside a recorded value: a filter such as "femoral stretch test negative or not
    recorded") for each condition of the row."""
    out = []
    row = evidence().row(row_id)
    for key, allowed in row.when:
        if key in row.scope:  # where the row holds, not a finding of its own
            continue
        fact, _allowed, where = condition(key, allowed)
        out.append((key, fact, where, None in allowed and len(allowed) > 1))
    return tuple(out)


def _row_values(
    row: Row, facts: dict[str, object], other: dict[str, object]
) -> tuple[tuple[str, Any], ...]:
    """The value of each fact the row reads: this side's, or the other side's for an
    ``other_side:`` condition; a ``both_sides:`` condition gives this side's, and the other
    side's as ``other_side:<fact>`` when it differs (reduced here, absent there), so the words
    never say both legs are absent when one is reduced. A condition on this leg that a missing
    finding meets as well as a recorded one is left out when the finding is missing."""
    out = []
    keys = _row_keys(row.id)
    written = {key for key, _fact, _where, _filter in keys}
    for key, fact, where, is_filter in keys:
        value = (other if where == "other" else facts).get(fact)
        if is_filter and value is None and where == "this":
            continue  # not recorded on this leg: not a finding to name
        out.append((key, value))
        theirs = f"other_side:{fact}"
        if where == "both" and other.get(fact) != facts.get(fact) and theirs not in written:
            out.append((theirs, other.get(fact)))
    return tuple(out)


class SideExplainer:
    """Makes the explanation of each listed hypothesis of one side, when it is first read
    (:class:`core.results.Explanation`); what the side's hypotheses share is made once."""

    def __init__(
        self,
        tab: Table,
        res: SideResult,
        facts: dict[str, object],
        other: dict[str, object],
        top: int | None = None,
    ) -> None:
        self.tab = tab
        self.res = res
        self.facts = facts
        self.other = other  # the other side's facts (``other_side:`` conditions)
        self.top = top  # the side's most probable hypothesis (its index): the others say why
        self._rows: dict[str, tuple[str, Reason]] = {}
        self._values_of: dict[str, tuple[tuple[str, Any], ...]] = {}
        self._marked: set[str] | None = None

    def _row(self, row: Row) -> tuple[str, Reason]:
        """The row's line and reason, with the value of each fact it reads."""
        if row.id not in self._rows:
            self._rows[row.id] = _row_text(row.id, self._values(row))
        return self._rows[row.id]

    def why(self, i: int) -> Why:
        """(evidence lines, reasons, sources) of hypothesis ``i`` (its index in the table)."""
        tab, res = self.tab, self.res
        hid = tab.hyps[i]
        ex = lines(tab.atlas.id, i)
        evidence_lines = [ex.prior_line]
        reasons = [ex.prior_reason]
        marks = res.marks  # (symptom, area) -> weight
        if marks:
            if self._marked is None:
                self._marked = {area for _s, area in marks}
            d = math.exp(res.drawing[i])
            drawing = evidence().drawing
            evidence_lines.append(
                f"The drawing as a whole: likelihood ratio {d:.2g}, counted once "
                f"{cite(drawing.sources)}"
            )
            reasons.append(Reason("drawing", "drawing", d, drawing.sources))
            rank = ex.area_rank
            inside = sorted((a for a in self._marked if a in rank), key=rank.__getitem__)
            evidence_lines += [ex.area_line[a] for a in inside]
            area_reason = ex.area_reason
            reasons += [area_reason[k] for k in marks if k in area_reason]
            outside = [k for k in marks if k not in area_reason]
            if outside:
                log_lr = tab.log_lr
                # their mean as the drawing counts them: weighted by the marks' coverage
                weights = [marks[k] for k in outside]
                pairs = zip(weights, outside, strict=True)
                logs = [w * log_lr[sym][area][i] for w, (sym, area) in pairs]
                lr = math.exp(sum(logs) / sum(weights))
                areas = list(dict.fromkeys(area for _s, area in outside))
                names_out = ", ".join(_area_name(a) for a in areas)
                # "where its symptoms often spread" only for a ratio that reads above 1
                # ("(likelihood ratio 1)" followed it when 1.02 was shown as 1)
                spread = float(f"{lr:.2g}") > 1 and (names.is_root(hid) or names.is_nerve(hid))
                lead, cited = (
                    (ex.spread_lead, ex.spread_cite)
                    if spread
                    else (ex.outside_lead, ex.outside_cite)
                )
                sources = ex.spread_sources if spread else ex.outside_sources
                evidence_lines.append(f"{lead}: {names_out} (likelihood ratio {lr:.2g}) {cited}")
                reasons.append(Reason("outside", hid, lr, sources, {"areas": areas}))
        for row in res.rows:
            if hid in row.hypothesis_set:
                line, reason = self._row(row)
                evidence_lines.append(line)
                reasons.append(reason)
        if self.top is not None and i != self.top:
            compared = self._compared(i, self.top)
            if compared is not None:
                evidence_lines.append(compared[0])
                reasons.append(compared[1])
        used = frozenset(chain.from_iterable(r.sources for r in reasons))
        return tuple(evidence_lines), tuple(reasons), _sorted_sources(used)

    def _values(self, row: Row) -> tuple[tuple[str, Any], ...]:
        if row.id not in self._values_of:
            self._values_of[row.id] = _row_values(row, self.facts, self.other)
        return self._values_of[row.id]

    def _compared(self, i: int, top: int) -> tuple[str, Reason] | None:
        """Why hypothesis ``i`` ranks below the side's top: the (at most three) largest
        differences between them, each a factor of 2 or more for the top: the findings of
        the exam and history (rows reading the same findings count together, so only their net
        difference is named), the drawing, or how common each is. ``None`` when none is that
        large."""
        tab, res = self.tab, self.res
        p_top, p_i = res.probs[top], res.probs[i]
        if p_i <= 0 or p_top <= 0:
            return None
        by_findings: dict[tuple[tuple[str, Any], ...], _Factor] = {}
        exam = 0.0
        for row in res.rows:
            lrs = _row_lrs(tab.atlas.id, row.id)
            diff = lrs.get(top, 0.0) - lrs.get(i, 0.0)
            exam += diff
            if diff:
                raw = self._values(row)
                same = _same_finding(raw)
                f = by_findings.get(same)
                if f is None:  # put in words only if it is named
                    f = by_findings[same] = _Factor("finding", "", values=same)
                if any(k.startswith("both_sides:") for k, _v in raw):
                    f.values = raw  # "(both sides)", or "absent, reduced on the other leg"
                f.log_ratio += diff
                f.rows.append(row.id)
                f.sources.extend(row.sources)
        found = _net_shared(by_findings)
        ev = evidence()
        drawing = res.drawing[top] - res.drawing[i]
        found.append(_Factor("drawing", "the drawing", drawing, [], list(ev.drawing.sources)))
        prior = math.log(p_top / p_i) - drawing - exam  # what the priors make of the rest
        cited = [*ev.priors[tab.hyps[top]].sources, *ev.priors[tab.hyps[i]].sources]
        found.append(_Factor("prior", "how common each is", prior, [], cited))
        least = _compare_min()
        kept = sorted((f for f in found if f.log_ratio >= least), key=lambda f: -f.log_ratio)
        kept = kept[:COMPARE_MAX]
        if not kept:
            return None
        said = "; ".join(f"{f.text()} ({_ratio(math.exp(f.log_ratio))} to 1)" for f in kept)
        sources = tuple(dict.fromkeys(chain.from_iterable(f.sources for f in kept)))
        line = f"What puts {names.the_hypothesis(tab.hyps[top])} above it: {said} {cite(sources)}"
        factors = [f.to_dict() for f in kept]
        return line, Reason("compared", tab.hyps[top], p_i / p_top, sources, {"factors": factors})


def _same_finding(values: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    """This leg's findings that made a row hold, whatever the row read of the other leg: rows
    reading one finding count together ("Achilles reflex absent (5 to 1); Achilles reflex
    (both sides) absent (2 to 1)" named one finding twice, as two factors); the factor is
    named as a row reading both legs names it ("(both sides)"), when one does."""
    own = {
        # a movement's MRC grade is that movement's weakness, a reflex's loss that reflex
        (f"strength:{k.removeprefix('grade:')}" if k.startswith("grade:") else k).removeprefix(
            "both_sides:"
        ): ("weak" if k.startswith("grade:") else v)
        for k, v in values
        if not k.startswith(("other_side:", "loss:"))
    }
    return tuple(sorted(own.items())) or values


def _net_shared(by_findings: dict[tuple[tuple[str, Any], ...], _Factor]) -> list[_Factor]:
    """The findings' differences, those that read a finding in common counted together (a
    pair's row and a single row of one of its signs, e.g. the femoral stretch test with the
    patellar reflex against the patellar reflex alone): only their net is a difference."""
    groups: list[tuple[set[str], _Factor]] = []
    for same, f in by_findings.items():
        keys = {k for k, _v in same}
        for g in [g for g in groups if g[0] & keys]:
            groups.remove(g)
            keys |= g[0]
            f = _merged(g[1], f)
        groups.append((keys, f))
    return [f for _keys, f in groups]


def _merged(a: _Factor, b: _Factor) -> _Factor:
    """One factor of two: their ratios multiplied, each finding named once."""
    values: dict[str, tuple[str, Any]] = {}
    for k, v in (*a.values, *b.values):
        values.setdefault(k.removeprefix("both_sides:"), (k, v))
    return _Factor(
        "finding",
        "",
        a.log_ratio + b.log_ratio,
        [*a.rows, *b.rows],
        [*a.sources, *b.sources],
        tuple(values.values()),
    )


@cache
def _row_lrs(atlas_id: str, row_id: str) -> dict[int, float]:
    """The row's log likelihood ratio for each hypothesis it names (by index)."""
    out: dict[int, float] = {}
    for j, lr in table(atlas_id).row_log_lr[row_id]:
        out[j] = out.get(j, 0.0) + lr
    return out


@dataclass
class _Factor:
    """One difference between two hypotheses: ``kind`` ``finding`` (with its evidence rows),
    ``drawing`` or ``prior``; ``log_ratio`` is how much it favours the higher one."""

    kind: str
    words: str  # for a finding: its values, put in words by :meth:`text`
    log_ratio: float = 0.0
    rows: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    values: tuple[tuple[str, Any], ...] = ()

    def text(self) -> str:
        """The factor in words (a finding's, as the impression names signs)."""
        return ", ".join(names.sign_words(self.values)) if self.values else self.words

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "ratio": round(math.exp(self.log_ratio), 3)}
        if self.rows:
            out["rows"] = list(self.rows)
        return out


def hypotheses(
    tab: Table, side: str, res: SideResult, facts: dict[str, object], other: dict[str, object]
) -> list[Hypothesis]:
    """The side's listed hypotheses, most probable first (the residual is never listed); the
    explanation of each is made when it is first read."""
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
        if tab.hyps[i] != UNEXPLAINED:
            listed.append(i)
    explainer = SideExplainer(tab, res, facts, other, listed[0] if listed else None)
    return [
        Hypothesis(
            tab.hyps[i],
            side,
            probs[i],
            LABELS[label_for(probs[i])],
            probability=probs[i],
            explanation=Explanation(partial(explainer.why, i)),
        )
        for i in listed
    ]
