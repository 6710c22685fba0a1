"""The ``dermamap`` console entry point.

Dispatches without importing Qt: ``dermamap analyze ...`` runs the Qt-free core CLI, everything
else (the window, ``report``) imports the GUI lazily.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyze":
        from core.cli import analyze_main

        return analyze_main(args[1:])
    if args and args[0] == "report":
        from gui.report_cli import report_main

        return report_main(args[1:])
    from gui.app import run

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
