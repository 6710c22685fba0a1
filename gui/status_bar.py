"""The window's status bar: the zone under the pointer and a one-line summary of the document
(whose record it is, when Visit Details names the patient).

The summary reads :class:`gui.document.Document` (the marks and the analysis); it never asks a
panel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from core import names, warning_names
from core.file_guard import printable
from core.impression import percent
from core.model import Visit
from core.names import hypothesis_name
from core.results import Analysis
from gui import theme
from gui.document import Document
from gui.state import Mode, UiState

_STEP = 48  # the summary's width grows or shrinks in steps of this many pixels
HOVER_ROOM = 160
"""Pixels the summary leaves to the zone under the pointer (and the size grip) in a narrow
window; a summary wider than the rest is elided, whole in its tooltip."""


def urgent_summary(analysis: Analysis) -> list[str]:
    """The headline of each urgent warning ("EMERGENCY: exclude cauda equina syndrome now")."""
    return [warning_names.urgent_headline(w.id, loud=True) for w in analysis.urgent_warnings]


def legs_summary(analysis: Analysis) -> list[str]:
    """Each side's leading hypothesis ("Right: L5 root 60% (more likely)")."""
    parts: list[str] = []
    for side in ("right", "left"):
        top = next((h for h in analysis.hypotheses if h.side == side), None)
        if top is None or top.probability is None:
            continue
        name, share = hypothesis_name(top.id), percent(top.probability)
        none = analysis.unexplained.get(side, 0.0)
        if none > top.probability:  # as the impression says: no pattern fits well
            closest = f"closest {names.lower_first(name)} {share}"  # mid-sentence: "common ..."
            parts.append(f"{names.side_name(side)}: none fits well ({percent(none)}); {closest}")
        else:
            text = f"{names.side_name(side)}: {name} {share} ({names.label_name(top.label)})"
            second = next((h for h in analysis.hypotheses if h.side == side and h is not top), None)
            if second is not None and percent(second.probability) == share:  # a tie, as shown
                text += f", level with {names.the_hypothesis(second.id)}"
            parts.append(text)
    return parts


def learning_status(mode: Mode) -> str:
    """Status bar text in explore and quiz mode ("" in clinical mode): never the analysis or the
    clinical emergency text, which could give a quiz answer away (issue 18)."""
    if mode is Mode.EXPLORE:
        return "Explore mode · your patient's session is set aside"
    if mode is Mode.QUIZ:
        return "Quiz mode · your patient's session is set aside"
    return ""


def patient_summary(visit: Visit) -> str:
    """Whose record this is, from Visit Details ("" when no identifier is entered): the file
    name in the title says nothing of the patient (it never holds an identifier), so two
    sessions of one day looked alike while they were open, compared or printed."""
    who = printable(visit.patient_id.strip())
    if not who:
        return ""
    when = printable(visit.date.strip())
    return f"Patient {who}" + (f" (visit {when})" if when else "")


def document_summary(document: Document) -> str:
    """The urgent warnings first (a narrow window cuts the line from its end), then whose
    record it is, how many zones are marked and each leg's leading hypothesis."""
    n = len({m.key for m in document.session.marks})  # a zone with several symptoms once
    who = patient_summary(document.session.visit)
    parts = urgent_summary(document.analysis) + ([who] if who else [])
    parts.append(f"{n} zone{'s' if n != 1 else ''} marked" if n else "Nothing marked")
    return " · ".join(parts + legs_summary(document.analysis))


class StatusBarLabels(QObject):
    """The hover label and the summary label of a window's status bar."""

    def __init__(self, sb: QStatusBar, document: Document, state: UiState) -> None:
        super().__init__(sb)
        self._sb = sb
        self._document = document
        self._state = state
        self._full = ""  # the summary as written (the label may show it elided)
        sb.setObjectName("status_bar")
        self.hover_label = QLabel()
        self.hover_label.setObjectName("hovered_zone")
        self.hover_label.setAccessibleName("Zone under the pointer or the keyboard")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("status_summary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)  # a patient id is not markup
        self.summary_label.setAccessibleName("Summary")
        sb.addWidget(self.hover_label, 1)
        sb.addPermanentWidget(self.summary_label)
        # a fixed size (width grown or shrunk in steps, see update_summary): a new summary on
        # each click then only repaints the label instead of relaying out the status bar
        self.summary_label.setFixedHeight(self.summary_label.sizeHint().height())
        self.summary_label.setFixedWidth(_STEP)
        self._urgent_style: str | None = None
        document.analysis_changed.connect(self.update_summary)
        state.mode_changed.connect(self.update_summary)
        sb.installEventFilter(self)  # a narrower window elides the summary
        self.update_summary()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._sb and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def _show_urgency(self, urgent: bool) -> None:
        """An urgent summary is drawn in the emergency banner's colours: with the side panel
        hidden (View > Side Panel) it is where the emergency still shows."""
        style = ""
        if urgent:
            c = theme.colors()
            style = (
                f"QLabel {{ background: {c.urgent_bg.name()}; color: {c.urgent_fg.name()}; "
                "font-weight: bold; padding: 0 4px; }"
            )
        if style != self._urgent_style:
            self._urgent_style = style
            self.summary_label.setStyleSheet(style)
            self._full = ""  # measured again below, in the new font

    def refresh_theme(self) -> None:
        """The urgent colours of the new theme."""
        self._urgent_style = None
        self.update_summary()

    def show_hovered(self, side: str, zone: str) -> None:
        if not zone:
            self.hover_label.setText("")
            return
        from core.zones import display_name

        self.hover_label.setText(
            f"{side.capitalize()} {display_name(zone).lower()}" if side else display_name(zone)
        )
        # a temporary message ("Opened X.json", for six seconds) hides this label: a zone the
        # keyboard or the pointer has just reached is what the user needs now, so it ends the
        # message (the summary, a permanent widget, shows throughout)
        if self._sb.currentMessage():
            self._sb.clearMessage()

    def update_summary(self, *_: object) -> None:
        # issue 18: no analysis while learning
        learning = learning_status(self._state.mode)
        text = learning or document_summary(self._document)
        self._show_urgency(not learning and bool(self._document.analysis.urgent_warnings))
        if text != self._full:
            self._full = text
            self._fit()

    def summary_text(self) -> str:
        """The whole summary (the label shows it elided when the window is too narrow)."""
        return self._full

    def _fit(self) -> None:
        """Size the label to the summary, in steps (a new summary on each click then only
        repaints it), but never wider than the status bar leaves it; elide what does not fit."""
        lab, text = self.summary_label, self._full
        m = lab.contentsMargins()
        pad = m.left() + m.right() + 2 * lab.margin()
        need = lab.fontMetrics().horizontalAdvance(text) + pad
        room = max(_STEP, self._sb.width() - HOVER_ROOM)
        width = lab.width()
        if need > width or need < width - 2 * _STEP:
            width = (need // _STEP + 1) * _STEP
        width = min(width, room)
        if width != lab.width():
            lab.setFixedWidth(width)
        shown = text
        if need > width:
            shown = lab.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width - pad)
        if lab.text() != shown:
            lab.setText(shown)
        lab.setToolTip(text if shown != text else "")
        lab.setAccessibleDescription(text)  # a screen reader gets it whole
