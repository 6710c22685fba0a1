"""One settings store: the window layout, the recent files and the theme share it, and a folder
it makes is owner-only (there were three copies of it; one made the folder readable by all)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gui import settings_store, theme_setting


def test_the_settings_folder_it_makes_is_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new" / "settings"
    monkeypatch.setenv(settings_store.ENV_DIR, str(folder))
    st = settings_store.app_settings()
    assert Path(st.fileName()).parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    theme_setting.save_choice("dark")  # the theme is saved in the same store
    assert settings_store.app_settings().value(theme_setting.SETTINGS_KEY) == "dark"
    assert theme_setting.saved_choice() == "dark"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_settings_file_that_is_no_regular_file_is_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """A hostile-input review: a FIFO in the settings file's place hung start-up for ever (Qt
    reads it blocking), and a link to /dev/zero had the device replaced by the settings (Qt's
    atomic save). The settings are then kept for this run only, elsewhere, and stderr says
    why, naming the file; what is there is left alone."""
    import os

    folder = tmp_path / "settings"
    folder.mkdir()
    place = folder / "Dermamap.ini"
    if kind == "fifo":
        os.mkfifo(place)
    else:
        place.mkdir()
    monkeypatch.setenv(settings_store.ENV_DIR, str(folder))
    st = settings_store.app_settings()
    assert Path(st.fileName()).parent != folder
    theme_setting.save_choice("dark")  # the whole app shares the run's store
    assert theme_setting.saved_choice() == "dark"
    st.sync()
    assert stat.S_ISFIFO(place.stat().st_mode) if kind == "fifo" else place.is_dir()
    assert f"the settings file {place} is not a regular file" in capsys.readouterr().err


def test_the_users_own_settings_file_is_checked_before_qt_reads_it(tmp_path: Path) -> None:
    """A review: without DERMAMAP_SETTINGS_DIR, Qt read the user's settings file as the store
    was made, before the check: a FIFO there still hung start-up. Run in its own process (a
    hang ends in the timeout)."""
    import os
    import subprocess
    import sys

    config = tmp_path / "config"
    (config / "Dermamap").mkdir(parents=True)
    fifo = config / "Dermamap" / "Dermamap.conf"
    os.mkfifo(fifo)
    env = {k: v for k, v in os.environ.items() if k != settings_store.ENV_DIR}
    env["XDG_CONFIG_HOME"] = str(config)
    code = (
        "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]); "
        "from gui import settings_store; print(settings_store.app_settings().fileName())"
    )
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    assert "dermamap-settings-" in proc.stdout
    assert f"the settings file {fifo} is not a regular file" in proc.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_link_to_nothing_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: a settings file that was a link to a missing file had that file made wherever
    the link pointed."""
    import os

    folder = tmp_path / "settings"
    folder.mkdir()
    target = tmp_path / "elsewhere" / "made.ini"
    target.parent.mkdir()
    os.symlink(target, folder / "Dermamap.ini")
    monkeypatch.setenv(settings_store.ENV_DIR, str(folder))
    st = settings_store.app_settings()
    st.setValue("k", "v")
    st.sync()
    assert not target.exists()
