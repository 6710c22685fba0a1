"""``dermamap report FILE [-o out.pdf] [--png out.png] [--csv out.csv] [--fhir out.json]
[--compare OLD] [--atlas ID] [--overlay]``.

Writes the report (and the other files asked for; at least one) without showing a window.
``--fhir`` writes the HL7 FHIR R4 Bundle (:mod:`core.fhir`) without starting Qt when no PDF or
PNG is asked for. ``--compare OLD`` adds the comparison with the earlier session OLD to the PDF.
With no display (no ``DISPLAY`` or ``WAYLAND_DISPLAY``) and no ``QT_QPA_PLATFORM`` set, Qt runs
on the offscreen platform.
An output path that is the session file, the ``--compare`` file or another output's file (also
through a link) is refused before anything is read or written.
Exit status: 0 on success, 2 for a session file that cannot be read or bad arguments, 1 when an
output file cannot be written (one line on stderr naming the file and the cause, never a
traceback). File names in messages have control characters escaped.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from core.cli import add_atlas_option


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dermamap report",
        description="Write the PDF report, the diagram PNG, the CSV and/or the HL7 FHIR bundle "
        "of a session file (at least one). Decision support, not a diagnosis.",
    )
    p.add_argument("file", metavar="FILE", help="session file (.json)")
    p.add_argument("-o", "--output", metavar="OUT.pdf", help="PDF report path")
    p.add_argument("--png", metavar="OUT.png", help="also write the diagram as PNG")
    p.add_argument("--csv", metavar="OUT.csv", help="also write marks and hypotheses as CSV")
    p.add_argument("--fhir", metavar="OUT.json", help="also write an HL7 FHIR R4 Bundle")
    p.add_argument(
        "--compare", metavar="OLD", help="add a comparison with the earlier session OLD to the PDF"
    )
    add_atlas_option(p, "dermatome map to read the marks with")
    p.add_argument("--overlay", action="store_true", help="draw the dermatome overlay")
    return p


#: The output options: (argparse name, option as typed).
_OUTPUTS = (("output", "-o"), ("png", "--png"), ("csv", "--csv"), ("fhir", "--fhir"))


def _output_clash(args: argparse.Namespace) -> str | None:
    """Why the outputs asked for cannot be written: one names the session file, the
    ``--compare`` file or the same file as another output (it would be overwritten)."""
    from core.file_guard import printable, same_file

    inputs = [("the session file", args.file)]
    if args.compare:
        inputs.append(("the --compare file", args.compare))
    outputs = [(flag, getattr(args, name)) for name, flag in _OUTPUTS if getattr(args, name)]
    for i, (flag, out) in enumerate(outputs):
        for what, path in inputs:
            if same_file(out, path):
                return (
                    f'the {flag} output "{printable(out)}" is {what}; it would be overwritten '
                    "(give the output another name)"
                )
        for other, earlier in outputs[:i]:
            if same_file(out, earlier):
                return (
                    f'{other} and {flag} name the same file "{printable(out)}" '
                    "(give each output its own name)"
                )
    return None


def _cannot_write(target: str, exc: Exception) -> int:
    """Say on stderr (one line) why ``target`` could not be written; the exit status, 1."""
    from core.file_guard import printable
    from core.session_io import SessionError

    if isinstance(exc, SessionError):
        print(f"dermamap report: {exc.message(full_path=True)}", file=sys.stderr)
        return 1
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
    else:  # e.g. text the output cannot encode: never a traceback
        reason = printable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    print(f'dermamap report: cannot write "{printable(target)}": {reason}', file=sys.stderr)
    return 1


def report_main(argv: list[str]) -> int:
    """Entry point of ``dermamap report``; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    empty = [flag for name, flag in _OUTPUTS if getattr(args, name) == ""]
    if empty:  # (an empty name was taken as none given, or left out beside another output)
        print(f"dermamap report: {empty[0]} names no file", file=sys.stderr)
        return 2
    if not (args.output or args.png or args.csv or args.fhir):
        print(
            "dermamap report: nothing to write (give -o, --png, --csv or --fhir)", file=sys.stderr
        )
        return 2
    clash = _output_clash(args)
    if clash is not None:
        print(f"dermamap report: {clash}", file=sys.stderr)
        return 2

    from core.analyses import analyze_all, other_map_tops
    from core.session_io import SessionError, load_session

    try:
        session = load_session(args.file)
    except SessionError as exc:
        print(f"dermamap report: {exc.message(full_path=True)}", file=sys.stderr)
        return 2
    if args.atlas:
        session = replace(session, atlas=args.atlas)
    analyses = analyze_all(session)
    analysis = analyses.current
    comparison = None
    if args.compare:
        from core.compare import compare

        try:
            earlier = load_session(args.compare)
        except SessionError as exc:
            print(f"dermamap report: {exc.message(full_path=True)}", file=sys.stderr)
            return 2
        comparison = compare(earlier, session, atlas=analysis.atlas)

    if args.fhir:
        import json

        from core.fhir import bundle
        from core.session_io import atomic_write_bytes

        try:
            text = json.dumps(bundle(session, analysis), indent=2, ensure_ascii=False) + "\n"
            atomic_write_bytes(args.fhir, text.encode("utf-8"))
        except Exception as exc:  # SessionError (missing folder, a folder, ...): one line
            return _cannot_write(args.fhir, exc)
        if not (args.output or args.png or args.csv):
            return 0

    if (
        "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "dermamap"])
    from gui import report

    target = args.output or ""
    try:
        if args.output:
            report.write_pdf(
                session,
                analysis,
                target,
                overlay=args.overlay,
                source_name=os.path.basename(args.file),
                comparison=comparison,
                other_maps=other_map_tops(analyses),
            )
        if args.png:
            target = args.png
            report.write_png(session, args.png, overlay=args.overlay, analysis=analysis)
        if args.csv:
            target = args.csv
            report.write_csv(session, analysis, args.csv)
    except Exception as exc:  # SessionError, OSError, text the output cannot encode, ...
        return _cannot_write(target, exc)
    del app
    return 0
