"""Reports: a paginated PDF (or printout) of the session and its analysis, the diagram as PNG,
and the research CSV.

The PDF is laid out by hand on a :class:`QPagedPaintDevice` (``QPdfWriter`` or ``QPrinter``):
blocks of rich text (one :class:`QTextDocument` each) flow down A4 pages; a block taller than
the space left is cut between text lines and continued on the next page. Every page has the
intended-use note and "Page n of N" in its footer. Text stays real text, so ``pdftotext`` and
screen readers can read it. The diagram is drawn by the app's own :class:`DiagramView` scene.

Every file written here goes through :func:`core.session_io.atomic_write_bytes` (mode 0600).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QWidget

from core.model import Analysis, RedFlag, Session, Side
from core.session_io import atomic_write_bytes

INTENDED_USE = (
    "Decision support, not a diagnosis. Dermatome maps differ between sources and between "
    "people; confirm by history, examination and, where indicated, imaging or nerve studies."
)
TITLE = "Dermamap report"
DPI = 300
MARGIN_MM = 18.0
_SRC = re.compile(r"\[([A-Z][A-Za-z0-9\-]*(?:,\s*[A-Z][A-Za-z0-9\-]*)*)\]")


# --- the diagram ----------------------------------------------------------------------------


def diagram_scene(session: Session, *, overlay: bool = False) -> tuple[QGraphicsScene, Any]:
    """The app's diagram scene showing ``session`` (marks, and the dermatome overlay if asked).

    Returns the scene and an object that must stay alive while the scene is used.
    """
    from gui.diagram.view import DiagramView
    from gui.session_model import SessionModel
    from gui.state import UiState

    model = SessionModel(session)
    state = UiState()
    state.set_overlays(dermatomes=overlay, key_points=False)
    view = DiagramView(model, state)
    scene = view.scene()
    # On screen, captions keep their pixel size at every zoom; on paper there is no zoom, so they
    # scale with the drawing like everything else (else they overlap at print resolution).
    fixed = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    for item in scene.items():
        if item.flags() & fixed:
            item.setFlag(fixed, False)
    return scene, (model, state, view)


def render_diagram(
    painter: QPainter, target: QRectF, session: Session, *, overlay: bool = False
) -> QRectF:
    """Draw the whole diagram into ``target`` keeping its aspect ratio; returns the rect used.

    The diagram goes onto the page as an image at the page's resolution: its text is laid out
    with the screen's font metrics, which a vector drawing at printer resolution would not keep.
    """
    scene, keep = diagram_scene(session, overlay=overlay)
    source = scene.itemsBoundingRect()
    scale = min(target.width() / source.width(), target.height() / source.height())
    w, h = source.width() * scale, source.height() * scale
    rect = QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h)
    device = painter.transform().mapRect(rect)
    px = max(1.0, min(4.0, device.width() / source.width()))
    painter.drawImage(rect, _scene_image(scene, source, px))
    del keep
    return rect


def _draw_diagram(painter: QPainter, target: QRectF, session: Session, overlay: bool) -> None:
    render_diagram(painter, target, session, overlay=overlay)


def diagram_aspect(session: Session, overlay: bool = False) -> float:
    scene, keep = diagram_scene(session, overlay=overlay)
    r = scene.itemsBoundingRect()
    del keep
    return r.height() / r.width() if r.width() else 0.65


def _scene_image(scene: QGraphicsScene, source: QRectF, scale: float) -> QImage:
    """``source`` of ``scene`` as an image at ``scale`` × its natural size, on white."""
    img = QImage(
        max(1, round(source.width() * scale)),
        max(1, round(source.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(p, QRectF(0, 0, img.width(), img.height()), source)
    p.end()
    return img


def diagram_image(session: Session, *, overlay: bool = False, scale: float = 2.0) -> QImage:
    """The diagram as an image at ``scale`` × its natural size, on white."""
    scene, keep = diagram_scene(session, overlay=overlay)
    img = _scene_image(scene, scene.itemsBoundingRect(), scale)
    del keep
    return img


def write_png(
    session: Session, path: str | Path, *, overlay: bool = False, scale: float = 2.0
) -> None:
    """Save the diagram (every view, with the marks) as a PNG file (mode 0600)."""
    img = diagram_image(session, overlay=overlay, scale=scale)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):  # type: ignore[call-overload]
        raise OSError(f"the picture could not be encoded ({Path(path).name})")
    buf.close()
    atomic_write_bytes(path, bytes(data.data()))


def write_csv(session: Session, analysis: Analysis, path: str | Path) -> None:
    """Marks and hypotheses as CSV (:func:`core.export_csv.marks_and_hypotheses_csv`)."""
    from core.export_csv import marks_and_hypotheses_csv

    atomic_write_bytes(path, marks_and_hypotheses_csv(session, analysis).encode("utf-8"))


# --- names and sources -------------------------------------------------------------------------


def _clinical() -> Any:
    import core.clinical as clinical

    return clinical


def atlas_label(atlas_id: str) -> str:
    try:
        atlas = _clinical().atlases().get(atlas_id)
    except Exception:
        atlas = None
    return f"{atlas.name} ({atlas_id})" if atlas is not None else atlas_id


def hypothesis_label(hid: str) -> str:
    try:
        from gui.panel import hypothesis_name

        return str(hypothesis_name(hid))
    except ImportError:
        return hid


def red_flag_label(flag: str) -> str:
    try:
        info = _clinical().red_flags().get(flag)
    except Exception:
        info = None
    return str(info.label) if info is not None else flag.replace("_", " ").capitalize()


def trigger_label(trigger: str) -> str:
    try:
        from gui.panel.warnings import trigger_text

        return str(trigger_text(trigger))
    except ImportError:
        return trigger.replace("_", " ")


def cited_ids(session: Session, analysis: Analysis) -> tuple[str, ...]:
    """Every reference id the report cites (sources fields and ``[R..]`` in the text)."""
    ids: list[str] = []

    def text_ids(text: str) -> None:
        for m in _SRC.finditer(text):
            ids.extend(x.strip() for x in m.group(1).split(","))

    for h in analysis.hypotheses:
        ids.extend(h.sources)
        for e in h.evidence:
            text_ids(e)
    for c in analysis.conditions:
        ids.extend(c.sources)
        text_ids(c.why)
        for s in c.next_steps:
            text_ids(s)
    for w in analysis.warnings:
        ids.extend(w.sources)
        text_ids(w.text)
    for n in analysis.notes:
        text_ids(n)
    try:
        clinical = _clinical()
        for f in session.red_flags:
            info = clinical.red_flags().get(f.value)
            if info is not None:
                ids.extend(info.sources)
        atlas = clinical.atlases().get(analysis.atlas)
        if atlas is not None:
            ids.extend(atlas.sources)
        known = clinical.references()
        ids = [i for i in ids if i in known or i.startswith("R")]
        return tuple(clinical.sorted_reference_ids(ids))
    except ImportError:
        return tuple(dict.fromkeys(ids))


def format_reference(rid: str) -> str:
    try:
        return str(_clinical().format_reference(rid))
    except ImportError:
        return rid


# --- layout --------------------------------------------------------------------------------------


CSS = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 9.5pt;
       color: #111; }
h1 { font-size: 19pt; font-weight: 700; margin: 0 0 2pt 0; color: #0b2545; }
h2 { font-size: 12.5pt; font-weight: 700; margin: 0; color: #0b2545; }
h3 { font-size: 10.5pt; font-weight: 700; margin: 0; color: #222; }
p { margin: 0 0 3pt 0; }
.muted { color: #555; }
.small { font-size: 8pt; }
.src { color: #444; font-size: 8pt; }
.id { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; color: #444; }
table { border-collapse: collapse; }
td, th { padding: 2pt 4pt; vertical-align: top; }
th { text-align: left; background: #e8edf3; font-weight: 700; }
ul { margin: 0; -qt-list-indent: 1; }
li { margin-bottom: 1pt; }
"""


@dataclass
class _Block:
    """One unit of the flow: rich text, or a drawing of a fixed height."""

    html: str = ""
    height: float = 0.0  # drawings only
    draw: Callable[[QPainter, QRectF], None] | None = None
    keep_with_next: bool = False
    space_before: float = 0.0  # points
    boxed: QColor | None = None  # border colour of a framed block (urgent banner)
    doc: QTextDocument | None = None


class _Layout:
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


class _Writer:
    """Flows blocks onto pages; ``paint`` False measures only (to count the pages)."""

    def __init__(
        self, lay: _Layout, painter: QPainter | None, header_text: str, total_pages: int
    ) -> None:
        self.lay = lay
        self.p = painter
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

    def height_of(self, b: _Block) -> float:
        if b.draw is not None:
            return b.height
        assert b.doc is not None
        pad = self.lay.pt(12) if b.boxed is not None else 0.0
        return float(b.doc.size().height()) + pad

    def add(self, blocks: list[_Block]) -> None:
        for i, b in enumerate(blocks):
            if b.doc is None and b.draw is None:
                pad = self.lay.pt(12) if b.boxed is not None else 0.0
                b.doc = self.lay.doc(b.html, self.lay.body_w - pad)
            gap = self.lay.pt(b.space_before) if self.y > self.top else 0.0
            h = self.height_of(b)
            need = gap + h
            j = i
            while blocks[j].keep_with_next and j + 1 < len(blocks):  # headings stay with text
                nxt = blocks[j + 1]
                if nxt.doc is None and nxt.draw is None:
                    pad_n = self.lay.pt(12) if nxt.boxed is not None else 0.0
                    nxt.doc = self.lay.doc(nxt.html, self.lay.body_w - pad_n)
                h_next = self.height_of(nxt) + self.lay.pt(nxt.space_before)
                # a block that fits on a page is never split (it moves to the next page whole),
                # so a heading must see all of it; a longer one starts with a few lines here
                whole = nxt.keep_with_next or h_next <= self.bottom - self.lay.header_h
                need += h_next if whole else min(h_next, self.lay.pt(60))
                j += 1
            if need > self.room() and self.y > self.top:
                self.new_page()
                gap = 0.0
            self.y += gap
            if b.draw is not None:
                if self.p is not None:
                    b.draw(self.p, QRectF(0, self.y, self.lay.body_w, b.height))
                self.y += b.height
            elif b.boxed is not None and h <= self.room():
                self._boxed(b, h)
            else:
                self._text(b)

    def _boxed(self, b: _Block, h: float) -> None:
        assert b.doc is not None and b.boxed is not None
        pad = self.lay.pt(6)
        if self.p is not None:
            p = self.p
            p.save()
            pen = QPen(b.boxed)
            pen.setWidthF(self.lay.pt(2))
            p.setPen(pen)
            p.setBrush(QColor("#fdecea"))
            p.drawRect(QRectF(self.lay.pt(1), self.y, self.lay.body_w - self.lay.pt(2), h))
            p.translate(pad, self.y + pad)
            b.doc.drawContents(p)
            p.restore()
        self.y += h

    def _text(self, b: _Block) -> None:
        doc = b.doc
        assert doc is not None
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


# --- content -------------------------------------------------------------------------------------


def _e(text: object) -> str:
    return escape(str(text))


def _with_sources(text: str) -> str:
    """Escape ``text`` and set bracketed source ids in the source style."""
    out, last = [], 0
    for m in _SRC.finditer(text):
        out.append(_e(text[last : m.start()]))
        out.append(f"<span class='src'>[{_e(m.group(1))}]</span>")
        last = m.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _sources(ids: Iterable[str]) -> str:
    ids = list(dict.fromkeys(ids))
    return f"<span class='src'>Sources: {_e(', '.join(ids))}</span>" if ids else ""


def _heading(text: str, level: int = 2, space: float = 14) -> _Block:
    return _Block(f"<h{level}>{_e(text)}</h{level}>", keep_with_next=True, space_before=space)


def _kv_table(rows: list[tuple[str, str]], key_w: int = 24) -> str:
    body = "".join(
        f"<tr><td width='{key_w}%' class='muted'>{_e(k)}</td><td>{v}</td></tr>" for k, v in rows
    )
    return f"<table width='100%' cellspacing='0'>{body}</table>"


def _findings_rows(session: Session) -> list[tuple[str, str]]:
    f = session.findings
    rows: list[tuple[str, str]] = []
    for title, table in (("Reflex", f.reflexes), ("Strength", f.strength), ("Test", f.tests)):
        for side in (Side.RIGHT, Side.LEFT):
            for key, value in table.get(side, {}).items():
                rows.append(
                    (
                        f"{title}, {side.value}",
                        f"{_e(key.value.replace('_', ' ').capitalize())}: <b>{_e(value.value)}</b>",
                    )
                )
    h = f.history
    hist: list[str] = []
    if h.age is not None:
        hist.append(f"age {h.age}")
    if h.onset_days is not None:
        hist.append(f"onset {h.onset_days} days ago")
    for name in ("back_pain", "neurogenic_claudication", "diabetes", "local_cause"):
        value = getattr(h, name)
        if value is not None:
            hist.append(f"{name.replace('_', ' ')}: {'yes' if value else 'no'}")
    if hist:
        rows.append(("History", _e("; ".join(hist))))
    return rows


def build_blocks(
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool,
    aspect: float,
    body_w: float,
    max_diagram_h: float,
    source_name: str | None,
    now: datetime,
) -> list[_Block]:
    """The report's content as a list of blocks (headings keep with what follows)."""
    from core import __version__
    from core.zones import display_name

    blocks: list[_Block] = []
    meta = [
        ("Generated", _e(now.strftime("%d %B %Y, %H:%M"))),
        ("Software", _e(f"Dermamap {__version__}")),
        ("Dermatome map (atlas)", _e(atlas_label(analysis.atlas))),
    ]
    if source_name:
        meta.append(("Session file", _e(source_name)))
    blocks.append(
        _Block(
            f"<h1>{TITLE}</h1><p class='muted'>Sensory symptom map, nerve-root hypotheses and "
            f"warning signs</p>{_kv_table(meta)}"
        )
    )

    v = session.visit
    blocks.append(_heading("Visit details"))
    if v.is_empty():
        blocks.append(_Block("<p class='muted'>No visit details were entered.</p>"))
    else:
        rows = [
            ("Patient identifier", _e(v.patient_id or "—")),
            ("Date of visit", _e(v.date or "—")),
            ("Examiner", _e(v.examiner or "—")),
        ]
        blocks.append(_Block(_kv_table(rows)))
        if v.notes:
            blocks.append(_Block("<p class='muted'>Notes</p>", keep_with_next=True, space_before=3))
            for para in v.notes.split("\n"):
                blocks.append(_Block(f"<p>{_e(para) or '&nbsp;'}</p>"))

    urgent = [w for w in analysis.warnings if w.urgent]
    if analysis.urgent:
        items = (
            "".join(
                f"<li>{_with_sources(w.text)}"
                + (
                    "<br><span class='small'>Because: "
                    f"{_e(', '.join(trigger_label(t) for t in w.triggers))}</span>"
                    if w.triggers
                    else ""
                )
                + "</li>"
                for w in urgent
            )
            or "<li>Urgent warning signs are present.</li>"
        )
        blocks.append(
            _Block(
                "<h2 style='color:#8b0000'>⚠ URGENT — possible cauda equina syndrome: arrange "
                f"same-day emergency assessment</h2><ul>{items}</ul>",
                boxed=QColor("#b00020"),
                space_before=12,
            )
        )

    # diagram
    blocks.append(_heading("Symptom diagram"))
    dia_h = min(body_w * aspect, max_diagram_h)
    blocks.append(
        _Block(
            height=dia_h,
            draw=lambda p, r: _draw_diagram(p, r, session, overlay),
            keep_with_next=True,
        )
    )
    legend = (
        "Patient's left and right as marked. Fill patterns: numbness = diagonal hatching, "
        "tingling = dots, pain = cross-hatching; a partly painted zone shows its painted "
        "part only."
    )
    if overlay:
        legend += f" Dermatome overlay: {atlas_label(session.atlas)}."
    blocks.append(_Block(f"<p class='small muted'>{_e(legend)}</p>", space_before=3))

    # findings entered
    blocks.append(_heading("Findings entered"))
    marks = sorted(session.marks, key=lambda m: (m.side.value != "right", display_name(m.zone)))
    if marks:
        mark_rows = "".join(
            f"<tr><td>{_e(m.side.display)}</td><td>{_e(display_name(m.zone))} "
            f"<span class='id'>{_e(m.zone)}</span></td><td>{_e(m.symptom.display)}</td>"
            f"<td align='right'>{round(m.coverage * 100)}%</td></tr>"
            for m in marks
        )
        blocks.append(
            _Block(
                "<table width='100%' cellspacing='0' border='0'><tr><th width='12%'>Side</th>"
                "<th width='56%'>Area</th><th width='18%'>Symptom</th>"
                f"<th width='14%' align='right'>Marked</th></tr>{mark_rows}</table>"
            )
        )
    else:
        blocks.append(_Block("<p class='muted'>No areas were marked.</p>"))
    flags = [f for f in RedFlag if f in session.red_flags]
    blocks.append(
        _Block(
            "<p><b>Warning signs ticked:</b> "
            + (_e("; ".join(red_flag_label(f.value) for f in flags)) if flags else "none")
            + "</p>",
            space_before=4,
        )
    )
    frows = _findings_rows(session)
    if frows:
        blocks.append(
            _Block("<p><b>Examination and history</b></p>", keep_with_next=True, space_before=4)
        )
        blocks.append(_Block(_kv_table(frows, key_w=22)))
    else:
        blocks.append(_Block("<p><b>Examination and history:</b> none entered</p>"))

    # hypotheses
    blocks.append(_heading("Ranked hypotheses"))
    blocks.append(
        _Block(
            "<p class='small muted'>Scores (0–1) rank how well each root or nerve explains the "
            "pattern entered; labels never go beyond “more likely”.</p>",
            keep_with_next=True,
        )
    )
    groups = (("Right side", "right"), ("Left side", "left"), ("Both sides", "both"))
    any_h = False
    for title, side in groups:
        hyps = [h for h in analysis.hypotheses if h.side == side]
        if not hyps:
            continue
        any_h = True
        blocks.append(_heading(title, 3, space=8))
        head = (
            "<table width='100%' cellspacing='0'><tr><th width='5%'>#</th>"
            "<th width='31%'>Hypothesis</th><th width='8%'>Score</th>"
            "<th width='56%'>Label and evidence</th></tr></table>"
        )
        blocks.append(_Block(head, keep_with_next=True))
        for rank, h in enumerate(hyps, 1):
            ev = "".join(f"<li>{_with_sources(e)}</li>" for e in h.evidence)
            blocks.append(
                _Block(
                    f"<table width='100%' cellspacing='0'><tr><td width='5%'>{rank}</td>"
                    f"<td width='31%'><b>{_e(hypothesis_label(h.id))}</b><br>"
                    f"<span class='id'>{_e(h.id)}</span></td>"
                    f"<td width='8%'>{h.score:.2f}</td>"
                    f"<td width='56%'><b>{_e(h.label.value)}</b>"
                    f"{f'<ul>{ev}</ul>' if ev else ''}{_sources(h.sources)}</td></tr></table>",
                    space_before=2,
                )
            )
    if not any_h:
        blocks.append(
            _Block(
                "<p class='muted'>No hypotheses: nothing marked that a root or nerve explains.</p>"
            )
        )

    # conditions
    blocks.append(_heading("Conditions that fit"))
    if analysis.conditions:
        for c in analysis.conditions:
            steps = "".join(f"<li>{_with_sources(s)}</li>" for s in c.next_steps)
            tag = " <b style='color:#8b0000'>[URGENT]</b>" if c.urgent else ""
            blocks.append(
                _Block(
                    f"<h3>{_e(c.name)}{tag}</h3><p><i>Why:</i> {_with_sources(c.why)}</p>"
                    + (f"<p><i>Usual next steps:</i></p><ul>{steps}</ul>" if steps else "")
                    + f"<p>{_sources(c.sources)}</p>",
                    space_before=5,
                )
            )
    else:
        blocks.append(_Block("<p class='muted'>No condition matched what was entered.</p>"))

    # warning signs
    blocks.append(_heading("Warning signs"))
    if analysis.warnings:
        for w in analysis.warnings:
            kind = "⚠ URGENT" if w.urgent else "Warning"
            trig = (
                f"<br><span class='small'>Triggered by: "
                f"{_e(', '.join(trigger_label(t) for t in w.triggers))}</span>"
                if w.triggers
                else ""
            )
            blocks.append(
                _Block(
                    f"<p><b>{kind}:</b> {_with_sources(w.text)}{trig}<br>{_sources(w.sources)}</p>",
                    space_before=3,
                )
            )
    else:
        blocks.append(
            _Block(
                "<p>No warning sign was ticked or found in the marks. Ask about "
                "saddle numbness, bladder, bowel and sexual function at every "
                "visit.</p>"
            )
        )

    if analysis.notes:
        blocks.append(_heading("Notes"))
        blocks.append(
            _Block(
                "<ul>" + "".join(f"<li>{_with_sources(n)}</li>" for n in analysis.notes) + "</ul>"
            )
        )

    # references
    blocks.append(_heading("References"))
    ids = cited_ids(session, analysis)
    if ids:
        for rid in ids:
            text = format_reference(rid)
            body = text[len(rid) :].strip() if text.startswith(rid) else text
            blocks.append(
                _Block(
                    f"<table width='100%' cellspacing='0'><tr><td width='9%'><b>{_e(rid)}</b></td>"
                    f"<td class='small'>{_e(body)}</td></tr></table>"
                )
            )
    else:
        blocks.append(_Block("<p class='muted'>No sources cited.</p>"))
    blocks.append(
        _Block(f"<p class='small'><b>Intended use.</b> {_e(INTENDED_USE)}</p>", space_before=14)
    )
    return blocks


def render_report(
    device: QPagedPaintDevice,
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool = False,
    source_name: str | None = None,
    now: datetime | None = None,
) -> int:
    """Lay out and paint the report on ``device``; returns the number of pages."""
    now = now or datetime.now()
    lay = _Layout(device)
    if session.atlas != analysis.atlas:
        session = replace(session, atlas=analysis.atlas)
    aspect = diagram_aspect(session, overlay)
    who = f" — patient {session.visit.patient_id}" if session.visit.patient_id else ""
    header = f"{TITLE}{who} — {now.strftime('%d %b %Y')}"

    def blocks() -> list[_Block]:
        return build_blocks(
            session,
            analysis,
            overlay=overlay,
            aspect=aspect,
            body_w=lay.body_w,
            max_diagram_h=lay.page.height() * 0.42,
            source_name=source_name,
            now=now,
        )

    counter = _Writer(lay, None, header, 0)
    counter.add(blocks())
    total = counter.page_no
    painter = QPainter(device)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        writer = _Writer(lay, painter, header, total)
        writer.add(blocks())
    finally:
        painter.end()
    return total


def _setup(device: QPagedPaintDevice) -> None:
    device.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )


def pdf_bytes(
    session: Session, analysis: Analysis, *, overlay: bool = False, source_name: str | None = None
) -> bytes:
    """The PDF report as bytes."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(DPI)
    writer.setTitle(TITLE)
    writer.setCreator("Dermamap")
    _setup(writer)
    render_report(writer, session, analysis, overlay=overlay, source_name=source_name)
    del writer
    buf.close()
    return bytes(data.data())


def write_pdf(
    session: Session,
    analysis: Analysis,
    path: str | Path,
    *,
    overlay: bool = False,
    source_name: str | None = None,
) -> None:
    """Write the clinical report to ``path`` as an A4 PDF (mode 0600, atomic)."""
    atomic_write_bytes(path, pdf_bytes(session, analysis, overlay=overlay, source_name=source_name))


def print_report(
    parent: QWidget | None, session: Session, analysis: Analysis, *, overlay: bool = False
) -> bool:
    """Show the print dialog and print the report; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    _setup(printer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print Report")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_report(printer, session, analysis, overlay=overlay)
    return True
