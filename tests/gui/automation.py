"""Automation of the real window for tests (kept out of the app): answers to its dialogs and
scripted intents.

- :func:`answer_dialogs` makes every dialog of the file controller answer at once (unsaved
  work, a leftover recovery file, a conflict or a read-only file) and sends error messages to
  stderr, so no modal dialog can block a test. ``tests/gui/conftest.py`` applies it to every GUI
  test (with ``monkeypatch``); :mod:`tests.gui.scripted_app` applies it in a child process.
- :func:`run_script` applies a JSON list of intents to a window's file controller.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from core.model import Findings, RedFlag, Visit
from core.session_io import dumps_session, parse_session
from gui import files
from gui.files import FileController


def _print_error(_parent: QWidget | None) -> Callable[[str, str], None]:
    def show(title: str, text: str) -> None:
        print(f"dermamap: {title}: {text}", file=sys.stderr)

    return show


def dialog_answers(unsaved: str = "discard", restore: str = "later") -> dict[tuple[Any, str], Any]:
    """``{(owner, attribute): replacement}``: what :func:`answer_dialogs` sets.

    ``unsaved``: ``save``, ``discard`` or ``cancel``; ``restore``: ``restore``, ``discard`` or
    ``later``. Conflicts and read-only files are answered ``cancel``.
    """
    return {
        (FileController, "_dialog_unsaved"): lambda self: unsaved,
        (FileController, "_dialog_conflict"): lambda self, path: "cancel",
        (FileController, "_dialog_read_only"): lambda self, path: "cancel",
        (files, "ask_restore"): lambda leftover, parent: restore,
        (files, "_default_error"): _print_error,
    }


def answer_dialogs(unsaved: str = "discard", restore: str = "later") -> None:
    """Make the dialogs of every file controller made from now on answer at once."""
    for (owner, name), value in dialog_answers(unsaved, restore).items():
        setattr(owner, name, value)


def run_after_start(path: str) -> None:
    """Apply the script at ``path`` once a window's file controller has started (opened FILE
    and offered leftover work)."""
    start = FileController.start

    def start_then_run(self: FileController, initial_path: str | None = None) -> None:
        start(self, initial_path)
        run_script(self, path)

    FileController.start = start_then_run  # type: ignore[method-assign]


def _findings_from(data: Any) -> Findings:
    return parse_session(
        {"format": "dermamap-session", "version": 1, "marks": [], "findings": data}
    ).findings


def run_script(controller: FileController, path: str) -> None:
    """Apply the intents listed in the JSON file ``path``.

    Each item is one object: ``{"mark": [zone, side, symptom]}``, ``{"flag": id}``,
    ``{"findings": {...session-file findings...}}``, ``{"visit": {...}}``, ``{"atlas": id}``,
    ``{"save_as": path}``, ``{"sync_recovery": true}`` (wait until the recovery file is on disk),
    ``{"dump": path}`` (write the clinical session plus ``{"state": {"modified", "path"}}``),
    ``{"say": text}`` (print a line to stdout), ``{"quit": "discard"|"keep"}`` (``keep`` ends
    the process as a crash would, the recovery copy on disk).
    """
    model = controller.model
    with open(path, encoding="utf-8") as fh:
        steps = json.load(fh)
    for step in steps:
        ((op, arg),) = step.items()
        if op == "mark":
            zone, side, symptom = arg
            model.set_mark(zone, side, symptom)
        elif op == "flag":
            model.set_red_flag(RedFlag(arg), True)
        elif op == "findings":
            model.set_findings(_findings_from(arg))
        elif op == "visit":
            model.set_visit(Visit(**arg))
        elif op == "atlas":
            model.set_atlas(arg)
        elif op == "save_as":
            controller._write(Path(arg))
        elif op == "sync_recovery":
            controller.recovery.sync()
        elif op == "dump":
            session, spath = model.session, model.path
            data = json.loads(dumps_session(session))
            data["state"] = {"modified": model.is_modified(), "path": str(spath) if spath else None}
            Path(arg).write_text(json.dumps(data), encoding="utf-8")
        elif op == "say":
            print(arg, flush=True)
        elif op == "quit":
            if arg == "discard":
                controller.discard_recovery()
            else:  # end as a crash would: the recovery copy on disk, nothing cleaned up
                controller.recovery.sync()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(0)
            controller.window.close()
            QTimer.singleShot(0, QApplication.quit)
        else:
            print(f"dermamap: unknown script step {op!r}", file=sys.stderr)
