"""The app never saves a session file it then refuses to open (red-team bug 2), and a damaged quiz
progress file never breaks or hangs the quiz (bug 7, its GUI side; the rest is in
``tests/core/test_progress_safety.py``).

Visit Details takes only what the session reader takes back: at most
:data:`core.session_format.MAX_TEXT` characters of notes (typing stops there, a paste is cut
there, a counter and a message say so), no control characters (removed as they come in; the
notes keep line breaks and tabs); text that reaches the form otherwise is never cut, OK says
what to shorten. The writer refuses what the reader refuses, before anything is written."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from core.model import Session, Side, Symptom, Visit
from core.session_format import MAX_TEXT, VISIT_FIELDS
from core.session_io import (
    SessionError,
    load_session,
    loads_session,
    parse_session,
    save_session,
    session_to_dict,
)
from gui.main_window import MainWindow
from gui.state import Mode
from gui.visit_dialog import VisitDialog

CONTROL = {c for c in map(chr, range(0x20)) if c not in "\t\n"} | {"\x7f"}


def _dialog(window: MainWindow, qtbot) -> VisitDialog:  # type: ignore[no-untyped-def]
    """File > Visit Details, shown (not modal: the test types into it)."""
    dlg = VisitDialog(window.model, window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _paste(edit, text: str) -> None:  # type: ignore[no-untyped-def]
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    edit.paste()


def _ok(dlg: VisitDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    button = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _save(window: MainWindow, path: Path) -> tuple[bool, list[str]]:
    errors: list[str] = []
    window.files.report_error = lambda _title, text: errors.append(text)  # type: ignore[method-assign]
    window.files.ask_save_path = lambda *_a: str(path)  # type: ignore[method-assign]
    return window.files.save(), errors


def test_a_long_paste_into_the_notes_stops_at_the_limit_and_says_so(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    """12,000 characters pasted into Notes were taken; Save wrote them and reopening said
    "visit.notes: too long (12000 characters; at most 10000)"."""
    window.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    dlg = _dialog(window, qtbot)
    dlg.patient_edit.setText("P-0042")
    pasted = ("Referral letter pasted: " + "lorem ipsum dolor sit amet " * 500)[:12000]
    _paste(dlg.notes_edit, pasted)
    assert dlg.notes_edit.toPlainText() == pasted[:MAX_TEXT]  # cut at the limit, in order
    assert dlg.input_note.isVisible()
    assert "at most 10,000 characters" in dlg.input_note.text()
    assert "10,000 / 10,000" in dlg.notes_count.text() and dlg.notes_count.isVisible()
    QTest.keyClicks(dlg.notes_edit, "more")  # typing stops at the limit too
    QTest.keyClick(dlg.notes_edit, Qt.Key.Key_Return)
    assert len(dlg.notes_edit.toPlainText()) == MAX_TEXT
    _ok(dlg, qtbot)
    assert not dlg.isVisible()
    notes = window.model.session.visit.notes
    assert notes == pasted[:MAX_TEXT].rstrip()
    path = tmp_path / "visit.json"
    saved, errors = _save(window, path)
    assert saved and not errors
    assert load_session(path).visit.notes == notes  # it opens again
    assert window.files.open_path(path) and window.model.session.visit.notes == notes


def test_a_long_paste_with_control_characters_says_both_that_it_was_cut_and_cleaned(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    """A review pasted 10,526 characters with an escape, a NUL and a bell: only "Removed 3
    control characters" was said, and 523 characters were gone without a word."""
    dlg = _dialog(window, qtbot)
    pasted = "\x1b\x00\x07" + "x" * (MAX_TEXT + 523)
    _paste(dlg.notes_edit, pasted)
    assert len(dlg.notes_edit.toPlainText()) == MAX_TEXT
    said = dlg.input_note.text()
    assert "at most 10,000 characters" in said and "Removed 3 control characters" in said


def test_notes_over_the_limit_that_reach_the_form_otherwise_are_never_cut(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    """Text set by the program (not typed or pasted) over the limit: OK refuses and says what
    to shorten; nothing is cut and nothing is applied."""
    dlg = _dialog(window, qtbot)
    dlg.notes_edit.setPlainText("x" * 12_000)
    assert "2,000 too many" in dlg.notes_count.text()
    _ok(dlg, qtbot)
    assert dlg.isVisible() and dlg.problem.isVisible()
    assert "12,000 characters" in dlg.problem.text() and "10,000" in dlg.problem.text()
    assert dlg.focusWidget() is dlg.notes_edit
    assert len(dlg.notes_edit.toPlainText()) == 12_000  # the text is all still there
    assert window.model.session.visit == Visit()
    cursor = dlg.notes_edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, 2_000)
    cursor.removeSelectedText()
    _ok(dlg, qtbot)
    assert not dlg.isVisible() and window.model.session.visit.notes == "x" * MAX_TEXT


@pytest.mark.parametrize(
    "pasted",
    ["before\x00after", "line\x0bline\x0cline", "x\x1b[31mred", "a\tb\r\nc\x00d\x7f\x85e"],
    ids=["nul", "vt_ff", "esc", "mixed"],
)
def test_control_characters_pasted_are_removed_and_said(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, tmp_path: Path, pasted: str
) -> None:
    """A NUL pasted into Notes and Patient ID was kept: Save succeeded, reopening said
    "contains a NUL character"."""
    window.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    dlg = _dialog(window, qtbot)
    _paste(dlg.notes_edit, pasted)
    _paste(dlg.patient_edit, pasted)
    notes, patient = dlg.notes_edit.toPlainText(), dlg.patient_edit.text()
    assert not set(notes) & CONTROL and not set(patient) & (CONTROL | {"\t", "\n"})
    assert not {"\x85"} & set(notes + patient)
    if pasted.startswith("line"):  # line breaks of any kind: in the notes, a new line
        assert notes == "line\nline\nline" and patient == "line line line"
    else:
        assert dlg.input_note.isVisible() and "control character" in dlg.input_note.text()
    if pasted.startswith("a\t"):  # the notes keep tabs and line breaks; a line, spaces
        assert notes == "a\tb\ncde" and patient == "a b cde"
    _ok(dlg, qtbot)
    assert not dlg.isVisible()
    path = tmp_path / "visit.json"
    saved, errors = _save(window, path)
    assert saved and not errors
    assert load_session(path).visit == window.model.session.visit
    assert window.files.open_path(path)


def test_the_one_line_fields_say_when_their_limit_is_reached(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The one-line fields stopped at their length without a word."""
    dlg = _dialog(window, qtbot)
    _paste(dlg.patient_edit, "P" * 300)
    assert dlg.patient_edit.text() == "P" * 200
    assert dlg.input_note.isVisible()
    assert "patient identifier holds at most 200 characters" in dlg.input_note.text()
    QTest.keyClicks(dlg.examiner_edit, "E" * 205)
    assert dlg.examiner_edit.text() == "E" * 200
    assert "examiner holds at most 200" in dlg.input_note.text()


def test_a_long_detail_from_a_file_is_not_cut_by_the_form(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A 500-character patient identifier (the reader takes 10,000) was cut to 200 as soon as
    Visit Details opened, and OK wrote the cut one: text lost without a word."""
    visit = Visit(patient_id="P" * 500, examiner="E" * 300, notes="n" * MAX_TEXT)
    window.model.set_visit(visit)
    dlg = _dialog(window, qtbot)
    assert dlg.patient_edit.text() == visit.patient_id
    assert dlg.examiner_edit.text() == visit.examiner
    _ok(dlg, qtbot)
    assert not dlg.isVisible() and window.model.session.visit == visit


def test_control_characters_the_form_opens_with_are_removed_and_said(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    """Details set elsewhere (a file from another program) with escape codes: the form shows
    them cleaned and says so; Cancel keeps the session as it was."""
    visit = Visit(patient_id="P\x1bX", notes="a\x1b[31mb\tc\nd")
    window.model.set_visit(visit)
    dlg = _dialog(window, qtbot)
    assert dlg.patient_edit.text() == "PX"
    assert dlg.notes_edit.toPlainText() == "a[31mb\tc\nd"
    assert dlg.input_note.isVisible() and "control character" in dlg.input_note.text()
    dlg.reject()
    assert window.model.session.visit == visit


# --- the writer never writes what the reader refuses ----------------------------------------------


@pytest.mark.parametrize("field", VISIT_FIELDS)
@pytest.mark.parametrize("text", ["x" * (MAX_TEXT + 1), "a\x00b"], ids=["too_long", "nul"])
def test_the_writer_refuses_what_the_reader_refuses_before_writing(
    tmp_path: Path, field: str, text: str
) -> None:
    """A session built in code with over-long notes (or a NUL) was written, and then refused
    by the reader. Now save raises a clear error naming the field, and writes nothing."""
    target = tmp_path / "visit.json"
    save_session(Session(visit=Visit(patient_id="P-1")), target)
    before = target.read_bytes()
    session = Session(visit=Visit(**{field: text}))
    with pytest.raises(SessionError) as err:
        save_session(session, target)
    message = str(err.value)
    assert f"visit.{field}" in message
    assert ("too long" in message) if len(text) > MAX_TEXT else ("NUL" in message)
    assert "nothing was written" in message
    assert target.read_bytes() == before  # the file on disk is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visit.json"]  # no temporary left


_texts = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
    st.sampled_from(["\x00", "\x1b", "\r\n", "\u2028", "\ufeff", "😀", "\ud800", '\\"']),
)


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(VISIT_FIELDS),
    text=_texts,
    pad=st.sampled_from([0, MAX_TEXT - 31, MAX_TEXT - 1, MAX_TEXT, MAX_TEXT + 1]),
)
def test_every_string_the_writer_accepts_round_trips_through_the_reader(
    tmp_path: Path, field: str, text: str, pad: int
) -> None:
    """Either save refuses (and writes nothing), or the file reads back exactly; and save
    refuses nothing the reader would take."""
    value = "y" * pad + text
    session = Session(visit=Visit(**{field: value}))
    target = tmp_path / "rt.json"
    target.unlink(missing_ok=True)
    try:
        readable = parse_session(session_to_dict(session)) == session
        readable = readable and value.encode("utf-8", "strict") is not None
    except (SessionError, UnicodeEncodeError):
        readable = False
    try:
        save_session(session, target)
    except SessionError:
        assert not target.exists()
        assert not readable, f"the writer refused what the reader takes: {value[:40]!r}"
        return
    assert load_session(target) == session
    assert loads_session(target.read_bytes()).visit == session.visit


def test_a_session_with_long_notes_is_not_saved_and_the_user_is_told(  # type: ignore[no-untyped-def]
    window: MainWindow, tmp_path: Path
) -> None:
    """Save said nothing and wrote a file that would not open; now it names the field and the
    file, keeps the work open and writes nothing."""
    window.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    window.model.set_visit(Visit(patient_id="P-LONG", notes="n" * 12_000))
    path = tmp_path / "long.json"
    saved, errors = _save(window, path)
    assert not saved and not path.exists()
    assert len(errors) == 1 and "visit.notes: too long (12000 characters" in errors[0]
    assert str(path) in errors[0]
    assert window.model.is_modified() and len(window.model.session.visit.notes) == 12_000


# --- bug 7 in the GUI: a damaged quiz progress file ---------------------------------------------


def _quiz_panel(window: MainWindow):  # type: ignore[no-untyped-def]
    window.state.set_mode(Mode.QUIZ)
    return window.quiz_panel


def test_a_quiz_starts_from_a_damaged_progress_file_and_says_it_was_set_aside(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot
) -> None:
    """``"seed": 1e999`` in quiz_progress.json: Start raised OverflowError and no quiz began."""
    from gui.learn.progress_view import progress_path

    path = progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        '{"version": 1, "answers": [{"time": "2026-12-01T10:00:00+00:00", "topic": "maps", '
        '"kind": "k", "correct": true, "score": 1, "seed": 1e999}]}'
    )
    path.write_text(text, encoding="utf-8")
    panel = _quiz_panel(window)
    panel.seed_edit.clear()  # a fresh quiz: weighted by the progress file
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.code is not None and panel.quiz is not None
    hint = panel.hint_label.text()
    assert "could not be read" in hint and "a number is too large" in hint
    assert str(path) in hint and "quiz_progress.damaged" in hint
    assert path.with_suffix(".damaged").read_text(encoding="utf-8") == text
    assert not path.exists()  # nothing could be read: a new record begins
    dlg = panel.show_progress()
    qtbot.addWidget(dlg)
    assert not dlg.notice.isVisible()  # set aside once, said once


def test_my_progress_never_waits_on_a_pipe(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A FIFO as quiz_progress.json blocked the GUI thread for ever (here a helper lets an
    unfixed reader go after 8 s, so the test fails instead of hanging)."""
    from gui.learn.progress_view import progress_path

    path = progress_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    done = threading.Event()

    def release() -> None:
        if not done.wait(8):
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    helper = threading.Thread(target=release, daemon=True)
    helper.start()
    panel = _quiz_panel(window)
    t0 = time.monotonic()
    try:
        dlg = panel.show_progress()
    finally:
        done.set()
        helper.join()
    qtbot.addWidget(dlg)
    assert time.monotonic() - t0 < 5
    assert dlg.notice.isVisible()
    assert "pipe" in dlg.notice.text() and "quiz_progress.damaged" in dlg.notice.text()
    assert os.path.exists(path.with_suffix(".damaged")) and not os.path.lexists(path)
