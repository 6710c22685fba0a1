"""The small combo boxes the exam forms are made of (findings, sensory grid)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QSizePolicy, QSpinBox


class FormCombo(QComboBox):
    """A combo box in a scrolling form: the mouse wheel changes it only once it has the
    keyboard focus (clicked or tabbed to). Scrolling the form past it leaves the finding alone
    and scrolls the form, where a plain combo took the wheel and changed the finding."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not give it focus

    def wheelEvent(self, e: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(e)
        else:
            e.ignore()  # passed on to the scroll area


class FormSpinBox(QSpinBox):
    """A spin box in a scrolling form, changed by the wheel only once it has the focus (as
    :class:`FormCombo`)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, e: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(e)
        else:
            e.ignore()


class CountSpinBox(FormSpinBox):
    """A spin box of a count with its unit, singular or plural as the value needs ("1 day",
    "3 days"; it read "1 days")."""

    def __init__(self, singular: str, plural: str) -> None:
        super().__init__()
        self._units = (singular, plural)
        self.valueChanged.connect(self._unit)  # before any other slot reads the text
        self._unit(self.value())

    def setValue(self, value: int) -> None:
        self._unit(value)
        super().setValue(value)

    def _unit(self, value: int) -> None:
        self.setSuffix(" " + self._units[0 if value == 1 else 1])


def combo(items: Sequence[tuple[str, Any]], name: str) -> QComboBox:
    """A combo of ``(text, data)`` items; ``name`` is its accessible name and tooltip."""
    c = FormCombo()
    for text, data in items:
        c.addItem(text, data)
    c.setAccessibleName(name)
    c.setToolTip(name)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    c.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return c


def show_data(c: QComboBox, data: Any) -> None:
    """Select the item holding ``data`` (the first item when none does) without signalling:
    the forms re-read the model, they do not write it back."""
    i = max(0, c.findData(data))
    if c.currentIndex() != i:
        with QSignalBlocker(c):
            c.setCurrentIndex(i)


def edit_text(w: QComboBox | QAbstractSpinBox) -> str:
    """What a change of ``w`` did, for Edit > Undo and Redo: its accessible name and the value
    it shows now ("Right Achilles reflex: absent", "Age: 50 years"), where every exam edit said
    "Reflex", "Test" or "History"."""
    if isinstance(w, QComboBox):
        words = w.currentData(Qt.ItemDataRole.AccessibleTextRole)
        value = words if isinstance(words, str) and words else w.currentText()
    else:
        value = w.text()
    return f"{w.accessibleName()}: {value}"
