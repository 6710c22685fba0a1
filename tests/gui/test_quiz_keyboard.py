"""A student's review of the quiz under a real X server, in the real window: the keys after a
mode switch, a quiz under way thrown away by one key, Enter on the diagram in a marking
question, the topics after the first quiz, the feedback below the fold (each failed before)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea, QWidget

from core import learn
from core.geometry import interior_point, load_diagram
from core.model import Side, Symptom
from gui.learn.quiz_panel import QuizPanel
from gui.main_window import MainWindow
from gui.state import Mode, Tool
from tests.gui.helpers import click_scene_point, start_quiz


def _active(w: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)


def _quiz(w: MainWindow, qtbot, topics: tuple[str, ...], seed: str, n: int = 6) -> QuizPanel:  # type: ignore[no-untyped-def]
    """Quiz mode, ``topics`` only, ``seed`` typed, started with the Start button."""
    _active(w, qtbot)
    panel = start_quiz(w, qtbot, topics, seed, n)
    assert isinstance(panel, QuizPanel) and panel.quiz is not None
    return panel


def _key(key: Qt.Key | str) -> None:
    """Press ``key`` where the keyboard focus is, as the window system would."""
    focus = QApplication.focusWidget()
    assert focus is not None
    QTest.keyClick(focus, key)


def _answer_by_keys(panel: QuizPanel) -> None:
    """Choose the right answer with its number key, then Enter (check)."""
    q = panel.quiz.current
    _key(str(q.choices.index(q.target) + 1))
    _key(Qt.Key.Key_Return)
    assert panel.quiz.current_feedback is not None


# --------------------------------------------------------------------------- 1. mode switch


def test_back_in_quiz_mode_the_keys_answer_the_open_question(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After Clinical and back with the Mode box, the focus stayed on the box: 1-4 and Enter
    did nothing."""
    panel = _quiz(window, qtbot, ("key_points",), "5")
    _answer_by_keys(panel)
    _key(Qt.Key.Key_Return)  # next question
    assert panel.quiz.index == 1 and panel.quiz.current_feedback is None
    combo = window.mode_combo
    combo.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.keyClick(combo, Qt.Key.Key_Home)  # Clinical
    assert window.state.mode is Mode.CLINICAL
    QTest.keyClick(combo, Qt.Key.Key_End)  # Quiz
    assert window.state.mode is Mode.QUIZ
    assert panel.isAncestorOf(QApplication.focusWidget())
    _answer_by_keys(panel)
    assert panel.quiz.current_feedback.correct
    # answered, away and back: Enter goes on to the next question
    window.mode_combo.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.keyClick(window.mode_combo, Qt.Key.Key_Home)
    QTest.keyClick(window.mode_combo, Qt.Key.Key_End)
    assert QApplication.focusWidget() is panel.next_button
    _key(Qt.Key.Key_Return)
    assert panel.quiz.index == 2


# --------------------------------------------------------------------------- 2. ask first


def test_a_quiz_under_way_is_given_up_only_when_the_student_says_so(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Typing "1" in the Seed box, then Enter, silently replaced a half-done quiz (and so did
    Restart)."""
    panel = _quiz(window, qtbot, ("key_points",), "5")
    asked: list[tuple[int, int]] = []

    def keep(parent: QWidget, answered: int, total: int) -> bool:
        asked.append((answered, total))
        return False

    panel.confirm_new_quiz = keep
    # nothing answered yet: Enter in the Seed box starts the typed quiz without a question
    panel.seed_edit.setFocus()
    panel.seed_edit.selectAll()
    QTest.keyClicks(panel.seed_edit, "7")
    QTest.keyClick(panel.seed_edit, Qt.Key.Key_Return)
    assert not asked and panel.seed == 7
    _answer_by_keys(panel)
    code = panel.code
    panel.seed_edit.setFocus()
    panel.seed_edit.selectAll()
    QTest.keyClicks(panel.seed_edit, "1")
    QTest.keyClick(panel.seed_edit, Qt.Key.Key_Return)
    assert asked == [(1, 6)]
    assert panel.code is code and panel.quiz.answered == 1  # kept
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)  # Restart
    assert len(asked) == 2 and panel.code is code and panel.quiz.answered == 1
    panel.confirm_new_quiz = lambda parent, answered, total: True
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.seed == 1 and panel.quiz.answered == 0


def test_the_question_before_a_new_quiz_keeps_the_quiz_by_default(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The real question: Enter (the default button) and Esc keep the quiz under way."""
    from gui.learn.quiz_confirm import confirm_new_quiz

    seen: list[str] = []

    def press(key: Qt.Key) -> None:
        box = QApplication.activeModalWidget()
        try:
            assert isinstance(box, QMessageBox)
            seen.append(box.text())
            seen.append(box.defaultButton().text())
            QTest.keyClick(box, key)
        finally:
            if isinstance(box, QMessageBox) and box.isVisible():
                box.reject()

    _active(window, qtbot)
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        QTimer.singleShot(0, lambda key=key: press(key))
        assert confirm_new_quiz(window, 3, 10) is False
    assert seen[:2] == ["Start a new quiz and give up this one?", "&Keep this quiz"]
    assert len(seen) == 4


# ------------------------------------------------------------------- 3. Enter on the diagram


def test_enter_on_the_diagram_checks_a_marking_question(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """After clicking zones the diagram kept the focus, and Enter unmarked the last zone
    clicked instead of checking the answer. Space still marks from the keyboard."""
    w = window
    w.diagram.fit_all()
    panel = _quiz(w, qtbot, ("dermatomes",), "5", n=10)
    for _ in range(10):  # the first marking question
        q = panel.quiz.current
        if q.kind == "mark_territory":
            break
        _answer_by_keys(panel)
        _key(Qt.Key.Key_Return)
    assert q.kind == "mark_territory"
    w.state.set_tool(Tool.CLICK)
    w.state.set_symptom(Symptom.NUMBNESS)
    shapes = {(z.id, z.side): z for z in reversed(load_diagram().zones())}
    wanted = sorted(k for k in learn.territory_zones(q.target, q.atlas, 1.0) if k[1] is Side.LEFT)
    for key in wanted:
        click_scene_point(qtbot, w.diagram, *interior_point(shapes[key]))
    assert w.diagram.hasFocus()
    scratch = w.state.learning
    assert {m.key for m in scratch.session.marks} == set(wanted)
    QTest.keyClick(w.diagram, Qt.Key.Key_Space)  # the keyboard's zone: the last one clicked
    assert len(scratch.session.marks) == len(wanted) - 1  # Space unmarks it, as documented
    QTest.keyClick(w.diagram, Qt.Key.Key_Space)
    assert {m.key for m in scratch.session.marks} == set(wanted)
    QTest.keyClick(w.diagram, Qt.Key.Key_Return)
    fb = panel.quiz.current_feedback
    assert fb is not None and fb.correct and fb.score == 1.0  # checked, nothing unmarked
    assert QApplication.focusWidget() is panel.next_button
    # outside a marking question Enter on the diagram is its own again (the case on show)
    w.state.set_mode(Mode.CLINICAL)
    w.diagram.setFocus()
    w.state.set_current_zone(Side.LEFT.value, "heel")
    QTest.keyClick(w.diagram, Qt.Key.Key_Return)
    assert any(m.key == ("heel", Side.LEFT) for m in w.model.session.marks)


# --------------------------------------------------------------------------- 4. topics again


def test_the_topics_can_be_changed_after_a_quiz(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The topic pills never came back after the first quiz: "New quiz" asked the old topics."""
    panel = _quiz(window, qtbot, ("key_points",), "5", n=3)

    def never(parent: QWidget, answered: int, total: int) -> bool:
        raise AssertionError("a finished quiz is not under way: nothing to ask")

    panel.confirm_new_quiz = never
    while not panel.quiz.finished:
        _answer_by_keys(panel)
        _key(Qt.Key.Key_Return)
    assert panel.summary.isVisible() and not panel.topics_box.isVisible()
    assert panel.topics_button.isVisible()
    qtbot.mouseClick(panel.topics_button, Qt.MouseButton.LeftButton)
    assert panel.topics_box.isVisible() and panel.summary.isVisible()
    first = next(iter(panel.topic_pills.values()))
    assert QApplication.focusWidget() is first
    assert not first.visibleRegion().isEmpty()  # scrolled to
    qtbot.mouseClick(panel.topic_pills["key_points"], Qt.MouseButton.LeftButton)
    assert not panel.new_button.isEnabled()  # no topic: no quiz to start
    qtbot.mouseClick(panel.topic_pills["myotomes"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert {q.topic for q in panel.quiz.questions} == {"myotomes"}
    assert not panel.topics_box.isVisible()  # the question card is back


# --------------------------------------------------------------------------- 5. the feedback


def _shown_in(scroll: QScrollArea, widget: QWidget) -> QRect:
    """The part of ``widget`` inside the scroll area's viewport."""
    view = scroll.viewport()
    top_left = widget.mapTo(view, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(view.rect())


def test_the_feedback_scrolls_into_view_in_a_small_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """At 1000 x 700 the feedback after Check was below the fold, and nothing scrolled to it."""
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.height() <= 700)
    panel = _quiz(window, qtbot, ("vignettes",), "4", n=6)
    scroll = panel.findChild(QScrollArea)
    for _ in range(6):
        _answer_by_keys(panel)
        QApplication.processEvents()  # laid out: the places measured are the ones drawn
        shown, height = _shown_in(scroll, panel.feedback), panel.feedback.height()
        if height <= scroll.viewport().height():
            assert shown.height() == height  # the whole feedback
        else:  # its start, with the title, under Next
            assert panel.feedback.mapTo(scroll.viewport(), QPoint(0, 0)).y() >= 0
        assert _shown_in(scroll, panel.next_button).height() == panel.next_button.height()
        _key(Qt.Key.Key_Return)
        if panel.quiz.finished:
            break
