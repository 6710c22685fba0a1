"""Start-up: the installed ``dermamap`` paints, gets ready and quits when asked."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.gui.helpers import ROOT, app_process_env, unexpected_stderr


def test_quit_when_ready_exits_zero_and_reports_times(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "dermamap"
    assert exe.exists(), f"the dermamap console script is not installed next to {sys.executable}"
    proc = subprocess.run(
        [str(exe), "--quit-when-ready"],
        env=app_process_env(tmp_path),
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
    assert not unexpected_stderr(proc.stderr, ("first-paint-ms=", "ready-ms=")), proc.stderr


def test_unknown_option_is_refused(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "dermamap"
    proc = subprocess.run(
        [str(exe), "--no-such-option"],
        env=app_process_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 2
    assert "--no-such-option" in proc.stderr


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
    env = app_process_env(tmp_path)
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout + proc.stderr


def test_the_app_runs_in_fusion_whatever_the_style_override(tmp_path: Path) -> None:
    """The app runs in Fusion (under its own proxy style, :mod:`gui.app_style`)."""
    probe = "QtWidgets.QApplication.style().baseStyle().name()"
    for theme in ("light", "dark"):
        # QT_STYLE_OVERRIDE: the app's own choice wins
        env = {"DERMAMAP_THEME": theme, "QT_STYLE_OVERRIDE": "Windows"}
        out = _at_first_paint(tmp_path, probe, extra_env=env)
        assert "first-frame ['fusion'] after None rc 0" in out, (theme, out)


def test_help_lists_every_subcommand(capsys) -> None:  # type: ignore[no-untyped-def]
    """``dermamap --help`` named only ``analyze``; ``report`` and ``compare`` exist too."""
    from gui.app import parse_args

    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for sub in ("dermamap analyze", "dermamap report", "dermamap compare", "dermamap --version"):
        assert sub in out
