"""The main window's actions, toolbars and menus, and the slots that keep them in step.

:class:`WindowActions` is the base class of :class:`gui.main_window.MainWindow`: it builds the
actions (undo/redo follow the window's undo group; the tools, symptoms and overlays write to the
UI state), the two toolbars and the menus, and mirrors the UI state and the session's atlas back
into them. The window itself (layout, modes, title, closing) is in :mod:`gui.main_window`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from core.model import Symptom
from gui import theme
from gui.diagram.view import DiagramView
from gui.document import ATLAS_IDS
from gui.panel import atlas_name, atlas_names
from gui.session_model import SessionModel
from gui.state import Mode, Tool, UiState

TOOL_TEXT = {Tool.CLICK: "&Click", Tool.BRUSH: "&Brush", Tool.ERASER: "&Eraser"}
TOOL_TIPS = {
    Tool.CLICK: "Click a zone to mark it with the current symptom; click again to unmark",
    Tool.BRUSH: "Paint part of a zone freehand",
    Tool.ERASER: "Erase the marks under the stroke, or click a zone to erase it (every symptom)",
}
MODE_TEXT = {Mode.CLINICAL: "Clinical", Mode.EXPLORE: "Explore", Mode.QUIZ: "Quiz"}
MODE_TIPS = {
    Mode.CLINICAL: "Mark a patient's symptoms and read the analysis",
    Mode.EXPLORE: "Learn the dermatome and nerve maps (the patient's marks are set aside)",
    Mode.QUIZ: "Test yourself on the maps, key points, myotomes and short cases",
}
OVERLAYS = (
    ("dermatomes", "&Dermatomes", "Show the dermatome map of the current atlas"),
    ("nerves", "&Nerves", "Show peripheral-nerve territories"),
    ("key_points", "&Key points", "Show the ISNCSCI key sensory points"),
    ("disagreement", "&Map disagreement", "Show where the published maps disagree"),
)


_Key = QKeySequence | QKeySequence.StandardKey | str


class WindowActions(QMainWindow):
    """Actions, toolbars and menus of the main window (its base class)."""

    # made by the window before it calls _build_actions / _build_toolbars / _build_menus
    model: SessionModel
    state: UiState
    undo_group: QUndoGroup
    diagram: DiagramView
    side_stack: QStackedWidget

    def _choose_symptom(self, symptom: Symptom) -> None:
        """Mark this symptom: with the eraser on, choosing one goes back to clicking (a new
        user who followed the empty diagram's line, with the eraser still on, clicked zones
        and nothing happened)."""
        self.state.set_symptom(symptom)
        if self.state.tool is Tool.ERASER:
            self.state.set_tool(Tool.CLICK)

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
            else:  # each key once: a key listed twice (Ctrl++ and the standard zoom-in key,
                # the same here) is "ambiguous" to Qt, and the action never fired
                keys = {QKeySequence(k).toString(): QKeySequence(k) for k in shortcut}
                a.setShortcuts(list(keys.values()))
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
        s = self.state
        self.quit_action = self._action(
            "&Quit", self.close, QKeySequence.StandardKey.Quit, "Quit Dermamap", name="quit"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setObjectName("undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setObjectName("redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.clear_action = self._action(
            "C&lear All Marks",
            self._clear_marks,
            "Ctrl+Shift+Del",
            "Remove every mark from the diagram (can be undone)",
            name="clear_marks",
        )

        self.clear_action.setIconText("Clear marks")  # the findings stay: not "Clear all"
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
            keys = QKeySequence(f"Ctrl+{i}")
            a = self._action(
                f"&{sym.display}",
                tip=f"Mark {sym.value} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})",
                checkable=True,
                name=f"symptom_{sym.value}",
                shortcut=keys,
            )
            a.setIcon(theme.symptom_icon(sym))
            a.triggered.connect(lambda _c=False, x=sym: self._choose_symptom(x))
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
            "&Side Panel",
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
            "&Guide",
            self._guide,
            tip="How to use clinical, explore, quiz and patient mode",
            name="guide",
        )
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts",
            self._shortcuts,
            tip="Every key the window answers to",
            name="keyboard_shortcuts",
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
        self.brush_spin = QSpinBox()
        self.brush_spin.setObjectName("brush_size")
        self.brush_spin.setRange(2, 80)
        self.brush_spin.setValue(round(self.state.brush_size))
        self.brush_spin.setAccessibleName("Brush size")
        self.brush_spin.setToolTip("Brush diameter (diagram units)")
        self.brush_spin.valueChanged.connect(lambda v: self.state.set_brush_size(v))
        # the label and its spin box are enabled together (the size is for brush and eraser)
        self.brush_size_box = _labelled("Size", self.brush_spin)
        tb.addWidget(self.brush_size_box)
        tb.addSeparator()
        tb.addAction(self.clear_action)
        self.marking_toolbar = tb
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

        vb = QToolBar("Map")
        vb.setObjectName("map_toolbar")
        vb.setAccessibleName("Map and mode")
        vb.setMovable(False)
        vb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.atlas_combo = QComboBox()
        self.atlas_combo.setObjectName("atlas_combo")
        self.atlas_combo.setAccessibleName("Dermatome atlas")
        self.atlas_combo.setToolTip("Which dermatome map the marks are read with")
        for aid in ATLAS_IDS:
            self.atlas_combo.addItem(atlas_names().get(aid, aid), aid)
            self.atlas_combo.setItemData(
                self.atlas_combo.count() - 1, atlas_name(aid), Qt.ItemDataRole.ToolTipRole
            )
        self.atlas_combo.activated.connect(
            lambda i: self._choose_atlas(str(self.atlas_combo.itemData(i)))
        )
        vb.addWidget(_labelled("Atlas", self.atlas_combo))
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
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("mode_combo")
        self.mode_combo.setAccessibleName("Mode")
        self.mode_combo.setToolTip("Clinical: mark a patient's symptoms. Explore and Quiz: learn")
        for mode in Mode:
            self.mode_combo.addItem(MODE_TEXT[mode], mode.value)
        self.mode_combo.activated.connect(
            lambda i: self.state.set_mode(str(self.mode_combo.itemData(i)))
        )
        vb.addWidget(_labelled("Mode", self.mode_combo))
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
        # the modes in the menu too: in a window under about 1,100 pixels the toolbar's mode
        # selector sits behind its overflow arrow
        self.mode_menu = self.view_menu.addMenu("Mod&e")
        self.mode_group = QActionGroup(self)
        self.mode_group.setExclusive(True)
        self.mode_actions: dict[Mode, QAction] = {}
        for mode in Mode:
            a = self._action(f"&{MODE_TEXT[mode]}", tip=MODE_TIPS[mode], checkable=True)
            a.setObjectName(f"mode_{mode.value}")
            a.setChecked(mode is self.state.mode)
            a.triggered.connect(lambda _c=False, m=mode: self.state.set_mode(m))
            self.mode_group.addAction(a)
            self.mode_menu.addAction(a)
            self.mode_actions[mode] = a

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
        self.help_menu.addAction(self.shortcuts_action)
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

    def _sync_tool(self, *_: object) -> None:
        self.tool_actions[self.state.tool].setChecked(True)
        self.brush_size_box.setEnabled(self.state.tool in (Tool.BRUSH, Tool.ERASER))

    def _sync_symptom(self, *_: object) -> None:
        self.symptom_actions[self.state.symptom].setChecked(True)

    def _sync_brush(self, *_: object) -> None:
        v = round(self.state.brush_size)
        if self.brush_spin.value() != v:
            with QSignalBlocker(self.brush_spin):
                self.brush_spin.setValue(v)

    def _sync_overlays(self) -> None:
        locked = self.state.overlays_locked  # a quiz question is open (issue 18)
        for key, a in self.overlay_actions.items():
            on = self.state.overlay_choice(key) and not locked
            if a.isChecked() != on:
                with QSignalBlocker(a):
                    a.setChecked(on)
            a.setEnabled(not locked)
        self.overlay_button.setEnabled(not locked)
        self.overlay_button.setToolTip(
            "Overlays are locked until you answer the question"
            if locked
            else "Dermatomes, nerves, key points, map disagreement"
        )
        self._update_overlay_button()

    def _update_overlay_button(self) -> None:
        on = [a.iconText() for a in self.overlay_actions.values() if a.isChecked()]
        self.overlay_button.setText(f"Overlays ({len(on)})" if on else "Overlays")
        self.overlay_button.setAccessibleDescription(
            "Shown: " + ", ".join(on) if on else "No overlay shown"
        )

    def _clear_marks(self) -> None:
        """Clear all marks and say how to get them back (a click on the toolbar's Clear marks
        emptied the drawing without a word)."""
        n = len(self.on_screen.session.marks)
        self.on_screen.clear_marks()
        if n:
            undo = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            self.statusBar().showMessage(
                f"Cleared {n} mark{'s' if n != 1 else ''}: Edit › Undo ({undo}) brings "
                f"{'them' if n != 1 else 'it'} back.",
                10000,
            )

    @property
    def on_screen(self) -> SessionModel:
        """The session the diagram shows and edits: a quiz's scratch session, or the clinical
        one."""
        return self.state.learning or self.model

    def _choose_atlas(self, atlas: str) -> None:
        """The map chosen in the toolbar: the clinical session's in clinical mode, the learning
        modes' own outside it (:attr:`UiState.learning_atlas`)."""
        if self.state.mode is Mode.CLINICAL:
            self.model.set_atlas(atlas)
        else:
            self.state.set_learning_atlas(atlas)

    def _sync_atlas(self, *_: object) -> None:
        """The toolbar shows the map in use: the clinical session's, the learning modes' own,
        or an open quiz question's (fixed by the quiz's code: the box is then disabled)."""
        st = self.state
        i = self.atlas_combo.findData(st.map_of(self.on_screen))
        if i >= 0 and i != self.atlas_combo.currentIndex():
            self.atlas_combo.setCurrentIndex(i)
        self.atlas_combo.setEnabled(st.learning is None)

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

    def _shortcuts(self) -> None:
        from gui.shortcuts import show_shortcuts

        show_shortcuts(self)

    def _intended_use(self) -> None:
        from gui.about import show_intended_use

        show_intended_use(self)

    def _references(self) -> None:
        from gui.panel.references_dialog import show_references

        show_references(self)


def _labelled(text: str, control: QWidget) -> QWidget:
    """``control`` with its label before it, as one toolbar item: a narrow window's toolbar
    puts both behind its overflow arrow, never the label alone."""
    label = QLabel(f" {text} ")
    label.setBuddy(control)
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(0)
    row.addWidget(label)
    row.addWidget(control)
    return box
