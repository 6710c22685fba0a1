"""Test automation of the file controller: ``$DERMAMAP_TEST_SCRIPT`` (see :func:`run_script`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from core.model import Findings, RedFlag, Visit
from core.session_io import dumps_session, parse_session

if TYPE_CHECKING:
    from gui.files import FileController


def _findings_from(data: Any) -> Findings:
    return parse_session(
        {"format": "dermamap-session", "version": 1, "marks": [], "findings": data}
    ).findings


def run_script(controller: FileController, path: str) -> None:
    """Apply the intents listed in the JSON file ``path`` (test hook, ``$DERMAMAP_TEST_SCRIPT``).

    Each item is one object: ``{"mark": [zone, side, symptom]}``, ``{"flag": id}``,
    ``{"findings": {...session-file findings...}}``, ``{"visit": {...}}``, ``{"atlas": id}``,
    ``{"save_as": path}``, ``{"sync_recovery": true}`` (wait until the recovery file is on disk),
    ``{"dump": path}`` (write the clinical session plus ``{"state": {"modified", "path"}}``),
    ``{"say": text}`` (print a line to stdout), ``{"quit": "discard"|"keep"}``.
    """
    from gui.files import clinical_session

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
            session, spath = clinical_session(model)
            data = json.loads(dumps_session(session))
            data["state"] = {"modified": model.is_modified(), "path": str(spath) if spath else None}
            Path(arg).write_text(json.dumps(data), encoding="utf-8")
        elif op == "say":
            print(arg, flush=True)
        elif op == "quit":
            from PySide6.QtWidgets import QApplication

            if arg == "discard":
                controller.discard_recovery()
            else:  # leave the recovery copy in place (as a crash would)
                controller.keep_recovery = True
                controller._close_confirmed = True
                controller.recovery.shutdown()
            controller.window.close()
            QTimer.singleShot(0, QApplication.quit)
        else:
            print(f"dermamap: unknown script step {op!r}", file=sys.stderr)
