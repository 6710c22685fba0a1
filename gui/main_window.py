"""The main window: diagram in the centre, side panel at the right, toolbar, menus, status bar.

Extension points for the file actions (another module adds them): :attr:`MainWindow.file_menu`,
:meth:`MainWindow.add_file_actions` (inserted above *Quit*) and :attr:`MainWindow.close_guards`
(callables asked before the window closes; any returning False keeps it open).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import engine
from core.model import Mark, Session, Side, Symptom
from gui import theme, theme_setting
from gui.diagram.view import DiagramView
from gui.files import FileController, attach
from gui.panel import atlas_name, atlas_names
from gui.panel.side_panel import SidePanel
from gui.session_model import SessionModel
from gui.state import Mode, Tool, UiState

TOOL_TEXT = {Tool.CLICK: "Click", Tool.BRUSH: "Brush", Tool.ERASER: "Eraser"}
TOOL_TIPS = {
    Tool.CLICK: "Click a zone to mark it with the current symptom; click again to unmark",
    Tool.BRUSH: "Paint part of a zone freehand",
    Tool.ERASER: "Erase painted marks",
}
MODE_TEXT = {Mode.CLINICAL: "Clinical", Mode.EXPLORE: "Explore", Mode.QUIZ: "Quiz"}
OVERLAYS = (
    ("dermatomes", "Dermatomes", "Show the dermatome map of the current atlas"),
    ("nerves", "Nerves", "Show peripheral-nerve territories"),
    ("key_points", "Key points", "Show the ISNCSCI key sensory points"),
    ("disagreement", "Map disagreement", "Show where the published maps disagree"),
)


def app_settings() -> QSettings:
    """The app's settings; ``DERMAMAP_SETTINGS_DIR`` redirects them (tests, portable use)."""
    folder = os.environ.get("DERMAMAP_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "Dermamap.ini"), QSettings.Format.IniFormat)
    return QSettings("Dermamap", "Dermamap")


def learning_status(mode: Mode) -> str:
    """Status bar text in explore and quiz mode ("" in clinical mode): never the analysis or the
    clinical emergency text, which could give a quiz answer away (issue 18)."""
    if mode is Mode.EXPLORE:
        return "Explore mode · your patient's session is set aside"
    if mode is Mode.QUIZ:
        return "Quiz mode · your patient's session is set aside"
    return ""


def symptom_icon(symptom: Symptom, size: int = 16) -> QIcon:
    """A swatch with the symptom's fill colour and pattern (the diagram's own look)."""
    style = theme.symptom_style(symptom)
    icon = QIcon()
    for scale in (1, 2):
        pm = QPixmap(size * scale, size * scale)
        pm.setDevicePixelRatio(scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(0.5, 0.5, size - 1.0, size - 1.0)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(style.fill)
        p.drawRoundedRect(box, 3, 3)
        p.setBrush(QBrush(style.pattern_color, style.pattern))
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QPen(style.pattern_color, 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(box, 3, 3)
        p.end()
        icon.addPixmap(pm)
    return icon


_Key = QKeySequence | QKeySequence.StandardKey | str


class MainWindow(QMainWindow):
    """Dermamap's window."""

    ready = Signal()  # the first frame is shown, FILE opened, the engine tables loaded

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

        self.model = SessionModel(session, self)
        self.state = UiState(self)

        self.diagram = DiagramView(self.model, self.state)
        self.diagram.setObjectName("diagram")
        self.panel = SidePanel(self.model, self.state)
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
        self.panel.analysis_updated.connect(self._update_summary)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
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
        self._build_status_bar()
        self._connect()
        self._update_title()
        self._restore_settings()
        # files, visit details, reports, recovery: adds the File menu actions and a close guard;
        # once the event loop runs it opens FILE and offers back work left over from a crash
        self.files: FileController = attach(self)
        from gui.patient_mode import PatientMode  # large buttons, no results (its own module)

        self.patient_mode = PatientMode(self)
        # print preview, FHIR export, compare with an earlier visit, copy impression (issue 19)
        from gui.documents import install as install_documents

        self.documents = install_documents(self)
        self.installEventFilter(self)

    @property
    def region_list(self) -> QWidget:
        """The keyboard-friendly list of zones (built when its tab is first opened)."""
        if self._region_list is None:
            from gui.diagram.region_list import RegionList

            rl = RegionList(self.model, self.state)
            rl.setObjectName("region_list")
            layout = self._regions_tab.layout()
            assert layout is not None
            layout.addWidget(rl)
            self._region_list = rl
        return self._region_list

    def _panel_tab_changed(self, index: int) -> None:
        if self.panel.tabs.widget(index) is self._regions_tab:
            self.region_list  # noqa: B018  (builds it)

    # construction -------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[..., object] | None = None,
        shortcut: _Key | Iterable[_Key] | None = None,
        tip: str = "",
        checkable: bool = False,
        name: str = "",
    ) -> QAction:
        a = QAction(text, self)
        if name:
            a.setObjectName(name)
        if shortcut is not None:
            if isinstance(shortcut, (str, QKeySequence, QKeySequence.StandardKey)):
                a.setShortcut(QKeySequence(shortcut))
            else:
                a.setShortcuts([QKeySequence(s) for s in shortcut])
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        a.setCheckable(checkable)
        if slot is not None:
            if checkable:
                a.toggled.connect(slot)
            else:
                a.triggered.connect(lambda _checked=False: slot())
        return a

    def _build_actions(self) -> None:
        m, s = self.model, self.state
        self.quit_action = self._action(
            "&Quit", self.close, QKeySequence.StandardKey.Quit, "Quit Dermamap", name="quit"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = m.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = m.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.clear_action = self._action(
            "C&lear All Marks",
            m.clear_marks,
            "Ctrl+Shift+Del",
            "Remove every mark from the diagram (can be undone)",
            name="clear_marks",
        )

        self.clear_action.setIconText("Clear all")
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusive(True)
        self.tool_actions: dict[Tool, QAction] = {}
        for tool in Tool:
            a = self._action(
                TOOL_TEXT[tool], tip=TOOL_TIPS[tool], checkable=True, name=f"tool_{tool.value}"
            )
            a.triggered.connect(lambda _c=False, t=tool: self.state.set_tool(t))
            a.setChecked(s.tool == tool)
            self.tool_group.addAction(a)
            self.tool_actions[tool] = a

        self.symptom_group = QActionGroup(self)
        self.symptom_group.setExclusive(True)
        self.symptom_actions: dict[Symptom, QAction] = {}
        for i, sym in enumerate(Symptom, start=1):
            a = self._action(
                sym.display,
                tip=f"Mark {sym.value} (key {i})",
                checkable=True,
                name=f"symptom_{sym.value}",
                shortcut=f"Ctrl+{i}",
            )
            a.setIcon(symptom_icon(sym))
            a.triggered.connect(lambda _c=False, x=sym: self.state.set_symptom(x))
            a.setChecked(s.symptom == sym)
            self.symptom_group.addAction(a)
            self.symptom_actions[sym] = a

        self.zoom_in_action = self._action(
            "Zoom &In",
            lambda: self._diagram_call("zoom_in"),
            ["Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn],
            "Zoom in",
            name="zoom_in",
        )
        self.zoom_out_action = self._action(
            "Zoom &Out",
            lambda: self._diagram_call("zoom_out"),
            ["Ctrl+-", QKeySequence.StandardKey.ZoomOut],
            "Zoom out",
            name="zoom_out",
        )
        self.fit_action = self._action(
            "&Fit to Window",
            lambda: self._diagram_call("fit_all"),
            "Ctrl+0",
            "Show the whole diagram",
            name="fit",
        )
        self.overlay_actions: dict[str, QAction] = {}
        for key, text, tip in OVERLAYS:
            a = self._action(text, tip=tip, checkable=True, name=f"overlay_{key}")
            a.setChecked(bool(getattr(s, f"show_{key}")))
            a.toggled.connect(lambda on, k=key: self.state.set_overlays(**{k: on}))
            a.toggled.connect(lambda _on: self._update_overlay_button())
            self.overlay_actions[key] = a
        self.panel_action = self._action(
            "Side &Panel",
            self._set_panel_visible,
            "F9",
            "Show or hide the side panel",
            checkable=True,
            name="toggle_panel",
        )
        self.panel_action.setChecked(True)

        self.about_action = self._action(
            "&About Dermamap", self._about, tip="Version, licence", name="about"
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.intended_use_action = self._action(
            "&Intended Use",
            self._intended_use,
            QKeySequence.StandardKey.HelpContents,
            "What Dermamap is for and what it is not",
            name="intended_use",
        )
        self.guide_action = self._action(
            "&Guide", self._guide, tip="How to use clinical, explore and quiz mode", name="guide"
        )
        self.references_action = self._action(
            "&References",
            self._references,
            tip="Every source with its full citation",
            name="references",
        )

    def _build_toolbars(self) -> None:
        tb = QToolBar("Marking")
        tb.setObjectName("marking_toolbar")
        tb.setAccessibleName("Marking tools")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setIconSize(QSize(16, 16))
        for a in self.tool_actions.values():
            tb.addAction(a)
        tb.addSeparator()
        for a in self.symptom_actions.values():
            tb.addAction(a)
        tb.addSeparator()
        size_label = QLabel(" Size ")
        self.brush_spin = QSpinBox()
        self.brush_spin.setObjectName("brush_size")
        self.brush_spin.setRange(2, 80)
        self.brush_spin.setValue(round(self.state.brush_size))
        self.brush_spin.setAccessibleName("Brush size")
        self.brush_spin.setToolTip("Brush diameter (diagram units)")
        self.brush_spin.valueChanged.connect(lambda v: self.state.set_brush_size(v))
        size_label.setBuddy(self.brush_spin)
        tb.addWidget(size_label)
        tb.addWidget(self.brush_spin)
        tb.addSeparator()
        tb.addAction(self.clear_action)
        self.marking_toolbar = tb
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

        vb = QToolBar("Map")
        vb.setObjectName("map_toolbar")
        vb.setAccessibleName("Map and mode")
        vb.setMovable(False)
        vb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        vb.addWidget(QLabel(" Atlas "))
        self.atlas_combo = QComboBox()
        self.atlas_combo.setObjectName("atlas_combo")
        self.atlas_combo.setAccessibleName("Dermatome atlas")
        self.atlas_combo.setToolTip("Which dermatome map the marks are read with")
        for aid in engine.ATLAS_IDS:
            self.atlas_combo.addItem(atlas_names().get(aid, aid), aid)
            self.atlas_combo.setItemData(
                self.atlas_combo.count() - 1, atlas_name(aid), Qt.ItemDataRole.ToolTipRole
            )
        self.atlas_combo.activated.connect(
            lambda i: self.model.set_atlas(str(self.atlas_combo.itemData(i)))
        )
        vb.addWidget(self.atlas_combo)
        vb.addSeparator()
        self.overlay_menu = QMenu("Overlays", self)
        self.overlay_menu.setObjectName("overlay_menu")
        for a in self.overlay_actions.values():
            self.overlay_menu.addAction(a)
        self.overlay_button = QToolButton()
        self.overlay_button.setObjectName("overlay_button")
        self.overlay_button.setText("Overlays")
        self.overlay_button.setAccessibleName("Map overlays")
        self.overlay_button.setToolTip("Dermatomes, nerves, key points, map disagreement")
        self.overlay_button.setMenu(self.overlay_menu)
        self.overlay_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.overlay_menu.aboutToShow.connect(self._sync_overlays)
        vb.addWidget(self.overlay_button)
        self._update_overlay_button()
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        vb.addWidget(spacer)
        vb.addWidget(QLabel(" Mode "))
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("mode_combo")
        self.mode_combo.setAccessibleName("Mode")
        self.mode_combo.setToolTip("Clinical: mark a patient's symptoms. Explore and Quiz: learn")
        for mode in Mode:
            self.mode_combo.addItem(MODE_TEXT[mode], mode.value)
        self.mode_combo.activated.connect(
            lambda i: self.state.set_mode(str(self.mode_combo.itemData(i)))
        )
        vb.addWidget(self.mode_combo)
        self.map_toolbar = vb
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, vb)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.file_menu = mb.addMenu("&File")
        self.file_menu.setObjectName("file_menu")
        self._file_sep = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = mb.addMenu("&Edit")
        self.edit_menu.setObjectName("edit_menu")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.clear_action)

        self.view_menu = mb.addMenu("&View")
        self.view_menu.setObjectName("view_menu")
        for a in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            self.view_menu.addAction(a)
        self.view_menu.addSeparator()
        for a in self.overlay_actions.values():
            self.view_menu.addAction(a)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.panel_action)
        self.theme_menu = theme_setting.install(self, self.view_menu)  # View -> Theme

        self.mark_menu = mb.addMenu("&Mark")
        self.mark_menu.setObjectName("mark_menu")
        for a in self.tool_actions.values():
            self.mark_menu.addAction(a)
        self.mark_menu.addSeparator()
        for a in self.symptom_actions.values():
            self.mark_menu.addAction(a)

        self.help_menu = mb.addMenu("&Help")
        self.help_menu.setObjectName("help_menu")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.intended_use_action)
        self.help_menu.addAction(self.references_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def add_file_actions(self, actions: Iterable[QAction | None]) -> None:
        """Insert file actions (``None`` = separator) above *Quit* in the File menu."""
        for a in actions:
            if a is None:
                self.file_menu.insertSeparator(self._file_sep)
            else:
                self.file_menu.insertAction(self._file_sep, a)

    _SUMMARY_STEP = 48

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        sb.setObjectName("status_bar")
        self.hover_label = QLabel()
        self.hover_label.setObjectName("hovered_zone")
        self.hover_label.setAccessibleName("Zone under the pointer")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("status_summary")
        self.summary_label.setAccessibleName("Summary")
        sb.addWidget(self.hover_label, 1)
        sb.addPermanentWidget(self.summary_label)
        # a fixed size (width grown or shrunk in steps, see _update_summary): a new summary on
        # each click then only repaints the label instead of relaying out the status bar
        self.summary_label.setFixedHeight(self.summary_label.sizeHint().height())
        self.summary_label.setFixedWidth(self._SUMMARY_STEP)

    def _connect(self) -> None:
        m, s = self.model, self.state
        s.tool_changed.connect(self._sync_tool)
        s.symptom_changed.connect(self._sync_symptom)
        s.brush_size_changed.connect(self._sync_brush)
        s.overlays_changed.connect(self._sync_overlays)
        s.mode_changed.connect(self._sync_mode)
        s.mode_changed.connect(lambda _m: self._update_summary())
        s.hovered_zone_changed.connect(self._hovered)
        m.atlas_changed.connect(lambda _a: self._sync_atlas())
        m.session_replaced.connect(self._sync_atlas)
        m.session_replaced.connect(self._sync_editing)  # entering/leaving a quiz's scratch
        m.session_replaced.connect(self._update_title)
        m.path_changed.connect(lambda _p: self._update_title())
        m.undo_group.cleanChanged.connect(lambda _c: self._update_title())
        m.marks_changed.connect(self._update_summary)
        self._sync_tool()
        self._sync_atlas()
        self._update_summary()

    # sync from state/model ----------------------------------------------------------------
    def _sync_tool(self, *_: object) -> None:
        self.tool_actions[self.state.tool].setChecked(True)
        self.brush_spin.setEnabled(self.state.tool in (Tool.BRUSH, Tool.ERASER))

    def _sync_symptom(self, *_: object) -> None:
        self.symptom_actions[self.state.symptom].setChecked(True)

    def _sync_brush(self, *_: object) -> None:
        v = round(self.state.brush_size)
        if self.brush_spin.value() != v:
            self.brush_spin.blockSignals(True)
            self.brush_spin.setValue(v)
            self.brush_spin.blockSignals(False)

    def _sync_overlays(self) -> None:
        locked = self.state.overlays_locked  # a quiz question is open (issue 18)
        for key, a in self.overlay_actions.items():
            on = self.state.overlay_choice(key) and not locked
            if a.isChecked() != on:
                a.blockSignals(True)
                a.setChecked(on)
                a.blockSignals(False)
            a.setEnabled(not locked)
        self.overlay_button.setEnabled(not locked)
        self.overlay_button.setToolTip(
            "Overlays are locked until you answer the question"
            if locked
            else "Dermatomes, nerves, key points, map disagreement"
        )
        self._update_overlay_button()

    def _update_overlay_button(self) -> None:
        on = [a.text() for a in self.overlay_actions.values() if a.isChecked()]
        self.overlay_button.setText(f"Overlays ({len(on)})" if on else "Overlays")
        self.overlay_button.setAccessibleDescription(
            "Shown: " + ", ".join(on) if on else "No overlay shown"
        )

    def _sync_mode(self, *_: object) -> None:
        mode = self.state.mode
        i = self.mode_combo.findData(mode.value)
        if i >= 0 and i != self.mode_combo.currentIndex():
            self.mode_combo.setCurrentIndex(i)
        self.side_stack.setCurrentWidget(self._mode_panel(mode))
        self._sync_editing()

    def _sync_editing(self, *_: object) -> None:
        """Learning never touches the clinical session: outside clinical mode, marks can only be
        edited in a quiz's scratch session (explore mode and a quiz not yet started are
        read-only); in a quiz only a question that asks for marks takes them (issue 18)."""
        quiz_marks = bool(getattr(self.quiz_panel, "accepts_marks", True))
        editing = self.state.mode is Mode.CLINICAL or (self.model.in_scratch and quiz_marks)
        self.model.set_read_only(not editing)
        for a in (*self.tool_actions.values(), *self.symptom_actions.values(), self.clear_action):
            a.setEnabled(editing)
        self.brush_spin.setEnabled(editing and self.state.tool in (Tool.BRUSH, Tool.ERASER))

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
            self.side_stack.addWidget(quiz)
            quiz.sync_mode()
            quiz.accepts_marks_changed.connect(self._sync_editing)
            self.quiz_panel = quiz
        return self.quiz_panel

    def _sync_atlas(self) -> None:
        i = self.atlas_combo.findData(self.model.session.atlas)
        if i >= 0 and i != self.atlas_combo.currentIndex():
            self.atlas_combo.setCurrentIndex(i)

    def _hovered(self, side: str, zone: str) -> None:
        if not zone:
            self.hover_label.setText("")
            return
        from core.zones import display_name

        self.hover_label.setText(
            f"{side.capitalize()} {display_name(zone).lower()}" if side else display_name(zone)
        )

    def _update_summary(self) -> None:
        text = learning_status(self.state.mode)  # issue 18: no analysis while learning
        if not text:
            n = len({m.key for m in self.model.session.marks})
            parts = [f"{n} zone{'s' if n != 1 else ''} marked"] if n else ["Nothing marked"]
            summary = self.panel.summary()
            if summary:
                parts.append(summary)
            text = " · ".join(parts)
        lab = self.summary_label
        if lab.text() == text:
            return
        lab.setText(text)
        m = lab.contentsMargins()
        need = lab.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2 * lab.margin()
        step = self._SUMMARY_STEP
        if need > lab.width() or need < lab.width() - 2 * step:
            lab.setFixedWidth((need // step + 1) * step)

    def _update_title(self) -> None:
        path = self.model.path
        if path:
            self.setWindowFilePath(str(path))
            self.setWindowTitle(f"{Path(path).name}[*] — Dermamap")
        else:
            self.setWindowFilePath("")
            self.setWindowTitle("Dermamap[*]")
        if not self.model.in_scratch:
            self.setWindowModified(self.model.is_modified())

    # actions ------------------------------------------------------------------------------
    def _diagram_call(self, name: str) -> None:
        getattr(self.diagram, name)()

    def _set_panel_visible(self, on: bool) -> None:
        self.side_stack.setVisible(on)

    def _about(self) -> None:
        from gui.about import show_about

        show_about(self)

    def _guide(self) -> None:
        from gui.guide import show_guide

        show_guide(self)

    def _intended_use(self) -> None:
        from gui.about import show_intended_use

        show_intended_use(self)

    def _references(self) -> None:
        from gui.panel.references_dialog import show_references

        show_references(self)

    def refresh_theme(self) -> None:
        """Re-read theme colours after a light/dark switch."""
        for sym, a in self.symptom_actions.items():
            a.setIcon(symptom_icon(sym))
        self.panel.refresh_theme()
        self.diagram.update()

    # settings -----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        st = app_settings()
        geo = st.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            screen = QApplication.primaryScreen()
            avail = screen.availableGeometry() if screen else None
            if avail is not None:
                # never larger than the screen, frame included (a restored geometry would be
                # clamped to it, and the next start's window would differ from this one)
                w = min(avail.width() - 32, 1440, max(900, int(avail.width() * 0.92)))
                h = min(avail.height() - 32, 900, max(600, int(avail.height() * 0.9)))
                self.resize(w, h)
                self.move(avail.center().x() - w // 2, avail.center().y() - h // 2)
            else:
                self.resize(1280, 760)
        state = st.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        split = st.value("window/splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:
            panel = max(400, min(480, self.width() // 3))
            self.splitter.setSizes([max(400, self.width() - panel), panel])
        shown = st.value("window/panel_visible", True)
        self.panel_action.setChecked(shown not in (False, "false", "0", 0))

    def save_settings(self) -> None:
        self.patient_mode.leave()  # the clinician's bars and panel are what is saved
        st = app_settings()
        st.setValue("window/geometry", self.saveGeometry())
        st.setValue("window/state", self.saveState())
        st.setValue("window/splitter", self.splitter.saveState())
        st.setValue("window/panel_visible", self.panel_action.isChecked())
        from gui.file_safety import secure_settings

        secure_settings(st)  # owner-only (issue 17)

    def discard_and_close(self) -> None:
        """Close without asking (``--quit-when-ready``, tests)."""
        self._force_close = True
        self.close()

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
        """Once the window is on screen (and FILE is open): load the engine's tables, then
        ``ready``."""
        self.first_paint_time = time.perf_counter()
        warm = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),))
        for aid in engine.ATLAS_IDS:  # the first click finds the engine's tables built
            engine.analyze(warm, atlas=aid)
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
