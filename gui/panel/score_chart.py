"""Per-root score chart (L2-S2, right and left) drawn with pyqtgraph.

The chart compares the roots' probabilities between the legs on a fixed dermatome axis; the
ranked list above it gives every hypothesis (nerves, polyneuropathy) with its own bar. The chart
is therefore titled "Roots L2-S2 only", and when a leg's first hypothesis is not among its bars (a
nerve, polyneuropathy, or a root outside L2-S2) a line above the plot names it, so that the
tallest bar is not read as the leg's most probable lesion (a UX review: the common peroneal
nerve first at 45 % beside a chart whose tallest bar was L5 at 39 %).
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph binds to PySide6
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import QFrame, QSizePolicy, QVBoxLayout, QWidget

from core.impression import percent
from core.names import side_name, the_hypothesis
from core.results import Analysis, Hypothesis
from gui import theme
from gui.panel import escape
from gui.panel.labels import HfwCachedLabel, set_text

ROOTS = ("L2", "L3", "L4", "L5", "S1", "S2")
SIDES = ("right", "left")
TITLE = "Roots L2-S2 only: solid right, hatched left"


def root_scores(analysis: Analysis | None, side: str) -> list[float]:
    """Probability of each root of :data:`ROOTS` on ``side`` (0 when the engine lists it not)."""
    out = dict.fromkeys(ROOTS, 0.0)
    if analysis is not None:
        for h in analysis.hypotheses:
            if h.side == side and h.id in out:
                out[h.id] = max(out[h.id], float(h.score))
    return [out[r] for r in ROOTS]


def first_not_charted(analysis: Analysis | None, side: str) -> Hypothesis | None:
    """The first hypothesis the list shows for ``side`` when it has no bar in the chart (a
    nerve, polyneuropathy, a root outside :data:`ROOTS`), else None."""
    if analysis is None:
        return None
    first = next((h for h in analysis.hypotheses if h.side == side), None)
    return first if first is not None and first.id not in ROOTS else None


def not_charted_lines(analysis: Analysis | None) -> list[str]:
    """Per leg whose first hypothesis the chart leaves out: "Roots L2-S2 only: the right leg's
    first, the common peroneal (fibular) nerve (45%), has no bar" (names from
    :mod:`core.names`; it read "Right leg's first has no bar here: ...", which a UX review found
    awkward)."""
    out = []
    for side in SIDES:
        h = first_not_charted(analysis, side)
        if h is not None:
            p = h.probability if h.probability is not None else h.score
            out.append(
                f"Roots L2-S2 only: the {side_name(side).lower()} leg's first, "
                f"{the_hypothesis(h.id)} ({percent(p)}), has no bar"
            )
    return out


class ScoreChartHolder(QWidget):
    """The bar chart of root probabilities, roots only (hidden while every root reads "<1%";
    the plot itself is made the first time there is something to plot), with a line above it
    naming a leg's first hypothesis when that has no bar."""

    PLOT_HEIGHT = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_chart")
        self.setAccessibleName("Root probabilities chart, roots only")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        # a section of its own (it followed the notes, and read as one of them)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        self._layout.addWidget(rule)
        self._layout.addSpacing(4)
        # at the top of the chart's box, above its bars
        self.not_charted = HfwCachedLabel()
        self.not_charted.setObjectName("score_chart_not_charted")
        self.not_charted.setWordWrap(True)
        self.not_charted.setAutoFillBackground(True)
        self.not_charted.setContentsMargins(6, 4, 6, 0)
        self.not_charted.setVisible(False)
        self._layout.addWidget(self.not_charted)
        self._not_charted: tuple[str, ...] = ()
        self._caption_colors()
        self._bars: dict[str, Any] = {}
        self._last: tuple[tuple[float, ...], tuple[float, ...]] | None = None
        self._analysis: Analysis | None = None
        self._plot: pg.PlotWidget | None = None
        self.setVisible(False)

    def _make_plot(self) -> pg.PlotWidget:
        pw = pg.PlotWidget()
        pw.setObjectName("score_plot")
        pw.setFixedHeight(self.PLOT_HEIGHT)
        pw.setAccessibleName("Root probabilities chart, roots only: bars per root, right and left")
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
        pi.setTitle(TITLE, size="8pt")
        pi.showGrid(x=False, y=True, alpha=0.25)
        self._plot = pw
        self._layout.addWidget(pw)
        self.refresh_theme()
        return pw

    def _caption_colors(self) -> None:
        """The caption in the plot's colours (Base and Text), as part of the chart's box."""
        chart = self.palette()
        pal = self.not_charted.palette()
        pal.setColor(QPalette.ColorRole.Window, chart.color(QPalette.ColorRole.Base))
        pal.setColor(QPalette.ColorRole.WindowText, chart.color(QPalette.ColorRole.Text))
        self.not_charted.setPalette(pal)

    def refresh_theme(self) -> None:
        self._caption_colors()
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
        lines = tuple(not_charted_lines(analysis))
        if lines != self._not_charted:
            self._not_charted = lines
            # plain weight: it explains the chart, the chart's title stays its heading
            set_text(self.not_charted, "<br>".join(f"{escape(line)}." for line in lines))
            self.not_charted.setVisible(bool(lines))
            self._last = None  # the description names them
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
        desc += "".join(f". {line}" for line in self._not_charted)
        self._plot.setAccessibleDescription(desc)
        self._plot.setToolTip("Root probabilities (%), roots only: " + desc)
