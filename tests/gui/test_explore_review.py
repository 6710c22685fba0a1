"""Explore panel, from a student's review in the real window: the card lists what the diagram
shades (with the same grades), a long nerve name wraps inside the pane, the pointer read-out
follows a change of map, and the compare box's map notes read as sentences."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from core import clinical, learn
from core.model import Side
from core.names import nerve_hypothesis
from gui.learn.explore_panel import ExplorePanel
from gui.state import Mode


def _explore(window) -> ExplorePanel:  # type: ignore[no-untyped-def]
    window.state.set_mode(Mode.EXPLORE)
    panel = window.explore_panel
    assert isinstance(panel, ExplorePanel)
    return panel


def _choose_nerve(qtbot, panel: ExplorePanel, nid: str) -> None:  # type: ignore[no-untyped-def]
    idx = panel.nerve_combo.findData(nid)
    assert idx > 0
    panel.nerve_combo.setCurrentIndex(idx)
    panel.nerve_combo.activated.emit(idx)  # as a pick from the list does
    assert panel.target == nerve_hypothesis(nid)


def _tier_lines(body: str) -> dict[str, str]:
    """``{"Core": "medial sole, …", …}`` from the card's rich text."""
    return dict(
        re.findall(r"<b>((?:Core|Strong shared|Shared|Occasional)[^<]*):</b> ([^<]*)", body)
    )


def test_the_medial_plantar_card_says_what_the_diagram_shades(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = _explore(window)
    _choose_nerve(qtbot, panel, "medial_plantar")
    lines = _tier_lines(panel.card_body.text())
    assert lines == {
        "Core": "plantar toes (great, middle), medial sole",
        "Shared": "great toe (medial), middle toes, medial border of foot (plantar)",
    }
    drawn = window.state.highlight
    assert drawn[("plantar_toes.great", Side.LEFT)] == 1.0
    assert drawn[("medial_border_of_foot.plantar", Side.RIGHT)] == 0.5


@pytest.mark.parametrize("nid", list(clinical.nerves()))
def test_every_nerve_card_lists_the_shaded_zones_with_their_grades(qtbot, window, nid) -> None:  # type: ignore[no-untyped-def]
    panel = _explore(window)
    _choose_nerve(qtbot, panel, nid)
    lines = _tier_lines(panel.card_body.text())
    drawn = window.state.highlight
    expected: dict[str, str] = {}
    for tier in learn.territory_tiers(nerve_hypothesis(nid)):
        expected[tier.label] = ", ".join(learn.zone_names(tier.zones))
        for zone in tier.zones:  # each listed zone drawn at the tier's grade, or not at all
            for side in (Side.LEFT, Side.RIGHT):
                assert drawn.get((zone, side), 0.0) == (tier.weight if tier.shaded else 0.0)
    assert lines == expected
    assert {z for z, _s in drawn} == {
        z for t in learn.territory_tiers(nerve_hypothesis(nid)) if t.shaded for z in t.zones
    }


def _overflow(panel: ExplorePanel) -> list[str]:
    """Visible children of the panel's scrolled body reaching past the viewport's width."""
    scroll = panel.findChild(QWidget, "qt_scrollarea_viewport")
    assert scroll is not None
    width = scroll.width()
    out = []
    for child in scroll.findChildren(QWidget):
        if not child.isVisibleTo(panel) or child.window() is not panel.window():
            continue
        right = child.mapTo(scroll, QPoint(child.width(), 0)).x()
        if right > width:
            out.append(f"{child.objectName() or type(child).__name__}: {right} > {width}")
    return out


def test_a_long_nerve_name_wraps_inside_the_pane(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.resize(1000, 768)
    panel = _explore(window)
    qtbot.waitUntil(lambda: panel.isVisible())
    _choose_nerve(qtbot, panel, "lateral_femoral_cutaneous")
    qtbot.wait(50)  # the layout settles
    assert "meralgia paresthetica" in panel.card_title.text()
    assert not _overflow(panel), _overflow(panel)
    assert panel.card_title.wordWrap()
    assert panel.width() <= window.side_stack.width()
    viewport = panel.findChild(QWidget, "qt_scrollarea_viewport")
    assert viewport is not None
    assert panel.root_buttons["S5"].mapTo(viewport, QPoint(0, 0)).x() >= 0
    assert (
        panel.root_buttons["L5"].mapTo(viewport, QPoint(panel.root_buttons["L5"].width(), 0)).x()
        <= viewport.width()
    )


def test_the_pointer_read_out_follows_a_change_of_map(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = _explore(window)
    window.state.set_hovered_zone(Side.LEFT, "great_toe.dorsal")
    assert "◀ in use" in panel.supply_labels["consensus"].text()
    combo = window.atlas_combo
    idx = combo.findData("keegan_garrett")
    combo.setCurrentIndex(idx)
    combo.activated.emit(idx)  # as a pick from the list does
    assert panel.atlas == "keegan_garrett"
    marked = [aid for aid, lab in panel.supply_labels.items() if "◀ in use" in lab.text()]
    assert marked == ["keegan_garrett"]
    assert "great toe" in panel.zone_label.text().lower()  # still the zone last pointed at
    # and when the session's own map changes (a session opened with another map)
    window.state.set_learning_atlas("")
    window.model.set_atlas("lee")
    marked = [aid for aid, lab in panel.supply_labels.items() if "◀ in use" in lab.text()]
    assert marked == ["lee"]


def test_a_map_note_in_the_compare_box_is_a_sentence(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = _explore(window)
    box = panel.compare
    box.atlas_a.setCurrentIndex(box.atlas_a.findData("consensus"))
    box.atlas_b.setCurrentIndex(box.atlas_b.findData("keegan_garrett"))
    notes = [d.note for d in clinical.disagreements("consensus", "keegan_garrett") if d.note]
    assert notes, "no map note to check"
    seen = 0
    for row in range(box.diff_list.count()):
        box.diff_list.setCurrentRow(row)
        text = box.diff_detail.text()
        assert text.endswith("."), text
        # every sentence starts with a capital letter (or a root id)
        for start in re.findall(r"\.\s+(\S)", text):
            assert start.isupper() or start.isdigit(), text
        seen += any(n[1:] in text for n in notes)
    assert seen
    tips = [box.diff_list.item(r).toolTip() for r in range(box.diff_list.count())]
    assert any("K&G 1948. The bands of L3 to S2" in tip for tip in tips)


def test_a_too_wide_control_in_a_learning_panel_can_be_scrolled_to(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The learning panels' scrolled body turned the horizontal scroll bar off: whatever was
    wider than the pane (the long nerve name) was cut off out of reach."""
    from PySide6.QtWidgets import QAbstractScrollArea, QLabel

    from gui.learn.common import scrolling_body

    panel = QWidget()
    lay = scrolling_body(panel)
    wide = QLabel("x")
    wide.setMinimumWidth(900)
    lay.addWidget(wide)
    qtbot.addWidget(panel)
    panel.resize(400, 300)
    panel.show()
    qtbot.waitExposed(panel)
    scroll = panel.findChild(QAbstractScrollArea)
    assert scroll is not None
    bar = scroll.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.isVisible(), timeout=2000)


@pytest.mark.parametrize("dark", [False, True])
def test_the_legend_swatches_are_the_colours_the_diagram_shows(
    qtbot, restore_palette, window, dark
) -> None:  # type: ignore[no-untyped-def]
    """A UX review: the legend's swatches were the highlight, translucent, over the panel, while
    the diagram lays it over the skin: in the dark theme the shared swatch (#713d43) did not
    match the shared zones (#81484a). Each swatch is now the colour a zone of its tier shows."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMenu

    from core.geometry import interior_point, load_diagram
    from gui import theme
    from gui.learn.explore_panel import tier_swatch
    from tests.gui.helpers import scene_to_viewport

    menu = window.findChild(QMenu, "theme_menu")
    assert menu is not None
    choices = {a.text().replace("&", ""): a for a in menu.actions()}
    choices["Dark" if dark else "Light"].trigger()
    QApplication.processEvents()
    panel = _explore(window)
    qtbot.mouseClick(panel.root_buttons["L5"], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    hue = theme.root_color("L5")
    highlight = window.state.highlight
    (zone, side), weight = max(highlight.items(), key=lambda kv: kv[1])  # a core zone
    shape = next(z for z in load_diagram().zones() if (z.id, z.side) == (zone, side))
    view = window.diagram
    img = view.viewport().grab().toImage()
    x, y = interior_point(shape)
    p = scene_to_viewport(view, x, y)
    dpr = img.devicePixelRatio()
    shown = img.pixelColor(round(p.x() * dpr), round(p.y() * dpr))
    want = tier_swatch(hue, weight)
    apart = max(
        abs(shown.red() - want.red()),
        abs(shown.green() - want.green()),
        abs(shown.blue() - want.blue()),
    )
    assert apart <= 6, (shown.name(), want.name())
    assert want.name() in panel.legend.text()
