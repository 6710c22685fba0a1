"""The brush / eraser stroke drawn while painting."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.diagram.items import Z_STROKE


class StrokeItem(QGraphicsItem):
    """The translucent brush/eraser stroke shown while painting (scene-unit width).

    Each mouse move appends one segment and repaints only that segment's rectangle; a paint
    draws only the segments near the exposed rectangle (found through a coarse grid of
    segment buckets), as one path so the translucent pen never doubles up. The cost of a move
    does not grow with the stroke's length.
    """

    BUCKET = 16.0
    GROW = 48.0

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z_STROKE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._pen = QPen(Qt.PenStyle.NoPen)
        self._pts: list[tuple[float, float]] = []
        self._buckets: dict[tuple[int, int], list[int]] = {}
        self._boxes: list[tuple[float, float, float, float]] = []
        self._indexed = 0  # segments filed into the buckets (the rest at the next paint)
        self._rect = QRectF()
        self._pad = 1.0

    def start(self, p: QPointF, width: float, color: QColor) -> None:
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.prepareGeometryChange()
        self._pen = pen
        self._pad = width / 2 + 1.0
        self._pts = []
        self._buckets = {}
        self._boxes = []
        self._indexed = 0
        self._rect = QRectF()
        self._append(p.x(), p.y())
        self.show()

    def extend(self, p: QPointF) -> None:
        self._append(p.x(), p.y())

    def _append(self, x: float, y: float) -> None:
        i = len(self._pts)
        self._pts.append((x, y))
        ax, ay = self._pts[i - 1] if i else (x, y)
        pad = self._pad
        x0, y0, x1, y1 = min(ax, x) - pad, min(ay, y) - pad, max(ax, x) + pad, max(ay, y) + pad
        self._boxes.append((x0, y0, x1, y1))
        seg = QRectF(x0, y0, x1 - x0, y1 - y0)
        if not self._rect.contains(seg):
            # grow in big steps: a geometry change repaints the whole stroke
            m = self.GROW
            self.prepareGeometryChange()
            grown = seg.adjusted(-m, -m, m, m)
            self._rect = self._rect.united(grown) if i else grown
        self.update(seg)

    def _index_new(self) -> None:
        """File the segments added since the last paint into the grid buckets."""
        b = self.BUCKET
        buckets = self._buckets
        for i in range(self._indexed, len(self._boxes)):
            x0, y0, x1, y1 = self._boxes[i]
            for gx in range(int(x0 // b), int(x1 // b) + 1):
                for gy in range(int(y0 // b), int(y1 // b) + 1):
                    buckets.setdefault((gx, gy), []).append(i)
        self._indexed = len(self._boxes)

    def finish(self) -> None:
        self.hide()
        self.prepareGeometryChange()
        self._pts = []
        self._buckets = {}
        self._boxes = []
        self._indexed = 0
        self._rect = QRectF()

    def path(self) -> QPainterPath:
        """The whole stroke as one path."""
        return self._path_of(range(len(self._pts)))

    def pen(self) -> QPen:
        return QPen(self._pen)

    def _path_of(self, indices: Iterable[int]) -> QPainterPath:
        path = QPainterPath()
        pts = self._pts
        prev = -2
        for i in indices:
            if i != prev + 1:
                ax, ay = pts[i - 1] if i else pts[0]
                path.moveTo(ax, ay)
            x, y = pts[i]
            path.lineTo(x, y)
            prev = i
        return path

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if not self._pts:
            return
        self._index_new()
        r = option.exposedRect
        rx0, ry0, rx1, ry1 = r.left(), r.top(), r.right(), r.bottom()
        b = self.BUCKET
        cand: set[int] = set()
        for gx in range(int(rx0 // b), int(rx1 // b) + 1):
            for gy in range(int(ry0 // b), int(ry1 // b) + 1):
                cand.update(self._buckets.get((gx, gy), ()))
        boxes = self._boxes
        wanted = [
            i
            for i in cand
            if boxes[i][0] <= rx1
            and boxes[i][2] >= rx0
            and boxes[i][1] <= ry1
            and boxes[i][3] >= ry0
        ]
        if not wanted:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path_of(sorted(wanted)))
