"""Explore mode: pick a root or a nerve, see its territory on every view, compare atlases.

The panel reads :mod:`core.learn` / :mod:`core.clinical` and writes only the UI state's highlight
channel (``state.set_highlight``); it never changes the session.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import clinical, learn
from core.model import Side
from core.names import (
    finding_name,
    is_nerve,
    lower_first,
    nerve_hypothesis,
    nerve_id,
    nerve_plain_name,
)
from core.zones import area_of, display_name
from gui import theme
from gui.learn.common import heading, scrolling_body
from gui.learn.compare_maps_box import CompareMapsBox
from gui.panel.combos import FormCombo
from gui.panel.labels import SourcesLabel
from gui.session_model import SessionModel
from gui.state import Mode, UiState

ZoneKey = tuple[str, Side]

TIERS = ((1.0, "core"), (0.5, "shared"))  # grades the highlight shows, with display weights


def target_color(target: str) -> QColor:
    """The theme hue of a root or ``peripheral:<nerve>``."""
    if is_nerve(target):
        return theme.nerve_color(nerve_id(target))
    return theme.root_color(target)


def text_on(color: QColor) -> str:
    """Black or white, whichever reads better on ``color``."""
    r, g, b = color.redF(), color.greenF(), color.blueF()
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "#ffffff"


def tier_swatch(color: QColor, weight: float) -> QColor:
    """The colour a zone of ``weight`` shows on the diagram: ``color`` at the diagram's
    strength for it over the skin (a translucent swatch on the panel's background did not match:
    1.44:1 against 1.3:1 in the dark theme, a UX review)."""
    a = theme.highlight_alpha(weight) / 255
    skin = theme.colors().skin
    pairs = (
        (color.red(), skin.red()),
        (color.green(), skin.green()),
        (color.blue(), skin.blue()),
    )
    return QColor(*(round(c * a + s * (1 - a)) for c, s in pairs))


def tier_legend(color: QColor) -> str:
    """Rich-text legend: three swatches, each the colour the diagram shows for its tier."""
    cells = []
    for w, name in TIERS:
        cells.append(
            f'<span style="background:{tier_swatch(color, w).name()}">&nbsp;&nbsp;&nbsp;&nbsp;'
            f"</span>&nbsp;{name} <small>({w:g})</small>"
        )
    return "&nbsp;&nbsp; ".join(cells)


def _rgba(c: QColor, alpha: int) -> str:
    return f"rgba({c.red()},{c.green()},{c.blue()},{alpha})"


def supply_text(atlas: clinical.Atlas, area: str) -> tuple[str, str]:
    """(rich text, plain text) of what ``atlas`` says about ``area``: roots with grades, or
    that the map leaves it blank (variable) or does not assign it."""
    if area in atlas.variable:
        return "<i>left blank: varies too much between people</i>", "variable, no root"
    if area in atlas.unassigned:
        return "<i>not assigned on this map</i>", "not assigned"
    row = sorted(
        atlas.grades.get(area, {}).items(),
        key=lambda rg: (clinical.GRADES.index(rg[1]), clinical.ROOT_IDS.index(rg[0])),
    )
    if not row:
        return "<i>no root assigned</i>", "none"
    rich = " · ".join(
        f'<span style="color:{theme.root_color(r).name()}">■</span> <b>{r}</b> {g}' for r, g in row
    )
    return rich, ", ".join(f"{r} {g}" for r, g in row)


def _section(title: str) -> QLabel:
    lab = QLabel(title)
    f = lab.font()
    f.setBold(True)
    lab.setFont(f)
    return lab


class ExplorePanel(QWidget):
    """Explore dermatomes and nerve territories (side panel for :attr:`Mode.EXPLORE`)."""

    def __init__(self, model: SessionModel, state: UiState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._state = state
        self._target: str | None = None
        self._comparing = False
        self._own: tuple[dict[ZoneKey, float], str] | None = None  # highlight we set last
        self._read_out: tuple[str, Side | None] | None = None  # zone the read-out describes
        self.setObjectName("explore_panel")
        self.setAccessibleName("Explore dermatomes")

        lay = scrolling_body(self)

        # header ----------------------------------------------------------------------------
        title = heading("Explore dermatomes")
        lay.addWidget(title)
        self.atlas_label = QLabel()
        self.atlas_label.setWordWrap(True)
        self.atlas_label.setAccessibleName("Map in use")
        lay.addWidget(self.atlas_label)

        # root picker -----------------------------------------------------------------------
        lay.addWidget(_section("Nerve root"))
        grid = QGridLayout()
        grid.setSpacing(6)
        # no QButtonGroup: Qt then gives Tab to one of its buttons only (L1), and the panel
        # keeps one root at most checked itself (or none)
        self.root_buttons: dict[str, QToolButton] = {}
        for i, root in enumerate(clinical.ROOT_IDS):
            b = QToolButton()
            b.setText(root)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setAccessibleName(f"Show the {root} dermatome")
            b.setToolTip(f"Highlight the {root} dermatome on every view")
            b.setMinimumSize(46, 34)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setObjectName(f"root_{root}")
            b.clicked.connect(lambda _=False, r=root: self._root_clicked(r))
            self.root_buttons[root] = b
            grid.addWidget(b, i // 5, i % 5)
        lay.addLayout(grid)

        nerve_row = QHBoxLayout()
        nerve_lab = QLabel("Peripheral &nerve:")
        self.nerve_combo = FormCombo()  # the wheel scrolls the panel past it
        self.nerve_combo.setAccessibleName("Peripheral nerve")
        self.nerve_combo.addItem("Choose a nerve…", "")
        for nid, nerve in clinical.nerves().items():
            self.nerve_combo.addItem(nerve.name, nid)
        nerve_lab.setBuddy(self.nerve_combo)
        self.nerve_combo.activated.connect(self._nerve_chosen)
        nerve_row.addWidget(nerve_lab)
        nerve_row.addWidget(self.nerve_combo, 1)
        lay.addLayout(nerve_row)

        # card ------------------------------------------------------------------------------
        self.card = QFrame()
        self.card.setObjectName("explore_card")
        self.card.setAccessibleName("Territory details")
        cl = QVBoxLayout(self.card)
        cl.setContentsMargins(12, 10, 12, 10)
        cl.setSpacing(6)
        self.card_title = QLabel()
        self.card_title.setWordWrap(True)  # long nerve names must not widen the panel
        ctf = self.card_title.font()
        ctf.setPointSizeF(ctf.pointSizeF() * 1.2)
        ctf.setBold(True)
        self.card_title.setFont(ctf)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setAccessibleName("Highlight legend")
        self.legend.setWordWrap(True)
        self.card_body = QLabel()
        self.card_body.setTextFormat(Qt.TextFormat.RichText)
        self.card_body.setWordWrap(True)
        self.card_body.setAccessibleName("Facts")
        self.card_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.card_sources = SourcesLabel()
        cl.addWidget(self.card_title)
        cl.addWidget(self.legend)
        cl.addWidget(self.card_body)
        cl.addWidget(self.card_sources)
        lay.addWidget(self.card)

        # hover read-out --------------------------------------------------------------------
        self.supply_box = QGroupBox("Under the pointer")
        self.supply_box.setAccessibleName("Supply of the zone under the pointer")
        sl = QVBoxLayout(self.supply_box)
        self.zone_label = QLabel("Point at a zone (or move the keyboard focus to one).")
        self.zone_label.setWordWrap(True)
        self.zone_label.setAccessibleName("Zone")
        sl.addWidget(self.zone_label)
        self.supply_labels: dict[str, QLabel] = {}
        for aid, atlas in clinical.atlases().items():
            lab = QLabel()
            lab.setTextFormat(Qt.TextFormat.RichText)
            lab.setWordWrap(True)
            lab.setAccessibleName(f"Roots on the {atlas.name} map")
            lab.setToolTip(atlas.description)
            self.supply_labels[aid] = lab
            sl.addWidget(lab)
        self.nerve_supply = QLabel()
        self.nerve_supply.setTextFormat(Qt.TextFormat.RichText)
        self.nerve_supply.setWordWrap(True)
        self.nerve_supply.setAccessibleName("Peripheral nerves")
        sl.addWidget(self.nerve_supply)
        lay.addWidget(self.supply_box)

        # compare ---------------------------------------------------------------------------
        self.compare = CompareMapsBox()
        self.compare.comparing_changed.connect(self._compare_toggled)
        self.compare.highlight_changed.connect(self._compare_changed)
        lay.addWidget(self.compare)
        lay.addStretch(1)

        # Long nerve and atlas names must not widen the panel past the side pane.
        for box in self.findChildren(QComboBox):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
        model.atlas_changed.connect(self._refresh)
        model.session_replaced.connect(self._refresh)
        state.learning_atlas_changed.connect(self._refresh)
        state.mode_changed.connect(self._on_mode)
        state.hovered_zone_changed.connect(self._on_zone)
        state.current_zone_changed.connect(self._on_zone)
        self._style_roots()
        self._refresh()
        self._ready = True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_ready", False) and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._style_roots()
            self._refresh()

    # public -----------------------------------------------------------------------------
    @property
    def target(self) -> str | None:
        """The root id or ``peripheral:<nerve>`` shown, or None."""
        return self._target

    @property
    def atlas(self) -> str:
        """The map shown: the learning modes' own once one is chosen (never the session's)."""
        aid = self._state.map_of(self._model)
        return aid if aid in clinical.atlases() else "consensus"

    def select(self, target: str | None) -> None:
        """Show ``target`` (root id or ``peripheral:<nerve>``); None clears."""
        self._target = target
        if target is not None and self._comparing:
            self.compare.compare_button.setChecked(False)  # -> _compare_toggled(False)
        for r, b in self.root_buttons.items():
            b.setChecked(r == target)
        nerve = nerve_id(target) if target and is_nerve(target) else ""
        idx = self.nerve_combo.findData(nerve)
        self.nerve_combo.setCurrentIndex(max(0, idx))
        self._refresh()

    # slots ------------------------------------------------------------------------------
    def _root_clicked(self, root: str) -> None:
        self.select(None if self._target == root else root)

    def _nerve_chosen(self, index: int) -> None:
        nid = self.nerve_combo.itemData(index)
        self.select(nerve_hypothesis(nid) if nid else None)

    def _compare_toggled(self, on: bool) -> None:
        self._comparing = on
        if on and self._target is not None:
            self._target = None
            for b in self.root_buttons.values():
                b.setChecked(False)
            self.nerve_combo.setCurrentIndex(0)
        self._refresh()

    def _compare_changed(self) -> None:
        if self._comparing:
            self._apply_highlight()

    def sync_mode(self) -> None:
        """Catch up with the current mode (for a panel created after the mode changed)."""
        self._on_mode(self._state.mode.value)

    def _on_mode(self, mode: str) -> None:
        if Mode(mode) is Mode.EXPLORE:
            self._refresh()  # the learning modes' map may differ from the clinical one
        else:
            self._clear_own_highlight()

    def _on_zone(self, side: str, zone: str) -> None:
        if not zone:
            return
        self.show_supply(zone, Side(side) if side else None)

    # read-outs --------------------------------------------------------------------------
    def show_supply(self, zone: str, side: Side | None = None) -> None:
        """Fill the hover read-out for ``zone`` (roots per atlas, nerves)."""
        self._read_out = (zone, side)
        where = f"{side.display} " if side else ""
        self.zone_label.setText(f"<b>{escape(where + display_name(zone).lower())}</b>")
        current = self.atlas
        area = area_of(zone)
        for aid, lab in self.supply_labels.items():
            atlas = clinical.atlases()[aid]
            text, plain = supply_text(atlas, area)
            mark = " ◀ in use" if aid == current else ""
            lab.setText(f"{escape(atlas.short_name)}: {text}<small>{mark}</small>")
            lab.setAccessibleDescription(plain)
        nerves = learn.zone_nerves(zone)
        text = ", ".join(
            f"{escape(nerve_plain_name(n).lower())} ({learn.weight_word(w)})" for n, w in nerves
        )
        self.nerve_supply.setText(f"Nerves: {text or '<i>none of the listed mimics</i>'}")

    # rendering --------------------------------------------------------------------------
    def _style_roots(self) -> None:
        focus = theme.colors().focus.name()
        for root, b in self.root_buttons.items():
            hue = theme.root_color(root)
            b.setStyleSheet(
                "QToolButton {"
                f" border: 2px solid {hue.name()}; border-radius: 7px; padding: 4px 6px;"
                " font-weight: 600; }"
                f"QToolButton:hover {{ background: {_rgba(hue, 60)}; }}"
                f"QToolButton:checked {{ background: {hue.name()}; color: {text_on(hue)}; }}"
                # the keyboard focus in the theme's focus colour, as on every control (a dashed
                # border in the root's colour changed the button by about 2:1)
                f"QToolButton:focus {{ border: 3px solid {focus}; padding: 3px 5px; }}"
            )

    def _refresh(self, *_: object) -> None:
        atlas = clinical.atlases()[self.atlas]
        self.atlas_label.setText(
            f"Map: <b>{escape(atlas.name)}</b> — change it with the map selector. "
            "Pick a root or a nerve to see its skin territory on every view."
        )
        self.atlas_label.setToolTip(atlas.description)
        if self._read_out is not None:  # "◀ in use" follows the map
            self.show_supply(*self._read_out)
        self._fill_card()
        self._apply_highlight()

    def _fill_card(self) -> None:
        t = self._target
        if self._comparing:
            self.card.setVisible(False)
            return
        self.card.setVisible(True)
        hue = target_color(t) if t else theme.colors().focus
        self.card.setStyleSheet(
            "QFrame#explore_card { border: 1px solid palette(mid);"
            f" border-left: 6px solid {hue.name()}; border-radius: 6px;"
            " background: palette(base); }"
        )
        if t is None:
            self.card_title.setText("Pick a root or a nerve")
            self.legend.setText("")
            self.legend.setVisible(False)  # (an empty line under the title otherwise)
            self.card_body.setText(
                "Each root (L1–S5) supplies a strip of skin, its <b>dermatome</b>. "
                "Neighbouring dermatomes overlap and the published maps differ, so the "
                "diagram shades a root's <b>core</b> areas more strongly than the areas it "
                "<b>shares</b> with a neighbour.<br><br>Hover over any zone to see which roots "
                "and nerves supply it on each map; <b>Side by side</b> below shows two or three "
                "maps next to each other."
            )
            self.card_sources.set_sources(())
            return
        self.legend.setText(tier_legend(hue))
        self.legend.setVisible(True)
        if is_nerve(t):
            self._fill_nerve(nerve_id(t))
        else:
            self._fill_root(t)

    def _tiers(self, target: str) -> str:
        # the zones and grades the diagram draws (a nerve's finer per-zone grades included)
        rows = [
            f"<b>{escape(tier.label)}:</b> {escape(', '.join(learn.zone_names(tier.zones)))}"
            for tier in learn.territory_tiers(target, self.atlas)
        ]
        return "<br>".join(rows) or "<i>No territory on this map.</i>"

    def _fill_root(self, root: str) -> None:
        info = clinical.roots()[root]
        atlas = clinical.atlases()[self.atlas]
        self.card_title.setText(f"{root} dermatome  ·  {atlas.short_name} map")
        main, also = learn.root_movements(root)

        def words(moves: tuple[str, ...]) -> str:
            return ", ".join(lower_first(finding_name(f"strength:{m}")) for m in moves)

        reflex = finding_name(f"reflex:{info.reflex}") if info.reflex else "no routine reflex"
        parts = [
            self._tiers(root),
            "",
            f"<b>Key sensory point:</b> {escape(info.key_point)}",
            f"<b>Key muscle:</b> {escape(info.key_muscle)}",
            f"<b>Main movements:</b> {escape(words(main) or '—')}",
            f"<b>Also supplies:</b> {escape(words(also) or '—')}",
            f"<b>Reflex:</b> {escape(reflex)}",
            f"<b>Pain pattern:</b> {escape(info.pain_pattern)}",
            f"<b>Typical causes:</b> {escape('; '.join(info.typical_conditions))}",
        ]
        self.card_body.setText("<br>".join(parts))
        self.card_sources.set_sources(learn.target_sources(root, self.atlas))

    def _fill_nerve(self, nid: str) -> None:
        nerve = clinical.nerves()[nid]
        self.card_title.setText(nerve.name)
        target = nerve_hypothesis(nid)
        kind = "purely sensory" if nerve.pure_sensory else "sensory and motor"
        parts = [
            self._tiers(target),
            "",
            f"<b>Roots:</b> {escape(', '.join(nerve.roots))} ({kind})",
            f"<b>Motor:</b> {escape(nerve.motor)}",
            f"<b>Telling it from a root lesion:</b> {escape(nerve.distinguishing)}",
            f"<b>Common causes:</b> {escape(nerve.causes)}",
            "<i>Nerve territories are the same on every dermatome map.</i>",
        ]
        self.card_body.setText("<br>".join(parts))
        self.card_sources.set_sources(nerve.sources)

    # highlight ---------------------------------------------------------------------------
    def current_highlight(self) -> tuple[dict[ZoneKey, float], str]:
        """What this panel wants on the diagram: (zones, colour name)."""
        if self._comparing:
            return self.compare.highlight(), theme.colors().disagreement.name()
        if self._target is None:
            return {}, ""
        return learn.territory_zones(self._target, self.atlas), target_color(self._target).name()

    def _apply_highlight(self) -> None:
        if self._state.mode is not Mode.EXPLORE:
            return
        zones, color = self.current_highlight()
        self._own = (zones, color)
        self._state.set_highlight(zones, color)

    def _clear_own_highlight(self) -> None:
        own = self._own
        self._own = None
        if own is not None and (self._state.highlight, self._state.highlight_color) == own:
            self._state.set_highlight(None)
