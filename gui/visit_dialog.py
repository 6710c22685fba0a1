"""Visit details: patient identifier, date of birth, sex, date of visit, examiner and free notes
(all optional).

The details go into the session through :meth:`SessionModel.set_visit` (one undo step) and are
stored on this computer only (the session file, exported reports, and the recovery copy of
unsaved work, :mod:`gui.recovery`); Dermamap makes no network connection.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
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
        self.patient_edit.setMaxLength(200)
        form.addRow("&Patient identifier:", self.patient_edit)

        self.date_edit = QLineEdit(visit.date)
        self.date_edit.setPlaceholderText("YYYY-MM-DD")
        self.date_edit.setAccessibleName("Date of visit")
        self.date_edit.setMaxLength(40)
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
        self.dob_edit.setMaxLength(40)
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
        self.examiner_edit.setMaxLength(200)
        form.addRow("&Examiner:", self.examiner_edit)

        self.notes_edit = QPlainTextEdit(visit.notes)
        self.notes_edit.setAccessibleName("Notes")
        self.notes_edit.setPlaceholderText("Free notes (history, context, plan)")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMinimumHeight(110)
        form.addRow("&Notes:", self.notes_edit)
        lay.addLayout(form)

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

    def accept(self) -> None:
        new = self.visit()
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
