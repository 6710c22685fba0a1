"""The views' captions in a small window: how much room each has before it runs into another,
and the short words the view titles and side captions take when even their smallest size would
not fit (a window snapped to half a laptop screen): "Dorsal feet" for "Dorsal feet (top)",
"Pt's R" for "Patient's RIGHT" (never a bare "RIGHT": beside "LEFT" it reads as the viewer's).

Patient mode draws its captions larger (:func:`enlarge_captions`: the items' own transform,
which every measure here counts) and moves the lines stacked above each view apart to make
room for them (:func:`spread_captions`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import combinations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QTransform

from gui.diagram.items import TextLabel

CAPTION_SCALE_MIN = 0.55
"""Captions shrink below the labels' usual minimum (zoom.LABEL_SCALE_MIN) only so as not to
run into their neighbours in a small window, and never below this."""

PATIENT_SIZES = {"title": 1.1, "side": 1.1, "orientation": 1.25}
"""Patient mode's captions, relative to the clinician's at the same scale, by kind: at 1,024 by
700 pixels (the artwork at 0.78, the labels at their usual minimum, 0.85) "Your RIGHT" is 12
pixels high, a view's title 14 and "as if facing you" 11, where the asset's places and the old,
taller bar left 9, 11 and 7. The orienting lines, smaller and in italics, gain the most."""
PATIENT_ROOM = 1.25
"""Patient mode's captions are spread (:func:`spread_captions`) to stay clear of each other up
to this many times the artwork's scale, their larger size counted: they keep their full size
down to a window of about 1,024 by 640 pixels (the artwork at 0.68), then shrink as the
clinician's do."""


def _box(item: TextLabel, margin: bool = True) -> tuple[float, float]:
    """A caption's width (with its margin or not) and text height as drawn at scale 1: its own
    transform (patient mode's larger captions) counted."""
    t = item.transform()
    rect = item.boundingRect() if margin else item.text_rect
    return rect.width() * t.m11(), item.text_rect.height() * t.m22()


def caption_room(captions: list[TextLabel], margin: bool = True) -> dict[int, float]:
    """For each caption (by ``id``), the largest scale, relative to the artwork's, at which it
    stays clear of every other caption: two boxes are clear when they are apart across or
    apart down (the title, the line under it and the side captions stack closely). Without
    ``margin``, the largest at which the words themselves do not touch."""
    room = {id(item): float("inf") for item in captions}
    # across: the bounding boxes, whose margin keeps a gap between words on one line; down:
    # the text's own height, whose line spacing already separates two lines
    boxes = [(item, *_box(item, margin)) for item in captions]
    for (a, wa, ha), (b, wb, hb) in combinations(boxes, 2):
        across = abs(b.x() - a.x()) / ((wa + wb) / 2)
        down = abs(b.y() - a.y()) / ((ha + hb) / 2)
        fit = max(across, down)
        room[id(a)] = min(room[id(a)], fit)
        room[id(b)] = min(room[id(b)], fit)
    return room


def enlarge_captions(captions: list[tuple[TextLabel, str]], sizes: Mapping[str, float]) -> None:
    """Draw each kind of caption ``sizes[kind]`` times its size (the asset's size for a kind
    not named: an empty mapping brings them all back); the view's own scaling of its captions
    (``setScale``) comes on top."""
    for item, kind in captions:
        factor = sizes.get(kind, 1.0)
        item.setTransform(QTransform.fromScale(factor, factor))


def _clash(a: TextLabel, b: TextLabel, ratio: float) -> float:
    """How far apart down (in the scene) ``a`` and ``b`` must be to stay clear drawn at
    ``ratio`` times the artwork's scale, or 0 when they are clear across (as measured by
    :func:`caption_room`)."""
    (wa, ha), (wb, hb) = _box(a), _box(b)
    if abs(b.x() - a.x()) / ((wa + wb) / 2) >= ratio:
        return 0.0
    return ratio * (ha + hb) / 2


def spread_captions(captions: list[tuple[TextLabel, str]], ratio: float) -> list[QPointF]:
    """Move captions apart so that none runs into one on the line above or below it when drawn
    at up to ``ratio`` times the artwork's scale; returns where they all were. Only the lines
    stacked above a view move (its title, the orienting line, the side captions): the lowest
    keeps the bottom edge the asset gives it (clear of the drawing under it) and the lines
    above it go up, into the margin above the views. Captions on one line keep it (the view
    shrinks them if they would touch), and those with room enough (heel, toes) stay put."""
    items = [item for item, _kind in captions]
    before = [QPointF(item.pos()) for item in items]
    line = {id(item): item.y() for item in items}

    def clash(a: TextLabel, b: TextLabel) -> float:
        return 0.0 if abs(line[id(a)] - line[id(b)]) < 1 else _clash(a, b, ratio)

    stacked = {id(a) for a in items for b in items if abs(b.y() - a.y()) < clash(a, b)}
    placed: list[TextLabel] = []
    for a in sorted(items, key=lambda item: -item.y()):  # from the bottom up
        y = a.y()
        if id(a) in stacked:  # its bottom edge where the asset's size at the artwork's has it
            y -= (_box(a)[1] * ratio - a.text_rect.height()) / 2
        for b in placed:  # the lines below it: it goes up as far as they need
            need = clash(a, b)
            if need and b.y() - y < need:
                y = b.y() - need
        a.setY(y)
        placed.append(a)
    return before


SHORT_QUALIFIERS = {"Patient's": "Pt's"}
"""Whose side a side caption names, in its short form; a qualifier not named here (patient
mode's "Your") is short enough to keep whole."""


def short_words(text: str, kind: str) -> str:
    """A caption in fewer words: a side caption keeps whose side it names, shortened, and the
    side's initial (``Patient's RIGHT`` -> ``Pt's R``, ``Your LEFT`` -> ``Your L``): a bare
    "RIGHT" beside "LEFT" over the back view reads as the viewer's right, the wrong leg. A
    title loses its words in brackets (``Dorsal feet (top)`` -> ``Dorsal feet``)."""
    if kind == "side":
        whose, _, side = text.rpartition(" ")
        if not whose:
            return text
        return f"{SHORT_QUALIFIERS.get(whose, whose)} {side[:1]}"
    if kind == "title":
        return re.sub(r" \([^)]*\)$", "", text)
    return text


class CaptionWords:
    """The captions' full and short words, and the room every caption has with the words
    shown. A kind of caption (titles, sides) takes its short words while the full words of one
    of them would touch another caption even at the smallest size; the orienting lines
    ("facing the patient") give way first and are not counted."""

    KINDS = ("title", "side")

    def __init__(self, captions: list[tuple[TextLabel, str]]) -> None:
        self._captions = captions
        self._items = [item for item, _kind in captions]
        self.full = {id(item): item.text for item in self._items}
        kept = [item for item, kind in captions if kind != "orientation"]
        self._touch = caption_room(kept, margin=False)
        self._rooms: dict[frozenset[str], dict[int, float]] = {}
        self.short: frozenset[str] = frozenset()
        self.room = self._room_with(self.short)

    def _show(self, short: frozenset[str]) -> None:
        for item, kind in self._captions:
            full = self.full[id(item)]
            text = short_words(full, kind) if kind in short else full
            if item.text != text:
                item.set_text(text)
                item.setToolTip(full if text != full else "")  # the whole words on hover

    def _room_with(self, short: frozenset[str]) -> dict[int, float]:
        if short not in self._rooms:
            shown = self.short
            self._show(short)
            self._rooms[short] = caption_room(self._items)
            self._show(shown)
        return self._rooms[short]

    def fit(self, artwork_scale: float) -> dict[int, float]:
        """Show the words that fit at ``artwork_scale``; returns every caption's room."""
        short = frozenset(
            kind
            for item, kind in self._captions
            if kind in self.KINDS and artwork_scale * self._touch[id(item)] < CAPTION_SCALE_MIN
        )
        if short != self.short:
            room = self._room_with(short)
            self._show(short)
            self.short, self.room = short, room
        return self.room
