"""The quiz panel's widgets and their look (behaviour: :mod:`gui.learn.quiz_panel`)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRegularExpression, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.quiz import TOPICS
from core.quiz_code import MAX_QUESTIONS, MIN_QUESTIONS
from gui import theme
from gui.learn.common import heading, scrolling_body
from gui.learn.explore_panel import text_on
from gui.learn.quiz_summary import MissedList
from gui.panel.combos import FormSpinBox
from gui.panel.labels import SourcesLabel

KIND_TITLES = {
    "mark_territory": "Mark the territory",
    "which_root": "Which root?",
    "which_area": "Which area?",
    "key_point": "Key sensory point",
    "myotome": "Myotomes and reflexes",
    "root_or_nerve": "Root or nerve?",
    "vignette": "Clinical vignette",
    "map_disagreement": "Where maps disagree",
}
TOPIC_TEXT = {
    "dermatomes": "Paint a root's dermatome, name the root of an area, or the area of a root.",
    "key_points": "Where the ISNCSCI key sensory points lie, both ways.",
    "myotomes": "Which root a weakness and a reflex point to.",
    "root_or_nerve": "A root or a nerve that mimics it? Read the localisers.",
    "vignettes": "Short cases: L4, L5, S1, nerve palsies, polyneuropathy, cauda equina.",
    "maps": "Which published map says what, where they disagree.",
}


class ChoiceRow(QWidget):
    """One answer option: a radio button and its text, wrapped (long answers fit the pane);
    a click on the text picks it too."""

    def __init__(self, i: int, choice: str, name: str) -> None:
        super().__init__()
        self.choice, self.name = choice, escape(name)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.radio = QRadioButton(f"{i + 1}.")
        self.radio.setProperty("choice", choice)
        self.radio.setAccessibleName(f"Answer {name}")
        self.text = QLabel(self.name)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.radio, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.text, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.radio.isEnabled():
            self.radio.setChecked(True)
            self.radio.setFocus()
        super().mousePressEvent(event)


class _CodeEdit(QLineEdit):
    """The seed box: wide enough for a whole quiz code where the pane has room, narrower (the
    text scrolls) where it has not, so the start row never outgrows the pane."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        room = self.fontMetrics().horizontalAdvance("99999-C30-444444") + 32  # frame, margins
        return QSize(room, hint.height())


def _rgba(c: QColor, alpha: int) -> str:
    return f"rgba({c.red()},{c.green()},{c.blue()},{alpha})"


class QuizLayout(QWidget):
    """The quiz panel's widgets: intro, start row, progress, question card, feedback, summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quiz_panel")
        self.setAccessibleName("Quiz")

        lay = scrolling_body(self)

        title = heading("Dermatome quiz")
        lay.addWidget(title)
        intro = QLabel(
            "Questions are drawn from the dermatome maps and the clinical engine. "
            "Your answers are practice only: the clinical session is set aside and comes back "
            "unchanged when you leave the quiz."
        )
        intro.setWordWrap(True)
        self.intro = QWidget()
        il = QVBoxLayout(self.intro)
        il.setContentsMargins(0, 0, 0, 0)
        il.addWidget(intro)
        lay.addWidget(self.intro)
        # the topics: before the first quiz, and again at the end ("Change topics")
        self.topics_box = QWidget()
        tl = QVBoxLayout(self.topics_box)
        tl.setContentsMargins(0, 0, 0, 0)
        pick = QLabel("Topics (click to include or leave out):")
        tl.addWidget(pick)
        self.topic_pills: dict[str, QPushButton] = {}
        grid = QGridLayout()  # pills in one column of one width, so the descriptions line up
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for i, (topic, topic_title) in enumerate(TOPICS.items()):
            pill = QPushButton(topic_title)
            pill.setObjectName("quiz_topic")
            pill.setCheckable(True)
            pill.setChecked(True)
            pill.setMinimumWidth(170)
            pill.setCursor(Qt.CursorShape.PointingHandCursor)
            pill.setAccessibleName(f"Include topic {topic_title}")
            pill.setToolTip("Click to include or leave out this topic")
            self.topic_pills[topic] = pill
            desc = QLabel(TOPIC_TEXT[topic])
            desc.setWordWrap(True)
            grid.addWidget(pill, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(desc, i, 1)
        tl.addLayout(grid)
        lay.addWidget(self.topics_box)

        # start row -----------------------------------------------------------------------
        row = QHBoxLayout()
        seed_lab = QLabel("&Seed:")
        self.seed_edit = _CodeEdit()
        self.seed_edit.setPlaceholderText("new each time")
        # a quiz code (4242-C10-214400) or a plain seed (4242); parsed by core.quiz_code
        self.seed_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9A-Za-z_\- ]{0,40}"))
        )
        self.seed_edit.setAccessibleName("Quiz code or seed")
        self.seed_edit.setToolTip(
            "Empty: a fresh quiz each start, with the topics you missed first.\n"
            "Type a quiz code (e.g. 4242-C10-444444, from a teacher) to get exactly that quiz:\n"
            "the code holds the map, the number of questions and the topics.\n"
            "A plain number asks the topics, number of questions and map chosen here."
        )
        seed_lab.setBuddy(self.seed_edit)
        count_lab = QLabel("&Questions:")
        self.count_spin = FormSpinBox()  # the wheel scrolls the panel past it
        self.count_spin.setRange(MIN_QUESTIONS, MAX_QUESTIONS)
        self.count_spin.setValue(10)
        self.count_spin.setAccessibleName("Number of questions")
        count_lab.setBuddy(self.count_spin)
        self.start_button = QPushButton("S&tart")
        self.start_button.setAccessibleName("Start the quiz")
        self.start_button.setProperty("primary", True)  # the accent (see _restyle)
        row.addWidget(seed_lab)
        row.addWidget(self.seed_edit)
        row.addWidget(count_lab)
        row.addWidget(self.count_spin)
        row.addStretch(1)
        row.addWidget(self.start_button)
        lay.addLayout(row)

        # progress ------------------------------------------------------------------------
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Progress")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setAccessibleName("Quiz progress")
        self.score_label = QLabel()
        self.score_label.setAccessibleName("Running score")
        self.seed_label = QLabel()
        self.seed_label.setObjectName("quiz_seed")
        self.seed_label.setAccessibleName("This quiz's code")
        self.seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.seed_label.setWordWrap(True)
        self.progress_button = QPushButton("My &progress…")
        self.progress_button.setAccessibleName("Show my progress by topic")
        prow = QHBoxLayout()
        prow.addWidget(self.progress_label)
        prow.addStretch(1)
        prow.addWidget(self.score_label)
        lay.addLayout(prow)
        lay.addWidget(self.progress)
        srow = QHBoxLayout()
        srow.addWidget(self.seed_label, 1)
        srow.addWidget(self.progress_button)
        lay.addLayout(srow)

        # question card -------------------------------------------------------------------
        self.card = QFrame()
        self.card.setObjectName("quiz_card")
        self.card.setAccessibleName("Question")
        cl = QVBoxLayout(self.card)
        cl.setContentsMargins(12, 10, 12, 12)
        cl.setSpacing(8)
        self.kind_label = QLabel()
        self.kind_label.setObjectName("quiz_kind")
        self.prompt_label = QLabel()
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setTextFormat(Qt.TextFormat.RichText)
        self.prompt_label.setAccessibleName("Question text")
        pf = self.prompt_label.font()
        pf.setPointSizeF(pf.pointSizeF() * 1.12)
        self.prompt_label.setFont(pf)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Hint")
        cl.addWidget(self.kind_label, 0, Qt.AlignmentFlag.AlignLeft)
        cl.addWidget(self.prompt_label)
        cl.addWidget(self.hint_label)
        self.choices_box = QWidget()
        self.choices_box.setAccessibleName("Answer choices")
        self.choices_layout = QVBoxLayout(self.choices_box)
        self.choices_layout.setContentsMargins(0, 0, 0, 0)
        self.choice_group = QButtonGroup(self)
        cl.addWidget(self.choices_box)
        brow = QHBoxLayout()
        self.clear_button = QPushButton("C&lear my marks")
        self.clear_button.setAccessibleName("Clear my marks")
        self.check_button = QPushButton("&Check")
        self.check_button.setAccessibleName("Check my answer")
        self.next_button = QPushButton("&Next ▸")
        self.next_button.setAccessibleName("Next question")
        brow.addWidget(self.clear_button)
        brow.addStretch(1)
        brow.addWidget(self.check_button)
        brow.addWidget(self.next_button)
        cl.addLayout(brow)
        lay.addWidget(self.card)

        # feedback ------------------------------------------------------------------------
        self.feedback = QFrame()
        self.feedback.setObjectName("quiz_feedback")
        self.feedback.setAccessibleName("Feedback")
        fl = QHBoxLayout(self.feedback)
        fl.setContentsMargins(10, 8, 10, 8)
        self.feedback_icon = QLabel()
        self.feedback_icon.setObjectName("quiz_feedback_icon")
        self.feedback_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.feedback_icon.setFixedSize(40, 40)
        fl.addWidget(self.feedback_icon, 0, Qt.AlignmentFlag.AlignTop)
        fcol = QVBoxLayout()
        self.feedback_title = QLabel()
        ff = self.feedback_title.font()
        ff.setBold(True)
        ff.setPointSizeF(ff.pointSizeF() * 1.15)
        self.feedback_title.setFont(ff)
        self.feedback_title.setWordWrap(True)
        self.feedback_text = QLabel()
        self.feedback_text.setWordWrap(True)
        self.feedback_text.setAccessibleName("Explanation")
        self.feedback_sources = SourcesLabel()
        fcol.addWidget(self.feedback_title)
        fcol.addWidget(self.feedback_text)
        fcol.addWidget(self.feedback_sources)
        fl.addLayout(fcol, 1)
        lay.addWidget(self.feedback)

        # summary -------------------------------------------------------------------------
        self.summary = QFrame()
        self.summary.setObjectName("quiz_summary")
        self.summary.setAccessibleName("Quiz results")
        sl = QVBoxLayout(self.summary)
        self.summary_title = QLabel()
        sf = self.summary_title.font()
        sf.setBold(True)
        sf.setPointSizeF(sf.pointSizeF() * 1.3)
        self.summary_title.setFont(sf)
        self.summary_title.setWordWrap(True)
        self.summary_text = QLabel()
        self.summary_text.setWordWrap(True)
        self.missed_list = MissedList()  # each item as tall as its wrapped text
        self.missed_sources = SourcesLabel()
        again = QHBoxLayout()
        self.retry_button = QPushButton("Try the same quiz &again")
        self.retry_button.setToolTip("Same seed, same questions")
        self.retry_button.setAccessibleName("Try the same quiz again")
        self.new_button = QPushButton("Ne&w quiz")
        self.new_button.setAccessibleName("Start a new quiz with a fresh seed")
        self.topics_button = QPushButton("Change t&opics")
        self.topics_button.setToolTip("Choose the topics of the next new quiz")
        self.topics_button.setAccessibleName("Change the topics of the next quiz")
        again.addWidget(self.retry_button)
        again.addWidget(self.new_button)
        sl.addWidget(self.summary_title)
        sl.addWidget(self.summary_text)
        sl.addWidget(self.missed_list, 1)  # the room the panel has: it was a short box
        sl.addWidget(self.missed_sources)
        sl.addLayout(again)
        sl.addWidget(self.topics_button, 0, Qt.AlignmentFlag.AlignLeft)  # (a third fits no row)
        # the summary takes the panel's free height when shown; otherwise the stretch below
        # keeps the question card at the top
        lay.addWidget(self.summary, 1)
        lay.addStretch(0)

    def _restyle(self) -> None:
        c = theme.colors()
        badge = (
            f"QLabel#quiz_kind {{ background: {c.focus.name()}; color: {text_on(c.focus)};"
            " border-radius: 9px; padding: 2px 10px; font-weight: 600; }"
        )
        self.card.setStyleSheet(
            "QFrame#quiz_card { border: 1px solid palette(mid); border-radius: 8px;"
            " background: palette(base); }" + badge
        )
        pill = (
            f"QPushButton#quiz_topic {{ border: 2px solid {c.focus.name()}; border-radius: 11px;"
            " padding: 3px 10px; font-weight: 600; background: palette(base);"
            " color: palette(text); text-align: left; }"
            f"QPushButton#quiz_topic:checked {{ background: {c.focus.name()};"
            f" color: {text_on(c.focus)}; }}"
            "QPushButton#quiz_topic:focus { border-style: dashed; }"
        )
        self.topics_box.setStyleSheet(pill)
        # the accent only while it starts a quiz (property "primary"): mid-quiz, Restart (which
        # discards the quiz under way) stood out above Check and Next
        self.start_button.setStyleSheet(
            f'QPushButton[primary="true"] {{ background: {c.focus.name()};'
            f" color: {text_on(c.focus)}; border-radius: 6px; padding: 5px 16px;"
            " font-weight: 600; }"
            'QPushButton[primary="true"]:focus { border: 2px dashed palette(text); }'
        )
        self.summary.setStyleSheet(
            "QFrame#quiz_summary { border: 1px solid palette(mid); border-radius: 8px;"
            " background: palette(base); }"
        )

    def _style_feedback(self, correct: bool, partial: bool) -> None:
        c = theme.colors()
        if correct:
            fg, glyph = c.ok, "✔"
        elif partial:
            fg, glyph = c.caution_fg, "≈"
        else:
            fg, glyph = c.urgent_fg, "✘"
        bg = _rgba(fg, 34)
        self.feedback.setStyleSheet(
            f"QFrame#quiz_feedback {{ border: 2px solid {fg.name()}; border-radius: 8px;"
            f" background: {bg}; }}"
            f"QLabel#quiz_feedback_icon {{ background: {fg.name()}; color: {text_on(fg)};"
            " border-radius: 20px; font-size: 20px; font-weight: 700; }"
        )
        self.feedback_icon.setText(glyph)
        self.feedback_title.setStyleSheet(f"color: {fg.name()};")
