"""Shape helpers of the diagram generator (``tools/make_diagram.py``): smooth curves, toes,
limb edges and the tiling of an outline into zones."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

STEP = 2.0
GRID = 0.05

Pt = tuple[float, float]


# --------------------------------------------------------------------------- curve helpers


def catmull_rom(points: Sequence[Pt], closed: bool = False, step: float = STEP) -> list[Pt]:
    """Centripetal Catmull-Rom spline through ``points``, resampled every ~``step`` units."""
    p = np.asarray(points, dtype=float)
    if closed:
        ext = np.vstack([p[-1], p, p[0], p[1]])
    else:
        ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    dense: list[np.ndarray] = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]

        def tj(ti: float, a: np.ndarray, b: np.ndarray) -> float:
            return ti + float(max(float(np.hypot(*(b - a))), 1e-6) ** 0.5)

        t0 = 0.0
        t1 = tj(t0, p0, p1)
        t2 = tj(t1, p1, p2)
        t3 = tj(t2, p2, p3)
        n = max(4, int(np.hypot(*(p2 - p1)) / 0.5))
        t = np.linspace(t1, t2, n, endpoint=False)[:, None]
        a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
        a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
        a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
        b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
        b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
        c = (t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2
        dense.append(c)
    if not closed:
        dense.append(p[-1:])
    d = np.vstack(dense)
    return resample(d, step, closed)


def resample(d: np.ndarray, step: float, closed: bool) -> list[Pt]:
    if closed:
        d = np.vstack([d, d[:1]])
    seg = np.hypot(*np.diff(d, axis=0).T)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(3, math.ceil(s[-1] / step))
    si = np.linspace(0, s[-1], n + (0 if closed else 1), endpoint=not closed)
    x = np.interp(si, s, d[:, 0])
    y = np.interp(si, s, d[:, 1])
    return list(zip(x.tolist(), y.tolist(), strict=True))


def ellipse(cx: float, cy: float, rx: float, ry: float, rot: float = 0.0) -> list[Pt]:
    n = max(24, int(2 * math.pi * max(rx, ry) / STEP))
    c, s = math.cos(rot), math.sin(rot)
    out = []
    for i in range(n):
        a = 2 * math.pi * i / n
        x, y = rx * math.cos(a), ry * math.sin(a)
        out.append((cx + c * x - s * y, cy + s * x + c * y))
    return out


def digit(base: Pt, tip: Pt, w_base: float, w_tip: float, neck: float | None = None) -> list[Pt]:
    """A rounded toe from ``base`` (buried in the foot) to ``tip``.

    ``neck`` (a fraction of ``w_tip``) narrows the toe at 55 % of its length, so that the
    tip reads as a rounded pad rather than a finger.
    """
    bx, by = base
    tx, ty = tip
    L = math.hypot(tx - bx, ty - by)
    dx, dy = (tx - bx) / L, (ty - by) / L
    nx, ny = -dy, dx

    def at(f: float, off: float) -> Pt:
        return (bx + dx * L * f + nx * off, by + dy * L * f + ny * off)

    wt = w_tip / 2
    wb = w_base / 2
    mid = (0.45, (wb + wt) / 2 * 1.02) if neck is None else (0.55, wt * neck)
    pts = [
        at(0.0, wb),
        at(mid[0], mid[1]),
        at(0.78, wt * 1.02),
        at(0.93, wt * 0.78),
        at(1.0, 0.0),
        at(0.93, -wt * 0.78),
        at(0.78, -wt * 1.02),
        at(mid[0], -mid[1]),
        at(0.0, -wb),
        at(-0.15, 0.0),
    ]
    return catmull_rom(pts, closed=True)


def region(
    t0: Callable[[float], float] | float,
    t1: Callable[[float], float] | float,
    y0: float,
    y1: float,
    to_xy: Callable[[float, float], Pt],
    step: float = 2.0,
) -> Polygon:
    """Polygon of {t0(y) <= t <= t1(y), y0 <= y <= y1} mapped through ``to_xy``."""
    f0 = t0 if callable(t0) else (lambda _y, v=t0: v)
    f1 = t1 if callable(t1) else (lambda _y, v=t1: v)
    ys = np.linspace(y0, y1, max(3, int((y1 - y0) / step) + 1))
    left = [to_xy(f0(y), y) for y in ys]
    right = [to_xy(f1(y), y) for y in ys[::-1]]
    return Polygon(left + right).buffer(0)


def poly_from_curves(*curves: Iterable[Pt]) -> Polygon:
    pts: list[Pt] = []
    for c in curves:
        pts.extend(c)
    return Polygon(pts).buffer(0)


def close(g: Any, r: float) -> Any:
    """Morphological closing: rounds the concave corners where toes join the foot."""
    return g.buffer(r, quad_segs=24).buffer(-r, quad_segs=24)


def smooth_poly(points: Sequence[Pt]) -> Polygon:
    return Polygon(catmull_rom(points, closed=True)).buffer(0)


# --------------------------------------------------------------------------- edges / mapping


class Edge:
    """A limb edge sampled as x(y) (monotone in y)."""

    def __init__(self, pts: Sequence[Pt]) -> None:
        a = np.asarray(pts, dtype=float)
        order = np.argsort(a[:, 1], kind="stable")
        a = a[order]
        self.y = a[:, 1]
        self.x = a[:, 0]

    def __call__(self, y: float) -> float:
        return float(np.interp(y, self.y, self.x))


def mapper(lat: Edge, med: Edge) -> Callable[[float, float], Pt]:
    def to_xy(t: float, y: float) -> Pt:
        a, b = lat(y), med(y)
        return (a + t * (b - a), y)

    return to_xy


# --------------------------------------------------------------------------- tiling


def tile(outline: Polygon, regions: Sequence[tuple[str, Any]]) -> list[tuple[str, Polygon]]:
    """Assign the outline to zones in priority order; small leftovers join a neighbour."""
    g = GRID
    remaining = shapely.set_precision(outline, g)
    raw: list[tuple[str, Polygon]] = []
    for zid, reg in regions:
        if reg is None or reg.is_empty:
            continue
        reg = polygonal(shapely.set_precision(polygonal(reg), g))
        if reg.is_empty:
            continue
        piece = polygonal(shapely.intersection(remaining, reg, grid_size=g))
        remaining = polygonal(shapely.difference(remaining, reg, grid_size=g))
        raw.extend((zid, g) for g in explode(piece))
    for left in explode(remaining):
        if left.area > 2.0:
            print(f"  WARNING unassigned piece of area {left.area:.1f} at {left.centroid}")
        raw.append(("", left))
    for zid, g in raw:
        if g.interiors:
            print("  hole in", zid, [round(Polygon(r).area, 2) for r in g.interiors])
    return merge_slivers(raw)


def polygonal(g: Any) -> Any:
    """Only the polygonal parts of ``g`` (drop points and lines from overlay results)."""
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return Polygon()
    return (
        parts[0]
        if len(parts) == 1
        else MultiPolygon([q for p in parts for q in shapely.get_parts(p)])
    )


def split_holes(p: Polygon) -> list[Polygon]:
    """Cut a polygon with holes into simple pieces (vertical cut through each hole)."""
    if p.interiors:
        keep = [r for r in p.interiors if Polygon(r).area >= 1.0]
        if len(keep) != len(p.interiors):
            p = Polygon(p.exterior, keep)
    if not p.interiors:
        return [p]
    from shapely.ops import split

    print(
        "  note: splitting a zone with a hole",
        p.interiors[0].coords[0],
        Polygon(p.interiors[0]).area,
    )
    c = Polygon(p.interiors[0]).centroid
    _x0, y0, _x1, y1 = p.bounds
    parts = split(p, LineString([(c.x, y0 - 1), (c.x, y1 + 1)]))
    out: list[Polygon] = []
    for g in parts.geoms:
        out.extend(split_holes(g))
    return out


def explode(g: Any) -> list[Polygon]:
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return split_holes(g)
    if isinstance(g, MultiPolygon):
        return list(g.geoms)
    return [x for x in getattr(g, "geoms", []) if isinstance(x, Polygon)]


def merge_slivers(
    pieces: list[tuple[str, Polygon]], min_area: float = 12.0
) -> list[tuple[str, Polygon]]:
    pieces = [(z, p) for z, p in pieces if p.area > 1e-6]
    changed = True
    while changed:
        changed = False
        # merge same-id neighbours first
        for i, (zi, pi) in enumerate(pieces):
            if pi.area >= min_area and zi:
                continue
            best, best_len = -1, 0.0
            for j, (zj, pj) in enumerate(pieces):
                if i == j or not zj:
                    continue
                ln = pi.boundary.intersection(pj.buffer(0.01)).length
                if ln > best_len:
                    best, best_len = j, ln
            if best >= 0:
                zj, pj = pieces[best]
                merged = shapely.union(pj, pi, grid_size=GRID)
                parts = explode(merged)
                pieces[best] = (zj, max(parts, key=lambda g: g.area))
                del pieces[i]
                changed = True
                break
            del pieces[i]
            changed = True
            break
    # join pieces of one id that touch
    out: list[tuple[str, Polygon]] = []
    ids = list(dict.fromkeys(z for z, _ in pieces))
    for zid in ids:
        u = shapely.union_all([p for z, p in pieces if z == zid], grid_size=GRID)
        out.extend((zid, g) for g in explode(u))
    return out


def toe_edge(toe: Sequence[float], y: float, sgn: float) -> float:
    """x of the medial (sgn=+1) or lateral (sgn=-1) edge of a toe row entry at height ``y``."""
    bx, by, tx, ty, wb, wt = toe
    f = (y - by) / (ty - by)
    return bx + (tx - bx) * f + sgn * (wb + (wt - wb) * f) / 2


def toe_gaps(
    toes: Sequence[Sequence[float]], webs: Sequence[float], reach: float, sgn: float = 1.0
) -> list[Pt]:
    """Notch points between neighbouring toes and the points ``reach`` beyond them.

    ``sgn`` is +1 when x decreases along the row of toes, -1 when it increases.
    """
    out: list[Pt] = []
    for i, yn in enumerate(webs):
        a, c = toes[i], toes[i + 1]
        xn = (toe_edge(a, yn, -sgn) + toe_edge(c, yn, sgn)) / 2
        yf = yn + reach
        xf = (toe_edge(a, yf, -sgn) + toe_edge(c, yf, sgn)) / 2
        out.extend([(xn, yn), (xf, yf)])
    return out


def slot(a: Pt, b: Pt, r0: float, r1: float) -> list[Pt]:
    """A thin wedge from ``a`` (round end of radius r0) widening to r1 at ``b`` and beyond."""
    ax, ay = a
    L = math.hypot(b[0] - ax, b[1] - ay)
    dx, dy = (b[0] - ax) / L, (b[1] - ay) / L
    nx, ny = -dy, dx
    pts: list[Pt] = []
    for k in range(9):  # the rounded end, from the +n side round the back to the -n side
        t = math.pi * k / 8
        ox, oy = math.cos(t) * nx - math.sin(t) * dx, math.cos(t) * ny - math.sin(t) * dy
        pts.append((ax + r0 * ox, ay + r0 * oy))
    for f, r in ((1.0, r1), (1.3, r1 * 3), (1.6, r1 * 6)):
        pts.append((ax + dx * L * f - nx * r, ay + dy * L * f - ny * r))
    for f, r in ((1.6, r1 * 6), (1.3, r1 * 3), (1.0, r1)):
        pts.append((ax + dx * L * f + nx * r, ay + dy * L * f + ny * r))
    return pts
