"""Quiz generation (:func:`make_quiz`, seeded: same seed, same quiz) and a student's progress
through a quiz (:class:`QuizSession`). The kinds of question are described in :mod:`core.quiz`;
the dermatome questions are made here, the others in :mod:`core.quiz_facts` and
:mod:`core.quiz_cases`.
"""

from __future__ import annotations

__all__ = ["QuizSession", "describe_case", "engine_choice", "make_quiz", "topic_order"]

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from core import clinical, quiz_cases, quiz_facts
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
    Session,
    Side,
)
from core.names import nerve_hypothesis
from core.quiz import TOPICS, Feedback, Question
from core.quiz_case_data import FEELINGS
from core.quiz_cases import describe_case
from core.zones import areas

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


def engine_choice(session: Session, side: Side, choices: Iterable[str]) -> str | None:
    """The choice :func:`core.engine.analyze` ranks highest for ``side`` (None if none)."""
    return quiz_cases.engine_answer(session, side, choices)


def _dermatome(atlas: str, rng: random.Random, pools: _Pools) -> Question | None:
    pick = rng.random()
    if pick < 0.4 and pools.mark_pool:
        return _mark_question(pools.draw_root(rng), atlas)
    if pick < 0.75 and pools.which_pool:
        area, root = pools.draw_area(rng)
        return _which_question(area, root, atlas, rng)
    return quiz_facts.which_area(atlas, rng)


@dataclass
class _Pools:
    """Roots and areas to ask next, each used once before any repeats (focus roots first)."""

    mark_pool: list[str]
    which_pool: list[tuple[str, str]]
    marks_left: list[str] = field(default_factory=list)
    which_left: list[tuple[str, str]] = field(default_factory=list)

    def draw_root(self, rng: random.Random) -> str:
        if not self.marks_left:
            src = list(self.mark_pool)
            rng.shuffle(src)
            src.sort(key=_focus_rank)  # the roots the clinical mode ranks are asked first
            self.marks_left.extend(reversed(src))
        return self.marks_left.pop()

    def draw_area(self, rng: random.Random) -> tuple[str, str]:
        if not self.which_left:
            src = list(self.which_pool)
            rng.shuffle(src)
            src.sort(key=lambda item: _focus_rank(item[1]))
            self.which_left.extend(reversed(src))
        return self.which_left.pop()


TRIES = 24
"""Draws per question before a fact is asked again (a topic has few facts: 7 key points)."""

_GENERATORS: dict[str, Callable[[str, random.Random], Question | None]] = {
    "key_points": quiz_facts.key_point,
    "myotomes": quiz_facts.myotome,
    "root_or_nerve": quiz_cases.root_or_nerve,
    "vignettes": quiz_cases.vignette,
    "maps": quiz_facts.map_disagreement,
}


def topic_order(
    n: int, topics: Sequence[str], weights: Mapping[str, float] | None, rng: random.Random
) -> list[str]:
    """The topic of each of ``n`` questions: every topic in turn, then in proportion to
    ``weights`` (the spaced-repetition weights of :mod:`core.progress`; missing = 1). The most
    due topic comes first."""
    w = {t: max(0.1, float((weights or {}).get(t, 1.0))) for t in topics}
    first = sorted(topics, key=lambda t: (-w[t], rng.random()))
    out = first[:n]
    while len(out) < n:
        out.append(rng.choices(list(topics), weights=[w[t] for t in topics])[0])
    head, tail = out[:1], out[1:]
    rng.shuffle(tail)
    return head + tail


def _headline(q: Question) -> str:
    """A question's first line, whatever symptom a case draws: two cases share a first line
    (the L5 root and the common peroneal nerve both open on "Foot drop with numbness over the
    outer shin and foot"), and the same line twice in one quiz reads as a repeat."""
    line = q.prompt.splitlines()[0].lower() if q.prompt else ""
    for _capital, noun in FEELINGS.values():
        line = line.replace(noun, "{symptom}")
    return f"{q.kind}|{line}"


def fact_of(q: Question) -> str:
    """What ``q`` asks: its explanation (a key point asked from its root and its root asked
    from the key point share one), or the question itself where it has none."""
    return q.reason or f"{q.kind}|{q.target}|{q.prompt.splitlines()[0]}"


def make_quiz(
    seed: int,
    n: int = 10,
    atlas: str = "consensus",
    topics: Iterable[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> tuple[Question, ...]:
    """``n`` questions drawn from the atlases, the nerve data and the engine, reproducible for
    ``seed`` (and the same ``topics`` / ``weights``).

    ``topics``: ids of :data:`core.quiz.TOPICS` to ask (default all). ``weights``: topic ->
    weight (higher = asked more often and first; see :func:`core.progress.topic_weights`).
    A generated question the engine does not confirm is replaced by another of its topic; the
    same question, or the same fact asked the other way round (one explanation), is not asked
    twice in one quiz while the topic has others, nor a question opening on a first line already
    asked (:func:`_headline`: two cases that share one) while another can be drawn.
    """
    if atlas not in clinical.atlases():
        raise KeyError(f"unknown atlas {atlas!r}")
    chosen = [t for t in TOPICS if topics is None or t in set(topics)] or list(TOPICS)
    rng = random.Random(seed)
    pools = _Pools(_mark_roots(atlas), _clear_areas(atlas))
    out: list[Question] = []
    asked: dict[str, set[str]] = {}  # topic -> the facts asked in its current round
    heads: set[str] = set()  # the first lines asked in this quiz
    for topic in topic_order(n, chosen, weights, rng):
        facts = asked.setdefault(topic, set())
        repeat: Question | None = None  # a question whose fact was asked, if nothing new comes
        same_head: Question | None = None  # a new fact on a first line asked, if nothing else
        for _attempt in range(TRIES):
            if topic == "dermatomes":
                q = _dermatome(atlas, rng, pools)
            else:
                q = _GENERATORS[topic](atlas, rng)
            if q is None:
                continue
            if fact_of(q) in facts:
                repeat = repeat or q
            elif _headline(q) in heads:
                same_head = same_head or q
            else:
                facts.add(fact_of(q))
                heads.add(_headline(q))
                out.append(q)
                break
        else:
            if same_head is not None:  # a new fact after all, on a first line asked before
                facts.add(fact_of(same_head))
                out.append(same_head)
            elif repeat is not None:  # every fact of the topic asked: a new round
                facts.clear()
                facts.add(fact_of(repeat))
                heads.add(_headline(repeat))
                out.append(repeat)
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
    def start(
        seed: int,
        n: int = 10,
        atlas: str = "consensus",
        topics: Iterable[str] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> QuizSession:
        qs = make_quiz(seed, n, atlas, topics, weights)
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
