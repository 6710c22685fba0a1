"""Issue 18 in the real window: one test per leak found on the old quiz (each failed before),
learning modes that never show the patient, a whole quiz of every topic, progress, the guide."""

from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import Qt

from core import learn, progress
from core.geometry import interior_point, load_diagram
from core.model import RedFlag, Side, Symptom
from core.quiz import TOPICS
from gui.learn.progress_view import NEXT_TIME, progress_path
from gui.main_window import MainWindow
from gui.state import Mode, Tool
from tests.gui.helpers import click_scene_point, start_quiz


def _quiz(w: MainWindow, qtbot, topics=tuple(TOPICS), seed: str = "7", n: int = 10):  # type: ignore[no-untyped-def]
    return start_quiz(w, qtbot, topics, seed, n)


def _advance_to(panel, kind: str):  # type: ignore[no-untyped-def]
    for _ in range(40):
        q = panel.quiz.current
        if q.kind == kind:
            return q
        if q.kind == "mark_territory":
            z = next(iter(learn.territory_zones(q.target, q.atlas, 1.0)))
            panel._state.learning.toggle_mark(z[0], z[1], Symptom.NUMBNESS)
            panel.check()
        else:
            panel.answer(q.target)
        panel.next_question()
    raise AssertionError(kind)


def _status(w: MainWindow) -> str:
    return w.summary_label.text()


def _marked_items(w: MainWindow) -> list[object]:
    return [it for items in w.diagram._by_key.values() for it in items if it.mark is not None]


def _visible_markers(w: MainWindow) -> list[object]:
    return [m for m in w.diagram._overlay.markers if m.isVisible()]


# --------------------------------------------------------------------------- the leaks


def test_root_or_nerve_status_bar_does_not_give_the_answer(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("root_or_nerve",))
    q = panel.quiz.current
    assert q.kind == "root_or_nerve" and window.on_screen.session.marks  # the case is drawn
    text = _status(window)
    assert learn.target_name(q.target) not in text and "%" not in text
    assert "Quiz mode" in text


def test_marking_gives_no_live_engine_feedback(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("dermatomes",), seed="5")
    q = _advance_to(panel, "mark_territory")
    for zone, side in list(learn.territory_zones(q.target, q.atlas, 1.0))[:3]:
        window.on_screen.toggle_mark(zone, side, Symptom.NUMBNESS)
    text = _status(window)
    assert q.target not in text and "root" not in text.lower() and "%" not in text


def test_which_root_shows_no_key_point_labels(qtbot, window) -> None:
    window.state.set_overlays(key_points=True)
    assert _visible_markers(window)  # on in clinical mode
    panel = _quiz(window, qtbot, topics=("dermatomes",), seed="3")
    q = _advance_to(panel, "which_root")
    assert window.state.highlight == dict.fromkeys(q.zones, 1.0)
    assert not _visible_markers(window)
    panel.answer(q.target)
    assert _visible_markers(window)  # the user's choice comes back after the answer


def test_overlays_are_locked_until_the_answer(qtbot, window) -> None:
    panel = _quiz(window, qtbot)
    acts = window.overlay_actions
    assert not any(a.isEnabled() for a in acts.values())
    assert not window.overlay_button.isEnabled()
    window.state.set_overlays(dermatomes=True, nerves=True)  # no way round the lock
    assert not window.state.show_dermatomes and not window.state.show_nerves
    acts["dermatomes"].trigger()
    assert not window.state.show_dermatomes
    q = panel.quiz.current
    if q.kind == "mark_territory":
        window.on_screen.toggle_mark("heel", Side.LEFT, Symptom.NUMBNESS)
        panel.check()
    else:
        panel.answer(q.choices[0])
    assert all(a.isEnabled() for a in acts.values())
    acts["dermatomes"].trigger()
    assert window.state.show_dermatomes
    panel.next_question()
    assert not window.state.show_dermatomes  # locked again for the next question
    window.state.set_mode(Mode.CLINICAL)
    assert window.state.show_dermatomes and all(a.isEnabled() for a in acts.values())


def test_each_start_draws_a_fresh_seed_shown_and_typed_seed_repeats(qtbot, window) -> None:
    panel = _quiz(window, qtbot, seed="")
    first = panel.seed
    assert str(first) in panel.seed_label.text()
    seeds = {first}
    for _ in range(3):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        seeds.add(panel.seed)
    assert len(seeds) > 1
    panel.seed_edit.setText(str(first))  # a teacher's seed: the same quiz for everyone
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    a = panel.quiz.questions
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.quiz.questions == a and panel.seed == first


def test_only_marking_questions_take_marks(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("dermatomes",), seed="5")
    for _ in range(10):
        q = panel.quiz.current
        tools = window.tool_actions[Tool.CLICK].isEnabled()
        assert tools == (q.kind == "mark_territory") == (not window.state.read_only)
        if q.kind == "mark_territory":
            window.on_screen.toggle_mark("heel", Side.LEFT, Symptom.NUMBNESS)
            panel.check()
            assert window.state.read_only  # the answer is in: no more drawing
        else:
            panel.answer(q.target)
        panel.next_question()
        if panel.quiz.finished:
            break


def test_topic_pills_filter_the_quiz(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("maps", "myotomes"), n=8)
    assert {q.topic for q in panel.quiz.questions} == {"maps", "myotomes"}
    for pill in panel.topic_pills.values():
        if pill.isChecked():
            qtbot.mouseClick(pill, Qt.MouseButton.LeftButton)
    assert not panel.start_button.isEnabled()  # nothing to ask


def test_learning_modes_hide_the_patient_and_the_emergency(qtbot, window) -> None:
    w = window
    w.model.toggle_mark("saddle", Side.LEFT, Symptom.NUMBNESS)
    w.model.toggle_mark("heel", Side.RIGHT, Symptom.PAIN)
    w.model.set_red_flag(RedFlag.URINARY_RETENTION, True)
    qtbot.waitUntil(lambda: "EMERGENCY" in _status(w), timeout=5000)
    clinical = w.model.session
    shown = sorted((it.key, it.mark) for it in _marked_items(w))
    assert shown
    for mode in (Mode.EXPLORE, Mode.QUIZ):  # the quiz before its start too
        w.state.set_mode(mode)
        assert not _marked_items(w)
        assert "EMERGENCY" not in _status(w)
        assert "saddle" not in w.diagram.accessibleDescription().lower()
    w.state.set_mode(Mode.CLINICAL)
    assert w.model.session == clinical
    assert sorted((it.key, it.mark) for it in _marked_items(w)) == shown
    qtbot.waitUntil(lambda: "EMERGENCY" in _status(w), timeout=5000)


# --------------------------------------------------------------------------- feedback, progress


def test_after_the_answer_territory_reason_and_sources(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("vignettes",), seed="4")
    q = panel.quiz.current
    assert not panel.feedback.isVisible() and not panel.feedback_text.text()
    wrong = next(c for c in q.choices if c != q.target)
    fb = panel.answer(wrong)
    assert panel.feedback.isVisible() and panel.feedback_text.text() == fb.reason
    assert panel.feedback_sources.ids
    if q.target.startswith(("L", "S", "peripheral:")):
        assert window.state.highlight  # the territory is drawn
        # beside the case's own marks: the hint says which is which (no legend did; a review)
        assert "the answer's territory is shaded" in panel.hint_label.text()


def test_answers_are_kept_owner_only_and_plotted(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("key_points",), n=3)
    for i in range(3):
        q = panel.quiz.current
        panel.answer(q.target if i else next(c for c in q.choices if c != q.target))
        panel.next_question()
    path = progress_path()
    assert str(path).startswith(os.environ["DERMAMAP_DATA_DIR"])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    answers = progress.load(path)
    assert [a.correct for a in answers] == [False, True, True]
    assert {a.topic for a in answers} == {"key_points"} and answers[0].seed == 7
    dlg = panel.show_progress()
    qtbot.addWidget(dlg)
    curve = dlg.curves["key_points"]  # one quiz: one point, 2 of 3 right
    assert [round(x) for x in curve.xData] == [1] and round(curve.yData[0]) == 67
    row = list(TOPICS).index("key_points")
    assert dlg.table.item(row, 1).text() == "3"
    # two right since the miss: in words, not "box 3 of 4"
    assert dlg.table.item(row, 3).text() == "comes back now and then"
    assert set(NEXT_TIME) == set(range(1, progress.MAX_BOX + 1))


def test_a_quiz_restarted_within_the_second_is_a_quiz_of_its_own(qtbot, window) -> None:
    """A quiz was known by the second it started: one answered and restarted within that
    second shared its start with the next, and My progress plotted the two as one quiz."""
    panel = _quiz(window, qtbot, topics=("key_points",), n=3)
    panel.answer(panel.quiz.current.target)
    panel.confirm_new_quiz = lambda *_: True  # "Start a new quiz and give up this one?" Yes
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)  # Restart at once
    q = panel.quiz.current
    panel.answer(next(c for c in q.choices if c != q.target))
    answers = progress.load(progress_path())
    assert len(answers) == 2 and answers[0].quiz != answers[1].quiz
    assert progress.score_history(answers)["key_points"] == [(1, 100.0), (2, 0.0)]


def test_a_missed_topic_comes_first_next_time(qtbot, window) -> None:
    panel = _quiz(window, qtbot, topics=("myotomes",), n=3)
    panel.answer(next(c for c in panel.quiz.current.choices if c != panel.quiz.current.target))
    for pill in panel.topic_pills.values():
        if not pill.isChecked():
            qtbot.mouseClick(pill, Qt.MouseButton.LeftButton)
    panel.seed_edit.clear()  # a fresh quiz follows the student's progress
    panel.confirm_new_quiz = lambda *_: True  # (the quiz under way is given up)
    for _ in range(3):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.quiz.questions[0].topic == "myotomes"


# --------------------------------------------------------------------------- whole quizzes


def _click_zone(qtbot, w: MainWindow, key: tuple[str, Side]) -> None:  # type: ignore[no-untyped-def]
    shape = next(z for z in load_diagram().zones() if (z.id, z.side) == key)
    click_scene_point(qtbot, w.diagram, *interior_point(shape))


@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_whole_quiz_of_each_topic_in_the_window(qtbot, window, topic) -> None:
    w = window
    w.diagram.fit_all()
    panel = _quiz(w, qtbot, topics=(topic,), seed="21", n=6)
    while not panel.quiz.finished:
        q = panel.quiz.current
        assert panel.card.isVisible() and panel.prompt_label.text()
        assert w.state.overlays_locked
        if q.kind == "mark_territory":
            shapes = {(z.id, z.side) for z in load_diagram().zones()}
            for key in learn.territory_zones(q.target, q.atlas, 1.0):
                if key[1] is Side.LEFT and key in shapes:
                    _click_zone(qtbot, w, key)
        else:
            radio = panel._choice_buttons[q.choices.index(q.target)]
            qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
        fb = panel.quiz.current_feedback
        assert fb is not None and fb.correct, (q.prompt, fb)
        assert not w.state.overlays_locked
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel.summary.isVisible() and "6 of 6 right" in panel.summary_text.text()
    w.state.set_mode(Mode.CLINICAL)
    assert w.model.session.marks == () and w.state.learning is None


def test_help_guide_shows_the_three_modes_and_patient_mode_with_pictures(qtbot, window) -> None:
    from gui.guide import GuideDialog

    assert window.guide_action in window.help_menu.actions()
    window.guide_action.trigger()
    dlg = window.findChild(GuideDialog)
    assert dlg is not None and dlg.isVisible()
    assert set(dlg.pictures) == {"clinical", "explore", "quiz", "patient"}
    for pic in dlg.pictures.values():
        pm = pic.pixmap()
        assert not pm.isNull() and pm.width() / pm.devicePixelRatio() > 300
        img = pm.toImage()
        colours = {
            img.pixel(x, y) for x in range(0, img.width(), 7) for y in range(0, img.height(), 7)
        }
        assert len(colours) > 5  # a drawing, not a blank
    dlg.close()


def test_topics_with_the_same_scores_stay_apart_on_the_progress_plot(qtbot) -> None:
    """Two topics missed in the same quizzes drew one line over the other (only the last
    showed): each topic's points sit a little apart and have their own shape, as in the
    table."""
    from gui.learn.progress_view import ProgressDialog

    answers = [
        progress.Answer(f"2026-01-0{q}T10:00:0{i}+00:00", topic, "k", False, 0.0, 1, f"q{q}")
        for q in (1, 2)
        for i, topic in enumerate(("myotomes", "vignettes"))
    ]
    dlg = ProgressDialog(answers)
    qtbot.addWidget(dlg)
    a, b = dlg.curves["myotomes"], dlg.curves["vignettes"]
    assert list(a.yData) == list(b.yData) == [0, 0]
    assert all(abs(x - y) > 0.05 for x, y in zip(a.xData, b.xData, strict=True))
    assert [round(x) for x in a.xData] == [1, 2]
    assert a.opts["symbol"] != b.opts["symbol"]
    # the table shows each line's colour and shape as a swatch beside the topic's name
    rows = {dlg.table.item(r, 0).text(): dlg.table.item(r, 0) for r in range(6)}
    mine, theirs = rows[TOPICS["myotomes"]], rows[TOPICS["vignettes"]]
    assert mine.toolTip() != theirs.toolTip()  # each names its own marker
    assert mine.icon().pixmap(14).toImage() != theirs.icon().pixmap(14).toImage()


def test_the_progress_table_is_read_not_edited(qtbot) -> None:
    """A double-click on a score opened an editor: a student could overwrite "67%" (the
    table's items were editable by default)."""
    from gui.learn.progress_view import ProgressDialog
    from tests.gui.helpers import edits_a_cell

    answers = [progress.Answer("2026-01-01T10:00:00+00:00", "myotomes", "k", True, 1.0, 1, "q")]
    dlg = ProgressDialog(answers)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert not edits_a_cell(dlg.table, 0, 2, "0")


def test_the_progress_table_shows_every_topic_without_scrolling(qtbot) -> None:
    """At the dialog's size the last topic was cut off behind a scroll bar."""
    from gui.learn.progress_view import ProgressDialog

    dlg = ProgressDialog([])
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    table = dlg.table
    assert not table.verticalScrollBar().isVisible()
    last = table.visualItemRect(table.item(table.rowCount() - 1, 0))
    assert table.viewport().rect().contains(last)


def test_a_muscle_answer_shades_no_skin_and_claims_none(qtbot, window) -> None:
    """UX review: after "Which root does this ISNCSCI key muscle test? Knee extensors" the
    panel said "The answer is shaded on the diagram" and shaded the anterior knee skin (L3's
    dermatome), blurring myotome and dermatome; reflex questions did the same. Answered by
    mouse in the real window, right or wrong: nothing on the diagram is highlighted, no text
    speaks of shading, and the panel names the answer and says the skin was not what was
    asked."""
    w = window
    panel = _quiz(w, qtbot, topics=("myotomes",), seed="11", n=3)
    forms = set()
    for i in range(3):
        q = panel.quiz.current
        assert q.kind == "myotome"
        forms.add("key muscle" if "key muscle" in q.prompt else "reflex")
        pick = q.target if i == 0 else next(c for c in q.choices if c != q.target)
        qtbot.mouseClick(panel._choice_buttons[q.choices.index(pick)], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
        fb = panel.quiz.current_feedback
        assert fb is not None and fb.correct == (i == 0)
        assert not w.state.highlight, q.prompt
        assert not any(it.highlight is not None for it in w.diagram.zone_items)
        words = " ".join(
            (
                panel.hint_label.text(),
                panel.feedback_title.text(),
                panel.feedback_text.text(),
                panel.feedback.accessibleDescription(),
            )
        ).lower()
        assert "shad" not in words and "highlighted" not in words, words
        hint = panel.hint_label.text()
        assert q.target in hint and "skin" in hint and "dermatome" in hint
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert forms == {"key muscle", "reflex"}  # the knee-extensor question of the review too
