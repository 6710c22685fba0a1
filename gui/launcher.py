"""The ``dermamap`` console entry point.

Dispatches without importing Qt: ``dermamap analyze ...`` runs the Qt-free core CLI and
``dermamap --version`` names the version and the engine in use; everything else (the window,
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
    if args and args[0] == "report":
        from gui.report_cli import report_main

        return report_main(args[1:])
    from gui.app import run

    return run(args)


def _version() -> int:
    """Print the version and which clinical engine runs (compiled or pure Python), and why."""
    from core import __version__, engine

    print(f"dermamap {__version__}")
    print(f"engine: {engine.IMPLEMENTATION} ({engine.IMPLEMENTATION_REASON})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
