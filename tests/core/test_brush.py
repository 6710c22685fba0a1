"""The raster brush (core.brush) against the exact shapely coverage (core.geometry)."""

from __future__ import annotations

import itertools
import random

import pytest

from core.brush import CELL, StrokeAccumulator, label_raster, stroke_coverage
from core.geometry import brush_coverage, interior_point, load_diagram
from core.model import Side

TOLERANCE = 0.03  # coverage fractions agree within 3 points


def _area(points: tuple[tuple[float, float], ...]) -> float:
    s = 0.0
    for i in range(len(points)):
        x0, y0 = points[i - 1]
        x1, y1 = points[i]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2


def _random_strokes(n: int, seed: int) -> list[tuple[list[tuple[float, float]], float]]:
    rng = random.Random(seed)
    views = load_diagram().views
    out = []
    for _ in range(n):
        v = rng.choice(views)
        x, y, w, h = v.bounds
        px, py = x + rng.random() * w, y + rng.random() * h
        stroke = []
        for _ in range(rng.randint(1, 60)):
            stroke.append((px, py))
            px += rng.uniform(-5, 5)
            py += rng.uniform(-5, 5)
        out.append((stroke, rng.choice((2.0, 4.0, 7.0, 12.0))))
    return out


def test_raster_cells_match_each_zone_area() -> None:
    ras = label_raster()
    assert len(ras.shapes) == len(load_diagram().zones())
    for i, shape in enumerate(ras.shapes):
        cells_area = float(ras.cells[i]) * CELL * CELL
        assert cells_area == pytest.approx(_area(shape.points), rel=0.03), shape.id


def test_label_of_an_interior_point_is_its_zone() -> None:
    ras = label_raster()
    for i, shape in enumerate(ras.shapes):
        x, y = interior_point(shape)
        col, row = int((x - ras.x0) / ras.cell), int((y - ras.y0) / ras.cell)
        assert int(ras.labels[row, col]) == i, shape.id


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coverage_matches_shapely_within_tolerance(seed: int) -> None:
    for stroke, radius in _random_strokes(25, seed):
        exact = brush_coverage(stroke, radius)
        fast = stroke_coverage(stroke, radius)
        for key in set(exact) | set(fast):
            assert fast.get(key, 0.0) == pytest.approx(exact.get(key, 0.0), abs=TOLERANCE), (
                key,
                radius,
                len(stroke),
            )
        # every zone clearly touched is found, and nothing far away
        assert {k for k, v in exact.items() if v > TOLERANCE} <= set(fast)
        assert {k for k, v in fast.items() if v > TOLERANCE} <= set(exact)


def test_incremental_equals_whole_stroke_and_repeats_are_ignored() -> None:
    stroke, radius = _random_strokes(1, 9)[0]
    acc = StrokeAccumulator(radius)
    seen = []
    for p in stroke:
        acc.add(p)
        acc.add(p)  # repeated point: no effect
        seen.append(acc.coverage())
    assert seen[-1] == stroke_coverage(stroke, radius)
    # coverage only grows as the stroke goes on
    for before, after in itertools.pairwise(seen):
        for key, frac in before.items():
            assert after[key] >= frac


def test_covering_a_whole_zone_gives_one_and_outside_gives_nothing() -> None:
    shape = next(z for z in load_diagram().zones() if z.id.startswith("dorsum_of_foot"))
    xs = [p[0] for p in shape.points]
    ys = [p[1] for p in shape.points]
    big = max(max(xs) - min(xs), max(ys) - min(ys))
    cov = stroke_coverage([interior_point(shape)], big + 2)
    assert cov[(shape.id, shape.side)] == 1.0
    assert stroke_coverage([(-500.0, -500.0), (-400.0, -450.0)], 5.0) == {}
    assert stroke_coverage([interior_point(shape)], 0.0) == {}


def test_max_over_views_for_a_zone_drawn_twice() -> None:
    d = load_diagram()
    counts: dict[tuple[str, Side], int] = {}
    for z in d.zones():
        counts[(z.id, z.side)] = counts.get((z.id, z.side), 0) + 1
    key = next((k for k, n in counts.items() if n > 1), None)
    if key is None:
        pytest.fail("the diagram has no zone drawn on two views; pick another check")
    shapes = [z for z in d.zones() if (z.id, z.side) == key]
    first = shapes[0]
    small = stroke_coverage([interior_point(first)], 1.5)
    assert 0.0 < small[key] < 1.0
    # the small disc lies in one shape; a zone's coverage is the largest over its shapes
    exact = brush_coverage([interior_point(first)], 1.5)[key]
    assert small[key] == pytest.approx(exact, abs=TOLERANCE)
    both = [interior_point(s) for s in shapes[:2]]
    acc = StrokeAccumulator(1.5)
    acc.add(both[0])
    one = acc.coverage()[key]
    acc2 = StrokeAccumulator(1.5)
    acc2.add(both[1])
    acc2.add((both[1][0] + 0.5, both[1][1]))
    acc2.add(both[0])  # a long jump back: a thin capsule joins the two shapes
    assert acc2.coverage()[key] >= one
