"""Guards against Qt binding bugs that would crash a long session.

PySide6 6.12.0 (shiboken6) dropped one reference to ``None`` on every C++ call returning void;
on Python 3.11, where ``None`` is not immortal, a long session then aborts with
"none_dealloc". pyproject.toml pins a release without the bug; this test fails if a future
binding brings it back.
"""

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_none_refcount(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setVisible(False)
    assert sys.getrefcount(None) - before > -100
