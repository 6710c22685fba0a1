"""Read, validate and save Dermamap session files (interface spec section 2).

This module is the public entry point and does the file work (reading a file safely, atomic
saving); :mod:`core.session_format` holds the constants, :class:`SessionError` and the guarded
JSON parser, :mod:`core.session_read` the field-by-field validation and
:mod:`core.session_write` the JSON that is written.

Reading is strict and safe: a file is read as bytes (refused above :data:`MAX_FILE_BYTES`
before being read whole), decoded as UTF-8 (a BOM is accepted), parsed as JSON with guards
against hostile input (nesting deeper than :data:`MAX_DEPTH`, NaN/Infinity, huge numbers, a
key given twice in one object) and validated field by field. Anything wrong raises
:class:`SessionError`, whose message names the file, the JSON path of the problem
(``marks[3].zone``) and what is wrong -- never a traceback.
Nothing in a file is ever executed, and reading never modifies the file.

Normalisation rules (so that ``parse_session(json.loads(dumps_session(s))) == s``):

- Several marks of the same symptom on the same zone and side: the **last** one wins and
  takes the place of the last occurrence (as :meth:`core.model.Session.with_mark` would).
  Version 1 files keep one mark per zone and side (the last, whatever its symptom).
- Strength: an MRC grade is kept (``Findings.grades``) and written back as the number;
  ``normal``/``weak`` stay words.
- ``coverage`` defaults to 1 and is stored as a float; it is written only when below 1.
- ``null`` for a finding, a history item or a visit field means "not entered"; empty
  per-side tables are dropped.
- Unknown top-level keys and unknown ``findings`` sections are ignored (forward compatible);
  unknown ids inside a known section are errors, because they would silently change the result.

Saving is atomic (:func:`atomic_write_bytes`): a temporary file in the same folder, created
with mode 0600, is written, flushed, fsync'ed and renamed over the target, then the folder is
fsync'ed. On failure the temporary file is removed and the previous file is left untouched.
A symbolic link is followed (the link is kept); a target that is not a regular file (a folder,
pipe, device or socket) is refused, never replaced. Replacing another user's file shared through
its group keeps its group and the group's permissions (:func:`_keep_sharing`).
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable

from core import file_guard
from core.file_guard import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    FileStamp,
    remove_stale_temporaries,
)
from core.model import Session
from core.session_format import (
    FORMAT,
    MAX_MARKS,
    VERSION,
    SessionError,
)
from core.session_read import loads_session, parse_session
from core.session_write import dumps_session, session_to_dict

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_MARKS",
    "MAX_VALUES",
    "VERSION",
    "FileStamp",
    "SessionError",
    "atomic_write_bytes",
    "dumps_session",
    "load_session",
    "load_session_stamped",
    "loads_session",
    "parse_session",
    "remove_stale_temporaries",
    "save_session",
    "session_to_dict",
]


def describe_os_error(exc: OSError, saving: bool = False) -> str:
    """Why reading (or, with ``saving``, writing) a file failed, in plain words."""
    code = exc.errno
    if code in (errno.ENOENT,) and not saving:
        return "the file does not exist"
    if code == errno.ENOENT:
        return "the folder does not exist"
    if code == errno.EROFS:
        return "the folder is read-only" if saving else "the disk is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied" + (" (the folder or file is read-only)" if saving else "")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.ENOTDIR:
        return "part of the path is not a folder"
    if code == errno.ENAMETOOLONG:
        return "the file name is too long"
    if code == errno.ELOOP:
        return "too many levels of symbolic links (a symbolic link loop)"
    if code in (errno.ENXIO, errno.ENODEV):
        return "it is a device or socket, not a regular file"
    reason = exc.strerror or type(exc).__name__
    return reason[:1].lower() + reason[1:]


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read, parse and validate the session file at ``path`` (never modifies the file).

    Raises :class:`SessionError` naming the file for every problem: missing or unreadable file,
    not a regular file (folder, pipe, device), a file over :data:`MAX_FILE_BYTES`, binary or
    non-UTF-8 content, invalid JSON, too many values or too deep nesting, text that is not
    valid Unicode, or content that is not a valid session.
    """
    return load_session_stamped(path)[0]


def load_session_stamped(path: str | os.PathLike[str]) -> tuple[Session, FileStamp]:
    """:func:`load_session`, plus the :class:`FileStamp` of the bytes that were read."""
    name = os.fspath(path)
    try:
        raw, st = file_guard.read_regular(name)
    except OSError as exc:
        raise SessionError(describe_os_error(exc, saving=False), name) from None
    except file_guard.Refused as exc:
        raise SessionError(str(exc), name) from None
    return loads_session(raw, name), FileStamp.of_bytes(raw, st)


# --- writing -------------------------------------------------------------------------------------


def _noop(tmp: str, target: str) -> None:
    """Default of :data:`_before_replace`."""


#: Called with (temporary path, target path) after the data is written and fsync'ed and just
#: before the rename. Tests replace it with a function that raises to simulate a crash.
_before_replace: Callable[[str, str], None] = _noop


def _checked_target(name: str) -> str:
    """:func:`core.file_guard.write_target`, its problems as :class:`SessionError`."""
    try:
        return file_guard.write_target(name)
    except OSError as exc:
        raise SessionError(describe_os_error(exc, saving=True), name, "save to") from None
    except file_guard.Refused as exc:
        raise SessionError(f"{exc}; it was left as it is", name, "save to") from None


def _keep_sharing(fd: int, target: str, mode: int) -> None:
    """Replacing a colleague's file shared through its group (say 0660 in a clinic's folder),
    keep its group and the group's permissions: the new file is the saver's own, and at 0600 it
    locked the colleague out of their record (a red team of the files). Files the user owns,
    and new ones, stay owner-only."""
    try:
        st = os.stat(target)
    except OSError:
        return
    if st.st_uid == os.getuid() or not st.st_mode & 0o060:
        return
    with contextlib.suppress(OSError):  # not a member of that group: the file stays our own
        os.fchown(fd, -1, st.st_gid)
        os.fchmod(fd, mode | (st.st_mode & 0o060))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically with ``mode`` (default 0600: owner only).

    The bytes go to a new temporary file in the same folder, are flushed and fsync'ed, and the
    file is renamed over ``path`` (then the folder is fsync'ed). Readers see either the old file
    or the complete new one. On failure the temporary file is removed, the old file is intact
    and :class:`SessionError` (``Cannot save to "x.json": the disk is full``) is raised.

    A symbolic link is followed: the file it leads to is replaced (or created) and the link is
    kept. A ``path`` that exists and is not a regular file (a folder, pipe, device or socket,
    also through a link) is refused and left as it is (:func:`core.file_guard.write_target`).
    """
    name = os.fspath(path)
    target = _checked_target(name)
    folder = os.path.dirname(os.path.abspath(target))
    tmp = os.path.join(
        folder, f".{os.path.basename(target)}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    )
    created = False
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
        created = True
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            _keep_sharing(fh.fileno(), target, mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _before_replace(tmp, target)
        _checked_target(name)  # still not a pipe, device or folder (it may have become one)
        os.replace(tmp, target)
        created = False
    except OSError as exc:
        raise SessionError(describe_os_error(exc, saving=True), name, "save to") from None
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    try:
        dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dfd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(dfd)


def save_session(session: Session, path: str | os.PathLike[str], *, mode: int = 0o600) -> None:
    """Save ``session`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Text that cannot be written as UTF-8 (a lone surrogate) raises :class:`SessionError` naming
    the field; nothing is written then.
    """
    try:
        data = dumps_session(session).encode("utf-8")
    except UnicodeEncodeError:
        where = file_guard.unencodable_path(session_to_dict(session)) or "the session"
        raise SessionError(
            f"{where} contains a character that is not valid text (a lone surrogate); "
            "correct it and save again",
            os.fspath(path),
            "save to",
        ) from None
    atomic_write_bytes(path, data, mode=mode)
