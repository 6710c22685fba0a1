"""Quiz mode: seeded questions generated from the atlases, the nerve data and the engine, scored
on the spot.

While a question is open nothing gives its answer away: the overlays are locked
(:meth:`UiState.set_overlays_locked`), the status bar shows no analysis and the diagram shows
only the question's own case. After the answer: the territory shaded (for questions about
skin; a muscle or reflex answer shades nothing, :attr:`Question.about_skin`), why, and the
sources.
Each start draws a fresh seed, and the quiz shows its code (:mod:`core.quiz_code`: the seed, the
map, the number of questions and the topics with their weighting), which typed in the seed box
gives the same quiz on any computer. Every answer is kept on this computer (:mod:`core.progress`)
and missed topics come back sooner in the student's own fresh quizzes.

"Mark the territory" questions are answered on the diagram with the normal click/brush tools.
The answers live in the UI state's *scratch* session (:meth:`UiState.start_learning`),
so the clinical session, its undo history and its modified state come back exactly when the
quiz mode is left (:meth:`UiState.stop_learning`).

The keys, and where the focus goes (back in quiz mode too): :mod:`gui.learn.quiz_keys`. A quiz
under way is given up for a new one only when the student says so (:mod:`gui.learn.quiz_confirm`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QRadioButton, QWidget

from core import clinical, names, progress, quiz_code
from core.model import Session, Side
from core.quiz import Feedback, Question, score_choice, score_marking
from core.quiz_code import QuizCode
from core.quiz_generation import QuizSession
from gui import theme
from gui.learn.explore_panel import target_color
from gui.learn.progress_view import ProgressDialog, damaged_notice, load_answers, progress_path
from gui.learn.quiz_confirm import confirm_new_quiz
from gui.learn.quiz_keys import SHOWN as _SHOWN
from gui.learn.quiz_keys import QuizKeys, scroll_into_view
from gui.learn.quiz_layout import KIND_TITLES, ChoiceRow, QuizLayout
from gui.learn.quiz_summary import missed_text, points_text, summary_text, summary_title
from gui.session_model import SessionModel
from gui.state import Mode, UiState

ZoneKey = tuple[str, Side]


def _answer_color(q: Question) -> str:
    """A root's or nerve's own colour for its territory; the highlight colour otherwise."""
    if q.reveal or names.is_condition(q.target) or names.is_act(q.target):
        return theme.diagram_colors().highlight.name()
    return target_color(q.target).name()


def _answered_hint(q: Question, fb: Feedback) -> str:
    """The line under the question once it is answered: what the diagram now shows. A muscle
    or reflex answer shades nothing (the diagram is skin), and the hint says so plainly."""
    if q.session is not None:
        if fb.answer_zones:  # the case's marks and the answer's territory share the diagram
            return (
                "The findings decide this one: see why below. On the diagram, the case's marks "
                "keep their symptom's pattern and the answer's territory is shaded. Overlays "
                "are unlocked."
            )
        return "The findings decide this one: see why below. Overlays are unlocked."
    if not q.about_skin:
        right = q.label(q.target)
        return (
            f"The answer is {right}. This asks about a muscle or a reflex (a myotome), which "
            "the diagram of the skin (the dermatomes) does not show. Overlays are unlocked."
        )
    if fb.answer_zones:
        return (
            "The answer is shaded on the diagram. Overlays are unlocked: switch on "
            "dermatomes or key points to compare."
        )
    return "Overlays are unlocked: switch on dermatomes or key points to compare."


MARK_FIRST = "Mark some zones on the diagram first, then Check."
"""The hint after Check with nothing marked (cleared by the first mark)."""


class QuizPanel(QuizLayout):
    """Quiz side panel for :attr:`Mode.QUIZ`."""

    accepts_marks_changed = Signal()  # a marking question opened or was answered

    def __init__(self, model: SessionModel, state: UiState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._state = state
        self._quiz: QuizSession | None = None
        self._atlas = "consensus"
        self._saved_scratch: Session | None = None  # scratch answer kept while away
        # the scratch session takes marks only while a marking question is open (issue 18)
        self.accepts_marks_changed.connect(self._sync_marking)
        # asked before a new quiz replaces one under way (replaceable: tests)
        self.confirm_new_quiz: Callable[[QWidget, int, int], bool] = confirm_new_quiz
        self._choosing_topics = False  # "Change topics" pressed on the summary
        self._own: tuple[dict[ZoneKey, float], str] | None = None
        self._choice_buttons: list[QRadioButton] = []
        self._choice_rows: list[ChoiceRow] = []
        self._code: QuizCode | None = None
        self._started = ""
        self.start_button.clicked.connect(lambda _checked=False: self.start())
        self.progress_button.clicked.connect(self.show_progress)
        for pill in self.topic_pills.values():
            pill.toggled.connect(self._topics_changed)
        self.clear_button.clicked.connect(self._clear_marks)
        self.check_button.clicked.connect(self.check)
        self.next_button.clicked.connect(self.next_question)
        self.missed_list.currentRowChanged.connect(self._missed_selected)
        self.retry_button.clicked.connect(self._retry)
        self.new_button.clicked.connect(lambda _checked=False: self._new_quiz())
        self.topics_button.clicked.connect(self._choose_topics)
        self._keys = QuizKeys(self)  # Enter checks / moves on, 1-4 pick a choice

        state.mode_changed.connect(self._on_mode)
        state.learning_changed.connect(self._watch_scratch)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)  # (it may name a file)
        self._restyle()
        self._render()
        self._ready = True

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if getattr(self, "_ready", False) and event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        ):
            self._restyle()
            self._render()

    # public -----------------------------------------------------------------------------
    @property
    def quiz(self) -> QuizSession | None:
        return self._quiz

    @property
    def accepts_marks(self) -> bool:
        """True while an unanswered "mark the territory" question is open: only then may the
        student draw (a choice question's case stays as drawn)."""
        quiz = self._quiz
        q = quiz.current if quiz else None
        return bool(q and q.kind == "mark_territory" and quiz and quiz.current_feedback is None)

    @property
    def seed(self) -> int:
        """The seed of the quiz on screen (0 before the first)."""
        return self._code.seed if self._code else 0

    @property
    def code(self) -> QuizCode | None:
        """The code of the quiz on screen (shown: it names this quiz on any computer)."""
        return self._code

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics whose pills are on."""
        return tuple(t for t, pill in self.topic_pills.items() if pill.isChecked())

    @property
    def in_progress(self) -> bool:
        """A quiz with at least one answer, not finished: a new one asks first."""
        quiz = self._quiz
        return bool(quiz is not None and quiz.answered and not quiz.finished)

    def start(self, seed: int | str | None = None) -> None:
        """Start a quiz: ``seed`` (a code or a plain seed), else the one typed in the seed box (a
        teacher's: the same quiz for everyone), else a fresh random seed, weighted towards the
        topics this student missed (spaced repetition; the code shown says so). A quiz under
        way (:attr:`in_progress`) is given up only if :attr:`confirm_new_quiz` says so."""
        quiz = self._quiz  # a quiz under way was thrown away by one key (Enter in the Seed box)
        if (
            self.in_progress
            and quiz is not None
            and not self.confirm_new_quiz(self, quiz.answered, len(quiz.questions))
        ):
            return
        # the student's map (a code typed below names its own); a finished quiz's map, a
        # teacher's code's among them, is not the next quiz's
        atlas = self._state.map_of(self._model)
        self._atlas = atlas if atlas in clinical.atlases() else "consensus"
        topics, n = self.topics, self.count_spin.value()
        typed = str(seed) if seed is not None else self.seed_edit.text()
        notice = ""  # what happened to a damaged answers file
        if typed.strip():
            try:
                code = quiz_code.parse(typed, n, self._atlas, topics)
            except ValueError as e:
                self.seed_label.setText(str(e))
                self.seed_label.setToolTip("")
                self.seed_label.setAccessibleDescription("")
                self.seed_label.setVisible(True)
                return
        elif not topics:
            self.hint_label.setText("Choose at least one topic.")
            return
        else:
            answers, notice = load_answers()
            fresh = random.SystemRandom().randrange(100_000)
            code = QuizCode.fresh(fresh, n, self._atlas, topics, answers)
        self._begin(code)
        if notice:
            self.hint_label.setText(f"{notice}\n\n{self.hint_label.text()}".strip())

    def _begin(self, code: QuizCode) -> None:
        """Ask the quiz ``code`` names; the topic pills, the count and the map follow it."""
        if self._state.mode is not Mode.QUIZ:
            self._state.set_mode(Mode.QUIZ)
        for topic, pill in self.topic_pills.items():
            pill.setChecked(topic in code.topics)
        self.count_spin.setValue(code.n)
        self._atlas = code.atlas
        self._code = code
        self._choosing_topics = False
        self._started = progress.now()
        self._quiz = code.start()
        self._saved_scratch = None
        self._show_question()

    def show_progress(self) -> ProgressDialog:
        """Open the results view (score over time by topic)."""
        answers, notice = load_answers()
        dlg = ProgressDialog(answers, self, notice)
        dlg.show()
        return dlg

    def _topics_changed(self) -> None:
        self.start_button.setEnabled(bool(self.topics))
        self.new_button.setEnabled(bool(self.topics))

    def _choose_topics(self) -> None:
        """The summary's "Change topics": the topic pills come back for the next new quiz."""
        self._choosing_topics = True
        self._render()
        first = next(iter(self.topic_pills.values()))
        first.setFocus(_SHOWN)
        scroll_into_view(self, self.topics_box)

    def _retry(self) -> None:
        if self._code is not None:
            self._begin(self._code)

    def _keep(self, q: Question, fb: Feedback) -> None:
        """Add the answer to the student's file (a failure to write never stops the quiz)."""
        answer = progress.Answer(
            progress.now(), q.topic, q.kind, fb.correct, fb.score, self.seed, self._started
        )
        path = progress_path()
        _answers, damaged = progress.recover(path)  # a damaged file is set aside, and said
        try:
            progress.append(path, [answer])
        except (OSError, ValueError) as e:
            reason = getattr(e, "strerror", None) or str(e)
            said = damaged_notice(path, damaged) + " " if damaged is not None else ""
            self.hint_label.setText(
                f"{said}Your answer could not be kept on this computer ({reason})."
            )
            return
        if damaged is not None:
            self.hint_label.setText(damaged_notice(path, damaged))

    def check(self) -> Feedback | None:
        """Score the current answer (marks on the diagram, or the chosen option)."""
        quiz = self._quiz
        q = quiz.current if quiz else None
        if quiz is None or q is None or quiz.current_feedback is not None:
            return None
        if q.kind == "mark_territory":
            marks: dict[tuple[str, Side], float] = {}
            scratch = self._state.learning
            answer = scratch.session.marks if scratch is not None else ()
            for m in answer:  # several symptoms on a zone: its largest share
                marks[m.key] = max(marks.get(m.key, 0.0), m.coverage)
            if not marks:
                self.hint_label.setText(MARK_FIRST)
                return None
            fb = score_marking(q, marks)
        else:
            chosen = self.choice_group.checkedButton()
            if chosen is None:
                self.hint_label.setText("Pick an answer first (keys 1–4 work too).")
                return None
            fb = score_choice(q, str(chosen.property("choice")))
        self._quiz = quiz.record(fb)
        self.accepts_marks_changed.emit()
        self._render()
        self._keep(q, fb)
        self.next_button.setFocus(_SHOWN)
        scroll_into_view(self, self.next_button, self.feedback)  # below the fold in a small window
        return fb

    def answer(self, choice: str) -> Feedback | None:
        """Choose ``choice`` and check it (keyboard/test helper)."""
        for b in self._choice_buttons:
            if b.property("choice") == choice:
                b.setChecked(True)
        return self.check()

    def next_question(self) -> None:
        if self._quiz is None or self._quiz.current_feedback is None:
            return
        self._quiz = self._quiz.advance()
        self._show_question()

    # mode / scratch ------------------------------------------------------------------------
    def sync_mode(self) -> None:
        """Catch up with the current mode (for a panel created after the mode changed)."""
        self._on_mode(self._state.mode.value)

    def _watch_scratch(self) -> None:
        """A new scratch session: its first marks end the hint to mark some (it stayed)."""
        if self._state.learning is not None:
            self._state.learning.marks_changed.connect(self._marked)

    def _marked(self) -> None:
        if self.hint_label.text() == MARK_FIRST:
            self.hint_label.setText("")

    def _sync_marking(self) -> None:
        marking = self.accepts_marks
        self._state.set_learning_editable(marking)
        self._keys.sync(marking and self._state.mode is Mode.QUIZ)

    def _on_mode(self, mode: str) -> None:
        if Mode(mode) is Mode.QUIZ:
            if self._quiz is not None and not self._quiz.finished:
                q = self._quiz.current
                assert q is not None
                self._state.start_learning(self._saved_scratch or self._scratch_for(q))
                self._saved_scratch = None
                self._render()
            if self.isVisible():  # back from another mode: the keys act on the question again
                self.focus_question()
        else:
            if self._state.learning is not None:
                self._saved_scratch = self._state.stop_learning()
            self._clear_own_highlight()
        self._lock_overlays()
        self._sync_marking()

    def _lock_overlays(self) -> None:
        """Overlays name roots, nerves and key points: locked while a question is open."""
        quiz = self._quiz
        open_question = bool(
            quiz is not None and not quiz.finished and quiz.current_feedback is None
        )
        self._state.set_overlays_locked(self._state.mode is Mode.QUIZ and open_question)

    def _scratch_for(self, q: Question) -> Session:
        if q.session is not None:
            return q.session
        return Session(atlas=q.atlas)

    def _show_question(self) -> None:
        quiz = self._quiz
        q = quiz.current if quiz else None
        if self._state.mode is Mode.QUIZ:
            if q is not None:
                self._state.start_learning(self._scratch_for(q))
            elif self._state.learning is not None:  # the summary: no question, no scratch
                self._state.stop_learning()  # (the map box is free again for the next quiz)
        self.accepts_marks_changed.emit()
        self._build_choices(q)
        self._render()
        if q is not None:
            self.focus_question()

    def attach_diagram(self, view: QWidget) -> None:
        """Enter on ``view`` (the window's diagram) checks an open marking question."""
        self._keys.attach_diagram(view)

    def focus_question(self) -> None:
        """Put the focus on the open question: the chosen (else the first) answer, Check for a
        marking question, Next once answered; "Try the same quiz again" at the end."""
        quiz = self._quiz
        q = quiz.current if quiz else None
        if quiz is None:
            return
        if quiz.finished or q is None:
            self.retry_button.setFocus(_SHOWN)
        elif quiz.current_feedback is not None:
            self.next_button.setFocus(_SHOWN)
        elif q.kind != "mark_territory" and self._choice_buttons:
            chosen = self.choice_group.checkedButton()
            (chosen or self._choice_buttons[0]).setFocus(_SHOWN)
        else:
            self.check_button.setFocus(_SHOWN)

    def _clear_marks(self) -> None:
        if self._state.learning is not None:
            self._state.learning.clear_marks()

    def _new_quiz(self) -> None:
        self.seed_edit.clear()
        self.start()

    def pick(self, i: int) -> None:
        """Choose answer ``i`` (the keys 1-4)."""
        if 0 <= i < len(self._choice_buttons) and self._choice_buttons[i].isEnabled():
            self._choice_buttons[i].setChecked(True)
            self._choice_buttons[i].setFocus(_SHOWN)

    # rendering ---------------------------------------------------------------------------
    def _build_choices(self, q: Question | None) -> None:
        for row in self._choice_rows:
            self.choice_group.removeButton(row.radio)
            self.choices_layout.removeWidget(row)
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self._choice_rows = []
        self._choice_buttons = []
        if q is None or not q.choices:
            return
        for i, c in enumerate(q.choices):
            row = ChoiceRow(i, c, q.label(c))
            self.choice_group.addButton(row.radio, i)
            self.choices_layout.addWidget(row)
            self._choice_rows.append(row)
            self._choice_buttons.append(row.radio)

    def choice_texts(self) -> list[str]:
        """The answer options as shown (after checking: with right / your answer)."""
        return [row.text.text() for row in self._choice_rows]

    def _mark_choices(self, q: Question, fb: Feedback) -> None:
        """After checking: tick the right option, cross a wrong pick (text, not colour only)."""
        for row in self._choice_rows:
            if row.choice == q.target:
                row.text.setText(f"{row.name}   <b>✔ right answer</b>")
            elif row.choice == fb.answer:
                row.text.setText(f"{row.name}   <b>✘ your answer</b>")

    def _render(self) -> None:
        quiz = self._quiz
        started = quiz is not None
        q = quiz.current if quiz else None
        fb = quiz.current_feedback if quiz else None
        finished = bool(quiz and quiz.finished)
        self._lock_overlays()
        self.card.setVisible(started and not finished)
        self.progress.setVisible(started)
        self.progress_label.setVisible(started)
        self.score_label.setVisible(started)
        self.seed_label.setVisible(started)
        self.summary.setVisible(finished)
        self.feedback.setVisible(fb is not None)
        self.intro.setVisible(not started)
        self.topics_box.setVisible(not started or (finished and self._choosing_topics))
        self.topics_button.setVisible(not self._choosing_topics)
        primary = not started or finished
        if self.start_button.property("primary") != primary:
            self.start_button.setProperty("primary", primary)
            self.start_button.style().unpolish(self.start_button)
            self.start_button.style().polish(self.start_button)
        if quiz is None:
            self.start_button.setText("S&tart")
            self._set_highlight({}, "")
            return
        self.start_button.setText("Res&tart")
        self.seed_label.setText(self._code_words()[0])
        self.seed_label.setToolTip(self._code_words()[1])
        self.seed_label.setAccessibleDescription(self._code_words()[1])
        total = len(quiz.questions)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(quiz.answered)
        shown = min(quiz.index + 1, total)
        self.progress_label.setText(f"Question <b>{shown}</b> of {total}")
        pts = quiz.points
        self.score_label.setText(
            f"Score <b>{points_text(pts)}</b> / {quiz.answered}  ({quiz.percent:.0f}%)"
            if quiz.answered
            else "Score —"
        )
        self.score_label.setAccessibleDescription(
            f"{points_text(pts)} points from {quiz.answered} answered questions"
        )
        if finished:
            self._render_summary(quiz)
            return
        assert q is not None
        self.kind_label.setText(KIND_TITLES.get(q.kind, q.kind))
        prompt = escape(q.prompt).replace("\n", "<br>")
        if q.session is not None:
            head, _, rest = prompt.partition("<br>")
            prompt = f"<b>{head}</b><br><span style='font-size:small'>{rest}</span>"
        self.prompt_label.setText(prompt)
        is_mark = q.kind == "mark_territory"
        self.clear_button.setVisible(is_mark and fb is None)
        self.check_button.setVisible(fb is None)
        self.check_button.setEnabled(fb is None)
        self.next_button.setVisible(fb is not None)
        self.next_button.setText("&Next ▸" if quiz.index + 1 < total else "See &results ▸")
        for b in self._choice_buttons:
            b.setEnabled(fb is None)
        if fb is None:
            self.hint_label.setText(
                "Mark zones on the diagram with the Click or Brush tool, then press Check."
                if is_mark
                else (
                    f"The case is drawn on the diagram. Pick one answer (1–{len(q.choices)}), "
                    "then Check."
                    if q.session is not None
                    else f"The area is highlighted on the diagram. Pick one answer "
                    f"(1–{len(q.choices)}), then Check."
                    if q.kind == "which_root"
                    else f"Pick one answer (1–{len(q.choices)}), then Check. Overlays are locked "
                    "until you answer."
                )
            )
            if q.kind == "which_root":
                self._set_highlight(
                    dict.fromkeys(q.zones, 1.0), theme.diagram_colors().highlight.name()
                )
            else:
                self._set_highlight({}, "")
        else:
            self.hint_label.setText(_answered_hint(q, fb))
            partial = not fb.correct and fb.score >= 0.4
            self._style_feedback(fb.correct, partial)
            if q.kind == "mark_territory":
                title = f"{round(fb.score * 100)}% — " + (
                    "well done!" if fb.correct else ("close" if partial else "not quite")
                )
            else:
                right = q.label(q.target)
                title = "Correct!" if fb.correct else f"Not quite — the answer is {right}"
                self._mark_choices(q, fb)
            self.feedback_title.setText(title)
            reason = fb.reason
            self.feedback_text.setText(reason)
            self.feedback_sources.set_sources(fb.sources)
            self.feedback.setAccessibleDescription(f"{title}. {reason}")
            self._set_highlight(dict(fb.answer_zones), _answer_color(q))

    def _code_words(self) -> tuple[str, str]:
        """The line that gives the quiz's code, and (its tooltip) what it holds in plain words:
        the whole of it took four lines above every question (a student's review)."""
        code = self._code
        assert code is not None
        how = "the topics and how often each comes up" if code.weighted else "the topics"
        atlas = clinical.atlases()[code.atlas].short_name
        return (
            f"Quiz code <b>{code.text}</b> ({atlas}): in the Seed box it gives anyone this quiz.",
            f"It holds the map ({atlas}), the {code.n} questions and {how}; nothing else has "
            "to match.",
        )

    def _render_summary(self, quiz: QuizSession) -> None:
        self.summary_title.setText(summary_title(quiz))
        self.summary_text.setText(summary_text(quiz))
        missed = quiz.missed
        self.missed_list.clear()
        for q, fb in missed:
            n = quiz.questions.index(q) + 1
            it = QListWidgetItem(missed_text(n, q, fb))
            it.setToolTip(fb.reason)
            it.setData(Qt.ItemDataRole.UserRole, n - 1)
            self.missed_list.addItem(it)
        self.missed_list.setVisible(bool(missed))
        self.missed_sources.set_sources(())
        self._set_highlight({}, "")
        self.retry_button.setFocus(_SHOWN)

    def _missed_selected(self, row: int) -> None:
        quiz = self._quiz
        item = self.missed_list.item(row) if row >= 0 else None
        if quiz is None or item is None:
            return
        idx = int(item.data(Qt.ItemDataRole.UserRole))
        q, fb = quiz.questions[idx], quiz.results[idx]
        if fb is None:
            return
        self.missed_sources.set_sources(fb.sources)
        self._set_highlight(dict(fb.answer_zones), _answer_color(q))

    # highlight ---------------------------------------------------------------------------
    def _set_highlight(self, zones: dict[ZoneKey, float], color: str) -> None:
        if self._state.mode is not Mode.QUIZ:
            return
        if not zones:
            self._clear_own_highlight()
            return
        self._own = (zones, color)
        self._state.set_highlight(zones, color)

    def _clear_own_highlight(self) -> None:
        own = self._own
        self._own = None
        if own is not None and (self._state.highlight, self._state.highlight_color) == own:
            self._state.set_highlight(None)
