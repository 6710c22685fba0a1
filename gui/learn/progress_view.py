"""The student's results: score over time by topic (pyqtgraph), answers and the box of each topic
(spaced repetition, see :mod:`core.progress`). Where the answers are kept: :func:`progress_path`;
reading them, a damaged file set aside with a message saying so: :func:`load_answers`.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph binds to PySide6
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, QStandardPaths, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import progress
from core.file_guard import printable
from core.quiz import TOPICS
from gui import theme
from gui.screen_fit import resize_within_screen

ENV_DIR = "DERMAMAP_DATA_DIR"
NEXT_TIME = {
    1: "comes back soon (missed last time)",
    2: "comes back often (missed, then right once)",
    3: "comes back now and then",
    4: "learnt: comes back now and again to check",
}
"""When a topic comes back, by its spaced-repetition box (:mod:`core.progress`), in words: the
student was shown "box 2 of 4". An answered topic reaches box 2 only right after a miss (its
first right answer takes it to box 3, past the topics not asked yet)."""
SWATCH_PX = 14
"""The side of a topic's swatch (its chart colour and marker) in the table, in pixels."""


def swatch(colour: QColor, symbol: str, outline: QColor, ratio: float = 1.0) -> QIcon:
    """A topic's chart colour and marker shape (``symbol``, the marker as a character) as a
    small picture to stand beside its name: the name itself stays in the text colour, since the
    chart colours as text fell below 4.5:1 (orange, sky blue, pink on white about 2-3:1). The
    shape is outlined in ``outline`` (the text colour) so it stands out in either theme."""
    side = max(1, round(SWATCH_PX * ratio))
    pm = QPixmap(side, side)
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    if not symbol:  # a blank, to keep the names of topics without a line aligned
        return QIcon(pm)
    font = QFont()
    font.setPixelSize(SWATCH_PX * 2)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, symbol)
    box = path.boundingRect()
    inner = SWATCH_PX - 2.0  # room for the outline
    scale = inner / max(box.width(), box.height(), 1e-6)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.translate(SWATCH_PX / 2, SWATCH_PX / 2)
    p.scale(scale, scale)
    p.translate(-box.center())
    p.setPen(QPen(outline, 1.0 / scale))
    p.setBrush(colour)
    p.drawPath(path)
    p.end()
    return QIcon(pm)


def progress_path() -> Path:
    """The answers file: ``$DERMAMAP_DATA_DIR`` or the app's data folder."""
    folder = os.environ.get(ENV_DIR) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation
    )
    return Path(folder) / progress.FILE_NAME


def damaged_notice(path: Path, what: progress.Recovered) -> str:
    """The student's message for a damaged answers file (:func:`core.progress.recover`)."""
    shown = printable(str(path))
    whole = " whole" if what.kept else ""
    said = f"Your quiz answers file {shown} could not be read{whole} ({what.problem})."
    if what.aside is None:
        return (
            f"{said} It could not be moved aside, so it is left as it is and no answer is "
            "kept until it is moved or removed."
        )
    said += f" It is kept beside it as {printable(what.aside.name)}"
    said += " (only you can read it)" if what.private else ""
    if not what.kept:
        return f"{said}, and a new record has begun."
    n = len(what.kept)
    kept = "the answer that could be read" if n == 1 else f"the {n:,} answers that could be read"
    if what.error is not None:
        return f"{said}; {kept} could not be written to a new file ({what.error})."
    return f"{said}; {kept} {'carries' if n == 1 else 'carry'} on."


def load_answers(path: Path | None = None) -> tuple[list[progress.Answer], str]:
    """The student's answers (:func:`progress_path` unless ``path``), and a message for the
    student when the file was damaged: it is then set aside and the answers that could be read
    carry on (:func:`core.progress.recover`). Never raises, never blocks on a pipe or device."""
    path = progress_path() if path is None else path
    answers, what = progress.recover(path)
    return answers, "" if what is None else damaged_notice(path, what)


class ProgressDialog(QDialog):
    """Score over time by topic, and a table: answers, mean score, box. ``notice`` (what
    happened to a damaged answers file, :func:`load_answers`) is shown above them."""

    def __init__(
        self, answers: list[progress.Answer], parent: QWidget | None = None, notice: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("progress_dialog")
        self.setWindowTitle("My quiz progress")
        resize_within_screen(self, 720, 560)
        lay = QVBoxLayout(self)
        self.notice = QLabel(notice)
        self.notice.setObjectName("progress_notice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(f"color: {theme.colors().urgent_fg.name()};")
        self.notice.setVisible(bool(notice))
        lay.addWidget(self.notice)
        intro = QLabel(
            "Your answers are kept on this computer only. Each line is one topic (colours and "
            "shapes as in the table): your score in that topic in each quiz, oldest first. Topics "
            "you missed come back sooner in your next quiz."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        pal = self.palette()
        self.plot = pg.PlotWidget()
        self.plot.setObjectName("progress_plot")
        self.plot.setAccessibleName("Score over time by topic")
        # a picture to look at: the dialog opened with the focus on it (and no ring); Tab goes
        # to the table and Close
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.setBackground(pal.color(QPalette.ColorRole.Base))
        fg = pal.color(QPalette.ColorRole.Text)
        for ax in ("left", "bottom"):
            self.plot.getAxis(ax).setTextPen(fg)
            self.plot.getAxis(ax).setPen(fg)
        self.plot.setLabel("left", "Score (%)", color=fg.name())
        self.plot.setLabel("bottom", "Quiz (oldest → newest)", color=fg.name())
        self.plot.setYRange(0, 100)
        self.plot.showGrid(y=True, alpha=0.25)
        self.plot.setMouseEnabled(x=False, y=False)
        history = progress.score_history(answers)
        self.curves: dict[str, pg.PlotDataItem] = {}
        colours: dict[str, QColor] = {}
        marks: dict[str, str] = {}
        for i, topic in enumerate(TOPICS):
            pts = history.get(topic)
            if not pts:
                continue
            colour = QColor(theme.SERIES_COLOURS[i % len(theme.SERIES_COLOURS)])
            symbol, marks[topic] = theme.SERIES_SYMBOLS[i % len(theme.SERIES_SYMBOLS)]
            colours[topic] = colour
            beside = theme.series_offset(i, len(TOPICS))
            self.curves[topic] = self.plot.plot(
                [t + beside for t, _v in pts],
                [v for _t, v in pts],
                pen=pg.mkPen(colour, width=2),
                symbol=symbol,
                symbolSize=8,
                symbolBrush=colour,
                symbolPen=colour,
            )
        lay.addWidget(self.plot, 1)
        self.empty = QLabel("No answers yet: finish a question to see your progress.")
        self.empty.setVisible(not answers)
        lay.addWidget(self.empty)

        summary = progress.summary(answers)
        boxes = progress.boxes(answers)
        most = max((n for pts in history.values() for n, _v in pts), default=1)
        self.plot.setXRange(0.8, max(2, most) + 0.2)
        self.plot.setVisible(bool(answers))  # no empty axes: the line below says why
        self.plot.getAxis("bottom").setTickSpacing(major=max(1, most // 10), minor=1)
        self.table = QTableWidget(len(TOPICS), 4)
        self.table.setObjectName("progress_table")
        self.table.setHorizontalHeaderLabels(["Topic", "Answers", "Mean score", "Next"])
        self.table.verticalHeader().setVisible(False)
        # a record to read, not a form: no editing, a row at a time
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setIconSize(QSize(SWATCH_PX, SWATCH_PX))
        ratio = self.devicePixelRatioF()
        for row, (topic, title) in enumerate(TOPICS.items()):
            n, mean = summary.get(topic, (0, 0.0))
            box = boxes.get(topic)
            due = "not asked yet" if box is None else NEXT_TIME[box]
            for col, text in enumerate((title, str(n), f"{mean:.0f}%" if n else "—", due)):
                item = QTableWidgetItem(text)  # in the palette's text colour, every column
                if col == 0 and topic in colours:  # the line's colour and shape beside it
                    item.setIcon(swatch(colours[topic], marks[topic], fg, ratio))
                    item.setToolTip(f"Its line on the chart: this colour, {marks[topic]} marks")
                elif col == 0:  # no line: a blank of the same size keeps the names aligned
                    item.setIcon(swatch(QColor(Qt.GlobalColor.transparent), "", fg, ratio))
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        # every topic in view (the plot gives up the height)
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height()
            + sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
            + 2 * self.table.frameWidth()
        )
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
