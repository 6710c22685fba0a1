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
from shapely.geometry import MultiPolygon, Polygon
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
            return ti + max(float(np.hypot(*(b - a))), 1e-6) ** 0.5

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
    n = max(3, int(math.ceil(s[-1] / step)))
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


def digit(base: Pt, tip: Pt, w_base: float, w_tip: float) -> list[Pt]:
    """A rounded toe from ``base`` (buried in the foot) to ``tip``."""
    bx, by = base
    tx, ty = tip
    L = math.hypot(tx - bx, ty - by)
    dx, dy = (tx - bx) / L, (ty - by) / L
    nx, ny = -dy, dx

    def at(f: float, off: float) -> Pt:
        return (bx + dx * L * f + nx * off, by + dy * L * f + ny * off)

    wt = w_tip / 2
    wb = w_base / 2
    pts = [
        at(0.0, wb),
        at(0.45, (wb + wt) / 2 * 1.02),
        at(0.78, wt * 1.02),
        at(0.93, wt * 0.78),
        at(1.0, 0.0),
        at(0.93, -wt * 0.78),
        at(0.78, -wt * 1.02),
        at(0.45, -(wb + wt) / 2 * 1.02),
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


def tile(
    outline: Polygon, regions: Sequence[tuple[str, Any]], default: str
) -> list[tuple[str, Polygon]]:
    """Assign the outline to zones in priority order; leftovers go to ``default``."""
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
    raw.extend((default, g) for g in explode(remaining))
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
    x0, y0, x1, y1 = p.bounds
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
            if pi.area >= min_area:
                continue
            best, best_len = -1, 0.0
            for j, (_zj, pj) in enumerate(pieces):
                if i == j:
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
        bx, by, bw, _bh = bounds
        self.label(title, bx + bw / 2, by + 13, "title")

    def label(self, text: str, x: float, y: float, kind: str) -> None:
        self.labels.append({"text": text, "x": r1(x), "y": r1(y), "kind": kind})

    def limb(self, side: str, outline: Polygon, zones: list[tuple[str, Polygon]]) -> None:
        self.limbs.append((side, outline, zones))


def finish(views: list[ViewBuilder], key_points: list[dict[str, Any]]) -> dict[str, Any]:
    out_views = []
    for v in views:
        outlines = []
        zones_out = []
        for side, outline, zones in v.limbs:
            opoly = max(explode(shapely.set_precision(outline, 0.1)), key=lambda g: g.area)
            outlines.append({"side": side, "points": flat(ring(opoly.simplify(0.03)))})
            for zid, g in zones:
                for part in explode(shapely.set_precision(g, 0.1)):
                    part = part.simplify(0.03)
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
        out_views.append(
            {
                "id": v.id,
                "title": v.title,
                "bounds": [r1(b) for b in v.bounds],
                "labels": v.labels,
                "outlines": outlines,
                "zones": zones_out,
            }
        )
    return {
        "format": "dermamap-diagram/1",
        "generator": "tools/make_diagram.py",
        "note": "Diagram units ~ pixels at 100% zoom, y down. points are flat [x0, y0, x1, y1, ...] "
        "lists of an open ring (not repeated). side is the patient's side.",
        "width": W,
        "height": H,
        "views": out_views,
        "key_points": key_points,
    }


# =========================================================================== views

SIDES = ("right", "left")


def transform(points: Iterable[Pt], fn: Callable[[Pt], Pt]) -> list[Pt]:
    return [fn(p) for p in points]


# --------------------------------------------------------------------------- anterior legs
# Designed for the patient's RIGHT leg on the viewer's left in "u" = distance from the view's
# centre line (u grows laterally), y absolute. The left leg is the mirror image.

ANT_LAT = [
    (117, 56), (121, 80), (122, 112), (118, 150), (112, 200), (104, 250), (97, 292),
    (93, 318), (94, 340), (92, 362), (93, 378), (95, 400), (94, 430), (89, 470),
    (83, 508), (78, 535), (77, 550), (80, 562), (81, 572),
]  # fmt: skip
ANT_MED = [
    (5, 128), (8, 160), (14, 205), (21, 250), (27, 288), (27, 306), (25, 322), (26, 342),
    (31, 362), (30, 382), (27, 405), (29, 440), (35, 480), (41, 515), (44, 535),
    (45, 548), (42, 558), (44, 568), (46, 575),
]  # fmt: skip
# foot seen from the front, below the ankle (u, y)
ANT_FOOT = [
    (81, 572), (85, 582), (90, 592), (93, 601), (92, 606),
    (70, 610), (48, 610),
    (40, 604), (41, 592), (44, 582), (46, 575),
]  # fmt: skip
ANT_TOES = [  # (base u, base y, tip u, tip y, w_base, w_tip)
    (48.0, 598.0, 47.0, 629.0, 17.0, 15.5),
    (63.0, 600.0, 63.5, 626.0, 10.5, 9.5),
    (73.5, 600.0, 74.5, 623.5, 10.0, 9.0),
    (83.0, 598.0, 84.5, 620.5, 9.5, 8.5),
    (91.5, 596.0, 93.5, 616.5, 9.0, 8.0),
]


def build_anterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    for side in SIDES:
        sgn = -1.0 if side == "right" else 1.0  # right leg on the viewer's left

        def X(u: float, sgn: float = sgn) -> float:
            return cx + sgn * u

        lat = catmull_rom([(X(u), y) for u, y in ANT_LAT])
        med = catmull_rom([(X(u), y) for u, y in ANT_MED])
        foot = catmull_rom([(X(u), y) for u, y in ANT_FOOT])
        # inguinal crease: a gentle curve from the hip top to the crotch
        top = catmull_rom([(X(5), 128), (X(40), 106), (X(80), 78), (X(117), 56)])
        body = Polygon(lat + foot[1:-1] + med[::-1] + top[1:-1]).buffer(0)
        toes = [
            Polygon(digit((X(a), b_), (X(c), d), wb, wt)).buffer(0)
            for a, b_, c, d, wb, wt in ANT_TOES
        ]
        outline = unary_union([body, *toes]).buffer(0)
        L, M = Edge(lat), Edge(med)
        to_xy = mapper(L, M)

        def T(t: float, y: float, to_xy: Callable[[float, float], Pt] = to_xy) -> Pt:
            return to_xy(t, y)

        big = 3.0
        regions: list[tuple[str, Any]] = []
        # groin: band under the inguinal crease, medial two-thirds
        groin_low = catmull_rom(
            [(X(4), 152), (X(30), 134), (X(62), 110), (X(78), 92), (X(84), 82), (X(88), 70)]
        )
        top_up = [(x, y - 30) for x, y in top]
        regions.append(("groin", poly_from_curves(groin_low, top_up[::-1][: len(top_up)])))
        # upper inner thigh belongs to the saddle area
        regions.append(
            (
                "saddle.inner_thigh",
                region(lambda y: 0.80 - 0.10 * max(0.0, (y - 150) / 50), big, 100, 205, T),
            )
        )
        # narrow lateral strip: greater trochanter to lateral knee
        regions.append(
            ("lateral_thigh", region(-big, lambda y: 0.11 + 0.02 * (y > 330), 40, 372, T))
        )
        # knee
        kc = T(0.50, 322)
        regions.append(("anterior_knee", smooth_poly(
            [T(0.16, 300), T(0.5, 292), T(0.86, 298), T(0.9, 325), T(0.78, 352), T(0.5, 358),
             T(0.2, 352), T(0.12, 325)]
        )))  # fmt: skip
        regions.append(("medial_knee", region(0.8, big, 296, 378, T)))
        regions.append(
            (
                "anterolateral_thigh",
                smooth_poly(
                    [T(0.0, 60), T(0.46, 84), T(0.44, 150), T(0.38, 220), T(0.30, 270),
                     T(0.2, 292), T(0.05, 290), T(-0.2, 200)]
                ),
            )
        )  # fmt: skip
        regions.append(
            (
                "medial_thigh",
                region(
                    lambda y: 0.70 + 0.06 * math.sin((y - 150) / 180 * math.pi), big, 150, 330, T
                ),
            )
        )
        regions.append(("anterior_thigh", region(-big, big, 0, 318, T)))
        # ankle
        mm = (M(556) - sgn * 1.0, 556.0)
        lm = (L(566) + sgn * 2.0, 566.0)
        regions.append(("medial_malleolus", Polygon(ellipse(mm[0], mm[1], 9, 11)).buffer(0)))
        regions.append(("lateral_malleolus", Polygon(ellipse(lm[0], lm[1], 9, 11)).buffer(0)))
        regions.append(
            (
                "lateral_lower_leg",
                region(-big, lambda y: 0.34 + 0.04 * (560 - y) / 200, 330, 548, T),
            )
        )
        regions.append(
            ("medial_lower_leg", region(lambda y: 0.80 - 0.04 * (y - 360) / 200, big, 330, 548, T))
        )
        regions.append(("anterior_lower_leg", region(-big, big, 330, 546, T)))
        ank_low = catmull_rom(
            [(X(100), 586), (X(80), 583), (X(62), 580), (X(45), 583), (X(30), 588)]
        )
        ank_up = catmull_rom([(X(30), 542), (X(62), 547), (X(100), 542)])
        regions.append(("anterior_ankle", poly_from_curves(ank_up, ank_low)))
        # foot from the front: toes, then dorsum split between the 2nd and 3rd rays
        toe_ids = ["great_toe.dorsal", "middle_toes.dorsal", "middle_toes.dorsal",
                   "middle_toes.dorsal", "little_toe.dorsal"]  # fmt: skip
        crease = catmull_rom([(X(36), 602), (X(55), 605.5), (X(75), 605.5), (X(98), 599)])
        below = poly_from_curves(crease, [(X(98), 640), (X(36), 640)])
        for zid, tp in zip(toe_ids, toes, strict=True):
            regions.append((zid, tp.intersection(below)))
        split = catmull_rom([(X(63), 570), (X(66), 590), (X(68.5), 612)])
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, [(X(20), 640), (X(20), 570)]))
        )
        zones = tile(outline, regions, "dorsum_of_foot.lateral")
        b.limb(side, outline, zones)
        # key points: L2 mid anterior thigh (anteromedial), L3 medial femoral condyle
        key_points.append(kp("L2", side, b.id, T(0.6, 205)))
        key_points.append(kp("L3", side, b.id, T(0.72, 318)))
        del kc
    # captions
    b.label("Patient's RIGHT", cx - 68, by + 34, "side")
    b.label("Patient's LEFT", cx + 68, by + 34, "side")


def kp(root: str, side: str, view: str, p: Pt, zone: str = "") -> dict[str, Any]:
    return {"root": root, "side": side, "view": view, "x": r1(p[0]), "y": r1(p[1]), "zone": zone}


# --------------------------------------------------------------------------- posterior legs

POST_LAT = [
    (108, 48), (118, 78), (123, 112), (122, 150), (116, 195), (108, 245), (100, 290),
    (96, 318), (95, 342), (97, 368), (101, 400), (101, 430), (95, 470), (87, 510),
    (80, 540), (77, 556), (80, 568), (80, 580), (78, 596), (73, 610), (64, 618),
]  # fmt: skip
POST_MED = [
    (0, 48), (0, 100), (0, 150), (3, 168), (7, 190), (13, 230), (20, 272), (26, 305),
    (28, 330), (27, 355), (24, 385), (25, 420), (30, 460), (38, 505), (44, 535),
    (47, 552), (44, 566), (46, 580), (48, 596), (53, 610), (64, 618),
]  # fmt: skip


def build_posterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    for side in SIDES:
        sgn = 1.0 if side == "right" else -1.0  # seen from behind: right leg on the viewer's right

        def X(u: float, sgn: float = sgn) -> float:
            return cx + sgn * u

        lat = catmull_rom([(X(u), y) for u, y in POST_LAT])
        med = catmull_rom([(X(u), y) for u, y in POST_MED])
        top = [(X(0), 48.0), (X(108), 48.0)]
        outline = Polygon(med + lat[::-1][1:] + top[1:]).buffer(0)
        # cleft side exactly on the centre line: keep the lower part of the edges only for t
        med_edge = Edge([(x, y) for x, y in med if y >= 150] + [(X(0), 0.0)])
        lat_edge = Edge(lat[:-6])
        T = mapper(lat_edge, med_edge)
        big = 3.0
        regions: list[tuple[str, Any]] = []
        # saddle: medial buttock along the natal cleft and the perineal skin/upper inner thigh
        regions.append(
            (
                "saddle.perineal",
                smooth_poly(
                    [(X(-5), 90), (X(10), 92), (X(20), 115), (X(22), 150), (X(25), 178),
                     (X(24), 200), (X(12), 214), (X(-5), 214)]
                ),
            )
        )  # fmt: skip
        fold = catmull_rom(
            [(X(-5), 186), (X(20), 190), (X(45), 193), (X(75), 189), (X(105), 176), (X(130), 160)]
        )
        regions.append(
            ("lateral_thigh", region(-big, lambda y: 0.10 + 0.03 * (y > 320), 118, 372, T))
        )
        regions.append(("buttock", poly_from_curves([(X(-5), 40), (X(140), 40)], fold[::-1])))
        regions.append(
            (
                "popliteal_fossa",
                smooth_poly(
                    [T(0.5, 306), T(0.74, 322), T(0.8, 340), T(0.7, 362), T(0.5, 378),
                     T(0.3, 362), T(0.2, 340), T(0.26, 322)]
                ),
            )
        )  # fmt: skip
        regions.append(("posterior_thigh", region(-big, big, 0, 342, T)))
        heel_top = catmull_rom(
            [(X(30), 592), (X(48), 584), (X(64), 581), (X(80), 584), (X(100), 592)]
        )
        regions.append(
            ("heel.posterior", poly_from_curves(heel_top, [(X(100), 640), (X(30), 640)]))
        )
        regions.append(
            (
                "posterior_calf.lateral",
                region(-big, lambda y: 0.5 + 0.02 * math.sin((y - 340) / 250 * 3.14), 330, 640, T),
            )
        )
        zones = tile(outline, regions, "posterior_calf.medial")
        b.limb(side, outline, zones)
        key_points.append(kp("S2", side, b.id, T(0.5, 340)))
        key_points.append(kp("S3", side, b.id, (X(28), 180)))
        key_points.append(kp("S4-5", side, b.id, (X(6), 170)))
    b.label("Patient's LEFT", cx - 68, by + 34, "side")
    b.label("Patient's RIGHT", cx + 68, by + 34, "side")


# --------------------------------------------------------------------------- feet from above / below
# Canonical foot, local coordinates: x grows MEDIALLY, y from the ankle (0) to the toe tips.

DORS_MED = [
    (23, 0),
    (23.5, 20),
    (27, 33),
    (27, 45),
    (26.5, 60),
    (30, 85),
    (35, 115),
    (39.5, 143),
    (41, 160),
]
DORS_LAT = [
    (-23, 0),
    (-23.5, 25),
    (-27, 40),
    (-27.5, 52),
    (-27, 65),
    (-30.5, 95),
    (-35, 123),
    (-38.5, 145),
    (-40, 152),
]
DORS_TIP = [(41, 160), (36, 170), (20, 172), (0, 171), (-18, 166), (-33, 158), (-40, 152)]
TOES = [  # base x, base y, tip x, tip y, w_base, w_tip
    (25.5, 158, 24.0, 215.0, 27.0, 24.5),
    (5.5, 163, 4.5, 211.0, 15.5, 14.5),
    (-9.5, 162, -11.0, 204.5, 14.5, 13.5),
    (-22.5, 157, -24.5, 196.5, 13.5, 12.5),
    (-34.0, 150, -36.5, 186.5, 12.5, 11.5),
]
TOE_IDS = ["great_toe", "middle_toes", "middle_toes", "middle_toes", "little_toe"]

PLANT = [  # plantar outline (x medial), from the ball of the great toe round the heel
    (41, 160), (38.5, 140), (32, 118), (27.5, 95), (26.5, 72), (27.5, 48), (26.5, 28),
    (21, 10), (8, 1), (-6, 0), (-19, 6), (-26, 20), (-27.5, 42), (-28.5, 70),
    (-31, 100), (-35, 128), (-38.5, 145), (-40, 152),
]  # fmt: skip


def foot_toes(fn: Callable[[Pt], Pt]) -> list[Polygon]:
    return [
        Polygon(transform(digit((a, b_), (c, d), wb, wt), fn)).buffer(0)
        for a, b_, c, d, wb, wt in TOES
    ]


def build_dorsal(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    s = 1.18
    top = by + 48
    for side in SIDES:
        # seen from the front and above: right foot on the viewer's left, toes down,
        # great toes towards the middle
        fx = cx - 54 if side == "right" else cx + 54
        m = 1.0 if side == "right" else -1.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * p[0], top + s * p[1])

        body = catmull_rom(transform(DORS_MED, fn)) + catmull_rom(transform(DORS_TIP, fn))[1:-1]
        body += catmull_rom(transform(DORS_LAT, fn))[::-1]
        toes = foot_toes(fn)
        outline = unary_union([Polygon(body).buffer(0), *toes]).buffer(0)
        regions: list[tuple[str, Any]] = []
        regions.append(("anterior_ankle", poly_from_curves(
            transform([(-40, -5), (40, -5)], fn),
            catmull_rom(transform([(40, 30), (15, 33), (0, 34), (-15, 33), (-40, 30)], fn)),
        )))  # fmt: skip
        crease = catmull_rom(
            transform([(50, 163), (25, 170), (0, 168.5), (-20, 163.5), (-45, 150)], fn)
        )
        beyond = poly_from_curves(crease, transform([(-45, 260), (50, 260)], fn))
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            regions.append((zid + ".dorsal", tp.intersection(beyond)))
        web = smooth_poly(
            transform(
                [(14.5, 175), (10, 160), (11.5, 143), (15.5, 135), (19, 143), (19.5, 160)], fn
            )
        )
        regions.append(("first_web_space", web))
        split = catmull_rom(transform([(1, 20), (0, 80), (-1, 130), (-2, 175)], fn))
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, transform([(60, 175), (60, 20)], fn)))
        )
        zones = tile(outline, regions, "dorsum_of_foot.lateral")
        b.limb(side, outline, zones)
        key_points.append(kp("L5", side, b.id, fn((-9.0, 152.0))))
        b.label("medial", fn((12, 60))[0], top + s * 60, "orientation")
        lx = fn((-46, 0))[0]
        b.label("lateral", lx, top + s * 98, "orientation")
    b.label("Patient's RIGHT", cx - 54, by + 32, "side")
    b.label("Patient's LEFT", cx + 54, by + 32, "side")
    b.label("toes", cx, top + s * 200, "orientation")


def build_plantar(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    s = 1.1
    heel_y = by + bh - 8
    for side in SIDES:
        # soles as an examiner at the foot of the couch sees them: right sole on the viewer's
        # left, toes up, great toes towards the middle
        fx = cx - 54 if side == "right" else cx + 54
        m = 1.0 if side == "right" else -1.0

        def pl(p: Pt, fx: float = fx, m: float = m) -> Pt:
            # plantar local coords: x medial, y up from the heel bottom
            return (fx + m * s * p[0], heel_y - s * p[1])

        def tf(p: Pt) -> Pt:
            # dorsal frame (y = distance from the ankle, MTP ~160) -> plantar local
            return (p[0], p[1] + 30)

        ring_pts = [(x, y * 190 / 160) for x, y in PLANT] + [tf(q) for q in DORS_TIP[::-1][1:-1]]
        body = Polygon(catmull_rom([pl(p) for p in ring_pts], closed=True)).buffer(0)
        toes = [
            Polygon([pl(tf(q)) for q in digit((a, b_), (c, d), wb, wt)]).buffer(0)
            for a, b_, c, d, wb, wt in TOES
        ]
        outline = unary_union([body, *toes]).buffer(0)
        regions: list[tuple[str, Any]] = []
        crease = catmull_rom(
            [pl(tf(q)) for q in [(50, 163), (25, 170), (0, 168.5), (-20, 163.5), (-45, 150)]]
        )
        beyond = poly_from_curves(crease, [pl((-45, 300)), pl((50, 300))])
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            sub = {"great_toe": "great", "middle_toes": "middle", "little_toe": "little"}[zid]
            regions.append(("plantar_toes." + sub, tp.intersection(beyond)))
        heel_line = catmull_rom([pl((40, 58)), pl((15, 66)), pl((-10, 65)), pl((-40, 56))])
        regions.append(
            ("heel.plantar", poly_from_curves(heel_line, [pl((-40, -10)), pl((40, -10))]))
        )
        split = catmull_rom([pl((3, 50)), pl((1, 120)), pl((-3, 170)), pl((-6, 230))])
        regions.append(("medial_sole", poly_from_curves(split, [pl((60, 230)), pl((60, 50))])))
        zones = tile(outline, regions, "lateral_sole")
        b.limb(side, outline, zones)
        b.label("medial", pl((12, 125))[0], heel_y - s * 125, "orientation")
        b.label("lateral", pl((-48, 0))[0], heel_y - s * 95, "orientation")
    b.label("Patient's RIGHT", cx - 54, by + 32, "side")
    b.label("Patient's LEFT", cx + 54, by + 32, "side")
    b.label("toes", cx, heel_y - s * 225, "orientation")


# --------------------------------------------------------------------------- side views
# Canonical profile: toes towards +x, heel at x=0, ground at y=0, up is -y.

MED_PROFILE = [
    (11, -122), (12, -96), (11, -72), (8, -52), (3, -34), (0, -18), (3, -6), (14, 0),
    (34, 0), (52, -3), (72, -10), (95, -12), (120, -6), (140, -1), (152, 0), (166, 0),
    (180, -3), (185, -9), (180, -15), (166, -21), (150, -25), (126, -33), (102, -41), (80, -46),
    (66, -54), (60, -72), (59, -96), (60, -122),
]  # fmt: skip
LAT_PROFILE = [
    (11, -122), (12, -96), (11, -72), (8, -52), (3, -34), (0, -18), (3, -6), (14, 0),
    (40, 0), (70, -1), (100, 0), (130, 0), (150, 0), (166, 0),
    (179, -3), (183, -9), (179, -15), (166, -20), (150, -24), (126, -32), (102, -40), (80, -45),
    (66, -53), (60, -72), (59, -96), (60, -122),
]  # fmt: skip


def build_side(b: ViewBuilder, key_points: list[dict[str, Any]], medial: bool) -> None:
    bx, by, bw, bh = b.bounds
    s = 0.95
    ground = by + bh - 5
    for side in SIDES:
        # right foot on the viewer's left. Medial view: right toes point left; lateral: right.
        toes_left = (side == "right") == medial
        fx = bx + (bw * 0.27 if side == "right" else bw * 0.73)
        m = -1.0 if toes_left else 1.0
        half = 92.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * (p[0] - half), ground + s * p[1])

        prof = MED_PROFILE if medial else LAT_PROFILE
        pts = catmull_rom(transform(prof, fn))
        outline = Polygon(pts).buffer(0)
        regions: list[tuple[str, Any]] = []
        if medial:
            mall = fn((40, -58))
            regions.append(
                ("medial_malleolus", Polygon(ellipse(mall[0], mall[1], 10, 12)).buffer(0))
            )
            toe_line = catmull_rom(transform([(150, 10), (152, -12), (156, -30)], fn))
            regions.append(
                (
                    "great_toe.medial",
                    poly_from_curves(toe_line, transform([(220, -30), (220, 10)], fn)),
                )
            )
            heel_line = catmull_rom(transform([(-10, -44), (14, -38), (30, -20), (36, 5)], fn))
            regions.append(("heel.medial", poly_from_curves(heel_line, transform([(-10, 5)], fn))))
            sole_line = catmull_rom(
                transform([(30, -6), (55, -10), (75, -17), (95, -19), (120, -12), (150, -8)], fn)
            )
            regions.append(
                ("medial_sole", poly_from_curves(sole_line, transform([(150, 10), (30, 10)], fn)))
            )
            border_line = catmull_rom(
                transform(
                    [
                        (28, -50),
                        (46, -48),
                        (60, -40),
                        (80, -33),
                        (105, -29),
                        (130, -21),
                        (152, -18),
                    ],
                    fn,
                )
            )
            regions.append(
                (
                    "medial_border_of_foot",
                    poly_from_curves(border_line, transform([(152, 10), (40, 10)], fn)),
                )
            )
            dors_line = catmull_rom(transform([(56, -130), (58, -70), (66, -48), (76, -38)], fn))
            regions.append(
                (
                    "dorsum_of_foot.medial",
                    poly_from_curves(dors_line, transform([(200, -38), (200, -130)], fn)),
                )
            )
            ach_line = catmull_rom(transform([(24, -130), (24, -80), (20, -52)], fn))
            regions.append(
                (
                    "posterior_calf.medial",
                    poly_from_curves(ach_line, transform([(-20, -52), (-20, -130)], fn)),
                )
            )
            zones = tile(outline, regions, "medial_lower_leg")
            key_points.append(kp("L4", side, b.id, mall))
        else:
            mall = fn((34, -50))
            regions.append(
                ("lateral_malleolus", Polygon(ellipse(mall[0], mall[1], 10, 11)).buffer(0))
            )
            toe_line = catmull_rom(transform([(152, 10), (154, -12), (158, -30)], fn))
            little = smooth_poly(
                transform([(150, 2), (168, 2), (176, -6), (170, -13), (152, -13)], fn)
            )
            regions.append(("little_toe.lateral", little))
            regions.append(
                (
                    "middle_toes.lateral",
                    poly_from_curves(toe_line, transform([(220, -30), (220, 10)], fn)),
                )
            )
            heel_line = catmull_rom(
                transform([(-10, -48), (20, -46), (36, -41), (46, -16), (50, 5)], fn)
            )
            regions.append(("lateral_heel", poly_from_curves(heel_line, transform([(-10, 5)], fn))))
            border_line = catmull_rom(
                transform([(46, -22), (70, -18), (100, -17), (130, -14), (156, -12)], fn)
            )
            regions.append(
                (
                    "lateral_border_of_foot",
                    poly_from_curves(border_line, transform([(156, 10), (46, 10)], fn)),
                )
            )
            dors_line = catmull_rom(transform([(56, -130), (58, -68), (64, -46), (72, -36)], fn))
            regions.append(
                (
                    "dorsum_of_foot.lateral",
                    poly_from_curves(dors_line, transform([(200, -36), (200, -130)], fn)),
                )
            )
            ach_line = catmull_rom(transform([(24, -130), (24, -80), (20, -52)], fn))
            regions.append(
                (
                    "posterior_calf.lateral",
                    poly_from_curves(ach_line, transform([(-20, -52), (-20, -130)], fn)),
                )
            )
            zones = tile(outline, regions, "lateral_lower_leg")
            key_points.append(kp("S1", side, b.id, fn((22, -20))))
        b.limb(side, outline, zones)
        cap = "Patient's RIGHT" if side == "right" else "Patient's LEFT"
        b.label(cap, fn((150, -100))[0], by + 40, "side")
        b.label("toes", fn((172, -32))[0], fn((172, -32))[1], "orientation")


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
