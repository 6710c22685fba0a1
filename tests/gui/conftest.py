"""GUI test set-up: PySide6 is imported first so pyqtgraph binds to it; every test gets its own
settings and recovery folders and no theme from the environment, and the window's dialogs answer
at once (no modal dialog can block the run; :mod:`tests.gui.automation`). ``window`` is the real
main window at a laptop's size, shown and ready."""

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
    monkeypatch.delenv("DERMAMAP_THEME", raising=False)  # the theme a test sets, or the system's


@pytest.fixture(scope="session", autouse=True)
def _app_style(qapp):  # type: ignore[no-untyped-def]
    """The application's own style, as ``gui.app.run`` gives it."""
    from gui import app_style

    app_style.install(qapp)


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    """The main window at 1366 x 768 (a laptop screen at scale 1), shown, after its first frame."""
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.is_ready, timeout=15000)
    yield w
    w.discard_and_close()


@pytest.fixture
def restore_palette():  # type: ignore[no-untyped-def]
    """Put back the application palette a test changed (theme tests)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    yield
    app.setPalette(old)
    QApplication.processEvents()
