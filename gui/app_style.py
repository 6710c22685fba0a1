"""The application's style: Fusion, with the marks it draws too faintly made visible in both themes.

- A toolbar too narrow for its controls puts the rest behind an arrow (»). Fusion draws that
  arrow from a fixed dark-grey picture, about 1.1:1 against the dark theme's toolbar: in a
  window under about 1,100 pixels the mode selector and Patient Mode were there but could not
  be seen. :class:`AppStyle` draws the arrow in the palette's text colour, read when it is
  painted, so it follows a change of theme.
- Check boxes and radio buttons: Fusion fills the box or circle with the base colour and
  outlines it a little darker than the window, about 1.2:1 against a dark panel (the red-flag
  boxes and the quiz's answer circles all but vanished). They get an outline in the text colour
  too, 3:1 or more in both themes; item views draw their check boxes the same way.
- The keyboard focus: Fusion shows it by a translucent tint of the highlight (the focus frame
  of tabs, check boxes, flat buttons and list rows; the frame of combo boxes, spin boxes, text
  fields and push buttons), 1.5:1 to 2.4:1. A solid ring in the theme's focus colour is drawn
  there instead or over it, as Fusion does only once the keyboard has been used in the window
  (:func:`focus_ring`, also drawn by text with links).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QWidget,
)

from gui import theme

_ARROWS = {
    QStyle.StandardPixmap.SP_ToolBarHorizontalExtensionButton: False,
    QStyle.StandardPixmap.SP_ToolBarVerticalExtensionButton: True,
}
_KEYBOARD_FOCUS = QStyle.StateFlag.State_HasFocus | QStyle.StateFlag.State_KeyboardFocusChange
_FIELDS = (QStyle.ComplexControl.CC_ComboBox, QStyle.ComplexControl.CC_SpinBox)
_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


class _Chevrons(QIconEngine):
    """Two chevrons (» or, for a vertical toolbar, pointing down) in the text colour of the
    application palette in force when painted."""

    def __init__(self, vertical: bool) -> None:
        super().__init__()
        self.vertical = vertical

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        group = (
            QPalette.ColorGroup.Disabled
            if mode == QIcon.Mode.Disabled
            else QPalette.ColorGroup.Active
        )
        color = QColor(QApplication.palette().color(group, QPalette.ColorRole.WindowText))
        side = min(rect.width(), rect.height())
        unit = side / 8.0
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(rect.center().x() + 0.5, rect.center().y() + 0.5)
        if self.vertical:
            painter.rotate(90)
        pen = QPen(color, max(1.0, unit * 0.9))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for dx in (-1.6 * unit, 0.6 * unit):
            painter.drawPolyline(
                [
                    QPointF(dx - unit, -1.8 * unit),
                    QPointF(dx + unit, 0.0),
                    QPointF(dx - unit, 1.8 * unit),
                ]
            )
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        if pm.isNull():  # an empty size
            return pm
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return _Chevrons(self.vertical)


def _outline_indicator(element: QStyle.PrimitiveElement, option: QStyleOption, p: QPainter) -> None:
    """An outline in the text colour over Fusion's check box or radio circle."""
    enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
    color = option.palette.color(QPalette.ColorRole.WindowText)
    color.setAlphaF(0.8 if enabled else 0.4)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(color, 1.2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    rect = QRectF(option.rect).adjusted(0.6, 0.6, -1.6, -1.6)
    if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
        p.drawEllipse(rect)
    else:
        p.drawRoundedRect(rect, 2.0, 2.0)
    p.restore()


def focus_ring(rect: QRect, p: QPainter) -> None:
    """A 2-pixel ring in the theme's focus colour just inside ``rect``."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(theme.colors().focus, 2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 2.0, 2.0)
    p.restore()


class AppStyle(QProxyStyle):
    """Fusion, with the overflow arrow of :class:`_Chevrons`, outlined check boxes and radio
    buttons, and a focus ring that can be seen."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def standardIcon(
        self,
        standardIcon: QStyle.StandardPixmap,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> QIcon:
        if standardIcon in _ARROWS:
            return QIcon(_Chevrons(_ARROWS[standardIcon]))
        return super().standardIcon(standardIcon, option, widget)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.ControlElement.CE_FocusFrame:  # Qt's frame around a widget
            focus_ring(option.rect, painter)  # (the style's own fills it with the text colour)
            return
        super().drawControl(element, option, painter, widget)
        focused = option.state & _KEYBOARD_FOCUS == _KEYBOARD_FOCUS
        if element == QStyle.ControlElement.CE_PushButtonBevel and focused:
            focus_ring(option.rect, painter)  # Fusion's tinted outline: 2.35:1 when light
        elif element == QStyle.ControlElement.CE_TabBarTabLabel and focused:
            # a tab's focus frame is drawn with its label, not through this style's primitive
            inset = 1 + self.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, widget)
            focus_ring(option.rect.adjusted(inset, inset, -inset, -inset), painter)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)
        # Fusion shows a focused combo box or spin box by a highlight-tinted frame, 2.35:1 in
        # the light theme
        if control in _FIELDS and option.state & _KEYBOARD_FOCUS == _KEYBOARD_FOCUS:
            focus_ring(option.rect, painter)

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            # Fusion draws it only once the keyboard has moved the focus in this window
            if option.state & QStyle.StateFlag.State_KeyboardFocusChange:
                focus_ring(option.rect, painter)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in _INDICATORS:
            _outline_indicator(element, option, painter)
        elif (
            element == QStyle.PrimitiveElement.PE_FrameLineEdit  # a text field's frame
            and option.state & _KEYBOARD_FOCUS == _KEYBOARD_FOCUS
        ):
            focus_ring(option.rect, painter)


def install(app: QApplication) -> None:
    """Give ``app`` the :class:`AppStyle` (it owns the style from then on)."""
    app.setStyle(AppStyle())
