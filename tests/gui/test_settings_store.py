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
