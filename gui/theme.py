"""The one theme table: every colour the app draws comes from here (light and dark).

Colours follow the system palette where Qt has a role for them (window, text, highlight) and come
from this table otherwise. Symptoms and warnings never rely on colour alone: each symptom has its
own fill *pattern* too, and warnings carry an icon and text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)

from core.model import Symptom

_on_paper = 0  # how many paper() blocks are open


@contextmanager
def paper() -> Iterator[None]:
    """Light colours whatever the window's theme, for the diagram on paper and in images (on
    white): in the dark theme the report's and the PNG export's legs were near black and their
    titles white on white."""
    global _on_paper
    _on_paper += 1
    try:
        yield
    finally:
        _on_paper -= 1


def is_dark() -> bool:
    """True when the application palette is dark (window darker than its text), except on
    paper (:func:`paper`)."""
    if _on_paper:
        return False
    pal = QGuiApplication.palette()
    return (
        pal.color(QPalette.ColorRole.Window).lightness()
        < pal.color(QPalette.ColorRole.WindowText).lightness()
    )


@dataclass(frozen=True)
class SymptomStyle:
    """How a symptom is painted: a fill colour plus a pattern that reads in greyscale."""

    fill: QColor
    pattern: Qt.BrushStyle
    pattern_color: QColor
    glyph: str  # a short text/legend marker


# Okabe-Ito colour-blind-safe hues.
_SYMPTOMS_LIGHT = {
    Symptom.NUMBNESS: SymptomStyle(
        QColor(86, 180, 233, 150), Qt.BrushStyle.BDiagPattern, QColor(0, 84, 147), "N"
    ),
    Symptom.TINGLING: SymptomStyle(
        QColor(240, 228, 66, 170), Qt.BrushStyle.Dense6Pattern, QColor(120, 100, 0), "T"
    ),
    Symptom.PAIN: SymptomStyle(
        QColor(213, 94, 0, 150), Qt.BrushStyle.CrossPattern, QColor(120, 40, 0), "P"
    ),
}
_SYMPTOMS_DARK = {
    Symptom.NUMBNESS: SymptomStyle(
        QColor(86, 180, 233, 185), Qt.BrushStyle.BDiagPattern, QColor(215, 240, 255), "N"
    ),
    Symptom.TINGLING: SymptomStyle(
        QColor(240, 228, 66, 150), Qt.BrushStyle.Dense6Pattern, QColor(255, 250, 200), "T"
    ),
    Symptom.PAIN: SymptomStyle(
        QColor(213, 94, 0, 170), Qt.BrushStyle.CrossPattern, QColor(255, 215, 190), "P"
    ),
}


def symptom_style(symptom: Symptom) -> SymptomStyle:
    return (_SYMPTOMS_DARK if is_dark() else _SYMPTOMS_LIGHT)[symptom]


# One hue per root for dermatome overlays. None near a symptom's (sky blue, yellow, vermilion):
# an unmarked L5 area was tinted the orange of pain and L3 the blue of numbness. The overlay's
# labels name the root of every area, so the colours need not carry that alone.
_ROOT_HUES = {
    "L1": "#9e9ac8",
    "L2": "#6a51a3",
    "L3": "#35978f",
    "L4": "#31a354",
    "L5": "#c994c7",
    "S1": "#d6616b",
    "S2": "#8c6d31",
    "S3": "#7b4173",
    "S4": "#636363",
    "S5": "#969696",
}
_NERVE_HUES = {
    "common_peroneal": "#1b9e77",
    "deep_peroneal": "#d95f02",
    "superficial_peroneal": "#7570b3",
    "sural": "#e7298a",
    "saphenous": "#66a61e",
    "lateral_femoral_cutaneous": "#e6ab02",
    "tibial": "#a6761d",
    "medial_plantar": "#1f78b4",
    "lateral_plantar": "#b2df8a",
    "femoral": "#fb9a99",
    "obturator": "#6a3d9a",
    "posterior_femoral_cutaneous": "#17becf",
    "sciatic": "#8c564b",
}


def root_color(root: str, alpha: int = 255) -> QColor:
    c = QColor(_ROOT_HUES.get(root, "#888888"))
    c.setAlpha(alpha)
    return c


def nerve_color(nerve: str, alpha: int = 255) -> QColor:
    c = QColor(_NERVE_HUES.get(nerve, "#888888"))
    c.setAlpha(alpha)
    return c


@dataclass(frozen=True)
class Colors:
    """Non-palette colours for the current light/dark mode."""

    skin: QColor
    skin_outline: QColor
    zone_border: QColor
    hover: QColor
    focus: QColor
    label: QColor
    urgent_bg: QColor
    urgent_fg: QColor
    caution_bg: QColor
    caution_fg: QColor
    ok: QColor
    bar: QColor
    disagreement: QColor
    key_point: QColor


_LIGHT = Colors(
    skin=QColor("#fbf3ec"),
    skin_outline=QColor("#5a4636"),
    zone_border=QColor(120, 96, 80, 110),
    hover=QColor(0, 114, 178, 60),
    focus=QColor("#0072b2"),
    label=QColor("#3a3a3a"),
    urgent_bg=QColor("#fde2e1"),
    urgent_fg=QColor("#8b0000"),
    caution_bg=QColor("#fff4d6"),
    caution_fg=QColor("#6b4e00"),
    ok=QColor("#1b7a3d"),
    bar=QColor("#0072b2"),
    disagreement=QColor("#6b4e00"),
    key_point=QColor("#202020"),
)
_DARK = Colors(
    skin=QColor("#3a3330"),
    skin_outline=QColor("#d8c6b8"),
    zone_border=QColor(230, 210, 195, 90),
    hover=QColor(86, 180, 233, 80),
    focus=QColor("#56b4e9"),
    label=QColor("#e6e6e6"),
    urgent_bg=QColor("#5c1a1a"),
    urgent_fg=QColor("#ffd9d6"),
    caution_bg=QColor("#4a3d12"),
    caution_fg=QColor("#ffe9a8"),
    ok=QColor("#7fd39b"),
    bar=QColor("#56b4e9"),
    disagreement=QColor("#ffe9a8"),
    key_point=QColor("#f0f0f0"),
)


def colors() -> Colors:
    return _DARK if is_dark() else _LIGHT


MUTED_SHARE = 0.62
"""How much of the text colour secondary text keeps over the window colour."""


def muted_text(palette: QPalette) -> QColor:
    """Secondary text ("less likely", "nothing marked yet"): 62 % of the text colour over the
    window colour, about 6:1 against the window in both themes. A disabled widget's text,
    used for this before, is 1.6:1 in the light theme."""
    fg = palette.color(QPalette.ColorRole.WindowText)
    bg = palette.color(QPalette.ColorRole.Window)
    k = MUTED_SHARE
    return QColor.fromRgbF(
        fg.redF() * k + bg.redF() * (1 - k),
        fg.greenF() * k + bg.greenF() * (1 - k),
        fg.blueF() * k + bg.blueF() * (1 - k),
    )


def dark_palette() -> QPalette:
    """A dark Fusion palette (used for tests/screenshots and when the system asks for dark;
    disabled controls read grey on a flat field)."""
    p = QPalette()
    base, alt, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#e6e6e6")
    p.setColor(QPalette.ColorRole.Window, alt)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, alt)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, alt)
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.ToolTipBase, base)
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#9a9a9a"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#3d7bd9"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#8ab4f8"))
    # disabled controls: grey text on a flat field, as in Fusion's light palette
    grey, disabled = QColor("#8a8a8a"), QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(disabled, role, grey)
    p.setColor(disabled, QPalette.ColorRole.Base, alt)
    return p


# --- diagram view ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiagramColors:
    """Colours of the body diagram that the generic :class:`Colors` table does not cover."""

    background: QColor  # scene background behind the views
    ink: QColor  # limb outline (the chart's ink line)
    title: QColor  # view titles
    caption: QColor  # side captions and orientation labels
    halo: QColor  # text halo behind overlay labels
    brush_stroke: QColor  # the translucent stroke while painting
    eraser_stroke: QColor  # the translucent stroke while erasing
    highlight: QColor  # default explore/quiz highlight
    legend_bg: QColor
    legend_border: QColor


_DIAGRAM_LIGHT = DiagramColors(
    background=QColor("#ffffff"),
    ink=QColor("#4a3a2e"),
    title=QColor("#222222"),
    caption=QColor("#5f5f5f"),
    halo=QColor(255, 255, 255, 215),
    brush_stroke=QColor(0, 114, 178, 70),
    eraser_stroke=QColor(120, 120, 120, 80),
    highlight=QColor(0, 158, 115),
    legend_bg=QColor(255, 255, 255, 230),
    legend_border=QColor("#c8c8c8"),
)
_DIAGRAM_DARK = DiagramColors(
    background=QColor("#1e1f22"),
    ink=QColor("#e0d2c6"),
    title=QColor("#f0f0f0"),
    caption=QColor("#b4b4b4"),
    halo=QColor(30, 31, 34, 215),
    brush_stroke=QColor(86, 180, 233, 90),
    eraser_stroke=QColor(200, 200, 200, 80),
    highlight=QColor(0, 190, 140),
    legend_bg=QColor(43, 45, 49, 235),
    legend_border=QColor("#55585e"),
)


def diagram_colors() -> DiagramColors:
    """Diagram colours for the current light/dark palette."""
    return _DIAGRAM_DARK if is_dark() else _DIAGRAM_LIGHT


def highlight_alpha(weight: float) -> int:
    """The opacity (0-255) of an explore or quiz highlight of a zone of ``weight`` (1 core, 0.5
    shared, 0.25 occasional): the diagram's shading and Explore's legend swatches."""
    return round(40 + 150 * min(1.0, weight))


def symptom_brush(symptom: Symptom, coverage: float = 1.0) -> tuple[QColor, QColor]:
    """Fill and pattern colours of a marked zone, lighter for partial ``coverage`` (0-1)."""
    st = symptom_style(symptom)
    k = max(0.2, min(1.0, coverage))
    fill = QColor(st.fill)
    fill.setAlpha(round(st.fill.alpha() * k))
    pat = QColor(st.pattern_color)
    pat.setAlpha(round(255 * (0.35 + 0.65 * k)))
    return fill, pat


def symptom_icon(symptom: Symptom, size: int = 16) -> QIcon:
    """A swatch with the symptom's fill colour and pattern (the diagram's own look)."""
    style = symptom_style(symptom)
    icon = QIcon()
    for scale in (1, 2):
        pm = QPixmap(size * scale, size * scale)
        pm.setDevicePixelRatio(scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(0.5, 0.5, size - 1.0, size - 1.0)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(style.fill)
        p.drawRoundedRect(box, 3, 3)
        p.setBrush(QBrush(style.pattern_color, style.pattern))
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QPen(style.pattern_color, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(box, 3, 3)
        p.end()
        icon.addPixmap(pm)
    return icon


# --- the lines of a plot (My progress, the visits' timeline) --------------------------------

SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
"""One colour per line (Okabe-Ito: told apart by colour-blind readers too)."""
SERIES_SYMBOLS = (("o", "●"), ("s", "■"), ("t1", "▲"), ("d", "◆"), ("t", "▼"), ("star", "★"))
"""One marker shape per line (pyqtgraph's name, and the same shape as a character for a table):
colour is not the only cue."""
SERIES_DODGE = 0.05
"""How far apart, in steps of the x axis, the lines' points sit at one x: lines with the same
values (two topics missed in the same quizzes, two hypotheses at 0 %) drew one over the other."""


def series_offset(index: int, count: int) -> float:
    """Line ``index``'s shift along x among ``count`` lines, centred on the step."""
    return (index - (count - 1) / 2) * SERIES_DODGE
