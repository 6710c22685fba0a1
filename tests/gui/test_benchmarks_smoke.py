"""Smoke run of the benchmarks (tiny sizes): every figure is measured and numeric.

The budgets themselves depend on the machine and are not checked here; ``make bench`` reports
them. This only keeps the benchmark code working.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import BUDGETS

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmarks_report_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["DERMAMAP_SETTINGS_DIR"] = str(tmp_path / "settings")
    env["DERMAMAP_RECOVERY_DIR"] = str(tmp_path / "recovery")
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["quick"] is True
    assert not report["errors"], report["errors"]
    rows = {r["key"]: r for r in report["figures"]}
    for budget in BUDGETS:
        row = rows.get(budget.key)
        assert row is not None, f"figure {budget.key} missing"
        value = row["value"]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value > 0, row
        assert row["budget"] == budget.text()
        assert row["ok"] in (True, False)
        if budget.on == "ratio":
            assert isinstance(row["baseline"], (int, float)) and row["baseline"] > 0, row
            assert row["ratio"] == round(value / row["baseline"], 3)
    # the printed table names every figure
    for budget in BUDGETS:
        assert budget.label in proc.stdout
