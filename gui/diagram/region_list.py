"""Keyboard-reachable list of the skin areas, mirroring the diagram's marks both ways.

The 30 canonical areas are rows (spec order) with the diagram's finer zones as children. A side
switch chooses the patient's right or left. A row's check box shows the marks (partially checked
for partial coverage or when only some finer zones are marked) and its second column every
symptom on the zone; checking a row adds the current symptom, unchecking clears every symptom
there, each one intent on the model. The current row mirrors :attr:`UiState.current_zone`.
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.geometry import Diagram, load_diagram
from core.marks import effective_marks
from core.model import Side
from core.zones import area_of, areas, display_name, is_fine_zone, part_name
from gui.session_model import SessionModel
from gui.state import UiState

ZONE_ROLE = Qt.ItemDataRole.UserRole


class RegionList(QWidget):
    """Areas (and finer zones) of one side with check boxes that mirror the marks."""

    def __init__(
        self,
        model: SessionModel,
        state: UiState,
        parent: QWidget | None = None,
        *,
        diagram: Diagram | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._state = state
        self._side = Side.RIGHT
        # the models (sessions) whose side is still to be chosen: the side with marks, once
        # per session opened, when first shown (see _choose); a quiz's scratch sessions are
        # their own, so a quiz never re-chooses the clinician's side
        self._to_choose: weakref.WeakSet[SessionModel] = weakref.WeakSet([model])
        self._stale = False  # marks changed while hidden: rows re-sync when next needed
        self._pending_current: tuple[str, str] | None = None
        self.setObjectName("region_list")
        self.setAccessibleName("Skin areas")

        diagram = diagram or load_diagram()
        fine: dict[str, list[str]] = {}
        for zid in sorted(diagram.zone_ids()):
            if is_fine_zone(zid):
                fine.setdefault(area_of(zid), []).append(zid)
        self._fine = {a: tuple(v) for a, v in fine.items()}

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(4)
        side_label = QLabel("Side:")
        top.addWidget(side_label)
        self._side_group = QButtonGroup(self)
        self._side_group.setExclusive(True)
        self._side_buttons: dict[Side, QPushButton] = {}
        for side in (Side.RIGHT, Side.LEFT):
            b = QPushButton(f"Patient's {side.value}")
            b.setCheckable(True)
            b.setAccessibleName(f"Show the patient's {side.value} side")
            b.setObjectName(f"region_side_{side.value}")
            self._side_group.addButton(b)
            self._side_buttons[side] = b
            top.addWidget(b)
            b.toggled.connect(lambda on, s=side: self._on_side_button(on, s))
        top.addStretch(1)
        lay.addLayout(top)
        # what a tick adds: the toolbar's symptom, out of sight from here (a UX review)
        self._ticks = QLabel()
        self._ticks.setObjectName("region_ticks")
        lay.addWidget(self._ticks)
        state.symptom_changed.connect(self._say_symptom)
        self._say_symptom()
        # the side shown must be unmistakable in both palettes (Fusion's checked button was
        # hardly darker in the light theme and looked unchecked in the dark one). Both states
        # take the same room (Fusion's 1 px border + 1 px more padding = the 2 px border): a
        # button sized unchecked and then checked clipped its text ("atient's left (3")
        for b in self._side_buttons.values():
            b.setStyleSheet(
                "QPushButton { padding: 4px 9px; }"
                " QPushButton:checked { border: 2px solid palette(highlight); border-radius: 3px;"
                " padding: 3px 8px; }"
            )

        self._filter = QLineEdit()
        self._filter.setPlaceholderText("Filter areas…")
        self._filter.setAccessibleName("Filter areas")
        self._filter.setClearButtonEnabled(True)
        self._filter.textChanged.connect(self._apply_filter)
        lay.addWidget(self._filter)
        self._no_match = QLabel()  # said when the filter hides every area
        self._no_match.setObjectName("region_no_match")
        self._no_match.setWordWrap(True)
        self._no_match.hide()
        lay.addWidget(self._no_match)

        self._tree = QTreeWidget()
        self._tree.setObjectName("region_tree")
        self._tree.setColumnCount(2)
        self._tree.setHeaderLabels(["Area", "Mark"])
        self._tree.setUniformRowHeights(True)
        self._tree.setAlternatingRowColors(True)
        header = self._tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self._tree, 1)

        self._rows: dict[str, QTreeWidgetItem] = {}
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        for aid, area in areas().items():
            row = QTreeWidgetItem([area.name, ""])
            row.setData(0, ZONE_ROLE, aid)
            row.setFlags(flags)
            row.setToolTip(0, area.landmark)
            row.setCheckState(0, Qt.CheckState.Unchecked)
            self._tree.addTopLevelItem(row)
            self._rows[aid] = row
            for fz in self._fine.get(aid, ()):
                child = QTreeWidgetItem([part_name(fz), ""])
                child.setData(0, ZONE_ROLE, fz)
                child.setFlags(flags)
                child.setToolTip(0, display_name(fz))
                child.setCheckState(0, Qt.CheckState.Unchecked)
                row.addChild(child)
                self._rows[fz] = child

        self._tree.itemChanged.connect(self._on_item_changed)
        self._tree.currentItemChanged.connect(self._on_current_changed)
        self._connect_model(model)
        state.current_zone_changed.connect(self._on_state_current)
        self._side_buttons[Side.RIGHT].setChecked(True)
        self._sync_checks()

    # public ------------------------------------------------------------------------------
    @property
    def side(self) -> Side:
        self._flush()
        return self._side

    @property
    def tree(self) -> QTreeWidget:
        self._flush()
        return self._tree

    @property
    def filter_edit(self) -> QLineEdit:
        return self._filter

    def row(self, zone: str) -> QTreeWidgetItem:
        """The tree row of a zone id (area or finer zone)."""
        self._flush()
        return self._rows[zone]

    def _on_side_button(self, on: bool, side: Side) -> None:
        if on:
            self.set_side(side)

    def set_side(self, side: Side | str) -> None:
        side = Side(side)
        if side != self._side:
            self._side = side
            self._marks_changed()
        btn = self._side_buttons[side]
        if not btn.isChecked():
            btn.setChecked(True)
        self._tree.setAccessibleName(f"Skin areas, patient's {side.value} side")

    # model -> rows -----------------------------------------------------------------------
    def _connect_model(self, model: SessionModel, on: bool = True) -> None:
        for signal in (model.marks_changed, model.session_replaced):
            if on:
                signal.connect(self._marks_changed)
            else:
                signal.disconnect(self._marks_changed)
        if on:
            model.session_replaced.connect(self._on_session_replaced)
        else:
            model.session_replaced.disconnect(self._on_session_replaced)

    def set_model(self, model: SessionModel) -> None:
        """Show and edit ``model`` instead (a quiz's scratch session, or back to clinical)."""
        if model is self._model:
            return
        self._connect_model(self._model, on=False)
        self._model = model
        self._connect_model(model)
        self._marks_changed()

    def _marks_changed(self) -> None:
        """Re-sync now when shown; while hidden (another tab), when next shown or read."""
        if self.isVisible():
            self._sync_checks()
        else:
            self._stale = True

    def _flush(self) -> None:
        pending, self._pending_current = self._pending_current, None
        if pending is not None:
            self._show_current(*pending)
        if self._stale:
            self._sync_checks()

    def _say_symptom(self, *_: object) -> None:
        self._ticks.setText(f"A tick marks {self._state.symptom.display.lower()}.")

    def _on_session_replaced(self) -> None:
        self._to_choose.add(self._model)
        if self.isVisible():
            self._choose()

    def _choose(self) -> None:
        """An empty side shown while the other has marks: the other (it opened on the right,
        empty, with all six marks on the left: a UX review). Once per session opened: a side
        chosen after that stays, whatever tab was shown meanwhile."""
        self._to_choose.discard(self._model)
        marks = self._model.session.marks
        other = Side.LEFT if self._side is Side.RIGHT else Side.RIGHT
        if not any(m.side is self._side for m in marks) and any(m.side is other for m in marks):
            self.set_side(other)

    def showEvent(self, event: QShowEvent) -> None:
        if self._model in self._to_choose:
            self._choose()
        self._flush()
        super().showEvent(event)

    def _sync_checks(self) -> None:
        self._stale = False
        session = self._model.session
        side = self._side
        for s, button in self._side_buttons.items():  # how many areas each side has marked
            n = len({m.zone for m in session.marks if m.side is s})
            button.setText(f"Patient's {s.value}" + (f" ({n})" if n else ""))
            marked = f"{n} area{'s' if n != 1 else ''} marked" if n else "nothing marked"
            button.setAccessibleName(f"Show the patient's {s.value} side, {marked}")
        eff = effective_marks(session, [(z, side) for z in self._rows])
        with QSignalBlocker(self._tree):  # rows follow the model; they send no intents back
            for zone, row in self._rows.items():
                shown = eff[(zone, side)]
                children = () if is_fine_zone(zone) else self._fine.get(zone, ())
                child_marks = [eff[(c, side)] for c in children]
                if shown:
                    full = all(m.coverage >= 1.0 for m in shown)
                    state = Qt.CheckState.Checked if full else Qt.CheckState.PartiallyChecked
                    text = ", ".join(
                        m.symptom.display
                        + (f" {round(m.coverage * 100)}%" if m.coverage < 1.0 else "")
                        for m in shown
                    )
                elif any(child_marks):
                    n = sum(bool(cm) for cm in child_marks)
                    state = Qt.CheckState.PartiallyChecked
                    felt = dict.fromkeys(m.symptom.display for cm in child_marks for m in cm)
                    text = f"{', '.join(felt)}: {n} of {len(child_marks)} parts"
                else:
                    state = Qt.CheckState.Unchecked
                    text = ""
                if row.checkState(0) != state:
                    row.setCheckState(0, state)
                if row.text(1) != text:
                    row.setText(1, text)
                name = display_name(zone)
                acc = f"{name}, {side.value}: {text or 'not marked'}"
                row.setData(0, Qt.ItemDataRole.AccessibleTextRole, acc)

    # rows -> model -----------------------------------------------------------------------
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0:
            return
        if self._state.read_only:  # explore mode: the rows only show the marks
            self._sync_checks()
            return
        zone = str(item.data(0, ZONE_ROLE))
        if item.checkState(0) == Qt.CheckState.Checked:
            self._model.mark_zone_whole(zone, self._side, self._state.symptom)
        elif item.checkState(0) == Qt.CheckState.Unchecked:
            self._model.clear_zone(zone, self._side, self._fine)
        # the model's signal re-syncs; if nothing changed, restore the row
        self._sync_checks()

    def _on_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            return
        zone = str(current.data(0, ZONE_ROLE))
        self._state.set_current_zone(self._side, zone)

    def _on_state_current(self, side: str, zone: str) -> None:
        if not side or not zone:
            return
        if not self.isVisible():  # another tab: follow the current zone when next needed
            self._pending_current = (side, zone)
            return
        self._pending_current = None
        self._show_current(side, zone)

    def _show_current(self, side: str, zone: str) -> None:
        if zone not in self._rows:
            zone = area_of(zone)
            if zone not in self._rows:
                return
        if Side(side) != self._side:
            self.set_side(side)
        row = self._rows[zone]
        if self._tree.currentItem() is not row:
            parent = row.parent()
            if parent is not None:
                parent.setExpanded(True)
            with QSignalBlocker(self._tree):  # following the state: no intent back
                self._tree.setCurrentItem(row)
            self._tree.scrollToItem(row)

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        shown = 0
        for i in range(self._tree.topLevelItemCount()):
            top = self._tree.topLevelItem(i)
            if top is None:
                continue
            children = [c for c in (top.child(j) for j in range(top.childCount())) if c]
            top_hit = not needle or needle in top.text(0).lower()
            any_child = False
            for ch in children:
                hit = top_hit or needle in str(ch.toolTip(0)).lower()
                ch.setHidden(not hit)
                any_child = any_child or hit
            top.setHidden(not (top_hit or any_child))
            shown += not top.isHidden()
            if needle and any_child and not top_hit:
                top.setExpanded(True)
        self._no_match.setText(f"No area matches “{text.strip()}”." if not shown else "")
        self._no_match.setVisible(not shown)
