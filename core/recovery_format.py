"""Qt-free parts of crash recovery (:mod:`gui.recovery`) and of the app's own folders.

- :func:`stamp_to_json`, :func:`stamp_from_json`: the recovery copy's header carries the
  :class:`~core.file_guard.FileStamp` of the original file as the window last opened or saved
  it (``"original_stamp"``), so that a Save of restored work still notices a change another
  program made to the file in the meantime. :data:`UNKNOWN_STAMP` stands for "not known" (a
  copy written before the header had it): it matches no file, so the first Save asks.
- :func:`make_private_dir`: makes a folder and every missing folder above it owner-only
  (0700), whatever the umask; folders that were there already are left as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from core.file_guard import FileStamp

__all__ = [
    "STAMP_KEY",
    "UNKNOWN_STAMP",
    "make_private_dir",
    "stamp_from_json",
    "stamp_to_json",
]

#: The recovery header's key for the original file's stamp.
STAMP_KEY = "original_stamp"
#: "What the file looked like is not known": equal to no real file's stamp (size -1).
UNKNOWN_STAMP = FileStamp(-1, -1, "")

_DIGEST = re.compile(r"[0-9a-f]{64}")


def stamp_to_json(stamp: FileStamp | None) -> dict[str, Any] | None:
    """``stamp`` for the recovery header (``None`` when there is none or it is not known)."""
    if stamp is None or stamp == UNKNOWN_STAMP:
        return None
    return {"mtime_ns": stamp.mtime_ns, "size": stamp.size, "sha256": stamp.digest}


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 63:
        return value
    return None


def stamp_from_json(value: object) -> FileStamp | None:
    """The stamp written by :func:`stamp_to_json`; ``None`` when absent or not valid."""
    if not isinstance(value, dict):
        return None
    mtime, size, digest = _count(value.get("mtime_ns")), _count(value.get("size")), None
    if isinstance(value.get("sha256"), str) and _DIGEST.fullmatch(value["sha256"]):
        digest = value["sha256"]
    if mtime is None or size is None or digest is None:
        return None
    return FileStamp(mtime, size, digest)


# --- owner-only folders ---------------------------------------------------------------------


def make_private_dir(folder: str | os.PathLike[str]) -> None:
    """Make ``folder`` and each missing folder above it, each owner-only (0700, also under a
    umask of 000, where ``Path.mkdir(mode=0o700, parents=True)`` gives the parents 0777).
    Folders that existed already (``~/.local/share``, say) are not changed.

    Raises :class:`OSError` when a folder cannot be made (or ``folder`` is a file).
    """
    path = Path(os.path.abspath(folder))
    missing: list[Path] = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            if not made.is_dir():
                raise
            continue  # made by another window meanwhile: its own (owner-only) folder
        os.chmod(made, 0o700)
