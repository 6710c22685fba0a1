"""Student modes: :class:`ExplorePanel` (explore dermatomes) and :class:`QuizPanel` (quiz)."""

from __future__ import annotations

from gui.learn.explore_panel import ExplorePanel
from gui.learn.quiz_panel import QuizPanel

__all__ = ["ExplorePanel", "QuizPanel"]
