"""Generate the body-diagram artwork ``assets/diagram/views.json``.

Every outline is built from smooth centripetal Catmull-Rom splines sampled every ~2 units;
zones are cut out of each limb outline with smooth boundary regions (shapely), assigned in a
priority order so that they tile the outline exactly (no gaps, no overlaps), then the whole
coverage is simplified topologically and rounded to 0.1.

Run:  .venv/bin/python tools/make_diagram.py
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.ops import polylabel, unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "diagram" / "views.json"

W, H = 1000.0, 640.0
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
    from shapely.geometry import LineString
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


# --------------------------------------------------------------------------- output helpers


def r1(v: float) -> float:
    return round(v + 0.0, 1)


def flat(points: Iterable[Pt]) -> list[float]:
    out: list[float] = []
    for x, y in points:
        out.extend((r1(x), r1(y)))
    return out


def ring(p: Polygon) -> list[Pt]:
    p = shapely.geometry.polygon.orient(p, 1.0)
    return list(p.exterior.coords)[:-1]


class ViewBuilder:
    def __init__(self, vid: str, title: str, bounds: tuple[float, float, float, float]) -> None:
        self.id = vid
        self.title = title
        self.bounds = bounds
        self.labels: list[dict[str, Any]] = []
        self.limbs: list[tuple[str, Polygon, list[tuple[str, Polygon]]]] = []
        self.body: list[Polygon] = []  # skin drawn but not marked (the pelvis)
        self.contours: list[tuple[str, list[Pt]]] = []  # ("ink" | "crease", open polyline)
        bx, by, bw, _bh = bounds
        self.label(title, bx + bw / 2, by + 13, "title")
        # whose left and right: every view says how it is seen (README, "The diagram")
        self.label(CONVENTION[vid], bx + bw / 2, by + 27, "orientation")

    def label(self, text: str, x: float, y: float, kind: str) -> None:
        self.labels.append({"text": text, "x": r1(x), "y": r1(y), "kind": kind})

    def limb(self, side: str, outline: Polygon, zones: list[tuple[str, Polygon]]) -> None:
        self.limbs.append((side, outline, zones))

    def contour(self, kind: str, points: Iterable[Pt]) -> None:
        self.contours.append((kind, list(points)))

    def lines(self, kind: str, geom: Any) -> None:
        """Every line of a shapely (multi)line as a contour of ``kind``."""
        for part in shapely.get_parts(shapely.line_merge(geom)):
            if part.geom_type == "LineString" and part.length > 1.0:
                self.contour(kind, list(part.coords))


def finish(views: list[ViewBuilder], key_points: list[dict[str, Any]]) -> dict[str, Any]:
    out_views = []
    for v in views:
        outlines = []
        zones_out = []
        for side, outline, zones in v.limbs:
            opoly = max(explode(shapely.set_precision(outline, 0.1)), key=lambda g: g.area)
            outlines.append({"side": side, "points": flat(ring(opoly))})
            for zid, g in zones:
                # shared edges carry the same vertices in both neighbours: rounding each
                # polygon to the 0.1 grid keeps them together (no independent simplification)
                for part in explode(shapely.set_precision(g, 0.1).simplify(0.0)):
                    if part.area < 0.5 or not part.is_valid:
                        print("  dropped degenerate piece of", zid, part.area)
                        continue
                    lab = polylabel(part, 0.5)
                    zones_out.append(
                        {
                            "id": zid,
                            "side": side,
                            "points": flat(ring(part)),
                            "label": [r1(lab.x), r1(lab.y)],
                        }
                    )
        extra: dict[str, Any] = {}
        if v.body:
            extra["body"] = [flat(ring(shapely.set_precision(p, 0.1))) for p in v.body]
        if v.contours:
            extra["contours"] = [
                {"kind": kind, "points": flat(LineString(pts).simplify(0.05).coords)}
                for kind, pts in v.contours
            ]
        out_views.append(
            {
                "id": v.id,
                "title": v.title,
                "bounds": [r1(b) for b in v.bounds],
                "labels": v.labels,
                "outlines": outlines,
                "zones": zones_out,
                **extra,
            }
        )
    return {
        "format": "dermamap-diagram/1",
        "generator": "tools/make_diagram.py",
        "note": "Diagram units ~ pixels at 100% zoom, y down. points are flat "
        "[x0, y0, x1, y1, ...] "
        "lists of an open ring (not repeated). side is the patient's side.",
        "width": W,
        "height": H,
        "views": out_views,
        "key_points": key_points,
        "retired_zones": RETIRED_ZONES,
    }  # =========================================================================== views


# finer zone ids an earlier version drew -> what a saved mark on them now stands for
RETIRED_ZONES = {"saddle.inner_thigh": "saddle"}

SIDES = ("right", "left")
BIG = 3.0
SIDE_Y = 39.0  # the row of the Patient's RIGHT / LEFT captions, below the title and subtitle
# How each view is seen. The front and the tops of the feet as you face the patient (the
# patient's right on your left); the back and the soles from behind the patient (the patient's
# right on your right), the ISNCSCI worksheet's convention for its front and back figures.
CONVENTION = {
    "anterior": "facing the patient",
    "posterior": "from behind the patient",
    "dorsal": "from above, facing the patient",
    "plantar": "from behind, like the back view",
    "medial": "inner side of each foot",
    "lateral": "outer side of each foot",
}


def transform(points: Iterable[Pt], fn: Callable[[Pt], Pt]) -> list[Pt]:
    return [fn(p) for p in points]


def kp(root: str, side: str, view: str, p: Pt) -> dict[str, Any]:
    return {"root": root, "side": side, "view": view, "x": r1(p[0]), "y": r1(p[1]), "zone": ""}


def side_edges(outline: Polygon, y0: float, y1: float, step: float = 1.0) -> tuple[Edge, Edge]:
    """(min-x edge, max-x edge) of ``outline`` between ``y0`` and ``y1`` (horizontal sections)."""
    xmin, _, xmax, _ = outline.bounds
    lo: list[Pt] = []
    hi: list[Pt] = []
    for y in np.arange(y0, y1 + 1e-9, step):
        sec = outline.intersection(LineString([(xmin - 1, y), (xmax + 1, y)]))
        xs = [c[0] for g in shapely.get_parts(sec) for c in g.coords]
        if xs:
            lo.append((min(xs), float(y)))
            hi.append((max(xs), float(y)))
    return Edge(lo), Edge(hi)


def closed(points: Sequence[Pt]) -> list[Pt]:
    return [*points, points[0]]


def nail(toe: Sequence[float], fn: Callable[[Pt], Pt]) -> list[Pt]:
    """The toenail of a toe row entry (base x, base y, tip x, tip y, base w, tip w): a rounded
    plate over the distal phalanx, through ``fn`` into the view."""
    bx, by, tx, ty, _wb, wt = toe
    L = math.hypot(tx - bx, ty - by)
    dx, dy = (tx - bx) / L, (ty - by) / L
    nx, ny = -dy, dx
    c = (bx + dx * L * 0.8, by + dy * L * 0.8)
    hw, hl = wt * 0.3, L * 0.12
    pts = []
    for k in range(24):
        a = 2 * math.pi * k / 24
        # a squarish oval: flatter at the base of the nail
        u = math.copysign(abs(math.cos(a)) ** 0.6, math.cos(a)) * hw
        v = math.copysign(abs(math.sin(a)) ** 0.7, math.sin(a)) * hl
        pts.append(fn((c[0] + nx * u + dx * v, c[1] + ny * u + dy * v)))
    return pts


def box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


# --------------------------------------------------------------------------- anterior legs
# Designed for the patient's RIGHT leg (viewer's left) in u = distance from the view's centre
# line (u grows laterally) and absolute y; the left leg is its mirror image.

ANT_RING = [
    # medial edge, crotch to ankle: the thigh tapering to the knee, the bulge of vastus
    # medialis above it, the narrow joint line, the medial calf (gastrocnemius) below it
    (4, 131), (7, 152), (11, 180), (16, 212), (21, 245), (24.5, 272), (24, 294), (24.5, 314),
    (28, 334), (30.5, 352), (27, 372), (22.5, 394), (21.5, 414), (24, 438), (30, 466),
    (36.5, 492), (41.5, 518), (45, 540), (45, 551), (42, 560), (43, 570),
    # foot seen from the front: medial border, toe line, lateral border
    (43, 580), (40.2, 590), (37.6, 599), (45, 606), (56.1, 610.6), (68.3, 610.2),
    (79.7, 608.2), (90.2, 604.6), (98.4, 599), (98.8, 592),
    (92, 584), (85, 577.5),
    # lateral edge, ankle to hip: the lateral calf (peroneal muscles), the knee, the thigh
    (83, 569), (81, 560), (77.5, 547), (79.5, 520), (85, 492), (91, 462), (95.5, 432),
    (97, 408), (95, 385), (91.5, 362), (91, 346), (93, 328), (95.5, 308), (99, 290),
    (105, 262), (112, 226), (118, 190), (122, 155), (124, 125), (123.6, 102), (121.6, 88),
    # the front of the hip, where the flank of the pelvis comes down, then the inguinal
    # crease down to the crotch
    (118.6, 81.5), (113.5, 80), (103, 82.5), (88, 88.5), (70, 97), (50, 106.5), (30, 115),
    (14, 122),
]  # fmt: skip
# the lower trunk and pelvis joining the legs (drawn, not marked): waist, flank over the iliac
# crest to the hip, then behind the thigh to the crotch; right half, u from the midline
ANT_PELVIS = [
    (0, 47.5), (40, 48), (70, 49.5), (88, 52.5), (98, 57.5), (106, 64.5), (113, 72),
    (119, 79.5), (122.6, 89), (123.8, 100), (112, 112), (80, 121), (42, 128), (14, 133.5),
    (0, 137),
]  # fmt: skip
ANT_TOES = [  # base u, base y, tip u, tip y, width at base, width at tip
    (47.0, 598.0, 46.4, 629.0, 20.0, 19.0),
    (62.0, 601.0, 62.6, 625.5, 14.0, 11.8),
    (73.5, 600.5, 74.9, 622.5, 13.4, 11.2),
    (84.0, 598.5, 86.0, 619.0, 12.8, 10.6),
    (94.0, 596.0, 96.4, 614.5, 11.2, 9.8),
]
ANT_WEBS = [611.5, 611.0, 609.0, 605.5]
ANT_LAT_UPPER = 402.0  # y where the upper third of the lateral lower leg ends
TOE_NECK = 0.93  # toe width at the neck / width at the tip pad
TOE_IDS = ["great_toe", "middle_toes", "middle_toes", "middle_toes", "little_toe"]


# Zones drawn in (t, y): t = 0 on the lateral edge, 1 on the medial edge.
ANT_T = {
    "anterior_knee": [
        (0.22, 294), (0.5, 286), (0.78, 293), (0.86, 318), (0.8, 343), (0.5, 356), (0.24, 345),
        (0.16, 320),
    ],
    "medial_knee": [
        (0.92, 288), (0.8, 300), (0.8, 345), (0.77, 372), (0.92, 392), (1.6, 392), (1.6, 288),
    ],
    "anterolateral_thigh": [
        (0.05, 66), (0.3, 74), (0.5, 100), (0.5, 150), (0.46, 200), (0.38, 245), (0.28, 278),
        (0.15, 290), (0.02, 284), (-0.3, 200),
    ],
    # the inner thigh runs up to the groin crease (obturator territory); the saddle is drawn on
    # the posterior view only (clinical.md section 0)
    "medial_thigh": [
        (0.66, 96), (0.69, 150), (0.74, 215), (0.75, 255), (0.74, 292), (0.84, 312), (1.6, 312),
        (1.6, 96),
    ],
}  # fmt: skip


def build_anterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    legs: list[Polygon] = []
    for side in SIDES:
        sgn = -1.0 if side == "right" else 1.0  # facing the patient: right leg on the viewer's left

        def U(p: Pt, sgn: float = sgn) -> Pt:
            return (cx + sgn * p[0], p[1])

        body = Polygon(catmull_rom(transform(ANT_RING, U), closed=True)).buffer(0)
        gaps = [U(g) for g in toe_gaps(ANT_TOES, ANT_WEBS, 30.0, -1.0)]
        slots = unary_union(
            [Polygon(slot(gaps[i], gaps[i + 1], 1.0, 2.0)).buffer(0) for i in range(0, 8, 2)]
        )
        toes = [
            Polygon(digit(U((a, b_)), U((c, d)), wb, wt, TOE_NECK)).buffer(0).difference(slots)
            for a, b_, c, d, wb, wt in ANT_TOES
        ]
        outline = close(unary_union([body, *toes]), 2.5).difference(slots).buffer(0)
        lo, hi = side_edges(body, 60, 575)
        lat, med = (lo, hi) if side == "right" else (hi, lo)
        T = mapper(lat, med)

        def TU(
            points: Sequence[tuple[float, float]], T: Callable[[float, float], Pt] = T
        ) -> Polygon:
            return smooth_poly([T(t, y) for t, y in points])

        regions: list[tuple[str, Any]] = []
        groin_low = [
            (0, 160),
            (4, 157),
            (30, 141),
            (60, 124),
            (82, 110),
            (96, 100),
            (104, 93),
            (108, 84),
            (108, 40),
        ]
        regions.append(
            ("groin", poly_from_curves(catmull_rom(transform(groin_low, U)), [U((0, 40))]))
        )

        def strip_t(y: float, lat: Edge = lat, med: Edge = med) -> float:
            f = min(1.0, max(0.0, (374 - y) / 55))  # fades out along the knee
            w = (12.0 - 3.0 * (y - 80) / 290) * f * f * (3 - 2 * f)
            return max(w, 0.01) / abs(med(y) - lat(y))

        regions.append(("lateral_thigh", region(-BIG, strip_t, 40, 374, T, step=1.0)))
        for zid in ("anterior_knee", "medial_knee", "anterolateral_thigh", "medial_thigh"):
            regions.append((zid, TU(ANT_T[zid])))
        regions.append(("anterior_thigh", region(-BIG, BIG, 40, 326, T)))
        regions.append(("medial_malleolus", Polygon(ellipse(*U((42.5, 560)), 9, 11)).buffer(0)))
        regions.append(("lateral_malleolus", Polygon(ellipse(*U((80.5, 567)), 9, 11)).buffer(0)))
        ank_up = catmull_rom(transform([(20, 541), (40, 547), (62, 549), (84, 547), (110, 541)], U))
        ank_low = catmull_rom(
            transform([(110, 590), (84, 584), (62, 581), (40, 584), (20, 590)], U)
        )
        regions.append(("anterior_ankle", poly_from_curves(ank_up, ank_low)))

        def lat_leg_t(y: float) -> float:
            return 0.36 + 0.04 * (552 - y) / 200

        # upper third: lateral sural cutaneous branch of the common peroneal nerve; below it the
        # superficial peroneal nerve (pierces the fascia at the junction of the lower thirds)
        regions.append(("lateral_lower_leg.upper", region(-BIG, lat_leg_t, 326, ANT_LAT_UPPER, T)))
        regions.append(("lateral_lower_leg", region(-BIG, lat_leg_t, 326, 552, T)))
        regions.append(
            ("medial_lower_leg", region(lambda y: 0.79 - 0.04 * (y - 360) / 200, BIG, 326, 552, T))
        )
        regions.append(("anterior_lower_leg", region(-BIG, BIG, 326, 550, T)))
        crease = catmull_rom(
            [U((26, 604)), U((36, 609)), *gaps[0::2], U((104, 603)), U((112, 598))]
        )
        below = poly_from_curves(crease, transform([(112, 650), (26, 650)], U))
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            regions.append((zid + ".dorsal", tp.buffer(0.8).intersection(below)))
        split = catmull_rom(transform([(62, 560), (64, 580), (66, 596), (67.5, 612)], U))
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, transform([(20, 612), (20, 560)], U)))
        )
        regions.append(
            (
                "dorsum_of_foot.lateral",
                poly_from_curves(split, transform([(120, 612), (120, 560)], U)),
            )
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("L2", side, b.id, T(0.58, 205)))
        key_points.append(kp("L3", side, b.id, T(0.74, 318)))
        # the patella, and a nail on each toe (the great toe's the largest)
        b.contour("crease", closed(ellipse(*T(0.5, 318), 11.5, 14.5)))
        for toe in ANT_TOES:
            b.contour("crease", closed(nail(toe, U)))
        legs.append(outline)
    half = [(cx + u, y) for u, y in ANT_PELVIS]
    pelvis = smooth_poly(half[:-1] + [(2 * cx - x, y) for x, y in half[::-1][:-1]])
    b.body.append(pelvis)
    legs_u = unary_union(legs)
    seen = unary_union([pelvis, legs_u]).buffer(0)
    b.lines("ink", seen.exterior.difference(legs_u.boundary.buffer(0.4)))
    b.label("Patient's RIGHT", cx - 66, by + SIDE_Y, "side")
    b.label("Patient's LEFT", cx + 66, by + SIDE_Y, "side")


# --------------------------------------------------------------------------- posterior legs
# Patient's RIGHT leg on the viewer's right; u from the natal cleft, growing laterally.

POST_CURVE = [
    # bottom of the natal cleft, then the medial thigh down to the heel
    (0, 166), (1.2, 173), (3.5, 180), (6.5, 192), (10.5, 215), (15.5, 245), (20.5, 275),
    (24.5, 300), (26.5, 320), (27, 340), (24.5, 362), (20, 385), (17.5, 408), (19, 432),
    (24.5, 456), (30.5, 480), (35.5, 503), (39.5, 524), (41.2, 540), (39.6, 551), (39.2, 560),
    (40.6, 569), (41.8, 580), (43.4, 592), (46.5, 602.5), (52.5, 610), (62, 613.5),
    (71.5, 610.5), (78, 603), (81.2, 592), (82.8, 580.5), (84.6, 570), (85, 561), (83.4, 550),
    (81, 539), (83.5, 516), (89, 486), (96, 455),
    (100.5, 428), (101.5, 404), (99, 380), (95.5, 358), (95, 336), (98, 311), (102.5, 287),
    (109, 255), (115.5, 218), (120.5, 184),
    # hip (greater trochanter) and the flank narrowing to the waist
    (123.5, 156), (124, 135), (121.5, 113), (116, 94), (109, 79), (102, 67.5), (96.5, 59.5),
    (92.5, 54), (88.5, 50.8),
    # the waist line, a shallow arch meeting the other side square at the midline
    (82, 48.9), (65, 47.5), (42, 46.3), (20, 45.8), (0, 45.7),
]  # fmt: skip
POST_CREST = [(112, 84), (98, 70), (78, 62), (54, 62), (34, 68), (22, 78), (14, 92), (6, 104)]
POST_CLEFT = 166.0  # the natal cleft (midline) runs from the waist down to here

# The saddle (what touches a saddle, clinical.md section 0): the perianal skin and perineum at
# the bottom of the natal cleft, the medial buttocks beside the cleft, and the posterior-medial
# upper thighs. Drawn (u, y) from the midline; clipped by each side's outline.
POST_SADDLE = [
    (-8, 108), (0, 108), (4.5, 116), (10, 128), (16.5, 141), (24, 153), (32, 163), (39.5, 173),
    (44, 185), (44.5, 198), (41, 214), (34, 230), (25, 243), (15, 251), (-8, 251),
]  # fmt: skip
# the part of the saddle below the infragluteal crease / cleft end is saddle.thigh
POST_SADDLE_THIGH_TOP = [(-8, 166), (4, 175), (14, 186), (26, 194), (50, 198)]
# infragluteal crease: from the inner thigh under the buttock, fading up towards the hip
POST_FOLD = [
    (-8, 174), (3, 180), (14, 188), (30, 194), (50, 196.5), (70, 194), (88, 187), (103, 176),
    (116, 162), (130, 146),
]  # fmt: skip
POST_LOW_BUTTOCK = 42.0  # height of the inferior-buttock band above the infragluteal crease
POST_CALF_UPPER = 452.0  # y where the upper calf ends (about mid-calf)
POST_POPLITEAL = [
    (0.5, 307), (0.7, 322), (0.78, 341), (0.68, 360), (0.5, 374), (0.32, 360), (0.22, 341),
    (0.3, 322),
]  # fmt: skip


def build_posterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    for side in SIDES:
        sgn = 1.0 if side == "right" else -1.0  # seen from behind: right leg on the viewer's right

        def U(p: Pt, sgn: float = sgn) -> Pt:
            return (cx + sgn * p[0], p[1])

        curve = catmull_rom(transform(POST_CURVE, U))
        outline = Polygon(curve).buffer(0)  # closed by the straight natal cleft line
        lo, hi = side_edges(outline, 52, 600)
        lat, med = (hi, lo) if side == "right" else (lo, hi)
        T = mapper(lat, med)

        def TU(
            points: Sequence[tuple[float, float]], T: Callable[[float, float], Pt] = T
        ) -> Polygon:
            return smooth_poly([T(t, y) for t, y in points])

        regions: list[tuple[str, Any]] = []
        saddle = smooth_poly(transform(POST_SADDLE, U))
        thigh_top = catmull_rom(transform(POST_SADDLE_THIGH_TOP, U))
        below_fold = poly_from_curves(thigh_top, transform([(45, 300), (-8, 300)], U))
        regions.append(("saddle.thigh", saddle.intersection(below_fold)))
        regions.append(("saddle.perineal", saddle))

        def strip(y: float, lat: Edge = lat, med: Edge = med) -> float:
            # a band along the outer thigh: tapers in over the hip and out above the knee
            f = min(1.0, max(0.0, (y - 148) / 50), max(0.0, (374 - y) / 60))
            return max(11.0 * f * f * (3 - 2 * f), 0.01) / abs(med(y) - lat(y))

        regions.append(("lateral_thigh", region(-BIG, strip, 148, 374, T, step=1.0)))
        fold = catmull_rom(transform(POST_FOLD, U))
        # the inferior buttock (inferior cluneal branches of the posterior femoral cutaneous
        # nerve): a band above the infragluteal crease
        upper_fold = catmull_rom(transform([(u, y - POST_LOW_BUTTOCK) for u, y in POST_FOLD], U))
        regions.append(("buttock.lower", poly_from_curves(fold, upper_fold[::-1])))
        regions.append(("buttock", poly_from_curves(fold, transform([(135, 30), (-8, 30)], U))))
        regions.append(("popliteal_fossa", TU(POST_POPLITEAL)))
        regions.append(("posterior_thigh", region(-BIG, BIG, 40, 341, T)))
        heel_top = catmull_rom(
            transform([(28, 592), (46, 585), (63, 582), (80, 585), (100, 592)], U)
        )
        regions.append(
            ("heel.posterior", poly_from_curves(heel_top, transform([(100, 640), (28, 640)], U)))
        )
        # upper calf, then the lower calf in halves: the sural nerve supplies the lower
        # posterolateral calf, fed by the medial sural cutaneous nerve down the middle
        regions.append(("posterior_calf.upper", region(-BIG, BIG, 330, POST_CALF_UPPER, T)))
        regions.append(("posterior_calf.lateral", region(-BIG, 0.5, 330, 640, T)))
        regions.append(("posterior_calf.medial", region(0.5, BIG, 330, 640, T)))
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("S2", side, b.id, T(0.5, 341)))
        key_points.append(kp("S3", side, b.id, U((30, 177))))
        key_points.append(kp("S4-5", side, b.id, U((7.5, 171))))
        # the pelvis under the skin: the iliac crest from the flank to the dimple over the
        # posterior superior iliac spine, then the edge of the sacrum down to the cleft
        b.contour("crease", catmull_rom(transform(POST_CREST, U)))
    b.label("Patient's LEFT", cx - 66, by + SIDE_Y, "side")
    b.label("Patient's RIGHT", cx + 66, by + SIDE_Y, "side")


# ------------------------------------------------------------------------ feet from above / below
# Canonical foot: x grows MEDIALLY; dorsal frame y = distance from the ankle cut towards the toes.

DORS_CURVE = [
    # medial edge from the ankle cut: medial malleolus, navicular, first metatarsal, 1st MTP
    (22, 0), (23, 9), (25.5, 17), (27, 24.5), (26.6, 33), (25.4, 42), (26, 53), (28.5, 68),
    (32, 86), (35.8, 104), (39.2, 118), (41.4, 128), (41.0, 136), (39.8, 142), (38.6, 147),
    # web line tucked under the toe bases
    (34, 150), (25, 151.5), (14.3, 152.2), (6.5, 152.8), (-1.4, 153.2), (-8.5, 152.6),
    (-15.6, 149.7), (-22, 146.5), (-28.2, 143.7), (-33.5, 143), (-38.2, 142),
    # lateral edge back to the ankle: 5th MTP, straight 5th metatarsal with the bump of its
    # base, lateral malleolus (lower than the medial one)
    (-39.6, 137), (-40.2, 131), (-40.5, 124), (-39.5, 116), (-37.5, 104), (-35.8, 93), (-35.6, 86),
    (-33.5, 78), (-30, 65), (-27.6, 52), (-28.2, 40), (-28.4, 31), (-26.4, 21), (-23.5, 10),
    (-22, 0),
]  # fmt: skip
DORS_CUT = [(-22, 0), (-11, 2.2), (0, 2.9), (11, 2.2), (22, 0)]  # the ankle cut, slightly curved
DORS_TOES = [  # base x, base y, tip x, tip y, width at base, width at tip (dorsal frame)
    (29.0, 121.0, 29.5, 187.0, 29.0, 24.5),  # the great toe: broad, with the widest gap
    (6.0, 128.0, 2.8, 183.0, 17.5, 12.4),
    (-6.5, 126.0, -10.8, 177.0, 18.0, 12.2),
    (-19.5, 122.0, -24.5, 170.0, 17.0, 11.6),
    (-31.0, 116.0, -36.5, 161.0, 15.5, 11.0),
]
DORS_WEBS = [153.0, 154.0, 150.5, 144.5]  # y of the web (start of the gap) between the toes


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


PLANT_RING = [  # plantar frame: y up from the heel bottom, x grows medially
    # medial border: ball of the great toe, the concave arch, the heel pad
    (39.5, 184), (42, 172), (41.6, 160), (38, 146), (31.5, 128), (24.5, 110), (19, 93),
    (16.4, 78), (16.8, 64), (19.5, 50), (22.6, 37), (23.8, 24), (20.5, 11), (12, 3), (0, 0),
    # heel and the straighter lateral border up to the 5th MTP
    (-11.5, 1.5), (-20.5, 7.5), (-25.6, 18), (-27.2, 33), (-27.4, 50), (-28, 70),
    (-29.4, 92), (-31.2, 111), (-32.6, 122), (-33.8, 134), (-36, 148), (-38.6, 162),
    (-40.2, 172), (-39.6, 180),
    # behind the toe pads (hidden under them)
    (-34, 184), (-25, 188), (-14, 191.5), (-2, 193), (10, 193), (22, 191.5), (32, 189),
]  # fmt: skip
PLANT_TOES = [  # short round pads: base x, base y, tip x, tip y, width at base, at tip
    (26.5, 176.0, 25.0, 228.0, 26.0, 23.5),
    (6.5, 183.0, 4.6, 222.0, 17.0, 13.8),
    (-7.5, 181.0, -10.3, 216.5, 16.5, 13.4),
    (-20.5, 177.0, -23.8, 209.5, 15.5, 12.8),
    (-32.0, 170.0, -36.2, 200.5, 14.5, 12.0),
]
PLANT_WEBS = [201.0, 201.0, 197.0, 190.5]
BORDER_W = 6.5  # width of the border strips on the plantar view


def build_dorsal(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    s = 1.21
    top = by + 55
    for side in SIDES:
        # seen from the front and above: right foot on the viewer's left, toes down,
        # great toes towards the middle
        fx = cx - 58 if side == "right" else cx + 58
        m = 1.0 if side == "right" else -1.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * p[0], top + s * p[1])

        body = poly_from_curves(
            catmull_rom(transform(DORS_CURVE, fn)), catmull_rom(transform(DORS_CUT, fn))
        )
        gaps = toe_gaps(DORS_TOES, DORS_WEBS, 40.0)
        slots = unary_union(
            [
                Polygon(transform(slot(gaps[i], gaps[i + 1], 1.1, 2.2), fn)).buffer(0)
                for i in range(0, len(gaps), 2)
            ]
        )
        toes = [
            Polygon(transform(digit((a, b_), (c, d), wb, wt, TOE_NECK), fn))
            .buffer(0)
            .difference(slots)
            for a, b_, c, d, wb, wt in DORS_TOES
        ]
        outline = close(unary_union([body, *toes]), 3.0).difference(slots).buffer(0)
        crease = [(50.0, 146.0), (34.0, 151.0), *gaps[0::2], (-42.0, 136.0), (-50.0, 131.0)]
        regions: list[tuple[str, Any]] = []
        ank = catmull_rom(transform([(45, 35), (15, 39.5), (0, 40.5), (-15, 39.5), (-45, 35)], fn))
        regions.append(
            ("anterior_ankle", poly_from_curves(ank, transform([(-45, -10), (45, -10)], fn)))
        )
        beyond = poly_from_curves(
            catmull_rom(transform(crease, fn)), transform([(-50, 260), (50, 260)], fn)
        )
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            regions.append((zid + ".dorsal", tp.buffer(1.0).intersection(beyond)))
        # the first web space: the skin between the great and second toes and the cleft
        # between their metatarsal heads, wide enough to click (tests/core/test_diagram_areas)
        web = [(17.5, 168), (9, 160), (6, 146), (9, 129), (16.5, 113), (24, 129),
               (27.5, 146), (26, 160)]  # fmt: skip
        regions.append(("first_web_space", smooth_poly(transform(web, fn))))
        split = catmull_rom(transform([(1, 20), (0, 80), (-1.5, 120), (-2.5, 165)], fn))
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, transform([(60, 165), (60, 20)], fn)))
        )
        regions.append(
            (
                "dorsum_of_foot.lateral",
                poly_from_curves(split, transform([(-60, 165), (-60, 20)], fn)),
            )
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("L5", side, b.id, fn((-10.0, 133.0))))
        for toe in DORS_TOES:
            b.contour("crease", closed(nail(toe, fn)))
        ly = top + s * 190 + 12
        b.label("medial", fn((22, 0))[0], ly, "orientation")
        b.label("lateral", fn((-24, 0))[0], ly, "orientation")
    b.label("Patient's RIGHT", cx - 56, by + SIDE_Y, "side")
    b.label("Patient's LEFT", cx + 56, by + SIDE_Y, "side")


def build_plantar(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    s = 1.07
    heel_y = by + bh - 22
    for side in SIDES:
        # the soles seen from behind, like the posterior view (README, "The diagram"): right
        # sole on the viewer's right, toes up, great toes towards the middle
        fx = cx + 56 if side == "right" else cx - 56
        m = -1.0 if side == "right" else 1.0

        def pl(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * p[0], heel_y - s * p[1])

        body = Polygon(catmull_rom(transform(PLANT_RING, pl), closed=True)).buffer(0)
        gaps = toe_gaps(PLANT_TOES, PLANT_WEBS, 36.0)
        slots = unary_union(
            [
                Polygon(transform(slot(gaps[i], gaps[i + 1], 1.2, 2.4), pl)).buffer(0)
                for i in range(0, len(gaps), 2)
            ]
        )
        toes = [
            Polygon(transform(digit((a, b_), (c, d), wb, wt, TOE_NECK), pl))
            .buffer(0)
            .difference(slots)
            for a, b_, c, d, wb, wt in PLANT_TOES
        ]
        outline = close(unary_union([body, *toes]), 3.0).difference(slots).buffer(0)
        regions: list[tuple[str, Any]] = []
        # the sulcus between the ball of the foot and the toe pads
        crease = [(52.0, 184.0), (36.0, 195.0), *gaps[0::2], (-44.0, 181.0), (-52.0, 174.0)]
        beyond = poly_from_curves(
            catmull_rom(transform(crease, pl)), transform([(-52, 300), (52, 300)], pl)
        )
        # the lateral half of the 4th toe pad (lateral plantar nerve: lateral 1 1/2 toes)
        bx4, by4, tx4, ty4 = PLANT_TOES[3][:4]
        ax, ay = tx4 - bx4, ty4 - by4
        half4 = Polygon(
            transform(
                [
                    (bx4 - ax, by4 - ay),
                    (tx4 + ax, ty4 + ay),
                    (tx4 + ax - 40, ty4 + ay),
                    (bx4 - ax - 40, by4 - ay),
                ],
                pl,
            )
        )
        regions.append(
            ("plantar_toes.fourth_lateral", toes[3].buffer(1.0).intersection(beyond) & half4)
        )
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            sub = {"great_toe": "great", "middle_toes": "middle", "little_toe": "little"}[zid]
            regions.append(("plantar_toes." + sub, tp.buffer(1.0).intersection(beyond)))
        heel_line = catmull_rom(transform([(45, 57), (15, 66), (-10, 65), (-45, 55)], pl))
        regions.append(
            ("heel.plantar", poly_from_curves(heel_line, transform([(-45, -10), (45, -10)], pl)))
        )
        # the outer and inner edges of the sole (the plantar side of the foot's borders)
        lo, hi = side_edges(body, pl((0, 190))[1], pl((0, 40))[1])
        lat_e, med_e = (lo, hi) if side == "right" else (hi, lo)
        w = BORDER_W * (1 if side == "right" else -1)
        for zid, e, d, top in (
            ("lateral_border_of_foot.plantar", lat_e, w, 176.0),
            ("medial_border_of_foot.plantar", med_e, -w, 172.0),
        ):
            y_top = pl((0, top))[1]
            ys = np.arange(y_top, pl((0, 50))[1] + 1e-9, 1.0)

            def taper(y: float, y_top: float = y_top) -> float:  # the band fades out at the top
                f = min(1.0, (y - y_top) / (24 * s))
                return f * f * (3 - 2 * f)

            inner = [(e(y) + d * max(taper(y), 0.02), float(y)) for y in ys]
            outer = [(e(y) - 3 * d, float(y)) for y in ys[::-1]]
            regions.append((zid, Polygon(inner + outer).buffer(0)))
        split = catmull_rom(transform([(3, 40), (1, 120), (-3, 180), (-6, 230)], pl))
        regions.append(
            ("medial_sole", poly_from_curves(split, transform([(60, 230), (60, 40)], pl)))
        )
        regions.append(
            ("lateral_sole", poly_from_curves(split, transform([(-60, 230), (-60, 40)], pl)))
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        ly = heel_y + 13
        b.label("medial", pl((20, 0))[0], ly, "orientation")
        b.label("lateral", pl((-22, 0))[0], ly, "orientation")
    b.label("Patient's LEFT", cx - 56, by + SIDE_Y, "side")
    b.label("Patient's RIGHT", cx + 56, by + SIDE_Y, "side")


# --------------------------------------------------------------------------- side views
# Canonical profile: toes towards +x, back of the heel near x=0, ground y=0, up is -y.

MED_CURVE = [
    # back of the leg: the lower calf narrowing into the Achilles tendon, then the heel
    (11, -118), (14.5, -101), (17, -84), (15.5, -66), (10.5, -48), (4.5, -32), (1.2, -18),
    (3.5, -7), (11, -1.5), (24, 0), (38, 0),
    # sole: heel pad, the raised medial arch, ball of the great toe, great toe pad
    (50, -2.5), (66, -8.5), (86, -12), (106, -11), (124, -6), (138, -1.5), (152, 0),
    (160, -1), (164, -3), (169, -1.5), (179, -1.6), (186, -5), (189, -10.5),
    # tip of the great toe, then the convex instep up to the front of the ankle and shin
    (187.5, -16.5), (181, -21.5), (170, -24), (156, -26.5), (139, -32), (121, -41.5),
    (103, -50.5), (87, -58), (75, -65.5), (68, -75), (64.5, -90), (63.5, -105), (64, -118),
]  # fmt: skip
LAT_CURVE = [
    (11, -118), (14.5, -101), (17, -84), (15.5, -66), (10.5, -48), (4.5, -32), (1.2, -18),
    (3.5, -7), (11, -1.5), (24, 0), (45, 0), (80, -0.5), (110, -0.5), (135, 0), (146, -1),
    (152, -0.5), (162, -1.5), (167, -4), (172, -3), (180, -4), (186, -9), (185.5, -15.5),
    (177, -21), (165, -24), (151, -27), (135, -32), (117, -41.5), (99, -50.5), (83, -58),
    (72, -65.5), (66, -75), (63, -90), (62.5, -105), (63, -118),
]  # fmt: skip


def build_side(b: ViewBuilder, key_points: list[dict[str, Any]], medial: bool) -> None:
    bx, by, bw, bh = b.bounds
    s = 0.95
    ground = by + bh - 6
    half = 95.0
    for side in SIDES:
        # right foot on the viewer's left. Medial view: right toes point left; lateral: right.
        toes_left = (side == "right") == medial
        fx = bx + (bw * 0.27 if side == "right" else bw * 0.73)
        m = -1.0 if toes_left else 1.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * (p[0] - half), ground + s * p[1])

        def C(points: Sequence[Pt], fn: Callable[[Pt], Pt] = fn) -> list[Pt]:
            return catmull_rom(transform(points, fn))

        outline = Polygon(C(MED_CURVE if medial else LAT_CURVE)).buffer(0)
        regions: list[tuple[str, Any]] = []
        if medial:
            mall = fn((42, -52))
            regions.append(
                ("medial_malleolus", Polygon(ellipse(mall[0], mall[1], 10 * s, 11 * s)).buffer(0))
            )
            heel = C([(-10, -52), (12, -48), (26, -38), (34, -22), (38, 0), (40, 10)])
            regions.append(("heel.medial", poly_from_curves(heel, transform([(-10, 10)], fn))))
            toe = C([(158, 10), (160.5, -6), (159, -20), (152, -40)])
            regions.append(
                ("great_toe.medial", poly_from_curves(toe, transform([(220, -40), (220, 10)], fn)))
            )
            arch = C([(30, -10), (55, -14), (75, -19), (95, -21), (118, -15), (140, -9), (165, -8)])
            regions.append(
                ("medial_sole", poly_from_curves(arch, transform([(165, 10), (30, 10)], fn)))
            )
            border = C(
                [
                    (6, -52),
                    (28, -47),
                    (52, -41.5),
                    (75, -37),
                    (100, -32),
                    (125, -25),
                    (150, -19),
                    (165, -17),
                ]
            )
            regions.append(
                (
                    "medial_border_of_foot",
                    poly_from_curves(border, transform([(165, 10), (6, 10)], fn)),
                )
            )
            crease = C([(84, -84), (70, -64), (56, -50), (40, -42), (20, -40)])
            regions.append(
                (
                    "dorsum_of_foot.medial",
                    poly_from_curves(crease, transform([(220, 10), (220, -84)], fn)),
                )
            )
            regions.append(
                (
                    "medial_lower_leg",
                    Polygon(transform([(-20, -200), (120, -200), (120, 10), (-20, 10)], fn)),
                )
            )
            key_points.append(kp("L4", side, b.id, mall))
        else:
            mall = fn((36, -44))
            regions.append(
                ("lateral_malleolus", Polygon(ellipse(mall[0], mall[1], 10 * s, 11 * s)).buffer(0))
            )
            heel = C(
                [
                    (-10, -60),
                    (12, -57),
                    (24, -50),
                    (34, -36),
                    (46, -26),
                    (56, -12),
                    (60, 0),
                    (60, 10),
                ]
            )
            regions.append(("lateral_heel", poly_from_curves(heel, transform([(-10, 10)], fn))))
            little = C(
                [
                    (137, 8),
                    (137.5, -4),
                    (142, -11.5),
                    (154, -12.5),
                    (164, -10.5),
                    (169.5, -5.5),
                    (171, -1),
                    (173, 8),
                ]
            )
            regions.append(("little_toe.lateral", poly_from_curves(little)))
            toe = C([(140, -8), (145, -18), (148, -26), (146, -40)])
            regions.append(
                (
                    "middle_toes.lateral",
                    poly_from_curves(toe, transform([(220, -40), (220, 10)], fn)),
                )
            )
            border = C([(40, -27), (60, -22), (90, -19), (120, -16), (150, -13)])
            regions.append(
                (
                    "lateral_border_of_foot",
                    poly_from_curves(border, transform([(150, 10), (40, 10)], fn)),
                )
            )
            crease = C([(82, -84), (68, -62), (52, -44), (40, -30), (30, -20)])
            regions.append(
                (
                    "dorsum_of_foot.lateral",
                    poly_from_curves(crease, transform([(220, 10), (220, -84)], fn)),
                )
            )
            # the back of the leg above the heel: the lower posterolateral calf, where the
            # sural nerve runs down beside the Achilles tendon to pass behind the malleolus
            back = C([(31, -130), (29, -100), (26, -78), (20, -62), (8, -56), (-20, -56)])
            regions.append(
                ("posterior_calf.lateral", poly_from_curves(back, transform([(-20, -130)], fn)))
            )
            regions.append(
                (
                    "lateral_lower_leg",
                    Polygon(transform([(-20, -200), (120, -200), (120, 10), (-20, 10)], fn)),
                )
            )
            key_points.append(kp("S1", side, b.id, fn((22, -22))))
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        cap = "Patient's RIGHT" if side == "right" else "Patient's LEFT"
        b.label(cap, fn((135, -100))[0], by + 44, "side")
        tp = fn((178, -34))
        b.label("toes", tp[0], tp[1], "orientation")
        if not medial:  # in the medial view the heels face each other: no room
            hp = fn((-2, -60))
            b.label("heel", hp[0] - m * 14, hp[1] + 30, "orientation")


# --------------------------------------------------------------------------- main


def assign_key_zones(data: dict[str, Any]) -> None:
    for k in data["key_points"]:
        hits = []
        for v in data["views"]:
            if v["id"] != k["view"]:
                continue
            for z in v["zones"]:
                if z["side"] != k["side"]:
                    continue
                f = z["points"]
                poly = Polygon(list(zip(f[0::2], f[1::2], strict=True)))
                if poly.contains(shapely.geometry.Point(k["x"], k["y"])):
                    hits.append(z["id"])
        if len(hits) != 1:
            print(f"WARNING key point {k} lies in {hits}")
            hits = hits or [""]
        k["zone"] = hits[0]


def build() -> dict[str, Any]:
    key_points: list[dict[str, Any]] = []
    ant = ViewBuilder("anterior", "Anterior (front)", (0, 0, 265, 640))
    post = ViewBuilder("posterior", "Posterior (back)", (270, 0, 265, 640))
    dors = ViewBuilder("dorsal", "Dorsal feet (top)", (545, 0, 225, 322))
    plan = ViewBuilder("plantar", "Plantar feet (soles)", (775, 0, 225, 322))
    med = ViewBuilder("medial", "Medial ankle and foot", (545, 326, 455, 155))
    lat = ViewBuilder("lateral", "Lateral ankle and foot", (545, 485, 455, 155))
    build_anterior(ant, key_points)
    build_posterior(post, key_points)
    build_dorsal(dors, key_points)
    build_plantar(plan, key_points)
    build_side(med, key_points, medial=True)
    build_side(lat, key_points, medial=False)
    data = finish([ant, post, dors, plan, med, lat], key_points)
    assign_key_zones(data)
    return data


def main() -> None:
    data = build()
    text = json.dumps(data, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    nz = sum(len(v["zones"]) for v in data["views"])
    print(f"wrote {OUT.relative_to(ROOT)}: {len(text) / 1024:.0f} KB, {nz} zone shapes")


if __name__ == "__main__":
    main()
