"""Where the app keeps its settings (window layout, recent files, theme, ...).

One store for the whole app: ``$DERMAMAP_SETTINGS_DIR/Dermamap.ini`` when that folder is set
(tests, portable use), else the platform's own place for ``Dermamap``. The folder it is in,
and each folder above it that is missing, is made owner-only (0700) before Qt writes there
(Qt would make them readable by all); :func:`gui.file_safety.secure_settings` makes a written
file owner-only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import sys
import tempfile
from functools import cache

from PySide6.QtCore import QSettings

from core.file_guard import printable
from core.recovery_format import make_private_dir

ENV_DIR = "DERMAMAP_SETTINGS_DIR"


def app_settings() -> QSettings:
    """The app's settings store (one for this run only, in a new private folder, when the
    settings file is there but is no regular file: see :func:`_not_a_file`)."""
    folder = os.environ.get(ENV_DIR)
    if folder:
        make_private_dir(folder)
        path = os.path.join(folder, "Dermamap.ini")
        if _not_a_file(path):
            return _for_this_run()
        return QSettings(path, QSettings.Format.IniFormat)
    # Qt reads the user's files as the store is made: each is checked first (where they are
    # files, as on Linux; a FIFO among them hung start-up for ever)
    if any(_not_a_file(f) for f in _user_files()):
        return _for_this_run()
    settings = QSettings("Dermamap", "Dermamap")
    name = settings.fileName()
    if name and os.path.isabs(name):  # a file (not the Windows registry)
        with contextlib.suppress(OSError):
            make_private_dir(os.path.dirname(name))
        if _not_a_file(name):
            return _for_this_run()
    return settings


def _user_files() -> list[str]:
    """The user's settings files Qt reads for the app where its native format is an INI file
    (Linux and other Unix systems but macOS): the app's own and the organisation's."""
    if sys.platform in ("darwin", "win32"):
        return []
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return [os.path.join(base, "Dermamap", "Dermamap.conf"), os.path.join(base, "Dermamap.conf")]


@cache
def _not_a_file(path: str) -> bool:
    """True (and a line on stderr naming it) when ``path`` exists but is no regular file: Qt
    would wait for ever on a FIFO there, and its atomic save would replace a device the path
    leads to (a hostile-input review: a link to /dev/zero had it replaced by the settings)."""
    try:
        mode = os.stat(path).st_mode  # (links followed; never blocks, even on a FIFO)
    except OSError:
        # missing (made at the first save) or unreachable: Qt reports nothing; but a link to
        # nothing would have its target made wherever it points
        if not os.path.islink(path):
            return False
        mode = 0
    if stat.S_ISREG(mode):
        return False
    print(
        f"dermamap: the settings file {printable(path)} is not a regular file; "
        "settings are kept for this run only",
        file=sys.stderr,
    )
    return True


@cache
def _run_folder() -> str:
    folder = tempfile.mkdtemp(prefix="dermamap-settings-")  # owner-only (0700)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _for_this_run() -> QSettings:
    """One store for every part of the app in this run (its folder removed at exit)."""
    return QSettings(os.path.join(_run_folder(), "Dermamap.ini"), QSettings.Format.IniFormat)
