"""Graphics items of the body diagram: zones and text labels.

Line art is in :mod:`gui.diagram.line_art`, the brush stroke in :mod:`gui.diagram.stroke`, and
which mark a zone shows in :mod:`core.marks`.

A :class:`ZoneItem` is one zone polygon on one view; it paints its own layers in one pass
(skin, overlay tint, disagreement hatch, explore highlight, symptom fill + pattern, border,
hover) so restyling a zone repaints just that item. Labels and markers keep a constant pixel
size at every zoom (``ItemIgnoresTransformations``).
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from PySide6.QtCore import QByteArray, QDataStream, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from core.geometry import Point, ZoneShape
from core.marks import ZoneMark
from core.model import Side
from core.zones import display_name
from gui import theme

# item data roles (QGraphicsItem.data keys)
DATA_ZONE = 0
DATA_SIDE = 1
DATA_VIEW = 2

Z_SKIN = -1.0
Z_ZONE = 0.0
Z_BORDER = 5.0
Z_OUTLINE = 10.0
Z_CAPTION = 12.0
Z_OVERLAY_LABEL = 20.0
Z_KEY_POINT = 22.0
Z_FOCUS = 15.0  # above the line art, under labels and key points (they stay readable)
Z_STROKE = 40.0
STRIPE_PX = 7.0
"""Width in screen pixels of each symptom's diagonal band when a zone holds several symptoms."""


def zone_label(zone: str, side: Side | str) -> str:
    """Display name with side, e.g. ``Right · Dorsum of foot (medial)``."""
    return f"{Side(side).display} · {display_name(zone)}"


def polygon_path(points: Iterable[Point]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def polygon_paths(polygons: Sequence[Sequence[Point]]) -> list[QPainterPath]:
    """Closed paths of many polygons at once (same result as :func:`polygon_path` each).

    The vertices go to Qt in one binary stream (``QDataStream`` reads ``QPolygonF``s), which
    is several times faster than building a ``QPointF`` per vertex in Python.
    """
    data = b"".join(
        struct.pack(f">I{2 * len(pts)}d", len(pts), *chain.from_iterable(pts)) for pts in polygons
    )
    stream = QDataStream(QByteArray(data))
    out: list[QPainterPath] = []
    for _ in polygons:
        poly = QPolygonF()
        stream >> poly
        path = QPainterPath()
        path.addPolygon(poly)
        path.closeSubpath()
        out.append(path)
    return out


def cosmetic_pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


class ZoneItem(QGraphicsPathItem):
    """One zone polygon of one view; paints every per-zone layer itself."""

    def __init__(self, shape: ZoneShape, path: QPainterPath | None = None) -> None:
        super().__init__(path if path is not None else polygon_path(shape.points))
        self.zone_shape = shape
        self.key: tuple[str, Side] = (shape.id, shape.side)
        self.setData(DATA_ZONE, shape.id)
        self.setData(DATA_SIDE, shape.side.value)
        self.setData(DATA_VIEW, shape.view)
        self.setZValue(Z_ZONE)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setAcceptHoverEvents(False)
        self.marks: tuple[ZoneMark, ...] = ()  # one per symptom, in Symptom order
        self.tint: QColor | QBrush | None = None  # overlay fill (dermatome or nerve)
        self.tint_edge: QColor | None = None  # second overlay as an inner edge
        self.hatch = False  # atlases disagree here
        self.highlight: QColor | None = None
        self.hovered = False
        self.overlay_note = ""  # extra tooltip lines from overlays
        self._area = -1.0  # computed on first use
        self._path = self.path()  # zones never change shape
        self._bounds = self._path.boundingRect().adjusted(-2, -2, 2, 2)
        self.refresh_tooltip()

    def _shoelace(self) -> float:
        pts = self.zone_shape.points
        s = 0.0
        for i in range(len(pts)):
            x0, y0 = pts[i - 1]
            x1, y1 = pts[i]
            s += x0 * y1 - x1 * y0
        return s / 2

    @property
    def area(self) -> float:
        """Polygon area in diagram units squared."""
        if self._area < 0:
            self._area = float(abs(self._shoelace()))
        return self._area

    def boundingRect(self) -> QRectF:
        return self._bounds

    def distance_to(self, p: QPointF) -> float:
        """How far scene point ``p`` is from this zone, in diagram units (0 inside it)."""
        if self._path.contains(p):
            return 0.0
        x, y = p.x(), p.y()
        pts = self.zone_shape.points
        best = math.inf
        for (ax, ay), (bx, by) in zip(pts, (*pts[1:], pts[0]), strict=True):
            dx, dy = bx - ax, by - ay
            seg = dx * dx + dy * dy
            t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / seg)) if seg else 0.0
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
        return best

    # state -------------------------------------------------------------------------------
    @property
    def mark(self) -> ZoneMark | None:
        """The first symptom shown (``None`` when unmarked); :attr:`marks` holds them all."""
        return self.marks[0] if self.marks else None

    def refresh_tooltip(self) -> None:
        zone, side = self.key
        lines = [zone_label(zone, side)]
        for m in self.marks:
            text = f"{m.symptom.display} ({round(m.coverage * 100)}% of the zone)"
            if m.source != zone:
                text += f", marked as {display_name(m.source)}"
            lines.append(text)
        if self.overlay_note:
            lines.append(self.overlay_note)
        self.setToolTip("\n".join(lines))

    def set_marks(self, marks: tuple[ZoneMark, ...]) -> None:
        if marks != self.marks:
            self.marks = marks
            self.refresh_tooltip()
            self.update()

    def set_overlay(
        self, tint: QColor | QBrush | None, edge: QColor | None, hatch: bool, note: str
    ) -> None:
        if (tint, edge, hatch, note) != (self.tint, self.tint_edge, self.hatch, self.overlay_note):
            self.tint, self.tint_edge, self.hatch, self.overlay_note = tint, edge, hatch, note
            self.refresh_tooltip()
            self.update()

    def set_highlight(self, color: QColor | None) -> None:
        if color != self.highlight:
            self.highlight = color
            self.update()

    def set_hovered(self, on: bool) -> None:
        if on != self.hovered:
            self.hovered = on
            self.update()

    # painting ----------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        # A plain zone draws nothing itself: its skin is the view's SkinItem under every zone
        # and its border the view's BorderItem (one native item each, no Python per zone).
        marks = self.marks
        if (
            not marks
            and self.tint is None
            and not self.hatch
            and self.highlight is None
            and not self.hovered
            and self.tint_edge is None
        ):
            return
        # the view's painter is already antialiased; pens and brushes come from ZonePaint
        st = _ZONE_PAINT.get()
        path = self._path
        painter.setPen(st.no_pen)
        painter.setBrush(st.skin)
        painter.drawPath(path)
        if self.tint is not None:
            painter.setBrush(self.tint)
            painter.drawPath(path)
        if self.hatch:
            painter.setBrush(st.hatch)
            painter.drawPath(path)
        if self.highlight is not None:
            painter.setBrush(self.highlight)
            painter.drawPath(path)
        if len(marks) == 1:
            _paint_symptom(painter, path, marks[0])
        elif marks:
            # several symptoms: diagonal bands, one symptom's colour and pattern per band
            t = painter.worldTransform()
            band = STRIPE_PX / max(1e-6, abs(t.determinant()) ** 0.5)
            for i, m in enumerate(marks):
                painter.save()
                painter.setClipPath(path)
                painter.setClipPath(
                    symptom_bands(self._bounds, band, len(marks), i),
                    Qt.ClipOperation.IntersectClip,
                )
                _paint_symptom(painter, path, m)
                painter.restore()
        mark = self.mark
        if self.hovered:
            painter.setBrush(st.hover)
            painter.drawPath(path)
        painter.setBrush(st.no_brush)
        if mark is not None and (self.tint is not None or self.hatch):
            # over an overlay, outline the marked zone in its symptom colour so marks stay clear
            edge = QColor(theme.symptom_style(mark.symptom).fill)
            edge.setAlpha(round(255 * max(0.4, min(1.0, mark.coverage))))
            painter.save()
            painter.setClipPath(path)
            painter.setPen(cosmetic_pen(edge, 5.0))
            painter.drawPath(path)
            painter.restore()
        if self.tint_edge is not None:
            painter.save()
            painter.setClipPath(path)
            painter.setPen(cosmetic_pen(self.tint_edge, 5.0))
            painter.drawPath(path)
            painter.restore()
        painter.setPen(st.border)
        painter.drawPath(path)


def _paint_symptom(painter: QPainter, path: QPainterPath, mark: ZoneMark) -> None:
    fill, pat = theme.symptom_brush(mark.symptom, mark.coverage)
    painter.setBrush(fill)
    painter.drawPath(path)
    painter.setBrush(QBrush(pat, theme.symptom_style(mark.symptom).pattern))
    painter.drawPath(path)


def symptom_bands(rect: QRectF, band: float, count: int, index: int) -> QPainterPath:
    """Diagonal bands (``/``, ``band`` wide) covering ``rect``: every ``count``-th band from
    ``index``. Anchored to the scene's origin, so neighbouring zones' bands line up."""
    w = band * 2**0.5  # along x + y
    x0, y0, x1, y1 = rect.left(), rect.top(), rect.right(), rect.bottom()
    first = int((x0 + y0) // w) - count
    last = int((x1 + y1) // w) + 1
    out = QPainterPath()
    start = first + (index - first) % count
    for j in range(start, last + 1, count):
        u0, u1 = j * w, (j + 1) * w
        out.addPolygon(
            QPolygonF(
                [
                    QPointF(u0 - y0, y0),
                    QPointF(u1 - y0, y0),
                    QPointF(u1 - y1, y1),
                    QPointF(u0 - y1, y1),
                ]
            )
        )
        out.closeSubpath()
    return out


@dataclass(frozen=True)
class _ZoneStyle:
    skin: QBrush
    border: QPen
    hover: QBrush
    hatch: QBrush
    no_pen: QPen
    no_brush: QBrush


class ZonePaint:
    """The pens and brushes every zone paints with, made once per palette.

    Painting a zone must not build pens or read the palette (done ~100 times per frame);
    :meth:`restyle` (called by the view when the palette changes) makes them anew.
    """

    def __init__(self) -> None:
        self._style: _ZoneStyle | None = None

    def get(self) -> _ZoneStyle:
        st = self._style
        if st is None:
            st = self._style = self._make()
        return st

    def restyle(self) -> None:
        self._style = None

    @staticmethod
    def _make() -> _ZoneStyle:
        c = theme.colors()
        hatch = QColor(c.disagreement)
        hatch.setAlpha(120)
        return _ZoneStyle(
            skin=QBrush(c.skin),
            border=cosmetic_pen(c.zone_border, 1.0),
            hover=QBrush(c.hover),
            hatch=QBrush(hatch, Qt.BrushStyle.DiagCrossPattern),
            no_pen=QPen(Qt.PenStyle.NoPen),
            no_brush=QBrush(),
        )


_ZONE_PAINT = ZonePaint()


def restyle_zones() -> None:
    """Make the zones' pens and brushes anew from the current palette (light / dark)."""
    _ZONE_PAINT.restyle()


_FONTS: dict[tuple[float, bool, bool], tuple[QFont, QFontMetricsF]] = {}


def _font_and_metrics(point_size: float, bold: bool, italic: bool) -> tuple[QFont, QFontMetricsF]:
    """One font and its metrics per style, shared by every label (the metrics are costly)."""
    key = (point_size, bold, italic)
    got = _FONTS.get(key)
    if got is None:
        font = QFont()
        font.setPointSizeF(point_size)
        font.setBold(bold)
        font.setItalic(italic)
        got = _FONTS[key] = (font, QFontMetricsF(font))
    return got


def forget_fonts() -> None:
    """Drop the shared label fonts (after the application font changed)."""
    _FONTS.clear()


class TextLabel(QGraphicsItem):
    """Text centred on its position with a halo, constant pixel size at every zoom."""

    def __init__(
        self,
        text: str,
        color: QColor,
        *,
        point_size: float = 9.0,
        bold: bool = False,
        italic: bool = False,
        halo: QColor | None = None,
        anchor: str = "center",
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_CAPTION)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._color = color
        self._halo = halo
        self._anchor = anchor
        self._font, self._metrics = _font_and_metrics(point_size, bold, italic)
        self._layout(text)

    def _layout(self, text: str) -> None:
        fm = self._metrics
        self._text = text
        w = fm.horizontalAdvance(text)
        h = fm.height()
        x = -w / 2 if self._anchor == "center" else (0.0 if self._anchor == "left" else -w)
        self._text_rect = QRectF(x, -h / 2, w, h)
        self._baseline = QPointF(x, -h / 2 + fm.ascent())
        self._rect = self._text_rect.adjusted(-3, -2, 3, 2)

    @property
    def text(self) -> str:
        return self._text

    @property
    def text_rect(self) -> QRectF:
        """The text's own box (item coordinates), without the margin of the bounding rect."""
        return QRectF(self._text_rect)

    def set_text(self, text: str) -> None:
        if text != self._text:
            self.prepareGeometryChange()
            self._layout(text)
            self.update()

    def set_colors(self, color: QColor, halo: QColor | None) -> None:
        self._color, self._halo = color, halo
        self.update()

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
        painter.setFont(self._font)
        if self._halo is not None:
            draw_halo(painter, self._baseline, self._text, self._halo, 1.5)
        painter.setPen(self._color)
        painter.drawText(self._baseline, self._text)


def device_rect(
    item: QGraphicsItem, to_view: QTransform, inset: tuple[float, float] = (0, 0)
) -> QRectF:
    """The viewport rectangle of an item of constant pixel size (a :class:`TextLabel` or a key
    point marker, drawn at its own ``scale()``) under the scene-to-viewport ``to_view``, less
    ``inset`` pixels on each side."""
    dx, dy = inset
    r = item.boundingRect().adjusted(dx, dy, -dx, -dy)
    k = item.scale()
    box = QRectF(r.x() * k, r.y() * k, r.width() * k, r.height() * k)
    return box.translated(to_view.map(item.pos()))


def show_uncovered(
    labels: Iterable[QGraphicsItem],
    to_view: QTransform,
    taken: Iterable[QRectF] = (),
    inset: tuple[float, float] = (2, 2),
) -> None:
    """Show each of ``labels`` only where it covers none of the ``taken`` viewport rectangles
    and no label shown before it. Labels placed apart at the diagram's own size keep their size
    in pixels when a view shrinks the drawing, and there they would cover each other; a hidden
    label's zone still names its roots in its tooltip."""
    shown = list(taken)
    for lb in labels:
        box = device_rect(lb, to_view, inset)
        free = not any(box.intersects(t) for t in shown)
        lb.setVisible(free)
        if free:
            shown.append(box)


_HALO_DIRS = tuple(
    (dx / (2**0.5 if dx and dy else 1.0), dy / (2**0.5 if dx and dy else 1.0))
    for dx in (-1, 0, 1)
    for dy in (-1, 0, 1)
    if dx or dy
)


def draw_halo(painter: QPainter, baseline: QPointF, text: str, color: QColor, r: float) -> None:
    """A halo of ``r`` pixels around ``text`` (the painter's font): the text in ``color``
    drawn eight times around its place. Cheap, as glyphs come from Qt's cache; stroking the
    glyph outlines costs ~0.2 ms a label."""
    painter.setPen(color)
    x, y = baseline.x(), baseline.y()
    for dx, dy in _HALO_DIRS:
        painter.drawText(QPointF(x + dx * r, y + dy * r), text)
