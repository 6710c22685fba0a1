"""The region list mirrors the diagram's marks and current zone both ways."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from core.geometry import interior_point, load_diagram
from core.model import Mark, Side, Symptom
from gui.diagram.region_list import RegionList
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import UiState
from tests.gui.helpers import click_scene_point, scene_to_viewport


@pytest.fixture
def pair(qtbot):
    model, state = SessionModel(), UiState()
    host = QWidget()
    lay = QHBoxLayout(host)
    view = DiagramView(model, state)
    regions = RegionList(model, state)
    lay.addWidget(view, 3)
    lay.addWidget(regions, 1)
    qtbot.addWidget(host)
    host.resize(1300, 700)
    host.show()
    qtbot.waitExposed(host)
    QApplication.processEvents()
    yield view, regions, model, state
    host.close()


def _pixel(view: DiagramView, x: float, y: float) -> QColor:
    img = view.viewport().grab().toImage()
    p = scene_to_viewport(view, x, y)
    dpr = img.devicePixelRatio()
    return img.pixelColor(round(p.x() * dpr), round(p.y() * dpr))


def _select_and_space(qtbot, regions: RegionList, zone: str) -> None:
    tree = regions.tree
    row = regions.row(zone)
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    tree.setCurrentItem(row)
    QTest.keyClick(tree.viewport(), Qt.Key.Key_Space)
    QApplication.processEvents()


def test_checking_a_row_marks_the_zone_and_colours_the_diagram(pair, qtbot) -> None:
    view, regions, model, state = pair
    state.set_symptom(Symptom.PAIN)
    shape = next(z for z in load_diagram().zones() if z.id == "lateral_lower_leg")
    x, y = interior_point(shape)
    before = _pixel(view, x, y)
    regions.set_side(shape.side)
    _select_and_space(qtbot, regions, "lateral_lower_leg")
    assert model.session.marks == (Mark("lateral_lower_leg", shape.side, Symptom.PAIN, 1.0),)
    assert regions.row("lateral_lower_leg").checkState(0) == Qt.CheckState.Checked
    assert "Pain" in regions.row("lateral_lower_leg").text(1)
    items = view.items_of("lateral_lower_leg", shape.side)
    assert items and all(it.mark is not None for it in items)
    after = _pixel(view, x, y)
    assert after != before, "the diagram did not repaint the zone"
    place = f"the {shape.side.value} lateral lower leg"
    assert model.undo_stack.undoText() == f"Mark pain on {place}"  # read "Change ..."
    # unchecking clears it again
    _select_and_space(qtbot, regions, "lateral_lower_leg")
    assert model.session.marks == ()
    assert all(it.mark is None for it in items)
    assert model.undo_stack.undoText() == f"Clear the marks on {place}"  # the zone's id


def test_area_row_marks_all_its_finer_zones(pair, qtbot) -> None:
    view, regions, model, _state = pair
    regions.set_side(Side.LEFT)
    _select_and_space(qtbot, regions, "dorsum_of_foot")
    assert model.session.marks == (Mark("dorsum_of_foot", Side.LEFT, Symptom.NUMBNESS, 1.0),)
    items = view.items_of("dorsum_of_foot", Side.LEFT)
    assert len(items) >= 2 and all(it.mark is not None for it in items)
    # the finer rows show as checked (inherited); unchecking one keeps the other part
    child = regions.row("dorsum_of_foot.medial")
    assert child.checkState(0) == Qt.CheckState.Checked
    _select_and_space(qtbot, regions, "dorsum_of_foot.medial")
    zones = {m.zone for m in model.session.marks}
    assert "dorsum_of_foot.medial" not in zones and "dorsum_of_foot.lateral" in zones
    assert regions.row("dorsum_of_foot").checkState(0) == Qt.CheckState.PartiallyChecked
    # checking the area again marks it whole, one step named in words
    _select_and_space(qtbot, regions, "dorsum_of_foot")
    assert model.undo_stack.undoText() == "Mark numbness on the left dorsum of foot"


def test_clicking_the_diagram_checks_the_row(pair, qtbot) -> None:
    view, regions, _model, _state = pair
    shape = next(
        z for z in load_diagram().zones() if z.id == "great_toe.dorsal" and z.side is Side.LEFT
    )
    click_scene_point(qtbot, view, *interior_point(shape))
    # the list follows the focused zone's side and selects its row
    assert regions.side is Side.LEFT
    row = regions.row("great_toe.dorsal")
    assert row.checkState(0) == Qt.CheckState.Checked
    assert regions.row("great_toe").checkState(0) == Qt.CheckState.PartiallyChecked
    assert regions.tree.currentItem() is row


def test_partial_coverage_shows_partially_checked_with_percent(pair) -> None:
    _view, regions, model, _state = pair
    model.set_marks([Mark("heel.plantar", Side.RIGHT, Symptom.TINGLING, 0.4)])
    row = regions.row("heel.plantar")
    assert row.checkState(0) == Qt.CheckState.PartiallyChecked
    assert "40%" in row.text(1)


def test_an_area_marked_in_part_says_what_is_felt_there(pair) -> None:
    """An area with one of its parts marked read "1 of 2 parts", not what was marked."""
    _view, regions, model, _state = pair
    model.set_marks(
        [
            Mark("great_toe.dorsal", Side.RIGHT, Symptom.NUMBNESS),
            Mark("great_toe.dorsal", Side.RIGHT, Symptom.PAIN),
        ]
    )
    row = regions.row("great_toe")
    assert row.checkState(0) == Qt.CheckState.PartiallyChecked
    assert row.text(1) == "Numbness, Pain: 1 of 2 parts"
    assert "Numbness, Pain: 1 of 2 parts" in row.data(0, Qt.ItemDataRole.AccessibleTextRole)


def test_current_zone_mirrors_both_ways(pair, qtbot) -> None:
    view, regions, _model, state = pair
    regions.set_side(Side.RIGHT)
    regions.tree.setFocus()
    regions.tree.setCurrentItem(regions.row("medial_malleolus"))
    assert state.current_zone == ("right", "medial_malleolus")
    rings = view.focus_rings()
    items = view.items_of("medial_malleolus", Side.RIGHT)
    assert len(rings) == len({it.zone_shape.view for it in items}) >= 1
    for item in items:  # every shape of the zone is inside one of the rings
        assert any(ring.path().intersects(item.path()) for ring in rings)
    # keyboard focus on the diagram selects the row
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    side, zone = state.current_zone
    assert (side, zone) != ("right", "medial_malleolus")
    assert regions.side.value == side
    assert regions.tree.currentItem() is regions.row(zone)


def test_filter_and_accessible_names(pair) -> None:
    _view, regions, _model, _state = pair
    regions.filter_edit.setText("toe")
    assert not regions.row("great_toe").isHidden()
    assert regions.row("heel").isHidden()
    from PySide6.QtWidgets import QLabel

    no_match = regions.findChild(QLabel, "region_no_match")
    assert no_match.isHidden()
    regions.filter_edit.setText("xyz")  # an empty list said nothing
    assert not no_match.isHidden() and no_match.text() == "No area matches “xyz”."
    regions.filter_edit.setText("")
    assert not regions.row("heel").isHidden() and no_match.isHidden()
    assert regions.accessibleName()
    assert regions.tree.accessibleName().startswith("Skin areas")
    assert regions.filter_edit.accessibleName() == "Filter areas"


def test_the_side_buttons_count_the_marked_areas(pair) -> None:
    """With only the left leg marked, the list (showing the right side) looked as if nothing
    were marked: each side button now says how many areas that side has marked."""
    from PySide6.QtWidgets import QPushButton

    _view, regions, model, _state = pair
    right = regions.findChild(QPushButton, "region_side_right")
    left = regions.findChild(QPushButton, "region_side_left")
    model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    model.toggle_mark("dorsum_of_foot", Side.LEFT, Symptom.NUMBNESS)
    QApplication.processEvents()
    assert regions.side is Side.RIGHT
    assert right.text() == "Patient's right" and left.text() == "Patient's left (2)"
    assert left.accessibleName().endswith("2 areas marked")
    model.clear_marks()
    QApplication.processEvents()
    assert left.text() == "Patient's left"


def test_the_side_buttons_text_is_never_clipped(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The checked side's button was drawn with a 2 px border and more padding than it was
    sized for (only the checked state had them): laid out unchecked, then marked and chosen,
    it read "atient's left (3". Both states now take the same room, so the text fits in either."""
    from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton

    tabs = window.panel.tabs
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Regions")
    )
    rl = window.findChild(QWidget, "region_list")
    buttons = {s: rl.findChild(QPushButton, f"region_side_{s}") for s in ("right", "left")}
    for zone in ("heel", "dorsum_of_foot", "great_toe"):
        window.model.toggle_mark(zone, Side.LEFT, Symptom.PAIN)
    QApplication.processEvents()
    assert buttons["left"].text() == "Patient's left (3)"

    def fits(b: QPushButton) -> bool:
        opt = QStyleOptionButton()
        b.initStyleOption(opt)
        room = b.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, b)
        return b.fontMetrics().horizontalAdvance(b.text()) <= room.width()

    for side in ("left", "right", "left"):  # each button checked and unchecked in turn
        qtbot.mouseClick(buttons[side], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda s=side: buttons[s].isChecked())
        QApplication.processEvents()
        for s, b in buttons.items():
            assert fits(b), (s, b.isChecked(), b.text(), b.width())
    left = buttons["left"]
    checked = left.sizeHint()
    buttons["right"].setChecked(True)  # the group unchecks the left one
    assert not left.isChecked()
    assert left.sizeHint() == checked, "the same size checked and unchecked"


def test_it_opens_on_the_side_with_marks_and_says_what_a_tick_marks(pair) -> None:
    """A UX review: the Regions tab opened on the patient's right, empty, with every mark on the
    left, and a tick used the toolbar's symptom with nothing here saying which."""
    from PySide6.QtWidgets import QLabel

    _view, regions, model, state = pair
    regions.hide()  # another tab in the window, as a file with left-leg marks is opened
    model.replace_session(model.session.with_mark(Mark("heel", Side.LEFT, Symptom.PAIN)))
    regions.show()
    QApplication.processEvents()
    assert regions.side is Side.LEFT
    said = regions.findChild(QLabel, "region_ticks")
    assert said is not None and said.text() == "A tick marks numbness."
    state.set_symptom(Symptom.PAIN)
    assert said.text() == "A tick marks pain."
    regions.set_side(Side.RIGHT)  # chosen: it stays, also after another tab (a review)
    regions.hide()
    regions.show()
    QApplication.processEvents()
    assert regions.side is Side.RIGHT
    model.replace_session(model.session)  # another session opened: chosen again when shown
    regions.hide()
    regions.show()
    QApplication.processEvents()
    assert regions.side is Side.LEFT


def test_the_side_is_chosen_once_per_clinical_session_whatever_a_quiz_does(qtbot) -> None:
    """A second look: a quiz's scratch sessions (one per question) re-armed the choice, so the
    clinician's chosen side was switched back when the tab was next shown; and a file opened
    while the tab was on screen kept the empty side."""
    from gui.main_window import MainWindow
    from gui.state import Mode

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    tabs = w.panel.tabs
    regions_tab = tabs.indexOf(w._regions_tab)
    tabs.setCurrentIndex(regions_tab)
    QApplication.processEvents()
    regions = w.region_list
    assert isinstance(regions, RegionList)
    assert regions.isVisible() and regions.side is Side.RIGHT
    w.model.replace_session(w.model.session.with_mark(Mark("heel", Side.LEFT, Symptom.PAIN)))
    QApplication.processEvents()
    assert regions.side is Side.LEFT  # chosen at once: the tab was on screen
    regions.set_side(Side.RIGHT)
    w.state.set_mode(Mode.QUIZ)
    w.state.start_learning()
    w.state.start_learning()
    w.state.stop_learning()
    w.state.set_mode(Mode.CLINICAL)
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(regions_tab)
    QApplication.processEvents()
    assert regions.side is Side.RIGHT
    w.discard_and_close()
