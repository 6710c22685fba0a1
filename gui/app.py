"""Start the Dermamap window: ``dermamap [FILE] [--quit-when-ready]``.

Start-up in plain order: Qt and the palette, a plain splash screen, the main window (diagram,
side panel, menus), then the window is shown in the splash's place. As the event loop starts,
the window opens FILE and offers back work left over from a crash; after its first frame it
reports ``ready`` (the engine builds its tables on the first analysis).

``--quit-when-ready`` exits 0 once the window is ready and prints ``first-paint-ms=<n>`` (the
splash screen shown) and ``ready-ms=<n>`` to stderr (milliseconds since :func:`run` started).

Environment variables (user settings, documented in the README):

``DERMAMAP_THEME``
    ``dark`` or ``light`` forces a palette, overriding View -> Theme (saved in the settings;
    default: follow the system).
``DERMAMAP_SETTINGS_DIR``
    Keep the settings (window geometry, ...) in this folder instead of the user's config
    (portable use; the tests use a temporary folder).
``DERMAMAP_RECOVERY_DIR``
    Keep the crash-recovery copies in this folder (see :mod:`gui.recovery`).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QLabel


def parse_args(argv: list[str]) -> tuple[str | None, bool]:
    """Return ``(FILE or None, quit_when_ready)``; unknown options raise ``SystemExit(2)``."""
    path: str | None = None
    quit_when_ready = False
    for arg in argv:
        if arg == "--quit-when-ready":
            quit_when_ready = True
        elif arg in ("-h", "--help"):
            from core.cli import print_or_fail

            code = print_or_fail(
                "usage: dermamap [FILE] [--quit-when-ready]\n"
                "       dermamap analyze FILE... [--atlas ID] [--format json|text]\n"
                "       dermamap report FILE [-o OUT.pdf] [--png OUT.png] [--csv OUT.csv] "
                "[--fhir OUT.json] [--compare OLD] [--atlas ID] [--overlay]\n"
                "       dermamap compare OLD NEW [--atlas ID] [--format json|text]\n"
                "       dermamap --version\n"
                "Each subcommand has its own --help."
            )
            raise SystemExit(code)
        elif arg.startswith("-") and arg != "-":
            print(f"dermamap: unknown option {arg!r}", file=sys.stderr)
            raise SystemExit(2)
        elif path is None:
            path = arg
        else:
            print("dermamap: only one session file can be opened", file=sys.stderr)
            raise SystemExit(2)
    return path, quit_when_ready


def apply_theme(app: object, initial: bool = False) -> None:
    """Fusion style and the palette of the theme in force (View -> Theme, saved in the
    settings; ``$DERMAMAP_THEME`` overrides it): see :mod:`gui.theme_setting`."""
    from PySide6.QtWidgets import QApplication

    from gui import theme_setting

    assert isinstance(app, QApplication)
    theme_setting.apply_palette(app, initial=initial)


def show_splash(app: QApplication) -> QLabel:
    """A plain splash screen, shown and painted now (the window takes a moment to build).

    A label in a splash-screen window rather than ``QSplashScreen``, whose ``show()`` waits up to
    a second for the window system to expose it (always the full second offscreen).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFrame, QLabel

    splash = QLabel("Dermamap\nloading…")
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    splash.setFrameShape(QFrame.Shape.Box)
    font = splash.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    splash.setFont(font)
    splash.resize(360, 120)
    screen = app.primaryScreen()
    if screen is not None:
        splash.move(screen.availableGeometry().center() - splash.rect().center())
    splash.show()
    app.processEvents()
    return splash


def run(argv: list[str]) -> int:
    """Run the window; returns the process exit status."""
    t0 = time.perf_counter()
    path, quit_when_ready = parse_args(argv)

    os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph binds to PySide6
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("Dermamap")
    QCoreApplication.setOrganizationDomain("dermamap.invalid")
    QCoreApplication.setApplicationName("Dermamap")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    from gui import app_style

    app_style.install(app)  # Fusion, whatever the platform's or QT_STYLE_OVERRIDE's choice
    app.setApplicationDisplayName("Dermamap")
    apply_theme(app, initial=True)
    splash = show_splash(app)
    splash_shown = time.perf_counter()

    from gui.main_window import MainWindow

    window = MainWindow(initial_path=path)

    def scheme_changed(_scheme: object) -> None:
        from gui import theme_setting

        theme_setting.system_scheme_changed(window)

    app.styleHints().colorSchemeChanged.connect(scheme_changed)

    def ms(t: float | None) -> int:
        return round(((t if t is not None else time.perf_counter()) - t0) * 1000.0)

    def on_ready() -> None:
        print(f"first-paint-ms={ms(splash_shown)}", file=sys.stderr)
        print(f"ready-ms={ms(window.ready_time)}", file=sys.stderr, flush=True)
        window.discard_and_close()
        app.quit()

    if quit_when_ready:
        window.ready.connect(on_ready)
    window.show()
    splash.close()
    return int(app.exec())
