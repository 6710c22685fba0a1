"""The small combo boxes the exam forms are made of (findings, sensory grid)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QSizePolicy


def combo(items: Sequence[tuple[str, Any]], name: str) -> QComboBox:
    """A combo of ``(text, data)`` items; ``name`` is its accessible name and tooltip."""
    c = QComboBox()
    for text, data in items:
        c.addItem(text, data)
    c.setAccessibleName(name)
    c.setToolTip(name)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    c.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return c


def show_data(c: QComboBox, data: Any) -> None:
    """Select the item holding ``data`` (the first item when none does) without signalling:
    the forms re-read the model, they do not write it back."""
    i = max(0, c.findData(data))
    if c.currentIndex() != i:
        with QSignalBlocker(c):
            c.setCurrentIndex(i)
