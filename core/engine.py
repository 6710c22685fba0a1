"""The clinical engine (placeholder until the engine lands): marks + findings -> analysis."""

from __future__ import annotations

from core.model import Analysis, Session

ATLAS_IDS = ("consensus", "keegan_garrett", "foerster_lee")


def analyze(session: Session, atlas: str | None = None) -> Analysis:
    """Analyse ``session`` under ``atlas`` (default: the session's own atlas)."""
    return Analysis(urgent=False, hypotheses=(), atlas=atlas or session.atlas)
