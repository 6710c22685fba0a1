"""The application's style: Fusion, with a toolbar overflow arrow that can be seen in both themes.

A toolbar too narrow for its controls puts the rest behind an arrow (»). Fusion draws that
arrow from a fixed dark-grey picture, about 1.1:1 against the dark theme's toolbar: in a window
under about 1,100 pixels the mode selector and Patient Mode were there but could not be seen.
:class:`AppStyle` draws the arrow in the palette's text colour, read when it is painted, so it
follows a change of theme.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

_ARROWS = {
    QStyle.StandardPixmap.SP_ToolBarHorizontalExtensionButton: False,
    QStyle.StandardPixmap.SP_ToolBarVerticalExtensionButton: True,
}


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


class AppStyle(QProxyStyle):
    """Fusion, with the toolbar overflow arrow of :class:`_Chevrons`."""

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


def install(app: QApplication) -> None:
    """Give ``app`` the :class:`AppStyle` (it owns the style from then on)."""
    app.setStyle(AppStyle())
