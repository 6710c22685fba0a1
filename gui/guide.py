"""Help -> Guide: a short guide to the three modes and patient mode, with pictures of the app.

The pictures are drawn at first open by the app's own diagram widget (an example session, the
explore highlight, a quiz question), so they always match the running version and theme; no
image file is shipped or written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core import learn
from core.model import Mark, Session, Side, Symptom
from gui.screen_fit import resize_within_screen
from gui.session_model import SessionModel
from gui.state import Mode, UiState

SECTIONS = (
    (
        "clinical",
        "Clinical mode: mark a patient",
        "Pick a symptom (numbness, tingling, pain) and click or brush the zones on the legs and "
        "feet. Add the exam findings in the side panel. The panel lists the nerve roots and "
        "peripheral nerves that fit, with probabilities, reasons and sources, and any urgent "
        "warning (a cauda equina red flag, new upper motor neuron signs, a past cancer or a "
        "fever with leg symptoms, ...) as a banner at the top. Decision support, not a "
        "diagnosis. "
        "File › Visit Details names the patient (the status bar then shows whose record is "
        "open); at a follow-up, File › New Visit of This Patient starts the next visit and "
        "File › Compare With… sets an earlier one beside it. "
        "The keyboard works too: Help › Keyboard Shortcuts lists the keys.",
    ),
    (
        "explore",
        "Explore mode: learn the maps",
        "Choose a root or a nerve to see its territory, compare two dermatome maps and see where "
        "they disagree, or click a zone to read which roots and nerves supply it. The patient's "
        "marks are set aside while you explore and come back unchanged.",
    ),
    (
        "quiz",
        "Quiz mode: test yourself",
        "Start a quiz: dermatomes both ways, key sensory points, myotomes and reflexes, root "
        "versus nerve, short clinical cases and map disagreements. Click the topic pills to "
        "choose topics. While a question is open nothing gives the answer away (overlays are "
        "locked); after you answer you see the territory, why, and the sources. Each quiz has a "
        "code: typed in the seed box, it gives a class the same quiz. Your answers stay on this "
        "computer; "
        "'My progress' plots them by topic, and missed topics come back sooner.",
    ),
    (
        "patient",
        "Patient mode: let the patient draw",
        "Press Patient Mode (top right) and hand over the screen. The patient sees only the "
        "drawing, in their own words ('Your RIGHT', 'Front', 'Soles'), and large buttons: what "
        "they feel, tap or draw, rub out, undo, how strong it is. No result is shown. 'I have "
        "finished' covers the drawing with a hand-back page: 'I want to change something' takes "
        "the patient back to it; 'Back to the clinician's view', small in the corner, asks "
        "first and then ends patient mode. The marks stay, as ordinary edits you can undo. "
        "Closing the window in patient mode shows the hand-back page too.",
    ),
)


def _example(mode: str) -> Session:
    if mode == "clinical":
        zones = ("lateral_lower_leg", "dorsum_of_foot", "great_toe")
        return Session(marks=tuple(Mark(z, Side.LEFT, Symptom.NUMBNESS) for z in zones))
    if mode == "patient":
        zones = ("posterior_thigh", "posterior_calf", "lateral_border_of_foot")
        return Session(marks=tuple(Mark(z, Side.RIGHT, Symptom.PAIN) for z in zones))
    return Session()


def _show(mode: str, state: UiState) -> None:
    """What ``mode`` shows on the diagram in the example (set once the view listens)."""
    state.set_overlays(key_points=False)
    if mode == "explore":
        state.set_mode(Mode.EXPLORE)
        state.set_overlays(dermatomes=True)
        state.set_highlight(learn.territory_zones("L5", "consensus"))
    elif mode == "quiz":
        state.set_mode(Mode.QUIZ)
        state.set_highlight(dict.fromkeys(learn.zones_of_area("lateral_heel"), 1.0))


def picture(mode: str, width: int = 400) -> QPixmap:
    """A picture of the diagram as ``mode`` shows it, drawn by the app's diagram widget (at
    window size, then scaled down to ``width`` logical pixels)."""
    from gui.diagram.view import DiagramView

    model = SessionModel(_example(mode))
    state = UiState()
    view = DiagramView(model, state)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.resize(1000, 620)
    view.show()
    _show(mode, state)
    if mode == "patient":
        from gui.diagram.patient_look import PLAIN_CAPTIONS

        view.set_caption_words(PLAIN_CAPTIONS)
    view.fit_all()
    shot = view.grab()
    dpr = shot.devicePixelRatio()
    pm = shot.scaledToWidth(round(width * dpr), Qt.TransformationMode.SmoothTransformation)
    pm.setDevicePixelRatio(dpr)
    view.close()
    view.deleteLater()
    model.deleteLater()
    state.deleteLater()
    return pm


class GuideDialog(QDialog):
    """The guide: one section per mode, each with a picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide_dialog")
        self.setWindowTitle("Dermamap guide")
        resize_within_screen(self, 900, 760)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        lay = QVBoxLayout(body)
        self.pictures: dict[str, QLabel] = {}
        for key, title, text in SECTIONS:
            row = QHBoxLayout()
            pic = QLabel()
            pic.setObjectName(f"guide_picture_{key}")
            pic.setPixmap(picture(key))
            pic.setAccessibleName(f"Picture: {title}")
            self.pictures[key] = pic
            col = QVBoxLayout()
            head = QLabel(f"<h3>{title}</h3>")
            para = QLabel(text)
            para.setWordWrap(True)
            col.addWidget(head)
            col.addWidget(para)
            col.addStretch(1)
            row.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(col, 1)
            lay.addLayout(row)
        scroll.setWidget(body)
        scroll.setAccessibleName("Guide to the modes")  # it takes the focus first (arrows scroll)
        outer.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)


def show_guide(parent: QWidget | None) -> GuideDialog:
    """Open the guide (non-modal; a second call raises the open one)."""
    existing = parent.findChild(GuideDialog) if parent is not None else None
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    dlg = GuideDialog(parent)
    dlg.show()
    return dlg
