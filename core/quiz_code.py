"""A quiz's code: everything that shapes its questions in one short text, so that a teacher can
give a class exactly the quiz on their screen.

A quiz is :func:`core.quiz_generation.make_quiz` of a seed, a map, a number of questions, the
topics asked and how often each comes up (the spaced-repetition weights of
:mod:`core.progress`). The code holds all five, so typed on any computer it rebuilds the same
questions whatever that student's progress::

    4242-C10-214400
    |    ||  +- one digit per topic of core.quiz.TOPICS, in order: 0 = not asked, else the
    |    ||     Leitner box it is weighted by (1 = asked most ... 4 = evenly; progress.box_weight)
    |    |+---- the number of questions
    |    +----- the map (MAP_LETTERS: C Consensus, K Keegan & Garrett, F Foerster, L Lee)
    +---------- the seed

A fresh quiz (:meth:`QuizCode.fresh`) is weighted by the student's own answers: missed topics
come first and more often. A plain number (the seeds of earlier versions, or a teacher's)
names the quiz of that seed with the topics, count and map chosen on screen, every topic
weighted evenly, as before (:func:`parse`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core import clinical, progress
from core.quiz import TOPICS, Question
from core.quiz_generation import QuizSession, make_quiz

MAP_LETTERS: Mapping[str, str] = {
    "consensus": "C",
    "keegan_garrett": "K",
    "foerster": "F",
    "lee": "L",
}
"""The map (atlas id) -> its letter in a code (a map without one is written by its id)."""

MIN_QUESTIONS, MAX_QUESTIONS = 3, 30
"""How many questions a quiz may have."""

EVEN = progress.MAX_BOX
"""The box digit of a topic asked without weighting (a plain seed): weight 1 each."""

_CODE = re.compile(r"(\d{1,9})-([a-z_]+)(\d{1,2})-(\d+)")


@dataclass(frozen=True)
class QuizCode:
    """What shapes a quiz: ``boxes`` holds one box per topic of :data:`TOPICS` (0: not asked)."""

    seed: int
    n: int
    atlas: str
    boxes: tuple[int, ...]

    @staticmethod
    def make(seed: int, n: int, atlas: str, boxes: Mapping[str, int] | Iterable[str]) -> QuizCode:
        """The code of a quiz of ``boxes`` (topic -> box; a plain list of topics: even)."""
        given = boxes if isinstance(boxes, Mapping) else dict.fromkeys(boxes, EVEN)
        return QuizCode(seed, n, atlas, tuple(int(given.get(t, 0)) for t in TOPICS))

    @staticmethod
    def fresh(
        seed: int, n: int, atlas: str, topics: Iterable[str], answers: Iterable[progress.Answer]
    ) -> QuizCode:
        """A student's own quiz: ``topics`` weighted by their ``answers`` (spaced repetition)."""
        return QuizCode.make(seed, n, atlas, progress.topic_boxes(answers, topics))

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics asked, in :data:`TOPICS` order."""
        return tuple(t for t, b in zip(TOPICS, self.boxes, strict=True) if b)

    @property
    def weights(self) -> dict[str, float]:
        """Topic -> weight (:func:`core.progress.box_weight` of its box)."""
        return {t: progress.box_weight(b) for t, b in zip(TOPICS, self.boxes, strict=True) if b}

    @property
    def weighted(self) -> bool:
        """True when some topic comes up more often than another."""
        return len({b for b in self.boxes if b}) > 1

    @property
    def text(self) -> str:
        """The code as shown and typed, e.g. ``4242-C10-214400``."""
        letter = MAP_LETTERS.get(self.atlas, self.atlas)
        return f"{self.seed}-{letter}{self.n}-{''.join(map(str, self.boxes))}"

    def questions(self) -> tuple[Question, ...]:
        """The quiz's questions (the code alone decides them)."""
        return make_quiz(self.seed, self.n, self.atlas, self.topics, self.weights)

    def start(self) -> QuizSession:
        """The quiz, unanswered."""
        qs = self.questions()
        return QuizSession(qs, (None,) * len(qs), 0)


def parse(text: str, n: int, atlas: str, topics: Iterable[str]) -> QuizCode:
    """The quiz ``text`` names: a code (:attr:`QuizCode.text`), which says everything, or a plain
    seed, asked with ``n`` questions of ``topics`` on ``atlas`` (the choices on screen), every
    topic evenly. Raises ValueError, with a sentence for the student, for anything else."""
    t = re.sub(r"\s+", "", text).lower()
    if t.isdigit() and len(t) <= 9:
        if not list(topics):
            raise ValueError("Choose at least one topic.")
        return QuizCode.make(int(t), n, atlas, topics)
    m = _CODE.fullmatch(t)
    if m is None:
        raise ValueError(
            f"“{text.strip()}” is not a quiz code (like 4242-C10-444444) or a seed (a number)."
        )
    seed, mark, count, digits = m.groups()
    letters = {v.lower(): k for k, v in MAP_LETTERS.items()}
    found = letters.get(mark, mark)
    if found not in clinical.atlases():
        raise ValueError(f"No map is called “{mark.upper()}” in a quiz code (C, K, F or L).")
    if not MIN_QUESTIONS <= int(count) <= MAX_QUESTIONS:
        raise ValueError(
            f"A quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {int(count)}."
        )
    if len(digits) != len(TOPICS) or any(int(d) > progress.MAX_BOX for d in digits):
        raise ValueError(
            f"The last part of a quiz code is {len(TOPICS)} digits from 0 to "
            f"{progress.MAX_BOX}, one per topic."
        )
    if not any(int(d) for d in digits):
        raise ValueError("This quiz code asks no topic.")
    return QuizCode(int(seed), int(count), found, tuple(int(d) for d in digits))
