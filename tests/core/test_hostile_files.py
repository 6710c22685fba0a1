"""Hostile files (issue 17): every case of tests/hostile_files.py is refused by ``load_session``,
``dermamap analyze`` and ``dermamap report`` in under a second each, within a memory limit,
with a one-line message naming the file.

The checks run in a child process whose address space is limited (``RLIMIT_AS``), so a case
that tried to use gigabytes fails with MemoryError instead of swapping the machine; the child
also reports each case's time and its peak of traced Python memory (``tracemalloc``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile_files import make_hostile_files

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child (bytes)
TIME_LIMIT = 1.0  # seconds per case and entry point
PEAK_LIMIT = 160 * 1024 * 1024  # traced Python memory per case

CHILD = r"""
import io, json, os, resource, sys, time, tracemalloc, contextlib
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from core.cli import analyze_main
import core.engine  # imported before timing (the first analysis imports it)
from core.file_guard import printable
from core.session_io import SessionError, load_session
from gui.report_cli import report_main
out_pdf = sys.argv[2]
cases = json.loads(sys.stdin.read())
devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(devnull, 1)  # analyze's stdout
results = {}
for name, path in cases.items():
    r = {}
    t0 = time.perf_counter()
    try:
        load_session(path)
        r["load"] = "loaded"
    except SessionError as exc:
        r["load"] = str(exc)
    except BaseException as exc:
        r["load"] = "CRASH " + repr(exc)[:200]
    r["load_s"] = time.perf_counter() - t0
    for cmd, main, argv in (
        ("analyze", analyze_main, [path]),
        ("report", report_main, [path, "-o", out_pdf, "--csv", out_pdf + ".csv"]),
    ):
        err = io.StringIO()
        t0 = time.perf_counter()
        try:
            with contextlib.redirect_stderr(err):
                code = main(argv)
        except BaseException as exc:
            code = "CRASH " + repr(exc)[:200]
        r[cmd + "_s"] = time.perf_counter() - t0
        r[cmd] = [code, err.getvalue()]
    tracemalloc.start()
    with contextlib.suppress(SessionError):
        load_session(path)
    r["peak"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    r["printable"] = printable(os.path.basename(path))
    results[name] = r
sys.stderr.write(json.dumps(results))
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_hostile_files(tmp_path_factory.mktemp("hostile"))


@pytest.mark.timeout(120)
def test_every_hostile_file_is_refused_fast_and_bounded(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(MEMORY_LIMIT), str(tmp_path / "out.pdf")],
        input=json.dumps({k: str(v) for k, v in hostile.items()}),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stderr)
    assert set(results) == set(hostile)
    worst_time = max(max(r["load_s"], r["analyze_s"], r["report_s"]) for r in results.values())
    worst_peak = max(r["peak"] for r in results.values())
    print(
        f"\n{len(results)} hostile files, all refused; worst time {worst_time:.3f} s, "
        f"worst traced peak {worst_peak / 1e6:.1f} MB"
    )
    for name, r in results.items():
        shown = f'"{r["printable"]}"'
        assert shown in r["load"], (name, r["load"])  # a message naming the file
        assert not r["load"].startswith("CRASH") and "\n" not in r["load"]
        for cmd in ("analyze", "report"):
            code, err = r[cmd]
            assert code == 2, (name, cmd, code, err)
            assert err.count("\n") == 1 and "Traceback" not in err, (cmd, err)
            assert r["printable"] + '": ' in err, (cmd, err)
            assert "\x1b" not in err
        for key in ("load_s", "analyze_s", "report_s"):
            assert r[key] < TIME_LIMIT, (name, key, r[key])
        assert r["peak"] < PEAK_LIMIT, (name, r["peak"])
    assert "Qt" not in proc.stdout  # nothing was imported past the refusal


@pytest.mark.timeout(60)
def test_the_real_commands_never_hang_on_hostile_files(
    hostile: dict[str, Path], tmp_path: Path
) -> None:
    """The console entry point, all files at once: one line per file, exit 2, no traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "analyze", *map(str, hostile.values())],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=50,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == len(hostile) and "Traceback" not in proc.stderr
    assert all(line.startswith("dermamap analyze: Cannot open ") for line in lines)
