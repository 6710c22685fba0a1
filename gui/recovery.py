"""Never lose work: a recovery file per running window, and restore after a crash.

Every clinical change (``SessionModel.session_changed`` outside scratch mode) is written to a
recovery file within about a second. The session is serialised on the GUI thread (a fraction of a
millisecond) and the slow part -- write, fsync, rename, folder fsync -- runs on a single worker
thread, so a click is never held up by the disk. Writes and removals run in order on that thread.

The file lives in ``QStandardPaths.AppDataLocation/recovery`` (or ``$DERMAMAP_RECOVERY_DIR``), is
named ``dermamap-<pid>-<token>.json`` (one per running instance), has mode 0600 and is a normal
session file plus a ``recovery`` header::

    {"format": "dermamap-session", ..., "recovery": {"saved_at": "2025-01-31T10:12:03+01:00",
     "original_path": "/home/me/visit.json", "pid": 1234, "started": 987654}}

A clean session (just opened, saved, or undone back to the saved state) needs no recovery file,
so it is removed then. A normal close removes it too. At the next start,
:func:`find_leftovers` lists files whose process is no longer running; the window offers to
restore them (:class:`RestoreDialog`: Restore / Discard / Later).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from core.model import Session
from core.session_io import SessionError, atomic_write_bytes, loads_session, session_to_dict
from gui.session_model import SessionModel

ENV_DIR = "DERMAMAP_RECOVERY_DIR"
ENV_AUTO = "DERMAMAP_RECOVERY_AUTO"  # restore | discard | later: answer the offer (tests)
PREFIX = "dermamap-"
DELAY_MS = 600


def recovery_dir() -> Path:
    """The folder for recovery files (created on first write)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:
        base = str(Path.home() / ".local" / "share" / "Dermamap")
    return Path(base) / "recovery"


def _start_ticks(pid: int) -> int | None:
    """The process start time in clock ticks since boot (Linux), to tell reused pids apart."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _pid_running(pid: int, started: int | None) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    if started is not None:
        now = _start_ticks(pid)
        if now is not None and now != started:
            return False  # the pid was reused by another process
    return True


@dataclass(frozen=True)
class Leftover:
    """A recovery file left behind by a window that is no longer running."""

    path: Path
    saved_at: datetime | None
    original_path: str | None
    pid: int
    session: Session

    @property
    def file_label(self) -> str:
        return os.path.basename(self.original_path) if self.original_path else "Untitled"

    def describe(self) -> str:
        when = self.saved_at.strftime("%d %b %Y at %H:%M:%S") if self.saved_at else "unknown"
        n = len(self.session.marks)
        return f"{self.file_label}: last change {when}, {n} mark{'s' if n != 1 else ''}"


def _read_header(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    head = data.get("recovery") if isinstance(data, dict) else None
    return head if isinstance(head, dict) else {}


def find_leftovers(directory: Path | None = None, *, exclude: Path | None = None) -> list[Leftover]:
    """Recovery files in ``directory`` whose window is gone, most recent first.

    Unreadable or invalid files are skipped (never deleted: they may belong to a newer version).
    """
    folder = directory or recovery_dir()
    try:
        entries = list(folder.glob(f"{PREFIX}*.json"))
    except OSError:
        return []
    out: list[Leftover] = []
    for path in entries:
        if exclude is not None and path == exclude:
            continue
        try:
            if path.stat().st_size > 20 * 1024 * 1024:
                continue
            raw = path.read_bytes()
        except OSError:
            continue
        head = _read_header(raw)
        pid = head.get("pid")
        started = head.get("started")
        pid = pid if isinstance(pid, int) and not isinstance(pid, bool) else -1
        started = started if isinstance(started, int) else None
        if _pid_running(pid, started):
            continue  # another window is alive and owns it
        try:
            session = loads_session(raw, str(path))
        except SessionError:
            continue
        saved_at = None
        with contextlib.suppress(TypeError, ValueError):
            saved_at = datetime.fromisoformat(str(head.get("saved_at")))
        orig = head.get("original_path")
        out.append(
            Leftover(path, saved_at, orig if isinstance(orig, str) and orig else None, pid, session)
        )
    out.sort(key=lambda lo: lo.saved_at.timestamp() if lo.saved_at else 0.0, reverse=True)
    return out


class _Writer:
    """One background thread that runs queued jobs in order (the recovery file's disk work).

    A tiny stand-in for a one-worker ``ThreadPoolExecutor`` (whose import costs the start-up
    several milliseconds). The thread starts with the first job. It is a daemon thread: a job
    cut short when the process ends leaves the previous file intact (writes are atomic), as a
    crash would; :meth:`shutdown` runs everything queued before the window closes.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Callable[[], None], threading.Event] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._closed = False

    def submit(self, job: Callable[[], None]) -> threading.Event:
        """Queue ``job``; the returned event is set once it has run."""
        if self._closed:
            raise RuntimeError("the writer is shut down")
        done = threading.Event()
        self._jobs.put((job, done))
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        return done

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, done = item
            try:
                job()
            except Exception:  # jobs report their own errors; never let one stop the worker
                import traceback

                traceback.print_exc()
            finally:
                done.set()

    def shutdown(self, wait: bool = True) -> None:
        """Run what is queued, then stop the thread."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        if wait and self._thread is not None:
            self._thread.join()


class RecoveryManager(QObject):
    """Keeps this window's recovery file up to date with the clinical session.

    Parameters
    ----------
    model
        The window's session model. Scratch work (quiz answers) is ignored.
    directory
        Recovery folder; default :func:`recovery_dir`.
    delay_ms
        Debounce: the first change after a write starts a timer of this length; everything
        changed until it fires goes into one write (so a change is on disk within about
        ``delay_ms`` plus the disk time, even while painting continuously).
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
        delay_ms: int = DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else model)
        self._model = model
        self.directory = directory or recovery_dir()
        self.path = self.directory / f"{PREFIX}{os.getpid()}-{os.urandom(3).hex()}.json"
        self._started = _start_ticks(os.getpid())
        self._pool = _Writer("dermamap-recovery")
        self._pending: tuple[Session, Path | None] | None = None
        self._on_disk = False
        self._last_future: threading.Event | None = None
        self.last_error: str | None = None
        #: Longest time (seconds) a write kept the GUI thread busy (serialising + queueing).
        self.max_gui_seconds = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._enabled = True
        # A bound method of this QObject: Qt queues the call into the GUI thread.
        self._job_done.connect(self._on_job_done)
        self._connections = [
            model.session_changed.connect(self._on_changed),
            model.session_replaced.connect(self._on_changed),
            model.path_changed.connect(self._on_changed),
            model.session_replaced.connect(self._rewatch_stack),
        ]
        self._watched_stack = model.undo_stack
        self._stack_conn: Any = model.undo_stack.cleanChanged.connect(self._on_changed)

    # change tracking --------------------------------------------------------------------------
    def _rewatch_stack(self) -> None:
        stack = self._model.undo_stack
        if stack is not self._watched_stack:
            if self._stack_conn is not None:
                with contextlib.suppress(RuntimeError, TypeError):
                    QObject.disconnect(self._stack_conn)
            self._stack_conn = stack.cleanChanged.connect(self._on_changed)
            self._watched_stack = stack

    def _on_changed(self, *_args: object) -> None:
        try:
            if not self._enabled or self._model.in_scratch:
                return  # scratch work is never saved; the clinical snapshot stays pending
            modified = self._model.is_modified()
        except RuntimeError:  # the model is being destroyed
            return
        if modified:
            self._pending = (self._model.session, self._model.path)
        else:
            self._pending = None  # clean: the file on disk (or nothing) has it all
        if not self._timer.isActive():
            self._timer.start()

    @property
    def has_pending(self) -> bool:
        return self._timer.isActive()

    # writing ------------------------------------------------------------------------------------
    def serialise(self, session: Session, original: Path | None) -> bytes:
        """The recovery file's bytes for ``session`` (GUI thread; fast)."""
        data = session_to_dict(session)
        data["recovery"] = {
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "original_path": str(original) if original else None,
            "pid": os.getpid(),
            "started": self._started,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def flush(self) -> None:
        """Write (or remove) the recovery file now, on the worker thread."""
        t0 = time.perf_counter()
        self._timer.stop()
        if self._pending is None:
            if self._on_disk:
                self._on_disk = False
                self._submit(self._remove_job)
        else:
            session, original = self._pending
            payload = self.serialise(session, original)
            self._on_disk = True
            self._submit(lambda: self._write_job(payload))
        self.max_gui_seconds = max(self.max_gui_seconds, time.perf_counter() - t0)

    def _submit(self, job: Callable[[], None]) -> None:
        try:
            self._last_future = self._pool.submit(job)
        except RuntimeError:  # after shutdown: do it here
            job()

    def _write_job(self, payload: bytes) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write_bytes(self.path, payload)
        except (SessionError, OSError) as exc:
            self.last_error = str(exc)
            self._job_done.emit("failed", str(exc))
            return
        self.last_error = None
        self._job_done.emit("written", str(self.path))

    def _remove_job(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            self._job_done.emit("failed", f"Cannot remove the recovery file: {exc.strerror}")
            return
        self._job_done.emit("removed", "")

    def _on_job_done(self, kind: str, text: str) -> None:
        if kind == "written":
            self.written.emit(text)
        elif kind == "removed":
            self.removed.emit()
        else:
            self.failed.emit(text)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until every queued write/removal is done (tests, shutdown)."""
        done = self._last_future
        if done is not None and not done.wait(timeout):
            raise TimeoutError(f"recovery writes still busy after {timeout} s")

    def sync(self) -> None:
        """Flush pending changes and wait for the disk."""
        if self._timer.isActive():
            self.flush()
        self.wait()

    # lifecycle ----------------------------------------------------------------------------------
    def discard(self) -> None:
        """Normal close (after save or discard): remove this instance's recovery file."""
        self._timer.stop()
        self._pending = None
        self._on_disk = False
        self._submit(self._remove_job)
        self.wait()

    def shutdown(self) -> None:
        """Stop watching and finish the queued disk work (keeps the file if work is unsaved)."""
        if not self._enabled:
            return
        if self._timer.isActive():
            self.flush()
        self._enabled = False
        self._timer.stop()
        self._disconnect()
        self._pool.shutdown(wait=True)

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
        """Take over ``leftover``'s file as this instance's recovery file.

        Returns False when another window took it first (the file is gone).
        """
        self.wait()
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(leftover.path, self.path)
        except FileNotFoundError:
            return False
        except OSError:
            return leftover.path.exists()
        self._on_disk = True
        return True


def discard_leftover(leftover: Leftover) -> None:
    with contextlib.suppress(FileNotFoundError):
        leftover.path.unlink()


class RestoreDialog(QDialog):
    """Offer to restore work left by a window that closed unexpectedly."""

    RESTORE = 1
    DISCARD = 2
    LATER = 0

    def __init__(self, leftover: Leftover, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.leftover = leftover
        self.choice = self.LATER
        self.setWindowTitle("Restore unsaved work?")
        self.setAccessibleName("Restore unsaved work")
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxQuestion).pixmap(40, 40)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top.addWidget(icon)
        when = (
            leftover.saved_at.strftime("%d %b %Y at %H:%M:%S")
            if leftover.saved_at
            else "an unknown time"
        )
        file_line = (
            f"File: <b>{_esc(leftover.file_label)}</b><br><small>{_esc(leftover.original_path)}"
            "</small>"
            if leftover.original_path
            else "File: <b>Untitled</b> (never saved)"
        )
        n = len(leftover.session.marks)
        text = QLabel(
            "<p><b>Dermamap closed before this work was saved.</b></p>"
            f"<p>{file_line}<br>Last change: <b>{when}</b><br>"
            f"{n} marked zone{'s' if n != 1 else ''}"
            f"{', warning signs ticked' if leftover.session.red_flags else ''}</p>"
            "<p>Restore it to continue where you left off. <i>Later</i> keeps it for the next "
            "start; <i>Discard</i> deletes it.</p>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setMinimumWidth(380)
        top.addWidget(text, 1)
        lay.addLayout(top)
        box = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setAccessibleName("Restore the unsaved work")
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton("&Discard")
        self.discard_button.setAccessibleName("Discard the unsaved work")
        self.later_button = QPushButton("&Later")
        self.later_button.setAccessibleName("Decide later")
        box.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(lambda: self._done(self.RESTORE))
        self.discard_button.clicked.connect(lambda: self._done(self.DISCARD))
        self.later_button.clicked.connect(lambda: self._done(self.LATER))
        lay.addWidget(box)

    def _done(self, choice: int) -> None:
        self.choice = choice
        if choice == self.LATER:
            self.reject()
        else:
            self.accept()


def _esc(text: str | None) -> str:
    from html import escape

    return escape(text or "")


def ask_restore(leftover: Leftover, parent: QWidget | None) -> str:
    """Ask the user; returns ``restore``, ``discard`` or ``later``.

    ``$DERMAMAP_RECOVERY_AUTO`` answers without showing the dialog (tests).
    """
    auto = os.environ.get(ENV_AUTO, "").strip().lower()
    if auto in ("restore", "discard", "later"):
        return auto
    if os.environ.get("DERMAMAP_NONINTERACTIVE", "") not in ("", "0"):
        return "later"  # scripted run: never block on a modal dialog
    dlg = RestoreDialog(leftover, parent)
    dlg.exec()
    return {RestoreDialog.RESTORE: "restore", RestoreDialog.DISCARD: "discard"}.get(
        dlg.choice, "later"
    )
