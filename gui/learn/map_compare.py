"""Explore mode: two or three dermatome maps side by side on the same diagram view.

:class:`MapCompareDialog` shows one small, titled copy of a chosen diagram view per chosen map
(small multiples), each painted with that map's dermatome overlay (every sharing root as
stripes, blank areas hatched), optionally with the areas where the chosen maps disagree marked.
It reads :mod:`core.clinical` only and never changes the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from core import clinical
from core.geometry import View, load_diagram
from core.zones import area_of
from gui import theme
from gui.diagram.atlas_overlay import (
    ASSIGNED,
    atlas_supply,
    brush_swatch,
    legend_keys,
    supply_brush,
)
from gui.diagram.items import TextLabel, ZoneItem, polygon_path, show_uncovered
from gui.diagram.line_art import BorderItem, InkItem, SkinItem

MAX_MAPS = 3
TILE_ALPHA = 150


def differing_areas(atlas_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Areas where any two of the chosen maps give different root sets (docs/atlases.md)."""
    return clinical.disagreeing_areas(atlas_ids) if len(atlas_ids) > 1 else {}


class _TileView(QGraphicsView):
    """A read-only view that always shows its whole diagram view, fitted."""

    after_fit: Callable[[], None] | None = None

    def set_bounds(self, rect: QRectF) -> None:
        self._bounds = rect
        self.scene().setSceneRect(rect)
        self.fit()

    def fit(self) -> None:
        if hasattr(self, "_bounds"):
            self.fitInView(self._bounds, Qt.AspectRatioMode.KeepAspectRatio)
            if self.after_fit is not None:
                self.after_fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()


def _clear(layout: QLayout) -> None:
    """Remove and delete everything in ``layout`` (nested layouts too)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        w = item.widget()
        if w is not None:
            w.hide()
            w.deleteLater()
        sub = item.layout()
        if sub is not None:
            _clear(sub)


class MapTile(QFrame):
    """One diagram view painted with one map's dermatomes, under the map's name."""

    def __init__(self, view: View, atlas_id: str, marked: frozenset[str]) -> None:
        super().__init__()
        atlas = clinical.atlases()[atlas_id]
        self.atlas_id = atlas_id
        self.setObjectName(f"map_tile_{atlas_id}")
        self.setAccessibleName(f"{atlas.name}: {view.title}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.title = QLabel(f"<b>{atlas.name}</b>")
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setToolTip(atlas.description)
        lay.addWidget(self.title)
        self.scene = QGraphicsScene(self)
        self.view = _TileView(self.scene)
        self.view.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMinimumSize(220, 120)
        lay.addWidget(self.view, 1)
        self.zones: list[ZoneItem] = []
        self.labels: list[TextLabel] = []  # the roots' labels
        self._placed: list[TextLabel] = []  # every label, the first to keep its place first
        self._build(view, atlas_id, marked)
        self.view.after_fit = self.declutter
        self.declutter()

    def _build(self, view: View, atlas_id: str, marked: frozenset[str]) -> None:
        c = theme.colors()
        borders = QPainterPath()
        outline = QPainterPath()
        for o in view.outlines:
            outline.addPath(polygon_path(o.points))
        self.scene.addItem(SkinItem(QPainterPath(outline), c.skin))
        areas = {area_of(z.id) for z in view.zones}
        supply = atlas_supply(atlas_id, areas)
        alpha = 175 if theme.is_dark() else TILE_ALPHA
        best: dict[tuple[str, str], ZoneItem] = {}
        for shape in view.zones:
            it = ZoneItem(shape)
            area = area_of(shape.id)
            sup = supply.get(area)
            tint = supply_brush(sup, alpha) if sup is not None else None
            note = sup.note if sup is not None else ""
            it.set_overlay(tint, None, area in marked, note)
            self.scene.addItem(it)
            self.zones.append(it)
            borders.addPath(polygon_path(shape.points))
            if sup is not None and sup.status == ASSIGNED and sup.roots:
                key = (sup.label, shape.side.value)
                if key not in best or it.area > best[key].area:
                    best[key] = it
        self.scene.addItem(BorderItem(borders, c.zone_border))
        self.scene.addItem(InkItem(outline, theme.diagram_colors().ink, 1.4))
        dc = theme.diagram_colors()
        sides: list[TextLabel] = []  # the patient's sides keep their place first
        others: list[TextLabel] = []  # "medial", "toes", the subtitle: last
        for vl in view.labels:  # "Patient's RIGHT", "medial", "toes" (the title is the combo's)
            if vl.kind == "title":
                continue
            size, bold = (7.5, True) if vl.kind == "side" else (7.0, False)
            cap = TextLabel(vl.text, c.label, point_size=size, bold=bold, italic=not bold)
            cap.setPos(vl.x, vl.y)
            self.scene.addItem(cap)
            (sides if vl.kind == "side" else others).append(cap)
        for (text, _side), it in sorted(best.items(), key=lambda kv: -kv[1].area):
            lb = TextLabel(text, dc.ink, point_size=7.5, bold=True, halo=dc.halo)
            lb.setPos(*it.zone_shape.label)
            lb.setZValue(10)
            self.scene.addItem(lb)
            self.labels.append(lb)
        self._placed = [*sides, *self.labels, *others]
        x, y, w, h = view.bounds
        self.view.set_bounds(QRectF(x, y, w, h).adjusted(-4, -4, 4, 4))

    def declutter(self) -> None:
        """At the tile's zoom, show each label only where it covers none shown before it (the
        patient's sides first, then the roots, then the small captions)."""
        show_uncovered(self._placed, self.view.viewportTransform(), inset=(2, 1))


class MapCompareDialog(QDialog):
    """Small multiples: the same diagram view under two or three chosen maps."""

    def __init__(self, parent: QWidget | None = None, chosen: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("map_compare_dialog")
        self.setWindowTitle("Dermatome maps side by side")
        self.setAccessibleName("Dermatome maps side by side")
        self.resize(980, 560)
        self._diagram = load_diagram()
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Maps:"))
        self.map_boxes: dict[str, QCheckBox] = {}
        ids = list(clinical.atlases())
        chosen = [a for a in chosen if a in ids] or ["keegan_garrett", "foerster", "lee"]
        for aid in ids:
            box = QCheckBox(clinical.atlases()[aid].short_name.replace("&", "&&"))
            box.setObjectName(f"compare_map_{aid}")
            box.setAccessibleName(f"Show the {clinical.atlases()[aid].name} map")
            box.setChecked(aid in chosen[:MAX_MAPS])
            box.toggled.connect(lambda on, a=aid: self._map_toggled(a, on))
            self.map_boxes[aid] = box
            top.addWidget(box)
        top.addSpacing(12)
        view_lab = QLabel("&View:")
        self.view_combo = QComboBox()
        self.view_combo.setAccessibleName("Diagram view")
        for v in self._diagram.views:
            self.view_combo.addItem(v.title, v.id)
        view_lab.setBuddy(self.view_combo)
        self.view_combo.currentIndexChanged.connect(self._rebuild)
        top.addWidget(view_lab)
        top.addWidget(self.view_combo, 1)
        self.disagree_box = QCheckBox("Mark where these maps disagree")
        self.disagree_box.setChecked(True)
        self.disagree_box.toggled.connect(self._rebuild)
        top.addWidget(self.disagree_box)
        lay.addLayout(top)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.tiles_box = QHBoxLayout()
        lay.addLayout(self.tiles_box, 1)
        self.legend = QGridLayout()
        self.legend.setHorizontalSpacing(14)
        self.legend.setVerticalSpacing(2)
        lay.addLayout(self.legend)
        self.tiles: list[MapTile] = []
        self._rebuild()

    def chosen(self) -> list[str]:
        """The chosen map ids, in the maps' order."""
        return [aid for aid, box in self.map_boxes.items() if box.isChecked()]

    def set_view(self, view_id: str) -> None:
        self.view_combo.setCurrentIndex(max(0, self.view_combo.findData(view_id)))

    def _map_toggled(self, aid: str, on: bool) -> None:
        chosen = self.chosen()
        if on and len(chosen) > MAX_MAPS:  # at most three: the first other map makes way
            oldest = next(a for a in chosen if a != aid)
            self.map_boxes[oldest].setChecked(False)  # re-enters and rebuilds
            return
        self._rebuild()

    def _rebuild(self, *_: object) -> None:
        for tile in self.tiles:
            self.tiles_box.removeWidget(tile)
            tile.hide()
            tile.deleteLater()
        self.tiles = []
        chosen = self.chosen()
        view = self._diagram.views[max(0, self.view_combo.currentIndex())]
        _x, _y, w, h = view.bounds
        wide = w > 1.6 * h  # a wide view (ankle and foot) reads better stacked
        self.tiles_box.setDirection(
            QBoxLayout.Direction.TopToBottom if wide else QBoxLayout.Direction.LeftToRight
        )
        diff = differing_areas(chosen) if self.disagree_box.isChecked() else {}
        marked = frozenset(diff)
        for aid in chosen:
            tile = MapTile(view, aid, marked)
            self.tiles_box.addWidget(tile, 1)
            self.tiles.append(tile)
            if self.isVisible():
                tile.show()
        if len(chosen) < 2:
            self.hint.setText("Pick two or three maps to compare.")
        else:
            shown = [a for a in diff if any(area_of(z.id) == a for z in view.zones)]
            names = ", ".join(clinical.atlases()[a].short_name for a in chosen)
            n = len(shown)
            differ = {
                0: "no area of this view gets different roots",
                1: "1 area of this view gets different roots (cross-hatched)",
            }.get(n, f"{n} areas of this view get different roots (cross-hatched)")
            self.hint.setText(
                f"{names}: {differ}. Hover a zone for each map's roots and sources."
                if self.disagree_box.isChecked()
                else f"{names}. Hover a zone for each map's roots and sources."
            )
        self._fill_legend(chosen, view, bool(marked))

    def _fill_legend(self, chosen: list[str], view: View, disagreement: bool) -> None:
        _clear(self.legend)
        areas = {area_of(z.id) for z in view.zones}
        roots: set[str] = set()
        status: set[str] = set()
        split = False
        for aid in chosen:
            for sup in atlas_supply(aid, areas).values():
                roots |= {r for r, _g in sup.drawn}
                status.add(sup.status)
                split = split or len(sup.drawn) > 1
        entries = [
            (r, QBrush(theme.root_color(r, 200)), "root") for r in clinical.ROOT_IDS if r in roots
        ]
        keys = legend_keys(
            split=split,
            variable="variable" in status,
            unassigned="unassigned" in status,
            disagreement=disagreement,
            disagreement_text="these maps give the zone different roots",
        )
        self.legend_entries: list[tuple[str, str]] = []
        roots_row = QHBoxLayout()
        self.legend.addLayout(roots_row, 0, 0, 1, 2)
        cells: list[tuple[tuple[str, QBrush, str], int, int]]
        cells = [(e, 0, -1) for e in entries]
        cells += [(k, 1 + i // 2, i % 2) for i, k in enumerate(keys)]
        for (text, brush, kind), row, col in cells:
            sw = QLabel()
            sw.setFixedSize(14, 11)
            sw.setPixmap(brush_swatch(brush, sw.size(), self.devicePixelRatioF()))
            lab = QLabel(text)
            lab.setAccessibleName(f"{kind} {text}")
            cell = QHBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(sw)
            cell.addWidget(lab)
            if col < 0:
                cell.addSpacing(8)
                roots_row.addLayout(cell)
            else:
                cell.addStretch(1)
                self.legend.addLayout(cell, row, col)
            self.legend_entries.append((kind, text))
        roots_row.addStretch(1)
