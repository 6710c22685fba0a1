"""The end of a quiz: the score line and the missed questions, each with its answer first.

The missed list wraps long items. A wrapped item's height was worked out by Qt at the
viewport's full width, but the item is drawn :meth:`QListView.spacing` in from each side: an
item whose last line fell in that difference lost it ("... You said L5; answer:", and "L4"
was not drawn; UX review). :class:`MissedList` gives each item the height of its text wrapped
at the width it is drawn at, worked out again whenever the list is laid out (Qt lays a
word-wrapped list out again on every resize).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QListWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from core.quiz import Feedback, Question
from core.quiz_generation import QuizSession, fact_of
from core.zones import area_of, display_name


def points_text(points: float) -> str:
    """``8`` for whole points, ``7.5`` for a part-scored marking answer (one decimal)."""
    return f"{points:.1f}".removesuffix(".0")


def summary_title(quiz: QuizSession) -> str:
    """The score line: a word of encouragement, points and percent."""
    total = len(quiz.questions)
    pct = 100.0 * quiz.points / total if total else 0.0
    cheer = "Excellent!" if pct >= 90 else "Good work!" if pct >= 70 else "Keep practising!"
    return f"{cheer}  {points_text(quiz.points)} / {total}  ({pct:.0f}%)"


def summary_text(quiz: QuizSession) -> str:
    """How many were right, and what selecting a missed item shows."""
    missed = quiz.missed
    on_diagram = any(fb.answer_zones for _q, fb in missed)
    if not missed:
        tail = "Nothing missed."
    elif on_diagram and all(q.about_skin for q, _fb in missed):
        tail = "Missed items below: select one to see its answer on the diagram."
    else:
        tail = "Missed items below: select one to see its sources" + (
            " and, for an area of skin, the area on the diagram." if on_diagram else "."
        )
    # "9.9 / 20" above "10 of 20 right" read as a contradiction (a student's review)
    part = (
        f" The score, {points_text(quiz.points)}, counts part of a point for each marked"
        " territory by how much of it was right."
        if points_text(quiz.points) != str(quiz.correct_count)  # as both are shown
        else ""
    )
    # a topic with few facts asks them again in a long quiz (9 cases in 20 vignettes), which
    # read as a fault when nothing said so (a student's review)
    different = len({fact_of(q) for q in quiz.questions})
    again = (
        f" This quiz asked {different} different questions; the others came round again."
        if different < len(quiz.questions)
        else ""
    )
    return f"{quiz.correct_count} of {len(quiz.questions)} right.{part}{again} {tail}"


def missed_text(n: int, q: Question, fb: Feedback) -> str:
    """One missed question, the answer first: ``Q14. Answer L4 (you said L5) — <question>``."""
    right = q.label(q.target)
    if q.kind == "mark_territory":
        score = round(fb.score * 100)
        return f"Q{n}. Answer {right} dermatome (you scored {score}%)"
    given = q.label(fb.answer) if fb.answer in q.choices else "—"
    if q.kind == "which_root" and q.zones and q.side is not None:
        about = f"{q.side.display} {display_name(area_of(q.zones[0][0])).lower()}."
    else:
        about = q.prompt.split("\n")[0]
    return f"Q{n}. Answer {right} (you said {given}) — {about}"


class _WrapDelegate(QStyledItemDelegate):
    """Sizes an item by its text wrapped at the width the list draws it at."""

    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        view = self._view
        opt = QStyleOptionViewItem(option)
        width = view.viewport().width() - 2 * view.spacing()  # as the list draws the item
        opt.rect = QRect(0, 0, max(1, width), 1 << 16)  # valid: the style wraps at its width
        return super().sizeHint(opt, index)


class MissedList(QListWidget):
    """The missed questions, wrapped, never cut: each item as tall as its wrapped text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Missed questions")
        self.setWordWrap(True)
        self.setSpacing(3)  # one missed question from the next
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrapped, never cut
        self.setItemDelegate(_WrapDelegate(self))
