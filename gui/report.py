"""Reports: a paginated PDF (or printout) of the session and its analysis, the diagram as PNG,
and the research CSV.

The content comes from :mod:`core.report_content` (Qt-free), the pagination from
:mod:`gui.report_layout`; this module renders them on a :class:`QPagedPaintDevice`
(``QPdfWriter`` or ``QPrinter``) and draws the diagram with the app's own :class:`DiagramView`
scene.

Every file written here goes through :func:`core.session_io.atomic_write_bytes` (mode 0600).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize
from PySide6.QtGui import (
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtWidgets import QWidget

from core.model import Session
from core.report_blocks import Block
from core.report_content import TITLE, build_blocks, running_header
from core.results import Analysis
from core.session_io import atomic_write_bytes
from gui.report_diagram import diagram_aspect, diagram_image, render_diagram
from gui.report_layout import PageLayout, PageWriter
from gui.screen_fit import within_screen

if TYPE_CHECKING:
    from core.analyses import OtherMapTop
    from core.compare import Comparison

DPI = 300
MARGIN_MM = 18.0


def write_png(
    session: Session,
    path: str | Path,
    *,
    overlay: bool = False,
    scale: float = 2.0,
    analysis: Analysis | None = None,
) -> None:
    """Save the diagram (every view, with the marks, the legend and a caption naming the
    patient, the visit date and the map) as a PNG file (mode 0600). With the session's
    ``analysis``, the headlines of its urgent warnings ("⚠ EMERGENCY: exclude cauda equina
    syndrome now") come above the caption: a picture filed alone keeps the emergency. (Only the
    document model and the report command line run the engine in the GUI: a caller passes it.)"""
    from gui.report_legend import alert_lines

    alerts = alert_lines(analysis) if analysis is not None else []
    img = diagram_image(session, overlay=overlay, scale=scale, alerts=alerts)
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


def render_report(
    device: QPagedPaintDevice,
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool = False,
    source_name: str | None = None,
    now: datetime | None = None,
    comparison: Comparison | None = None,
    other_maps: Sequence[OtherMapTop] = (),
) -> int:
    """Lay out and paint the report on ``device``; returns the number of pages. ``other_maps``:
    where another atlas puts a different lesion first (:func:`core.analyses.other_map_tops`)."""
    now = now or datetime.now()
    lay = PageLayout(device)
    if session.atlas != analysis.atlas:
        session = replace(session, atlas=analysis.atlas)
    aspect = diagram_aspect(session, overlay)
    # the patient and the visit's date on every page, and the day printed said to be that
    header = running_header(session, now)

    def blocks() -> list[Block]:
        return build_blocks(
            session,
            analysis,
            overlay=overlay,
            aspect=aspect,
            body_w=lay.body_w,
            max_diagram_h=lay.page.height() * 0.36,
            source_name=source_name,
            now=now,
            comparison=comparison,
            other_maps=other_maps,
        )

    def draw_diagram(painter: QPainter, target: QRectF, picture: str = "") -> None:
        if picture and comparison is not None:
            from gui.compare_view import render_change

            render_change(painter, target, comparison)
        else:
            render_diagram(painter, target, session, overlay=overlay)

    counter = PageWriter(lay, None, header, 0, draw_diagram)
    counter.add(blocks())
    total = counter.page_no
    painter = QPainter(device)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    try:
        writer = PageWriter(lay, painter, header, total, draw_diagram)
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
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool = False,
    source_name: str | None = None,
    comparison: Comparison | None = None,
    other_maps: Sequence[OtherMapTop] = (),
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
    render_report(
        writer,
        session,
        analysis,
        overlay=overlay,
        source_name=source_name,
        comparison=comparison,
        other_maps=other_maps,
    )
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
    comparison: Comparison | None = None,
    other_maps: Sequence[OtherMapTop] = (),
) -> None:
    """Write the clinical report to ``path`` as an A4 PDF (mode 0600, atomic); with
    ``comparison`` it ends with the comparison to an earlier visit."""
    data = pdf_bytes(
        session,
        analysis,
        overlay=overlay,
        source_name=source_name,
        comparison=comparison,
        other_maps=other_maps,
    )
    atomic_write_bytes(path, data)


def _printer() -> Any:
    """A printer for the report, laid out as the PDF export is: at the export's resolution
    (a 1200 dpi printer drew the outlines as hairlines, the hatching four times finer and the
    warnings' list indented by a third of the page, all sized in its device pixels)."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setResolution(DPI)
    _setup(printer)
    return printer


def print_report(
    parent: QWidget | None,
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool = False,
    other_maps: Sequence[OtherMapTop] = (),
    doc_name: str = "",
) -> bool:
    """Show the print dialog and print the report; False when cancelled. ``doc_name`` names
    the print job (and the file "Print to File" suggests, which was "print.pdf"); a report
    printed to a file is made owner-only (0600), as the exported one is."""
    from PySide6.QtPrintSupport import QPrintDialog

    printer = _printer()
    if doc_name:
        printer.setDocName(doc_name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print Report")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    render_report(printer, session, analysis, overlay=overlay, other_maps=other_maps)
    if printer.outputFileName():
        # OSError: the printer wrote it elsewhere or not at all, nothing to protect
        with contextlib.suppress(OSError):
            os.chmod(printer.outputFileName(), 0o600)
    return True


def print_preview(
    parent: QWidget | None,
    session: Session,
    analysis: Analysis,
    *,
    overlay: bool = False,
    other_maps: Sequence[OtherMapTop] = (),
) -> Any:
    """A print preview of the report (:class:`QPrintPreviewDialog`), shown modally and
    returned."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = _printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print Preview — Report")
    dialog._printer = printer  # type: ignore[attr-defined]  # the dialog does not own it
    dialog.paintRequested.connect(
        lambda p: render_report(p, session, analysis, overlay=overlay, other_maps=other_maps)
    )
    # a page and its toolbar, within the screen: it opened at 533 x 533, smaller than its own
    # size hint, with Print and Page Setup behind the toolbar's overflow arrow
    dialog.resize(within_screen(dialog, dialog.sizeHint().expandedTo(QSize(900, 1100))))
    dialog.exec()
    return dialog
