"""``dermamap report FILE -o out.pdf [--png out.png] [--csv out.csv] [--atlas ID] [--overlay]``.

Writes the report without showing a window. With no display (no ``DISPLAY`` or
``WAYLAND_DISPLAY``) and no ``QT_QPA_PLATFORM`` set, Qt runs on the offscreen platform.
Exit status: 0 on success, 2 for a session file that cannot be read or bad arguments, 1 when an
output file cannot be written (one line on stderr naming the file and the cause, never a
traceback). File names in messages have control characters escaped.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dermamap report",
        description="Write the PDF report (and optionally the diagram PNG and the CSV) of a "
        "session file. Decision support, not a diagnosis.",
    )
    p.add_argument("file", metavar="FILE", help="session file (.json)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="PDF report path")
    p.add_argument("--png", metavar="OUT.png", help="also write the diagram as PNG")
    p.add_argument("--csv", metavar="OUT.csv", help="also write marks and hypotheses as CSV")
    p.add_argument("--atlas", metavar="ID", help="dermatome map to read the marks with")
    p.add_argument("--overlay", action="store_true", help="draw the dermatome overlay")
    return p


def report_main(argv: list[str]) -> int:
    """Entry point of ``dermamap report``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)

    from core.file_guard import printable
    from core.session_io import SessionError, load_session
    from gui.document import ATLAS_IDS

    try:
        session = load_session(args.file)
    except SessionError as exc:
        print(f"dermamap report: {exc}", file=sys.stderr)
        return 2
    if args.atlas:
        if args.atlas not in ATLAS_IDS:
            print(
                f"dermamap report: unknown atlas {args.atlas!r} (valid: {', '.join(ATLAS_IDS)})",
                file=sys.stderr,
            )
            return 2
        session = replace(session, atlas=args.atlas)

    if (
        "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dermamap"])
    from gui import report
    from gui.document import Document

    analysis = Document(session=session).analysis
    target = args.output
    try:
        report.write_pdf(
            session, analysis, target, overlay=args.overlay, source_name=os.path.basename(args.file)
        )
        if args.png:
            target = args.png
            report.write_png(session, args.png, overlay=args.overlay)
        if args.csv:
            target = args.csv
            report.write_csv(session, analysis, args.csv)
    except SessionError as exc:
        print(f"dermamap report: {exc.message(full_path=True)}", file=sys.stderr)
        return 1
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        print(f'dermamap report: cannot write "{printable(target)}": {reason}', file=sys.stderr)
        return 1
    except Exception as exc:  # e.g. text the output cannot encode: never a traceback
        reason = printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        print(f'dermamap report: cannot write "{printable(target)}": {reason}', file=sys.stderr)
        return 1
    del app
    return 0
