"""Quiz generation (:func:`make_quiz`, seeded: same seed, same quiz) and a student's progress
through a quiz (:class:`QuizSession`). The kinds of question are described in :mod:`core.quiz`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from core import clinical
from core.learn import (
    CORE,
    EPS,
    STRONG,
    drawn_areas,
    known_references,
    target_sources,
    zones_of_area,
)
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
from core.names import nerve_hypothesis
from core.quiz import Feedback, Question
from core.zones import areas, display_name

# --------------------------------------------------------------------------- quiz generation

_NEIGHBOURS_MAX = 3
_FOOT_DROP_NERVE = nerve_hypothesis("common_peroneal")
_FOOT_DROP_ROOT = "L5"
# Sources for the L5-vs-peroneal separation (clinical reference 7.4 / section 4).
_ROOT_OR_NERVE_SOURCES = ("R21", "R52", "R54", "R55", "R25")


def _core_territory_drawn(root: str, atlas: str) -> tuple[str, ...]:
    drawn = drawn_areas()
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
    drawn = drawn_areas()
    out: list[tuple[str, str]] = []
    for area, row in clinical.atlases()[atlas].weights.items():
        if area not in drawn:
            continue
        tops = [r for r, w in row.items() if w + EPS >= CORE]
        if len(tops) != 1:
            continue
        if all(w + EPS < STRONG for r, w in row.items() if r != tops[0]):
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
    zones = tuple(k for k in zones_of_area(area) if k[1] is side)
    choices = [root, *_neighbours(root, rng)]
    rng.shuffle(choices)
    a = clinical.atlases()[atlas]
    prompt = (
        f"Which root is the main supply of the highlighted area ({side.display.lower()} "
        f"{areas()[area].name.lower()}) on the {a.short_name} map?"
    )
    srcs = known_references((*a.sources_of(area), *clinical.roots()[root].sources))
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
    srcs = known_references((*_ROOT_OR_NERVE_SOURCES, *_engine_sources(session, side, answer)))
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
