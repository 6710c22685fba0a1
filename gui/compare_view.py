"""File > Compare With…: an earlier session beside the current one.

The dialog shows the two diagrams side by side, the change drawn on a third (new areas orange,
resolved areas outlined green, persisting areas blue), the overlap of the marked skin (weighted
Jaccard index), each hypothesis's probability then and now, and, when the chosen file's folder
holds several sessions with the same patient identifier, a timeline (pyqtgraph) of the leading
hypotheses' probabilities and of the marked share of the skin up to the later of the two visits,
the two marked. "Export PDF with Comparison…" writes the report with the comparison as its last
section. The numbers come from :mod:`core.compare` (Qt-free); the dialog only draws them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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
    QPalette,
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


def _pixmap(render: Callable[[float], QImage], width: int, ratio: float) -> QPixmap:
    """``render(scale)`` shown ``width`` logical pixels wide on a screen of device pixel ratio
    ``ratio``: drawn at that ratio and kept at full resolution (at 2x a picture drawn at 1x and
    scaled up had blurred, unreadable captions)."""
    ratio = max(1.0, ratio)
    img = render(ratio).scaledToWidth(
        round(width * ratio), Qt.TransformationMode.SmoothTransformation
    )
    pixmap = QPixmap.fromImage(img)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _picture(render: Callable[[float], QImage], width: int, ratio: float) -> QLabel:
    label = QLabel()
    label.setPixmap(_pixmap(render, width, ratio))
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


def visit_series(
    folder: Path, patient_id: str, before: Session, after: Session
) -> tuple[list[Session], int | None, int | None]:
    """The patient's dated visits in ``folder`` up to the later of the two compared (a visit
    after it is left out), the two compared sessions in place of their dates' files; and where
    ``before`` and ``after`` are in it."""
    if not patient_id:
        return [], None, None
    compared = [s for s in (before, after) if s.visit.date and s.visit.patient_id == patient_id]
    dates = {s.visit.date for s in compared}
    last = max(dates, default=None)
    series = [
        s
        for s in same_patient_sessions(folder, patient_id)
        if s.visit.date not in dates and (last is None or s.visit.date <= last)
    ]
    series = sorted([*series, *compared], key=lambda s: s.visit.date)

    def at(session: Session) -> int | None:
        return next((i for i, s in enumerate(series) if s is session), None)

    return series, at(before), at(after)


def timeline_widget(
    sessions: list[Session], atlas: str, marks: dict[int, str] | None = None
) -> QWidget:
    """A pyqtgraph plot: leading hypotheses' probabilities and the marked share per visit, in
    the palette's colours, titled; ``marks``: visit index -> its name on a line through it
    ("This visit")."""
    import pyqtgraph as pg

    from core.compare import timeline
    from core.names import hypothesis_name, side_name

    points = timeline(sessions, atlas)
    marks = marks or {}
    plot = pg.PlotWidget()
    pal = plot.palette()
    fg = pal.color(QPalette.ColorRole.Text)
    muted = theme.muted_text(pal)
    bg = pal.color(QPalette.ColorRole.Base)
    plot.setBackground(bg)
    for name in ("left", "bottom"):
        plot.getAxis(name).setPen(pg.mkPen(muted))
        plot.getAxis(name).setTextPen(pg.mkPen(fg))
    plot.setAccessibleName("Timeline of probabilities and marked skin")
    plot.setTitle("This patient's visits: leading hypotheses and marked skin", color=fg.name())
    # the legend to the right of the plot (a legend inside it covered the lines it names)
    legend = pg.LegendItem(labelTextColor=fg)
    plot.getPlotItem().layout.addItem(legend, 2, 3)
    plot.setLabel("left", "Probability / marked share (%)", color=fg.name())
    xs = list(range(len(points)))
    plot.getAxis("bottom").setTicks([[(i, p.label) for i, p in enumerate(points)]])
    # the compared visits: a line through each, named at its top
    for i, word in sorted(marks.items()):
        line = pg.InfiniteLine(
            pos=i,
            angle=90,
            movable=False,
            pen=pg.mkPen(muted, width=1, style=Qt.PenStyle.DashLine),
            label=word,
            labelOpts={"position": 0.96, "color": fg, "fill": pg.mkBrush(bg)},
        )
        plot.addItem(line)
    plot.setXRange(-0.4, len(points) - 0.6, padding=0)
    plot.setYRange(0, 100, padding=0.06)  # room for a point at 100 %
    best: dict[tuple[str, str], float] = {}
    for p in points:
        for key, prob in p.probabilities.items():
            best[key] = max(best.get(key, 0.0), prob)
    leading = sorted(best, key=lambda k: -best[k])[:5]
    for i, key in enumerate(leading):
        hid, side = key
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
    dashed = pg.mkPen(muted, width=2, style=Qt.PenStyle.DashLine)
    legend.addItem(plot.plot(xs, skin, pen=dashed), "Marked share of the skin")
    plot.setMinimumHeight(240)
    widget: QWidget = plot
    return widget


class CompareDialog(QDialog):
    """The comparison of ``before`` (the earlier session) with ``after`` (the later one).

    ``open_visit`` says which of the two is the window's own session: ``"after"`` (an earlier
    visit chosen beside it) or ``"before"`` (the visit chosen was the later one: the two are
    shown in date order, which one line says)."""

    def __init__(
        self,
        before: Session,
        after: Session,
        parent: QWidget | None = None,
        *,
        before_path: Path | None = None,
        export_pdf: Any = None,
        open_visit: str = "after",
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
        if open_visit == "before":
            lines.insert(
                1,
                f"The visit chosen ({after.visit.date}) is later than this one "
                f"({before.visit.date}): they are shown in date order, this visit first.",
            )
        # the lines carry free text from the files (visit dates): escaped, not read as markup
        self.summary = QLabel(
            "<b>" + escape(lines[0]) + "</b><br>" + "<br>".join(escape(t) for t in lines[1:])
        )
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)

        grid = QGridLayout()
        # the two visits side by side within the screen: at 430 pixels each they needed a
        # sideways scroll on an 800-pixel screen (1600 at scale 2), "This visit" cut (a review)
        screen = (parent or self).screen().availableGeometry().width()
        w = max(240, min(430, int(screen * 0.9 - 96) // 2 - 12))
        self.picture_width = w
        titles = (
            ("This visit", "Later visit")
            if open_visit == "before"
            else ("Earlier visit", "This visit")
        )
        ratio = self.devicePixelRatioF()
        #: (label, how its picture is drawn at a scale, its width): redrawn if the ratio changes
        self._pictures: list[tuple[QLabel, Callable[[float], QImage], int]] = []
        self._ratio = ratio
        self.headings: list[QLabel] = []
        for col, (title, s) in enumerate(zip(titles, (before, after), strict=True)):
            head = QLabel(f"<b>{title}</b> {escape(s.visit.date)}")
            self.headings.append(head)
            grid.addWidget(head, 0, col)

            def draw(scale: float, s: Session = s) -> QImage:
                return diagram_image(s, scale=scale)

            picture = _picture(draw, w, ratio)
            self._pictures.append((picture, draw, w))
            grid.addWidget(picture, 1, col)
        lay.addLayout(grid)

        def draw_change(scale: float) -> QImage:
            return change_image(c, scale=scale)

        self.change_label = _picture(draw_change, round(1.4 * w), ratio)
        self._pictures.append((self.change_label, draw_change, round(1.4 * w)))
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
            this = before if open_visit == "before" else after
            series, first, second = visit_series(
                before_path.parent, this.visit.patient_id, before, after
            )
            if len(series) >= 3:
                marks = {}
                for at, word in zip((first, second), titles, strict=True):
                    if at is not None:
                        marks[at] = word
                self.timeline = timeline_widget(series, c.atlas, marks)
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
        ratio = self.devicePixelRatioF()
        if ratio != self._ratio:  # shown on a screen other than the one it was made for
            self._ratio = ratio
            for label, draw, width in self._pictures:
                label.setPixmap(_pixmap(draw, width, ratio))
        # a record to read: Close has the focus (the table took it, its first cell framed as
        # if chosen); Tab reaches the table
        self.close_button.setFocus()
