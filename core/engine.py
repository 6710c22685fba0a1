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
ids. The per-atlas tables are built once and cached, so one analysis costs well under a
millisecond.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from core import clinical
from core.clinical import ROOT_IDS, cite
from core.model import (
    Analysis,
    Condition,
    Findings,
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

ATLAS_IDS = ("consensus", "keegan_garrett", "foerster_lee")

__all__ = ["ATLAS_IDS", "analyze"]

# --- design constants (all "DM-H": Dermamap heuristics from clinical reference section 7) -------

W_PRECISION = 0.75
W_COVERAGE = 0.25
KEY_POINT_BONUS = 0.25
BASE_MAX = 1.25  # largest possible base score (precision 1 + coverage 1 weighted + key point)
BASE_CEILING = 0.95  # base scores map linearly onto [0, 0.95] before exam modifiers
SYMPTOM_WEIGHT = {Symptom.NUMBNESS: 1.0, Symptom.TINGLING: 1.0, Symptom.PAIN: 0.85}
NERVE_NOT_QUALIFIED = 0.8  # a nerve that does not meet the nerve-vs-root rule stays behind
MIN_SCORE = 0.05
FLOOR_S1_FROM_L5 = 0.25  # ~ 31/137 of L5-dermatome pain from an L5-S1 disc [R19]
FLOOR_L5_FROM_S1 = 0.5  # ~ 66/122 of S1-dermatome pain from an L4-5 disc [R19]
RARE_ROOTS = ("L1", "L2", "L3", "S2")  # ~2-3% of herniations; L4-5 and L5-S1 ~95% [R19, R29]
RARE_ROOT_PRIOR = 0.5
HIGH_SPECIFICITY = 0.75
MARGIN_MORE_LIKELY = 0.2

KEY_POINTS = {
    "medial_malleolus": "L4",
    "dorsum_of_foot": "L5",
    "lateral_heel": "S1",
    "popliteal_fossa": "S2",
    "anterior_knee": "L3",
}
ABOVE_KNEE = frozenset({"buttock", "posterior_thigh", "lateral_thigh"})
THIGH_AND_UP = frozenset(
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
KNEE = frozenset({"anterior_knee", "medial_knee", "popliteal_fossa"})
LEG = frozenset({"anterior_lower_leg", "medial_lower_leg", "lateral_lower_leg", "posterior_calf"})
TOES = frozenset({"great_toe", "middle_toes", "little_toe", "plantar_toes"})
BELOW_KNEE_NERVES = frozenset(
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
PURE_SENSORY = ("sural", "saphenous", "lateral_femoral_cutaneous")
WEIGHT_WORDS = {
    1.0: "core territory",
    0.75: "strong shared territory",
    0.5: "overlap zone",
    0.25: "occasional territory",
}
CES_SOURCES = ("R47", "R48", "R49")


@cache
def _c(ids: tuple[str, ...]) -> str:
    """Cached :func:`core.clinical.cite` for literal tuples of ids."""
    return cite(ids)


@lru_cache(maxsize=4096)
def _valid_areas(zone: str) -> tuple[str, ...]:
    """Canonical areas ``zone`` stands for (empty for an unknown zone id); cached per zone id."""
    valid = _canonical_areas()
    return tuple(a for a in expand(zone) if a in valid)


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


@dataclass(frozen=True)
class _Table:
    atlas: clinical.Atlas
    hyps: tuple[str, ...]  # roots then peripheral:<nerve>
    index: dict[str, int]
    rows: dict[str, tuple[tuple[int, float], ...]]  # area -> nonzero (hyp index, weight)
    spec: dict[str, float]  # area -> region specificity
    total: tuple[float, ...]  # hyp -> total territory weight (soft coverage denominator)
    members: dict[str, frozenset[int]]  # area -> hyp indices with weight > 0
    nerve_index: dict[str, int]  # nerve id -> hyp index
    key_point_index: dict[str, int]  # key-point area -> index of its root
    root_weights: dict[str, tuple[float, ...]]  # area -> weight of each root (ROOT_IDS order)
    evidence: dict[tuple[str, int], str]  # (area, hyp index) -> evidence line
    sources: dict[tuple[str, int], tuple[str, ...]]


@cache
def _table(atlas_id: str) -> _Table:
    atlas = clinical.atlases()[atlas_id]
    nerves = clinical.nerves()
    hyps = (*ROOT_IDS, *(f"peripheral:{n}" for n in nerves))
    index = {h: i for i, h in enumerate(hyps)}
    n_roots = len(ROOT_IDS)
    rows: dict[str, tuple[tuple[int, float], ...]] = {}
    spec: dict[str, float] = {}
    total = [0.0] * len(hyps)
    evidence: dict[tuple[str, int], str] = {}
    sources: dict[tuple[str, int], tuple[str, ...]] = {}
    label = f"{atlas.name} map" if atlas.id != "consensus" else "consensus map"
    for area in _canonical_areas():
        row: list[tuple[int, float]] = []
        for i, root in enumerate(ROOT_IDS):
            w = atlas.weight(area, root)
            if w > 0:
                row.append((i, w))
        root_weights = [w for _, w in row]
        for nid, nerve in nerves.items():
            w = nerve.territory.get(area, 0.0)
            if w > 0:
                row.append((index[f"peripheral:{nid}"], w))
        rows[area] = tuple(row)
        # specificity: 1 - entropy of the root row, normalised by log(number of roots)
        s_tot = sum(root_weights)
        if s_tot > 0 and len(root_weights) > 1:
            ent = -sum((w / s_tot) * math.log(w / s_tot) for w in root_weights)
            s = 1.0 - ent / math.log(n_roots)
        else:
            s = 1.0
        if area in atlas.low_specificity:
            s *= 0.5
        spec[area] = max(0.1, s)
        area_src = atlas.sources_of(area)
        for i, w in row:
            total[i] += w
            hid = hyps[i]
            if i < n_roots:
                src = area_src
                text = f"{area}: {hid} {_weight_word(w)} ({label}) {_c(tuple(src))}"
            else:
                nerve = nerves[hid.split(":", 1)[1]]
                src = nerve.sources
                word = "territory" if w >= 1.0 else "partly in the territory"
                short = nerve.name.split(" (")[0]
                short = short[0].lower() + short[1:]
                if not short.endswith("nerve"):
                    short += " nerve"
                text = f"{area}: {word} of the {short} {_c(tuple(src))}"
            evidence[(area, i)] = text
            sources[(area, i)] = tuple(src)
    members = {a: frozenset(i for i, _ in row) for a, row in rows.items()}
    root_w = {a: tuple(atlas.weight(a, r) for r in ROOT_IDS) for a in rows}
    nerve_index = {nid: index[f"peripheral:{nid}"] for nid in nerves}
    kp_index = {a: index[r] for a, r in KEY_POINTS.items()}
    return _Table(
        atlas,
        hyps,
        index,
        rows,
        spec,
        tuple(total),
        members,
        nerve_index,
        kp_index,
        root_w,
        evidence,
        sources,
    )


# --- per-call helpers -----------------------------------------------------------------------------


@dataclass
class _Side:
    side: Side
    areas: dict[str, float]  # canonical area -> effective weight (coverage x symptom)
    num: list[float]  # specificity-weighted explained mass per hypothesis (precision numerator)
    denom: float  # sum of the specificities of the marked areas (precision denominator)
    base: list[float]
    mult: list[float]
    extra: list[list[str]]  # extra evidence per hypothesis
    extra_src: list[list[str]]
    contradicted: list[bool]
    qualified: set[str]  # nerve ids meeting the nerve-vs-root rule
    nerve_precision: dict[str, float]  # nerve id -> share of the marks inside its territory


def _side_marks(session: Session) -> dict[Side, dict[str, float]]:
    """Per side: canonical area -> effective weight, in order of first appearance."""
    out: dict[Side, dict[str, float]] = {Side.LEFT: {}, Side.RIGHT: {}}
    for m in session.marks:
        cov = m.coverage
        if not (cov > 0):  # also rejects NaN
            continue
        cov = min(1.0, cov)
        weight = cov * SYMPTOM_WEIGHT.get(m.symptom, 1.0)
        per = out[m.side]
        for area in _valid_areas(m.zone):
            if weight > per.get(area, 0.0):
                per[area] = weight
    return out


def _weak(f: Findings, side: Side, mv: Movement) -> bool:
    return f.power(side, mv) is Strength.WEAK


def _normal(f: Findings, side: Side, mv: Movement) -> bool:
    return f.power(side, mv) is Strength.NORMAL


def _reflex_down(f: Findings, side: Side, rx: Reflex) -> bool:
    return f.reflex(side, rx) in (ReflexGrade.REDUCED, ReflexGrade.ABSENT)


def _positive(f: Findings, side: Side, t: Test) -> bool:
    return f.test(side, t) is TestResult.POSITIVE


def _any_weak_or_reflex(f: Findings, side: Side) -> bool:
    weak = any(v is Strength.WEAK for v in f.strength.get(side, {}).values())
    rx = any(
        v in (ReflexGrade.REDUCED, ReflexGrade.ABSENT) for v in f.reflexes.get(side, {}).values()
    )
    return weak or rx


def _base_scores(
    tab: _Table, marks: dict[str, float]
) -> tuple[list[float], list[float], float, dict[str, float]]:
    """One pass over the marked areas: (base scores, precision numerators, denominator,
    nerve id -> share of the specificity-weighted marks inside its territory)."""
    n = len(tab.hyps)
    num = [0.0] * n
    cov = [0.0] * n
    inside = [0.0] * n
    denom = 0.0
    bonus = [0.0] * n
    spec = tab.spec
    rows = tab.rows
    key_points = tab.key_point_index
    for area, e in marks.items():
        s = spec[area]
        denom += s
        se = s * e
        for i, w in rows[area]:
            num[i] += se * w
            cov[i] += e * w
            inside[i] += s
        kp = key_points.get(area)
        if kp is not None:
            bonus[kp] = max(bonus[kp], KEY_POINT_BONUS * e)
    precision = {nid: (inside[i] / denom if denom else 0.0) for nid, i in tab.nerve_index.items()}
    out = [0.0] * n
    if denom <= 0:
        return out, num, denom, precision
    total = tab.total
    for i in range(n):
        if num[i] <= 0:
            continue
        p = num[i] / denom
        c = cov[i] / total[i] if total[i] > 0 else 0.0
        raw = W_PRECISION * p + W_COVERAGE * min(1.0, c) + bonus[i]
        out[i] = min(BASE_CEILING, raw / BASE_MAX * BASE_CEILING)
    return out, num, denom, precision


def _odds(score: float, factor: float) -> float:
    if score <= 0:
        return 0.0
    if score >= 1:
        return 1.0
    o = score / (1 - score) * factor
    return o / (1 + o)


class _Mods:
    """Collects exam-modifier multipliers and their evidence for one side."""

    def __init__(self, tab: _Table, st: _Side) -> None:
        self.tab = tab
        self.st = st

    def apply(self, hid: str, factor: float, text: str, sources: Iterable[str]) -> None:
        i = self.tab.index[hid]
        self.st.mult[i] *= factor
        src = tuple(sources)
        verb = "favours" if factor > 1 else "argues against"
        self.st.extra[i].append(
            f"{text} ({self.st.side.value}): {verb} {_pname(hid)} {_c(tuple(src))}"
        )
        self.st.extra_src[i].extend(src)
        if factor < 1:
            self.st.contradicted[i] = True

    def apply_many(
        self, hids: Iterable[str], factor: float, text: str, sources: Iterable[str]
    ) -> None:
        src = tuple(sources)
        for h in hids:
            self.apply(h, factor, text, src)


def _exam_modifiers(
    tab: _Table, st: _Side, f: Findings, bilateral_achilles: bool, claudication_bilateral: bool
) -> None:
    side = st.side
    m = _Mods(tab, st)
    hist = f.history
    peroneal = ("peripheral:common_peroneal", "peripheral:deep_peroneal")
    if _weak(f, side, Movement.HIP_ABDUCTION):
        m.apply("L5", 3.0, "Hip abduction weak", ("R21",))
        m.apply_many(peroneal, 0.2, "Hip abduction weak", ("R21", "R52"))
    if _weak(f, side, Movement.ANKLE_INVERSION):
        m.apply("L5", 2.5, "Ankle inversion weak", ("R52", "R54"))
        m.apply_many(
            (*peroneal, "peripheral:superficial_peroneal"),
            0.2,
            "Ankle inversion weak",
            ("R52", "R54"),
        )
    ehl = _weak(f, side, Movement.GREAT_TOE_EXTENSION)
    df = _weak(f, side, Movement.ANKLE_DORSIFLEXION)
    # toe extension and dorsiflexion weakness cannot separate the L5 root from the peroneal
    # nerve on its own, so both gain
    if ehl:
        m.apply("L5", 1.5, "Great-toe extension weak", ("R13", "R8"))
        m.apply("peripheral:common_peroneal", 1.5, "Great-toe extension weak", ("R52", "R54"))
    if df:
        m.apply("L5", 1.5, "Ankle dorsiflexion weak", ("R13", "R8"))
        m.apply("L4", 1.2, "Ankle dorsiflexion weak", ("R8", "R13"))
        m.apply("peripheral:common_peroneal", 1.5, "Ankle dorsiflexion weak", ("R52", "R54"))
    if (
        (df or ehl)
        and _normal(f, side, Movement.ANKLE_INVERSION)
        and _normal(f, side, Movement.HIP_ABDUCTION)
        and hist.back_pain is not True
    ):
        text = "Foot drop with normal inversion and hip abduction, no back pain"
        src = ("R52", "R54", "R55")
        m.apply("peripheral:common_peroneal", 2.5, text, src)
        m.apply("L5", 0.4, text, src)
        st.qualified.add("common_peroneal")
    if _weak(f, side, Movement.ANKLE_EVERSION):
        m.apply("L5", 1.2, "Ankle eversion weak", ("R13",))
        m.apply_many(
            ("peripheral:common_peroneal", "peripheral:superficial_peroneal"),
            1.2,
            "Ankle eversion weak",
            ("R52", "R58"),
        )
    if _weak(f, side, Movement.ANKLE_PLANTARFLEXION):
        m.apply("S1", 2.0, "Plantar flexion weak", ("R8", "R13"))
        m.apply_many(
            ("peripheral:tibial", "peripheral:medial_plantar", "peripheral:lateral_plantar"),
            0.3,
            "Plantar flexion weak (the calf is spared in tarsal tunnel lesions)",
            ("R61",),
        )
    if _weak(f, side, Movement.KNEE_FLEXION):
        m.apply_many(("L5", "S1"), 1.2, "Knee flexion weak", ("R13",))
    if _weak(f, side, Movement.HIP_FLEXION):
        m.apply("L2", 1.5, "Hip flexion weak", ("R8", "R8d"))
    if _reflex_down(f, side, Reflex.ACHILLES):
        if bilateral_achilles:
            text = "Achilles reflexes reduced on both sides"
            m.apply("S1", 1.5, text, ("R21", "R64a"))
        else:
            m.apply("S1", 3.0, "Achilles reflex reduced", ("R21",))
        m.apply_many(
            ("peripheral:tibial", "peripheral:medial_plantar", "peripheral:lateral_plantar"),
            0.5,
            "Achilles reflex reduced",
            ("R61", "R63"),
        )
    if _reflex_down(f, side, Reflex.PATELLAR):
        m.apply("L4", 3.0, "Patellar reflex reduced", ("R21", "R13"))
        m.apply("L3", 2.0, "Patellar reflex reduced", ("R21",))
    if _reflex_down(f, side, Reflex.MEDIAL_HAMSTRING):
        m.apply("L5", 2.0, "Medial hamstring reflex reduced", ("R25", "R25c"))
    quads = _weak(f, side, Movement.KNEE_EXTENSION)
    if quads and _weak(f, side, Movement.HIP_ADDUCTION):
        text = "Knee extension and hip adduction weak"
        m.apply_many(("L3", "L4"), 2.0, text, ("R65", "R13"))
        m.apply("peripheral:femoral", 0.5, text, ("R65",))
    elif quads:
        m.apply_many(("L3", "L4"), 1.5, "Knee extension weak", ("R8", "R13", "R66"))
        if _normal(f, side, Movement.HIP_ADDUCTION) and hist.back_pain is not True:
            text = "Knee extension weak with hip adduction spared, no back pain"
            m.apply("peripheral:femoral", 2.0, text, ("R65",))
            st.qualified.add("femoral")
    if _positive(f, side, Test.FEMORAL_STRETCH):
        m.apply_many(("L2", "L3", "L4"), 3.0, "Femoral stretch test positive", ("R21", "R22"))
    if _positive(f, side, Test.STRAIGHT_LEG_RAISE):
        m.apply_many(("L5", "S1"), 1.3, "Straight-leg raise positive", ("R24", "R22"))
    if _positive(f, side, Test.CROSSED_STRAIGHT_LEG_RAISE):
        m.apply_many(("L5", "S1"), 2.0, "Crossed straight-leg raise positive", ("R24",))
    tension = [
        t
        for t in (Test.STRAIGHT_LEG_RAISE, Test.CROSSED_STRAIGHT_LEG_RAISE, Test.FEMORAL_STRETCH)
        if _positive(f, side, t)
    ]
    if tension:
        # nerve-root tension signs stretch the roots, not a nerve entrapped in the leg or foot
        m.apply_many(
            sorted(f"peripheral:{n}" for n in BELOW_KNEE_NERVES),
            0.5,
            "Root tension sign positive",
            ("R22", "R24", "DM-H"),
        )
    tinel: dict[Test, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
        Test.TINEL_FIBULAR_HEAD: (
            ("common_peroneal",),
            "Tinel sign at the fibular head",
            ("R52", "R53"),
        ),
        Test.TINEL_TARSAL_TUNNEL: (
            ("tibial", "medial_plantar", "lateral_plantar"),
            "Tinel sign at the tarsal tunnel",
            ("R61", "R63"),
        ),
        Test.TINEL_MEDIAL_KNEE: (("saphenous",), "Tinel sign at the medial knee", ("R58", "R73")),
        Test.TINEL_LATERAL_ANKLE: (("sural",), "Tinel sign at the lateral ankle", ("R57",)),
        Test.TINEL_ANTERIOR_ANKLE: (("deep_peroneal",), "Tinel sign at the ankle", ("R56",)),
        Test.TINEL_LEG_FASCIA: (
            ("superficial_peroneal",),
            "Tinel sign at the leg fascia",
            ("R58",),
        ),
        Test.PELVIC_COMPRESSION: (
            ("lateral_femoral_cutaneous",),
            "Pelvic compression test positive",
            ("R59",),
        ),
    }
    for test, (nids, tinel_text, tinel_src) in tinel.items():
        if _positive(f, side, test):
            m.apply_many((f"peripheral:{n}" for n in nids), 2.0, tinel_text, tinel_src)
    # normal exam + local cause + marks inside a pure-sensory nerve territory
    exam_entered = bool(f.strength.get(side)) or bool(f.reflexes.get(side))
    if hist.local_cause is True and exam_entered and not _any_weak_or_reflex(f, side):
        for nid in ("sural", "saphenous", "lateral_femoral_cutaneous", "superficial_peroneal"):
            hid = f"peripheral:{nid}"
            if st.nerve_precision[nid] >= 0.999:
                text = "Normal motor and reflex exam with a local cause, marks inside the territory"
                m.apply(hid, 2.0, text, (*clinical.nerves()[nid].sources[:2], "DM-H"))
    if claudication_bilateral:
        text = "Bilateral symptoms with neurogenic claudication (canal narrowing)"
        m.apply_many(("L4", "L5", "S1"), 1.5, text, ("R31", "R35"))
        nerve_ids = [h for h in tab.hyps if h.startswith("peripheral:")]
        m.apply_many(nerve_ids, 0.5, text, ("R31",))
    if hist.diabetes is True:
        for nid in ("lateral_femoral_cutaneous",):
            m.apply(f"peripheral:{nid}", 1.2, "Diabetes (a risk factor)", ("R59",))


def _nerve_qualifies(
    nid: str, marks: dict[str, float], precision: float, f: Findings, side: Side
) -> bool:
    """Nerve-versus-root rule (7.5): all marks inside the territory plus a distinguishing sign."""
    if precision < 0.9:
        return False
    m = set(marks)
    hist = f.history
    weakness_or_reflex = _any_weak_or_reflex(f, side)
    achilles_down = _reflex_down(f, side, Reflex.ACHILLES)
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
        return bool(m & lateral) and not weakness_or_reflex and not (m & THIGH_AND_UP)
    if nid == "superficial_peroneal":
        return (
            "first_web_space" not in m
            and _positive(f, side, Test.TINEL_LEG_FASCIA)
            and not _weak(f, side, Movement.GREAT_TOE_EXTENSION)
        )
    if nid == "saphenous":
        return (
            not _reflex_down(f, side, Reflex.PATELLAR)
            and not _weak(f, side, Movement.KNEE_EXTENSION)
            and not _positive(f, side, Test.FEMORAL_STRETCH)
            and (hist.local_cause is True or _positive(f, side, Test.TINEL_MEDIAL_KNEE))
        )
    if nid == "femoral":
        return (
            _weak(f, side, Movement.KNEE_EXTENSION)
            and not _weak(f, side, Movement.HIP_ADDUCTION)
            and hist.back_pain is not True
        )
    if nid in ("tibial", "medial_plantar", "lateral_plantar"):
        return (
            not achilles_down
            and not _weak(f, side, Movement.ANKLE_PLANTARFLEXION)
            and (_positive(f, side, Test.TINEL_TARSAL_TUNNEL) or hist.local_cause is True)
        )
    return False


@dataclass(frozen=True)
class _Ranked:
    hid: str
    side: str
    score: float
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    contradicted: bool


def _score_side(
    tab: _Table,
    side: Side,
    marks: dict[str, float],
    f: Findings,
    bilateral_achilles: bool,
    claudication_bilateral: bool,
    notes: list[str],
) -> list[_Ranked]:
    n = len(tab.hyps)
    base, num, denom, precision = _base_scores(tab, marks)
    st = _Side(
        side=side,
        areas=marks,
        num=num,
        denom=denom,
        base=base,
        mult=[1.0] * n,
        extra=[[] for _ in range(n)],
        extra_src=[[] for _ in range(n)],
        contradicted=[False] * n,
        qualified=set(),
        nerve_precision=precision,
    )
    # proximal-extent rule
    if marks.keys() & ABOVE_KNEE and marks.keys() - THIGH_AND_UP:
        for nid in BELOW_KNEE_NERVES:
            i = tab.index[f"peripheral:{nid}"]
            if st.base[i] > 0:
                st.base[i] *= 0.5
                st.extra[i].append(
                    "Marks reach above the knee: root lesions extend proximally, distal nerve "
                    f"lesions do not {_c(('R13', 'R30b'))}"
                )
                st.extra_src[i].extend(("R13", "R30b"))
    # pure-sensory rule
    if _any_weak_or_reflex(f, side):
        for nid in PURE_SENSORY:
            i = tab.index[f"peripheral:{nid}"]
            if st.base[i] > 0:
                st.base[i] *= 0.2
                st.contradicted[i] = True
                st.extra[i].append(
                    f"Weakness or reflex change ({side.value}): this nerve is purely sensory "
                    f"{_c(('R57', 'R59', 'R73'))}"
                )
                st.extra_src[i].extend(("R57", "R59", "R73"))
    _confusion_floor(tab, st)
    _exam_modifiers(tab, st, f, bilateral_achilles, claudication_bilateral)
    for root in RARE_ROOTS:
        i = tab.index[root]
        if st.base[i] > 0:
            st.mult[i] *= RARE_ROOT_PRIOR
            st.extra[i].append(
                f"{root} radiculopathy is uncommon: about 95% of lumbar disc herniations affect "
                f"L4-5 or L5-S1 {_c(('R19', 'R29'))}"
            )
            st.extra_src[i].extend(("R19", "R29"))
    scores = [_odds(st.base[i], st.mult[i]) for i in range(n)]
    n_roots = len(ROOT_IDS)
    best_root = max(scores[:n_roots]) if n_roots else 0.0
    # nerve-versus-root rule
    for nid in clinical.nerves():
        i = tab.index[f"peripheral:{nid}"]
        if scores[i] <= 0:
            continue
        if nid in st.qualified or _nerve_qualifies(nid, marks, st.nerve_precision[nid], f, side):
            st.extra[i].append(
                f"All marks lie inside this nerve's territory and a distinguishing sign fits "
                f"({side.value}) {cite(clinical.nerves()[nid].sources[:3])}"
            )
            continue
        capped = min(scores[i] * NERVE_NOT_QUALIFIED, max(0.0, best_root - 0.01))
        if capped < scores[i]:
            scores[i] = capped
            st.extra[i].append(
                "Listed as an alternative to the root: the marks or findings do not single out "
                f"this nerve {_c(('DM-H',))}"
            )
    # adjacent two-root patterns
    _multi_root(tab, side, marks, scores, st, notes)
    order = sorted(range(n), key=lambda k: -scores[k])
    keep = [k for k in order if scores[k] > MIN_SCORE]
    if len(keep) < 2:
        keep = order[:2]
    keep_set = set(keep)
    area_ev: dict[int, list[str]] = {i: [] for i in keep}
    area_src: dict[int, list[str]] = {i: [] for i in keep}
    for area in marks:
        for i, _w in tab.rows[area]:
            if i in keep_set:
                area_ev[i].append(tab.evidence[(area, i)])
                area_src[i].extend(tab.sources[(area, i)])
    out: list[_Ranked] = []
    for i in keep:
        hid = tab.hyps[i]
        ev = area_ev[i]
        src = area_src[i]
        if i < n_roots:
            kp = clinical.roots()[hid].key_point_area
            if kp in marks and KEY_POINTS.get(kp) == hid:
                ev.append(f"{kp}: ISNCSCI key sensory point for {hid} {_c(('R8', 'R9'))}")
                src.extend(("R8", "R9"))
        outside = [a for a in marks if i not in tab.members[a]]
        if outside and ev:
            ev.append(f"Not explained by {_pname(hid)}: {', '.join(outside)}")
        ev.extend(st.extra[i])
        src.extend(st.extra_src[i])
        out.append(
            _Ranked(
                hid,
                side.value,
                max(0.0, min(1.0, scores[i])),
                tuple(ev),
                tuple(dict.fromkeys(src)),
                st.contradicted[i],
            )
        )
    return out


def _confusion_floor(tab: _Table, st: _Side) -> None:
    """L5 and S1 drawings overlap widely: each keeps a floor relative to the other.

    In operated series, pain in the L5 dermatome came from the L5-S1 disc in about one case in
    five, and pain in the S1 dermatome from the L4-5 disc in about one in three; clinicians
    cannot separate L5 from S1 drawings better than chance [R17, R19].
    """
    il, is1 = tab.index["L5"], tab.index["S1"]
    for src, dst, ratio in ((il, is1, FLOOR_S1_FROM_L5), (is1, il, FLOOR_L5_FROM_S1)):
        floor = ratio * st.base[src]
        if floor > st.base[dst]:
            st.base[dst] = floor
            st.extra[dst].append(
                f"{tab.hyps[src]} and {tab.hyps[dst]} drawings overlap widely; kept as an "
                f"alternative {_c(('R17', 'R19'))}"
            )
            st.extra_src[dst].extend(("R17", "R19"))


PAIRS = (("L3", "L4"), ("L4", "L5"), ("L5", "S1"), ("S1", "S2"))


def _multi_root(
    tab: _Table,
    side: Side,
    marks: dict[str, float],
    scores: list[float],
    st: _Side,
    notes: list[str],
) -> None:
    if len(marks) < 2:
        return
    # a nerve whose territory contains every mark rules the pair out
    if any(p >= 0.999 for p in st.nerve_precision.values()):
        return
    n_roots = len(ROOT_IDS)
    spec = tab.spec
    rw = tab.root_weights
    # the single-root precision numerators are the ones the base scores summed
    den = st.denom
    best_single = max(st.num[:n_roots]) / den
    best: tuple[float, str, str] | None = None
    for a_root, b_root in PAIRS:
        ia, ib = tab.index[a_root], tab.index[b_root]
        p_pair = sum(spec[a] * e * max(rw[a][ia], rw[a][ib]) for a, e in marks.items()) / den
        if p_pair - best_single < 0.2:
            continue
        uniq_a = any(rw[a][ia] >= 0.75 > rw[a][ib] for a in marks)
        uniq_b = any(rw[a][ib] >= 0.75 > rw[a][ia] for a in marks)
        if uniq_a and uniq_b and (best is None or p_pair > best[0]):
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
    for i in (ia, ib):
        st.extra[i].append(text)
        st.extra_src[i].extend(("R17", "R16", "DM-H"))
    notes.append(
        f"{side.display} leg: the marks fit two adjacent roots ({a_root} + {b_root}), as in a "
        f"large or two-level disc lesion or stenosis {_c(('R17', 'R16', 'R31b'))}"
    )


def _polyneuropathy(
    left: dict[str, float], right: dict[str, float], f: Findings
) -> tuple[float, bool, list[str], list[str]]:
    """Score of the stocking pattern; (score, fired, evidence, sources)."""
    if not left or not right:
        return 0.0, False, [], []
    la, ra = set(left), set(right)
    jacc = len(la & ra) / len(la | ra)
    toes_l, toes_r = len(la & TOES), len(ra & TOES)
    distal = {
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
    lower_leg_ok = LEG | distal

    def distal_predominant(s: set[str]) -> bool:
        return bool(s & distal) and s <= lower_leg_ok

    saddle = "saddle" in la or "saddle" in ra
    fired = (
        jacc >= 0.6
        and toes_l >= 2
        and toes_r >= 2
        and distal_predominant(la)
        and distal_predominant(ra)
        and not saddle
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
        d = len((la | ra) & distal) / len(la | ra)
        score = 0.25 * jacc * d if toes_l and toes_r else 0.1 * jacc * d
        if score > 0:
            ev.append(
                f"Both sides marked (overlap {jacc:.0%}); not a full stocking pattern "
                f"{_c(('R64a', 'R64c'))}"
            )
    score = min(score, BASE_CEILING)
    mult = 1.0
    if _reflex_down(f, Side.LEFT, Reflex.ACHILLES) and _reflex_down(f, Side.RIGHT, Reflex.ACHILLES):
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


def _flag_label(flag: RedFlag) -> str:
    info = clinical.red_flags().get(flag.value)
    return info.label.lower() if info else flag.value.replace("_", " ")


def _override(session: Session, side_marks: dict[Side, dict[str, float]]) -> list[str]:
    triggers: list[str] = []
    saddle_sides = [s.value for s, m in side_marks.items() if "saddle" in m]
    if saddle_sides:
        triggers.append("saddle area marked (" + ", ".join(saddle_sides) + ")")
    # every listed red flag triggers the override, bilateral sciatica included [R47, R48]
    for flag in RedFlag:
        if flag in session.red_flags:
            triggers.append(_flag_label(flag))
    return triggers


def _urgent_warning(triggers: list[str], both_marked: bool) -> Warning:
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


def _condition(cid: str, why: str, urgent: bool = False) -> Condition:
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
    out: dict[str, Condition] = {}
    hist = f.history
    age = hist.age

    def add(cid: str, why: str, urgent_flag: bool = False) -> None:
        if cid not in out:
            out[cid] = _condition(cid, why, urgent_flag)

    if urgent:
        add("cauda_equina", "Red-flag features: " + "; ".join(triggers) + ".", True)
    claud = hist.neurogenic_claudication is True
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
        if hist.diabetes is True:
            why += "; diabetes is the commonest cause"
        add("polyneuropathy", why + ".")
    roots_seen = [r for r in side_tops.values() if not r.startswith("peripheral:")]
    nerves_seen = [r for r in side_tops.values() if r.startswith("peripheral:")]
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
    marked = {a for m in side_marks.values() for a in m}
    notes: list[str] = []
    seen: set[tuple[str, str]] = set()
    for other in ATLAS_IDS:
        if other == tab.atlas.id:
            continue
        for d in clinical.disagreements(tab.atlas.id, other):
            if d.area in marked and (d.area, d.root) not in seen:
                seen.add((d.area, d.root))
                other_name = clinical.atlases()[other].name
                notes.append(
                    f"Maps disagree on {d.area}: {d.root} weight {d.weight_a:g} on the "
                    f"{tab.atlas.name} map, {d.weight_b:g} on {other_name} ({d.note}) "
                    f"{cite(d.sources)}"
                )
    low = sorted(marked & tab.atlas.low_specificity)
    if low:
        notes.append(
            f"On the {tab.atlas.name} map these areas vary a lot between people and count for "
            f"less: {', '.join(low)} {_c(('R1', 'R5'))}"
        )
    return notes


def _label(rank: int, top: _Ranked, second: float, specific: bool, score: float) -> Label:
    if rank == 0:
        if top.score - second >= MARGIN_MORE_LIKELY and specific and not top.contradicted:
            return Label.MORE_LIKELY
        return Label.POSSIBLE
    return Label.POSSIBLE if score >= 0.5 * top.score else Label.LESS_LIKELY


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
    side_marks = _side_marks(session)
    marked_sides = [s for s in (Side.LEFT, Side.RIGHT) if side_marks[s]]
    both = len(marked_sides) == 2
    notes: list[str] = []

    triggers = _override(session, side_marks)
    urgent = bool(triggers)

    bilateral_achilles = _reflex_down(f, Side.LEFT, Reflex.ACHILLES) and _reflex_down(
        f, Side.RIGHT, Reflex.ACHILLES
    )
    claudication_bilateral = both and hist.neurogenic_claudication is True

    side_tops: dict[str, str] = {}
    side_lists: dict[str, list[_Ranked]] = {}
    for side in marked_sides:
        per = _score_side(
            tab, side, side_marks[side], f, bilateral_achilles, claudication_bilateral, notes
        )
        per.sort(key=lambda r: -r.score)
        side_lists[side.value] = per
        if per and per[0].score > 0:
            side_tops[side.value] = per[0].hid

    poly_score, poly_fired, poly_ev, poly_src = _polyneuropathy(
        side_marks[Side.LEFT], side_marks[Side.RIGHT], f
    )
    if poly_fired and side_lists:
        best_root = max(r.score for lst in side_lists.values() for r in lst)
        poly_score = max(poly_score, min(1.0, best_root + 0.05))

    out: list[_Ranked] = []
    for lst in side_lists.values():
        out.extend(lst)
    if poly_score > MIN_SCORE:
        out.append(
            _Ranked(
                "polyneuropathy",
                "both",
                max(0.0, min(1.0, poly_score)),
                tuple(poly_ev),
                tuple(dict.fromkeys(poly_src)),
                False,
            )
        )
    out.sort(key=lambda r: -r.score)

    # labels per side
    hyps: list[Hypothesis] = []
    labels: dict[int, Label] = {}
    for side_name in [s.value for s in marked_sides] + ["both"]:
        members = [i for i, r in enumerate(out) if r.side == side_name]
        if not members:
            continue
        top = out[members[0]]
        if side_name == "both":
            rest_scores = [r.score for r in out if r.side != "both"]
            second = max(rest_scores) if rest_scores else 0.0
            specific = True
        else:
            second = out[members[1]].score if len(members) > 1 else 0.0
            marks = side_marks[Side(side_name)]
            kp_ok = any(KEY_POINTS.get(a) == top.hid for a in marks)
            spec_ok = any(
                tab.spec[a] >= HIGH_SPECIFICITY
                and top.hid in tab.index
                and tab.index[top.hid] in tab.members[a]
                for a in marks
            )
            specific = kp_ok or spec_ok
        for rank, i in enumerate(members):
            labels[i] = _label(rank, top, second, specific, out[i].score)
    for i, r in enumerate(out):
        hyps.append(Hypothesis(r.hid, r.side, r.score, labels[i], r.evidence, r.sources))

    if urgent:
        ces_ev = (
            *(f"{t} {cite(CES_SOURCES)}" for t in triggers),
            "Red flags override the skin-map ranking; the root hypotheses below stay for "
            f"clinicians {_c(('R47', 'R48', 'R51'))}",
        )
        hyps.insert(
            0,
            Hypothesis(
                "cauda_equina",
                "both",
                1.0,
                Label.POSSIBLE,
                ces_ev,
                ("R47", "R48", "R49", "R51"),
            ),
        )

    warnings: list[Warning] = []
    if urgent:
        warnings.append(_urgent_warning(triggers, both))
    if both:
        recent = hist.onset_days is not None and hist.onset_days < 14
        warnings.append(_ces_question_warning(recent, urgent))

    # bilateral radicular: each side's top is a root
    bilateral_radicular = both and all(
        side_tops.get(s.value, "peripheral:").startswith(("L", "S")) for s in marked_sides
    )
    poly_top = poly_fired or (bool(out) and out[0].hid == "polyneuropathy")
    conds = _conditions(urgent, triggers, side_tops, bilateral_radicular, poly_top, f)

    if not f.has_exam() and marked_sides:
        notes.append(
            "No examination findings entered: skin drawings alone separate L5 from S1 poorly; "
            "strength, reflexes and tests (and imaging if needed) are required to confirm "
            f"{_c(('R16', 'R17', 'R20'))}"
        )
    notes.extend(_atlas_notes(tab, side_marks))
    unknown = sorted({m.zone for m in session.marks if not _valid_areas(m.zone)})
    if unknown:
        notes.append("Ignored unknown zones: " + ", ".join(unknown))
    if marked_sides:
        notes.append(
            "Decision support, not a diagnosis: skin-map patterns identify the affected root "
            f"only modestly well {_c(('R15', 'R16', 'R17', 'R20'))}"
        )
    return Analysis(
        urgent=urgent,
        hypotheses=tuple(hyps),
        conditions=conds,
        warnings=tuple(warnings),
        atlas=atlas_id,
        notes=tuple(notes),
    )
