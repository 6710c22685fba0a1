"""Clicking every zone of every view through the viewport marks exactly that zone and side."""

from __future__ import annotations

from itertools import cycle
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.geometry import interior_point, load_diagram, zone_at
from core.model import Mark, Side, Symptom
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import UiState
from tests.gui.helpers import click_scene_point, contrast, passes_at_scale_2, show_view

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def view(qtbot):
    model, state = SessionModel(), UiState()
    v = DiagramView(model, state)
    show_view(qtbot, v)
    return v, model, state


def test_click_every_zone_marks_exactly_that_zone(view, qtbot) -> None:
    v, model, state = view
    shapes = load_diagram().zones()
    assert len(shapes) >= 60
    symptoms = cycle(Symptom)
    for shape in shapes:
        symptom = next(symptoms)
        state.set_symptom(symptom)
        x, y = interior_point(shape)
        click_scene_point(qtbot, v, x, y)
        assert model.session.marks == (Mark(shape.id, shape.side, symptom, 1.0),), (
            shape.id,
            shape.side,
            shape.view,
        )
        assert state.current_zone == (shape.side.value, shape.id)
        for item in v.items_of(shape.id, shape.side):
            if item.key == (shape.id, shape.side):
                assert item.mark is not None and item.mark.symptom is symptom
        click_scene_point(qtbot, v, x, y)
        assert model.session.marks == (), (shape.id, shape.side, shape.view)
        assert all(it.mark is None for it in v.zone_items)


def test_click_outside_every_zone_marks_nothing(view, qtbot) -> None:
    v, model, state = view
    d = load_diagram()
    state.set_current_zone(Side.RIGHT, "heel")
    # a point between the anterior and posterior views, inside the scene
    x0 = d.views[0].bounds[0] + d.views[0].bounds[2]
    x1 = d.views[1].bounds[0]
    x = (x0 + x1) / 2
    y = d.height / 2
    assert zone_at(x, y) is None
    click_scene_point(qtbot, v, x, y)
    assert model.session.marks == ()
    assert state.current_zone == ("", "")
    assert model.undo_stack.count() == 0


def test_right_and_left_are_independent(view, qtbot) -> None:
    v, model, _state = view
    right = next(
        z for z in load_diagram().zones() if z.area_id == "great_toe" and z.side is Side.RIGHT
    )
    click_scene_point(qtbot, v, *interior_point(right))
    assert model.session.mark_at(right.id, Side.RIGHT) is not None
    assert model.session.mark_at(right.id, Side.LEFT) is None
    assert all(it.mark is None for it in v.items_of("great_toe", Side.LEFT))


def test_keyboard_focus_and_toggle(view, qtbot) -> None:
    v, model, state = view
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    side, zone = state.current_zone
    assert side and zone
    QTest.keyClick(v, Qt.Key.Key_Return)
    assert model.session.mark_at(zone, side) is not None
    QTest.keyClick(v, Qt.Key.Key_Right)
    assert state.current_zone != (side, zone)
    QTest.keyClick(v, Qt.Key.Key_Space)
    assert len(model.session.marks) == 2
    QTest.keyClick(v, Qt.Key.Key_Escape)
    assert state.current_zone == ("", "")


def test_a_screen_reader_is_told_the_zone_the_keyboard_is_on(view, qtbot) -> None:
    """Moving through the zones left the diagram's accessible name "Body diagram": a screen
    reader user was not told where Tab or the arrows had gone, nor what was marked there."""
    v, _model, state = view
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    side, zone = state.current_zone
    from core.zones import display_name

    place = f"{side.capitalize()} {display_name(zone).lower()}"
    assert v.accessibleName() == f"Body diagram: {place}, not marked"
    QTest.keyClick(v, Qt.Key.Key_Return)
    assert v.accessibleName() == f"Body diagram: {place}, {state.symptom.value}"
    QTest.keyClick(v, Qt.Key.Key_Escape)
    assert v.accessibleName() == "Body diagram"


def test_escape_then_tab_leaves_the_diagram(qtbot) -> None:
    """Tab steps through the zones, and leaving the diagram by Tab took 134 steps; after
    Escape (leave the zone) the next Tab goes on to the next control."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    lay = QVBoxLayout(host)
    state = UiState()
    v = DiagramView(SessionModel(), state)
    after = QLineEdit()
    lay.addWidget(v)
    lay.addWidget(after)
    host.resize(900, 700)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    assert v.hasFocus() and state.current_zone != ("", "")  # still among the zones
    QTest.keyClick(v, Qt.Key.Key_Escape)
    QTest.keyClick(v, Qt.Key.Key_Right)  # back among the zones: Tab steps again
    QTest.keyClick(v, Qt.Key.Key_Tab)
    assert v.hasFocus()
    QTest.keyClick(v, Qt.Key.Key_Escape)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus)


def test_tab_reaches_every_zone_and_then_leaves_the_diagram(qtbot) -> None:
    """A zone drawn in several views (or in parts) is in the Tab order more than once, and
    Tab went back to its first place: it looped between two zones of the lower leg and never
    left the diagram, and 13 zones (the lateral heels among them) were out of the keyboard's
    reach. Both ways, every zone once, then on to the next control."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    lay = QVBoxLayout(host)
    state = UiState()
    v = DiagramView(SessionModel(), state)
    before, after = QLineEdit(), QLineEdit()
    for w in (before, v, after):
        lay.addWidget(w)
    host.resize(900, 800)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    every = {(it.key[1].value, it.key[0]) for it in v.zone_items}
    for key, start, end in ((Qt.Key.Key_Tab, before, after), (Qt.Key.Key_Backtab, after, before)):
        start.setFocus()
        qtbot.waitUntil(start.hasFocus)
        seen = set()
        for _ in range(len(every) * 2):
            QTest.keyClick(QApplication.focusWidget(), key)
            if not v.hasFocus():
                break
            if state.current_zone != ("", ""):  # entering the diagram: no zone yet
                seen.add(state.current_zone)
        assert end.hasFocus(), key
        assert seen == every, sorted(every - seen)[:5]


def test_zoom_and_fit(view) -> None:
    v, _model, _state = view
    assert abs(v.zoom - 1.0) < 1e-6
    v.zoom_in()
    assert v.zoom > 1.2
    v.resize(900, 600)  # resizing keeps the user's zoom
    assert v.zoom > 1.0
    v.fit_all()
    assert abs(v.zoom - 1.0) < 1e-6


def test_undo_redo_redraws(view, qtbot) -> None:
    v, model, _state = view
    shape = next(z for z in load_diagram().zones() if z.area_id == "heel")
    click_scene_point(qtbot, v, *interior_point(shape))
    assert all(it.mark is not None for it in v.items_of(shape.id, shape.side))
    model.undo_stack.undo()
    assert all(it.mark is None for it in v.zone_items)
    model.undo_stack.redo()
    assert all(it.mark is not None for it in v.items_of(shape.id, shape.side))
    assert "1 mark on the" in v.accessibleDescription()


def test_click_every_zone_at_scale_factor_2() -> None:
    """The whole click test again, in a process where Qt scales everything by 2."""
    passes_at_scale_2(__file__, "test_click_every_zone_marks_exactly_that_zone")


def test_hover_reports_the_zone_and_tooltip(view, qtbot) -> None:
    v, model, state = view
    shape = next(z for z in load_diagram().zones() if z.id == "dorsum_of_foot.medial")
    pos = v.mapFromScene(QPointF(*interior_point(shape)))
    QTest.mouseMove(v.viewport(), pos)
    assert state.hovered_zone == (shape.side.value, shape.id)
    item = v.zone_item_at(pos)
    assert item is not None and item.hovered
    assert item.toolTip().startswith(f"{shape.side.display} · Dorsum of foot (medial)")
    model.set_marks([Mark(shape.id, shape.side, Symptom.PAIN, 0.35)])
    assert "35%" in item.toolTip()


def test_context_menu_sets_and_clears(view) -> None:
    v, model, _state = view
    shape = next(z for z in load_diagram().zones() if z.id == "lateral_heel")
    item = v.zone_item_at(v.mapFromScene(QPointF(*interior_point(shape))))
    assert item is not None
    menu = v.zone_menu(item)
    by_text = {a.text(): a for a in menu.actions()}
    by_text["Tingling"].trigger()
    assert model.session.marks == (Mark("lateral_heel", shape.side, Symptom.TINGLING, 1.0),)
    menu = v.zone_menu(item)
    by_text = {a.text(): a for a in menu.actions()}
    assert by_text["Tingling"].isChecked()
    by_text["Clear"].trigger()
    assert model.session.marks == ()


def test_a_chart_added_to_a_shown_window_paints_fitted_without_scroll_bars(qtbot) -> None:
    """A chart added to a window already shown: with scroll bars "as needed" its
    first paint showed them (its first transform did not fit) and the fit was made for the
    smaller viewport."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    lay = QVBoxLayout(host)
    lay.setContentsMargins(0, 0, 0, 0)
    host.resize(500, 640)
    host.show()
    qtbot.waitExposed(host)
    v = DiagramView(SessionModel(), UiState())
    seen: list[tuple[int, int, bool]] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                bars = (v.horizontalScrollBar(), v.verticalScrollBar())
                seen.append((obj.width(), obj.height(), any(b.isVisible() for b in bars)))
            return False

    watch = Watch()
    v.viewport().installEventFilter(watch)
    lay.addWidget(v)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] == (v.width(), v.height(), False)
    fit = v.transform().m11()
    v.zoom_in()  # zoomed in: scroll bars as needed
    qtbot.waitUntil(lambda: v.horizontalScrollBar().isVisible())
    v.fit_all()
    qtbot.waitUntil(lambda: not v.horizontalScrollBar().isVisible())
    assert v.fits_window and v.transform().m11() == pytest.approx(fit)


def test_middle_drag_pans_when_zoomed(view) -> None:
    v, model, _state = view
    for _ in range(3):
        v.zoom_in()
    h = v.horizontalScrollBar()
    start = h.value()
    vp = v.viewport()
    mid = Qt.MouseButton.MiddleButton
    QTest.mousePress(vp, mid, Qt.KeyboardModifier.NoModifier, QPoint(400, 300))
    QTest.mouseMove(vp, QPoint(300, 300))
    QTest.mouseRelease(vp, mid, Qt.KeyboardModifier.NoModifier, QPoint(300, 300))
    assert h.value() > start
    assert model.session.marks == ()


def test_palette_change_restyles(view, qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    from gui import theme

    v, _model, _state = view
    app = QApplication.instance()
    old = app.palette()
    try:
        app.setPalette(theme.dark_palette())
        QApplication.processEvents()
        assert v.backgroundBrush().color() == theme.diagram_colors().background
        assert theme.is_dark()
    finally:
        app.setPalette(old)
        QApplication.processEvents()
    assert v.backgroundBrush().color() == theme.diagram_colors().background


class _PaintRegions(QObject):
    """Collects the regions of the paint events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[QRegion] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(cast(QPaintEvent, event).region()))
        return False


def _area(region: QRegion) -> int:
    return sum(r.width() * r.height() for r in region)


def test_a_click_repaints_only_around_the_zones_it_changes(view, qtbot) -> None:
    """A zone shown in several views far apart: marking it and moving the focus rings to it
    repaints the neighbourhood of each shape, not the rectangle spanning the views."""
    v, model, _state = view
    vp = v.viewport()
    shapes = load_diagram().zones()
    by_key: dict[tuple[str, Side], list] = {}
    for s in shapes:
        by_key.setdefault((s.id, s.side), []).append(s)

    def span(key: tuple[str, Side]) -> int:
        rect = QRect()
        for it in v.items_of(*key):
            rect = rect.united(v.mapFromScene(it.sceneBoundingRect()).boundingRect())
        return rect.width() * rect.height()

    spread = max((k for k, ss in by_key.items() if len({s.view for s in ss}) >= 2), key=span)
    viewport_area = vp.width() * vp.height()
    assert span(spread) > 0.2 * viewport_area  # the old single rectangle: a fifth or more
    start = by_key[("anterior_knee", Side.RIGHT)][0]
    click_scene_point(qtbot, v, *interior_point(start))
    qtbot.wait(20)
    watcher = _PaintRegions()
    vp.installEventFilter(watcher)
    try:
        target = by_key[spread][0]
        click_scene_point(qtbot, v, *interior_point(target))
        qtbot.wait(20)
    finally:
        vp.removeEventFilter(watcher)
    assert any(m.key == spread for m in model.session.marks)
    assert v.focus_rings() == []  # a click that marks shows no focus ring (:focus-visible)
    painted = QRegion()
    for r in watcher.regions:
        painted = painted.united(r)
    assert not painted.isEmpty()
    # every changed zone was repainted, and little else
    for it in v.items_of(*spread):
        assert painted.contains(v.mapFromScene(it.sceneBoundingRect()).boundingRect().center())
    assert _area(painted) < 0.12 * viewport_area, (_area(painted), viewport_area)


def test_the_focus_ring_shows_with_the_keyboard_not_after_a_marking_click(view, qtbot) -> None:
    """Like a browser's :focus-visible: a click that marks a zone makes it the keyboard's
    starting point without a ring (the mark shows it; the ring's repaint cost each click
    ~1.5 ms); a key press, the region list or an explore-mode click shows the ring."""
    from gui.state import Mode

    v, model, state = view
    shapes = {(s.id, s.side): s for s in load_diagram().zones()}
    toe = shapes[("great_toe.dorsal", Side.RIGHT)]
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    click_scene_point(qtbot, v, *interior_point(toe))
    assert state.current_zone == ("right", "great_toe.dorsal")
    assert model.session.marks and v.focus_rings() == []
    QTest.keyClick(v, Qt.Key.Key_Right)  # the keyboard moves on from the clicked zone
    assert state.current_zone != ("right", "great_toe.dorsal")
    rings = v.focus_rings()
    assert rings and all(ring.isVisible() for ring in rings)
    click_scene_point(qtbot, v, *interior_point(toe))  # clicking again hides it
    assert v.focus_rings() == [] and state.current_zone == ("right", "great_toe.dorsal")
    QTest.keyClick(v, Qt.Key.Key_Return)  # a key shows the ring where the keyboard stands
    assert v.focus_rings() and state.current_zone == ("right", "great_toe.dorsal")
    click_scene_point(qtbot, v, *interior_point(toe))  # the same zone: hidden all the same
    assert v.focus_rings() == []
    state.set_current_zone(Side.LEFT, "heel.plantar")  # e.g. the region list
    assert v.focus_rings()
    state.set_mode(Mode.EXPLORE)
    click_scene_point(qtbot, v, *interior_point(toe))  # explore: the ring shows the pick
    assert state.current_zone == ("right", "great_toe.dorsal") and v.focus_rings()


@pytest.mark.parametrize("dark", [False, True])
def test_the_focus_ring_stands_out_on_any_fill_and_leaves_labels_readable(
    view, qtbot, dark: bool
) -> None:
    """The ring lies on a halo that contrasts with it (>= 3:1), in light and dark; labels and
    key points stay above it."""
    from gui import theme
    from gui.diagram.items import Z_KEY_POINT, Z_OVERLAY_LABEL

    v, _model, state = view
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    if dark:
        app.setPalette(theme.dark_palette())
    try:
        v._restyle_theme()
        state.set_current_zone(Side.RIGHT, "dorsum_of_foot.medial")
        rings = v.focus_rings()
        assert len(rings) >= 2
        for ring in rings:
            halo = ring._halo
            assert halo.widthF() > ring.pen().widthF()
            assert contrast(ring.pen().color(), halo.color()) >= 3.0
            assert ring.zValue() < min(Z_KEY_POINT, Z_OVERLAY_LABEL)
    finally:
        app.setPalette(old)
