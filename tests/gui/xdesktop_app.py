"""The app as the real-desktop smoke test runs it: ``gui.app.run`` with a window that reports
to stderr what the test needs (test code, kept out of the app).

- ``dermamap-zone-pos: X Y``: once ready, the global screen position of a point inside the zone
  named by the first argument (``zone_id,side``);
- ``dermamap-analysis: urgent=0|1 marks=N right=ids left=ids``: after each analysis the panel
  shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import gui.main_window  # noqa: E402
from gui.app import run  # noqa: E402
from tests.gui import automation  # noqa: E402


def _report(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    zone, _, side = argv[0].partition(",")
    base = gui.main_window.MainWindow

    class ReportingWindow(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.panel.analysis_updated.connect(self._report_analysis)
            self.ready.connect(self._report_zone_pos)

        def _report_analysis(self) -> None:
            p = self.panel
            _report(
                f"dermamap-analysis: urgent={int(p.analysis.urgent)} "
                f"marks={len(self.model.session.marks)} "
                f"right={','.join(p.displayed('right'))} left={','.join(p.displayed('left'))}"
            )

        def _report_zone_pos(self) -> None:
            pos = self.zone_global_pos(zone, side or "right")
            if pos is None:
                _report(f"dermamap-zone-pos: {zone},{side} not found")
            else:
                _report(f"dermamap-zone-pos: {pos[0]} {pos[1]}")

    gui.main_window.MainWindow = ReportingWindow  # type: ignore[misc]
    automation.answer_dialogs()  # Ctrl+Q discards the test's mark instead of asking
    return run(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
