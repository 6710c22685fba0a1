"""Where the app keeps its settings (window layout, recent files, theme, ...).

One store for the whole app: ``$DERMAMAP_SETTINGS_DIR/Dermamap.ini`` when that folder is set
(tests, portable use), else the platform's own place for ``Dermamap``. The folder it is in,
and each folder above it that is missing, is made owner-only (0700) before Qt writes there
(Qt would make them readable by all); :func:`gui.file_safety.secure_settings` makes a written
file owner-only.
"""

from __future__ import annotations

import contextlib
import os

from PySide6.QtCore import QSettings

from core.recovery_format import make_private_dir

ENV_DIR = "DERMAMAP_SETTINGS_DIR"


def app_settings() -> QSettings:
    """The app's settings store."""
    folder = os.environ.get(ENV_DIR)
    if folder:
        make_private_dir(folder)
        return QSettings(os.path.join(folder, "Dermamap.ini"), QSettings.Format.IniFormat)
    settings = QSettings("Dermamap", "Dermamap")
    name = settings.fileName()
    if name and os.path.isabs(name):  # a file (not the Windows registry)
        with contextlib.suppress(OSError):
            make_private_dir(os.path.dirname(name))
    return settings
