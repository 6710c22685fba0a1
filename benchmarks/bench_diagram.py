"""Interaction latency of the real window (offscreen Qt), driven through the diagram's viewport.

- click -> panel: QTest clicks on random zones (a point inside a random zone shape, mapped to
  the viewport); the time from the press until the click was handled (mark toggled, the engine
  run under every atlas, the side panel updated) and every pending paint has been processed.
- click -> mark: the same clicks, until the diagram's viewport has finished its first paint
  after the click (the one that shows the new mark; :attr:`DiagramView.paint_log`).
- brush: 200-point strokes with the brush tool, mouse moves as fast as they are handled.
  Frame-clock strokes (the figure): paints are processed at most once per 16 ms, as a
  display's frame clock would; points per 16 ms of wall time from the first move until the
  release has been handled (coverage turned into marks, one undo step, panel updated).
  Paint-each-move strokes (the worst case, reported beside it): every move is followed by a
  paint before the next move.

Run ``python -m benchmarks.bench_diagram [--quick]``; the harness calls :func:`run`.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import figure, percentile, private_dirs  # noqa: E402

FRAME_MS = 16.0


def _window(app: Any) -> Any:
    from gui.main_window import MainWindow

    w = MainWindow()
    w.resize(1366, 768)
    w.show()
    end = time.monotonic() + 20
    while not w.is_ready and time.monotonic() < end:
        app.processEvents()
    app.processEvents()
    return w


class _PaintStarts:
    """Event filter logging when paint events reach the viewport (fallback for old code)."""

    def __new__(cls) -> Any:
        from PySide6.QtCore import QEvent, QObject

        class Watcher(QObject):
            def __init__(self) -> None:
                super().__init__()
                self.log: list[float] = []

            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.log.append(time.perf_counter())
                return False

        return Watcher()


def clicks(app: Any, w: Any, n: int, seed: int = 4) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from core.geometry import load_diagram

    view = w.diagram
    vp = view.viewport()
    targets: list[tuple[int, int]] = []
    for shape in load_diagram().zones():
        pos = w.zone_viewport_pos(shape.id, shape.side.value)
        if pos is not None:
            targets.append(pos)
    rng = random.Random(seed)
    left, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # the view logs the end of each paint; older code without that hook: the paint's start
    exact = hasattr(view, "paint_log")
    watcher = _PaintStarts()
    if not exact:
        vp.installEventFilter(watcher)
    panel_ms: list[float] = []
    mark_ms: list[float] = []
    handled_ms: list[float] = []
    missed = 0
    for _ in range(n):
        x, y = rng.choice(targets)
        app.processEvents()
        log: list[float] = []
        if exact:
            view.paint_log = log
        else:
            watcher.log = log
        t0 = time.perf_counter()
        QTest.mouseClick(vp, left, mods, QPoint(x, y))
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        if not log:  # no paint yet (should not happen): wait for it
            missed += 1
            end = time.perf_counter() + 0.5
            while not log and time.perf_counter() < end:
                app.processEvents()
        if exact:
            view.paint_log = None
        painted = log[0] if log else time.perf_counter()
        handled_ms.append((t1 - t0) * 1000)
        panel_ms.append((t2 - t0) * 1000)
        mark_ms.append((painted - t0) * 1000)
    return {
        "clicks": n,
        "targets": len(targets),
        "click_handled_ms_p50": round(percentile(handled_ms, 0.5), 3),
        "click_handled_ms_p99": round(percentile(handled_ms, 0.99), 3),
        "click_to_panel_ms_p50": round(percentile(panel_ms, 0.5), 3),
        "click_to_panel_ms_p99": round(percentile(panel_ms, 0.99), 3),
        "click_to_mark_ms_p50": round(percentile(mark_ms, 0.5), 3),
        "click_to_mark_ms_p99": round(percentile(mark_ms, 0.99), 3),
        "panel_recompute_ms_p99": round(w.panel.last_update_ms, 3),
        "clicks_without_paint": missed,
        "mark_time": "end of paint" if exact else "start of paint",
    }


def brush(app: Any, w: Any, strokes: int, points: int = 200) -> dict[str, Any]:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtTest import QTest

    from core.geometry import load_diagram
    from gui.state import Tool

    view, model, state = w.diagram, w.model, w.state
    vp = view.viewport()
    state.set_tool(Tool.BRUSH)
    state.set_brush_size(12.0)
    model.clear_marks()
    app.processEvents()
    left, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    views = {v.id: v for v in load_diagram().views}
    rates: list[float] = []
    rates_each: list[float] = []
    paints_each = 0
    move_ms: list[float] = []
    release_ms: list[float] = []
    paints = 0
    for k in range(strokes):
        v = views["dorsal" if k % 2 == 0 else "anterior"]
        x, y, bw, bh = v.bounds
        yy = y + bh * (0.3 + 0.08 * (k % 6))
        pts = [
            view.mapFromScene(
                QPointF(x + bw * (0.05 + 0.9 * i / (points - 1)), yy + 15 * (i % 20) / 20 - 7.5)
            )
            for i in range(points)
        ]
        every_move = k % 2 == 1  # odd strokes: a paint after every move (the worst case)
        QTest.mousePress(vp, left, mods, pts[0])
        app.processEvents()
        start = last_paint = time.perf_counter()
        for p in pts[1:]:
            t = time.perf_counter()
            QTest.mouseMove(vp, p)
            now = time.perf_counter()
            move_ms.append((now - t) * 1000)
            if every_move:
                app.processEvents()
                paints_each += 1
            elif (now - last_paint) * 1000 >= FRAME_MS:
                app.processEvents()
                paints += 1
                last_paint = time.perf_counter()
        app.processEvents()
        t = time.perf_counter()
        QTest.mouseRelease(vp, left, mods, pts[-1])
        app.processEvents()
        end = time.perf_counter()
        release_ms.append((end - t) * 1000)
        # the stroke is processed once its coverage has become marks (release included)
        elapsed_ms = (end - start) * 1000
        rate = (len(pts) - 1) / max(elapsed_ms / FRAME_MS, 1e-9)
        (rates_each if every_move else rates).append(rate)
    state.set_tool(Tool.CLICK)
    return {
        "strokes": strokes,
        "points_per_stroke": points,
        "brush_points_per_frame_median": round(statistics.median(rates), 1),
        "brush_points_per_frame_min": round(min(rates), 1),
        "brush_points_per_frame_paint_each_move_median": round(statistics.median(rates_each), 1),
        "brush_paints_each_move": paints_each,
        "brush_move_ms_mean": round(statistics.mean(move_ms), 4),
        "brush_move_ms_p99": round(percentile(move_ms, 0.99), 4),
        "brush_paints": paints,
        "brush_release_ms_mean": round(statistics.mean(release_ms), 2),
        "brush_marks": len(model.session.marks),
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Click latency (500 clicks, 40 when ``quick``) and brush throughput in one window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    with tempfile.TemporaryDirectory(prefix="dermamap-bench-") as tmp:
        saved = {k: os.environ.get(k) for k in private_dirs(tmp)}
        os.environ.update(private_dirs(tmp))
        try:
            from PySide6.QtWidgets import QApplication

            existing = QApplication.instance()
            app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
            w = _window(app)
            try:
                out = clicks(app, w, 40 if quick else 500)
                out.update(brush(app, w, 2 if quick else 10))
            finally:
                w.discard_and_close()
                w.deleteLater()
                app.processEvents()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    out["figures"] = {
        "click_panel": figure(out["click_to_panel_ms_p99"], "ms p99", n=out["clicks"]),
        "click_mark": figure(out["click_to_mark_ms_p99"], "ms p99", n=out["clicks"]),
        "brush": figure(
            out["brush_points_per_frame_median"], "points/frame", strokes=out["strokes"]
        ),
    }
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
