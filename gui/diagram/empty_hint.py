"""The first step, said on an empty diagram: :class:`EmptyHint`.

A new user saw a large unmarked diagram (its key-point badges looking like marks already made)
and no word on how to start (a clinician's walkthrough). While the clinical session has no mark
a line at the foot of the diagram (below the views, where a
window of common size leaves room) says what to do; the first mark hides it, and it comes back
when the marks are cleared. It is not shown in explore or quiz mode (their panels say what to
do) or in Patient Mode (whose own captions speak to the patient). Clicks and strokes go through
it to the diagram.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel

from gui import theme
from gui.session_model import SessionModel
from gui.state import Mode, UiState

TEXT = (
    "Choose Numbness, Tingling or Pain in the toolbar, then click each area where the patient "
    "feels it, or paint it with the Brush. Help \N{RIGHTWARDS ARROW} Guide shows more."
)
MARGIN = 6  # pixels from the viewport's bottom and sides
MAX_WIDTH = 640  # a readable line length; narrower viewports wrap it


class EmptyHint(QLabel):
    """The hint over ``view``'s viewport, shown while ``model`` has no marks in clinical mode."""

    def __init__(self, view: QAbstractScrollArea, model: SessionModel, state: UiState) -> None:
        super().__init__(TEXT, view.viewport())
        self.setObjectName("empty_diagram_hint")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAutoFillBackground(True)
        self.setMargin(6)
        self._view, self._model, self._state = view, model, state
        self._patient = False
        self.refresh_theme()
        view.viewport().installEventFilter(self)
        model.marks_changed.connect(self.update_shown)
        model.session_replaced.connect(self.update_shown)
        state.mode_changed.connect(self.update_shown)
        self.update_shown()

    def set_patient_mode(self, active: bool) -> None:
        self._patient = active
        self.update_shown()

    def refresh_theme(self) -> None:
        """The diagram's background with the theme's muted text (read on a change of theme)."""
        pal = self.palette()
        base = self._view.palette().color(self._view.palette().ColorRole.Base)
        pal.setColor(pal.ColorRole.Window, base)
        pal.setColor(pal.ColorRole.WindowText, theme.muted_text(self._view.palette()))
        self.setPalette(pal)

    def update_shown(self, *_: object) -> None:
        shown = (
            not self._model.session.marks
            and self._state.mode is Mode.CLINICAL
            and not self._patient
        )
        if shown:
            self._place()
        if self.isHidden() == shown:
            self.setVisible(shown)

    def _place(self) -> None:
        area = self._view.viewport().width()
        width = max(120, min(MAX_WIDTH, area - 2 * MARGIN))
        self.setFixedWidth(width)
        self.setFixedHeight(max(self.heightForWidth(width), self.sizeHint().height()))
        self.move((area - width) // 2, self._view.viewport().height() - self.height() - MARGIN)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and not self.isHidden():
            self._place()
        return False
