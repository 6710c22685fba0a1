"""Layout pieces shared by the explore and quiz panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from gui.panel.labels import PageScroll


def scrolling_body(panel: QWidget) -> QVBoxLayout:
    """Fill ``panel`` with a frameless vertical scroll area; return the body's layout."""
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    scroll = PageScroll()  # passes the keyboard focus on to the page's controls
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # The body follows the pane's width (long texts wrap). Should a control ever need more
    # room than the pane has, a scroll bar reaches it: "always off" clipped it out of sight.
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    outer.addWidget(scroll)
    body = QWidget()
    scroll.setWidget(body)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(10, 10, 10, 10)
    lay.setSpacing(10)
    return lay


def heading(text: str, scale: float = 1.35) -> QLabel:
    """A bold title label, ``scale`` times the normal font size."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def area_list(ids: list[str]) -> str:
    """Areas by name, lower-cased, in one line ("buttock, lateral thigh"; "none")."""
    from core.zones import areas

    return ", ".join(areas()[a].name.lower() for a in ids) or "none"
