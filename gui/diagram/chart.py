"""The leg and foot chart as drawn: every view of ``assets/diagram/views.json`` at once, the
zones styled by their marks, highlights, the focus ring, overlays and their legend.

:class:`ChartView` shows the session model's marks and the UI state (overlays, highlight,
current zone); it never changes them. Input (pointer tools, keyboard) is added by
:mod:`gui.diagram.pointer` and :mod:`gui.diagram.view`. Only the zones whose mark changed are
repainted.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QRegion,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from core.geometry import Diagram, Point, load_diagram
from core.marks import ZoneMark, effective_marks
from core.model import Session, Side
from core.zones import area_of, display_name
from gui import theme
from gui.diagram.captions import CAPTION_SCALE_MIN, CaptionWords
from gui.diagram.items import (
    TextLabel,
    ZoneItem,
    device_rect,
    polygon_paths,
    restyle_zones,
    show_uncovered,
)
from gui.diagram.legend import Legend
from gui.diagram.line_art import (
    BorderItem,
    CreaseItem,
    FocusRing,
    InkItem,
    SkinItem,
    contour_paths,
    crease_color,
)
from gui.diagram.overlays import OverlayLayer
from gui.diagram.zoom import LABEL_SCALE_MIN, ZoomableView
from gui.session_model import SessionModel
from gui.state import Mode, UiState

_NO_MARKS = Session()
SEAM_PX = 4
"""A click (or hover) on no zone but within this many pixels of two or more goes to the
nearest: the saddle's left and right halves meet in a notch at the midline, the perianal
centre under the S4-5 key points, where a click marked nothing ("Nothing marked")."""


def _nerve_legend(nerve_id: str, short: str) -> str:
    from core.names import nerve_full_name

    full = nerve_full_name(nerve_id)
    return full if full.startswith(short) else f"{short} – {full}"


class ChartView(ZoomableView):
    """The chart bound to a session model and the UI state (display only)."""

    def __init__(
        self,
        model: SessionModel,
        state: UiState,
        parent: QWidget | None = None,
        *,
        diagram: Diagram | None = None,
    ) -> None:
        super().__init__(parent)
        # A viewport made here, so Python already knows its type: asking Qt for the default one
        # makes PySide6 resolve a bare QWidget* (it builds every QtWidgets class, ~9 ms).
        self._viewport = QWidget()
        self.setViewport(self._viewport)
        self._model = model
        self._state = state
        self._diagram = diagram or load_diagram()
        self.setObjectName("diagram_view")
        self.setAccessibleName("Body diagram")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setMouseTracking(True)
        self._viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, False)

        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setScene(self._scene)

        self._items: list[ZoneItem] = []
        self._by_key: dict[tuple[str, Side], list[ZoneItem]] = {}
        self._ink: list[InkItem] = []
        self._creases: list[CreaseItem] = []
        self._skin: list[tuple[SkinItem, BorderItem]] = []  # per view: skin fill, zone borders
        self._captions: list[tuple[TextLabel, str]] = []
        self._build()
        self._caption_texts = [item.text for item, _kind in self._captions]  # the asset's words
        self._words = CaptionWords(self._captions)
        self._room = self._words.room
        self._fine_of: dict[tuple[str, Side], tuple[str, ...]] = {}
        for zone, side in self._by_key:
            area = area_of(zone)
            if area != zone:
                self._fine_of[(area, side)] = (*self._fine_of.get((area, side), ()), zone)

        # one ring per view showing the current zone, so moving the focus repaints only the
        # rings' own neighbourhoods (a single ring spanning views repainted most of the diagram)
        self._rings: list[FocusRing] = []
        self._ring_shown = True  # False after a click marked a zone, until a key is pressed

        self._overlay = OverlayLayer(self._scene, self._items, self._diagram)
        self._legend = Legend(self)

        self._shown: dict[tuple[str, Side], tuple[ZoneMark, ...]] = dict.fromkeys(self._by_key, ())
        self._highlight: dict[tuple[str, Side], float] = {}
        self._show_scroll_bars(False)
        self._legend_h = 0
        self._legend_w = 0
        self.painted_at = 0.0
        self.paint_log: list[float] | None = None  # a list collects paint end times

        self._restyle_theme()
        self._connect_model(model)
        state.overlays_changed.connect(self._sync_overlays)
        state.learning_atlas_changed.connect(self._sync_overlays)
        state.current_zone_changed.connect(self._on_current_zone)
        state.highlight_changed.connect(self._on_state_highlight)
        state.mode_changed.connect(lambda _m: self._sync_marks())
        state.mode_changed.connect(self._sync_overlays)  # the map in use (UiState.map_of)
        self._cache_items()
        self._sync_marks()  # (_restyle_theme above already applied the overlays)
        self._sync_focus()

    # construction ------------------------------------------------------------------------
    def _build(self) -> None:
        d = self._diagram
        pad = 12.0
        self._content = QRectF(-pad, -pad, d.width + 2 * pad, d.height + 2 * pad)
        self._scene.setSceneRect(self._content)
        # every polygon of the artwork goes to Qt in one binary stream
        polys: list[tuple[Point, ...]] = []
        for view in d.views:
            polys.extend(shape.points for shape in view.zones)
            polys.extend(outline.points for outline in view.outlines)
            polys.extend(view.body)
        paths = iter(polygon_paths(polys))
        c = theme.colors()
        for view in d.views:
            borders = QPainterPath()
            for shape in view.zones:
                zone_path = next(paths)
                it = ZoneItem(shape, zone_path)
                self._scene.addItem(it)
                self._items.append(it)
                self._by_key.setdefault(it.key, []).append(it)
                borders.addPath(zone_path)
            path = QPainterPath()
            for _outline in view.outlines:
                path.addPath(next(paths))
            body = QPainterPath()
            for _polygon in view.body:
                body.addPath(next(paths))
            skin_path = QPainterPath(path)
            skin_path.addPath(body)
            skin = SkinItem(skin_path, c.skin)
            self._scene.addItem(skin)
            border = BorderItem(borders, c.zone_border)
            self._scene.addItem(border)
            self._skin.append((skin, border))
            ink_path, creases = contour_paths(view.contours)
            ink_path.addPath(path)
            ink = InkItem(ink_path, theme.diagram_colors().ink, 1.6)
            self._scene.addItem(ink)
            self._ink.append(ink)
            if not creases.isEmpty():
                crease = CreaseItem(creases, crease_color())
                self._scene.addItem(crease)
                self._creases.append(crease)
            for lb in view.labels:
                size, bold = {"title": (10.0, True), "side": (8.5, True)}.get(lb.kind, (7.0, False))
                item = TextLabel(
                    lb.text, QColor(), point_size=size, bold=bold, italic=lb.kind == "orientation"
                )
                item.setPos(lb.x, lb.y)
                item.setData(0, lb.kind)
                self._scene.addItem(item)
                self._captions.append((item, lb.kind))

    # public API --------------------------------------------------------------------------
    @property
    def diagram(self) -> Diagram:
        return self._diagram

    @property
    def zone_items(self) -> list[ZoneItem]:
        """Every zone item (one per zone shape per view)."""
        return list(self._items)

    def items_of(self, zone: str, side: Side | str) -> list[ZoneItem]:
        """Items of a zone id on one side; an area id also returns its finer zones' items."""
        side = Side(side)
        out = list(self._by_key.get((zone, side), ()))
        for fz in self._fine_of.get((zone, side), ()):
            out.extend(self._by_key.get((fz, side), ()))
        return out

    @property
    def captions(self) -> list[tuple[TextLabel, str]]:
        """The view titles and captions with their kind (``title``, ``side``, ``orientation``)."""
        return list(self._captions)

    def set_caption_words(self, words: Mapping[str, str]) -> None:
        """Show each caption in other words (``words``: the asset's text -> the text to show;
        captions it does not name keep theirs). An empty mapping brings the asset's back."""
        for (item, _kind), text in zip(self._captions, self._caption_texts, strict=True):
            item.set_text(words.get(text, text))
        self._words = CaptionWords(self._captions)
        self._room = self._words.room
        self._labels_scaled(self._label_scale)

    @property
    def overlay(self) -> OverlayLayer:
        return self._overlay

    @property
    def legend(self) -> Legend:
        return self._legend

    def zone_item_at(self, pos: QPoint | QPointF) -> ZoneItem | None:
        """The zone item under a viewport position (exact shape hit test), else the nearest
        zone when two or more lie within :data:`SEAM_PX` (a seam between zones), or None."""
        p = pos.toPoint() if isinstance(pos, QPointF) else pos
        for it in self.items(p):
            if isinstance(it, ZoneItem):
                return it
        r = SEAM_PX
        box = QRect(p.x() - r, p.y() - r, 2 * r + 1, 2 * r + 1)
        zones = [it for it in self.items(box) if isinstance(it, ZoneItem)]
        if len({it.key for it in zones}) < 2:
            return None  # beside one zone only: the body's edge, not a seam
        at = self.mapToScene(p)
        return min(zones, key=lambda it: it.distance_to(at))

    def set_highlight(
        self, zones: Mapping[tuple[str, Side], float] | None, color: QColor | None = None
    ) -> None:
        """Highlight zones (explore/quiz) with strengths 0-1; ``None`` clears.

        Keys are (zone id, side); an area id highlights all its finer zones.
        """
        base = QColor(color) if color is not None else theme.diagram_colors().highlight
        self._highlight = {(z, Side(s)): float(v) for (z, s), v in (zones or {}).items()}
        for it in self._items:
            zone, side = it.key
            v = self._highlight.get((zone, side))
            if v is None:
                v = self._highlight.get((area_of(zone), side))
            if v is None or v <= 0:
                it.set_highlight(None)
            else:
                c = QColor(base)
                c.setAlpha(theme.highlight_alpha(v))
                it.set_highlight(c)

    # model -> items ----------------------------------------------------------------------
    def _shown_session(self) -> Session:
        """The session drawn: in explore and quiz mode never the patient's (issue 18), only a
        quiz's own scratch session."""
        if self._state.mode is Mode.CLINICAL or self._model is self._state.learning:
            return self._model.session
        return _NO_MARKS

    def _sync_marks(self) -> None:
        eff = effective_marks(self._shown_session(), self._by_key.keys())
        changed: list[ZoneItem] = []
        for key, marks in eff.items():
            if self._shown.get(key) != marks:
                self._shown[key] = marks
                for it in self._by_key[key]:
                    it.set_marks(marks)
                    changed.append(it)
        if changed and len(changed) <= 8:
            self._repaint_now(changed)
        self._update_description()

    def _repaint_now(self, items: list[ZoneItem]) -> None:
        """Paint the changed zones at once, before the other listeners (panel, engine) run."""
        vp = self.viewport()
        if not vp.isVisible() or not vp.updatesEnabled():
            return
        # each zone's own rectangle: the changed zones may lie in views far apart
        area = QRegion()
        for it in items:
            r = self.mapFromScene(it.sceneBoundingRect()).boundingRect()
            area = area.united(r.adjusted(-2, -2, 2, 2))
        area = area.intersected(vp.rect())
        if not area.isEmpty():
            # the scene hands its pending item updates (these zones) to the viewport first, so
            # this paint consumes them and no second paint of the same area follows; on some
            # platforms (offscreen) handing them over already paints them: then no repaint
            before = self.painted_at
            QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)
            if self.painted_at == before:
                vp.repaint(area)

    def _on_session_replaced(self) -> None:
        self._sync_marks()
        self._sync_overlays()

    def _connect_model(self, model: SessionModel, on: bool = True) -> None:
        for signal, slot in (
            (model.marks_changed, self._sync_marks),
            (model.session_replaced, self._on_session_replaced),
            (model.atlas_changed, self._sync_overlays),
        ):
            if on:
                signal.connect(slot)
            else:
                signal.disconnect(slot)

    def set_model(self, model: SessionModel) -> None:
        """Show and edit ``model`` instead (a quiz's scratch session, or back to clinical)."""
        if model is self._model:
            return
        self._connect_model(self._model, on=False)
        self._model = model
        self._connect_model(model)
        self._on_session_replaced()

    def _name_current_zone(self, side: str, zone: str) -> None:
        """The zone the keyboard is on, in the diagram's accessible name (a screen reader was
        told "Body diagram" whatever zone Tab or the arrows moved to)."""
        name = "Body diagram"
        if side and zone:
            felt = [
                m.symptom.value
                for m in self._shown_session().marks
                if m.side.value == side and (m.zone == zone or area_of(m.zone) == zone)
            ]
            what = ", ".join(dict.fromkeys(felt)) or "not marked"
            name += f": {Side(side).display} {display_name(zone).lower()}, {what}"
        if self.accessibleName() != name:
            self.setAccessibleName(name)

    def _update_description(self) -> None:
        parts: list[str] = []
        for side in (Side.RIGHT, Side.LEFT):
            marks = [m for m in self._shown_session().marks if m.side is side]
            if not marks:
                parts.append(f"Nothing marked on the {side.value}.")
                continue
            names = []
            for m in marks:
                text = f"{display_name(m.zone)} ({m.symptom.value}"
                if m.coverage < 1.0:
                    text += f", {round(m.coverage * 100)}%"
                names.append(text + ")")
            n = len(marks)
            parts.append(
                f"{n} mark{'s' if n != 1 else ''} on the {side.value}: " + "; ".join(names) + "."
            )
        self.setAccessibleDescription(" ".join(parts))
        self._name_current_zone(*self._state.current_zone)  # its marks may have changed

    def _sync_overlays(self, *_: object) -> None:
        st = self._state
        self._overlay.apply(
            atlas=self._state.map_of(self._model),
            dermatomes=st.show_dermatomes,
            nerves=st.show_nerves,
            key_points=st.show_key_points,
            disagreement=st.show_disagreement,
        )
        self._scale_overlay_items(self._label_scale)
        self._declutter_labels()
        self._update_legend()

    def _update_legend(self) -> None:
        ov = self._overlay
        if not (ov.supply or ov.nerves or ov.disagreements):
            if self._legend.isVisibleTo(self) or self._legend.entries:
                self._legend.set_content(
                    atlas_name="", roots=(), nerves=(), disagreement=False, sources=""
                )
                self._place_legend()
            return
        from core import clinical

        atlases = clinical.atlases()
        atlas = atlases.get(self._state.map_of(self._model)) or atlases["consensus"]
        roots = ov.legend_roots()
        nerves = sorted(
            {(t.key, _nerve_legend(t.key, t.label)) for t in ov.nerves.values()},
            key=lambda x: x[1],
        )
        sources: list[str] = []
        if roots:
            sources.extend(atlas.sources)
        if nerves:
            for nid, _ in nerves:
                sources.extend(clinical.nerves()[nid].sources)
        uniq = list(dict.fromkeys(sources))
        self._legend.set_content(
            atlas_name=atlas.name,
            roots=roots,
            nerves=nerves,
            disagreement=bool(ov.disagreements),
            sources=", ".join(uniq[:8]) + (" …" if len(uniq) > 8 else ""),
            **ov.legend_flags(),
        )
        self._place_legend()

    def _place_legend(self) -> None:
        """Reserve a bottom margin for the legend strip so it never covers the artwork."""
        lg = self._legend
        w = self.width()
        h = lg.heightForWidth(w) if lg.hasHeightForWidth() else lg.sizeHint().height()
        h = max(h, lg.sizeHint().height()) if lg.isVisibleTo(self) else 0
        if h != self._legend_h:
            self._legend_h = h
            self.setViewportMargins(0, 0, 0, h)
            if not self._user_zoomed:
                self._fit()
        if h:
            vp = self.viewport().geometry()
            lg.setGeometry(vp.left(), vp.bottom() + 1, vp.width(), h)
            lg.raise_()

    def _on_state_highlight(self) -> None:
        name = self._state.highlight_color
        self.set_highlight(self._state.highlight or None, QColor(name) if name else None)

    def focus_rings(self) -> list[FocusRing]:
        """The rings shown around the current zone: one per view that shows it."""
        return [ring for ring in self._rings if ring.isVisible()]

    def _on_current_zone(self, *_: object) -> None:
        # a click that marked a zone moved it: no ring (see mouseReleaseEvent); any other move
        # (keyboard, region list, explore) shows it
        self._ring_shown = self._state.focus_ring
        self._sync_focus()

    def _sync_focus(self) -> None:
        side, zone = self._state.current_zone
        self._name_current_zone(side, zone)
        items = self.items_of(zone, side) if side and zone and self._ring_shown else []
        per_view: dict[str, QPainterPath] = {}
        for it in items:
            per_view.setdefault(it.zone_shape.view, QPainterPath()).addPath(it.path())
        paths = [path.simplified() for path in per_view.values()]
        while len(self._rings) < len(paths):
            ring = FocusRing()
            ring.hide()
            self._scene.addItem(ring)
            self._rings.append(ring)
        for i, ring in enumerate(self._rings):
            if i < len(paths):
                ring.setPath(paths[i])
                ring.show()
            else:
                ring.hide()
        if items and self._user_zoomed:
            self.ensureVisible(items[0], 40, 40)

    def _restyle_theme(self) -> None:
        restyle_zones()
        dc = theme.diagram_colors()
        self.setBackgroundBrush(dc.background)
        c = theme.colors()
        for skin, border in self._skin:
            skin.setBrush(c.skin)
            pen = border.pen()
            pen.setColor(c.zone_border)
            border.setPen(pen)
        for ink in self._ink:
            pen = ink.pen()
            pen.setColor(dc.ink)
            ink.setPen(pen)
        for crease in self._creases:
            pen = crease.pen()
            pen.setColor(crease_color())
            crease.setPen(pen)
        for item, kind in self._captions:
            color = dc.caption if kind == "orientation" else dc.title  # sides read as titles
            item.set_colors(color, dc.halo if kind == "orientation" else None)
        for ring in self._rings:
            ring.restyle()
        for it in self._items:
            it.update()
        if hasattr(self, "_overlay"):
            self._sync_overlays()

    def _labels_scaled(self, k: float) -> None:
        s = self.transform().m11()  # the artwork's scale: a caption may not outgrow its room
        self._room = self._words.fit(s)  # "Pt's R" for "Patient's RIGHT" where even that is tight
        # a view's orienting line ("facing the patient") gives way when even the smallest size
        # would run into the title or the side captions
        shown = [
            (item, kind, s * self._room[id(item)])
            for item, kind in self._captions
            if kind != "orientation" or s * self._room[id(item)] >= CAPTION_SCALE_MIN
        ]
        # captions of one kind keep one size (the one with the least room sets it)
        size: dict[str, float] = {}
        for _item, kind, fits in shown:
            size[kind] = min(size.get(kind, k), max(CAPTION_SCALE_MIN, fits))
        visible = {id(item) for item, _kind, _fits in shown}
        for item, kind in self._captions:
            item.setVisible(id(item) in visible)
            if id(item) in visible:
                item.setScale(size[kind])
        self._scale_overlay_items(k)
        self._declutter_labels()

    def _scale_overlay_items(self, k: float) -> None:
        """Labels at scale ``k``; key-point markers too, but where the drawing is smaller than
        that (a small window at 2x) they shrink with it, down to the labels' smallest size at
        1x in device pixels: at 2x they stood twice as large against the saddle as at 1x and
        hid most of its mark."""
        floor = LABEL_SCALE_MIN / max(1.0, self.devicePixelRatioF())
        marker = max(floor, min(k, self.transform().m11()))
        for it in self._overlay.labels:
            it.setScale(k)
        for m in self._overlay.markers:
            m.setScale(marker)

    def _declutter_labels(self) -> None:
        """The overlay's labels were placed clear of each other and of the key points at the
        diagram's own size: at this view's zoom each is shown only where it covers no key point
        and no label shown before it (:func:`show_uncovered`). A view that is not on screen
        (the report's, which scales its labels with the drawing) hides none."""
        labels = self._overlay.labels
        if not self.isVisible():
            for lb in labels:
                lb.setVisible(True)
            return
        to_view = self.viewportTransform()
        markers = [device_rect(m, to_view) for m in self._overlay.markers]
        show_uncovered(labels, to_view, markers)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted_at = time.perf_counter()  # end of the last viewport paint (benchmarks)
        if self.paint_log is not None:
            self.paint_log.append(self.painted_at)

    def _cache_items(self) -> None:
        """Cache zones, outlines, captions and key points as device pixmaps: later paints, such
        as a click restyling one zone, blit the cached pixmaps."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
        for it in self._items:
            it.setCacheMode(mode)
        for ink in (*self._ink, *self._creases):
            ink.setCacheMode(mode)
        for skin, border in self._skin:
            skin.setCacheMode(mode)
            border.setCacheMode(mode)
        for caption, _kind in self._captions:
            caption.setCacheMode(mode)
        for marker in self._overlay.markers:
            marker.setCacheMode(mode)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_legend()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self._place_legend()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle_theme()
