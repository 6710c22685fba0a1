"""Qt-free parts of crash recovery (:mod:`gui.recovery`) and of the app's own folders.

- :func:`stamp_to_json`, :func:`stamp_from_json`: the recovery copy's header carries the
  :class:`~core.file_guard.FileStamp` of the original file as the window last opened or saved
  it (``"original_stamp"``), so that a Save of restored work still notices a change another
  program made to the file in the meantime. :data:`UNKNOWN_STAMP` stands for "not known" (a
  copy written before the header had it): it matches no file, so the first Save asks.
- :func:`salvage`: what can be read of a recovery copy that is not valid as a whole (each mark,
  part and visit field valid on its own), with a note of what is left out.
- :func:`storable`: a session whose visit text holds lone surrogates made writable as UTF-8.
- :func:`make_private_dir`: makes a folder and every missing folder above it owner-only
  (0700), whatever the umask; folders that were there already are left as they are.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.file_guard import FileStamp, unencodable_path
from core.model import Session
from core.session_format import VISIT_FIELDS, SessionError
from core.session_read import parse_session

__all__ = [
    "STAMP_KEY",
    "UNKNOWN_STAMP",
    "make_private_dir",
    "salvage",
    "stamp_from_json",
    "stamp_to_json",
    "storable",
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


# --- what can be read of a damaged copy ----------------------------------------------------------

_PARTS = {"red_flags": "the warning signs", "findings": "the exam findings", "atlas": "the atlas"}
_MAX_SALVAGED_MARKS = 2000  # one by one up to this many (a session has a few hundred at most)


def _valid(data: dict[str, Any]) -> bool:
    if unencodable_path(data) is not None:  # a lone surrogate: not text that can be shown
        return False
    try:
        parse_session(data)
    except SessionError:
        return False
    return True


def salvage(raw: bytes, source: str = "<data>") -> tuple[Session, str] | None:
    """What can be read of a recovery file that is not valid as a whole: each mark, part
    (warning signs, findings, atlas) and visit field that is valid on its own, and a note of
    what is left out; None when it is not JSON, not a session or of another version."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    base: dict[str, Any] = {k: data[k] for k in ("format", "version") if k in data}
    base["marks"] = []
    if not _valid(base):
        return None  # another format or version: left for the program that wrote it
    kept = dict(base)
    left_out: list[str] = []
    marks = data.get("marks")
    if isinstance(marks, list) and len(marks) <= _MAX_SALVAGED_MARKS:
        kept["marks"] = [m for m in marks if _valid({**base, "marks": [m]})]
        if len(kept["marks"]) < len(marks):
            left_out.append(f"{len(marks) - len(kept['marks'])} of {len(marks)} marks")
    elif isinstance(marks, list) and _valid({**base, "marks": marks}):
        kept["marks"] = marks
    elif marks:
        left_out.append("the marks")
    for key, label in _PARTS.items():
        if data.get(key) is not None:
            if _valid({**base, key: data[key]}):
                kept[key] = data[key]
            else:
                left_out.append(label)
    visit = data.get("visit")
    if visit is not None:
        fields = visit if isinstance(visit, dict) else {}
        given = [name for name in VISIT_FIELDS if fields.get(name) is not None]
        good = {n: fields[n] for n in given if _valid({**base, "visit": {n: fields[n]}})}
        if len(good) < len(given) or not isinstance(visit, dict):
            left_out.append("some visit details")
        kept["visit"] = good
    try:
        session = parse_session(kept, source)
    except SessionError:  # parts valid alone that clash together
        return None
    if not left_out:
        return session, "some details could not be read"
    return session, "could not be read: " + ", ".join(left_out)


def storable(session: Session) -> Session:
    """``session`` with visit text that is not valid Unicode (lone surrogates) made storable."""
    fields = {}
    for name in ("patient_id", "date", "examiner", "notes"):
        text = getattr(session.visit, name)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            fields[name] = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if not fields:
        return session
    return replace(session, visit=replace(session.visit, **fields))


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
