"""Pen (tablet) and touch input on the chart: they click and paint exactly like the mouse.

Tablet and touch events reaching the viewport are handled natively (press, move, release at the
pen tip or the finger) through the same :meth:`PointerInput.pointer_press` /
``pointer_move`` / ``pointer_release`` as the mouse, and accepted, so Qt does not synthesise
mouse events from them. Some platforms send mouse events for the pen or finger anyway (the
system synthesises them): a mouse event that is synthesised, or comes from a pen or touch
screen, is an *echo* while native pen or touch input is in use (and shortly after) and is
dropped, so one tap never marks and unmarks a zone. Where no tablet or touch events arrive at
all, those mouse events are the only input and are handled as usual.

One finger paints or clicks; a second finger cancels the gesture (nothing is marked). The
viewport accepts touch events here (the chart alone leaves them off, so a bare chart gets Qt's
mouse events synthesised from touch).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QInputDevice, QMouseEvent, QTabletEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from core.geometry import Diagram
from gui.diagram.pointer import PointerInput
from gui.session_model import SessionModel
from gui.state import UiState

ECHO_WINDOW_S = 0.5  # synthesised mouse events this long after pen/touch input are echoes

_TABLET = {
    QEvent.Type.TabletPress,
    QEvent.Type.TabletMove,
    QEvent.Type.TabletRelease,
}
_TOUCH = {
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
}
_NATIVE_DEVICES = {
    QInputDevice.DeviceType.Stylus,
    QInputDevice.DeviceType.Airbrush,
    QInputDevice.DeviceType.Puck,
    QInputDevice.DeviceType.TouchScreen,
    QInputDevice.DeviceType.TouchPad,
}


class PenTouchInput(PointerInput):
    """The chart's pointer tools, driven by a pen or a finger as well as the mouse."""

    def __init__(
        self,
        model: SessionModel,
        state: UiState,
        parent: QWidget | None = None,
        *,
        diagram: Diagram | None = None,
    ) -> None:
        super().__init__(model, state, parent, diagram=diagram)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self._native_until = 0.0  # monotonic time until which mouse echoes are dropped
        self._native_down = False  # a pen or finger is down
        self._touch_cancelled = False  # a second finger ended this touch gesture

    # echoes ------------------------------------------------------------------------------
    def _native_seen(self) -> None:
        self._native_until = time.monotonic() + ECHO_WINDOW_S

    def _pen_or_touch_echo(self, event: QMouseEvent) -> bool:
        if not self._native_down and time.monotonic() > self._native_until:
            return False
        synthesised = event.source() != Qt.MouseEventSource.MouseEventNotSynthesized
        return synthesised or event.deviceType() in _NATIVE_DEVICES

    # dispatch ----------------------------------------------------------------------------
    def viewportEvent(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in _TABLET and isinstance(event, QTabletEvent):
            self._tablet(event)
            return True
        if kind in _TOUCH and isinstance(event, QTouchEvent):
            self._touch(event)
            return True
        return super().viewportEvent(event)

    def _take_focus(self) -> None:
        if self.focusPolicy() & Qt.FocusPolicy.ClickFocus:
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    def _tablet(self, event: QTabletEvent) -> None:
        self._native_seen()
        event.accept()
        pos = event.position()
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._native_down = True
            self._take_focus()
            self.pointer_press(pos, event.button())
        elif kind == QEvent.Type.TabletMove:
            self.pointer_move(pos)  # pressed: paints; hovering pen: hover
        else:
            self._native_down = False
            self.pointer_release(pos, event.button())

    def _touch(self, event: QTouchEvent) -> None:
        self._native_seen()
        event.accept()
        points = event.points()
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._native_down = False
            self.pointer_cancel()
            return
        if kind == QEvent.Type.TouchBegin:
            self._touch_cancelled = False
        if len(points) != 1 or self._touch_cancelled:
            if not self._touch_cancelled:  # a second finger: not a click or a stroke
                self._touch_cancelled = True
                self.pointer_cancel()
            self._native_down = False
            return
        pos = QPointF(points[0].position())
        left = Qt.MouseButton.LeftButton
        if kind == QEvent.Type.TouchBegin:
            self._native_down = True
            self._take_focus()
            self.pointer_press(pos, left)
        elif kind == QEvent.Type.TouchUpdate:
            self.pointer_move(pos)
        else:
            self._native_down = False
            self.pointer_release(pos, left)
