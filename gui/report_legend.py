"""The diagram's legend strip (one swatch per symptom, in the app's fill and pattern) and, for
the PNG, a caption line naming the patient, the visit date and the map; drawn under the diagram
image so that a picture filed on its own still says what it shows."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen

from core import names
from core.model import Session, Symptom
from gui.theme import paper, symptom_style

STRIP_PT = 28.0  # height of one line of the strip at scale 1 (scene units; ~0.5 pt on A4)


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


def strip_height(caption: bool) -> float:
    return STRIP_PT * (2 if caption else 1) + 6


def with_legend(img: QImage, scale: float, caption: str | None = None) -> QImage:
    """``img`` with the legend strip (and ``caption``) added below it, in the light colours
    (on white) whatever the window's theme."""
    with paper():
        return _with_legend(img, scale, caption)


def _with_legend(img: QImage, scale: float, caption: str | None) -> QImage:
    extra = round(strip_height(caption is not None) * scale)
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
    if caption is not None:
        y += STRIP_PT * scale
        p.drawText(
            QRectF(8 * scale, y, out.width() - 16 * scale, box),
            int(Qt.AlignmentFlag.AlignVCenter),
            caption,
        )
    p.end()
    return out
