"""After a crash the restore question says whose work it is (the patient identifier and the
visit date stored in the leftover file) and, when several wait, which of them it is ("1 of 2"),
offering the next one after it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import session_to_dict
from gui import restore_dialog
from gui.recovery import find_leftovers
from gui.restore_dialog import RestoreDialog


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_leftover(folder: Path, name: str, data: dict, saved_at: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data["recovery"] = {"saved_at": saved_at, "original_path": None, "pid": _dead_pid()}
    path = folder / f"dermamap-{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def session(patient: str, day: str, zone: str) -> Session:
    return Session(
        marks=(Mark(zone, Side.LEFT, Symptom.PAIN),), visit=Visit(patient_id=patient, date=day)
    )


def _dialog_text(dlg: RestoreDialog) -> str:
    return "\n".join(label.text() for label in dlg.findChildren(QLabel))


def test_two_leftovers_are_offered_one_after_the_other(window) -> None:
    folder = window.files.recovery.directory
    older = write_leftover(
        folder,
        "1-a",
        session_to_dict(session("SMITH-4711", "2025-03-01", "heel")),
        "2025-03-01T09:00:00+00:00",
    )
    newer = write_leftover(
        folder,
        "2-b",
        session_to_dict(session("JONES-0815", "2025-03-02", "great_toe")),
        "2025-03-02T09:00:00+00:00",
    )
    seen: list[tuple[str, str]] = []
    answers = ["Restore", "Later"]

    def answer(tries: int = 100) -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, RestoreDialog):
            if tries:
                QTimer.singleShot(20, lambda: answer(tries - 1))
            return
        seen.append((dlg.windowTitle(), _dialog_text(dlg)))
        button = {"Restore": dlg.restore_button, "Later": dlg.later_button}[answers.pop(0)]
        if answers:
            QTimer.singleShot(0, answer)  # the next one is asked right after
        button.click()

    window.files.ask_restore = restore_dialog.ask_restore  # the real question
    QTimer.singleShot(0, answer)
    assert window.files.offer_restore()
    assert answers == [] and len(seen) == 2
    (title1, text1), (title2, text2) = seen
    assert "1 of 2" in title1 and "1 of 2" in text1
    assert "JONES-0815" in text1 and "2025-03-02" in text1  # the most recent first
    assert "SMITH-4711" not in text1
    assert "2 of 2" in title2 and "2 of 2" in text2
    assert "SMITH-4711" in text2 and "2025-03-01" in text2
    assert window.model.session.visit.patient_id == "JONES-0815"  # the first was restored
    assert not newer.exists()  # adopted as this window's recovery file
    assert older.exists()  # Later: kept for the next start
    assert [lo.path for lo in find_leftovers(folder, exclude=window.files.recovery.path)] == [older]


def test_a_broken_leftover_is_offered_with_what_can_be_read(window) -> None:
    folder = window.files.recovery.directory
    data = session_to_dict(session("P-<b>7</b>\u202e", "2025-04-05", "heel"))
    data["visit"]["notes"] = 12  # not text
    data["marks"].append({"zone": "no-such-zone", "side": "left", "symptom": "pain"})
    data["findings"] = "garbage"
    path = write_leftover(folder, "3-c", data, "2025-04-05T10:00:00+00:00")
    (lo,) = find_leftovers(folder, exclude=window.files.recovery.path)
    assert lo.path == path and lo.count == 1
    assert lo.session.visit.patient_id == "P-<b>7</b>\u202e"
    assert lo.patient_id == "P-<b>7</b>\\u202e"  # shown with the control character escaped
    assert lo.visit_date == "2025-04-05"
    assert [m.zone for m in lo.session.marks] == ["heel"]
    assert lo.problem and "1 of 2 marks" in lo.problem and "visit details" in lo.problem
    assert "patient P-<b>7</b>" in lo.describe()
    dlg = RestoreDialog(lo, window)
    text = _dialog_text(dlg)
    assert "P-&lt;b&gt;7&lt;/b&gt;" in text and "2025-04-05" in text  # not markup
    assert "damaged" in text and "Unsaved work 1 of" not in text
    answered: list[str] = []

    def restore(tries: int = 100) -> None:
        d = QApplication.activeModalWidget()
        if not isinstance(d, RestoreDialog):
            if tries:
                QTimer.singleShot(20, lambda: restore(tries - 1))
            return
        answered.append(_dialog_text(d))
        d.restore_button.click()

    window.files.ask_restore = restore_dialog.ask_restore
    QTimer.singleShot(0, restore)
    assert window.files.offer_restore()
    assert answered and window.model.session.visit.date == "2025-04-05"
    assert window.model.is_modified()
    dlg.deleteLater()


def test_not_a_session_is_left_alone(window) -> None:
    folder = window.files.recovery.directory
    write_leftover(folder, "4-d", {"format": "other", "version": 1, "marks": []}, "x")
    write_leftover(folder, "5-e", {"format": "dermamap-session", "version": 99}, "x")
    assert find_leftovers(folder, exclude=window.files.recovery.path) == []
