"""File > Compare With…: an earlier session beside the current one.

The dialog shows the two diagrams side by side, the change drawn on a third (new areas orange,
resolved areas outlined green, persisting areas blue), the overlap of the marked skin (weighted
Jaccard index), each hypothesis's probability then and now, and, when the earlier file's folder
holds several sessions with the same patient identifier, a timeline (pyqtgraph) of the leading
hypotheses' probabilities and of the marked share of the skin. "Export PDF with Comparison…"
writes the report with the comparison as its last section. The numbers come from
:mod:`core.compare` (Qt-free); the dialog only draws them.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.compare import NEW, PERSISTING, RESOLVED, Comparison, hypothesis_rows, summary_lines
from core.model import Session, Side
from core.session_io import SessionError, load_session
from gui import theme
from gui.screen_fit import within_screen

STYLE = {  # status -> (fill, outline)
    NEW: (QColor(230, 120, 20, 190), QColor(150, 60, 0)),
    PERSISTING: (QColor(70, 130, 200, 150), QColor(20, 60, 120)),
    RESOLVED: (QColor(60, 170, 90, 50), QColor(20, 120, 50)),
}
WORDS = {NEW: "New", RESOLVED: "Resolved", PERSISTING: "Persisting"}
MAX_TIMELINE_FILES = 60


def change_image(c: Comparison, scale: float = 1.5) -> QImage:
    """The diagram's line art with the change painted on it, and a legend strip below."""
    from core.geometry import load_diagram
    from gui.report_diagram import _scene_image, diagram_scene

    scene, keep = diagram_scene(Session())
    source = scene.itemsBoundingRect()
    base = _scene_image(scene, source, scale)
    del keep
    legend_h = round(30 * scale)
    img = QImage(base.width(), base.height() + legend_h, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.drawImage(0, 0, base)
    p.translate(-source.x() * scale, -source.y() * scale)
    p.scale(scale, scale)
    diagram = load_diagram()
    for change in c.areas:
        fill, line = STYLE[change.status]
        pen = QPen(line, 2.2)
        if change.status == RESOLVED:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(QBrush(fill))
        for shape in diagram.shapes_of(change.area, Side(change.side)):
            p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in shape.points]))
    p.resetTransform()
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(16 * scale))
    p.setFont(font)
    x, y, box = 10 * scale, base.height() + 5 * scale, 20 * scale
    for status in (NEW, RESOLVED, PERSISTING):
        fill, line = STYLE[status]
        p.setPen(QPen(line, 2))
        p.setBrush(QBrush(fill))
        p.drawRect(QRectF(x, y, box * 1.5, box))
        p.setPen(QColor("#222"))
        label = f"{WORDS[status]} ({len(c.by_status(status))})"
        p.drawText(
            QRectF(x + box * 1.8, y, 200 * scale, box), int(Qt.AlignmentFlag.AlignVCenter), label
        )
        x += box * 1.8 + p.fontMetrics().horizontalAdvance(label) + 24 * scale
    p.end()
    return img


def render_change(painter: QPainter, target: QRectF, c: Comparison) -> None:
    """Draw :func:`change_image` into ``target`` keeping its aspect ratio (for the PDF)."""
    img = change_image(c, scale=3.0)
    s = min(target.width() / img.width(), target.height() / img.height())
    w, h = img.width() * s, img.height() * s
    painter.drawImage(QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h), img)


def _picture(img: QImage, width: int) -> QLabel:
    label = QLabel()
    label.setPixmap(
        QPixmap.fromImage(img).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def same_patient_sessions(folder: Path, patient_id: str) -> list[Session]:
    """Sessions in ``folder`` naming ``patient_id``, ordered by visit date (unreadable files and
    files without a date are skipped)."""
    found: list[Session] = []
    if not patient_id:
        return found
    for path in sorted(folder.glob("*.json"))[:MAX_TIMELINE_FILES]:
        try:
            s = load_session(path)
        except SessionError:
            continue
        if s.visit.patient_id == patient_id and s.visit.date:
            found.append(s)
    found.sort(key=lambda s: s.visit.date)
    return found


def timeline_widget(sessions: list[Session], atlas: str) -> QWidget:
    """A pyqtgraph plot: leading hypotheses' probabilities and the marked share per visit."""
    import pyqtgraph as pg

    from core.compare import timeline
    from core.names import hypothesis_name, side_name

    points = timeline(sessions, atlas)
    plot = pg.PlotWidget()
    plot.setBackground("w")
    plot.setAccessibleName("Timeline of probabilities and marked skin")
    # the legend to the right of the plot (a legend inside it covered the lines it names)
    legend = pg.LegendItem(labelTextColor="#222")
    plot.getPlotItem().layout.addItem(legend, 2, 3)
    plot.setLabel("left", "Probability / marked share (%)")
    xs = list(range(len(points)))
    plot.getAxis("bottom").setTicks([[(i, p.label) for i, p in enumerate(points)]])
    plot.setXRange(-0.4, len(points) - 0.6, padding=0)
    plot.setYRange(0, 100, padding=0.06)  # room for a point at 100 %
    best: dict[str, float] = {}
    for p in points:
        for key, prob in p.probabilities.items():
            best[key] = max(best.get(key, 0.0), prob)
    leading = sorted(best, key=lambda k: -best[k])[:5]
    for i, key in enumerate(leading):
        hid, side = key.split("@")
        # a visit where that side had no evidence has no point (not 0): the line breaks there
        ys = [100 * p.probabilities.get(key, math.nan) for p in points]
        name = f"{hypothesis_name(hid)} ({side_name(side).lower()})"
        colour = theme.SERIES_COLOURS[i]
        # its own shape, and a little beside the others: equal values drew one over another
        beside = theme.series_offset(i, len(leading))
        curve = plot.plot(
            [x + beside for x in xs],
            ys,
            pen=pg.mkPen(colour, width=2),
            symbol=theme.SERIES_SYMBOLS[i][0],
            symbolSize=8,
            symbolBrush=colour,
            symbolPen=colour,
            connect="finite",
        )
        legend.addItem(curve, name)
    skin = [100 * p.skin for p in points]
    dashed = pg.mkPen("#555", width=2, style=Qt.PenStyle.DashLine)
    legend.addItem(plot.plot(xs, skin, pen=dashed), "Marked share of the skin")
    plot.setMinimumHeight(220)
    widget: QWidget = plot
    return widget


class CompareDialog(QDialog):
    """The comparison of ``before`` (an earlier session) with ``after`` (the current one)."""

    def __init__(
        self,
        before: Session,
        after: Session,
        parent: QWidget | None = None,
        *,
        before_path: Path | None = None,
        export_pdf: Any = None,
    ) -> None:
        super().__init__(parent)
        from core.compare import compare
        from gui.report_diagram import diagram_image

        self.setWindowTitle("Compare Visits")
        self.setAccessibleName("Compare visits")
        self.comparison = compare(before, after)
        c = self.comparison
        outer = QVBoxLayout(self)
        # the record scrolls, the buttons stay: with two diagrams, the change, the table and a
        # timeline it is taller than a laptop screen (its Close button was off the screen)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.setContentsMargins(0, 0, 0, 0)
        lines = summary_lines(c)
        # the lines carry free text from the files (visit dates): escaped, not read as markup
        self.summary = QLabel(
            "<b>" + escape(lines[0]) + "</b><br>" + "<br>".join(escape(t) for t in lines[1:])
        )
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)

        grid = QGridLayout()
        w = 430
        for col, (title, s) in enumerate((("Earlier visit", before), ("This visit", after))):
            head = QLabel(f"<b>{title}</b> {escape(s.visit.date)}")
            grid.addWidget(head, 0, col)
            grid.addWidget(_picture(diagram_image(s, scale=1.0), w), 1, col)
        lay.addLayout(grid)
        self.change_label = _picture(change_image(c, scale=1.0), round(1.4 * w))
        self.change_label.setAccessibleName("Change since the earlier visit")
        lay.addWidget(self.change_label)

        rows = hypothesis_rows(c)
        self.table = QTableWidget(len(rows), 4)
        self.table.setHorizontalHeaderLabels(["Side", "Hypothesis", "Then", "Now"])
        self.table.setAccessibleName("Probability then and now")
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, col, item)
        self.table.verticalHeader().setVisible(False)
        # a record to read, not a form: no editing, a row at a time
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        shown = min(len(rows), 8)
        self.table.setMinimumHeight(
            self.table.horizontalHeader().height()
            + 4
            + shown * self.table.verticalHeader().defaultSectionSize()
        )
        lay.addWidget(self.table)

        self.timeline: QWidget | None = None
        if before_path is not None:
            series = same_patient_sessions(before_path.parent, after.visit.patient_id)
            if after.visit.date and all(s.visit.date != after.visit.date for s in series):
                series = sorted([*series, after], key=lambda s: s.visit.date)
            if len(series) >= 3:
                self.timeline = timeline_widget(series, c.atlas)
                lay.addWidget(self.timeline)

        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        self.record = scroll
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        if export_pdf is not None:
            pdf = QPushButton("Export PDF with Comparison…")
            pdf.clicked.connect(lambda: export_pdf(self.comparison))
            buttons.addButton(pdf, QDialogButtonBox.ButtonRole.ActionRole)
        outer.addWidget(buttons)
        self._fit_to_screen(content)

    def _fit_to_screen(self, content: QWidget) -> None:
        """As large as the record, within nine tenths of the screen."""
        # margins, the scroll bar, the buttons
        self.resize(within_screen(self, content.sizeHint() + QSize(48, 96)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # a record to read: Close has the focus (the table took it, its first cell framed as
        # if chosen); Tab reaches the table
        self.close_button.setFocus()
