"""Help -> Keyboard Shortcuts: every key the window answers to, in one list.

The menu and toolbar shortcuts are read from the window's own actions when the dialog opens (so
the list cannot drift from what the keys do); the diagram's keys, which are handled by the view
itself (:mod:`gui.diagram.view`, :mod:`gui.diagram.pointer`, :mod:`gui.diagram.zoom`), are
listed in :data:`DIAGRAM_KEYS`.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.screen_fit import resize_within_screen

DIAGRAM_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab, Shift+Tab", "Step through the zones (Tab leaves the diagram after the last one)"),
    ("Arrow keys", "Move to the nearest zone in that direction"),
    ("Enter, Space", "Mark or unmark the zone with the current symptom"),
    ("Escape", "Leave the zone (then Tab leaves the diagram), or cancel a brush stroke"),
    ("Right click", "On a zone: switch numbness, tingling and pain on or off"),
    ("Ctrl + wheel, touchpad pinch", "Zoom around the pointer"),
    ("Space + drag", "Move the diagram when zoomed in (or drag with the middle button)"),
)
"""The diagram's own keys and gestures (focus the diagram first: click it or press Tab)."""

QUIZ_KEYS: tuple[tuple[str, str], ...] = (
    # with the focus in the quiz panel (on the diagram, Enter marks the zone, but checks the
    # answer of a "Mark the territory" question: gui.learn.quiz_keys)
    ("1, 2, 3, 4 in the panel", "Choose that answer"),
    ("Enter in the panel", "Check the answer, then go on to the next question"),
    ("Enter on the diagram", 'Check a "Mark the territory" answer (Space marks the zone)'),
    ("Enter in Seed or Questions", "Start the quiz"),
    ("Alt+S, Alt+Q", "Go to Seed, Questions"),
    ("Alt+T", "Start (or restart) the quiz"),
    ("Alt+C", "Check the answer"),
    ("Alt+N", "Next question (Alt+R after the last: see the results)"),
    ("Alt+L", "Clear my marks (a question answered on the diagram)"),
    ("Alt+P", "My progress"),
    ("Alt+A, Alt+W, Alt+O", "At the end: try the same quiz again, a new quiz, change topics"),
)
"""The quiz panel's own keys (quiz mode)."""

EXPLORE_KEYS: tuple[tuple[str, str], ...] = (("Alt+N", "Go to Peripheral nerve"),)
"""The explore panel's own keys (explore mode)."""


def key_text(action: QAction) -> str:
    """The action's shortcuts as the platform writes them ("Ctrl+1"), joined by " or "."""
    seen: list[str] = []
    for seq in action.shortcuts():
        text = seq.toString(QKeySequence.SequenceFormat.NativeText)
        if text and text not in seen:
            seen.append(text)
    return " or ".join(seen)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def action_groups(window: QMainWindow) -> list[tuple[str, list[tuple[str, str]]]]:
    """``(menu title, [(action, keys), ...])`` for every menu of ``window`` in menu-bar order,
    then the actions with a shortcut that no menu holds (the toolbar's), as "Toolbar"."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    listed: set[int] = set()

    def walk(menu: QMenu, rows: list[tuple[str, str]]) -> None:
        for a in menu.actions():
            sub = a.menu()
            if isinstance(sub, QMenu):
                walk(sub, rows)
            elif not a.isSeparator() and key_text(a) and id(a) not in listed:
                listed.add(id(a))
                rows.append((_plain(a.text()), key_text(a)))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            rows: list[tuple[str, str]] = []
            walk(menu, rows)
            if rows:
                groups.append((_plain(menu.title()), rows))
    rest = [
        (_plain(a.text()), key_text(a))
        for a in window.findChildren(QAction)
        # on a widget: patient mode's own Undo and Redo are only while it is on (they were
        # listed as the toolbar's, a second Undo and Redo)
        if key_text(a) and id(a) not in listed and a.text() and a.associatedObjects()
    ]
    if rest:
        groups.append(("Toolbar", rest))
    return groups


def tab_keys(window: QMainWindow) -> list[tuple[str, str]]:
    """``[(tab, keys), ...]`` for the side panel's tabs: each tab's access key ("Exam", "Alt+X"),
    read from the tab's own text."""
    tabs = window.findChild(QTabWidget, "panel_tabs")
    out: list[tuple[str, str]] = []
    for i in range(tabs.count() if tabs is not None else 0):
        assert tabs is not None
        text = tabs.tabText(i)
        key = re.search(r"&([^&])", text.replace("&&", ""))
        if key:
            out.append((f"{_plain(text)} tab", f"Alt+{key.group(1).upper()}"))
    return out


class ShortcutsDialog(QDialog):
    """A two-column list (the keys, what they do), grouped by menu, the diagram first."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        lay = QVBoxLayout(self)
        intro = QLabel(
            "The diagram's keys work once it has the focus: click it or press Tab to reach "
            "it. The Regions tab lists every zone for the keyboard too."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcuts_list")
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        groups = [("Diagram", [(what, keys) for keys, what in DIAGRAM_KEYS])]
        if tab_keys(window):
            groups.append(("Side panel", tab_keys(window)))
        groups += action_groups(window)
        groups.append(("Explore", [(what, keys) for keys, what in EXPLORE_KEYS]))
        groups.append(("Quiz", [(what, keys) for keys, what in QUIZ_KEYS]))
        for title, rows in groups:
            head = QTreeWidgetItem(self.tree, [title])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFirstColumnSpanned(True)
            for what, keys in rows:
                item = QTreeWidgetItem(head, [keys, what])
                item.setToolTip(1, what)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        lay.addWidget(self.tree, 1)
        # wide enough for both columns whole (the frame, scroll bar and margins besides)
        needed = self.tree.columnWidth(0) + self.tree.columnWidth(1) + 80
        resize_within_screen(self, max(needed, 560), 640)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def rows(self) -> dict[str, list[tuple[str, str]]]:
        """What the list shows: group title -> ``[(action, keys), ...]``."""
        out: dict[str, list[tuple[str, str]]] = {}
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            assert head is not None
            items = [head.child(j) for j in range(head.childCount())]
            out[head.text(0)] = [(c.text(1), c.text(0)) for c in items if c is not None]
        return out


def show_shortcuts(window: QWidget) -> ShortcutsDialog:
    """Open the list (non-modal; a second call raises the open one)."""
    existing = window.findChild(ShortcutsDialog)
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    assert isinstance(window, QMainWindow)
    dlg = ShortcutsDialog(window)
    dlg.show()
    return dlg
