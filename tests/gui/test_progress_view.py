"""My progress: an empty record shows no empty axes (a review saw ticks 1 and 2 with nothing
plotted), and every answer's dot stays whole inside the chart (a guard: the review thought a
score of 100 % was cut at the top; here it is not)."""

from __future__ import annotations

from core.progress import Answer
from gui.learn.progress_view import TOPICS, ProgressDialog
from gui.main_window import MainWindow


def test_every_dot_of_my_progress_is_inside_the_chart(window: MainWindow) -> None:
    answers = [
        Answer("2026-12-07T10:00:00Z", topic, "kind", True, 1.0, 7, quiz="q1") for topic in TOPICS
    ]
    dlg = ProgressDialog(answers, window)
    dlg.show()
    box = dlg.plot.getViewBox()
    (x0, x1), (y0, y1) = box.viewRange()
    per_x, per_y = box.width() / (x1 - x0), box.height() / (y1 - y0)
    assert dlg.curves
    half = 4  # half the dots' size, in pixels: a dot nearer the edge is cut
    for curve in dlg.curves.values():
        xs, ys = curve.getData()
        assert all(min(x - x0, x1 - x) * per_x >= half for x in xs), (xs, x0, x1)
        assert all(min(y - y0, y1 - y) * per_y >= half for y in ys), (ys, y0, y1)
    dlg.close()


def test_no_answers_show_no_empty_chart(window: MainWindow) -> None:
    dlg = ProgressDialog([], window)
    dlg.show()
    assert not dlg.plot.isVisible() and dlg.empty.isVisible()
    dlg.close()
