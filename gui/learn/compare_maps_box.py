"""Explore mode's "Compare maps" box: two published maps, the area/root cells where they differ
(a list, one shaded on the diagram when chosen), and the side-by-side window.

The box reads :mod:`core.clinical` only; :class:`gui.learn.explore_panel.ExplorePanel` puts what
it wants shaded on the diagram (:meth:`CompareMapsBox.highlight`).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import clinical, learn
from core.model import Side
from core.zones import area_of, areas
from gui.learn.common import area_list
from gui.learn.map_compare import MapCompareDialog
from gui.panel.combos import FormCombo
from gui.panel.labels import SourcesLabel

ZoneKey = tuple[str, Side]


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a closing full stop ("the bands … cross the
    buttock" -> "The bands … cross the buttock.")."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


class CompareMapsBox(QGroupBox):
    """Two maps side by side in words: where they differ, and on the diagram when asked."""

    comparing_changed = Signal(bool)  # "Show where they differ" turned on or off
    highlight_changed = Signal()  # another pair of maps, or another difference chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Compare maps", parent)
        self.setAccessibleName("Compare maps")
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.atlas_a = FormCombo()
        self.atlas_b = FormCombo()
        for combo, name in ((self.atlas_a, "First map"), (self.atlas_b, "Second map")):
            combo.setAccessibleName(name)
            for aid, atlas in clinical.atlases().items():  # short names: two fit side by side
                combo.addItem(atlas.short_name, aid)
                combo.setItemData(combo.count() - 1, atlas.name, Qt.ItemDataRole.ToolTipRole)
        ids = list(clinical.atlases())
        self.atlas_a.setCurrentIndex(ids.index("consensus") if "consensus" in ids else 0)
        self.atlas_b.setCurrentIndex(ids.index("keegan_garrett") if "keegan_garrett" in ids else 1)
        row.addWidget(self.atlas_a, 1)
        row.addWidget(QLabel("vs"))
        row.addWidget(self.atlas_b, 1)
        lay.addLayout(row)
        self.compare_button = QPushButton("Show where they differ")
        self.compare_button.setCheckable(True)
        self.compare_button.setAccessibleName("Show where the two maps differ")
        self.compare_button.toggled.connect(self._toggled)
        lay.addWidget(self.compare_button)
        self.side_by_side_button = QPushButton("Side by side…")
        self.side_by_side_button.setAccessibleName("Show the maps side by side on one view")
        self.side_by_side_button.setToolTip(
            "Two or three maps next to each other on the same diagram view"
        )
        self.side_by_side_button.clicked.connect(self.show_side_by_side)
        lay.addWidget(self.side_by_side_button)
        self.side_by_side: MapCompareDialog | None = None
        self.diff_summary = QLabel()
        self.diff_summary.setWordWrap(True)
        lay.addWidget(self.diff_summary)
        self.diff_list = QListWidget()
        self.diff_list.setAccessibleName("Differences between the maps")
        self.diff_list.setWordWrap(True)
        self.diff_list.setMinimumHeight(140)
        self.diff_list.currentRowChanged.connect(self._selected)
        lay.addWidget(self.diff_list)
        self.diff_detail = QLabel()
        self.diff_detail.setWordWrap(True)
        self.diff_detail.setAccessibleName("Selected difference")
        lay.addWidget(self.diff_detail)
        self.diff_sources = SourcesLabel()
        lay.addWidget(self.diff_sources)
        self.atlas_a.currentIndexChanged.connect(self.refresh)
        self.atlas_b.currentIndexChanged.connect(self.refresh)
        self.refresh()

    @property
    def comparing(self) -> bool:
        """Whether the differences are shown on the diagram."""
        return self.compare_button.isChecked()

    def show_side_by_side(self) -> MapCompareDialog:
        """Open (or raise) the small-multiples window with the two compared maps chosen."""
        a, b = self.atlas_a.currentData(), self.atlas_b.currentData()
        if self.side_by_side is None:
            self.side_by_side = MapCompareDialog(self, chosen=list(dict.fromkeys((a, b))))
        self.side_by_side.show()
        self.side_by_side.raise_()
        return self.side_by_side

    def highlight(self) -> dict[ZoneKey, float]:
        """The diagram zones where the two maps differ (the chosen difference fully)."""
        a, b = self.atlas_a.currentData(), self.atlas_b.currentData()
        diff = {d.area for d in clinical.disagreements(a, b)} if a != b else set()
        zones = {k: 0.55 for k in learn.diagram_zones() if area_of(k[0]) in diff}
        item = self.diff_list.currentItem()
        if item is not None:
            area = item.data(Qt.ItemDataRole.UserRole)
            for k in zones:
                if area_of(k[0]) == area:
                    zones[k] = 1.0
        return zones

    def _toggled(self, on: bool) -> None:
        self.compare_button.setText(
            "Showing differences on the diagram (click to hide)" if on else "Show where they differ"
        )
        self.comparing_changed.emit(on)

    def _selected(self, row: int) -> None:
        item = self.diff_list.item(row) if row >= 0 else None
        ids = item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else ()
        self.diff_sources.set_sources(tuple(ids or ()))
        self.diff_detail.setText(
            str(item.data(Qt.ItemDataRole.AccessibleTextRole)) if item is not None else ""
        )
        self.highlight_changed.emit()

    def refresh(self, *_: object) -> None:
        """List the differences between the two chosen maps."""
        a, b = self.atlas_a.currentData(), self.atlas_b.currentData()
        self.diff_list.clear()
        if a == b:
            self.diff_summary.setText("Pick two different maps.")
            self.diff_sources.set_sources(())
        else:
            self._list(a, b)
        self.diff_detail.setText("")
        self.diff_list.setFixedHeight(
            max(60, min(240, 8 + self.diff_list.sizeHintForRow(0) * self.diff_list.count()))
            if self.diff_list.count()
            else 60
        )
        self.highlight_changed.emit()

    def _list(self, a: str, b: str) -> None:
        diffs = clinical.disagreements(a, b)
        ma, mb = clinical.atlases()[a], clinical.atlases()[b]
        na, nb = ma.short_name, mb.short_name
        blank = sorted(
            {ar for ar in areas() if clinical.main_roots(ma, ar) is None}
            ^ {ar for ar in areas() if clinical.main_roots(mb, ar) is None}
        )
        summary = (
            f"{len(diffs)} area/root cells differ between {na} and {nb} (a root core or "
            "shared on one map, absent or only occasional on the other); the selected row "
            "is shaded fully."
            if diffs
            else f"{na} and {nb} give the same roots wherever both assign an area."
        )
        if blank:
            summary += f" Left blank on one map only: {escape(area_list(blank))}."
        self.diff_summary.setText(summary)
        for d in diffs:
            name = areas()[d.area].name
            ga, gb = d.grade_a or "not listed", d.grade_b or "not listed"
            it = QListWidgetItem(f"{name} · {d.root}:  {ga} → {gb}")
            explanation = f"{name}: {d.root} is {ga} on {na} and {gb} on {nb}."
            if d.note:  # a map's own note on the cell, as a sentence
                explanation += f" {sentence(d.note)}"
            it.setToolTip(explanation + "\n" + clinical.cite(d.sources))
            it.setData(Qt.ItemDataRole.UserRole, d.area)
            it.setData(Qt.ItemDataRole.UserRole + 1, list(d.sources))
            it.setData(Qt.ItemDataRole.AccessibleTextRole, explanation)
            self.diff_list.addItem(it)
        self.diff_sources.set_sources(())
