"""Crash recovery and file handling under a red team's cases: restored work keeps the conflict
check of the file it came from, stray temporaries with a number too big for a process id, copies
that cannot be read, the lock of a restored file, and owner-only folders under any umask.

A "crash" here keeps a window's recovery copy and drops its locks, as a killed process does.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from core.file_guard import FileStamp
from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import load_session, save_session, session_to_dict
from gui import recovery, settings_store
from gui.file_safety import SessionLock
from gui.files import FileController
from gui.recovery import Leftover, RecoveryManager
from gui.session_model import SessionModel
from tests.gui.helpers import ROOT

BIG = "99999999999999999999"  # a number no process id can be (os.kill: OverflowError)


class Win:
    """A window's file controller with its dialogs answered by the test."""

    def __init__(self, qtbot, folder: Path, rec_dir: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.window.menuBar().addMenu("&File").addAction("&Quit")
        self.model = SessionModel(parent=self.window)
        self.recovery = RecoveryManager(self.model, rec_dir)
        self.files = FileController(
            self.window,
            self.model,
            settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat),
            recovery=self.recovery,
        )
        self.errors: list[tuple[str, str]] = []
        self.files.report_error = lambda title, text: self.errors.append((title, text))
        self.conflicts: list[Path] = []
        self.conflict_answer = "cancel"

        def conflict(path: Path) -> str:
            self.conflicts.append(path)
            return self.conflict_answer

        self.files.ask_conflict = conflict
        self.offered: list[Leftover] = []
        self.restore_answer = "restore"

        def restore(leftover: Leftover, _parent: object) -> str:
            self.offered.append(leftover)
            return self.restore_answer

        self.files.ask_restore = restore
        self.files.ask_unsaved = lambda: "discard"

    def header(self) -> dict:
        """The header of this window's recovery copy, once the latest change is on disk."""
        self.recovery.sync()
        return json.loads(self.recovery.path.read_text(encoding="ascii"))["recovery"]

    def crash(self) -> None:
        """End as a killed window does: the recovery copy stays, the locks go."""
        self.recovery.sync()
        self.recovery.shutdown()
        self.files.lock.release()

    def close(self) -> None:
        self.recovery.shutdown()
        self.files.lock.release()


@pytest.fixture
def rec_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The recovery folder; the session locks live under ``tmp_path`` (not shared)."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    return tmp_path / "rec"


@pytest.fixture
def new_window(qtbot, tmp_path: Path, rec_dir: Path) -> Iterator[Callable[[], Win]]:
    made: list[Win] = []

    def make() -> Win:
        made.append(Win(qtbot, tmp_path / f"w{len(made)}", rec_dir))
        return made[-1]

    yield make
    for w in made:
        w.close()


def _visit(path: Path) -> Path:
    save_session(Session(marks=(Mark("heel", Side.LEFT, Symptom.PAIN),)), path)
    return path


def _outside_change(path: Path) -> Session:
    """Another program (a colleague's window) saves a change to ``path``."""
    s = load_session(path)
    theirs = replace(s, visit=Visit(notes="COLLEAGUE: saddle numbness reported 14:05"))
    save_session(theirs, path)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    return theirs


def _as_json(stamp: FileStamp | None) -> dict | None:
    assert stamp is not None
    return {"mtime_ns": stamp.mtime_ns, "size": stamp.size, "sha256": stamp.digest}


def _crash_with_unsaved_work(new_window: Callable[[], Win], path: Path) -> Win:
    a = new_window()
    assert a.files.open_path(path)
    a.model.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    a.crash()
    return a


# --- 1: restored work is checked against the file as it was opened -----------------------------


def test_save_of_restored_work_asks_when_the_file_changed_after_it_was_opened(
    new_window, tmp_path: Path
) -> None:
    p = _visit(tmp_path / "visit.json")
    opened = FileStamp.of_file(p)
    a = new_window()
    assert a.files.open_path(p)
    a.model.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    mine = a.model.session
    a.crash()
    theirs = _outside_change(p)  # after the window opened it, before the restore

    b = new_window()
    b.files.start()
    assert b.model.session == mine and b.model.path == p.resolve() and b.model.is_modified()
    assert not b.files.save()  # Reload / Save As / Overwrite: Cancel
    assert [c.resolve() for c in b.conflicts] == [p.resolve()]
    assert load_session(p) == theirs and b.model.is_modified()
    assert [lo.stamp for lo in b.offered] == [opened]  # the crashed copy carried the stamp
    assert b.header()["original_stamp"] == _as_json(opened)  # a second crash keeps it too
    b.conflict_answer = "overwrite"
    assert b.files.save()
    assert load_session(p) == mine and not b.model.is_modified()
    assert len(b.conflicts) == 2
    b.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)  # the stamp of the save from now on
    assert b.header()["original_stamp"] == _as_json(FileStamp.of_file(p))
    assert b.files.save() and len(b.conflicts) == 2  # no outside change since: no question


def test_restored_work_of_an_unchanged_file_saves_without_a_question(
    new_window, tmp_path: Path
) -> None:
    p = _visit(tmp_path / "visit.json")
    _crash_with_unsaved_work(new_window, p)
    b = new_window()
    b.files.start()
    assert b.model.is_modified()
    assert b.files.save() and b.conflicts == []
    assert load_session(p) == b.model.session


def test_a_second_crash_after_a_restore_keeps_the_first_stamp(new_window, tmp_path: Path) -> None:
    p = _visit(tmp_path / "visit.json")
    opened = FileStamp.of_file(p)
    _crash_with_unsaved_work(new_window, p)
    b = new_window()
    b.files.start()
    b.model.toggle_mark("little_toe", Side.LEFT, Symptom.TINGLING)
    b.crash()
    theirs = _outside_change(p)
    c = new_window()
    c.files.start()
    assert not c.files.save() and len(c.conflicts) == 1
    assert load_session(p) == theirs
    assert [lo.stamp for lo in c.offered] == [opened]


def test_a_copy_without_a_stamp_asks_before_its_first_save(new_window, tmp_path: Path) -> None:
    """A copy written before the header had the stamp: whether the file changed since it was
    opened is not known, so the first Save asks (never a silent overwrite)."""
    p = _visit(tmp_path / "visit.json")
    rec_dir = tmp_path / "rec"
    rec_dir.mkdir()
    mine = load_session(p).with_mark(Mark("great_toe", Side.RIGHT, Symptom.NUMBNESS))
    data = session_to_dict(mine)
    data["recovery"] = {"saved_at": "2025-01-02T03:04:05+00:00", "original_path": str(p)}
    (rec_dir / "dermamap-1-abcdef.json").write_text(json.dumps(data))
    b = new_window()
    b.files.start()
    assert b.model.session == mine and b.model.is_modified()
    assert not b.files.save()
    assert len(b.conflicts) == 1 and load_session(p) != mine
    assert [lo.stamp for lo in b.offered] == [None]
    assert b.header()["original_stamp"] is None  # still not known after another crash
    b.conflict_answer = "overwrite"
    assert b.files.save() and load_session(p) == mine


# --- 4: a temporary's name with a number too big for a process id ------------------------------


def test_a_stray_temporary_with_a_huge_number_neither_stops_open_nor_save(
    new_window, tmp_path: Path
) -> None:
    p = _visit(tmp_path / "visit.json")
    strays = [tmp_path / f".visit.json.{n}.deadbeef.tmp" for n in (BIG, 1 << 32, 1 << 31)]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".visit.json.{dead.pid}.deadbeef.tmp"
    for f in (*strays, stale):
        f.write_text("stray")
    w = new_window()
    assert w.files.open_path(p)
    assert w.model.path == p.resolve() and w.errors == []
    w.model.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    assert w.files.save() and w.errors == []
    assert load_session(p) == w.model.session
    assert all(f.exists() for f in strays)  # not a temporary of ours: left alone
    assert not stale.exists()  # one of a process that is gone: removed


def test_start_with_a_stray_temporary_still_opens_file_and_offers_work(
    new_window, tmp_path: Path
) -> None:
    p = _visit(tmp_path / "visit.json")
    q = _visit(tmp_path / "other.json")
    _crash_with_unsaved_work(new_window, p)
    stray = tmp_path / "rec" / f".x.{BIG}.deadbeef.tmp"
    stray.write_text("stray")
    b = new_window()
    b.restore_answer = "later"
    b.files.start(str(q))  # FILE on the command line
    assert b.model.path == q.resolve()
    assert len(b.offered) == 1 and b.offered[0].original_path == str(p.resolve())
    assert stray.exists()


def test_a_failing_clean_up_stops_neither_the_open_nor_the_restore_offer(
    new_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = _visit(tmp_path / "visit.json")
    q = _visit(tmp_path / "other.json")
    _crash_with_unsaved_work(new_window, p)

    def broken(*_args: object) -> int:
        raise RuntimeError("clean-up failed")

    monkeypatch.setattr(recovery, "remove_stale_temporaries", broken)
    b = new_window()
    b.restore_answer = "later"
    b.files.start(str(q))
    assert b.model.path == q.resolve() and len(b.offered) == 1


# --- 8: copies that cannot be read are reported and kept ----------------------------------------


def test_copies_that_cannot_be_read_are_reported_and_kept(new_window, tmp_path: Path) -> None:
    p = _visit(tmp_path / "visit.json")
    a = _crash_with_unsaved_work(new_window, p)
    raw = a.recovery.path.read_bytes()
    folder = tmp_path / "rec"
    newer = json.loads(raw)
    newer["version"] = 3
    bad = {
        "dermamap-111-aaaaaa.json": raw[: len(raw) * 2 // 3],  # truncated
        "dermamap-222-bbbbbb.json": json.dumps(newer).encode(),  # a newer version
        "dermamap-333-cccccc.json": b"",  # empty
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    live = new_window()  # a living window's copy is neither offered nor reported
    live.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)
    live.recovery.sync()
    b = new_window()
    b.restore_answer = "later"
    b.files.start()
    assert [lo.path for lo in b.offered] == [a.recovery.path]  # the good one is offered
    assert len(b.errors) == 1
    title, text = b.errors[0]
    assert "cannot be read" in title
    assert "3 recovery copies" in text and str(folder) in text and "kept" in text
    assert all(name in text for name in bad)
    assert all((folder / name).read_bytes() == data for name, data in bad.items())
    b.files.start()  # Later: still there, and said again at the next start
    assert len(b.errors) == 2 and (folder / "dermamap-333-cccccc.json").exists()


# --- 9: a restored file is locked as an opened one is ---------------------------------------


def test_a_window_that_restored_work_holds_the_files_lock(new_window, tmp_path: Path) -> None:
    p = _visit(tmp_path / "visit.json")
    _crash_with_unsaved_work(new_window, p)
    b = new_window()
    b.files.start()
    assert b.model.path == p.resolve()
    assert b.files.lock.path == SessionLock.lock_path(p)
    c = new_window()
    assert c.files.open_path(p)
    assert c.errors and "another Dermamap window" in c.errors[-1][1]


def test_restoring_untitled_work_lets_go_of_the_file_open_before(
    new_window, tmp_path: Path
) -> None:
    q = _visit(tmp_path / "other.json")
    a = new_window()
    a.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)  # never saved: Untitled
    a.crash()
    b = new_window()
    assert b.files.open_path(q) and b.files.lock.path is not None
    b.files.start()
    assert b.model.path is None and b.model.is_modified()
    assert b.files.lock.path is None
    c = new_window()
    assert c.files.open_path(q) and c.errors == []


def test_restoring_work_says_which_file_it_closed(new_window, tmp_path: Path) -> None:
    """Started with a file and answering Restore, the file named on the command line was gone
    from the window without a word (a second review)."""
    q = _visit(tmp_path / "other.json")
    a = new_window()
    a.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)  # never saved: Untitled
    a.crash()
    b = new_window()
    assert b.files.open_path(q)
    b.files.start()
    assert b.model.path is None
    said = b.window.statusBar().currentMessage()
    assert "Restored unsaved work" in said and "other.json was closed" in said


# --- 10: every folder the app makes is owner-only ------------------------------------------------


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _modes(top: Path, below: Path) -> dict[str, int]:
    """Modes of ``top`` and of every folder from it down to ``below``."""
    out = {}
    for folder in (below, *below.parents):
        out[str(folder.relative_to(top.parent))] = stat.S_IMODE(folder.stat().st_mode)
        if folder == top:
            return out
    raise AssertionError(f"{below} is not below {top}")


def test_the_recovery_folder_and_each_folder_made_above_it_are_owner_only(
    qtbot, tmp_path: Path, umask_000: None
) -> None:
    os.chmod(tmp_path, 0o755)  # there before: left as it is
    deep = tmp_path / "share" / "Dermamap" / "Dermamap" / "recovery"
    model = SessionModel()
    mgr = RecoveryManager(model, deep)
    try:
        model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
        mgr.sync()
        assert mgr.path.exists()
        modes = _modes(tmp_path / "share", deep)
        assert set(modes.values()) == {0o700}, modes
        assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    finally:
        mgr.shutdown()


def test_the_lock_folder_and_each_folder_made_above_it_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_000: None
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "no-such-runtime-dir"))
    monkeypatch.setenv(recovery.ENV_DIR, str(tmp_path / "data" / "Dermamap" / "recovery"))
    p = _visit(tmp_path / "visit.json")
    lock = SessionLock()
    try:
        assert lock.acquire(p) is None and lock.path is not None
        assert lock.path.parent == tmp_path / "data" / "Dermamap" / "locks"
        modes = _modes(tmp_path / "data", lock.path.parent)
        assert set(modes.values()) == {0o700}, modes
    finally:
        lock.release()


def test_the_settings_folder_and_each_folder_made_above_it_are_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_000: None
) -> None:
    os.chmod(tmp_path, 0o755)
    folder = tmp_path / "cfg" / "Dermamap" / "settings"
    monkeypatch.setenv(settings_store.ENV_DIR, str(folder))
    st = settings_store.app_settings()
    st.setValue("x", 1)
    st.sync()
    modes = _modes(tmp_path / "cfg", folder)
    assert set(modes.values()) == {0o700}, modes
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


_FRESH_PROFILE = """
import os, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMainWindow
QCoreApplication.setOrganizationName("Dermamap")
QCoreApplication.setApplicationName("Dermamap")
app = QApplication([])
from core import progress
from gui.file_safety import secure_settings
from gui.files import FileController
from gui.learn.progress_view import progress_path
from gui.session_model import SessionModel
from gui.settings_store import app_settings
win = QMainWindow()
model = SessionModel(parent=win)
files = FileController(win, model, install_filter=False)
files.start()  # the window has started; the first thing written is a quiz answer
progress.append(progress_path(), [progress.Answer(progress.now(), "t", "k", True, 1.0, 1)])
settings = app_settings()
settings.setValue("probe", 1)
secure_settings(settings)
files.recovery.shutdown()
"""


def test_a_fresh_profile_under_umask_000_gets_owner_only_folders(tmp_path: Path) -> None:
    """The platform's own places (no DERMAMAP_* folders): the settings folder and the app's
    data folder, with each folder made above them, are owner-only; the home folder, there
    before, is left as it was."""
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DERMAMAP_", "XDG_")) and k != "PYTEST_CURRENT_TEST"
    }
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(tmp_path),
        QT_QPA_PLATFORM="offscreen",
        QT_API="pyside6",
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", f"import os\nos.umask(0)\n{_FRESH_PROFILE}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    made = sorted(
        (str(d.relative_to(home)), stat.S_IMODE(d.stat().st_mode))
        for d in home.rglob("*")
        if d.is_dir()
    )
    names = [name for name, _ in made]
    assert ".config/Dermamap" in names and ".local/share/Dermamap/Dermamap" in names
    assert [(n, m) for n, m in made if m != 0o700] == []
    assert stat.S_IMODE(home.stat().st_mode) == 0o755
