"""The diagram's legend strip (one swatch per symptom, in the app's fill and pattern) and, for
the PNG, the urgent warnings' headlines and a caption line naming the patient, the visit date
and the map; drawn under the diagram image so that a picture filed on its own still says what
it shows, and that it came with an emergency."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

from core import names, warning_names
from core.model import Session, Symptom
from core.results import Analysis
from gui.theme import paper, symptom_style

STRIP_PT = 28.0  # height of one line of the strip at scale 1 (scene units; ~0.5 pt on A4)
ALERT_COLOUR = "#8b0000"  # the report's urgent headings' dark red (the words carry the meaning)


def alert_lines(analysis: Analysis) -> list[str]:
    """One line per urgent warning, its headline as the status bar shouts it ("⚠ EMERGENCY:
    exclude cauda equina syndrome now", "⚠ URGENT: upper motor neuron signs"), the cauda equina
    emergency first whenever the analysis is urgent; ``[]`` when nothing is urgent. The PNG's
    caption named the patient, the visit and the map only: a picture filed on its own lost the
    emergency."""
    ids = [w.id for w in analysis.urgent_warnings]
    if analysis.urgent:
        ids.insert(0, "cauda_equina")
    return [f"⚠ {warning_names.urgent_headline(i, loud=True)}" for i in dict.fromkeys(ids)]


def caption_text(session: Session, atlas: str) -> str:
    """``Patient P-77 · visit 2024-05-01 · Consensus map`` (what is known)."""
    v = session.visit
    parts = []
    if v.patient_id:
        parts.append(f"Patient {v.patient_id}")
    if v.date:
        parts.append(f"visit {v.date}")
    parts.append(f"{names.atlas_name(atlas)} map")
    return " · ".join(parts)


def strip_height(caption: bool, alerts: int = 0) -> float:
    """The strip's height at scale 1: the legend's line, one per alert and the caption's."""
    return STRIP_PT * (1 + int(caption) + alerts) + 6


def with_legend(
    img: QImage, scale: float, caption: str | None = None, alerts: Sequence[str] = ()
) -> QImage:
    """``img`` with the legend strip (then ``alerts``, one a line, in bold, and ``caption``)
    added below it, in the light colours (on white) whatever the window's theme."""
    with paper():
        return _with_legend(img, scale, caption, alerts)


def _with_legend(img: QImage, scale: float, caption: str | None, alerts: Sequence[str]) -> QImage:
    extra = round(strip_height(caption is not None, len(alerts)) * scale)
    out = QImage(img.width(), img.height() + extra, QImage.Format.Format_ARGB32_Premultiplied)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    p.drawImage(0, 0, img)
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(6, round(17 * scale)))
    p.setFont(font)
    y = img.height() + 3 * scale
    x = 8 * scale
    box = 20 * scale
    p.setPen(QColor("#222"))
    p.drawText(QRectF(x, y, 90 * scale, box), int(Qt.AlignmentFlag.AlignVCenter), "Legend:")
    x += 80 * scale
    for symptom in Symptom:
        st = symptom_style(symptom)
        rect = QRectF(x, y, box * 1.6, box)
        p.setPen(QPen(QColor("#555"), max(1.0, scale * 0.6)))
        p.setBrush(QBrush(st.fill))
        p.drawRect(rect)
        p.setBrush(QBrush(st.pattern_color, st.pattern))
        p.drawRect(rect)
        p.setPen(QColor("#222"))
        label = QRectF(x + box * 1.9, y, 120 * scale, box)
        p.drawText(label, int(Qt.AlignmentFlag.AlignVCenter), symptom.display)
        x += box * 1.9 + p.fontMetrics().horizontalAdvance(symptom.display) + 24 * scale
    p.drawText(
        QRectF(x, y, max(1.0, out.width() - x - 8 * scale), box),
        int(Qt.AlignmentFlag.AlignVCenter),
        "Left and right are the patient's.",
    )

    def line(text: str) -> None:  # a line across the strip, under the one before
        nonlocal y
        y += STRIP_PT * scale
        flags = int(Qt.AlignmentFlag.AlignVCenter)
        p.drawText(QRectF(8 * scale, y, out.width() - 16 * scale, box), flags, text)

    if alerts:
        p.save()
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor(ALERT_COLOUR))
        for alert in alerts:
            line(alert)
        p.restore()
    if caption is not None:
        line(caption)
    p.end()
    return out
