"""kill -9 at random moments while zones are being marked: nothing older than 100 ms is lost.

Each trial starts the real window (offscreen) in a child process that clicks zones through the
diagram's viewport at a steady pace and prints, after every accepted click, the marks on screen
and the time (``time.monotonic()``, the same clock in both processes). The test kills the child
with SIGKILL at a random moment, reads what a restart would offer
(:func:`gui.recovery.find_leftovers`) and counts the marks of the state 100 ms before the kill
(or of the nearest later state) that it does not hold. The last trial is restarted for real and
must restore exactly what the recovery file holds.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.session_io import load_session, parse_session
from gui.recovery import find_leftovers
from tests.gui.helpers import ROOT, app_process_env

TRIALS = 20
PACE = 0.03  # seconds between clicks
GRACE = 0.1  # a mark accepted this long before the kill must be in the recovery file

CHILD = r"""
import sys, time
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication([sys.argv[0]])
from core.geometry import load_diagram
from gui.main_window import MainWindow

w = MainWindow()
w.resize(1200, 800)
w.show()
timer = QTimer()
targets = []

def step():
    if not targets:
        return timer.stop()
    zone, side, pos = targets.pop(0)
    before = w.model.session.marks
    QTest.mouseClick(w.diagram.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(*pos))
    marks = w.model.session.marks
    if marks != before:  # accepted: print the whole state and when
        state = ";".join(f"{m.zone}/{m.side.value}" for m in marks)
        print(f"state {time.monotonic():.6f} {state}", flush=True)

def go():
    w.files  # the file controller and its recovery journal
    seen = set()
    for shape in load_diagram().zones():
        key = (shape.id, shape.side.value)
        pos = w.zone_viewport_pos(*key) if key not in seen else None
        if pos is not None:
            seen.add(key)
            targets.append((*key, pos))
    print(f"ready {len(targets)}", flush=True)
    timer.timeout.connect(step)
    timer.start(int(float(sys.argv[1]) * 1000))

w.ready.connect(go) if not w.is_ready else go()
app.exec()
"""


def _canonical(zone: str, side: str) -> tuple[str, str]:
    """The zone as a session file stores it (retired diagram zones load as what they stand for)."""
    mark = {"zone": zone, "side": side, "symptom": "numbness"}
    (m,) = parse_session({"format": "dermamap-session", "version": 1, "marks": [mark]}).marks
    return m.zone, m.side.value


def _trial(tmp: Path, delay: float) -> tuple[int, int, set[tuple[str, str]]]:
    """One kill: (marks accepted, marks lost, marks a restart offers)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(PACE)],
        cwd=ROOT,
        env=app_process_env(tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = proc.stdout.readline()
        assert ready.startswith("ready "), ready
        time.sleep(delay)
        killed_at = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        rest = proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        if proc.stdout is not None:
            proc.stdout.close()
    states: list[tuple[float, set[tuple[str, str]]]] = [(0.0, set())]
    for line in rest.splitlines():
        _, at, *marks = line.split()
        keys = (m.split("/") for m in (marks[0].split(";") if marks else []))
        states.append((float(at), {_canonical(z, s) for z, s in keys}))
    found = find_leftovers(tmp / "recovery")
    assert len(found) <= 1
    offered = {(m.zone, m.side.value) for m in found[0].session.marks} if found else set()
    # The recovery file must hold the state of 100 ms before the kill or a later one (a click
    # handled at the kill may be saved but not yet printed, so it may hold one mark more).
    # Marks lost: those of the nearest such state that the file does not hold.
    ref = max(i for i, (at, _) in enumerate(states) if at < killed_at - GRACE)
    lost = min(len(state - offered) for _, state in states[ref:])
    extra = min(len(offered - state) for _, state in states[ref:])
    assert extra <= 1, (offered, states[-1])
    return len(states) - 1, lost, offered


@pytest.mark.timeout(120)
def test_kill_9_at_random_moments_loses_nothing_older_than_100_ms(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    rng = random.Random(1717)
    delays = [rng.uniform(0.05, 1.0) for _ in range(TRIALS)]
    folders = [tmp_path / f"t{i}" for i in range(TRIALS)]
    for folder in folders:
        folder.mkdir()
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:  # two children at a time
        results = list(pool.map(_trial, folders, delays))
    total = sum(n for n, _, _ in results)  # accepted clicks
    lost = sum(missing for _, missing, _ in results)
    last = (folders[-1], results[-1][2])
    elapsed = time.monotonic() - t0
    print(f"\n{TRIALS} kill -9 trials, {total} marks entered, {lost} lost ({elapsed:.1f} s)")
    assert lost == 0
    assert total >= TRIALS * 5, "too few marks were entered to test anything"

    # a real restart offers the last trial's work back and restores it
    tmp, offered = last
    dump = tmp / "dump.json"
    script = tmp / "script.json"
    script.write_text(json.dumps([{"dump": str(dump)}, {"quit": "discard"}]))
    scripted_app = str(ROOT / "tests" / "gui" / "scripted_app.py")
    done = subprocess.run(
        [sys.executable, scripted_app, "--script", str(script), "--restore", "restore"],
        cwd=ROOT,
        env=app_process_env(tmp),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    restored = load_session(dump)
    assert {(m.zone, m.side.value) for m in restored.marks} == offered
    assert time.monotonic() - t0 < 60
