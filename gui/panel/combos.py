"""The small combo boxes the exam forms are made of (findings, sensory grid)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractSpinBox,
    QComboBox,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionSpinBox,
    QStyleOptionViewItem,
    QStylePainter,
    QWidget,
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


NOTE_ROLE = Qt.ItemDataRole.UserRole + 1
"""An item's note ("no grade"), drawn muted at the right of its row in the open list only: the
closed combo, its width and the keys that pick the item keep the item's own words."""
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
"""True on the first item of a group of items: a rule is drawn above it in the open list."""
RULE_GAP = 7
"""The height of the rule's strip above the first item of a group (pixels)."""


class NotedItems(QStyledItemDelegate):
    """The open list of a combo whose items carry notes (:func:`note_items`): its own delegate
    draws each row as before (Fusion's menu-like rows), then the item's note, right-aligned and
    muted (the highlighted row's text colour when highlighted), and a rule above the first item
    of each group."""

    def __init__(self, inner: QAbstractItemDelegate, parent: QWidget) -> None:
        super().__init__(parent)
        self._inner = inner  # the combo's own (it stays the combo's child)

    @staticmethod
    def _margin(option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.horizontalAdvance("M")

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = self._inner.sizeHint(option, index)
        note = index.data(NOTE_ROLE)
        if note:
            extra = option.fontMetrics.horizontalAdvance(str(note)) + 3 * self._margin(option)
            size.setWidth(size.width() + extra)
        if index.data(GROUP_ROLE):
            size.setHeight(size.height() + RULE_GAP)
        return size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        pal = opt.palette
        rect = QRect(opt.rect)
        margin = self._margin(option)
        if index.data(GROUP_ROLE):
            strip = QRect(rect.left(), rect.top(), rect.width(), RULE_GAP)
            painter.fillRect(strip, pal.window())
            painter.save()
            painter.setPen(theme.muted_text(pal))
            y = strip.top() + RULE_GAP // 2
            painter.drawLine(strip.left() + margin // 2, y, strip.right() - margin // 2, y)
            painter.restore()
            rect.setTop(rect.top() + RULE_GAP)
            opt.rect = rect
        self._inner.paint(painter, opt, index)
        note = index.data(NOTE_ROLE)
        if not note:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(
            pal.color(QPalette.ColorRole.HighlightedText) if selected else theme.muted_text(pal)
        )
        painter.drawText(
            rect.adjusted(0, 0, -margin, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            str(note),
        )
        painter.restore()


def note_items(c: QComboBox, notes: Sequence[str], groups: Collection[int] = ()) -> None:
    """Give ``c``'s items ``notes`` (one an item, in order; "" for none), shown beside them in
    the open list and said after them ("weak (no grade)"), and a rule above each item of
    ``groups`` (indexes): kinds of choice that one list mixes are told apart where the choice is
    made. The items' words, data and order stay as they were (the keys that pick them too)."""
    for i, note in enumerate(notes):
        if note:
            c.setItemData(i, note, NOTE_ROLE)
            c.setItemData(i, f"{c.itemText(i)} ({note})", Qt.ItemDataRole.AccessibleTextRole)
    for i in groups:
        c.setItemData(i, True, GROUP_ROLE)
    if not isinstance(c.itemDelegate(), NotedItems):
        c.setItemDelegate(NotedItems(c.itemDelegate(), c))


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

    def showPopup(self) -> None:
        view = self.view()
        if isinstance(self.itemDelegate(), NotedItems):  # as wide as its notes need
            width = view.sizeHintForColumn(0) + 2 * view.frameWidth()
            if self.count() > self.maxVisibleItems():
                width += view.verticalScrollBar().sizeHint().width()
            view.setMinimumWidth(width)
        super().showPopup()

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
        self._widest = ""
        self.valueChanged.connect(self._unit)  # before any other slot reads the text
        self._unit(self.value())

    def reserve(self, text: str) -> None:
        """Be wide enough for ``text`` from the start ("130 (from the date of birth)"), so a
        longer text shown later is read whole (it lost its start) and moves nothing."""
        self._widest = text
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if not self._widest:
            return hint
        # as QAbstractSpinBox sizes its longest text: its advance, 2 for the cursor, the frame
        opt = QStyleOptionSpinBox()
        self.initStyleOption(opt)
        text = QSize(
            self.fontMetrics().horizontalAdvance(self._widest) + 2,
            self.lineEdit().sizeHint().height(),
        )
        want = self.style().sizeFromContents(QStyle.ContentsType.CT_SpinBox, opt, text, self)
        return QSize(max(hint.width(), want.width()), hint.height())

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
