"""Visit details: patient identifier, date of birth, sex, date of visit, examiner and free notes
(all optional).

The details go into the session through :meth:`SessionModel.set_visit` (one undo step) and are
stored on this computer only (the session file, exported reports, and the recovery copy of
unsaved work, :mod:`gui.recovery`); Dermamap makes no network connection.

The form takes only what the session file's reader takes back
(:func:`core.session_read.visit_text_problem`): each line holds at most
:data:`LINE_LIMITS` characters and the notes at most :data:`core.session_format.MAX_TEXT`, with a
counter under them; typing stops at the limit and a paste is cut there, saying so. Control
characters (a NUL, escape sequences: invisible, and a NUL makes the file unreadable) are
removed as they come in, saying so; the notes keep their line breaks and tabs. Anything over
the limits that reaches the form otherwise is never cut: OK says what to shorten.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent, QKeySequence, QTextCursor, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.model import Visit
from core.session_format import MAX_TEXT
from core.session_read import visit_text_problem
from core.visit_dates import age_at_visit, age_years, birth_date_problem, visit_date_problem
from gui import theme
from gui.panel.labels import MutedLabel
from gui.session_model import SessionModel

SEX_CHOICES = (("", "Not entered"), ("female", "Female"), ("male", "Male"), ("other", "Other"))
"""Values of :attr:`core.model.Visit.sex` the form offers (docs/interface.md §2)."""

PRIVACY_NOTE = (
    "These details are optional. They are stored on this computer only: in the session file, "
    "in the reports you export, and until you save (or close) in the owner-only recovery "
    "copy that brings unsaved work back after a crash. Dermamap never sends anything over the "
    "network."
)


LINE_LIMITS = {
    "patient_id": min(200, MAX_TEXT),
    "date": min(40, MAX_TEXT),
    "date_of_birth": min(40, MAX_TEXT),
    "examiner": min(200, MAX_TEXT),
}
"""The most characters each one-line field takes (the file's reader takes :data:`MAX_TEXT`)."""
NOTES_LIMIT = MAX_TEXT
"""The most characters the notes take: what the session file's reader takes back."""

FIELD_NAMES = {
    "patient_id": "The patient identifier",
    "date": "The date of visit",
    "date_of_birth": "The date of birth",
    "examiner": "The examiner",
    "notes": "The notes",
    "sex": "The sex",
}

# control characters (C0 but tab and line breaks, DEL, C1) and lone surrogates: never text
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
_LINE_SPACE = re.compile("\r\n|[\t\n\r\x0b\x0c\u2028\u2029]")


def clean_line(text: str) -> tuple[str, int]:
    """``text`` for a one-line field: tabs and line breaks become spaces, other control
    characters are removed; and how many were removed."""
    spaced = _LINE_SPACE.sub(" ", text)
    clean = _CONTROL.sub("", spaced)
    return clean, len(spaced) - len(clean)


def clean_notes(text: str) -> tuple[str, int]:
    """``text`` for the notes: line breaks of any kind become newlines, tabs stay, other
    control characters are removed; and how many were removed."""
    broken = _BREAKS.sub("\n", text)
    clean = _CONTROL.sub("", broken)
    return clean, len(broken) - len(clean)


def _removed(n: int) -> str:
    what = "a control character" if n == 1 else f"{n:,} control characters"
    return f"Removed {what} (invisible, such as NUL or escape codes) from the text that came in."


def _utf16(text: str) -> int:
    """The length of ``text`` in Qt's units (UTF-16), for document positions."""
    return len(text.encode("utf-16-le")) // 2


class _LineCleaner(QValidator):
    """Removes control characters from a one-line field as they come in (typed, pasted or
    set): a validator may change the text, and the line edit takes the change."""

    removed = Signal(int)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        clean, n = clean_line(text)
        if n:
            pos = len(clean_line(text[:pos])[0])
            self.removed.emit(n)
        return QValidator.State.Acceptable, clean, pos


class NotesEdit(QPlainTextEdit):
    """The notes: at most :data:`NOTES_LIMIT` characters as typed or pasted (a paste is cut at
    the limit), control characters removed as they come in (line breaks and tabs kept).
    ``limited`` says why text did not go in; ``removed`` how many control characters went."""

    limited = Signal(str)
    removed = Signal(int)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.limit = NOTES_LIMIT
        self._scrubbing = False
        self.textChanged.connect(self.scrub)

    def room(self) -> int:
        """How many characters more fit where the cursor is (its selection replaced)."""
        selected = len(self.textCursor().selectedText())
        return self.limit - (len(self.toPlainText()) - selected)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if not source.hasText():
            super().insertFromMimeData(source)
            return
        text, n = clean_notes(source.text())
        room = max(0, self.room())
        if len(text) > room:
            # one message says both: a second replaced the first, and a paste with control
            # characters was cut at the limit without a word (a review)
            removed = f" {_removed(n)}" if n else ""
            self.limited.emit(
                f"The notes hold at most {self.limit:,} characters: only {room:,} of the "
                f"{len(text):,} characters pasted went in; the rest was not added.{removed}"
            )
            text = text[:room]
        elif n:
            self.removed.emit(n)
        if text:
            self.textCursor().insertText(text)
            self.ensureCursorVisible()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        typed = e.text()
        inserts = bool(typed) and (
            typed.isprintable() or e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        )
        control = e.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        )
        paste = e.matches(QKeySequence.StandardKey.Paste)
        if inserts and not control and not paste and self.room() < len(typed):
            self.limited.emit(f"The notes hold at most {self.limit:,} characters.")
            e.accept()
            return
        super().keyPressEvent(e)

    def inputMethodEvent(self, e: QInputMethodEvent) -> None:
        commit = e.commitString()
        room = max(0, self.room())
        if len(commit) > room:
            e.setCommitString(commit[:room])
            self.limited.emit(f"The notes hold at most {self.limit:,} characters.")
        super().inputMethodEvent(e)

    def scrub(self) -> None:
        """Remove control characters that came in another way (set by the program, or in the
        text the form opened with), each in place, so the cursor and the undo history stay."""
        if self._scrubbing:
            return
        text = self.toPlainText()
        found = [m.span() for m in _CONTROL.finditer(text)]
        if not found:
            return
        self._scrubbing = True
        try:
            cursor = QTextCursor(self.document())
            cursor.beginEditBlock()
            for start, end in reversed(found):
                cursor.setPosition(_utf16(text[:start]))
                cursor.setPosition(_utf16(text[:end]), QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
            cursor.endEditBlock()
        finally:
            self._scrubbing = False
        self.removed.emit(len(found))


class VisitDialog(QDialog):
    """A small form editing the session's :class:`core.model.Visit`.

    OK applies the edits as one undo step (nothing happens when nothing changed); Cancel keeps
    the session as it was.
    """

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setWindowTitle("Visit Details")
        self.setAccessibleName("Visit details")
        visit = model.session.visit

        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.patient_edit = QLineEdit(visit.patient_id)
        self.patient_edit.setPlaceholderText("e.g. hospital number or initials")
        self.patient_edit.setAccessibleName("Patient identifier")
        form.addRow("&Patient identifier:", self.patient_edit)

        self.date_edit = QLineEdit(visit.date)
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.date_edit.setAccessibleName("Date of visit")
        today = QPushButton("&Today")
        today.setAccessibleName("Set the date of visit to today")
        today.clicked.connect(lambda: self.date_edit.setText(date.today().isoformat()))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date_edit, 1)
        row.addWidget(today)
        holder = QWidget()
        holder.setLayout(row)
        date_label = QLabel("&Date of visit:")
        date_label.setBuddy(self.date_edit)
        form.addRow(date_label, holder)

        self.dob_edit = QLineEdit(visit.date_of_birth)
        self.dob_edit.setPlaceholderText("YYYY-MM-DD, or the age")
        self.dob_edit.setAccessibleName("Date of birth")
        form.addRow("Date of &birth:", self.dob_edit)
        # the age the analysis reads from it (when the history gives none), as it is typed; its
        # line is there from the start, empty, so no field below moves as it comes and goes
        # (Sex and Examiner went down a line under the pointer while the date was typed)
        self.age_note = MutedLabel()
        self.age_note.setObjectName("age_at_visit")
        policy = self.age_note.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # (a form layout drops the row of a hidden field)
        self.age_note.setSizePolicy(policy)
        self.age_note.setMinimumHeight(self.age_note.fontMetrics().height())
        line = QVBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.age_note)
        note_line = QWidget()
        note_line.setLayout(line)
        form.addRow("", note_line)
        for edit in (self.date_edit, self.dob_edit):
            edit.textChanged.connect(self._show_age)
        self._show_age()

        self.sex_combo = QComboBox()
        self.sex_combo.setAccessibleName("Sex")
        for value, text in SEX_CHOICES:
            self.sex_combo.addItem(text, value)
        if visit.sex and self.sex_combo.findData(visit.sex) < 0:
            self.sex_combo.addItem(visit.sex, visit.sex)  # a value typed elsewhere is kept
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(visit.sex)))
        form.addRow("&Sex:", self.sex_combo)

        self.examiner_edit = QLineEdit(visit.examiner)
        self.examiner_edit.setAccessibleName("Examiner")
        form.addRow("&Examiner:", self.examiner_edit)

        self.notes_edit = NotesEdit(visit.notes)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Free notes (history, context, plan)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(110)
        form.addRow("&Notes:", self.notes_edit)
        # how much of the notes' room is used, always in view (in the urgent colour at the limit)
        self.notes_count = MutedLabel()
        self.notes_count.setObjectName("notes_count")
        self.notes_count.setAccessibleName("Characters in the notes")
        self.notes_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow("", self.notes_count)
        lay.addLayout(form)

        # why text did not go in as it came (a limit, control characters removed)
        self.input_note = QLabel()
        self.input_note.setObjectName("input_note")
        self.input_note.setWordWrap(True)
        self.input_note.setTextFormat(Qt.TextFormat.PlainText)
        self.input_note.setAccessibleName("Note about the text entered")
        self.input_note.hide()
        lay.addWidget(self.input_note)
        self.fields: dict[str, QLineEdit] = {
            "patient_id": self.patient_edit,
            "date": self.date_edit,
            "date_of_birth": self.dob_edit,
            "examiner": self.examiner_edit,
        }
        for name, edit in self.fields.items():
            self._limit_line(name, edit)
        self.notes_edit.limited.connect(self._tell)
        self.notes_edit.removed.connect(lambda n: self._tell(_removed(n)))
        self.notes_edit.textChanged.connect(self._count_notes)
        self.notes_edit.scrub()  # the text the form opened with, said like any other
        self._count_notes()

        # what is wrong with a date, shown on OK (the dialog stays open) until it is edited
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem with the details")
        self.problem.setStyleSheet(f"color: {theme.colors().urgent_fg.name()};")
        self.problem.hide()
        lay.addWidget(self.problem)
        for edit in (self.date_edit, self.dob_edit):
            edit.textEdited.connect(self.problem.hide)

        note = QLabel("<b>Privacy:</b> " + PRIVACY_NOTE)
        note.setTextFormat(Qt.TextFormat.RichText)
        note.setWordWrap(True)
        note.setAccessibleName("Privacy note")
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = note.font()
        font.setPointSizeF(font.pointSizeF() * 0.92)
        note.setFont(font)
        lay.addWidget(note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def _limit_line(self, name: str, edit: QLineEdit) -> None:
        """At most :data:`LINE_LIMITS` characters, control characters removed, both said."""
        limit = LINE_LIMITS[name]
        # a longer text from a file (the reader takes up to MAX_TEXT) is never cut: the form
        # takes no more than it has (OK names one over MAX_TEXT)
        edit.setMaxLength(max(limit, _utf16(edit.text())))
        cleaner = _LineCleaner(edit)
        cleaner.removed.connect(lambda n: self._tell(_removed(n)))
        edit.setValidator(cleaner)
        field = FIELD_NAMES[name]
        edit.inputRejected.connect(
            lambda: self._tell(f"{field} holds at most {edit.maxLength():,} characters.")
        )
        opened = edit.text()  # the cleaner sees the text the form opened with too, and says
        edit.clear()  # (setText of the same text skips the validator)
        edit.setText(opened)

    def _tell(self, text: str) -> None:
        self.input_note.setText(text)
        self.input_note.setStyleSheet(f"color: {theme.colors().urgent_fg.name()};")
        self.input_note.show()

    def _count_notes(self) -> None:
        n, limit = len(self.notes_edit.toPlainText()), self.notes_edit.limit
        text = f"{n:,} / {limit:,} characters"
        if n > limit:
            text += f": {n - limit:,} too many, shorten the notes"
        elif n == limit:
            text += ": the limit"
        self.notes_count.setText(text)
        full = n >= limit
        if full != self.notes_count.property("full"):  # (a style sheet only when it changes)
            self.notes_count.setProperty("full", full)
            urgent = theme.colors().urgent_fg.name()
            self.notes_count.setStyleSheet(f"color: {urgent};" if full else "")

    def _show_age(self) -> None:
        age = age_at_visit(self.dob_edit.text(), self.date_edit.text())
        typed = age_years(self.dob_edit.text()) is not None
        self.age_note.setText("" if age is None or typed else f"{age} years at the visit")
        self.age_note.setVisible(bool(self.age_note.text()))

    def visit(self) -> Visit:
        """The details as currently typed."""
        return Visit(
            patient_id=self.patient_edit.text().strip(),
            date=self.date_edit.text().strip(),
            examiner=self.examiner_edit.text().strip(),
            notes=self.notes_edit.toPlainText().rstrip(),
            date_of_birth=self.dob_edit.text().strip(),
            sex=str(self.sex_combo.currentData() or ""),
        )

    def _storable_problem(self, new: Visit) -> tuple[QWidget, str] | None:
        """The first field the session file could not keep (text that got here otherwise than
        typed or pasted), and what to do; the text is never cut."""
        widgets: dict[str, QWidget] = {**self.fields, "notes": self.notes_edit}
        for name, widget in (*widgets.items(), ("sex", self.sex_combo)):
            value = getattr(new, name)
            problem = visit_text_problem(value)
            if problem is None:
                continue
            field = FIELD_NAMES[name]
            if len(value) > MAX_TEXT:
                return widget, (
                    f"{field} are {len(value):,} characters long; a session file keeps at most "
                    f"{MAX_TEXT:,}. Shorten them (or move part of them elsewhere), then OK."
                    if name == "notes"
                    else f"{field} is {len(value):,} characters long; a session file keeps at "
                    f"most {MAX_TEXT:,}. Shorten it, then OK."
                )
            return widget, f"{field} cannot be kept in a session file: it {problem}."
        return None

    def accept(self) -> None:
        new = self.visit()
        refused = self._storable_problem(new)
        if refused is not None:
            widget, why = refused
            self.problem.setText(why)
            self.problem.show()
            widget.setFocus()
            return
        today = date.today()
        for edit, problem in (
            (self.date_edit, visit_date_problem(new.date, today)),
            (self.dob_edit, birth_date_problem(new.date_of_birth, new.date, today)),
        ):
            if problem:
                self.problem.setText(problem)
                self.problem.show()
                edit.setFocus()
                edit.selectAll()
                return
        if new != self.model.session.visit:
            self.model.set_visit(new)
        super().accept()
