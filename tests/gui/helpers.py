"""Shared helpers for the diagram GUI tests: drive the real view through its viewport."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView, QTableWidget, QWidget


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


def wheel_notch(widget: QWidget) -> bool:
    """Send ``widget`` one notch of the mouse wheel (down); whether it took the event. An
    ignored one goes on to the scroll area around it when it comes from the window system
    (Qt does not pass a synthesised one on)."""
    from PySide6.QtGui import QWheelEvent

    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        pos,
        widget.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()
    return event.isAccepted()


def show_view(qtbot: object, widget: QGraphicsView, width: int = 1000, height: int = 680) -> None:
    """Show a widget at a fixed size and wait until it is exposed."""
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)  # type: ignore[attr-defined]
    QApplication.processEvents()


ROOT = Path(__file__).resolve().parents[2]


def app_process_env(folder: Path) -> dict[str, str]:
    """Environment for a Dermamap process a test starts: offscreen, this checkout first on the
    path, and private settings, recovery and lock folders under ``folder`` (no leftover work
    of another run to offer)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_API="pyside6",
        PYTHONPATH=str(ROOT),
        DERMAMAP_RECOVERY_DIR=str(folder / "recovery"),
        DERMAMAP_SETTINGS_DIR=str(folder / "settings"),
        XDG_RUNTIME_DIR=str(folder),
    )
    return env


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class LockHolder:
    """Another process holding the :class:`~PySide6.QtCore.QLockFile` at ``path`` (a living
    window's lock) until :meth:`kill` (a crash: the lock file stays behind)."""

    def __init__(self, path: Path) -> None:
        import subprocess
        import sys

        code = (
            "import sys, time\nfrom PySide6.QtCore import QLockFile\n"
            "lock = QLockFile(sys.argv[1])\nprint(lock.tryLock(0), flush=True)\ntime.sleep(60)\n"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "True", "the lock was not taken"
        self.pid = self.proc.pid

    def kill(self, reap: bool = True) -> None:
        """End the process as a crash does (``reap=False`` leaves it a zombie)."""
        self.proc.kill()
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        if reap:
            self.proc.wait()


def edits_a_cell(table: QTableWidget, row: int, col: int, text: str) -> bool:
    """Double-click cell (``row``, ``col``) of ``table``, type ``text`` and Return, as a user
    would; True when that changed the cell or left an editor open."""
    before = table.item(row, col).text()
    centre = table.visualItemRect(table.item(row, col)).center()
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    QTest.keyClicks(table.viewport(), text)
    QTest.keyClick(table.viewport(), Qt.Key.Key_Return)
    return table.item(row, col).text() != before or table.state() is table.State.EditingState


def delta_e(a: QColor, b: QColor) -> float:
    """CIE76 colour difference of two opaque colours (sRGB, D65): about 2 is just noticeable,
    10 clearly different, 20 or more different colours at a glance."""

    def lab(c: QColor) -> tuple[float, float, float]:
        def lin(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        r, g, b = (lin(x) for x in (c.redF(), c.greenF(), c.blueF()))
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    return float(sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5)


def over(top: QColor, bottom: QColor) -> QColor:
    """``top`` (with its alpha) painted over the opaque ``bottom``."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + bottom.redF() * (1 - a),
        top.greenF() * a + bottom.greenF() * (1 - a),
        top.blueF() * a + bottom.blueF() * (1 - a),
    )


def unexpected_stderr(text: str, ours: Sequence[str] = ()) -> list[str]:
    """The lines of a child process's stderr that are neither the program's own (lines
    starting with one of ``ours``) nor the offscreen platform's known notice ("This plugin
    does not support ..."): a Qt warning there would otherwise pass unseen, since pytest-qt
    sees only the messages of the test's own process."""
    known = ("This plugin does not support ", *ours)
    return [line for line in text.splitlines() if line.strip() and not line.startswith(known)]


def passes_at_scale_2(test_file: str, test: str) -> None:
    """Run one test of ``test_file`` again in a process where Qt scales everything by 2, and
    assert it passes."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    target = f"{Path(test_file).resolve().relative_to(root)}::{test}"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", target, "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 passed" in proc.stdout


def start_quiz(w, qtbot, topics: Sequence[str], seed: str, n: int):  # type: ignore[no-untyped-def]
    """Quiz mode in window ``w``, ``topics`` only, ``seed`` typed, ``n`` questions, started
    with the Start button as a student does; returns the quiz panel."""
    from gui.state import Mode

    w.state.set_mode(Mode.QUIZ)
    panel = w.quiz_panel
    for topic, pill in panel.topic_pills.items():
        if pill.isChecked() != (topic in topics):
            qtbot.mouseClick(pill, Qt.MouseButton.LeftButton)
    panel.seed_edit.setText(seed)
    panel.count_spin.setValue(n)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    return panel
