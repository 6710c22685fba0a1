"""Pagination of the report: blocks of rich text (one :class:`QTextDocument` each) flow down
A4 pages; a block taller than the space left is cut between text lines and continued on the
next page. Every page has the intended-use note and "Page n of N" in its footer; pages after
the first a running header. Text stays real text, so ``pdftotext`` and screen readers can read
it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice, QPainter, QPen, QTextDocument

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
            p.drawText(
                r2, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), self.header_text
            )
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

    def add(self, blocks: list[Block]) -> None:
        for i, b in enumerate(blocks):
            gap = self.lay.pt(b.space_before) if self.y > self.top else 0.0
            h = self.height_of(b)
            need = gap + (min(h, self.lay.pt(40)) if b.splittable else h)
            j = i
            while blocks[j].keep_with_next and j + 1 < len(blocks):  # headings stay with text
                nxt = blocks[j + 1]
                h_next = self.height_of(nxt) + self.lay.pt(nxt.space_before)
                # a block that fits on a page is never split (it moves to the next page whole),
                # so a heading must see all of it; a longer one starts with a few lines here
                whole = nxt.keep_with_next or (
                    h_next <= self.bottom - self.lay.header_h and not nxt.splittable
                )
                need += h_next if whole else min(h_next, self.lay.pt(60))
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
            if self.p is not None:
                p = self.p
                p.save()
                p.translate(0, self.y - start)
                doc.drawContents(p, QRectF(0, start, self.lay.body_w, end - start))
                p.restore()
            self.y += end - start
            start = end
            if start < total - 0.5:
                self.new_page()
