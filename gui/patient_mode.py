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
patient's marks are ordinary undoable edits of the session). While the page is up, what it covers
takes no focus and no keys (Tab, Space and Ctrl+Z reached the hidden drawing and changed it
unseen). The zones show no tooltips and no right-click menu, which speak the clinician's
words ("Popliteal fossa / Tingling (26% of the zone)"). Closing the window in patient mode shows
the hand-back page instead (a patient closing it to "finish" met the clinician's Save / Discard
question); once back, the clinician closes as always. The patient's bar has no menu that could
hide it, and the zoom keys stay (Ctrl+0 fits the drawing again after a pinch).

The window keeps its own modes (:class:`gui.state.UiState`): patient mode is
:attr:`~gui.state.UiState.patient`, which the diagram follows (its captions and tips:
:mod:`gui.diagram.patient_look`); this module only hides and restores the other widgets of
:class:`gui.main_window.MainWindow`, so the hooks there are one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from core.model import Side, Symptom
from gui.ask import ask
from gui.patient_bar import BUTTON_PADDING, TARGET, PatientBar, big_button, big_font
from gui.state import Mode, Tool

if TYPE_CHECKING:
    from gui.main_window import MainWindow

HAND_BACK = "Thank you. Please hand the device back to your clinician."
LEAVE_QUESTION = "Return to the clinician's view?"
LEAVE_DETAIL = "The results will be shown."


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
        self.message.setFont(big_font(self.message, 2.0))
        lay.addWidget(self.message)
        lay.addSpacing(32)
        self.more = big_button(
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
    return ask(
        parent,
        title="Back to the clinician's view",
        text=LEAVE_QUESTION,
        detail=LEAVE_DETAIL,
        act="&Yes, return",
        keep="&No, stay here",
        name="patient_leave",
    )


class PatientMode(QObject):
    """Patient mode of one main window (see the module docstring)."""

    changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._w = window
        self._active = False
        self._saved: dict[str, object] = {}
        self._bar: PatientBar | None = None
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
    def bar(self) -> PatientBar | None:
        """The patient's toolbar while patient mode is on."""
        return self._bar

    @property
    def symptom_buttons(self) -> dict[Symptom, QPushButton]:
        """The patient's buttons for each feeling (none outside patient mode)."""
        return self._bar.symptom_buttons if self._bar is not None else {}

    @property
    def tool_buttons(self) -> dict[Tool, QPushButton]:
        """The patient's marking tools (none outside patient mode)."""
        return self._bar.tool_buttons if self._bar is not None else {}

    @property
    def intensity_combos(self) -> dict[Side, QComboBox]:
        """How strong the chosen feeling is, per leg (none outside patient mode)."""
        return self._bar.intensity_combos if self._bar is not None else {}

    @property
    def intensity_label(self) -> QLabel | None:
        """The question "How strong is ...?" while patient mode is on."""
        return self._bar.intensity_label if self._bar is not None else None

    @property
    def undo_button(self) -> QPushButton | None:
        """The patient's Undo button while patient mode is on."""
        return self._bar.undo_button if self._bar is not None else None

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
                and a not in self._zoom_actions()
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
        for a in (self.undo_action, self.redo_action, *self._zoom_actions()):
            w.addAction(a)  # their shortcuts, with the menu bar hidden
        w.menuBar().hide()
        w.statusBar().hide()
        w.side_stack.hide()
        for tb, _on in self._saved["toolbars"]:  # type: ignore[attr-defined]
            tb.hide()
        st.set_overlays(dermatomes=False, nerves=False, key_points=False, disagreement=False)
        # the diagram follows: the patient's words, drawn larger, no tips (gui.diagram.patient_look)
        st.set_patient(True)
        st.set_tool(Tool.CLICK)
        self._bar = PatientBar(w, self.undo_action, self.finish)
        # no menu of the window's bars: one right-click there hid the patient's bar for good
        self._bar.toggleViewAction().setEnabled(False)
        self._saved["menu_policy"] = w.contextMenuPolicy()
        w.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self._bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        w.addToolBar(Qt.ToolBarArea.TopToolBarArea, self._bar)
        self._bar.show()
        self._sync_undo()
        self.changed.emit(True)

    def finish(self) -> None:
        """The patient has finished: show the hand-back page over the window."""
        if not self._active or self._page is not None:
            return
        page = HandBackPage(self._w)
        page.back.clicked.connect(self.ask_to_leave)
        page.more.clicked.connect(self._resume)
        self._cover(True)
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
            self._cover(False)

    def _cover(self, covered: bool) -> None:
        """What the hand-back page covers takes no focus and no keys while it is up."""
        w = self._w
        for widget in (w.centralWidget(), self._bar):
            if widget is not None:
                widget.setEnabled(not covered)
        for a in self._zoom_actions():  # (Ctrl+= zoomed the hidden drawing)
            a.setEnabled(not covered)
        if covered:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
        else:
            self._sync_undo()

    def _zoom_actions(self) -> tuple[QAction, ...]:
        w = self._w
        return (w.zoom_in_action, w.zoom_out_action, w.fit_action)

    def close_guard(self) -> bool:
        """The window's close in patient mode: the hand-back page, not the program's end."""
        if not self._active:
            return True
        self.finish()
        return False

    def leave(self) -> None:
        """Back to the clinician's view: every widget, overlay and action as it was."""
        if not self._active:
            return
        w, st = self._w, self._w.state
        self._resume()
        saved_policy = self._saved["menu_policy"]
        w.model.undo_stack.indexChanged.disconnect(self._sync_undo)
        for a in (self.undo_action, self.redo_action, *self._zoom_actions()):
            w.removeAction(a)
        w.setContextMenuPolicy(saved_policy)  # type: ignore[arg-type]
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.detach()
            w.removeToolBar(bar)
            bar.deleteLater()
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
        st.set_patient(False)
        st.set_tool(saved["tool"])  # type: ignore[arg-type]
        st.set_symptom(saved["symptom"])  # type: ignore[arg-type]
        st.set_brush_size(saved["brush"])  # type: ignore[arg-type]
        self._saved = {}
        self._active = False
        w.diagram.setFocus()
        self.changed.emit(False)

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
            self._bar.undo_button.setEnabled(self.undo_action.isEnabled())
