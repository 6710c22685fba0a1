"""Several symptoms on one zone through the real window: click, menu, region list, undo, CSV."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core import engine
from core.export_csv import marks_and_hypotheses_csv
from core.model import Side, Symptom
from gui.main_window import MainWindow

R = Side.RIGHT


def _click(w: MainWindow, zone: str, side: Side) -> None:
    pos = w.zone_viewport_pos(zone, side.value)
    assert pos is not None, zone
    QTest.mouseClick(
        w.diagram.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(*pos),
    )
    QApplication.processEvents()


def _symptoms(w: MainWindow, zone: str, side: Side) -> list[Symptom]:
    return [m.symptom for m in w.model.session.marks_at(zone, side)]


def test_pain_on_a_numb_zone_adds_pain_and_undo_is_per_action(window: MainWindow) -> None:
    w = window
    w.symptom_actions[Symptom.NUMBNESS].trigger()
    _click(w, "anterior_lower_leg", R)
    w.symptom_actions[Symptom.PAIN].trigger()
    _click(w, "anterior_lower_leg", R)
    assert _symptoms(w, "anterior_lower_leg", R) == [Symptom.NUMBNESS, Symptom.PAIN]
    items = [
        it
        for it in w.diagram.items_of("anterior_lower_leg", R)
        if it.key[0] == "anterior_lower_leg"
    ]
    assert items and all(
        [m.symptom for m in it.marks] == [Symptom.NUMBNESS, Symptom.PAIN] for it in items
    )
    assert "Numbness" in items[0].toolTip() and "Pain" in items[0].toolTip()
    # the session file, the CSV and the engine see one mark per symptom
    csv = marks_and_hypotheses_csv(w.model.session, engine.analyze(w.model.session))
    import csv as csv_module

    table = list(csv_module.DictReader(csv.splitlines()))
    rows = [r for r in table if r["Record"] == "mark" and r["Zone id"] == "anterior_lower_leg"]
    assert sorted(r["Symptom"] for r in rows) == ["numbness", "pain"]
    # the region list shows both
    rl = w.region_list
    rl.set_side(R)
    assert rl.row("anterior_lower_leg").text(1) == "Numbness, Pain"
    # clicking pain again removes pain only
    _click(w, "anterior_lower_leg", R)
    assert _symptoms(w, "anterior_lower_leg", R) == [Symptom.NUMBNESS]
    assert all([m.symptom for m in it.marks] == [Symptom.NUMBNESS] for it in items)
    w.undo_action.trigger()
    assert _symptoms(w, "anterior_lower_leg", R) == [Symptom.NUMBNESS, Symptom.PAIN]
    w.undo_action.trigger()
    assert _symptoms(w, "anterior_lower_leg", R) == [Symptom.NUMBNESS]
    w.redo_action.trigger()
    assert _symptoms(w, "anterior_lower_leg", R) == [Symptom.NUMBNESS, Symptom.PAIN]
    assert "1 zone marked" in w.summary_label.text()


def test_zone_menu_switches_each_symptom_on_and_off(window: MainWindow) -> None:
    w = window
    w.model.toggle_mark("medial_lower_leg", R, Symptom.TINGLING)
    item = next(
        it for it in w.diagram.items_of("medial_lower_leg", R) if it.key == ("medial_lower_leg", R)
    )
    menu = w.diagram.zone_menu(item)
    acts = {a.text(): a for a in menu.actions()}
    assert acts["Tingling"].isChecked() and not acts["Pain"].isChecked()
    acts["Pain"].trigger()
    assert _symptoms(w, "medial_lower_leg", R) == [Symptom.TINGLING, Symptom.PAIN]
    menu.deleteLater()
    menu = w.diagram.zone_menu(item)
    acts = {a.text(): a for a in menu.actions()}
    acts["Tingling"].trigger()  # unchecks tingling only
    assert _symptoms(w, "medial_lower_leg", R) == [Symptom.PAIN]
    acts["Clear"].trigger()
    assert _symptoms(w, "medial_lower_leg", R) == []
    menu.deleteLater()


def test_two_symptoms_paint_both_colours(window: MainWindow) -> None:
    """The zone shows each symptom's own colour in its own bands (not one colour over the
    other)."""
    w = window
    for sym in (Symptom.NUMBNESS, Symptom.PAIN):
        w.model.set_mark_symptom("anterior_thigh", R, sym, True)
    QApplication.processEvents()
    img = w.diagram.viewport().grab().toImage()
    items = [it for it in w.diagram.items_of("anterior_thigh", R)]
    rect = w.diagram.mapFromScene(items[0].sceneBoundingRect()).boundingRect()
    hues = set()
    for x in range(rect.left(), rect.right(), 2):
        for y in range(rect.top(), rect.bottom(), 2):
            p = w.diagram.mapToScene(QPoint(x, y))
            if items[0].contains(p):
                c = QColor(img.pixel(x, y))
                if c.saturation() > 60:
                    hues.add("blue" if 180 <= c.hue() <= 230 else "orange" if c.hue() < 40 else "")
    assert {"blue", "orange"} <= hues
    out = os.environ.get("DERMAMAP_SHOT_DIR")
    if out:  # a picture to look at (never committed)
        w.grab().save(str(Path(out) / "layers.png"))
