"""A quiz's code names exactly one quiz (UX review): the quiz on screen said "Seed 4242 — type it
in the seed box to give a class this quiz", but a fresh quiz was drawn with the student's own
spaced-repetition weights and a typed seed without them, and the map, the topic pills and the
question count changed the questions too. The code holds all of them."""

from __future__ import annotations

from itertools import combinations

import pytest

from core import clinical, progress
from core.progress import Answer
from core.quiz import TOPICS
from core.quiz_code import MAP_LETTERS, MAX_QUESTIONS, MIN_QUESTIONS, QuizCode, parse
from core.quiz_generation import make_quiz

ATLASES = tuple(clinical.atlases())
COMBOS = [c for k in range(1, len(TOPICS) + 1) for c in combinations(TOPICS, k)]


def _answers(missed: str, mastered: str) -> list[Answer]:
    """A student who just missed ``missed`` and has ``mastered`` in the top box."""
    rows = [(mastered, True)] * progress.MAX_BOX + [(missed, False)]
    return [
        Answer(f"2026-01-01T00:00:{i:02d}+00:00", t, "k", ok, float(ok), 1)
        for i, (t, ok) in enumerate(rows)
    ]


STUDENT = _answers("myotomes", "dermatomes")
OTHER = _answers("dermatomes", "myotomes")  # weights the other way round


def test_the_code_gives_the_same_questions_whatever_the_students_progress() -> None:
    """Every topic combination, each with a map and a count: the quiz a student drew with their
    own weighting is rebuilt from its code alone, typed where other choices are on screen."""
    weighted = 0
    for i, topics in enumerate(COMBOS):
        atlas = ATLASES[i % len(ATLASES)]
        n = (MIN_QUESTIONS, 7, 12, MAX_QUESTIONS)[i % 4]
        seed = 1000 + 37 * i
        code = QuizCode.fresh(seed, n, atlas, topics, STUDENT)
        mine = make_quiz(seed, n, atlas, topics, progress.topic_weights(STUDENT, topics))
        assert code.questions() == mine  # private practice keeps the student's weighting
        other_topics = [t for t in TOPICS if t not in topics] or ["maps"]
        typed = parse(code.text, 5, ATLASES[(i + 1) % len(ATLASES)], other_topics)
        assert typed == code and typed.questions() == mine, code.text
        assert typed == QuizCode.fresh(seed, n, atlas, topics, STUDENT)  # not OTHER's weights
        if mine != make_quiz(seed, n, atlas, topics):
            weighted += 1
    assert weighted > len(COMBOS) // 3  # the weighting changes most quizzes: the code must say it


@pytest.mark.parametrize("atlas", ATLASES)
def test_every_map_and_count_round_trip(atlas: str) -> None:
    for n in (MIN_QUESTIONS, 10, MAX_QUESTIONS):
        code = QuizCode.fresh(4242, n, atlas, TOPICS, OTHER)
        typed = parse(f"  {code.text.lower()} ", 10, "consensus", ["maps"])
        assert typed == code
        assert typed.questions() == code.questions()
        assert all(q.atlas == atlas for q in typed.questions())
        assert len(typed.questions()) == n


def test_a_plain_old_seed_still_works() -> None:
    """A seed from an earlier version: that seed with the topics, count and map chosen, every
    topic evenly, the same questions as before."""
    topics = ["dermatomes", "key_points"]
    code = parse("4242", 10, "consensus", topics)
    assert code.questions() == make_quiz(4242, 10, "consensus", topics)
    assert code.text == "4242-C10-440000" and not code.weighted
    assert parse(code.text, 3, "lee", ["maps"]) == code
    lee = parse("11", 6, "lee", ["maps", "vignettes"])
    assert lee.questions() == make_quiz(11, 6, "lee", ["maps", "vignettes"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "not a quiz code"),
        ("4242-X10-444444", "No map"),
        ("4242-C99-444444", "3 to 30 questions"),
        ("4242-C10-4444", "6 digits"),
        ("4242-C10-454444", "6 digits"),
        ("4242-C10-000000", "asks no topic"),
    ],
)
def test_a_wrong_code_is_refused_with_a_sentence(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse(text, 10, "consensus", TOPICS)


def test_a_plain_seed_needs_a_topic() -> None:
    with pytest.raises(ValueError, match="at least one topic"):
        parse("12", 10, "consensus", [])


def test_every_map_has_its_own_letter() -> None:
    assert set(MAP_LETTERS) == set(ATLASES)
    assert len(set(MAP_LETTERS.values())) == len(MAP_LETTERS)


def test_boxes_and_weights_agree() -> None:
    boxes = progress.topic_boxes(STUDENT, TOPICS)
    assert boxes["myotomes"] == 1 and boxes["dermatomes"] == progress.MAX_BOX
    assert boxes["maps"] == progress.NEW_BOX
    weights = progress.topic_weights(STUDENT, TOPICS)
    assert weights == {t: progress.box_weight(b) for t, b in boxes.items()}
    assert weights["myotomes"] == 8.0 and weights["dermatomes"] == 1.0
