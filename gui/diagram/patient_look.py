"""The diagram in patient mode: the patient's words, drawn larger, and no clinician's tips.

When :attr:`gui.state.UiState.patient` turns on, the view's captions say "Your RIGHT", "Front",
"Soles" instead of "Patient's RIGHT", "Anterior", "Plantar" (:data:`PLAIN_CAPTIONS`), drawn
larger, the lines above each view moved apart to make room for them
(:func:`gui.diagram.captions.spread_captions`); the zones show no tooltip and no menu, which
speak the clinician's words ("Popliteal fossa / Tingling (26% of the zone)"). When it turns off,
every caption goes back to its place and words. The view follows the state; nothing else
touches it (:mod:`gui.patient_mode` hides the rest of the window).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF

from gui.diagram.captions import PATIENT_ROOM, PATIENT_SIZES, enlarge_captions, spread_captions
from gui.state import UiState

if TYPE_CHECKING:
    from gui.diagram.pointer import PointerInput

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


class PatientLook(QObject):
    """Puts ``view`` in the patient's words while ``state.patient`` is on (see the module)."""

    def __init__(self, view: PointerInput, state: UiState) -> None:
        super().__init__(view)
        self._view = view
        self._places: list[QPointF] = []  # the captions' own places, while spread
        self._on = False
        state.patient_changed.connect(self._follow)
        if state.patient:  # a view made during patient mode
            self._follow(True)

    def _follow(self, on: bool) -> None:
        if on == self._on:
            return
        self._on = on
        view = self._view
        if on:
            view.set_caption_words(PLAIN_CAPTIONS)
            enlarge_captions(view.captions, PATIENT_SIZES)
            self._places = spread_captions(view.captions, PATIENT_ROOM)
            view.set_caption_words(PLAIN_CAPTIONS)  # measures their room where they now are
            view.zone_tips = False
            return
        for (item, _kind), place in zip(view.captions, self._places, strict=True):
            item.setPos(place)
        self._places = []
        enlarge_captions(view.captions, {})
        view.set_caption_words({})
        view.zone_tips = True
