"""Start-up and interaction latency of the window.

1. Whole-process start-up, alternating runs: ``dermamap --quit-when-ready`` vs a bare PySide6
   window vs a bare PySide6 + pyqtgraph window. Each prints ``first-paint-ms`` and ``ready-ms``
   measured from the process start; we report medians and ratios to the bare window.
2. Click -> panel updated: N random zone clicks through the diagram's viewport in one offscreen
   window; p50/p99 of the click handling (mark + engine under three atlases + panel update) and
   of click + repaint.

Run ``python benchmarks/bench_startup.py [--quick]``; the harness calls :func:`run`.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_BARE = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from gui.app import _process_start_offset
    t0 = time.perf_counter() - _process_start_offset()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
    app = QApplication([])
    w = QMainWindow()
    w.setCentralWidget(QLabel("bare"))
    w.resize(1200, 700)
    state = {{}}
    def ready():
        if {pyqtgraph}:
            import pyqtgraph as pg
            w.setCentralWidget(pg.PlotWidget())
            app.processEvents()
        now = time.perf_counter()
        print(f"first-paint-ms={{round((state['fp'] - t0) * 1000)}}", file=sys.stderr)
        print(f"ready-ms={{round((now - t0) * 1000)}}", file=sys.stderr, flush=True)
        app.quit()
    class F(QObject):
        def eventFilter(self, obj, ev):
            if "fp" not in state and ev.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint):
                def painted():
                    state["fp"] = time.perf_counter()
                    QTimer.singleShot(0, ready)
                state["fp_pending"] = True
                QTimer.singleShot(0, painted)
                w.removeEventFilter(self)
            return False
    f = F()
    w.installEventFilter(f)
    w.show()
    app.exec()
    """
)


def _env(settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    env["DERMAMAP_SETTINGS_DIR"] = settings
    env.setdefault("XDG_RUNTIME_DIR", "/tmp/dermamap-xdg-runtime")
    Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    return env


def _times(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    fp = re.search(r"first-paint-ms=(\d+)", proc.stderr)
    ready = re.search(r"ready-ms=(\d+)", proc.stderr)
    if proc.returncode != 0 or not fp or not ready:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return float(fp.group(1)), float(ready.group(1))


def startup(runs: int) -> dict[str, Any]:
    exe = Path(sys.executable).parent / "dermamap"
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp)
        cmds = {
            "dermamap": [str(exe), "--quit-when-ready"],
            "bare_pyside6": [sys.executable, "-c", _BARE.format(root=str(ROOT), pyqtgraph=False)],
            "bare_pyside6_pyqtgraph": [
                sys.executable,
                "-c",
                _BARE.format(root=str(ROOT), pyqtgraph=True),
            ],
        }
        samples: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for name, cmd in cmds.items():  # one warm-up each (disk cache)
            _times(cmd, env)
            del name
        for _ in range(runs):
            for name, cmd in cmds.items():  # alternate whole-process runs
                samples[name].append(_times(cmd, env))
    out: dict[str, Any] = {"startup_runs": runs}
    for name, vals in samples.items():
        out[f"{name}_first_paint_ms_median"] = statistics.median(v[0] for v in vals)
        out[f"{name}_ready_ms_median"] = statistics.median(v[1] for v in vals)
    bare = out["bare_pyside6_first_paint_ms_median"]
    bare_pg = out["bare_pyside6_pyqtgraph_ready_ms_median"]
    out["first_paint_ratio_vs_bare"] = round(out["dermamap_first_paint_ms_median"] / bare, 2)
    out["ready_ratio_vs_bare_pyqtgraph"] = round(out["dermamap_ready_ms_median"] / bare_pg, 2)
    return out


def click_latency(clicks: int, seed: int = 4) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")
    tmp = tempfile.TemporaryDirectory()
    os.environ["DERMAMAP_SETTINGS_DIR"] = tmp.name
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from core.geometry import load_diagram

    app = QApplication.instance() or QApplication([])
    from gui.main_window import MainWindow

    w = MainWindow()
    w.resize(1366, 768)
    w.show()
    end = time.monotonic() + 15
    while not w.is_ready and time.monotonic() < end:
        app.processEvents()
    targets = []
    for shape in load_diagram().zones():
        pos = w.zone_viewport_pos(shape.id, shape.side.value)
        if pos is not None:
            targets.append(pos)
    rng = random.Random(seed)
    vp = w.diagram.viewport()
    handle, with_paint, panel = [], [], []
    for _ in range(clicks):
        x, y = rng.choice(targets)
        t = time.perf_counter()
        QTest.mouseClick(
            vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y)
        )
        t1 = time.perf_counter()
        w.panel.repaint()
        vp.repaint()
        t2 = time.perf_counter()
        handle.append((t1 - t) * 1000)
        with_paint.append((t2 - t) * 1000)
        panel.append(w.panel.last_update_ms)
    w.discard_and_close()
    tmp.cleanup()

    def pct(vals: list[float], q: float) -> float:
        s = sorted(vals)
        return round(s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))], 3)

    return {
        "clicks": clicks,
        "click_to_panel_updated_ms_p50": pct(handle, 0.5),
        "click_to_panel_updated_ms_p99": pct(handle, 0.99),
        "click_to_repainted_ms_p50": pct(with_paint, 0.5),
        "click_to_repainted_ms_p99": pct(with_paint, 0.99),
        "panel_recompute_ms_p50": pct(panel, 0.5),
        "panel_recompute_ms_p99": pct(panel, 0.99),
    }


def run(quick: bool = False) -> dict[str, Any]:
    out = startup(3 if quick else 10)
    out.update(click_latency(100 if quick else 500))
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run("--quick" in sys.argv), indent=2))
