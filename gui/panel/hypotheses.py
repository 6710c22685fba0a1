"""Ranked hypotheses per side, plus the small widgets the panel parts share.

Rows are created once and reused: an update only changes texts that differ and hides rows that
are not needed, so a click on the diagram never re-creates widgets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from core.results import Hypothesis, Label
from gui import theme
from gui.panel import citation, cited_ids, escape, hypothesis_name, rich_text, sources_html

MAX_PER_SIDE = 4
_TAG = re.compile(r"<[^>]*>")


def open_reference(widget: QWidget, rid: str) -> None:
    """Show the references dialog scrolled to ``rid``."""
    from gui.panel.references_dialog import show_references  # (rarely opened)

    show_references(widget.window(), rid)


class HfwCachedLabel(QLabel):
    """A word-wrapped label that remembers its size hints and heights per text and width.

    Qt lays rich text out again for every ``heightForWidth`` call and again for the size hints
    after each new text; a panel relayout asks each label several times, for a few widths, on
    every update, and the panel's texts come back often (notes, condition rows). The cache is
    keyed on the text, so a text seen before costs no layout; it is dropped when the font,
    style or margins change.
    """

    _CACHE_MAX = 96
    _HINT_WIDTH = 320

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._hfw: dict[tuple[str, int], int] = {}
        self._hints: dict[tuple[str, bool], QSize] = {}

    def _drop_cache(self) -> None:
        self._hfw.clear()
        self._hints.clear()

    def setWordWrap(self, on: bool) -> None:
        self._drop_cache()
        super().setWordWrap(on)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        self._drop_cache()
        super().setTextFormat(fmt)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.ContentsRectChange,
        ):
            self._drop_cache()
        super().changeEvent(event)

    def heightForWidth(self, width: int) -> int:
        key = (self.text(), width)
        h = self._hfw.get(key)
        if h is None:
            if len(self._hfw) >= self._CACHE_MAX:
                self._hfw.clear()
            h = self._hfw[key] = super().heightForWidth(width)
        return h

    def _hint(self, minimum: bool) -> QSize:
        key = (self.text(), minimum)
        size = self._hints.get(key)
        if size is None:
            if len(self._hints) >= self._CACHE_MAX:
                self._hints.clear()
            size = super().minimumSizeHint() if minimum else super().sizeHint()
            self._hints[key] = QSize(size)
        return QSize(size)

    def sizeHint(self) -> QSize:
        if not self.wordWrap():
            return self._hint(False)
        # Qt's hint for wrapped rich text searches for a pleasing width (several layouts of the
        # text, ~3 ms for the notes); the panel sizes these labels by heightForWidth anyway, so
        # the hint is the height at the current width (cached), or at a typical panel width
        w = max(
            self.minimumSizeHint().width(), self.width() if self.width() > 1 else self._HINT_WIDTH
        )
        return QSize(w, self.heightForWidth(w))

    def minimumSizeHint(self) -> QSize:
        if not self.wordWrap():
            return self._hint(True)
        # Qt's minimum for wrapped text lays the text out as for sizeHint (~3 ms for the
        # notes); the minimum that matters is the widest word (bold, so never too narrow)
        key = (self.text(), True)
        size = self._hints.get(key)
        if size is None:
            if len(self._hints) >= self._CACHE_MAX:
                self._hints.clear()
            font = QFont(self.font())
            font.setBold(True)
            fm = QFontMetrics(font)
            words = html.unescape(_TAG.sub(" ", self.text())).split()
            m = self.contentsMargins()
            w = max((fm.horizontalAdvance(x) for x in words), default=0)
            w += m.left() + m.right() + 2 * self.margin() + max(self.indent(), 0)
            size = self._hints[key] = QSize(w, fm.height() + m.top() + m.bottom())
        return QSize(size)


class MutedLabel(HfwCachedLabel):
    """Secondary text ("nothing marked on the left leg"): muted yet readable in both themes,
    and enabled (a disabled label was 1.6:1 in the light theme, and reads as unavailable)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._apply_muted()

    def _apply_muted(self) -> None:
        color = theme.muted_text(QApplication.palette(self))
        pal = self.palette()
        if pal.color(QPalette.ColorRole.WindowText) == color:
            return  # already (setPalette below sends a palette change of its own)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            pal.setColor(group, QPalette.ColorRole.WindowText, color)
        self.setPalette(pal)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark
            self._apply_muted()


class RichLabel(HfwCachedLabel):
    """Word-wrapped rich text whose ``ref:`` links show the citation on hover and open the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setOpenExternalLinks(False)
        self.linkHovered.connect(self._hovered)
        self.linkActivated.connect(self._activated)
        self._cited: list[str] | None = None  # ids whose citations the tooltip still lacks

    def set_rich(self, text: str) -> None:
        """Set engine text: escaped, inline ``[R6, R13]`` become links; the tooltip lists their
        full citations (looked up when the tooltip is first asked for: reading the reference
        list costs the start-up ~5 ms for the disclaimer's tooltip)."""
        html = rich_text(text)
        if html != self.text():
            self.setText(html)
            self.setToolTip("")
            self._cited = cited_ids(text)

    def citation_tooltip(self) -> str:
        """The tooltip: the full citation of each reference the text cites inline."""
        if self._cited is not None:
            self.setToolTip("<br>".join(f"<b>{i}</b> {citation(i)}" for i in self._cited))
            self._cited = None
        return self.toolTip()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            self.citation_tooltip()
        return super().event(e)

    def _hovered(self, link: str) -> None:
        if link.startswith("ref:"):
            QToolTip.showText(QCursor.pos(), citation(link[4:]), self)
        else:
            QToolTip.hideText()

    def _activated(self, link: str) -> None:
        if link.startswith("ref:"):
            open_reference(self, link[4:])


class SourcesLabel(RichLabel):
    """``Sources: [R6, R13]`` with linked ids."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: tuple[str, ...] = ()
        self.setAccessibleName("Sources")

    def set_sources(self, ids: Sequence[str], prefix: str = "Sources: ") -> None:
        ids = tuple(ids)
        if ids == self._ids and self.text():
            return
        self._ids = ids
        if self.parentWidget() is not None or not ids:  # never shown as a window of its own
            self.setVisible(bool(ids))
        self.setText(f"<small>{prefix}{sources_html(ids)}</small>" if ids else "")
        self.setToolTip("")
        self._cited = list(ids)
        self.setAccessibleName("Sources " + ", ".join(ids) if ids else "Sources")

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids


class ScoreBar(QWidget):
    """A thin horizontal bar for a probability (the percentage is in the tooltip and the
    accessible text; the row shows it as a number too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self._color: QColor | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Score")

    def sizeHint(self) -> QSize:
        return QSize(120, 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, 8)

    def set_value(self, value: float, color: QColor | None = None) -> None:
        value = max(0.0, min(1.0, float(value)))
        if value != self._value or color != self._color:
            self._value, self._color = value, color
            pct = round(value * 100)
            self.setToolTip(f"Probability {pct}% on this side (from the drawing and the exam)")
            self.setAccessibleDescription(f"probability {pct} percent")
            self.update()

    @property
    def value(self) -> float:
        return self._value

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        track = self.palette().color(QPalette.ColorRole.Mid)
        track.setAlpha(90)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(track)
        p.drawRoundedRect(r, 3, 3)
        if self._value > 0:
            fill = QRectF(r)
            fill.setWidth(max(3.0, r.width() * self._value))
            p.setBrush(self._color or theme.colors().bar)
            p.drawRoundedRect(fill, 3, 3)
        p.end()


class Expander(QToolButton):
    """A "Why" disclosure button (arrow + text) that shows or hides a details widget."""

    def __init__(self, text: str, details: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._details = details
        self.setText(text)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        self.toggled.connect(self._toggled)
        details.setVisible(False)

    def _toggled(self, on: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._details.setVisible(on)


class LineLabel(QWidget):
    """One line of text, bold or not, elided to the width it gets (full text in the tooltip).

    Its height is fixed and its size hints do not depend on the text, so a new text only
    repaints the label: a click no longer relays out the whole results tab for a new name.
    """

    def __init__(
        self,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        hint_texts: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._bold = False
        self._muted = False
        self._align = align | Qt.AlignmentFlag.AlignVCenter
        fm = QFontMetrics(self._font(True))
        self._hint_w = max((fm.horizontalAdvance(t) for t in hint_texts), default=0) + 2
        self.setFixedHeight(fm.height() + 2)
        if hint_texts:
            self.setFixedWidth(self._hint_w)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _font(self, bold: bool) -> QFont:
        f = QFont(self.font())
        f.setBold(bold)
        return f

    def sizeHint(self) -> QSize:
        return QSize(max(self._hint_w, 160), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(max(self._hint_w, 60), self.height())

    def set_text(self, text: str, bold: bool = False) -> None:
        if text == self._text and bold == self._bold:
            return
        self._text, self._bold = text, bold
        self.setAccessibleName(text)
        self._update_tooltip()
        self.update()

    def text(self) -> str:
        return self._text

    def set_muted(self, muted: bool) -> None:
        """Secondary text (a less likely hypothesis): muted, still readable."""
        if muted != self._muted:
            self._muted = muted
            self.update()

    def is_muted(self) -> bool:
        return self._muted

    def is_bold(self) -> bool:
        return self._bold

    def is_elided(self) -> bool:
        return QFontMetrics(self._font(self._bold)).horizontalAdvance(self._text) > self.width()

    def _update_tooltip(self) -> None:
        tip = self._text if self._text and self.is_elided() else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)

    def resizeEvent(self, event: QEvent) -> None:
        self._update_tooltip()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        font = self._font(self._bold)
        p.setFont(font)
        if not self.isEnabled():
            pen = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        elif self._muted:
            pen = theme.muted_text(self.palette())
        else:
            pen = self.palette().color(QPalette.ColorRole.WindowText)
        p.setPen(pen)
        text = QFontMetrics(font).elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        p.drawText(self.rect(), int(self._align), text)
        p.end()


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class HypothesisRow(QFrame):
    """One hypothesis: rank, name, score bar, label text and an expandable "Why"."""

    def __init__(self, side: str, rank: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.rank = rank
        self.hypothesis: Hypothesis | None = None
        self.setObjectName(f"hypothesis_{side}_{rank}")
        self.setFrameShape(QFrame.Shape.NoFrame)

        self.rank_label = QLabel(f"{rank}.")
        self.rank_label.setFixedWidth(self.fontMetrics().horizontalAdvance("00."))
        self.name_label = LineLabel()
        self.name_label.setObjectName("hypothesis_name")
        self.label_label = LineLabel(
            Qt.AlignmentFlag.AlignRight,
            [
                f"100% · {lab.value}" if lab is not Label.EXCLUDE_URGENTLY else lab.value
                for lab in Label
            ],
        )
        self.label_label.setObjectName("hypothesis_label")
        self.bar = ScoreBar()

        self.details = QWidget()
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(self.rank_label.width() + 4, 0, 0, 4)
        dl.setSpacing(2)
        self.evidence_label = RichLabel()
        self.evidence_label.setAccessibleName("Evidence")
        self.sources_label = SourcesLabel()
        dl.addWidget(self.evidence_label)
        dl.addWidget(self.sources_label)
        self.why = Expander("Why", self.details)
        self.why.toggled.connect(self._fill_details)
        self._details_for: Hypothesis | None = None  # whose reasons the details show

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.rank_label)
        top.addWidget(self.name_label, 1)  # the name gets the row: nerve names are long
        top.addWidget(self.why)
        bar_row = QHBoxLayout()
        bar_row.setContentsMargins(self.rank_label.width() + 6, 0, 0, 0)
        bar_row.setSpacing(6)
        bar_row.addWidget(self.bar, 1)
        # right-aligned also when the bar is hidden (an emergency to exclude has none)
        bar_row.addWidget(self.label_label, 0, Qt.AlignmentFlag.AlignRight)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 2)
        lay.setSpacing(1)
        lay.addLayout(top)
        lay.addLayout(bar_row)
        lay.addWidget(self.details)

    def set_hypothesis(self, h: Hypothesis) -> None:
        if h == self.hypothesis:
            return
        self.hypothesis = h
        name = hypothesis_name(h.id)
        emergency = h.label is Label.EXCLUDE_URGENTLY
        label = (
            h.label.value
            if h.probability is None
            else f"{percent(h.probability)} · {h.label.value}"
        )
        strong = h.label in (Label.MORE_LIKELY, Label.EXCLUDE_URGENTLY)
        self.name_label.set_text(name, strong)
        self.label_label.set_text(label, strong)
        self.label_label.set_muted(h.label is Label.LESS_LIKELY)
        self.bar.setVisible(not emergency)  # an emergency to exclude is not a probability
        self.bar.set_value(h.probability or 0.0, theme.colors().bar)
        side_text = {"left": "Left", "right": "Right"}.get(h.side, "Both sides")
        self.setAccessibleName(f"{side_text} rank {self.rank}: {name}, {label}")
        self.why.setAccessibleName(f"Why {name} ({side_text.lower()})")
        self.why.setToolTip(f"Why {name} is ranked here, with sources")
        self._fill_details()

    def _fill_details(self, *_: object) -> None:
        """The reasons and sources, made when the "Why" is open (the engine makes a
        hypothesis's explanation when it is first read; a click re-ranks every row)."""
        h = self.hypothesis
        if h is None or not self.why.isChecked() or h is self._details_for:
            return
        self._details_for = h
        items = (
            "".join(f"<li>{rich_text(e)}</li>" for e in h.evidence) or "<li>No evidence lines.</li>"
        )
        _set_text(self.evidence_label, f"<ul style='margin-left:-20px'>{items}</ul>")
        self.sources_label.set_sources(h.sources)

    @property
    def name(self) -> str:
        return hypothesis_name(self.hypothesis.id) if self.hypothesis else ""


_escape = escape


def percent(p: float) -> str:
    """A probability as a rounded percentage (``<1%`` rather than a misleading ``0%``)."""
    pct = round(p * 100)
    return "<1%" if pct < 1 else f"{pct}%"


class HypothesesSection(QWidget):
    """Header plus up to :data:`MAX_PER_SIDE` reusable rows for one side (or "both")."""

    changed = Signal()

    def __init__(self, side: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.setObjectName(f"hypotheses_{side}")
        self.setAccessibleName(f"{title} hypotheses")
        self.header = QLabel(f"<b>{title}</b>")
        self.header.setObjectName(f"hypotheses_{side}_header")
        self.empty = MutedLabel()
        self.empty.setObjectName(f"hypotheses_{side}_empty")
        self.empty.setWordWrap(True)
        self.rows: list[HypothesisRow] = []  # made as needed, then reused
        self.residual = HfwCachedLabel()
        self.residual.setObjectName(f"hypotheses_{side}_residual")
        self.residual.setWordWrap(True)
        self.residual.setToolTip(
            "The share of this side's probability that no root, nerve or polyneuropathy "
            "explains (marks off every map, or a central cause)"
        )
        self.residual.setVisible(False)
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 4, 0, 4)
        self._lay.setSpacing(2)
        self._lay.addWidget(self.header)
        self._lay.addWidget(self.empty)
        self._lay.addWidget(self.residual)

    def ensure_rows(self, n: int = MAX_PER_SIDE) -> None:
        """Make rows up to ``n`` (rows are made as results need them)."""
        while len(self.rows) < min(n, MAX_PER_SIDE):
            r = HypothesisRow(self.side, len(self.rows) + 1)
            r.setVisible(False)
            self._lay.addWidget(r)
            self.rows.append(r)

    def set_hypotheses(
        self, hyps: Sequence[Hypothesis], empty_text: str = "", unexplained: float | None = None
    ) -> None:
        hyps = list(hyps)[:MAX_PER_SIDE]
        self.ensure_rows(len(hyps))
        for row, h in zip(self.rows, hyps, strict=False):
            row.set_hypothesis(h)
            row.setVisible(True)
        # the residual sits below the rows
        self._lay.removeWidget(self.residual)
        self._lay.addWidget(self.residual)
        if unexplained is not None and hyps:
            _set_text(
                self.residual,
                "<small>None of these (no root or nerve pattern): "
                f"{escape(percent(unexplained))}</small>",
            )
        self.residual.setVisible(unexplained is not None and bool(hyps))
        for row in self.rows[len(hyps) :]:
            if row.isVisibleTo(self):
                row.setVisible(False)
            row.hypothesis = None
        _set_text(self.empty, empty_text)
        self.empty.setVisible(not hyps and bool(empty_text))

    def displayed(self) -> list[str]:
        """Hypothesis ids shown, in order (for tests and the status bar)."""
        return [r.hypothesis.id for r in self.rows if r.hypothesis and not r.isHidden()]
