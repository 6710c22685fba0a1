"""The views' captions in a small window: how much room each has before it runs into another,
and the side captions' short words ("RIGHT" for "Patient's RIGHT") when even their smallest
size would not fit (a window snapped to half a laptop screen)."""

from __future__ import annotations

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


def short_side(text: str) -> str:
    """A side caption's last word: ``Patient's RIGHT`` -> ``RIGHT``, ``Your LEFT`` -> ``LEFT``."""
    return text.rsplit(" ", 1)[-1]


class SideWords:
    """The side captions' full and short words, and the room every caption has with each."""

    def __init__(self, captions: list[tuple[TextLabel, str]]) -> None:
        items = [item for item, _kind in captions]
        self.sides = [item for item, kind in captions if kind == "side"]
        self.full = {id(item): item.text for item in self.sides}
        self.room_full = caption_room(items)
        # the orienting lines ("facing the patient") give way first: not counted here
        kept = [item for item, kind in captions if kind != "orientation"]
        self.touch_full = caption_room(kept, margin=False)
        for item in self.sides:
            item.set_text(short_side(item.text))
        self.room_short = caption_room(items)
        for item in self.sides:
            item.set_text(self.full[id(item)])
        self.short = False

    def fit(self, artwork_scale: float) -> dict[int, float]:
        """Short words while the full words of a side caption would touch another's even at the
        smallest size; returns the room of every caption with the words now shown."""
        short = any(artwork_scale * self.touch_full[id(i)] < CAPTION_SCALE_MIN for i in self.sides)
        if short != self.short:
            self.short = short
            for item in self.sides:
                full = self.full[id(item)]
                item.set_text(short_side(full) if short else full)
                item.setToolTip(full if short else "")  # the whole words on hover
        return self.room_short if short else self.room_full
