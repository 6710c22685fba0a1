"""Benchmark of the clinical engine: analyses per second on a 60-mark session with findings.

Run ``python benchmarks/bench_engine.py [--quick]``; the benchmark harness calls
:func:`run` and reads the returned dict (``analyses_per_s`` is the median of several rounds,
since the machine may be shared). The figure depends on the machine: issue 14's budgets are
ratios against the old engine on the same machine, measured by ``python -m benchmarks.versus``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import figure
from core.engine import ATLAS_IDS, analyze
from core.model import (
    Findings,
    Mark,
    Movement,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
)
from core.zones import areas


def make_session() -> Session:
    """60 marks (all 30 areas on both sides, mixed symptoms and coverage) plus findings."""
    symptoms = list(Symptom)
    marks = tuple(
        Mark(area, side, symptoms[i % 3], 0.4 + 0.6 * ((i * 7) % 10) / 10)
        for side in (Side.LEFT, Side.RIGHT)
        for i, area in enumerate(areas())
    )
    f = Findings()
    for side in Side:
        f = f.with_reflex(side, Reflex.ACHILLES, ReflexGrade.REDUCED)
        f = f.with_reflex(side, Reflex.PATELLAR, ReflexGrade.NORMAL)
        f = f.with_strength(side, Movement.GREAT_TOE_EXTENSION, Strength.WEAK)
        f = f.with_strength(side, Movement.ANKLE_INVERSION, Strength.NORMAL)
        f = f.with_strength(side, Movement.HIP_ABDUCTION, Strength.NORMAL)
        f = f.with_test(side, Test.STRAIGHT_LEG_RAISE, TestResult.POSITIVE)
        f = f.with_test(side, Test.TINEL_FIBULAR_HEAD, TestResult.NEGATIVE)
    f = f.with_history(age=58, back_pain=True, neurogenic_claudication=True, onset_days=30)
    return Session(marks=marks, findings=f)


def _rates(fn: Callable[[Session], object], session: Session, n: int, rounds: int) -> list[float]:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn(session)
        rates.append(n / (time.perf_counter() - start))
    return rates


def run(quick: bool = False, rounds: int | None = None) -> dict[str, Any]:
    """Time :func:`core.engine.analyze` in ``rounds`` rounds; returns the median analyses/s.

    The machine may be shared, so several rounds are timed and the median is reported (the
    best round too). ``quick`` runs 3 short rounds.
    """
    session = make_session()
    for atlas in ATLAS_IDS:  # warm the per-atlas tables
        analyze(session, atlas)
    n = 300 if quick else 1000
    if rounds is None:
        rounds = 3 if quick else 7
    rates = _rates(analyze, session, n, rounds)
    per_s = statistics.median(rates)
    return {
        "name": "engine.analyze (60 marks + findings)",
        "iterations": n * rounds,
        "rounds": rounds,
        "seconds": sum(n / r for r in rates),
        "analyses_per_s": per_s,
        "best_analyses_per_s": max(rates),
        "all_analyses_per_s": [round(r, 1) for r in rates],
        "ms_per_analysis": 1000.0 / per_s,
        "figures": {"engine": figure(per_s, "/s")},
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    res = run(quick="--quick" in args)
    print(
        f"{res['name']}: {res['analyses_per_s']:.0f} analyses/s median of {res['rounds']} rounds "
        f"(best {res['best_analyses_per_s']:.0f}; {res['ms_per_analysis']:.3f} ms per analysis)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
