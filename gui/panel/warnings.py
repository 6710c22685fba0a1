"""Warnings: the urgent banner, the caution box and the red-flag (warning signs) checklist.

A warning is never colour alone: each box has an icon, a bold headline and plain text saying what
triggered it and what to do, with sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core import names, warning_names
from core.model import RedFlag
from core.results import Warning
from gui import theme
from gui.panel import FLAG_GROUPS, escape, red_flag_infos, rich_text
from gui.panel.labels import HfwCachedLabel, MutedLabel, RichLabel, SourcesLabel, set_text

EMERGENCY_ICON = "SP_MessageBoxCritical"
"""The emergency's icon (a QStyle.StandardPixmap): the urgent banner's, and an urgent
condition's in the results."""


def emergency_colors() -> tuple[QColor, QColor]:
    """(background, foreground) of the emergency: the urgent banner's, from the theme."""
    c = theme.colors()
    return c.urgent_bg, c.urgent_fg


def emergency_pixmap(widget: QWidget, px: int) -> QPixmap:
    """The emergency icon at ``px`` (as the urgent banner draws it)."""
    return widget.style().standardIcon(QStyle.StandardPixmap[EMERGENCY_ICON]).pixmap(px)


def notice_style_sheet(name: str, bg: QColor, fg: QColor, border_px: int) -> str:
    """The framed look of a notice: frame ``name`` filled with ``bg`` and bordered, its labels
    in ``fg`` (the banner, the caution box, an urgent condition)."""
    return (
        f"QFrame#{name} {{ background: {bg.name()};"
        f" border: {border_px}px solid {fg.name()}; border-radius: 4px; }}"
        f" QFrame#{name} QLabel {{ color: {fg.name()};"
        " background: transparent; border: none; }"
    )


class _NoticeBox(QFrame):
    """A framed notice: an icon, optional headline, rich body text and sources.

    Subclasses give the object name, icon, border and the theme colours; the box starts hidden
    and restyles itself when the palette changes (:meth:`refresh_theme`).
    """

    ICON = ""  # name of a QStyle.StandardPixmap
    ICON_NAME = ""
    PREFIX = ""  # object names of the parts: <PREFIX>_title, <PREFIX>_text
    ICON_PX = 32
    BORDER_PX = 1
    MARGINS = (8, 8, 8, 8)
    SPACING = 3

    def __init__(self, name: str, label: str, headline: bool, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(label)
        self._warnings: tuple[Warning, ...] | None = None
        self._styled = False  # icon and colours are applied when the box is first shown
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.icon.setFixedWidth(self.ICON_PX + 4)
        self.icon.setMinimumHeight(self.ICON_PX)
        self.icon.setAccessibleName(self.ICON_NAME or label)
        text = QVBoxLayout()
        text.setSpacing(self.SPACING)
        if headline:
            self.title = HfwCachedLabel()
            self.title.setObjectName(f"{self.PREFIX}_title")
            self.title.setWordWrap(True)
            text.addWidget(self.title)
        self.body = RichLabel()
        self.body.setObjectName(f"{self.PREFIX}_text")
        self.sources = SourcesLabel()
        text.addWidget(self.body)
        text.addWidget(self.sources)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(*self.MARGINS)
        lay.addWidget(self.icon)
        lay.addLayout(text, 1)
        self.refresh_theme()
        self.setVisible(False)

    def _colors(self) -> tuple[QColor, QColor]:
        """(background, foreground) from the theme table."""
        raise NotImplementedError

    def refresh_theme(self) -> None:
        """Restyle for the current palette (at once when shown, else when next shown)."""
        self.sources.set_sources(())
        self._warnings = None
        self._styled = False
        if not self.isHidden():
            self._apply_style()

    def setVisible(self, visible: bool) -> None:
        if visible and not self._styled:
            self._apply_style()
        super().setVisible(visible)

    def _apply_style(self) -> None:
        self._styled = True
        pm = self.style().standardIcon(QStyle.StandardPixmap[self.ICON]).pixmap(self.ICON_PX)
        self.icon.setPixmap(pm)
        bg, fg = self._colors()
        self.setStyleSheet(notice_style_sheet(self.objectName(), bg, fg, self.BORDER_PX))


class UrgentBanner(_NoticeBox):
    """Red banner with an icon, shown whenever the analysis is urgent."""

    ICON = EMERGENCY_ICON
    ICON_NAME = "Emergency"
    PREFIX = "urgent"
    BORDER_PX = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("urgent_banner", "Emergency warning", True, parent)
        self._announce = False  # an alert is owed when the banner is next seen

    def _colors(self) -> tuple[QColor, QColor]:
        return emergency_colors()

    def set_warnings(self, warnings: Sequence[Warning]) -> None:
        urgent = tuple(w for w in warnings if w.urgent)
        if urgent == self._warnings:
            return
        self._warnings = urgent
        self._announce = False
        if not urgent:
            self.setVisible(False)
            return
        # a headline per urgent warning: a cord's signs beside the cauda equina emergency were
        # named only in the body, under "exclude cauda equina syndrome now" (a UX review)
        heads = list(dict.fromkeys(warning_names.urgent_headline(w.id) for w in urgent))
        headline = ". ".join(heads)
        set_text(
            self.title,
            "<br>".join(f"<span style='font-size:large'><b>{h}</b></span>" for h in heads),
        )
        # what to do about each urgent warning, from the registry of names (without the
        # triggers its own line lists: the emergency's text named them a second time), each
        # warning's triggers just before its advice: with a second alarm under one "Triggered
        # by" list it was unclear which finding raised which (a UX review)
        advice = [warning_names.warning_advice(w.id, w.params) for w in urgent]
        parts: list[str] = []
        spoken: list[str] = [headline + "."]  # the same, for a screen reader
        for w, said in zip(urgent, advice, strict=True):
            gap = "margin:0" if not parts else "margin:6px 0 0 0"
            if w.triggers:
                # with a second alarm, the one these triggers raised (only the emergency has
                # triggers)
                whose = (
                    f"{names.hypothesis_name(w.id)}, triggered" if len(urgent) > 1 else "Triggered"
                )
                because = "; ".join(map(names.lower_first, dict.fromkeys(w.triggers)))
                parts.append(f"<p style='{gap}'><b>{escape(whose)} by:</b> {escape(because)}</p>")
                spoken.append(f"{whose} by {because}.")
                gap = "margin:4px 0 0 0"  # a little space after them: they end without a stop
            parts.append(f"<p style='{gap}'>{rich_text(said)}</p>")
            spoken.append(said)
        set_text(self.body, "".join(parts))
        ids = list(dict.fromkeys(i for w in urgent for i in w.sources))
        self.sources.set_sources(ids)
        self.setAccessibleDescription(" ".join(spoken))
        self._announce = True  # when it is seen: not behind patient mode or a learning mode
        if self.isVisible():  # already shown: a new set of urgent warnings
            self._alert()
        else:
            self.setVisible(True)  # its show event alerts, once the panel is on screen

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._announce:
            self._alert()

    def _alert(self) -> None:
        """Tell a screen reader, once per new set of urgent warnings, as the banner is seen
        (the focus stays where the clinician was working)."""
        # imported here: the module's enums cost about 2 ms of start-up, for an emergency only
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleEvent

        self._announce = False
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))
        # and the headline read out at once: the alert event may not reach a Linux screen
        # reader, the announcement (Qt 6.8) is made for this
        said = QAccessibleAnnouncementEvent(self, self.accessibleDescription())
        said.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(said)

    def text(self) -> str:
        """Plain text of the banner (tests, screen readers)."""
        return "" if self.isHidden() else self.accessibleDescription()


class CautionBox(_NoticeBox):
    """Amber box listing non-urgent warnings."""

    ICON = "SP_MessageBoxWarning"
    PREFIX = "caution"
    ICON_PX = 24
    MARGINS = (8, 6, 8, 6)
    SPACING = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("caution_box", "Caution", False, parent)

    def _colors(self) -> tuple[QColor, QColor]:
        c = theme.colors()
        return c.caution_bg, c.caution_fg

    def set_warnings(self, warnings: Sequence[Warning]) -> None:
        caution = tuple(w for w in warnings if not w.urgent)
        if caution == self._warnings:
            return
        self._warnings = caution
        if not caution:
            self.setVisible(False)
            return
        items = []
        for w in caution:
            trig = "; ".join(w.triggers)
            items.append(
                f"<p style='margin:0'><b>Caution:</b> {rich_text(w.text)}"
                + (f" <i>({escape(trig)})</i>" if trig else "")
                + "</p>"
            )
        set_text(self.body, "".join(items))
        ids: list[str] = []
        for w in caution:
            ids.extend(i for i in w.sources if i not in ids)
        self.sources.set_sources(ids)
        self.setAccessibleDescription(" ".join(w.text for w in caution))
        self.setVisible(True)


class _ClickLabel(HfwCachedLabel):
    """A word-wrapped label that toggles its check box when clicked (a wrapping check text)."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setBuddy(box)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: object) -> None:
        self._box.toggle()
        self._box.setFocus(Qt.FocusReason.MouseFocusReason)


def _wrapping_check(box: QCheckBox, text: str, tip: str) -> QWidget:
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(4)
    label = _ClickLabel(text, box)
    label.setToolTip(box.toolTip())
    lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    lay.addWidget(label, 1)
    row.setToolTip(tip)
    return row


class RedFlagChecklist(QWidget):
    """The eight warning signs of cauda equina syndrome as grouped checkboxes."""

    def __init__(self, model: object, parent: QWidget | None = None) -> None:
        from gui.session_model import SessionModel

        super().__init__(parent)
        assert isinstance(model, SessionModel)
        self._model = model
        self.setObjectName("red_flags")
        self.setAccessibleName("Warning signs checklist")
        infos = red_flag_infos()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 4)
        lay.setSpacing(2)
        header = QLabel("<b>Warning signs (cauda equina)</b>")
        lay.addWidget(header)
        intro = QLabel(
            "Ask about these whenever the back or both legs are involved. Any one of them "
            "needs same-day emergency assessment now."  # the banner's words ("today": a review)
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.boxes: dict[RedFlag, QCheckBox] = {}
        # under a sign's box: the emergency already raised from the diagram or the exam for
        # that sign, though its box is not ticked (the box records what the patient reports)
        self.found: dict[RedFlag, MutedLabel] = {}
        all_sources: list[str] = []
        for group in FLAG_GROUPS:
            g = QLabel(group)
            g.setObjectName("red_flag_group")
            font = g.font()
            font.setItalic(True)
            g.setFont(font)
            lay.addWidget(g)
            for flag, info in infos.items():
                if info.group != group:
                    continue
                box = QCheckBox()
                box.setObjectName(f"red_flag_{flag.value}")
                box.setAccessibleName(f"Warning sign: {info.label}")
                box.setAccessibleDescription(info.description)
                box.setToolTip(f"{info.description} [{', '.join(info.sources)}]")
                box.toggled.connect(lambda on, f=flag: self._model.set_red_flag(f, on))
                self.boxes[flag] = box
                lay.addWidget(_wrapping_check(box, info.label, info.description))
                found = MutedLabel()  # under the box's text, aligned with it
                found.setObjectName(f"red_flag_{flag.value}_found")
                found.setWordWrap(True)
                found.setVisible(False)
                indent = box.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, box)
                found.setContentsMargins(indent + 4, 0, 0, 0)
                lay.addWidget(found)
                self.found[flag] = found
                all_sources.extend(s for s in info.sources if s not in all_sources)
        self.sources = SourcesLabel()
        lay.addWidget(self.sources)  # first: a label without a parent shown is a window
        self.sources.set_sources(all_sources)
        model.red_flags_changed.connect(self.sync)
        model.session_replaced.connect(self.sync)
        self.sync()

    def show_triggers(self, warnings: Sequence[Warning]) -> None:
        """Say under a sign's box when the emergency is raised for that sign from the diagram
        or the examination with the box unticked: saddle numbness or tingling marked, reduced
        saddle key points, weakness found in both legs and getting worse (a checklist that read
        unticked beside a banner naming the sign looked contradictory)."""
        triggers = [
            str(t) for w in warnings if w.id == "cauda_equina" for t in w.params.get("triggers", ())
        ]
        ticked = [f.value for f in self._model.session.red_flags]
        found = warning_names.found_unticked(triggers, ticked)
        for flag, label in self.found.items():
            words = found.get(flag.value)
            if words:
                set_text(label, f"Already raised: {'; '.join(words)}.")
            label.setVisible(bool(words))

    def sync(self) -> None:
        flags = self._model.session.red_flags
        for flag, box in self.boxes.items():
            if box.isChecked() != (flag in flags):
                with QSignalBlocker(box):
                    box.setChecked(flag in flags)
