"""Diagram geometry: the asset tiles every limb, hit testing, key points and brush coverage."""

from __future__ import annotations

import gc
import itertools
import time

import pytest
from shapely.geometry import Point as SPoint
from shapely.geometry import Polygon
from shapely.ops import unary_union

from core import geometry
from core.geometry import StrokeAccumulator, brush_coverage, interior_point, load_diagram, zone_at
from core.model import Side
from core.zones import areas

VIEW_IDS = {"anterior", "posterior", "dorsal", "plantar", "medial", "lateral"}


def _poly(points: tuple[tuple[float, float], ...]) -> Polygon:
    return Polygon(points)


def test_views_and_size() -> None:
    d = load_diagram()
    assert {v.id for v in d.views} == VIEW_IDS
    assert 1.4 < d.width / d.height < 1.8
    for v in d.views:
        x, y, w, h = v.bounds
        assert x >= 0 and y >= 0 and x + w <= d.width + 1e-6 and y + h <= d.height + 1e-6
        kinds = [lb.kind for lb in v.labels]
        assert kinds.count("title") == 1
        texts = {lb.text for lb in v.labels if lb.kind == "side"}
        assert texts == {"Patient's RIGHT", "Patient's LEFT"}, v.id
        assert {o.side for o in v.outlines} == {Side.LEFT, Side.RIGHT}


def test_zone_polygons_valid_and_inside_bounds() -> None:
    d = load_diagram()
    bad = []
    for v in d.views:
        x, y, w, h = v.bounds
        for z in v.zones:
            p = _poly(z.points)
            if len(z.points) < 3 or not p.is_valid or p.area <= 0 or p.interiors:
                bad.append((v.id, z.id, z.side, "invalid"))
                continue
            bx0, by0, bx1, by1 = p.bounds
            if bx0 < x or by0 < y or bx1 > x + w or by1 > y + h:
                bad.append((v.id, z.id, z.side, "outside view bounds"))
            assert z.view == v.id
    assert not bad, bad


def test_zones_do_not_overlap_within_a_view_side() -> None:
    d = load_diagram()
    offenders = []
    for v in d.views:
        for side in Side:
            shapes = [(z, _poly(z.points)) for z in v.zones if z.side is side]
            for (za, pa), (zb, pb) in itertools.combinations(shapes, 2):
                if not pa.intersects(pb):
                    continue
                a = pa.intersection(pb).area
                if a >= 0.5:
                    offenders.append((v.id, side.value, za.id, zb.id, round(a, 2)))
    assert not offenders, offenders


def test_zones_tile_each_limb_outline() -> None:
    d = load_diagram()
    for v in d.views:
        assert len(v.outlines) == 2
        for o in v.outlines:
            outline = _poly(o.points)
            assert outline.is_valid and outline.area > 500
            zones = unary_union([_poly(z.points) for z in v.zones if z.side is o.side])
            gap = outline.difference(zones).area
            spill = zones.difference(outline).area
            assert gap < 0.01 * outline.area, (v.id, o.side, gap)
            assert spill < 0.01 * outline.area, (v.id, o.side, spill)


def test_every_canonical_area_on_each_side() -> None:
    d = load_diagram()
    for side in Side:
        drawn = {z.area_id for z in d.zones() if z.side is side}
        missing = set(areas()) - drawn
        assert not missing, (side, missing)


def test_zone_ids_are_canonical_or_parts() -> None:
    d = load_diagram()
    canonical = set(areas())
    for zid in d.zone_ids():
        base, _, part = zid.partition(".")
        assert base in canonical, zid
        if "." in zid:
            assert part and part.replace("_", "").isalnum(), zid


def test_shapes_of_matches_parts() -> None:
    d = load_diagram()
    assert d.shapes_of("dorsum_of_foot", Side.LEFT)
    assert all(s.area_id == "dorsum_of_foot" for s in d.shapes_of("dorsum_of_foot", Side.LEFT))
    assert all(s.side is Side.RIGHT for s in d.shapes_of("heel", Side.RIGHT))
    assert d.shapes_of("nope", Side.RIGHT) == ()
    sole = {s.area_id for s in d.shapes_of("sole", Side.LEFT)}
    assert sole == {"medial_sole", "lateral_sole"}
    exact = d.shapes_of("great_toe.dorsal", Side.LEFT)
    assert exact and all(s.id == "great_toe.dorsal" for s in exact)


def test_zone_at_interior_point_round_trip() -> None:
    d = load_diagram()
    wrong = []
    for z in d.zones():
        x, y = interior_point(z)
        assert _poly(z.points).contains(SPoint(x, y)), z.id
        hit = zone_at(x, y)
        if hit is None or (hit.id, hit.side, hit.view) != (z.id, z.side, z.view):
            wrong.append((z.view, z.id, z.side.value, None if hit is None else hit.id))
    assert not wrong, wrong


def test_zone_at_outside_is_none() -> None:
    d = load_diagram()
    assert zone_at(-50, -50) is None
    assert zone_at(d.width + 10, 10) is None
    for v in d.views:
        title = next(lb for lb in v.labels if lb.kind == "title")
        assert zone_at(title.x, title.y) is None, v.id


def test_key_points_sit_in_their_zones() -> None:
    d = load_diagram()
    roots = {(k.root, k.side) for k in d.key_points}
    for r in ("L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4-5"):
        for side in Side:
            assert (r, side) in roots, (r, side)
    expected = {"L4": "medial_malleolus", "L5": "dorsum_of_foot", "S1": "lateral_heel"}
    expected |= {"S2": "popliteal_fossa", "L3": "anterior_knee", "L2": "anterior_thigh"}
    for k in d.key_points:
        hit = zone_at(k.x, k.y)
        assert hit is not None, k
        assert (hit.id, hit.side, hit.view) == (k.zone, k.side, k.view), (k, hit)
        if k.root in expected:
            assert hit.area_id == expected[k.root], (k, hit.id)


def _shape(zone: str, side: Side, view: str) -> geometry.ZoneShape:
    d = load_diagram()
    return next(s for s in d.shapes_of(zone, side) if s.view == view)


def test_brush_coverage_across_dorsum() -> None:
    a = _shape("dorsum_of_foot.medial", Side.RIGHT, "dorsal")
    b = _shape("dorsum_of_foot.lateral", Side.RIGHT, "dorsal")
    p0, p1 = interior_point(a), interior_point(b)
    stroke = [
        (p0[0] + (p1[0] - p0[0]) * i / 20, p0[1] + (p1[1] - p0[1]) * i / 20) for i in range(21)
    ]
    cov = brush_coverage(stroke, 4.0)
    for key in (("dorsum_of_foot.medial", Side.RIGHT), ("dorsum_of_foot.lateral", Side.RIGHT)):
        assert 0 < cov[key] <= 1
    assert all(0 < v <= 1 for v in cov.values())
    assert ("heel", Side.RIGHT) not in cov and not any(s is Side.LEFT for _, s in cov)
    assert not any(z.startswith("heel") or z.endswith("thigh") for z, _ in cov)
    # a single point, and a huge brush covering a whole zone
    one = brush_coverage([p0], 3.0)
    assert set(one) == {("dorsum_of_foot.medial", Side.RIGHT)}
    full = brush_coverage([p0], 500.0)
    assert full[("dorsum_of_foot.medial", Side.RIGHT)] == pytest.approx(1.0, abs=1e-6)
    assert brush_coverage([], 3.0) == {}


def test_stroke_accumulator_matches_brush_coverage() -> None:
    a = _shape("posterior_calf.medial", Side.LEFT, "posterior")
    b = _shape("posterior_calf.lateral", Side.LEFT, "posterior")
    (x0, y0), (x1, y1) = interior_point(a), interior_point(b)
    stroke = [
        (x0 + (x1 - x0) * i / 30, y0 + (y1 - y0) * i / 30 + 40 * (i % 7) / 7) for i in range(31)
    ]
    acc = StrokeAccumulator(6.0)
    for i, p in enumerate(stroke):
        acc.add(p)
        if i % 10 == 0:
            acc.coverage()
    got = acc.coverage()
    want = brush_coverage(stroke, 6.0)
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=0.01), k


def test_laterality_of_leg_views() -> None:
    d = load_diagram()

    def mean_x(view: str, side: Side) -> float:
        v = next(v for v in d.views if v.id == view)
        xs = [x for z in v.zones if z.side is side for x, _ in z.points]
        return sum(xs) / len(xs)

    assert mean_x("anterior", Side.RIGHT) < mean_x("anterior", Side.LEFT)
    assert mean_x("posterior", Side.RIGHT) > mean_x("posterior", Side.LEFT)
    for view in VIEW_IDS:
        v = next(v for v in d.views if v.id == view)
        caps = {lb.text: lb.x for lb in v.labels if lb.kind == "side"}
        right_is_left = mean_x(view, Side.RIGHT) < mean_x(view, Side.LEFT)
        assert (caps["Patient's RIGHT"] < caps["Patient's LEFT"]) == right_is_left, view


def test_medial_zones_of_a_foot_lie_on_its_great_toe_side() -> None:
    """Seen from above or from behind, each foot's medial zones (the medial sole, the medial
    border, the medial dorsum) lie towards its great toe and the lateral ones towards its little
    toe. The plantar border strips were once drawn on the opposite edges."""
    d = load_diagram()
    for view in ("dorsal", "plantar"):
        v = next(v for v in d.views if v.id == view)
        for side in Side:
            zones = [z for z in v.zones if z.side is side]

            def mean_x(ids: list[str], zones: list[geometry.ZoneShape] = zones) -> float:
                xs = [x for z in zones if z.id in ids for x, _ in z.points]
                assert xs, ids
                return sum(xs) / len(xs)

            great = [z.id for z in zones if "great" in z.id]
            little = [z.id for z in zones if "little" in z.id]
            medial_is_low = mean_x(great) < mean_x(little)
            for z in zones:
                kind = "medial" if "medial" in z.id else "lateral" if "lateral" in z.id else None
                if kind is None:
                    continue
                partner = z.id.replace(kind, "lateral" if kind == "medial" else "medial")
                if partner not in {o.id for o in zones}:
                    continue
                low = mean_x([z.id]) < mean_x([partner])
                assert low == (medial_is_low == (kind == "medial")), (view, side, z.id)


def test_performance() -> None:
    load_diagram.cache_clear()
    geometry._grid.cache_clear()
    from core.assets import load_json

    load_json.cache_clear()
    # the collector's pass over the whole suite's objects (thousands of analyses by then) is
    # not the loader's time: it fell inside this call in the full run, 214 ms for a 7 ms load
    gc.collect()
    gc.disable()
    try:
        t = time.perf_counter()
        d = load_diagram()
        elapsed = time.perf_counter() - t
    finally:
        gc.enable()
    assert elapsed < 0.1  # target 30 ms; generous for a loaded CI machine
    pts = [interior_point(z) for z in d.zones()[:40]]
    zone_at(0, 0)
    rounds = []  # the best of three rounds: a busy machine slows one round, not the code
    for _round in range(3):
        t = time.perf_counter()
        for _ in range(5):
            for x, y in pts:
                zone_at(x, y)
        rounds.append((time.perf_counter() - t) / (5 * len(pts)))
    assert min(rounds) < 0.001  # target 0.2 ms
    a = _shape("anterior_thigh", Side.RIGHT, "anterior")
    x0, y0 = interior_point(a)
    stroke = [(x0 + 20 * ((i % 20) / 20), y0 + i * 1.5) for i in range(200)]
    brush_coverage(stroke[:2], 5.0)  # build the index
    t = time.perf_counter()
    acc = StrokeAccumulator(5.0)
    for i, p in enumerate(stroke):
        acc.add(p)
        if i % 10 == 9:
            acc.coverage()
    per_point = (time.perf_counter() - t) / len(stroke)
    assert per_point < 16e-3 / 20  # target 60 points per 16 ms frame; generous bound here


def test_asset_is_compact_and_ids_known() -> None:
    from importlib import resources

    from core.zones import is_known_zone

    ref = resources.files("assets").joinpath("diagram").joinpath("views.json")
    assert len(ref.read_bytes()) < 600_000
    d = load_diagram()
    assert all(is_known_zone(zid) for zid in d.zone_ids())


def test_labels_inside_their_view_and_zone_labels_inside_zones() -> None:
    d = load_diagram()
    for v in d.views:
        x, y, w, h = v.bounds
        for lb in v.labels:
            assert x <= lb.x <= x + w and y <= lb.y <= y + h, (v.id, lb)
            assert lb.kind in {"title", "side", "orientation"}
        for z in v.zones:
            assert _poly(z.points).contains(SPoint(*z.label)), (v.id, z.id, z.side)


def test_loading_and_hit_testing_do_not_import_shapely() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from core.geometry import load_diagram, zone_at, interior_point\n"
        "d = load_diagram()\n"
        "z = d.zones()[0]\n"
        "assert zone_at(*interior_point(z)) is not None\n"
        "assert 'shapely' not in sys.modules, 'shapely imported'\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr


def test_interior_point_fallback_when_label_is_outside() -> None:
    # an L-shaped zone whose label lies in the notch, outside the polygon
    pts = ((0.0, 0.0), (40.0, 0.0), (40.0, 10.0), (10.0, 10.0), (10.0, 40.0), (0.0, 40.0))
    z = geometry.ZoneShape("heel", Side.LEFT, "plantar", pts, (30.0, 30.0))
    x, y = interior_point(z)
    assert _poly(pts).contains(SPoint(x, y))
    assert _poly(pts).exterior.distance(SPoint(x, y)) > 3.0


def test_interior_point_is_fast() -> None:
    shapes = load_diagram().zones()
    t = time.perf_counter()
    for z in shapes:
        interior_point(z)
    assert time.perf_counter() - t < 0.05


def _view(view_id: str) -> geometry.View:
    return next(v for v in load_diagram().views if v.id == view_id)


def _width_at(outline: Polygon, y: float) -> tuple[float, float]:
    from shapely.geometry import LineString

    x0, _, x1, _ = outline.bounds
    cut = outline.intersection(LineString([(x0 - 1, y), (x1 + 1, y)]))
    return cut.bounds[0], cut.bounds[2]


def test_posterior_has_a_pelvis_and_a_natal_cleft() -> None:
    v = _view("posterior")
    right, left = (
        _poly(next(o for o in v.outlines if o.side is s).points) for s in (Side.RIGHT, Side.LEFT)
    )
    # the two halves meet along a straight midline (the natal cleft) below the waist
    shared = right.boundary.intersection(left.boundary)
    assert shared.length > 80 and abs(shared.bounds[0] - shared.bounds[2]) < 0.5
    mid_x = shared.bounds[0]
    top = right.bounds[1]
    waist = _width_at(right, top + 6)[1] - mid_x
    hip = max(_width_at(right, y)[1] for y in range(int(top) + 40, int(top) + 140, 4)) - mid_x
    assert waist < 0.8 * hip  # the flank flares from the waist over the hip: no square shoulder
    # the infragluteal crease is a curve: the buttock's lower edge dips lowest mid-width
    butt = _poly(next(z for z in v.zones if z.id == "buttock" and z.side is Side.RIGHT).points)
    lowest = max(butt.exterior.coords, key=lambda p: p[1])
    x0, _, x1, _ = butt.bounds
    assert x0 + 0.15 * (x1 - x0) < lowest[0] < x1 - 0.15 * (x1 - x0)


def test_dorsal_toes_are_graded_and_separate() -> None:
    v = _view("dorsal")
    for side in Side:
        toes = [z for z in v.zones if z.side is side and z.id.endswith(".dorsal")]
        assert len(toes) == 5  # the gaps keep every toe a separate shape
        great = next(z for z in toes if z.id == "great_toe.dorsal")
        gx = _poly(great.points).centroid.x
        # order from the great toe outwards, then compare tip positions (toes point down)
        toes.sort(key=lambda z: abs(_poly(z.points).centroid.x - gx))
        tips = [max(y for _, y in z.points) for z in toes]
        assert toes[0].id == "great_toe.dorsal" and toes[-1].id == "little_toe.dorsal"
        assert abs(tips[0] - tips[1]) < 5  # second toe about as long as the great toe
        assert tips[1] > tips[2] > tips[3] > tips[4]


def test_plantar_medial_arch_is_concave() -> None:
    v = _view("plantar")
    for side in Side:
        o = _poly(next(o for o in v.outlines if o.side is side).points)
        _, y0, _, y1 = o.bounds
        length = y1 - y0
        heel, mid, ball = (_width_at(o, y1 - f * length) for f in (0.15, 0.4, 0.72))
        w = [b - a for a, b in (heel, mid, ball)]
        assert w[1] < w[0] < w[2]  # narrow midfoot, rounded heel, broad ball
        # the narrowing is on the medial side (towards the middle of the view)
        centre = v.bounds[0] + v.bounds[2] / 2
        heel_m, mid_m, ball_m = (min(abs(centre - x) for x in e) for e in (heel, mid, ball))
        assert mid_m > heel_m + 3 and mid_m > ball_m + 10


def test_the_asset_stores_whole_tenths_and_an_old_format_is_refused() -> None:
    from core.assets import load_json
    from core.geometry import FORMAT, _parse

    data = load_json("diagram/views.json")
    assert data["format"] == FORMAT
    assert all(isinstance(v, int) for v in data["views"][0]["zones"][0]["points"])
    z = load_diagram().views[0].zones[0]
    assert z.points[0] == (data["views"][0]["zones"][0]["points"][0] / 10, z.points[0][1])
    with pytest.raises(ValueError, match="dermamap-diagram/1"):
        _parse({**data, "format": "dermamap-diagram/1"})
