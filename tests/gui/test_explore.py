"""Explore panel: territory highlight, hover read-out per atlas, atlas comparison, mode changes."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from core import clinical, learn
from core.geometry import interior_point, load_diagram
from core.model import Side
from core.zones import area_of
from gui import theme
from gui.diagram.items import TextLabel
from gui.learn import ExplorePanel
from gui.session_model import SessionModel
from gui.state import Mode, UiState


@pytest.fixture
def setup(qtbot):  # type: ignore[no-untyped-def]
    model = SessionModel()
    state = UiState()
    panel = ExplorePanel(model, state)
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    state.set_mode(Mode.EXPLORE)
    return model, state, panel


def _expected(root: str, atlas: str) -> dict[tuple[str, Side], float]:
    """Direct computation: every drawn zone on every view whose area weight is >= 0.5."""
    a = clinical.atlases()[atlas]
    out = {}
    for z in load_diagram().zones():
        w = a.weight(area_of(z.id), root)
        if w >= 0.5:
            out[(z.id, z.side)] = w
    return out


@pytest.mark.parametrize("root", ["L4", "L5", "S1"])
def test_choosing_a_root_highlights_its_territory_on_every_view(setup, qtbot, root) -> None:  # type: ignore[no-untyped-def]
    model, state, panel = setup
    with qtbot.waitSignal(state.highlight_changed):
        qtbot.mouseClick(panel.root_buttons[root], Qt.MouseButton.LeftButton)
    assert panel.target == root
    assert state.highlight == _expected(root, "consensus")
    assert state.highlight_color == theme.root_color(root).name()
    views = {z.view for z in load_diagram().zones() if (z.id, z.side) in state.highlight}
    assert len(views) >= 3
    assert {s for _z, s in state.highlight} == {Side.LEFT, Side.RIGHT}
    assert root in panel.card_title.text()
    ids = panel.card_sources.ids
    assert ids and all(i in clinical.references() for i in ids)
    # the clinical session is untouched
    assert model.undo_stack.count() == 0 and state.learning is None
    # clicking again clears
    qtbot.mouseClick(panel.root_buttons[root], Qt.MouseButton.LeftButton)
    assert panel.target is None and state.highlight == {}


def test_a_root_card_names_its_movements_and_reflex_as_the_exam_form_does(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The card wrote the data ids: "Reflex: achilles reflex", "ankle plantarflexion"."""
    _model, _state, panel = setup
    qtbot.mouseClick(panel.root_buttons["S1"], Qt.MouseButton.LeftButton)
    body = panel.card_body.text()
    assert "<b>Reflex:</b> Achilles reflex" in body
    assert "<b>Main movements:</b> ankle plantar flexion, knee flexion" in body
    # the rest of its myotome, as the quiz's answers name it ("ankle eversion is supplied by
    # L5, S1"): the card had only the main movements
    assert "<b>Also supplies:</b>" in body and "ankle eversion" in body
    qtbot.mouseClick(panel.root_buttons["L5"], Qt.MouseButton.LeftButton)
    assert "great-toe extension" in panel.card_body.text()
    assert "<b>Reflex:</b> Medial hamstring reflex" in panel.card_body.text()
    qtbot.mouseClick(panel.root_buttons["S3"], Qt.MouseButton.LeftButton)
    assert "<b>Main movements:</b> —" in panel.card_body.text()
    assert "<b>Reflex:</b> no routine reflex" in panel.card_body.text()


def test_the_card_has_no_empty_legend_line_before_a_root_is_picked(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The tier legend sat empty under "Pick a root or a nerve", a blank line in the card."""
    _model, _state, panel = setup
    assert panel.card_title.text() == "Pick a root or a nerve"
    assert not panel.legend.isVisible()
    gap = panel.card_body.y() - panel.card_title.geometry().bottom()
    assert gap < panel.card_title.height()
    qtbot.mouseClick(panel.root_buttons["L5"], Qt.MouseButton.LeftButton)
    assert panel.legend.isVisible() and "core" in panel.legend.text()
    qtbot.mouseClick(panel.root_buttons["L5"], Qt.MouseButton.LeftButton)  # none again
    assert not panel.legend.isVisible()


def test_highlight_follows_the_session_atlas(setup) -> None:  # type: ignore[no-untyped-def]
    model, state, panel = setup
    panel.select("L4")
    toe = [w for (z, _s), w in state.highlight.items() if area_of(z) == "great_toe"]
    assert toe and max(toe) < 0.75
    model.set_atlas("keegan_garrett")
    assert state.highlight == _expected("L4", "keegan_garrett")
    assert any(area_of(z) == "great_toe" for z, _s in state.highlight)
    assert "Keegan" in panel.atlas_label.text()


def test_nerve_choice_highlights_nerve_territory(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    _model, state, panel = setup
    idx = panel.nerve_combo.findData("sural")
    panel.nerve_combo.setFocus()
    panel.nerve_combo.setCurrentIndex(idx)
    panel.nerve_combo.activated.emit(idx)
    assert panel.target == "peripheral:sural"
    assert state.highlight == learn.territory_zones("peripheral:sural", "consensus")
    assert state.highlight_color == theme.nerve_color("sural").name()
    assert not any(b.isChecked() for b in panel.root_buttons.values())
    assert "Sural" in panel.card_title.text()


def test_hover_shows_supply_under_every_atlas(setup) -> None:  # type: ignore[no-untyped-def]
    _model, state, panel = setup
    state.set_hovered_zone(Side.LEFT, "great_toe.dorsal")
    assert "great toe" in panel.zone_label.text().lower()
    texts = {aid: lab.text() for aid, lab in panel.supply_labels.items()}
    assert set(texts) == set(clinical.atlases())
    assert "L4</b> shared" in texts["keegan_garrett"] and "L5</b> shared" in texts["keegan_garrett"]
    assert "L4</b> shared" in texts["consensus"] and "L5</b> core" in texts["consensus"]
    for aid in ("foerster", "lee"):
        assert "L4" not in texts[aid] and "L5</b> core" in texts[aid]
    # every nerve named the same way: "<name> nerve (<grade>)"
    assert "superficial peroneal nerve (" in panel.nerve_supply.text()
    assert "common peroneal nerve (" in panel.nerve_supply.text()
    state.set_hovered_zone(Side.RIGHT, "lateral_heel")
    for aid, lab in panel.supply_labels.items():
        assert "S1</b> core" in lab.text(), aid
    assert "sural nerve (" in panel.nerve_supply.text()
    # a map's blank areas say so
    state.set_hovered_zone(Side.LEFT, "buttock")
    lee = panel.supply_labels["lee"]
    assert "left blank" in lee.text() and lee.accessibleDescription() == "variable, no root"
    assert "L4</b> shared" in panel.supply_labels["keegan_garrett"].text()


def test_hovering_the_real_diagram_updates_the_read_out(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gui.diagram.view import DiagramView

    model, state, panel = setup
    view = DiagramView(model, state)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    # a broad zone: thin ones are only a few pixels wide at this zoom
    shape = next(z for z in load_diagram().zones() if z.id == "lateral_heel")
    p = view.mapFromScene(QPointF(*interior_point(shape)))
    qtbot.mouseMove(view.viewport(), QPoint(2, 2))  # the cursor may already sit on p
    qtbot.mouseMove(view.viewport(), QPoint(p.x(), p.y()))
    qtbot.waitUntil(lambda: state.hovered_zone[1] == "lateral_heel", timeout=2000)
    assert "lateral heel" in panel.zone_label.text().lower()
    assert all("S1</b> core" in lab.text() for lab in panel.supply_labels.values())
    # and the view draws the panel's highlight
    panel.select("S1")
    assert view._highlight == state.highlight


def test_switching_back_to_clinical_clears_the_highlight(setup) -> None:  # type: ignore[no-untyped-def]
    _model, state, panel = setup
    panel.select("L5")
    assert state.highlight
    state.set_mode(Mode.CLINICAL)
    assert state.highlight == {}
    state.set_mode(Mode.EXPLORE)  # coming back shows the selection again
    assert state.highlight == _expected("L5", "consensus")


def test_compare_atlases_highlights_disagreements_with_sources(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    _model, state, panel = setup
    panel.select("L5")
    panel.compare.atlas_a.setCurrentIndex(panel.compare.atlas_a.findData("keegan_garrett"))
    panel.compare.atlas_b.setCurrentIndex(panel.compare.atlas_b.findData("foerster"))
    qtbot.mouseClick(panel.compare.compare_button, Qt.MouseButton.LeftButton)
    assert panel.compare.compare_button.isChecked() and panel.target is None
    diffs = clinical.disagreements("keegan_garrett", "foerster")
    areas_ = {d.area for d in diffs}
    assert {area_of(z) for z, _s in state.highlight} == areas_ & {
        area_of(z.id) for z in load_diagram().zones()
    }
    assert "medial_lower_leg" not in areas_  # both maps: L4 core
    assert state.highlight_color == theme.colors().disagreement.name()
    assert panel.compare.diff_list.count() == len(diffs)
    rows = [panel.compare.diff_list.item(i).text() for i in range(panel.compare.diff_list.count())]
    assert "Great toe · L4:  shared → not listed" in rows
    panel.compare.diff_list.setCurrentRow(0)
    assert panel.compare.diff_sources.ids == diffs[0].sources
    assert diffs[0].root in panel.compare.diff_detail.text()
    sel = [k for k in state.highlight if area_of(k[0]) == diffs[0].area]
    assert sel and all(state.highlight[k] == 1.0 for k in sel)
    # Lee's blank areas are named, not counted as differences
    panel.compare.atlas_b.setCurrentIndex(panel.compare.atlas_b.findData("lee"))
    assert "Left blank on one map only" in panel.compare.diff_summary.text()
    assert "buttock" in panel.compare.diff_summary.text()
    qtbot.mouseClick(panel.compare.compare_button, Qt.MouseButton.LeftButton)
    assert state.highlight == {}


def test_the_two_maps_to_compare_show_their_whole_names(setup) -> None:  # type: ignore[no-untyped-def]
    """At the side panel's width the second combo read "Keegan & Garrett (194": they name
    the maps as the rest of the panel does ("K&G 1948"), the full name in the tooltip."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    _model, _state, panel = setup
    for combo in (panel.compare.atlas_a, panel.compare.atlas_b):
        for i in range(combo.count()):
            atlas = clinical.atlases()[combo.itemData(i)]
            assert combo.itemText(i) == atlas.short_name
            assert combo.itemData(i, Qt.ItemDataRole.ToolTipRole) == atlas.name
            combo.setCurrentIndex(i)
            opt = QStyleOptionComboBox()
            combo.initStyleOption(opt)
            field = combo.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                opt,
                QStyle.SubControl.SC_ComboBoxEditField,
                combo,
            )
            assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()


def test_side_by_side_shows_two_or_three_maps_on_one_view(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    from gui.learn.map_compare import MapCompareDialog

    _model, _state, panel = setup
    panel.compare.atlas_a.setCurrentIndex(panel.compare.atlas_a.findData("keegan_garrett"))
    panel.compare.atlas_b.setCurrentIndex(panel.compare.atlas_b.findData("lee"))
    qtbot.mouseClick(panel.compare.side_by_side_button, Qt.MouseButton.LeftButton)
    dlg = panel.compare.side_by_side
    assert isinstance(dlg, MapCompareDialog) and dlg.isVisible()
    qtbot.waitExposed(dlg)
    assert dlg.chosen() == ["keegan_garrett", "lee"]
    assert [t.atlas_id for t in dlg.tiles] == ["keegan_garrett", "lee"]
    assert "Keegan & Garrett (1948)" in dlg.tiles[0].title.text()
    # a third map; a fourth replaces the oldest choice (at most three)
    dlg.map_boxes["foerster"].click()
    assert [t.atlas_id for t in dlg.tiles] == ["keegan_garrett", "foerster", "lee"]
    dlg.map_boxes["consensus"].click()
    assert dlg.chosen() == ["consensus", "foerster", "lee"]  # K&G, the oldest, made way
    dlg.map_boxes["keegan_garrett"].click()
    assert dlg.chosen() == ["keegan_garrett", "foerster", "lee"]
    # every tile shows the same view, painted with its own map
    dlg.set_view("medial")
    for tile in dlg.tiles:
        assert {it.zone_shape.view for it in tile.zones} == {"medial"}
        assert tile.view.isVisible()
    by_map = {t.atlas_id: t for t in dlg.tiles}

    def border(atlas_id: str) -> str:
        item = next(
            it for it in by_map[atlas_id].zones if it.zone_shape.id == "medial_border_of_foot"
        )
        return item.toolTip()

    assert "L4 core" in border("keegan_garrett")
    assert "left blank" in border("lee")
    # the areas where the chosen maps disagree are cross-hatched on every tile
    marked = {it.zone_shape.area_id for it in by_map["foerster"].zones if it.hatch}
    assert "medial_border_of_foot" in marked and "medial_malleolus" not in marked
    kinds = {k for k, _t in dlg.legend_entries}
    assert {"root", "split", "variable", "disagreement"} <= kinds
    n = len({it.zone_shape.area_id for it in by_map["foerster"].zones if it.hatch})
    assert f"{n} areas of this view get different roots (cross-hatched)." in dlg.hint.text()
    dlg.set_view("plantar")
    assert re.search(r": (1 area of this view gets|\d+ areas of this view get) ", dlg.hint.text())
    assert "(s)" not in dlg.hint.text()
    dlg.disagree_box.click()
    assert not any(it.hatch for t in dlg.tiles for it in t.zones)
    dlg.close()


def test_side_by_side_labels_never_overlap(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The tiles shrink the drawing while its labels keep their size in pixels: "facing the
    patient" sat across "Patient's RIGHT Patient's LEFT" and root labels ran into each other
    ("L5-4/L5"). A label is shown only where it covers none shown before it, the patient's
    sides first, at every tile size and view."""
    _model, _state, panel = setup
    dlg = panel.compare.show_side_by_side()
    qtbot.waitExposed(dlg)
    for size in ((980, 560), (700, 420), (1400, 900)):
        dlg.resize(*size)
        for view in ("anterior", "posterior", "dorsal", "plantar", "medial", "lateral"):
            dlg.set_view(view)
            QApplication.processEvents()
            for tile in dlg.tiles:
                to_view = tile.view.viewportTransform()
                shown = [
                    lb.boundingRect().adjusted(2, 1, -2, -1).translated(to_view.map(lb.pos()))
                    for lb in tile.scene.items()
                    if isinstance(lb, TextLabel) and lb.isVisible()
                ]
                assert shown and tile.labels, (size, view)
                for i, a in enumerate(shown):
                    assert not any(a.intersects(b) for b in shown[i + 1 :]), (size, view)
                sides = [
                    lb
                    for lb in tile.scene.items()
                    if isinstance(lb, TextLabel) and lb.text.startswith("Patient's")
                ]
                # both of the patient's sides at the dialog's size and above; a tile too small
                # for both keeps one (the other would cover it)
                visible = [lb.isVisible() for lb in sides]
                assert all(visible) if size[0] >= 980 else any(visible), (size, view)
    dlg.close()


def test_scrolling_the_panel_past_its_combo_boxes_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    """The wheel over the nerve or map choice, while scrolling the panel, changed what the
    diagram showed; it now scrolls the panel unless the control has the keyboard focus."""
    from tests.gui.helpers import wheel_notch

    _model, _state, panel = setup
    for combo in (panel.nerve_combo, panel.compare.atlas_a, panel.compare.atlas_b):
        before = combo.currentIndex()
        assert not wheel_notch(combo)
        assert combo.currentIndex() == before


def test_keyboard_and_accessible_names(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    _model, state, panel = setup
    b = panel.root_buttons["S1"]
    b.setFocus()
    qtbot.keyClick(b, Qt.Key.Key_Space)
    assert panel.target == "S1" and state.highlight
    assert panel.accessibleName()
    for w in (*panel.root_buttons.values(), panel.nerve_combo, panel.compare.compare_button):
        assert w.accessibleName()


def test_every_root_button_is_reached_by_tab_and_picked_by_space(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The root buttons sat in a button group, and Qt gives Tab to one of a group's buttons
    only: L1 could be picked by keyboard, L2 to S5 not."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    _model, _state, panel = setup
    panel.activateWindow()
    panel.root_buttons["L1"].setFocus()
    qtbot.waitUntil(panel.root_buttons["L1"].hasFocus)
    reached = []
    for _ in range(30):
        w = QApplication.focusWidget()
        root = next((r for r, b in panel.root_buttons.items() if b is w), None)
        if root is None:
            break
        reached.append(root)
        QTest.keyClick(w, Qt.Key.Key_Tab)
    assert reached == list(panel.root_buttons)
    b = panel.root_buttons["S1"]
    b.setFocus()
    QTest.keyClick(b, Qt.Key.Key_Space)
    assert b.isChecked() and panel.card_title.text().startswith("S1 dermatome")
