"""Run every benchmark, print a table of the figures and budgets, write JSON.

Usage: ``python -m benchmarks [--quick] [--only NAME...] [--json PATH] [--strict]``

``NAME`` is a bench module (``engine``, ``cli``, ``startup``, ``memory``, ``diagram``, ``open``,
``autosave``) or a figure (``ready``, ``first_paint``, ``click_panel``, ``click_mark``,
``brush``, ``batch_cli``, ``memory``). Modules that do not exist yet are listed as missing.
The exit status is 1 when a benchmark failed to run (and, with ``--strict``, when a budget is
missed), else 0.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import BUDGET_BY_KEY, BUDGETS  # noqa: E402

# run order: whole-process runs first (a quiet harness process), then in-process ones
MODULES = ("startup", "memory", "engine", "cli", "diagram", "open", "autosave")
FIGURE_MODULE = {
    "ready": "startup",
    "first_paint": "startup",
    "memory": "memory",
    "click_panel": "diagram",
    "click_mark": "diagram",
    "brush": "diagram",
    "engine": "engine",
    "batch_cli": "cli",
    "open": "open",
}
DEFAULT_JSON = Path(__file__).resolve().parent / "results.json"


def _num(d: dict[str, Any], *keys: str) -> float | None:
    for k in keys:
        v = d.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
    return None


def figures_of(name: str, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The figures a module's result gives (its ``"figures"``, or known keys of its dict)."""
    figs = result.get("figures")
    if isinstance(figs, dict) and figs:
        return {str(k): dict(v) for k, v in figs.items() if isinstance(v, dict)}
    if name == "engine":
        v = _num(result, "analyses_per_s")
        return {"engine": {"value": v, "unit": "/s", "baseline": None, "ratio": None}}
    if name == "cli":
        v = _num(result, "sessions_per_s")
        return {"batch_cli": {"value": v, "unit": "sessions/s", "baseline": None, "ratio": None}}
    if name == "open":
        v = _num(result, "open_and_shown_ms_median", "open_and_shown_ms", "open_ms_median")
        n = result.get("mark_entries")
        return {"open": {"value": v, "unit": "ms", "baseline": None, "ratio": None, "marks": n}}
    if name == "autosave":
        v = _num(result, "flush_max_ms")
        unit = "ms max on the GUI thread"
        return {"autosave": {"value": v, "unit": unit, "baseline": None, "ratio": None}}
    return {}


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        if abs(x) >= 100:
            return f"{x:.0f}"
        if abs(x) >= 10:
            return f"{x:.1f}"
        return f"{x:.2f}"
    return str(x)


def table(rows: list[dict[str, Any]]) -> str:
    head = ("figure", "value", "unit", "baseline", "ratio", "budget", "result")
    body = [
        (
            r["label"],
            _fmt(r.get("value")),
            str(r.get("unit") or ""),
            _fmt(r.get("baseline")),
            _fmt(r.get("ratio")),
            r.get("budget") or "-",
            {True: "pass", False: "FAIL", None: r.get("status", "-")}[r.get("ok")],
        )
        for r in rows
    ]
    widths = [
        max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for b in body:
        out.append("  ".join(c.ljust(w) for c, w in zip(b, widths, strict=True)))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="modules or figures to run")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QT_API", "pyside6")

    wanted = list(MODULES)
    if args.only:
        names = {FIGURE_MODULE.get(n, n) for n in args.only}
        unknown = names - set(MODULES)
        if unknown:
            ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
        wanted = [m for m in MODULES if m in names]

    results: dict[str, Any] = {}
    errors: dict[str, str] = {}
    missing: list[str] = []
    seconds: dict[str, float] = {}
    for name in wanted:
        try:
            mod = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.bench_{name}":
                missing.append(name)
                print(f"[{name}] not present yet, skipped", file=sys.stderr)
                continue
            errors[name] = traceback.format_exc()
            print(f"[{name}] import failed:\n{errors[name]}", file=sys.stderr)
            continue
        print(f"[{name}] running{' (quick)' if args.quick else ''}…", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            results[name] = mod.run(quick=args.quick)
        except Exception:
            errors[name] = traceback.format_exc()
            print(f"[{name}] failed:\n{errors[name]}", file=sys.stderr)
        seconds[name] = round(time.perf_counter() - t, 2)

    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name, res in results.items():
        for key, fig in figures_of(name, res).items():
            seen.add(key)
            budget = BUDGET_BY_KEY.get(key)
            row = {"key": key, "module": name, **fig}
            row["label"] = budget.label if budget else str(fig.get("label", key))
            row["budget"] = budget.text() if budget else None
            row["ok"] = budget.check(fig.get("value"), fig.get("ratio")) if budget else None
            row["status"] = "-" if budget else "info"
            rows.append(row)
    for b in BUDGETS:  # every budget row appears, measured or not
        if b.key in seen:
            continue
        mod_name = FIGURE_MODULE[b.key]
        if mod_name not in wanted:
            continue
        status = "missing" if mod_name in missing else ("error" if mod_name in errors else "-")
        rows.append(
            {
                "key": b.key,
                "module": mod_name,
                "label": b.label,
                "value": None,
                "unit": b.unit,
                "baseline": None,
                "ratio": None,
                "budget": b.text(),
                "ok": None,
                "status": status,
            }
        )
    order = {b.key: i for i, b in enumerate(BUDGETS)}
    rows.sort(key=lambda r: order.get(r["key"], len(order)))

    print()
    print(table(rows))
    report = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "figures": rows,
        "results": results,
        "seconds": seconds,
        "missing": missing,
        "errors": errors,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.json}")
    failed = bool(errors) or (args.strict and any(r.get("ok") is False for r in rows))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
