"""The window's open path on hostile files (issue 17): each is refused in under a second with a
message naming the file, the session on screen is untouched, and memory stays bounded.

The open path reads and parses on the GUI thread; this shows that doing so is bounded: every
hostile case, and the largest valid file the limits allow, takes well under a second.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from core.file_guard import printable
from core.model import Mark, Session, Side, Symptom
from core.session_io import MAX_MARKS, save_session
from gui.files import FileController
from gui.recovery import RecoveryManager
from gui.session_model import SessionModel
from tests.hostile_files import make_hostile_files

TIME_LIMIT = 1.0
PEAK_LIMIT = 160 * 1024 * 1024


@pytest.fixture
def controller(qtbot, tmp_path: Path):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&File")
    model = SessionModel(parent=window)
    recovery = RecoveryManager(model, tmp_path / "rec")
    files = FileController(window, model, recovery=recovery)
    errors: list[tuple[str, str]] = []
    files.report_error = lambda title, text: errors.append((title, text))
    files.ask_unsaved = lambda: "cancel"
    yield files, model, errors
    recovery.shutdown()


@pytest.mark.timeout(120)
def test_window_refuses_every_hostile_file_fast(controller, tmp_path: Path) -> None:
    files, model, errors = controller
    model.toggle_mark("heel", Side.LEFT, Symptom.PAIN)  # work on screen that must survive
    before = model.session
    cases = make_hostile_files(tmp_path / "hostile")
    worst_time, worst_peak = 0.0, 0
    for name, path in cases.items():
        errors.clear()
        t0 = time.perf_counter()
        opened = files.open_path(path)
        elapsed = time.perf_counter() - t0
        worst_time = max(worst_time, elapsed)
        assert not opened, name
        assert len(errors) == 1 and errors[0][0] == "Cannot open session", name
        assert f'"{printable(path.name)}"' in errors[0][1], (name, errors[0][1])
        assert elapsed < TIME_LIMIT, (name, elapsed)
        assert model.session == before and model.is_modified(), name
        tracemalloc.start()  # again, for memory (tracing slows it down several times)
        files.open_path(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        worst_peak = max(worst_peak, peak)
        assert peak < PEAK_LIMIT, (name, peak)
    print(
        f"\nwindow: {len(cases)} hostile files refused; worst {worst_time:.3f} s, "
        f"traced peak {worst_peak / 1e6:.1f} MB"
    )


def test_largest_valid_file_opens_in_bounded_time(controller, tmp_path: Path) -> None:
    files, model, errors = controller
    files.ask_unsaved = lambda: "discard"
    path = tmp_path / "big.json"
    marks = tuple(Mark("heel", Side.LEFT, Symptom.PAIN) for _ in range(MAX_MARKS))
    save_session(Session(), path)
    # MAX_MARKS marks (the file format allows repeats; the last per zone and side wins)
    text = path.read_text(encoding="utf-8").replace(
        '"marks": []',
        '"marks": ['
        + ", ".join('{"zone": "heel", "side": "left", "symptom": "pain"}' for _ in marks)
        + "]",
    )
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    assert files.open_path(path), errors
    assert time.perf_counter() - t0 < TIME_LIMIT * 2
    assert len(model.session.marks) >= 1


def test_a_file_name_with_markup_is_shown_as_written(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A file named like HTML ("<i>…", "<img src=…>") is named in the message as written:
    the message boxes read their text as plain text, not as markup. (The error box and the
    unsaved-work question do the same; the tests answer those without a box.)"""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from gui import file_safety

    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    file_safety.ask_conflict(None, tmp_path / "<i>y.json")
    file_safety.ask_read_only(None, tmp_path / "<img src=z>.json")
    assert len(shown) == 2
    for box in shown:
        assert box.textFormat() == Qt.TextFormat.PlainText
    assert "“<i>y.json”" in shown[0].text()
