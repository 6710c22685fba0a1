"""File › Open Recent: the last sessions opened or saved, newest first, kept in the settings.

Files that are gone are dropped when the menu is shown; names that repeat (``visit1.json`` of
two patients) carry their folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget

from gui import file_safety

MAX_RECENT = 10
RECENT_KEY = "files/recent"
LAST_DIR_KEY = "files/last_dir"


class RecentFiles:
    """The list and its menu; ``open_path`` opens a chosen file."""

    def __init__(
        self, settings: QSettings, parent: QWidget, open_path: Callable[[str], object]
    ) -> None:
        self.settings = settings
        self._open_path = open_path
        self.menu = QMenu("Open &Recent", parent)
        self.menu.setAccessibleName("Open recent session")
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

    def clear(self) -> None:
        self._set([])
        self.fill_menu()

    def fill_menu(self) -> None:
        paths = self.paths()
        kept = [p for p in paths if os.path.isfile(p)]  # prune files that are gone
        if kept != paths:
            self._set(kept)
        self.menu.clear()
        names = [Path(p).name for p in kept]
        for i, p in enumerate(kept):
            name = names[i]
            if names.count(name) > 1:  # visit.json of two patients: say which folder
                name += f" — {Path(p).parent.name}"
            act = self.menu.addAction(f"&{(i + 1) % 10} {name.replace('&', '&&')}")
            act.setStatusTip(p)
            act.setToolTip(p)
            act.triggered.connect(lambda _c=False, p=p: self._open_path(p))
        if kept:
            self.menu.addSeparator()
            self.menu.addAction("Clear Menu", self.clear)
        self.menu.setEnabled(bool(kept))

    def _set(self, paths: list[str]) -> None:
        self.settings.setValue(RECENT_KEY, paths[:MAX_RECENT])
        file_safety.secure_settings(self.settings)
