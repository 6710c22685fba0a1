"""UX review, in the real window: the quiz's shared code gives the class the same quiz, and
the end-of-quiz list of missed questions shows each item whole, its answer first."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QListWidget, QStyle

from core import progress
from core.model import Side, Symptom
from core.quiz import TOPICS
from core.quiz_generation import make_quiz
from gui.learn.progress_view import progress_path
from gui.main_window import MainWindow
from gui.state import Mode


def _student_with_progress() -> None:
    """Myotomes just missed, dermatomes mastered: a fresh quiz is weighted."""
    rows = [("dermatomes", True)] * progress.MAX_BOX + [("myotomes", False)]
    progress.save(
        progress_path(),
        [
            progress.Answer(f"2026-01-01T00:00:{i:02d}+00:00", t, "k", ok, float(ok), 1)
            for i, (t, ok) in enumerate(rows)
        ],
    )


def _shown_code(text: str) -> str:
    m = re.search(r"<b>([^<]+)</b>", text)
    assert m is not None, text
    return m.group(1)


def test_the_shown_code_typed_in_gives_the_same_questions(qtbot, window: MainWindow) -> None:
    """The label said "Seed 4242 — type it in the seed box to give a class this quiz", but the quiz
    had been drawn with this student's weighting, the typed seed without it, and the topics and
    count chosen on the other computer changed the questions too. The code shown, typed, gives
    these questions."""
    _student_with_progress()
    window.state.set_mode(Mode.QUIZ)
    panel = window.quiz_panel
    panel.count_spin.setValue(7)
    assert panel.seed_edit.text() == ""  # a fresh quiz: this student's own
    for _ in range(30):  # one whose weighting changes its questions (most do)
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.quiz is not None
        plain = make_quiz(panel.seed, 7, panel.quiz.questions[0].atlas, tuple(TOPICS))
        if panel.quiz.questions != plain:
            break
    shown = panel.quiz.questions
    label = panel.seed_label.text()
    code = _shown_code(label)
    # another computer: other topics and count chosen
    qtbot.mouseClick(panel.topic_pills["maps"], Qt.MouseButton.LeftButton)
    panel.count_spin.setValue(4)
    panel.seed_edit.setFocus()
    qtbot.keyClicks(panel.seed_edit, code)
    qtbot.keyClick(panel.seed_edit, Qt.Key.Key_Return)
    assert panel.quiz.questions == shown
    assert _shown_code(panel.seed_label.text()) == code
    assert panel.count_spin.value() == 7 and panel.topic_pills["maps"].isChecked()
    # what the code holds, in plain words: nothing else has to match
    words = re.sub(r"<[^>]+>", "", label)
    assert "Seed box" in words and len(words) < 100, words  # one line, the details on hover
    tip = panel.seed_label.toolTip()
    for part in ("map", "7 questions", "topics", "nothing else has to match"):
        assert part in tip, tip


def _text_height(view: QListWidget, text: str, width: int) -> int:
    """The height of ``text`` wrapped at ``width`` as the item view's style lays it out."""
    layout = QTextLayout(text, view.font())
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(opt)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return math.ceil(height)


def _cut_items(view: QListWidget) -> list[str]:
    """The items whose wrapped text is taller than the item. A list of one column draws an item
    at most its viewport's width less its spacing on each side (QListView::paintEvent), the text
    a focus-frame margin in from each side of that."""
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    most = view.viewport().width() - 2 * view.spacing()
    cut = []
    for i in range(view.count()):
        item = view.item(i)
        rect = view.visualItemRect(item)
        drawn = min(rect.width(), most)
        if rect.height() < _text_height(view, item.text(), drawn - 2 * margin):
            cut.append(f"{drawn}x{rect.height()}: {item.text()}")
    return cut


def test_every_missed_item_is_shown_whole_with_its_answer_first(qtbot, window: MainWindow) -> None:
    """The end of the review's quiz: "Q14. ... You said L5; answer:" and the line with "L4"
    was not drawn (the item's height was worked out at the list's full width, the item drawn
    its spacing in from each side). Each item fits its wrapped text, at the panel's width
    and at narrower ones, and names the answer first."""
    w = window
    w.state.set_mode(Mode.QUIZ)
    panel = w.quiz_panel
    panel.count_spin.setValue(14)
    panel.seed_edit.setText("4242")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    while not panel.quiz.finished:
        q = panel.quiz.current
        if q.kind == "mark_territory":
            w.state.learning.toggle_mark("heel", Side.LEFT, Symptom.NUMBNESS)
            panel.check()
        else:
            panel.answer(next(c for c in q.choices if c != q.target))
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    view = panel.missed_list
    assert view.count() == 14
    qtbot.wait(200)  # a word-wrapped list is laid out again 100 ms after a resize
    assert not _cut_items(view)
    total = sum(w.splitter.sizes())
    narrowest = w.side_stack.minimumSizeHint().width()
    for side in range(narrowest, 481, 10):  # the panel at its narrowest, and wider
        w.splitter.setSizes([total - side, side])
        qtbot.waitUntil(lambda: w.splitter.sizes()[1] == side, timeout=3000)  # noqa: B023
        qtbot.wait(200)
        assert not _cut_items(view), side
    for i in range(view.count()):
        q = panel.quiz.questions[view.item(i).data(Qt.ItemDataRole.UserRole)]
        right = q.label(q.target)
        assert view.item(i).text().startswith(f"Q{i + 1}. Answer {right} "), view.item(i).text()


def test_a_mistyped_code_says_what_a_code_is(qtbot, window: MainWindow) -> None:
    """A code that names no quiz starts none, and the panel says why."""
    window.state.set_mode(Mode.QUIZ)
    panel = window.quiz_panel
    panel.seed_edit.setFocus()
    qtbot.keyClicks(panel.seed_edit, "4242-X10-444444")
    qtbot.keyClick(panel.seed_edit, Qt.Key.Key_Return)
    assert panel.quiz is None
    assert panel.seed_label.isVisible() and "No map" in panel.seed_label.text()
    panel.seed_edit.setText("4242-L5-001000")  # Lee's map, 5 questions, myotomes only
    qtbot.keyClick(panel.seed_edit, Qt.Key.Key_Return)
    assert panel.quiz is not None and len(panel.quiz.questions) == 5
    assert {q.topic for q in panel.quiz.questions} == {"myotomes"}
    assert {q.atlas for q in panel.quiz.questions} == {"lee"}
    assert "Lee 2008" in panel.seed_label.text()
