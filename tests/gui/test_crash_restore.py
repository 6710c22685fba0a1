"""Kill the real app with SIGKILL after entering work; the next start restores all of it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.model import Mark, RedFlag, Session, Side, Symptom, Visit
from core.session_io import SessionError, load_session, parse_session
from tests.gui.helpers import ROOT, app_process_env

# Starts the real app through the launcher, dialogs answered and a script of intents applied
# once the window has started (tests/gui/scripted_app.py).
SCRIPTED_APP = str(ROOT / "tests" / "gui" / "scripted_app.py")


def _launch(script: Path, restore: str = "later") -> list[str]:
    return [sys.executable, SCRIPTED_APP, "--script", str(script), "--restore", restore]


FINDINGS = {
    "reflexes": {"right": {"achilles": "reduced"}},
    "strength": {"right": {"great_toe_extension": "weak"}},
    "tests": {"right": {"straight_leg_raise": "positive"}},
    "history": {"age": 54, "back_pain": True},
}
VISIT = {
    "patient_id": "P-9",
    "date": "2025-01-02",
    "examiner": "Dr X",
    "notes": "Lifting injury.\nWorse on coughing.",
}


def expected() -> Session:
    findings = parse_session(
        {"format": "dermamap-session", "version": 1, "marks": [], "findings": FINDINGS}
    ).findings
    return Session(
        marks=(
            Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),
            Mark("great_toe", Side.RIGHT, Symptom.TINGLING),
            Mark("heel", Side.LEFT, Symptom.PAIN),
        ),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
        findings=findings,
        visit=Visit(**VISIT),
    )


def _recovered(folder: Path) -> Session | None:
    for path in folder.glob("dermamap-*.json"):
        try:
            return load_session(path)
        except SessionError:
            return None  # not there yet
    return None


@pytest.mark.timeout(180)
def test_sigkill_then_restore(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(
        json.dumps(
            [
                {"mark": ["dorsum_of_foot", "right", "numbness"]},
                {"mark": ["great_toe", "right", "tingling"]},
                {"mark": ["heel", "left", "pain"]},
                {"flag": "urinary_retention"},
                {"findings": FINDINGS},
                {"visit": VISIT},
                {"say": "entered"},
            ]
        )
    )
    proc = subprocess.Popen(
        _launch(first),
        cwd=ROOT,
        env=app_process_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "entered", proc.stderr.read() if proc.stderr else ""
        t0 = time.monotonic()
        rec_dir = tmp_path / "recovery"
        while _recovered(rec_dir) != expected():
            assert time.monotonic() - t0 < 2.0, "work not in the recovery file within 2 s"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    leftovers = list((tmp_path / "recovery").glob("dermamap-*.json"))
    assert len(leftovers) == 1
    assert f"-{proc.pid}-" in leftovers[0].name

    dump = tmp_path / "dump.json"
    second = tmp_path / "second.json"
    second.write_text(json.dumps([{"dump": str(dump)}, {"quit": "discard"}]))
    done = subprocess.run(
        _launch(second, restore="restore"),
        cwd=ROOT,
        env=app_process_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    restored = load_session(dump)
    assert restored == expected()
    state = json.loads(dump.read_text())["state"]
    assert state["modified"] is True  # restored work shows as unsaved
    assert state["path"] is None
    # a normal close after discarding removes the recovery file
    assert list((tmp_path / "recovery").glob("dermamap-*.json")) == []


@pytest.mark.timeout(120)
def test_restore_keeps_original_path(tmp_path: Path) -> None:
    """A leftover of a saved file comes back with that file's path (title shows its name)."""
    from core.session_io import save_session, session_to_dict

    saved = tmp_path / "visit.json"
    save_session(Session(), saved)
    rec_dir = tmp_path / "recovery"
    rec_dir.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    data = session_to_dict(expected())
    data["recovery"] = {
        "saved_at": "2025-01-02T03:04:05+00:00",
        "original_path": str(saved),
        "pid": proc.pid,
        "started": None,
    }
    (rec_dir / f"dermamap-{proc.pid}-aaaaaa.json").write_text(json.dumps(data))
    dump = tmp_path / "dump.json"
    script = tmp_path / "s.json"
    script.write_text(json.dumps([{"dump": str(dump)}, {"quit": "keep"}]))
    done = subprocess.run(
        _launch(script, restore="restore"),
        cwd=ROOT,
        env=app_process_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert done.returncode == 0, done.stderr
    assert load_session(dump) == expected()
    state = json.loads(dump.read_text())["state"]
    assert state == {"modified": True, "path": str(saved)}
    assert load_session(saved) == Session()  # the saved file itself is untouched
    # "keep" (no save, no discard): the adopted recovery copy is still there
    assert len(list(rec_dir.glob("dermamap-*.json"))) == 1
