"""File › Open Recent: the last sessions opened or saved, newest first, kept in the settings.

A file that is not there when the menu is shown (a USB drive or a network share that is not
connected, a file moved away) keeps its place, marked "(not found)"; it is back to normal once
the file is there again. Choosing one that cannot be opened offers to remove it from the list
(:meth:`RecentFiles.forget`); *Remove Entries Not Found* and *Clear Menu* tidy the list. Names
that repeat (``visit1.json`` of two patients) carry their folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from core.file_guard import printable
from gui import file_safety
from gui.ask import ask

MAX_RECENT = 10
RECENT_KEY = "files/recent"
LAST_DIR_KEY = "files/last_dir"
NOT_FOUND = "(not found)"


def is_there(path: str) -> bool:
    """True when ``path`` is a file now (never raises)."""
    try:
        return os.path.isfile(path)
    except (OSError, ValueError):  # e.g. an embedded NUL in a hand-edited settings file
        return False


class RecentFiles:
    """The list and its menu; ``open_path`` opens a chosen file."""

    def __init__(
        self, settings: QSettings, parent: QWidget, open_path: Callable[[str], object]
    ) -> None:
        self.settings = settings
        self._open_path = open_path
        self.menu = QMenu("Open &Recent", parent)
        self.menu.setAccessibleName("Open recent session")
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self.fill_menu)
        self.fill_menu()

    def paths(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if v][:MAX_RECENT]

    def add(self, path: Path) -> None:
        """``path`` first in the list; its folder is where the next file dialog opens."""
        p = str(Path(path).resolve())
        self._set([p, *[q for q in self.paths() if q != p]])
        self.settings.setValue(LAST_DIR_KEY, str(Path(p).parent))
        self.fill_menu()

    def forget(self, path: str) -> None:
        """Take ``path`` off the list (the user's choice)."""
        self._set([q for q in self.paths() if q != path])
        self.fill_menu()

    def forget_missing(self) -> None:
        """Take the files that are not found now off the list (the user's choice)."""
        self._set([q for q in self.paths() if is_there(q)])
        self.fill_menu()

    def clear(self) -> None:
        self._set([])
        self.fill_menu()

    def fill_menu(self) -> None:
        paths = self.paths()
        self.menu.clear()
        names = [Path(p).name for p in paths]
        missing = 0
        for i, p in enumerate(paths):
            name = names[i]
            if names.count(name) > 1:  # visit.json of two patients: say which folder
                name += f" — {Path(p).parent.name}"
            text = f"&{(i + 1) % 10} {printable(name).replace('&', '&&')}"
            tip = printable(p)
            there = is_there(p)
            if not there:  # kept: the drive or share may only be disconnected for now
                missing += 1
                text += f"  {NOT_FOUND}"
                tip = f"Not found now: {tip} (a drive or network folder not connected?)"
            act = self.menu.addAction(text)
            if not there:
                font = act.font()
                font.setItalic(True)
                act.setFont(font)
            act.setData(p)
            act.setStatusTip(tip)
            act.setToolTip(tip)
            act.triggered.connect(lambda _c=False, p=p: self._open_path(p))
        if paths:
            self.menu.addSeparator()
            if missing:
                self.menu.addAction("Remove Entries Not Found", self.forget_missing)
            self.menu.addAction("Clear Menu", self.clear)
        self.menu.setEnabled(bool(paths))

    def _set(self, paths: list[str]) -> None:
        self.settings.setValue(RECENT_KEY, paths[:MAX_RECENT])
        file_safety.secure_settings(self.settings)


def ask_forget(parent: QWidget | None, path: str, problem: str) -> bool:
    """A file chosen in Open Recent could not be opened: True to remove it from the list."""
    return ask(
        parent,
        title="Cannot open session",
        text=f"{problem}\n\n{printable(path)}",
        detail=(
            "If it is on a drive or network folder that is not connected now, keep it in the "
            "list and connect it. Nothing was changed: the session on screen is as it was."
        ),
        act="&Remove from List",
        keep="&Keep in List",
        accessible="Cannot open recent session",
        icon=QMessageBox.Icon.Warning,
        act_role=QMessageBox.ButtonRole.DestructiveRole,
    )
