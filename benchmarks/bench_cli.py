"""Benchmark: ``dermamap analyze`` over many session files in one call, in sessions per second.

Writes N varied, realistic session files to a temporary folder, then times one subprocess
``python -m gui.launcher analyze FILE... --format json`` over all of them (process start-up,
imports, reading, validating, analysing and printing JSON Lines included). Also times the same
command on one file, so start-up cost can be told apart from the per-file cost. The batch call
is timed several times and the median reported, since the machine may be shared. Issue 14's
budget is a ratio against the old engine on the same machine: ``python -m benchmarks.versus``.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _sessions(n: int) -> list[Any]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from core import zones
    from core.model import (
        Findings,
        Mark,
        Movement,
        RedFlag,
        Reflex,
        ReflexGrade,
        Session,
        Side,
        Strength,
        Symptom,
        Test,
        TestResult,
    )

    rng = random.Random(20240501)
    areas = list(zones.areas())
    out = []
    for i in range(n):
        side = rng.choice(list(Side))
        picked = rng.sample(areas, rng.randint(1, 8))
        marks = tuple(
            Mark(
                z,
                side if rng.random() < 0.9 else rng.choice(list(Side)),
                rng.choice(list(Symptom)),
                rng.choice((1.0, 1.0, 0.5, 0.8)),
            )
            for z in picked
        )
        f = Findings()
        if rng.random() < 0.6:
            f = f.with_reflex(side, rng.choice(list(Reflex)), rng.choice(list(ReflexGrade)))
            f = f.with_strength(side, rng.choice(list(Movement)), Strength.WEAK)
            f = f.with_test(side, Test.STRAIGHT_LEG_RAISE, rng.choice(list(TestResult)))
            f = f.with_history(age=rng.randint(20, 85), back_pain=rng.random() < 0.7)
        flags = frozenset({RedFlag.URINARY_RETENTION}) if i % 50 == 0 else frozenset()
        out.append(Session(marks=marks, red_flags=flags, findings=f))
    return out


def run(quick: bool = False, rounds: int | None = None) -> dict[str, Any]:
    """Time ``dermamap analyze`` over N files (N=1000, or 20 when ``quick``).

    The machine may be shared, so the batch call is timed ``rounds`` times (default 5, or 1
    when ``quick``) and the median is reported, with every round's rate beside it.
    """
    from core.session_io import dumps_session

    n = 20 if quick else 1000
    if rounds is None:
        rounds = 1 if quick else 5
    sessions = _sessions(n)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # a warm bytecode cache, as an installed copy has (the one-file run below writes it)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dermamap-bench-pycache")
    with tempfile.TemporaryDirectory(prefix="dermamap-bench-") as tmp:
        files = []
        for i, s in enumerate(sessions):
            p = os.path.join(tmp, f"s{i:05d}.json")
            with open(p, "w", encoding="utf-8") as fh:
                fh.write(dumps_session(s))
            files.append(p)
        cmd = [sys.executable, "-m", "gui.launcher", "analyze"]

        def timed(args: list[str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
            t0 = time.perf_counter()
            proc = subprocess.run(
                cmd + args, capture_output=True, cwd=tmp, env=env, timeout=600, check=False
            )
            return time.perf_counter() - t0, proc

        one_s, _ = timed(files[:1])
        runs = [timed(files) for _ in range(rounds)]
    times = sorted(t for t, _ in runs)
    total_s = statistics.median(times)
    proc = runs[-1][1]
    bad = [p for _, p in runs if p.returncode != 0 or p.stdout.count(b"\n") != n]
    lines = proc.stdout.count(b"\n")
    rate = n / total_s
    return {
        "name": "cli_analyze",
        "sessions": n,
        "rounds": rounds,
        "seconds": round(total_s, 4),
        "sessions_per_s": round(rate, 1),
        "all_sessions_per_s": [round(n / t, 1) for t, _ in runs],
        "one_file_seconds": round(one_s, 4),
        "per_file_ms": round(max(total_s - one_s, 0.0) / max(n - 1, 1) * 1000, 4),
        "exit_code": proc.returncode,
        "output_lines": lines,
        "ok": not bad,
    }


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
