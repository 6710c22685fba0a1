"""Start the Dermamap window: ``dermamap [FILE] [--quit-when-ready]``.

Start-up is split in two so the window paints as early as possible:

1. before the first paint: Qt, the session model, the window's menus, toolbar and status bar,
   and the diagram's start-up picture: the pixels of the chart as the previous start showed
   it, when they are certainly current for this window (see :mod:`gui.diagram.snapshot`);
   otherwise (first start, other size, palette or code) the live chart itself. No pyqtgraph,
   no shapely, no clinical tables;
2. after the first paint (zero-timers, one step per event-loop turn): the live chart in the
   picture's place (same pixels, so nothing changes on screen; it takes the focus and the
   clicks), the side panel (into a slot of the same width, so nothing moves), file handling
   and crash recovery, the warning-sign checklist, pyqtgraph and the score chart, the engine's
   tables under every atlas. Tabs not shown at first (exam form, region list) are built when
   opened. Once ready, idle steps fill the chart's item caches, make the result rows and keep
   the start-up picture for the next start.

The garbage collector is off until the window is ready (start-up allocates much and frees
little); the window then freezes what start-up built and the collector is turned back on.

``--quit-when-ready`` exits 0 once both are done (after the idle steps) and prints
``first-paint-ms=<n>`` and ``ready-ms=<n>`` to stderr. Times are measured from the start of
the *process* (Linux ``/proc/self/stat``; elsewhere from the start of :func:`run`).

Environment variables:

``DERMAMAP_THEME``
    ``dark`` or ``light`` forces a palette (screenshots); default: follow the system.
``DERMAMAP_SETTINGS_DIR``
    Keep the settings (window geometry, ...) in this folder instead of the user's config
    (tests use a temporary folder).
``DERMAMAP_CACHE_DIR``
    Keep the diagram's start-up picture in this folder (default: ``cache`` in
    ``DERMAMAP_SETTINGS_DIR`` when that is set, else the user's cache folder).
``DERMAMAP_NO_SNAPSHOT``
    ``1`` turns the start-up picture off: the first frame always draws the live chart.
``DERMAMAP_DEBUG_ANALYSIS``
    ``1`` prints one line per analysis to stderr (used by the real-desktop smoke test).
``DERMAMAP_DEBUG_ZONE_POS``
    ``zone_id,side`` prints that zone's global screen position to stderr once shown, and
    whether the first frame showed the chart's start-up picture or the live chart.
"""

from __future__ import annotations

import gc
import os
import sys
import time


def _process_start_offset() -> float:
    """Seconds between the process start and now (0 if unknown)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            stat = f.read()
        # field 22 (starttime, clock ticks since boot); fields after the ")" of the command name
        fields = stat.rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        hz = os.sysconf("SC_CLK_TCK")
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        offset = since_boot - start_ticks / hz
        return max(0.0, offset) if offset < 120 else 0.0
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def parse_args(argv: list[str]) -> tuple[str | None, bool]:
    """Return ``(FILE or None, quit_when_ready)``; unknown options raise ``SystemExit(2)``."""
    path: str | None = None
    quit_when_ready = False
    for arg in argv:
        if arg == "--quit-when-ready":
            quit_when_ready = True
        elif arg in ("-h", "--help"):
            print(
                "usage: dermamap [FILE] [--quit-when-ready]\n"
                "       dermamap analyze FILE... [--atlas ID] [--format json|text]\n"
                "       dermamap --version"
            )
            raise SystemExit(0)
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
    """Fusion style; a dark palette when forced or when the system asks for dark.

    Light: the Fusion style's own palette. At start-up (``initial``) a light window keeps the
    palette Qt already gave it, which is that same palette unless the platform supplies its
    own (asking the style for it costs the first frame ~8 ms of PySide6 type set-up).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from gui import theme

    assert isinstance(app, QApplication)
    forced = os.environ.get("DERMAMAP_THEME", "").strip().lower()
    if forced == "dark":
        dark = True
    elif forced == "light":
        dark = False
    else:
        dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if dark:
        from PySide6.QtGui import QColor, QPalette

        pal = theme.dark_palette()
        grey = QColor("#8a8a8a")
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            pal.setColor(QPalette.ColorGroup.Disabled, role, grey)
        app.setPalette(pal)
    elif not initial:
        app.setPalette(app.style().standardPalette())


def run(argv: list[str]) -> int:
    """Run the window; returns the process exit status."""
    t_run = time.perf_counter()
    # Start-up allocates a lot and frees little: no collector passes until the window is ready
    # (they would scan everything imported so far, again and again; ~10 ms before the first
    # frame, ~30 ms in all). The window then freezes what start-up built and this turns the
    # collector back on.
    gc.disable()
    t0 = t_run - _process_start_offset()
    path, quit_when_ready = parse_args(argv)

    os.environ.setdefault("QT_API", "pyside6")  # pyqtgraph binds to PySide6 (loaded later)
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    from gui import pyside_speedup

    pyside_speedup.install()  # PySide6's check of each later import, from file bytes

    QCoreApplication.setOrganizationName("Dermamap")
    QCoreApplication.setOrganizationDomain("dermamap.invalid")
    QCoreApplication.setApplicationName("Dermamap")
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
        app.setStyle("Fusion")
    else:
        # Fusion named at construction: setStyle() afterwards would replace the platform's
        # default style and make PySide6 build QStyle's Python type (~4 ms before the first frame)
        app = QApplication([sys.argv[0], "-style", "Fusion"])
    app.setApplicationDisplayName("Dermamap")
    apply_theme(app, initial=True)

    from gui.main_window import MainWindow

    window = MainWindow(initial_path=path, snapshot=True)

    def scheme_changed(_scheme: object) -> None:
        apply_theme(app)
        window.refresh_theme()

    if not os.environ.get("DERMAMAP_THEME"):
        app.styleHints().colorSchemeChanged.connect(scheme_changed)

    def ms(t: float) -> int:
        return round((t - t0) * 1000.0)

    def on_ready() -> None:
        fp = window.first_paint_time
        print(
            f"first-paint-ms={ms(fp if fp is not None else time.perf_counter())}", file=sys.stderr
        )
        print(f"ready-ms={ms(time.perf_counter())}", file=sys.stderr, flush=True)
        if quit_when_ready:
            # after the window's idle steps (queued before ``ready``), such as keeping the
            # chart's start-up picture for the next start
            QTimer.singleShot(0, quit_now)

    def quit_now() -> None:
        window.discard_and_close()
        app.quit()

    window.ready.connect(gc.enable)  # after the window's gc.freeze()
    QTimer.singleShot(30_000, gc.enable)  # in case a deferred step failed and ready never came
    if quit_when_ready:
        window.ready.connect(on_ready)
    window.show()
    return int(app.exec())
