"""The app as the subprocess tests run it: ``python tests/gui/scripted_app.py [--restore ANSWER]
[--script PATH] [dermamap arguments]``.

Dialogs answer at once (:func:`tests.gui.automation.answer_dialogs`; ``--restore`` gives the
answer to a leftover recovery file, default ``later``), and ``--script`` applies a JSON list of
intents once the window has started (:func:`tests.gui.automation.run_script`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gui.launcher import main  # noqa: E402
from tests.gui import automation  # noqa: E402


def run(argv: list[str]) -> int:
    restore, script, rest = "later", None, []
    args = iter(argv)
    for arg in args:
        if arg == "--restore":
            restore = next(args)
        elif arg == "--script":
            script = next(args)
        else:
            rest.append(arg)
    automation.answer_dialogs(restore=restore)
    if script is not None:
        automation.run_after_start(script)
    return main(rest)


if __name__ == "__main__":
    raise SystemExit(run(sys.argv[1:]))
