"""The one observable session of a window, with undo/redo.

Every change is an *intent* method (``toggle_mark``, ``set_marks``, ``set_red_flag``, ...) that
pushes a snapshot command onto :attr:`SessionModel.undo_stack`. Sessions are immutable, so a
command stores the session before and after; undo and redo just swap them. Listeners connect to
``session_changed`` (any change) or the finer ``marks_changed`` / ``findings_changed`` /
``red_flags_changed`` / ``atlas_changed`` / ``visit_changed`` signals.

A model is one session, whatever the window shows: the clinical session lives in
:class:`gui.document.Document`; a quiz's scratch answers are another model, held by the UI state
(:class:`gui.state.UiState`), which also says when editing is off (explore mode).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core import names, warning_names
from core.marks import marks_with_whole_zone, marks_without
from core.model import Findings, Mark, RedFlag, Session, Side, Symptom, Visit
from core.names import lower_first
from core.zones import display_name


def zone_place(zone: str, side: Side) -> str:
    """A zone in an undo step's words: ``the right medial lower leg``, not its id."""
    return f"the {side.value} {lower_first(display_name(zone))}"


class _Snapshot(QUndoCommand):
    def __init__(self, model: SessionModel, before: Session, after: Session, text: str) -> None:
        # the Edit menu's "Undo ..." is an action text, where "&" marks an access key ("Keegan
        # & Garrett" showed "Keegan _Garrett"): Qt takes the action's words after a newline
        super().__init__(f"{text}\n{text.replace('&', '&&')}" if "&" in text else text)
        # weak: the model's undo stack owns this command, so a strong reference would make a
        # cycle that only Python's garbage collector frees, and collecting a cycle of Qt objects
        # crashed (PySide6 6.11)
        self._model = weakref.ref(model)
        self._before = before
        self._after = after

    def redo(self) -> None:
        model = self._model()
        if model is not None:
            model._apply(self._after)

    def undo(self) -> None:
        model = self._model()
        if model is not None:
            model._apply(self._before)


class SessionModel(QObject):
    """Observable wrapper around an immutable :class:`core.model.Session`."""

    session_changed = Signal()
    marks_changed = Signal()
    findings_changed = Signal()
    red_flags_changed = Signal()
    atlas_changed = Signal(str)
    visit_changed = Signal()
    session_replaced = Signal()  # New / Open / restore: a different session, fresh undo history
    path_changed = Signal(str)

    def __init__(self, session: Session | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session or Session()
        self._path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undo_stack")

    # read -------------------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self._session

    @property
    def path(self) -> Path | None:
        """The file this session was opened from or last saved to."""
        return self._path

    def set_path(self, path: Path | None) -> None:
        self._path = path
        self.path_changed.emit(str(path) if path else "")

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    # write ------------------------------------------------------------------------------
    def _apply(self, new: Session) -> None:
        old, self._session = self._session, new
        if old.marks != new.marks:
            self.marks_changed.emit()
        if old.findings != new.findings:
            self.findings_changed.emit()
        if old.red_flags != new.red_flags:
            self.red_flags_changed.emit()
        if old.atlas != new.atlas:
            self.atlas_changed.emit(new.atlas)
        if old.visit != new.visit:
            self.visit_changed.emit()
        self.session_changed.emit()

    def _push(self, new: Session, text: str) -> None:
        if new == self._session:
            return
        self.undo_stack.push(_Snapshot(self, self._session, new, text))

    def replace_session(self, session: Session, path: Path | None = None) -> None:
        """Load a different session (New/Open/restore). Clears undo history."""
        self.undo_stack.clear()
        self._path = path
        old = self._session
        self._session = old  # so _apply emits the right fine signals
        self._apply(session)
        self.undo_stack.setClean()
        self.path_changed.emit(str(path) if path else "")
        self.session_replaced.emit()

    def toggle_mark(self, zone: str, side: Side | str, symptom: Symptom | str) -> None:
        """Click intent: add ``symptom`` to ``zone``; clicking the same symptom again removes
        that symptom only (numbness and pain may share a zone, one mark each)."""
        side, symptom = Side(side), Symptom(symptom)
        cur = self._session.mark_at(zone, side, symptom)
        on = cur is None or cur.coverage < 1.0
        self.set_mark_symptom(zone, side, symptom, on)

    def set_mark_symptom(
        self, zone: str, side: Side | str, symptom: Symptom | str, on: bool
    ) -> None:
        """Add (``on``) or remove one symptom's mark on ``zone``; other symptoms stay."""
        side, symptom = Side(side), Symptom(symptom)
        if on:
            new = self._session.with_mark(Mark(zone, side, symptom, 1.0))
            text = f"Mark {symptom.value} on {zone_place(zone, side)}"
        else:
            new = self._session.without_mark(zone, side, symptom)
            text = f"Unmark {symptom.value} on {zone_place(zone, side)}"
        self._push(new, text)

    def set_mark(self, zone: str, side: Side | str, symptom: Symptom | str | None) -> None:
        """Add ``symptom`` to one zone (full coverage), or clear every symptom there
        (``None``)."""
        side = Side(side)
        if symptom is None:
            new = self._session.without_mark(zone, side)
            text = f"Clear the marks on {zone_place(zone, side)}"
        else:
            new = self._session.with_mark(Mark(zone, side, Symptom(symptom), 1.0))
            text = f"Mark {Symptom(symptom).value} on {zone_place(zone, side)}"
        self._push(new, text)

    def set_marks(self, marks: Iterable[Mark], text: str = "Paint") -> None:
        """Replace all marks at once (a brush stroke, an eraser stroke) as one undo step."""
        self._push(replace(self._session, marks=tuple(marks)), text)

    def mark_zone_whole(self, zone: str, side: Side | str, symptom: Symptom | str) -> None:
        """Mark ``zone`` whole with ``symptom`` (a region list check box): that symptom's marks
        on its finer zones give way to it (:func:`core.marks.marks_with_whole_zone`)."""
        side, symptom = Side(side), Symptom(symptom)
        new = marks_with_whole_zone(self._session, zone, side, symptom)
        text = f"Mark {symptom.value} on {zone_place(zone, side)}"
        self._push(replace(self._session, marks=new), text)

    def clear_zone(self, zone: str, side: Side | str, fine: Mapping[str, tuple[str, ...]]) -> None:
        """Clear every symptom ``zone`` shows on ``side`` (a region list check box): an area's
        finer zones too, and an inherited mark split into the remaining parts (``fine``: each
        area's finer zones; :func:`core.marks.marks_without`)."""
        side = Side(side)
        new = marks_without(self._session, zone, side, fine)
        if set(new) != set(self._session.marks):
            text = f"Clear the marks on {zone_place(zone, side)}"
            self._push(replace(self._session, marks=new), text)

    def clear_marks(self) -> None:
        self._push(replace(self._session, marks=()), "Clear all marks")

    def set_red_flag(self, flag: RedFlag | str, on: bool) -> None:
        flag = RedFlag(flag)
        flags = set(self._session.red_flags)
        (flags.add if on else flags.discard)(flag)
        name = lower_first(warning_names.red_flag_name(flag.value))
        text = f"{'Tick' if on else 'Untick'} the warning sign: {name}"
        self._push(replace(self._session, red_flags=frozenset(flags)), text)

    def set_findings(self, findings: Findings, text: str = "Exam finding") -> None:
        self._push(replace(self._session, findings=findings), text)

    def set_atlas(self, atlas: str) -> None:
        self._push(
            replace(self._session, atlas=atlas), f"Read with the {names.atlas_name(atlas)} map"
        )

    def set_visit(self, visit: Visit) -> None:
        self._push(replace(self._session, visit=visit), "Visit details")
