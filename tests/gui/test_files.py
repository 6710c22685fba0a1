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
from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import load_session
from gui.files import FileController
from gui.recent_files import MAX_RECENT
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
        "&Open…",
        "Open &Recent",
        "&Save",
        "Save &As…",
        "&Export PDF Report…",
        "Export &Diagram PNG…",
        "Export &CSV…",
        "&Print…",
        "&Visit Details…",
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
    v2.write_text('{"format": "dermamap-session", "version": 3, "marks": []}')
    out["version 3"] = (v2, "version")
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
    assert h.files.recent.paths() == [str(saved.resolve())]


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


def test_recent_files_max_and_remove_missing(h: Harness, tmp_path: Path) -> None:
    paths = []
    for i in range(MAX_RECENT + 2):
        p = tmp_path / f"s{i}.json"
        shutil.copy(DATA / "spec_example.json", p)
        assert h.files.open_path(p)
        paths.append(str(p.resolve()))
    recent = h.files.recent.paths()
    assert recent == list(reversed(paths))[:MAX_RECENT]
    Path(recent[1]).unlink()
    h.files.recent.fill_menu()
    assert h.files.recent.paths() == recent  # kept: it may only be away for now
    actions = [a for a in h.files.recent.menu.actions() if a.data()]
    assert [a.data() for a in actions] == recent
    actions[2].trigger()
    assert h.model.path == Path(h.files.recent.paths()[0]) == Path(recent[2])
    (remove,) = [a for a in h.files.recent.menu.actions() if a.text() == "Remove Entries Not Found"]
    remove.trigger()
    assert recent[1] not in h.files.recent.paths()
    assert len(h.files.recent.paths()) == MAX_RECENT - 1


def test_recent_files_of_the_same_name_say_their_folder(h: Harness, tmp_path: Path) -> None:
    """Two patients' "visit 1 & 2.json" read the same in the menu; the folder tells them apart
    (and an ampersand is shown, not taken as a shortcut key)."""
    for folder in ("patient-a", "patient-b"):
        p = tmp_path / folder / "visit 1 & 2.json"
        p.parent.mkdir()
        shutil.copy(DATA / "spec_example.json", p)
        assert h.files.open_path(p)
    h.files.recent.fill_menu()
    texts = [a.text() for a in h.files.recent.menu.actions() if a.statusTip()]
    assert texts == ["&1 visit 1 && 2.json — patient-b", "&2 visit 1 && 2.json — patient-a"]


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
    from gui.state import Mode, UiState

    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    clinical = h.model.session
    state = h.files.state = UiState()
    state.set_mode(Mode.QUIZ)
    state.start_learning().toggle_mark("great_toe", Side.RIGHT, Symptom.PAIN)
    assert h.window.isWindowModified()  # marker follows the clinical session
    h.save_to = str(tmp_path / "c.json")
    assert h.files.save()
    assert load_session(tmp_path / "c.json") == clinical
    assert state.mode is Mode.CLINICAL  # the file action went back to the clinical session


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


def test_visit_dialog_says_the_age_a_date_of_birth_gives(h: Harness, qtbot) -> None:
    """The analysis takes the age from a full date of birth and visit date when the history
    has none: the form says which age that is, as it is typed."""
    from PySide6.QtTest import QTest

    from gui.visit_dialog import VisitDialog

    dlg = VisitDialog(h.model, h.window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not dlg.age_note.isVisible()
    QTest.keyClicks(dlg.date_edit, "2026-04-22")
    QTest.keyClicks(dlg.dob_edit, "1961-04-23")
    assert dlg.age_note.isVisible() and dlg.age_note.text() == "64 years at the visit"
    dlg.dob_edit.setText("1961")  # a year alone: a year uncertain, no age said
    assert not dlg.age_note.isVisible()
    dlg.dob_edit.setText("58")  # an age typed is shown as typed
    assert not dlg.age_note.isVisible()


def test_visit_dialog_refuses_a_date_that_is_not_one(h: Harness, qtbot) -> None:
    """The form took "2026-13-45" as the date of visit: it went into the file, the report and
    (as invalid FHIR) the export. OK now says what is wrong and stays open on the field."""
    from datetime import date, timedelta

    from PySide6.QtTest import QTest

    from gui.visit_dialog import VisitDialog

    dlg = VisitDialog(h.model, h.window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.patient_edit.setText("P-8")
    dlg.date_edit.setText("2026-13-45")
    dlg.dob_edit.setText("58")
    QTest.keyClick(dlg.patient_edit, Qt.Key.Key_Return)  # OK is the default button
    assert dlg.isVisible() and dlg.problem.isVisible()
    assert "“2026-13-45” is not a date" in dlg.problem.text()
    assert dlg.focusWidget() is dlg.date_edit and dlg.date_edit.selectedText() == "2026-13-45"
    assert h.model.session.visit == Visit()  # nothing applied
    QTest.keyClicks(dlg.date_edit, (date.today() + timedelta(days=3)).isoformat())
    assert not dlg.problem.isVisible()  # editing the field hides the message
    QTest.keyClick(dlg.date_edit, Qt.Key.Key_Return)
    assert dlg.isVisible() and "in the future" in dlg.problem.text()
    dlg.date_edit.setText("2025-02-03")
    dlg.dob_edit.setText("1990-13-01")
    QTest.keyClick(dlg.date_edit, Qt.Key.Key_Return)
    assert dlg.focusWidget() is dlg.dob_edit and "neither a date nor an age" in dlg.problem.text()
    dlg.dob_edit.setText("58")  # an age is fine
    QTest.keyClick(dlg.dob_edit, Qt.Key.Key_Return)
    assert not dlg.isVisible()
    assert h.model.session.visit == Visit("P-8", "2025-02-03", date_of_birth="58")


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


# --- issue 17: never lose work, conflicts, locks, read-only, privacy -----------------------------


def test_quit_then_save_that_fails_keeps_the_window_and_the_work(
    h: Harness, tmp_path: Path
) -> None:
    h.window.show()
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.model.set_visit(Visit(patient_id="P\ud800"))  # text that cannot be written as UTF-8
    h.unsaved_answer = "save"
    h.save_to = str(tmp_path / "x.json")
    assert not h.window.close()
    assert h.window.isVisible() and h.model.is_modified()
    title, text = h.errors[-1]
    assert title == "Could not save"
    assert '"x.json"' in text and "visit.patient_id" in text
    assert not (tmp_path / "x.json").exists()
    h.recovery.sync()  # the work is in the recovery copy (the bad character replaced)
    kept = load_session(h.recovery.path)
    assert kept.marks == h.model.session.marks and kept.visit.patient_id == "P\ufffd"


def test_unexpected_save_errors_are_reported_not_raised(
    h: Harness, tmp_path: Path, monkeypatch
) -> None:
    def boom(*_a, **_k):
        raise ValueError("something unexpected")

    monkeypatch.setattr("gui.files.save_session", boom)
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    h.save_to = str(tmp_path / "x.json")
    assert not h.files.save()
    assert "x.json" in h.errors[-1][1] and "something unexpected" in h.errors[-1][1]
    assert h.model.is_modified()


def test_lone_surrogate_file_is_refused_naming_the_field(h: Harness, tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text(
        '{"format": "dermamap-session", "version": 1, "marks": [],'
        ' "visit": {"patient_id": "P\\ud800"}}'
    )
    assert not h.files.open_path(p)
    assert "visit.patient_id" in h.errors[-1][1] and '"s.json"' in h.errors[-1][1]
    assert h.model.session == Session()


def _open_and_edit(h: Harness, path: Path) -> None:
    assert h.files.open_path(path)
    h.model.toggle_mark("great_toe", Side.RIGHT, Symptom.TINGLING)


def _outside_change(path: Path, keep_size_and_time: bool = False) -> Session:
    """Another program changes ``path``; with ``keep_size_and_time`` only its content differs."""
    if not keep_size_and_time:
        changed = load_session(path).with_mark(Mark("heel", Side.LEFT, Symptom.PAIN))
        session_io.save_session(changed, path)
        return changed
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert '"right"' in text
    path.write_text(text.replace('"right"', '"left" ', 1), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    return load_session(path)


@pytest.mark.parametrize("sneaky", [False, True])
def test_a_file_changed_on_disk_is_not_overwritten_silently(
    h: Harness, tmp_path: Path, sneaky: bool
) -> None:
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    _open_and_edit(h, p)
    theirs = _outside_change(p, keep_size_and_time=sneaky)  # sneaky: only the hash tells
    asked: list[Path] = []
    answers = ["cancel", "overwrite"]

    def ask(path: Path) -> str:
        asked.append(path)
        return answers.pop(0)

    h.files.ask_conflict = ask
    assert not h.files.save()
    assert asked == [p] and load_session(p) == theirs and h.model.is_modified()
    assert h.files.save()  # overwrite
    assert load_session(p) == h.model.session and not h.model.is_modified()
    assert len(asked) == 2
    assert h.files.save()  # no outside change since: no question
    assert len(asked) == 2


@pytest.mark.parametrize("replacement", ["too large", "gone"])
def test_a_file_replaced_by_one_it_cannot_read_is_not_overwritten_silently(
    h: Harness, tmp_path: Path, replacement: str
) -> None:
    """A hostile-input review: the open file replaced by another program with one over the
    size limit (or one the user cannot read) was overwritten at Save without a question, as
    only a file it could read was compared. Such a file has changed; a file deleted meanwhile
    is saved again without a question."""
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    _open_and_edit(h, p)
    if replacement == "gone":
        p.unlink()
    else:
        with p.open("wb") as f:
            f.truncate(session_io.MAX_FILE_BYTES + 1)
    asked: list[Path] = []
    h.files.ask_conflict = lambda path: asked.append(path) or "cancel"
    if replacement == "gone":
        assert h.files.save() and not asked and load_session(p) == h.model.session
    else:
        assert not h.files.save() and asked == [p]
        assert p.stat().st_size == session_io.MAX_FILE_BYTES + 1 and h.model.is_modified()


def test_conflict_reload_and_save_as(h: Harness, tmp_path: Path) -> None:
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    _open_and_edit(h, p)
    theirs = _outside_change(p)
    h.files.ask_conflict = lambda _p: "save_as"
    h.save_to = str(tmp_path / "mine.json")
    assert h.files.save()
    assert load_session(p) == theirs  # untouched
    assert load_session(tmp_path / "mine.json") == h.model.session
    h.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)
    _outside_change(tmp_path / "mine.json")
    h.files.ask_conflict = lambda _p: "reload"
    assert not h.files.save()
    assert h.model.session == load_session(tmp_path / "mine.json")
    assert not h.model.is_modified()


def test_second_window_on_the_same_file_is_warned_and_cannot_erase_the_first(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    a, b = Harness(qtbot, tmp_path / "a"), Harness(qtbot, tmp_path / "b")
    try:
        assert a.files.open_path(p) and a.errors == []
        assert b.files.open_path(p)
        assert b.errors and "another Dermamap window" in b.errors[-1][1]
        a.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
        assert a.files.save()
        b.model.toggle_mark("great_toe", Side.RIGHT, Symptom.TINGLING)
        asked: list[Path] = []
        b.files.ask_conflict = lambda path: asked.append(path) or "cancel"
        assert not b.files.save()
        assert asked == [p] and load_session(p) == a.model.session  # a's marks are kept
        a.files.discard_recovery()  # a closes: its lock goes
        c = Harness(qtbot, tmp_path / "c")
        assert c.files.open_path(p) and c.errors == []
        c.close()
    finally:
        a.close()
        b.close()


def test_stale_lock_of_a_dead_process_is_ignored(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A window that crashed left its lock: the next window opens the file without a warning,
    and the lock it takes is owner-only and names neither the file nor its folder."""
    from gui.file_safety import SessionLock
    from tests.gui.helpers import LockHolder

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    lock = SessionLock.lock_path(p)
    lock.parent.mkdir(parents=True, exist_ok=True)
    LockHolder(lock).kill()
    assert lock.exists()
    h = Harness(qtbot, tmp_path / "h")
    try:
        assert h.files.open_path(p) and h.errors == []
        assert h.files.lock.path == lock
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600
        assert str(p) not in lock.read_text() and "v.json" not in lock.read_text()
    finally:
        h.close()


def test_a_living_window_in_another_process_is_named(qtbot, tmp_path: Path, monkeypatch) -> None:
    from gui.file_safety import SessionLock
    from tests.gui.helpers import LockHolder

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    lock = SessionLock.lock_path(p)
    lock.parent.mkdir(parents=True, exist_ok=True)
    other = LockHolder(lock)
    h = Harness(qtbot, tmp_path / "h")
    try:
        assert h.files.open_path(p)
        assert h.errors and f"(process {other.pid})" in h.errors[-1][1]
        assert h.files.lock.path is None
    finally:
        other.kill()
        h.close()


def test_read_only_file_asks_and_keeps_its_mode(h: Harness, tmp_path: Path) -> None:
    """Save goes to Save As; choosing the read-only file itself there asks before replacing."""
    p = tmp_path / "ro.json"
    shutil.copy(DATA / "spec_example.json", p)
    os.chmod(p, 0o444)
    before = p.read_bytes()
    _open_and_edit(h, p)
    h.save_to = str(p)
    answers = ["cancel", "overwrite"]
    h.files.ask_read_only = lambda _p: answers.pop(0)
    assert not h.files.save()
    assert p.read_bytes() == before and stat.S_IMODE(p.stat().st_mode) == 0o444
    assert h.files.save()
    assert load_session(p) == h.model.session
    assert stat.S_IMODE(p.stat().st_mode) == 0o444  # still read-only
    assert answers == []


def test_suggested_names_and_settings_hold_no_patient_identifier(
    h: Harness, tmp_path: Path
) -> None:
    from datetime import date

    h.model.set_visit(Visit(patient_id="Smith-4711", date="2025-02-03"))
    asked: list[str] = []

    def ask(_title: str, suggested: str, _filters: str) -> str:
        asked.append(suggested)
        return str(tmp_path / Path(suggested).name)

    h.files.ask_save_path = ask
    assert h.files.save_as()
    assert Path(asked[-1]).name == "session-2025-02-03.json"
    h.files.new()
    h.model.set_visit(Visit(patient_id="Smith-4711"))
    assert h.files.export_csv()
    assert Path(asked[-1]).name == f"session-{date.today().isoformat()}.csv"
    h.settings.sync()
    text = Path(h.settings.fileName()).read_text(encoding="utf-8")
    assert "Smith" not in text and "4711" not in text


def test_a_second_patient_of_the_day_is_offered_a_file_name_of_its_own(
    h: Harness, tmp_path: Path
) -> None:
    """File > New after saving a visit, then Save: the dialog offered the first patient's
    session-<date>.json, one "Replace" from overwriting it (a review); exports likewise."""
    asked: list[str] = []

    def ask(_title: str, suggested: str, _filters: str) -> str:
        asked.append(suggested)
        return suggested

    h.files.ask_save_path = ask
    h.settings.setValue("files/last_dir", str(tmp_path))
    h.model.set_visit(Visit(date="2026-12-07"))
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    assert h.files.export_csv() and h.files.save()
    assert [Path(p).name for p in asked] == ["session-2026-12-07.csv", "session-2026-12-07.json"]
    h.files.new()
    h.model.set_visit(Visit(date="2026-12-07"))
    h.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)
    assert h.files.export_csv() and h.files.save()
    assert [Path(p).name for p in asked[2:]] == [
        "session-2026-12-07-2.csv",
        "session-2026-12-07-2.json",
    ]
    assert load_session(tmp_path / "session-2026-12-07.json").marks[0].side is Side.LEFT
    # a saved session's exports keep its own name (exporting again may replace its own)
    assert h.files.export_csv()
    assert Path(asked[-1]).name == "session-2026-12-07-2.csv"


def test_settings_and_written_files_are_owner_only(h: Harness, tmp_path: Path) -> None:
    folder = tmp_path / "cfg" / "Dermamap"
    folder.mkdir(parents=True, mode=0o755)
    settings = QSettings(str(folder / "Dermamap.ini"), QSettings.Format.IniFormat)
    h.files.settings = h.files.recent.settings = settings
    h.save_to = str(tmp_path / "s.json")
    h.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    assert h.files.save()
    assert stat.S_IMODE(os.stat(settings.fileName()).st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "s.json").stat().st_mode) == 0o600
    h.recovery.sync()
    assert stat.S_IMODE(h.rec_dir.stat().st_mode) == 0o700


def test_real_window_quit_with_a_failing_save_stays_open(qtbot, tmp_path: Path) -> None:
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    files = w.files
    errors: list[tuple[str, str]] = []
    files.report_error = lambda title, text: errors.append((title, text))
    files.ask_unsaved = lambda: "save"
    files.ask_save_path = lambda *_a: str(tmp_path / "q.json")
    w.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    w.model.set_visit(Visit(notes="bad \udc80 text"))
    w.quit_action.trigger()
    assert w.isVisible() and w.model.is_modified()
    assert errors and '"q.json"' in errors[-1][1] and "visit.notes" in errors[-1][1]
    files.ask_unsaved = lambda: "discard"
    assert w.close()
    # closing saved the window's settings: owner-only
    settings = Path(os.environ["DERMAMAP_SETTINGS_DIR"]) / "Dermamap.ini"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.parent.stat().st_mode) == 0o700


def test_temporaries_of_an_interrupted_save_are_removed(
    h: Harness, tmp_path: Path, monkeypatch
) -> None:
    import subprocess
    import sys

    p = tmp_path / "v.json"
    shutil.copy(DATA / "spec_example.json", p)
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    orphan = tmp_path / f".v.json.{proc.pid}.0badc0de.tmp"  # a save killed mid-write
    busy = tmp_path / f".v.json.{os.getpid()}.0000beef.tmp"  # a save still running
    other = tmp_path / f".w.json.{proc.pid}.0badc0de.tmp"  # another file's: not touched
    for f in (orphan, busy, other):
        f.write_text("partial")
    assert h.files.open_path(p)
    assert not orphan.exists() and busy.exists() and other.exists()


def test_an_export_that_fails_unexpectedly_is_reported(
    h: Harness, tmp_path: Path, monkeypatch
) -> None:
    from gui import report

    def broken(*_a, **_k):
        raise TypeError("expected str, got Note")

    monkeypatch.setattr(report, "write_csv", broken)
    h.save_to = str(tmp_path / "out.csv")
    assert not h.files.export_csv()
    assert '"out.csv"' in h.errors[-1][1] and "expected str" in h.errors[-1][1]


def test_a_drop_is_refused_in_patient_mode(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A review: a file dropped on the window in patient mode would run Open in front of the
    patient (the save question, a session replaced under the patient's undo). A drop is Open,
    which patient mode disables."""
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.patient_mode.enter()
    enter, drop, _mime = _drop_events(DATA / "rich.json")
    enter.ignore()
    QApplication.sendEvent(w, enter)
    assert not enter.isAccepted()
    QApplication.sendEvent(w, drop)
    QApplication.processEvents()
    assert w.model.path is None and not w.model.session.marks
    w.patient_mode.leave()
    enter, _drop, _mime = _drop_events(DATA / "rich.json")
    QApplication.sendEvent(w, enter)
    assert enter.isAccepted()  # the clinician's window takes drops again
    w.discard_and_close()


@pytest.mark.parametrize("export", ["export_csv", "export_pdf", "export_png"])
def test_an_export_never_replaces_the_open_session_file(
    h: Harness, tmp_path: Path, export: str
) -> None:
    """A hostile-input review: Export CSV (PDF, PNG) to the open session's own file replaced the
    visit by its export, and the window still called the work saved, so closing asked nothing
    and no recovery copy was kept. The export is refused, naming the file; the file stays."""
    p = tmp_path / "visit.json"
    shutil.copy(DATA / "rich.json", p)
    assert h.files.open_path(p)
    before = p.read_bytes()
    h.save_to = str(tmp_path / "." / "visit.json")  # the same file by another spelling
    assert not getattr(h.files, export)()
    assert p.read_bytes() == before
    title, text = h.errors[-1]
    assert title.startswith("Export") and '"visit.json" is the session open' in text
