"""Pointer input on the chart: hover, click, brush and eraser strokes, panning, the zone menu.

- Left click (click tool): toggle the current symptom on the zone (other symptoms stay).
  Brush / eraser tool: press and drag to paint / erase; one undo step per stroke. An eraser
  click (the pointer moved less than the system's drag distance) erases the zone clicked
  whole, every symptom: the model keeps a zone's painted share, not where in the zone it lies,
  so erasing the eraser's small disc from a zone marked by a click left it looking marked. An
  eraser stroke changes only the zones whose look it changes (:func:`visible_erase`); one that
  changes none is no undo step and leaves the document unmodified.
- Right click on a zone: menu to switch numbness, tingling and pain on or off, or clear.
- Pan: drag with the middle button, or hold Space and drag; scroll bars when zoomed in.

Every change is one intent on :class:`gui.session_model.SessionModel`; in explore mode a click
only picks the zone to read about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QMouseEvent, QPen
from PySide6.QtWidgets import QApplication, QGraphicsEllipseItem, QMenu, QWidget

from core.geometry import Diagram
from core.marks import ZoneMark, coverage_to_marks, effective_marks
from core.model import Side, Symptom
from gui import theme
from gui.diagram.chart import ChartView
from gui.diagram.items import Z_STROKE, ZoneItem, zone_label
from gui.diagram.stroke import StrokeItem
from gui.session_model import SessionModel
from gui.state import Tool, UiState

if TYPE_CHECKING:
    from core.brush import StrokeAccumulator


def _warm_brush_raster() -> None:
    from core.brush import label_raster

    label_raster()


UNSEEN_ERASE = 0.1
"""An eraser stroke that takes less than this share of a mark's own coverage off it leaves the
zone looking as it was: a mark's fill is as opaque as its coverage, so it would fade by less
than a tenth (a click-marked thigh, 100 %, by the 3 % of it an eraser's disc covers)."""


def visible_erase(
    coverage: dict[tuple[str, Side], float],
    shown: dict[tuple[str, Side], tuple[ZoneMark, ...]],
) -> dict[tuple[str, Side], float]:
    """The part of an eraser stroke's ``coverage`` that changes how a zone looks: the zones
    where it removes a shown mark (``shown``: each zone's marks as drawn), or takes at least
    :data:`UNSEEN_ERASE` of one's coverage off it. Less changed nothing anyone could see, yet
    was an undo step and marked the document modified ("Undo Erase", the title's "*")."""
    from core.brush import MIN_MARK_SHARE

    return {
        key: frac
        for key, frac in coverage.items()
        if any(
            m.coverage - frac < MIN_MARK_SHARE or frac >= UNSEEN_ERASE * m.coverage
            for m in shown.get(key, ())
        )
    }


class PointerInput(ChartView):
    """The chart with its pointer tools."""

    def __init__(
        self,
        model: SessionModel,
        state: UiState,
        parent: QWidget | None = None,
        *,
        diagram: Diagram | None = None,
    ) -> None:
        super().__init__(model, state, parent, diagram=diagram)
        self._stroke = StrokeItem()
        self._stroke.hide()
        self._scene.addItem(self._stroke)
        self._brush_cursor = QGraphicsEllipseItem()
        self._brush_cursor.setZValue(Z_STROKE + 1)
        self._brush_cursor.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._brush_cursor.hide()
        self._scene.addItem(self._brush_cursor)
        self._hovered: ZoneItem | None = None
        self._press_item: ZoneItem | None = None
        self._acc: StrokeAccumulator | None = None
        self._stroke_from = QPointF()  # where the stroke was pressed (viewport)
        self._stroke_dragged = False  # it went farther than the drag distance: not a click
        self._pan_from: QPointF | None = None
        self._space_down = False
        self._space_panned = False
        self._raster_ready = False
        self.zone_tips = True
        """Tooltips and the right-click menu of the zones, in the clinician's words (patient
        mode turns them off: "Popliteal fossa / Tingling (26% of the zone)")."""
        state.tool_changed.connect(self._sync_tool)
        state.brush_size_changed.connect(self._sync_tool)
        self._sync_tool()

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
        super()._restyle_theme()
        if hasattr(self, "_brush_cursor"):  # (not while the chart is being built)
            self._sync_tool()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Leave:
            self._set_hovered(None)
            self._brush_cursor.hide()
        elif event.type() == QEvent.Type.ToolTip and not self.zone_tips:
            return True
        return super().viewportEvent(event)

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
        """False while read-only (explore mode, a quiz not started): clicks pick a zone to read
        about, the session is untouched."""
        return not self._state.read_only

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pen_or_touch_echo(event):
            event.accept()
            return
        if self.pointer_press(event.position(), event.button()):
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pen_or_touch_echo(event):
            event.accept()
            return
        if self.pointer_move(event.position()):
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pen_or_touch_echo(event):
            event.accept()
            return
        if self.pointer_release(event.position(), event.button()):
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def _pen_or_touch_echo(self, event: QMouseEvent) -> bool:
        """True for a mouse event synthesised from pen or touch input handled natively
        (:mod:`gui.diagram.touch` overrides this); plain mice are never echoes."""
        return False

    # one pointer, whatever the device: mouse, pen or finger ---------------------------------
    def pointer_press(self, pos: QPointF, button: Qt.MouseButton) -> bool:
        """A press at viewport ``pos``; False when the chart leaves it to the base class."""
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._pan_from = QPointF(pos)
            self._space_panned = self._space_down
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            return True
        if button != Qt.MouseButton.LeftButton:
            return False
        tool = self._state.tool
        if tool is Tool.CLICK or not self.editable:
            self._press_item = self.zone_item_at(pos)
            if self._press_item is None:
                self._state.set_current_zone("", "")
            return True
        p = self.mapToScene(pos.toPoint())
        from core.brush import StrokeAccumulator  # numpy; the raster is built on first use

        # a stroke crosses zones: no zone stays tinted as hovered under the paint (the tint
        # would read as a fourth symptom colour); the release hovers the zone it ends on
        self._set_hovered(None)

        self._acc = StrokeAccumulator(self._state.brush_size / 2)
        self._acc.add((p.x(), p.y()))
        self._stroke_from, self._stroke_dragged = QPointF(pos), False
        dc = theme.diagram_colors()
        color = dc.brush_stroke if tool is Tool.BRUSH else dc.eraser_stroke
        self._stroke.start(p, self._state.brush_size, color)
        return True

    def pointer_move(self, pos: QPointF) -> bool:
        """A move to viewport ``pos`` (pressed or hovering); False: pass it on (hover)."""
        if self._pan_from is not None:
            delta = pos - self._pan_from
            self._pan_from = QPointF(pos)
            h, v = self.horizontalScrollBar(), self.verticalScrollBar()
            h.setValue(h.value() - round(delta.x()))
            v.setValue(v.value() - round(delta.y()))
            return True
        p = self.mapToScene(pos.toPoint())
        if self._state.tool is not Tool.CLICK:
            self._brush_cursor.setPos(p)
            self._brush_cursor.show()
        if self._acc is not None:
            self._acc.add((p.x(), p.y()))
            self._stroke.extend(p)
            self._note_drag(pos)
            return True
        self._set_hovered(self.zone_item_at(pos))
        return False

    def _note_drag(self, pos: QPointF) -> None:
        if (pos - self._stroke_from).manhattanLength() > QApplication.startDragDistance():
            self._stroke_dragged = True

    def pointer_release(self, pos: QPointF, button: Qt.MouseButton) -> bool:
        """A release at viewport ``pos``: ends a pan or a stroke, or clicks the zone pressed."""
        if self._pan_from is not None and button in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._pan_from = None
            self._sync_tool()
            return True
        if button != Qt.MouseButton.LeftButton:
            return False
        if self._acc is not None:
            self._note_drag(pos)
            self._finish_stroke()
            self._set_hovered(self.zone_item_at(pos))
            return True
        pressed, self._press_item = self._press_item, None
        if pressed is None:
            return True
        if self.zone_item_at(pos) is not pressed:
            return True
        zone, side = pressed.key
        if not self.editable:  # explore: the ring shows the zone picked
            self._state.set_current_zone(side, zone)
            return True
        self._model.toggle_mark(zone, side, self._state.symptom)  # it paints at once
        # The zone becomes the keyboard's starting point, without a focus ring: the mark shows
        # the zone, and like a browser's :focus-visible the ring returns with the keyboard
        # (each click would otherwise repaint the ring's old and new places, ~1.5 ms)
        self._state.set_current_zone(side, zone, ring=False)
        if self._ring_shown:  # the same zone again: no change, so hide the ring here
            self._ring_shown = False
            self._sync_focus()
        return True

    def pointer_cancel(self) -> None:
        """The gesture was taken away (touch cancelled, palm): drop the stroke or press."""
        self._press_item = None
        self._pan_from = None
        if self._acc is not None:
            self._acc = None
            self._stroke.finish()
        self._sync_tool()

    def _finish_stroke(self) -> None:
        acc, self._acc = self._acc, None
        self._stroke.finish()
        if acc is None:
            return
        cov = acc.coverage()
        erase = self._state.tool is Tool.ERASER
        # a click (no drag): the zone clicked, whole, for the brush as for the eraser (a tap
        # with the brush covered a tenth of no zone and marked nothing, without a word)
        clicked = None if self._stroke_dragged else self.zone_item_at(self._stroke_from)
        if clicked is not None:
            cov[clicked.key] = 1.0
        if erase:
            cov = visible_erase(cov, effective_marks(self._model.session, cov.keys()))
        if not cov:
            return
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
        if item is None or not self.editable or not self.zone_tips:
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
        current = {m.symptom for m in self._model.session.marks_at(zone, side)}
        for sym in Symptom:  # each symptom on or off; the others stay
            act = menu.addAction(sym.display)
            act.setCheckable(True)
            act.setChecked(sym in current)
            act.triggered.connect(
                lambda on=False, s=sym: self._model.set_mark_symptom(zone, side, s, on)
            )
        clear: QAction = menu.addAction("Clear")
        clear.setEnabled(bool(current))
        clear.triggered.connect(lambda _=False: self._model.set_mark(zone, side, None))
        return menu
