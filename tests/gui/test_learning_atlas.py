"""The map chosen in Explore or Quiz mode is the learning modes' own: it never re-reads the
clinical session (a student's review: choosing Keegan & Garrett in Explore re-read the patient's
session with it, an undoable edit, "Untitled*", the percentages moved)."""

from __future__ import annotations

from core.model import Side, Symptom
from gui.main_window import MainWindow
from gui.state import Mode


def _choose(w: MainWindow, atlas: str) -> None:
    """Choose ``atlas`` in the toolbar as a user does (the box's ``activated``)."""
    combo = w.atlas_combo
    i = combo.findData(atlas)
    assert i >= 0 and combo.isEnabled()
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def test_a_map_chosen_in_explore_leaves_the_clinical_session_alone(window: MainWindow) -> None:
    w = window
    w.model.toggle_mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS)
    steps, before = w.model.undo_stack.count(), w.document.analysis
    w.model.undo_stack.setClean()
    w.state.set_mode(Mode.EXPLORE)
    _choose(w, "keegan_garrett")
    assert w.model.session.atlas == "consensus"
    assert w.model.undo_stack.count() == steps and not w.model.is_modified()
    assert w.state.map_of(w.model) == "keegan_garrett"  # what the diagram's overlays draw
    assert w.explore_panel is not None and w.explore_panel.atlas == "keegan_garrett"
    w.state.set_mode(Mode.CLINICAL)
    assert w.atlas_combo.currentData() == "consensus"
    assert w.document.analysis.hypotheses == before.hypotheses
    w.state.set_mode(Mode.EXPLORE)  # the student's map again
    assert w.atlas_combo.currentData() == "keegan_garrett"
    w.state.set_mode(Mode.CLINICAL)
    _choose(w, "lee")  # in clinical mode the box re-reads the session, as before
    assert w.model.session.atlas == "lee" and w.model.is_modified()


def test_a_quiz_takes_the_learning_map_and_fixes_it_while_a_question_is_open(
    window: MainWindow,
) -> None:
    w = window
    w.state.set_mode(Mode.QUIZ)
    _choose(w, "foerster")
    assert w.model.session.atlas == "consensus"
    panel = w.quiz_panel
    assert panel is not None
    panel.start(5)
    assert w.state.learning is not None and w.state.learning.session.atlas == "foerster"
    assert w.atlas_combo.currentData() == "foerster" and not w.atlas_combo.isEnabled()
    w.state.set_mode(Mode.CLINICAL)
    assert w.atlas_combo.isEnabled() and w.atlas_combo.currentData() == "consensus"


def test_after_a_quiz_the_map_box_is_free_and_the_next_quiz_takes_the_students_map(
    window: MainWindow, qtbot
) -> None:
    """A review: at the summary the box stayed disabled (a blank scratch session stood for a
    question), and "New quiz" took the finished quiz's map, a teacher's code's among them."""
    from PySide6.QtCore import Qt

    w = window
    w.state.set_mode(Mode.QUIZ)
    _choose(w, "lee")  # the student's map
    panel = w.quiz_panel
    assert panel is not None
    panel.count_spin.setValue(2)
    panel.start(7)
    assert w.state.learning is not None and w.state.learning.session.atlas == "lee"
    while not panel.quiz.finished:
        q = panel.quiz.current
        if q.kind == "mark_territory":
            w.state.learning.toggle_mark("buttock", Side.LEFT, Symptom.NUMBNESS)
            panel.check()
        else:
            panel.answer(q.target)
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert w.state.learning is None and w.atlas_combo.isEnabled()
    _choose(w, "foerster")
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    assert w.state.learning is not None and w.state.learning.session.atlas == "foerster"
