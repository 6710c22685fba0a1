"""Texts with citation links and the keyboard (UX review 9): Qt made every link of a rich
label a Tab stop of its own, so from the diagram Tab went through the disclaimer five times,
one "Sources" line twelve times and each condition's reasons six times, and reached the first
warning sign only at press 38. A text with links is now one Tab stop (none without links);
there Enter opens its reference, or a menu of its references; and each says what it is, in
plain text, to a screen reader."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QMenu, QWidget

from gui.main_window import MainWindow
from gui.panel.labels import Expander, RichLabel
from gui.panel.references_dialog import ReferencesDialog

RICH = Path(__file__).resolve().parent.parent / "core" / "data" / "rich.json"

MAX_TABS_TO_WARNING_SIGNS = 13
"""Measured from the diagram with one zone marked (the review's session): the tab bar, the
disclaimer, five "Why" buttons, the notes' sources, and for each of two conditions its "Next
steps" and its reasons; the 13th press reaches the first warning sign (it was the 38th)."""


def _focus() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None
    return w


def _mark_with_the_keyboard(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """As the review did: arrows to a zone of the diagram, Enter marks it, Escape."""
    window.activateWindow()
    window.diagram.setFocus()
    qtbot.waitUntil(window.diagram.hasFocus)
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left):
        QTest.keyClick(_focus(), key)
    QTest.keyClick(_focus(), Qt.Key.Key_Return)
    assert len(window.model.session.marks) == 1
    QTest.keyClick(_focus(), Qt.Key.Key_Escape)
    QApplication.processEvents()


def _tab_to(predicate, limit: int = 60) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab until the focus satisfies ``predicate``: the widgets reached, in order."""
    visited: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(_focus(), Qt.Key.Key_Tab)
        visited.append(_focus())
        if predicate(visited[-1]):
            return visited
    raise AssertionError([w.accessibleName() or w.objectName() for w in visited])


def _is_warning_sign(w: QWidget) -> bool:
    return isinstance(w, QCheckBox) and w.accessibleName().startswith("Warning sign")


def test_the_warning_signs_are_a_few_tab_presses_from_the_diagram(
    window: MainWindow, qtbot
) -> None:
    _mark_with_the_keyboard(window, qtbot)
    visited = _tab_to(_is_warning_sign)
    names = [w.accessibleName() or w.objectName() for w in visited]
    assert len(visited) <= MAX_TABS_TO_WARNING_SIGNS, names  # was 38
    assert visited[0] is window.panel.tabs.tabBar(), names
    # every control is one stop: a text with several links is no longer a stop per link
    assert len(set(map(id, visited))) == len(visited), names
    labels = [w for w in visited if isinstance(w, QLabel)]
    assert window.panel.disclaimer in labels, names
    assert all(isinstance(w, RichLabel) and w.refs for w in labels), names


def _open_every_disclosure(window: MainWindow) -> None:
    window.activateWindow()
    for exp in window.panel.findChildren(Expander):
        if exp.isVisible() and not exp.isChecked():
            exp.setFocus()
            QTest.keyClick(exp, Qt.Key.Key_Space)  # as the keyboard opens it
            assert exp.isChecked()
    QApplication.processEvents()


def test_every_label_the_keyboard_reaches_says_what_it_is_in_plain_text(
    window: MainWindow,
) -> None:
    """A screen reader read the labels' HTML (they had no accessible name)."""
    from core.session_io import load_session

    window.model.replace_session(load_session(str(RICH)))
    QApplication.processEvents()
    _open_every_disclosure(window)
    labels = [
        lab
        for lab in window.panel.findChildren(QLabel)
        if lab.isVisible() and lab.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    rich = [lab for lab in labels if isinstance(lab, RichLabel)]
    assert len(rich) >= 8  # disclaimer, evidence, sources, conditions' reasons and steps
    for lab in labels:
        name = lab.accessibleName()
        assert name.strip() and "<" not in name and "&lt;" not in name, (lab.objectName(), name)
    sources = [lab.accessibleName() for lab in rich if lab.accessibleName().startswith("Sources")]
    assert sources and all(s.startswith("Sources: R") for s in sources), sources
    disclaimer = window.panel.disclaimer.accessibleName()
    assert disclaimer.startswith("Disclaimer: A ranking aid for the clinician"), disclaimer
    assert disclaimer.endswith("[R15, R16, R17, R20]."), disclaimer
    # a text with links is one Tab stop, one without none
    for lab in window.panel.findChildren(RichLabel):
        assert bool(lab.focusPolicy() & Qt.FocusPolicy.TabFocus) == bool(lab.refs), lab.text()


def test_a_citation_opens_from_the_keyboard(window: MainWindow, qtbot) -> None:
    """Tab reaches the disclaimer once; Enter there offers its four references, and the one
    chosen opens in the reference list."""
    window.activateWindow()
    bar = window.panel.tabs.tabBar()
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    QTest.keyClick(bar, Qt.Key.Key_Tab)
    label = window.panel.disclaimer
    assert _focus() is label
    QTest.keyClick(label, Qt.Key.Key_Return)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)  # (it opened its first link, R15, at once)
    entries = [a.text().split()[0] for a in menu.actions()]
    assert entries == ["R15", "R16", "R17", "R20"]
    assert menu.activeAction() is menu.actions()[0]
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(ReferencesDialog) is not None)
    dlg = window.findChild(ReferencesDialog)
    qtbot.waitUntil(dlg.isVisible)
    item = dlg.list.currentItem()
    assert item is not None and "R16" in item.data(Qt.ItemDataRole.UserRole + 2)
    dlg.close()
    # Tab goes on from the disclaimer to the next control, not to its next link
    window.activateWindow()
    label.setFocus()
    qtbot.waitUntil(label.hasFocus)
    QTest.keyClick(label, Qt.Key.Key_Tab)
    assert _focus() is not label
    assert label.accessibleDescription() == "Press Enter to choose one of its 4 references"


def _link_point(label: RichLabel, rid: str) -> QPoint:
    """Where the mouse is over the link to ``rid`` (found by moving the mouse over the text)."""
    hovered: list[str] = []
    label.linkHovered.connect(hovered.append)
    step = max(2, label.fontMetrics().height() // 3)
    try:
        for y in range(2, label.height(), step):
            for x in range(2, label.width(), 3):
                QTest.mouseMove(label, QPoint(x, y))
                if hovered and hovered[-1] == f"ref:{rid}":
                    return QPoint(x, y)
    finally:
        label.linkHovered.disconnect(hovered.append)
    raise AssertionError(f"no link to {rid} in {label.text()}")


def test_clicking_a_link_still_opens_its_reference(window: MainWindow, qtbot) -> None:
    """Mouse behaviour is unchanged: a click on a citation opens the list at that work, and
    the click leaves no keyboard menu open."""
    label = window.panel.disclaimer
    pos = _link_point(label, "R17")
    QTest.mouseClick(label, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    qtbot.waitUntil(lambda: window.findChild(ReferencesDialog) is not None)
    dlg = window.findChild(ReferencesDialog)
    qtbot.waitUntil(dlg.isVisible)
    item = dlg.list.currentItem()
    assert item is not None and "R17" in item.data(Qt.ItemDataRole.UserRole + 2)
    assert QApplication.activePopupWidget() is None
    dlg.close()


def test_a_text_citing_one_reference_opens_it_with_space(window: MainWindow, qtbot) -> None:
    """A text with a single citation opens it at once (no menu of one)."""
    from core.session_io import load_session

    window.model.replace_session(load_session(str(RICH)))
    QApplication.processEvents()
    rows = [r for r in window.panel.conditions.rows if r.condition and not r.isHidden()]
    row = next(r for r in rows if r.condition.name == "Lumbar spinal stenosis")
    label = row.why_label
    window.activateWindow()
    row.more.setFocus()  # its "Next steps" button, then Tab to the text
    qtbot.waitUntil(row.more.hasFocus)
    QTest.keyClick(row.more, Qt.Key.Key_Tab)
    assert _focus() is label
    QTest.keyClick(label, Qt.Key.Key_Space)
    assert QApplication.activePopupWidget() is None
    qtbot.waitUntil(lambda: window.findChild(ReferencesDialog) is not None)
    dlg = window.findChild(ReferencesDialog)
    qtbot.waitUntil(dlg.isVisible)
    item = dlg.list.currentItem()
    assert item is not None and "R31" in item.data(Qt.ItemDataRole.UserRole + 2)
    dlg.close()
    assert label.accessibleName().startswith("Lumbar spinal stenosis, why it fits: ")
