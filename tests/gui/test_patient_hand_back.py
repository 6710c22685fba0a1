"""Patient mode's hand-back page through the real window: the way back to the clinician's view
is a small, secondary button that asks first ("Return to the clinician's view? The results will
be shown."), and its default answer stays in patient mode. One tap there by the patient showed
"Emergency: exclude cauda equina…", the probabilities and the notes (a UX review)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWidget

from core.model import RedFlag, Side, Symptom
from gui.main_window import MainWindow
from gui.patient_mode import HandBackPage

R = Side.RIGHT
RESULTS = ("cauda", "Emergency", "%", "likely", "Atlas")
"""Words of the clinician's view that the patient must not see."""


def _visible_texts(w: QWidget) -> str:
    parts = [lab.text() for lab in w.findChildren(QLabel) if lab.isVisible()]
    parts += [b.text() for b in w.findChildren(QAbstractButton) if b.isVisible()]
    return "\n".join(parts)


@contextmanager
def _answering(answer: str) -> Iterator[list[tuple[str, str, str]]]:
    """Answer the message box that comes up inside the block: ``"enter"`` (its default
    button), ``"escape"``, or the object name of the button to click. Yields the boxes
    answered as ``(text, informative text, default button's text)``; none if no box came."""
    asked: list[tuple[str, str, str]] = []
    timer = QTimer()
    timer.setInterval(10)

    def act() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        timer.stop()
        default = box.defaultButton()
        asked.append((box.text(), box.informativeText(), default.text() if default else ""))
        if answer == "enter":
            QTest.keyClick(box, Qt.Key.Key_Return)
        elif answer == "escape":
            QTest.keyClick(box, Qt.Key.Key_Escape)
        else:
            button = box.findChild(QAbstractButton, answer)
            assert button is not None, answer
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    timer.timeout.connect(act)
    timer.start()
    try:
        yield asked
    finally:
        timer.stop()


def _hand_back_page(w: MainWindow) -> HandBackPage:
    """The clinician's urgent findings on screen; the patient marks and taps "I have
    finished": the hand-back page."""
    w.model.toggle_mark("anterior_thigh", R, Symptom.NUMBNESS)
    w.model.set_red_flag(RedFlag.URINARY_RETENTION, True)
    assert "cauda" in _visible_texts(w)
    w.patient_mode.action.trigger()
    w.model.toggle_mark("lateral_thigh", R, Symptom.PAIN)  # the patient's mark
    bar = w.patient_mode.bar
    assert bar is not None
    finished = bar.findChild(QAbstractButton, "patient_finished")
    QTest.mouseClick(finished, Qt.MouseButton.LeftButton)
    page = w.patient_mode.hand_back_page
    assert page is not None and page.isVisible()
    return page


def _still_patient_mode(w: MainWindow, page: HandBackPage) -> None:
    QApplication.processEvents()
    assert w.patient_mode.active and w.patient_mode.hand_back_page is page
    assert page.isVisible() and not w.side_stack.isVisible() and not w.menuBar().isVisible()
    texts = _visible_texts(w)
    for word in RESULTS:
        assert word not in texts, word


@pytest.mark.parametrize("answer", ["enter", "escape", "patient_leave_no"])
def test_one_tap_on_the_way_back_does_not_show_the_results(window: MainWindow, answer: str) -> None:
    """A tap on "Back to the clinician's view" asks first; its default button (Enter), Esc
    and "No, stay here" keep patient mode, the hand-back page and no result on screen."""
    w = window
    page = _hand_back_page(w)
    with _answering(answer) as asked:
        QTest.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert asked == [
        ("Return to the clinician's view?", "The results will be shown.", "&No, stay here")
    ]
    _still_patient_mode(w, page)
    # and the patient's own choice still takes them back to the drawing
    QTest.mouseClick(page.more, Qt.MouseButton.LeftButton)
    assert w.patient_mode.active and w.patient_mode.hand_back_page is None
    assert w.patient_mode.bar is not None and w.patient_mode.bar.isVisible()


def test_confirming_returns_to_the_clinicians_view(window: MainWindow, qtbot) -> None:
    w = window
    page = _hand_back_page(w)
    with _answering("patient_leave_yes") as asked:
        QTest.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert not w.patient_mode.active and w.patient_mode.hand_back_page is None
    qtbot.waitUntil(lambda: w.side_stack.isVisible())
    assert w.menuBar().isVisible() and w.panel.banner.isVisible()
    assert w.model.session.mark_at("lateral_thigh", R, Symptom.PAIN) is not None  # kept


def test_the_way_back_is_the_clinicians_small_button(window: MainWindow) -> None:
    """The patient's "I want to change something" is the large button and has the focus
    (Space on it goes back to the drawing); the way back is smaller, in the window's own
    font, below and apart from it, and Space on it too only asks."""
    w = window
    page = _hand_back_page(w)
    more, back = page.more, page.back
    assert more.hasFocus()
    assert back.height() < more.height()
    assert back.font().pointSizeF() < more.font().pointSizeF()
    assert (
        back.mapTo(page, back.rect().topLeft()).y() > more.mapTo(page, more.rect().bottomLeft()).y()
    )
    back.setFocus()
    with _answering("enter") as asked:
        QTest.keyClick(back, Qt.Key.Key_Space)
    assert len(asked) == 1
    _still_patient_mode(w, page)
    more.setFocus()
    QTest.keyClick(more, Qt.Key.Key_Space)
    assert w.patient_mode.active and w.patient_mode.hand_back_page is None


def test_closing_the_window_in_patient_mode_is_not_a_way_back(window: MainWindow) -> None:
    """Closing the window never shows the clinician's view, and in patient mode it does not
    end the program either: the patient met the clinician's Save / Discard question (Discard
    dropped the unsaved work). The hand-back page stays, with nothing of the results on
    screen; the clinician's own way back asks first, and closing then asks as always."""
    w = window
    page = _hand_back_page(w)
    unsaved: list[bool] = []
    w.files.ask_unsaved = lambda: unsaved.append(True) or "cancel"  # type: ignore[method-assign]
    with _answering("patient_leave_yes") as asked:
        assert not w.close()
    assert unsaved == [] and asked == []
    _still_patient_mode(w, page)
