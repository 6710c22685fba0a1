"""Patient mode on a small screen, through the real window: the patient's bar took 246 of 700
pixels (four rows) at 1,024 by 700, and the captions patients need to tell left from right were
drawn with the artwork's scale, "Your RIGHT" 9 pixels high and "as if facing you" 7."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QWidget

from gui.main_window import MainWindow
from gui.patient_mode import TARGET

MAX_BAR_SHARE = 0.28  # of the window's height, at 1,024 by 700
MIN_CAPTION_PX = 11.0  # the side captions' and the titles' height on screen


def _patient_mode_at(w: MainWindow, width: int, height: int) -> QWidget:
    w.resize(width, height)
    QApplication.processEvents()
    w.patient_mode.action.trigger()
    QApplication.processEvents()
    bar = w.patient_mode.bar
    assert bar is not None and bar.isVisible()
    return bar


def _middle(w: MainWindow, x: QWidget) -> int:
    return x.mapTo(w, x.rect().center()).y()


def _rows(w: MainWindow, widgets: list[QWidget]) -> int:
    """How many rows ``widgets`` take (on one row their middles are within half a button)."""
    middles = sorted(_middle(w, x) for x in widgets)
    return 1 + sum(b - a > TARGET // 2 for a, b in pairwise(middles))


def _controls(bar: QWidget) -> list[QWidget]:
    return [*bar.findChildren(QPushButton), *bar.findChildren(QComboBox)]


def _all_shown_whole(w: MainWindow, bar: QWidget) -> None:
    """Every control of the patient's bar is on screen, whole, inside the window and at least
    its touch size; the instructions show all their lines."""
    controls = _controls(bar)
    assert len(controls) == 10  # 3 feelings, 3 tools, Undo, finished, 2 strengths
    window = w.rect()
    for c in controls:
        name = c.objectName()
        assert c.isVisible(), name
        assert c.height() >= TARGET and c.width() >= c.sizeHint().width(), name
        top_left, bottom_right = c.mapTo(w, c.rect().topLeft()), c.mapTo(w, c.rect().bottomRight())
        assert window.contains(top_left) and window.contains(bottom_right), name
    text = bar.findChild(QLabel, "patient_instructions")
    assert text is not None and text.isVisible()
    assert text.height() >= text.heightForWidth(text.width())


def test_the_patients_bar_leaves_the_drawing_the_height_of_a_small_window(
    window: MainWindow,
) -> None:
    """At 1,024 by 700 the bar had four rows (instructions, feelings and finish, tools and
    Undo, strength): 246 pixels, 35 % of the window. Now the feelings, the tools and Undo
    share a row, as do the strength and "I have finished"."""
    w = window
    bar = _patient_mode_at(w, 1024, 700)
    assert (w.width(), w.height()) == (1024, 700)
    assert bar.height() <= MAX_BAR_SHARE * w.height(), bar.height()
    _all_shown_whole(w, bar)
    pm = w.patient_mode
    undo = pm.undo_button
    assert undo is not None
    marking = [*pm.symptom_buttons.values(), *pm.tool_buttons.values(), undo]
    assert _rows(w, marking) == 1
    finish = bar.findChild(QPushButton, "patient_finished")
    strength = [*bar.findChildren(QComboBox), bar.findChild(QLabel, "patient_intensity_question")]
    assert _rows(w, [finish, *strength]) == 1
    assert _middle(w, finish) > _middle(w, undo) + TARGET // 2  # the row below
    pm.leave()


def test_the_patients_bar_takes_fewer_rows_in_wider_windows(window: MainWindow) -> None:
    """A laptop screen (1,366 by 768) keeps the 1,024 rows; a full-HD window has every control
    on one row under the instructions (the bar had three rows of controls at both)."""
    w = window
    bar = _patient_mode_at(w, 1366, 768)
    _all_shown_whole(w, bar)
    pm = w.patient_mode
    assert _rows(w, [*pm.symptom_buttons.values(), *pm.tool_buttons.values()]) == 1
    assert bar.height() <= 0.22 * w.height(), bar.height()
    pm.leave()
    bar = _patient_mode_at(w, 1920, 1080)
    if (w.width(), w.height()) != (1920, 1080):  # a screen smaller than full HD
        pm.leave()
        return
    _all_shown_whole(w, bar)
    assert _rows(w, _controls(bar)) == 1
    assert bar.height() <= 0.1 * w.height(), bar.height()
    pm.leave()


def _on_screen(w: MainWindow) -> list[tuple[str, str, QRectF]]:
    """Each shown caption: its kind, words and the viewport rectangle of its words."""
    d = w.diagram
    to_view = d.viewportTransform()
    return [
        (kind, item.text, item.deviceTransform(to_view).mapRect(item.text_rect))
        for item, kind in d.captions
        if item.isVisible()
    ]


def _drawing(w: MainWindow) -> QPainterPath:
    """The legs and feet of every view, in viewport pixels."""
    d = w.diagram
    to_view = d.viewportTransform()
    path = QPainterPath()
    for view in d.diagram.views:
        for points in [o.points for o in view.outlines] + list(view.body):
            path.addPolygon(to_view.map(QPolygonF([QPointF(x, y) for x, y in points])))
    return path


def _clear(w: MainWindow, shown: list[tuple[str, str, QRectF]]) -> None:
    """No caption runs into another, into the drawing, or out of the view."""
    viewport = QRectF(w.diagram.viewport().rect())
    drawing = _drawing(w)
    for i, (_kind, text, rect) in enumerate(shown):
        assert viewport.contains(rect), text
        assert not drawing.intersects(rect), text
        for _kind2, text2, rect2 in shown[i + 1 :]:
            assert not rect.intersects(rect2), (text, text2)


def test_the_patients_captions_are_large_enough_to_read(window: MainWindow) -> None:
    """At 1,024 by 700 "Your RIGHT" and "Your LEFT" were 9 pixels high and the views' titles 11
    (captions follow the artwork's scale, and the asset's places left no room to grow): now at
    least 11 in every view (front, back, tops, soles, inner and outer side), none running into
    another, into the drawing or out of the view; the clinician's stay as they were."""
    w = window
    w.resize(1024, 700)
    QApplication.processEvents()
    d = w.diagram
    clinician = _on_screen(w)
    places = [(item.pos(), item.scale(), item.transform()) for item, _kind in d.captions]
    _patient_mode_at(w, 1024, 700)
    shown = _on_screen(w)
    sides = [(text, r.height()) for kind, text, r in shown if kind == "side"]
    titles = [(text, r.height()) for kind, text, r in shown if kind == "title"]
    assert len(sides) == 12 and {t for t, _h in sides} == {"Your RIGHT", "Your LEFT"}
    assert len(titles) == 6
    assert all(h >= MIN_CAPTION_PX for _t, h in (*sides, *titles)), (sides, titles)
    facing = [r.height() for _k, text, r in shown if text == "as if facing you"]
    assert facing and facing[0] >= 0.8 * MIN_CAPTION_PX
    assert len(shown) == len(d.captions)  # none gave way
    _clear(w, shown)
    w.patient_mode.leave()
    QApplication.processEvents()
    assert _on_screen(w) == clinician
    assert [(item.pos(), item.scale(), item.transform()) for item, _k in d.captions] == places


def test_the_patients_captions_fit_every_size(window: MainWindow) -> None:
    """At a laptop's and a full-HD size the patient's captions are clear of each other, of the
    drawing and of the view's edges too, and never smaller than at 1,024 by 700."""
    w = window
    for width, height in ((1366, 768), (1920, 1080), (800, 800)):
        _patient_mode_at(w, width, height)
        shown = _on_screen(w)
        assert len(shown) == len(w.diagram.captions)
        assert min(r.height() for kind, _t, r in shown if kind == "side") >= MIN_CAPTION_PX
        _clear(w, shown)
        w.patient_mode.leave()
