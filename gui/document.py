"""The window's document: the clinical session (with its undo history) and its analyses.

Data flows one way: a view sends an *intent* to :attr:`Document.model` (a
:class:`gui.session_model.SessionModel`); the document runs the engine once per change, under the
session's atlas and under every other atlas (:func:`core.analyses.analyze_all`), and emits
:attr:`Document.analysis_changed` with the new :class:`Analyses`. Panels, the status bar, reports
and exports read :attr:`Document.analyses`; nothing else in the GUI calls the engine.

What is on screen (the mode, a quiz's scratch session, read-only) is UI state
(:class:`gui.state.UiState`), never part of the document.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from core.analyses import ATLAS_IDS, Analyses, analyze_all, is_blank
from core.model import Session
from core.results import Analysis
from gui.session_model import SessionModel

__all__ = ["ATLAS_IDS", "Analyses", "Document", "analyze_all", "is_blank"]


class Document(QObject):
    """The clinical session of one window and its analyses, kept in step."""

    analysis_changed = Signal(Analyses)

    def __init__(
        self,
        model: SessionModel | None = None,
        parent: QObject | None = None,
        *,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model if model is not None else SessionModel(session, self)
        self.last_update_ms = 0.0
        self._analyses = analyze_all(self.model.session)
        self.model.session_changed.connect(self._recompute)

    @property
    def session(self) -> Session:
        return self.model.session

    @property
    def analyses(self) -> Analyses:
        return self._analyses

    @property
    def analysis(self) -> Analysis:
        """The analysis under the session's own atlas."""
        return self._analyses.current

    def _recompute(self) -> None:
        t = time.perf_counter()
        self._analyses = analyze_all(self.model.session)
        self.last_update_ms = (time.perf_counter() - t) * 1000.0
        self.analysis_changed.emit(self._analyses)
