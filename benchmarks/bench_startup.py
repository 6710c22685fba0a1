"""Start-up of the whole process: ``dermamap --quit-when-ready`` against bare windows.

Three programs run in alternation (app, bare PySide6 window, bare PySide6 + pyqtgraph window;
7 runs each after one warm-up each, 2 when quick). Each prints ``first-paint-ms`` and
``ready-ms`` lines; the harness times them from the start of the process to the line's arrival
(:func:`benchmarks.common.run_process`); medians are compared:

- first paint: the app's first paint (its splash screen) / the bare PySide6 window's first
  paint;
- ready: the app's ready (first paint done, command-line file opened; the engine builds its
  tables on the first analysis, so a blank window's ready does not include them) /
  the bare PySide6 + pyqtgraph window's first paint of its plot.

Run ``python -m benchmarks.bench_startup [--quick]``; the harness calls :func:`run`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import (  # noqa: E402
    alternate,
    app_command,
    baseline_command,
    bench_env,
    figure,
    median,
)


def run(quick: bool = False, runs: int | None = None) -> dict[str, Any]:
    """Alternating whole-process runs; medians and ratios."""
    n = runs if runs is not None else (2 if quick else 7)
    with tempfile.TemporaryDirectory(prefix="dermamap-bench-") as tmp:
        env = bench_env(tmp)
        samples = alternate(
            {
                "dermamap": app_command("--quit-when-ready"),
                "bare_pyside6": baseline_command("bare_pyside6"),
                "bare_pyqtgraph": baseline_command("bare_pyqtgraph"),
            },
            n,
            env,
        )
    out: dict[str, Any] = {"runs": n}
    for name, vals in samples.items():
        out[f"{name}_first_paint_ms"] = [v.first_paint_ms for v in vals]
        out[f"{name}_ready_ms"] = [v.ready_ms for v in vals]
        out[f"{name}_first_paint_ms_median"] = median([v.first_paint_ms for v in vals])
        out[f"{name}_ready_ms_median"] = median([v.ready_ms for v in vals])
    out["figures"] = {
        "first_paint": figure(
            out["dermamap_first_paint_ms_median"],
            "ms",
            out["bare_pyside6_first_paint_ms_median"],
            baseline_name="bare PySide6 window, first paint",
        ),
        "ready": figure(
            out["dermamap_ready_ms_median"],
            "ms",
            out["bare_pyqtgraph_ready_ms_median"],
            baseline_name="bare PySide6 + pyqtgraph window, plot shown",
        ),
    }
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
