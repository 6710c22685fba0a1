"""``dermamap compare OLD NEW [--atlas ID] [--format json|text]`` without importing Qt.

Compares an earlier session OLD with a later one NEW (:mod:`core.compare`): new, resolved and
persisting areas, each hypothesis's probability then and now, and the overlap (weighted Jaccard
index) of the marked skin. ``--format json`` (default) prints one JSON object. Exit status: 0 on
success, 2 when a file cannot be read or the command line is wrong (one line on stderr naming the
file), 3 when the output cannot be written.
"""

from __future__ import annotations

import argparse
import json
import sys

from core.cli import add_atlas_option


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dermamap compare",
        description="Compare two visits of one patient: new, resolved and persisting areas, "
        "each hypothesis's probability then and now, and the overlap of the marked skin. "
        "Decision support, not a diagnosis.",
    )
    p.add_argument("old", metavar="OLD", help="the earlier session file (.json)")
    p.add_argument("new", metavar="NEW", help="the later session file (.json)")
    add_atlas_option(p, "dermatome map for both (default: NEW's)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    return p


def compare_main(argv: list[str]) -> int:
    """Entry point of ``dermamap compare``; returns the exit status."""
    from core.compare import compare, format_text
    from core.session_io import SessionError, load_session

    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    sessions = []
    for path in (args.old, args.new):
        try:
            sessions.append(load_session(path))
        except SessionError as exc:
            print(f"dermamap compare: {exc.message(full_path=True)}", file=sys.stderr)
            return 2
    result = compare(sessions[0], sessions[1], atlas=args.atlas)
    text = (
        json.dumps(result.to_dict(), indent=2) + "\n"
        if args.format == "json"
        else format_text(result)
    )
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:
        print(f"dermamap compare: cannot write the output: {exc.strerror}", file=sys.stderr)
        return 3
    return 0
