"""The clickable, paintable leg and foot chart.

:class:`DiagramView` shows every view of ``assets/diagram/views.json`` at once. It never changes
the session itself: a click, a brush or eraser stroke, a key press or a context-menu choice
becomes one intent on :class:`gui.session_model.SessionModel`, and the zones are restyled when
the model says the marks changed (only the zones whose mark changed are repainted).

Mouse and keyboard
------------------
- Left click (click tool): toggle the zone with the current symptom.
  Brush / eraser tool: press and drag to paint / erase; one undo step per stroke.
- Right click on a zone: menu to set numbness, tingling, pain or clear.
- Ctrl + wheel (or a pinch gesture) zooms around the pointer; the plain wheel scrolls when
  zoomed in. Ctrl+= / Ctrl+- zoom, Ctrl+0 fits every view (also :meth:`zoom_in`,
  :meth:`zoom_out`, :meth:`fit_all` for the View menu).
- Pan: drag with the middle button, or hold Space and drag; scroll bars when zoomed in.
- Tab / Shift+Tab step through the zones (Tab leaves the chart after the last zone), arrow keys
  move to the nearest zone in that direction, Space or Enter toggles the focused zone,
  Escape clears the focus. The focus ring shows while the keyboard is in use (like a
  browser's :focus-visible): a click that marks a zone makes it the keyboard's starting point
  without drawing a ring, and the next key press shows it. The region list and explore-mode
  clicks (which pick a zone to read about) show it too.
- The view fits the window on every resize until the user zooms.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QMenu,
    QWidget,
)

from core.geometry import Diagram, Point, load_diagram
from core.model import Side, Symptom
from core.zones import area_of, display_name
from gui import theme
from gui.diagram.items import (
    Z_STROKE,
    BorderItem,
    FocusRing,
    InkItem,
    SkinItem,
    StrokeItem,
    TextLabel,
    ZoneItem,
    ZoneMark,
    coverage_to_marks,
    effective_marks,
    polygon_paths,
    restyle_zones,
    zone_label,
)
from gui.diagram.overlays import Legend, OverlayLayer
from gui.session_model import SessionModel
from gui.state import Mode, Tool, UiState

if TYPE_CHECKING:
    from core.brush import StrokeAccumulator

ZOOM_STEP = 1.25
MIN_ZOOM = 0.5  # relative to the fit scale
MAX_ZOOM = 12.0
LABEL_SCALE_MIN = 0.85
LABEL_SCALE_MAX = 2.2


def _warm_brush_raster() -> None:
    from core.brush import label_raster

    label_raster()


def _nerve_legend(nerve_id: str, short: str) -> str:
    from gui.diagram.overlays import nerve_full_name

    full = nerve_full_name(nerve_id)
    return full if full.startswith(short) else f"{short} – {full}"


class DiagramView(QGraphicsView):
    """Clickable, paintable leg and foot chart bound to a session model and the UI state."""

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
        self._skin: list[tuple[SkinItem, BorderItem]] = []  # per view: skin fill, zone borders
        self._captions: list[tuple[TextLabel, str]] = []
        self._build()
        self._order = self._tab_order()
        self._fine_of: dict[tuple[str, Side], tuple[str, ...]] = {}
        for zone, side in self._by_key:
            area = area_of(zone)
            if area != zone:
                self._fine_of[(area, side)] = (*self._fine_of.get((area, side), ()), zone)

        # one ring per view showing the current zone, so moving the focus repaints only the
        # rings' own neighbourhoods (a single ring spanning views repainted most of the diagram)
        self._rings: list[FocusRing] = []
        self._ring_shown = True  # False after a click marked a zone, until a key is pressed
        self._click_focus = False  # a click is moving the current zone
        self._stroke = StrokeItem()
        self._stroke.hide()
        self._scene.addItem(self._stroke)
        self._brush_cursor = QGraphicsEllipseItem()
        self._brush_cursor.setZValue(Z_STROKE + 1)
        self._brush_cursor.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._brush_cursor.hide()
        self._scene.addItem(self._brush_cursor)

        self._overlay = OverlayLayer(self._scene, self._items, self._diagram)
        self._legend = Legend(self)

        self._shown: dict[tuple[str, Side], ZoneMark | None] = dict.fromkeys(self._by_key)
        self._highlight: dict[tuple[str, Side], float] = {}
        self._hovered: ZoneItem | None = None
        self._press_item: ZoneItem | None = None
        self._acc: StrokeAccumulator | None = None
        self._pan_from: QPointF | None = None
        self._space_down = False
        self._space_panned = False
        self._user_zoomed = False
        self._show_scroll_bars(False)
        self._fit_scale = 1.0
        self._label_scale = 1.0
        self._legend_h = 0
        self._legend_w = 0
        self.painted_at = 0.0
        self.paint_log: list[float] | None = None  # a list collects paint end times
        self._raster_ready = False
        self._caching = False  # item caches are turned on after the first paint

        self._restyle_theme()
        model.marks_changed.connect(self._sync_marks)
        model.session_replaced.connect(self._on_session_replaced)
        model.atlas_changed.connect(self._sync_overlays)
        state.overlays_changed.connect(self._sync_overlays)
        state.current_zone_changed.connect(self._on_current_zone)
        state.tool_changed.connect(self._sync_tool)
        state.brush_size_changed.connect(self._sync_tool)
        state.highlight_changed.connect(self._on_state_highlight)
        for marker in self._overlay.markers:  # cached after the first paint, like the zones
            marker.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self._sync_marks()  # (_restyle_theme above already applied the overlays)
        self._sync_focus()
        self._sync_tool()

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
            skin = SkinItem(QPainterPath(path), c.skin)
            self._scene.addItem(skin)
            border = BorderItem(borders, c.zone_border)
            self._scene.addItem(border)
            self._skin.append((skin, border))
            ink = InkItem(path, theme.diagram_colors().ink, 1.6)
            self._scene.addItem(ink)
            self._ink.append(ink)
            for lb in view.labels:
                size, bold = {"title": (10.0, True), "side": (7.5, True)}.get(lb.kind, (7.0, False))
                item = TextLabel(
                    lb.text, QColor(), point_size=size, bold=bold, italic=lb.kind == "orientation"
                )
                item.setPos(lb.x, lb.y)
                item.setData(0, lb.kind)
                item.setCacheMode(QGraphicsItem.CacheMode.NoCache)  # cached after first paint
                self._scene.addItem(item)
                self._captions.append((item, lb.kind))

    def _tab_order(self) -> list[ZoneItem]:
        view_index = {v.id: i for i, v in enumerate(self._diagram.views)}
        side_x: dict[tuple[str, Side], float] = {}
        for v in self._diagram.views:
            for side in Side:
                xs = [z.label[0] for z in v.zones if z.side is side]
                side_x[(v.id, side)] = sum(xs) / len(xs) if xs else 0.0

        def key(it: ZoneItem) -> tuple[int, float, float, float]:
            s = it.zone_shape
            return (
                view_index[s.view],
                side_x[(s.view, s.side)],
                round(s.label[1] / 12),
                s.label[0],
            )

        return sorted(self._items, key=key)

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
    def overlay(self) -> OverlayLayer:
        return self._overlay

    @property
    def legend(self) -> Legend:
        return self._legend

    def zone_item_at(self, pos: QPoint | QPointF) -> ZoneItem | None:
        """The zone item under a viewport position (exact shape hit test), or None."""
        p = pos.toPoint() if isinstance(pos, QPointF) else pos
        for it in self.items(p):
            if isinstance(it, ZoneItem):
                return it
        return None

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP, None)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP, None)

    def fit_all(self) -> None:
        """Fit every view into the window; the view keeps fitting on resize until a zoom."""
        self._user_zoomed = False
        self._show_scroll_bars(False)
        self._fit()

    @property
    def fits_window(self) -> bool:
        """True while the view fits every view into the window (no zoom since the last fit)."""
        return not self._user_zoomed

    @property
    def zoom(self) -> float:
        """Current scale relative to the fit-to-window scale."""
        return self.transform().m11() / self._fit_scale if self._fit_scale else 1.0

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
                c.setAlpha(round(40 + 150 * min(1.0, v)))
                it.set_highlight(c)

    # model -> items ----------------------------------------------------------------------
    def _sync_marks(self) -> None:
        eff = effective_marks(self._model.session, self._by_key.keys())
        changed: list[ZoneItem] = []
        for key, mark in eff.items():
            if self._shown.get(key) != mark:
                self._shown[key] = mark
                for it in self._by_key[key]:
                    it.set_mark(mark)
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

    def _update_description(self) -> None:
        parts: list[str] = []
        for side in (Side.RIGHT, Side.LEFT):
            marks = [m for m in self._model.session.marks if m.side is side]
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
                f"{n} zone{'s' if n != 1 else ''} marked on the {side.value}: "
                + "; ".join(names)
                + "."
            )
        self.setAccessibleDescription(" ".join(parts))

    def _sync_overlays(self, *_: object) -> None:
        st = self._state
        self._overlay.apply(
            atlas=self._model.session.atlas,
            dermatomes=st.show_dermatomes,
            nerves=st.show_nerves,
            key_points=st.show_key_points,
            disagreement=st.show_disagreement,
        )
        for it in (*self._overlay.labels, *self._overlay.markers):
            it.setScale(self._label_scale)
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
        atlas = atlases.get(self._model.session.atlas) or atlases["consensus"]
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
        self._ring_shown = not self._click_focus
        self._sync_focus()

    def _sync_focus(self) -> None:
        side, zone = self._state.current_zone
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

    def _sync_tool(self, *_: object) -> None:
        tool = self._state.tool
        painting = tool in (Tool.BRUSH, Tool.ERASER)
        self.viewport().setCursor(
            Qt.CursorShape.CrossCursor if painting else Qt.CursorShape.ArrowCursor
        )
        r = self._state.brush_size / 2
        self._brush_cursor.setRect(QRectF(-r, -r, 2 * r, 2 * r))
        pen = QPen(theme.colors().focus if tool is Tool.BRUSH else theme.colors().label, 1.2)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.SolidLine if tool is Tool.BRUSH else Qt.PenStyle.DashLine)
        self._brush_cursor.setPen(pen)
        if not painting:
            self._brush_cursor.hide()
        elif not self._raster_ready:
            self._raster_ready = True
            QTimer.singleShot(0, _warm_brush_raster)  # built once, before the first stroke

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
        for item, kind in self._captions:
            color = dc.title if kind == "title" else dc.caption
            item.set_colors(color, dc.halo if kind == "orientation" else None)
        for ring in self._rings:
            ring.restyle()
        for it in self._items:
            it.update()
        if hasattr(self, "_overlay"):
            self._sync_overlays()
            self._sync_tool()

    # view transform ----------------------------------------------------------------------
    def _fit(self) -> None:
        # the viewport's size without scroll bars: a fitted chart needs none (while the old
        # transform still asks for them, the viewport itself is smaller for a moment)
        vp = self.maximumViewportSize()
        if vp.width() < 10 or vp.height() < 10:
            return
        r = self._content
        s = min(vp.width() / r.width(), vp.height() / r.height())
        self.resetTransform()
        self.scale(s, s)
        self._fit_scale = s
        self.centerOn(r.center())
        self._scale_labels()

    def _show_scroll_bars(self, on: bool) -> None:
        """Scroll bars only once zoomed: a fitted chart needs none, and a fitted view with the
        policy "as needed" shows them for a frame while its transform is still the old one."""
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if on else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def _scale_labels(self) -> None:
        """Labels follow the zoom like the artwork, but stay readable and never balloon."""
        k = max(LABEL_SCALE_MIN, min(LABEL_SCALE_MAX, self.transform().m11()))
        if math.isclose(k, self._label_scale):
            return
        self._label_scale = k
        for item, _kind in self._captions:
            item.setScale(k)
        for it in (*self._overlay.labels, *self._overlay.markers):
            it.setScale(k)

    def _zoom_by(self, factor: float, anchor: QPointF | None) -> None:
        cur = self.transform().m11()
        target = max(self._fit_scale * MIN_ZOOM, min(self._fit_scale * MAX_ZOOM, cur * factor))
        if math.isclose(target, cur):
            return
        if not self._user_zoomed:
            self._user_zoomed = True
            self._show_scroll_bars(True)
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(target / cur, target / cur)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._scale_labels()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._caching:
            self._caching = True
            QTimer.singleShot(0, self.enable_item_caches)
        self.painted_at = time.perf_counter()  # end of the last viewport paint (benchmarks)
        if self.paint_log is not None:
            self.paint_log.append(self.painted_at)

    def enable_item_caches(self) -> None:
        """Cache zones, outlines, captions and key points as device pixmaps.

        Done after the first paint when that paint is the window's first frame (drawing the
        artwork directly is cheaper than filling the caches); later paints, such as a click
        restyling one zone, then blit the cached pixmaps. A chart made after the first frame
        turns them on at once, so its first paint fills them.
        """
        self._caching = True
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
        for it in self._items:
            it.setCacheMode(mode)
        for ink in self._ink:
            ink.setCacheMode(mode)
        for skin, border in self._skin:
            skin.setCacheMode(mode)
            border.setCacheMode(mode)
        for caption, _kind in self._captions:
            caption.setCacheMode(mode)
        for marker in self._overlay.markers:
            marker.setCacheMode(mode)

    def settle(self) -> None:
        """Hand the scene's pending changes (fit, label scale) to the view now.

        For a chart shown inside a window that is already on screen: otherwise they arrive
        just after its first paint and ask for a second full one.
        """
        QCoreApplication.sendPostedEvents(self._scene, QEvent.Type.MetaCall)

    def warm_item_caches(self) -> None:
        """Repaint the whole diagram once, filling the item caches (the same pixels).

        Called when the window is ready: otherwise the first click pays for filling the
        caches of every view it touches (~10 ms).
        """
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_zoomed:
            self._fit()
        self._place_legend()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._user_zoomed:
            self._fit()
        self._place_legend()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            dy = event.angleDelta().y()
            if dy:
                self._zoom_by(ZOOM_STEP ** (dy / 120), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:
            ge = cast(QNativeGestureEvent, event)
            if ge.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self._zoom_by(1.0 + ge.value(), ge.position())
                return True
        if event.type() == QEvent.Type.Leave:
            self._set_hovered(None)
            self._brush_cursor.hide()
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle_theme()

    # mouse -------------------------------------------------------------------------------
    def _set_hovered(self, item: ZoneItem | None) -> None:
        if item is self._hovered:
            return
        if self._hovered is not None:
            for it in self._by_key[self._hovered.key]:
                it.set_hovered(False)
        self._hovered = item
        if item is None:
            self._state.set_hovered_zone("", "")
            return
        for it in self._by_key[item.key]:
            it.set_hovered(True)
        zone, side = item.key
        self._state.set_hovered_zone(side, zone)

    @property
    def editable(self) -> bool:
        """False in explore mode: clicks pick a zone to read about, the session is untouched."""
        return self._state.mode is not Mode.EXPLORE

    def mousePressEvent(self, event: QMouseEvent) -> None:
        btn = event.button()
        if btn == Qt.MouseButton.MiddleButton or (
            btn == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._pan_from = event.position()
            self._space_panned = self._space_down
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if btn != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        event.accept()
        tool = self._state.tool
        if tool is Tool.CLICK or not self.editable:
            self._press_item = self.zone_item_at(event.position())
            if self._press_item is None:
                self._state.set_current_zone("", "")
            return
        p = self.mapToScene(event.position().toPoint())
        from core.brush import StrokeAccumulator  # numpy; the raster is built on first use

        self._acc = StrokeAccumulator(self._state.brush_size / 2)
        self._acc.add((p.x(), p.y()))
        dc = theme.diagram_colors()
        color = dc.brush_stroke if tool is Tool.BRUSH else dc.eraser_stroke
        self._stroke.start(p, self._state.brush_size, color)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - round(delta.x()))
            v.setValue(v.value() - round(delta.y()))
            event.accept()
            return
        p = self.mapToScene(event.position().toPoint())
        if self._state.tool is not Tool.CLICK:
            self._brush_cursor.setPos(p)
            self._brush_cursor.show()
        if self._acc is not None:
            self._acc.add((p.x(), p.y()))
            self._stroke.extend(p)
            event.accept()
            return
        self._set_hovered(self.zone_item_at(event.position()))
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._sync_tool()
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        if self._acc is not None:
            self._finish_stroke()
            return
        pressed, self._press_item = self._press_item, None
        if pressed is None:
            return
        if self.zone_item_at(event.position()) is not pressed:
            return
        zone, side = pressed.key
        if not self.editable:  # explore: the ring shows the zone picked
            self._state.set_current_zone(side, zone)
            return
        self._model.toggle_mark(zone, side, self._state.symptom)  # it paints at once
        # The zone becomes the keyboard's starting point, without a focus ring: the mark shows
        # the zone, and like a browser's :focus-visible the ring returns with the keyboard
        # (each click would otherwise repaint the ring's old and new places, ~1.5 ms)
        self._click_focus = True
        try:
            self._state.set_current_zone(side, zone)
        finally:
            self._click_focus = False
        if self._ring_shown:  # the same zone again: no change, so hide the ring here
            self._ring_shown = False
            self._sync_focus()

    def _finish_stroke(self) -> None:
        acc, self._acc = self._acc, None
        self._stroke.finish()
        if acc is None:
            return
        cov = acc.coverage()
        if not cov:
            return
        erase = self._state.tool is Tool.ERASER
        marks = coverage_to_marks(
            self._model.session,
            cov,
            self._state.symptom,
            erase=erase,
            fine_zones_of=self._fine_of,
        )
        self._model.set_marks(marks, "Erase" if erase else "Paint")

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.zone_item_at(event.pos())
        if item is None or not self.editable:
            event.ignore()
            return
        menu = self.zone_menu(item)
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    def zone_menu(self, item: ZoneItem) -> QMenu:
        """The right-click menu of a zone: set a symptom or clear the mark."""
        zone, side = item.key
        menu = QMenu(self)
        menu.setAccessibleName(f"Mark {zone_label(zone, side)}")
        title = menu.addAction(zone_label(zone, side))
        title.setEnabled(False)
        menu.addSeparator()
        current = self._model.session.mark_at(zone, side)
        for sym in Symptom:
            act = menu.addAction(sym.display)
            act.setCheckable(True)
            act.setChecked(current is not None and current.symptom is sym)
            act.triggered.connect(lambda _=False, s=sym: self._model.set_mark(zone, side, s))
        clear: QAction = menu.addAction("Clear")
        clear.setEnabled(current is not None)
        clear.triggered.connect(lambda _=False: self._model.set_mark(zone, side, None))
        return menu

    # keyboard ----------------------------------------------------------------------------
    def _current_index(self) -> int:
        side, zone = self._state.current_zone
        if not side or not zone:
            return -1
        for i, it in enumerate(self._order):
            if it.key[1].value == side and (it.key[0] == zone or area_of(it.key[0]) == zone):
                return i
        return -1

    def _focus_item(self, it: ZoneItem) -> None:
        zone, side = it.key
        self._state.set_current_zone(side, zone)

    def focusNextPrevChild(self, next: bool) -> bool:
        if not self.hasFocus() or not self._order:
            return super().focusNextPrevChild(next)
        i = self._current_index()
        j = (i + 1) if next else (i - 1 if i >= 0 else len(self._order) - 1)
        if 0 <= j < len(self._order):
            self._focus_item(self._order[j])
            return True
        self._state.set_current_zone("", "")
        return super().focusNextPrevChild(next)

    def _move_spatial(self, dx: float, dy: float) -> None:
        i = self._current_index()
        if i < 0:
            if self._order:
                self._focus_item(self._order[0])
            return
        cur = self._order[i]
        cx, cy = cur.zone_shape.label
        best: tuple[float, ZoneItem] | None = None
        for it in self._items:
            if it.key == cur.key:
                continue
            x, y = it.zone_shape.label
            vx, vy = x - cx, y - cy
            along = vx * dx + vy * dy
            if along <= 1e-6:
                continue
            across = abs(vx * dy - vy * dx)
            if across > 2.5 * along:
                continue
            score = along + 2.0 * across + (0 if it.zone_shape.view == cur.zone_shape.view else 400)
            if best is None or score < best[0]:
                best = (score, it)
        if best is not None:
            self._focus_item(best[1])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._ring_shown:  # the keyboard is in use again: show where it stands
            self._ring_shown = True
            self._sync_focus()
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_in()
        elif ctrl and key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.fit_all()
        elif key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_down = True
                self._space_panned = False
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._toggle_current()
        elif key == Qt.Key.Key_Escape:
            if self._acc is not None:
                self._acc = None
                self._stroke.finish()
            else:
                self._state.set_current_zone("", "")
        elif key == Qt.Key.Key_Left:
            self._move_spatial(-1, 0)
        elif key == Qt.Key.Key_Right:
            self._move_spatial(1, 0)
        elif key == Qt.Key.Key_Up:
            self._move_spatial(0, -1)
        elif key == Qt.Key.Key_Down:
            self._move_spatial(0, 1)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            was_pan = self._space_panned
            self._space_down = False
            self._space_panned = False
            if not was_pan:
                self._toggle_current()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _toggle_current(self) -> None:
        side, zone = self._state.current_zone
        if side and zone and self.editable:
            self._model.toggle_mark(zone, side, self._state.symptom)

    def focusOutEvent(self, event: object) -> None:
        self._space_down = False
        super().focusOutEvent(event)  # type: ignore[arg-type]
