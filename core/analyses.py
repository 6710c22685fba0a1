"""The engine's reading of one session under every atlas (Qt-free).

:func:`analyze_all` runs the engine under the session's own atlas and under each other atlas
(the panel and the report compare them: :func:`other_map_tops`). The GUI calls it only
through its document model (:class:`gui.document.Document`); the report command line calls it
directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core import clinical
from core.model import Session
from core.results import Analysis, Hypothesis

ATLAS_IDS: tuple[str, ...] = tuple(clinical.atlases())


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

    def other_map_tops(self) -> tuple[OtherMapTop, ...]:
        """Where another atlas puts a different lesion first: :func:`other_map_tops`."""
        return other_map_tops(self)


@dataclass(frozen=True)
class OtherMapTop:
    """Under ``atlas`` another hypothesis comes first on ``side`` than under the session's own
    map (the panel's and the report's "maps disagree")."""

    atlas: str
    side: str
    hypothesis: str


def other_map_tops(analyses: Analyses) -> tuple[OtherMapTop, ...]:
    """Each other atlas and side whose most probable lesion differs from the current one's."""
    out = []
    for aid, other in analyses.others.items():
        for side in ("right", "left"):
            mine, theirs = _top(analyses.current, side), _top(other, side)
            if theirs is not None and (mine is None or mine.id != theirs.id):
                out.append(OtherMapTop(aid, side, theirs.id))
    return tuple(out)


def _top(analysis: Analysis, side: str) -> Hypothesis | None:
    return next((h for h in analysis.hypotheses if h.side == side), None)


def analyze_all(session: Session) -> Analyses:
    """Run the engine under the session's atlas and every other atlas."""
    if is_blank(session):
        return Analyses(Analysis(urgent=False, hypotheses=(), atlas=session.atlas))
    from core import engine  # imported on the first analysis: the window starts without it

    current = engine.analyze(session)
    others = {aid: engine.analyze(session, atlas=aid) for aid in ATLAS_IDS if aid != session.atlas}
    return Analyses(current, others)
