"""Benchmark: open a large session file and show it (load + replace_session + first paint).

The file has 5,000 mark entries (200 with ``quick``) cycling over every zone the diagram knows
(canonical areas and finer zones) x both sides x the three symptoms; the loader keeps the last
mark per zone and side, as the session format says. Timed: :func:`core.session_io.load_session`,
:meth:`SessionModel.replace_session` and event processing until the diagram's viewport has
painted. Target: under 500 ms for the 5,000-entry file.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 500.0


def _write_file(path: Path, n: int) -> int:
    from core import zones

    ids = sorted(zones.areas()) + sorted(zones.fine_zones())
    symptoms = ("numbness", "tingling", "pain")
    marks = []
    for i in range(n):
        zone = ids[i % len(ids)]
        side = ("left", "right")[(i // len(ids)) % 2]
        marks.append(
            {
                "zone": zone,
                "side": side,
                "symptom": symptoms[i % 3],
                "coverage": 1.0 if i % 5 else 0.5,
            }
        )
    data = {"format": "dermamap-session", "version": 1, "atlas": "consensus", "marks": marks}
    path.write_text(json.dumps(data), encoding="utf-8")
    return len(ids)


def run(quick: bool = False) -> dict[str, Any]:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from core.model import Session
    from core.session_io import load_session
    from gui.diagram.view import DiagramView
    from gui.session_model import SessionModel
    from gui.state import UiState

    n = 200 if quick else 5000
    repeats = 3 if quick else 7
    model = SessionModel()
    state = UiState()
    view = DiagramView(model, state)
    view.resize(1200, 800)
    view.show()
    app.processEvents()

    class PaintSeen(QObject):
        seen = False

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    spy = PaintSeen()
    view.viewport().installEventFilter(spy)
    times, load_ms = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        n_zones = _write_file(path, n)
        size = path.stat().st_size
        for i in range(repeats):
            model.replace_session(Session())  # start from an empty chart each round
            app.processEvents()
            spy.seen = False
            t0 = time.perf_counter()
            session = load_session(path)
            t1 = time.perf_counter()
            model.replace_session(session, path)
            deadline = t1 + 10
            while not spy.seen and time.perf_counter() < deadline:
                app.processEvents()
            t2 = time.perf_counter()
            if i or quick:  # the first round warms caches
                times.append((t2 - t0) * 1000)
                load_ms.append((t1 - t0) * 1000)
        marks = len(model.session.marks)
    view.close()
    view.deleteLater()
    app.processEvents()
    med = statistics.median(times)
    return {
        "name": "open",
        "mark_entries": n,
        "distinct_marks": marks,
        "known_zones": n_zones,
        "file_bytes": size,
        "load_ms_median": round(statistics.median(load_ms), 1),
        "open_and_shown_ms_median": round(med, 1),
        "open_and_shown_ms_max": round(max(times), 1),
        "target_ms": TARGET_MS,
        "ok": marks > 0 and (quick or med <= TARGET_MS),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
