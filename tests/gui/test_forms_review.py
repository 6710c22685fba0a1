"""The exam form and Visit Details, as a reviewer used them under Xvfb: the age the visit gives
is read whole in the Exam tab, typing the date of birth moves no field of Visit Details, and the
strength list tells the MRC grades from the words without a grade."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QWidget

from core.model import Movement, Side
from gui.main_window import MainWindow
from gui.visit_dialog import VisitDialog
from tests.gui.helpers import contrast, passes_at_scale_2

VISIT_DATE, BIRTH = "2026-12-07", "1970-03-15"  # 56 years at the visit, as in the review


def _theme(window: MainWindow, choice: str) -> None:
    """View > Theme > ``choice`` (Light or Dark)."""
    menu = window.findChild(type(window.view_menu), "theme_menu")
    next(a for a in menu.actions() if a.text().replace("&", "") == choice).trigger()
    QApplication.processEvents()


def _exam_tab(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    tabs = window.panel.tabs
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Exam")
    )
    qtbot.waitUntil(lambda: window.panel.form.isVisible())


def _visit_dialog(window: MainWindow, qtbot) -> VisitDialog:  # type: ignore[no-untyped-def]
    """File > Visit Details, shown (not modal: the test types into it)."""
    dlg = VisitDialog(window.model, window)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _shows_whole(spin: QWidget, text: str) -> bool:
    """Whether ``text`` is in view from its first character to its last in the spin box's
    line edit (a text too long for it scrolls, and loses its start)."""
    edit = spin.lineEdit()  # type: ignore[attr-defined]
    mid = edit.height() // 2
    first = edit.cursorPositionAt(QPoint(1, mid))
    last = edit.cursorPositionAt(QPoint(edit.width() - 2, mid))
    return edit.text() == text and first == 0 and last == len(text)


@pytest.mark.parametrize("choice", ["Light", "Dark"])
def test_the_age_the_visit_gives_is_read_whole_in_the_exam_tab(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, restore_palette, choice: str
) -> None:
    """With a date of birth in Visit Details the empty age reads "56 (from the date of birth)":
    the box showed "n (56 at the visit)", its start cut off. It is wide enough from the start
    (so it does not change width when the visit's age comes either)."""
    _theme(window, choice)
    _exam_tab(window, qtbot)
    form = window.panel.form
    spin = form.age_spin
    window.panel._exam_scroll.ensureWidgetVisible(spin)
    width = spin.width()
    assert _shows_whole(spin, "not given")

    dlg = _visit_dialog(window, qtbot)
    QTest.keyClicks(dlg.date_edit, VISIT_DATE)
    QTest.keyClicks(dlg.dob_edit, BIRTH)
    qtbot.mouseClick(
        dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
        Qt.MouseButton.LeftButton,
    )
    assert window.model.session.visit.date_of_birth == BIRTH
    qtbot.waitUntil(lambda: not dlg.isVisible())
    QApplication.processEvents()

    text = "56 (from the date of birth)"
    assert spin.text() == text
    assert _shows_whole(spin, text), (spin.width(), spin.lineEdit().width())
    assert spin.width() == width  # nothing moved
    # the age typed in the history replaces it, and is shown whole too
    spin.setValue(57)
    assert _shows_whole(spin, "57 years")


def test_the_age_is_read_whole_at_scale_factor_2() -> None:
    """The test above in a process where Qt scales everything by 2."""
    passes_at_scale_2(__file__, "test_the_age_the_visit_gives_is_read_whole_in_the_exam_tab[Light]")


def test_typing_the_date_of_birth_moves_no_field(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Typing the date of birth brought a "56 years at the visit" line in, and Sex, Examiner
    and Notes went down a line while the user typed: the next click landed on the wrong field.
    The line has its place from the start."""
    dlg = _visit_dialog(window, qtbot)
    below = (dlg.sex_combo, dlg.examiner_edit, dlg.notes_edit)

    def where() -> list[QRect]:
        return [QRect(w.mapTo(dlg, QPoint(0, 0)), w.size()) for w in below]

    before, size = where(), dlg.size()
    sex_at = before[0].center()
    QTest.keyClicks(dlg.date_edit, VISIT_DATE)
    dlg.dob_edit.setFocus()
    for ch in BIRTH:  # the note comes with the last character
        QTest.keyClick(dlg.dob_edit, ch)
        QApplication.processEvents()
        assert where() == before, dlg.dob_edit.text()
    assert dlg.age_note.isVisible() and dlg.age_note.text() == "56 years at the visit"
    note = dlg.age_note
    assert note.fontMetrics().horizontalAdvance(note.text()) <= note.contentsRect().width()
    assert note.height() >= note.fontMetrics().height()  # not squeezed
    assert dlg.size() == size
    # where the Sex box was before typing, a click still finds it
    assert dlg.childAt(sex_at) is dlg.sex_combo
    qtbot.mouseClick(dlg.sex_combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.sex_combo.view().isVisible())
    dlg.sex_combo.hidePopup()
    # an age typed instead hides the note: still nothing moves
    dlg.dob_edit.setText("58")
    QApplication.processEvents()
    assert not dlg.age_note.isVisible() and where() == before


def _ink(img: QImage, area: QRect) -> float:
    """The strongest contrast in ``area`` (device pixels) against its own commonest colour."""
    px = [
        img.pixelColor(x, y)
        for x in range(area.left(), area.right() + 1)
        for y in range(area.top(), area.bottom() + 1)
    ]
    face = QColor(Counter(p.name() for p in px).most_common(1)[0][0])
    return max(contrast(p, face) for p in px)


def _has_rule(img: QImage, top: int, bottom: int, left: int, right: int) -> bool:
    """Whether a line runs across most of ``left``..``right`` between the two heights."""
    bg = QColor(
        Counter(
            img.pixelColor(x, y).name() for x in range(left, right) for y in range(top, bottom)
        ).most_common(1)[0][0]
    )
    for y in range(top, bottom):
        inked = sum(contrast(img.pixelColor(x, y), bg) >= 1.5 for x in range(left, right))
        if inked >= 0.8 * (right - left):
            return True
    return False


@pytest.mark.parametrize("choice", ["Light", "Dark"])
def test_the_strength_list_tells_grades_from_words_without_a_grade(  # type: ignore[no-untyped-def]
    window: MainWindow, qtbot, restore_palette, choice: str
) -> None:
    """The strength list read "not tested, 5, 4, 3, 2, 1, 0, weak, normal" in one run: "5" beside
    "normal", "4" beside "weak", and one finding went in now as a grade, now as a word. In the
    open list a rule parts "not tested", the grades and the words, and each item says its kind
    (muted, at its right: "MRC grade", "no grade"; a screen reader hears "weak (no grade)").
    The items' words, values and keys, the box's width and its muted "not tested" stay."""
    _theme(window, choice)
    _exam_tab(window, qtbot)
    form = window.panel.form
    combo = form.strength_combos[(Side.RIGHT, Movement.GREAT_TOE_EXTENSION)]
    window.panel._exam_scroll.ensureWidgetVisible(combo)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["not tested", "5", "4", "3", "2", "1", "0", "weak", "normal"]
    values = [combo.itemData(i) for i in range(combo.count())]
    assert values == [None, 5, 4, 3, 2, 1, 0, "weak", "normal"]
    assert combo.accessibleName() == "Right great-toe extension strength"
    assert isinstance(combo, QComboBox) and combo.is_unset()  # type: ignore[attr-defined]
    closed_width = combo.width()

    # the keyboard picks as before
    window.activateWindow()
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    QTest.keyClicks(combo, "w")
    assert window.model.session.findings.power(Side.RIGHT, Movement.GREAT_TOE_EXTENSION)
    assert combo.currentData() == "weak" and not combo.is_unset()  # type: ignore[attr-defined]
    assert window.model.undo_stack.undoText() == (
        "Right great-toe extension strength: weak (no grade)"
    )
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new search
    QTest.keyClicks(combo, "3")
    assert combo.currentData() == 3
    assert window.model.session.findings.grade(Side.RIGHT, Movement.GREAT_TOE_EXTENSION) == 3
    spoken = [combo.itemData(i, Qt.ItemDataRole.AccessibleTextRole) for i in range(9)]
    assert spoken[0] is None and spoken[1] == "5 (MRC grade)" and spoken[8] == "normal (no grade)"

    # the open list
    QTest.keyClick(combo, Qt.Key.Key_F4)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    QApplication.processEvents()
    img = view.viewport().grab().toImage()
    dpr = img.devicePixelRatio()

    def device(r: QRect) -> QRect:
        return QRect(
            round(r.left() * dpr),
            round(r.top() * dpr),
            round(r.width() * dpr),
            round(r.height() * dpr),
        )

    width = view.viewport().width()  # (a row's own rect is only as wide as its words)
    rows = []
    for i in range(9):
        r = view.visualRect(combo.model().index(i, 0))
        rows.append(device(QRect(0, r.top(), width, r.height())))
    assert view.width() >= view.sizeHintForColumn(0)  # the notes are not cut off
    for i, row in enumerate(rows):
        note = QRect(row.left() + row.width() * 3 // 5, row.top(), row.width() * 2 // 5 - 2, 0)
        note.setBottom(row.bottom() - 1)
        ink = _ink(img, note)
        if i == 0:  # "not tested": no note
            assert ink < 1.5, (choice, i, ink)
        elif i == 3:  # the highlighted "3": as readable as the item's own text on the highlight
            assert ink >= 3, (choice, i, ink)
        else:  # each grade and word says its kind, readable
            assert ink >= 4.5, (choice, i, ink)

    # the notes of a grade and of a word differ; those of two grades do not
    def note_of(i: int) -> QImage:
        r = rows[i]
        return img.copy(
            r.left() + r.width() // 2,
            r.bottom() - round(14 * dpr),
            r.width() // 2 - 2,
            round(12 * dpr),
        )

    assert note_of(1) == note_of(2) and note_of(1) != note_of(7)
    # a rule above "5" and above "weak", across the list
    left, right = round(12 * dpr), img.width() - round(12 * dpr)
    for first, last in ((0, 1), (6, 7)):
        top = rows[first].center().y() + round(6 * dpr)
        bottom = rows[last].center().y() - round(6 * dpr)
        assert _has_rule(img, top, bottom, left, right), (choice, first, last)
    assert not _has_rule(img, rows[4].center().y(), rows[5].center().y(), left, right)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentData() == 3 and combo.width() == closed_width


def test_the_strength_list_at_scale_factor_2() -> None:
    """The test above in a process where Qt scales everything by 2."""
    passes_at_scale_2(
        __file__, "test_the_strength_list_tells_grades_from_words_without_a_grade[Dark]"
    )
