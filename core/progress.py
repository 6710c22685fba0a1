"""A student's quiz answers, kept on this computer, and the spaced-repetition rule.

The answers live in one JSON file (``{"version": 1, "answers": [...]}``) that only its owner can
read (mode 0600), written atomically (a temporary file in the same folder, then
:func:`os.replace`). The GUI puts it in the app's data folder.

A damaged file never crashes or hangs the quiz (:func:`read`): it is read without blocking, only
if it is a regular file and at most :data:`core.file_guard.MAX_FILE_BYTES` long, its JSON is
parsed with guards (nesting, NaN/Infinity, huge numbers) and every field of every answer is
checked for its type and range. :func:`recover` then sets it aside (``.damaged``, owner-only,
never overwritten) and carries on with the answers that could be read, from none when none
could; :func:`append` does the same before it writes.

Spaced repetition (Leitner boxes, one per topic): a topic never asked yet sits in
:data:`NEW_BOX` (box 2), and its answers move it from there. A right answer moves the topic up
one box (at most :data:`MAX_BOX`), a wrong one sends it back to box 1. A topic's weight when a
quiz is drawn is ``2 ** (MAX_BOX - box)``: a topic just missed is asked eight times as often as a
mastered one, twice as often as a new one, and the most due topic is asked first
(:func:`core.quiz_generation.topic_order`).

Why an answered topic starts from :data:`NEW_BOX`, not from box 1: a right answer must never
bring a topic back sooner than a topic the student has not seen at all. Started from box 1, a
topic answered right once reached box 2, weighed the same as a never-asked topic and read
"comes back often" (a student review); now its first right answer moves it past the new topics
(box 3), and its first wrong answer still puts it ahead of them (box 1). Two right answers in a
row reach :data:`MAX_BOX`; one miss sends the topic back to box 1 whatever its box.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from core import file_guard
from core.recovery_format import make_private_dir
from core.session_format import _Invalid, _loads
from core.session_io import describe_os_error
from core.session_read import json_kind

MAX_BOX = 4
FILE_NAME = "quiz_progress.json"
VERSION = 1
MAX_ANSWERS = 10_000
"""The oldest answers are dropped beyond this: an answer is 15 JSON values, so the file stays
well within the values its reader accepts (:data:`READ_VALUES`)."""
READ_VALUES = 400_000
"""The values a progress file may hold when read: earlier builds kept up to 20,000 answers
(about 300,000 values), and a student's record from them is read whole, then kept to the last
:data:`MAX_ANSWERS` at the next answer."""
MAX_SEED = 10**18
"""The largest seed read back (a fresh quiz's is below 100,000; a typed one has 9 digits)."""
MAX_TIME = 64
"""The longest time (ISO 8601) read back."""
MAX_NAME = 200
"""The longest topic or question kind read back."""


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


class _Damaged(ValueError):
    """Internal: why the file (or one answer in it) cannot be read."""


_kind = json_kind  # the session reader's words for what a value is


def _text(where: str, value: object, limit: int, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _Damaged(f"{where}: expected text, found {_kind(value)}")
    if not value and not empty:
        raise _Damaged(f"{where}: empty")
    if len(value) > limit:
        raise _Damaged(f"{where}: too long ({len(value)} characters; at most {limit})")
    if any(c < " " or c == "\x7f" for c in value):
        raise _Damaged(f"{where}: contains a control character")
    return value


def _parse(where: str, item: object) -> Answer:
    """One answer, every field checked for its type and range (raises :class:`_Damaged`)."""
    if not isinstance(item, dict):
        raise _Damaged(f"{where}: expected an object, found {_kind(item)}")
    for name in ("time", "topic", "kind", "correct", "score", "seed"):
        if name not in item:
            raise _Damaged(f"{where}: missing {name}")
    time = _text(f"{where}.time", item["time"], MAX_TIME)
    try:
        datetime.fromisoformat(time)
    except ValueError:
        raise _Damaged(f"{where}.time: not a date and time (ISO 8601)") from None
    correct, score, seed = item["correct"], item["score"], item["seed"]
    if not isinstance(correct, bool):
        raise _Damaged(f"{where}.correct: expected true or false, found {_kind(correct)}")
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise _Damaged(f"{where}.score: expected a number from 0 to 1, found {_kind(score)}")
    if not 0.0 <= score <= 1.0:  # (NaN and infinities never get here: the parser refuses them)
        raise _Damaged(f"{where}.score: {score} is out of range (0 to 1)")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise _Damaged(f"{where}.seed: expected a whole number, found {_kind(seed)}")
    if not 0 <= seed <= MAX_SEED:
        raise _Damaged(f"{where}.seed: out of range (0 to {MAX_SEED})")
    return Answer(
        time=time,
        topic=_text(f"{where}.topic", item["topic"], MAX_NAME),
        kind=_text(f"{where}.kind", item["kind"], MAX_NAME),
        correct=correct,
        score=float(score),
        seed=seed,
        quiz=_text(f"{where}.quiz", item.get("quiz", ""), MAX_TIME, empty=True),
    )


@dataclass(frozen=True)
class Reading:
    """What :func:`read` found in the file."""

    answers: list[Answer]
    """The answers that could be read (every field valid)."""
    problem: str | None = None
    """Why the file, or some of its answers, could not be read; ``None`` when it was read whole
    (or there is no file, or it is empty)."""


def _structure(text: str) -> list[object]:
    """The rows of the file's ``answers`` list (raises :class:`_Damaged`). The JSON is parsed
    as a session file is (:mod:`core.session_format`: nesting, NaN/Infinity, huge numbers and
    a key given twice refused)."""
    try:
        data = _loads(text, READ_VALUES)
    except _Invalid as exc:
        raise _Damaged(str(exc)[:120]) from None
    if not isinstance(data, dict):
        raise _Damaged(f"expected a JSON object at the top level, found {_kind(data)}")
    version = data.get("version", VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _Damaged(f"version: expected the number {VERSION}, found {_kind(version)}")
    if version != VERSION:
        newer = " (written by a newer Dermamap)" if version > VERSION else ""
        raise _Damaged(f"version: unsupported version {version}{newer}")
    rows = data.get("answers")
    if not isinstance(rows, list):
        raise _Damaged(f"answers: expected a list, found {_kind(rows)}")
    return rows


def read(path: Path) -> Reading:
    """The answers in ``path`` and what, if anything, is wrong with the file; never raises.

    The file is read through :func:`core.file_guard.read_regular`: without blocking (a FIFO or a
    device is refused, never waited on), only a regular file (a link to ``/dev/zero`` is a
    device), at most :data:`core.file_guard.MAX_FILE_BYTES`. The JSON is parsed with guards
    (nesting, NaN/Infinity, huge numbers) and every answer's fields are checked; an answer
    that is not valid is left out and named in :attr:`Reading.problem`. A missing or empty
    file is no answers and no problem.
    """
    try:
        raw, _st = file_guard.read_regular(os.fspath(path))
    except FileNotFoundError:
        return Reading([])
    except file_guard.Refused as exc:
        return Reading([], str(exc))
    except OSError as exc:
        return Reading([], describe_os_error(exc))
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return Reading([], f"byte {exc.start} is not valid UTF-8 (not a text file)")
    if not text.strip():
        return Reading([])
    try:
        rows = _structure(text)
    except _Damaged as exc:
        return Reading([], str(exc))
    answers: list[Answer] = []
    bad: list[str] = []
    for i, row in enumerate(rows):
        try:
            answers.append(_parse(f"answers[{i}]", row))
        except _Damaged as exc:
            bad.append(str(exc))
    if not bad:
        return Reading(answers)
    some = "the answer is" if len(rows) == 1 else f"{len(bad)} of {len(rows)} answers are"
    return Reading(answers, f"{some} not valid: {bad[0]}")


def load(path: Path) -> list[Answer]:
    """The answers in ``path`` (empty if missing or damaged; answers not valid are skipped).
    Never raises, and never changes the file (see :func:`read`)."""
    return read(path).answers


def save(path: Path, answers: Sequence[Answer]) -> None:
    """Write ``answers`` atomically to ``path``, readable by its owner only.

    Every answer is checked as :func:`read` will check it, first: one it would refuse raises
    :class:`ValueError` naming the field, and nothing is written (the writer never writes what
    its reader refuses)."""
    rows = [asdict(a) for a in answers[-MAX_ANSWERS:]]
    for i, row in enumerate(rows):
        try:
            _parse(f"answers[{i}]", row)
        except _Damaged as exc:
            raise ValueError(f"cannot keep this answer: {exc}") from None
    make_private_dir(path.parent)  # each missing folder owner-only, whatever the umask
    text = json.dumps({"version": VERSION, "answers": rows}, indent=0)
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


def _owner_only(path: Path) -> None:
    """Make the set-aside copy readable by its owner only: a regular file only (a link is never
    followed, a FIFO or device never opened)."""
    with contextlib.suppress(OSError):
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)


def set_aside(path: Path, reading: Reading | None = None) -> Path | None:
    """Move a damaged file (one :func:`read` finds a problem in) beside itself, to
    ``.damaged`` (``.damaged-2``, ... : an earlier damaged copy stays too), owner-only;
    returns where it went, or ``None`` when there was nothing to set aside or it could not be
    moved. ``reading`` is :func:`read` of ``path`` when the caller has it. Never raises."""
    if reading is None:
        reading = read(path)
    if reading.problem is None or not os.path.lexists(path):
        return None
    aside, n = path.with_suffix(".damaged"), 2
    while os.path.lexists(aside):
        aside, n = path.with_suffix(f".damaged-{n}"), n + 1
    try:
        os.rename(path, aside)  # (a link is moved, never what it points to)
    except OSError:
        return None
    _owner_only(aside)
    return aside


@dataclass(frozen=True)
class Recovered:
    """A damaged file set aside by :func:`recover`."""

    problem: str
    """What was wrong with it."""
    aside: Path | None
    """Where it went; ``None`` when it could not be moved (it is then left as it is)."""
    kept: list[Answer]
    """The answers that could be read, written to a new file (when it was moved)."""
    error: str | None = None
    """Why the new file could not be written (the answers are still in :attr:`aside`)."""
    private: bool = False
    """Whether :attr:`aside` is a regular file only its owner can read (a pipe or a link, set
    aside as it is, holds no answers and is left as it was)."""


def recover(path: Path) -> tuple[list[Answer], Recovered | None]:
    """The answers in ``path``; a damaged file is set aside first (:func:`set_aside`) and the
    answers that could be read go into a new file, so the quiz starts from them (from nothing
    when none could be read). The second item says what happened (``None``: the file was
    fine). Never raises; never writes over a damaged file it could not move."""
    reading = read(path)
    if reading.problem is None:
        return reading.answers, None
    aside = set_aside(path, reading)
    error = None
    if aside is not None and reading.answers:
        try:
            save(path, reading.answers)
        except OSError as exc:
            error = describe_os_error(exc, saving=True)
        except ValueError as exc:  # pragma: no cover - read() checked them as save() does
            error = str(exc)
    private = False
    if aside is not None:
        with contextlib.suppress(OSError):
            st = os.lstat(aside)
            private = stat.S_ISREG(st.st_mode) and not st.st_mode & 0o077
    return reading.answers, Recovered(reading.problem, aside, reading.answers, error, private)


def append(path: Path, new: Iterable[Answer]) -> list[Answer]:
    """Add ``new`` answers to the file (a damaged one is set aside first: :func:`set_aside`;
    the answers that could be read are kept); returns everything now stored.

    Raises :class:`OSError` when the file cannot be written, or when it is damaged and could
    not be set aside (it is never written over then)."""
    reading = read(path)
    if reading.problem is not None and set_aside(path, reading) is None:
        raise OSError(
            errno.EEXIST, f"{path.name} could not be read ({reading.problem}) nor set aside"
        )
    answers = [*reading.answers, *new]
    save(path, answers)
    return answers


NEW_BOX = 2
"""The box of a topic never asked yet, and the box an answered topic's first answer moves from
(see the module's docstring)."""


def boxes(answers: Iterable[Answer]) -> dict[str, int]:
    """Topic -> Leitner box (1 = just missed ... :data:`MAX_BOX` = mastered) of each topic
    answered; each topic's answers move it from :data:`NEW_BOX`, oldest first."""
    out: dict[str, int] = {}
    for a in sorted(answers, key=lambda a: a.time):
        box = out.get(a.topic, NEW_BOX)
        out[a.topic] = min(MAX_BOX, box + 1) if a.correct else 1
    return out


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
