"""The results panel after a UX review: the root chart does not pass a nerve-first leg off as a
root one, notes stand under a heading of their own (not under "Left leg"), and the emergency
among the conditions looks as the urgent banner does."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QWidget

from core.impression import percent
from core.names import the_hypothesis
from gui import theme
from gui.main_window import MainWindow

NERVE_FIRST: dict[str, Any] = {
    "marks": [
        {"zone": "lateral_lower_leg", "side": "right", "symptom": "pain"},
        {"zone": "dorsum_of_foot", "side": "right", "symptom": "numbness"},
        {"zone": "first_web_space", "side": "right", "symptom": "numbness"},
        {"zone": "great_toe", "side": "right", "symptom": "numbness"},
    ],
    "findings": {
        "strength": {"right": {"great_toe_extension": 4, "ankle_dorsiflexion": 4}},
        "history": {"back_pain": False},
    },
}

ROOT_FIRST: dict[str, Any] = {
    "marks": [
        {"zone": z, "side": "right", "symptom": "numbness"}
        for z in ("buttock", "lateral_thigh", "lateral_lower_leg", "dorsum_of_foot", "great_toe")
    ],
}

CAUDA_EQUINA: dict[str, Any] = {
    "marks": [
        {"zone": "saddle", "side": "right", "symptom": "numbness"},
        {"zone": "saddle", "side": "left", "symptom": "numbness"},
        {"zone": "dorsum_of_foot", "side": "right", "symptom": "numbness"},
        {"zone": "great_toe", "side": "right", "symptom": "numbness"},
        {"zone": "lateral_lower_leg", "side": "right", "symptom": "numbness"},
    ],
    "red_flags": ["urinary_retention"],
}


def _open(window: MainWindow, tmp_path: Path, name: str, content: dict[str, Any]) -> None:
    """Open ``content`` as a session file, as File > Open does."""
    path = tmp_path / f"{name}.json"
    data = {"format": "dermamap-session", "version": 1, "atlas": "consensus", **content}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert window.files.open_path(path)
    QApplication.processEvents()


def _top_in(widget: QWidget, root: QWidget) -> int:
    return widget.mapTo(root, widget.rect().topLeft()).y()


def test_the_root_chart_says_roots_only_and_names_a_nerve_that_comes_first(
    window: MainWindow, tmp_path: Path
) -> None:
    """The chart under the list drew roots only, titled "Root probabilities": with the
    common peroneal nerve first and L5 second, its tallest bar (L5) read as the leg's lesion."""
    _open(window, tmp_path, "nerve", NERVE_FIRST)
    panel = window.panel
    first = next(h for h in panel.analysis.hypotheses if h.side == "right")
    assert first.id.startswith("peripheral:") and panel.displayed("right")[0] == first.id
    assert panel.displayed("right")[1] == "L5"  # a root the chart draws, second in the list
    chart = panel.chart
    assert chart.isVisibleTo(panel)
    plot = chart.findChild(pg.PlotWidget, "score_plot")
    assert plot is not None
    assert "Roots L2-S2 only" in plot.getPlotItem().titleLabel.text
    name = the_hypothesis(first.id)  # "the common peroneal (fibular) nerve"
    assert first.probability is not None
    said = [
        lab
        for lab in chart.findChildren(QLabel)
        if lab.isVisibleTo(panel) and name in lab.text() and "the right leg's first" in lab.text()
    ]
    assert said, "the chart does not say that the right leg's first hypothesis is not charted"
    assert percent(first.probability) in said[0].text()
    assert _top_in(said[0], chart) < _top_in(plot, chart)  # read before the bars

    # a root first: every leg's first has its bar, nothing more is said
    _open(window, tmp_path, "root", ROOT_FIRST)
    assert panel.displayed("right")[0] == "L5"
    assert not any(
        lab.isVisibleTo(panel) and "has no bar" in lab.text() for lab in chart.findChildren(QLabel)
    )


_HEADING = re.compile(r"^<b>[^<.]*</b>$")


def _heading_above(window: MainWindow, label: QWidget) -> str:
    """The text of the last section heading (a bold one-line label) above ``label``."""
    results = window.panel._results
    y = _top_in(label, results)
    headings = [
        (_top_in(h, results), h.text())
        for h in results.findChildren(QLabel)
        if h.isVisibleTo(results) and _HEADING.match(h.text())
    ]
    above = [(hy, text) for hy, text in headings if hy < y]
    assert above, "no heading above"
    return max(above)[1]


@pytest.mark.parametrize(("name", "content"), [("nerve", NERVE_FIRST), ("cauda", CAUDA_EQUINA)])
def test_notes_stand_under_their_own_heading_after_both_legs(
    window: MainWindow, tmp_path: Path, name: str, content: dict[str, Any]
) -> None:
    """The map-disagreement note about a right-leg mark, and the atlas comparison, followed
    "Left leg — Nothing marked" with no heading between them: they read as left-leg notes."""
    _open(window, tmp_path, name, content)
    panel = window.panel
    assert any(n.id == "map_disagreement" for n in panel.analysis.notes)
    assert "The maps disagree about the great toe" in panel.note.text()
    shown = [w for w in (panel.note, panel.note_sources, panel.atlas_note) if w.isVisibleTo(panel)]
    assert panel.note in shown
    if name == "cauda":
        assert panel.atlas_note in shown  # "Maps disagree ... S1 root (left)"
    left = panel.sections["left"]
    for w in shown:
        assert _top_in(w, panel._results) > _top_in(left, panel._results) + left.height() - 1
        assert _heading_above(window, w) == "<b>Notes</b>", w.objectName()


def _theme(window: MainWindow, choice: str) -> None:
    menu = window.findChild(type(window.view_menu), "theme_menu")
    assert menu is not None
    actions = {a.text().replace("&", ""): a for a in menu.actions()}
    actions[choice].trigger()
    QApplication.processEvents()


def _same_image(a: QImage, b: QImage) -> bool:
    return a.convertToFormat(QImage.Format.Format_ARGB32) == b.convertToFormat(
        QImage.Format.Format_ARGB32
    )


def _inner_corner(widget: QWidget, inset: int) -> QColor:
    """The colour ``inset`` logical pixels in from the widget's bottom-right corner."""
    img = widget.grab().toImage()
    dpr = img.devicePixelRatio()
    return img.pixelColor(int((widget.width() - inset) * dpr), int((widget.height() - inset) * dpr))


def _near(a: QColor, b: QColor, tol: int = 6) -> bool:
    pairs = ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue()))
    return all(abs(x - y) <= tol for x, y in pairs)


def test_the_emergency_condition_looks_as_the_urgent_banner_does(
    window: MainWindow, tmp_path: Path, restore_palette: None
) -> None:
    """Cauda equina syndrome, the emergency, showed the amber caution triangle in "Conditions
    that fit" while the banner above used the red emergency icon and colours."""
    _open(window, tmp_path, "cauda", CAUDA_EQUINA)
    panel = window.panel
    assert not panel.banner.isHidden()
    rows = [r for r in panel.conditions.rows if r.condition and not r.isHidden()]
    urgent = [r for r in rows if r.condition is not None and r.condition.urgent]
    plain = [r for r in rows if r.condition is not None and not r.condition.urgent]
    assert [r.condition.id for r in urgent if r.condition] == ["cauda_equina"] and plain
    row = urgent[0]
    size = row.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    emergency = row.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
    for choice in ("Light", "Dark"):
        _theme(window, choice)
        assert row.icon.isVisibleTo(panel)
        assert _same_image(row.icon.pixmap().toImage(), emergency.pixmap(size).toImage()), choice
        # the banner's background inside the row's frame, and not in a plain row
        bg = theme.colors().urgent_bg
        inside = _inner_corner(row, 5)
        assert _near(inside, bg), (choice, inside.name(), bg.name())
        assert _near(_inner_corner(panel.banner, 6), bg), choice
        assert not _near(_inner_corner(plain[0], 5), bg), choice
        assert plain[0].icon.isHidden()


def test_the_root_chart_s_title_fits_a_narrow_window(window: MainWindow, tmp_path: Path) -> None:
    """Re-read at 2x in a 1,280-pixel screen (640 wide in the app's units), the chart's title
    "Roots L2-S2 only: solid = right, hatched = left" was cut to "... hatched = lef"."""
    window.resize(640, 700)
    _open(window, tmp_path, "nerve", NERVE_FIRST)
    QApplication.processEvents()
    plot = window.panel.chart.findChild(pg.PlotWidget, "score_plot")
    assert plot is not None and plot.isVisible()
    label = plot.getPlotItem().titleLabel  # its text as drawn: a QGraphicsTextItem
    drawn = label.item.boundingRect().width()
    right = label.mapRectToScene(label.boundingRect()).left() + drawn
    assert right <= plot.width(), (label.text, right, plot.width())
