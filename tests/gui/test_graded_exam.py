"""The graded exam through the real window: MRC grades, the sensory grid, symptom intensity,
saved to the session file and read back."""

from __future__ import annotations

import json
from pathlib import Path

from core import engine
from core.engine.facts import side_facts
from core.model import Movement, Side, Strength, Symptom
from core.session_io import load_session
from gui.main_window import MainWindow

R, L = Side.RIGHT, Side.LEFT


def _choose(combo, data: object) -> None:
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)


def test_mrc_grades_sensation_and_intensity_reach_the_file(
    window: MainWindow, tmp_path: Path
) -> None:
    w = window
    form = w.panel.form
    combo = form.strength_combos[(R, Movement.GREAT_TOE_EXTENSION)]
    texts = [combo.itemText(i) for i in range(combo.count())]
    # the grades, then the words for no grade: "5 normal" beside "normal" read as normal twice
    assert texts == ["not tested", "5", "4", "3", "2", "1", "0", "weak", "normal"]
    _choose(combo, 3)
    f = w.model.session.findings
    assert f.grade(R, Movement.GREAT_TOE_EXTENSION) == 3
    assert f.power(R, Movement.GREAT_TOE_EXTENSION) is Strength.WEAK  # what the engine reads
    facts = side_facts(w.model.session.findings, R, None)  # the engine's contract is kept
    assert facts["strength:great_toe_extension"] == "weak"
    assert engine.analyze(w.model.session).hypotheses
    _choose(form.strength_combos[(L, Movement.HIP_FLEXION)], 5)
    _choose(form.strength_combos[(L, Movement.KNEE_FLEXION)], "weak")
    grid = form.sensory
    assert len(grid.score_combos) == 2 * 8 * 2
    _choose(grid.score_combos[(R, "L5", "pin_prick")], 1)
    _choose(grid.score_combos[(R, "L5", "light_touch")], 2)
    _choose(grid.score_combos[(L, "S4_5", "light_touch")], 0)
    _choose(grid.intensity_combos[(R, Symptom.PAIN)], 7)
    _choose(grid.intensity_combos[(R, Symptom.NUMBNESS)], 0)
    f = w.model.session.findings
    assert f.sensation[R]["L5"] == {"pin_prick": 1, "light_touch": 2}
    assert f.symptom_intensity(R, Symptom.PAIN) == 7
    assert f.symptom_intensity(R, Symptom.NUMBNESS) == 0
    # each change is one undo step, and the form follows undo
    w.undo_action.trigger()
    assert w.model.session.findings.symptom_intensity(R, Symptom.NUMBNESS) is None
    assert grid.intensity_combos[(R, Symptom.NUMBNESS)].currentData() is None
    w.redo_action.trigger()
    assert grid.intensity_combos[(R, Symptom.NUMBNESS)].currentData() == 0
    # saved and read back
    path = tmp_path / "exam.json"
    assert w.files._write(path)
    data = json.loads(path.read_text())["findings"]
    assert data["strength"] == {
        "right": {"great_toe_extension": 3},
        "left": {"hip_flexion": 5, "knee_flexion": "weak"},
    }
    assert data["sensation"]["right"]["L5"] == {"light_touch": 2, "pin_prick": 1}
    assert data["intensity"] == {"right": {"numbness": 0, "pain": 7}}
    assert load_session(path) == w.model.session
    # a new window shows what the file holds
    form.clear_button.click()
    assert combo.currentData() is None
    w.model.replace_session(load_session(path), path)
    assert combo.currentData() == 3
    assert grid.score_combos[(L, "S4_5", "light_touch")].currentData() == 0
    assert grid.intensity_combos[(R, Symptom.PAIN)].currentData() == 7


def test_grid_controls_are_named_for_screen_readers(window: MainWindow) -> None:
    grid = window.panel.form.sensory
    names = [c.accessibleName() for c in grid.controls()]
    assert len(set(names)) == len(names)
    assert "Right L3 pin prick (medial femoral condyle)" in names
    assert "Right S4-5 light touch (perianal)" in names  # it read "(S4-5)" twice
    assert "Left pain intensity (0-10)" in names
    # the columns' short names are said above them (a UX review: "R LT ... L PP" unexplained)
    from PySide6.QtWidgets import QLabel

    title = grid.findChild(QLabel, "sensation_title")
    assert title is not None and "LT light touch, PP pin prick" in title.text()
    assert "– not tested" in title.text()


def test_opening_the_exam_tab_keeps_the_diagram_its_width(window: MainWindow, qtbot) -> None:
    """The exam form fits the side panel's usual width: opening its tab for the first time
    widened the panel by a hundred pixels and shrank the diagram (the strength items read
    "normal (no grade)", the sensory scores "1 altered" in four columns). The scores show as
    numbers, each item's tooltip and spoken text in words."""
    from PySide6.QtCore import Qt

    before = window.diagram.width()
    window.panel.tabs.setCurrentWidget(window.panel._exam_scroll)
    qtbot.waitUntil(lambda: window.panel.form.isVisible())
    qtbot.wait(50)
    assert window.diagram.width() == before
    score = window.panel.form.sensory.score_combos[(Side.RIGHT, "L4", "light_touch")]
    texts = [score.itemText(i) for i in range(score.count())]
    spoken = [score.itemData(i, Qt.ItemDataRole.AccessibleTextRole) for i in range(score.count())]
    assert texts == ["–", "2", "1", "0"]
    assert spoken == ["not tested", "2 normal", "1 altered", "0 absent"]
