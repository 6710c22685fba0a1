"""Check boxes and radio buttons whose box or circle can be seen in both themes.

Fusion fills the box or circle with the base colour and outlines it a little darker than the
window, which is about 1.2:1 against a dark panel: the red-flag check boxes and the quiz's
answer circles all but vanished in the dark theme. :func:`visible` gives a widget Fusion's
drawing plus an outline in the text colour (3:1 or more against the panel in both themes);
item views draw their check boxes through the same primitive (the region list).
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


class _OutlinedIndicators(QProxyStyle):
    """Fusion, with check-box and radio-button indicators outlined in the text colour."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _INDICATORS:
            return
        enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
        color = option.palette.color(QPalette.ColorRole.WindowText)
        color.setAlphaF(0.8 if enabled else 0.4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect).adjusted(0.6, 0.6, -1.6, -1.6)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect)
        else:
            painter.drawRoundedRect(rect, 2.0, 2.0)
        painter.restore()


@cache
def _outlined() -> _OutlinedIndicators:
    style = _OutlinedIndicators("Fusion")
    style.setParent(QApplication.instance())  # Qt deletes it with the application
    return style


W = TypeVar("W", bound=QWidget)


def visible(widget: W) -> W:
    """``widget`` (a check box, a radio button, or an item view with check boxes) drawn with
    :class:`_OutlinedIndicators`."""
    widget.setStyle(_outlined())
    return widget
