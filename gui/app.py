"""Start the Dermamap window (placeholder until the main window lands)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def run(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    w = QLabel("Dermamap")
    w.show()
    return int(app.exec())
