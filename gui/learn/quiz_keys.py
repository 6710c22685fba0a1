"""The quiz panel's keys, and where the quiz puts the keyboard focus
(behaviour: :mod:`gui.learn.quiz_panel`).

- In the panel: 1-4 choose an answer, Enter checks it, then goes on to the next question (on a
  focused button, Enter presses it; in the Seed or Questions box it starts the quiz).
- On the diagram, while a "Mark the territory" question is open, Enter means Check too: after
  clicking zones the diagram kept the focus, and Enter unmarked the last zone clicked (the
  diagram's own Enter) instead of checking. Space still marks or unmarks the zone the keyboard
  is on.
- The focus goes to the open question (its chosen or first answer, Check, Next) on Start, Next,
  and on coming back to quiz mode: after Clinical and back it stayed on the Mode box, outside
  the panel, and the keys did nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget

if TYPE_CHECKING:
    from gui.learn.quiz_panel import QuizPanel

SHOWN = Qt.FocusReason.ShortcutFocusReason
"""The reason the quiz gives when it moves the focus (to the first answer, Check, Next), as a
key does (Enter, 1-4): the style then draws the focus ring there (moved for another reason, the
focus was on the button but nothing showed where)."""

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class QuizKeys(QObject):
    """The keys of one quiz panel (see the module docstring)."""

    def __init__(self, panel: QuizPanel) -> None:
        super().__init__(panel)
        self._panel = panel
        self._diagram: QWidget | None = None
        self._diagram_enter: list[QShortcut] = []
        for key in ENTER_KEYS:
            enter = QShortcut(QKeySequence(key), panel)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self._enter)
        for i in range(4):
            sc = QShortcut(QKeySequence(str(i + 1)), panel)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda i=i: panel.pick(i))

    def attach_diagram(self, view: QWidget) -> None:
        """Give the window's diagram its quiz Enter (the window wires it, once)."""
        if self._diagram is not None:
            return
        self._diagram = view
        for key in ENTER_KEYS:
            sc = QShortcut(QKeySequence(key), view)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)  # only while the diagram has focus
            sc.setEnabled(False)
            sc.activated.connect(self._panel.check)
            self._diagram_enter.append(sc)

    def sync(self, marking: bool) -> None:
        """Enter on the diagram checks while a marking question is open (``marking``), and marks
        the zone otherwise (the diagram's own key)."""
        for sc in self._diagram_enter:
            sc.setEnabled(marking)

    def _enter(self) -> None:
        p = self._panel
        focus = QApplication.focusWidget()
        if isinstance(focus, QPushButton) and p.isAncestorOf(focus):
            focus.click()  # Enter on a focused button presses it (Start, New quiz, ...)
        elif p.seed_edit.hasFocus() or p.count_spin.hasFocus():  # a teacher's seed
            p.start_button.click()
        elif p.check_button.isVisible() and p.check_button.isEnabled():
            p.check()
        elif p.next_button.isVisible() and p.next_button.isEnabled():
            p.next_question()


def scroll_into_view(panel: QWidget, *widgets: QWidget) -> None:
    """Scroll ``panel``'s page so that ``widgets`` show (the first one given, when they do not
    all fit). Newly shown widgets are laid out first: their places are known only then."""
    scroll = panel.findChild(QScrollArea)
    if scroll is None:
        return
    # the page's new height reaches the scroll area through posted events (layout requests,
    # then the scroll bars' range): deliver them now, so the places below are the ones drawn
    QApplication.sendPostedEvents()
    for w in reversed(widgets):
        if w.isVisible():
            scroll.ensureWidgetVisible(w, 0, 10)
