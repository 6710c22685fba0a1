"""GUI test set-up: PySide6 is imported first so pyqtgraph binds to it."""

import PySide6  # noqa: F401  (import order matters: before pyqtgraph)
