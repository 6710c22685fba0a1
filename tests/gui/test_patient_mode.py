"""Patient mode through the real window: large plain buttons, nothing of the analysis on
screen, no shortcut back to it, and the hand-back step returns the clinician's view with the
drawing in place."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from core.model import RedFlag, Side, Symptom
from gui.main_window import MainWindow
from gui.patient_mode import TARGET
from gui.state import Mode, Tool
from tests.gui.helpers import unexpected_stderr

R = Side.RIGHT


def _visible_texts(w: QWidget) -> str:
    parts = [lab.text() for lab in w.findChildren(QLabel) if lab.isVisible()]
    parts += [b.text() for b in w.findChildren(QAbstractButton) if b.isVisible()]
    return "\n".join(parts)


def _tap(w: MainWindow, zone: str) -> None:
    pos = w.zone_viewport_pos(zone, R.value)
    assert pos is not None, zone
    vp = w.diagram.viewport()
    QTest.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*pos))
    QApplication.processEvents()


def _confirm_return() -> None:
    """Answer "Return to the clinician's view?" with yes (run while the question is up)."""
    box = QApplication.activeModalWidget()
    yes = box.findChild(QAbstractButton, "patient_leave_yes") if box else None
    if yes is not None:
        QTest.mouseClick(yes, Qt.MouseButton.LeftButton)


def test_patient_draws_sees_no_results_and_hands_back(window: MainWindow, qtbot) -> None:
    w = window
    # the clinician marked something that raises an urgent warning and has overlays on
    w.model.toggle_mark("anterior_thigh", R, Symptom.NUMBNESS)
    w.model.set_red_flag(RedFlag.URINARY_RETENTION, True)
    w.state.set_overlays(dermatomes=True)
    w.state.set_tool(Tool.ERASER)
    assert w.panel.banner.isVisible()
    clinician_text = _visible_texts(w)
    assert "%" in clinician_text and "Atlas" in clinician_text  # what patients must not see

    w.patient_mode.action.trigger()
    assert w.patient_mode.active
    for hidden in (w.side_stack, w.panel, w.menuBar(), w.statusBar(), w.map_toolbar):
        assert not hidden.isVisible()
    assert not w.state.show_dermatomes and not w.state.show_key_points
    assert w.state.tool is Tool.CLICK
    texts = _visible_texts(w)
    for word in ("likely", "%", "L5", "Urgent", "urgent", "hypothes", "cauda", "Atlas"):
        assert word not in texts, word
    bar = w.patient_mode.bar
    assert bar is not None and bar.isVisible()
    buttons = [b for b in bar.findChildren(QAbstractButton) if b.isVisible()]
    assert len(buttons) == 8 and all(b.height() >= TARGET for b in buttons)
    assert {b.text() for b in buttons} >= {"Numb", "Pins and needles", "Pain", "I have finished"}
    # the way back to results is closed: F9 (side panel) and the mode shortcuts do nothing
    QTest.keyClick(w, Qt.Key.Key_F9)
    assert not w.side_stack.isVisible()
    assert not w.panel_action.isEnabled() and not w.clear_action.isEnabled()

    # the patient adds pain where the clinician marked numbness, and can undo
    QTest.mouseClick(w.patient_mode.symptom_buttons[Symptom.PAIN], Qt.MouseButton.LeftButton)
    assert w.state.symptom is Symptom.PAIN
    assert w.patient_mode.symptom_buttons[Symptom.PAIN].isChecked()
    _tap(w, "anterior_thigh")
    _tap(w, "lateral_thigh")
    assert [m.symptom for m in w.model.session.marks_at("anterior_thigh", R)] == [
        Symptom.NUMBNESS,
        Symptom.PAIN,
    ]
    undo = bar.findChild(QAbstractButton, "patient_undo")
    QTest.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert w.model.session.mark_at("lateral_thigh", R) is None
    QTest.mouseClick(w.patient_mode.tool_buttons[Tool.BRUSH], Qt.MouseButton.LeftButton)
    assert w.state.tool is Tool.BRUSH and w.state.brush_size >= 24

    # finished: the hand-back page covers the drawing; "change something" goes back to it
    QTest.mouseClick(bar.findChild(QAbstractButton, "patient_finished"), Qt.MouseButton.LeftButton)
    page = w.patient_mode.hand_back_page
    assert page is not None and page.isVisible()
    assert page.geometry() == w.rect()
    assert "hand the device back" in page.message.text()
    QTest.mouseClick(page.more, Qt.MouseButton.LeftButton)
    assert w.patient_mode.hand_back_page is None and w.patient_mode.active
    w.patient_mode.finish()
    page = w.patient_mode.hand_back_page
    assert page is not None
    # the way back asks first (tests/gui/test_patient_hand_back.py); the clinician confirms
    QTimer.singleShot(0, _confirm_return)
    QTest.mouseClick(page.back, Qt.MouseButton.LeftButton)

    # the clinician's view is back as it was, with the patient's drawing in place
    assert not w.patient_mode.active and w.patient_mode.bar is None
    qtbot.waitUntil(lambda: w.side_stack.isVisible())
    assert w.menuBar().isVisible() and w.statusBar().isVisible() and w.map_toolbar.isVisible()
    assert w.panel.banner.isVisible()
    assert w.state.show_dermatomes and w.state.tool is Tool.ERASER
    assert w.panel_action.isEnabled() and w.clear_action.isEnabled()
    assert w.model.session.mark_at("anterior_thigh", R, Symptom.PAIN) is not None
    w.undo_action.trigger()  # the patient's marks are ordinary undo steps
    assert w.model.session.mark_at("anterior_thigh", R, Symptom.PAIN) is None


def test_patient_mode_from_a_learning_mode_goes_to_the_clinical_session(
    window: MainWindow,
) -> None:
    w = window
    w.state.set_mode(Mode.EXPLORE)
    w.patient_mode.enter()
    assert w.state.mode is Mode.CLINICAL and not w.state.read_only
    assert w.symptom_actions[Symptom.PAIN].isEnabled()
    w.patient_mode.leave()
    assert w.mode_combo.isEnabled()


def test_patient_rates_each_feeling_per_leg(window: MainWindow) -> None:
    w = window
    pm = w.patient_mode
    pm.enter()
    QTest.mouseClick(pm.symptom_buttons[Symptom.PAIN], Qt.MouseButton.LeftButton)
    assert pm.intensity_label.text().startswith("How strong is the pain?")
    combo = pm.intensity_combos[R]
    assert combo.height() >= TARGET
    combo.setCurrentIndex(combo.findData(8))
    combo.activated.emit(combo.currentIndex())
    assert w.model.session.findings.symptom_intensity(R, Symptom.PAIN) == 8
    assert w.model.undo_stack.undoText() == "Right leg, how strong the pain is: 8 of 10"
    QTest.mouseClick(pm.symptom_buttons[Symptom.NUMBNESS], Qt.MouseButton.LeftButton)
    question = pm.intensity_label.text()
    assert question.startswith("How strong is the numbness?") and combo.currentData() is None
    QTest.mouseClick(pm.symptom_buttons[Symptom.PAIN], Qt.MouseButton.LeftButton)
    assert combo.currentData() == 8
    pm.leave()
    # the clinician's form shows the patient's rating
    assert w.panel.form.sensory.intensity_combos[(R, Symptom.PAIN)].currentData() == 8


def test_closing_in_patient_mode_saves_the_clinicians_layout(qtbot) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.patient_mode.enter()
    w.discard_and_close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.marking_toolbar.isVisible() and again.map_toolbar.isVisible()
    assert again.side_stack.isVisible() and again.menuBar().isVisible()
    again.discard_and_close()


def test_leaving_patient_mode_keeps_the_toolbar_widgets_as_they_were(window: MainWindow) -> None:
    """The brush size is for the brush and eraser only: with the click tool it was disabled
    before patient mode and came back enabled after it."""
    w = window
    w.state.set_tool(Tool.CLICK)
    QApplication.processEvents()
    assert not w.brush_spin.isEnabled()
    atlas_combo_enabled = w.atlas_combo.isEnabled()
    w.patient_mode.action.trigger()
    w.patient_mode.leave()
    QApplication.processEvents()
    assert w.state.tool is Tool.CLICK
    assert not w.brush_spin.isEnabled()
    assert w.atlas_combo.isEnabled() == atlas_combo_enabled
    w.state.set_tool(Tool.BRUSH)
    assert w.brush_spin.isEnabled()


def test_leaving_patient_mode_gives_the_clinician_back_their_symptom(window: MainWindow) -> None:
    """The patient's last feeling (tingling) stayed the clinician's symptom after Patient
    Mode, so the clinician's next click marked tingling (a UX review)."""
    w = window
    w.state.set_symptom(Symptom.PAIN)
    w.patient_mode.action.trigger()
    QTest.mouseClick(w.patient_mode.symptom_buttons[Symptom.TINGLING], Qt.MouseButton.LeftButton)
    assert w.state.symptom is Symptom.TINGLING
    w.patient_mode.leave()
    assert w.state.symptom is Symptom.PAIN
    assert w.symptom_actions[Symptom.PAIN].isChecked()


def test_the_diagram_speaks_to_the_patient_in_plain_words(window: MainWindow) -> None:
    """In patient mode the captions say "Your RIGHT", "Front", "Soles", "inner" instead of
    "Patient's RIGHT", "Anterior", "Plantar", "medial"; the clinician gets the usual words back.
    Every caption of the diagram has a plain version."""
    from gui.diagram.patient_look import PLAIN_CAPTIONS

    w = window
    before = [item.text for item, _kind in w.diagram.captions]
    assert set(before) - {"toes", "heel"} <= PLAIN_CAPTIONS.keys()
    w.patient_mode.action.trigger()
    QApplication.processEvents()
    shown = [item.text for item, _kind in w.diagram.captions]
    assert {"Your RIGHT", "Your LEFT", "Front", "Back", "Soles", "inner", "outer"} <= set(shown)
    jargon = ("Patient's", "Anterior", "Posterior", "Dorsal", "Plantar", "Medial", "Lateral")
    assert not [t for t in shown if any(j.lower() in t.lower() for j in jargon)]
    assert w.state.patient and not w.diagram.zone_tips  # the state says so; the view follows
    w.patient_mode.leave()
    assert [item.text for item, _kind in w.diagram.captions] == before
    assert not w.state.patient and w.diagram.zone_tips


def test_the_diagram_follows_the_states_patient_mode_on_its_own(qtbot) -> None:
    """An architecture review: patient mode set the diagram's captions and tooltips itself (a
    controller reaching into a view). The view follows UiState.patient, as it follows the
    other UI state."""
    from gui.diagram.view import DiagramView
    from gui.session_model import SessionModel
    from gui.state import UiState

    state = UiState()
    view = DiagramView(SessionModel(), state)
    qtbot.addWidget(view)
    places = [item.pos() for item, _kind in view.captions]
    state.set_patient(True)
    assert "Your RIGHT" in [item.text for item, _kind in view.captions] and not view.zone_tips
    state.set_patient(False)
    assert "Patient's RIGHT" in [item.text for item, _kind in view.captions] and view.zone_tips
    assert [item.pos() for item, _kind in view.captions] == places
    state.set_patient(True)  # a view made during patient mode takes its look at once
    late = DiagramView(SessionModel(), state)
    qtbot.addWidget(late)
    assert "Your RIGHT" in [item.text for item, _kind in late.captions] and not late.zone_tips
    state.set_patient(False)
    assert "Patient's RIGHT" in [item.text for item, _kind in late.captions] and late.zone_tips


def _patient_bar(w: MainWindow, width: int, height: int) -> QWidget:
    """The window at that size, in patient mode: the patient's bar."""
    w.resize(width, height)
    w.patient_mode.action.trigger()
    QApplication.processEvents()
    bar = w.patient_mode.bar
    assert bar is not None
    return bar


def _controls_fit(w: MainWindow, bar: QWidget) -> None:
    """Every control of the patient's bar is shown whole and inside the window."""
    for b in [b for b in bar.findChildren(QWidget) if b.isVisible() and b.focusPolicy()]:
        assert b.width() >= b.sizeHint().width(), b.objectName()
        assert b.mapTo(w, b.rect().topRight()).x() <= w.width(), b.objectName()


def test_the_patients_buttons_fit_a_narrow_window(window: MainWindow) -> None:
    """At 800 pixels (a tablet upright) no button of the patient's bar is cut: in one row,
    "I have finished" showed as "ave finish"."""
    w = window
    bar = _patient_bar(w, 800, 800)
    buttons = [b for b in bar.findChildren(QAbstractButton) if b.isVisible()]
    assert len(buttons) == 8
    _controls_fit(w, bar)
    w.patient_mode.finish()
    page = w.patient_mode.hand_back_page
    assert page is not None
    for b in (page.more, page.back):
        text = b.fontMetrics().horizontalAdvance(b.text())
        assert b.width() >= text + 20, b.text()  # padding on both sides
    w.patient_mode.leave()


def test_the_patients_bar_rows_follow_the_window_width(window: MainWindow) -> None:
    """The patient's bar had three rows whatever the width: at 1,366 by 768 pixels it took
    245 pixels of the height, the drawing 520. Its controls now flow in as few rows as fit:
    at 1,366 the feelings, tools and Undo share a row and "How strong is it?" shares the next
    with "I have finished"; narrowed, they take more rows and no control is cut; widened, the
    rows join again."""
    w = window
    bar = _patient_bar(w, 1366, 768)
    strength = bar.findChild(QLabel, "patient_intensity_question")
    finish = bar.findChild(QAbstractButton, "patient_finished")
    numb = bar.findChild(QAbstractButton, "patient_symptom_numbness")
    undo = bar.findChild(QAbstractButton, "patient_undo")

    def middle(x: QWidget) -> int:
        return x.mapTo(w, QPoint(0, x.height() // 2)).y()

    def level(a: QWidget, b: QWidget) -> bool:
        return abs(middle(a) - middle(b)) < TARGET // 2

    assert level(numb, undo) and level(strength, finish) and not level(undo, strength)
    _controls_fit(w, bar)
    joined_height = bar.height()
    w.resize(800, 768)
    QApplication.processEvents()
    assert w.width() == 800
    assert not level(numb, undo) and middle(strength) > middle(undo) + TARGET // 2
    assert bar.height() >= joined_height + TARGET
    _controls_fit(w, bar)
    w.resize(1366, 768)
    QApplication.processEvents()
    assert level(numb, undo) and level(strength, finish)
    assert bar.height() == joined_height
    w.patient_mode.leave()


def test_the_patients_undo_never_takes_back_the_clinicians_work(window: MainWindow) -> None:
    """The patient's Undo walked back the whole history: the clinician's exam findings and
    marks entered before the hand-over went too, unseen (and a new tap then cleared Redo)."""
    from core.model import Reflex, ReflexGrade

    w = window
    m = w.model
    m.set_findings(m.session.findings.with_reflex(R, Reflex.PATELLAR, ReflexGrade.BRISK), "brisk")
    _tap(w, "lateral_heel")  # the clinician's mark
    _tap(w, "heel")
    w.undo_action.trigger()  # ... taken back by the clinician: the patient must not redo it
    before = m.session
    w.patient_mode.enter()
    undo = w.patient_mode.undo_button
    assert not undo.isEnabled() and not w.patient_mode.redo_action.isEnabled()
    QTest.mouseClick(undo, Qt.MouseButton.LeftButton)
    QTest.keyClick(w.diagram.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    w.patient_mode.redo_action.trigger()
    QTest.keyClick(w.diagram.viewport(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert m.session == before  # nothing of the clinician's undone or redone
    _tap(w, "anterior_thigh")
    assert undo.isEnabled()
    QTest.keyClick(w.diagram.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert m.session == before and not undo.isEnabled()
    w.patient_mode.redo_action.trigger()  # the patient's own change comes back
    assert m.session.mark_at("anterior_thigh", R) is not None
    assert not w.patient_mode.redo_action.isEnabled()
    w.patient_mode.leave()
    # the clinician's undo reaches everything again
    assert w.undo_action.isEnabled()
    w.undo_action.trigger()
    w.undo_action.trigger()
    w.undo_action.trigger()
    assert m.session.findings.reflex(R, Reflex.PATELLAR) is None


def test_ending_the_program_in_patient_mode_prints_no_error(tmp_path) -> None:
    """The program ended with patient mode on: as Python tore the window down, its undo
    stack, being deleted, signalled the patient's undo, which read it (a RuntimeError
    traceback on the way out)."""
    import os
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(root)!r})
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from core.model import Side, Symptom
        from gui.main_window import MainWindow
        w = MainWindow()
        w.show()
        app.processEvents()
        w.patient_mode.enter()
        w.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)
        app.processEvents()
        print("entered", w.patient_mode.active)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["DERMAMAP_SETTINGS_DIR"] = str(tmp_path / "s")
    env["DERMAMAP_RECOVERY_DIR"] = str(tmp_path / "r")
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.strip() == "entered True", proc.stderr
    assert not unexpected_stderr(proc.stderr), proc.stderr


def test_the_hand_back_page_keeps_keys_from_the_hidden_drawing(window: MainWindow, qtbot) -> None:
    """Review (patient mode, keyboard): on the hand-back page, Tab went on into the covered
    diagram, and Space and Enter there marked one area and took the clinician's mark off
    another, unseen; Ctrl+Z reached it too. What the page covers now takes no focus or keys."""
    w = window
    w.model.toggle_mark("groin", R, Symptom.NUMBNESS)
    w.patient_mode.enter()
    _tap(w, "heel")
    marks = w.model.session.marks
    w.patient_mode.finish()
    page = w.patient_mode.hand_back_page
    assert page is not None and page.more.hasFocus()
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Space, Qt.Key.Key_Tab, Qt.Key.Key_Return) * 4:
        target = QApplication.focusWidget() or page
        assert target is page or page.isAncestorOf(target), target
        if target is page.more and key in (Qt.Key.Key_Space, Qt.Key.Key_Return):
            continue  # the patient's own button: back to the drawing (tested below)
        if target is page.back and key in (Qt.Key.Key_Space, Qt.Key.Key_Return):
            continue  # the clinician's button asks first (tested above)
        QTest.keyClick(target, key)
    QTest.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.model.session.marks == marks
    assert not w.diagram.isEnabled() and not w.patient_mode.undo_action.isEnabled()
    QTest.mouseClick(page.more, Qt.MouseButton.LeftButton)
    assert w.patient_mode.hand_back_page is None
    assert w.diagram.isEnabled() and w.patient_mode.undo_action.isEnabled()


def test_the_patient_cannot_hide_their_bar(window: MainWindow) -> None:
    """Review: right-clicking the patient's bar offered the window's menu of bars, where one
    click on "Patient" hid it: no "I have finished", no way back but closing the window."""
    w = window
    w.patient_mode.enter()
    bar = w.patient_mode.bar
    assert bar is not None
    assert not bar.toggleViewAction().isEnabled()
    assert bar.contextMenuPolicy() is Qt.ContextMenuPolicy.PreventContextMenu
    assert w.contextMenuPolicy() is Qt.ContextMenuPolicy.PreventContextMenu
    w.patient_mode.leave()
    assert w.contextMenuPolicy() is Qt.ContextMenuPolicy.DefaultContextMenu


def test_closing_the_window_in_patient_mode_shows_the_hand_back_page(
    window: MainWindow, qtbot
) -> None:
    """Review: a patient closing the window to "finish" met the clinician's Save / Discard /
    Cancel question over the drawing (Discard dropped the clinician's unsaved work). The close
    now shows the hand-back page; back in the clinician's view, closing asks as always."""
    w = window
    w.model.toggle_mark("groin", R, Symptom.NUMBNESS)
    w.patient_mode.enter()
    asked: list[bool] = []
    w.close_guards.append(lambda: asked.append(True) or False)  # the save question, refused
    w.close()
    assert w.isVisible() and w.patient_mode.active
    assert w.patient_mode.hand_back_page is not None and not asked
    w.patient_mode.leave()
    w.close()
    assert asked == [True] and w.isVisible()  # the clinician's own question, as always
    w.close_guards.pop()


def test_the_zoom_keys_stay_in_patient_mode(window: MainWindow) -> None:
    """A pinch zoomed the drawing to a fragment, and Fit to Window was disabled with the rest."""
    w = window
    w.patient_mode.enter()
    assert w.fit_action.isEnabled() and w.fit_action in w.actions()
    fitted = w.diagram.transform().m11()
    w.zoom_in_action.trigger()
    assert w.diagram.transform().m11() > fitted
    w.fit_action.trigger()
    assert w.diagram.transform().m11() == fitted
    w.patient_mode.finish()  # the hand-back page: the covered drawing takes no zoom either
    assert not w.zoom_in_action.isEnabled() and not w.fit_action.isEnabled()
    w.patient_mode.leave()
    assert w.fit_action.isEnabled() and w.fit_action not in w.actions()


def test_the_zones_speak_no_clinical_words_in_patient_mode(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    """Review: hovering showed "Right · Popliteal fossa / Tingling (26% of the zone)" and the
    right-click menu offered Numbness / Tingling / Pain, where the patient's bar says "Numb" and
    "Pins and needles". In patient mode the zones have neither; the clinician's view keeps both."""
    from PySide6.QtGui import QContextMenuEvent, QHelpEvent
    from PySide6.QtWidgets import QToolTip

    w = window
    opened: list[str] = []

    class _Menu:
        def exec(self, *_: object) -> None:
            opened.append("menu")

        def deleteLater(self) -> None:
            pass

    monkeypatch.setattr(w.diagram, "zone_menu", lambda _item: _Menu())
    vp = w.diagram.viewport()

    def hover_and_right_click() -> str:
        QApplication.processEvents()  # the layout after the bars came or went
        pos = QPoint(*w.zone_viewport_pos("popliteal_fossa", R.value))  # type: ignore[misc]
        QToolTip.hideText()
        qtbot.waitUntil(lambda: not QToolTip.isVisible())  # it hides on a timer
        QApplication.sendEvent(vp, QHelpEvent(QHelpEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
        QApplication.sendEvent(
            vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, vp.mapToGlobal(pos))
        )
        return QToolTip.text() if QToolTip.isVisible() else ""

    assert "Popliteal fossa" in hover_and_right_click() and opened == ["menu"]
    w.patient_mode.enter()
    assert hover_and_right_click() == "" and opened == ["menu"]
    w.patient_mode.leave()
    assert "Popliteal fossa" in hover_and_right_click() and opened == ["menu", "menu"]
