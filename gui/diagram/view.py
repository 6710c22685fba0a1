"""The clickable, paintable leg and foot chart: :class:`DiagramView`.

Built in layers, one job each: :mod:`gui.diagram.zoom` (zoom and fit),
:mod:`gui.diagram.chart` (the artwork, marks, highlights, focus ring, overlays and legend),
:mod:`gui.diagram.pointer` (hover, click, brush and eraser, panning, the zone menu),
:mod:`gui.diagram.touch` (pen and touch input, exactly like the mouse) and this
module, keyboard navigation. The view never changes the session itself: a click, a stroke, a
key press or a menu choice becomes one intent on :class:`gui.session_model.SessionModel`.

Keyboard
--------
- Ctrl+= / Ctrl+- zoom, Ctrl+0 fits every view (also :meth:`zoom_in`, :meth:`zoom_out`,
  :meth:`fit_all` for the View menu).
- Tab / Shift+Tab step through the zones (Tab leaves the chart after the last zone), arrow keys
  move to the nearest zone in that direction, Space or Enter toggles the focused zone,
  Escape clears the focus. The focus ring shows while the keyboard is in use (like a
  browser's :focus-visible): a click that marks a zone makes it the keyboard's starting point
  without drawing a ring, and the next key press shows it. The region list and explore-mode
  clicks (which pick a zone to read about) show it too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from core.geometry import Diagram
from core.model import Side
from core.zones import area_of
from gui.diagram.items import ZoneItem
from gui.diagram.patient_look import PatientLook
from gui.diagram.touch import PenTouchInput
from gui.session_model import SessionModel
from gui.state import UiState


class DiagramView(PenTouchInput):
    """Clickable, paintable leg and foot chart bound to a session model and the UI state."""

    def __init__(
        self,
        model: SessionModel,
        state: UiState,
        parent: QWidget | None = None,
        *,
        diagram: Diagram | None = None,
    ) -> None:
        super().__init__(model, state, parent, diagram=diagram)
        self._patient_look = PatientLook(self, state)  # follows state.patient
        self._order = self._tab_order()
        self._cursor = -1  # the place in the order the keyboard last moved to
        self._leaving = False  # Escape left the zones: the next Tab leaves the diagram

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

    # keyboard ----------------------------------------------------------------------------
    def _current_index(self) -> int:
        side, zone = self._state.current_zone
        if not side or not zone:
            return -1
        # a zone drawn in several views (or in parts) is in the order more than once: the
        # place the keyboard moved to, not the first match (Tab went back to the first and
        # looped between two zones, and 13 zones were out of reach)
        if 0 <= self._cursor < len(self._order) and self._matches(self._order[self._cursor]):
            return self._cursor
        return next((i for i, it in enumerate(self._order) if self._matches(it)), -1)

    def _matches(self, it: ZoneItem) -> bool:
        side, zone = self._state.current_zone
        return it.key[1].value == side and (it.key[0] == zone or area_of(it.key[0]) == zone)

    def _focus_item(self, it: ZoneItem) -> None:
        self._cursor = self._order.index(it)
        self._leaving = False
        zone, side = it.key
        self._state.set_current_zone(side, zone)

    def focusNextPrevChild(self, next: bool) -> bool:
        if not self.hasFocus() or not self._order or self._leaving:
            # Tab after Escape goes on to the next control: else leaving by Tab took a step
            # through every one of the 134 zones
            self._leaving = False
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
                self._leaving = True
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
        self._leaving = False
        super().focusOutEvent(event)  # type: ignore[arg-type]
