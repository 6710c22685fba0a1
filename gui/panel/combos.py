"""The small combo boxes the exam forms are made of (findings, sensory grid)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
)

from gui import theme

DARK_UNSET_SHARE = 0.72
"""How much of the button's text colour a "not tested" keeps over the button colour in the dark
theme: its combos have a lighter face than the window, on which the theme's muted text (62 %,
:data:`gui.theme.MUTED_SHARE`) was 3.9:1; this is 4.9:1 there (the light theme's muted text
is 6.4:1 on its combos)."""


def unset_text(palette: QPalette) -> QColor:
    """The colour of a combo's "not tested" (or "not given") item: the theme's muted text, a
    little stronger on the dark theme's combos."""
    fg = palette.color(QPalette.ColorRole.ButtonText)
    bg = palette.color(QPalette.ColorRole.Button)
    k = DARK_UNSET_SHARE if theme.is_dark() else theme.MUTED_SHARE
    return QColor.fromRgbF(
        fg.redF() * k + bg.redF() * (1 - k),
        fg.greenF() * k + bg.greenF() * (1 - k),
        fg.blueF() * k + bg.blueF() * (1 - k),
    )


class FormCombo(QComboBox):
    """A combo box in a scrolling form: the mouse wheel changes it only once it has the
    keyboard focus (clicked or tabbed to). Scrolling the form past it leaves the finding alone
    and scrolls the form, where a plain combo took the wheel and changed the finding.

    With ``mute_unset``, its "not tested" item (the one holding ``None``) is drawn in a muted
    colour (:func:`unset_text`) and every entered value in the text colour: a clinician sees at
    a glance what was examined (they looked the same). Only the colour changes; the words and
    what assistive technology reads stay the item's own."""

    def __init__(self, *, mute_unset: bool = False) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not give it focus
        self._mute_unset = mute_unset

    def is_unset(self) -> bool:
        """Whether it shows its "not tested" (``None``) item, drawn muted."""
        return self._mute_unset and self.currentIndex() >= 0 and self.currentData() is None

    def paintEvent(self, e: QPaintEvent) -> None:
        if not self.is_unset():
            super().paintEvent(e)
            return
        # QComboBox's own painting, with the label's colour muted (a disabled combo keeps
        # the disabled colour); read when painted, so it follows a change of theme
        painter = QStylePainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.Text))
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        muted = unset_text(opt.palette)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            opt.palette.setColor(group, QPalette.ColorRole.ButtonText, muted)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)

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
    """A combo of ``(text, data)`` items; ``name`` is its accessible name and tooltip. An item
    with ``None`` ("not tested", "not given") is drawn muted (:class:`FormCombo`)."""
    c = FormCombo(mute_unset=True)
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
