"""A student's quiz answers, kept on this computer, and the spaced-repetition rule.

The answers live in one JSON file (``{"version": 1, "answers": [...]}``) that only its owner can
read (mode 0600), written atomically (a temporary file in the same folder, then
:func:`os.replace`). The GUI puts it in the app's data folder. A damaged or unreadable file never
crashes the quiz: it reads as empty, and is set aside (``.damaged``) on the next write.

Spaced repetition (Leitner boxes, one per topic): every topic starts in box 1. A right answer
moves the topic up one box (at most :data:`MAX_BOX`), a wrong one sends it back to box 1. A
topic's weight when a quiz is drawn is ``2 ** (MAX_BOX - box)``: a topic just missed is asked
eight times as often as a mastered one, and the most due topic is asked first
(:func:`core.quiz_generation.topic_order`).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAX_BOX = 4
FILE_NAME = "quiz_progress.json"
MAX_ANSWERS = 20_000  # oldest answers are dropped beyond this


@dataclass(frozen=True)
class Answer:
    """One answered question."""

    time: str  # ISO 8601, UTC
    topic: str
    kind: str
    correct: bool
    score: float
    seed: int
    quiz: str = ""  # when the quiz was started (ISO 8601): groups the answers of one quiz


def now() -> str:
    """This moment (ISO 8601, UTC, to the microsecond: a quiz restarted within a second of the
    last one is still a quiz of its own; files from earlier builds hold whole seconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _parse(item: Any) -> Answer | None:
    try:
        a = Answer(
            time=str(item["time"]),
            topic=str(item["topic"]),
            kind=str(item["kind"]),
            correct=bool(item["correct"]),
            score=min(1.0, max(0.0, float(item["score"]))),
            seed=int(item["seed"]),
            quiz=str(item.get("quiz", "")),
        )
        datetime.fromisoformat(a.time)
    except (KeyError, TypeError, ValueError):
        return None
    return a


def load(path: Path) -> list[Answer]:
    """The answers in ``path`` (empty if missing or damaged; bad rows are skipped)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    rows = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    return [a for a in (_parse(r) for r in rows) if a is not None]


def save(path: Path, answers: Sequence[Answer]) -> None:
    """Write ``answers`` atomically to ``path``, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(
        {"version": 1, "answers": [asdict(a) for a in answers[-MAX_ANSWERS:]]}, indent=0
    )
    fd, tmp = tempfile.mkstemp(prefix=".quiz_progress.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_aside(path: Path) -> Path | None:
    """Move a damaged (non-empty but unreadable) file to ``.damaged``, never overwriting it;
    returns where it went, or None when there was nothing to set aside."""
    if load(path) or not path.exists() or path.stat().st_size == 0:
        return None
    aside, n = path.with_suffix(".damaged"), 2
    while aside.exists():  # an earlier damaged copy stays too
        aside, n = path.with_suffix(f".damaged-{n}"), n + 1
    try:
        os.replace(path, aside)
    except OSError:
        return None
    return aside


def append(path: Path, new: Iterable[Answer]) -> list[Answer]:
    """Add ``new`` answers to the file (a damaged one is set aside first: :func:`set_aside`);
    returns everything now stored."""
    set_aside(path)
    answers = [*load(path), *new]
    save(path, answers)
    return answers


def boxes(answers: Iterable[Answer]) -> dict[str, int]:
    """Topic -> Leitner box (1 = just missed ... :data:`MAX_BOX` = mastered)."""
    out: dict[str, int] = {}
    for a in sorted(answers, key=lambda a: a.time):
        box = out.get(a.topic, 1)
        out[a.topic] = min(MAX_BOX, box + 1) if a.correct else 1
    return out


NEW_BOX = 2
"""The box of a topic never asked yet."""


def topic_boxes(answers: Iterable[Answer], topics: Iterable[str]) -> dict[str, int]:
    """Topic -> Leitner box for each of ``topics`` (a never-asked topic: :data:`NEW_BOX`)."""
    b = boxes(answers)
    return {t: b.get(t, NEW_BOX) for t in topics}


def box_weight(box: int) -> float:
    """A topic's weight when a quiz is drawn: ``2 ** (MAX_BOX - box)`` (box 1: 8, mastered: 1)."""
    return float(2 ** (MAX_BOX - box))


def topic_weights(answers: Iterable[Answer], topics: Iterable[str]) -> dict[str, float]:
    """Topic -> weight :func:`box_weight` of its box (a never-asked topic: :data:`NEW_BOX`)."""
    return {t: box_weight(b) for t, b in topic_boxes(answers, topics).items()}


def score_history(answers: Iterable[Answer]) -> dict[str, list[tuple[int, float]]]:
    """Topic -> [(quiz number, that topic's score in that quiz 0-100)], oldest quiz first.

    Quizzes are numbered 1, 2, ... in the order they were started (answers without a quiz
    start time count by their own time)."""
    ordered = sorted(answers, key=lambda a: (a.quiz or a.time, a.time))
    number: dict[str, int] = {}
    scores: dict[tuple[str, int], list[float]] = {}
    for a in ordered:
        n = number.setdefault(a.quiz or a.time, len(number) + 1)
        scores.setdefault((a.topic, n), []).append(a.score)
    out: dict[str, list[tuple[int, float]]] = {}
    for (topic, n), v in sorted(scores.items(), key=lambda kv: kv[0][1]):
        out.setdefault(topic, []).append((n, 100.0 * sum(v) / len(v)))
    return out


def summary(answers: Iterable[Answer]) -> Mapping[str, tuple[int, float]]:
    """Topic -> (answers, mean score 0-100)."""
    totals: dict[str, list[float]] = {}
    for a in answers:
        totals.setdefault(a.topic, []).append(a.score)
    return {t: (len(v), 100.0 * sum(v) / len(v)) for t, v in totals.items()}
