"""Ranked hypotheses per side (the small labels the panel parts share are in
:mod:`gui.panel.labels`).

Rows are created once and reused: an update only changes texts that differ and hides rows that
are not needed, so a click on the diagram never re-creates widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.impression import LEAST_PERCENT, percent
from core.names import NO_FIT_WORDS, RESIDUAL_WORDS, UNLISTED_WORDS, label_name, side_name
from core.results import Hypothesis, Label
from gui import theme
from gui.panel import escape, hypothesis_name, rich_text
from gui.panel.labels import (
    Expander,
    HfwCachedLabel,
    LineLabel,
    MutedLabel,
    RichLabel,
    SourcesLabel,
    set_text,
)


class ScoreBar(QWidget):
    """A thin horizontal bar for a probability (the percentage is in the tooltip and the
    accessible text; the row shows it as a number too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self._color: QColor | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Probability")

    def sizeHint(self) -> QSize:
        return QSize(120, 8)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, 8)

    def set_value(self, value: float, color: QColor | None = None) -> None:
        value = max(0.0, min(1.0, float(value)))
        if value != self._value or color != self._color:
            self._value, self._color = value, color
            pct = percent(value)
            self.setToolTip(f"Probability {pct} on this side (from the drawing and the exam)")
            spoken = {"<1%": "less than 1", ">99%": "more than 99"}.get(pct, pct.removesuffix("%"))
            self.setAccessibleDescription(f"probability {spoken} percent")
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
        self.evidence_label = RichLabel(role="Evidence")
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
        if h is self.hypothesis:  # not ==: that would make both explanations
            return
        self.hypothesis = h
        name = hypothesis_name(h.id)
        emergency = h.label is Label.EXCLUDE_URGENTLY
        words = label_name(h.label)
        label = words if h.probability is None else f"{percent(h.probability)} · {words}"
        strong = h.label in (Label.MORE_LIKELY, Label.EXCLUDE_URGENTLY)
        self.name_label.set_text(name, strong)
        self.label_label.set_text(label, strong)
        self.label_label.set_muted(h.label is Label.LESS_LIKELY)
        self.bar.setVisible(not emergency)  # an emergency to exclude is not a probability
        self.bar.set_value(h.probability or 0.0, theme.colors().bar)
        side_text = side_name(h.side)
        self.setAccessibleName(f"{side_text} rank {self.rank}: {name}, {label}")
        self.why.setAccessibleName(f"Why {name} ({side_text.lower()})")
        self.why.setToolTip(f"Why {name} is ranked here, with sources")
        self.evidence_label.set_role(f"Evidence for {name} ({side_text.lower()})")
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
        set_text(self.evidence_label, f"<ul style='margin-left:-20px'>{items}</ul>")
        self.sources_label.set_sources(h.sources)

    @property
    def name(self) -> str:
        return hypothesis_name(self.hypothesis.id) if self.hypothesis else ""


class HypothesesSection(QWidget):
    """Header plus reusable rows for one side (or "both"): every hypothesis the analysis
    lists, then what the listed ones leave (those not listed, and none of these)."""

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
        # above the rows when "none of these" outweighs the first: they are then the closest
        self.no_fit = QLabel()
        self.no_fit.setObjectName(f"hypotheses_{side}_no_fit")
        self.no_fit.setWordWrap(True)
        self.no_fit.setVisible(False)
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
        self._lay.addWidget(self.no_fit)
        self._lay.addWidget(self.empty)
        self._lay.addWidget(self.residual)

    def ensure_rows(self, n: int) -> None:
        """Make rows up to ``n`` (rows are made as results need them)."""
        while len(self.rows) < n:
            r = HypothesisRow(self.side, len(self.rows) + 1)
            r.setVisible(False)
            self._lay.addWidget(r)
            self.rows.append(r)

    def set_hypotheses(
        self,
        hyps: Sequence[Hypothesis],
        empty_text: str = "",
        unexplained: float | None = None,
        unlisted: float = 0.0,
    ) -> None:
        """Show ``hyps``, then the share of hypotheses not listed (``unlisted``, when it
        reaches 0.5 %) and the residual (``unexplained``): together 100 %."""
        hyps = list(hyps)
        self.ensure_rows(len(hyps))
        for row, h in zip(self.rows, hyps, strict=False):
            row.set_hypothesis(h)
            row.setVisible(True)
        # the residual sits below the rows
        self._lay.removeWidget(self.residual)
        self._lay.addWidget(self.residual)
        if unexplained is not None and hyps:
            lines = [f"{RESIDUAL_WORDS}: {percent(unexplained)}"]
            if unlisted >= LEAST_PERCENT:
                lines.insert(0, f"{UNLISTED_WORDS}: {percent(unlisted)}")
            set_text(self.residual, "<small>" + "<br>".join(map(escape, lines)) + "</small>")
        self.residual.setVisible(unexplained is not None and bool(hyps))
        no_fit = unexplained is not None and bool(hyps) and unexplained > (hyps[0].probability or 0)
        if no_fit:  # as the impression and the status bar say it
            set_text(
                self.no_fit,
                f"{NO_FIT_WORDS} (none of these {percent(unexplained or 0.0)}); the closest:",
            )
        self.no_fit.setVisible(no_fit)
        for row in self.rows[len(hyps) :]:
            if row.isVisibleTo(self):
                row.setVisible(False)
            row.hypothesis = None
        set_text(self.empty, empty_text)
        self.empty.setVisible(not hyps and bool(empty_text))

    def displayed(self) -> list[str]:
        """Hypothesis ids shown, in order (for tests and the status bar)."""
        return [r.hypothesis.id for r in self.rows if r.hypothesis and not r.isHidden()]
