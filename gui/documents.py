"""Clinical-document actions of the main window (issue 19): Print Preview, Export FHIR, Compare
With… (File menu) and Copy Impression (Edit menu).

Wiring (main window, after the file controller)::

    self.documents = documents.install(self)

Each action works on the clinical session (never quiz scratch work) and reuses the file
controller's dialogs, so tests drive them without modal dialogs (``files.ask_open_path``,
``files.ask_save_path``, ``files.report_error``; :attr:`Documents.show_dialog` shows the compare
dialog and may be replaced).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from core.file_guard import same_file
from core.model import Session
from core.session_io import SessionError, atomic_write_bytes, load_session
from core.visit_dates import dated_after
from gui.file_exports import _export, _overlay


class Documents:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.files = window.files
        self.show_dialog: Callable[[QDialog], Any] = lambda d: d.exec()
        #: the file chosen by File > Compare With... (may be replaced, as ``files.ask_open_path``)
        self.ask_earlier_path: Callable[[], str | None] = self._dialog_earlier_path
        self.last_dialog: QDialog | None = None

        def action(text: str, slot: Callable[[], Any], tip: str, key: Any = None) -> QAction:
            a = QAction(text, window)
            a.setStatusTip(tip)
            a.setToolTip(tip)
            if key is not None:
                a.setShortcut(QKeySequence(key))
            a.triggered.connect(lambda _checked=False: slot())
            return a

        self.preview_action = action(
            "Print Prev&iew…", self.print_preview, "See the report's pages before printing"
        )
        self.fhir_action = action(
            "Export &FHIR…",
            self.export_fhir,
            "Marks, findings and hypotheses as an HL7 FHIR R4 Bundle for an electronic record",
        )
        self.compare_action = action(
            "Compare &With…",
            self.compare_with,
            "Open an earlier session of this patient beside the current one",
        )
        self.copy_action = action(
            "Copy &Impression",
            self.copy_impression,
            "Put the clinical impression on the clipboard as plain text",
            "Ctrl+Shift+C",
        )
        self.copy_action.setObjectName("copy_impression")
        self._place(window.file_menu)
        window.edit_menu.addSeparator()
        window.edit_menu.addAction(self.copy_action)

    def _place(self, menu: Any) -> None:
        """Compare With after Visit Details, Export FHIR after the CSV export, Print Preview
        after Print (at the end of the menu if the file controller's actions are missing)."""
        actions = list(menu.actions())

        def after(anchor: Any) -> Any:
            i = actions.index(anchor) if anchor in actions else -1
            return actions[i + 1] if 0 <= i < len(actions) - 1 else None

        for new, anchor in (
            (self.compare_action, getattr(self.files, "visit_action", None)),
            (self.fhir_action, getattr(self.files, "export_csv_action", None)),
            (self.preview_action, getattr(self.files, "print_action", None)),
        ):
            before = after(anchor)
            if before is None:
                menu.addAction(new)
            else:
                menu.insertAction(before, new)

    def _session(self) -> tuple[Session, Any]:
        """The clinical session and its analysis (the window's document)."""
        document = self.files.document
        return document.session, document.analysis

    def impression(self) -> str:
        from core.impression import impression_text

        return impression_text(*self._session())

    def copy_impression(self) -> str:
        text = self.impression()
        QGuiApplication.clipboard().setText(text)
        self.files._status("Impression copied to the clipboard")
        return text

    def print_preview(self) -> Any:
        from gui import report

        session, analysis = self._session()
        return report.print_preview(
            self.window,
            session,
            analysis,
            overlay=_overlay(self.files),
            other_maps=self.files.document.analyses.other_map_tops(),
        )

    def export_fhir(self) -> bool:
        from core.fhir import bundle

        def write(session: Session, path: Path) -> None:
            data = bundle(session, self.files.document.analysis)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            atomic_write_bytes(path, text.encode("utf-8"))

        return _export(self.files, "Export FHIR", "-fhir.json", "FHIR JSON (*.json)", write)

    def _dialog_earlier_path(self) -> str | None:
        if self.files.ask_open_path != self.files._dialog_open_path:
            # the open dialog answered by a script or a test
            answer: str | None = self.files.ask_open_path()
            return answer
        from PySide6.QtWidgets import QFileDialog

        from gui.files import SESSION_FILTER

        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Choose the earlier visit to compare with",
            self.files._last_dir(),
            SESSION_FILTER,
        )
        return path or None

    def compare_with(self, path: str | None = None) -> QDialog | None:
        """The session at ``path`` (else the one chosen) beside the window's own, in date order:
        a visit chosen as the earlier one but dated after the open one is shown second (the
        dialog says so); the open file itself is not compared with itself."""
        from gui.compare_view import CompareDialog

        chosen = path or self.ask_earlier_path()
        if not chosen:
            return None
        open_path = self.files.model.path
        if open_path is not None and same_file(chosen, open_path):
            self.files.report_error(
                "Compare With",
                f"“{Path(chosen).name}” is the visit open in this window: choose an earlier "
                "visit of this patient to compare it with.",
            )
            return None
        try:
            other = load_session(chosen)
        except SessionError as exc:
            self.files.report_error("Compare With", exc.message())
            return None
        current = self.files.model.session
        before, after, open_visit = other, current, "after"
        if dated_after(other.visit.date, current.visit.date):
            before, after, open_visit = current, other, "before"
        dialog = CompareDialog(
            before,
            after,
            self.window,
            before_path=Path(chosen),
            export_pdf=self.export_pdf,
            open_visit=open_visit,
        )
        self.last_dialog = dialog
        self.show_dialog(dialog)
        return dialog

    def export_pdf(self, comparison: Any) -> bool:
        from gui import report

        def write(session: Session, path: Path) -> None:
            report.write_pdf(
                session,
                self.files.document.analysis,
                path,
                overlay=_overlay(self.files),
                comparison=comparison,
                other_maps=self.files.document.analyses.other_map_tops(),
            )

        pdfs = "PDF documents (*.pdf)"
        return _export(self.files, "Export PDF Report", "-report.pdf", pdfs, write)


def install(window: QWidget) -> Documents:
    """Add the document actions to ``window`` (a :class:`gui.main_window.MainWindow`)."""
    return Documents(window)
