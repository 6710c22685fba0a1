"""Teaching overlays of the diagram: dermatomes, nerve territories, key points, disagreement.

The pure functions here read :mod:`core.clinical` and the diagram geometry and say what each
zone should show; :class:`OverlayLayer` applies that to the zone items and owns the overlay's
own scene items (territory labels, key-point markers). The legend under the diagram is
:class:`gui.diagram.legend.Legend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from core.clinical import GRADE_WEIGHT
from core.geometry import Diagram, KeyPoint
from core.model import Side
from core.names import nerve_plain_name, nerve_short_name
from core.zones import area_of, display_name
from gui import theme
from gui.diagram.atlas_overlay import (
    UNASSIGNED,
    VARIABLE,
    AreaSupply,
    atlas_supply,
    disagreement_notes,
    supply_brush,
)
from gui.diagram.items import Z_KEY_POINT, Z_OVERLAY_LABEL, TextLabel, ZoneItem

TINT_ALPHA = 120  # light palette; dark palettes use TINT_ALPHA_DARK so hues stay clear
TINT_ALPHA_DARK = 175
KEY_POINT_SOURCE = "R8"


@dataclass(frozen=True)
class Territory:
    """The overlay value of one canonical area: who supplies it and how strongly."""

    key: str  # root id ("L5") or nerve id ("sural")
    weight: float
    label: str  # short text drawn on the diagram
    note: str  # tooltip line, with source ids


def dermatome_territories(atlas_id: str, areas: Iterable[str]) -> dict[str, Territory]:
    """Painted roots of each area under ``atlas_id``: key ``L5`` or ``L4/L5`` for a split zone."""
    out: dict[str, Territory] = {}
    for area, sup in atlas_supply(atlas_id, areas).items():
        if sup.roots:
            grade = sup.drawn[0][1]
            out[area] = Territory(sup.label, GRADE_WEIGHT.get(grade, 0.0), sup.label, sup.note)
    return out


def clinical_default() -> str:
    return "consensus"


def nerve_territories(zones: Iterable[str]) -> dict[str, Territory]:
    """The peripheral nerve drawn on each zone id (see :func:`core.clinical.nerves_drawn_on`),
    by zone id."""
    from core import clinical  # loaded when an overlay is first shown

    out: dict[str, Territory] = {}
    for zone in zones:
        ids = clinical.nerves_drawn_on(zone)
        if not ids:
            continue
        nerve = clinical.nerves()[ids[0]]
        grade = nerve.zone_grade(zone) or ""
        srcs = ", ".join(nerve.sources)
        note = f"Nerve: {nerve.name} ({grade})" + (f" [{srcs}]" if srcs else "")
        extra = nerve.zone_notes.get(zone)
        if extra:
            note += f"\n{extra}"
        others = [nerve_plain_name(n) for n in ids[1:]]
        if others:
            note += "\nAlso supplied by: " + ", ".join(others)
        weight = clinical.NERVE_GRADES[grade]
        out[zone] = Territory(nerve.id, weight, nerve_short_name(nerve.id), note)
    return out


@cache
def _marker_font() -> tuple[QFont, QFontMetricsF]:
    font = QFont()
    font.setPointSizeF(8.0)
    font.setBold(True)
    return font, QFontMetricsF(font)


@cache
def _marker_halo(root: str, text_side: str) -> QPainterPath:
    """The halo of a marker's ring and text, one path (so overlaps do not darken): alike for
    every marker of one root and placement, so made once (the path unions of 30 markers took
    8 ms of each start-up)."""
    r = KeyPointMarker.RADIUS
    text_pos, _rect = KeyPointMarker.text_geometry(root, text_side)
    glyphs = QPainterPath()
    glyphs.addText(text_pos, _marker_font()[0], root)
    stroker = QPainterPathStroker()
    stroker.setWidth(3.0)
    stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    halo = stroker.createStroke(glyphs).united(glyphs)
    ring_halo = QPainterPath()
    ring_halo.addEllipse(QPointF(0, 0), r + 1.5, r + 1.5)
    hole = QPainterPath()
    hole.addEllipse(QPointF(0, 0), r - 1.5, r - 1.5)
    return halo.united(ring_halo.subtracted(hole))


class KeyPointMarker(QGraphicsItem):
    """Ring + dot + root text at an ISNCSCI key sensory point (constant pixel size).

    A marker has no click of its own: clicks and strokes go through to the zone under it
    (its shape is empty, it takes no mouse button; the zone's tooltip names the key point).
    It must not hide the mark under it either (the saddle's four markers covered most of its
    mark at 2x): the ring is open, and the halo that keeps the ring and text readable is one
    translucent layer (:data:`HALO_ALPHA`), so the symptom's colour and pattern show through.
    """

    RADIUS = 6.0
    HALO_ALPHA = 110
    """The halo's opacity (of 255, drawn once): the mark under it shows through at over half
    its strength, and the text keeps its edge against the hatching."""

    def __init__(self, kp: KeyPoint, text_side: str = "right") -> None:
        super().__init__()
        self.key_point = kp
        self.text_side = text_side
        self.setPos(kp.x, kp.y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_KEY_POINT)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._font = _marker_font()[0]
        r = self.RADIUS
        self._text_pos, text = self.text_geometry(kp.root, text_side)
        ring = QRectF(-r - 3, -r - 3, 2 * r + 6, 2 * r + 6)
        self._rect = ring.united(text.adjusted(-3, -3, 3, 3))
        self.text_rect = text
        self._halo = _marker_halo(kp.root, text_side)
        self.setToolTip(
            f"{kp.side.display} {kp.root} key sensory point (ISNCSCI), in "
            f"{display_name(kp.zone)} [{KEY_POINT_SOURCE}]"
        )

    @classmethod
    def text_geometry(cls, root: str, text_side: str) -> tuple[QPointF, QRectF]:
        """Baseline start and rectangle of the root text (item coordinates) for a placement."""
        _font, fm = _marker_font()
        r = cls.RADIUS
        w = fm.horizontalAdvance(root)
        pos = {
            "right": QPointF(r + 3, fm.ascent() / 2 - 1),
            "left": QPointF(-r - 3 - w, fm.ascent() / 2 - 1),
            "above": QPointF(-w / 2, -r - 3 - fm.descent()),
            "below": QPointF(-w / 2, r + 3 + fm.ascent()),
        }[text_side]
        return pos, QRectF(pos.x(), pos.y() - fm.ascent(), w, fm.height())

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()  # clicks go through to the zone below

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        c = theme.colors()
        halo = QColor(theme.diagram_colors().halo)
        halo.setAlpha(self.HALO_ALPHA)
        r = self.RADIUS
        origin = QPointF(0, 0)
        painter.fillPath(self._halo, halo)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(c.key_point, 1.6))
        painter.drawEllipse(origin, r, r)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.key_point)
        painter.drawEllipse(origin, 2.0, 2.0)
        painter.setFont(self._font)
        painter.setPen(c.key_point)
        painter.drawText(self._text_pos, self.key_point.root)


def label_anchors(
    items: Sequence[ZoneItem],
    keys: Mapping[str, str],
    *,
    by_zone: bool = False,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[str, str, Side, QPointF]]:
    """One label per territory per view and side: at the largest zone of that territory.

    ``keys`` maps canonical area (or, with ``by_zone``, zone id) -> territory key (root or
    nerve); with ``weights`` (same keys) the zone of the highest weight wins before the largest.
    Returns (key, view id, side, scene point).
    """
    best: dict[tuple[str, Side, str], ZoneItem] = {}
    rank = weights or {}

    def kid(it: ZoneItem) -> str:
        return it.zone_shape.id if by_zone else area_of(it.zone_shape.id)

    def order(it: ZoneItem) -> tuple[float, float]:
        return (rank.get(kid(it), 0.0), it.area)

    for it in items:
        key = keys.get(kid(it))
        if key is None:
            continue
        k = (it.zone_shape.view, it.zone_shape.side, key)
        cur = best.get(k)
        if cur is None or order(it) > order(cur):
            best[k] = it
    out: list[tuple[str, str, Side, QPointF]] = []
    for (view, side, key), it in best.items():
        x, y = it.zone_shape.label
        out.append((key, view, side, QPointF(x, y)))
    return out


class OverlayLayer:
    """Applies the overlay toggles to the zone items and owns labels and key-point markers."""

    def __init__(self, scene: QGraphicsScene, items: Sequence[ZoneItem], diagram: Diagram):
        self._scene = scene
        self._items = items
        self._diagram = diagram
        self._labels: list[TextLabel] = []
        self._markers: list[KeyPointMarker] = []
        self._areas = sorted({area_of(it.zone_shape.id) for it in items})
        self._zone_ids = sorted({it.zone_shape.id for it in items})
        self.dermatomes: dict[str, Territory] = {}
        self.supply: dict[str, AreaSupply] = {}  # every root (and blank areas) per area
        self.nerves: dict[str, Territory] = {}
        self.disagreements: dict[str, str] = {}
        self._kp_by_key: dict[tuple[str, Side], list[KeyPoint]] = {}
        for kp in diagram.key_points:
            self._kp_by_key.setdefault((kp.zone, kp.side), []).append(kp)

    def legend_roots(self) -> list[str]:
        """Every root the dermatome overlay draws (not only the strongest per area), root order."""
        from core.clinical import ROOT_IDS

        shown = {r for sup in self.supply.values() for r, _g in sup.drawn}
        return [r for r in ROOT_IDS if r in shown]

    def legend_flags(self) -> dict[str, bool]:
        """Which dermatome drawing conventions are on screen (the legend explains those)."""
        return {
            "split": any(len(sup.drawn) > 1 for sup in self.supply.values()),
            "variable": any(sup.status == VARIABLE for sup in self.supply.values()),
            "unassigned": any(sup.status == UNASSIGNED for sup in self.supply.values()),
        }

    @property
    def markers(self) -> list[KeyPointMarker]:
        return list(self._markers)

    @property
    def labels(self) -> list[TextLabel]:
        return list(self._labels)

    def apply(
        self,
        *,
        atlas: str,
        dermatomes: bool,
        nerves: bool,
        key_points: bool,
        disagreement: bool,
    ) -> None:
        self.supply = atlas_supply(atlas, self._areas) if dermatomes else {}
        self.dermatomes = dermatome_territories(atlas, self._areas) if dermatomes else {}
        self.nerves = nerve_territories(self._zone_ids) if nerves else {}  # by zone id
        self.disagreements = disagreement_notes(self._areas) if disagreement else {}
        alpha = TINT_ALPHA_DARK if theme.is_dark() else TINT_ALPHA
        for it in self._items:
            area = area_of(it.zone_shape.id)
            tint: QColor | QBrush | None = None
            edge: QColor | None = None
            notes: list[str] = []
            sup = self.supply.get(area)
            n = self.nerves.get(it.zone_shape.id)
            if sup is not None:
                tint = supply_brush(sup, alpha)
                notes.append(sup.note)
            if n is not None:
                if sup is None:
                    tint = theme.nerve_color(n.key, round(alpha * (0.45 + 0.55 * n.weight)))
                else:
                    edge = theme.nerve_color(n.key, 220)
                notes.append(n.note)
            for kp in self._kp_by_key.get(it.key, ()) if key_points else ():
                notes.append(
                    f"ISNCSCI {kp.root} key sensory point is in this zone [{KEY_POINT_SOURCE}]"
                )
            note_d = self.disagreements.get(area)
            if note_d:
                notes.append(note_d)
            it.set_overlay(tint, edge, note_d is not None, "\n".join(notes))
        self._rebuild_markers(key_points)
        self._rebuild_labels()

    def _rebuild_labels(self) -> None:
        for lb in self._labels:
            self._scene.removeItem(lb)
        self._labels = []
        dc = theme.diagram_colors()
        dark = theme.is_dark()
        # nerve names only when they are the fill (with dermatomes they are an inner edge)
        layers = [(self.dermatomes, True), ({} if self.dermatomes else self.nerves, False)]
        for terr, is_root in layers:
            if not terr:
                continue
            keys = {a: t.key for a, t in terr.items()}
            text_of = {t.key: t.label for t in terr.values()}
            weights = None if is_root else {z: t.weight for z, t in terr.items()}
            anchors = label_anchors(self._items, keys, by_zone=not is_root, weights=weights)
            for key, view, side, pt in anchors:
                if is_root and self._marker_near(key, view, side, pt):
                    continue  # the key-point marker already names this root here
                if is_root:
                    base = theme.root_color(key) if "/" not in key else theme.colors().label
                else:
                    base = theme.nerve_color(key)
                color = base.lighter(160) if dark else base.darker(170)
                lb = TextLabel(
                    text_of[key],
                    color,
                    point_size=8.5 if is_root else 7.5,
                    bold=True,
                    halo=dc.halo,
                )
                lb.setZValue(Z_OVERLAY_LABEL)
                spot = self._free_spot(
                    lb,
                    pt,
                    [
                        it
                        for it in self._items
                        if it.zone_shape.view == view
                        and keys.get(it.zone_shape.id if not is_root else area_of(it.zone_shape.id))
                        == key
                    ],
                )
                if spot is None:
                    continue  # no room beside the key points and other labels: the legend names it
                lb.setPos(spot)
                lb.setData(0, key)
                self._scene.addItem(lb)
                self._labels.append(lb)

    def _free_spot(self, label: TextLabel, pt: QPointF, zones: list[ZoneItem]) -> QPointF | None:
        """Where to put ``label``: ``pt``, or ``pt`` moved by up to two lines down or up (or by
        its width sideways) while staying inside ``zones``; the first such place clear of the
        labels already placed and of the key-point markers, else the first clear of the markers
        (labels may then touch), else ``None``: a label never covers a marker (rectangles in
        diagram units, as at the fitted zoom; the label's halo margin may overlap)."""
        rect = label.boundingRect().adjusted(2, 2, -2, -2)
        step, side = rect.height() + 1, rect.width() + 2
        lines = ((0, 0), (0, step), (0, -step), (0, 2 * step), (0, -2 * step))
        moves = (*lines, (-side, 0), (side, 0))
        places = [
            p
            for dx, dy in moves
            if (p := QPointF(pt.x() + dx, pt.y() + dy)) == pt or any(z.contains(p) for z in zones)
        ]
        markers = [m.boundingRect().translated(m.pos()) for m in self._markers]
        labels = [o.boundingRect().translated(o.pos()) for o in self._labels]
        for taken in (markers + labels, markers):
            for p in places:
                r = rect.translated(p.x(), p.y())
                if not any(r.intersects(t) for t in taken):
                    return p
        return None

    def _marker_near(self, root: str, view: str, side: Side, pt: QPointF) -> bool:
        for m in self._markers:
            kp = m.key_point
            same = kp.root == root and kp.view == view and kp.side is side
            if same and abs(kp.x - pt.x()) < 45 and abs(kp.y - pt.y()) < 45:
                return True
        return False

    def orientation_captions(self) -> list[tuple[QPointF, QRectF]]:
        """Each view's orientation caption ("heel", "toes"): its anchor in the diagram and its
        text's rectangle in pixels (captions keep their pixel size, at most this one)."""
        out = []
        for view in self._diagram.views:
            for lb in view.labels:
                if lb.kind == "orientation":
                    rect = TextLabel(lb.text, QColor(), point_size=7.0, italic=True).text_rect
                    out.append((QPointF(lb.x, lb.y), rect))
        return out

    def _rebuild_markers(self, on: bool) -> None:
        if bool(self._markers) == on:
            for m in self._markers:
                m.update()
            return
        for m in self._markers:
            self._scene.removeItem(m)
        self._markers = []
        if on:
            kps = self._diagram.key_points
            placed: list[QRectF] = []
            rings = [QRectF(k.x - 8, k.y - 8, 16, 16) for k in kps]
            captions = self.orientation_captions()
            for i, kp in enumerate(kps):
                chosen = "right"
                for side in ("right", "left", "above", "below"):
                    text = KeyPointMarker.text_geometry(kp.root, side)[1]
                    tr = text.translated(kp.x, kp.y)
                    clash = any(tr.intersects(r) for j, r in enumerate(rings) if j != i)
                    clash = clash or _meets_a_caption(kp, text, captions)
                    if not clash and not any(tr.intersects(p) for p in placed):
                        chosen = side
                        break
                m = KeyPointMarker(kp, chosen)
                placed.append(m.text_rect.translated(kp.x, kp.y))
                self._scene.addItem(m)
                self._markers.append(m)


#: The zooms a key point's text is placed for: the full-size diagram and about half of it (a
#: laptop window with the side panel open). Marker texts and captions keep their pixel size,
#: so they close in on each other as the diagram shrinks.
PLACEMENT_SCALES = (1.0, 0.5)


def _meets_a_caption(kp: KeyPoint, text: QRectF, captions: list[tuple[QPointF, QRectF]]) -> bool:
    """Whether the marker's ``text`` (pixels, around the key point) meets an orientation
    caption at any of :data:`PLACEMENT_SCALES` (the left S1's ran into "heel" below 1,100
    pixels)."""
    for s in PLACEMENT_SCALES:
        mine = QRectF(kp.x + text.x() / s, kp.y + text.y() / s, text.width() / s, text.height() / s)
        for anchor, rect in captions:
            theirs = QRectF(
                anchor.x() + rect.x() / s,
                anchor.y() + rect.y() / s,
                rect.width() / s,
                rect.height() / s,
            )
            if mine.intersects(theirs):
                return True
    return False
