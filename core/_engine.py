"""The clinical engine: marks + red flags + exam findings -> ranked hypotheses (Qt-free).

:func:`analyze` follows the scoring design of the clinical reference (section 7):

1. **Red-flag override** (cannot be suppressed): a saddle mark, any red flag or bilateral
   progressive weakness puts ``cauda_equina`` first (side ``both``, score 1) with an urgent
   warning. Both legs marked with a recent onset (< 14 days) gives a non-urgent warning advising
   same-day assessment; both legs marked always reminds the user to ask the CES questions.
2. **Per-side scoring** of every root (L1-S5) and peripheral nerve from the chosen atlas:
   region specificity (1 - normalised entropy of the area's root row), explained fraction
   (precision), a light territory coverage term (the marked share of the hypothesis's total
   territory weight: a soft form of "core regions marked / core regions" that also credits
   shared regions partly), the ISNCSCI key-point bonus, the
   proximal-extent rule and the pure-sensory rule. A mark's ``coverage`` scales its
   contribution; pain counts slightly less than numbness or tingling.
3. **Exam modifiers** act as likelihood-ratio-like multipliers on the odds of the base score.
4. **Patterns**: stocking polyneuropathy, adjacent two-root patterns, bilateral radicular
   (stenosis) and the nerve-versus-root rule.
5. **Output**: hypotheses sorted by score (all above 0.05, at least two per marked side),
   labels ("more likely" only on a clear margin with a key point or specific region and no
   contradicting finding), conditions with next steps, warnings and plain notes.

Additions to section 7 (all listed in the evidence when they act):

- base scores map linearly onto [0, 0.95]; exam modifiers multiply the odds, so scores stay in
  [0, 1] and strong findings cannot push two hypotheses to a tie at 1;
- L5/S1 confusion floor: S1 keeps at least a quarter of the L5 base score and L5 half of the S1
  one (operated-series counts, drawings that clinicians cannot separate) [R17, R19];
- rare-root prior: L1, L2, L3 and S2 odds x 0.5 (about 95% of herniations are L4-5/L5-S1)
  [R19, R29];
- a positive root tension sign (SLR, crossed SLR, femoral stretch) halves the odds of nerves
  entrapped below the knee [R22, R24];
- both legs marked with neurogenic claudication: L4/L5/S1 odds x 1.5 and nerves x 0.5 [R31,
  R35].

An unknown atlas id raises :class:`ValueError` naming the valid ids (the CLI and the session
loader validate before calling). Every evidence line names the area, the atlas and the source
ids.

This module is also compiled with mypyc (see :mod:`core.engine`, which picks the build in use);
module constants are ``Final`` so that the compiled build reads them as constants.

Speed (about 0.2 ms for 60 marks with findings in CPython, about 0.14 ms compiled, see
``benchmarks/bench_engine.py``): everything that depends only on the atlas is built once per
atlas in :class:`_Table` (per-area cells with the hypothesis index, weight and ready-made
evidence line; specificities; territories; map disagreement notes), exam-modifier evidence is
built once per rule and side, and one pass over a side's marked areas sums the scores and
collects the area evidence together. Sums run in mark order exactly as the reference
implementation did, so results are bit-identical to it
(``tests/core/test_engine_speed_equivalence.py`` checks ~330 stored analyses). The only
memoised per-call results are pure functions of a few discrete facts (conditions, warnings,
the red-flag hypothesis), never of the marks.
"""

from __future__ import annotations

import math
from collections.abc import KeysView
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import filterfalse
from operator import attrgetter
from typing import ClassVar, Final

from core import clinical, zones
from core.clinical import ROOT_IDS, cite
from core.model import (
    Analysis,
    Condition,
    Findings,
    History,
    Hypothesis,
    Label,
    Movement,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
    Warning,
)
from core.zones import areas as _canonical_areas
from core.zones import expand

ATLAS_IDS: Final = ("consensus", "keegan_garrett", "foerster_lee")

__all__ = ["ATLAS_IDS", "analyze"]

# --- design constants (all "DM-H": Dermamap heuristics from clinical reference section 7) -------

W_PRECISION: Final = 0.75
W_COVERAGE: Final = 0.25
KEY_POINT_BONUS: Final = 0.25
# largest possible base score (precision 1 + coverage 1 weighted + key point)
BASE_MAX: Final = 1.25
BASE_CEILING: Final = 0.95  # base scores map linearly onto [0, 0.95] before exam modifiers
SYMPTOM_WEIGHT: Final = {Symptom.NUMBNESS: 1.0, Symptom.TINGLING: 1.0, Symptom.PAIN: 0.85}
NERVE_NOT_QUALIFIED: Final = 0.8  # a nerve that does not meet the nerve-vs-root rule stays behind
MIN_SCORE: Final = 0.05
FLOOR_S1_FROM_L5: Final = 0.25  # ~ 31/137 of L5-dermatome pain from an L5-S1 disc [R19]
FLOOR_L5_FROM_S1: Final = 0.5  # ~ 66/122 of S1-dermatome pain from an L4-5 disc [R19]
RARE_ROOTS: Final = ("L1", "L2", "L3", "S2")  # ~2-3% of herniations; L4-5 and L5-S1 ~95% [R19, R29]
RARE_ROOT_PRIOR: Final = 0.5
HIGH_SPECIFICITY: Final = 0.75
MARGIN_MORE_LIKELY: Final = 0.2

KEY_POINTS: Final = {
    "medial_malleolus": "L4",
    "dorsum_of_foot": "L5",
    "lateral_heel": "S1",
    "popliteal_fossa": "S2",
    "anterior_knee": "L3",
}
ABOVE_KNEE: Final = frozenset({"buttock", "posterior_thigh", "lateral_thigh"})
THIGH_AND_UP: Final = frozenset(
    {
        "groin",
        "anterior_thigh",
        "anterolateral_thigh",
        "lateral_thigh",
        "medial_thigh",
        "posterior_thigh",
        "buttock",
        "saddle",
    }
)
KNEE: Final = frozenset({"anterior_knee", "medial_knee", "popliteal_fossa"})
LEG: Final = frozenset(
    {"anterior_lower_leg", "medial_lower_leg", "lateral_lower_leg", "posterior_calf"}
)
TOES: Final = frozenset({"great_toe", "middle_toes", "little_toe", "plantar_toes"})
BELOW_KNEE_NERVES: Final = frozenset(
    {
        "common_peroneal",
        "deep_peroneal",
        "superficial_peroneal",
        "sural",
        "saphenous",
        "tibial",
        "medial_plantar",
        "lateral_plantar",
    }
)
_BELOW_KNEE_HIDS: Final = tuple(sorted(f"peripheral:{n}" for n in BELOW_KNEE_NERVES))
PURE_SENSORY: Final = ("sural", "saphenous", "lateral_femoral_cutaneous")
WEIGHT_WORDS: Final = {
    1.0: "core territory",
    0.75: "strong shared territory",
    0.5: "overlap zone",
    0.25: "occasional territory",
}
CES_SOURCES: Final = ("R47", "R48", "R49")


# --- enum members for the hot paths ---------------------------------------------------------------
# Reading a member from an Enum class (``Movement.KNEE_FLEXION``) goes through the enum
# metaclass: about 75 ns a time in CPython 3.11, several times a plain class attribute. The
# scoring code reads the same members from these plain classes instead (declared ``ClassVar``
# so that the compiled build, see ``core/engine.py``, reads them as class attributes too).


class _Move:
    """:class:`~core.model.Movement` members as plain class attributes."""

    HIP_FLEXION: ClassVar[Movement] = Movement.HIP_FLEXION
    HIP_ADDUCTION: ClassVar[Movement] = Movement.HIP_ADDUCTION
    HIP_ABDUCTION: ClassVar[Movement] = Movement.HIP_ABDUCTION
    KNEE_EXTENSION: ClassVar[Movement] = Movement.KNEE_EXTENSION
    KNEE_FLEXION: ClassVar[Movement] = Movement.KNEE_FLEXION
    ANKLE_DORSIFLEXION: ClassVar[Movement] = Movement.ANKLE_DORSIFLEXION
    GREAT_TOE_EXTENSION: ClassVar[Movement] = Movement.GREAT_TOE_EXTENSION
    ANKLE_INVERSION: ClassVar[Movement] = Movement.ANKLE_INVERSION
    ANKLE_EVERSION: ClassVar[Movement] = Movement.ANKLE_EVERSION
    ANKLE_PLANTARFLEXION: ClassVar[Movement] = Movement.ANKLE_PLANTARFLEXION


class _Rx:
    """:class:`~core.model.Reflex` members as plain class attributes."""

    PATELLAR: ClassVar[Reflex] = Reflex.PATELLAR
    ACHILLES: ClassVar[Reflex] = Reflex.ACHILLES
    MEDIAL_HAMSTRING: ClassVar[Reflex] = Reflex.MEDIAL_HAMSTRING


class _Tst:
    """:class:`~core.model.Test` members as plain class attributes."""

    STRAIGHT_LEG_RAISE: ClassVar[Test] = Test.STRAIGHT_LEG_RAISE
    CROSSED_STRAIGHT_LEG_RAISE: ClassVar[Test] = Test.CROSSED_STRAIGHT_LEG_RAISE
    FEMORAL_STRETCH: ClassVar[Test] = Test.FEMORAL_STRETCH
    TINEL_FIBULAR_HEAD: ClassVar[Test] = Test.TINEL_FIBULAR_HEAD
    TINEL_TARSAL_TUNNEL: ClassVar[Test] = Test.TINEL_TARSAL_TUNNEL
    TINEL_MEDIAL_KNEE: ClassVar[Test] = Test.TINEL_MEDIAL_KNEE
    TINEL_LATERAL_ANKLE: ClassVar[Test] = Test.TINEL_LATERAL_ANKLE
    TINEL_ANTERIOR_ANKLE: ClassVar[Test] = Test.TINEL_ANTERIOR_ANKLE
    TINEL_LEG_FASCIA: ClassVar[Test] = Test.TINEL_LEG_FASCIA
    PELVIC_COMPRESSION: ClassVar[Test] = Test.PELVIC_COMPRESSION


class _Lbl:
    """:class:`~core.model.Label` members as plain class attributes."""

    MORE_LIKELY: ClassVar[Label] = Label.MORE_LIKELY
    POSSIBLE: ClassVar[Label] = Label.POSSIBLE
    LESS_LIKELY: ClassVar[Label] = Label.LESS_LIKELY


_LEFT: Final = Side.LEFT
_RIGHT: Final = Side.RIGHT
_WEAK: Final = Strength.WEAK
_NORMAL: Final = Strength.NORMAL
_POSITIVE: Final = TestResult.POSITIVE


@cache
def _c(ids: tuple[str, ...]) -> str:
    """Cached :func:`core.clinical.cite` for literal tuples of ids."""
    return cite(ids)


_ZONE_AREAS: Final[dict[str, tuple[str, ...]]] = {}  # zone id -> canonical areas (cache)
_ZONE_AREA: Final[dict[str, str]] = {}  # zone id -> its one canonical area (cache, most zones)
_ZONE_CACHE_MAX: Final = 4096


def _valid_areas(zone: str) -> tuple[str, ...]:
    """Canonical areas ``zone`` stands for (empty for an unknown zone id); cached per zone id
    (a plain dict lookup on the hot path; unknown ids stop being cached past a bound)."""
    areas = _ZONE_AREAS.get(zone)
    if areas is None:
        valid = _canonical_areas()
        areas = tuple(a for a in expand(zone) if a in valid)
        if len(_ZONE_AREAS) < _ZONE_CACHE_MAX:
            _ZONE_AREAS[zone] = areas
            if len(areas) == 1:
                _ZONE_AREA[zone] = areas[0]
    return areas


@cache
def _pname(hid: str) -> str:
    if hid.startswith("peripheral:"):
        return clinical.nerves()[hid.split(":", 1)[1]].name
    return hid


def _weight_word(w: float) -> str:
    for level in (1.0, 0.75, 0.5, 0.25):
        if w >= level - 1e-9:
            return WEIGHT_WORDS[level]
    return "minor territory"


# --- per-atlas tables (built once) ---------------------------------------------------------------

_Item = tuple[str, dict[str, None]]
"""One evidence line and the reference ids it cites (as dict keys, ready to merge; shared
and never modified)."""


def _item(line: str, sources: tuple[str, ...]) -> _Item:
    return (line, dict.fromkeys(sources))


PAIRS: Final = (("L3", "L4"), ("L4", "L5"), ("L5", "S1"), ("S1", "S2"))
_KEY_POINT_SOURCES: Final = dict.fromkeys(("R8", "R9"))  # cited by every key-point line
_L5: Final = ROOT_IDS.index("L5")
_S1: Final = ROOT_IDS.index("S1")


@cache
def _hyps() -> tuple[str, ...]:
    """Hypothesis ids in index order: the roots, then ``peripheral:<nerve>`` per nerve."""
    return (*ROOT_IDS, *(f"peripheral:{n}" for n in clinical.nerves()))


@cache
def _nerve_hyps() -> tuple[str, ...]:
    """The ``peripheral:<nerve>`` hypothesis ids."""
    return _hyps()[len(ROOT_IDS) :]


@cache
def _hyp_index() -> dict[str, int]:
    """Hypothesis id -> index (the same for every atlas)."""
    return {h: i for i, h in enumerate(_hyps())}


_Cell = tuple[int, float, str]
"""(hypothesis index, weight in the area, evidence line)."""
_AreaCells = tuple[float, tuple[_Cell, ...], tuple[_Cell, ...], dict[str, None]]


@dataclass(frozen=True)
class _Table:
    """Everything about one atlas that does not depend on the session, computed once.

    Hypotheses are indexed in :attr:`hyps` order; areas are canonical area ids. The per-area
    cells drive the single scoring pass over the marked areas: each carries the hypothesis
    index, its weight in the area and the ready-made evidence line, so the pass collects every
    hypothesis's area evidence as it sums the scores.
    """

    atlas: clinical.Atlas
    hyps: tuple[str, ...]  # roots then peripheral:<nerve>
    index: dict[str, int]
    rows: dict[str, tuple[tuple[int, float], ...]]  # area -> nonzero (hyp index, weight)
    root_cells: dict[str, tuple[tuple[int, float, str], ...]]  # area -> (root, weight, line)
    nerve_cells: dict[str, tuple[tuple[int, float, str], ...]]  # area -> (nerve, weight, line)
    area_sources: dict[str, dict[str, None]]  # area -> reference ids of its root lines (keys)
    cells: dict[str, _AreaCells]  # area -> (specificity, root cells, nerve cells, root sources)
    nerve_sources: tuple[tuple[str, ...], ...]  # hyp -> reference ids of its nerve lines
    spec: dict[str, float]  # area -> region specificity
    total: tuple[float, ...]  # hyp -> total territory weight (soft coverage denominator)
    territory: tuple[frozenset[str], ...]  # hyp -> areas where its weight > 0
    names: tuple[str, ...]  # hyp -> display name (the id for roots, the nerve's name)
    not_explained: tuple[str, ...]  # hyp -> "Not explained by <name>: " (the areas follow)
    specific_areas: tuple[frozenset[str], ...]  # hyp -> its areas with high specificity
    root_weights: dict[str, tuple[float, ...]]  # area -> weight of each root (ROOT_IDS order)
    pair_weights: dict[str, tuple[float, ...]]  # area -> larger weight of each PAIRS pair
    pair_unique: tuple[tuple[frozenset[str], frozenset[str]], ...]  # PAIRS -> areas of each alone
    nerve_index: dict[str, int]  # nerve id -> hyp index
    below_knee_nerves: tuple[int, ...]  # hyp indices of the nerves entrapped below the knee
    key_point_index: dict[str, int]  # key-point area -> index of its root
    key_point_items: tuple[tuple[str, str] | None, ...]  # root -> (key-point area, evidence)
    disagreement_notes: tuple[tuple[str, str], ...]  # (area, note) against the other maps


def _nerve_line(area: str, nerve: clinical.Nerve, w: float) -> str:
    word = "territory" if w >= 1.0 else "partly in the territory"
    short = nerve.name.split(" (")[0]
    short = short[0].lower() + short[1:]
    if not short.endswith("nerve"):
        short += " nerve"
    return f"{area}: {word} of the {short} {_c(tuple(nerve.sources))}"


def _specificity(atlas: clinical.Atlas, area: str, root_weights: list[float]) -> float:
    """1 - entropy of the area's root row, normalised by log(number of roots); halved on
    the atlas's low-specificity areas; at least 0.1."""
    s_tot = sum(root_weights)
    if s_tot > 0 and len(root_weights) > 1:
        ent = -sum((w / s_tot) * math.log(w / s_tot) for w in root_weights)
        s = 1.0 - ent / math.log(len(ROOT_IDS))
    else:
        s = 1.0
    if area in atlas.low_specificity:
        s *= 0.5
    return max(0.1, s)


def _disagreement_notes(atlas: clinical.Atlas) -> tuple[tuple[str, str], ...]:
    """(area, note) for each area/root cell where another map differs (first map wins)."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for other in ATLAS_IDS:
        if other == atlas.id:
            continue
        other_name = clinical.atlases()[other].name
        for d in clinical.disagreements(atlas.id, other):
            if (d.area, d.root) in seen:
                continue
            seen.add((d.area, d.root))
            out.append(
                (
                    d.area,
                    f"Maps disagree on the {zones.display_name(d.area).lower()}: {d.root} weight "
                    f"{d.weight_a:g} on the "
                    f"{atlas.name} map, {d.weight_b:g} on {other_name} ({d.note}) "
                    f"{cite(d.sources)}",
                )
            )
    return tuple(out)


@cache
def _table(atlas_id: str) -> _Table:
    atlas = clinical.atlases()[atlas_id]
    nerves = clinical.nerves()
    hyps = _hyps()
    index = _hyp_index()
    n_roots = len(ROOT_IDS)
    rows: dict[str, tuple[tuple[int, float], ...]] = {}
    spec: dict[str, float] = {}
    total = [0.0] * len(hyps)
    root_cells: dict[str, tuple[tuple[int, float, str], ...]] = {}
    nerve_cells: dict[str, tuple[tuple[int, float, str], ...]] = {}
    area_sources: dict[str, dict[str, None]] = {}
    territory: list[set[str]] = [set() for _ in hyps]
    label = f"{atlas.name} map" if atlas.id != "consensus" else "consensus map"
    for area in _canonical_areas():
        row: list[tuple[int, float]] = []
        for i, root in enumerate(ROOT_IDS):
            w = atlas.weight(area, root)
            if w > 0:
                row.append((i, w))
        spec[area] = _specificity(atlas, area, [w for _, w in row])
        for nid, nerve in nerves.items():
            w = nerve.territory.get(area, 0.0)
            if w > 0:
                row.append((index[f"peripheral:{nid}"], w))
        rows[area] = tuple(row)
        area_src = tuple(atlas.sources_of(area))
        area_sources[area] = dict.fromkeys(area_src)
        r_cells: list[tuple[int, float, str]] = []
        n_cells: list[tuple[int, float, str]] = []
        for i, w in row:
            total[i] += w
            territory[i].add(area)
            hid = hyps[i]
            if i < n_roots:
                line = f"{area}: {hid} {_weight_word(w)} ({label}) {_c(area_src)}"
                r_cells.append((i, w, line))
            else:
                n_cells.append((i, w, _nerve_line(area, nerves[hid.split(":", 1)[1]], w)))
        root_cells[area] = tuple(r_cells)
        nerve_cells[area] = tuple(n_cells)
    root_w = {a: tuple(atlas.weight(a, r) for r in ROOT_IDS) for a in rows}
    pair_ix = [(ROOT_IDS.index(a), ROOT_IDS.index(b)) for a, b in PAIRS]
    pair_w = {a: tuple(max(rw[ia], rw[ib]) for ia, ib in pair_ix) for a, rw in root_w.items()}
    pair_unique = tuple(
        (
            frozenset(a for a, rw in root_w.items() if rw[ia] >= 0.75 > rw[ib]),
            frozenset(a for a, rw in root_w.items() if rw[ib] >= 0.75 > rw[ia]),
        )
        for ia, ib in pair_ix
    )
    key_point_items: list[tuple[str, str] | None] = []
    for root in ROOT_IDS:
        kp = clinical.roots()[root].key_point_area
        if kp is not None and KEY_POINTS.get(kp) == root:
            line = f"{kp}: ISNCSCI key sensory point for {root} {_c(('R8', 'R9'))}"
            key_point_items.append((kp, line))
        else:
            key_point_items.append(None)
    return _Table(
        atlas=atlas,
        hyps=hyps,
        index=index,
        rows=rows,
        root_cells=root_cells,
        nerve_cells=nerve_cells,
        area_sources=area_sources,
        cells={a: (spec[a], root_cells[a], nerve_cells[a], area_sources[a]) for a in rows},
        nerve_sources=tuple(
            tuple(nerves[h.split(":", 1)[1]].sources) if i >= n_roots else ()
            for i, h in enumerate(hyps)
        ),
        spec=spec,
        total=tuple(total),
        territory=tuple(frozenset(t) for t in territory),
        names=tuple(_pname(h) for h in hyps),
        not_explained=tuple(f"Not explained by {_pname(h)}: " for h in hyps),
        specific_areas=tuple(
            frozenset(a for a in terr if spec[a] >= HIGH_SPECIFICITY) for terr in territory
        ),
        root_weights=root_w,
        pair_weights=pair_w,
        pair_unique=pair_unique,
        nerve_index={nid: index[f"peripheral:{nid}"] for nid in nerves},
        below_knee_nerves=tuple(index[h] for h in _BELOW_KNEE_HIDS),
        key_point_index={a: index[r] for a, r in KEY_POINTS.items()},
        key_point_items=tuple(key_point_items),
        disagreement_notes=_disagreement_notes(atlas),
    )


# --- fixed evidence lines (built once) ----------------------------------------------------------

_PROXIMAL_ITEM: Final = _item(
    "Marks reach above the knee: root lesions extend proximally, distal nerve lesions do not "
    + _c(("R13", "R30b")),
    ("R13", "R30b"),
)
_PURE_SENSORY_ITEMS: Final[dict[str, _Item]] = {
    s.value: _item(
        f"Weakness or reflex change ({s.value}): this nerve is purely sensory "
        f"{_c(('R57', 'R59', 'R73'))}",
        ("R57", "R59", "R73"),
    )
    for s in Side
}
_FLOOR_ITEMS: Final[dict[int, _Item]] = {
    dst: _item(
        f"{ROOT_IDS[src]} and {ROOT_IDS[dst]} drawings overlap widely; kept as an alternative "
        f"{_c(('R17', 'R19'))}",
        ("R17", "R19"),
    )
    for src, dst in ((_L5, _S1), (_S1, _L5))
}
_RARE_ROOT_ITEMS: Final[tuple[tuple[int, _Item], ...]] = tuple(
    (
        ROOT_IDS.index(root),
        _item(
            f"{root} radiculopathy is uncommon: about 95% of lumbar disc herniations affect "
            f"L4-5 or L5-S1 {_c(('R19', 'R29'))}",
            ("R19", "R29"),
        ),
    )
    for root in RARE_ROOTS
)
_NOT_SINGLED_OUT_ITEM: Final = _item(
    "Listed as an alternative to the root: the marks or findings do not single out this nerve "
    + _c(("DM-H",)),
    (),
)
_KEY_POINT_AREAS: Final[dict[str, frozenset[str]]] = {
    root: frozenset(a for a, r in KEY_POINTS.items() if r == root) for root in KEY_POINTS.values()
}
_NO_AREAS: Final[frozenset[str]] = frozenset()


@cache
def _qualified_item(nid: str, side: str) -> _Item:
    """Evidence of a nerve that meets the nerve-versus-root rule on ``side``."""
    return _item(
        f"All marks lie inside this nerve's territory and a distinguishing sign fits "
        f"({side}) {cite(clinical.nerves()[nid].sources[:3])}",
        (),
    )


@cache
def _effects(
    side: str, hids: str | tuple[str, ...], factor: float, text: str, sources: tuple[str, ...]
) -> tuple[tuple[int, _Item], ...]:
    """(hyp index, evidence) of one exam-modifier rule on ``side``; built once per rule."""
    index = _hyp_index()
    verb = "favours" if factor > 1 else "argues against"
    cited = _c(sources)
    names = (hids,) if isinstance(hids, str) else hids
    return tuple(
        (index[h], _item(f"{text} ({side}): {verb} {_pname(h)} {cited}", sources)) for h in names
    )


# --- per-call helpers -----------------------------------------------------------------------------


def _side_marks(session: Session, unknown: set[str] | None = None) -> dict[Side, dict[str, float]]:
    """Per side: canonical area -> effective weight (coverage x symptom), in order of first
    appearance; a zone marked twice keeps its larger weight. Zone ids that stand for no
    canonical area are added to ``unknown`` (whatever their coverage)."""
    out: dict[Side, dict[str, float]] = {_LEFT: {}, _RIGHT: {}}
    symptom_weight = SYMPTOM_WEIGHT
    zone_area = _ZONE_AREA
    for m in session.marks:
        area = zone_area.get(m.zone)
        if area is not None:  # the common case: a zone of one canonical area
            cov = m.coverage
            if not (cov > 0):  # also rejects NaN
                continue
            if cov > 1.0:
                cov = 1.0
            weight = cov * symptom_weight.get(m.symptom, 1.0)
            per = out[m.side]
            if weight > per.get(area, 0.0):
                per[area] = weight
            continue
        areas = _valid_areas(m.zone)
        if not areas:
            if unknown is not None:
                unknown.add(m.zone)
            continue
        cov = m.coverage
        if not (cov > 0):  # also rejects NaN
            continue
        if cov > 1.0:
            cov = 1.0
        weight = cov * symptom_weight.get(m.symptom, 1.0)
        per = out[m.side]
        for area in areas:
            if weight > per.get(area, 0.0):
                per[area] = weight
    return out


_DOWN: Final = (ReflexGrade.REDUCED, ReflexGrade.ABSENT)
_SIDES: Final = (_LEFT, _RIGHT)
_SIDE_NAMES: Final = {s: s.value for s in Side}  # plain strings (StrEnum .value is a slow property)


class _Exam:
    """One side's examination as sets of signs, read once per side.

    ``weak``/``normal`` hold movements, ``down`` reflexes that are reduced or absent,
    ``positive`` tests that are positive; ``entered`` is true when any strength or reflex
    finding is recorded for the side.
    """

    __slots__ = ("down", "entered", "normal", "positive", "weak")

    def __init__(self, f: Findings, side: Side) -> None:
        strength = f.strength.get(side, {})
        reflexes = f.reflexes.get(side, {})
        tests = f.tests.get(side, {})
        self.weak = {k for k, v in strength.items() if v is _WEAK}
        self.normal = {k for k, v in strength.items() if v is _NORMAL}
        self.down = {k for k, v in reflexes.items() if v in _DOWN}
        self.positive = {k for k, v in tests.items() if v is _POSITIVE}
        self.entered = bool(strength) or bool(reflexes)

    @property
    def weak_or_reflex(self) -> bool:
        """Any weak movement or reduced/absent reflex on this side."""
        return bool(self.weak) or bool(self.down)


def _reflex_down(f: Findings, side: Side, rx: Reflex) -> bool:
    return f.reflex(side, rx) in _DOWN


class _Pass:
    """What one pass over a side's marked areas yields (see :func:`_scoring_pass`)."""

    __slots__ = ("base", "denom", "evidence", "num", "precision", "root_sources")

    def __init__(
        self,
        base: list[float],
        num: list[float],
        denom: float,
        precision: dict[str, float],
        evidence: list[list[str]],
        root_sources: list[dict[str, None]],
    ) -> None:
        self.base = base  # base score per hypothesis
        self.num = num  # specificity x weight x mark weight, summed per hypothesis
        self.denom = denom  # summed specificity of the marked areas
        self.precision = precision  # nerve id -> specificity share of the marks inside it
        self.evidence = evidence  # hyp -> area evidence lines, in mark order
        self.root_sources = root_sources  # root -> reference ids of those lines, de-duplicated


def _scoring_pass(tab: _Table, marks: dict[str, float]) -> _Pass:
    """One pass over the marked areas: base scores, precision terms and area evidence."""
    n = len(tab.hyps)
    num = [0.0] * n
    cov = [0.0] * n
    inside = [0.0] * n
    denom = 0.0
    evidence: list[list[str]] = [[] for _ in range(n)]
    root_sources: list[dict[str, None]] = [{} for _ in ROOT_IDS]
    cells = tab.cells
    total = tab.total
    for area, e in marks.items():
        s, r_cells, n_cells, area_src = cells[area]
        denom += s
        se = s * e
        for i, w, line in r_cells:
            num[i] += se * w
            cov[i] += e * w
            evidence[i].append(line)
            root_sources[i] |= area_src  # keeps first-seen order
        for i, w, line in n_cells:
            num[i] += se * w
            cov[i] += e * w
            inside[i] += s
            evidence[i].append(line)
    bonus = [0.0] * n
    for area, kp in tab.key_point_index.items():
        kp_e = marks.get(area)
        if kp_e is not None:  # one key-point area per root
            bonus[kp] = KEY_POINT_BONUS * kp_e
    precision = {nid: (inside[i] / denom if denom else 0.0) for nid, i in tab.nerve_index.items()}
    base = [0.0] * n
    if denom > 0:
        for i, x in enumerate(num):
            if x <= 0:
                continue
            t = total[i]
            c = cov[i] / t if t > 0 else 0.0
            raw = W_PRECISION * (x / denom) + W_COVERAGE * (c if c < 1.0 else 1.0) + bonus[i]
            v = raw / BASE_MAX * BASE_CEILING
            base[i] = v if v < BASE_CEILING else BASE_CEILING  # min(BASE_CEILING, v)
    return _Pass(base, num, denom, precision, evidence, root_sources)


def _odds(score: float, factor: float) -> float:
    if score <= 0:
        return 0.0
    if score >= 1:
        return 1.0
    o = score / (1 - score) * factor
    return o / (1 + o)


class _SideState:
    """Scoring state of one side while its rules run.

    ``base`` holds the base scores, ``mult`` the exam-modifier odds factors, ``extra`` the
    rule evidence per hypothesis (in the order the rules act) and ``contradicted`` whether a
    finding argues against the hypothesis.
    """

    __slots__ = ("base", "contradicted", "extra", "mult", "precision", "qualified", "side")

    def __init__(self, side: str, base: list[float], precision: dict[str, float]) -> None:
        n = len(base)
        self.side = side
        self.base = base
        self.mult = [1.0] * n
        self.extra: list[list[_Item]] = [[] for _ in range(n)]
        self.contradicted = [False] * n
        self.qualified: set[str] = set()  # nerve ids meeting the nerve-vs-root rule
        self.precision = precision  # nerve id -> share of the marks inside its territory

    def fire(
        self, hids: str | tuple[str, ...], factor: float, text: str, sources: tuple[str, ...]
    ) -> None:
        """Multiply the odds of ``hids`` by ``factor`` and record why."""
        mult = self.mult
        extra = self.extra
        effects = _effects(self.side, hids, factor, text, sources)
        for i, item in effects:
            mult[i] *= factor
            extra[i].append(item)
        if factor < 1:
            contradicted = self.contradicted
            for i, _ in effects:
                contradicted[i] = True


_PERONEAL: Final = ("peripheral:common_peroneal", "peripheral:deep_peroneal")
_PERONEAL_ALL: Final = (*_PERONEAL, "peripheral:superficial_peroneal")
_TARSAL: Final = ("peripheral:tibial", "peripheral:medial_plantar", "peripheral:lateral_plantar")
_TENSION_TESTS: Final = (
    _Tst.STRAIGHT_LEG_RAISE,
    _Tst.CROSSED_STRAIGHT_LEG_RAISE,
    _Tst.FEMORAL_STRETCH,
)
_TINEL: Final[tuple[tuple[Test, tuple[str, ...], str, tuple[str, ...]], ...]] = (
    (
        _Tst.TINEL_FIBULAR_HEAD,
        ("peripheral:common_peroneal",),
        "Tinel sign at the fibular head",
        ("R52", "R53"),
    ),
    (_Tst.TINEL_TARSAL_TUNNEL, _TARSAL, "Tinel sign at the tarsal tunnel", ("R61", "R63")),
    (
        _Tst.TINEL_MEDIAL_KNEE,
        ("peripheral:saphenous",),
        "Tinel sign at the medial knee",
        ("R58", "R73"),
    ),
    (_Tst.TINEL_LATERAL_ANKLE, ("peripheral:sural",), "Tinel sign at the lateral ankle", ("R57",)),
    (_Tst.TINEL_ANTERIOR_ANKLE, ("peripheral:deep_peroneal",), "Tinel sign at the ankle", ("R56",)),
    (
        _Tst.TINEL_LEG_FASCIA,
        ("peripheral:superficial_peroneal",),
        "Tinel sign at the leg fascia",
        ("R58",),
    ),
    (
        _Tst.PELVIC_COMPRESSION,
        ("peripheral:lateral_femoral_cutaneous",),
        "Pelvic compression test positive",
        ("R59",),
    ),
)
_LOCAL_CAUSE_NERVES: Final = (
    "sural",
    "saphenous",
    "lateral_femoral_cutaneous",
    "superficial_peroneal",
)


def _exam_modifiers(
    st: _SideState,
    ex: _Exam,
    hist: History,
    bilateral_achilles: bool,
    claudication_bilateral: bool,
) -> None:
    fire = st.fire
    weak = ex.weak
    normal = ex.normal
    down = ex.down
    positive = ex.positive
    if _Move.HIP_ABDUCTION in weak:
        fire("L5", 3.0, "Hip abduction weak", ("R21",))
        fire(_PERONEAL, 0.2, "Hip abduction weak", ("R21", "R52"))
    if _Move.ANKLE_INVERSION in weak:
        fire("L5", 2.5, "Ankle inversion weak", ("R52", "R54"))
        fire(_PERONEAL_ALL, 0.2, "Ankle inversion weak", ("R52", "R54"))
    ehl = _Move.GREAT_TOE_EXTENSION in weak
    df = _Move.ANKLE_DORSIFLEXION in weak
    # toe extension and dorsiflexion weakness cannot separate the L5 root from the peroneal
    # nerve on its own, so both gain
    if ehl:
        fire("L5", 1.5, "Great-toe extension weak", ("R13", "R8"))
        fire("peripheral:common_peroneal", 1.5, "Great-toe extension weak", ("R52", "R54"))
    if df:
        fire("L5", 1.5, "Ankle dorsiflexion weak", ("R13", "R8"))
        fire("L4", 1.2, "Ankle dorsiflexion weak", ("R8", "R13"))
        fire("peripheral:common_peroneal", 1.5, "Ankle dorsiflexion weak", ("R52", "R54"))
    if (
        (df or ehl)
        and _Move.ANKLE_INVERSION in normal
        and _Move.HIP_ABDUCTION in normal
        and hist.back_pain is not True
    ):
        text = "Foot drop with normal inversion and hip abduction, no back pain"
        src = ("R52", "R54", "R55")
        fire("peripheral:common_peroneal", 2.5, text, src)
        fire("L5", 0.4, text, src)
        st.qualified.add("common_peroneal")
    if _Move.ANKLE_EVERSION in weak:
        fire("L5", 1.2, "Ankle eversion weak", ("R13",))
        fire(
            ("peripheral:common_peroneal", "peripheral:superficial_peroneal"),
            1.2,
            "Ankle eversion weak",
            ("R52", "R58"),
        )
    if _Move.ANKLE_PLANTARFLEXION in weak:
        fire("S1", 2.0, "Plantar flexion weak", ("R8", "R13"))
        fire(
            _TARSAL,
            0.3,
            "Plantar flexion weak (the calf is spared in tarsal tunnel lesions)",
            ("R61",),
        )
    if _Move.KNEE_FLEXION in weak:
        fire(("L5", "S1"), 1.2, "Knee flexion weak", ("R13",))
    if _Move.HIP_FLEXION in weak:
        fire("L2", 1.5, "Hip flexion weak", ("R8", "R8d"))
    if _Rx.ACHILLES in down:
        if bilateral_achilles:
            fire("S1", 1.5, "Achilles reflexes reduced on both sides", ("R21", "R64a"))
        else:
            fire("S1", 3.0, "Achilles reflex reduced", ("R21",))
        fire(_TARSAL, 0.5, "Achilles reflex reduced", ("R61", "R63"))
    if _Rx.PATELLAR in down:
        fire("L4", 3.0, "Patellar reflex reduced", ("R21", "R13"))
        fire("L3", 2.0, "Patellar reflex reduced", ("R21",))
    if _Rx.MEDIAL_HAMSTRING in down:
        fire("L5", 2.0, "Medial hamstring reflex reduced", ("R25", "R25c"))
    quads = _Move.KNEE_EXTENSION in weak
    if quads and _Move.HIP_ADDUCTION in weak:
        text = "Knee extension and hip adduction weak"
        fire(("L3", "L4"), 2.0, text, ("R65", "R13"))
        fire("peripheral:femoral", 0.5, text, ("R65",))
    elif quads:
        fire(("L3", "L4"), 1.5, "Knee extension weak", ("R8", "R13", "R66"))
        if _Move.HIP_ADDUCTION in normal and hist.back_pain is not True:
            text = "Knee extension weak with hip adduction spared, no back pain"
            fire("peripheral:femoral", 2.0, text, ("R65",))
            st.qualified.add("femoral")
    if positive:
        if _Tst.FEMORAL_STRETCH in positive:
            fire(("L2", "L3", "L4"), 3.0, "Femoral stretch test positive", ("R21", "R22"))
        if _Tst.STRAIGHT_LEG_RAISE in positive:
            fire(("L5", "S1"), 1.3, "Straight-leg raise positive", ("R24", "R22"))
        if _Tst.CROSSED_STRAIGHT_LEG_RAISE in positive:
            fire(("L5", "S1"), 2.0, "Crossed straight-leg raise positive", ("R24",))
        if not positive.isdisjoint(_TENSION_TESTS):
            # nerve-root tension signs stretch the roots, not a nerve entrapped in the leg or foot
            fire(_BELOW_KNEE_HIDS, 0.5, "Root tension sign positive", ("R22", "R24", "DM-H"))
        for test, hids, tinel_text, tinel_src in _TINEL:
            if test in positive:
                fire(hids, 2.0, tinel_text, tinel_src)
    # normal exam + local cause + marks inside a pure-sensory nerve territory
    if hist.local_cause is True and ex.entered and not ex.weak_or_reflex:
        text = "Normal motor and reflex exam with a local cause, marks inside the territory"
        for nid in _LOCAL_CAUSE_NERVES:
            if st.precision[nid] >= 0.999:
                nerve_src = (*clinical.nerves()[nid].sources[:2], "DM-H")
                fire(f"peripheral:{nid}", 2.0, text, nerve_src)
    if claudication_bilateral:
        text = "Bilateral symptoms with neurogenic claudication (canal narrowing)"
        fire(("L4", "L5", "S1"), 1.5, text, ("R31", "R35"))
        fire(_nerve_hyps(), 0.5, text, ("R31",))
    if hist.diabetes is True:
        fire("peripheral:lateral_femoral_cutaneous", 1.2, "Diabetes (a risk factor)", ("R59",))


def _nerve_qualifies(nid: str, marks: dict[str, float], ex: _Exam, hist: History) -> bool:
    """Nerve-versus-root rule (7.5), given that all marks lie inside the territory (precision
    >= 0.9): the drawing and a distinguishing sign must single out the nerve."""
    m = marks.keys()
    weak = ex.weak
    down = ex.down
    positive = ex.positive
    if nid == "deep_peroneal":
        return "first_web_space" in m and m <= {"first_web_space", "anterior_ankle"}
    if nid == "common_peroneal":
        return (
            "lateral_lower_leg" in m
            and bool(m & {"dorsum_of_foot", "first_web_space"})
            and "little_toe" not in m
            and not (m & THIGH_AND_UP)
        )
    if nid == "lateral_femoral_cutaneous":
        return "anterolateral_thigh" in m and m <= {"anterolateral_thigh", "lateral_thigh"}
    if nid == "sural":
        lateral = {"lateral_malleolus", "lateral_heel", "lateral_border_of_foot", "little_toe"}
        return bool(m & lateral) and not ex.weak_or_reflex and not (m & THIGH_AND_UP)
    if nid == "superficial_peroneal":
        return (
            "first_web_space" not in m
            and _Tst.TINEL_LEG_FASCIA in positive
            and _Move.GREAT_TOE_EXTENSION not in weak
        )
    if nid == "saphenous":
        return (
            _Rx.PATELLAR not in down
            and _Move.KNEE_EXTENSION not in weak
            and _Tst.FEMORAL_STRETCH not in positive
            and (hist.local_cause is True or _Tst.TINEL_MEDIAL_KNEE in positive)
        )
    if nid == "femoral":
        return (
            _Move.KNEE_EXTENSION in weak
            and _Move.HIP_ADDUCTION not in weak
            and hist.back_pain is not True
        )
    if nid in ("tibial", "medial_plantar", "lateral_plantar"):
        return (
            _Rx.ACHILLES not in down
            and _Move.ANKLE_PLANTARFLEXION not in weak
            and (_Tst.TINEL_TARSAL_TUNNEL in positive or hist.local_cause is True)
        )
    return False


def _score_side(
    tab: _Table,
    side: Side,
    marks: dict[str, float],
    ex: _Exam,
    hist: History,
    bilateral_achilles: bool,
    claudication_bilateral: bool,
    notes: list[str],
) -> list[Hypothesis]:
    """Score every hypothesis for one marked side; the kept ones, highest score first."""
    side_name = _SIDE_NAMES[side]
    n = len(tab.hyps)
    n_roots = len(ROOT_IDS)
    sp = _scoring_pass(tab, marks)
    base = sp.base
    precision = sp.precision
    st = _SideState(side_name, base, precision)
    extra = st.extra
    keys = marks.keys()
    # proximal-extent rule: marks above the knee and below the thigh
    if not keys.isdisjoint(ABOVE_KNEE) and not keys <= THIGH_AND_UP:
        for i in tab.below_knee_nerves:
            if base[i] > 0:
                base[i] *= 0.5
                extra[i].append(_PROXIMAL_ITEM)
    # pure-sensory rule
    if ex.weak_or_reflex:
        item = _PURE_SENSORY_ITEMS[side_name]
        for nid in PURE_SENSORY:
            i = tab.nerve_index[nid]
            if base[i] > 0:
                base[i] *= 0.2
                st.contradicted[i] = True
                extra[i].append(item)
    _confusion_floor(st)
    _exam_modifiers(st, ex, hist, bilateral_achilles, claudication_bilateral)
    mult = st.mult
    for i, item in _RARE_ROOT_ITEMS:
        if base[i] > 0:
            mult[i] *= RARE_ROOT_PRIOR
            extra[i].append(item)
    # _odds(b, k) for every hypothesis, inline
    scores = [
        0.0 if b <= 0 else 1.0 if b >= 1 else (o := b / (1 - b) * k) / (1 + o)
        for b, k in zip(base, mult, strict=True)
    ]
    best_root = max(scores[:n_roots])
    # nerve-versus-root rule: a nerve that is not singled out stays just behind the best root
    limit = max(0.0, best_root - 0.01)
    qualified = st.qualified
    for nid, i in tab.nerve_index.items():
        x = scores[i]
        if x <= 0:
            continue
        if nid in qualified or (precision[nid] >= 0.9 and _nerve_qualifies(nid, marks, ex, hist)):
            extra[i].append(_qualified_item(nid, side_name))
            continue
        capped = x * NERVE_NOT_QUALIFIED
        if limit < capped:  # min(capped, limit)
            capped = limit
        if capped < x:
            scores[i] = capped
            extra[i].append(_NOT_SINGLED_OUT_ITEM)
    # adjacent two-root patterns
    # (not when some nerve's territory holds every mark)
    if len(marks) >= 2 and max(precision.values(), default=0.0) < 0.999:
        _multi_root(tab, side, marks, scores, sp.num, sp.denom, extra, notes)
    order = sorted(range(n), key=scores.__getitem__, reverse=True)  # stable: ties keep order
    keep = [k for k in order if scores[k] > MIN_SCORE]
    if len(keep) < 2:
        keep = order[:2]
    return _side_hypotheses(tab, keep, side_name, marks, scores, sp, extra, st.contradicted)


def _side_hypotheses(
    tab: _Table,
    keep: list[int],
    side_name: str,
    marks: dict[str, float],
    scores: list[float],
    sp: _Pass,
    extra: list[list[_Item]],
    contradicted: list[bool],
) -> list[Hypothesis]:
    """The labelled hypotheses of one side, in ``keep`` order (highest score first).

    Evidence: the hypothesis's line for each marked area of its territory (collected by the
    scoring pass, in mark order), the key point, the unexplained areas, then the rule lines.
    Reference ids are the keys of insertion-ordered dicts, so the first occurrence fixes their
    order. Labels: the top is "more likely" only on a clear margin over the side's next entry,
    with a key point or a highly specific area marked and no contradicting finding; the others
    are "possible" down to half the top score, "less likely" below.
    """
    evidence = sp.evidence
    root_sources = sp.root_sources
    hyps = tab.hyps
    not_explained = tab.not_explained
    territory = tab.territory
    key_point_items = tab.key_point_items
    nerve_sources = tab.nerve_sources
    n_roots = len(ROOT_IDS)
    n_marks = len(marks)
    # max(0.0, min(1.0, score)) for each kept score
    clamped = [x if x < 1.0 else 1.0 for x in map(scores.__getitem__, keep)]
    clamped = [x if x > 0.0 else 0.0 for x in clamped]
    top = keep[0]
    top_score = clamped[0]
    second = clamped[1] if len(clamped) > 1 else 0.0
    top_label = _Lbl.POSSIBLE
    if top_score - second >= MARGIN_MORE_LIKELY and not contradicted[top]:
        specific = not _KEY_POINT_AREAS.get(hyps[top], _NO_AREAS).isdisjoint(
            marks
        ) or not tab.specific_areas[top].isdisjoint(marks)
        if specific:
            top_label = _Lbl.MORE_LIKELY
    half = 0.5 * top_score
    possible, less_likely = _Lbl.POSSIBLE, _Lbl.LESS_LIKELY
    out: list[Hypothesis] = []
    for i, score in zip(keep, clamped, strict=True):
        ev = evidence[i]
        n_inside = len(ev)
        src: dict[str, None]
        if i < n_roots:
            src = root_sources[i]
            kp = key_point_items[i]
            if kp is not None and kp[0] in marks:
                ev.append(kp[1])
                src |= _KEY_POINT_SOURCES
        else:  # every area of a nerve's territory cites the nerve's sources
            src = dict.fromkeys(nerve_sources[i]) if ev else {}
        if ev and n_inside < n_marks:
            # "Not explained by <name>: " + the marked areas outside the territory
            ev.append(not_explained[i] + ", ".join(filterfalse(territory[i].__contains__, marks)))
        for line, line_src in extra[i]:
            ev.append(line)
            src |= line_src
        label = top_label if i == top else (possible if score >= half else less_likely)
        if _FAST_HYPOTHESIS:  # _hypothesis(...), inline
            h: Hypothesis = _new_object(Hypothesis)
            _set_attribute(
                h,
                "__dict__",
                {
                    "id": hyps[i],
                    "side": side_name,
                    "score": score,
                    "label": label,
                    "evidence": tuple(ev),
                    "sources": tuple(src),
                },
            )
        else:  # pragma: no cover - only if the model class changes shape
            h = Hypothesis(hyps[i], side_name, score, label, tuple(ev), tuple(src))
        out.append(h)
    return out


def _confusion_floor(st: _SideState) -> None:
    """L5 and S1 drawings overlap widely: each keeps a floor relative to the other.

    In operated series, pain in the L5 dermatome came from the L5-S1 disc in about one case in
    five, and pain in the S1 dermatome from the L4-5 disc in about one in three; clinicians
    cannot separate L5 from S1 drawings better than chance [R17, R19].
    """
    base = st.base
    for src, dst, ratio in ((_L5, _S1, FLOOR_S1_FROM_L5), (_S1, _L5, FLOOR_L5_FROM_S1)):
        floor = ratio * base[src]
        if floor > base[dst]:
            base[dst] = floor
            st.extra[dst].append(_FLOOR_ITEMS[dst])


def _multi_root(
    tab: _Table,
    side: Side,
    marks: dict[str, float],
    scores: list[float],
    num: list[float],
    denom: float,
    extra: list[list[_Item]],
    notes: list[str],
) -> None:
    """Adjacent two-root pattern: two neighbouring roots explain the marks much better than
    either alone (only called with two or more marks and no nerve containing them all)."""
    spec = tab.spec
    pw = tab.pair_weights
    # the single-root precision numerators are the ones the base scores summed
    best_single = max(num[: len(ROOT_IDS)]) / denom
    best: tuple[float, str, str] | None = None
    for k, (a_root, b_root) in enumerate(PAIRS):
        # each root needs a marked area of its own (weight >= 0.75 where the other's is less)
        only_a, only_b = tab.pair_unique[k]
        if only_a.isdisjoint(marks) or only_b.isdisjoint(marks):
            continue
        ia, ib = tab.index[a_root], tab.index[b_root]
        # the pair's numerator is at most the sum of the two single-root numerators: skip the
        # exact sum when even that bound (with a margin far above rounding) falls short
        if (num[ia] + num[ib]) / denom - best_single < 0.2 - 1e-9:
            continue
        p_pair = sum(spec[a] * e * pw[a][k] for a, e in marks.items()) / denom
        if p_pair - best_single >= 0.2 and (best is None or p_pair > best[0]):
            best = (p_pair, a_root, b_root)
    if best is None:
        return
    _, a_root, b_root = best
    ia, ib = tab.index[a_root], tab.index[b_root]
    lead, partner = (ia, ib) if scores[ia] >= scores[ib] else (ib, ia)
    scores[partner] = max(scores[partner], 0.9 * scores[lead])
    text = (
        f"{a_root} + {b_root} pattern ({side.value}): together the two adjacent roots explain "
        f"the marks much better than either alone {_c(('R17', 'R16', 'DM-H'))}"
    )
    item = _item(text, ("R17", "R16", "DM-H"))
    for i in (ia, ib):
        extra[i].append(item)
    notes.append(
        f"{side.display} leg: the marks fit two adjacent roots ({a_root} + {b_root}), as in a "
        f"large or two-level disc lesion or stenosis {_c(('R17', 'R16', 'R31b'))}"
    )


_DISTAL: Final = frozenset(
    {
        "medial_malleolus",
        "lateral_malleolus",
        "anterior_ankle",
        "dorsum_of_foot",
        "first_web_space",
        *TOES,
        "medial_border_of_foot",
        "lateral_border_of_foot",
        "medial_sole",
        "lateral_sole",
        "heel",
        "lateral_heel",
    }
)
_LOWER_LEG_OK: Final = LEG | _DISTAL


def _polyneuropathy(
    left: dict[str, float], right: dict[str, float], f: Findings, bilateral_achilles: bool
) -> tuple[float, bool, list[str], list[str]]:
    """Score of the stocking pattern; (score, fired, evidence, sources)."""
    if not left or not right:
        return 0.0, False, [], []
    la, ra = left.keys(), right.keys()
    union = la | ra
    jacc = len(la & ra) / len(union)
    toes_l, toes_r = len(la & TOES), len(ra & TOES)
    distal = _DISTAL
    lower_leg_ok = _LOWER_LEG_OK

    def distal_predominant(s: KeysView[str]) -> bool:
        return not distal.isdisjoint(s) and s <= lower_leg_ok

    saddle = "saddle" in la or "saddle" in ra
    fired = (  # cheap tests first
        not saddle
        and jacc >= 0.6
        and toes_l >= 2
        and toes_r >= 2
        and distal_predominant(la)
        and distal_predominant(ra)
    )
    ev: list[str] = []
    src = ["R64a", "R64c"]
    if fired:
        score = 0.5
        ev.append(
            f"Both feet marked symmetrically from the toes (overlap {jacc:.0%}), "
            f"distal-predominant: a length-dependent stocking pattern {_c(('R64a', 'R64c'))}"
        )
        if la >= LEG and ra >= LEG:
            score += 0.3
            ev.append(
                f"circumferential_lower_leg marked: a horizontal stocking edge {_c(('R64c',))}"
            )
        roots_spanned = {"medial_border_of_foot", "great_toe", "medial_malleolus"} & (la & ra)
        if (
            roots_spanned
            and {"little_toe", "lateral_border_of_foot", "heel", "lateral_sole"} & (la & ra)
            and {"dorsum_of_foot", "middle_toes", "first_web_space"} & (la & ra)
        ) or ({"great_toe", "middle_toes", "little_toe"} <= (la & ra)):
            score += 0.3
            ev.append(
                "Marks span several root territories on both feet (L4, L5 and S1), which one "
                f"root cannot explain {_c(('R64c',))}"
            )
    else:
        # a weak prior for any bilateral symmetric distal pattern
        d = len(union & distal) / len(union)
        score = 0.25 * jacc * d if toes_l and toes_r else 0.1 * jacc * d
        if score > 0:
            ev.append(
                f"Both sides marked (overlap {jacc:.0%}); not a full stocking pattern "
                f"{_c(('R64a', 'R64c'))}"
            )
    score = min(score, BASE_CEILING)
    mult = 1.0
    if bilateral_achilles:
        mult *= 2.0
        ev.append(
            f"Ankle reflexes reduced on both sides: lost first in polyneuropathy {_c(('R64a',))}"
        )
        src.append("R64a")
    if f.history.diabetes is True:
        mult *= 2.0
        ev.append(
            f"Diabetes: about half of people with diabetes develop a neuropathy {_c(('R64d',))}"
        )
        src.append("R64d")
    if f.history.back_pain is True or f.history.neurogenic_claudication is True:
        mult *= 0.7
        ev.append(
            f"Back pain or walking-related symptoms point towards the spine {_c(('R64c', 'R31'))}"
        )
        src.append("R31")
    return _odds(score, mult), fired, ev, src


# --- red flags, warnings, conditions, notes ---------------------------------------------


_RED_FLAGS: Final = tuple(RedFlag)  # spec order


@cache
def _flag_label(flag: RedFlag) -> str:
    info = clinical.red_flags().get(flag.value)
    return info.label.lower() if info else flag.value.replace("_", " ")


def _override(session: Session, side_marks: dict[Side, dict[str, float]]) -> list[str]:
    triggers: list[str] = []
    saddle_sides = [_SIDE_NAMES[s] for s, m in side_marks.items() if "saddle" in m]
    if saddle_sides:
        triggers.append("saddle area marked (" + ", ".join(saddle_sides) + ")")
    # every listed red flag triggers the override, bilateral sciatica included [R47, R48]
    if session.red_flags:
        triggers.extend(_flag_label(flag) for flag in _RED_FLAGS if flag in session.red_flags)
    return triggers


@lru_cache(maxsize=256)
def _urgent_warning(triggers: tuple[str, ...], both_marked: bool) -> Warning:
    text = (
        "Possible cauda equina syndrome: "
        + "; ".join(triggers)
        + ". Arrange same-day emergency assessment now (emergency department or on-call spinal "
        "team) with an emergency MRI. Do not wait to see whether it settles: earlier "
        "decompression gives the best chance of recovery, and no delay (including 48 hours) is "
        "known to be safe."
    )
    if both_marked:
        text += " Ask the remaining cauda equina questions (bladder, bowel, saddle sensation)."
    return Warning(
        id="cauda_equina",
        text=text,
        urgent=True,
        triggers=tuple(triggers),
        sources=("R47", "R48", "R49", "R41", "R43", "R44"),
    )


@cache
def _ces_question_warning(recent: bool, urgent: bool) -> Warning:
    if recent:
        text = (
            "Both legs are marked and the symptoms began less than 14 days ago. Ask the cauda "
            "equina questions now (saddle numbness, new difficulty passing urine or altered "
            "stream, incontinence, bowel change, sexual dysfunction, worsening weakness in both "
            "legs) and arrange same-day assessment; any yes means emergency referral."
        )
        wid = "cauda_equina_recent_bilateral"
    else:
        text = (
            "Both legs are marked. Ask the cauda equina questions (saddle numbness, new "
            "difficulty passing urine or altered stream, incontinence, bowel change, sexual "
            "dysfunction, worsening weakness in both legs); any yes means emergency referral."
        )
        wid = "cauda_equina_questions"
    return Warning(id=wid, text=text, urgent=urgent, sources=("R47", "R48", "R49"))


@lru_cache(maxsize=1024)
def _condition(cid: str, why: str, urgent: bool = False) -> Condition:
    """The condition ``cid`` with its reason; conditions are immutable, so equal arguments
    share one object (the reasons come from a small fixed vocabulary)."""
    info = clinical.conditions()[cid]
    return Condition(
        id=cid,
        name=info.name,
        why=f"{why} {cite(info.sources[:4])}".strip(),
        next_steps=info.next_steps,
        sources=info.sources,
        urgent=urgent,
    )


def _conditions(
    urgent: bool,
    triggers: list[str],
    side_tops: dict[str, str],
    bilateral_radicular: bool,
    poly_top: bool,
    f: Findings,
) -> tuple[Condition, ...]:
    """Conditions that fit, most relevant first (a function of a few discrete facts)."""
    hist = f.history
    return _conditions_for(
        urgent,
        tuple(triggers),
        tuple(side_tops.values()),
        bilateral_radicular,
        poly_top,
        hist.age,
        hist.neurogenic_claudication is True,
        hist.diabetes is True,
    )


@lru_cache(maxsize=2048)
def _conditions_for(
    urgent: bool,
    triggers: tuple[str, ...],
    tops: tuple[str, ...],
    bilateral_radicular: bool,
    poly_top: bool,
    age: int | None,
    claud: bool,
    diabetes: bool,
) -> tuple[Condition, ...]:
    """:func:`_conditions` from its inputs: red-flag triggers, each marked side's top
    hypothesis, the bilateral and polyneuropathy patterns and three history items."""
    out: dict[str, Condition] = {}

    def add(cid: str, why: str, urgent_flag: bool = False) -> None:
        if cid not in out:
            out[cid] = _condition(cid, why, urgent_flag)

    if urgent:
        add("cauda_equina", "Red-flag features: " + "; ".join(triggers) + ".", True)
    older = age is not None and age >= 60
    if bilateral_radicular and (claud or older):
        why = "Both legs show a root pattern"
        if claud:
            why += " with symptoms on walking or standing eased by sitting or bending forward"
        if older:
            why += f", age {age}"
        add("spinal_stenosis", why + ".")
        add(
            "spondylolisthesis",
            "Degenerative slip at L4-5 often narrows the canal and presents like stenosis.",
        )
    if poly_top:
        why = "Symmetric stocking pattern on both feet starting at the toes"
        if diabetes:
            why += "; diabetes is the commonest cause"
        add("polyneuropathy", why + ".")
    roots_seen = [r for r in tops if not r.startswith("peripheral:")]
    nerves_seen = [r for r in tops if r.startswith("peripheral:")]
    if claud and roots_seen:
        add(
            "spinal_stenosis",
            "Symptoms on walking or standing eased by sitting or bending forward (neurogenic "
            "claudication).",
        )
    for root in dict.fromkeys(roots_seen):
        if root == "L5":
            add(
                "disc_herniation",
                "L5 pattern: most often an L4-5 posterolateral herniation, less often an L5-S1 "
                "far-lateral one.",
            )
            if age is not None and age < 50:
                add(
                    "spondylolisthesis",
                    "L5 pattern in a younger patient: isthmic slip at L5-S1 pinches the exiting L5 "
                    "root.",
                )
            add(
                "spondylolisthesis",
                "L5 pattern: a degenerative slip at L4-5 (women over 50) narrows the lateral "
                "recess; an isthmic slip at L5-S1 pinches the exiting L5 root.",
            )
            add("spinal_stenosis", "L5 pattern: lateral-recess stenosis at L4-5.")
        elif root == "S1":
            add("disc_herniation", "S1 pattern: most often an L5-S1 posterolateral herniation.")
            add("spinal_stenosis", "S1 pattern: lateral-recess stenosis at L5-S1.")
        elif root == "L4":
            add(
                "disc_herniation",
                "L4 pattern: an L3-4 posterolateral or an L4-5 far-lateral herniation.",
            )
            add("spinal_stenosis", "L4 pattern: stenosis at L3-4 or L4-5.")
        elif root in ("L1", "L2", "L3"):
            add("disc_herniation", f"{root} pattern: upper lumbar herniations are uncommon.")
            add("spinal_stenosis", f"{root} pattern: stenosis at an upper lumbar level.")
        elif root in ("S2", "S3", "S4", "S5"):
            add("disc_herniation", f"{root} pattern: a large L5-S1 herniation.")
            add("cauda_equina", "Sacral root pattern: ask the cauda equina questions.")
    if nerves_seen:
        names = ", ".join(_pname(n) for n in dict.fromkeys(nerves_seen))
        add("peripheral_entrapment", f"The marks fit a single nerve territory ({names}).")
        add("disc_herniation", "The root the nerve mimics remains the main alternative.")
    return tuple(out.values())


def _atlas_notes(tab: _Table, side_marks: dict[Side, dict[str, float]]) -> list[str]:
    """Map-disagreement notes for the marked areas, then the low-specificity note."""
    marked = side_marks[_LEFT].keys() | side_marks[_RIGHT].keys()
    notes = [text for area, text in tab.disagreement_notes if area in marked]
    low = sorted(marked & tab.atlas.low_specificity)
    if low:
        notes.append(
            f"On the {tab.atlas.name} map these areas vary a lot between people and count for "
            f"less: {', '.join(zones.display_name(a).lower() for a in low)} {_c(('R1', 'R5'))}"
        )
    return notes


_HYPOTHESIS_FIELDS: Final = ("id", "side", "score", "label", "evidence", "sources")
# Hypothesis is a frozen dataclass: its __init__ sets each field through object.__setattr__.
# When it is a plain dataclass with exactly these fields (no slots, no __post_init__), filling
# the instance dictionary in one step gives an equal object at half the cost.
_FAST_HYPOTHESIS: Final = (
    tuple(Hypothesis.__dataclass_fields__) == _HYPOTHESIS_FIELDS
    and "__slots__" not in Hypothesis.__dict__
    and not hasattr(Hypothesis, "__post_init__")
)
_new_object: Final = object.__new__
_set_attribute: Final = object.__setattr__


def _hypothesis(
    hid: str,
    side: str,
    score: float,
    label: Label,
    evidence: tuple[str, ...],
    sources: tuple[str, ...],
) -> Hypothesis:
    """``Hypothesis(hid, side, score, label, evidence, sources)``, built quickly."""
    if not _FAST_HYPOTHESIS:  # pragma: no cover - only if the model class changes shape
        return Hypothesis(hid, side, score, label, evidence, sources)
    h: Hypothesis = _new_object(Hypothesis)
    _set_attribute(
        h,
        "__dict__",
        {
            "id": hid,
            "side": side,
            "score": score,
            "label": label,
            "evidence": evidence,
            "sources": sources,
        },
    )
    return h


_score_of: Final = attrgetter("score")
_NO_EXAM_NOTE: Final = (
    "No examination findings entered: skin drawings alone separate L5 from S1 poorly; "
    "strength, reflexes and tests (and imaging if needed) are required to confirm "
    f"{_c(('R16', 'R17', 'R20'))}"
)
_DECISION_SUPPORT_NOTE: Final = (
    "Decision support, not a diagnosis: skin-map patterns identify the affected root "
    f"only modestly well {_c(('R15', 'R16', 'R17', 'R20'))}"
)


@lru_cache(maxsize=256)
def _cauda_equina_hypothesis(triggers: tuple[str, ...]) -> Hypothesis:
    """The red-flag override hypothesis (first, side ``both``, score 1); immutable, so equal
    triggers share one object."""
    evidence = (
        *(f"{t} {_c(CES_SOURCES)}" for t in triggers),
        "Red flags override the skin-map ranking; the root hypotheses below stay for "
        f"clinicians {_c(('R47', 'R48', 'R51'))}",
    )
    return Hypothesis(
        "cauda_equina", "both", 1.0, _Lbl.POSSIBLE, evidence, ("R47", "R48", "R49", "R51")
    )


def _validate_atlas(atlas: str) -> str:
    if atlas not in ATLAS_IDS:
        raise ValueError(f"unknown atlas {atlas!r}; valid atlas ids: {', '.join(ATLAS_IDS)}")
    return atlas


def analyze(session: Session, atlas: str | None = None) -> Analysis:
    """Analyse ``session`` under ``atlas`` (default: the session's own atlas).

    Parameters
    ----------
    session
        Marks, red flags and findings.
    atlas
        One of :data:`ATLAS_IDS`; ``None`` uses ``session.atlas``.

    Returns
    -------
    Analysis
        Hypotheses sorted by score (highest first), conditions, warnings and notes.

    Raises
    ------
    ValueError
        If the atlas id is not one of :data:`ATLAS_IDS` (the message lists the valid ids).
        No other exception is raised for a valid :class:`~core.model.Session`.
    """
    atlas_id = _validate_atlas(atlas if atlas is not None else session.atlas)
    tab = _table(atlas_id)
    f = session.findings
    hist = f.history
    unknown: set[str] = set()
    side_marks = _side_marks(session, unknown)
    marked_sides = [s for s in _SIDES if side_marks[s]]
    both = len(marked_sides) == 2
    notes: list[str] = []

    triggers = _override(session, side_marks)
    urgent = bool(triggers)

    bilateral_achilles = _reflex_down(f, _LEFT, _Rx.ACHILLES) and _reflex_down(
        f, _RIGHT, _Rx.ACHILLES
    )
    claudication_bilateral = both and hist.neurogenic_claudication is True

    side_tops: dict[str, str] = {}
    hyps: list[Hypothesis] = []
    for side in marked_sides:
        per = _score_side(
            tab,
            side,
            side_marks[side],
            _Exam(f, side),
            hist,
            bilateral_achilles,
            claudication_bilateral,
            notes,
        )
        if per and per[0].score > 0:
            side_tops[_SIDE_NAMES[side]] = per[0].id
        hyps.extend(per)

    poly_score, poly_fired, poly_ev, poly_src = _polyneuropathy(
        side_marks[_LEFT], side_marks[_RIGHT], f, bilateral_achilles
    )
    if poly_fired and hyps:
        best_root = max(map(_score_of, hyps))
        poly_score = max(poly_score, min(1.0, best_root + 0.05))

    if poly_score > MIN_SCORE:
        score = max(0.0, min(1.0, poly_score))
        # its label compares it with the best entry of either side
        second = max(map(_score_of, hyps), default=0.0)
        label = _Lbl.MORE_LIKELY if score - second >= MARGIN_MORE_LIKELY else _Lbl.POSSIBLE
        hyps.append(
            _hypothesis(
                "polyneuropathy",
                "both",
                score,
                label,
                tuple(poly_ev),
                tuple(dict.fromkeys(poly_src)),
            )
        )
    # the sides' lists are sorted already; a stable sort keeps left before right on ties
    hyps.sort(key=_score_of, reverse=True)
    poly_top = poly_fired or (bool(hyps) and hyps[0].id == "polyneuropathy")

    if urgent:
        hyps.insert(0, _cauda_equina_hypothesis(tuple(triggers)))

    warnings: list[Warning] = []
    if urgent:
        warnings.append(_urgent_warning(tuple(triggers), both))
    if both:
        recent = hist.onset_days is not None and hist.onset_days < 14
        warnings.append(_ces_question_warning(recent, urgent))

    # bilateral radicular: each side's top is a root
    bilateral_radicular = both and all(
        side_tops.get(_SIDE_NAMES[s], "peripheral:").startswith(("L", "S")) for s in marked_sides
    )
    conds = _conditions(urgent, triggers, side_tops, bilateral_radicular, poly_top, f)

    if not f.has_exam() and marked_sides:
        notes.append(_NO_EXAM_NOTE)
    notes.extend(_atlas_notes(tab, side_marks))
    if unknown:
        notes.append("Ignored unknown zones: " + ", ".join(sorted(unknown)))
    if marked_sides:
        notes.append(_DECISION_SUPPORT_NOTE)
    return Analysis(
        urgent=urgent,
        hypotheses=tuple(hyps),
        conditions=conds,
        warnings=tuple(warnings),
        atlas=atlas_id,
        notes=tuple(notes),
    )
