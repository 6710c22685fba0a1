"""The File menu's actions of :class:`gui.files.FileController` and where they go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from core.visit_dates import follow_up
from gui.recent_files import RecentFiles

if TYPE_CHECKING:
    from gui.files import FileController


def _action(
    ctrl: FileController, text: str, slot: Callable[[], object], shortcut: Any = None, tip: str = ""
) -> QAction:
    act = QAction(text, ctrl)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut))
    if tip:
        act.setStatusTip(tip)
        act.setToolTip(tip)
    act.triggered.connect(lambda _checked=False: slot())
    return act


def make_actions(ctrl: FileController) -> None:
    """Create the controller's actions and its Open Recent menu."""
    std = QKeySequence.StandardKey
    ctrl.new_action = _action(ctrl, "&New", ctrl.new, std.New, "Start a new, empty session")
    ctrl.new_visit_action = _action(
        ctrl,
        "New Visit of &This Patient",
        lambda: ctrl.new(follow_up(ctrl.model.session, date.today())),
        "Ctrl+Shift+N",
        "A new, empty session dated today that keeps the patient's details (for a follow-up)",
    )
    ctrl.open_action = _action(
        ctrl, "&Open…", ctrl.open_dialog, std.Open, "Open a saved session file"
    )
    ctrl.save_action = _action(ctrl, "&Save", ctrl.save, std.Save, "Save the session")
    ctrl.save_as_action = _action(
        ctrl, "Save &As…", ctrl.save_as, std.SaveAs, "Save the session to a new file"
    )
    ctrl.visit_action = _action(
        ctrl,
        "&Visit Details…",
        ctrl.edit_visit,
        "Ctrl+I",
        "Patient identifier, date, examiner and notes (kept on this computer only)",
    )
    ctrl.export_pdf_action = _action(
        ctrl, "&Export PDF Report…", ctrl.export_pdf, "Ctrl+E", "Write the report as a PDF file"
    )
    ctrl.export_png_action = _action(
        ctrl, "Export &Diagram PNG…", ctrl.export_png, None, "Save the diagram as a picture"
    )
    ctrl.export_csv_action = _action(
        ctrl, "Export &CSV…", ctrl.export_csv, None, "Marks and hypotheses as a spreadsheet"
    )
    ctrl.print_action = _action(ctrl, "&Print…", ctrl.print_report, std.Print, "Print the report")
    ctrl.recent = RecentFiles(ctrl.settings, ctrl.window, ctrl.open_recent)


def _menu_items(ctrl: FileController) -> list[QAction | QMenu | None]:
    """The File menu's entries in order (``None``: a separator)."""
    return [
        ctrl.new_action,
        ctrl.new_visit_action,
        ctrl.open_action,
        ctrl.recent.menu,
        None,
        ctrl.save_action,
        ctrl.save_as_action,
        None,
        ctrl.visit_action,
        None,
        ctrl.export_pdf_action,
        ctrl.export_png_action,
        ctrl.export_csv_action,
        ctrl.print_action,
    ]


def install_menu(ctrl: FileController, menu: QMenu | None) -> None:
    """Put the actions in ``menu``, the window's File menu or the window itself."""
    adder = getattr(ctrl.window, "add_file_actions", None)
    if menu is None and callable(adder):  # MainWindow's extension point (above Quit)
        items = _menu_items(ctrl)
        adder([i.menuAction() if isinstance(i, QMenu) else i for i in items] + [None])
        ctrl.file_menu = getattr(ctrl.window, "file_menu", None)
        return
    if menu is None and isinstance(ctrl.window, QMainWindow):
        bar = ctrl.window.menuBar()
        for act in bar.actions():
            sub = act.menu()
            if isinstance(sub, QMenu) and sub.title().replace("&", "").strip() == "File":
                menu = sub
                break
        if menu is None:
            menu = QMenu("&File", ctrl.window)
            first = bar.actions()[0] if bar.actions() else None
            if first is not None:
                bar.insertMenu(first, menu)
            else:
                bar.addMenu(menu)
    if menu is None:
        for act in ctrl.actions():
            ctrl.window.addAction(act)
        return
    ctrl.file_menu = menu
    existing = menu.actions()
    before = existing[0] if existing else None

    def add(item: QAction | QMenu | None) -> None:
        if item is None:
            sep = QAction(ctrl)
            sep.setSeparator(True)
            menu.insertAction(before, sep) if before else menu.addAction(sep)
        elif isinstance(item, QMenu):
            menu.insertMenu(before, item) if before else menu.addMenu(item)
        else:
            menu.insertAction(before, item) if before else menu.addAction(item)

    for item in _menu_items(ctrl):
        add(item)
    if before is not None:
        add(None)
