"""The main window's remembered layout: geometry, bars, splitter, whether the panel is shown.

The settings store is :func:`gui.settings_store.app_settings`. The saved settings are made
owner-only (issue 17).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter

from gui.settings_store import app_settings


def restore_window(window: QMainWindow, splitter: QSplitter, panel_action: QAction) -> None:
    """Size and place the window as last time (first start: centred, within the screen)."""
    st = app_settings()
    geo = st.value("window/geometry")
    if isinstance(geo, QByteArray) and not geo.isEmpty():
        window.restoreGeometry(geo)
    else:
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else None
        if avail is not None:
            # never larger than the screen, frame included (a restored geometry would be
            # clamped to it, and the next start's window would differ from this one)
            w = min(avail.width() - 32, 1440, max(900, int(avail.width() * 0.92)))
            h = min(avail.height() - 32, 900, max(600, int(avail.height() * 0.9)))
            window.resize(w, h)
            window.move(avail.center().x() - w // 2, avail.center().y() - h // 2)
        else:
            window.resize(1280, 760)
    state = st.value("window/state")
    if isinstance(state, QByteArray) and not state.isEmpty():
        window.restoreState(state)
    split = st.value("window/splitter")
    if isinstance(split, QByteArray) and not split.isEmpty():
        splitter.restoreState(split)
    else:
        panel = default_panel_width(window.width(), QFontMetrics(window.font()).height())
        splitter.setSizes([max(400, window.width() - panel), panel])
    shown = st.value("window/panel_visible", True)
    panel_action.setChecked(shown not in (False, "false", "0", 0))


def default_panel_width(window_width: int, line_height: int) -> int:
    """The side panel's width at a first start: 400-480 pixels at the usual font (a third of
    the window), wider for a larger font, since the panel is text (28 lines' height at least,
    about 600 pixels at 1.5 times the usual size), but never more than half the window."""
    least = max(400, 28 * line_height)
    panel = max(least, min(least * 6 // 5, window_width // 3))
    return min(panel, max(400, window_width // 2))


def save_window(window: QMainWindow, splitter: QSplitter, panel_action: QAction) -> None:
    st = app_settings()
    st.setValue("window/geometry", window.saveGeometry())
    st.setValue("window/state", window.saveState())
    st.setValue("window/splitter", splitter.saveState())
    st.setValue("window/panel_visible", panel_action.isChecked())
    from gui.file_safety import secure_settings

    secure_settings(st)  # owner-only (issue 17)
