"""UI state shared by the toolbar, the diagram, the region list and the panels.

Not part of the session: which tool and symptom are active, brush size, overlay toggles, the zone
under keyboard focus, the app mode, a quiz's scratch session (:attr:`UiState.learning`),
whether marks can be edited at all (:attr:`UiState.read_only`) and patient mode
(:attr:`UiState.patient`). Views write here through setters
(intents) and listen to the ``*_changed`` signals; they never call each other. Modes never change
the clinical session (:class:`gui.document.Document`).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from core.model import Session, Side, Symptom
from gui.session_model import SessionModel


class Tool(StrEnum):
    CLICK = "click"
    BRUSH = "brush"
    ERASER = "eraser"


class Mode(StrEnum):
    CLINICAL = "clinical"
    EXPLORE = "explore"
    QUIZ = "quiz"


class UiState(QObject):
    """Observable UI state (one instance per main window)."""

    tool_changed = Signal(str)
    symptom_changed = Signal(str)
    brush_size_changed = Signal(float)
    overlays_changed = Signal()
    current_zone_changed = Signal(str, str)  # side, zone id ("" when none)
    hovered_zone_changed = Signal(str, str)  # side, zone id ("" when none)
    mode_changed = Signal(str)
    highlight_changed = Signal()  # explore/quiz highlight of zones on the diagram
    learning_changed = Signal()  # a quiz's scratch session came or went
    learning_atlas_changed = Signal(str)  # the map chosen outside clinical mode
    read_only_changed = Signal(bool)
    patient_changed = Signal(bool)  # patient mode began (True) or ended

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tool = Tool.CLICK
        self._symptom = Symptom.NUMBNESS
        self._brush_size = 14.0
        self._dermatomes = False
        self._nerves = False
        self._key_points = True
        self._disagreement = False
        self._overlays_locked = False
        self._current: tuple[str, str] = ("", "")
        self._focus_ring = True
        self._hovered: tuple[str, str] = ("", "")
        self._mode = Mode.CLINICAL
        self._patient = False
        self._highlight: dict[tuple[str, Side], float] = {}
        self._highlight_color = ""
        self._learning: SessionModel | None = None
        self._learning_editable = True
        self._learning_atlas = ""

    # tool -------------------------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        return self._tool

    def set_tool(self, tool: Tool | str) -> None:
        tool = Tool(tool)
        if tool != self._tool:
            self._tool = tool
            self.tool_changed.emit(tool.value)

    @property
    def symptom(self) -> Symptom:
        return self._symptom

    def set_symptom(self, symptom: Symptom | str) -> None:
        symptom = Symptom(symptom)
        if symptom != self._symptom:
            self._symptom = symptom
            self.symptom_changed.emit(symptom.value)

    @property
    def brush_size(self) -> float:
        """Brush diameter in diagram units."""
        return self._brush_size

    def set_brush_size(self, size: float) -> None:
        size = max(2.0, min(80.0, float(size)))
        if size != self._brush_size:
            self._brush_size = size
            self.brush_size_changed.emit(size)

    # overlays ---------------------------------------------------------------------------
    @property
    def show_dermatomes(self) -> bool:
        return self._dermatomes and not self._overlays_locked

    @property
    def show_nerves(self) -> bool:
        return self._nerves and not self._overlays_locked

    @property
    def show_key_points(self) -> bool:
        return self._key_points and not self._overlays_locked

    @property
    def show_disagreement(self) -> bool:
        return self._disagreement and not self._overlays_locked

    @property
    def overlays_locked(self) -> bool:
        """True while a quiz question is open: no overlay is shown (each would name the answer);
        the choices made before come back when the lock is lifted."""
        return self._overlays_locked

    def set_overlays_locked(self, on: bool) -> None:
        if on != self._overlays_locked:
            self._overlays_locked = on
            self.overlays_changed.emit()

    def overlay_choice(self, key: str) -> bool:
        """Whether overlay ``key`` is switched on (also while locked)."""
        return bool(getattr(self, f"_{key}"))

    def set_overlays(
        self,
        *,
        dermatomes: bool | None = None,
        nerves: bool | None = None,
        key_points: bool | None = None,
        disagreement: bool | None = None,
    ) -> None:
        if self._overlays_locked:
            return  # locked during a quiz question
        new = (
            self._dermatomes if dermatomes is None else dermatomes,
            self._nerves if nerves is None else nerves,
            self._key_points if key_points is None else key_points,
            self._disagreement if disagreement is None else disagreement,
        )
        old = (self._dermatomes, self._nerves, self._key_points, self._disagreement)
        if new != old:
            self._dermatomes, self._nerves, self._key_points, self._disagreement = new
            self.overlays_changed.emit()

    # focus ------------------------------------------------------------------------------
    @property
    def current_zone(self) -> tuple[str, str]:
        """(side, zone id) under keyboard focus / selection, or ("", "")."""
        return self._current

    @property
    def focus_ring(self) -> bool:
        """Whether the current zone's focus ring shows: not after a click marked the zone (the
        mark shows it; like a browser's :focus-visible, the ring returns with the keyboard)."""
        return self._focus_ring

    def set_current_zone(self, side: Side | str, zone: str, *, ring: bool = True) -> None:
        key = (Side(side).value if side else "", zone)
        self._focus_ring = ring
        if key != self._current:
            self._current = key
            self.current_zone_changed.emit(*key)

    @property
    def hovered_zone(self) -> tuple[str, str]:
        return self._hovered

    def set_hovered_zone(self, side: Side | str, zone: str) -> None:
        key = (Side(side).value if side else "", zone)
        if key != self._hovered:
            self._hovered = key
            self.hovered_zone_changed.emit(*key)

    # highlight ----------------------------------------------------------------------------
    @property
    def highlight(self) -> dict[tuple[str, Side], float]:
        """(zone id, side) -> strength 0-1 to highlight on the diagram (explore/quiz)."""
        return dict(self._highlight)

    @property
    def highlight_color(self) -> str:
        """A colour name for the highlight ("" = the theme's focus colour)."""
        return self._highlight_color

    def set_highlight(self, zones: dict[tuple[str, Side], float] | None, color: str = "") -> None:
        new = dict(zones or {})
        if new != self._highlight or color != self._highlight_color:
            self._highlight, self._highlight_color = new, color
            self.highlight_changed.emit()

    # mode -------------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        return self._mode

    def set_mode(self, mode: Mode | str) -> None:
        mode = Mode(mode)
        if mode != self._mode:
            was = self.read_only
            self._mode = mode
            self.mode_changed.emit(mode.value)
            self._read_only_changed(was)

    @property
    def read_only(self) -> bool:
        """No editing: outside clinical mode, only a quiz's scratch session can be marked, and
        only while it takes marks (a question that asks for them, not yet answered)."""
        learning = self._learning is not None and self._learning_editable
        return self._mode is not Mode.CLINICAL and not learning

    def _read_only_changed(self, was: bool) -> None:
        if self.read_only != was:
            self.read_only_changed.emit(self.read_only)

    # the learning modes' map ---------------------------------------------------------------
    @property
    def learning_atlas(self) -> str:
        """The map Explore shows and a new quiz takes ("": the clinical session's). The map
        chosen outside clinical mode is this one, never the clinical session's atlas: a
        student's choice of map re-read the patient's session, an undoable edit of it."""
        return self._learning_atlas

    def set_learning_atlas(self, atlas: str) -> None:
        if atlas != self._learning_atlas:
            self._learning_atlas = atlas
            self.learning_atlas_changed.emit(atlas)

    def map_of(self, shown: SessionModel) -> str:
        """The map ``shown`` (the session on screen) is read with: its own in clinical mode and
        for a quiz question's scratch session; otherwise the map chosen in the learning modes."""
        if self._mode is Mode.CLINICAL or shown is self._learning:
            return shown.session.atlas
        return self._learning_atlas or shown.session.atlas

    # learning scratch session --------------------------------------------------------------
    @property
    def learning(self) -> SessionModel | None:
        """The scratch session a quiz question is answered in (None when there is none).

        It has its own undo history; nothing done in it reaches the clinical session, autosave
        or the file actions.
        """
        return self._learning

    def start_learning(self, session: Session | None = None) -> SessionModel:
        """Show ``session`` as scratch work (a fresh one replaces the previous scratch)."""
        if self._learning is not None:
            self._learning.replace_session(session or Session())
            return self._learning
        was = self.read_only
        model = SessionModel(session, self)
        model.undo_stack.setObjectName("scratch_undo_stack")
        self._learning = model
        self.learning_changed.emit()
        self._read_only_changed(was)
        return model

    def set_learning_editable(self, on: bool) -> None:
        """Whether the scratch session takes marks now (issue 18: only a question that asks for
        marks, until it is answered)."""
        if on != self._learning_editable:
            was = self.read_only
            self._learning_editable = on
            self._read_only_changed(was)

    def stop_learning(self) -> Session | None:
        """Drop the scratch session; returns it (the quiz keeps an answer while away)."""
        model = self._learning
        if model is None:
            return None
        was = self.read_only
        self._learning = None
        self.learning_changed.emit()
        self._read_only_changed(was)
        model.deleteLater()
        return model.session

    # patient mode ----------------------------------------------------------------------------
    @property
    def patient(self) -> bool:
        """Patient mode: the patient draws; the views speak the patient's words (the diagram's
        captions, no zone tooltips). :mod:`gui.patient_mode` hides the rest of the window."""
        return self._patient

    def set_patient(self, on: bool) -> None:
        if on != self._patient:
            self._patient = on
            self.patient_changed.emit(on)
