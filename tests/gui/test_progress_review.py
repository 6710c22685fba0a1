"""My progress (a medical student's review): the topic names were written in the chart colours
(orange, sky blue and pink on white about 2-3:1, dark blue on dark grey worse); they are now in
the text colour with the colour and marker as a swatch beside them, in both themes. A topic
answered right once read "comes back often", as due as a topic never asked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from core.progress import Answer
from gui.learn.progress_view import NEXT_TIME, TOPICS, ProgressDialog
from gui.main_window import MainWindow
from tests.gui.helpers import contrast


@pytest.fixture
def window(restore_palette, window: MainWindow) -> MainWindow:
    """The shared window; the palette it leaves behind is put back (``restore_palette``)."""
    return window


def _theme(w: MainWindow, choice: str) -> None:
    menu = w.findChild(type(w.view_menu), "theme_menu")
    assert menu is not None
    actions = {a.text().replace("&", ""): a for a in menu.actions()}
    actions[choice.title()].trigger()
    QApplication.processEvents()


def _answers() -> list[Answer]:
    return [
        Answer(f"2026-12-07T10:00:{i:02d}Z", topic, "kind", i % 2 == 0, float(i % 2 == 0), 7, "q")
        for i, topic in enumerate(TOPICS)
    ]


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_topic_names_are_readable_text_with_a_colour_swatch(window: MainWindow, choice) -> None:
    _theme(window, choice)
    dlg = ProgressDialog(_answers(), window)
    dlg.show()
    QApplication.processEvents()
    pal = dlg.table.palette()
    base = pal.color(QPalette.ColorRole.Base)
    assert len(dlg.curves) == len(TOPICS)
    items = [dlg.table.item(row, 0) for row in range(dlg.table.rowCount())]
    for item in items:
        fg = item.data(Qt.ItemDataRole.ForegroundRole)
        colour = pal.color(QPalette.ColorRole.Text) if fg is None else fg.color()
        assert contrast(colour, base) >= 4.5, (choice, item.text(), colour.name())
    for row, item in enumerate(items):
        assert item.text() == list(TOPICS.values())[row]  # the name alone, no coloured mark
        assert not item.icon().isNull()  # the chart colour and marker, as a swatch
    dlg.close()


def test_a_topic_answered_right_once_is_not_due_as_often_as_a_new_one(window: MainWindow) -> None:
    answers = [Answer("2026-12-07T10:00:00Z", "maps", "kind", True, 1.0, 7, "q")]
    dlg = ProgressDialog(answers, window)
    row = {t: i for i, t in enumerate(TOPICS)}
    maps = dlg.table.item(row["maps"], 3).text()
    assert maps == NEXT_TIME[3] and "often" not in maps
    assert dlg.table.item(row["vignettes"], 3).text() == "not asked yet"
    dlg.close()
