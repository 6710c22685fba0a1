"""Every control of the exam-findings form changes the session's Findings as expected."""

from __future__ import annotations

import pytest

from core.model import (
    Findings,
    Movement,
    Reflex,
    ReflexGrade,
    Side,
    Strength,
    Test,
    TestResult,
)
from gui.panel.findings_form import FindingsForm
from gui.session_model import SessionModel
from tests.gui.helpers import wheel_notch


@pytest.fixture
def form(qtbot) -> FindingsForm:
    model = SessionModel()
    f = FindingsForm(model)
    qtbot.addWidget(f)
    f.show()
    return f


def _choose(combo, data: object) -> None:
    i = combo.findData(data)
    assert i > 0, data
    combo.setCurrentIndex(i)


def test_form_has_every_item_per_side(form: FindingsForm) -> None:
    assert set(form.reflex_combos) == {(s, r) for s in Side for r in Reflex}
    assert set(form.strength_combos) == {(s, m) for s in Side for m in Movement}
    assert set(form.test_combos) == {(s, t) for s in Side for t in Test}
    assert set(form.history_combos) == {
        "back_pain",
        "neurogenic_claudication",
        "diabetes",
        "local_cause",
        "progressive",
        "cancer",
        "fever",
    }
    assert set(form.umn_combos) == {(s, k) for s in Side for k in ("plantar_response", "clonus")}
    names = [c.accessibleName() for c in form.controls()]
    assert all(names) and len(set(names)) == len(names)
    assert "Right ankle inversion strength" in names
    assert "Left Achilles reflex" in names  # the registry's words, names keep capitals
    assert "Right Tinel's sign at the fibular head" in names
    assert "Right straight leg raise" in names and "Left femoral stretch test" in names


def test_upper_motor_neuron_signs_and_the_local_cause_site_reach_the_session(
    form: FindingsForm,
) -> None:
    from core.model import Clonus, LocalCauseSite, PlantarResponse

    f = form._model.session.findings
    _choose(form.umn_combos[(Side.LEFT, "plantar_response")], PlantarResponse.EXTENSOR)
    _choose(form.umn_combos[(Side.RIGHT, "clonus")], Clonus.PRESENT)
    _choose(form.site_combo, LocalCauseSite.FIBULAR_HEAD)
    _choose(form.cause_side_combo, Side.LEFT)
    f = form._model.session.findings
    assert f.plantar_response == {Side.LEFT: PlantarResponse.EXTENSOR}
    assert f.clonus == {Side.RIGHT: Clonus.PRESENT}
    assert f.history.local_cause_site is LocalCauseSite.FIBULAR_HEAD
    assert f.history.local_cause_side is Side.LEFT
    assert form.cause_side_combo.toolTip() and form.cause_side_combo.accessibleName()
    form._model.undo_stack.undo()  # the form follows the model back
    assert form.cause_side_combo.currentData() is None
    form._model.undo_stack.undo()
    assert form.site_combo.currentData() is None


def test_reflex_combos(form: FindingsForm) -> None:
    model = form._model
    for (side, reflex), combo in form.reflex_combos.items():
        for grade in ReflexGrade:
            _choose(combo, grade.value)
            got = model.session.findings.reflex(side, reflex)
            assert got is grade and isinstance(got, ReflexGrade)
        combo.setCurrentIndex(0)
        assert model.session.findings.reflex(side, reflex) is None
    assert model.session.findings.is_empty()


def test_strength_combos(form: FindingsForm) -> None:
    model = form._model
    for (side, mv), combo in form.strength_combos.items():
        for value in Strength:
            _choose(combo, value.value)
            assert model.session.findings.power(side, mv) is value
        combo.setCurrentIndex(0)
        assert model.session.findings.power(side, mv) is None
    assert model.session.findings.is_empty()


def test_test_combos(form: FindingsForm) -> None:
    model = form._model
    for (side, test), combo in form.test_combos.items():
        for value in TestResult:
            _choose(combo, value.value)
            assert model.session.findings.test(side, test) is value
        combo.setCurrentIndex(0)
        assert model.session.findings.test(side, test) is None
    assert model.session.findings.is_empty()


def test_history_controls(form: FindingsForm) -> None:
    model = form._model
    form.age_spin.setValue(54)
    assert model.session.findings.history.age == 54
    form.age_spin.setValue(-1)
    assert model.session.findings.history.age is None
    assert form.age_spin.text() == "not given"
    form.onset_spin.setValue(3)
    assert model.session.findings.history.onset_days == 3
    form.onset_spin.setValue(-1)
    assert model.session.findings.history.onset_days is None
    for key, combo in form.history_combos.items():
        _choose(combo, True)
        assert getattr(model.session.findings.history, key) is True
        _choose(combo, False)
        assert getattr(model.session.findings.history, key) is False
        combo.setCurrentIndex(0)
        assert getattr(model.session.findings.history, key) is None
    assert model.session.findings.is_empty()


def test_form_follows_the_model_undo_and_replace(form: FindingsForm) -> None:
    model = form._model
    combo = form.strength_combos[(Side.RIGHT, Movement.HIP_ABDUCTION)]
    _choose(combo, "weak")
    model.undo_stack.undo()
    assert combo.currentIndex() == 0
    model.undo_stack.redo()
    assert combo.currentData() == "weak"
    f = (
        Findings()
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_history(age=71, diabetes=True)
    )
    model.set_findings(f)
    assert form.reflex_combos[(Side.LEFT, Reflex.ACHILLES)].currentData() == "absent"
    assert form.age_spin.value() == 71
    assert form.history_combos["diabetes"].currentData() is True
    assert combo.currentIndex() == 0  # cleared by the new findings
    form.clear_button.click()
    assert model.session.findings.is_empty()
    assert form.age_spin.value() == -1


def test_one_undo_step_per_change(form: FindingsForm) -> None:
    model = form._model
    n = model.undo_stack.count()
    _choose(form.test_combos[(Side.LEFT, Test.STRAIGHT_LEG_RAISE)], "positive")
    form.age_spin.setValue(40)
    assert model.undo_stack.count() == n + 2


def test_the_site_of_the_local_cause_follows_it(form: FindingsForm) -> None:
    """The site's row comes right under "Local cause near a nerve" ("Getting worse" sat
    between them)."""
    from PySide6.QtWidgets import QGridLayout

    local = form.history_combos["local_cause"]
    grid = next(g for g in form.findChildren(QGridLayout) if g.indexOf(local) >= 0)
    row_of = {w: grid.getItemPosition(grid.indexOf(w))[0] for w in (local, form.site_combo)}
    assert row_of[form.site_combo] == row_of[local] + 1


def test_scrolling_the_exam_form_never_changes_a_finding(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The mouse wheel over a finding's combo box, while scrolling the Exam tab, set it
    ("not tested" became "normal", and the analysis changed with it). The wheel now goes on to
    the form (it scrolls: seen under Xvfb) unless the control has the keyboard focus."""
    window.panel.tabs.setCurrentIndex(1)
    form = window.panel.form
    achilles = form.reflex_combos[(Side.RIGHT, Reflex.ACHILLES)]
    for control in (achilles, form.age_spin):
        before = window.model.session
        assert not wheel_notch(control), control.accessibleName()  # passed on
        assert window.model.session == before, control.accessibleName()
    window.activateWindow()
    achilles.setFocus()
    qtbot.waitUntil(achilles.hasFocus)
    assert wheel_notch(achilles)  # a focused control still answers the wheel
    assert window.model.session.findings.reflex(Side.RIGHT, Reflex.ACHILLES) is not None


def test_undo_says_which_finding_changed_to_what(form: FindingsForm) -> None:
    """Edit > Undo read "Undo Reflex", "Undo Test", "Undo History" whatever was changed."""
    from core.model import Clonus

    stack = form._model.undo_stack
    _choose(form.reflex_combos[(Side.RIGHT, Reflex.ACHILLES)], ReflexGrade.ABSENT)
    assert stack.undoText() == "Right Achilles reflex: absent"
    _choose(form.test_combos[(Side.LEFT, Test.TINEL_FIBULAR_HEAD)], TestResult.POSITIVE)
    assert stack.undoText() == "Left Tinel's sign at the fibular head: positive"
    _choose(form.umn_combos[(Side.LEFT, "clonus")], Clonus.PRESENT)
    assert stack.undoText() == "Left ankle clonus: present"
    _choose(form.history_combos["back_pain"], True)
    assert stack.undoText() == "Back pain: yes"
    form.age_spin.setValue(50)
    assert stack.undoText() == "Age: 50 years"
    stack.undo()
    assert stack.redoText() == "Age: 50 years" and stack.undoText() == "Back pain: yes"


def test_an_empty_age_says_the_age_the_visit_gives(form: FindingsForm) -> None:
    """With no age here the analysis takes the visit's, from the date of birth: the empty age
    said only "not given"."""
    from core.model import Visit

    model = form._model
    assert form.age_spin.text() == "not given"
    model.set_visit(Visit(date_of_birth="1961-04-23", date="2026-04-22"))
    assert form.age_spin.text() == "64 (from the date of birth)"
    form.age_spin.setValue(50)  # the history's own age, which the analysis then takes
    assert form.age_spin.text() == "50 years"
    model.set_visit(Visit())
    form.age_spin.setValue(-1)
    assert form.age_spin.text() == "not given"


def test_a_count_of_one_is_singular_and_the_age_reaches_the_files_limit(form, qtbot) -> None:
    """The spin boxes read "1 days" and "1 years" (and Edit > Undo "Onset (days ago): 1
    days"); an age of 125, valid in a file, showed as 120."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    model = form._model
    stack = model.undo_stack
    spin = form.onset_spin
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_Up)  # from "not given" (-1) to 0
    QTest.keyClick(spin, Qt.Key.Key_Up)
    assert model.session.findings.history.onset_days == 1
    assert spin.text() == "1 day ago" and stack.undoText() == "Onset: 1 day ago"
    QTest.keyClick(spin, Qt.Key.Key_Up)
    assert spin.text() == "2 days ago" and stack.undoText() == "Onset: 2 days ago"
    model.set_findings(model.session.findings.with_history(age=1), "age")
    assert form.age_spin.text() == "1 year"
    model.set_findings(model.session.findings.with_history(age=125), "age")
    assert form.age_spin.value() == 125 and form.age_spin.text() == "125 years"


def test_the_strength_rows_are_named_as_the_report_names_them(form) -> None:
    """The form said "Ankle plantarflexion" and "Great toe extension" where the report, the
    CSV and the reasons say "Ankle plantar flexion" and "Great-toe extension"."""
    from PySide6.QtWidgets import QLabel

    from core.names import finding_name

    labels = {lb.text() for lb in form.findChildren(QLabel)}
    for (side, movement), c in form.strength_combos.items():
        name = finding_name(f"strength:{movement.value}")
        assert name in labels, name
        assert c.accessibleName() == f"{side.display} {name[0].lower()}{name[1:]} strength"
    assert "Ankle plantarflexion" not in labels and "Great toe extension" not in labels


@pytest.mark.parametrize("choice", ["Light", "Dark"])
def test_an_entered_finding_stands_out_from_not_tested(  # type: ignore[no-untyped-def]
    window, qtbot, restore_palette, choice: str
) -> None:
    """Entered values and "not tested" were drawn alike: the clinician could not scan what was
    examined. "Not tested" is now muted (still 4.5:1 or more on the combo) and an entered value
    is in the text colour, in both themes; what a screen reader is told is unchanged."""
    from collections import Counter

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAccessible, QColor
    from PySide6.QtWidgets import QApplication, QComboBox

    from tests.gui.helpers import contrast

    menu = window.findChild(type(window.view_menu), "theme_menu")
    next(a for a in menu.actions() if a.text().replace("&", "") == choice).trigger()
    tabs = window.panel.tabs
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Exam")
    )
    QApplication.processEvents()
    form = window.panel.form
    entered = form.reflex_combos[(Side.RIGHT, Reflex.ACHILLES)]
    untested = form.reflex_combos[(Side.LEFT, Reflex.ACHILLES)]
    window.activateWindow()
    entered.setFocus()
    qtbot.waitUntil(entered.hasFocus)
    qtbot.keyClick(entered, Qt.Key.Key_Down)  # the keyboard enters the next grade
    assert window.model.session.findings.reflex(Side.RIGHT, Reflex.ACHILLES) is not None
    untested.setFocus()  # (neither shows the focus ring where its text is read)
    QApplication.processEvents()

    def ink(c: QComboBox) -> tuple[float, QColor]:
        """The text's strongest colour and its contrast with the combo's face."""
        img = c.grab().toImage()
        dpr = img.devicePixelRatio()
        px = [
            img.pixelColor(x, y)
            for x in range(round(5 * dpr), img.width() - round(24 * dpr))
            for y in range(round(5 * dpr), img.height() - round(5 * dpr))
        ]
        face = QColor(Counter(p.name() for p in px).most_common(1)[0][0])
        best = max(px, key=lambda p: contrast(p, face))
        return contrast(best, face), best

    (muted, muted_ink), (normal, normal_ink) = ink(untested), ink(entered)
    assert untested.currentText() == "not tested" and entered.currentText() != "not tested"
    assert muted >= 4.5, (choice, muted_ink.name())  # readable
    assert normal >= 1.5 * muted, (choice, normal_ink.name(), muted_ink.name())  # told apart
    for c, name in ((untested, "Left Achilles reflex"), (entered, "Right Achilles reflex")):
        acc = QAccessible.queryAccessibleInterface(c)
        assert c.accessibleName() == name and acc is not None
        assert acc.text(QAccessible.Text.Value) == c.currentText()  # the words, as shown
    qtbot.keyClick(untested, Qt.Key.Key_Down)  # entered: the text colour at once
    QApplication.processEvents()
    assert ink(untested)[0] >= 1.5 * muted, choice


def _report_names(findings: Findings) -> set[str]:
    """The names the report gives the entered findings (its examination table and history)."""
    from core.exam import exam_table, history_items

    return {n for n, _r, _l in exam_table(findings)} | {n for n, _v in history_items(findings)}


def _enter(control) -> None:  # type: ignore[no-untyped-def]
    """Enter a value in one control of the form, as the clinician would."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox

    if isinstance(control, QComboBox):
        control.setCurrentIndex(control.count() - 1)  # the first item is "not tested"
    else:
        assert isinstance(control, QAbstractSpinBox)
        control.setValue(3)


def test_every_row_is_labelled_with_the_name_the_report_gives_its_finding(form) -> None:  # type: ignore[no-untyped-def]
    """The form said "Getting worse", "Meralgia compression", "Tinel at leg fascia",
    "Femoral stretch" and "Patellar (knee)" where the report and the Why text say "Progressive
    symptoms", "Pelvic compression test (meralgia)", "Tinel's sign over the lateral leg
    fascia", "Femoral stretch test" and "Patellar reflex". Each row's label is now the report's
    name for what its controls enter; the sensory grid's rows (four combos a row) keep the short
    names core.names defines, each a part of the report's name."""
    from PySide6.QtWidgets import QLabel

    from core.names import FINDING_SHORT_NAMES, finding_name

    model = form._model
    rows = [lab for lab in form.findChildren(QLabel) if lab.buddy() is not None]
    assert len(rows) == 51  # 3 reflexes, 12 movements, 12 tests, 2 UMN, 8 points, 3, 11 history
    shown = set()
    for lab in rows:
        model.set_findings(Findings(), "clear")
        _enter(lab.buddy())
        (name,) = _report_names(model.session.findings)  # one finding entered, one name
        short = {finding_name(k): s for k, s in FINDING_SHORT_NAMES.items()}.get(name)
        assert lab.text() == (short or name), (lab.text(), name)
        assert short is None or short in name  # the report says the same word
        shown.add(name)
    model.set_findings(Findings(), "clear")
    for c in form.controls():
        _enter(c)
    assert _report_names(model.session.findings) == shown  # no finding without its row
    old = {"Getting worse", "Meralgia compression", "Tinel at leg fascia", "Femoral stretch"}
    assert old.isdisjoint(lab.text() for lab in rows)


@pytest.mark.parametrize("narrow", [False, True])
def test_no_row_label_is_clipped(window, qtbot, narrow: bool) -> None:  # type: ignore[no-untyped-def]
    """The report's names are longer than the form's were ("Tinel's sign over the lateral leg
    fascia"): a row's label wraps, whole, at the window's width and in the narrowest panel."""
    from PySide6.QtWidgets import QApplication, QLabel

    window.resize(1366, 900)
    window.panel.tabs.setCurrentIndex(1)
    form = window.panel.form
    if narrow:
        total = sum(window.splitter.sizes())
        window.splitter.setSizes([total - window.panel.minimumWidth(), window.panel.minimumWidth()])
    QApplication.processEvents()
    assert (window.panel.width() == window.panel.minimumWidth()) is narrow
    rows = [lab for lab in form.findChildren(QLabel) if lab.buddy() is not None]
    for lab in rows:
        assert lab.width() >= lab.minimumSizeHint().width(), lab.text()
        need = lab.heightForWidth(lab.width()) if lab.wordWrap() else lab.sizeHint().height()
        assert lab.height() >= need, (lab.text(), lab.size(), need)
