"""Benchmark: diagram responsiveness through the real viewport (offscreen Qt).

- click -> repainted mark: QTest clicks random zone shapes through the viewport and waits for the
  viewport's next paint; reports p50/p99 latency (target p99 < 50 ms).
- brush: 200-point strokes across the dorsal feet with the brush tool; reports the mean cost per
  mouse-move (accumulate coverage + draw the translucent stroke + repaint) as points per 16 ms
  frame (target >= 4), and the release cost (coverage merge + one undo step).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLICK_P99_MS = 50.0
BRUSH_POINTS_PER_FRAME = 4.0


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def run(quick: bool = False) -> dict[str, Any]:
    """Measure click latency (N=300 clicks, 40 when ``quick``) and brush throughput."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEvent, QObject, QPointF, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from core.geometry import interior_point, load_diagram
    from gui.diagram.view import DiagramView
    from gui.session_model import SessionModel
    from gui.state import Tool, UiState

    app = QApplication.instance() or QApplication([sys.argv[0]])

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
            if ev.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    model, state = SessionModel(), UiState()
    view = DiagramView(model, state)
    view.resize(1000, 680)
    view.show()
    app.processEvents()
    counter = PaintCounter()
    vp = view.viewport()
    vp.installEventFilter(counter)

    def wait_paint(before: int, limit_s: float = 1.0) -> None:
        t_end = time.perf_counter() + limit_s
        while counter.count == before and time.perf_counter() < t_end:
            app.processEvents()

    rng = random.Random(7)
    shapes = list(load_diagram().zones())
    n = 40 if quick else 300
    mods = Qt.KeyboardModifier.NoModifier
    left = Qt.MouseButton.LeftButton
    click_ms: list[float] = []
    for _ in range(n):
        shape = rng.choice(shapes)
        pos = view.mapFromScene(QPointF(*interior_point(shape)))
        app.processEvents()
        before = counter.count
        t0 = time.perf_counter()
        QTest.mouseClick(vp, left, mods, pos)
        wait_paint(before)
        click_ms.append((time.perf_counter() - t0) * 1000)

    # brush strokes across both dorsal feet (200 points each)
    state.set_tool(Tool.BRUSH)
    state.set_brush_size(12.0)
    model.clear_marks()
    dorsal = next(v for v in load_diagram().views if v.id == "dorsal")
    x, y, w, h = dorsal.bounds
    strokes = 1 if quick else 5
    move_ms: list[float] = []
    release_ms: list[float] = []
    for k in range(strokes):
        yy = y + h * (0.35 + 0.1 * k)
        pts = [(x + w * (0.05 + 0.9 * i / 199), yy + 15 * (i % 20) / 20 - 7.5) for i in range(200)]
        QTest.mousePress(vp, left, mods, view.mapFromScene(QPointF(*pts[0])))
        for p in pts[1:]:
            before = counter.count
            t0 = time.perf_counter()
            QTest.mouseMove(vp, view.mapFromScene(QPointF(*p)))
            wait_paint(before, 0.2)
            move_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        QTest.mouseRelease(vp, left, mods, view.mapFromScene(QPointF(*pts[-1])))
        app.processEvents()
        release_ms.append((time.perf_counter() - t0) * 1000)
    marks = len(model.session.marks)
    view.close()
    view.deleteLater()
    app.processEvents()

    p50, p99 = _pct(click_ms, 0.5), _pct(click_ms, 0.99)
    per_move = statistics.mean(move_ms)
    per_frame = 16.0 / per_move if per_move > 0 else float("inf")
    return {
        "name": "diagram",
        "clicks": n,
        "click_to_paint_p50_ms": round(p50, 2),
        "click_to_paint_p99_ms": round(p99, 2),
        "brush_points": len(move_ms),
        "brush_move_mean_ms": round(per_move, 3),
        "brush_move_p99_ms": round(_pct(move_ms, 0.99), 3),
        "brush_points_per_16ms_frame": round(per_frame, 1),
        "brush_release_mean_ms": round(statistics.mean(release_ms), 2),
        "brush_marks": marks,
        "target_click_p99_ms": CLICK_P99_MS,
        "target_brush_points_per_frame": BRUSH_POINTS_PER_FRAME,
        "ok": marks > 0
        and (quick or (p99 <= CLICK_P99_MS and per_frame >= BRUSH_POINTS_PER_FRAME)),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
