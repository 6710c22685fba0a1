"""Overlays: dermatome tints follow the selected atlas, nerves, key points, disagreement."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from core import clinical
from core.model import Side
from gui import theme
from gui.diagram.overlays import KeyPointMarker
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import UiState
from tests.gui.helpers import show_view


@pytest.fixture
def view(qtbot):
    model, state = SessionModel(), UiState()
    v = DiagramView(model, state)
    show_view(qtbot, v)
    return v, model, state


def _rgb(c: QColor | None) -> tuple[int, int, int] | None:
    return None if c is None else (c.red(), c.green(), c.blue())


def _tint(v: DiagramView, area: str, side: Side = Side.RIGHT) -> tuple[int, int, int] | None:
    tints = {_rgb(it.tint) for it in v.items_of(area, side)}
    assert len(tints) == 1, (area, tints)
    return tints.pop()


def test_dermatomes_tint_zones_by_the_top_root(view) -> None:
    v, _model, state = view
    assert _tint(v, "medial_malleolus") is None
    state.set_overlays(dermatomes=True)
    assert _tint(v, "medial_malleolus") == _rgb(theme.root_color("L4"))
    assert _tint(v, "medial_malleolus", Side.LEFT) == _rgb(theme.root_color("L4"))
    consensus = clinical.atlases()["consensus"]
    assert consensus.roots_of("great_toe")[0][0] == "L5"
    assert _tint(v, "great_toe") == _rgb(theme.root_color("L5"))
    # one root label per territory per view and side, legend lists the roots
    texts = {lb.text for lb in v.overlay.labels}
    assert {"L4", "L5", "S1"} <= texts
    assert v.legend.isVisible()
    assert ("root", "L5") in v.legend.entries
    assert "Consensus" in " ".join(t for _k, t in v.legend.entries)
    # the tooltip carries the weights and sources
    item = v.items_of("medial_malleolus", Side.RIGHT)[0]
    assert "L4" in item.toolTip() and "[" in item.toolTip()
    state.set_overlays(dermatomes=False)
    assert _tint(v, "medial_malleolus") is None
    assert not v.overlay.labels
    assert not v.legend.isVisible()


def test_switching_the_atlas_recolours(view) -> None:
    v, model, state = view
    state.set_overlays(dermatomes=True)
    atlases = clinical.atlases()
    kg = atlases["keegan_garrett"]
    model.set_atlas("keegan_garrett")
    top_kg = kg.roots_of("great_toe")[0][0]
    assert _tint(v, "great_toe") == _rgb(theme.root_color(top_kg))
    # every drawn area follows the atlas's top root; find one where the maps differ
    drawn = {it.zone_shape.area_id for it in v.zone_items}
    differing = [
        a
        for a in sorted(drawn)
        if atlases["consensus"].roots_of(a)
        and kg.roots_of(a)
        and atlases["consensus"].roots_of(a)[0][0] != kg.roots_of(a)[0][0]
    ]
    assert differing, "expected the maps to differ somewhere on the diagram"
    area = differing[0]
    assert _tint(v, area) == _rgb(theme.root_color(kg.roots_of(area)[0][0]))
    model.set_atlas("consensus")
    assert _tint(v, area) == _rgb(theme.root_color(atlases["consensus"].roots_of(area)[0][0]))
    model.undo_stack.undo()  # atlas back to keegan_garrett
    assert _tint(v, area) == _rgb(theme.root_color(kg.roots_of(area)[0][0]))


def test_nerve_overlay(view) -> None:
    v, _model, state = view
    state.set_overlays(nerves=True)
    sural = clinical.nerves()["sural"]
    area = max(sural.territory, key=sural.weight)
    items = v.items_of(area, Side.RIGHT)
    if items:
        assert any(it.tint is not None for it in items)
    tinted = [it for it in v.zone_items if it.tint is not None]
    assert len(tinted) > 10
    assert v.overlay.labels
    assert any(k == "nerve" for k, _t in v.legend.entries)
    # both overlays: dermatome fill, nerve as an inner edge
    state.set_overlays(dermatomes=True)
    assert any(it.tint_edge is not None for it in v.zone_items)


def test_key_points_for_l4_l5_s1_on_both_sides(view) -> None:
    v, _model, state = view
    markers = [m for m in v.overlay.markers if isinstance(m, KeyPointMarker)]
    found = {(m.key_point.root, m.key_point.side) for m in markers}
    for root in ("L4", "L5", "S1"):
        for side in Side:
            assert (root, side) in found
    assert all(m.scene() is v.scene() for m in markers)
    assert "R8" in markers[0].toolTip()
    state.set_overlays(key_points=False)
    assert v.overlay.markers == []


def test_disagreement_hatches_zones(view) -> None:
    v, _model, state = view
    state.set_overlays(disagreement=True)
    areas = {d.area for d in clinical.disagreements("consensus", "keegan_garrett", 0.25)}
    areas |= {d.area for d in clinical.disagreements("consensus", "foerster_lee", 0.25)}
    drawn = {it.zone_shape.area_id for it in v.zone_items}
    assert areas & drawn
    for it in v.zone_items:
        assert it.hatch == (it.zone_shape.area_id in areas)
        if it.hatch:
            assert "disagree" in it.toolTip()
    assert any(k == "disagreement" for k, _t in v.legend.entries)


def test_set_highlight(view) -> None:
    v, _model, state = view
    v.set_highlight({("dorsum_of_foot", Side.RIGHT): 1.0, ("heel.plantar", Side.LEFT): 0.3})
    strong = v.items_of("dorsum_of_foot", Side.RIGHT)
    weak = v.items_of("heel.plantar", Side.LEFT)
    assert strong and all(it.highlight is not None for it in strong)
    assert weak[0].highlight is not None
    assert weak[0].highlight.alpha() < strong[0].highlight.alpha()
    assert v.items_of("dorsum_of_foot", Side.LEFT)[0].highlight is None
    v.set_highlight(None)
    assert all(it.highlight is None for it in v.zone_items)
    # the UiState highlight channel drives the same thing
    state.set_highlight({("great_toe", Side.LEFT): 1.0}, "#ff0000")
    hl = v.items_of("great_toe", Side.LEFT)[0].highlight
    assert hl is not None and _rgb(hl) == (255, 0, 0)
    state.set_highlight(None)
    assert all(it.highlight is None for it in v.zone_items)
