"""Render ``assets/diagram/views.json`` to a PNG with QPainter (for looking at the artwork).

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python tools/preview_diagram.py /tmp/diagram.png [scale]
Options: ``--ids`` writes zone ids on the zones; ``--view ID`` crops to one view;
``--crop x,y,w,h`` crops to a rectangle of the diagram.
"""

from __future__ import annotations

import colorsys
import json
import sys
import zlib
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

ROOT = Path(__file__).resolve().parents[1]


def colour(area: str) -> QColor:
    h = (zlib.crc32(area.encode()) % 997) / 997.0
    r, g, b = colorsys.hls_to_rgb(h, 0.86, 0.55)
    return QColor(int(r * 255), int(g * 255), int(b * 255))


def path(flat: list[int]) -> QPainterPath:
    """A closed path through ``flat`` (whole tenths of a unit, as the asset stores them)."""
    poly = QPolygonF([QPointF(flat[i] / 10, flat[i + 1] / 10) for i in range(0, len(flat), 2)])
    p = QPainterPath()
    p.addPolygon(poly)
    p.closeSubpath()
    return p


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_ids = "--ids" in sys.argv
    only = None
    if "--view" in sys.argv:
        only = sys.argv[sys.argv.index("--view") + 1]
        args = [a for a in args if a != only]
    out = args[0] if args else "/tmp/diagram.png"
    scale = float(args[1]) if len(args) > 1 else 1.5
    data = json.loads((ROOT / "assets/diagram/views.json").read_text())
    _app = QGuiApplication.instance() or QGuiApplication([])
    x0, y0, w, h = 0.0, 0.0, data["width"], data["height"]
    if only:
        v = next(v for v in data["views"] if v["id"] == only)
        x0, y0, w, h = v["bounds"]
    if "--crop" in sys.argv:
        crop = sys.argv[sys.argv.index("--crop") + 1]
        args = [a for a in args if a != crop]
        x0, y0, w, h = (float(c) for c in crop.split(","))
        out = args[0] if args else "/tmp/diagram.png"
        scale = float(args[1]) if len(args) > 1 else 1.5
    img = QImage(int(w * scale), int(h * scale), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(scale, scale)
    p.translate(-x0, -y0)
    for v in data["views"]:
        if only and v["id"] != only:
            continue
        bx, by, bw, bh = v["bounds"]
        p.setPen(QPen(QColor(220, 220, 230), 0.6))
        p.drawRect(QRectF(bx, by, bw, bh))
        for z in v["zones"]:
            p.setBrush(colour(z["id"].split(".")[0]))
            p.setPen(QPen(QColor(150, 150, 160), 0.5))
            p.drawPath(path(z["points"]))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(QColor(40, 40, 50), 1.3))
        for o in v["outlines"]:
            p.drawPath(path(o["points"]))
        if show_ids:
            p.setFont(QFont("DejaVu Sans", 3))
            p.setPen(QColor(20, 20, 20))
            for z in v["zones"]:
                lx, ly = z["label"]
                p.drawText(QRectF(lx - 30, ly - 5, 60, 10), Qt.AlignmentFlag.AlignCenter, z["id"])
        for lb in v["labels"]:
            size = {"title": 9, "side": 7, "orientation": 5.5}[lb["kind"]]
            f = QFont("DejaVu Sans", 1)
            f.setPointSizeF(size)
            f.setBold(lb["kind"] != "orientation")
            p.setFont(f)
            p.setPen(QColor(30, 30, 40) if lb["kind"] != "orientation" else QColor(110, 110, 120))
            p.drawText(
                QRectF(lb["x"] - 100, lb["y"] - 10, 200, 20),
                Qt.AlignmentFlag.AlignCenter,
                lb["text"],
            )
    p.setFont(QFont("DejaVu Sans", 4))
    for k in data["key_points"]:
        if only and k["view"] != only:
            continue
        p.setBrush(QColor(200, 30, 30))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(k["x"], k["y"]), 2.2, 2.2)
        p.setPen(QColor(160, 20, 20))
        p.drawText(QPointF(k["x"] + 3, k["y"] - 2), k["root"])
    p.end()
    img.save(out)
    print("saved", out)


if __name__ == "__main__":
    main()
