"""``dermamap analyze``: JSON, JSON Lines and text output, --atlas, errors, no Qt on this path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import core.engine
import core.names
import core.warning_names
from core.cli import INTENDED_USE, analyze_main, format_text
from core.model import Session
from core.results import Analysis, Condition, Hypothesis, Label, Note, Warning

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
SPEC = DATA / "spec_example.json"
RICH = DATA / "rich.json"

FAKE = Analysis(
    urgent=True,
    hypotheses=(
        Hypothesis(
            "cauda_equina", "both", 1.0, Label.EXCLUDE_URGENTLY, ("urinary_retention",), ("R1",)
        ),
        Hypothesis(
            "L5", "right", 0.71, Label.MORE_LIKELY, ("dorsum_of_foot: L5 core",), ("R2",), 0.71
        ),
        Hypothesis("peripheral:common_peroneal", "right", 0.4, Label.POSSIBLE, ("lateral leg",)),
        Hypothesis("S1", "left", 0.2, Label.LESS_LIKELY),
    ),
    conditions=(
        Condition("disc_herniation", "Disc herniation", "fits L5", ("MRI if red flags",), ("R3",)),
    ),
    warnings=(Warning("cauda_equina", "Possible cauda equina syndrome", True, ("retention",)),),
    atlas="consensus",
    notes=(Note("decision_support", "Only one side marked."),),
)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Session, str | None]]:
    calls: list[tuple[Session, str | None]] = []

    def analyze(session: Session, atlas: str | None = None) -> Analysis:
        calls.append((session, atlas))
        return FAKE

    monkeypatch.setattr(core.engine, "analyze", analyze)
    return calls


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = analyze_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check_spec_shape(obj: dict[str, Any]) -> None:
    assert isinstance(obj["urgent"], bool)
    scores = [h["score"] for h in obj["hypotheses"]]
    assert scores == sorted(scores, reverse=True)
    for h in obj["hypotheses"]:
        assert {"id", "side", "score", "label", "evidence"} <= h.keys()
        assert isinstance(h["score"], int | float) and isinstance(h["evidence"], list)
    for c in obj["conditions"]:
        assert {"id", "name", "why"} <= c.keys()
    for w in obj["warnings"]:
        assert {"id", "text", "urgent"} <= w.keys()
    if obj["urgent"]:
        assert obj["hypotheses"][0]["id"] == "cauda_equina"


def test_json_one_file_has_the_spec_keys(
    capsys: pytest.CaptureFixture[str], fake_engine: list[Any]
) -> None:
    code, out, err = run(capsys, str(SPEC))
    assert (code, err) == (0, "")
    obj = json.loads(out)  # exactly one JSON object
    check_spec_shape(obj)
    assert obj["urgent"] is True
    assert [h["id"] for h in obj["hypotheses"]][:2] == ["cauda_equina", "L5"]
    assert obj["hypotheses"][1] == {
        "id": "L5",
        "side": "right",
        "probability": 0.71,
        "score": 0.71,
        "label": "more likely",
        "evidence": ["dorsum_of_foot: L5 core"],
        "reasons": [],
        "sources": ["R2"],
    }
    assert obj["conditions"][0]["id"] == "disc_herniation"
    assert obj["warnings"][0] == {
        "id": "cauda_equina",
        "urgent": True,
        "params": {},
        "text": "Possible cauda equina syndrome",
        "triggers": ["retention"],
        "sources": [],
    }
    session, atlas = fake_engine[0]
    assert atlas is None and len(session.marks) == 2


def test_json_lines_for_several_files(
    capsys: pytest.CaptureFixture[str], fake_engine: list[Any]
) -> None:
    code, out, err = run(capsys, str(SPEC), str(RICH), "--format", "json")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2
    objs = [json.loads(line) for line in lines]
    assert [o["file"] for o in objs] == [str(SPEC), str(RICH)]
    for o in objs:
        check_spec_shape(o)


def test_atlas_override(capsys: pytest.CaptureFixture[str], fake_engine: list[Any]) -> None:
    code, _, _ = run(capsys, str(RICH), "--atlas", "foerster")
    assert code == 0
    assert fake_engine[0][1] == "foerster"
    assert fake_engine[0][0].atlas == "keegan_garrett"  # the file's own, overridden


def test_help_lists_the_current_atlas_ids_and_an_earlier_id_still_works(
    capsys: pytest.CaptureFixture[str], fake_engine: list[Any]
) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "consensus, keegan_garrett, foerster, lee)" in " ".join(out.split())
    assert "foerster_lee" not in out
    code, _, _ = run(capsys, str(RICH), "--atlas", "foerster_lee")
    assert code == 0 and fake_engine[0][1] == "lee"


def test_unknown_atlas_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(SPEC), "--atlas", "gray")
    assert code == 2 and out == ""
    assert "gray" in err
    for atlas in core.engine.ATLAS_IDS:
        assert atlas in err


def test_no_files_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2 and "usage: dermamap analyze" in err


def test_text_report(capsys: pytest.CaptureFixture[str], fake_engine: list[Any]) -> None:
    code, out, err = run(capsys, str(RICH), "--format", "text")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == str(RICH)
    # banner first, headed as the window's banner ("URGENT" before the window's words)
    assert lines[2] == "!! EMERGENCY: exclude cauda equina syndrome now"
    text = " ".join(out.split())
    for part in (
        "Possible cauda equina syndrome",
        "Right leg",
        "L5 root",
        "71%",
        "more likely",
        "dorsum_of_foot: L5 core",
        "Common peroneal",
        "Left leg",
        "Disc herniation: fits L5",
        "next: MRI if red flags",
        "Warnings",
        "Only one side marked.",
    ):
        assert part in text, part
    assert lines[-1] == INTENDED_USE
    assert "not a diagnosis" in INTENDED_USE


def test_text_report_writes_small_probabilities_as_the_window_does() -> None:
    from core.model import Findings, Mark, Movement, Reflex, ReflexGrade, Side, Strength, Symptom

    f = (
        Findings()
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_strength(Side.LEFT, Movement.ANKLE_PLANTARFLEXION, Strength.WEAK)
        .with_strength(Side.LEFT, Movement.HIP_EXTENSION, Strength.WEAK)
    )
    s = Session(
        marks=(
            Mark("posterior_calf", Side.LEFT, Symptom.PAIN),
            Mark("lateral_border_of_foot", Side.LEFT, Symptom.NUMBNESS),
        ),
        findings=f,
    )
    a = core.engine.analyze(s)
    assert any(h.probability is not None and h.probability < 0.005 for h in a.hypotheses)
    text = format_text("a.json", s, a)
    assert "<1%  less likely" in text and " 0%" not in text


def test_text_report_without_hypotheses() -> None:
    text = format_text("a.json", Session(), Analysis(urgent=False, hypotheses=()))
    assert "URGENT" not in text
    assert "(none: nothing marked or examined)" in text
    assert "Clinical impression" not in text  # a heading with nothing under it
    assert "not a diagnosis" in text


def test_text_report_of_upper_motor_neuron_signs_alone() -> None:
    """An extensor plantar response alone: the report said "no marks or findings to explain"
    under an empty "Clinical impression" heading, with the urgent warning above."""
    from core.model import Findings, PlantarResponse, Side

    f = Findings().with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
    s = Session(findings=f.with_history(progressive=True))
    text = format_text("a.json", s, core.engine.analyze(s))
    assert "URGENT" in text and "Clinical impression" not in text
    assert "nothing marked; the upper motor neuron signs point above the roots" in text
    assert "no marks or findings" not in text


def test_invalid_file_exits_2_and_continues(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_engine: list[Any]
) -> None:
    bad = tmp_path / "broken visit.json"
    bad.write_text('{"format": "dermamap-session", "version": 1, "marks": [{"zone": "elbow"')
    missing = tmp_path / "missing.json"
    code, out, err = run(capsys, str(bad), str(SPEC), str(missing), "--format", "json")
    assert code == 2
    assert [json.loads(line)["file"] for line in out.splitlines()] == [str(SPEC)]
    err_lines = err.splitlines()
    assert len(err_lines) == 2
    assert str(bad) in err_lines[0] and "not valid JSON" in err_lines[0]
    assert str(missing) in err_lines[1] and "does not exist" in err_lines[1]
    assert "Traceback" not in err


def test_invalid_content_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "v.json"
    bad.write_text(json.dumps({"format": "dermamap-session", "version": 3, "marks": []}))
    code, out, err = run(capsys, str(bad), "--format", "text")
    assert code == 2 and out == ""
    assert str(bad) in err and "newer Dermamap" in err


def test_real_engine_output_keeps_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(SPEC), str(RICH))
    assert code == 0, err
    for line in out.splitlines():
        check_spec_shape(json.loads(line))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("QT_API", None)
    return env


NO_QT = """
import sys
from gui.launcher import main
code = main(["analyze", sys.argv[1], sys.argv[2], "--format", "text"])
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
assert not bad, bad
print("EXIT", code)
"""


def test_analyze_imports_no_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", NO_QT, str(SPEC), str(RICH)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("EXIT 0")
    assert "not a diagnosis" in proc.stdout


def _console_script() -> str:
    local = Path(sys.executable).parent / "dermamap"
    if local.exists():
        return str(local)
    found = shutil.which("dermamap")
    assert found, "the dermamap console script is not installed"
    return found


def test_installed_console_script(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01binary")
    proc = subprocess.run(
        [_console_script(), "analyze", str(SPEC), str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 2
    first = json.loads(proc.stdout.splitlines()[0])
    assert first["file"] == str(SPEC)
    check_spec_shape(first)
    assert str(bad) in proc.stderr and "not a text file" in proc.stderr
    assert "Traceback" not in proc.stderr

    proc = subprocess.run(
        [_console_script(), "analyze", str(SPEC)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    check_spec_shape(json.loads(proc.stdout))


def test_version_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    from gui.launcher import main as launcher_main  # no Qt import for --version

    assert launcher_main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"dermamap {core.__version__}"]


def test_the_former_atlas_id_names_its_successor(
    capsys: pytest.CaptureFixture[str], fake_engine: list[Any]
) -> None:
    code, _, _ = run(capsys, str(RICH), "--atlas", "foerster_lee")
    assert code == 0
    assert fake_engine[0][1] == "lee"


# --- issue 17: output errors and file names ----------------------------------------------------


def _cli(*argv: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from gui.launcher import main; sys.exit(main())",
            "analyze",
            *argv,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        **kw,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_full_disk_gives_one_line_and_exit_3() -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from gui.launcher import main; sys.exit(main())",
                "analyze",
                str(SPEC),
                str(RICH),
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 3
    assert proc.stderr == "dermamap analyze: cannot write the output: the disk is full\n"


def test_closed_pipe_gives_one_line_and_exit_3() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from gui.launcher import main; sys.exit(main())",
            "analyze",
            *[str(RICH)] * 300,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before anything is read
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(60) == 3
    assert (
        err == "dermamap analyze: cannot write the output: the output pipe was closed by "
        "the program reading it\n"
    )


def test_a_failed_write_leaves_only_whole_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_engine: list[Any]
) -> None:
    import errno

    import core.cli

    out_path = tmp_path / "out.jsonl"
    real_write = os.write
    budget = [0]

    def short_write(fd: int, data: Any) -> int:
        if budget[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[: budget[0]]))
        budget[0] -= n
        return n

    monkeypatch.setattr(core.cli, "_WRITE_CHUNK", 1)  # one write per record
    with open(out_path, "w", encoding="utf-8") as fh:
        monkeypatch.setattr(sys, "stdout", fh)
        first = len(json.dumps({"file": str(SPEC), **FAKE.to_dict()}, separators=(",", ":")))
        budget[0] = first + 1 + 40  # the first line and 40 bytes of the second
        monkeypatch.setattr(core.cli.os, "write", short_write)
        code = analyze_main([str(SPEC), str(RICH), str(SPEC)])
        monkeypatch.setattr(core.cli.os, "write", real_write)
    assert code == 3
    text = out_path.read_text(encoding="utf-8")
    assert text.endswith("\n") and len(text.splitlines()) == 1
    assert json.loads(text)["file"] == str(SPEC)


def test_control_characters_in_file_names_are_escaped(tmp_path: Path) -> None:
    bad = tmp_path / "x\x1b]0;pwned\x07\nfake.json"
    proc = _cli(str(bad), "--format", "text")
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "x\\x1b]0;pwned\\x07\\nfake.json" in proc.stderr
    good = tmp_path / "y\x1b[2Jz.json"
    shutil.copy(SPEC, good)
    proc = _cli(str(good), "--format", "text")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout and "y\\x1b[2Jz.json" in proc.stdout


def test_text_report_keeps_hyphenated_words_whole() -> None:
    """The wrap broke "same-day" after its hyphen ("urgent same-" / "day assessment")."""
    from core.cli import format_text
    from core.model import (
        Clonus,
        Findings,
        Mark,
        PlantarResponse,
        Reflex,
        ReflexGrade,
        Session,
        Side,
    )

    f = (
        Findings()
        .with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.BRISK)
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.BRISK)
        .with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
        .with_clonus(Side.LEFT, Clonus.PRESENT)
        .with_history(progressive=True)
    )
    session = Session(marks=(Mark("lateral_lower_leg", Side.LEFT),), findings=f)
    text = format_text("s.json", session, core.engine.analyze(session))
    assert "same-day" in text
    assert not any(line.rstrip().endswith("-") for line in text.splitlines())


def test_text_report_columns_line_up_and_notes_read_right() -> None:
    """Found reading the text reports: a long nerve name ("Lateral femoral cutaneous nerve
    (meralgia paresthetica)") pushed its percentage out of the column; "[!] URGENT Cauda ..."
    lacked its colon; "Foerster (1933) assign it" (one map). The emergency's tag is now
    "[!] EMERGENCY: ", as the window names it ("URGENT" for every urgent warning before)."""
    import re

    from core.model import Mark, RedFlag, Side, Symptom

    s = Session(
        marks=(
            Mark("anterolateral_thigh", Side.RIGHT, Symptom.NUMBNESS),
            Mark("lateral_thigh", Side.RIGHT, Symptom.NUMBNESS),
        ),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )
    a = core.engine.analyze(s)
    assert any(len(core.names.hypothesis_name(h.id)) > 40 for h in a.hypotheses)
    text = format_text("a.json", s, a)
    rows = [ln for ln in text.splitlines() if re.match(r"^\s+\d+\. ", ln)]
    columns = {ln.index("%") for ln in rows if "%" in ln}
    assert len(columns) == 1, rows
    assert "[!] EMERGENCY: Cauda equina syndrome must be excluded now" in text
    one = core.warning_names.note_text(
        "map_disagreement", {"atlas": "consensus", "area": "buttock", "atlases": ["foerster"]}
    )
    assert "Foerster (1933) assigns it to other roots" in one


def test_text_report_shows_what_was_recorded_and_the_references_it_cites() -> None:
    """The text report cited [R92], [SA1], [DM-H] with no reference list, and left out the
    examination as entered (a pain rated 8/10 appeared nowhere, though the PDF lists it)."""
    from core.model import Findings, Mark, Movement, Reflex, ReflexGrade, Side, Strength, Symptom
    from core.report_citations import cited_ids

    r = Side.RIGHT
    f = (
        Findings()
        .with_reflex(r, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_strength(r, Movement.ANKLE_PLANTARFLEXION, Strength.WEAK)
        .with_intensity(r, Symptom.PAIN, 8)
        .with_history(age=48)
    )
    s = Session(marks=(Mark("posterior_calf", r, Symptom.PAIN),), findings=f)
    a = core.engine.analyze(s)
    text = format_text("a.json", s, a)
    recorded = text.split("Examination and history recorded", 1)[1]
    assert "Pain intensity (0-10)  8/10" in recorded and "Achilles reflex" in recorded
    assert "Age: 48 years" in recorded
    refs = text.split("References cited", 1)[1]
    for rid in cited_ids(s, a):
        assert f"\n  {rid}" in refs or f", {rid}" in refs, rid
    assert refs.index("Intended use") > 0


def test_the_text_lists_exactly_the_references_its_lines_cite() -> None:
    """An interface review: the text printed every evidence line with its sources ([R64c],
    [R92, R64d]) but listed only the PDF's key evidence under "References cited", and listed
    the map's sources (R4, R6, DM-H), which no line cited. Every id the text cites is listed,
    and every listed id is cited (the map's sources now follow its name)."""
    import re

    from core.model import Mark, Side, Symptom

    s = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),))
    text = format_text("a.json", s, core.engine.analyze(s))
    body, refs = text.split("References cited", 1)
    ids = r"[A-Z][A-Za-z0-9-]*"
    cited = {
        i.strip()
        for m in re.findall(rf"\[({ids}(?:, {ids})*)\]|sources: ({ids}(?:, {ids})*)", body)
        for group in m
        for i in group.split(",")
        if i
    }
    listed = {
        i.strip()
        for m in re.findall(rf"^  ({ids}(?:, {ids})*)  ", refs, re.M)
        for i in m.split(",")
    }
    assert "R64c" in cited and "DM-H" in cited
    assert cited == listed, (sorted(cited - listed), sorted(listed - cited))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_say_when_they_cannot_be_written(args: list[str]) -> None:
    """A hostile-input review: ``dermamap --version > /dev/full`` (and the window's ``--help``)
    ended in a traceback; they now say so in one line and exit 3, as analyze does."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = f"import sys; from gui.launcher import main; sys.exit(main({args!r}))"
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=root, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert proc.returncode == 3
    assert proc.stderr == "dermamap: cannot write the output: the disk is full\n"
