"""The evidence table (``assets/clinical/evidence.json``), read and checked for the engine.

Every number the engine uses is a row there with its sources and how it was obtained; this
module only reads the rows, expands hypothesis groups and refuses a malformed table with a
message naming the row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from core import clinical, zones
from core.assets import load_json
from core.model import LocalCauseSite

UNEXPLAINED = "unexplained"
"""The residual hypothesis: none of the roots or nerves (not radicular, or a central cause)."""

GRADES = ("core", "shared", "occasional", "outside")
KINDS = ("roots", "nerves", "polyneuropathy")
SYMPTOMS = ("numbness", "tingling", "pain")
BASES = ("published_lr", "derived", "published_frequency", "project_estimate")


@dataclass(frozen=True)
class Row:
    """One likelihood-ratio row: when every ``when`` key has one of its values, the odds of
    each of ``hypotheses`` are multiplied by ``lr``."""

    id: str
    when: tuple[tuple[str, frozenset[Any]], ...]
    hypotheses: tuple[str, ...]
    lr: float
    basis: str
    sources: tuple[str, ...]
    note: str
    scope: frozenset[str] = frozenset()
    """Condition keys that only delimit where the row holds ("a local cause anywhere but the
    knee"): the explanations never name them as evidence."""

    @cached_property
    def hypothesis_set(self) -> frozenset[str]:
        return frozenset(self.hypotheses)


@dataclass(frozen=True)
class Cited:
    """A number with its basis and sources (priors, outside shares, the drawing rule, ...)."""

    value: float
    basis: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Evidence:
    priors: dict[str, Cited]
    density: dict[str, float]  # grade -> relative density inside a territory
    density_cited: Cited
    outside: dict[tuple[str, str], Cited]  # (kind, symptom) -> share of marks outside
    spill_neighbours: float  # share of a root's outside marks in its neighbours' territories
    spill_caudal: float  # of that, the share in the next lower root's territory
    spill_not_into: frozenset[str]  # areas no root's outside marks are spilled into
    spill_cited: Cited
    course_share: float  # share of a nerve's outside marks of these symptoms along its course
    course_symptoms: frozenset[str]
    drawing: Cited
    rows: tuple[Row, ...]
    labels: tuple[tuple[float, str], ...]  # (minimum probability, label), highest first
    min_probability: float
    min_per_side: int
    max_per_side: int
    polyneuropathy_territory: dict[str, str]
    polyneuropathy_sources: tuple[str, ...]
    patterns: dict[str, Cited]
    proximal_areas: frozenset[str]  # above the knee (pattern:pain_distal_only)
    stocking_feet: frozenset[str]  # foot areas a stocking pattern needs on each side
    stocking_toes: frozenset[
        str
    ]  # with the dorsal areas, the forefoot a foot-only stocking reaches
    stocking_dorsal: frozenset[str]
    stocking_plantar: frozenset[str]
    stocking_leg_round: tuple[frozenset[str], ...]  # opposite aspects of the lower leg
    myotome_roots: dict[str, frozenset[str]]  # movement -> the roots that supply it
    myotome_nerves: dict[str, frozenset[str]]  # movement -> the modelled nerves that supply it
    poly_thigh: frozenset[str]  # thigh movements of pattern:polyradiculoneuropathy
    poly_leg: frozenset[str]  # leg and foot movements of that pattern

    def row(self, row_id: str) -> Row:
        """The row called ``row_id`` (``KeyError`` if none)."""
        return _rows_by_id()[row_id]


def _cited(d: dict[str, Any], key: str, where: str) -> Cited:
    if d.get("basis") not in BASES:
        raise ValueError(f"evidence.json: {where}: unknown basis {d.get('basis')!r}")
    value = float(d[key])
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"evidence.json: {where}: {key} must be a positive number")
    if not d.get("sources"):
        raise ValueError(f"evidence.json: {where}: no sources")
    return Cited(value, d["basis"], tuple(d["sources"]), d.get("note", ""))


def _expand(names: list[str], groups: dict[str, list[str]], where: str) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        if name.startswith("group:"):
            group = groups.get(name[6:])
            if group is None:
                raise ValueError(f"evidence.json: {where}: unknown group {name!r}")
            out.extend(group)
        else:
            out.append(name)
    return tuple(dict.fromkeys(out))


def _myotome_rows(table: dict[str, Any], groups: dict[str, list[str]]) -> list[Row]:
    """Rows generated from the myotome table: weakness of a movement lowers every nerve that
    does not supply it (and, less, every root outside its myotome)."""
    c = _cited({**table, "value": 1.0}, "value", "myotomes")
    above = table["site_supply"]
    _cited({**above, "value": 1.0}, "value", "myotomes.site_supply")
    sites = {str(s) for s in LocalCauseSite}
    if set(above["sites"]) - sites:
        raise ValueError(f"evidence.json: myotomes.site_supply: unknown sites {above['sites']}")
    rows = []
    for movement, supply in table["movements"].items():
        when = ((f"strength:{movement}", frozenset({"weak"})),)
        nerves = tuple(h for h in groups["nerves"] if h.split(":", 1)[1] not in supply["nerves"])
        # a nerve caught above the branches to a muscle supplies it: with a local cause at that
        # site its weakness is no finding outside the nerve
        for site, by_nerve in above["sites"].items():
            spared = tuple(h for h in nerves if movement in by_nerve.get(h.split(":", 1)[1], ()))
            if spared:
                # one site per nerve and movement: a second would need both left out of the row
                nerves = tuple(h for h in nerves if h not in spared)
                elsewhere = ("history:local_cause_site", frozenset({None, *sites} - {site}))
                note = (
                    f"{movement.replace('_', ' ')} weakness is outside these nerves unless a "
                    f"local cause acts at the {site} (no site recorded included)"
                )
                rows.append(
                    Row(
                        f"weak_{movement}_outside_nerves_except_at_{site}",
                        (*when, elsewhere),
                        spared,
                        table["outside_nerve_lr"],
                        above["basis"],
                        tuple(above["sources"]),
                        note,
                        frozenset({elsewhere[0]}),
                    )
                )
        order = groups["roots"]
        own = [order.index(r) for r in supply["roots"]]
        # a root next to the myotome may be in it on another chart (myotomes overlap); a root
        # two or more segments away is not, and falls as far as a nerve outside the muscle
        near = tuple(r for r in order if min(abs(order.index(r) - i) for i in own) == 1)
        far = tuple(r for r in order if min(abs(order.index(r) - i) for i in own) > 1)
        distal = movement in table["polyneuropathy_movements"]
        poly = () if distal else ("polyneuropathy",)
        for kind, hyps, lr in (
            ("nerves", nerves, table["outside_nerve_lr"]),
            ("roots", near, table["outside_root_lr"]),
            ("far_roots", far, table["outside_far_root_lr"]),
            ("polyneuropathy", poly, table["outside_polyneuropathy_lr"]),
        ):
            if not hyps:
                continue
            note = f"{movement.replace('_', ' ')} weakness is outside the muscles of these {kind}"
            rows.append(
                Row(f"weak_{movement}_outside_{kind}", when, hyps, lr, c.basis, c.sources, note)
            )
        # a muscle a root does not supply is not paralysed by that root: graded at or below
        # severe_max_grade outside its myotome, the root falls as far as a nerve would
        severe = ((f"grade:{movement}", frozenset(range(table["severe_max_grade"] + 1))),)
        lr = table["outside_nerve_lr"] / table["outside_root_lr"]
        note = f"{movement.replace('_', ' ')} too weak to move against gravity for these roots"
        rows.append(
            Row(f"severe_{movement}_outside_roots", severe, near, lr, c.basis, c.sources, note)
        )
    return rows


def _key_point_rows(table: dict[str, Any], poly: dict[str, str]) -> list[Row]:
    """Rows generated from the sensory key points (their areas in roots.json) and the skin
    territories (nerves.json, ``polyneuropathy_territory``): reduced sensation at a key point
    lowers every nerve whose skin does not hold the point, and a polyneuropathy when the point
    lies above its stocking."""
    c = _cited({**table, "value": 1.0}, "value", "key_points")
    nerves = clinical.nerves()
    rows = []
    for point in table["points"]:
        area = clinical.roots()[point].key_point_area
        if area is None:
            raise ValueError(f"evidence.json: key_points: {point} has no key point area")
        when = ((f"sensation:{point}", frozenset({"reduced"})),)
        # a length-dependent loss reaches a proximal point only after the foot's: it argues
        # against a polyneuropathy only while the foot's own key point is normal
        foot = ((f"sensation:{table['foot_point']}", frozenset({"normal"})),)
        outside = tuple(f"peripheral:{n}" for n, nerve in nerves.items() if not nerve.grade(area))
        for kind, hyps, lr, cond in (
            ("nerves", outside, table["outside_nerve_lr"], when),
            (
                "polyneuropathy",
                () if area in poly else ("polyneuropathy",),
                table["outside_polyneuropathy_lr"],
                when + foot,
            ),
        ):
            if hyps:
                where = area.replace("_", " ")
                whose = "of these nerves" if kind == "nerves" else "of a polyneuropathy's stocking"
                note = f"the {point} key point ({where}) lies outside the skin {whose}"
                rows.append(
                    Row(f"reduced_{point}_outside_{kind}", cond, hyps, lr, c.basis, c.sources, note)
                )
    return rows


AGE_BAND = "history:age_band"
"""The fact that places the age against ``patterns.ankle_reflex_age``: ``under_60`` or
``from_60`` (:func:`age_band`)."""


def age_band(age: int | None) -> str | None:
    """``under_60`` or ``from_60`` for an age below or from ``patterns.ankle_reflex_age`` (60:
    from that age healthy people often lack their ankle reflexes, R110); ``None`` when the age
    is not recorded."""
    if age is None:
        return None
    edge = int(evidence().patterns["ankle_reflex_age"].value)
    return f"under_{edge}" if age < edge else f"from_{edge}"


@cache
def evidence() -> Evidence:
    """The evidence table, checked (``ValueError`` naming the row if malformed)."""
    data = load_json("clinical/evidence.json")
    groups: dict[str, list[str]] = data["groups"]
    priors = {
        p["hypothesis"]: _cited(p, "weight", f"prior {p['hypothesis']}") for p in data["priors"]
    }
    if len(priors) != len(data["priors"]):
        raise ValueError("evidence.json: a hypothesis has two priors")
    if UNEXPLAINED not in priors:
        raise ValueError("evidence.json: no prior for the residual hypothesis 'unexplained'")
    terr = data["territory"]
    density = {g: float(terr["density"][g]) for g in GRADES[:3]}
    outside: dict[tuple[str, str], Cited] = {}
    for o in data["outside_share"]:
        where = f"outside share {o['applies_to']}/{o['symptom']}"
        if o["applies_to"] not in KINDS or o["symptom"] not in SYMPTOMS:
            raise ValueError(f"evidence.json: {where}: unknown kind or symptom")
        c = _cited(o, "value", where)
        if c.value >= 1:
            raise ValueError(f"evidence.json: {where}: a share must be below 1")
        outside[(o["applies_to"], o["symptom"])] = c
    missing = [(k, s) for k in KINDS for s in SYMPTOMS if (k, s) not in outside]
    if missing:
        raise ValueError(f"evidence.json: outside shares missing for {missing}")
    rows = []
    seen: set[str] = set()
    for r in data["findings"]:
        rid = r["id"]
        if rid in seen:
            raise ValueError(f"evidence.json: finding row {rid} appears twice")
        seen.add(rid)
        c = _cited(r, "lr", f"finding row {rid}")
        when = tuple((k, frozenset(v)) for k, v in r["when"].items())
        scope = frozenset(r.get("scope", ()))
        if not scope <= dict(when).keys() or dict(when).keys() <= scope:
            raise ValueError(f"evidence.json: row {rid}: scope names some, not all, of its keys")
        rows.append(
            Row(
                rid,
                when,
                _expand(r["hypotheses"], groups, rid),
                c.value,
                c.basis,
                c.sources,
                c.note,
                scope,
            )
        )
    rows.extend(_myotome_rows(data["myotomes"], groups))
    rows.extend(_key_point_rows(data["key_points"], data["polyneuropathy_territory"]["areas"]))
    labels = tuple(
        sorted(((float(t["min"]), t["label"]) for t in data["labels"]["thresholds"]), reverse=True)
    )
    poly = data["polyneuropathy_territory"]
    patterns = {k: _cited(v, "value", f"pattern {k}") for k, v in data.get("patterns", {}).items()}
    extent = data["drawing_extent"]
    _cited({**extent, "value": 1.0}, "value", "drawing_extent")  # its basis and sources
    proximal = frozenset(extent["proximal_areas"])
    unknown = sorted(proximal - set(zones.areas()))
    if unknown:
        raise ValueError(f"evidence.json: drawing_extent: unknown areas {unknown}")
    course = _cited(data["nerve_course"], "share", "nerve_course")
    if course.value >= 1 or set(data["nerve_course"]["symptoms"]) - set(SYMPTOMS):
        raise ValueError("evidence.json: nerve_course: a share below 1 and known symptoms")
    prn = data["polyradiculoneuropathy"]
    _cited({**prn, "value": 1.0}, "value", "polyradiculoneuropathy")
    moved = set(prn["thigh_movements"]) | set(prn["leg_movements"])
    if moved - set(data["myotomes"]["movements"]):
        raise ValueError(
            "evidence.json: polyradiculoneuropathy: unknown movements "
            f"{sorted(moved - set(data['myotomes']['movements']))}"
        )
    edge = int(patterns["ankle_reflex_age"].value)
    bands = (f"under_{edge}", f"from_{edge}")
    for row in rows:
        for key, allowed in row.when:
            if key.removeprefix("both_sides:") == AGE_BAND and not allowed <= {*bands, None}:
                raise ValueError(f"evidence.json: row {row.id}: {AGE_BAND} reads {bands}")
    stocking = data["patterns"]["stocking"]
    feet = frozenset(stocking["feet"])
    if not set(stocking["toes"]) | set(stocking["dorsal"]) | set(stocking["plantar"]) <= feet:
        raise ValueError("evidence.json: stocking: toes, dorsal and plantar must be foot areas")
    if not {a for pair in stocking["leg_round"] for a in pair} <= set(zones.areas()) - feet:
        raise ValueError("evidence.json: stocking: leg_round must name lower-leg areas")
    if feet - set(zones.areas()):
        raise ValueError(
            f"evidence.json: stocking: unknown areas {sorted(feet - set(zones.areas()))}"
        )
    return Evidence(
        priors=priors,
        density=density,
        density_cited=_cited({**terr, "value": 1.0}, "value", "territory"),
        outside=outside,
        spill_neighbours=float(data["root_spill"]["neighbours"]),
        spill_caudal=float(data["root_spill"]["caudal"]),
        spill_not_into=frozenset(data["root_spill"].get("not_into", ())),
        spill_cited=_cited({**data["root_spill"], "value": 1.0}, "value", "root spill"),
        course_share=course.value,
        course_symptoms=frozenset(data["nerve_course"]["symptoms"]),
        drawing=_cited({**data["drawing"], "value": 1.0}, "value", "drawing"),
        rows=tuple(rows),
        labels=labels,
        min_probability=float(data["listing"]["min_probability"]),
        min_per_side=int(data["listing"]["min_per_side"]),
        max_per_side=int(data["listing"]["max_per_side"]),
        polyneuropathy_territory=dict(poly["areas"]),
        polyneuropathy_sources=tuple(poly["sources"]),
        patterns=patterns,
        proximal_areas=proximal,
        stocking_feet=feet,
        stocking_toes=frozenset(stocking["toes"]),
        stocking_dorsal=frozenset(stocking["dorsal"]),
        stocking_plantar=frozenset(stocking["plantar"]),
        stocking_leg_round=tuple(frozenset(pair) for pair in stocking["leg_round"]),
        myotome_roots={
            m: frozenset(supply["roots"]) for m, supply in data["myotomes"]["movements"].items()
        },
        myotome_nerves={
            m: frozenset(supply["nerves"]) for m, supply in data["myotomes"]["movements"].items()
        },
        poly_thigh=frozenset(prn["thigh_movements"]),
        poly_leg=frozenset(prn["leg_movements"]),
    )


@cache
def _rows_by_id() -> dict[str, Row]:
    return {r.id: r for r in evidence().rows}


def label_for(probability: float) -> str:
    """The label of a probability: fixed thresholds, the same on either leg and in every case,
    applied to the probability as it is shown, a whole percent (0.2496 reads "25%", "possible")."""
    shown = round(probability * 100)
    for minimum, label in evidence().labels:
        if shown >= round(minimum * 100):
            return label
    return evidence().labels[-1][1]
