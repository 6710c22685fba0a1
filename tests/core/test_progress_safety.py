"""A damaged quiz progress file (``quiz_progress.json``) never breaks or hangs the quiz: it is read
without blocking, bounded, only as a regular file, every value checked; a damaged file is set
aside (owner-only, never written over) and the answers that could be read carry on. The writer
never writes what its reader refuses. (Red-team bug 7: ``"seed": 1e999`` raised OverflowError,
deep nesting RecursionError, set_aside called the same load, a FIFO blocked for ever and a link
to /dev/zero read until memory ran out.)"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import progress
from core.progress import Answer

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "time": "2026-12-01T10:00:00+00:00",
    "topic": "dermatomes",
    "kind": "which_root",
    "correct": True,
    "score": 1,
    "seed": 5,
}


def _file(path: Path, *rows: object) -> str:
    text = json.dumps({"version": 1, "answers": list(rows)})
    path.write_text(text, encoding="utf-8")
    return text


def _with_seed(literal: str) -> str:
    return '{"version": 1, "answers": [' + json.dumps(GOOD).replace('"seed": 5', literal) + "]}"


HOSTILE = {
    "seed_1e999": _with_seed('"seed": 1e999'),
    "seed_Infinity": _with_seed('"seed": Infinity'),
    "seed_-Infinity": _with_seed('"seed": -Infinity'),
    "score_NaN": _with_seed('"seed": 5').replace('"score": 1', '"score": NaN'),
    "seed_5000_digits": _with_seed('"seed": ' + "9" * 5000),
    "deep_nesting": "[" * 100_000 + "]" * 100_000,
    "deep_objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    "not_json": "{damaged",
    "not_utf8": '{"version": 1, "answers": ["\xff"]}',
    "top_level_list": "[1, 2, 3]",
    "answers_not_a_list": '{"version": 1, "answers": {"a": 1}}',
    "newer_version": '{"version": 7, "answers": []}',
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_reads_as_damaged_and_never_raises(tmp_path: Path, name: str) -> None:
    """``load`` raised OverflowError (1e999, Infinity) or RecursionError (deep nesting): the
    quiz never started and My progress raised."""
    path = tmp_path / progress.FILE_NAME
    if name == "not_utf8":
        path.write_bytes(HOSTILE[name].encode("latin-1"))
    else:
        path.write_text(HOSTILE[name], encoding="utf-8")
    assert progress.load(path) == []
    reading = progress.read(path)
    assert reading.answers == [] and reading.problem
    assert "\n" not in reading.problem and len(reading.problem) < 200


@pytest.mark.parametrize("name", ["seed_1e999", "seed_Infinity", "deep_nesting"])
def test_a_file_load_cannot_read_is_set_aside_owner_only(tmp_path: Path, name: str) -> None:
    """set_aside called the same load, so it raised too and the file was never set aside."""
    path = tmp_path / progress.FILE_NAME
    path.write_text(HOSTILE[name], encoding="utf-8")
    path.chmod(0o644)
    aside = progress.set_aside(path)
    assert aside == path.with_suffix(".damaged")
    assert not path.exists()
    assert aside.read_text(encoding="utf-8") == HOSTILE[name]  # kept as it was
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    progress.append(path, [Answer(**{**GOOD, "score": 1.0})])  # a new record begins
    assert len(progress.load(path)) == 1
    assert aside.read_text(encoding="utf-8") == HOSTILE[name]


BAD_VALUES = {
    "correct_text": ("correct", "yes"),  # was read as True
    "correct_number": ("correct", 1),
    "score_above_1": ("score", 2),  # was clamped to 1
    "score_negative": ("score", -0.5),
    "score_text": ("score", "1"),  # was read as 1.0
    "score_bool": ("score", True),
    "seed_fraction": ("seed", 1.5),  # was read as 1
    "seed_text": ("seed", "5"),  # was read as 5
    "seed_bool": ("seed", True),
    "seed_negative": ("seed", -1),
    "seed_too_big": ("seed", 10**19),
    "time_not_a_time": ("time", "yesterday"),
    "time_number": ("time", 5),  # was read as "5"
    "topic_number": ("topic", 7),  # was read as "7"
    "topic_empty": ("topic", ""),
    "topic_huge": ("topic", "t" * 5000),
    "topic_control": ("topic", "maps\x00"),
    "kind_null": ("kind", None),  # was read as "None"
    "quiz_number": ("quiz", 3),
}


@pytest.mark.parametrize("name", list(BAD_VALUES))
def test_every_field_is_checked_for_its_type_and_range(tmp_path: Path, name: str) -> None:
    """Values were coerced (``"correct": "yes"`` counted as right, a score of 2 as 1): an
    answer with a field of the wrong type or out of range is left out and named."""
    field, value = BAD_VALUES[name]
    path = tmp_path / progress.FILE_NAME
    _file(path, GOOD, {**GOOD, field: value})
    assert [a.seed for a in progress.load(path)] == [5]
    reading = progress.read(path)
    assert [a.seed for a in reading.answers] == [5]  # the good answer is kept
    assert reading.problem is not None and f"answers[1].{field}" in reading.problem


@pytest.mark.parametrize("missing", ["time", "topic", "kind", "correct", "score", "seed"])
def test_an_answer_missing_a_field_is_left_out(tmp_path: Path, missing: str) -> None:
    path = tmp_path / progress.FILE_NAME
    row = {k: v for k, v in GOOD.items() if k != missing}
    _file(path, row, 3, GOOD)
    reading = progress.read(path)
    assert len(reading.answers) == 1
    assert reading.problem is not None and "2 of 3 answers" in reading.problem
    assert f"answers[0]: missing {missing}" in reading.problem


def test_recover_sets_a_damaged_file_aside_and_keeps_what_could_be_read(tmp_path: Path) -> None:
    """A file with one bad answer was rewritten without it on the next answer: the bad row was
    dropped silently. Now the whole file is kept aside first, and the good answers carry on."""
    path = tmp_path / progress.FILE_NAME
    text = _file(path, GOOD, {**GOOD, "correct": "yes"}, {**GOOD, "seed": 9})
    answers, what = progress.recover(path)
    assert [a.seed for a in answers] == [5, 9]
    assert what is not None and what.aside == path.with_suffix(".damaged") and what.private
    assert what.kept == answers and what.error is None
    assert what.aside.read_text(encoding="utf-8") == text  # every byte kept
    assert stat.S_IMODE(what.aside.stat().st_mode) == 0o600
    assert progress.read(path) == progress.Reading(answers)  # the new file is whole
    assert progress.recover(path) == (answers, None)  # nothing more to do


def test_a_damaged_file_that_cannot_be_moved_is_never_written_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When setting aside failed, append wrote the new answers over the damaged file."""
    path = tmp_path / progress.FILE_NAME
    path.write_text(HOSTILE["not_json"], encoding="utf-8")
    real_replace, real_rename = os.replace, os.rename

    def refuse_aside(real):  # type: ignore[no-untyped-def]
        def move(src, dst, *a, **k):  # type: ignore[no-untyped-def]
            if ".damaged" in os.fspath(dst):
                raise PermissionError(13, "Permission denied")
            return real(src, dst, *a, **k)

        return move

    monkeypatch.setattr(os, "replace", refuse_aside(real_replace))
    monkeypatch.setattr(os, "rename", refuse_aside(real_rename))
    with pytest.raises(OSError):
        progress.append(path, [Answer(**{**GOOD, "score": 1.0})])
    assert path.read_text(encoding="utf-8") == HOSTILE["not_json"]
    answers, what = progress.recover(path)
    assert answers == [] and what is not None and what.aside is None
    assert path.read_text(encoding="utf-8") == HOSTILE["not_json"]


@contextlib.contextmanager
def _fifo_released(path: Path) -> Iterator[None]:
    """Lets a reader blocked on the FIFO at ``path`` go after the block (the unfixed reader
    waited for a writer for ever)."""
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


def test_a_fifo_is_never_waited_on(tmp_path: Path) -> None:
    """A FIFO as the file blocked the GUI thread for ever (opening it waits for a writer)."""
    path = tmp_path / progress.FILE_NAME
    os.mkfifo(path)
    found: list[list[Answer]] = []
    reader = threading.Thread(target=lambda: found.append(progress.load(path)), daemon=True)
    with _fifo_released(path):
        reader.start()
        reader.join(timeout=10)
        blocked = reader.is_alive()
    reader.join(timeout=5)
    assert not blocked, "reading the FIFO blocked"
    assert found == [[]]
    assert "pipe" in (progress.read(path).problem or "")
    answers, what = progress.recover(path)
    assert answers == [] and what is not None and what.aside is not None
    assert stat.S_ISFIFO(os.lstat(what.aside).st_mode)  # moved as it is
    assert not what.private  # (a pipe holds no answers; it is not said to be private)
    progress.append(path, [Answer(**{**GOOD, "score": 1.0})])
    assert stat.S_ISREG(os.lstat(path).st_mode) and len(progress.load(path)) == 1


def test_a_link_to_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    """A link to /dev/zero was read until memory ran out. (Run in a child process with its
    address space capped at 1 GiB, so the unfixed reader fails there instead of here.)"""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    path = tmp_path / progress.FILE_NAME
    path.symlink_to("/dev/zero")
    before = os.stat("/dev/zero")
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pathlib import Path\n"
        "from core import progress\n"
        "assert progress.load(Path(sys.argv[1])) == []\n"
        "r = progress.read(Path(sys.argv[1]))\n"
        "print(len(r.answers), r.problem)\n"
        "answers, what = progress.recover(Path(sys.argv[1]))\n"
        "print(what.aside.name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-500:]
    first, second = done.stdout.splitlines()
    assert first.startswith("0 ") and "device" in first
    assert second == "quiz_progress.damaged"
    aside = path.with_suffix(".damaged")
    assert aside.is_symlink() and os.readlink(aside) == "/dev/zero"  # the link moved, as it was
    after = os.stat("/dev/zero")
    assert (after.st_mode, after.st_uid) == (before.st_mode, before.st_uid)  # never chmod'ed


def test_a_missing_or_empty_file_is_no_answers_and_no_problem(tmp_path: Path) -> None:
    path = tmp_path / progress.FILE_NAME
    assert progress.read(path) == progress.Reading([])
    path.write_text("", encoding="utf-8")
    assert progress.read(path) == progress.Reading([])
    assert progress.set_aside(path) is None and path.exists()


# --- the writer never writes what the reader refuses -------------------------------------------

_times = st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat(timespec="microseconds"))
_answers = st.builds(
    Answer,
    time=st.one_of(_times, st.text(max_size=8)),
    topic=st.text(max_size=12),
    kind=st.text(max_size=12),
    correct=st.booleans(),
    score=st.one_of(st.floats(0, 1), st.floats(allow_nan=True, allow_infinity=True)),
    seed=st.one_of(st.integers(0, 10**9), st.integers()),
    quiz=st.one_of(st.just(""), _times, st.text(max_size=8)),
)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(_answers, max_size=4))
def test_every_answer_the_writer_keeps_reads_back_the_same(tmp_path_factory, rows) -> None:  # type: ignore[no-untyped-def]
    """Either save refuses (ValueError, nothing written) or read gives back exactly what was
    saved, with no problem: the app never writes a progress file it would set aside."""
    path = tmp_path_factory.mktemp("p") / progress.FILE_NAME
    try:
        progress.save(path, rows)
    except ValueError:
        assert not path.exists()
        return
    assert progress.read(path) == progress.Reading(list(rows))


def test_save_refuses_an_answer_the_reader_would_refuse(tmp_path: Path) -> None:
    """save wrote ``"seed": Infinity``-like values (a NaN score) that load then choked on."""
    path = tmp_path / progress.FILE_NAME
    good = Answer(**{**GOOD, "score": 1.0})
    progress.save(path, [good])
    before = path.read_bytes()
    for bad in (
        Answer(**{**asdict(good), "score": float("nan")}),
        Answer(**{**asdict(good), "seed": 10**30}),
        Answer(**{**asdict(good), "time": "not a time"}),
    ):
        with pytest.raises(ValueError, match=r"answers\[1\]"):
            progress.save(path, [good, bad])
        assert path.read_bytes() == before


def test_saving_progress_makes_every_missing_folder_owner_only(tmp_path: Path) -> None:
    """``mkdir(parents=True, mode=0o700)`` left the parents to the umask (0777 under 000)."""
    target = tmp_path / "data" / "Dermamap" / "quiz_progress.json"
    old = os.umask(0)
    try:
        progress.save(target, [])
    finally:
        os.umask(old)
    for folder in (tmp_path / "data", tmp_path / "data" / "Dermamap"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


LONGEST = Answer(
    time="2026-12-07T23:59:59.999999+00:00",
    topic="t" * progress.MAX_NAME,
    kind="k" * progress.MAX_NAME,
    correct=True,
    score=0.5,
    seed=progress.MAX_SEED,
    quiz="2026-12-07T23:00:00.000000+00:00",
)
"""An answer with the longest fields the reader accepts."""


def test_the_most_answers_the_writer_keeps_read_back_whole(tmp_path: Path) -> None:
    """The writer kept up to 20,000 answers and the reader refuses a file of more than 250,000
    values (core.file_guard): from about 16,700 answers a student's whole record was set aside
    as damaged at the next answer (a hostile-input review). The writer now keeps what its reader
    reads, with the longest fields it accepts."""
    path = tmp_path / progress.FILE_NAME
    progress.save(path, [LONGEST] * (progress.MAX_ANSWERS + 5))
    reading = progress.read(path)
    assert reading.problem is None and len(reading.answers) == progress.MAX_ANSWERS


def test_a_record_of_20000_answers_from_an_earlier_build_is_read_whole(tmp_path: Path) -> None:
    """A review: earlier builds kept up to 20,000 answers, more values than the reader allowed,
    so such a student's record was set aside as damaged. It is read whole, and the next save
    keeps the last MAX_ANSWERS."""
    row = asdict(LONGEST)
    path = tmp_path / progress.FILE_NAME
    text = json.dumps({"version": progress.VERSION, "answers": [row] * 20_000}, indent=0)
    path.write_text(text, encoding="utf-8")  # as an earlier build wrote it
    reading = progress.read(path)
    assert reading.problem is None and len(reading.answers) == 20_000
    progress.save(path, reading.answers)
    assert len(progress.read(path).answers) == progress.MAX_ANSWERS
