"""The saddle is marked only deliberately: no saddle on the front of the thigh, no grazes."""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon

from core.brush import MIN_MARK_SHARE, stroke_coverage
from core.geometry import load_diagram, zone_at
from core.marks import coverage_to_marks
from core.model import Mark, Session, Side, Symptom
from core.zones import area_of
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import Tool, UiState
from tests.gui.helpers import click_scene_point, drag_scene_path, show_view

# where the old anterior-view "saddle" triangle was labelled: the front of the right upper
# inner thigh, just below the groin crease
UPPER_INNER_THIGH = (108.3, 162.1)


@pytest.fixture
def view(qtbot):
    model, state = SessionModel(), UiState()
    v = DiagramView(model, state)
    show_view(qtbot, v)
    return v, model, state


def test_a_click_on_the_front_of_the_upper_inner_thigh_marks_medial_thigh(qtbot, view) -> None:
    v, model, state = view
    shape = zone_at(*UPPER_INNER_THIGH)
    assert shape is not None and shape.view == "anterior"
    state.set_symptom(Symptom.NUMBNESS)
    click_scene_point(qtbot, v, *UPPER_INNER_THIGH)
    assert model.session.marks == (Mark("medial_thigh", Side.RIGHT, Symptom.NUMBNESS),)
    assert not any(area_of(m.zone) == "saddle" for m in model.session.marks)


def _grazing_stroke() -> list[tuple[float, float]]:
    """A stroke down the right posterior thigh that only grazes the saddle's lateral edge."""
    shape = next(
        z for z in load_diagram().zones() if z.id == "saddle.thigh" and z.side is Side.RIGHT
    )
    x = Polygon(shape.points).bounds[2] + 2.0
    return [(x, 120.0 + 5.0 * i) for i in range(45)]


def test_a_brush_stroke_grazing_a_zone_below_the_threshold_marks_nothing_there(view) -> None:
    v, model, state = view
    state.set_tool(Tool.BRUSH)
    state.set_brush_size(14.0)
    stroke = _grazing_stroke()
    cov = stroke_coverage(stroke, 7.0)
    saddle = {k: c for k, c in cov.items() if area_of(k[0]) == "saddle"}
    assert saddle and all(0 < c < MIN_MARK_SHARE / 2 for c in saddle.values())  # a graze
    assert cov[("posterior_thigh", Side.RIGHT)] > 1.5 * MIN_MARK_SHARE
    drag_scene_path(v, stroke)
    marks = {m.zone: m for m in model.session.marks}
    assert "posterior_thigh" in marks  # the stroke itself counts
    assert not any(area_of(z) == "saddle" for z in marks)
    assert all(m.coverage >= MIN_MARK_SHARE for m in marks.values())


def test_coverage_threshold_applies_to_every_zone() -> None:
    below, above = MIN_MARK_SHARE * 0.9, MIN_MARK_SHARE * 1.1
    s = Session()
    cov = {("heel.plantar", Side.LEFT): below, ("saddle.perineal", Side.LEFT): below}
    assert coverage_to_marks(s, cov, Symptom.PAIN, erase=False, fine_zones_of={}) == ()
    marks = coverage_to_marks(
        s, {("heel.plantar", Side.LEFT): above}, Symptom.PAIN, erase=False, fine_zones_of={}
    )
    assert marks == (Mark("heel.plantar", Side.LEFT, Symptom.PAIN, above),)
    # a graze does not change an existing mark's symptom either
    s2 = Session(marks=marks)
    graze = {("heel.plantar", Side.LEFT): below}
    assert coverage_to_marks(s2, graze, Symptom.NUMBNESS, erase=False, fine_zones_of={}) == marks
    # erasing down to under the threshold removes the mark
    s3 = Session(marks=(Mark("heel.plantar", Side.LEFT, Symptom.PAIN, 0.5),))
    left = {("heel.plantar", Side.LEFT): 0.5 - below / 2}
    assert coverage_to_marks(s3, left, Symptom.PAIN, erase=True, fine_zones_of={}) == ()
