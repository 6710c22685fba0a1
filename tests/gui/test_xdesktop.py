"""Real-desktop smoke test: the app (:mod:`tests.gui.xdesktop_app`, which reports the zone's
position and each analysis to stderr) under Xvfb, clicked with real X input.

Needs Xvfb and xdotool (``tools/system-deps.sh test`` installs them). It is never skipped: when
they are missing the test fails and says what to install.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gui.helpers import unexpected_stderr

pytestmark = pytest.mark.xdesktop

NEEDED = ("Xvfb", "xdotool")
APP = Path(__file__).resolve().parent / "xdesktop_app.py"


def _free_display() -> int:
    for n in range(90, 400):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise AssertionError("no free X display number between :90 and :399")


def _wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _start_click_quit(env: dict[str, str], log: Path, cwd: Path) -> str:
    """Start the app, click the right first web space with real X input, quit with Ctrl+Q.

    Returns the app's stderr.
    """
    app: subprocess.Popen[bytes] | None = None
    try:
        with log.open("wb") as err:
            app = subprocess.Popen(
                [sys.executable, str(APP), "first_web_space,right"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
                cwd=cwd,
            )

        def text() -> str:
            return log.read_text(errors="replace")

        def alive() -> bool:
            assert app is not None
            if app.poll() is not None:
                raise AssertionError(f"dermamap exited early ({app.returncode}):\n{text()}")
            return True

        _wait_for(lambda: alive() and "dermamap-zone-pos:" in text(), 15, "the window")
        found = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "Dermamap"],
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert found.returncode == 0 and found.stdout.strip(), "no visible Dermamap window"
        m = re.search(r"dermamap-zone-pos: (-?\d+) (-?\d+)", text())
        assert m, text()
        x, y = int(m.group(1)), int(m.group(2))
        assert 0 <= x < 1366 and 0 <= y < 768, (x, y)
        before = text().count("dermamap-analysis:")

        subprocess.run(
            ["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"],
            env=env,
            check=True,
            timeout=10,
        )
        _wait_for(
            lambda: alive() and text().count("dermamap-analysis:") > before,
            10,
            "the panel to update after the click",
        )
        last = [ln for ln in text().splitlines() if ln.startswith("dermamap-analysis:")][-1]
        assert "marks=1" in last, last
        right = re.search(r"right=(\S*)", last)
        assert right and right.group(1), f"no hypothesis shown for the right side: {last}"

        # quit with the real keyboard shortcut
        win = found.stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", win], env=env, timeout=10)
        subprocess.run(["xdotool", "key", "--window", win, "ctrl+q"], env=env, timeout=10)
        assert app.wait(timeout=10) == 0, "Ctrl+Q did not quit the app cleanly"
        return text()
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(timeout=5)
            except subprocess.TimeoutExpired:
                app.kill()


def test_installed_app_on_a_real_x_server(tmp_path: Path) -> None:
    """The window shows and a real X click on a zone updates the panel; Ctrl+Q quits."""
    missing = [t for t in NEEDED if shutil.which(t) is None]
    assert not missing, (
        f"missing {', '.join(missing)}: run `bash tools/system-deps.sh test` "
        "(Debian packages xvfb xauth xdotool and the libxcb-* libraries)"
    )
    n = _free_display()
    xvfb = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 10, "Xvfb to start")
        env = {k: v for k, v in os.environ.items() if not k.startswith("QT_QPA")}
        env.update(
            DISPLAY=f":{n}",
            QT_QPA_PLATFORM="xcb",
            QT_API="pyside6",
            DERMAMAP_SETTINGS_DIR=str(tmp_path / "settings"),
            DERMAMAP_THEME="light",
        )
        env.setdefault("XDG_RUNTIME_DIR", "/tmp/dermamap-xdg-runtime")
        _start_click_quit(env, tmp_path / "app.stderr", tmp_path)
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=5)
        except subprocess.TimeoutExpired:
            xvfb.kill()
    text = (tmp_path / "app.stderr").read_text(errors="replace")
    assert not unexpected_stderr(text, ("dermamap-",)), text
