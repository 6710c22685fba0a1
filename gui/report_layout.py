"""Pagination of the report: blocks of rich text (one :class:`QTextDocument` each) flow down
A4 pages; a block taller than the space left is cut between text lines and continued on the
next page, a table (``Block.split_rows``) only between its rows, its header row repeated at the
top of each continuation. Every page has the intended-use note and "Page n of N" in its footer;
pages after the first a running header. Text stays real text, so ``pdftotext`` and screen
readers can read it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from math import inf

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QTextCursor,
    QTextDocument,
)

from core.report_blocks import Block
from core.report_content import INTENDED_USE

CSS = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 9.5pt;
       color: #111; }
h1 { font-size: 19pt; font-weight: 700; margin: 0 0 2pt 0; color: #0b2545; }
h2 { font-size: 12.5pt; font-weight: 700; margin: 0; color: #0b2545; }
h3 { font-size: 10.5pt; font-weight: 700; margin: 0; color: #222; }
p { margin: 0 0 3pt 0; }
.muted { color: #555; }
.small { font-size: 8pt; }
.refs { font-size: 6.6pt; color: #222; }
.src { color: #444; font-size: 8pt; }
.id { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; color: #444; }
table { border-collapse: collapse; }
td, th { padding: 2pt 4pt; vertical-align: top; }
th { text-align: left; background: #e8edf3; font-weight: 700; }
ul { margin: 0; -qt-list-indent: 1; }
li { margin-bottom: 1pt; }
"""


class PageLayout:
    def __init__(self, device: QPagedPaintDevice) -> None:
        self.device = device
        self.dpi = device.logicalDpiY()
        layout = device.pageLayout()
        paint = layout.paintRectPixels(self.dpi)
        self.page = QRectF(0, 0, paint.width(), paint.height())
        self.footer_h = self.pt(26)
        self.header_h = self.pt(16)
        self.body_w = self.page.width()

    def pt(self, points: float) -> float:
        return points * self.dpi / 72.0

    def doc(self, html: str, width: float) -> QTextDocument:
        d = QTextDocument()
        d.documentLayout().setPaintDevice(self.device)
        d.setDefaultStyleSheet(CSS)
        font = QFont("DejaVu Sans")
        font.setPointSizeF(9.5)
        d.setDefaultFont(font)
        d.setDocumentMargin(0)
        d.setIndentWidth(self.pt(12))
        d.setHtml(f"<body>{html}</body>")
        d.setTextWidth(width)
        return d


def _line_breaks(doc: QTextDocument) -> list[float]:
    """Y positions (document units) where the document can be cut between lines."""
    out: list[float] = []
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        tl = block.layout()
        for i in range(tl.lineCount()):
            line = tl.lineAt(i)
            out.append(top + line.y() + line.height())
        block = block.next()
    return sorted(set(out))


def _row_cuts(doc: QTextDocument) -> list[float]:
    """Where a table's document can be cut between rows (document units): the foot of its
    header row, then of each row, the last one the document's end; ``[]`` without a table of a
    header and at least one row. A cut lies midway between one row's text and the next's, on the
    border between the rows (their cells' top and bottom padding are the same)."""
    layout = doc.documentLayout()
    tops: dict[int, float] = {}
    feet: dict[int, float] = {}
    first = -1  # the table's first position: the first table in the document is the one cut
    block = doc.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if table is not None and first in (-1, table.firstPosition()):
            first = table.firstPosition()
            row = table.cellAt(cursor).row()
            top = layout.blockBoundingRect(block).top()
            tl = block.layout()
            for i in range(tl.lineCount()):
                line = tl.lineAt(i)
                tops[row] = min(tops.get(row, inf), top + line.y())
                feet[row] = max(feet.get(row, -inf), top + line.y() + line.height())
        block = block.next()
    rows = len(feet)
    if rows < 2 or sorted(feet) != list(range(rows)):
        return []
    cuts = [max(feet[r], (feet[r] + tops[r + 1]) / 2) for r in range(rows - 1)]
    return [*cuts, float(doc.size().height())]


DrawDiagram = Callable[[QPainter, QRectF, str], None]
"""Paints the picture a diagram block names (``""`` = the session's diagram) into the rect."""


class PageWriter:
    """Flows blocks onto pages; without a painter it measures only (to count the pages).

    ``draw_diagram`` paints the diagram into the rectangle of a diagram block.
    """

    def __init__(
        self,
        lay: PageLayout,
        painter: QPainter | None,
        header_text: str,
        total_pages: int,
        draw_diagram: DrawDiagram,
    ) -> None:
        self.lay = lay
        self.p = painter
        self.draw_diagram = draw_diagram
        self._docs: dict[int, QTextDocument] = {}  # by id() of a text block
        self._cuts: dict[int, list[float]] = {}  # by id() of a table block: its row cuts
        self.page_no = 1
        self.total = total_pages
        self.header_text = header_text
        self.y = 0.0
        self.top = 0.0
        self.bottom = lay.page.height() - lay.footer_h
        self._start_page()

    def _start_page(self) -> None:
        self.top = 0.0 if self.page_no == 1 else self.lay.header_h
        self.y = self.top
        if self.p is not None:
            self._decorate()

    def _decorate(self) -> None:
        assert self.p is not None
        p, lay = self.p, self.lay
        w = lay.page.width()
        p.save()
        pen = QPen(QColor("#9aa5b1"))
        pen.setWidthF(lay.pt(0.6))
        p.setPen(pen)
        fy = lay.page.height() - lay.footer_h + lay.pt(4)
        p.drawLine(0, round(fy), round(w), round(fy))
        foot = lay.doc(
            f"<p class='small muted'><b>Intended use:</b> {escape(INTENDED_USE)}</p>",
            w - lay.pt(80),
        )
        p.translate(0, fy + lay.pt(3))
        foot.drawContents(p)
        p.restore()
        p.save()
        font = QFont("DejaVu Sans")
        font.setPointSizeF(8)
        p.setFont(font)
        p.setPen(QColor("#333"))
        r = QRectF(w - lay.pt(78), fy + lay.pt(3), lay.pt(78), lay.pt(12))
        p.drawText(
            r,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
            f"Page {self.page_no} of {self.total}",
        )
        if self.page_no > 1:
            r2 = QRectF(0, 0, w, lay.pt(11))
            # within the line: a long patient identifier ran off the page, and the day printed
            # (at the end) with it
            text = p.fontMetrics().elidedText(
                self.header_text, Qt.TextElideMode.ElideMiddle, int(w)
            )
            p.drawText(r2, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), text)
            p.drawLine(0, round(lay.pt(12)), round(w), round(lay.pt(12)))
        p.restore()

    def new_page(self) -> None:
        if self.p is not None:
            dev = self.lay.device
            dev.newPage()
        self.page_no += 1
        self._start_page()

    def room(self) -> float:
        return self.bottom - self.y

    def _doc(self, b: Block) -> QTextDocument:
        """The laid-out text of a text block (made once)."""
        doc = self._docs.get(id(b))
        if doc is None:
            pad = self.lay.pt(12) if b.boxed else 0.0
            doc = self._docs[id(b)] = self.lay.doc(b.html, self.lay.body_w - pad)
        return doc

    def height_of(self, b: Block) -> float:
        if b.diagram:
            return b.height
        pad = self.lay.pt(12) if b.boxed else 0.0
        return float(self._doc(b).size().height()) + pad

    def row_cuts(self, b: Block) -> list[float]:
        """The row cuts of a table block (:func:`_row_cuts`; ``[]`` for any other block)."""
        if not b.split_rows or b.diagram:
            return []
        cuts = self._cuts.get(id(b))
        if cuts is None:
            cuts = self._cuts[id(b)] = _row_cuts(self._doc(b))
        return cuts

    def least(self, b: Block, lines: float) -> float:
        """The least height of ``b`` that may begin at the foot of a page: a table's header row
        and first row, ``lines`` points of text that may be cut between lines, or the whole
        block."""
        h = self.height_of(b)
        cuts = self.row_cuts(b)
        if cuts:
            return min(h, cuts[min(1, len(cuts) - 1)])
        return min(h, self.lay.pt(lines)) if b.splittable or b.split_rows else h

    def add(self, blocks: list[Block]) -> None:
        for i, b in enumerate(blocks):
            gap = self.lay.pt(b.space_before) if self.y > self.top else 0.0
            h = self.height_of(b)
            need = gap + self.least(b, 40)
            j = i
            while blocks[j].keep_with_next and j + 1 < len(blocks):  # headings stay with text
                nxt = blocks[j + 1]
                space = self.lay.pt(nxt.space_before)
                h_next = self.height_of(nxt) + space
                # a block that fits on a page is never split (it moves to the next page whole),
                # so a heading must see all of it; a longer one or a table starts with a few
                # lines or rows here
                splits = nxt.splittable or nxt.split_rows
                whole = nxt.keep_with_next or (
                    h_next <= self.bottom - self.lay.header_h and not splits
                )
                need += h_next if whole else min(h_next, space + self.least(nxt, 60))
                j += 1
            if need > self.room() and self.y > self.top:
                self.new_page()
                gap = 0.0
            self.y += gap
            if b.diagram:
                if self.p is not None:
                    rect = QRectF(0, self.y, self.lay.body_w, b.height)
                    self.draw_diagram(self.p, rect, b.picture)
                self.y += b.height
            elif b.boxed and h <= self.room():
                self._boxed(b, h)
            elif self.row_cuts(b):
                self._rows(b)
            else:
                self._text(b)

    def _boxed(self, b: Block, h: float) -> None:
        doc = self._doc(b)
        pad = self.lay.pt(6)
        if self.p is not None:
            p = self.p
            p.save()
            pen = QPen(QColor(b.boxed))
            pen.setWidthF(self.lay.pt(2))
            p.setPen(pen)
            p.setBrush(QColor(b.fill))
            p.drawRect(QRectF(self.lay.pt(1), self.y, self.lay.body_w - self.lay.pt(2), h))
            p.translate(pad, self.y + pad)
            doc.drawContents(p)
            p.restore()
        self.y += h

    def _text(self, b: Block) -> None:
        doc = self._doc(b)
        total = float(doc.size().height())
        breaks = _line_breaks(doc)
        start = 0.0
        while start < total - 0.5:
            avail = self.room()
            if total - start <= avail:
                end = total
            else:
                fits = [y for y in breaks if start < y <= start + avail]
                if not fits:
                    if self.y > self.top:
                        self.new_page()
                        continue
                    end = start + avail  # a single line taller than a page: clip it
                else:
                    end = fits[-1]
            self._slice(doc, start, end)
            start = end
            if start < total - 0.5:
                self.new_page()

    def _rows(self, b: Block) -> None:
        """A table, a page at a time: its header row, then as many whole rows as fit."""
        doc = self._doc(b)
        cuts = self.row_cuts(b)
        head = cuts[0]
        start, i = head, 1  # the next row's top, the index of its foot in ``cuts``
        while i < len(cuts):
            avail = self.room() - head
            j = i
            while j < len(cuts) and cuts[j] - start <= avail:
                j += 1
            if j > i:
                end = cuts[j - 1]
            elif self.y > self.top:
                self.new_page()
                continue
            else:  # a row taller than a page: cut between its lines (or clip a line)
                fits = [y for y in _line_breaks(doc) if start < y <= start + avail]
                end = fits[-1] if fits else start + avail
            self._slice(doc, 0.0, head)
            self._slice(doc, start, end)
            start = end
            while i < len(cuts) and cuts[i] <= start + 0.5:
                i += 1
            if i < len(cuts):
                self.new_page()

    def _slice(self, doc: QTextDocument, start: float, end: float) -> None:
        """Draw the part of ``doc`` from ``start`` to ``end`` (document units) here."""
        if self.p is not None:
            p = self.p
            p.save()
            p.translate(0, self.y - start)
            doc.drawContents(p, QRectF(0, start, self.lay.body_w, end - start))
            p.restore()
        self.y += end - start
