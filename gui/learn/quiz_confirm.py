"""The question asked before a new quiz replaces one under way.

Start (Restart), Enter in the Seed or Questions box and a typed code all start a new quiz; one
key there ("1" typed in the Seed box, then Enter) silently threw away a half-done quiz. A quiz
with at least one answer and not finished is now given up only when the student says so; the
default answer (Enter, Esc) keeps it. :attr:`gui.learn.quiz_panel.QuizPanel.confirm_new_quiz`
holds the function that asks (replaceable in tests).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from gui.ask import ask

NEW_QUIZ_QUESTION = "Start a new quiz and give up this one?"


def new_quiz_detail(answered: int, total: int) -> str:
    """What is lost: "You have answered 3 of 10 questions; ..."."""
    return (
        f"You have answered {answered} of {total} questions. Your answers so far are kept in "
        "My progress, but this quiz cannot be finished afterwards."
    )


def confirm_new_quiz(parent: QWidget, answered: int, total: int) -> bool:
    """Ask before a new quiz replaces the one under way; True to start the new one. The
    default button (Enter) and Esc keep the current quiz."""
    return ask(
        parent,
        title="New quiz",
        text=NEW_QUIZ_QUESTION,
        detail=new_quiz_detail(answered, total),
        act="&Start a new quiz",
        keep="&Keep this quiz",
        name="quiz_new",
        accessible="Start a new quiz?",
    )
