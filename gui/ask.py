"""A question whose safe answer is the default: Enter and Esc keep things as they are.

Used where one key must not throw work away or show what should stay hidden: leaving patient
mode (the patient may be the one asking), giving up a quiz under way, removing a file from Open
Recent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask(
    parent: QWidget | None,
    *,
    title: str,
    text: str,
    detail: str,
    act: str,
    keep: str,
    name: str = "",
    accessible: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    act_role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole,
) -> bool:
    """Ask ``text`` (plain text, ``detail`` below it); True when ``act`` is chosen. ``keep`` is
    the default button and Esc's. ``name`` names the box ``<name>_question`` and its buttons
    ``<name>_yes`` and ``<name>_no`` (for tests and accessibility tools)."""
    box = QMessageBox(parent)
    if name:
        box.setObjectName(f"{name}_question")
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names and typed text are not markup
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setAccessibleName(accessible or title)
    box.setText(text)
    box.setInformativeText(detail)
    yes = box.addButton(act, act_role)
    no = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    if name:
        yes.setObjectName(f"{name}_yes")
        no.setObjectName(f"{name}_no")
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes
