"""Static line art of the chart: the skin, zone borders, limb outlines and the focus ring."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from core.geometry import Contour
from gui import theme
from gui.diagram.items import Z_BORDER, Z_FOCUS, Z_OUTLINE, Z_SKIN, cosmetic_pen


class FocusRing(QGraphicsPathItem):
    """Keyboard-focus outline around the current zone's shapes in one view.

    The ring (3 px, the palette's focus colour) lies on a 6 px halo of the diagram's label
    halo colour, so it stands out on any symptom fill (in dark mode the focus blue is close to
    the numbness fill).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_FOCUS)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self._halo = QPen()
        self.restyle()

    def restyle(self) -> None:
        ring = cosmetic_pen(theme.colors().focus, 3.0)
        halo = cosmetic_pen(theme.diagram_colors().halo, 6.0)
        for pen in (ring, halo):  # the outlines are dense: bevels look the same, cost less
            pen.setJoinStyle(Qt.PenJoinStyle.BevelJoin)
        self.setPen(ring)
        self.setBrush(Qt.BrushStyle.NoBrush)
        self._halo = halo
        self.update()

    def boundingRect(self) -> QRectF:
        return self.path().boundingRect().adjusted(-8, -8, 8, 8)

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit by the mouse

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        path = self.path()
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._halo)
        painter.drawPath(path)
        painter.setPen(self.pen())
        painter.drawPath(path)


class SkinItem(QGraphicsPathItem):
    """The skin of one view: its limb silhouettes filled, under the zones (painted by Qt)."""

    def __init__(self, path: QPainterPath, color: QColor) -> None:
        path.setFillRule(Qt.FillRule.WindingFill)
        super().__init__(path)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setBrush(color)
        self.setZValue(Z_SKIN)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class _LineArt(QGraphicsPathItem):
    """Static line art with a thin cosmetic pen, never hit by the mouse.

    Its bounds are given here: Qt would otherwise find them by stroking the whole path with the
    pen (for a view's zone borders ~10 ms at the first paint).
    """

    def __init__(self, path: QPainterPath, color: QColor, z: float, margin: float) -> None:
        super().__init__(path)
        self.setPen(cosmetic_pen(color, 1.0))
        self.setBrush(Qt.BrushStyle.NoBrush)
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._bounds = path.boundingRect().adjusted(-margin, -margin, margin, margin)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()


class BorderItem(_LineArt):
    """Every zone border of one view as one 1 px line drawing (painted by Qt)."""

    def __init__(self, path: QPainterPath, color: QColor) -> None:
        super().__init__(path, color, Z_BORDER, 2.0)


class InkItem(_LineArt):
    """Limb outlines, ``width`` device pixels wide.

    Qt strokes a cosmetic pen of at most 1 px with a fast line rasteriser, and anything wider
    with its general stroker (for these outlines ~40 times slower: tens of milliseconds a
    frame). A wider line is therefore drawn as 1 px lines side by side.
    """

    def __init__(self, path: QPainterPath, color: QColor, width: float) -> None:
        super().__init__(path, color, Z_OUTLINE, 3.0)
        self._path = path
        self._width = max(1.0, width)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        extra = self._width - 1.0
        if extra > 0.05:
            # the second line, offset diagonally by the extra width (in device pixels)
            t = painter.worldTransform()
            sx, sy = abs(t.m11()) or 1.0, abs(t.m22()) or 1.0
            d = extra / 2**0.5
            painter.translate(d / sx, d / sy)
            painter.drawPath(self._path)


class CreaseItem(_LineArt):
    """Surface lines (patella, iliac crest, popliteal crease): thin, fainter than the ink."""

    def __init__(self, path: QPainterPath, color: QColor) -> None:
        super().__init__(path, color, Z_BORDER + 0.5, 2.0)


def crease_color() -> QColor:
    """The ink colour, half way to transparent: a surface line, not an edge."""
    c = QColor(theme.diagram_colors().ink)
    c.setAlpha(150)
    return c


def contour_paths(contours: Sequence[Contour]) -> tuple[QPainterPath, QPainterPath]:
    """(ink, crease) paths of a view's open contour lines."""
    ink, crease = QPainterPath(), QPainterPath()
    for c in contours:
        target = ink if c.kind == "ink" else crease
        target.addPolygon(QPolygonF([QPointF(x, y) for x, y in c.points]))
    return ink, crease
