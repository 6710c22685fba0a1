"""Fast brush coverage on a raster of the diagram (numpy, no shapely, no Qt).

The diagram is sampled once on a grid of square cells (:data:`CELL` diagram units): a *label
raster* says which zone shape each cell centre lies in (even-odd rule), and each shape's cell
count is its area in cells. Painting a stroke marks the cells whose centres lie within the
brush radius of the stroke's polyline (one capsule per segment, so the result equals the
polyline buffered by the radius, the same geometry as :func:`core.geometry.brush_coverage`);
a shape's coverage is its painted cells over its cells. Neighbouring segments are painted
together in one small window of cells, so the cost per point does not grow with the stroke,
and :meth:`StrokeAccumulator.coverage` is a few array look-ups.

The raster is built on first use (about 1/20 s) and cached; :func:`label_raster` builds it
ahead of time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from core.geometry import Diagram, Point, ZoneShape, load_diagram
from core.model import Side

__all__ = [
    "CELL",
    "MIN_MARK_SHARE",
    "LabelRaster",
    "StrokeAccumulator",
    "label_raster",
    "stroke_coverage",
]

CELL = 0.5
"""Cell size in diagram units (a brush of radius 4 spans 16 cells)."""

MIN_MARK_SHARE = 0.10
"""Smallest share of a zone a brush stroke must cover to mark it (every zone alike).

A stroke that only grazes a zone shows as paint while it is drawn but does not mark the zone,
so a symptom area (above all the saddle, which raises the cauda equina warning) is marked only
deliberately; an eraser stroke that leaves less than this share removes the mark. Documented in
``docs/interface.md`` section 2 (``coverage``).
"""

_NONE = -1


@dataclass(frozen=True, eq=False)
class LabelRaster:
    """The diagram sampled on a grid: which zone shape covers each cell.

    Attributes
    ----------
    cell : float
        Cell size in diagram units.
    x0, y0 : float
        Diagram coordinates of the grid's top-left corner.
    labels : numpy.ndarray
        ``(rows, cols)`` int16 array of shape indices into :attr:`shapes`, ``-1`` outside every
        zone. Cell ``(i, j)`` has its centre at ``(x0 + (j + .5) * cell, y0 + (i + .5) * cell)``.
    cells : numpy.ndarray
        Number of cells of each shape (its area in cells).
    shapes : tuple of ZoneShape
        The zone shapes, in :meth:`core.geometry.Diagram.zones` order.
    """

    cell: float
    x0: float
    y0: float
    labels: npt.NDArray[np.int16]
    cells: npt.NDArray[np.int64]
    shapes: tuple[ZoneShape, ...]

    @property
    def keys(self) -> tuple[tuple[str, Side], ...]:
        """``(zone id, side)`` of each shape."""
        return tuple((s.id, s.side) for s in self.shapes)


def _fill(
    labels: npt.NDArray[np.int16],
    pts: Sequence[Point],
    index: int,
    x0: float,
    y0: float,
    cell: float,
) -> None:
    """Write ``index`` into the cells whose centres lie inside polygon ``pts`` (even-odd)."""
    rows, cols = labels.shape
    xs = np.asarray([p[0] for p in pts], dtype=np.float64)
    ys = np.asarray([p[1] for p in pts], dtype=np.float64)
    c0 = max(0, math.floor((float(xs.min()) - x0) / cell))
    c1 = min(cols, math.ceil((float(xs.max()) - x0) / cell) + 1)
    r0 = max(0, math.floor((float(ys.min()) - y0) / cell))
    r1 = min(rows, math.ceil((float(ys.max()) - y0) / cell) + 1)
    if c1 <= c0 or r1 <= r0:
        return
    width = c1 - c0
    yc = y0 + (np.arange(r0, r1, dtype=np.float64) + 0.5) * cell
    xb, yb = np.roll(xs, -1), np.roll(ys, -1)
    # edge e crosses row r when its end points lie on different sides (half-open in y)
    cross = (ys[:, None] <= yc[None, :]) != (yb[:, None] <= yc[None, :])
    e, r = np.nonzero(cross)
    t = (yc[r] - ys[e]) / (yb[e] - ys[e])
    xc = xs[e] + t * (xb[e] - xs[e])
    # the first column whose centre lies right of the crossing toggles inside/outside
    col = np.floor((xc - x0) / cell - 0.5).astype(np.int64) + 1 - c0
    np.clip(col, 0, width, out=col)
    toggles = np.zeros((r1 - r0, width + 1), dtype=np.uint8)
    np.add.at(toggles, (r, col), 1)
    # only the parity matters, so uint8 wrap-around is harmless
    inside = (np.cumsum(toggles, axis=1, dtype=np.uint8)[:, :width] & 1).view(bool)
    labels[r0:r1, c0:c1][inside] = index


def _build(diagram: Diagram, cell: float) -> LabelRaster:
    shapes = diagram.zones()
    if len(shapes) >= np.iinfo(np.int16).max:  # pragma: no cover - far beyond the artwork
        raise ValueError("too many zone shapes for an int16 label raster")
    rows = math.ceil(diagram.height / cell) + 1
    cols = math.ceil(diagram.width / cell) + 1
    labels = np.full((rows, cols), _NONE, dtype=np.int16)
    for i, shape in enumerate(shapes):
        _fill(labels, shape.points, i, 0.0, 0.0, cell)
    cells = np.bincount(labels.ravel() + 1, minlength=len(shapes) + 1)[1:].astype(np.int64)
    return LabelRaster(cell, 0.0, 0.0, labels, cells, shapes)


@cache
def label_raster(cell: float = CELL) -> LabelRaster:
    """The packaged diagram's label raster at ``cell`` units per cell (built once, cached)."""
    return _build(load_diagram(), float(cell))


class StrokeAccumulator:
    """Incremental brush painting on the label raster; drop-in for the shapely version.

    :meth:`add` records the point; the segments recorded so far are painted together, a few
    neighbouring segments per array operation, once :data:`BATCH` of them are waiting and
    whenever :meth:`coverage` is asked. Painting a segment marks the cells within ``radius``
    of it (a capsule; a disc for the first point), so the result is the stroke's polyline
    buffered by ``radius``, like :class:`core.geometry.StrokeAccumulator`, up to the cell size.

    Parameters
    ----------
    radius : float
        Brush radius in diagram units.
    raster : LabelRaster, optional
        Defaults to :func:`label_raster` of the packaged diagram.
    """

    BATCH = 32
    """Segments waiting before they are painted without being asked."""

    MAX_GROUP = 8
    """Segments painted by one array operation (neighbours in the stroke)."""

    MAX_WINDOW = 6_000
    """Cells of one operation's window (a group stops growing beyond it)."""

    def __init__(self, radius: float, raster: LabelRaster | None = None) -> None:
        self.radius = float(radius)
        self._raster = raster if raster is not None else label_raster()
        labels = self._raster.labels
        self._painted = np.zeros(labels.shape, dtype=bool)
        self._counts = np.zeros(len(self._raster.shapes), dtype=np.int64)
        self._last: Point | None = None
        self._pending: list[tuple[float, float, float, float]] = []  # segments ax, ay, bx, by
        self.points = 0

    def add(self, p: Point) -> None:
        """Add the next stroke point (repeats of the previous point are ignored)."""
        pt = (float(p[0]), float(p[1]))
        if pt == self._last:
            return
        a = self._last if self._last is not None else pt
        self._last = pt
        self.points += 1
        if self.radius > 0:
            self._pending.append((a[0], a[1], pt[0], pt[1]))
            if len(self._pending) >= self.BATCH:
                self._flush()

    def _window(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        ras, r, cell = self._raster, self.radius, self._raster.cell
        rows, cols = ras.labels.shape
        c0 = max(0, math.floor((x0 - ras.x0 - r) / cell))
        c1 = min(cols, math.ceil((x1 - ras.x0 + r) / cell) + 1)
        r0 = max(0, math.floor((y0 - ras.y0 - r) / cell))
        r1 = min(rows, math.ceil((y1 - ras.y0 + r) / cell) + 1)
        return r0, r1, c0, c1

    def _flush(self) -> None:
        segs, self._pending = self._pending, []
        i = 0
        while i < len(segs):
            # grow a group of neighbouring segments while its window stays small
            ax, ay, bx, by = segs[i]
            x0, x1 = min(ax, bx), max(ax, bx)
            y0, y1 = min(ay, by), max(ay, by)
            j = i + 1
            while j < len(segs) and j - i < self.MAX_GROUP:
                ax, ay, bx, by = segs[j]
                nx0, nx1 = min(x0, ax, bx), max(x1, ax, bx)
                ny0, ny1 = min(y0, ay, by), max(y1, ay, by)
                r0, r1, c0, c1 = self._window(nx0, ny0, nx1, ny1)
                if (r1 - r0) * (c1 - c0) > self.MAX_WINDOW:
                    break
                x0, x1, y0, y1 = nx0, nx1, ny0, ny1
                j += 1
            self._paint(segs[i:j], self._window(x0, y0, x1, y1))
            i = j

    def _paint(
        self, segs: list[tuple[float, float, float, float]], window: tuple[int, int, int, int]
    ) -> None:
        r0, r1, c0, c1 = window
        if c1 <= c0 or r1 <= r0:
            return
        ras, r = self._raster, self.radius
        cell = ras.cell
        s = np.asarray(segs, dtype=np.float64)
        ax = s[:, 0, None, None] - ras.x0
        ay = s[:, 1, None, None] - ras.y0
        dx = s[:, 2, None, None] - ras.x0 - ax
        dy = s[:, 3, None, None] - ras.y0 - ay
        ll = dx * dx + dy * dy
        ll[ll == 0.0] = 1.0  # a point: t = 0, the distance to the point
        px = ((np.arange(c0, c1, dtype=np.float64) + 0.5) * cell)[None, None, :] - ax
        py = ((np.arange(r0, r1, dtype=np.float64) + 0.5) * cell)[None, :, None] - ay
        t = (px * dx + py * dy) / ll
        np.clip(t, 0.0, 1.0, out=t)
        qx = px - t * dx
        qy = py - t * dy
        new = ((qx * qx + qy * qy) <= r * r).any(axis=0)
        painted = self._painted[r0:r1, c0:c1]
        new &= ~painted
        if not new.any():
            return
        painted |= new
        lab = ras.labels[r0:r1, c0:c1][new]
        lab = lab[lab >= 0]
        if lab.size:
            self._counts += np.bincount(lab, minlength=self._counts.size)

    def coverage(self) -> dict[tuple[str, Side], float]:
        """Coverage so far: ``{(zone id, side): fraction}``, the maximum over a zone's views."""
        if self._pending:
            self._flush()
        ras = self._raster
        out: dict[tuple[str, Side], float] = {}
        for i in np.flatnonzero(self._counts):
            idx = int(i)
            total = int(ras.cells[idx])
            if total <= 0:
                continue
            frac = min(1.0, int(self._counts[idx]) / total)
            shape = ras.shapes[idx]
            key = (shape.id, shape.side)
            if frac > out.get(key, 0.0):
                out[key] = frac
        return out


def stroke_coverage(stroke: Sequence[Point], radius: float) -> dict[tuple[str, Side], float]:
    """Coverage of a whole stroke at once (the raster counterpart of ``brush_coverage``)."""
    acc = StrokeAccumulator(radius)
    for p in stroke:
        acc.add(p)
    return acc.coverage()
