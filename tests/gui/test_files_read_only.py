"""A session file the user cannot write says so when it is opened ("(read-only)" in the title
and the status bar), and Save goes straight to Save As."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from core.model import Side, Symptom
from core.session_io import load_session
from gui import file_safety

DATA = Path(__file__).resolve().parent.parent / "core" / "data"


@pytest.fixture
def ro_file(tmp_path: Path) -> Path:
    p = tmp_path / "ro.json"
    shutil.copy(DATA / "spec_example.json", p)
    os.chmod(p, 0o400)  # read-only, also for root (who owns it then): its mode bits say so
    return p


def test_read_only_file_says_so_on_open_and_save_goes_to_save_as(window, ro_file: Path) -> None:
    before = ro_file.read_bytes()
    assert window.files.open_path(ro_file)
    assert window.windowTitle() == "ro.json (read-only)[*] — Dermamap"
    assert "read-only" in window.statusBar().currentMessage()
    window.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)  # the title is made again
    assert window.windowTitle() == "ro.json (read-only)[*] — Dermamap"
    assert window.isWindowModified()
    asked: list[str] = []
    copy = ro_file.with_name("mine.json")

    def ask(_title: str, suggested: str, _filters: str) -> str:
        asked.append(suggested)
        return str(copy)

    window.files.ask_save_path = ask
    window.files.save_action.trigger()
    assert [Path(s).name for s in asked] == ["ro-copy.json"]  # straight to Save As
    assert ro_file.read_bytes() == before
    assert stat.S_IMODE(ro_file.stat().st_mode) == 0o400
    assert load_session(copy) == window.model.session
    assert window.model.path == copy.resolve()
    assert window.windowTitle() == "mine.json[*] — Dermamap"  # this one can be written
    assert not window.isWindowModified()


def test_writable_again_saves_in_place(window, ro_file: Path) -> None:
    assert window.files.open_path(ro_file)
    window.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    os.chmod(ro_file, 0o600)  # the user made it writable
    window.files.ask_save_path = lambda *_a: pytest.fail("asked for a new name")
    assert window.files.save()
    assert load_session(ro_file) == window.model.session
    assert window.windowTitle() == "ro.json[*] — Dermamap"


def test_not_writable_as_the_system_says_is_read_only(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mode bits that allow writing, but the system refuses (an ACL, a read-only mount)."""
    p = tmp_path / "acl.json"
    shutil.copy(DATA / "spec_example.json", p)
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if str(path) == str(p) else real(path, mode)
    )
    assert file_safety.is_read_only(p)
    assert window.files.open_path(p)
    assert "(read-only)" in window.windowTitle()
    monkeypatch.setattr(os, "access", real)
    assert window.files.new()
    assert window.windowTitle() == "Untitled[*] — Dermamap"


def test_a_file_in_a_folder_that_cannot_be_written_is_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    p = folder / "s.json"
    shutil.copy(DATA / "spec_example.json", p)
    os.chmod(p, 0o600)
    assert not file_safety.is_read_only(p)
    os.chmod(folder, 0o500)
    try:
        assert file_safety.is_read_only(p)  # a save's temporary file cannot be made there
    finally:
        os.chmod(folder, 0o700)
    assert not file_safety.is_read_only(tmp_path / "gone.json")
