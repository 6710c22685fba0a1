"""Guards for the window's session files (issue 17): locks, conflicts, privacy, the banner.

- :class:`SessionLock`: a :class:`~PySide6.QtCore.QLockFile` per open session in the app's
  runtime folder (``$XDG_RUNTIME_DIR/dermamap-locks``, else ``<recovery folder>/../locks``),
  named by a hash of the session's path (the path itself is not stored). Qt tells a crashed
  owner's lock from a living one and takes a stale lock over.
- :func:`suggested_stem`, :func:`unused_name`: file names suggested by Save As and the exports
  name no existing file of another session and never contain a
  patient identifier: ``session-YYYY-MM-DD`` (the visit date, else today).
- :func:`secure_settings`: the settings file is made owner-only (0600, folder 0700).
- :func:`tidy_temporaries`: removes what a save cut short left beside a session file.
- :func:`is_read_only`: whether the user cannot write a session file (shown "(read-only)" in
  the window title, :func:`window_title`).
- Dialogs for unsaved changes, a file changed on disk and a read-only file (injectable in
  :class:`gui.files.FileController`), :func:`dropped_path` (the session file a drop brings),
  and :class:`RecoveryBanner`, shown while the recovery copy cannot be written.
- The lock folder is made owner-only with each folder above it that was missing
  (:func:`core.recovery_format.make_private_dir`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLockFile, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from core.file_guard import FileStamp, printable, remove_stale_temporaries
from core.model import Session
from core.recovery_format import make_private_dir
from core.visit_dates import full_date

LOCK_ENV = "XDG_RUNTIME_DIR"


def lock_dir() -> Path:
    runtime = os.environ.get(LOCK_ENV)
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / "dermamap-locks"
    from gui.recovery import recovery_dir

    return recovery_dir().parent / "locks"


class SessionLock:
    """This window's claim on one session file; :meth:`acquire` says who else has it open."""

    def __init__(self) -> None:
        self._lock: QLockFile | None = None

    @property
    def path(self) -> Path | None:
        """The lock file held, if any."""
        return Path(self._lock.fileName()) if self._lock is not None else None

    @staticmethod
    def lock_path(session_path: Path) -> Path:
        import hashlib  # (loads OpenSSL: imported when a session file is first locked)

        key = os.fsencode(os.path.realpath(session_path))
        return lock_dir() / (hashlib.sha256(key).hexdigest()[:32] + ".lock")

    def acquire(self, session_path: Path) -> int | None:
        """Hold the lock of ``session_path`` (releasing any other); returns the process id of
        another living window that has it open (then this one does not hold it), else None.
        A lock is advice: when it cannot be taken for another reason, the work goes on."""
        self.release()
        path = self.lock_path(session_path)
        try:
            make_private_dir(path.parent)
        except OSError:
            return None
        lock = QLockFile(str(path))
        if lock.tryLock(0):
            with contextlib.suppress(OSError):
                os.chmod(path, 0o600)
            self._lock = lock
            return None
        if lock.error() is not QLockFile.LockError.LockFailedError:
            return None
        pid = lock.getLockInfo()[0]
        return pid if isinstance(pid, int) and pid > 0 else None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def tidy_temporaries(target: Path) -> None:
    """Remove the temporary files a save of ``target`` that was cut short (a crash mid-write)
    left beside it. Names whose number cannot be a process id are left alone, and a clean-up
    never raises: it must not stop an open or a save."""
    with contextlib.suppress(Exception):
        remove_stale_temporaries(str(target.resolve().parent), target.name)


def suggested_stem(session: Session, today: date | None = None) -> str:
    """``session-YYYY-MM-DD`` from the visit date (when it is one), else today's date."""
    given = session.visit.date.strip()
    day = full_date(given)
    return f"session-{(day or today or date.today()).isoformat()}"


def unused_name(folder: str, stem: str, suffix: str) -> str:
    """``folder/stem+suffix``, or with ``-2``, ``-3``... before the suffix if that file exists:
    a second patient seen on the same day was offered the first one's file, one "Replace" away
    from overwriting it."""
    candidate = os.path.join(folder, stem + suffix)
    n = 2
    while os.path.lexists(candidate):
        candidate = os.path.join(folder, f"{stem}-{n}{suffix}")
        n += 1
    return candidate


def secure_settings(settings: QSettings) -> None:
    """Write ``settings`` and make its file owner-only (0600) and its folder 0700."""
    settings.sync()
    name = settings.fileName()
    if not name or not os.path.isabs(name):
        return  # not a file (e.g. the Windows registry)
    with contextlib.suppress(OSError):
        os.chmod(name, 0o600)
    with contextlib.suppress(OSError):
        os.chmod(os.path.dirname(name), 0o700)


READ_ONLY = "(read-only)"


def _may_write(path: str) -> bool:
    """The user may write ``path``: the system says so (ACLs, read-only mounts) and so do its
    write bits (the owner's when it is the user's; for the superuser, whom the system lets
    write anything, any write bit), so that a file made read-only reads so for everyone."""
    st = os.stat(path)
    if not os.access(path, os.W_OK):
        return False
    uid = os.geteuid() if hasattr(os, "geteuid") else -1
    if st.st_uid == uid:
        return bool(st.st_mode & 0o200)
    if uid == 0:
        return bool(st.st_mode & 0o222)
    return True


def is_read_only(path: Path) -> bool:
    """True when the user cannot replace the session file ``path``: the file, or the folder a
    save writes its temporary file in, is not writable (see :func:`_may_write`). A file that is
    gone, or cannot be looked at, is not called read-only (saving says what is wrong)."""
    try:
        return not (_may_write(str(path)) and _may_write(os.path.dirname(os.path.abspath(path))))
    except (OSError, ValueError):
        return False


def window_title(path: Path | None, read_only: bool = False) -> str:
    """The window's title: "<file>[*] — Dermamap", "Untitled[*] — Dermamap" before a first
    save, with "(read-only)" after the name of a file the user cannot write. It ends with the
    app's display name, so X11 and Windows do not append it a second time (they append it to a
    title that does not end with it: "Dermamap* — Dermamap")."""
    name = path.name if path else "Untitled"
    return f"{name}{f' {READ_ONLY}' if read_only else ''}[*] — Dermamap"


def check_target(
    target: Path,
    open_path: Path | None,
    stamp: FileStamp | None,
    ask_conflict: Callable[[Path], str],
    ask_read_only: Callable[[Path], str],
) -> tuple[str, int]:
    """Before writing ``target``: ``("write", mode)``, or what the user chose instead
    (``save_as``, ``reload``, ``cancel``).

    Asks when ``target`` is the open file (``open_path``) and changed on disk since ``stamp``
    (modification time, size or content), and when it is read-only (then ``mode`` keeps it so).
    """
    current = FileStamp.of_file(target)
    same = open_path is not None and open_path == target.resolve()
    # a file there that cannot be read (too large, unreadable, no longer a regular file) has
    # changed too: it was replaced without a question (a hostile-input review); a file gone
    # is saved again without one
    changed = current != stamp if current is not None else os.path.lexists(target)
    if same and stamp is not None and changed:
        answer = ask_conflict(target)
        if answer != "overwrite":
            return answer, 0
    mode = 0o600
    try:
        st = os.stat(target)
    except OSError:
        return "write", mode
    if not os.access(target, os.W_OK) or not st.st_mode & 0o200:
        answer = ask_read_only(target)
        if answer != "overwrite":
            return answer, 0
        mode = st.st_mode & 0o7777  # it stays read-only
    return "write", mode


def ask_unsaved(parent: QWidget | None, path: Path | None) -> str:
    """Unsaved changes to ``path`` (None: Untitled): ``save``, ``discard`` or ``cancel``."""
    name = printable(path.name) if path else "Untitled"
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setAccessibleName("Unsaved changes")
    box.setText(f"Save the changes to “{name}”?")
    box.setInformativeText("If you don't save, the changes made since the last save are lost.")
    btn = QMessageBox.StandardButton
    box.setStandardButtons(btn.Save | btn.Discard | btn.Cancel)
    box.setDefaultButton(btn.Save)
    answer = box.exec()
    return {btn.Save: "save", btn.Discard: "discard"}.get(btn(answer), "cancel")


def dropped_path(event: QDropEvent) -> str | None:
    """The session file (one local ``.json`` file) a drag brings, else None."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    urls: list[QUrl] = mime.urls()
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = urls[0].toLocalFile()
    return path if path.lower().endswith(".json") else None


def ask_conflict(parent: QWidget | None, path: Path) -> str:
    """The file was changed on disk: ``reload``, ``save_as``, ``overwrite`` or ``cancel``."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("File changed on disk")
    box.setAccessibleName("File changed on disk")
    box.setText(
        f"“{printable(path.name)}” was changed by another program or window since you "
        "opened or saved it."
    )
    box.setInformativeText(
        "Reload it (your unsaved changes here are dropped), save your work under another name, "
        "or overwrite the other changes."
    )
    reload_b = box.addButton("&Reload", QMessageBox.ButtonRole.DestructiveRole)
    save_as_b = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
    overwrite_b = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as_b)
    box.exec()
    clicked = box.clickedButton()
    for button, answer in (
        (reload_b, "reload"),
        (save_as_b, "save_as"),
        (overwrite_b, "overwrite"),
    ):
        if clicked is button:
            return answer
    return "cancel"


def ask_read_only(parent: QWidget | None, path: Path) -> str:
    """The file is read-only: ``overwrite`` (it stays read-only), ``save_as`` or ``cancel``."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Read-only file")
    box.setAccessibleName("Read-only file")
    box.setText(f"“{printable(path.name)}” is read-only.")
    box.setInformativeText(
        "Replace it anyway (it stays read-only), or save your work under another name?"
    )
    overwrite_b = box.addButton("&Replace", QMessageBox.ButtonRole.DestructiveRole)
    save_as_b = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save_as_b)
    box.exec()
    clicked = box.clickedButton()
    for button, answer in ((overwrite_b, "overwrite"), (save_as_b, "save_as")):
        if clicked is button:
            return answer
    return "cancel"


class RecoveryBanner(QLabel):
    """A persistent warning while the recovery copy cannot be written.

    It lives in ``status_bar`` (as a permanent widget, so no other message replaces it) only
    while there is a problem: the window's layout is untouched otherwise.
    """

    def __init__(self, status_bar: QStatusBar | None = None) -> None:
        super().__init__()
        self._bar = status_bar
        self.setObjectName("recovery_banner")
        self.setAccessibleName("Recovery copy warning")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#recovery_banner { background: #b00020; color: white; padding: 4px 8px;"
            " font-weight: bold; }"
        )
        self.hide()

    def show_problem(self, message: str) -> None:
        self.setText(
            f"Unsaved work is NOT being backed up: {printable(message)}. Save your work "
            "(File › Save As...) to keep it."
        )
        self.setToolTip(self.text())
        if self._bar is not None and self.parent() is None:
            self._bar.addPermanentWidget(self, 1)
        self.show()

    def clear_problem(self) -> None:
        if self.isHidden():
            return
        self.hide()
        if self._bar is not None and self.parent() is not None:
            self._bar.removeWidget(self)
            self.setParent(None)
