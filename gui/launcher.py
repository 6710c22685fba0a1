"""The ``dermamap`` console entry point.

Dispatches without importing Qt: ``dermamap analyze ...`` and ``dermamap compare ...`` run the
Qt-free core CLIs and ``dermamap --version`` names the version; everything else (the window,
``report``) imports the GUI lazily.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        return _version()
    if args and args[0] == "analyze":
        from core.cli import analyze_main

        return analyze_main(args[1:])
    if args and args[0] == "compare":
        from core.compare_cli import compare_main

        return compare_main(args[1:])
    if args and args[0] == "report":
        from gui.report_cli import report_main

        return report_main(args[1:])
    from gui.app import run

    return run(args)


def _version() -> int:
    """Print the version."""
    from core import __version__
    from core.cli import print_or_fail

    return print_or_fail(f"dermamap {__version__}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
