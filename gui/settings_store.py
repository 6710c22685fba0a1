"""Where the app keeps its settings (window layout, recent files, theme, ...).

One store for the whole app: ``$DERMAMAP_SETTINGS_DIR/Dermamap.ini`` when that folder is set
(tests, portable use; the folder is made owner-only), else the platform's own place for
``Dermamap``. :func:`gui.file_safety.secure_settings` makes a written file owner-only.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ENV_DIR = "DERMAMAP_SETTINGS_DIR"


def app_settings() -> QSettings:
    """The app's settings store."""
    folder = os.environ.get(ENV_DIR)
    if folder:
        Path(folder).mkdir(mode=0o700, parents=True, exist_ok=True)
        return QSettings(os.path.join(folder, "Dermamap.ini"), QSettings.Format.IniFormat)
    return QSettings("Dermamap", "Dermamap")
