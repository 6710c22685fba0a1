"""Baseline: PySide6 (imported first) + pyqtgraph, a window showing a small plot.

The plain way to write such a program: PySide6 and pyqtgraph imported up front, the plot built
and the window shown; ``first-paint-ms`` and ``ready-ms`` are both the first paint of the plot
(same measurement as :mod:`benchmarks.baselines.bare_pyside6`).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bare_pyside6

if __name__ == "__main__":
    raise SystemExit(bare_pyside6.main(with_pyqtgraph=True))
