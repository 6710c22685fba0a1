"""The figure reads as a body chart: a pelvis joining the legs, knee and calf contours, a
distinct great toe with a clickable first web space, and one stated view convention per view."""

from __future__ import annotations

from shapely.geometry import LineString, Polygon
from shapely.ops import polylabel, unary_union

from core.geometry import View, load_diagram
from core.model import Side


def _view(view_id: str) -> View:
    return next(v for v in load_diagram().views if v.id == view_id)


def _outline(v: View, side: Side) -> Polygon:
    return Polygon(next(o for o in v.outlines if o.side is side).points)


def _width(poly: Polygon, y: float) -> float:
    x0, _, x1, _ = poly.bounds
    cut = poly.intersection(LineString([(x0 - 1, y), (x1 + 1, y)]))
    return cut.bounds[2] - cut.bounds[0]


def _mean_x(v: View, side: Side) -> float:
    xs = [x for z in v.zones if z.side is side for x, _ in z.points]
    return sum(xs) / len(xs)


def test_every_view_states_its_convention_and_back_and_soles_agree() -> None:
    d = load_diagram()
    facing = {"anterior", "dorsal"}
    behind = {"posterior", "plantar"}
    for v in d.views:
        title = next(lb for lb in v.labels if lb.kind == "title")
        below = [lb for lb in v.labels if lb.kind == "orientation" and 0 < lb.y - title.y < 20]
        assert len(below) == 1, v.id  # the line under the title says how the view is seen
        text = below[0].text
        if v.id in facing:
            assert "facing the patient" in text
            assert _mean_x(v, Side.RIGHT) < _mean_x(v, Side.LEFT), v.id
        if v.id in behind:
            assert "behind" in text
            assert _mean_x(v, Side.RIGHT) > _mean_x(v, Side.LEFT), v.id
        caps = {lb.text: lb for lb in v.labels if lb.kind == "side"}
        # the captions stand above their own limb
        for name, side in (("Patient's RIGHT", Side.RIGHT), ("Patient's LEFT", Side.LEFT)):
            other = Side.LEFT if side is Side.RIGHT else Side.RIGHT
            assert abs(caps[name].x - _mean_x(v, side)) < abs(caps[name].x - _mean_x(v, other))


def test_the_anterior_view_has_a_pelvis_joining_the_legs() -> None:
    v = _view("anterior")
    assert len(v.body) == 1
    pelvis = Polygon(v.body[0])
    legs = unary_union([_outline(v, s) for s in Side])
    assert pelvis.is_valid and pelvis.intersects(_outline(v, Side.RIGHT))
    assert pelvis.intersects(_outline(v, Side.LEFT))
    # above the legs, as wide as the hips, and narrower at the waist than at the hips
    assert pelvis.bounds[1] < legs.bounds[1] - 15
    top = pelvis.bounds[1]
    assert _width(pelvis, top + 3) < 0.85 * _width(pelvis, top + 45)
    # inked where it is seen (waist and flanks), never over a zone
    ink = unary_union([LineString(c.points) for c in v.contours if c.kind == "ink"])
    assert ink.length > 250
    zones = unary_union([Polygon(z.points) for z in v.zones])
    assert ink.intersection(zones.buffer(-1.0)).length < 1.0
    # the zones (and so every mark) stay on the legs
    assert not pelvis.difference(legs).intersects(zones.buffer(-1.0))


def test_the_posterior_view_shows_the_iliac_crests() -> None:
    v = _view("posterior")
    crests = [c for c in v.contours if c.kind == "crease"]
    assert len(crests) == 2
    for c in crests:
        ys = [y for _, y in c.points]
        assert min(ys) < 75 and max(ys) < 120  # across the top of the pelvis, above the cleft


def test_legs_have_knee_and_calf_contours() -> None:
    for view_id, knee_y, calf_y, ankle_y in (
        ("anterior", 348, 410, 522),
        ("posterior", 340, 405, 524),
    ):
        v = _view(view_id)
        for side in Side:
            leg = _outline(v, side)
            knee, calf, ankle = (_width(leg, y) for y in (knee_y, calf_y, ankle_y))
            assert calf > 1.1 * knee, (view_id, side, knee, calf)  # the calf bulges
            assert ankle < 0.6 * calf, (view_id, side, ankle, calf)
    v = _view("anterior")
    patellae = [c for c in v.contours if c.kind == "crease" and len(c.points) > 20]
    knees = [z for z in v.zones if z.id == "anterior_knee"]
    for k in knees:
        assert any(Polygon(k.points).contains(LineString(c.points)) for c in patellae)


def test_the_great_toe_is_distinct_and_the_first_web_space_big_enough_to_click() -> None:
    v = _view("dorsal")
    for side in Side:
        toes = [Polygon(z.points) for z in v.zones if z.side is side and z.id.endswith(".dorsal")]
        great = next(
            Polygon(z.points) for z in v.zones if z.side is side and z.id == "great_toe.dorsal"
        )
        others = [t for t in toes if not t.equals(great)]
        assert great.area > 2.2 * max(t.area for t in others)
        nails = [LineString(c.points) for c in v.contours if c.kind == "crease"]
        assert sum(great.contains(n) for n in nails) == 1  # its own nail
        web = Polygon(
            next(z for z in v.zones if z.side is side and z.id == "first_web_space").points
        )
        pole = polylabel(web, 0.2)
        # a circle of 20 diagram units fits in it: about 18 px at the default window size
        assert web.exterior.distance(pole) >= 10.0
        assert web.area > 600
