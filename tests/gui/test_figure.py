"""The figure in the real window: the first web space is a real click target at 1x, the
Patient's LEFT/RIGHT captions are legible in both palettes, the pelvis is drawn but never marked."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.geometry import load_diagram
from core.model import Side
from gui import theme
from gui.main_window import MainWindow
from tests.gui.helpers import contrast


@pytest.fixture
def window(restore_palette, window: MainWindow) -> MainWindow:
    """The shared window (1366 x 768, a laptop screen at scale 1); the palette it leaves
    behind is put back (``restore_palette``)."""
    return window


def test_the_first_web_space_is_a_16_px_target_at_1x(window: MainWindow) -> None:
    view = window.diagram
    assert window.devicePixelRatio() == 1
    for side in ("right", "left"):
        xy = window.zone_viewport_pos("first_web_space", side)
        assert xy is not None
        centre = QPoint(*xy)
        # every point of a 16 px circle round the zone's centre is still the web space
        for k in range(24):
            a = 2 * math.pi * k / 24
            p = centre + QPoint(round(8 * math.cos(a)), round(8 * math.sin(a)))
            item = view.zone_item_at(p)
            assert item is not None and item.key == ("first_web_space", Side(side)), (side, k)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert {(m.zone, m.side.value) for m in window.model.session.marks} == {
        ("first_web_space", "right"),
        ("first_web_space", "left"),
    }


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_side_captions_are_legible(window: MainWindow, choice: str) -> None:
    from gui import theme_setting

    theme_setting.set_choice(window, choice)
    QApplication.processEvents()
    bg = theme.diagram_colors().background
    caps = [(it, kind) for it, kind in window.diagram._captions if kind == "side"]
    assert len(caps) == 12  # two per view
    for item, _kind in caps:
        assert item._font.pointSizeF() >= 8.5
        assert item._font.bold()
        assert contrast(item._color, bg) >= 7.0, item.text


def test_the_pelvis_is_drawn_but_not_marked(window: MainWindow) -> None:
    view = window.diagram
    ant = next(v for v in load_diagram().views if v.id == "anterior")
    # the middle of the lower trunk, above both groins
    xs = [x for x, _ in ant.body[0]]
    ys = [y for _, y in ant.body[0]]
    mid = QPointF((min(xs) + max(xs)) / 2, min(ys) + 12)
    p = view.mapFromScene(mid)
    assert view.zone_item_at(p) is None
    img = view.viewport().grab().toImage()
    skin = theme.colors().skin
    got = img.pixelColor(p)
    assert abs(got.red() - skin.red()) + abs(got.green() - skin.green()) < 12  # skin, painted
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=p)
    assert window.model.session.marks == ()


def _side_caption_boxes(window: MainWindow) -> list[tuple[str, float, object]]:
    view = window.diagram
    out = []
    for item, kind in view.captions:
        if kind == "side":
            # on the screen: the caption ignores the view's scale and has its own
            box = item.deviceTransform(view.viewportTransform()).mapRect(item.boundingRect())
            out.append((item.text, item.scale(), box))
    return out


def test_side_captions_never_run_into_each_other_in_a_small_window(
    window: MainWindow, qtbot
) -> None:
    """In a window snapped to half of a 1920-pixel screen the diagram is about 560 pixels
    wide: "Patient's RIGHT" and "Patient's LEFT" of one view must not run together."""
    from gui.diagram.chart import CAPTION_SCALE_MIN

    usual = {round(scale, 3) for _t, scale, _b in _side_caption_boxes(window)}
    assert len(usual) == 1  # at the laptop size every caption has the labels' usual scale
    window.resize(960, 900)
    qtbot.waitUntil(lambda: window.diagram.viewport().width() < 600, timeout=5000)
    QApplication.processEvents()
    boxes = _side_caption_boxes(window)
    assert min(scale for _t, scale, _b in boxes) >= CAPTION_SCALE_MIN
    assert max(scale for _t, scale, _b in boxes) < min(usual)  # they did shrink
    for i, (text_a, _s, a) in enumerate(boxes):
        for text_b, _s2, b in boxes[i + 1 :]:
            assert not a.adjusted(2, 0, -2, 0).intersects(b.adjusted(2, 0, -2, 0)), (text_a, text_b)


def test_no_two_captions_overlap_in_a_small_window(window: MainWindow, qtbot) -> None:
    """Captions stack closely (title, the line under it, the side captions): at 1000 or
    1200 pixels the line under the title ran into the side captions. Each caption now keeps
    clear of every other one across or down, and at 900 pixels the orienting lines, which
    could not shrink enough, give way instead of overlapping."""
    from itertools import combinations

    view = window.diagram

    def texts_on_screen() -> list[tuple[str, object]]:
        return [
            (item.text, item.deviceTransform(view.viewportTransform()).mapRect(item.text_rect))
            for item, _kind in view.captions
            if item.isVisible()
        ]

    for width, height in ((1200, 800), (1000, 800), (900, 700)):
        window.resize(width, height)
        QApplication.processEvents()
        boxes = texts_on_screen()
        for (ta, a), (tb, b) in combinations(boxes, 2):
            overlap = a.intersected(b)
            assert overlap.width() < 0.5 or overlap.height() < 0.5, (width, ta, tb)
        scales: dict[str, set[float]] = {}
        for item, kind in view.captions:
            if item.isVisible():
                scales.setdefault(kind, set()).add(round(item.scale(), 4))
        assert all(len(v) == 1 for v in scales.values()), (width, scales)  # one size a kind
        hidden = [item.text for item, kind in view.captions if not item.isVisible()]
        if width >= 1000:
            assert not hidden, width
        else:
            assert "facing the patient" in hidden
            assert {"Patient's RIGHT", "Anterior (front)"} <= {t for t, _b in boxes}


def test_captions_take_short_words_where_the_full_ones_would_touch(
    window: MainWindow, qtbot
) -> None:
    """At 800 pixels (a window snapped to half a small laptop screen) "Patient's LEFT" and
    "Patient's RIGHT" of one view ran together even at their smallest size. They read "Pt's L"
    and "Pt's R" there (never a bare "LEFT", which reads as the viewer's left; the whole words
    on hover) and come back whole in a larger window."""
    view = window.diagram
    window.resize(800, 600)
    qtbot.waitUntil(lambda: view.viewport().width() < 450, timeout=5000)
    QApplication.processEvents()
    boxes = [
        (item.text, item.deviceTransform(view.viewportTransform()).mapRect(item.text_rect))
        for item, kind in view.captions
        if kind == "side"
    ]
    assert {t for t, _b in boxes} == {"Pt's R", "Pt's L"}
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            overlap = a.intersected(b)
            assert overlap.width() < 0.5 or overlap.height() < 0.5, (text_a, text_b)
    side = next(item for item, kind in view.captions if kind == "side")
    assert side.toolTip() in ("Patient's RIGHT", "Patient's LEFT")
    # narrower still: the view titles lose their words in brackets too, and no two captions
    # shown run into each other (a title and the side captions under it, stacked, may touch
    # by under a pixel at the smallest size)
    window.resize(640, 700)
    qtbot.waitUntil(lambda: view.viewport().width() < 320, timeout=5000)
    QApplication.processEvents()
    titles = {item.text for item, kind in view.captions if kind == "title"}
    assert {"Dorsal feet", "Plantar feet"} <= titles and not any("(" in t for t in titles)
    shown = [
        (item.text, item.deviceTransform(view.viewportTransform()).mapRect(item.text_rect))
        for item, _kind in view.captions
        if item.isVisible()
    ]
    for i, (text_a, a) in enumerate(shown):
        for text_b, b in shown[i + 1 :]:
            overlap = a.intersected(b)
            assert overlap.width() < 0.5 or overlap.height() < 1.0, (text_a, text_b)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: view.viewport().width() > 800, timeout=5000)
    QApplication.processEvents()
    sides = {item.text for item, kind in view.captions if kind == "side"}
    assert sides == {"Patient's RIGHT", "Patient's LEFT"} and not side.toolTip()
    assert "Dorsal feet (top)" in {item.text for item, _kind in view.captions}
