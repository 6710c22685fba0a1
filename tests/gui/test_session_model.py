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


def test_scratch_mode_restores_clinical_session_exactly(qtbot) -> None:
    m = SessionModel()
    m.toggle_mark("heel", Side.LEFT, Symptom.PAIN)
    m.set_red_flag(RedFlag.URINARY_RETENTION, True)
    before = m.session
    m.enter_scratch()
    assert m.in_scratch and m.session.marks == ()
    m.toggle_mark("great_toe", Side.RIGHT, Symptom.NUMBNESS)
    m.undo_stack.undo()
    m.toggle_mark("little_toe", Side.RIGHT, Symptom.NUMBNESS)
    m.leave_scratch()
    assert not m.in_scratch
    assert m.session == before
    assert m.undo_stack.count() == 2  # clinical history intact
    m.undo_stack.undo()
    assert m.session.red_flags == frozenset()
