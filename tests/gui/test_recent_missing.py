"""Open Recent keeps a session whose file is away for a while (a USB drive or a network share
not connected), marks it "(not found)", and offers to remove it when it cannot be opened."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

NOT_FOUND = "(not found)"
DATA = Path(__file__).resolve().parent.parent / "core" / "data"


def _entries(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The recent menu as the user sees it when opening it: {path: text}."""
    menu = window.files.recent.menu
    menu.aboutToShow.emit()
    return {a.data(): a.text() for a in menu.actions() if a.data()}


def _two_sessions(window, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    drive = tmp_path / "usb"
    drive.mkdir()
    away = drive / "visit-usb.json"
    home = tmp_path / "visit-home.json"
    for p in (away, home):
        shutil.copy(DATA / "spec_example.json", p)
        assert window.files.open_path(p)
    return away.resolve(), home.resolve()


def test_a_missing_file_stays_listed_and_comes_back(window, tmp_path: Path) -> None:
    away, home = _two_sessions(window, tmp_path)
    unplugged = tmp_path / "usb-unplugged"
    away.parent.rename(unplugged)  # the drive is gone for now
    entries = _entries(window)
    assert list(entries) == [str(home), str(away)]  # still listed, in its place
    assert entries[str(away)].endswith(NOT_FOUND)
    assert NOT_FOUND not in entries[str(home)]
    (act,) = [a for a in window.files.recent.menu.actions() if a.data() == str(away)]
    assert act.font().italic() and "Not found now" in act.toolTip()
    assert window.files.recent.paths() == [str(home), str(away)]  # and in the settings
    unplugged.rename(away.parent)  # plugged in again
    entries = _entries(window)
    assert entries[str(away)] == "&2 visit-usb.json"
    (act,) = [a for a in window.files.recent.menu.actions() if a.data() == str(away)]
    act.trigger()
    assert window.model.path == away


def test_choosing_a_missing_one_offers_to_remove_it(window, tmp_path: Path) -> None:
    away, home = _two_sessions(window, tmp_path)
    away.unlink()
    asked: list[tuple[str, str]] = []
    seen: list[str] = []

    def answer(button: str, tries: int = 100) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if tries:
                QTimer.singleShot(20, lambda: answer(button, tries - 1))
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        (b,) = [b for b in box.buttons() if b.text().replace("&", "") == button]
        b.click()

    def entry_action():  # type: ignore[no-untyped-def]
        _entries(window)
        (act,) = [a for a in window.files.recent.menu.actions() if a.data() == str(away)]
        return act

    # the real question, answered "Keep in List": nothing changes
    QTimer.singleShot(0, lambda: answer("Keep in List"))
    entry_action().trigger()
    assert seen and "visit-usb.json" in seen[0] and "does not exist" in seen[0]
    assert window.files.recent.paths() == [str(home), str(away)]
    assert window.model.path == home  # the session on screen is as it was
    # answered "Remove from List": gone from the menu and the settings
    window.files.ask_forget_recent = lambda entry, problem: asked.append((entry, problem)) or True
    entry_action().trigger()
    assert asked and asked[0][0] == str(away)
    assert window.files.recent.paths() == [str(home)]
    assert list(_entries(window)) == [str(home)]
    assert window.model.path == home
