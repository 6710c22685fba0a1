"""Peak memory of the whole process: ``dermamap --quit-when-ready`` vs the bare pyqtgraph window.

Alternating whole-process runs (5 each after a warm-up, 2 when quick); the peak resident set
size of each finished child comes from ``wait4`` (``ru_maxrss``). The figure is the ratio of
the medians.

Run ``python -m benchmarks.bench_memory [--quick]``; the harness calls :func:`run`.
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
    """Peak RSS (MiB) of the app and of the baseline; medians and ratio."""
    n = runs if runs is not None else (2 if quick else 5)
    with tempfile.TemporaryDirectory(prefix="dermamap-bench-") as tmp:
        samples = alternate(
            {
                "dermamap": app_command("--quit-when-ready"),
                "bare_pyqtgraph": baseline_command("bare_pyqtgraph"),
            },
            n,
            bench_env(tmp),
        )
    out: dict[str, Any] = {"runs": n}
    for name, vals in samples.items():
        out[f"{name}_peak_rss_mib"] = [round(v.peak_rss_mib, 1) for v in vals]
        out[f"{name}_peak_rss_mib_median"] = round(median([v.peak_rss_mib for v in vals]), 1)
    out["figures"] = {
        "memory": figure(
            out["dermamap_peak_rss_mib_median"],
            "MiB",
            out["bare_pyqtgraph_peak_rss_mib_median"],
            baseline_name="bare PySide6 + pyqtgraph window, peak RSS",
        )
    }
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
