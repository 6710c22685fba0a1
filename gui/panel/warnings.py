"""Warnings: the urgent banner, the caution box and the red-flag (warning signs) checklist.

A warning is never colour alone: each box has an icon, a bold headline and plain text saying what
triggered it and what to do, with sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.model import RedFlag, Warning
from core.zones import areas, display_name, is_known_zone
from gui import theme
from gui.panel import FLAG_GROUPS, red_flag_infos, rich_text
from gui.panel.hypotheses import HfwCachedLabel, RichLabel, SourcesLabel, _escape, _set_text

# Our own wording of the emergency advice (clinical.md section 5.4: R41, R44, R47, R48, R49).
URGENT_ACTION = (
    "Arrange emergency assessment today: same-day referral for an emergency MRI and a spinal "
    "surgical opinion. Do not wait to see whether it settles. Decompression early, ideally well "
    "within 48 hours, gives the best chance of keeping bladder, bowel and leg function."
)
URGENT_SOURCES = ("R41", "R44", "R47", "R48", "R49")


def trigger_text(trigger: str) -> str:
    """Readable text of a warning trigger (a red-flag id, a zone id, ``zone:side``, or text)."""
    infos = red_flag_infos()
    try:
        return infos[RedFlag(trigger)].label
    except ValueError:
        pass
    zone, _, side = trigger.partition(":")
    if not side and " (" in trigger:
        return trigger
    if zone and (zone in areas() or is_known_zone(zone)):
        name = display_name(zone)
        return f"{name} marked ({side})" if side in ("left", "right") else f"{name} marked"
    return trigger.replace("_", " ")


def _strip_headline(text: str) -> str:
    """Drop a leading "Possible cauda equina syndrome: <triggers>." sentence (shown above)."""
    m = re.match(r"\s*possible cauda equina syndrome[^.]*\.\s*", text, re.I)
    return text[m.end() :] if m and m.end() < len(text) else text


def _icon_label(pixmap: QStyle.StandardPixmap, parent: QWidget, px: int = 32) -> QLabel:
    lab = QLabel(parent)
    lab.setPixmap(parent.style().standardIcon(pixmap).pixmap(px))
    lab.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
    lab.setFixedWidth(px + 4)
    return lab


class UrgentBanner(QFrame):
    """Red banner with an icon, shown whenever the analysis is urgent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgent_banner")
        self.setAccessibleName("Emergency warning")
        self._warnings: tuple[Warning, ...] | None = None
        self.icon = _icon_label(QStyle.StandardPixmap.SP_MessageBoxCritical, self)
        self.icon.setAccessibleName("Emergency")
        self.title = HfwCachedLabel()
        self.title.setObjectName("urgent_title")
        self.title.setWordWrap(True)
        self.body = RichLabel()
        self.body.setObjectName("urgent_text")
        self.sources = SourcesLabel()
        text = QVBoxLayout()
        text.setSpacing(3)
        text.addWidget(self.title)
        text.addWidget(self.body)
        text.addWidget(self.sources)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.addWidget(self.icon)
        lay.addLayout(text, 1)
        self.refresh_theme()
        self.setVisible(False)

    def refresh_theme(self) -> None:
        c = theme.colors()
        self.setStyleSheet(
            f"QFrame#urgent_banner {{ background: {c.urgent_bg.name()};"
            f" border: 2px solid {c.urgent_fg.name()}; border-radius: 4px; }}"
            f" QFrame#urgent_banner QLabel {{ color: {c.urgent_fg.name()};"
            " background: transparent; border: none; }"
        )
        self.sources.set_sources(())
        self._warnings = None

    def set_warnings(self, warnings: Sequence[Warning]) -> None:
        urgent = tuple(w for w in warnings if w.urgent)
        if urgent == self._warnings:
            return
        self._warnings = urgent
        if not urgent:
            self.setVisible(False)
            return
        ces = any(w.id == "cauda_equina" for w in urgent) or not urgent[0].id
        headline = "Emergency: possible cauda equina syndrome" if ces else "Emergency"
        _set_text(self.title, f"<span style='font-size:large'><b>{headline}</b></span>")
        triggers: list[str] = []
        for w in urgent:
            for t in w.triggers:
                tt = trigger_text(t)
                if tt not in triggers:
                    triggers.append(tt)
        parts = []
        if triggers:
            parts.append(
                "<p style='margin:0'><b>Triggered by:</b> " + _escape("; ".join(triggers)) + "</p>"
            )
        # the engine's wording when it already says what to do; ours otherwise
        texts = [w.text for w in urgent if w.text]
        advice = [t for t in texts if "emergency" in t.lower() or "today" in t.lower()]
        action = " ".join(_strip_headline(t) for t in advice) if advice else URGENT_ACTION
        parts.append(f"<p style='margin:0'><b>What to do now:</b> {rich_text(action)}</p>")
        parts.extend(f"<p style='margin:0'>{rich_text(t)}</p>" for t in texts if t not in advice)
        _set_text(self.body, "".join(parts))
        ids: list[str] = []
        for w in urgent:
            ids.extend(i for i in w.sources if i not in ids)
        ids.extend(i for i in URGENT_SOURCES if i not in ids)
        self.sources.set_sources(ids)
        self.setAccessibleDescription(
            headline
            + ". "
            + ("Triggered by " + "; ".join(triggers) + ". " if triggers else "")
            + re.sub(r"\s*\[[^\]]*\]", "", action)
        )
        self.setVisible(True)

    def text(self) -> str:
        """Plain text of the banner (tests, screen readers)."""
        return "" if self.isHidden() else self.accessibleDescription()


class CautionBox(QFrame):
    """Amber box listing non-urgent warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caution_box")
        self.setAccessibleName("Caution")
        self._warnings: tuple[Warning, ...] | None = None
        self.icon = _icon_label(QStyle.StandardPixmap.SP_MessageBoxWarning, self, 24)
        self.icon.setAccessibleName("Caution")
        self.body = RichLabel()
        self.body.setObjectName("caution_text")
        self.sources = SourcesLabel()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.body)
        text.addWidget(self.sources)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addWidget(self.icon)
        lay.addLayout(text, 1)
        self.refresh_theme()
        self.setVisible(False)

    def refresh_theme(self) -> None:
        c = theme.colors()
        self.setStyleSheet(
            f"QFrame#caution_box {{ background: {c.caution_bg.name()};"
            f" border: 1px solid {c.caution_fg.name()}; border-radius: 4px; }}"
            f" QFrame#caution_box QLabel {{ color: {c.caution_fg.name()};"
            " background: transparent; border: none; }"
        )
        self._warnings = None

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
            trig = "; ".join(trigger_text(t) for t in w.triggers)
            items.append(
                f"<p style='margin:0'><b>Caution:</b> {rich_text(w.text)}"
                + (f" <i>({_escape(trig)})</i>" if trig else "")
                + "</p>"
            )
        _set_text(self.body, "".join(items))
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
            "needs emergency assessment today."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.boxes: dict[RedFlag, QCheckBox] = {}
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
                all_sources.extend(s for s in info.sources if s not in all_sources)
        self.sources = SourcesLabel()
        self.sources.set_sources(all_sources)
        lay.addWidget(self.sources)
        model.red_flags_changed.connect(self.sync)
        model.session_replaced.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        flags = self._model.session.red_flags
        for flag, box in self.boxes.items():
            if box.isChecked() != (flag in flags):
                box.blockSignals(True)
                box.setChecked(flag in flags)
                box.blockSignals(False)
