"""Exports and printing of :class:`gui.files.FileController` (PDF report, diagram PNG, CSV).

Suggested names never hold a patient identifier; any failure is reported naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.file_guard import printable, same_file
from core.model import Session
from core.session_io import SessionError
from gui.file_safety import unused_name

if TYPE_CHECKING:
    from gui.files import FileController


def _overlay(ctrl: FileController) -> bool:
    return bool(getattr(ctrl.state, "show_dermatomes", False))


def _export(
    ctrl: FileController,
    title: str,
    suffix: str,
    filters: str,
    write: Callable[[Session, Path], None],
) -> bool:
    session = ctrl.model.session
    folder, stem = ctrl._last_dir(), ctrl._stem()
    # an unsaved session's dated name may be another patient's export of the same day
    saved = ctrl.model.path is not None
    suggested = os.path.join(folder, stem + suffix) if saved else unused_name(folder, stem, suffix)
    chosen = ctrl.ask_save_path(title, suggested, filters)
    if not chosen:
        return False
    target = Path(chosen)
    if not target.suffix:
        target = target.with_suffix("." + suffix.rsplit(".", 1)[-1])
    if ctrl.model.path is not None and same_file(target, ctrl.model.path):
        # the session would be replaced by its export, and the window would still call it saved
        ctrl.report_error(
            title.rstrip("."),
            f'"{printable(target.name)}" is the session open in this window; it would be '
            "overwritten. Choose another name for the export.",
        )
        return False
    try:
        write(session, target)
    except Exception as exc:  # any failure: say so, never a traceback
        if isinstance(exc, SessionError):
            problem = exc.problem
        else:
            problem = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        ctrl.report_error(
            title.rstrip("."),
            f'Cannot write "{printable(target.name)}": {problem}\n\n{printable(str(target))}',
        )
        return False
    ctrl._status(f"Wrote {target.name}")
    return True


def export_pdf(ctrl: FileController) -> bool:
    from gui import report

    return _export(
        ctrl,
        "Export PDF Report",
        "-report.pdf",
        "PDF documents (*.pdf)",
        lambda s, p: report.write_pdf(
            s,
            ctrl.document.analysis,
            p,
            overlay=_overlay(ctrl),
            other_maps=ctrl.document.analyses.other_map_tops(),
        ),
    )


def export_png(ctrl: FileController) -> bool:
    from gui import report

    return _export(
        ctrl,
        "Export Diagram PNG",
        "-diagram.png",
        "PNG images (*.png)",
        lambda s, p: report.write_png(
            s, p, overlay=_overlay(ctrl), analysis=ctrl.document.analysis
        ),
    )


def export_csv(ctrl: FileController) -> bool:
    from gui import report

    return _export(
        ctrl,
        "Export CSV",
        ".csv",
        "CSV files (*.csv)",
        lambda s, p: report.write_csv(s, ctrl.document.analysis, p),
    )


def print_report(ctrl: FileController) -> bool:
    from gui import report

    document = ctrl.document
    return report.print_report(
        ctrl.window,
        document.session,
        document.analysis,
        overlay=_overlay(ctrl),
        other_maps=document.analyses.other_map_tops(),
        doc_name=ctrl._stem() + "-report",
    )
