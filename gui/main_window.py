"""The main window: diagram in the centre, side panel at the right, toolbar, menus, status bar.

Its actions, toolbars and menus are built by its base class (:mod:`gui.window_actions`), its
remembered layout is in :mod:`gui.window_settings` and its status bar in :mod:`gui.status_bar`;
this module lays the window out, follows the modes (which side panel, which session the diagram
shows, whether it can be edited), keeps the title and handles closing.

Extension points for the file actions (another module adds them): :attr:`MainWindow.file_menu`,
:meth:`MainWindow.add_file_actions` (inserted above *Quit*) and :attr:`MainWindow.close_guards`
(callables asked before the window closes; any returning False keeps it open).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QResizeEvent,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.model import Session, Side
from gui import theme, theme_setting
from gui.diagram.empty_hint import EmptyHint
from gui.diagram.view import DiagramView
from gui.document import Document
from gui.file_safety import window_title
from gui.files import FileController, attach
from gui.panel.labels import tab_in_layout_order
from gui.panel.side_panel import SidePanel
from gui.state import Mode, Tool, UiState
from gui.status_bar import StatusBarLabels
from gui.window_actions import WindowActions
from gui.window_settings import restore_window, save_window


class DiagramFirstSplitter(QSplitter):
    """The diagram beside the side panel. A narrower window used to take all its width from
    the diagram (the panel kept its 400 pixels: a 280-pixel diagram at half a laptop screen).
    While the diagram would be the narrower, the panel now gives up width, down to its minimum,
    and takes back the width it had (or the user gave it) when the window widens again."""

    def __init__(self, orientation: Qt.Orientation) -> None:
        super().__init__(orientation)
        self._panel_width = 0  # the panel's width as set at start or by dragging the handle
        self.splitterMoved.connect(lambda *_: self._remember())

    def _remember(self) -> None:
        self._panel_width = self.sizes()[1]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        side = self.widget(1)
        if self.count() != 2 or side is None or side.isHidden():
            return
        diagram, panel = self.sizes()
        if not self._panel_width:
            self._panel_width = panel
        total = diagram + panel
        want = min(self._panel_width, max(side.minimumSizeHint().width(), total // 2))
        if want != panel:
            self.setSizes([total - want, want])


class MainWindow(WindowActions):
    """Dermamap's window."""

    ready = Signal()  # the first frame is shown and FILE opened

    def __init__(
        self,
        initial_path: str | None = None,
        session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.initial_path = initial_path
        self.first_paint_time: float | None = None
        self.ready_time: float | None = None
        self.is_ready = False
        self.close_guards: list[Callable[[], bool]] = []
        self._force_close = False
        self._paint_seen = False

        self.document = Document(parent=self, session=session)
        self.model = self.document.model  # the clinical session (modes never replace it)
        self.state = UiState(self)
        # Undo/Redo follow the session on screen: the clinical one, or a quiz's scratch session
        self.undo_group = QUndoGroup(self)
        self.undo_group.addStack(self.model.undo_stack)
        self.undo_group.setActiveStack(self.model.undo_stack)

        self.diagram = DiagramView(self.model, self.state)
        self.diagram.setObjectName("diagram")
        self.empty_hint = EmptyHint(self.diagram, self.model, self.state)  # how to start
        self.panel = SidePanel(self.document, self.state)
        # the region list's tab is not shown at first: built when the tab is opened or
        # ``region_list`` is read
        self._region_list: QWidget | None = None
        self._regions_tab = QWidget()
        self._regions_tab.setObjectName("regions_tab")
        self._regions_tab.setAccessibleName("Regions")
        regions_lay = QVBoxLayout(self._regions_tab)
        regions_lay.setContentsMargins(0, 0, 0, 0)
        self.panel.add_tab(self._regions_tab, "Re&gions", "Every zone as a keyboard-friendly list")
        self.panel.tabs.currentChanged.connect(self._panel_tab_changed)

        self.splitter = DiagramFirstSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.setAccessibleName("Diagram and panel")
        self.splitter.addWidget(self.diagram)
        # The right-hand side: the clinical panel, or the explore / quiz panel (made on first use).
        self.side_stack = QStackedWidget()
        self.side_stack.setObjectName("side_stack")
        self.side_stack.setAccessibleName("Side panel")
        self.side_stack.addWidget(self.panel)
        self.explore_panel: QWidget | None = None
        self.quiz_panel: QWidget | None = None
        self.splitter.addWidget(self.side_stack)
        self.splitter.setStretchFactor(0, 1)  # extra width goes to the diagram
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_toolbars()
        self._build_menus()
        self.theme_menu = theme_setting.install(self, self.view_menu)  # View -> Theme
        self._build_status_bar()
        self._connect()
        self._update_title()
        restore_window(self, self.splitter, self.panel_action)
        # files, visit details, reports, recovery: adds the File menu actions and a close guard;
        # once the event loop runs it opens FILE and offers back work left over from a crash
        self.files: FileController = attach(self)
        self.files.read_only_changed.connect(self._update_title)
        from gui.patient_mode import PatientMode  # large buttons, no results (its own module)

        self.patient_mode = PatientMode(self)
        self.patient_mode.changed.connect(self.empty_hint.set_patient_mode)
        self.close_guards.insert(0, self.patient_mode.close_guard)  # before asking to save
        # print preview, FHIR export, compare with an earlier visit, copy impression (issue 19)
        from gui.documents import install as install_documents

        self.documents = install_documents(self)
        self.installEventFilter(self)

    @property
    def region_list(self) -> QWidget:
        """The keyboard-friendly list of zones (built when its tab is first opened)."""
        if self._region_list is None:
            from gui.diagram.region_list import RegionList

            rl = RegionList(self.on_screen, self.state)
            rl.setObjectName("region_list")
            layout = self._regions_tab.layout()
            assert layout is not None
            layout.addWidget(rl)
            tab_in_layout_order(rl, after=self.panel.tabs.tabBar())
            self._region_list = rl
        return self._region_list

    def _panel_tab_changed(self, index: int) -> None:
        if self.panel.tabs.widget(index) is self._regions_tab:
            self.region_list  # noqa: B018  (builds it)

    # construction -------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.status = StatusBarLabels(self.statusBar(), self.document, self.state)
        self.hover_label = self.status.hover_label
        self.summary_label = self.status.summary_label

    def _connect(self) -> None:
        m, s = self.model, self.state
        s.tool_changed.connect(self._sync_tool)
        s.symptom_changed.connect(self._sync_symptom)
        s.brush_size_changed.connect(self._sync_brush)
        s.overlays_changed.connect(self._sync_overlays)
        s.mode_changed.connect(self._sync_mode)
        s.hovered_zone_changed.connect(self.status.show_hovered)
        s.current_zone_changed.connect(self.status.show_hovered)  # the keyboard's zone too
        m.atlas_changed.connect(lambda _a: self._sync_atlas())
        m.session_replaced.connect(self._sync_atlas)
        s.learning_changed.connect(self._sync_editing)  # a quiz's scratch session came or went
        for signal in (s.mode_changed, s.learning_changed, s.learning_atlas_changed):
            signal.connect(self._sync_atlas)  # the map in use outside clinical mode
        s.read_only_changed.connect(self._sync_editing)
        m.session_replaced.connect(self._update_title)
        m.path_changed.connect(self._update_title)
        m.undo_stack.cleanChanged.connect(self._update_title)
        self._sync_tool()
        self._sync_atlas()

    # sync from state/model ----------------------------------------------------------------
    def _sync_mode(self, *_: object) -> None:
        mode = self.state.mode
        i = self.mode_combo.findData(mode.value)
        if i >= 0 and i != self.mode_combo.currentIndex():
            self.mode_combo.setCurrentIndex(i)
        self.mode_actions[mode].setChecked(True)
        self.side_stack.setCurrentWidget(self._mode_panel(mode))
        self._sync_editing()

    def _sync_editing(self, *_: object) -> None:
        """Learning never touches the clinical session: outside clinical mode, marks can only be
        edited in a quiz's scratch session (explore mode, a quiz not yet started and a question
        that does not ask for marks are read-only: :attr:`UiState.read_only`)."""
        shown = self.on_screen
        self.diagram.set_model(shown)
        if self._region_list is not None:
            self._region_list.set_model(shown)  # type: ignore[attr-defined]
        for stack in self.undo_group.stacks():
            if stack is not self.model.undo_stack and stack is not shown.undo_stack:
                self.undo_group.removeStack(stack)
        if shown.undo_stack not in self.undo_group.stacks():
            self.undo_group.addStack(shown.undo_stack)
        editing = not self.state.read_only
        # Qt accepts a null stack (undo/redo become unavailable); the stub does not say so.
        self.undo_group.setActiveStack(shown.undo_stack if editing else None)  # type: ignore[arg-type]
        for a in (*self.tool_actions.values(), *self.symptom_actions.values(), self.clear_action):
            a.setEnabled(editing)
        self.brush_size_box.setEnabled(editing and self.state.tool in (Tool.BRUSH, Tool.ERASER))

    def _mode_panel(self, mode: Mode) -> QWidget:
        """The side widget for ``mode``; the learning panels are built on first use."""
        if mode is Mode.CLINICAL:
            return self.panel
        if mode is Mode.EXPLORE:
            if self.explore_panel is None:
                from gui.learn.explore_panel import ExplorePanel

                explore = ExplorePanel(self.model, self.state)
                explore.setObjectName("explore_panel")
                self.side_stack.addWidget(explore)
                explore.sync_mode()
                self.explore_panel = explore
            return self.explore_panel
        if self.quiz_panel is None:
            from gui.learn.quiz_panel import QuizPanel

            quiz = QuizPanel(self.model, self.state)
            quiz.setObjectName("quiz_panel")
            quiz.attach_diagram(self.diagram)
            self.side_stack.addWidget(quiz)
            quiz.sync_mode()
            self.quiz_panel = quiz
        return self.quiz_panel

    def _update_title(self, *_: object) -> None:
        """The title (:func:`gui.file_safety.window_title`): the file's name, "(read-only)" when
        the user cannot write it, the modified mark."""
        path = self.model.path
        self.setWindowFilePath(str(path) if path else "")
        files = getattr(self, "files", None)  # (made after the first title)
        read_only = files is not None and files.read_only
        self.setWindowTitle(window_title(Path(path) if path else None, read_only))
        self.setWindowModified(self.model.is_modified())

    # actions ------------------------------------------------------------------------------
    def refresh_theme(self) -> None:
        """Re-read theme colours after a light/dark switch."""
        for sym, a in self.symptom_actions.items():
            a.setIcon(theme.symptom_icon(sym))
        self.panel.refresh_theme()
        self.status.refresh_theme()
        self.empty_hint.refresh_theme()
        self.diagram.update()

    # settings -----------------------------------------------------------------------------
    def save_settings(self) -> None:
        self.patient_mode.leave()  # the clinician's bars and panel are what is saved
        save_window(self, self.splitter, self.panel_action)

    def discard_and_close(self) -> None:
        """Close without asking (``--quit-when-ready``, tests)."""
        self._force_close = True
        self.close()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap_toolbars()

    def _wrap_toolbars(self) -> None:
        """In a window narrower than both toolbars on one row, the map toolbar (atlas, overlays,
        mode, patient mode) takes a row of its own: behind the first one's arrow, Mode and
        Patient Mode could not be seen below about 1,200 pixels (a UX review)."""
        bars = (self.marking_toolbar, self.map_toolbar)
        need = sum(bar.sizeHint().width() for bar in bars)
        wrap = self.width() < need
        if wrap != self.toolBarBreak(self.map_toolbar):
            if wrap:
                self.insertToolBarBreak(self.map_toolbar)
            else:
                self.removeToolBarBreak(self.map_toolbar)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._force_close:
            for guard in self.close_guards:
                if not guard():
                    event.ignore()
                    return
        self.save_settings()
        event.accept()

    # after the first frame ----------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            obj is self
            and not self._paint_seen
            and event.type() in (QEvent.Type.UpdateRequest, QEvent.Type.Paint)
            and self.isVisible()
        ):
            self._paint_seen = True
            self.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return False

    def _after_first_paint(self) -> None:
        """Once the window is on screen (and FILE is open): ``ready``. The engine builds each
        atlas's tables on its first analysis (about 20 ms for the four)."""
        self.first_paint_time = time.perf_counter()
        self.is_ready = True
        self.ready_time = time.perf_counter()
        self.ready.emit()

    def zone_viewport_pos(self, zone: str, side: str) -> tuple[int, int] | None:
        """A point inside ``zone`` in the diagram viewport's coordinates (None if not shown)."""
        from core.geometry import interior_point, load_diagram

        view = self.diagram
        vp = view.viewport()
        for shape in load_diagram().shapes_of(zone, Side(side)):
            x, y = interior_point(shape)
            p = view.mapFromScene(x, y)
            if not vp.rect().contains(p):
                continue
            item = view.zone_item_at(p)
            key = getattr(item, "key", None)
            if item is not None and (key is None or tuple(key) == (shape.id, Side(side))):
                return (p.x(), p.y())
        return None

    def zone_global_pos(self, zone: str, side: str) -> tuple[int, int] | None:
        from PySide6.QtCore import QPoint

        p = self.zone_viewport_pos(zone, side)
        if p is None:
            return None
        g = self.diagram.viewport().mapToGlobal(QPoint(*p))
        return (g.x(), g.y())
