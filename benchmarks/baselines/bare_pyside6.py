"""Baseline: a bare PySide6 ``QMainWindow`` with a label, shown once.

Prints ``first-paint-ms=<n>`` and ``ready-ms=<n>`` to stderr, measured from the start of the
process exactly as ``dermamap --quit-when-ready`` measures them (the first paint is noted in a
zero-timer after the window's first update request or paint event), then quits.
"""

from __future__ import annotations

import os
import sys
import time


def _process_start_offset() -> float:
    """Seconds between the process start and now (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        offset = since_boot - int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, offset) if offset < 120 else 0.0
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


T0 = time.perf_counter() - _process_start_offset()


def main(with_pyqtgraph: bool = False) -> int:
    """Show the window; with ``with_pyqtgraph`` the window shows a small pyqtgraph plot."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    if with_pyqtgraph:
        os.environ.setdefault("QT_API", "pyside6")
        import pyqtgraph as pg
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setWindowTitle("bare")
    if with_pyqtgraph:
        plot = pg.PlotWidget()
        plot.plot([0, 1, 2, 3, 4, 5], [0.2, 0.8, 0.5, 0.9, 0.4, 0.6])
        window.setCentralWidget(plot)
    else:
        window.setCentralWidget(QLabel("bare window"))
    window.resize(1200, 760)
    times: dict[str, float] = {}

    def ms(t: float) -> int:
        return round((t - T0) * 1000.0)

    def ready() -> None:
        print(f"first-paint-ms={ms(times['fp'])}", file=sys.stderr)
        print(f"ready-ms={ms(time.perf_counter())}", file=sys.stderr, flush=True)
        app.quit()

    def painted() -> None:
        times["fp"] = time.perf_counter()
        QTimer.singleShot(0, ready)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if "seen" not in times and event.type() in (
                QEvent.Type.UpdateRequest,
                QEvent.Type.Paint,
            ):
                times["seen"] = 1.0
                QTimer.singleShot(0, painted)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
