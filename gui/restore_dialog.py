"""The question after a crash: restore the work a window left behind (Restore / Discard /
Later), and the message about copies that cannot be read (:func:`unreadable_message`).
Imported when there is something to restore (:func:`gui.recovery.scan_leftovers`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.file_guard import printable
from gui.recovery import Leftover


class RestoreDialog(QDialog):
    """Offer to restore work left by a window that closed unexpectedly."""

    RESTORE = 1
    DISCARD = 2
    LATER = 0

    def __init__(self, leftover: Leftover, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leftover = leftover
        self.choice = self.LATER
        several = leftover.count > 1
        place = f"{leftover.index} of {leftover.count}" if several else ""
        self.setWindowTitle(
            f"Restore unsaved work? — {place}" if several else "Restore unsaved work?"
        )
        self.setAccessibleName(f"Restore unsaved work {place}".strip())
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxQuestion).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        when = (
            leftover.saved_at.strftime("%d %b %Y at %H:%M:%S")
            if leftover.saved_at
            else "an unknown time"
        )
        file_line = (
            f"File: <b>{_esc(printable(leftover.file_label))}</b><br>"
            f"<small>{_esc(printable(leftover.original_path or ''))}</small>"
            if leftover.original_path
            else "File: <b>Untitled</b> (never saved)"
        )
        n = len(leftover.session.marks)
        head = "<p><b>Dermamap closed before this work was saved.</b>"
        if several:
            head += f"<br>Unsaved work <b>{place}</b>" + (
                ": the next one is shown after this one."
                if leftover.index < leftover.count
                else "."
            )
        damaged = (
            f"<p><b>Part of this copy is damaged</b> and left out ({_esc(leftover.problem)}). "
            "Restore brings back the rest.</p>"
            if leftover.problem
            else ""
        )
        later = "keeps it for the next start"
        if leftover.index < leftover.count:
            later += " and shows the next one"
        text = QLabel(
            f"{head}</p>"
            f"<p>Patient: {_field(leftover.patient_id)}<br>"
            f"Visit date: {_field(leftover.visit_date)}</p>"
            f"<p>{file_line}<br>Last change: <b>{when}</b><br>"
            f"{n} marked zone{'s' if n != 1 else ''}"
            f"{', warning signs ticked' if leftover.session.red_flags else ''}</p>"
            f"{damaged}"
            f"<p>Restore it to continue where you left off. <i>Later</i> {later}; "
            "<i>Discard</i> deletes it.</p>"
        )
        text.setObjectName("restore_text")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setMinimumWidth(380)
        top.addWidget(text, 1)
        lay.addLayout(top)
        box = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setAccessibleName("Restore the unsaved work")
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton("&Discard")
        self.discard_button.setAccessibleName("Discard the unsaved work")
        self.later_button = QPushButton("&Later")
        self.later_button.setAccessibleName("Decide later")
        box.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(lambda: self._done(self.RESTORE))
        self.discard_button.clicked.connect(lambda: self._done(self.DISCARD))
        self.later_button.clicked.connect(lambda: self._done(self.LATER))
        lay.addWidget(box)

    def _done(self, choice: int) -> None:
        self.choice = choice
        if choice == self.LATER:
            self.reject()
        else:
            self.accept()


def _esc(text: str | None) -> str:
    from html import escape

    return escape(text or "")


def _field(text: str) -> str:
    """A visit field of the leftover in bold, or "not entered"."""
    return f"<b>{_esc(text)}</b>" if text else "<i>not entered</i>"


def ask_restore(leftover: Leftover, parent: QWidget | None) -> str:
    """Ask the user; returns ``restore``, ``discard`` or ``later``."""
    dlg = RestoreDialog(leftover, parent)
    dlg.exec()
    return {RestoreDialog.RESTORE: "restore", RestoreDialog.DISCARD: "discard"}.get(
        dlg.choice, "later"
    )


#: At most this many file names are listed in :func:`unreadable_message`.
MAX_NAMES_SHOWN = 5


def unreadable_message(folder: Path, paths: Sequence[Path]) -> tuple[str, str]:
    """Title and plain text of the message about recovery copies of unsaved work that cannot
    be read (damaged, empty, or from a newer version): how many, which folder keeps them."""
    n = len(paths)
    copies = "1 recovery copy" if n == 1 else f"{n} recovery copies"
    names = "\n".join(f"  {printable(p.name)}" for p in paths[:MAX_NAMES_SHOWN])
    if n > MAX_NAMES_SHOWN:
        names += f"\n  … and {n - MAX_NAMES_SHOWN} more"
    text = (
        f"{copies} of unsaved work could not be read: damaged, empty, or written by a newer "
        f"version of Dermamap.\n\n{'It is' if n == 1 else 'They are'} kept (not deleted) in "
        f"the folder\n{printable(str(folder))}\n\n{names}\n\nA newer version of Dermamap "
        f"may be able to restore {'it' if n == 1 else 'them'}. Move {'it' if n == 1 else 'them'} "
        "out of that folder to stop this message."
    )
    return "Unsaved work that cannot be read", text
