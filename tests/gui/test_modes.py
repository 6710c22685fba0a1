"""Mode switching in the real window: explore and quiz never touch the clinical session."""

import pytest

from core.model import Side, Symptom
from gui.state import Mode
from tests.gui.helpers import click_scene_point


def _click_zone(qtbot, w, zone: str, side: Side) -> None:
    from core.geometry import interior_point, load_diagram

    shape = next(z for z in load_diagram().zones() if z.area_id == zone and z.side is side)
    click_scene_point(qtbot, w.diagram, *interior_point(shape))


def test_mode_switch_shows_learning_panels_and_keeps_clinical_marks(qtbot, window) -> None:
    w = window
    w.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    before = w.model.session
    assert w.side_stack.currentWidget() is w.panel

    w.state.set_mode(Mode.EXPLORE)
    assert w.explore_panel is not None
    assert w.side_stack.currentWidget() is w.explore_panel
    # A click on the diagram in explore mode picks a zone to read about; it marks nothing.
    _click_zone(qtbot, w, "great_toe", Side.RIGHT)
    assert w.model.session == before
    assert w.state.current_zone[0] == "right"
    assert w.state.current_zone[1].startswith("great_toe")

    w.state.set_mode(Mode.QUIZ)
    assert w.side_stack.currentWidget() is w.quiz_panel
    w.state.set_mode(Mode.CLINICAL)
    assert w.side_stack.currentWidget() is w.panel
    assert w.model.session == before
    assert w.model.undo_stack.count() == 1


def test_explore_highlight_reaches_the_diagram(qtbot, window) -> None:
    w = window
    w.state.set_mode(Mode.EXPLORE)
    w.state.set_highlight({("medial_malleolus", Side.RIGHT): 1.0}, "")
    items = w.diagram.items_of("medial_malleolus", Side.RIGHT)
    assert items and all(it.highlight is not None for it in items)


@pytest.mark.parametrize("mode", [Mode.EXPLORE, Mode.QUIZ])
def test_learning_panels_fit_the_side_pane_at_1366(qtbot, window, mode) -> None:
    """Their content must never be wider than the pane (it would be clipped, not scrolled)."""
    from PySide6.QtWidgets import QScrollArea

    window.state.set_mode(mode)
    panel = window.side_stack.currentWidget()
    if mode is Mode.EXPLORE:
        panel.select("L5")
    else:
        panel.start()
    qtbot.wait(50)
    scroll = panel.findChild(QScrollArea)
    body = scroll.widget()
    assert body.minimumSizeHint().width() <= scroll.viewport().width(), (
        body.minimumSizeHint().width(),
        scroll.viewport().width(),
    )


def test_explore_mode_cannot_change_the_clinical_session(qtbot, window) -> None:
    w = window
    w.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    before = w.model.session
    w.state.set_mode(Mode.EXPLORE)
    assert not w.clear_action.isEnabled()
    assert not w.tool_actions[next(iter(w.tool_actions))].isEnabled()
    assert w.state.read_only
    w.clear_action.trigger()  # disabled: does nothing
    _click_zone(qtbot, w, "great_toe", Side.RIGHT)  # picks the zone to read about
    w.undo_group.undo()  # no active stack: nothing to undo
    assert w.model.session == before
    w.state.set_mode(Mode.CLINICAL)
    assert w.clear_action.isEnabled()
    w.undo_group.undo()
    assert w.model.session.marks == ()


def test_quiz_mode_before_start_cannot_change_the_clinical_session(qtbot, window) -> None:
    w = window
    w.model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    before = w.model.session
    w.state.set_mode(Mode.QUIZ)
    assert w.state.learning is None and not w.clear_action.isEnabled()
    _click_zone(qtbot, w, "great_toe", Side.RIGHT)
    assert w.model.session == before
    w.quiz_panel.start()  # the quiz's scratch session is editable for a marking question
    assert w.state.learning is not None and w.diagram._model is w.state.learning
    marking = w.quiz_panel.accepts_marks
    assert w.clear_action.isEnabled() == marking == (not w.state.read_only)
    question = w.state.learning.session
    _click_zone(qtbot, w, "great_toe", Side.RIGHT)
    if marking:
        assert w.state.learning.session != question
        w.undo_group.undo()  # undoes the scratch mark, not the clinical one
    assert w.state.learning.session == question and w.model.session == before
    w.state.set_mode(Mode.CLINICAL)
    assert w.model.session == before and w.clear_action.isEnabled()
