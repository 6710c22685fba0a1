"""The nerve overlay draws each nerve where the anatomy texts draw it; the legend lists all."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from core import clinical
from core.model import Side
from gui import theme
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import UiState
from tests.gui.helpers import show_view


@pytest.fixture
def view(qtbot):
    model, state = SessionModel(), UiState()
    v = DiagramView(model, state)
    show_view(qtbot, v)
    state.set_overlays(nerves=True)
    return v, model, state


def _rgb(c: QColor | None) -> tuple[int, int, int] | None:
    return None if c is None else (c.red(), c.green(), c.blue())


def _shown(v: DiagramView, zone: str, side: Side = Side.RIGHT) -> set[str | None]:
    """Nerve ids whose colour the zone's items show (None: no nerve)."""
    colours = {_rgb(theme.nerve_color(n)): n for n in clinical.nerves()}
    items = [it for it in v.zone_items if it.key == (zone, side)]
    assert items, zone
    return {colours.get(_rgb(it.tint)) if it.tint is not None else None for it in items}


def test_the_legend_lists_every_nerve(view) -> None:
    v, _model, _state = view
    shown = {t.key for t in v.overlay.nerves.values()}
    # every nerve is drawn somewhere but the sciatic nerve, whose skin is all its branches'
    # (they are drawn ahead of it; Explore draws it on its own)
    drawn = set(clinical.nerves()) - {"sciatic"}
    assert shown == drawn
    legend = [t for k, t in v.legend.entries if k == "nerve"]
    assert len(legend) == len(drawn) == 12
    text = " ".join(legend)
    for nerve in (n for n in clinical.nerves().values() if n.id in drawn):
        assert nerve.name.split(" (")[0].replace(" nerve", "") in text, nerve.id


@pytest.mark.parametrize(
    ("zone", "nerve"),
    [
        ("posterior_calf.lateral", "sural"),
        ("posterior_calf.medial", "sural"),  # medial sural cutaneous, faint
        ("posterior_calf.upper", None),
        ("lateral_malleolus", "sural"),
        ("lateral_border_of_foot", "sural"),
        ("little_toe.lateral", "sural"),
        ("medial_lower_leg", "saphenous"),
        ("medial_border_of_foot", "saphenous"),
        ("medial_border_of_foot.plantar", "medial_plantar"),
        ("medial_sole", "medial_plantar"),
        ("plantar_toes.great", "medial_plantar"),
        ("plantar_toes.middle", "medial_plantar"),
        ("lateral_sole", "lateral_plantar"),
        ("plantar_toes.fourth_lateral", "lateral_plantar"),
        ("plantar_toes.little", "lateral_plantar"),
        ("heel.plantar", "tibial"),
        ("medial_thigh", "obturator"),
        ("posterior_thigh", "posterior_femoral_cutaneous"),
        ("buttock.lower", "posterior_femoral_cutaneous"),
        ("buttock", None),
        ("lateral_lower_leg.upper", "common_peroneal"),
        ("lateral_lower_leg", "superficial_peroneal"),
        ("first_web_space", "deep_peroneal"),
        ("anterior_thigh", "femoral"),
        ("anterolateral_thigh", "lateral_femoral_cutaneous"),
    ],
)
def test_each_zone_shows_its_nerve(view, zone: str, nerve: str | None) -> None:
    v, _model, _state = view
    for side in Side:
        assert _shown(v, zone, side) == {nerve}, (zone, side)


def test_tooltips_name_the_branch_and_the_other_nerves(view) -> None:
    v, _model, _state = view
    calf = next(it for it in v.zone_items if it.key == ("posterior_calf.medial", Side.LEFT))
    assert "medial sural cutaneous" in calf.toolTip()
    sole = next(it for it in v.zone_items if it.key == ("medial_sole", Side.LEFT))
    assert "Medial plantar" in sole.toolTip() and "Tibial" in sole.toolTip()
    # the other nerves are named as the first is, with the word "nerve"
    dorsum = next(it for it in v.zone_items if it.key == ("dorsum_of_foot.medial", Side.LEFT))
    assert "Also supplied by: Common peroneal nerve" in dorsum.toolTip()


def test_every_nerve_has_its_own_colour() -> None:
    hues = {theme.nerve_color(n).name() for n in clinical.nerves()}
    assert len(hues) == len(clinical.nerves())
    assert "#888888" not in hues  # the fallback grey
