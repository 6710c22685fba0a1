"""Where the diagram draws the saddle and the finer zones the nerve maps need."""

from __future__ import annotations

from shapely.geometry import Polygon

from core.geometry import View, load_diagram
from core.model import Side
from core.zones import area_of, areas, current_zone, is_known_zone, retired_zones


def _view(vid: str) -> View:
    return next(v for v in load_diagram().views if v.id == vid)


def _union(vid: str, prefix: str, side: Side) -> Polygon:
    polys = [
        Polygon(z.points)
        for z in _view(vid).zones
        if z.side is side and (z.id == prefix or z.id.startswith(prefix + "."))
    ]
    assert polys, (vid, prefix)
    out = polys[0]
    for p in polys[1:]:
        out = out.union(p)
    return out


def test_the_anterior_view_draws_no_saddle() -> None:
    # the front of the upper inner thigh is medial thigh (obturator, L2-L3), not saddle
    assert not [z for z in _view("anterior").zones if area_of(z.id) == "saddle"]
    for side in Side:
        med = _union("anterior", "medial_thigh", side)
        groin = _union("anterior", "groin", side)
        # the inner thigh reaches up to the groin crease
        assert med.distance(groin) < 0.5


def test_the_posterior_saddle_is_perineal_medial_buttock_and_upper_inner_thigh() -> None:
    v = _view("posterior")
    cx = v.bounds[0] + v.bounds[2] / 2
    for side in Side:
        saddle = _union("posterior", "saddle", side)
        butt = _union("posterior", "buttock", side)
        thigh = _union("posterior", "posterior_thigh", side)
        x0, y0, x1, y1 = saddle.bounds
        # hugs the midline (natal cleft, perineum) on its own side
        assert min(abs(x0 - cx), abs(x1 - cx)) < 1.0
        assert max(abs(x0 - cx), abs(x1 - cx)) < 50
        # medial buttock beside the cleft and the upper thigh below it, lateral buttock stays
        assert saddle.touches(butt) or saddle.intersection(butt).area < 1.0
        assert butt.area > 4 * saddle.area
        assert thigh.area > saddle.area
        assert y0 < 130 and 200 < y1 < 270
    ids = {z.id for z in v.zones if area_of(z.id) == "saddle"}
    assert ids == {"saddle.perineal", "saddle.thigh"}


def test_sacral_key_points_lie_in_the_saddle() -> None:
    kps = [k for k in load_diagram().key_points if k.root in ("S3", "S4-5")]
    assert len(kps) == 4
    assert all(area_of(k.zone) == "saddle" for k in kps)


def test_nerve_zones_exist() -> None:
    ids = load_diagram().zone_ids()
    for zid in (
        "lateral_lower_leg.upper",
        "posterior_calf.upper",
        "posterior_calf.lateral",
        "posterior_calf.medial",
        "buttock.lower",
        "plantar_toes.fourth_lateral",
    ):
        assert zid in ids, zid
        assert area_of(zid) in areas()
    lat = {z.id for z in _view("lateral").zones}
    assert "posterior_calf.lateral" in lat  # behind the lateral malleolus (sural course)


def test_retired_zones_stay_known_and_map_to_a_drawn_zone() -> None:
    assert retired_zones() == {"saddle.inner_thigh": "saddle"}
    for old, new in retired_zones().items():
        assert is_known_zone(old) and current_zone(old) == new
        assert new in areas() or new in load_diagram().zone_ids()
        assert old not in load_diagram().zone_ids()
    assert current_zone("heel.plantar") == "heel.plantar"
