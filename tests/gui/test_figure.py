"""The figure in the real window: the first web space is a real click target at 1x, the
Patient's LEFT/RIGHT captions are legible in both palettes, the pelvis is drawn but never marked."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

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
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(tmp_path / "settings"))
    app = QApplication.instance()
    old = app.palette()
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)  # the default size on a laptop screen, scale factor 1
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.is_ready, timeout=15000)
    yield w
    w.discard_and_close()
    app.setPalette(old)
    QApplication.processEvents()


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
