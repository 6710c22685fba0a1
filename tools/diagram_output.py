"""The diagram generator's views as written to ``views.json``: captions, conventions, the skin
that is not marked, surface lines, and the output format."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from diagram_shapes import Edge, Pt, explode
from shapely.geometry import LineString, Polygon
from shapely.ops import polylabel

W, H = 1000.0, 640.0  # the whole diagram, in diagram units (~pixels at 100 %)

# --------------------------------------------------------------------------- output helpers


def r1(v: float) -> float:
    return round(v + 0.0, 1)


def flat(points: Iterable[Pt]) -> list[int]:
    """``[x0, y0, x1, y1, ...]`` in whole tenths of a unit (0.1 precision; whole numbers parse
    about three times faster than decimals when the app starts)."""
    out: list[int] = []
    for x, y in points:
        out.extend((round(r1(x) * 10), round(r1(y) * 10)))
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
        "format": "dermamap-diagram/2",
        "generator": "tools/make_diagram.py",
        "note": "Diagram units ~ pixels at 100% zoom, y down. points are flat "
        "[x0, y0, x1, y1, ...] lists in whole tenths of a unit (divide by 10) "
        "of an open ring (not repeated). side is the patient's side. body: skin "
        "drawn but not marked (the pelvis); contours: open lines, kind ink (outline) or "
        "crease (surface line).",
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


def assign_key_zones(data: dict[str, Any]) -> None:
    for k in data["key_points"]:
        hits = []
        for v in data["views"]:
            if v["id"] != k["view"]:
                continue
            for z in v["zones"]:
                if z["side"] != k["side"]:
                    continue
                f = [v / 10 for v in z["points"]]
                poly = Polygon(list(zip(f[0::2], f[1::2], strict=True)))
                if poly.contains(shapely.geometry.Point(k["x"], k["y"])):
                    hits.append(z["id"])
        if len(hits) != 1:
            print(f"WARNING key point {k} lies in {hits}")
            hits = hits or [""]
        k["zone"] = hits[0]
