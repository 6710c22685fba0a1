"""Window sizes within the screen: a dialog opens at the size it wants, or at nine tenths of
the screen's free area when that is smaller (at twice the scale on a 1080-line screen the
Guide, the shortcuts and the references were taller than the screen, their Close button off
it)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SCREEN_SHARE = 0.9


def within_screen(widget: QWidget, want: QSize) -> QSize:
    """``want``, bounded by :data:`SCREEN_SHARE` of the free area of ``widget``'s screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return want
    return want.boundedTo(screen.availableGeometry().size() * SCREEN_SHARE)


def resize_within_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or less where its screen is smaller."""
    widget.resize(within_screen(widget, QSize(width, height)))
