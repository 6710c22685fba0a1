"""``dermamap report``: a data-safety review's findings (the reviewer's numbering).

3: an output path naming the session file or the ``--compare`` file overwrote it silently
(``report visit.json --fhir visit.json``); two outputs naming one file overwrote each other.
6: an output that cannot be written (a missing folder, a folder) gave a traceback for ``--fhir``.
Every case: exit status 2 (the arguments) or 1 (the output), one line on stderr, no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import save_session
from gui.report_cli import report_main

FLAGS = ("-o", "--png", "--csv", "--fhir")


def _session_file(folder: Path, name: str = "visit.json") -> Path:
    path = folder / name
    marks = (Mark("heel", Side.LEFT, Symptom.PAIN),)
    save_session(Session(marks=marks, visit=Visit(date="2026-01-01")), path)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = report_main([str(a) for a in argv])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.count("\n") <= 1, err
    return code, err


@pytest.mark.parametrize("flag", FLAGS)
def test_an_output_naming_the_session_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str
) -> None:
    src = _session_file(tmp_path)
    before = src.read_bytes()
    code, err = _run(capsys, src, flag, src)
    assert code == 2
    assert err.startswith(f'dermamap report: the {flag} output "{src}" is the session file')
    assert src.read_bytes() == before


def test_the_same_file_under_another_name_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _session_file(tmp_path)
    before = src.read_bytes()
    (tmp_path / "sub").mkdir()
    os.symlink(src, tmp_path / "link.json")
    os.link(src, tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path)
    for other in ("visit.json", "sub/../visit.json", "link.json", "hard.json"):
        code, err = _run(capsys, src, "--fhir", other)
        assert code == 2 and "is the session file" in err, other
    assert src.read_bytes() == before


@pytest.mark.parametrize("flag", FLAGS)
def test_an_output_naming_the_compare_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str
) -> None:
    src, old = _session_file(tmp_path), _session_file(tmp_path, "old.json")
    before = old.read_bytes()
    code, err = _run(capsys, src, "--compare", old, flag, old)
    assert code == 2 and f'the {flag} output "{old}" is the --compare file' in err
    assert old.read_bytes() == before


def test_two_outputs_naming_one_file_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    src = _session_file(tmp_path)
    out = tmp_path / "out.json"
    code, err = _run(capsys, src, "--csv", out, "--fhir", out)
    assert code == 2 and f'--csv and --fhir name the same file "{out}"' in err
    assert not out.exists()
    code, err = _run(capsys, src, "-o", out, "--png", tmp_path / "." / "out.json")
    assert code == 2 and "-o and --png name the same file" in err


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_an_output_that_cannot_be_written_is_one_line(
    qapp: object, capsys: pytest.CaptureFixture[str], tmp_path: Path, flag: str, where: str
) -> None:
    src = _session_file(tmp_path)
    target = tmp_path / "no_such_folder" / "out" if where == "missing folder" else tmp_path
    code, err = _run(capsys, src, flag, target)
    assert code == 1
    assert err.startswith(f'dermamap report: Cannot save to "{target}": ')
    assert ("the folder does not exist" if where == "missing folder" else "folder") in err
    assert tmp_path.is_dir()
