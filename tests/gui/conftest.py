"""GUI test set-up: PySide6 is imported first so pyqtgraph binds to it; every test gets its own
settings and recovery folders, and the window's dialogs answer at once (no modal dialog can block
the run; :mod:`tests.gui.automation`)."""

import PySide6  # noqa: F401  (import order matters: before pyqtgraph)
import pytest

from tests.gui.automation import dialog_answers


@pytest.fixture(autouse=True)
def _isolated_app_env(tmp_path_factory, monkeypatch) -> None:
    base = tmp_path_factory.mktemp("app-env")
    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(base / "settings"))
    monkeypatch.setenv("DERMAMAP_RECOVERY_DIR", str(base / "recovery"))
    for (owner, name), value in dialog_answers().items():
        monkeypatch.setattr(owner, name, value)
    monkeypatch.setenv("DERMAMAP_DATA_DIR", str(base / "data"))  # quiz progress (issue 18)
