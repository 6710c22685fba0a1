"""Matching conditions: name, why they match, and the usual next steps (expandable), sources."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from core import warning_names
from core.results import Condition
from gui.panel import escape, rich_text
from gui.panel.labels import Expander, HfwCachedLabel, MutedLabel, RichLabel, SourcesLabel, set_text
from gui.panel.warnings import emergency_colors, emergency_pixmap, notice_style_sheet

MAX_CONDITIONS = 5


class ConditionRow(QFrame):
    """One condition; reused across updates."""

    MARGINS = (0, 3, 0, 3)
    URGENT_MARGINS = (6, 4, 6, 4)  # inside the emergency's frame

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.condition: Condition | None = None
        self.setObjectName(f"condition_{index}")
        # an urgent condition (the emergency) looks as the urgent banner does: its icon and
        # colours (it showed the amber caution triangle beside the banner's red)
        self.icon = QLabel()
        self._icon_px = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setFixedWidth(self._icon_px + 2)
        self.icon.setAccessibleName("Emergency")
        self.icon.setVisible(False)
        self._styled_urgent: bool | None = None  # the look applied (None: none yet)
        self.name_label = HfwCachedLabel()
        self.name_label.setWordWrap(True)
        self.name_label.setObjectName("condition_name")
        self.why_label = RichLabel()
        self.why_label.setObjectName("condition_why")
        self.details = QWidget()
        dl = QVBoxLayout(self.details)
        dl.setContentsMargins(8, 0, 0, 4)
        dl.setSpacing(2)
        self.steps_label = RichLabel(role="Next steps")
        self.steps_label.setObjectName("condition_steps")
        self.sources_label = SourcesLabel()
        dl.addWidget(self.steps_label)
        dl.addWidget(self.sources_label)
        self.more = Expander("Next steps", self.details)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(4)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.name_label, 1)
        top.addWidget(self.more, 0, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(*self.MARGINS)
        lay.setSpacing(1)
        lay.addLayout(top)
        lay.addWidget(self.why_label)
        lay.addWidget(self.details)

    def set_urgent_look(self, urgent: bool) -> None:
        """The emergency's look (the urgent banner's icon and colours) or the plain one."""
        if urgent == self._styled_urgent:
            return
        self._styled_urgent = urgent
        layout = self.layout()
        assert layout is not None
        if urgent:
            bg, fg = emergency_colors()
            self.icon.setPixmap(emergency_pixmap(self, self._icon_px))
            self.setStyleSheet(notice_style_sheet(self.objectName(), bg, fg, 1))
            layout.setContentsMargins(*self.URGENT_MARGINS)
        else:
            self.icon.clear()
            self.setStyleSheet("")
            layout.setContentsMargins(*self.MARGINS)
        self.icon.setVisible(urgent)

    def refresh_theme(self) -> None:
        """Restyle for the current palette (the emergency's colours are the theme's)."""
        urgent, self._styled_urgent = self._styled_urgent, None
        if urgent is not None:
            self.set_urgent_look(urgent)

    def set_condition(self, c: Condition) -> None:
        if c == self.condition:
            return
        self.condition = c
        self.set_urgent_look(c.urgent)
        urgency = warning_names.urgency_word(c.id).lower() if c.urgent else ""
        suffix = f" — {urgency}" if urgency else ""
        set_text(self.name_label, f"<b>{escape(c.name)}{suffix}</b>")
        self.why_label.set_role(f"{c.name}, why it fits")
        self.why_label.set_rich(c.why)
        steps = "".join(f"<li>{rich_text(s)}</li>" for s in c.next_steps)
        self.steps_label.set_role(f"Next steps for {c.name}")
        set_text(
            self.steps_label,
            f"<ul style='margin-left:-20px'>{steps}</ul>" if steps else "No specific next steps.",
        )
        self.sources_label.set_sources(c.sources)
        self.setAccessibleName(f"Condition: {c.name}" + (f" ({urgency})" if urgency else ""))
        self.more.setAccessibleName(f"Next steps for {c.name}")


class ConditionsSection(QWidget):
    """Header plus reusable condition rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conditions")
        self.setAccessibleName("Matching conditions")
        self.header = QLabel("<b>Conditions that fit</b>")
        self.empty = MutedLabel("None yet: mark symptoms on the diagram.")
        self.empty.setWordWrap(True)
        self.rows: list[ConditionRow] = []  # made as needed, then reused
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 4, 0, 4)
        self._lay.setSpacing(2)
        self._lay.addWidget(self.header)
        self._lay.addWidget(self.empty)

    def ensure_rows(self, n: int = MAX_CONDITIONS) -> None:
        """Make rows up to ``n`` (rows are made as results need them)."""
        while len(self.rows) < min(n, MAX_CONDITIONS):
            r = ConditionRow(len(self.rows))
            r.setVisible(False)
            self._lay.addWidget(r)
            self.rows.append(r)

    def set_conditions(self, conditions: Sequence[Condition]) -> None:
        conds = list(conditions)[:MAX_CONDITIONS]
        self.ensure_rows(len(conds))
        for row, c in zip(self.rows, conds, strict=False):
            row.set_condition(c)
            row.setVisible(True)
        for row in self.rows[len(conds) :]:
            row.setVisible(False)
            row.condition = None
        self.empty.setVisible(not conds)

    def refresh_theme(self) -> None:
        for row in self.rows:
            row.refresh_theme()

    def displayed(self) -> list[str]:
        return [r.condition.id for r in self.rows if r.condition and not r.isHidden()]
