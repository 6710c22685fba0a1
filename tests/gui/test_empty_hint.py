"""The empty diagram says how to start (a clinician's walkthrough: a new user saw an unmarked
diagram dotted with key-point badges and no word on what to do)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.state import Mode


def _hint_shown(window: MainWindow) -> bool:
    hint = window.empty_hint
    return hint.isVisible() and window.diagram.viewport().rect().contains(hint.geometry())


def _point_of_a_zone_under(window: MainWindow, area: QRect) -> QPoint:
    """A viewport point inside ``area`` that lies on a zone."""
    view = window.diagram
    for y in range(area.top() + 2, area.bottom() - 1, 3):
        for x in range(area.left() + 2, area.right() - 1, 3):
            if view.zone_item_at(QPoint(x, y)) is not None:
                return QPoint(x, y)
    raise AssertionError("no zone under the hint")


def test_an_empty_diagram_says_how_to_start_until_the_first_mark(window: MainWindow) -> None:
    view = window.diagram
    assert _hint_shown(window)
    text = window.empty_hint.text()
    assert "Numbness, Tingling or Pain" in text and "Brush" in text and "Guide" in text
    # the first mark hides it; Undo, back to an empty diagram, brings it back
    item = next(it for it in view.zone_items if it.key[0] == "anterior_knee")
    centre = view.mapFromScene(item.sceneBoundingRect().center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QApplication.processEvents()
    assert window.model.session.marks and not window.empty_hint.isVisible()
    window.model.undo_stack.undo()
    QApplication.processEvents()
    assert not window.model.session.marks and _hint_shown(window)


def test_the_hint_lets_clicks_through_to_the_diagram(window: MainWindow, qtbot) -> None:
    """In a small window the hint lies over the feet: a click there marks the zone (at 880 by
    520 pixels: narrower, the toolbars take two rows and the smaller drawing leaves the hint
    below the feet)."""
    window.resize(880, 520)
    qtbot.waitUntil(lambda: window.diagram.viewport().width() < 500, timeout=5000)
    QApplication.processEvents()
    point = _point_of_a_zone_under(window, window.empty_hint.geometry())
    QTest.mouseClick(window.diagram.viewport(), Qt.MouseButton.LeftButton, pos=point)
    QApplication.processEvents()
    assert window.model.session.marks


def test_the_hint_is_not_shown_while_learning_or_in_patient_mode(window: MainWindow) -> None:
    window.state.set_mode(Mode.EXPLORE)
    QApplication.processEvents()
    assert not window.empty_hint.isVisible()
    window.state.set_mode(Mode.CLINICAL)
    QApplication.processEvents()
    assert _hint_shown(window)
    window.patient_mode.enter()
    QApplication.processEvents()
    assert not window.empty_hint.isVisible()
    window.patient_mode.leave()
    QApplication.processEvents()
    assert _hint_shown(window)


def test_choosing_a_symptom_with_the_eraser_on_goes_back_to_clicking(window: MainWindow) -> None:
    """After erasing the last mark the line says "choose Numbness ... then click": with the
    eraser still on, the clicks erased nothing and marked nothing (a review)."""
    from gui.state import Tool

    window.state.set_tool(Tool.ERASER)
    window.symptom_actions[window.state.symptom].trigger()  # the one already chosen
    assert window.state.tool is Tool.CLICK
    view = window.diagram
    item = next(it for it in view.zone_items if it.key[0] == "anterior_knee")
    QTest.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.mapFromScene(item.sceneBoundingRect().center()),
    )
    QApplication.processEvents()
    assert window.model.session.marks
