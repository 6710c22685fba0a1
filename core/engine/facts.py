"""What the evidence rows can ask about one side: exam findings, history and a few patterns,
as ``key -> value`` (keys as in ``assets/clinical/evidence.json``)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from core import clinical
from core.engine.evidence import AGE_BAND, Evidence, Row, age_band, evidence
from core.model import (
    HISTORY_BOOLEANS,
    SIDES,
    Clonus,
    Findings,
    Movement,
    PlantarResponse,
    Reflex,
    ReflexGrade,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
    sensation_reduced,
)

DOWN = (ReflexGrade.REDUCED, ReflexGrade.ABSENT)
FOOT_DROP = (Movement.ANKLE_DORSIFLEXION, Movement.GREAT_TOE_EXTENSION)


def _foot_drop(
    strength: Mapping[Movement, Strength], grades: Mapping[Movement, int]
) -> bool | None:
    """Foot drop: weak ankle dorsiflexion (tibialis anterior) graded at or below the evidence
    pattern ``foot_drop_max_grade`` (R101, R96), or weak without a grade. Graded above it (4):
    weakness, not foot drop, and not its absence either (unknown). Dorsiflexion and toe
    extension recorded and not weak: no foot drop. Weak toe extension alone is not foot drop
    (the L5 key muscle weakens first in a root lesion): unknown then, as when neither was
    recorded."""
    recorded = [strength[m] for m in FOOT_DROP if m in strength]
    if strength.get(Movement.ANKLE_DORSIFLEXION) is Strength.WEAK:
        grade = grades.get(Movement.ANKLE_DORSIFLEXION)
        worst = evidence().patterns["foot_drop_max_grade"].value
        return True if grade is None or grade <= worst else None
    if recorded and Strength.WEAK not in recorded:
        return False
    return None


def umn_signs(f: Findings, side: Side) -> list[tuple[str, Any]]:
    """Upper motor neuron signs on ``side``: brisk reflexes, an extensor plantar response,
    clonus (as ``(key, value)`` pairs)."""
    signs: list[tuple[str, Any]] = [
        (f"reflex:{r}", str(g))
        for r, g in f.reflexes.get(side, {}).items()
        if g is ReflexGrade.BRISK
    ]
    if f.plantar_response.get(side) is PlantarResponse.EXTENSOR:
        signs.append(("plantar_response", PlantarResponse.EXTENSOR.value))
    if f.clonus.get(side) is Clonus.PRESENT:
        signs.append(("clonus", Clonus.PRESENT.value))
    return signs


def acute_poly_days(f: Findings) -> int | None:
    """The onset in days of weakness with a reduced or absent reflex on both legs, when it
    began within ``acute_polyradiculoneuropathy_days`` (an evidence pattern); else None."""
    days = f.history.onset_days
    if days is None or days >= evidence().patterns["acute_polyradiculoneuropathy_days"].value:
        return None
    reduced = (ReflexGrade.REDUCED, ReflexGrade.ABSENT)
    both = all(any(g in reduced for g in f.reflexes.get(s, {}).values()) for s in SIDES)
    return days if both and weak_both_legs(f) else None


def weak_both_legs(f: Findings) -> bool:
    """Weakness found on both legs (any movement on each)."""
    return all(Strength.WEAK in f.strength.get(s, {}).values() for s in SIDES)


TINEL = frozenset(t for t in Test if t.value.startswith("tinel_"))
"""Tinel's sign at each entrapment site."""
_KEYS: dict[StrEnum, str] = {
    **{r: f"reflex:{r.value}" for r in Reflex},
    **{m: f"strength:{m.value}" for m in Movement},
    **{t: f"test:{t.value}" for t in Test},
}
"""Each reflex, movement and test -> the fact key the evidence rows ask about."""


def side_facts(
    f: Findings, side: Side, drawing: dict[str, Any] | None, age: int | None = None
) -> dict[str, Any]:
    """Facts of ``side``; ``drawing`` holds the patterns of its marks (:func:`drawing_patterns`;
    ``None`` or empty when this side has no marks); ``age``: the patient's age (the history's,
    else the visit's), read as its band (:func:`age_band`)."""
    keys = _KEYS
    reflexes = f.reflexes.get(side, {})
    strength = f.strength.get(side, {})
    facts: dict[str, Any] = {keys[r]: g for r, g in reflexes.items()}
    facts.update((keys[m], v) for m, v in strength.items())
    facts.update((f"grade:{m.value}", g) for m, g in f.grades.get(side, {}).items())
    facts.update((keys[t], v) for t, v in f.tests.get(side, {}).items())
    h = f.history
    other_leg = h.local_cause_side is not None and h.local_cause_side is not side
    for name in HISTORY_BOOLEANS:
        value = getattr(h, name)
        if value is not None and not (other_leg and name == "local_cause"):
            facts[f"history:{name}"] = value
    band = age_band(age)
    if band is not None:
        facts[AGE_BAND] = band
    # a cast on one leg spares the other; a site beside "no local cause" is no local cause (an
    # interface review: the site's row, 9, still counted)
    if h.local_cause_site is not None and not other_leg and h.local_cause is not False:
        facts["history:local_cause_site"] = h.local_cause_site
    for point, scores in f.sensation.get(side, {}).items():
        if scores:
            facts[f"sensation:{point}"] = "reduced" if sensation_reduced(scores) else "normal"
    plantar = f.plantar_response.get(side)
    if plantar is not None:
        facts["plantar_response"] = plantar
    clonus = f.clonus.get(side)
    if clonus is not None:
        facts["clonus"] = clonus
    if strength:
        drop = _foot_drop(strength, f.grades.get(side, {}))
        if drop is not None:
            facts["pattern:foot_drop"] = drop
        facts["pattern:any_weakness"] = Strength.WEAK in strength.values()
        if weakness_of_no_one_lesion(strength):
            facts["pattern:weakness_of_no_one_lesion"] = True
    loss = _reflex_loss(reflexes, f.reflexes.get(OTHER[side], {}))
    if reflexes:
        # ankle reflexes low on both legs from the age at which healthy people often lack them
        # (R110) are no sign of a lesion
        older = band is not None and band.startswith("from_")
        aged = older and loss.get("loss:achilles") == "both_legs"
        facts["pattern:any_reflex_down"] = any(
            g in DOWN for r, g in reflexes.items() if not (aged and r is Reflex.ACHILLES)
        )
    facts.update(loss)
    if any(
        t in TINEL and v == TestResult.POSITIVE and _tinel_over_marks(t, drawing)
        for t, v in f.tests.get(side, {}).items()
    ):
        facts["pattern:tinel_positive"] = True
    if drawing:
        facts.update(drawing)
    if umn_signs(f, side):
        facts["pattern:umn_signs"] = True
    if acute_poly_days(f) is not None:
        facts["pattern:acute_polyradiculoneuropathy"] = True
    if polyradiculoneuropathy_pattern(f):
        facts["pattern:polyradiculoneuropathy"] = True
    return facts


ROOT_TENSION = (
    Test.STRAIGHT_LEG_RAISE,
    Test.CROSSED_STRAIGHT_LEG_RAISE,
    Test.FEMORAL_STRETCH,
    Test.CROSSED_FEMORAL_STRETCH,
)
"""The root tension tests."""


def root_tension(f: Findings, sides: tuple[Side, ...] = SIDES) -> bool:
    """A root tension test positive on one of ``sides`` (either leg unless given): a compressed
    root's sign."""
    return any(
        f.tests.get(s, {}).get(t) is TestResult.POSITIVE for s in sides for t in ROOT_TENSION
    )


def weakness_of_no_one_lesion(strength: Mapping[Movement, Strength]) -> bool:
    """Weak movements on one leg that no one root and no one modelled nerve supplies (their
    myotomes share no root, and no nerve of myotomes.movements supplies them all): several
    roots, a plexus, the cord or a weakness without a lesion, which the residual holds."""
    weak = {m.value for m, v in strength.items() if v is Strength.WEAK}
    if len(weak) < 2:
        return False
    return not _supplying(weak, evidence().myotome_roots) and not _supplying(
        weak, evidence().myotome_nerves
    )


def _supplying(weak: set[str], supply: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """The roots (or nerves) that supply every one of the ``weak`` movements (``supply``: the
    myotome table's movement -> roots, or -> nerves)."""
    return frozenset.intersection(*(supply[m] for m in weak))


def polyradiculoneuropathy_pattern(f: Findings) -> bool:
    """Weakness of a thigh muscle and a leg or foot muscle (evidence.json's
    ``polyradiculoneuropathy``) on both legs that no one root supplies (the weak movements'
    myotomes share no root), with a reduced or absent reflex on both: a polyradiculoneuropathy
    such as CIDP (R106), or Guillain-Barre syndrome when recent. Weak quadriceps and tibialis
    anterior share L4, so they are not one."""
    ev = evidence()
    for s in SIDES:
        weak = {m.value for m, v in f.strength.get(s, {}).items() if v is Strength.WEAK}
        down = any(g in DOWN for g in f.reflexes.get(s, {}).values())
        if not (weak & ev.poly_thigh and weak & ev.poly_leg and down):
            return False
        if _supplying(weak, ev.myotome_roots):
            return False  # one root could weaken them all
    return True


OTHER = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}
"""Each leg's other leg."""
LATERALISING = (Reflex.PATELLAR, Reflex.ACHILLES)
"""The reflexes whose loss localises to a root only when it is greater on one leg."""


def _reflex_loss(
    here: Mapping[Reflex, ReflexGrade], there: Mapping[Reflex, ReflexGrade]
) -> dict[str, str]:
    """``loss:<reflex>`` for each lateralising reflex reduced or absent on this leg:
    ``greater_here`` when the other leg's is normal or brisk, or reduced while this one is
    absent; ``untested_there`` when the other leg's was not recorded; ``both_legs`` when it is
    as low or lower (a loss on both legs fits a polyneuropathy, a central stenosis or age as
    well as one root)."""
    out = {}
    for r in LATERALISING:
        g, o = here.get(r), there.get(r)
        if g not in DOWN:
            continue
        if o is None:
            out[f"loss:{r.value}"] = "untested_there"
        elif o not in DOWN or (g is ReflexGrade.ABSENT and o is ReflexGrade.REDUCED):
            out[f"loss:{r.value}"] = "greater_here"
        else:
            out[f"loss:{r.value}"] = "both_legs"
    return out


def drawing_patterns(
    marks: Mapping[Side, Mapping[tuple[Symptom, str], float]],
    marked: Mapping[Side, set[str]],
) -> dict[Side, dict[str, Any]]:
    """The patterns of each side's marks (``(symptom, area)`` keys; ``marked``: the areas), as
    facts:

    - ``pattern:bilateral_symmetric``: this leg's marks are one half of a stocking
      (:func:`_stocking`, judged per leg); on a side marked alone: false;
    - ``pattern:pain_distal_only``: pain is marked and none of it above the knee (the buttock,
      groin, saddle or thigh areas of ``drawing_extent``); false when some is;
    - ``skin:<nerve>``, for each nerve a row asks about or a Tinel's sign localises to: a
      marked area lies in the nerve's skin territory (``nerves.json``); false when none does.
      A test of one nerve that asks whether its own symptoms ease (the pelvic compression
      test) means nothing for it when none are marked there, nor a Tinel's sign over it
      about the roots.
    """
    ev = evidence()
    out: dict[Side, dict[str, Any]] = {}
    for side, keys in marks.items():
        facts: dict[str, Any] = {}
        if keys:
            facts["pattern:bilateral_symmetric"] = _stocking(marked[side], marked[OTHER[side]])
            if any(sym is Symptom.PAIN for sym, _area in keys):
                proximal = any((Symptom.PAIN, a) in keys for a in ev.proximal_areas)
                facts["pattern:pain_distal_only"] = not proximal
            areas = marked[side]
            facts.update((f"skin:{n}", bool(areas & skin)) for n, skin in _skins().items())
        out[side] = facts
    return out


def _not_a_strip(here: set[str], ev: Evidence) -> bool:
    """Whether a leg's marks below the knee can be a stocking rather than a root's or a nerve's
    strip (``patterns.stocking``): on the foot alone they reach the forefoot (the toes or the
    dorsal areas); running up the lower leg they go round it (two of its opposite aspects,
    ``leg_round``), or the foot below is marked on both its dorsal and plantar surfaces."""
    leg = {a for pair in ev.stocking_leg_round for a in pair} & here
    if not leg:
        return bool(here & (ev.stocking_toes | ev.stocking_dorsal))
    if any(pair <= leg for pair in ev.stocking_leg_round):
        return True
    return bool(here & ev.stocking_dorsal and here & ev.stocking_plantar)


def _stocking(here: set[str], there: set[str]) -> bool:
    """A leg's marks are one half of a stocking: none above the knee (the proximal areas of
    ``drawing_extent``, the saddle among them), a foot area on each leg, not a strip on this
    one (:func:`_not_a_strip`), and at least the evidence table's share of the two legs' marks
    below the knee in common. The other leg's marks above the knee (a root lesion beside the
    polyneuropathy) do not undo this leg's."""
    ev = evidence()
    if not here or not there or here & ev.proximal_areas:
        return False
    feet = int(ev.patterns["stocking"].value)
    if len(here & ev.stocking_feet) < feet or len(there & ev.stocking_feet) < feet:
        return False
    if not _not_a_strip(here, ev):
        return False
    distal = there - ev.proximal_areas
    jaccard = len(here & distal) / len(here | distal)
    return jaccard >= ev.patterns["bilateral_symmetric_min_jaccard"].value


@cache
def _skins() -> dict[str, frozenset[str]]:
    """Each nerve a row asks about (a ``skin:<nerve>`` condition) or a Tinel's sign localises
    to -> the canonical areas of its skin territory."""
    asked = {key.removeprefix("skin:") for row in evidence().rows for key, _v in row.when}
    asked |= {n for nerves in _tinel_nerves().values() for n in nerves}
    nerves = clinical.nerves()
    return {n: frozenset(nerves[n].territory) for n in sorted(asked & set(nerves))}


@cache
def _tinel_nerves() -> dict[str, frozenset[str]]:
    """Each Tinel's sign site -> the nerves its own row localises it to (the row whose one
    condition is that test positive: ``tinel_fibular_head`` -> the common peroneal nerve)."""
    out: dict[str, frozenset[str]] = {}
    for row in evidence().rows:
        if len(row.when) == 1 and row.when[0][0].startswith("test:tinel_"):
            site = row.when[0][0].removeprefix("test:")
            nerves = {h.removeprefix("peripheral:") for h in row.hypotheses}
            out[site] = out.get(site, frozenset()) | frozenset(nerves)
    return out


def _tinel_over_marks(test: Test, drawing: Mapping[str, Any] | None) -> bool:
    """Whether a positive Tinel's sign at ``test`` bears on this side's symptoms: the side has
    no marks, or a nerve the sign localises to has a marked area in its skin. Tapped over a
    nerve whose skin holds none of them (the tarsal tunnel beside a shin and dorsum drawing),
    it says nothing about the root behind them."""
    if not drawing:
        return True
    return any(drawing.get(f"skin:{n}") for n in _tinel_nerves().get(test.value, ()))


def abnormal_exam(facts: dict[str, Any], beyond_age: bool = False) -> bool:
    """Whether a side's exam found a sign of a root or nerve lesion: a reduced or absent reflex,
    a weak movement, a positive test or reduced sensation, that an evidence row reads. A side
    with neither marks nor such a finding has no root or nerve lesion to explain (both legs are
    usually examined): a finding no row reads (sensation at the saddle's key points, S3 and
    S4-5: a red flag of its own) would list the hypotheses by their priors alone. Upper motor
    neuron signs alone point above the roots and have their own warning. ``beyond_age``: leave
    out ankle reflexes low on both legs from the age at which healthy people often lack them
    (R110; ``pattern:any_reflex_down`` leaves them out too)."""
    read = _rows_by_fact()
    aged = beyond_age and not facts.get("pattern:any_reflex_down", False)
    for key, value in facts.items():
        kind = key.partition(":")[0]
        if (
            (kind == "reflex" and value in DOWN and not (aged and key == "reflex:achilles"))
            or (kind == "strength" and value == Strength.WEAK)
            or (kind == "test" and value == TestResult.POSITIVE)
            or (kind == "sensation" and value == "reduced")
        ) and (key, value) in read:
            return True
    return False


SIDE_PREFIXES = {"both_sides:": "both", "other_side:": "other"}
Condition = tuple[str, frozenset[Any], str]
"""One condition of a row: the fact it reads, the values that satisfy it, and on which side:
``this`` (a plain key), ``both`` (``both_sides:`` keys: this side and the other) or ``other``
(``other_side:`` keys; a fact not recorded there reads as ``null``)."""


def condition(key: str, allowed: frozenset[Any]) -> Condition:
    """A row's condition ``key`` (as written, with its side prefix) as a :data:`Condition`."""
    for prefix, where in SIDE_PREFIXES.items():
        if key.startswith(prefix):
            return key.removeprefix(prefix), allowed, where
    return key, allowed, "this"


@cache
def _rows_by_fact() -> dict[tuple[str, Any], tuple[tuple[Row, tuple[Condition, ...]], ...]]:
    """Each evidence row, with its conditions, under every (fact, value) satisfying its first
    condition (which reads this side)."""
    out: dict[tuple[str, Any], list[tuple[Row, tuple[Condition, ...]]]] = {}
    for row in evidence().rows:
        conditions = tuple(condition(key, allowed) for key, allowed in row.when)
        key, allowed, where = conditions[0]
        if where == "other":
            raise ValueError(
                f"evidence.json: row {row.id}: the first condition must read this side"
            )
        for value in allowed:
            out.setdefault((key, value), []).append((row, conditions))
    return {k: tuple(v) for k, v in out.items()}


def matching_rows(facts: dict[str, Any], other: dict[str, Any]) -> list[Row]:
    """Evidence rows whose every condition holds (``both_sides:`` keys on both sides,
    ``other_side:`` keys on the other side)."""
    out = []
    index = _rows_by_fact()
    for fact in facts.items():
        for row, conditions in index.get(fact, ()):
            for key, allowed, where in conditions:
                if where != "other" and facts.get(key) not in allowed:
                    break
                if where != "this" and other.get(key) not in allowed:
                    break
            else:
                out.append(row)
    return out
