"""The window's document: the clinical session (with its undo history) and its analyses.

Data flows one way: a view sends an *intent* to :attr:`Document.model` (a
:class:`gui.session_model.SessionModel`); the document runs the engine once per change, under the
session's atlas and under every other atlas (the panel compares them), and emits
:attr:`Document.analysis_changed` with the new :class:`Analyses`. Panels, the status bar, reports
and exports read :attr:`Document.analyses`; nothing else in the GUI calls the engine.

What is on screen (the mode, a quiz's scratch session, read-only) is UI state
(:class:`gui.state.UiState`), never part of the document.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from core import engine
from core.model import Analysis, Mark, Session, Side
from gui.session_model import SessionModel

ATLAS_IDS: tuple[str, ...] = engine.ATLAS_IDS


def is_blank(session: Session) -> bool:
    """Nothing to read: no marks, no warning signs, no findings."""
    return not session.marks and not session.red_flags and session.findings.is_empty()


@dataclass(frozen=True)
class Analyses:
    """The engine's reading of one session: under its own atlas and under every other one."""

    current: Analysis
    others: Mapping[str, Analysis] = field(default_factory=dict)

    def under(self, atlas: str) -> Analysis:
        """The analysis under ``atlas`` (the current one when it is the session's own)."""
        if atlas == self.current.atlas:
            return self.current
        return self.others[atlas]


def analyze_all(session: Session) -> Analyses:
    """Run the engine under the session's atlas and every other atlas."""
    if is_blank(session):
        return Analyses(Analysis(urgent=False, hypotheses=(), atlas=session.atlas))
    current = engine.analyze(session)
    others = {aid: engine.analyze(session, atlas=aid) for aid in ATLAS_IDS if aid != session.atlas}
    return Analyses(current, others)


def warm_up() -> None:
    """Build the engine's tables (under every atlas), so the first click does not wait."""
    analyze_all(Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),)))


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
