"""Patient mode: the patient draws where they feel it; the clinician gets the drawing back.

While on, the window shows only the drawing and a bar of large buttons in plain words (what you
feel, tap or draw, rub out, undo, "I have finished", and how strong the chosen feeling is, 0-10
per leg: ``findings.intensity``); the diagram's captions say "Your RIGHT", "Front", "Soles"
instead of "Patient's RIGHT", "Anterior", "Plantar". Nothing the engine says is on screen: the
side panel (hypotheses, warnings, scores), the status bar's summary, the menus, the clinical
toolbars and the map overlays are hidden, and every window action but marking is disabled (so
no shortcut brings them back). The patient's Undo (the button, Ctrl+Z) takes back only what was
changed since patient mode began: the clinician's marks and findings stay. "I have finished"
covers the window with a hand-back page: its large button, "I want to change something", is the
patient's; the only way back to the clinician's view is a small button in its corner that asks
first (:func:`confirm_leave`, the default answer stays), since one tap by the patient there
showed the urgent warnings, the probabilities and the notes. The drawing is then in place (the
patient's marks are ordinary undoable edits of the session). Closing the window is not a way
back: it ends the program (asking about unsaved work as always), and nothing is drawn between.

The window keeps its own modes (:class:`gui.state.UiState`); this module only hides and
restores widgets of :class:`gui.main_window.MainWindow`, so the hooks there are one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from core.model import INTENSITY_RANGE, Side, Symptom
from gui.state import Mode, Tool

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PLAIN_SYMPTOMS = {
    Symptom.NUMBNESS: ("Numb", "It feels numb or dead"),
    Symptom.TINGLING: ("Pins and needles", "Tingling, pins and needles"),
    Symptom.PAIN: ("Pain", "It hurts"),
}
STRENGTH_QUESTIONS = {
    Symptom.NUMBNESS: "How strong is the numbness?",
    Symptom.TINGLING: "How strong are the pins and needles?",
    Symptom.PAIN: "How strong is the pain?",
}
"""The question for the chosen feeling, in the patient's words ("How strong is it (numb)?")."""
PLAIN_TOOLS = {
    Tool.CLICK: ("Tap areas", "Tap a part of the leg to mark it; tap again to take it off"),
    Tool.BRUSH: ("Draw", "Draw over the places with your finger, pen or mouse"),
    Tool.ERASER: ("Rub out", "Rub out what you drew"),
}
INSTRUCTIONS = (
    "Show us where you feel it. Choose what you feel, then tap or draw on the legs and feet. "
    "You can mark more than one feeling in the same place."
)
HAND_BACK = "Thank you. Please hand the device back to your clinician."
LEAVE_QUESTION = "Return to the clinician's view?"
LEAVE_DETAIL = "The results will be shown."
PLAIN_CAPTIONS = {
    "Anterior (front)": "Front",
    "facing the patient": "as if facing you",
    "Posterior (back)": "Back",
    "from behind the patient": "from behind you",
    "Dorsal feet (top)": "Tops of the feet",
    "from above, facing the patient": "from above, as if facing you",
    "Plantar feet (soles)": "Soles",
    "from behind, like the back view": "from behind you, like the back",
    "Medial ankle and foot": "Inner side of the feet",
    "inner side of each foot": "the big-toe side",
    "Lateral ankle and foot": "Outer side of the feet",
    "outer side of each foot": "the little-toe side",
    "Patient's RIGHT": "Your RIGHT",
    "Patient's LEFT": "Your LEFT",
    "medial": "inner",
    "lateral": "outer",
}
"""The diagram's captions in the patient's words (the asset's text -> the text shown)."""
TARGET = 56  # minimum height of a button, in pixels (large touch targets)
BUTTON_PADDING = "QPushButton { padding: 6px 14px; }"


def _big_font(widget: QWidget, scale: float = 1.35) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(13.0, font.pointSizeF() * scale))
    return font


def _button(text: str, tip: str, name: str, checkable: bool = False) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.setAccessibleName(text)
    b.setAccessibleDescription(tip)
    b.setCheckable(checkable)
    b.setMinimumHeight(TARGET)
    b.setMinimumWidth(TARGET * 2)
    b.setFont(_big_font(b))
    b.setIconSize(QSize(28, 28))
    b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return b


class _BarBox(QWidget):
    """The patient's bar. "How strong is it?" joins the row of marking tools when the window
    is wide enough for both (the drawing gains that row's height, about 60 pixels at 1,366
    pixels wide) and has a row of its own otherwise (a tablet upright, half a laptop screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.outer = QVBoxLayout(self)
        self.tool_row = QHBoxLayout()
        self.tools: list[QWidget] = []  # the row's own controls: the tools and Undo
        self.strength = QWidget()

    def _wide_enough(self) -> bool:
        margins = self.outer.contentsMargins()
        gaps = 24 + self.tool_row.spacing() * (len(self.tools) + 1)  # Undo's gap and spacings
        need = sum(w.sizeHint().width() for w in (*self.tools, self.strength))
        return self.width() >= need + gaps + margins.left() + margins.right()

    def place_strength(self) -> None:
        joined = self.tool_row.indexOf(self.strength) >= 0
        if self._wide_enough() == joined:
            return
        if joined:
            self.tool_row.removeWidget(self.strength)
            self.outer.addWidget(self.strength, 0, Qt.AlignmentFlag.AlignLeft)
            self.setMinimumWidth(0)  # the rows' own minimum again
        else:
            # the window may still narrow to what the rows need apart, which parts them again
            self.setMinimumWidth(self.minimumSizeHint().width())
            self.outer.removeWidget(self.strength)
            before_stretch = self.tool_row.count() - 1
            self.tool_row.insertWidget(before_stretch, self.strength)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_strength()


class HandBackPage(QFrame):
    """Covers the window after "I have finished": the drawing is hidden until the clinician
    returns. The patient's choice, "I want to change something", is the large button in the
    middle and has the focus; "Back to the clinician's view" is the clinician's, small, in the
    bottom corner (and it asks first: :meth:`PatientMode.ask_to_leave`)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("patient_hand_back")
        self.setAccessibleName("Hand back to the clinician")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(BUTTON_PADDING)  # as on the patient's bar (text clear of the edges)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 24, 24, 24)
        lay.addStretch(1)
        self.message = QLabel(HAND_BACK)
        self.message.setObjectName("patient_hand_back_message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setFont(_big_font(self.message, 2.0))
        lay.addWidget(self.message)
        lay.addSpacing(32)
        self.more = _button(
            "I want to change something",
            "Go back to the drawing",
            "patient_more",
        )
        self.more.setDefault(True)  # drawn as the main choice
        lay.addWidget(self.more, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(1)
        # the clinician's way back: the window's usual font and size, away from the patient's
        tip = "For the clinician: leave patient mode (it asks first); the drawing stays"
        self.back = QPushButton("Back to the clinician's view")
        self.back.setObjectName("patient_back_to_clinician")
        self.back.setToolTip(tip)
        self.back.setAccessibleName(self.back.text())
        self.back.setAccessibleDescription(tip)
        self.back.setMinimumHeight(TARGET * 3 // 4)  # still a fair target for a finger
        lay.addWidget(self.back, 0, Qt.AlignmentFlag.AlignRight)
        parent.installEventFilter(self)
        self._fit()

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False


def confirm_leave(parent: QWidget) -> bool:
    """ "Return to the clinician's view? The results will be shown." True to return. The
    default button (Enter) and Esc stay in patient mode: the patient may be the one asking."""
    box = QMessageBox(parent)
    box.setObjectName("patient_leave_question")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Back to the clinician's view")
    box.setAccessibleName("Back to the clinician's view")
    box.setText(LEAVE_QUESTION)
    box.setInformativeText(LEAVE_DETAIL)
    leave = box.addButton("&Yes, return", QMessageBox.ButtonRole.AcceptRole)
    leave.setObjectName("patient_leave_yes")
    stay = box.addButton("&No, stay here", QMessageBox.ButtonRole.RejectRole)
    stay.setObjectName("patient_leave_no")
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is leave


class PatientMode(QObject):
    """Patient mode of one main window (see the module docstring)."""

    changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self._active = False
        self._saved: dict[str, object] = {}
        self._bar: QToolBar | None = None
        self._page: HandBackPage | None = None
        # asked before the hand-back page's way back ends patient mode (replaceable)
        self.confirm_leave: Callable[[QWidget], bool] = confirm_leave
        self._floor = 0  # the undo stack's index when patient mode began
        self._top = 0  # the highest index the patient's own changes reached
        self.undo_action = QAction("Undo", window)
        self.undo_action.setObjectName("patient_undo_action")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.triggered.connect(self._undo)
        self.redo_action = QAction("Redo", window)
        self.redo_action.setObjectName("patient_redo_action")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self._redo)
        self.symptom_buttons: dict[Symptom, QPushButton] = {}
        self.tool_buttons: dict[Tool, QPushButton] = {}
        self.action = QAction("&Patient Mode", window)
        self.action.setObjectName("patient_mode")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        tip = "Hand the device to the patient to draw: large buttons, no results on screen"
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.triggered.connect(lambda _c=False: self.enter())
        window.view_menu.addSeparator()
        window.view_menu.addAction(self.action)
        window.map_toolbar.addAction(self.action)

    @property
    def active(self) -> bool:
        return self._active

    @property
    def bar(self) -> QToolBar | None:
        """The patient's toolbar while patient mode is on."""
        return self._bar

    @property
    def hand_back_page(self) -> HandBackPage | None:
        """The hand-back page while it is shown."""
        return self._page

    # entering and leaving -----------------------------------------------------------------
    def enter(self) -> None:
        if self._active:
            return
        w, st = self._w, self._w.state
        if st.mode is not Mode.CLINICAL:
            st.set_mode(Mode.CLINICAL)
        self._saved = {
            "menu": w.menuBar().isVisible(),
            "status": w.statusBar().isVisible(),
            "side": w.side_stack.isVisible(),
            "toolbars": [(tb, tb.isVisible()) for tb in (w.marking_toolbar, w.map_toolbar)],
            "overlays": {
                "dermatomes": st.show_dermatomes,
                "nerves": st.show_nerves,
                "key_points": st.show_key_points,
                "disagreement": st.show_disagreement,
            },
            "actions": [
                (a, a.isEnabled())
                for a in w.findChildren(QAction)
                if a not in w.tool_actions.values()
                and a not in w.symptom_actions.values()
                # a toolbar's widget (brush size, atlas) keeps its own state, and its toolbar
                # is hidden: re-enabling its action on the way back enabled the widget
                and not isinstance(a, QWidgetAction)
            ],
            "tool": st.tool,
            "symptom": st.symptom,  # the patient's choice must not become the clinician's
            "brush": st.brush_size,
        }
        self._active = True
        for a, _on in self._saved["actions"]:  # type: ignore[attr-defined]
            a.setEnabled(False)
        # the window's undo and redo reach the clinician's edits: the patient gets their own
        self._saved["undo_stack"] = w.undo_group.activeStack()
        w.undo_group.setActiveStack(None)  # type: ignore[arg-type]
        self._floor = self._top = w.model.undo_stack.index()
        w.model.undo_stack.indexChanged.connect(self._sync_undo)
        for a in (self.undo_action, self.redo_action):
            w.addAction(a)
        w.menuBar().hide()
        w.statusBar().hide()
        w.side_stack.hide()
        for tb, _on in self._saved["toolbars"]:  # type: ignore[attr-defined]
            tb.hide()
        st.set_overlays(dermatomes=False, nerves=False, key_points=False, disagreement=False)
        w.diagram.set_caption_words(PLAIN_CAPTIONS)
        st.set_tool(Tool.CLICK)
        self._bar = self._make_bar()
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, self._bar)
        self._bar.show()
        st.symptom_changed.connect(self._sync_buttons)
        st.tool_changed.connect(self._sync_buttons)
        self._sync_buttons()
        self._sync_undo()
        self.changed.emit(True)

    def finish(self) -> None:
        """The patient has finished: show the hand-back page over the window."""
        if not self._active or self._page is not None:
            return
        page = HandBackPage(self._w)
        page.back.clicked.connect(self.ask_to_leave)
        page.more.clicked.connect(self._resume)
        page.show()
        page.raise_()
        page.more.setFocus()  # Space on the focused button must not reach the results
        self._page = page

    def ask_to_leave(self) -> bool:
        """The hand-back page's way back: leave patient mode if the clinician confirms.
        Anyone holding the device can tap it, so it always asks; :meth:`leave` is the
        program's own way out (the window closing) and does not."""
        if not self._active or not self.confirm_leave(self._w):
            return False
        self.leave()
        return True

    def _resume(self) -> None:
        page, self._page = self._page, None
        if page is not None:
            page.hide()
            page.deleteLater()

    def leave(self) -> None:
        """Back to the clinician's view: every widget, overlay and action as it was."""
        if not self._active:
            return
        w, st = self._w, self._w.state
        self._resume()
        st.symptom_changed.disconnect(self._sync_buttons)
        st.tool_changed.disconnect(self._sync_buttons)
        self._w.model.findings_changed.disconnect(self._sync_intensity)
        w.model.undo_stack.indexChanged.disconnect(self._sync_undo)
        for a in (self.undo_action, self.redo_action):
            w.removeAction(a)
        bar, self._bar = self._bar, None
        if bar is not None:
            w.removeToolBar(bar)
            bar.deleteLater()
        self.symptom_buttons.clear()
        self.tool_buttons.clear()
        saved = self._saved
        for a, on in saved["actions"]:  # type: ignore[attr-defined]
            a.setEnabled(on)
        for tb, on in saved["toolbars"]:  # type: ignore[attr-defined]
            tb.setVisible(on)
        w.undo_group.setActiveStack(saved["undo_stack"])  # type: ignore[arg-type]
        w.menuBar().setVisible(bool(saved["menu"]))
        w.statusBar().setVisible(bool(saved["status"]))
        w.side_stack.setVisible(bool(saved["side"]))
        st.set_overlays(**saved["overlays"])  # type: ignore[arg-type]
        w.diagram.set_caption_words({})
        st.set_tool(saved["tool"])  # type: ignore[arg-type]
        st.set_symptom(saved["symptom"])  # type: ignore[arg-type]
        st.set_brush_size(saved["brush"])  # type: ignore[arg-type]
        self._saved = {}
        self._active = False
        w.diagram.setFocus()
        self.changed.emit(False)

    # the patient's bar ---------------------------------------------------------------------
    def _make_bar(self) -> QToolBar:
        from gui.theme import symptom_icon

        bar = QToolBar("Patient")
        bar.setObjectName("patient_toolbar")
        bar.setAccessibleName("Drawing tools")
        bar.setMovable(False)
        bar.setFloatable(False)
        # the chosen feeling and tool must be unmistakable in light and dark palettes
        bar.setStyleSheet(
            BUTTON_PADDING + "QPushButton:checked { border: 3px solid palette(highlight);"
            " background: palette(base); }"
        )
        box = _BarBox()
        outer = box.outer
        outer.setContentsMargins(8, 6, 8, 6)
        text = QLabel(INSTRUCTIONS)
        text.setObjectName("patient_instructions")
        text.setWordWrap(True)
        text.setFont(_big_font(text, 1.2))
        outer.addWidget(text)
        # two rows (what you feel, then how to mark), so that the large buttons fit a window
        # of 800 pixels (a tablet upright, half a laptop screen): in one row they were cut off
        feel_row, tool_row = QHBoxLayout(), box.tool_row
        for row in (feel_row, tool_row):
            row.setSpacing(10)
            outer.addLayout(row)
        st = self._w.state
        feel = QButtonGroup(box)
        for sym, (label, tip) in PLAIN_SYMPTOMS.items():
            b = _button(label, tip, f"patient_symptom_{sym.value}", checkable=True)
            b.setIcon(symptom_icon(sym, 28))
            b.clicked.connect(lambda _c=False, s=sym: st.set_symptom(s))
            feel.addButton(b)
            feel_row.addWidget(b)
            self.symptom_buttons[sym] = b
        feel_row.addStretch(1)
        done = _button("I have finished", "Show the screen to hand back", "patient_finished")
        done.clicked.connect(self.finish)
        feel_row.addWidget(done)
        tools = QButtonGroup(box)
        for tool, (label, tip) in PLAIN_TOOLS.items():
            b = _button(label, tip, f"patient_tool_{tool.value}", checkable=True)
            b.clicked.connect(lambda _c=False, t=tool: self._set_tool(t))
            tools.addButton(b)
            tool_row.addWidget(b)
            box.tools.append(b)
            self.tool_buttons[tool] = b
        tool_row.addSpacing(24)
        undo = _button("Undo", "Take back your last change", "patient_undo")
        undo.clicked.connect(self.undo_action.trigger)
        tool_row.addWidget(undo)
        box.tools.append(undo)
        self.undo_button = undo
        tool_row.addStretch(1)
        self._intensity_row(box.strength)
        outer.addWidget(box.strength, 0, Qt.AlignmentFlag.AlignLeft)
        bar.addWidget(box)
        return bar

    def _intensity_row(self, holder: QWidget) -> None:
        """ "How strong is it?" for the chosen feeling, one 0-10 choice per leg."""
        holder.setObjectName("patient_strength")
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.intensity_label = QLabel()
        self.intensity_label.setObjectName("patient_intensity_question")
        self.intensity_label.setFont(_big_font(self.intensity_label, 1.2))
        row.addWidget(self.intensity_label)
        self.intensity_combos: dict[Side, QComboBox] = {}
        low, high = INTENSITY_RANGE
        for side in (Side.RIGHT, Side.LEFT):
            c = QComboBox()
            c.setObjectName(f"patient_intensity_{side.value}")
            c.addItem(f"{side.display} leg: –", None)
            for v in range(low, high + 1):
                c.addItem(f"{side.display} leg: {v}", v)
            c.setMinimumHeight(TARGET)
            c.setFont(_big_font(c))
            c.setAccessibleName(f"How strong, {side.display.lower()} leg ({low} to {high})")
            c.activated.connect(lambda _i, s=side, cb=c: self._set_intensity(s, cb.currentData()))
            row.addWidget(c)
            self.intensity_combos[side] = c
        self._w.model.findings_changed.connect(self._sync_intensity)

    def _set_intensity(self, side: Side, value: int | None) -> None:
        model, sym = self._w.model, self._w.state.symptom
        rating = "not given" if value is None else f"{value} of {INTENSITY_RANGE[1]}"
        text = f"{side.display} leg, how strong the {sym.value} is: {rating}"
        model.set_findings(model.session.findings.with_intensity(side, sym, value), text)

    def _sync_intensity(self, *_: object) -> None:
        if self._bar is None:
            return
        sym = self._w.state.symptom
        low, high = INTENSITY_RANGE
        self.intensity_label.setText(
            f"{STRENGTH_QUESTIONS[sym]}\n{low} = nothing, {high} = the worst you can imagine"
        )
        f = self._w.model.session.findings
        for side, c in self.intensity_combos.items():
            i = max(0, c.findData(f.symptom_intensity(side, sym)))
            if c.currentIndex() != i:
                c.setCurrentIndex(i)

    # the patient's undo: their own changes only --------------------------------------------
    def _undo(self) -> None:
        stack = self._w.model.undo_stack
        if self._active and stack.index() > self._floor:
            stack.undo()

    def _redo(self) -> None:
        stack = self._w.model.undo_stack
        if self._active and stack.canRedo() and stack.index() < self._top:
            stack.redo()

    def _sync_undo(self, *_: object) -> None:
        stack = self._w.model.undo_stack
        try:
            index = stack.index()
        except RuntimeError:  # the window closed in patient mode: its stack goes with it
            return
        self._top = max(self._top, index)
        # redo only the patient's own changes, never one the clinician took back before
        self.undo_action.setEnabled(self._active and index > self._floor)
        self.redo_action.setEnabled(self._active and stack.canRedo() and index < self._top)
        if self._bar is not None:
            self.undo_button.setEnabled(self.undo_action.isEnabled())

    def _set_tool(self, tool: Tool) -> None:
        st = self._w.state
        if tool is not Tool.CLICK:  # a finger-sized brush
            st.set_brush_size(max(st.brush_size, 24.0))
        st.set_tool(tool)

    def _sync_buttons(self, *_: object) -> None:
        st = self._w.state
        for sym, b in self.symptom_buttons.items():
            b.setChecked(sym is st.symptom)
        for tool, b in self.tool_buttons.items():
            b.setChecked(tool is st.tool)
        self._sync_intensity()
