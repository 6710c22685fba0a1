"""Start-up: the installed ``dermamap`` paints and gets ready quickly; pyqtgraph loads after."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QT_API"] = "pyside6"
    env["DERMAMAP_SETTINGS_DIR"] = str(tmp_path / "settings")
    env.setdefault("XDG_RUNTIME_DIR", "/tmp/dermamap-xdg-runtime")
    return env


def test_quit_when_ready_exits_zero_and_reports_times(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "dermamap"
    assert exe.exists(), f"the dermamap console script is not installed next to {sys.executable}"
    proc = subprocess.run(
        [str(exe), "--quit-when-ready"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=20,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    fp = re.search(r"^first-paint-ms=(\d+)$", proc.stderr, re.M)
    ready = re.search(r"^ready-ms=(\d+)$", proc.stderr, re.M)
    assert fp and ready, proc.stderr
    assert 0 < int(fp.group(1)) <= int(ready.group(1)) < 20000
    assert "Traceback" not in proc.stderr


def test_unknown_option_is_refused(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "dermamap"
    proc = subprocess.run(
        [str(exe), "--no-such-option"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 2
    assert "--no-such-option" in proc.stderr


def test_pyqtgraph_loads_only_after_first_paint(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        import gui.main_window
        w = gui.main_window.MainWindow()
        print("after-create", "pyqtgraph" in sys.modules, flush=True)
        w.show()
        print("after-show", "pyqtgraph" in sys.modules, flush=True)
        seen = []
        w.ready.connect(lambda: (seen.append(w.first_paint_time), app.quit()))
        app.exec()
        print("after-ready", "pyqtgraph" in sys.modules, w.panel.chart.loaded, flush=True)
        w.discard_and_close()
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    lines = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    assert lines["after-create"] == "False", "pyqtgraph imported before the first paint"
    assert lines["after-show"] == "False", "pyqtgraph imported before the first paint"
    assert lines["after-ready"] == "True True", "the chart was never built"


def _at_first_paint(
    tmp_path: Path, probe: str, after: str = "None", extra_env: dict[str, str] | None = None
) -> str:
    """Run ``gui.app.run(["--quit-when-ready"])`` in a fresh process and report two values.

    ``probe`` is evaluated when the first paint is seen and ``after`` once ``run`` returned
    (both Python expressions; ``gc``, ``os``, ``sys``, ``Path`` and PySide6's ``QtWidgets``
    are imported). Returns the
    process's stdout: ``first-frame [<probe>] after <after> rc <exit status>``.
    """
    script = textwrap.dedent(
        f"""
        import gc, os, sys
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6 import QtWidgets
        from gui.app import run
        import gui.main_window as mw
        seen = []
        orig = mw.MainWindow._after_first_paint
        def after_first_paint(self):
            seen.append({probe})
            orig(self)
        mw.MainWindow._after_first_paint = after_first_paint
        rc = run(["--quit-when-ready"])
        print("first-frame", seen, "after", {after}, "rc", rc, flush=True)
        """
    )
    env = _env(tmp_path)
    env["DERMAMAP_RECOVERY_DIR"] = str(tmp_path / "recovery")
    env["DERMAMAP_NONINTERACTIVE"] = "1"
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def test_run_turns_the_collector_back_on_once_ready(tmp_path: Path) -> None:
    """Start-up runs with the garbage collector off; it is on again when the window is ready."""
    out = _at_first_paint(tmp_path, "gc.isenabled()", after="gc.isenabled()")
    assert "first-frame [False] after True rc 0" in out, out


def test_fusion_is_named_at_start_so_the_first_frame_needs_no_style_wrapper(tmp_path: Path) -> None:
    """The app runs in Fusion; naming it when QApplication is made (not ``setStyle`` after)
    keeps PySide6 from building QStyle's Python type before the first frame (~4 ms)."""
    probe = '("QStyle" in vars(QtWidgets), QtWidgets.QApplication.style().name())'
    for theme in ("light", "dark"):
        # QT_STYLE_OVERRIDE: the app's own choice wins
        env = {"DERMAMAP_THEME": theme, "QT_STYLE_OVERRIDE": "Windows"}
        out = _at_first_paint(tmp_path, probe, extra_env=env)
        assert "first-frame [(False, 'fusion')] after None rc 0" in out, (theme, out)


def test_the_first_frame_shows_the_kept_picture_and_builds_the_chart_after_it(
    tmp_path: Path,
) -> None:
    """The first start keeps the chart's picture; the next one paints it instead of building the
    chart first (the chart's modules are not even imported before the first frame), and the
    live chart is there once the window is ready. ``DERMAMAP_NO_SNAPSHOT=1`` turns it off."""
    probe = '"gui.diagram.view" in sys.modules'
    after = (
        "sorted(p.name for p in (Path(os.environ['DERMAMAP_SETTINGS_DIR']) / 'cache').iterdir())"
    )
    env = {"DERMAMAP_THEME": "light"}
    first = _at_first_paint(tmp_path, probe, after=after, extra_env=env)
    assert "first-frame [True] after ['first-frame-light.bin'] rc 0" in first, first
    second = _at_first_paint(
        tmp_path, probe, after="'gui.diagram.view' in sys.modules", extra_env=env
    )
    assert "first-frame [False] after True rc 0" in second, second
    off = _at_first_paint(tmp_path, probe, extra_env={**env, "DERMAMAP_NO_SNAPSHOT": "1"})
    assert "first-frame [True] after None rc 0" in off, off
