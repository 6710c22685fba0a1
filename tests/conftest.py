"""Test set-up shared by every test: headless Qt before anything imports it."""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph: never pick PyQt6
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/dermamap-xdg-runtime")
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
