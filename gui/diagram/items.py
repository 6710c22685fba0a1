"""Graphics items of the body diagram and the mark bookkeeping they share.

A :class:`ZoneItem` is one zone polygon on one view; it paints its own layers in one pass
(skin, overlay tint, disagreement hatch, explore highlight, symptom fill + pattern, border,
hover) so restyling a zone repaints just that item. Labels and markers keep a constant pixel
size at every zoom (``ItemIgnoresTransformations``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping, Sequence
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
from core.model import Mark, Session, Side, Symptom
from core.zones import area_of, display_name, groups
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


@dataclass(frozen=True)
class ZoneMark:
    """What a zone item shows: a symptom at some coverage, and where it comes from."""

    symptom: Symptom
    coverage: float
    source: str  # the mark's zone id (the item's own id, its area or a group alias)


def effective_marks(
    session: Session, keys: Iterable[tuple[str, Side]]
) -> dict[tuple[str, Side], ZoneMark | None]:
    """Resolve the mark each zone key shows.

    A zone's own mark wins; otherwise the mark of its canonical area, otherwise the mark of a
    group alias containing that area (``sole``).
    """
    by_key: dict[tuple[str, Side], Mark] = {m.key: m for m in session.marks}
    group_of: dict[str, list[str]] = {}
    for g, members in groups().items():
        for a in members:
            group_of.setdefault(a, []).append(g)
    out: dict[tuple[str, Side], ZoneMark | None] = {}
    for zone, side in keys:
        m = by_key.get((zone, side))
        if m is None:
            area = area_of(zone)
            m = by_key.get((area, side))
            if m is None:
                for g in group_of.get(area, ()):
                    m = by_key.get((g, side))
                    if m is not None:
                        break
        out[(zone, side)] = None if m is None else ZoneMark(m.symptom, m.coverage, m.zone)
    return out


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


def _cosmetic(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
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
        self.mark: ZoneMark | None = None
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

    # state -------------------------------------------------------------------------------
    def refresh_tooltip(self) -> None:
        zone, side = self.key
        lines = [zone_label(zone, side)]
        if self.mark is not None:
            pct = round(self.mark.coverage * 100)
            text = f"{self.mark.symptom.display} ({pct}% of the zone)"
            if self.mark.source != zone:
                text += f", marked as {display_name(self.mark.source)}"
            lines.append(text)
        if self.overlay_note:
            lines.append(self.overlay_note)
        self.setToolTip("\n".join(lines))

    def set_mark(self, mark: ZoneMark | None) -> None:
        if mark != self.mark:
            self.mark = mark
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
        mark = self.mark
        if (
            mark is None
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
        if self.hatch:  # a pattern is drawn in device pixels: keep its spacing at 2x
            hidpi = painter.device().devicePixelRatioF() >= 1.5
            painter.setBrush(st.hatch_hidpi if hidpi else st.hatch)
            painter.drawPath(path)
        if self.highlight is not None:
            painter.setBrush(self.highlight)
            painter.drawPath(path)
        if mark is not None:
            fill, pat = theme.symptom_brush(mark.symptom, mark.coverage)
            painter.setBrush(fill)
            painter.drawPath(path)
            painter.setBrush(QBrush(pat, theme.symptom_style(mark.symptom).pattern))
            painter.drawPath(path)
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
            painter.setPen(_cosmetic(edge, 5.0))
            painter.drawPath(path)
            painter.restore()
        if self.tint_edge is not None:
            painter.save()
            painter.setClipPath(path)
            painter.setPen(_cosmetic(self.tint_edge, 5.0))
            painter.drawPath(path)
            painter.restore()
        painter.setPen(st.border)
        painter.drawPath(path)


@dataclass(frozen=True)
class _ZoneStyle:
    skin: QBrush
    border: QPen
    hover: QBrush
    hatch: QBrush
    hatch_hidpi: QBrush
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
        hidpi = QBrush(hatch, Qt.BrushStyle.DiagCrossPattern)
        hidpi.setTransform(QTransform.fromScale(2.0, 2.0))
        return _ZoneStyle(
            skin=QBrush(c.skin),
            border=_cosmetic(c.zone_border, 1.0),
            hover=QBrush(c.hover),
            hatch=QBrush(hatch, Qt.BrushStyle.DiagCrossPattern),
            hatch_hidpi=hidpi,
            no_pen=QPen(Qt.PenStyle.NoPen),
            no_brush=QBrush(),
        )


_ZONE_PAINT = ZonePaint()


def restyle_zones() -> None:
    """Make the zones' pens and brushes anew from the current palette (light / dark)."""
    _ZONE_PAINT.restyle()


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
        ring = _cosmetic(theme.colors().focus, 3.0)
        halo = _cosmetic(theme.diagram_colors().halo, 6.0)
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
        self.setPen(_cosmetic(color, 1.0))
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
        self._text = text
        self._color = color
        self._halo = halo
        self._font, fm = _font_and_metrics(point_size, bold, italic)
        w = fm.horizontalAdvance(text)
        h = fm.height()
        x = -w / 2 if anchor == "center" else (0.0 if anchor == "left" else -w)
        self._text_rect = QRectF(x, -h / 2, w, h)
        self._baseline = QPointF(x, -h / 2 + fm.ascent())
        self._rect = self._text_rect.adjusted(-3, -2, 3, 2)

    @property
    def text(self) -> str:
        return self._text

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


def coverage_to_marks(
    session: Session,
    coverage: Mapping[tuple[str, Side], float],
    symptom: Symptom,
    *,
    erase: bool,
    fine_zones_of: Mapping[tuple[str, Side], tuple[str, ...]],
) -> tuple[Mark, ...]:
    """Merge a brush (or eraser) stroke's coverage into the session's marks.

    Brush: a zone painted to at least :data:`core.brush.MIN_MARK_SHARE` takes the brush's
    symptom (a thinner graze leaves it as it was); its coverage becomes ``max(old, painted)``
    when it already had that symptom, else ``painted``.
    Eraser: ``new = old - erased``; marks under ``MIN_MARK_SHARE`` are removed. Erasing a
    finer zone whose mark is inherited from its whole area first splits the area mark into the
    area's finer zones (``fine_zones_of[(area, side)]``) so only the erased part changes.
    """
    from core.brush import MIN_MARK_SHARE  # loaded with the first stroke (numpy)

    marks: dict[tuple[str, Side], Mark] = {m.key: m for m in session.marks}
    for (zone, side), frac in sorted(coverage.items()):
        if frac <= 0:
            continue
        if not erase:
            if frac < MIN_MARK_SHARE:
                continue  # a graze: shown as paint while drawn, marks nothing
            old = marks.get((zone, side))
            cov = frac
            if old is not None and old.symptom is symptom:
                cov = max(old.coverage, frac)
            marks[(zone, side)] = Mark(zone, side, symptom, min(1.0, cov))
            continue
        old = marks.get((zone, side))
        if old is None:
            area = area_of(zone)
            parent = marks.get((area, side)) if area != zone else None
            if parent is None:
                continue
            del marks[(area, side)]
            for fz in fine_zones_of.get((area, side), ()):
                marks.setdefault((fz, side), Mark(fz, side, parent.symptom, parent.coverage))
            old = marks.get((zone, side))
            if old is None:
                continue
        new = old.coverage - frac
        if new < MIN_MARK_SHARE:
            del marks[(zone, side)]
        else:
            marks[(zone, side)] = Mark(zone, side, old.symptom, new)
    # keep the session's order for unchanged marks, new ones after
    out = [marks.pop(m.key) for m in session.marks if m.key in marks]
    out.extend(marks.values())
    return tuple(out)
