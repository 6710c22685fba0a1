"""File actions: save/open round trips, prompts, title, recent files, drops and bad input."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from core import session_io
from core.model import Session, Side, Symptom, Visit
from core.session_io import load_session
from gui.files import MAX_RECENT, FileController
from gui.recovery import RecoveryManager
from gui.session_model import SessionModel

DATA = Path(__file__).resolve().parent.parent / "core" / "data"


class Harness:
    def __init__(self, qtbot, tmp_path: Path) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        menu = self.window.menuBar().addMenu("&File")
        self.quit_action = menu.addAction("&Quit")
        self.model = SessionModel(parent=self.window)
        self.rec_dir = tmp_path / "recovery"
        self.recovery = RecoveryManager(self.model, self.rec_dir)
        self.settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        self.files = FileController(
            self.window, self.model, settings=self.settings, recovery=self.recovery
        )
        self.errors: list[tuple[str, str]] = []
        self.files.report_error = lambda title, text: self.errors.append((title, text))
        self.save_to: str | None = None
        self.open_from: str | None = None
        self.unsaved_answer = "cancel"
        self.unsaved_asked = 0
        self.files.ask_save_path = lambda *_a: self.save_to
        self.files.ask_open_path = lambda: self.open_from

        def unsaved() -> str:
            self.unsaved_asked += 1
            return self.unsaved_answer

        self.files.ask_unsaved = unsaved

    def close(self) -> None:
        self.recovery.shutdown()


@pytest.fixture
def h(qtbot, tmp_path):
    harness = Harness(qtbot, tmp_path)
    yield harness
    harness.close()


def rich_session() -> Session:
    return load_session(DATA / "rich.json")


def enter(model: SessionModel, session: Session) -> None:
    """Enter ``session`` through intents, as a user would."""
    model.set_marks(session.marks)
    for flag in session.red_flags:
        model.set_red_flag(flag, True)
    model.set_findings(session.findings)
    model.set_atlas(session.atlas)
    model.set_visit(session.visit)


def test_menu_has_file_actions_before_quit(h: Harness) -> None:
    menu = h.files.file_menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    for wanted in (
        "&New",
        "&Open...",
        "Open &Recent",
        "&Save",
        "Save &As...",
        "Export PDF &Report...",
        "Export Diagram &PNG...",
        "Export &CSV...",
        "&Print...",
        "&Visit Details...",
    ):
        assert wanted in texts
    assert texts[-1] == "&Quit"
    assert h.window.menuBar().actions()[0].menu() is menu


def test_save_open_round_trip_exact(h: Harness, tmp_path: Path) -> None:
    original = rich_session()
    enter(h.model, original)
    assert h.model.session == original
    assert h.model.is_modified()
    target = tmp_path / "visit one.json"
    h.save_to = str(target)
    h.files.save_action.trigger()
    assert target.exists()
    assert not h.model.is_modified()
    assert h.model.path == target.resolve()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    h.files.new_action.trigger()
    assert h.model.session == Session(atlas=original.atlas)
    assert h.model.path is None
    h.open_from = str(target)
    h.files.open_action.trigger()
    assert h.errors == []
    s = h.model.session
    assert s == original  # every mark, coverage, flag, finding, atlas and visit detail
    assert {(m.zone, m.side, m.symptom, m.coverage) for m in s.marks} == {
        (m.zone, m.side, m.symptom, m.coverage) for m in original.marks
    }
    assert s.visit.notes == "Lifting injury.\nWorse on coughing."
    assert not h.model.is_modified()


def test_title_shows_name_and_modified_marker(h: Harness, tmp_path: Path) -> None:
    assert h.window.windowTitle() == "Untitled[*] — Dermamap"
    assert not h.window.isWindowModified()
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    assert h.window.isWindowModified()
    h.save_to = str(tmp_path / "knee.json")
    assert h.files.save()
    assert h.window.windowTitle() == "knee.json[*] — Dermamap"
    assert h.window.windowFilePath() == str((tmp_path / "knee.json").resolve())
    assert not h.window.isWindowModified()
    h.model.undo_stack.undo()
    assert h.window.isWindowModified()


def test_save_without_path_asks_and_cancel_keeps_modified(h: Harness) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = None
    assert not h.files.save()
    assert h.model.is_modified()
    assert h.model.path is None


def test_save_as_adds_json_suffix(h: Harness, tmp_path: Path) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = str(tmp_path / "noext")
    assert h.files.save_as()
    assert (tmp_path / "noext.json").exists()


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_new_with_unsaved_changes_asks(h: Harness, tmp_path: Path, answer: str) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    before = h.model.session
    h.unsaved_answer = answer
    h.save_to = str(tmp_path / "saved.json")
    done = h.files.new()
    assert h.unsaved_asked == 1
    if answer == "cancel":
        assert not done
        assert h.model.session == before
        assert h.model.is_modified()
    else:
        assert done
        assert h.model.session.marks == ()
        assert not h.model.is_modified()
    assert (tmp_path / "saved.json").exists() == (answer == "save")
    if answer == "save":
        assert load_session(tmp_path / "saved.json") == before


def test_open_with_unsaved_changes_cancel_keeps_work(h: Harness) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    before = h.model.session
    assert not h.files.open_path(DATA / "rich.json")
    assert h.model.session == before
    assert h.model.is_modified()


def test_no_prompt_when_clean(h: Harness) -> None:
    assert h.files.open_path(DATA / "spec_example.json")
    assert h.files.new()
    assert h.unsaved_asked == 0


# --- bad input ------------------------------------------------------------------------------


def _hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a word the message must contain)."""
    out: dict[str, tuple[Path, str]] = {}
    big = folder / "huge.json"
    with big.open("wb") as fh:
        fh.write(b'{"format": "dermamap-session", "version": 1, "marks": [], "x": "')
        fh.write(b"a" * (21 * 1024 * 1024))
        fh.write(b'"}')
    out["oversized"] = (big, "too large")
    nested = folder / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    out["nested"] = (nested, "nested")
    inf = folder / "inf.json"
    inf.write_text(
        '{"format": "dermamap-session", "version": 1, "marks": [], '
        '"findings": {"history": {"age": 1e999}}}'
    )
    out["huge number"] = (inf, "number")
    nul = folder / "nul.json"
    nul.write_bytes(b'{"format": "dermamap-session", "version": 1,\x00 "marks": []}')
    out["NUL bytes"] = (nul, "NUL")
    binary = folder / "binary.json"
    binary.write_bytes(bytes(range(256)) * 8)
    out["binary"] = (binary, "not")
    v2 = folder / "v2.json"
    v2.write_text('{"format": "dermamap-session", "version": 2, "marks": []}')
    out["version 2"] = (v2, "version")
    zone = folder / "zone.json"
    zone.write_text(
        '{"format": "dermamap-session", "version": 1, "marks": '
        '[{"zone": "elbow", "side": "left", "symptom": "pain"}]}'
    )
    out["unknown zone"] = (zone, "elbow")
    trunc = folder / "truncated.json"
    trunc.write_text((DATA / "rich.json").read_text()[:300])
    out["truncated"] = (trunc, "truncated")
    out["missing"] = (folder / "gone.json", "gone.json")
    return out


def test_hostile_files_show_message_and_keep_session(h: Harness, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    saved = tmp_path / "current.json"
    h.model.replace_session(rich_session())
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)  # unsaved work on screen
    h.save_to = str(saved)
    assert h.files.save()
    h.model.toggle_mark("little_toe", Side.RIGHT, Symptom.TINGLING)
    before, before_path = h.model.session, h.model.path
    saved_bytes = saved.read_bytes()
    for name, (path, word) in _hostile_files(hostile).items():
        content = path.read_bytes() if path.exists() else None
        h.errors.clear()
        h.open_from = str(path)
        h.files.open_action.trigger()
        assert len(h.errors) == 1, name
        _title, text = h.errors[0]
        assert path.name in text, (name, text)
        assert word.lower() in text.lower(), (name, text)
        assert "Traceback" not in text
        assert h.model.session == before, name
        assert h.model.path == before_path
        assert h.model.is_modified()
        assert h.unsaved_asked == 0  # nothing asked: nothing was going to change
        if content is not None:
            assert path.read_bytes() == content  # the bad file is never written over
    assert saved.read_bytes() == saved_bytes
    assert h.files.recent_files() == [str(saved.resolve())]


# --- failed saves ---------------------------------------------------------------------------


def _crash(tmp: str, target: str) -> None:
    """Simulate a crash between write and rename of a session file (not the recovery copy)."""
    if "recovery" not in Path(target).parts:
        raise OSError(errno.EIO, "Input/output error")


def test_interrupted_save_keeps_old_file_and_work(
    h: Harness, tmp_path: Path, monkeypatch, qtbot
) -> None:
    target = tmp_path / "visit.json"
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = str(target)
    assert h.files.save()
    old = target.read_bytes()
    h.model.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    work = h.model.session
    monkeypatch.setattr(session_io, "_before_replace", _crash)
    assert not h.files.save()
    assert target.read_bytes() == old  # old file intact
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert h.model.session == work
    assert h.model.is_modified()
    assert h.window.isWindowModified()
    ((_title, text),) = h.errors
    assert "visit.json" in text and "recovery" in text
    # the work is in the recovery file
    h.recovery.sync()
    assert load_session(h.recovery.path) == work


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
def test_failed_save_message(
    h: Harness, tmp_path: Path, monkeypatch, code: int, words: str
) -> None:
    def fail(tmp: str, target: str) -> None:
        if "recovery" not in Path(target).parts:
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(session_io, "_before_replace", fail)
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = str(tmp_path / "x.json")
    assert not h.files.save()
    ((_title, text),) = h.errors
    assert "x.json" in text
    assert words in text.lower()
    assert h.model.is_modified()
    assert h.model.path is None
    assert not (tmp_path / "x.json").exists()


def test_save_into_missing_folder_reports(h: Harness, tmp_path: Path) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = str(tmp_path / "no" / "such" / "x.json")
    assert not h.files.save()
    assert "x.json" in h.errors[0][1]
    assert h.model.is_modified()


# --- recent files, drop, close --------------------------------------------------------------


def test_recent_files_max_and_prune(h: Harness, tmp_path: Path) -> None:
    paths = []
    for i in range(MAX_RECENT + 2):
        p = tmp_path / f"s{i}.json"
        shutil.copy(DATA / "spec_example.json", p)
        assert h.files.open_path(p)
        paths.append(str(p.resolve()))
    recent = h.files.recent_files()
    assert recent == list(reversed(paths))[:MAX_RECENT]
    Path(recent[1]).unlink()
    h.files._fill_recent_menu()
    assert recent[1] not in h.files.recent_files()
    assert len(h.files.recent_files()) == MAX_RECENT - 1
    actions = [a for a in h.files.recent_menu.actions() if a.statusTip()]
    assert [a.statusTip() for a in actions] == h.files.recent_files()
    actions[2].trigger()
    assert h.model.path == Path(h.files.recent_files()[0])


def _drop_events(path: Path) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():  # PySide6 flags the (only) QPoint constructor
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    return enter, drop, mime


def test_drop_json_opens_it(h: Harness, qtbot) -> None:
    enter, drop, _mime = _drop_events(DATA / "rich.json")
    QApplication.sendEvent(h.window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(h.window, drop)
    qtbot.waitUntil(lambda: h.model.path == (DATA / "rich.json").resolve(), timeout=2000)
    assert h.model.session == rich_session()


def test_drop_other_file_is_refused(h: Harness, tmp_path: Path) -> None:
    other = tmp_path / "x.txt"
    other.write_text("hello")
    enter, _drop, _mime = _drop_events(other)
    enter.ignore()
    QApplication.sendEvent(h.window, enter)
    assert not enter.isAccepted()


def test_close_asks_and_cancel_keeps_window(h: Harness, qtbot) -> None:
    h.window.show()
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.recovery.sync()
    assert h.recovery.path.exists()
    h.unsaved_answer = "cancel"
    assert not h.window.close()
    assert h.window.isVisible()
    assert h.recovery.path.exists()
    h.unsaved_answer = "discard"
    assert h.window.close()
    assert not h.recovery.path.exists()  # normal close removes the recovery file


def test_close_with_failed_save_stays_open(h: Harness, tmp_path: Path, monkeypatch) -> None:
    h.window.show()
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    monkeypatch.setattr(session_io, "_before_replace", _crash)
    h.unsaved_answer = "save"
    h.save_to = str(tmp_path / "y.json")
    assert not h.window.close()
    assert h.window.isVisible()
    assert h.model.is_modified()
    assert load_session(h.recovery.path) == h.model.session


def test_command_line_file(h: Harness) -> None:
    h.files.start(str(DATA / "rich.json"))
    assert h.model.session == rich_session()
    assert not h.model.is_modified()
    assert h.window.windowTitle() == "rich.json[*] — Dermamap"


def test_command_line_bad_file_keeps_empty_session(h: Harness, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    h.files.start(str(bad))
    assert "bad.json" in h.errors[0][1]
    assert h.model.session == Session()


def test_scratch_work_is_not_saved(h: Harness, tmp_path: Path) -> None:
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    clinical = h.model.session
    h.model.enter_scratch()
    h.model.toggle_mark("great_toe", Side.RIGHT, Symptom.PAIN)
    assert h.window.isWindowModified()  # marker follows the clinical session
    h.save_to = str(tmp_path / "c.json")
    assert h.files.save()
    assert load_session(tmp_path / "c.json") == clinical
    assert not h.model.in_scratch


def test_no_network_during_save(h: Harness, tmp_path: Path, monkeypatch) -> None:
    def no_socket(*_a, **_k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_socket)
    enter(h.model, rich_session())
    h.save_to = str(tmp_path / "n.json")
    assert h.files.save()
    h.recovery.sync()
    assert h.files.open_path(tmp_path / "n.json")


def test_visit_dialog_edits_visit(h: Harness, qtbot) -> None:
    from gui.visit_dialog import VisitDialog

    dlg = VisitDialog(h.model, h.window)
    qtbot.addWidget(dlg)
    dlg.patient_edit.setText("  P-7 ")
    dlg.date_edit.setText("2025-02-03")
    dlg.examiner_edit.setText("Dr A")
    dlg.notes_edit.setPlainText("Line 1\nLine 2\n")
    dlg.accept()
    assert h.model.session.visit == Visit("P-7", "2025-02-03", "Dr A", "Line 1\nLine 2")
    assert h.model.undo_stack.count() == 1
    dlg2 = VisitDialog(h.model, h.window)
    qtbot.addWidget(dlg2)
    assert dlg2.patient_edit.text() == "P-7"
    dlg2.accept()  # unchanged: no undo step
    assert h.model.undo_stack.count() == 1
    dlg3 = VisitDialog(h.model, h.window)
    qtbot.addWidget(dlg3)
    dlg3.patient_edit.setText("other")
    dlg3.reject()
    assert h.model.session.visit.patient_id == "P-7"
    for w in (dlg.patient_edit, dlg.date_edit, dlg.examiner_edit, dlg.notes_edit):
        assert w.accessibleName()


def test_export_actions_write_files(h: Harness, tmp_path: Path) -> None:
    h.model.replace_session(rich_session())
    for action, name in (
        (h.files.export_pdf_action, "r.pdf"),
        (h.files.export_png_action, "d.png"),
        (h.files.export_csv_action, "m.csv"),
    ):
        h.save_to = str(tmp_path / name)
        action.trigger()
        assert (tmp_path / name).stat().st_size > 100, name
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert h.errors == []
    assert not h.model.is_modified()  # exporting is not saving and changes nothing


def test_export_failure_is_reported(h: Harness, tmp_path: Path) -> None:
    h.save_to = str(tmp_path / "missing" / "r.pdf")
    assert not h.files.export_pdf()
    ((_title, text),) = h.errors
    assert "r.pdf" in text


def test_attach_to_main_window(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("DERMAMAP_RECOVERY_DIR", str(tmp_path / "rec"))
    from gui.files import attach
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    files = attach(win)
    texts = [a.text() for a in win.file_menu.actions() if not a.isSeparator()]
    assert texts.index("&Save") < texts.index(win.quit_action.text())
    assert files.confirm_close in win.close_guards
    win.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    files.recovery.sync()
    assert files.recovery.path.exists()
    files.ask_unsaved = lambda: "cancel"
    assert not win.close()
    files.ask_unsaved = lambda: "discard"
    assert win.close()
    assert not files.recovery.path.exists()
