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
