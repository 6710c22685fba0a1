"""Never lose work: a recovery file per running window, and restore after a crash.

Every clinical change (``SessionModel.session_changed`` outside scratch mode) is handed at once
to a worker thread (:class:`gui.journal.Journal`) that writes it -- write, fsync, rename,
folder fsync -- coalescing to the latest state: a change is on
disk within milliseconds (well under 100 ms), a click is never held up by the disk, and a save
running on the GUI thread never holds up the recovery file. When it cannot be written the write
is retried every second and the window shows a banner until it works again.

The file lives in ``QStandardPaths.AppDataLocation/recovery`` (or ``$DERMAMAP_RECOVERY_DIR``), is
named ``dermamap-<pid>-<token>.json`` (one per running instance), has mode 0600 and is a normal
session file plus a ``recovery`` header::

    {"format": "dermamap-session", ..., "recovery": {"saved_at": "2025-01-31T10:12:03+01:00",
     "original_path": "/home/me/visit.json", "pid": 1234,
     "original_stamp": {"mtime_ns": ..., "size": ..., "sha256": "..."}}}

``original_stamp`` is what the original file looked like when the window opened or last saved
it (:mod:`core.recovery_format`): a Save of restored work asks Reload / Save As / Overwrite when
the file on disk differs from it. A copy without it (written by an older version) is restored
with the stamp "not known", so its first Save asks whenever the file exists.

A clean session (just opened, saved, or undone back to the saved state) needs no recovery file,
so it is removed then. A normal close removes it too. While a window lives it holds a
:class:`~PySide6.QtCore.QLockFile` beside its file (``<name>.json.lock``, taken before the file
is first written); Qt tells a crashed owner's lock from a living one (the process is gone, or
another program now has its id, or the machine restarted). At the next start,
:func:`find_leftovers` lists the files whose lock nobody holds; the window offers to restore
them (:class:`gui.restore_dialog.RestoreDialog`: Restore / Discard / Later). A window claims a
leftover by renaming it to its own name, whose lock it holds (atomic: only one window can
restore a given file). Copies that cannot be read (damaged, or from a newer version) are
listed by :func:`scan_leftovers` so the window can say so; they are never deleted.
Temporary files of interrupted writes (``.dermamap-*.tmp``) from processes that are gone are
removed at start (:func:`remove_orphans`, which never raises).
The folders made here are owner-only, each missing parent included
(:func:`core.recovery_format.make_private_dir`).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Signal

from core.file_guard import (
    FileStamp,
    Refused,
    check_json_text,
    printable,
    read_regular,
    remove_stale_temporaries,
)
from core.model import Session
from core.recovery_format import (
    STAMP_KEY,
    make_private_dir,
    salvage,
    stamp_from_json,
    stamp_to_json,
    storable,
)
from core.session_io import (
    SessionError,
    atomic_write_bytes,
    loads_session,
    session_to_dict,
)
from gui.journal import Journal
from gui.session_model import SessionModel

ENV_DIR = "DERMAMAP_RECOVERY_DIR"
PREFIX = "dermamap-"
#: Recovery files of the managers alive in this process (never offered as leftovers).
_LIVE: set[Path] = set()


def recovery_dir() -> Path:
    """The folder for recovery files (made at start, :func:`prepare_at_start`, and on first
    write)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:
        base = str(Path.home() / ".local" / "share" / "Dermamap")
    return Path(base) / "recovery"


def lock_path(path: Path) -> Path:
    """The lock a living window holds beside its recovery file ``path``."""
    return path.with_name(path.name + ".lock")


def _owner_gone(path: Path) -> bool:
    """True when no living window holds the lock of recovery file ``path`` (taking and
    dropping it; a crashed owner's lock is removed then)."""
    lock = QLockFile(str(lock_path(path)))
    if not lock.tryLock(0):
        return False
    lock.unlock()
    return True


@dataclass(frozen=True)
class Leftover:
    """A recovery file left behind by a window that is no longer running."""

    path: Path
    saved_at: datetime | None
    original_path: str | None
    pid: int
    session: Session
    #: The parts of the file that could not be read and are left out of ``session`` (None: the
    #: file was read whole).
    problem: str | None = None
    #: Its place among the leftovers offered one after the other (``index`` of ``count``).
    index: int = 1
    count: int = 1
    #: What the original file looked like when the crashed window opened or last saved it
    #: (None: not known, e.g. a copy written before the header had it).
    stamp: FileStamp | None = None

    @property
    def file_label(self) -> str:
        return os.path.basename(self.original_path) if self.original_path else "Untitled"

    @property
    def patient_id(self) -> str:
        """The patient identifier stored in the file, made safe to show ("" when none)."""
        return shown_text(self.session.visit.patient_id)

    @property
    def visit_date(self) -> str:
        """The visit date stored in the file, made safe to show ("" when none)."""
        return shown_text(self.session.visit.date)

    def describe(self) -> str:
        when = self.saved_at.strftime("%d %b %Y at %H:%M:%S") if self.saved_at else "unknown"
        n = len(self.session.marks)
        who = ", ".join(
            text
            for text in (
                f"patient {self.patient_id}" if self.patient_id else "",
                f"visit {self.visit_date}" if self.visit_date else "",
            )
            if text
        )
        text = (
            f"{self.file_label}{f' ({who})' if who else ''}: last change {when}, "
            f"{n} mark{'s' if n != 1 else ''}"
        )
        if self.problem:
            text += f" ({self.problem})"
        return f"{self.index} of {self.count}: {text}" if self.count > 1 else text


def shown_text(text: str, limit: int = 60) -> str:
    """``text`` from a file as one short, printable line (control characters escaped, runs of
    white space as one space, at most ``limit`` characters)."""
    one_line = " ".join(printable(text).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _read_header(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    head = data.get("recovery") if isinstance(data, dict) else None
    return head if isinstance(head, dict) else {}


def find_leftovers(directory: Path | None = None, *, exclude: Path | None = None) -> list[Leftover]:
    """Recovery files in ``directory`` whose window is gone, most recent first, each knowing
    its place (``index`` of ``count``).

    A file with parts that are not valid is offered with what can be read
    (:func:`core.recovery_format.salvage`); unreadable files, and files of another format or
    version, are skipped (never deleted: they may belong to a newer version;
    :func:`scan_leftovers` lists them too).
    """
    return scan_leftovers(directory, exclude=exclude)[0]


def scan_leftovers(
    directory: Path | None = None, *, exclude: Path | None = None
) -> tuple[list[Leftover], list[Path]]:
    """:func:`find_leftovers`, and the recovery files of windows that are gone that cannot be
    read at all (damaged, empty, not a session, or from a newer version), sorted by name.
    Nothing is deleted."""
    folder = directory or recovery_dir()
    try:
        entries = sorted(folder.glob(f"{PREFIX}*.json"))
    except (OSError, ValueError):
        return [], []
    out: list[Leftover] = []
    unreadable: list[Path] = []
    for path in entries:
        if (exclude is not None and path == exclude) or path in _LIVE:
            continue
        try:
            if not _owner_gone(path):
                continue  # a living window owns it (or has just claimed it)
            leftover = _read_leftover(path)
        except (OSError, Refused, ValueError):
            leftover = None
        if leftover is None:
            unreadable.append(path)
        else:
            out.append(leftover)
    out.sort(key=lambda lo: lo.saved_at.timestamp() if lo.saved_at else 0.0, reverse=True)
    return [replace(lo, index=i, count=len(out)) for i, lo in enumerate(out, 1)], unreadable


def _read_leftover(path: Path) -> Leftover | None:
    """The leftover in ``path``; None when it is not a session of this version (raises
    :class:`OSError` or :class:`Refused` when it cannot be read)."""
    raw, _st = read_regular(str(path))
    check_json_text(raw.decode("utf-8", "replace"))
    head = _read_header(raw)
    pid = head.get("pid")
    pid = pid if isinstance(pid, int) and not isinstance(pid, bool) else -1
    problem = None
    try:
        session = loads_session(raw, str(path))
    except SessionError:
        salvaged = salvage(raw, str(path))  # offered with what can be read
        if salvaged is None:
            return None  # not a session of this version: left alone
        session, problem = salvaged
    saved_at = None
    with contextlib.suppress(TypeError, ValueError, OverflowError, OSError):
        when = datetime.fromisoformat(str(head.get("saved_at")))
        when.timestamp()  # a time it cannot place (year 1) is unknown, as text it cannot read
        saved_at = when
    orig = head.get("original_path")
    orig = orig if isinstance(orig, str) and _usable_path(orig) else None
    stamp = stamp_from_json(head.get(STAMP_KEY))
    return Leftover(path, saved_at, orig, pid, session, problem, stamp=stamp)


def _usable_path(text: str) -> bool:
    """Whether a copy's ``original_path`` can be the file restored work belongs to: an absolute
    path the system can take (a NUL in it crashed Restore, a relative one would be saved into
    whatever folder the app was started in: a hostile-input review). Else the work is restored
    as Untitled."""
    if not text or "\x00" in text or not os.path.isabs(text):
        return False
    try:
        os.fsencode(text)
    except UnicodeError:
        return False
    return True


class RecoveryManager(QObject):
    """Keeps this window's recovery file up to date with the clinical session.

    Every accepted change is serialised (a fraction of a millisecond) and posted to a
    :class:`~gui.journal.Journal` worker that writes it at once, coalescing to the latest
    state: a change is
    on disk within one or two write times (milliseconds), off the GUI thread and never held up
    by a save on the GUI thread. A failed write is retried every second (``failed`` is emitted
    each time) until it works (``written``).

    Parameters
    ----------
    model
        The window's clinical session model (a quiz's scratch session is never in it).
    directory
        Recovery folder; default :func:`recovery_dir`.
    """

    written = Signal(str)  # path, after a write reached the disk
    removed = Signal()
    failed = Signal(str)  # message (recovery file could not be written)
    _job_done = Signal(str, str)  # worker -> GUI thread: ("written"|"removed"|"failed", text)

    def __init__(
        self,
        model: SessionModel,
        directory: Path | None = None,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else model)
        self._model: SessionModel | None = model
        self.directory = directory or recovery_dir()
        self.path = self.directory / f"{PREFIX}{os.getpid()}-{os.urandom(3).hex()}.json"
        _LIVE.add(self.path)
        self._lock = QLockFile(str(lock_path(self.path)))
        self._claiming = threading.Lock()  # (the lock is claimed from either thread)
        self._journal = Journal("dermamap-recovery", self._apply)
        #: The original file's stamp when opened or last saved (written in the header).
        self._stamp: FileStamp | None = None
        self._state: tuple[Session, Path | None, FileStamp | None] | None = None
        self.last_error: str | None = None
        #: Longest time (seconds) a change kept the GUI thread busy here (posting it).
        self.max_gui_seconds = 0.0
        self._enabled = True
        # A bound method of this QObject: Qt queues the call into the GUI thread.
        self._job_done.connect(self._on_job_done)
        self._connections = [
            model.session_changed.connect(self._on_changed),
            model.session_replaced.connect(self._on_changed),
            model.path_changed.connect(self._on_changed),
        ]
        self._stack_conn: Any = model.undo_stack.cleanChanged.connect(self._on_changed)

    # change tracking --------------------------------------------------------------------------
    def _on_changed(self, *_args: object) -> None:
        t0 = time.perf_counter()
        try:
            model = self._model
            if not self._enabled or model is None:
                return
            modified = model.is_modified()
        except RuntimeError:  # the model is being destroyed
            return
        # clean: the file on disk (or nothing) has it all, so no recovery file
        state = (model.session, model.path, self._stamp) if modified else None
        if state != self._state or state is None:
            self._state = state
            self._post(state)
        self.max_gui_seconds = max(self.max_gui_seconds, time.perf_counter() - t0)

    @property
    def stamp(self) -> FileStamp | None:
        """What the session file looked like when it was opened or last saved."""
        return self._stamp

    def set_stamp(self, stamp: FileStamp | None) -> None:
        """Set :attr:`stamp` (the window opened, saved or reloaded its file); the recovery
        copy of unsaved work carries it."""
        self._stamp = stamp
        self._on_changed()

    def _post(self, state: tuple[Session, Path | None, FileStamp | None] | None) -> None:
        # Serialised here (a fraction of a millisecond): the worker then only waits for the
        # disk, with the interpreter lock released, and never delays the GUI thread.
        payload = None if state is None else self.serialise(*state)
        try:
            self._journal.post(payload)
        except RuntimeError:  # after shutdown: do it here
            self._apply(payload)

    def _claim(self) -> None:
        """Hold this window's lock before its file is written (each write, a retry included,
        and an adoption ask for it; the worker and the GUI thread may both ask), so that no
        other window ever takes the file for a crashed one's."""
        with self._claiming:
            if self._lock.isLocked():
                return
            with contextlib.suppress(OSError):
                make_private_dir(self.directory)
            if self._lock.tryLock(0):
                with contextlib.suppress(OSError):
                    os.chmod(lock_path(self.path), 0o600)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Post nothing during the block (e.g. the steps of a restore, whose intermediate clean
        state would remove the file), then post the state at its end once."""
        was, self._enabled = self._enabled, False
        try:
            yield
        finally:
            self._enabled = was
            self._on_changed()

    @property
    def has_pending(self) -> bool:
        """True while the latest change is not yet on disk."""
        return self._journal.busy

    # writing (worker thread) ------------------------------------------------------------------
    def serialise(
        self, session: Session, original: Path | None, stamp: FileStamp | None = None
    ) -> bytes:
        """The recovery file's bytes for ``session`` (ASCII JSON: file names that are not valid
        UTF-8 survive as escapes; visit text that is not valid Unicode is replaced by U+FFFD),
        with ``stamp``, the original file's as it was opened or last saved."""
        data = session_to_dict(storable(session))
        data["recovery"] = {
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "original_path": str(original) if original else None,
            "pid": os.getpid(),
            STAMP_KEY: stamp_to_json(stamp) if original else None,
        }
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")

    def _apply(self, payload: bytes | None) -> str | None:
        try:
            if payload is None:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                self._job_done.emit("removed", "")
                return None
            make_private_dir(self.directory)
            self._claim()
            atomic_write_bytes(self.path, payload)
        except (SessionError, OSError, ValueError) as exc:
            message = str(exc) if isinstance(exc, SessionError) else _describe(exc, self.path)
            self.last_error = message
            self._job_done.emit("failed", message)
            return message
        except RuntimeError:  # the QObject is gone (process ending)
            return None
        self.last_error = None
        self._job_done.emit("written", str(self.path))
        return None

    def _on_job_done(self, kind: str, text: str) -> None:
        if kind == "written":
            self.written.emit(text)
        elif kind == "removed":
            self.removed.emit()
        else:
            self.failed.emit(text)

    def flush(self) -> None:
        """Post the current state again (it is normally posted on every change)."""
        if self._enabled:
            self._post(self._state)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until the latest change was written (or failed): tests, shutdown."""
        if not self._journal.wait(timeout):
            raise TimeoutError(f"recovery writes still busy after {timeout} s")

    def sync(self) -> None:
        """Wait until the latest change is on disk (or its write failed)."""
        self.wait()

    # lifecycle ----------------------------------------------------------------------------------
    def discard(self) -> None:
        """Normal close (after save or discard): remove this instance's recovery file."""
        self._state = None
        self._post(None)
        self.wait()

    def shutdown(self) -> None:
        """Stop watching and finish the queued disk work (keeps the file if work is unsaved)."""
        if not self._enabled:
            return
        self._enabled = False
        self._disconnect()
        self._journal.close()
        self._lock.unlock()  # a file still here is work left for the next start
        _LIVE.discard(self.path)
        # PySide keeps a reference from the model to this connected receiver; dropping ours
        # leaves no cycle for the garbage collector to break (collecting such a cycle of Qt
        # objects crashed the tests)
        self._model = None

    def _disconnect(self) -> None:
        conns, self._connections = self._connections, []
        for conn in conns:
            with contextlib.suppress(RuntimeError, TypeError):
                QObject.disconnect(conn)
        if self._stack_conn is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                QObject.disconnect(self._stack_conn)
            self._stack_conn = None

    def adopt(self, leftover: Leftover) -> bool:
        """Claim ``leftover``'s file as this instance's recovery file (an atomic rename: of two
        windows, exactly one succeeds); False when another window took it first."""
        self.wait()
        self._claim()
        try:
            make_private_dir(self.directory)
            os.replace(leftover.path, self.path)
        except FileNotFoundError:
            return False
        except OSError:
            return False
        # rewrite the header at once, so that the file names its new, living owner (and keeps
        # the original file's stamp: not known when the copy had none)
        orig = Path(leftover.original_path) if leftover.original_path else None
        self._stamp = leftover.stamp
        state = (leftover.session, orig, leftover.stamp)
        self._state = state
        self._post(state)
        return True


def _describe(exc: Exception, path: Path) -> str:
    if isinstance(exc, FileExistsError | NotADirectoryError) and not path.parent.is_dir():
        # the recovery folder (or one above it) is a file: "File exists" named the file only
        blocker = next((p for p in path.parents if os.path.lexists(p)), path.parent)
        if not blocker.is_dir():
            return (
                f'Cannot keep the recovery copy: "{printable(str(blocker))}" is not a folder '
                f"(a file of that name is in the way)"
            )
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        where = exc.filename or path
        return f'Cannot write "{printable(os.path.basename(str(where)))}": {reason}'
    return f'Cannot write "{printable(path.name)}": {exc}'


def remove_orphans(directory: Path | None = None) -> int:
    """Remove temporary files left in the recovery folder by processes that are gone (names
    whose number cannot be a process id are left alone); never raises."""
    try:
        return remove_stale_temporaries(str(directory or recovery_dir()))
    except Exception:  # a clean-up never stops the start (the restore offer, FILE)
        return 0


def prepare_at_start(directory: Path | None = None) -> None:
    """At start: make the recovery folder, owner-only with each missing folder above it (the
    app's data folder: made so before anything else, e.g. quiz answers, writes there), and
    remove the orphaned temporaries in it. Never raises."""
    folder = directory or recovery_dir()
    with contextlib.suppress(OSError, ValueError):
        make_private_dir(folder)
    remove_orphans(folder)


def discard_leftover(leftover: Leftover) -> None:
    with contextlib.suppress(FileNotFoundError):
        leftover.path.unlink()
