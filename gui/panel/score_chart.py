"""Per-root score chart (L2-S2, right and left) drawn with pyqtgraph."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph binds to PySide6
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from core.impression import percent
from core.results import Analysis
from gui import theme

ROOTS = ("L2", "L3", "L4", "L5", "S1", "S2")
SIDES = ("right", "left")


def root_scores(analysis: Analysis | None, side: str) -> list[float]:
    """Probability of each root of :data:`ROOTS` on ``side`` (0 when the engine lists it not)."""
    out = dict.fromkeys(ROOTS, 0.0)
    if analysis is not None:
        for h in analysis.hypotheses:
            if h.side == side and h.id in out:
                out[h.id] = max(out[h.id], float(h.score))
    return [out[r] for r in ROOTS]


class ScoreChartHolder(QWidget):
    """The bar chart of root probabilities (hidden while every root reads "<1%"; the plot
    itself is made the first time there is something to plot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_chart")
        self.setAccessibleName("Root probabilities chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(150)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._bars: dict[str, Any] = {}
        self._last: tuple[tuple[float, ...], tuple[float, ...]] | None = None
        self._analysis: Analysis | None = None
        self._plot: pg.PlotWidget | None = None
        self.setVisible(False)

    def _make_plot(self) -> pg.PlotWidget:
        pw = pg.PlotWidget()
        pw.setObjectName("score_plot")
        pw.setAccessibleName("Root probabilities chart: bars per root, right and left")
        pw.setMenuEnabled(False)
        pw.setMouseEnabled(x=False, y=False)
        # not a stop for Tab: nothing to do there and nothing drawn to show the focus; the
        # list above gives the same percentages, and its description is read out
        pw.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        pw.hideButtons()
        pw.setYRange(-0.04, 1.12, padding=0)
        pw.setXRange(-0.6, len(ROOTS) - 0.4, padding=0)
        pi = pw.getPlotItem()
        pi.getAxis("bottom").setTicks([list(enumerate(ROOTS))])
        # percentages, as the panel's list reads them; a label that does not fit is not drawn
        left = pi.getAxis("left")
        left.setTicks([[(0, "0%"), (0.5, "50%"), (1, "100%")]])
        left.setWidth(QFontMetrics(left.font()).horizontalAdvance("100%") + 14)
        pi.setTitle("Root probabilities: solid = right, hatched = left", size="8pt")
        pi.showGrid(x=False, y=True, alpha=0.25)
        self._plot = pw
        self._layout.addWidget(pw)
        self.refresh_theme()
        return pw

    def refresh_theme(self) -> None:
        if self._plot is None:
            return
        pal = self.palette()
        bg = pal.color(QPalette.ColorRole.Base)
        fg = pal.color(QPalette.ColorRole.Text)
        self._plot.setBackground(bg)
        for name in ("left", "bottom"):
            ax = self._plot.getPlotItem().getAxis(name)
            ax.setPen(pg.mkPen(fg))
            ax.setTextPen(pg.mkPen(fg))
        pi = self._plot.getPlotItem()
        pi.titleLabel.setText(pi.titleLabel.text, color=fg, size="8pt")
        bar = theme.colors().bar
        for item in self._bars.values():
            self._plot.removeItem(item)
        xs = list(range(len(ROOTS)))
        w = 0.38
        right_brush = pg.mkBrush(bar)
        left_brush = pg.mkBrush(bar)
        left_brush.setStyle(Qt.BrushStyle.BDiagPattern)  # left hatched: not colour alone
        self._bars = {
            "right": pg.BarGraphItem(
                x=[x - w / 2 for x in xs],
                height=[0] * len(xs),
                width=w,
                brush=right_brush,
                pen=pg.mkPen(bar),
                name="Right",
            ),
            "left": pg.BarGraphItem(
                x=[x + w / 2 for x in xs],
                height=[0] * len(xs),
                width=w,
                brush=left_brush,
                pen=pg.mkPen(bar),
                name="Left",
            ),
        }
        for item in self._bars.values():
            self._plot.addItem(item)
        self._last = None
        self.set_analysis(self._analysis)

    def set_analysis(self, analysis: Analysis | None) -> None:
        self._analysis = analysis
        values = (tuple(root_scores(analysis, "right")), tuple(root_scores(analysis, "left")))
        # hidden while every root reads "<1%" in the panel: bars too short to see
        show = any(percent(v) != "<1%" for v in (*values[0], *values[1]))
        if self.isHidden() == show:
            self.setVisible(show)
        if values == self._last or (self._plot is None and not show):
            return
        if self._plot is None:
            self._make_plot()
        assert self._plot is not None
        self._last = values
        self._bars["right"].setOpts(height=list(values[0]))
        self._bars["left"].setOpts(height=list(values[1]))
        desc = "; ".join(
            f"{side}: "
            + ", ".join(f"{r} {round(v * 100)}" for r, v in zip(ROOTS, vals, strict=True))
            for side, vals in zip(SIDES, values, strict=True)
        )
        self._plot.setAccessibleDescription(desc)
        self._plot.setToolTip("Root probabilities (%): " + desc)
