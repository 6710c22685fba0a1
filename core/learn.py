"""Student modes: territory queries for *explore* and question generation/scoring for *quiz*.

Everything here is read from the same clinical data the clinical mode uses
(:mod:`core.clinical` atlases and nerves, the diagram zones of :mod:`core.geometry`, and
:func:`core.engine.analyze`), so what a student is taught is exactly what the app applies.

Territory thresholds
--------------------
Atlas weights use the scale of the clinical reference (section 7.2): ``1.0`` core territory,
``0.75`` strong shared territory, ``0.5`` overlap, ``0.25`` occasional. :func:`territory_zones`
returns the zones whose weight is **at or above** a stated ``minimum`` (default ``0.5``), so the
UI can draw core (1.0), strong (0.75) and overlap (0.5) zones differently; "occasional" cells
(0.25) are never shown as territory.

Zones and sides
---------------
A diagram zone id is a canonical area (``dorsum_of_foot``) or a finer zone
(``dorsum_of_foot.medial``); a finer zone takes its canonical area's weight. Results are keyed by
``(zone id, Side)`` and cover every zone drawn on any view, on both sides.

Quiz
----
:func:`make_quiz` draws questions from the atlases with :class:`random.Random` seeded by the
caller (same seed, same quiz). Three kinds:

``mark_territory``
    Mark a root's core dermatome on **one leg, either side** (the prompt says so). Core areas
    (weight 1.0) must be marked, shared and overlap areas (0.5-0.75) are neither required nor
    penalised, anything else counts against the answer (an F1 score over canonical areas, each
    area counted by the fraction of its diagram surface that is marked).
``which_root``
    One area with a clear main root (one root at 1.0, every other below 0.75) is highlighted;
    pick the root among it and its neighbours.
``root_or_nerve``
    A generated foot-drop session (marks + exam findings); decide between ``L5`` and
    ``peripheral:common_peroneal``. The right answer is whichever of the two
    :func:`core.engine.analyze` ranks higher for that side.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

from core import clinical
from core.model import (
    Findings,
    Mark,
    Movement,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
)
from core.zones import area_of, areas, display_name, expand

__all__ = [
    "CORE",
    "OVERLAP",
    "PASS_MARK",
    "STRONG",
    "Feedback",
    "Question",
    "QuizSession",
    "ZoneDisagreement",
    "compare_atlases",
    "diagram_zones",
    "disagreement_zones",
    "make_quiz",
    "score_choice",
    "score_marking",
    "target_name",
    "target_sources",
    "territory_zones",
    "zone_nerves",
    "zone_supply",
]

CORE = 1.0
"""Weight of core (primary) territory."""
STRONG = 0.75
"""Weight of strong shared territory."""
OVERLAP = 0.5
"""Weight of an overlap zone; the default :func:`territory_zones` threshold."""
PASS_MARK = 0.8
"""A marking answer at or above this score counts as correct."""

ZoneKey = tuple[str, Side]
NERVE_PREFIX = "peripheral:"
_EPS = 1e-9


# --------------------------------------------------------------------------- diagram zones


def _polygon_area(points: Iterable[tuple[float, float]]) -> float:
    pts = list(points)
    s = 0.0
    for i in range(len(pts)):
        x0, y0 = pts[i - 1]
        x1, y1 = pts[i]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2.0


@cache
def diagram_zones() -> dict[ZoneKey, float]:
    """Every ``(zone id, side)`` drawn on the diagram, with its size (largest polygon area).

    Falls back to the canonical areas (size 1) when no diagram asset is installed.
    """
    try:
        from core.geometry import load_diagram

        diagram = load_diagram()
    except FileNotFoundError:
        return {(a, s): 1.0 for a in areas() for s in Side}
    out: dict[ZoneKey, float] = {}
    for shape in diagram.zones():
        key = (shape.id, shape.side)
        out[key] = max(out.get(key, 0.0), _polygon_area(shape.points))
    return out


def _zone_areas(zone: str) -> tuple[str, ...]:
    """Canonical areas a zone (or alias) stands for."""
    return expand(area_of(zone))


# --------------------------------------------------------------------------- territories


def _is_nerve(target: str) -> bool:
    return target.startswith(NERVE_PREFIX)


def _nerve_id(target: str) -> str:
    return target[len(NERVE_PREFIX) :]


def area_weight(target: str, area: str, atlas: str = "consensus") -> float:
    """Weight of ``target`` (root id or ``peripheral:<nerve>``) in canonical ``area``.

    Nerve territories do not depend on the dermatome atlas.
    """
    if _is_nerve(target):
        return clinical.nerves()[_nerve_id(target)].weight(area)
    return clinical.atlases()[atlas].weight(area, target)


def _check_target(target: str, atlas: str) -> None:
    if _is_nerve(target):
        if _nerve_id(target) not in clinical.nerves():
            raise KeyError(f"unknown nerve {target!r}")
    elif target not in clinical.roots():
        raise KeyError(f"unknown root {target!r}")
    if atlas not in clinical.atlases():
        raise KeyError(f"unknown atlas {atlas!r}")


def zone_weight(target: str, zone: str, atlas: str = "consensus") -> float:
    """Weight of ``target`` in a diagram zone (its canonical area's weight; max over an alias)."""
    return max((area_weight(target, a, atlas) for a in _zone_areas(zone)), default=0.0)


def territory_zones(target: str, atlas: str, minimum: float = OVERLAP) -> dict[ZoneKey, float]:
    """Every diagram zone (all views, both sides) where ``target`` has weight >= ``minimum``.

    Parameters
    ----------
    target
        A root id (``L1`` ... ``S5``) or ``peripheral:<nerve>``.
    atlas
        Dermatome atlas id (ignored for nerves, whose territories are atlas-independent).
    minimum
        The stated weight threshold: ``1.0`` core only, ``0.75`` core + strong shared,
        ``0.5`` (default) also overlap zones.

    Returns
    -------
    dict
        ``{(zone id, side): weight}``.

    Raises
    ------
    KeyError
        Unknown root, nerve or atlas.
    """
    _check_target(target, atlas)
    out: dict[ZoneKey, float] = {}
    for zone, side in diagram_zones():
        w = zone_weight(target, zone, atlas)
        if w > 0 and w + _EPS >= minimum:
            out[(zone, side)] = w
    return out


def zone_supply(zone: str) -> dict[str, tuple[tuple[str, float], ...]]:
    """Roots supplying ``zone`` under each atlas: atlas id -> ((root, weight), ...), best first."""
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for aid, atlas in clinical.atlases().items():
        best: dict[str, float] = {}
        for area in _zone_areas(zone):
            for root, w in atlas.roots_of(area):
                best[root] = max(best.get(root, 0.0), w)
        ordered = sorted(best.items(), key=lambda kv: (-kv[1], clinical.ROOT_IDS.index(kv[0])))
        out[aid] = tuple((r, w) for r, w in ordered if w > 0)
    return out


def zone_nerves(zone: str) -> tuple[tuple[str, float], ...]:
    """Peripheral nerves supplying ``zone``: ((nerve id, weight), ...), best first."""
    found: list[tuple[str, float]] = []
    for nid, nerve in clinical.nerves().items():
        w = max((nerve.weight(a) for a in _zone_areas(zone)), default=0.0)
        if w > 0:
            found.append((nid, w))
    return tuple(sorted(found, key=lambda kv: -kv[1]))


def target_name(target: str) -> str:
    """Display name: ``L5`` or the nerve's name."""
    if _is_nerve(target):
        nerve = clinical.nerves().get(_nerve_id(target))
        return nerve.name if nerve else _nerve_id(target).replace("_", " ")
    return target


def target_sources(target: str, atlas: str = "consensus") -> tuple[str, ...]:
    """Reference ids behind a root's map (atlas sources + root facts) or a nerve's territory."""
    if _is_nerve(target):
        return clinical.nerves()[_nerve_id(target)].sources
    return _known((*clinical.roots()[target].sources, *clinical.atlases()[atlas].sources))


def _known(ids: Iterable[str]) -> tuple[str, ...]:
    refs = clinical.references()
    return tuple(dict.fromkeys(i for i in ids if i in refs))


# --------------------------------------------------------------------------- atlas comparison


@dataclass(frozen=True)
class ZoneDisagreement:
    """One area/root cell where two atlases differ, mapped onto the diagram.

    Attributes
    ----------
    area, area_name : str
        Canonical area id and its display name.
    root : str
        The root whose weight differs.
    weight_a, weight_b : float
        Its weight in the first and second atlas.
    explanation : str
        A short sentence on what differs (and the map note when there is one).
    sources : tuple of str
        Reference ids.
    zones : tuple of (zone id, Side)
        Diagram zones of that area on both sides.
    """

    area: str
    area_name: str
    root: str
    weight_a: float
    weight_b: float
    explanation: str
    sources: tuple[str, ...]
    zones: tuple[ZoneKey, ...]

    @property
    def difference(self) -> float:
        return abs(self.weight_a - self.weight_b)


_WEIGHT_WORDS = {1.0: "core", 0.75: "strong shared", 0.5: "overlap", 0.25: "occasional"}


def weight_word(w: float) -> str:
    """``core`` / ``strong shared`` / ``overlap`` / ``occasional`` / ``not included``."""
    if w <= 0:
        return "not included"
    best = min(_WEIGHT_WORDS, key=lambda k: abs(k - w))
    return _WEIGHT_WORDS[best]


def _zones_of_area(area: str) -> tuple[ZoneKey, ...]:
    return tuple(k for k in diagram_zones() if area in _zone_areas(k[0]))


def compare_atlases(a: str, b: str, threshold: float = 0.25) -> list[ZoneDisagreement]:
    """Where atlases ``a`` and ``b`` disagree (weight difference >= ``threshold``), explained.

    Built on :func:`core.clinical.disagreements`; largest differences first, then spec order.
    """
    maps = clinical.atlases()
    na, nb = maps[a].short_name, maps[b].short_name
    out: list[ZoneDisagreement] = []
    for d in clinical.disagreements(a, b, threshold):
        name = areas()[d.area].name if d.area in areas() else display_name(d.area)
        text = (
            f"{d.root} in the {name.lower()}: {weight_word(d.weight_a)} ({d.weight_a:g}) on "
            f"{na}, {weight_word(d.weight_b)} ({d.weight_b:g}) on {nb}."
        )
        generic = d.note.startswith(f"{d.root} in {d.area}:")
        if d.note and not generic:
            text += f" Note: {d.note}."
        out.append(
            ZoneDisagreement(
                d.area,
                name,
                d.root,
                d.weight_a,
                d.weight_b,
                text,
                _known(d.sources),
                _zones_of_area(d.area),
            )
        )
    order = {area: i for i, area in enumerate(areas())}
    out.sort(key=lambda z: (-z.difference, order.get(z.area, 99)))
    return out


def disagreement_zones(a: str, b: str, threshold: float = 0.25) -> dict[ZoneKey, float]:
    """Diagram zones where ``a`` and ``b`` disagree -> strength (largest weight difference)."""
    out: dict[ZoneKey, float] = {}
    for d in compare_atlases(a, b, threshold):
        for key in d.zones:
            out[key] = min(1.0, max(out.get(key, 0.0), d.difference))
    return out


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
        ``{(zone id, side): weight}`` to highlight the right answer on the diagram.
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


def _area_fractions(marks: Mapping[ZoneKey, float], side: Side) -> dict[str, float]:
    """Fraction (0-1) of each canonical area's diagram surface marked on ``side``."""
    sizes = diagram_zones()
    totals: dict[str, float] = {}
    for (zone, s), size in sizes.items():
        if s is side:
            for a in _zone_areas(zone):
                totals[a] = totals.get(a, 0.0) + size
    covered: dict[str, float] = {}
    whole: dict[str, float] = {}
    for (zone, s), cov in marks.items():
        if Side(s) is not side or cov <= 0:
            continue
        cov = min(1.0, float(cov))
        size = sizes.get((zone, side), 0.0)
        for a in _zone_areas(zone):
            if size > 0 and totals.get(a):
                covered[a] = covered.get(a, 0.0) + cov * size / totals[a]
            else:
                # not drawn as such: a whole canonical area or a group alias
                whole[a] = max(whole.get(a, 0.0), cov)
    out: dict[str, float] = {}
    for a in set(covered) | set(whole):
        out[a] = min(1.0, max(covered.get(a, 0.0), whole.get(a, 0.0)))
    return out


def _drawn_areas() -> frozenset[str]:
    return frozenset(a for zone, _s in diagram_zones() for a in _zone_areas(zone))


def _marking_side_score(
    target: str, atlas: str, fractions: Mapping[str, float]
) -> tuple[float, list[str], list[str], float]:
    """F1 over canonical areas -> (score, missed core areas, wrong areas, core found)."""
    drawn = _drawn_areas()
    core = [a for a in areas() if a in drawn and area_weight(target, a, atlas) + _EPS >= CORE]
    tp = sum(fractions.get(a, 0.0) for a in core)
    fn = len(core) - tp
    wrong = {
        a: f
        for a, f in fractions.items()
        if f > 0 and area_weight(target, a, atlas) + _EPS < OVERLAP
    }
    fp = sum(wrong.values())
    denom = 2 * tp + fp + fn
    score = 1.0 if denom <= _EPS else 2 * tp / denom
    missed = [a for a in core if fractions.get(a, 0.0) < 0.5]
    wrong_list = [a for a in areas() if wrong.get(a, 0.0) >= 0.05]
    return score, missed, wrong_list, tp


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
    best: tuple[float, list[str], list[str], float, Side] | None = None
    sides = (question.side,) if question.side is not None else tuple(Side)
    for side in sides:
        s, missed, wrong, tp = _marking_side_score(target, atlas, _area_fractions(marks, side))
        if best is None or s > best[0] + _EPS:
            best = (s, missed, wrong, tp, side)
    assert best is not None
    score, missed, wrong, _tp, side = best
    if not any(v > 0 for v in marks.values()):
        score, side = 0.0, sides[0]
    marked_sides = {Side(s) for (_z, s), v in marks.items() if v > 0}
    name = target_name(target)
    atlas_name = clinical.atlases()[atlas].short_name
    core_n = len([a for a in areas() if area_weight(target, a, atlas) + _EPS >= CORE])
    parts: list[str] = []
    if score >= 1.0 - _EPS:
        parts.append(f"Every core {name} area is marked and nothing outside it.")
    elif not marked_sides:
        parts.append("Nothing is marked yet.")
    else:
        found = core_n - len(missed)
        parts.append(f"{found} of {core_n} core {name} areas found.")
        if missed:
            parts.append(f"Missed: {_names(missed)}.")
        if wrong:
            parts.append(f"Outside {name}: {_names(wrong)}.")
    if len(marked_sides) > 1 and question.side is None:
        parts.append(f"Only the better leg counts ({side.display.lower()}).")
    parts.append(f"Shaded answer: {atlas_name} map; pale zones are overlap (not required).")
    answer_zones = {k: w for k, w in territory_zones(target, atlas).items() if k[1] is side}
    return Feedback(
        correct=score + _EPS >= PASS_MARK,
        score=round(score, 4),
        reason=" ".join(parts),
        sources=question.sources or target_sources(target, atlas),
        answer_zones=answer_zones,
        answer=f"{round(score * 100)}% on the {side.display.lower()} leg",
    )


def score_choice(question: Question, answer: str) -> Feedback:
    """Score a ``which_root`` or ``root_or_nerve`` answer."""
    if question.kind == "mark_territory":
        raise ValueError("score_choice needs a choice question")
    correct = answer == question.target
    right = target_name(question.target)
    if question.kind == "which_root":
        area = area_of(question.zones[0][0]) if question.zones else ""
        atlas = clinical.atlases()[question.atlas]
        others = [f"{r} {weight_word(w)}" for r, w in atlas.roots_of(area) if r != question.target]
        reason = (
            f"The {areas()[area].name.lower()} is core {right} territory on the "
            f"{atlas.short_name} map" + (f" (also {', '.join(others)})." if others else ".")
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
        reason = _root_or_nerve_reason(question)
        answer_zones = {
            k: w
            for k, w in territory_zones(question.target, question.atlas, CORE).items()
            if question.side is None or k[1] is question.side
        }
    return Feedback(
        correct=correct,
        score=1.0 if correct else 0.0,
        reason=reason,
        sources=question.sources,
        answer_zones=answer_zones,
        answer=answer,
    )


# --------------------------------------------------------------------------- quiz generation

_NEIGHBOURS_MAX = 3
_FOOT_DROP_NERVE = "peripheral:common_peroneal"
_FOOT_DROP_ROOT = "L5"
# Sources for the L5-vs-peroneal separation (clinical reference 7.4 / section 4).
_ROOT_OR_NERVE_SOURCES = ("R21", "R52", "R54", "R55", "R25")


def _core_territory_drawn(root: str, atlas: str) -> tuple[str, ...]:
    drawn = _drawn_areas()
    return tuple(a for a in clinical.atlases()[atlas].territory(root, minimum=CORE) if a in drawn)


FOCUS_ROOTS = ("L4", "L5", "S1")
"""The roots the clinical mode ranks first; quizzes ask about them before the others."""


def _focus_rank(root: str) -> int:
    return 0 if root in FOCUS_ROOTS else 1


def _mark_roots(atlas: str) -> list[str]:
    """Roots with a drawn core territory that no other root shares exactly (S3-S5 share one)."""
    cores = {r: frozenset(_core_territory_drawn(r, atlas)) for r in clinical.ROOT_IDS}
    return [
        r
        for r, core in cores.items()
        if core and not any(o != r and cores[o] == core for o in cores)
    ]


def _clear_areas(atlas: str) -> list[tuple[str, str]]:
    """(area, root) where one root has weight 1.0 and every other root is below 0.75."""
    drawn = _drawn_areas()
    out: list[tuple[str, str]] = []
    for area, row in clinical.atlases()[atlas].weights.items():
        if area not in drawn:
            continue
        tops = [r for r, w in row.items() if w + _EPS >= CORE]
        if len(tops) != 1:
            continue
        if all(w + _EPS < STRONG for r, w in row.items() if r != tops[0]):
            out.append((area, tops[0]))
    return out


def _neighbours(root: str, rng: random.Random) -> list[str]:
    ids = list(clinical.ROOT_IDS)
    i = ids.index(root)
    near = [ids[j] for j in (i - 1, i + 1) if 0 <= j < len(ids)]
    far = [ids[j] for j in (i - 2, i + 2) if 0 <= j < len(ids)]
    rng.shuffle(far)
    return (near + far)[:_NEIGHBOURS_MAX]


def _mark_question(root: str, atlas: str) -> Question:
    a = clinical.atlases()[atlas]
    prompt = (
        f"Mark the {root} dermatome on one leg (either side): the core areas where {root} is "
        f"the main supply on the {a.short_name} map. Shared or overlap areas are optional."
    )
    return Question(
        kind="mark_territory",
        prompt=prompt,
        target=root,
        atlas=atlas,
        sources=target_sources(root, atlas),
    )


def _which_question(area: str, root: str, atlas: str, rng: random.Random) -> Question:
    side = rng.choice(tuple(Side))
    zones = tuple(k for k in _zones_of_area(area) if k[1] is side)
    choices = [root, *_neighbours(root, rng)]
    rng.shuffle(choices)
    a = clinical.atlases()[atlas]
    prompt = (
        f"Which root is the main supply of the highlighted area ({side.display.lower()} "
        f"{areas()[area].name.lower()}) on the {a.short_name} map?"
    )
    srcs = _known((*a.sources_of(area), *clinical.roots()[root].sources))
    return Question(
        kind="which_root",
        prompt=prompt,
        target=root,
        atlas=atlas,
        zones=zones,
        choices=tuple(choices),
        side=side,
        sources=srcs,
    )


_FOOT_DROP_BASE = ("lateral_lower_leg", "dorsum_of_foot")
_FOOT_DROP_EXTRA = ("first_web_space", "great_toe", "anterior_ankle")


def _foot_drop_session(favour_root: bool, side: Side, atlas: str, rng: random.Random) -> Session:
    extra = [z for z in _FOOT_DROP_EXTRA if rng.random() < 0.5]
    symptom = rng.choice((Symptom.NUMBNESS, Symptom.TINGLING))
    marks = tuple(Mark(z, side, symptom) for z in (*_FOOT_DROP_BASE, *extra))
    f = Findings()
    f = f.with_strength(side, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    f = f.with_strength(side, Movement.GREAT_TOE_EXTENSION, Strength.WEAK)
    if favour_root:
        pattern = rng.choice(("inversion", "abduction", "both"))
        inv = Strength.WEAK if pattern in ("inversion", "both") else Strength.NORMAL
        abd = Strength.WEAK if pattern in ("abduction", "both") else Strength.NORMAL
        f = f.with_strength(side, Movement.ANKLE_INVERSION, inv)
        f = f.with_strength(side, Movement.HIP_ABDUCTION, abd)
        if rng.random() < 0.5:
            f = f.with_history(back_pain=True)
        if rng.random() < 0.5:
            f = f.with_test(side, Test.STRAIGHT_LEG_RAISE, TestResult.POSITIVE)
    else:
        f = f.with_strength(side, Movement.ANKLE_INVERSION, Strength.NORMAL)
        f = f.with_strength(side, Movement.HIP_ABDUCTION, Strength.NORMAL)
        f = f.with_test(side, Test.TINEL_FIBULAR_HEAD, TestResult.POSITIVE)
        f = f.with_history(back_pain=False)
        if rng.random() < 0.5:
            f = f.with_history(local_cause=True)
        if rng.random() < 0.5:
            f = f.with_reflex(side, Reflex.MEDIAL_HAMSTRING, ReflexGrade.NORMAL)
    return Session(marks=marks, findings=f, atlas=atlas)


def engine_choice(session: Session, side: Side, choices: Iterable[str]) -> str | None:
    """The choice :func:`core.engine.analyze` ranks highest for ``side`` (None if it ranks none)."""
    from core.engine import analyze

    wanted = set(choices)
    for h in analyze(session, session.atlas).for_side(side.value):
        if h.id in wanted:
            return h.id
    return None


def _engine_sources(session: Session, side: Side, target: str) -> tuple[str, ...]:
    from core.engine import analyze

    for h in analyze(session, session.atlas).for_side(side.value):
        if h.id == target:
            return h.sources
    return ()


def describe_case(session: Session) -> str:
    """Plain-language summary of a generated case (marks, power, tests, history)."""
    lines: list[str] = []
    by_side: dict[Side, list[Mark]] = {}
    for m in session.marks:
        by_side.setdefault(m.side, []).append(m)
    for side, marks in by_side.items():
        sym = marks[0].symptom.display.lower()
        lines.append(
            f"{side.display} leg {sym}: " + ", ".join(display_name(m.zone).lower() for m in marks)
        )
    f = session.findings
    for side in Side:
        parts = [
            f"{m.value.replace('_', ' ')} {'weak' if v is Strength.WEAK else 'normal'}"
            for m, v in f.strength.get(side, {}).items()
        ]
        for reflex, grade in f.reflexes.get(side, {}).items():
            parts.append(f"{reflex.value.replace('_', ' ')} reflex {grade.value}")
        for test, result in f.tests.get(side, {}).items():
            parts.append(f"{_TEST_NAMES.get(test, test.value)} {result.value}")
        if parts:
            lines.append(f"{side.display} exam: " + "; ".join(parts))
    h = f.history
    hist: list[str] = []
    if h.back_pain is not None:
        hist.append("back pain" if h.back_pain else "no back pain")
    if h.local_cause:
        hist.append("recent leg crossing / kneeling (local pressure)")
    if hist:
        lines.append("History: " + ", ".join(hist))
    return "\n".join(lines)


_TEST_NAMES = {
    Test.TINEL_FIBULAR_HEAD: "Tinel at the fibular head",
    Test.STRAIGHT_LEG_RAISE: "straight leg raise",
}


def _root_or_nerve_question(favour_root: bool, atlas: str, rng: random.Random) -> Question | None:
    side = rng.choice(tuple(Side))
    session = _foot_drop_session(favour_root, side, atlas, rng)
    choices = (_FOOT_DROP_ROOT, _FOOT_DROP_NERVE)
    answer = engine_choice(session, side, choices)
    if answer is None:
        return None
    prompt = (
        "Foot drop case. L5 root or common peroneal nerve at the fibular head?\n"
        + describe_case(session)
    )
    srcs = _known((*_ROOT_OR_NERVE_SOURCES, *_engine_sources(session, side, answer)))
    return Question(
        kind="root_or_nerve",
        prompt=prompt,
        target=answer,
        atlas=atlas,
        choices=choices,
        session=session,
        side=side,
        sources=srcs,
    )


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
        f" The clinical engine ranks {target_name(q.target)} above "
        f"{target_name(next(c for c in q.choices if c != q.target))}."
    )
    return why + engine


def make_quiz(seed: int, n: int = 10, atlas: str = "consensus") -> tuple[Question, ...]:
    """``n`` questions drawn from the atlases and the engine, reproducible for a ``seed``.

    Kinds rotate (``mark_territory``, ``which_root``, ``root_or_nerve``) in a seeded order.
    ``root_or_nerve`` items are only made when the engine ranks one of the two choices; if it
    ranks neither (e.g. no engine installed), another kind is asked instead.
    """
    if atlas not in clinical.atlases():
        raise KeyError(f"unknown atlas {atlas!r}")
    rng = random.Random(seed)
    mark_pool = _mark_roots(atlas)
    which_pool = _clear_areas(atlas)
    marks_left: list[str] = []
    which_left: list[tuple[str, str]] = []

    def draw_root() -> str:
        if not marks_left:
            src = list(mark_pool)
            rng.shuffle(src)
            src.sort(key=_focus_rank)  # the roots the clinical mode ranks are asked first
            marks_left.extend(reversed(src))
        return marks_left.pop()

    def draw_area() -> tuple[str, str]:
        if not which_left:
            src = list(which_pool)
            rng.shuffle(src)
            src.sort(key=lambda item: _focus_rank(item[1]))
            which_left.extend(reversed(src))
        return which_left.pop()

    kinds = ["mark_territory", "which_root", "root_or_nerve"]
    rng.shuffle(kinds)
    out: list[Question] = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        q: Question | None = None
        if kind == "root_or_nerve":
            q = _root_or_nerve_question(rng.random() < 0.5, atlas, rng)
            if q is None:
                kind = "mark_territory" if i % 2 else "which_root"
        if q is None and kind == "mark_territory" and mark_pool:
            q = _mark_question(draw_root(), atlas)
        elif q is None and which_pool:
            area, root = draw_area()
            q = _which_question(area, root, atlas, rng)
        if q is not None:
            out.append(q)
    return tuple(out)


# --------------------------------------------------------------------------- quiz session


@dataclass(frozen=True)
class QuizSession:
    """Progress through a quiz: the questions, the feedback so far and the current index.

    Immutable: :meth:`record` and :meth:`advance` return new sessions.
    """

    questions: tuple[Question, ...]
    results: tuple[Feedback | None, ...] = ()
    index: int = 0

    @staticmethod
    def start(seed: int, n: int = 10, atlas: str = "consensus") -> QuizSession:
        qs = make_quiz(seed, n, atlas)
        return QuizSession(qs, (None,) * len(qs), 0)

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    @property
    def current_feedback(self) -> Feedback | None:
        return self.results[self.index] if self.index < len(self.results) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.results if r is not None)

    @property
    def correct_count(self) -> int:
        return sum(1 for r in self.results if r is not None and r.correct)

    @property
    def points(self) -> float:
        """Sum of scores (a marking question can earn a fraction of a point)."""
        return sum(r.score for r in self.results if r is not None)

    @property
    def percent(self) -> float:
        """Running score: points / answered questions (0 before any answer)."""
        return 100.0 * self.points / self.answered if self.answered else 0.0

    @property
    def missed(self) -> tuple[tuple[Question, Feedback], ...]:
        """Answered questions that were not correct, in order."""
        return tuple(
            (q, r)
            for q, r in zip(self.questions, self.results, strict=True)
            if r is not None and not r.correct
        )

    def record(self, feedback: Feedback) -> QuizSession:
        """Store the feedback for the current question (answering twice keeps the first)."""
        if self.finished or self.results[self.index] is not None:
            return self
        res = list(self.results)
        res[self.index] = feedback
        return replace(self, results=tuple(res))

    def advance(self) -> QuizSession:
        """Move to the next question."""
        return replace(self, index=min(len(self.questions), self.index + 1))
