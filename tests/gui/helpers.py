"""Shared helpers for the diagram GUI tests: drive the real view through its viewport."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView


def _guard_none_refcount() -> None:
    """Work around PySide6 6.12 on CPython 3.11 dropping references to ``None``
    (and ``True``/``False``) on calls.

    Every void-returning Qt call made from Python decrements ``None``'s reference count; after
    a few thousand calls CPython aborts with ``none_dealloc``. From 3.12 on ``None`` is immortal.
    Here we give these singletons a large head start (the integrator should move this to app
    start-up and tests/conftest.py, or pin a PySide6 without the bug).
    """
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ref = ctypes.c_ssize_t.from_address(id(obj))
        if ref.value < 1 << 27:
            ref.value += 1 << 28


_guard_none_refcount()


def scene_to_viewport(view: QGraphicsView, x: float, y: float) -> QPoint:
    return view.mapFromScene(QPointF(x, y))


def click_scene_point(
    qtbot: object,
    view: QGraphicsView,
    x: float,
    y: float,
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> None:
    """Click the view's viewport at scene point (x, y) with QTest (real mouse events)."""
    pos = scene_to_viewport(view, x, y)
    QTest.mouseClick(view.viewport(), button, Qt.KeyboardModifier.NoModifier, pos)
    QApplication.processEvents()


def drag_scene_path(
    view: QGraphicsView,
    points: Sequence[tuple[float, float]],
    button: Qt.MouseButton = Qt.MouseButton.LeftButton,
) -> None:
    """Press at the first scene point, move through the others and release at the last."""
    vp = view.viewport()
    mods = Qt.KeyboardModifier.NoModifier
    first = scene_to_viewport(view, *points[0])
    QTest.mousePress(vp, button, mods, first)
    for x, y in points[1:]:
        QTest.mouseMove(vp, scene_to_viewport(view, x, y))
    QTest.mouseRelease(vp, button, mods, scene_to_viewport(view, *points[-1]))
    QApplication.processEvents()


def show_view(qtbot: object, widget: QGraphicsView, width: int = 1000, height: int = 680) -> None:
    """Show a widget at a fixed size and wait until it is exposed."""
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)  # type: ignore[attr-defined]
    QApplication.processEvents()
