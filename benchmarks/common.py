"""Shared helpers of the benchmarks: budgets, figures, statistics and whole-process runs.

Every bench module has ``run(quick: bool) -> dict``. A module may put a ``"figures"`` entry in
its result: ``{figure key: {"value": v, "baseline": b, "unit": u, ...}}``; the harness
(:mod:`benchmarks.__main__`) turns those into rows of its table, checks them against
:data:`BUDGETS` and writes everything to JSON.

Figures that depend on the machine are ratios against a baseline measured side by side: in the
same process, or in whole-process runs that alternate app and baseline (:func:`alternate`), so
a busy neighbour slows both alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINES = Path(__file__).resolve().parent / "baselines"


@dataclass(frozen=True)
class Budget:
    """One row of the issue's budget table.

    ``on`` is ``"ratio"`` (the figure's value divided by its baseline) or ``"value"``;
    ``op`` is ``"<="``, ``"<"`` or ``">="``.
    """

    key: str
    label: str
    how: str
    on: str
    op: str
    limit: float
    unit: str

    def text(self) -> str:
        what = "ratio" if self.on == "ratio" else ""
        unit = "" if self.on == "ratio" else f" {self.unit}"
        return f"{what} {self.op} {self.limit:g}{unit}".strip()

    def check(self, value: float | None, ratio: float | None) -> bool | None:
        x = ratio if self.on == "ratio" else value
        if x is None:
            return None
        if self.op == "<=":
            return x <= self.limit
        if self.op == "<":
            return x < self.limit
        return x >= self.limit


BUDGETS: tuple[Budget, ...] = (
    Budget(
        "ready",
        "ready",
        "dermamap --quit-when-ready vs bare PySide6 + pyqtgraph window, alternating runs, medians",
        "ratio",
        "<=",
        1.2,
        "ms",
    ),
    Budget(
        "first_paint",
        "first paint",
        "the app's first paint vs a bare PySide6 window showing, alternating runs, medians",
        "ratio",
        "<=",
        1.5,
        "ms",
    ),
    Budget(
        "click_panel",
        "click -> panel",
        "random zone clicks through the viewport (QTest) until the side panel has updated",
        "value",
        "<",
        16.0,
        "ms p99",
    ),
    Budget(
        "click_mark",
        "click -> mark",
        "same clicks, until the mark is repainted",
        "value",
        "<",
        8.0,
        "ms p99",
    ),
    Budget(
        "brush",
        "brush",
        "200-point strokes through the viewport: points processed per 16 ms frame",
        "value",
        ">=",
        60.0,
        "points/frame",
    ),
    Budget(
        "open",
        "open",
        "a 5,000-mark session opened and shown",
        "value",
        "<",
        300.0,
        "ms",
    ),
    Budget(
        "memory",
        "memory",
        "peak RSS of --quit-when-ready vs the bare pyqtgraph window, alternating runs, medians",
        "ratio",
        "<=",
        1.2,
        "MiB",
    ),
)
BUDGET_BY_KEY = {b.key: b for b in BUDGETS}


def figure(
    value: float | None,
    unit: str,
    baseline: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A figure entry for a bench result's ``"figures"`` mapping (ratio filled in here)."""
    ratio = None
    if value is not None and baseline:
        ratio = round(value / baseline, 3)
    out: dict[str, Any] = {"value": value, "unit": unit, "baseline": baseline, "ratio": ratio}
    out.update(extra)
    return out


# ------------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1) of a non-empty sequence."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


# ------------------------------------------------------------------------- whole processes


def private_dirs(folder: str) -> dict[str, str]:
    """Settings and crash-recovery files of a benchmarked window in ``folder`` (fresh folders:
    no leftover work to offer, so no dialog)."""
    return {
        "DERMAMAP_SETTINGS_DIR": str(Path(folder) / "settings"),
        "DERMAMAP_RECOVERY_DIR": str(Path(folder) / "recovery"),
    }


def bench_env(settings_dir: str) -> dict[str, str]:
    """Environment of app and baseline processes: offscreen Qt, private settings, bytecode.

    Both sides run with a warm bytecode cache, as an installed copy does (this matters when the
    calling shell sets ``PYTHONDONTWRITEBYTECODE``): the cache goes to a folder in the system's
    temporary directory (``PYTHONPYCACHEPREFIX``), never into the source tree.
    """
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["QT_API"] = "pyside6"
    env.update(private_dirs(settings_dir))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dermamap-bench-pycache")
    env.setdefault("XDG_RUNTIME_DIR", str(Path(tempfile.gettempdir()) / "dermamap-xdg-runtime"))
    Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    env["PYTHONPATH"] = str(ROOT) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


def app_command(*args: str) -> list[str]:
    """``dermamap ARGS`` (the installed console script, else ``python -m gui.launcher``).

    ``DERMAMAP_BENCH_MODULE=1`` forces ``python -m gui.launcher`` from this checkout (to
    measure another checkout with the same virtualenv).
    """
    exe = Path(sys.executable).parent / "dermamap"
    if exe.exists() and os.environ.get("DERMAMAP_BENCH_MODULE", "") in ("", "0"):
        return [str(exe), *args]
    return [sys.executable, "-m", "gui.launcher", *args]


def baseline_command(name: str) -> list[str]:
    """A baseline program of :mod:`benchmarks.baselines` (``bare_pyside6``, ``bare_pyqtgraph``)."""
    return [sys.executable, str(BASELINES / f"{name}.py")]


@dataclass(frozen=True)
class ProcessRun:
    """One whole-process run: when its first paint and ready were reported (ms from process
    start) and its peak RSS."""

    first_paint_ms: float
    ready_ms: float
    wall_ms: float
    peak_rss_mib: float


def run_process(cmd: Sequence[str], env: Mapping[str, str], timeout: float = 60.0) -> ProcessRun:
    """Run ``cmd`` to completion; peak RSS via wait4.

    The times are taken here, the same way for app and baselines: ready is the time from just
    before the process is started to the arrival of its ``ready-ms=`` line on stderr; first
    paint is that minus the time the process says passed between its first paint and ready
    (``ready-ms`` minus ``first-paint-ms``, both from one clock of the process).
    """
    arrived: float | None = None
    printed: dict[str, float] = {}
    lines: list[str] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        env=dict(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
    )
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        assert proc.stderr is not None
        for raw in proc.stderr:
            now = (time.perf_counter() - t0) * 1000.0
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            for key in ("first-paint-ms=", "ready-ms="):
                if line.startswith(key) and key not in printed:
                    printed[key] = float(line[len(key) :].strip())
                    if key == "ready-ms=":
                        arrived = now
        proc.stderr.close()
        _pid, status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = (time.perf_counter() - t0) * 1000.0
    if proc.returncode != 0 or arrived is None or "first-paint-ms=" not in printed:
        text = "".join(lines)
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {text[-2000:]}")
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    rss = usage.ru_maxrss / (1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0)
    fp = arrived - (printed["ready-ms="] - printed["first-paint-ms="])
    return ProcessRun(fp, arrived, wall, rss)


def alternate(
    commands: Mapping[str, Sequence[str]],
    runs: int,
    env: Mapping[str, str],
    warmup: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, list[ProcessRun]]:
    """Run each command ``runs`` times, interleaved (a, b, c, a, b, c, ...), after warm-ups."""
    for _ in range(warmup):
        for cmd in commands.values():
            run_process(cmd, env)
    out: dict[str, list[ProcessRun]] = {name: [] for name in commands}
    for i in range(runs):
        for name, cmd in commands.items():
            out[name].append(run_process(cmd, env))
        if progress is not None:
            progress(f"run {i + 1}/{runs}")
    return out
