"""File actions of the main window: New, Open, Open Recent, Save, Save As, exports, drag and drop.

Safety rules (issue 5, "nothing a clinician enters is ever lost"):

- A file is loaded completely and validated *before* anything on screen changes; a file that
  cannot be read shows a message naming the file and the problem, and the current session stays
  exactly as it was.
- Unsaved work is never dropped silently: New, Open and closing ask Save / Discard / Cancel.
- Saving is atomic (:func:`core.session_io.save_session`); a failed save shows why, keeps the
  work open and modified, and the recovery file keeps a copy (:mod:`gui.recovery`).
- File actions work on the clinical session, never on scratch (quiz) work.

Dialogs are injectable attributes so tests can drive everything without modal dialogs:
:attr:`FileController.report_error`, :attr:`ask_open_path`, :attr:`ask_save_path`,
:attr:`ask_unsaved`, :attr:`ask_restore`, :attr:`ask_conflict`, :attr:`ask_read_only`,
:attr:`ask_forget_recent` (``tests/gui/automation.py`` answers most of them for the GUI tests).

A file the user cannot write shows "(read-only)" in the title from when it is opened; Save goes
straight to Save As then (choosing the same file there still asks, and can replace it).

Wiring (main window)::

    self.files = FileController(self, self.model, self.state)   # adds its File menu actions
    QTimer.singleShot(0, lambda: self.files.start(initial_path)) # after the window is shown

The controller installs an event filter on the window that asks before closing and accepts
``.json`` sessions dropped onto it; ``confirm_close()`` can also be called from ``closeEvent``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox, QWidget

from core.file_guard import FileStamp, printable
from core.model import Session
from core.recovery_format import UNKNOWN_STAMP
from core.session_io import SessionError, load_session_stamped, save_session
from gui import file_exports, file_menu, file_safety, recent_files
from gui.document import Document
from gui.recent_files import LAST_DIR_KEY, RecentFiles
from gui.recovery import (
    Leftover,
    RecoveryManager,
    discard_leftover,
    prepare_at_start,
    scan_leftovers,
)
from gui.session_model import SessionModel
from gui.settings_store import app_settings

SESSION_FILTER = "Dermamap sessions (*.json);;All files (*)"


def ask_restore(leftover: Any, parent: QWidget | None) -> str:
    """Ask whether to restore ``leftover``: ``restore``, ``discard`` or ``later``."""
    from gui import restore_dialog  # (imported only when there is work to restore)

    return restore_dialog.ask_restore(leftover, parent)


def _default_error(parent: QWidget | None) -> Callable[[str, str], None]:
    def show(title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
        box.setAccessibleName(title)
        box.exec()

    return show


class FileController(QObject):
    """File menu actions for one window (see the module docstring).

    Parameters
    ----------
    window
        The main window (title, dialogs' parent, close guard and drop target).
    model
        The window's session model.
    state
        The window's UI state (overlay toggle for exports, mode when leaving a quiz); optional.
    file_menu
        Menu to put the actions in; default: the window's first menu titled "File" (created if
        missing). Actions go before the menu's existing actions (Quit).
    settings
        Where the recent-files list lives; default :func:`app_settings`.
    recovery
        The window's :class:`RecoveryManager`; created (in the default folder) when ``None``.
    """

    read_only_changed = Signal()  # the open file became read-only or writable (the title)

    # made by gui.file_menu.make_actions
    new_action: QAction
    new_visit_action: QAction
    open_action: QAction
    save_action: QAction
    save_as_action: QAction
    visit_action: QAction
    export_pdf_action: QAction
    export_png_action: QAction
    export_csv_action: QAction
    print_action: QAction
    recent: RecentFiles
    file_menu: QMenu | None

    def __init__(
        self,
        window: QWidget,
        model: SessionModel,
        state: Any = None,
        *,
        file_menu: QMenu | None = None,
        settings: QSettings | None = None,
        recovery: RecoveryManager | None = None,
        install_filter: bool = True,
        manage_title: bool = True,
        document: Document | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        #: The session's analyses (reports and exports read them; made here when not given).
        self.document = document if document is not None else Document(model, self)
        self.state = state
        self.settings = settings or app_settings()
        self.recovery = recovery or RecoveryManager(model, parent=self)
        self.recovery.failed.connect(self._on_recovery_failed)
        self.recovery_banner = file_safety.RecoveryBanner(
            window.statusBar() if isinstance(window, QMainWindow) else None
        )
        self.recovery.written.connect(self.recovery_banner.clear_problem)
        self.recovery.removed.connect(self.recovery_banner.clear_problem)
        self.lock = file_safety.SessionLock()
        self._close_confirmed = False

        # injectable dialogs ------------------------------------------------------------------
        self.report_error: Callable[[str, str], None] = _default_error(window)
        self.ask_open_path: Callable[[], str | None] = self._dialog_open_path
        self.ask_save_path: Callable[[str, str, str], str | None] = self._dialog_save_path
        self.ask_unsaved: Callable[[], str] = self._dialog_unsaved
        self.ask_restore: Callable[..., str] = ask_restore
        self.ask_conflict: Callable[[Path], str] = self._dialog_conflict
        self.ask_read_only: Callable[[Path], str] = self._dialog_read_only
        #: A file chosen in Open Recent cannot be opened (path, problem): True removes it.
        self.ask_forget_recent: Callable[[str, str], bool] = self._dialog_forget_recent
        #: The open file when the user cannot write it (shown "(read-only)" in the title).
        self._read_only_path: Path | None = None

        self._make_actions()
        self._install_menu(file_menu)
        self.manage_title = manage_title
        if manage_title:
            model.path_changed.connect(self._update_title)
            model.session_changed.connect(self._update_title)
            model.session_replaced.connect(self._update_title)
            model.undo_stack.cleanChanged.connect(self._update_title)
        # The window's own close guards (MainWindow.close_guards) or an event filter.
        guards = getattr(window, "close_guards", None)
        self._filter_close = not isinstance(guards, list)
        if isinstance(guards, list):
            guards.append(self.confirm_close)
        if install_filter:
            window.installEventFilter(self)
            window.setAcceptDrops(True)
        self._update_title()

    # actions (built in gui.file_menu) ----------------------------------------------------------
    def _make_actions(self) -> None:
        file_menu.make_actions(self)

    def actions(self) -> list[QAction]:
        return [
            self.new_action,
            self.new_visit_action,
            self.open_action,
            self.save_action,
            self.save_as_action,
            self.visit_action,
            self.export_pdf_action,
            self.export_png_action,
            self.export_csv_action,
            self.print_action,
        ]

    def _install_menu(self, menu: QMenu | None) -> None:
        file_menu.install_menu(self, menu)

    @property
    def stamp(self) -> FileStamp | None:
        """What the session file looked like when opened or saved (to detect outside changes);
        the recovery copy of unsaved work carries it (:meth:`RecoveryManager.set_stamp`)."""
        return self.recovery.stamp

    @stamp.setter
    def stamp(self, value: FileStamp | None) -> None:
        self.recovery.set_stamp(value)

    # title -----------------------------------------------------------------------------------
    def _update_title(self, *_args: object) -> None:
        if not self.manage_title:
            return
        try:
            modified = self.model.is_modified()
        except RuntimeError:  # the model is being destroyed (window closing)
            return
        path = self.model.path
        self.window.setWindowFilePath(str(path) if path else "")
        self.window.setWindowTitle(file_safety.window_title(path, self.read_only))
        self.window.setWindowModified(modified)

    @property
    def read_only(self) -> bool:
        """True when the open session's file was not writable by the user when last checked."""
        path = self.model.path
        return path is not None and path == self._read_only_path

    def _check_read_only(self) -> bool:
        """Look again whether the open file is writable (the title says so); True if
        read-only."""
        path = self.model.path
        ro = path is not None and file_safety.is_read_only(path)
        was = self._read_only_path
        self._read_only_path = path if ro else None
        if self._read_only_path != was:
            self.read_only_changed.emit()
            self._update_title()
        return ro

    def _status(self, text: str) -> None:
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(text, 6000)

    def _on_recovery_failed(self, message: str) -> None:
        self.recovery_banner.show_problem(message)

    # helpers ----------------------------------------------------------------------------------
    def _leave_scratch(self) -> None:
        """File actions act on the clinical session: leave a quiz's scratch work first (back to
        clinical mode, so that what the action does is on screen)."""
        if self.state is None or getattr(self.state, "learning", None) is None:
            return
        from gui.state import Mode

        self.state.set_mode(Mode.CLINICAL)

    def _last_dir(self) -> str:
        _, path = (self.model.session, self.model.path)
        if path is not None:
            return str(path.parent)
        value = self.settings.value(LAST_DIR_KEY, "")
        return str(value) if value and os.path.isdir(str(value)) else str(Path.home())

    def _dialog_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open Session", self._last_dir(), SESSION_FILTER
        )
        return path or None

    def _dialog_save_path(self, title: str, suggested: str, filters: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.window, title, suggested, filters)
        return path or None

    def _dialog_unsaved(self) -> str:
        return file_safety.ask_unsaved(self.window, self.model.path)

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there is unsaved work; True means go ahead."""
        self._leave_scratch()
        if not self.model.is_modified():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    # New / Open ------------------------------------------------------------------------------
    def new(self, session: Session | None = None) -> bool:
        if not self.maybe_save():
            return False
        self.model.replace_session(session or Session(atlas=self.model.session.atlas), None)
        self.stamp = None
        self._check_read_only()
        self.lock.release()
        self._status("New visit of the same patient" if session else "New session")
        return True

    def open_dialog(self) -> bool:
        path = self.ask_open_path()
        if not path:
            return False
        return self.open_path(path)

    def open_path(self, path: str | os.PathLike[str]) -> bool:
        """Open ``path``: load and validate first, then ask about unsaved work, then replace."""
        return self._open(Path(path).expanduser())

    def open_recent(self, entry: str) -> bool:
        """Open a file chosen in Open Recent; when it cannot be opened (its drive not
        connected, say), offer to take it off the list."""
        return self._open(Path(entry).expanduser(), recent_entry=entry)

    def _open(self, target: Path, recent_entry: str | None = None) -> bool:
        try:
            session, stamp = load_session_stamped(target)
        except SessionError as exc:
            problem = exc.message(full_path=False)
            if recent_entry is None:
                self.report_error(
                    "Cannot open session",
                    f"{problem}\n\n{printable(str(target))}\n\nNothing was "
                    "changed: the session on screen is as it was.",
                )
            elif self.ask_forget_recent(recent_entry, problem):
                self.recent.forget(recent_entry)
                self._status(f"Removed {printable(target.name)} from Open Recent")
            return False
        if not self.maybe_save():
            return False
        self.model.replace_session(session, target.resolve())
        self.stamp = stamp
        self._take_lock(target)
        file_safety.tidy_temporaries(target)  # of a save cut short (never raises)
        self.recent.add(target)
        ro = ", read-only: Save asks for a new name" if self._check_read_only() else ""
        self._status(f"Opened {printable(target.name)}{ro}")
        return True

    def _take_lock(self, target: Path) -> None:
        other = self.lock.acquire(target.resolve())
        if other is not None:
            self.report_error(
                "Session open in another window",
                f'"{printable(target.name)}" is also open in another Dermamap window (process '
                f"{other}).\n\nIf both windows save, the later save is checked against the "
                "earlier one: you will be asked before anything is overwritten.",
            )

    # Save ---------------------------------------------------------------------------------
    def save(self) -> bool:
        self._leave_scratch()
        path = self.model.path
        if path is None:
            return self.save_as()
        if self._check_read_only():  # straight to Save As (the same file there still asks)
            self._status(f"{printable(path.name)} is read-only: save your work under a new name")
            return self.save_as(avoid=path)
        return self._write(path)

    def save_as(self, avoid: Path | None = None) -> bool:
        self._leave_scratch()
        path = self.model.path
        suggested = str(path or file_safety.unused_name(self._last_dir(), self._stem(), ".json"))
        if avoid is not None:  # e.g. after a conflict: not the same file again
            suggested = str(avoid.with_name(avoid.stem + "-copy.json"))
        chosen = self.ask_save_path("Save Session As", suggested, SESSION_FILTER)
        if not chosen:
            return False
        target = Path(chosen)
        if not target.suffix:
            target = target.with_suffix(".json")
        return self._write(target)

    def _stem(self) -> str:
        """The suggested file name: never a patient identifier (issue 17)."""
        session, path = (self.model.session, self.model.path)
        if path is not None:
            return path.stem
        return file_safety.suggested_stem(session)

    def _dialog_conflict(self, path: Path) -> str:
        return file_safety.ask_conflict(self.window, path)

    def _dialog_read_only(self, path: Path) -> str:
        return file_safety.ask_read_only(self.window, path)

    def _dialog_forget_recent(self, entry: str, problem: str) -> bool:
        return recent_files.ask_forget(self.window, entry, problem)

    def _reload(self, target: Path) -> bool:
        """Replace the work on screen by the file as it is on disk now (the user's choice)."""
        try:
            session, stamp = load_session_stamped(target)
        except SessionError as exc:
            self.report_error("Cannot reload", exc.message())
            return False
        self.model.replace_session(session, target.resolve())
        self.stamp = stamp
        self._check_read_only()
        self._status(f"Reloaded {target.name}")
        return False  # nothing was saved

    def _write(self, target: Path) -> bool:
        session = self.model.session
        try:
            file_safety.tidy_temporaries(target)
            action, mode = file_safety.check_target(
                target, self.model.path, self.stamp, self.ask_conflict, self.ask_read_only
            )
            if action == "save_as":
                return self.save_as(avoid=target)
            if action == "reload":
                return self._reload(target)
            if action != "write":
                return False
            save_session(session, target, mode=mode)
            stamp = FileStamp.of_file(target)
        except Exception as exc:  # any failure: say so, keep the window and the work
            if isinstance(exc, SessionError):
                problem = exc.message()
            else:
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                problem = f'Cannot save to "{printable(target.name)}": {reason}'
            with contextlib.suppress(TimeoutError):
                self.recovery.wait(2.0)  # the copy the message speaks of is on disk
            self.report_error(
                "Could not save",
                f"{problem}\n\n{printable(str(target))}\n\nYour work is still open, and a "
                "recovery copy is kept. Use File › Save As... to save it somewhere else.",
            )
            return False
        if self.model.session is session:  # still the same (no edit while saving)
            if self.model.path != target.resolve():
                self.model.set_path(target.resolve())
                self._take_lock(target)
            self.model.mark_saved()
        self.stamp = stamp  # (once clean: no recovery copy is written for it)
        self._check_read_only()  # a read-only file replaced (the user's choice) stays so
        self.recent.add(target)
        self._status(f"Saved {target.name}")
        return True

    # visit details -------------------------------------------------------------------------
    def edit_visit(self) -> None:
        from gui.visit_dialog import VisitDialog

        self._leave_scratch()
        VisitDialog(self.model, self.window).exec()

    # exports (in gui.file_exports) ---------------------------------------------------------------
    def export_pdf(self) -> bool:
        return file_exports.export_pdf(self)

    def export_png(self) -> bool:
        return file_exports.export_png(self)

    def export_csv(self) -> bool:
        return file_exports.export_csv(self)

    def print_report(self) -> bool:
        return file_exports.print_report(self)

    # start-up, close, drop -------------------------------------------------------------------
    def start(self, initial_path: str | None = None) -> None:
        """After the window is shown: open the command-line FILE and offer to restore leftover
        work (a clean-up that fails stops neither)."""
        prepare_at_start(self.recovery.directory)  # (never raises)
        try:
            if initial_path:
                self.open_path(initial_path)
        finally:
            self.offer_restore()

    def offer_restore(self) -> bool:
        """Offer the leftover recovery files one after the other, most recent first ("1 of 2"
        in the dialog); True if one was restored. Restoring another one later replaces the
        restored work on screen only after asking about it (Save / Discard / Cancel); Cancel
        there, or Later, keeps that leftover for the next start. Copies that cannot be read
        are kept, and a message says how many and in which folder."""
        restored = False
        folder = self.recovery.directory
        leftovers, unreadable = scan_leftovers(folder, exclude=self.recovery.path)
        for leftover in leftovers:
            answer = self.ask_restore(leftover, self.window)
            if answer == "discard":
                discard_leftover(leftover)
            elif answer == "restore" and self.maybe_save() and self._restore(leftover):
                restored = True
        if unreadable:
            from gui.restore_dialog import unreadable_message

            self.report_error(*unreadable_message(folder, unreadable))
        return restored

    def _restore(self, leftover: Leftover) -> bool:
        if not self.recovery.adopt(leftover):
            return False  # another window took it
        orig = Path(leftover.original_path) if leftover.original_path else None
        closed = self.model.path if self.model.path not in (None, orig) else None
        with self.recovery.paused():  # the claimed file is never removed meanwhile
            self.model.replace_session(leftover.session, orig)
            self.model.undo_stack.resetClean()  # restored work is unsaved work
            # the original as the crashed window had opened or saved it: a change made since
            # (also before the restore) is asked about at Save; not known: Save asks
            self.stamp = (leftover.stamp or UNKNOWN_STAMP) if orig is not None else None
        if orig is not None:
            self._take_lock(orig)  # as opening it does: another window opening it is warned
        else:
            self.lock.release()
        self._update_title()
        self._check_read_only()
        self.recovery.sync()
        unknown = orig is not None and leftover.stamp is None  # (an older version's copy)
        self._status(
            f"Restored unsaved work ({printable(leftover.file_label)})"
            + ("; Save asks first, as changes to the file since are not known" if unknown else "")
            # the file named at start-up was replaced without a word (a review)
            + (f"; {printable(closed.name)} was closed: Open Recent has it" if closed else "")
        )
        return True

    def confirm_close(self) -> bool:
        """Ask about unsaved work before the window closes; True means close.

        On True the recovery file is removed (the work was saved or deliberately discarded).
        """
        if self._close_confirmed:
            return True
        if not self.maybe_save():
            return False
        self.discard_recovery()
        return True

    def discard_recovery(self) -> None:
        """Closing without keeping anything (after Save or Discard, or --quit-when-ready)."""
        self._close_confirmed = True
        self.recovery.discard()
        self.recovery.shutdown()
        self.lock.release()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and watched is self.window and self._filter_close:
            if not self.confirm_close():
                event.ignore()
                return True
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDropEvent
        ):
            # a drop is Open, refused while Open is (patient mode: a review's finding)
            if self.open_action.isEnabled() and file_safety.dropped_path(event) is not None:
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            path = file_safety.dropped_path(event) if self.open_action.isEnabled() else None
            if path is not None:
                event.acceptProposedAction()
                QTimer.singleShot(0, lambda: self.open_path(path))
                return True
        return False

    def install_drop_target(self, widget: QWidget) -> None:
        """Also accept sessions dropped on ``widget`` (e.g. the diagram's viewport)."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)


def attach(window: Any) -> FileController:
    """Wire a :class:`FileController` into a :class:`gui.main_window.MainWindow`.

    Uses the window's extension points (``add_file_actions``, ``close_guards``), keeps the
    window's own title handling, and after the event loop starts opens ``window.initial_path``,
    offers to restore leftover work. A forced close
    (``discard_and_close``) discards the recovery file; a crash or kill keeps it.
    """
    from PySide6.QtWidgets import QApplication

    controller = FileController(
        window, window.model, window.state, manage_title=False, document=window.document
    )
    controller.install_drop_target(window.centralWidget() or window)
    QTimer.singleShot(0, lambda: controller.start(getattr(window, "initial_path", None)))

    def on_quit() -> None:
        try:
            if getattr(window, "_force_close", False) or controller._close_confirmed:
                controller.discard_recovery()
            else:
                controller.recovery.shutdown()
        except RuntimeError:  # the window is already gone
            pass

    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(on_quit)
    return controller
