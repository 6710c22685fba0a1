"""Measure the engine on the published case reports (tests/core/published_cases.json).

Usage (from the root of any checkout whose ``core`` should be measured)::

    python /path/to/tools/eval_cases.py [--atlas ID] [--json] [--cases FILE]

The cases file and the evaluation helper are found next to this script (``../tests/core``), while
``core`` is imported from the current directory, so the same script measures an old checkout:
``cd /old/checkout && python /new/checkout/tools/eval_cases.py``. Prints the table (overall, per
group of origin, per kind of diagnosis, and the misses with rank and top hypothesis), or the whole
result as JSON with ``--json``. Exit status 0; 2 when the cases file cannot be read.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

HELPER = Path(__file__).resolve().parent.parent / "tests" / "core" / "published_eval.py"


def _helper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dermamap_published_eval", HELPER)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the tool
        raise SystemExit(f"cannot load {HELPER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", help="atlas id to analyse with (default: each session's own)")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--cases", help="cases file (default: tests/core/published_cases.json)")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.getcwd())  # measure the checkout we are run from
    pe = _helper()
    from core.engine import analyze

    try:
        cases = pe.load_cases(args.cases)
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read the cases: {exc}", file=sys.stderr)
        return 2
    result = pe.evaluate(analyze, cases, atlas=args.atlas)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        import core

        where = os.path.dirname(os.path.abspath(core.__file__))
        print(f"engine: {where} (version {getattr(core, '__version__', '?')})")
        print(pe.format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
