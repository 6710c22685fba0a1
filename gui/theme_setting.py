"""The theme setting: View -> Theme (System, Light, Dark), saved and applied live.

The choice is kept in the app's settings (``view/theme``; owner-only like the others) and read
at start-up. ``DERMAMAP_THEME=light|dark`` overrides it (tests, screenshots, a kiosk): the menu
then shows the forced theme, disabled, and says why. *System* follows the platform's colour
scheme, also when it changes while the app runs.

The active tool and symptom on the marking toolbar are drawn with a strong checked state, a
2 px border in the theme's focus colour over a tinted fill, so they stand out in both palettes
without relying on colour alone.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication

from gui import theme
from gui.settings_store import app_settings

if TYPE_CHECKING:  # (the menu's classes are imported when it is built, after the splash)
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from gui.main_window import MainWindow

CHOICES = ("system", "light", "dark")
LABELS = {"system": "&System", "light": "&Light", "dark": "&Dark"}
TIPS = {
    "system": "Follow the system's light or dark appearance",
    "light": "Always use the light theme",
    "dark": "Always use the dark theme",
}
SETTINGS_KEY = "view/theme"
ENV = "DERMAMAP_THEME"


def env_override() -> str | None:
    """``light`` or ``dark`` when ``$DERMAMAP_THEME`` forces the theme, else None."""
    forced = os.environ.get(ENV, "").strip().lower()
    return forced if forced in ("light", "dark") else None


def saved_choice() -> str:
    """The saved choice (``system`` when none or unreadable)."""
    value = app_settings().value(SETTINGS_KEY, "system")
    return value if isinstance(value, str) and value in CHOICES else "system"


def save_choice(choice: str) -> None:
    from gui.file_safety import secure_settings

    st = app_settings()
    st.setValue(SETTINGS_KEY, choice)
    secure_settings(st)  # owner-only (issue 17)


def current_choice() -> str:
    """What is in force: the environment's override, else the saved choice."""
    return env_override() or saved_choice()


def wants_dark(app: QApplication, choice: str) -> bool:
    if choice == "system":
        return app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return choice == "dark"


def apply_palette(app: QApplication, initial: bool = False) -> None:
    """Give ``app`` the palette of the theme in force.

    Light is the Fusion style's own palette. At start-up (``initial``) a light window keeps
    the palette Qt already gave it, which is that same palette unless the platform supplies
    its own (asking the style for it costs the first frame ~8 ms of PySide6 type set-up).
    """
    if wants_dark(app, current_choice()):
        app.setPalette(theme.dark_palette())
    elif not initial:
        app.setPalette(app.style().standardPalette())


def checked_button_style() -> str:
    """Style sheet of the marking toolbar: the checked tool and symptom cannot be missed."""
    from PySide6.QtGui import QColor

    focus = theme.colors().focus
    fill = QColor(focus)
    fill.setAlpha(70 if theme.is_dark() else 48)
    rgba = f"rgba({fill.red()}, {fill.green()}, {fill.blue()}, {fill.alpha()})"
    hover = QColor(focus)
    hover.setAlpha(120)
    hover_rgba = f"rgba({hover.red()}, {hover.green()}, {hover.blue()}, {hover.alpha()})"
    return (
        "QToolButton { border: 2px solid transparent; border-radius: 4px; padding: 2px 5px; }"
        f" QToolButton:hover {{ border-color: {hover_rgba}; }}"
        f" QToolButton:checked {{ border: 2px solid {focus.name()}; background: {rgba}; }}"
        # in Explore and Quiz the tools are off: a selected look there read as "you can draw"
        # (a student's review)
        " QToolButton:checked:disabled { border-color: transparent; background: transparent; }"
        # the overflow arrow, 12 pixels wide: the buttons' border and padding left its arrow no
        # room, and a narrow window hid "Clear marks" behind a blank button
        " QToolButton#qt_toolbar_ext_button { border: none; padding: 0; }"
    )


def restyle(window: MainWindow) -> None:
    """Re-read the theme's colours everywhere after the palette changed.

    The widgets learn of a new application palette through posted events: they are delivered
    first, or the views would redraw (the chart, the links of rich text) with the old one."""
    QApplication.sendPostedEvents()
    window.refresh_theme()
    relink_labels()
    window.marking_toolbar.setStyleSheet(checked_button_style())


def relink_labels() -> None:
    """Give the links of every rich-text label the new palette's link colour. Qt fixes a
    link's colour when the label's text is parsed, from the application palette of that time:
    a label whose text did not change kept light-theme blue on a dark panel."""
    from PySide6.QtWidgets import QLabel

    for top in QApplication.topLevelWidgets():
        for label in top.findChildren(QLabel):
            text = label.text()
            if "<a " in text and label.textFormat() != Qt.TextFormat.PlainText:
                label.clear()
                label.setText(text)


def set_choice(window: MainWindow, choice: str) -> None:
    """Save ``choice`` and apply it at once (the environment's override stays in force)."""
    if choice not in CHOICES:
        return
    save_choice(choice)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_palette(app)
    restyle(window)


def system_scheme_changed(window: MainWindow) -> None:
    """The platform switched light/dark: follow it when the theme in force is *System*."""
    app = QApplication.instance()
    if current_choice() == "system" and isinstance(app, QApplication):
        apply_palette(app)
        restyle(window)


class ThemeMenu(QObject):
    """View -> Theme: one checkable action per choice."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        from PySide6.QtGui import QAction, QActionGroup

        super().__init__(window)
        self.menu = menu
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        forced = env_override()
        active = current_choice()
        for choice in CHOICES:
            a = QAction(LABELS[choice], self)
            a.setObjectName(f"theme_{choice}")
            a.setCheckable(True)
            a.setChecked(choice == active)
            tip = TIPS[choice] if forced is None else f"Set by {ENV}={forced}"
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.setEnabled(forced is None)
            a.triggered.connect(lambda _=False, c=choice: set_choice(window, c))
            self.group.addAction(a)
            menu.addAction(a)
            self.actions[choice] = a


def install(window: MainWindow, view_menu: QMenu) -> ThemeMenu:
    """Add the Theme submenu to ``view_menu`` and style the marking toolbar."""
    menu = view_menu.addMenu("&Theme")
    menu.setObjectName("theme_menu")
    window.marking_toolbar.setStyleSheet(checked_button_style())
    return ThemeMenu(window, menu)
