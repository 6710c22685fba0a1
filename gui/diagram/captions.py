"""The views' captions in a small window: how much room each has before it runs into another,
and the short words the view titles and side captions take when even their smallest size would
not fit (a window snapped to half a laptop screen): "Dorsal feet" for "Dorsal feet (top)",
"RIGHT" for "Patient's RIGHT"."""

from __future__ import annotations

import re
from itertools import combinations

from gui.diagram.items import TextLabel

CAPTION_SCALE_MIN = 0.55
"""Captions shrink below the labels' usual minimum (zoom.LABEL_SCALE_MIN) only so as not to
run into their neighbours in a small window, and never below this."""


def caption_room(captions: list[TextLabel], margin: bool = True) -> dict[int, float]:
    """For each caption (by ``id``), the largest scale, relative to the artwork's, at which it
    stays clear of every other caption: two boxes are clear when they are apart across or
    apart down (the title, the line under it and the side captions stack closely). Without
    ``margin``, the largest at which the words themselves do not touch."""
    room = {id(item): float("inf") for item in captions}
    # across: the bounding boxes, whose margin keeps a gap between words on one line; down:
    # the text's own height, whose line spacing already separates two lines
    boxes = [
        (item, (item.boundingRect() if margin else item.text_rect).width(), item.text_rect.height())
        for item in captions
    ]
    for (a, wa, ha), (b, wb, hb) in combinations(boxes, 2):
        across = abs(b.x() - a.x()) / ((wa + wb) / 2)
        down = abs(b.y() - a.y()) / ((ha + hb) / 2)
        fit = max(across, down)
        room[id(a)] = min(room[id(a)], fit)
        room[id(b)] = min(room[id(b)], fit)
    return room


def short_words(text: str, kind: str) -> str:
    """A caption in fewer words: a side caption's last word (``Patient's RIGHT`` -> ``RIGHT``),
    a title without its words in brackets (``Dorsal feet (top)`` -> ``Dorsal feet``)."""
    if kind == "side":
        return text.rsplit(" ", 1)[-1]
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
