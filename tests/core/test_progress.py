"""Quiz progress (issue 18): answers kept in an owner-only file written atomically, and the
spaced-repetition rule bringing missed topics back sooner."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path

from core import progress
from core.progress import Answer


def _a(topic: str, correct: bool, t: int) -> Answer:
    return Answer(f"2026-01-01T00:00:{t:02d}+00:00", topic, "k", correct, float(correct), 5)


def test_answers_survive_in_an_owner_only_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / progress.FILE_NAME
    progress.append(path, [_a("maps", True, 1)])
    progress.append(path, [_a("myotomes", False, 2)])
    assert [a.topic for a in progress.load(path)] == ["maps", "myotomes"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == [progress.FILE_NAME]  # no temp left


def test_damaged_file_reads_empty_and_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / progress.FILE_NAME
    path.write_text("{not json")
    assert progress.load(path) == []
    progress.append(path, [_a("maps", True, 1)])
    assert len(progress.load(path)) == 1
    assert path.with_suffix(".damaged").read_text() == "{not json"
    path.write_text('{"answers": [{"time": "x"}, 3]}')
    assert progress.load(path) == []


def test_missed_topics_come_back_sooner() -> None:
    answers = [
        _a("maps", True, 1),
        _a("maps", True, 2),
        _a("maps", True, 3),
        _a("vignettes", False, 4),
    ]
    assert progress.boxes(answers) == {"maps": 4, "vignettes": 1}
    w = progress.topic_weights(answers, ["maps", "vignettes", "myotomes"])
    assert w["vignettes"] > w["myotomes"] > w["maps"]
    answers.append(_a("maps", False, 5))  # one miss sends a topic back to box 1
    assert progress.boxes(answers)["maps"] == 1


def test_score_history_per_topic_and_quiz() -> None:
    q1, q2 = "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00"
    answers = [
        replace(_a("maps", True, 1), quiz=q1),
        replace(_a("maps", False, 2), quiz=q1),
        replace(_a("vignettes", True, 3), quiz=q1),
        replace(_a("maps", True, 4), quiz=q2),
    ]
    hist = progress.score_history(answers)
    assert hist == {"maps": [(1, 50.0), (2, 100.0)], "vignettes": [(1, 100.0)]}


def test_a_second_damaged_file_does_not_replace_the_first(tmp_path: Path) -> None:
    path = tmp_path / progress.FILE_NAME
    path.write_text("{first")
    assert progress.set_aside(path) == path.with_suffix(".damaged")
    path.write_text("{second")
    assert progress.set_aside(path) == path.with_suffix(".damaged-2")
    assert path.with_suffix(".damaged").read_text() == "{first"
    assert path.with_suffix(".damaged-2").read_text() == "{second"
    assert progress.set_aside(path) is None  # nothing left to set aside
