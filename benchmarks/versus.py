"""The engine and the batch command line against an older commit, side by side (issue 14).

Usage: ``python -m benchmarks.versus [COMMIT] [--old PATH] [--rounds N] [--no-compiled]``

Absolute speeds differ between machines here by more than 2x, so issue 14's budgets are ratios
against commit 7380e52 (the engine before the rewrite) measured on the same machine in one run:

- engine: analyses per second of a 60-mark session with findings (each tree's own
  ``benchmarks/bench_engine.make_session``), at least twice the old pure-Python engine and at
  least the old compiled build (the old tree built its mypyc copy with
  ``tools/build_engine.py``; ``--no-compiled`` skips that);
- batch CLI: ``dermamap analyze`` over 1,000 files (each tree's own ``benchmarks/bench_cli``,
  same sessions from the same seed), at least twice the old rate.

The old commit is checked out into a temporary git worktree (or ``--old PATH`` names an existing
checkout). Runs alternate between the trees, each in a fresh process; medians are compared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_COMMIT = "7380e52"

ENGINE = """
import sys, time
sys.path.insert(0, "benchmarks"); sys.path.insert(0, ".")
import bench_engine as b
from core.engine import ATLAS_IDS, analyze
s = b.make_session()
for a in ATLAS_IDS:
    analyze(s, a)
n = 2000
t = time.perf_counter()
for _ in range(n):
    analyze(s)
print(n / (time.perf_counter() - t))
"""

CLI = """
import sys
sys.path.insert(0, ".")
from benchmarks import bench_cli
print(bench_cli.run(rounds=1)["sessions_per_s"])
"""


def _rate(tree: Path, code: str, pure: bool) -> float:
    env = {k: v for k, v in os.environ.items() if k != "DERMAMAP_PURE_ENGINE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    # a warm bytecode cache for both trees, as an installed copy has (see common.bench_env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "dermamap-bench-pycache")
    if pure:
        env["DERMAMAP_PURE_ENGINE"] = "1"  # read by the old tree only
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark failed in {tree}:\n{proc.stderr[-2000:]}")
    return float(proc.stdout.strip().splitlines()[-1])


def _line(name: str, new: list[float], old: list[float], factor: float) -> bool:
    n, o = statistics.median(new), statistics.median(old)
    ok = n >= factor * o
    print(
        f"{name:34s} {n:9.0f} /s  vs {o:9.0f} /s  ratio {n / o:5.2f}  "
        f"budget >= {factor:g}  {'pass' if ok else 'FAIL'}"
    )
    return ok


def compare(old: Path, rounds: int, compiled: bool) -> bool:
    """Alternate the runs, print the table; True when every budget is met."""
    if compiled:
        subprocess.run([sys.executable, "tools/build_engine.py"], cwd=old, check=True)
    runs: dict[str, list[float]] = {k: [] for k in ("new", "old_pure", "old_compiled")}
    cli: dict[str, list[float]] = {"new": [], "old": []}
    for _ in range(rounds):
        runs["new"].append(_rate(ROOT, ENGINE, pure=True))
        runs["old_pure"].append(_rate(old, ENGINE, pure=True))
        if compiled:
            runs["old_compiled"].append(_rate(old, ENGINE, pure=False))
        cli["new"].append(_rate(ROOT, CLI, pure=True))
        cli["old"].append(_rate(old, CLI, pure=not compiled))
    for k, v in {**runs, **{f"cli_{k}": v for k, v in cli.items()}}.items():
        if v:
            print(f"  {k:14s} " + " ".join(f"{x:8.0f}" for x in v))
    ok = _line("engine vs old pure Python", runs["new"], runs["old_pure"], 2.0)
    if compiled:
        ok &= _line("engine vs old compiled build", runs["new"], runs["old_compiled"], 1.0)
    ok &= _line("dermamap analyze, 1,000 files", cli["new"], cli["old"], 2.0)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.versus", description=__doc__)
    parser.add_argument("commit", nargs="?", default=BASE_COMMIT)
    parser.add_argument("--old", type=Path, help="an existing checkout of the old commit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-compiled", dest="compiled", action="store_false")
    args = parser.parse_args(argv)
    if args.old is not None:
        return 0 if compare(args.old.resolve(), args.rounds, args.compiled) else 1
    with tempfile.TemporaryDirectory(prefix="dermamap-versus-") as tmp:
        old = Path(tmp) / "old"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(old), args.commit], check=True)
        try:
            return 0 if compare(old, args.rounds, args.compiled) else 1
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(old)], check=False)


if __name__ == "__main__":
    raise SystemExit(main())
