"""Pen (QTabletEvent) and touch (QTouchEvent) input click and paint exactly like the mouse,
driven through the real window's diagram viewport; echoes of them as mouse events are dropped."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.model import Mark, Side, Symptom
from gui.main_window import MainWindow
from gui.state import Tool

LEFT = Qt.MouseButton.LeftButton
NO_MODS = Qt.KeyboardModifier.NoModifier


@pytest.fixture(scope="module")
def pen() -> QPointingDevice:
    return QPointingDevice(
        "test pen",
        4242,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )


def _zone_pos(window: MainWindow, zone: str, side: str) -> QPoint:
    xy = window.zone_viewport_pos(zone, side)
    assert xy is not None
    return QPoint(*xy)


def _tablet(window: MainWindow, pen: QPointingDevice, kind: QEvent.Type, pos: QPoint) -> bool:
    vp = window.diagram.viewport()
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletMove else LEFT
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else LEFT
    p = QPointF(pos)
    g = QPointF(vp.mapToGlobal(pos))
    ev = QTabletEvent(kind, pen, p, g, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, NO_MODS, button, buttons)
    QApplication.sendEvent(vp, ev)
    return ev.isAccepted()


def _echo(window: MainWindow, pen: QPointingDevice, kind: QEvent.Type, pos: QPoint) -> None:
    """A mouse event the platform synthesised from the pen (the known duplicate)."""
    vp = window.diagram.viewport()
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else LEFT
    p = QPointF(pos)
    ev = QMouseEvent(
        kind,
        p,
        p,
        QPointF(vp.mapToGlobal(pos)),
        LEFT,
        buttons,
        NO_MODS,
        Qt.MouseEventSource.MouseEventSynthesizedBySystem,
        pen,
    )
    QApplication.sendEvent(vp, ev)


def _marks(window: MainWindow) -> set[tuple[str, str, str]]:
    return {(m.zone, m.side.value, m.symptom.value) for m in window.model.session.marks}


def test_pen_tap_marks_the_zone_once_and_its_mouse_echo_is_dropped(window, pen) -> None:
    pos = _zone_pos(window, "dorsum_of_foot.medial", "right")
    assert _tablet(window, pen, QEvent.Type.TabletPress, pos)
    assert _tablet(window, pen, QEvent.Type.TabletRelease, pos)
    # the platform's own mouse events for the same tap, delivered after it
    _echo(window, pen, QEvent.Type.MouseButtonPress, pos)
    _echo(window, pen, QEvent.Type.MouseButtonRelease, pos)
    QApplication.processEvents()
    assert window.model.session.marks == (
        Mark("dorsum_of_foot.medial", Side.RIGHT, Symptom.NUMBNESS),
    )
    # a second pen tap unmarks it, exactly like a second mouse click
    assert _tablet(window, pen, QEvent.Type.TabletPress, pos)
    assert _tablet(window, pen, QEvent.Type.TabletRelease, pos)
    assert window.model.session.marks == ()
    assert window.diagram.hasFocus()


def test_a_real_mouse_click_still_counts_right_after_the_pen(window, pen, qtbot) -> None:
    pos = _zone_pos(window, "heel.plantar", "left")
    _tablet(window, pen, QEvent.Type.TabletPress, pos)
    _tablet(window, pen, QEvent.Type.TabletRelease, pos)
    assert _marks(window) == {("heel.plantar", "left", "numbness")}
    QTest.mouseClick(window.diagram.viewport(), LEFT, NO_MODS, pos)  # a real mouse: no echo
    assert window.model.session.marks == ()


def test_pen_hover_reports_the_zone_and_a_pen_stroke_paints(window, pen) -> None:
    pos = _zone_pos(window, "anterior_thigh", "left")
    _tablet(window, pen, QEvent.Type.TabletMove, pos)  # hovering, tip up
    assert window.state.hovered_zone == ("left", "anterior_thigh")
    window.state.set_tool(Tool.BRUSH)
    window.state.set_symptom(Symptom.PAIN)
    window.state.set_brush_size(40)
    _tablet(window, pen, QEvent.Type.TabletPress, pos)
    for dy in range(0, 60, 6):
        moved = pos + QPoint(0, dy)
        vp = window.diagram.viewport()
        ev = QTabletEvent(
            QEvent.Type.TabletMove,
            pen,
            QPointF(moved),
            QPointF(vp.mapToGlobal(moved)),
            0.6,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            NO_MODS,
            Qt.MouseButton.NoButton,
            LEFT,
        )
        QApplication.sendEvent(vp, ev)
    _tablet(window, pen, QEvent.Type.TabletRelease, pos + QPoint(0, 54))
    marks = _marks(window)
    assert ("anterior_thigh", "left", "pain") in marks
    assert all(side == "left" and sym == "pain" for _z, side, sym in marks)
    assert window.model.undo_stack.count() == 1  # one stroke, one undo step


def test_finger_tap_marks_the_zone_once(window) -> None:
    dev = QTest.createTouchDevice()
    vp = window.diagram.viewport()
    pos = _zone_pos(window, "great_toe.dorsal", "right")
    QTest.touchEvent(vp, dev).press(0, pos, vp).commit()
    QTest.touchEvent(vp, dev).release(0, pos, vp).commit()
    QApplication.processEvents()
    assert _marks(window) == {("great_toe.dorsal", "right", "numbness")}
    QTest.touchEvent(vp, dev).press(0, pos, vp).commit()
    QTest.touchEvent(vp, dev).release(0, pos, vp).commit()
    QApplication.processEvents()
    assert window.model.session.marks == ()


def test_finger_stroke_paints_and_a_second_finger_cancels(window) -> None:
    dev = QTest.createTouchDevice()
    vp = window.diagram.viewport()
    window.state.set_tool(Tool.BRUSH)
    window.state.set_symptom(Symptom.TINGLING)
    window.state.set_brush_size(40)
    pos = _zone_pos(window, "posterior_calf", "right")
    QTest.touchEvent(vp, dev).press(0, pos, vp).commit()
    for dy in range(0, 40, 5):
        QTest.touchEvent(vp, dev).move(0, pos + QPoint(0, dy), vp).commit()
    QTest.touchEvent(vp, dev).release(0, pos + QPoint(0, 35), vp).commit()
    QApplication.processEvents()
    marks = _marks(window)
    assert {sym for _z, _side, sym in marks} == {"tingling"}
    assert any(z.startswith("posterior_calf") and side == "right" for z, side, _s in marks)
    # two fingers (a pinch, a palm): nothing is painted or clicked
    window.state.set_tool(Tool.CLICK)
    before = window.model.session.marks
    other = _zone_pos(window, "medial_thigh", "left")
    QTest.touchEvent(vp, dev).press(0, other, vp).commit()
    QTest.touchEvent(vp, dev).stationary(0).press(1, other + QPoint(30, 0), vp).commit()
    QTest.touchEvent(vp, dev).release(0, other, vp).release(1, other + QPoint(30, 0), vp).commit()
    QApplication.processEvents()
    assert window.model.session.marks == before
