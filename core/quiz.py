"""The quiz: questions, feedback and scoring of an answer.

:func:`core.quiz_generation.make_quiz` draws the questions from the atlases, the nerve data and
the engine (topics in :data:`TOPICS`; the generators live in :mod:`core.quiz_facts` and
:mod:`core.quiz_cases`). The kinds:

``mark_territory``
    Mark a root's core dermatome on **one leg, either side** (the prompt says so). Scored by
    area-weighted overlap: an F1 score in which every canonical area counts by its diagram
    surface. Core areas (weight 1.0) must be marked, shared and overlap areas (0.5-0.75) are
    neither required nor penalised, anything else counts against the answer. Slivers are
    forgiven: a core area smaller than :data:`SLIVER` of the territory is optional, and an area
    marked to :data:`FULL` or more counts as wholly marked (brush strokes leave gaps); the
    feedback names those small core areas. An area the map calls highly variable (Lee's) is
    neutral: the map makes no claim there.
``which_root``
    One area with a clear main root (one root at 1.0, every other below 0.75) is highlighted;
    pick the root among it and its neighbours.
``root_or_nerve``
    A generated foot-drop session (marks + exam findings); decide between ``L5`` and
    ``peripheral:common_peroneal``. The right answer is whichever of the two
    :func:`core.engine.analyze` ranks higher for that side (other localiser pairs too).
``which_area``, ``key_point``, ``myotome``, ``vignette``, ``map_disagreement``
    Choice questions; the explanation (``Question.reason``) is shown only after answering.

The diagram shows skin. Questions about muscles and reflexes (:data:`MUSCLE_KINDS`) shade
nothing after the answer: shading the root's dermatome would teach its skin as the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core import clinical
from core.learn import (
    CORE,
    EPS,
    OVERLAP,
    ZoneKey,
    area_weight,
    diagram_zones,
    drawn_areas,
    target_name,
    target_sources,
    territory_zones,
    weight_word,
    zone_areas,
)
from core.model import (
    Movement,
    Session,
    Side,
    Strength,
    Test,
    TestResult,
)
from core.names import is_nerve, is_or_are, nerve_id, the_hypothesis
from core.zones import area_of, areas

PASS_MARK = 0.8
"""A marking answer at or above this score counts as correct."""
SLIVER = 0.05
"""A core area smaller than this share of the territory's surface need not be marked."""
FULL = 0.9
"""An area marked to this fraction or more counts as wholly marked."""

TOPICS: dict[str, str] = {
    "dermatomes": "Dermatomes",
    "key_points": "Key sensory points",
    "myotomes": "Myotomes and reflexes",
    "root_or_nerve": "Root or nerve?",
    "vignettes": "Clinical vignettes",
    "maps": "Where maps disagree",
}
"""Question topics (id -> title); the quiz's filter pills and the progress view use them."""

MUSCLE_KINDS = frozenset({"myotome"})
"""Kinds that ask about muscles and reflexes (a root's myotome), not an area of skin: their
answer has no place on the diagram, so the feedback shades nothing (see
:attr:`Question.about_skin`)."""

# --------------------------------------------------------------------------- quiz model


@dataclass(frozen=True)
class Question:
    """One quiz item.

    Attributes
    ----------
    kind : str
        ``mark_territory``, ``which_root`` or ``root_or_nerve``.
    prompt : str
        What the student reads.
    target : str
        The right answer: a root id or ``peripheral:<nerve>``; for ``mark_territory`` the root
        whose dermatome is to be marked.
    atlas : str
        The atlas the question is asked (and scored) in.
    zones : tuple of (zone id, Side)
        ``which_root``: the highlighted zones. Empty otherwise.
    choices : tuple of str
        Answer options (root ids / ``peripheral:<nerve>``); empty for ``mark_territory``.
    session : Session or None
        ``root_or_nerve``: the generated case (marks + findings) to show.
    side : Side or None
        The side a question is about (None: either side).
    sources : tuple of str
        Reference ids behind the right answer.
    topic : str
        One of :data:`TOPICS`.
    labels : tuple of str
        Display text of each choice (same order); empty: names from :func:`target_name`.
    reason : str
        The explanation shown after answering (empty: written by the scorer).
    reveal : tuple of (zone id, Side)
        Zones shaded after answering (empty: the target's territory, if it has one; never any
        for a question about muscles and reflexes, :data:`MUSCLE_KINDS`).
    """

    kind: str
    prompt: str
    target: str
    atlas: str = "consensus"
    zones: tuple[ZoneKey, ...] = ()
    choices: tuple[str, ...] = ()
    session: Session | None = None
    side: Side | None = None
    sources: tuple[str, ...] = ()
    topic: str = "dermatomes"
    labels: tuple[str, ...] = ()
    reason: str = ""
    reveal: tuple[ZoneKey, ...] = ()

    @property
    def about_skin(self) -> bool:
        """True unless the question asks about muscles and reflexes (:data:`MUSCLE_KINDS`):
        only an answer about skin is shaded on the diagram."""
        return self.kind not in MUSCLE_KINDS

    def label(self, choice: str) -> str:
        """Display text of ``choice``."""
        if self.labels and choice in self.choices:
            return self.labels[self.choices.index(choice)]
        return target_name(choice)


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes
    ----------
    correct : bool
        Right (choice) or at least :data:`PASS_MARK` (marking).
    score : float
        0-1.
    reason : str
        Short explanation in our own words.
    sources : tuple of str
        Reference ids that back the explanation (all resolve in ``clinical.references()``).
    answer_zones : dict
        ``{(zone id, side): weight}`` to highlight the right answer on the diagram; empty when
        the answer has no place there (muscles and reflexes: :attr:`Question.about_skin`).
    answer : str
        What the student answered (a choice, or a summary of the marking).
    """

    correct: bool
    score: float
    reason: str
    sources: tuple[str, ...]
    answer_zones: Mapping[ZoneKey, float] = field(default_factory=dict)
    answer: str = ""


# --------------------------------------------------------------------------- scoring


def _area_sizes(side: Side) -> dict[str, float]:
    """Diagram surface of each canonical area on ``side``."""
    totals: dict[str, float] = {}
    for (zone, s), size in diagram_zones().items():
        if s is side:
            for a in zone_areas(zone):
                totals[a] = totals.get(a, 0.0) + size
    return totals


def _area_fractions(marks: Mapping[ZoneKey, float], side: Side) -> dict[str, float]:
    """Fraction (0-1) of each canonical area's diagram surface marked on ``side``."""
    sizes = diagram_zones()
    totals = _area_sizes(side)
    covered: dict[str, float] = {}
    whole: dict[str, float] = {}
    for (zone, s), cov in marks.items():
        if Side(s) is not side or cov <= 0:
            continue
        cov = min(1.0, float(cov))
        size = sizes.get((zone, side), 0.0)
        for a in zone_areas(zone):
            if size > 0 and totals.get(a):
                covered[a] = covered.get(a, 0.0) + cov * size / totals[a]
            else:
                # not drawn as such: a whole canonical area or a group alias
                whole[a] = max(whole.get(a, 0.0), cov)
    out: dict[str, float] = {}
    for a in set(covered) | set(whole):
        out[a] = min(1.0, max(covered.get(a, 0.0), whole.get(a, 0.0)))
    return out


@dataclass(frozen=True)
class _SideScore:
    """One leg's marking score (:func:`_marking_side_score`)."""

    score: float
    """Area-weighted F1 of :attr:`cover` and :attr:`inside`."""
    missed: list[str]
    """Core areas asked for and marked under half."""
    wrong: list[str]
    """Areas marked outside the root (overlap and the map's variable areas aside)."""
    required: int
    """Core areas asked for (those not too small to ask for)."""
    small: list[str]
    """Core areas too small to ask for, left unmarked."""
    cover: float = 0.0
    """Share (0-1) of the core skin asked for that the marks cover, each area by its size."""
    inside: float | None = None
    """Share (0-1) of the counted marks inside the core (the rest lies outside the root;
    marks on optional areas are left out of both); None when no mark counts."""


def _marking_side_score(
    target: str, atlas: str, fractions: Mapping[str, float], side: Side = Side.LEFT
) -> _SideScore:
    """Area-weighted F1 of the core skin covered and the marks inside it. An area the map calls
    highly variable (Lee's) is neither required nor wrong: the map makes no claim there."""
    drawn = drawn_areas()
    sizes = _area_sizes(side)
    mean = sum(sizes.values()) / len(sizes) if sizes else 1.0

    def size(a: str) -> float:
        return sizes.get(a) or mean

    core = [a for a in areas() if a in drawn and area_weight(target, a, atlas) + EPS >= CORE]
    core_total = sum(size(a) for a in core)
    required = [a for a in core if size(a) >= SLIVER * core_total]

    def frac(a: str) -> float:
        f = fractions.get(a, 0.0)
        return 1.0 if f + EPS >= FULL else f

    tp = sum(size(a) * frac(a) for a in required)
    fn = sum(size(a) for a in required) - tp
    variable = clinical.atlases()[atlas].variable
    wrong = {
        a: f
        for a, f in fractions.items()
        if f > 0 and area_weight(target, a, atlas) + EPS < OVERLAP and a not in variable
    }
    fp = sum(size(a) * f for a, f in wrong.items())
    denom = 2 * tp + fp + fn
    score = 1.0 if denom <= EPS else 2 * tp / denom
    missed = [a for a in required if fractions.get(a, 0.0) < 0.5]
    wrong_list = [a for a in areas() if wrong.get(a, 0.0) >= 0.05]
    small = [a for a in core if a not in required and fractions.get(a, 0.0) < 0.5]
    cover = tp / (tp + fn) if tp + fn > EPS else 1.0
    inside = tp / (tp + fp) if tp + fp > EPS else None
    return _SideScore(score, missed, wrong_list, len(required), small, cover, inside)


def _why_score(score: float, name: str, s: _SideScore) -> str:
    """Why a marking scored ``score`` (below full marks) though "1 of the 2 areas" were found:
    the score weighs every area by its size, so a small area found counts for little."""
    why = (
        f"Why {round(100 * score)}%: each area counts by its size on the diagram. Your marks "
        f"cover {round(100 * s.cover)}% of the core {name} skin asked for"
    )
    if s.inside is None:  # only optional areas marked: nothing counts for or against
        return why + " (the optional areas you marked do not count)."
    return why + (
        f", and {round(100 * s.inside)}% of what you marked lies in it (optional areas "
        "aside); the score weighs the two together and stays near the lower one."
    )


def _names(area_ids: Iterable[str]) -> str:
    return ", ".join(areas()[a].name.lower() for a in area_ids)


def score_marking(question: Question, marks: Mapping[ZoneKey, float]) -> Feedback:
    """Score a ``mark_territory`` answer.

    ``marks`` maps ``(zone id, side)`` to the marked fraction (1 for a clicked zone, the brush
    coverage otherwise). Each leg is scored separately (core areas must be marked, shared and
    overlap areas are neutral, the rest counts as wrong: F1 over canonical areas weighted by
    marked surface) and the better leg counts, since the prompt accepts either side.
    """
    if question.kind != "mark_territory":
        raise ValueError("score_marking needs a mark_territory question")
    target, atlas = question.target, question.atlas
    marked_sides = {Side(s) for (_z, s), v in marks.items() if v > 0}
    best: tuple[_SideScore, Side] | None = None
    sides = (question.side,) if question.side is not None else tuple(Side)
    for side in sides:
        fr = _area_fractions(marks, side)
        s = _marking_side_score(target, atlas, fr, side)
        # the better leg; on a tie, the leg the student drew on (its marks are what to judge)
        tie = best is not None and abs(s.score - best[0].score) <= EPS
        if (
            best is None
            or s.score > best[0].score + EPS
            or (tie and side in marked_sides and best[1] not in marked_sides)
        ):
            best = (s, side)
    assert best is not None
    chosen, side = best
    score, missed, wrong = chosen.score, chosen.missed, chosen.wrong
    required, small = chosen.required, chosen.small
    if not any(v > 0 for v in marks.values()):
        score, side = 0.0, sides[0]
    name = target_name(target)
    atlas_name = clinical.atlases()[atlas].short_name
    parts: list[str] = []
    if score >= 1.0 - EPS and not small:
        parts.append(f"Every core {name} area is marked and nothing outside it.")
    elif score >= 1.0 - EPS:
        parts.append(f"Every core {name} area asked for is marked and nothing outside it.")
    elif not marked_sides:
        parts.append("Nothing is marked yet.")
    else:
        found = required - len(missed)
        parts.append(f"{found} of the {required} core {name} areas asked for found.")
        if missed:
            parts.append(f"Missed: {_names(missed)}.")
        if wrong:
            parts.append(f"Outside {name}: {_names(wrong)}.")
        parts.append(_why_score(score, name, chosen))
    if small and marked_sides:  # core too, but too small to ask for
        parts.append(f"Core as well, too small to require: {_names(small)}.")
    if len(marked_sides) > 1 and question.side is None:
        parts.append(f"Only the better leg counts ({side.display.lower()}).")
    parts.append(f"Shaded answer: {atlas_name} map; pale zones are overlap (not required).")
    answer_zones = {k: w for k, w in territory_zones(target, atlas).items() if k[1] is side}
    return Feedback(
        correct=score + EPS >= PASS_MARK,
        score=round(score, 4),
        reason=" ".join(parts),
        sources=question.sources or target_sources(target, atlas),
        answer_zones=answer_zones,
        answer=f"{round(score * 100)}% on the {side.display.lower()} leg",
    )


def score_choice(question: Question, answer: str) -> Feedback:
    """Score a choice question (every kind but ``mark_territory``)."""
    if question.kind == "mark_territory":
        raise ValueError("score_choice needs a choice question")
    correct = answer == question.target
    right = target_name(question.target)
    if question.kind == "which_root":
        area = area_of(question.zones[0][0]) if question.zones else ""
        atlas = clinical.atlases()[question.atlas]
        others = [f"{r} {weight_word(w)}" for r, w in atlas.roots_of(area) if r != question.target]
        name = areas()[area].name.lower()
        reason = (
            f"The {name} {is_or_are(name)} core {right} territory on the "
            f"{atlas.short_name} map" + (f" ({', '.join(others)})." if others else ".")
        )
        key_root = clinical.roots()[question.target]
        if key_root.key_point_area == area:
            reason += f" It holds the {right} key sensory point."
        answer_zones = {
            k: w
            for k, w in territory_zones(question.target, question.atlas).items()
            if question.side is None or k[1] is question.side
        }
    else:
        reason = question.reason or _root_or_nerve_reason(question)
        if not question.about_skin:  # a muscle or reflex: the root's skin is not the answer
            answer_zones = {}
        elif question.reveal:
            answer_zones = dict.fromkeys(question.reveal, 1.0)
        elif _has_territory(question.target):
            answer_zones = {
                k: w
                for k, w in territory_zones(question.target, question.atlas, CORE).items()
                if question.side is None or k[1] is question.side
            }
        else:
            answer_zones = {}
    return Feedback(
        correct=correct,
        score=1.0 if correct else 0.0,
        reason=reason,
        sources=question.sources,
        answer_zones=answer_zones,
        answer=answer,
    )


def _has_territory(target: str) -> bool:
    if target in clinical.ROOT_IDS:
        return True
    return is_nerve(target) and nerve_id(target) in clinical.nerves()


def _root_or_nerve_reason(q: Question) -> str:
    assert q.session is not None and q.side is not None
    f = q.session.findings
    inv = f.power(q.side, Movement.ANKLE_INVERSION)
    abd = f.power(q.side, Movement.HIP_ABDUCTION)
    tinel = f.test(q.side, Test.TINEL_FIBULAR_HEAD)
    weak_outside = [
        name for name, v in (("ankle inversion", inv), ("hip abduction", abd)) if v is Strength.WEAK
    ]
    if weak_outside:
        why = (
            f"Weak {' and '.join(weak_outside)}: tibialis posterior (tibial nerve) and gluteus "
            "medius (superior gluteal nerve) lie outside the peroneal nerve, so the lesion sits "
            "where their supply joins, at the L5 root."
        )
    else:
        why = (
            "Inversion and hip abduction are preserved"
            + (" and Tinel at the fibular head is positive" if tinel is TestResult.POSITIVE else "")
            + ": a lesion of the common peroneal nerve spares muscles it does not supply."
        )
    engine = (
        f" The clinical engine ranks {the_hypothesis(q.target)} above "
        f"{the_hypothesis(next(c for c in q.choices if c != q.target))}."
    )
    return why + engine
