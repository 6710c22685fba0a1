"""The status bar: the zone the keyboard or the pointer is on shows at once, whatever message
came before it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import save_session
from core.zones import display_name
from gui.main_window import MainWindow


def _open(window: MainWindow, path: Path) -> None:
    """File > Open, the dialog answering ``path``."""
    window.files.ask_open_path = lambda: str(path)
    window.files.open_action.trigger()
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == f"Opened {path.name}"
    assert not window.hover_label.isVisible()  # (Qt hides it under a temporary message)


def _named(window: MainWindow) -> str:
    return window.hover_label.text() if window.hover_label.isVisible() else ""


def test_a_zone_reached_after_opening_a_file_is_named_at_once(
    window: MainWindow, qtbot, tmp_path: Path
) -> None:
    """After File > Open, "Opened X.json" stayed six seconds and hid the zone name the keyboard
    user had just moved to: a newer zone name ends the message. The summary shows throughout."""
    path = tmp_path / "visit.json"
    save_session(Session(marks=(Mark("heel", Side.LEFT, Symptom.PAIN, 1.0),)), path)
    summary = window.status.summary_label
    _open(window, path)
    assert summary.isVisible() and summary.text().startswith("1 zone marked")

    v = window.diagram  # the keyboard
    window.activateWindow()
    v.setFocus()
    qtbot.waitUntil(v.hasFocus)
    QTest.keyClick(v, Qt.Key.Key_Tab)
    side, zone = window.state.current_zone
    assert zone
    assert _named(window) == f"{side.capitalize()} {display_name(zone).lower()}"
    assert window.statusBar().currentMessage() == ""
    assert summary.isVisible() and summary.text().startswith("1 zone marked")
    QTest.keyClick(v, Qt.Key.Key_Escape)

    _open(window, path)  # the pointer
    pos = window.zone_viewport_pos("heel", "left")
    assert pos is not None
    QTest.mouseMove(v.viewport(), QPoint(*pos))
    qtbot.waitUntil(lambda: window.state.hovered_zone[1] != "")
    side, zone = window.state.hovered_zone
    assert _named(window) == f"{side.capitalize()} {display_name(zone).lower()}"
    assert summary.isVisible()


def test_a_message_without_a_new_zone_stays(window: MainWindow, tmp_path: Path) -> None:
    """Only a zone newly reached ends the message: opening a file, or the pointer leaving the
    diagram, leaves "Opened X.json" on show."""
    path = tmp_path / "visit.json"
    save_session(Session(), path)
    _open(window, path)
    window.state.set_hovered_zone("", "")
    window.state.set_current_zone("", "")
    QApplication.processEvents()
    assert window.statusBar().currentMessage() == f"Opened {path.name}"


def test_the_status_bar_says_whose_record_is_open(window: MainWindow, tmp_path: Path) -> None:
    """The title names the file, never the patient (file names hold no identifier), so two
    visits of one day looked alike while open (a clinician's walkthrough): the status bar's
    summary names the patient and the visit from Visit Details, as plain text."""
    path = tmp_path / "session-2026-12-07.json"
    marks = (Mark("heel", Side.LEFT, Symptom.PAIN),)
    save_session(Session(marks=marks, visit=Visit(patient_id="MRN 4711", date="2026-11-02")), path)
    _open(window, path)
    assert window.status.summary_text().startswith("Patient MRN 4711 (visit 2026-11-02) · ")
    window.model.set_visit(Visit(patient_id="<b>Smith</b>"))  # typed in Visit Details
    QApplication.processEvents()
    assert window.status.summary_text().startswith("Patient <b>Smith</b> · 1 zone marked")
    assert window.summary_label.textFormat() is Qt.TextFormat.PlainText
    window.model.set_visit(Visit())
    QApplication.processEvents()
    assert window.status.summary_text().startswith("1 zone marked")


def test_an_emergency_leads_the_status_bar_before_whose_record_it_is(
    window: MainWindow, tmp_path: Path
) -> None:
    """With the patient first, a narrow window cut the emergency off the line's end (a review:
    "EMERGENCY: exclude cauda equin.."): the urgent headline comes first, then the patient."""
    path = tmp_path / "session-2026-12-07.json"
    marks = (Mark("saddle", Side.LEFT, Symptom.NUMBNESS),)
    save_session(Session(marks=marks, visit=Visit(patient_id="MRN " + "4" * 40)), path)
    _open(window, path)
    whole = window.status.summary_text()
    assert whole.startswith("EMERGENCY: ")
    assert whole.index("EMERGENCY") < whole.index("Patient MRN") < whole.index("1 zone marked")
