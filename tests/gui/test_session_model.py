from core.model import RedFlag, Side, Symptom
from gui.session_model import SessionModel


def test_toggle_undo_redo(qtbot) -> None:
    m = SessionModel()
    with qtbot.waitSignal(m.marks_changed):
        m.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    assert m.session.mark_at("heel", Side.LEFT).symptom is Symptom.PAIN
    m.toggle_mark("heel", Side.LEFT, Symptom.TINGLING)  # another symptom: added, pain stays
    assert [x.symptom for x in m.session.marks_at("heel", Side.LEFT)] == [
        Symptom.PAIN,
        Symptom.TINGLING,
    ]
    m.toggle_mark("heel", Side.LEFT, Symptom.TINGLING)  # same symptom again: only it goes
    assert [x.symptom for x in m.session.marks_at("heel", Side.LEFT)] == [Symptom.PAIN]
    m.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    assert m.session.mark_at("heel", Side.LEFT) is None
    m.undo_stack.undo()
    assert m.session.mark_at("heel", Side.LEFT).symptom is Symptom.PAIN
    m.undo_stack.undo()
    assert len(m.session.marks_at("heel", Side.LEFT)) == 2
    m.undo_stack.undo()
    m.undo_stack.undo()
    assert m.session.marks == ()
    assert not m.is_modified()
    m.undo_stack.redo()
    assert m.is_modified()


def test_red_flag_signal(qtbot) -> None:
    m = SessionModel()
    with qtbot.waitSignal(m.red_flags_changed):
        m.set_red_flag(RedFlag.URINARY_RETENTION, True)
    assert RedFlag.URINARY_RETENTION in m.session.red_flags


def test_learning_scratch_session_never_touches_the_clinical_one(qtbot) -> None:
    from gui.state import Mode, UiState

    m = SessionModel()
    state = UiState()
    m.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    m.set_red_flag(RedFlag.URINARY_RETENTION, True)
    before = m.session
    state.set_mode(Mode.QUIZ)
    assert state.read_only  # a quiz not started: nothing to edit
    scratch = state.start_learning()
    assert not state.read_only and scratch is state.learning and scratch.session.marks == ()
    scratch.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    scratch.undo_stack.undo()
    scratch.toggle_mark("little_toe", Side.RIGHT, Symptom.NUMBNESS)
    left = state.stop_learning()
    assert left is not None and [mk.zone for mk in left.marks] == ["little_toe"]
    assert state.learning is None and state.read_only
    assert m.session == before
    assert m.undo_stack.count() == 2  # clinical history intact
    m.undo_stack.undo()
    assert m.session.red_flags == frozenset()


def test_undo_steps_name_the_zone_in_words(qtbot) -> None:
    """Edit > Undo read "Undo Mark numbness on medial_lower_leg (right)": the zone's id."""
    m = SessionModel()
    m.toggle_mark("medial_lower_leg", Side.RIGHT, Symptom.NUMBNESS)
    assert m.undo_stack.undoText() == "Mark numbness on the right medial lower leg"
    m.toggle_mark("dorsum_of_foot.medial", Side.LEFT, Symptom.PAIN)
    m.toggle_mark("dorsum_of_foot.medial", Side.LEFT, Symptom.PAIN)
    assert m.undo_stack.undoText() == "Unmark pain on the left dorsum of foot (medial)"
    m.set_mark("heel", Side.LEFT, Symptom.TINGLING)
    assert m.undo_stack.undoText() == "Mark tingling on the left heel"
    m.set_mark("heel", Side.LEFT, None)
    assert m.undo_stack.undoText() == "Clear the marks on the left heel"
    # the warning signs and the map say which ("Undo Warning sign", "Undo Change atlas")
    m.set_red_flag("urinary_retention", True)
    assert m.undo_stack.undoText() == "Tick the warning sign: cannot pass urine"
    m.set_red_flag("urinary_retention", False)
    assert m.undo_stack.undoText() == "Untick the warning sign: cannot pass urine"
    m.set_atlas("foerster")
    assert m.undo_stack.undoText() == "Read with the Foerster (1933) map"


def test_an_ampersand_in_an_undo_step_shows_in_the_edit_menu(qtbot) -> None:
    """ "Undo Read with the Keegan & Garrett (1948) map" showed "Keegan _Garrett": the menu
    read the "&" as an access key."""
    from PySide6.QtGui import QUndoGroup
    from PySide6.QtWidgets import QWidget

    m = SessionModel()
    m.set_atlas("keegan_garrett")
    host = QWidget()
    qtbot.addWidget(host)
    group = QUndoGroup(host)
    group.addStack(m.undo_stack)
    group.setActiveStack(m.undo_stack)
    action = group.createUndoAction(host, "Undo")
    assert "&" in m.undo_stack.command(0).text()
    assert action.text().replace("&&", "&").endswith(m.undo_stack.command(0).text())
    assert action.text().count("&") == 2 * m.undo_stack.command(0).text().count("&")
