"""Session files: loading, every validation rule, safe reading and atomic saving."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from core import file_guard, session_io
from core.model import (
    Clonus,
    Findings,
    History,
    Mark,
    Movement,
    PlantarResponse,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
    Visit,
)
from core.session_io import (
    MAX_FILE_BYTES,
    SessionError,
    dumps_session,
    load_session,
    parse_session,
    save_session,
)

DATA = Path(__file__).parent / "data"


def base(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "dermamap-session",
        "version": 1,
        "marks": [{"zone": "dorsum_of_foot", "side": "right", "symptom": "numbness"}],
    }
    doc.update(changes)
    return doc


def write(tmp_path: Path, content: str | bytes, name: str = "visit.json") -> Path:
    p = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    p.write_bytes(content)
    return p


def refused(path: Path) -> str:
    """Load ``path`` expecting a refusal; return the message (checked to name the file)."""
    with pytest.raises(SessionError) as info:
        load_session(path)
    msg = str(info.value)
    assert f'"{path.name}"' in msg
    assert "\n" not in msg and "Traceback" not in msg
    assert info.value.path == str(path)
    return msg


# --- good files --------------------------------------------------------------------------------


def test_spec_example_loads() -> None:
    s = load_session(DATA / "spec_example.json")
    assert s.atlas == "consensus"
    assert s.marks == (
        Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS, 1.0),
        Mark("great_toe", Side.RIGHT, Symptom.TINGLING, 0.6),
    )
    assert s.red_flags == frozenset({RedFlag.URINARY_RETENTION})
    f = s.findings
    assert f.reflex(Side.RIGHT, Reflex.ACHILLES) is ReflexGrade.REDUCED
    assert f.power(Side.RIGHT, Movement.GREAT_TOE_EXTENSION) is Strength.WEAK
    assert f.power(Side.RIGHT, Movement.ANKLE_INVERSION) is Strength.NORMAL
    assert f.test(Side.RIGHT, Test.STRAIGHT_LEG_RAISE) is TestResult.POSITIVE
    assert f.history == History(age=54, back_pain=True)
    assert s.visit.is_empty()


def test_rich_file_loads_with_mrc_grades_visit_and_extra_keys() -> None:
    s = load_session(DATA / "rich.json")
    assert s.atlas == "keegan_garrett"
    assert len(s.marks) == 5
    assert s.mark_at("sole", Side.LEFT) is not None
    f = s.findings
    assert f.power(Side.LEFT, Movement.HIP_FLEXION) is Strength.WEAK  # MRC 4
    assert f.power(Side.RIGHT, Movement.GREAT_TOE_EXTENSION) is Strength.WEAK  # "3"
    assert f.power(Side.RIGHT, Movement.ANKLE_DORSIFLEXION) is Strength.WEAK  # "4+"
    assert f.power(Side.RIGHT, Movement.ANKLE_EVERSION) is Strength.NORMAL  # 5
    assert s.visit.examiner == "Dr. Ñúñez"
    assert s.visit.notes.endswith("coughing.")


def test_minimal_file_defaults() -> None:
    s = parse_session({"format": "dermamap-session", "version": 1, "marks": []})
    assert s == Session()


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = write(tmp_path, b"\xef\xbb\xbf" + json.dumps(base()).encode())
    assert len(load_session(p).marks) == 1


def test_duplicate_marks_keep_the_last() -> None:
    marks = [
        {"zone": "heel", "side": "left", "symptom": "pain"},
        {"zone": "great_toe", "side": "left", "symptom": "pain"},
        {"zone": "heel", "side": "left", "symptom": "tingling", "coverage": 0.5},
        {"zone": "heel", "side": "right", "symptom": "numbness"},
    ]
    s = parse_session(base(marks=marks))
    assert s.marks == (
        Mark("great_toe", Side.LEFT, Symptom.PAIN),
        Mark("heel", Side.LEFT, Symptom.TINGLING, 0.5),
        Mark("heel", Side.RIGHT, Symptom.NUMBNESS),
    )


def test_nulls_mean_not_entered() -> None:
    doc = base(
        red_flags=None,
        atlas=None,
        findings={
            "reflexes": {"left": {"patellar": None}, "right": None},
            "strength": {"left": None},
            "sensation": {"right": None},
            "history": {"age": None, "diabetes": None},
        },
        visit={"patient_id": None, "notes": "n"},
    )
    s = parse_session(doc)
    assert s.findings == Findings()
    assert s.visit == Visit(notes="n")


def test_strength_grades() -> None:
    def grade(v: object) -> Strength | None:
        doc = base(findings={"strength": {"left": {"hip_flexion": v}}})
        return parse_session(doc).findings.power(Side.LEFT, Movement.HIP_FLEXION)

    assert grade(5) is Strength.NORMAL
    assert grade("5") is Strength.NORMAL
    assert grade(5.0) is Strength.NORMAL
    for weak in (0, 3, 4, "0", "4", "4-", "5-", "weak"):
        assert grade(weak) is Strength.WEAK, weak

    def kept(v: str) -> int | None:
        doc = base(findings={"strength": {"left": {"hip_flexion": v}}})
        return parse_session(doc).findings.grades[Side.LEFT].get(Movement.HIP_FLEXION)

    # as interface.md says: a + or - beside a grade 0-4 keeps it, "5-" is 4, "5+" is refused
    assert [kept(v) for v in ("0+", "2-", "3+", "4-", "5-")] == [0, 2, 3, 4, 4]
    with pytest.raises(SessionError, match="unknown strength"):
        kept("5+")


# --- invalid content: each rule names the file, the JSON path and the problem -----------------


def _m(**kw: Any) -> dict[str, Any]:
    mark: dict[str, Any] = {"zone": "heel", "side": "left", "symptom": "pain"}
    mark.update(kw)
    return mark


INVALID: list[tuple[str, Any, list[str]]] = [
    ("top-level list", [1, 2], ["expected a JSON object", "a list"]),
    ("no format", {"version": 1, "marks": []}, ["not a Dermamap session", "format"]),
    ("wrong format", base(format="other"), ["format", '"other"']),
    ("format number", base(format=3), ["format", "a number"]),
    ("no version", {"format": "dermamap-session", "marks": []}, ["version", "missing"]),
    ("newer version", base(version=3), ["newer Dermamap (version 3)", "reads versions 1 and 2"]),
    ("version zero", base(version=0), ["version", "unsupported version 0", "versions 1 and 2"]),
    ("version text", base(version="1"), ["version", "found text"]),
    ("version bool", base(version=True), ["version", "true/false"]),
    ("no marks", {"format": "dermamap-session", "version": 1}, ["marks", "missing"]),
    ("marks object", base(marks={}), ["marks", "expected a list"]),
    ("mark not object", base(marks=[_m(), "heel"]), ["marks[1]", "found text"]),
    ("unknown zone", base(marks=[_m(), _m(), _m(), _m(zone="elbow")]), ["marks[3].zone", "elbow"]),
    ("zone number", base(marks=[_m(zone=7)]), ["marks[0].zone", "a number"]),
    ("missing zone", base(marks=[{"side": "left", "symptom": "pain"}]), ["marks[0]", "zone"]),
    ("missing side", base(marks=[{"zone": "heel", "symptom": "pain"}]), ["marks[0]", "side"]),
    ("missing symptom", base(marks=[{"zone": "heel", "side": "left"}]), ["marks[0]", "symptom"]),
    ("bad side", base(marks=[_m(side="middle")]), ["marks[0].side", '"middle"', "left"]),
    ("bad symptom", base(marks=[_m(symptom="itch")]), ["marks[0].symptom", "itch", "tingling"]),
    ("coverage bool", base(marks=[_m(coverage=True)]), ["marks[0].coverage", "true/false"]),
    ("coverage text", base(marks=[_m(coverage="0.5")]), ["marks[0].coverage", "text"]),
    ("coverage high", base(marks=[_m(coverage=1.5)]), ["marks[0].coverage", "out of range"]),
    ("coverage negative", base(marks=[_m(coverage=-0.1)]), ["marks[0].coverage", "out of range"]),
    ("red flags text", base(red_flags="urinary_retention"), ["red_flags", "expected a list"]),
    (
        "unknown red flag",
        base(red_flags=["urinary_retention", "fever"]),
        ["red_flags[1]", '"fever"', "saddle_anaesthesia"],
    ),
    ("findings list", base(findings=[]), ["findings", "expected an object"]),
    (
        "unknown reflex",
        base(findings={"reflexes": {"left": {"biceps": "normal"}}}),
        ["findings.reflexes.left", '"biceps"', "patellar"],
    ),
    (
        "unknown reflex grade",
        base(findings={"reflexes": {"left": {"patellar": "weak"}}}),
        ["findings.reflexes.left.patellar", '"weak"', "brisk"],
    ),
    (
        "unknown side in findings",
        base(findings={"reflexes": {"up": {"patellar": "normal"}}}),
        ["findings.reflexes", '"up"'],
    ),
    (
        "side table not object",
        base(findings={"tests": {"left": ["straight_leg_raise"]}}),
        ["findings.tests.left", "a list"],
    ),
    (
        "unknown movement",
        base(findings={"strength": {"right": {"wrist_extension": "weak"}}}),
        ["findings.strength.right", "wrist_extension", "hip_flexion"],
    ),
    (
        "strength text",
        base(findings={"strength": {"right": {"hip_flexion": "strong"}}}),
        ["findings.strength.right.hip_flexion", '"strong"'],
    ),
    (
        "mrc out of range",
        base(findings={"strength": {"right": {"hip_flexion": 6}}}),
        ["findings.strength.right.hip_flexion", "out of range"],
    ),
    (
        "mrc fraction",
        base(findings={"strength": {"right": {"hip_flexion": 4.5}}}),
        ["findings.strength.right.hip_flexion", "whole number"],
    ),
    (
        "strength bool",
        base(findings={"strength": {"right": {"hip_flexion": False}}}),
        ["findings.strength.right.hip_flexion", "true/false"],
    ),
    (
        "unknown test",
        base(findings={"tests": {"left": {"slump": "positive"}}}),
        ["findings.tests.left", '"slump"', "straight_leg_raise"],
    ),
    (
        "test result",
        base(findings={"tests": {"left": {"femoral_stretch": "yes"}}}),
        ["findings.tests.left.femoral_stretch", '"yes"', "positive"],
    ),
    (
        "age too high",
        base(findings={"history": {"age": 131}}),
        ["findings.history.age", "131", "out of range"],
    ),
    ("age negative", base(findings={"history": {"age": -1}}), ["findings.history.age"]),
    ("age text", base(findings={"history": {"age": "54"}}), ["findings.history.age", "text"]),
    ("age bool", base(findings={"history": {"age": True}}), ["findings.history.age", "true/false"]),
    ("age fraction", base(findings={"history": {"age": 54.5}}), ["findings.history.age"]),
    (
        "onset negative",
        base(findings={"history": {"onset_days": -3}}),
        ["findings.history.onset_days", "out of range"],
    ),
    (
        "onset huge",
        base(findings={"history": {"onset_days": 10**15}}),
        ["findings.history.onset_days", "out of range"],
    ),
    (
        "history boolean text",
        base(findings={"history": {"back_pain": "yes"}}),
        ["findings.history.back_pain", "true or false"],
    ),
    (
        "history boolean number",
        base(findings={"history": {"diabetes": 1}}),
        ["findings.history.diabetes", "true or false"],
    ),
    ("unknown atlas", base(atlas="gray"), ["atlas", '"gray"', "consensus", "keegan_garrett"]),
    ("atlas number", base(atlas=1), ["atlas", "a number"]),
    ("visit text", base(visit="P-1"), ["visit", "expected an object"]),
    ("visit field number", base(visit={"patient_id": 42}), ["visit.patient_id", "a number"]),
    ("visit too long", base(visit={"notes": "x" * 10_001}), ["visit.notes", "too long"]),
    ("visit NUL", base(visit={"examiner": "a\x00b"}), ["visit.examiner", "NUL"]),
    ("zone NUL", base(marks=[_m(zone="heel\x00")]), ["marks[0].zone", "NUL character"]),
]


@pytest.mark.parametrize(
    ("doc", "expected"), [(d, e) for _, d, e in INVALID], ids=[i for i, *_ in INVALID]
)
def test_invalid_content_is_refused_with_a_clear_message(
    tmp_path: Path, doc: Any, expected: list[str]
) -> None:
    p = write(tmp_path, json.dumps(doc))
    msg = refused(p)
    for part in expected:
        assert part in msg, (part, msg)
    # the same rule through parse_session on in-memory data
    with pytest.raises(SessionError) as info:
        parse_session(doc)
    assert info.value.path is None
    assert expected[0] in str(info.value)


def test_too_many_marks() -> None:
    marks = [_m()] * (session_io.MAX_MARKS + 1)
    with pytest.raises(SessionError, match="too many marks"):
        parse_session(base(marks=marks), "big.json")


def test_unknown_zone_lists_valid_areas() -> None:
    with pytest.raises(SessionError) as info:
        parse_session(base(marks=[_m(zone="elbow")]), "v.json")
    assert "valid areas include" in str(info.value)


# --- invalid bytes -----------------------------------------------------------------------------

RAW: list[tuple[str, bytes, list[str]]] = [
    (
        "bad json",
        b'{\n  "format": "dermamap-session",\n  "version": 1\n  "marks": []\n}',
        ["line 4, column 3", "expected ','", "not valid JSON"],
    ),
    ("trailing comma", b'{"marks": [],}', ["line 1", "not valid JSON"]),
    ("empty", b"", ["empty"]),
    ("whitespace", b"  \n", ["empty"]),
    ("binary garbage", bytes(range(256)) * 4, ["not a text file"]),
    ("png", b"\x89PNG\r\n\x1a\n" + b"\xde\xad\xbe\xef" * 50, ["not valid UTF-8"]),
    ("latin-1", '{"visit": {"notes": "caf\xe9"}}'.encode("latin-1"), ["not valid UTF-8"]),
    ("utf-16", '{"a": 1}'.encode("utf-16"), ["UTF-16"]),
    ("NUL byte", b'{"format": "dermamap-session",\x00 "version": 1}', ["NUL"]),
    ("deep list", b"[" * 10_000 + b"]" * 10_000, ["nested more than 32 levels"]),
    ("deep object", b'{"a":' * 10_000 + b"1" + b"}" * 10_000, ["nested more than 32 levels"]),
    ("deep unclosed", b"[" * 100_000, ["nested more than 32 levels"]),
    ("huge float", json.dumps(base()).encode()[:-1] + b', "coverage_x": 1e400}', ["too large"]),
    ("huge int", b'{"n": ' + b"1" + b"0" * 5000 + b"}", ["too large"]),
    ("long int", b'{"n": 123456789012345678901234567890}', ["too large"]),
    ("NaN", b'{"n": NaN}', ["NaN is not allowed"]),
    ("Infinity", b'{"n": -Infinity}', ["-Infinity is not allowed"]),
]


@pytest.mark.parametrize(("raw", "expected"), [(r, e) for _, r, e in RAW], ids=[i for i, *_ in RAW])
def test_unreadable_bytes_are_refused(tmp_path: Path, raw: bytes, expected: list[str]) -> None:
    p = write(tmp_path, raw)
    msg = refused(p)
    for part in expected:
        assert part in msg, (part, msg)


def test_nesting_just_within_the_limit_is_fine(tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(session_io.MAX_DEPTH - 1):
        deep = [deep]
    p = write(tmp_path, json.dumps(base(extra=deep)))
    assert len(load_session(p).marks) == 1
    # brackets inside strings do not count
    p = write(tmp_path, json.dumps(base(visit={"notes": "[" * 1000})))
    assert load_session(p).visit.notes == "[" * 1000


def test_truncated_file(tmp_path: Path) -> None:
    good = (DATA / "rich.json").read_bytes()
    p = write(tmp_path, good[: len(good) // 2])
    assert "truncated" in refused(p)


def test_file_over_20_mb_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "huge.json"
    with open(p, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: instant
    assert p.stat().st_size > MAX_FILE_BYTES
    msg = refused(p)
    assert "too large (22,020,096 bytes; at most 20,971,520, 20 MiB)" in msg


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "does not exist" in refused(tmp_path / "nope.json")
    d = tmp_path / "folder.json"
    d.mkdir()
    assert "folder" in refused(d)


def test_reading_never_changes_the_file(tmp_path: Path) -> None:
    good = write(tmp_path, (DATA / "rich.json").read_bytes(), "good.json")
    bad = write(tmp_path, b'{"format": "dermamap-session", "version": 9}', "bad.json")
    past = 1_600_000_000
    for p in (good, bad):
        os.utime(p, (past, past))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in (good, bad)}
    load_session(good)
    with pytest.raises(SessionError):
        load_session(bad)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in (good, bad)}
    assert before == after
    assert sorted(os.listdir(tmp_path)) == ["bad.json", "good.json"]


def test_session_error_message_forms() -> None:
    err = SessionError("the disk is full", "/a/b/visit.json", "save to")
    assert str(err) == 'Cannot save to "visit.json": the disk is full'
    assert err.message(full_path=True) == 'Cannot save to "/a/b/visit.json": the disk is full'
    assert str(SessionError("x")) == "Invalid session data: x"


# --- saving ---------------------------------------------------------------------------------


def rich_session() -> Session:
    f = (
        Findings()
        .with_reflex(Side.RIGHT, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.BRISK)
        .with_reflex(Side.LEFT, Reflex.MEDIAL_HAMSTRING, ReflexGrade.NORMAL)
        .with_strength(Side.RIGHT, Movement.GREAT_TOE_EXTENSION, Strength.WEAK)
        .with_strength(Side.LEFT, Movement.ANKLE_PLANTARFLEXION, Strength.NORMAL)
        .with_test(Side.RIGHT, Test.STRAIGHT_LEG_RAISE, TestResult.POSITIVE)
        .with_test(Side.LEFT, Test.TINEL_TARSAL_TUNNEL, TestResult.NEGATIVE)
        .with_history(
            age=61,
            onset_days=3,
            back_pain=True,
            neurogenic_claudication=False,
            diabetes=True,
            local_cause=False,
        )
    )
    return Session(
        marks=(
            Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS, 0.125),
            Mark("great_toe", Side.RIGHT, Symptom.TINGLING),
            Mark("circumferential_lower_leg", Side.LEFT, Symptom.PAIN, 0.9999),
            Mark("saddle", Side.LEFT, Symptom.NUMBNESS, 0.0),
        ),
        red_flags=frozenset(RedFlag),
        findings=f,
        atlas="lee",
        visit=Visit("P-7 ü", "2024-01-02", "Dr. Example", 'line 1\nline "2"\t✓'),
    )


def test_a_version_1_file_with_the_former_atlas_id_loads_as_its_successor() -> None:
    data = {"format": "dermamap-session", "version": 1, "atlas": "foerster_lee", "marks": []}
    assert parse_session(data).atlas == "lee"


def test_version_1_keeps_the_last_mark_per_zone_and_version_2_one_per_symptom() -> None:
    marks = [
        {"zone": "heel", "side": "left", "symptom": "numbness"},
        {"zone": "heel", "side": "left", "symptom": "pain"},
    ]
    v1 = parse_session({"format": "dermamap-session", "version": 1, "marks": marks})
    v2 = parse_session({"format": "dermamap-session", "version": 2, "marks": marks})
    assert [m.symptom for m in v1.marks] == [Symptom.PAIN]
    assert [m.symptom for m in v2.marks] == [Symptom.NUMBNESS, Symptom.PAIN]


def test_upper_motor_neuron_findings_round_trip() -> None:
    f = (
        Findings()
        .with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
        .with_clonus(Side.RIGHT, Clonus.PRESENT)
        .with_history(progressive=True)
    )
    s = Session(findings=f)
    d = json.loads(dumps_session(s))
    assert d["findings"]["plantar_response"] == {"left": "extensor"}
    assert d["findings"]["clonus"] == {"right": "present"}
    assert d["findings"]["history"] == {"progressive": True}
    assert parse_session(d) == s
    bad = {**d, "findings": {"clonus": {"left": "sometimes"}}}
    with pytest.raises(SessionError, match="clonus"):
        parse_session(bad)


def test_the_side_of_the_local_cause_round_trips() -> None:
    s = Session(findings=Findings().with_history(local_cause=True, local_cause_side=Side.LEFT))
    d = json.loads(dumps_session(s))
    assert d["findings"]["history"] == {"local_cause": True, "local_cause_side": "left"}
    assert parse_session(d) == s
    bad = {**d, "findings": {"history": {"local_cause_side": "both"}}}
    with pytest.raises(SessionError, match="local_cause_side"):
        parse_session(bad)


def test_save_load_round_trip_is_exact(tmp_path: Path) -> None:
    s = rich_session()
    p = tmp_path / "rich.json"
    save_session(s, p)
    assert load_session(p) == s
    assert parse_session(json.loads(dumps_session(s))) == s
    text = p.read_text("utf-8")
    assert text.endswith("}\n") and "ü" in text
    # re-saving produces identical bytes (stable key order)
    save_session(load_session(p), tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == p.read_bytes()


def test_saved_file_omits_empty_parts() -> None:
    s = Session(marks=(Mark("heel", Side.LEFT, Symptom.PAIN),))
    d = json.loads(dumps_session(s))
    assert d == {
        "format": "dermamap-session",
        "version": 2,
        "atlas": "consensus",
        "marks": [{"zone": "heel", "side": "left", "symptom": "pain"}],
    }


def test_saved_file_is_private(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text("old")
    p.chmod(0o644)
    save_session(rich_session(), p)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["s.json"]


def test_interrupted_save_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tmp_path / "s.json"
    save_session(Session(), p)
    old = p.read_bytes()
    seen: list[str] = []

    def crash(tmp: str, target: str) -> None:
        seen.append(tmp)
        assert Path(tmp).read_bytes() == dumps_session(rich_session()).encode()
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(session_io, "_before_replace", crash)
    with pytest.raises(SessionError) as info:
        save_session(rich_session(), p)
    assert 'Cannot save to "s.json"' in str(info.value)
    assert seen and not os.path.exists(seen[0])
    assert p.read_bytes() == old
    assert os.listdir(tmp_path) == ["s.json"]


@pytest.mark.parametrize(
    ("where", "code", "expected"),
    [
        ("open", errno.EROFS, "the folder is read-only"),
        ("open", errno.EACCES, "permission denied"),
        ("replace", errno.EROFS, "the folder is read-only"),
        ("replace", errno.ENOSPC, "the disk is full"),
        ("fsync", errno.ENOSPC, "the disk is full"),
    ],
)
def test_save_failures_give_clear_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int, expected: str
) -> None:
    p = tmp_path / "x.json"
    p.write_bytes(b"previous")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if where == "open":
        monkeypatch.setattr(os, "open", boom)
    elif where == "replace":
        monkeypatch.setattr(os, "replace", boom)
    else:
        monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(SessionError) as info:
        save_session(rich_session(), p)
    monkeypatch.undo()
    assert str(info.value).startswith(f'Cannot save to "x.json": {expected}')
    assert p.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["x.json"]


def test_save_to_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="folder does not exist"):
        save_session(Session(), tmp_path / "no" / "x.json")


def test_atomic_write_bytes_creates_and_replaces(tmp_path: Path) -> None:
    p = tmp_path / "recovery.json"
    session_io.atomic_write_bytes(p, b"one")
    session_io.atomic_write_bytes(str(p), b"two")
    assert p.read_bytes() == b"two"
    assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_size_limit_applies_to_the_bytes_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = json.dumps(base()).encode()
    p = write(tmp_path, text)
    monkeypatch.setattr(file_guard, "MAX_FILE_BYTES", len(text))
    assert len(load_session(p).marks) == 1  # exactly at the limit: fine
    monkeypatch.setattr(file_guard, "MAX_FILE_BYTES", len(text) - 1)
    # in bytes: "20.0 MB; at most 20 MB" named no difference (an interface review)
    assert f"too large ({len(text):,} bytes; at most {len(text) - 1:,}, 0 MiB)" in refused(p)
    # a file that grows after fstat: still at most limit + 1 bytes are read
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(os, "fstat", small_fstat)
    assert "too large" in refused(p)


def test_retired_diagram_zone_loads_as_what_it_stands_for() -> None:
    # the old anterior-view saddle triangle: a saved mark on it stays a saddle mark
    marks = [{"zone": "saddle.inner_thigh", "side": "left", "symptom": "numbness"}]
    s = parse_session(base(marks=marks))
    assert s.marks == (Mark("saddle", Side.LEFT, Symptom.NUMBNESS),)


def test_sensory_examination_round_trips_and_refuses_bad_scores() -> None:
    f = Findings().with_sensation(Side.RIGHT, "L4", "pin_prick", 1)
    f = f.with_sensation(Side.RIGHT, "L4", "light_touch", 2).with_sensation(
        Side.LEFT, "S4_5", "pin_prick", 0
    )
    s = Session(findings=f)
    d = json.loads(dumps_session(s))
    assert d["findings"]["sensation"] == {
        "left": {"S4_5": {"pin_prick": 0}},
        "right": {"L4": {"pin_prick": 1, "light_touch": 2}},
    }
    assert parse_session(d) == s
    for bad in ({"right": {"L4": {"pin_prick": 3}}}, {"right": {"T12": {"pin_prick": 1}}}):
        with pytest.raises(SessionError, match="sensation"):
            parse_session({**d, "findings": {"sensation": bad}})


# --- issue 17: hostile text, names, stamps ----------------------------------------------------


def test_lone_surrogate_is_refused_at_load_naming_the_field(tmp_path: Path) -> None:
    text = json.dumps(base(visit={"patient_id": "P\ud800"}))  # json writes it as \ud800
    msg = refused(write(tmp_path, text))
    assert "visit.patient_id" in msg and "surrogate" in msg
    key = json.dumps(base(visit={"n\udfffotes": "x"}))
    assert "surrogate" in refused(write(tmp_path, key, "key.json"))
    # a valid escaped pair (an emoji) is fine
    ok = json.dumps(base(visit={"notes": "\U0001f600"}))
    assert load_session(write(tmp_path, ok, "ok.json")).visit.notes == "\U0001f600"


def test_save_refuses_unencodable_text_naming_the_field(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(SessionError) as info:
        save_session(Session(visit=Visit(patient_id="P\ud800")), target)
    assert "visit.patient_id" in str(info.value) and '"s.json"' in str(info.value)
    assert target.read_text(encoding="utf-8") == "old"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary file left


def test_escaped_quotes_after_brackets_are_scanned_in_linear_time(tmp_path: Path) -> None:
    import time

    for n in (100_000, 1_000_000):  # 200 KB and 2 MB of \" in an unterminated text
        text = '{"format": "dermamap-session", "version": 1, "marks": [[[[["' + '\\"' * n
        p = write(tmp_path, text, f"q{n}.json")
        t0 = time.perf_counter()
        msg = refused(p)
        assert time.perf_counter() - t0 < 1.0
        assert "not closed" in msg
    # the same after more than MAX_DEPTH brackets, and with separators in the text
    text = "[" * 40 + '"' + '\\",:[{' * 100_000
    t0 = time.perf_counter()
    refused(write(tmp_path, text, "d.json"))
    assert time.perf_counter() - t0 < 1.0


def test_depth_and_value_limits(tmp_path: Path) -> None:
    deep = json.dumps(base(x=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]))
    assert "nested more than 32" in refused(write(tmp_path, deep))
    # brackets inside text values do not count
    ok = json.dumps(base(visit={"notes": "[" * 5000 + "{" * 4000}))
    assert load_session(write(tmp_path, ok, "ok.json")).visit.notes.startswith("[[")
    many = (
        '{"format": "dermamap-session", "version": 1, "marks": [], "x": ['
        + "[]," * (session_io.MAX_VALUES)
        + "[]]}"
    )
    assert "too many values" in refused(write(tmp_path, many, "many.json"))


def test_regular_files_only(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result: list[str] = []
    t = threading.Thread(target=lambda: result.append(refused(fifo)), daemon=True)
    t.start()
    t.join(5)
    assert result and "pipe" in result[0], "opening a FIFO must not block"
    folder = tmp_path / "dir.json"
    folder.mkdir()
    assert "folder" in refused(folder)
    loop = tmp_path / "loop.json"
    os.symlink("loop.json", loop)
    assert "symbolic link" in refused(loop)
    dev = tmp_path / "dev.json"
    os.symlink("/dev/zero", dev)
    assert "device" in refused(dev)


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    p = tmp_path / "a\x1b[31m\nb\u202e.json"
    with pytest.raises(SessionError) as info:
        load_session(p)
    for msg in (str(info.value), info.value.message(full_path=True)):
        assert "\x1b" not in msg and "\n" not in msg and "\u202e" not in msg
        assert "a\\x1b[31m\\nb\\u202e.json" in msg


def test_stamp_of_what_was_read(tmp_path: Path) -> None:
    p = write(tmp_path, json.dumps(base()))
    session, stamp = session_io.load_session_stamped(p)
    assert len(session.marks) == 1
    assert stamp == session_io.FileStamp.of_file(p)
    p.write_text(json.dumps(base(red_flags=["urinary_retention"])), encoding="utf-8")
    assert session_io.FileStamp.of_file(p) != stamp
    assert session_io.FileStamp.of_file(tmp_path / "gone.json") is None


def test_save_keeps_a_given_mode(tmp_path: Path) -> None:
    p = tmp_path / "ro.json"
    save_session(Session(), p, mode=0o444)
    assert stat.S_IMODE(p.stat().st_mode) == 0o444


def test_visit_date_of_birth_and_sex_round_trip_and_old_files_load() -> None:
    from core.session_io import dumps_session, loads_session

    v = Visit(patient_id="P-7", date_of_birth="1961-03-04", sex="female", examiner="Dr. A")
    s = Session(visit=v)
    back = loads_session(dumps_session(s))
    assert back.visit == v
    old = loads_session(
        '{"format": "dermamap-session", "version": 1, "marks": [], '
        '"visit": {"patient_id": "P-1", "date": "2024-01-02"}}'
    )
    assert old.visit == Visit(patient_id="P-1", date="2024-01-02")
    assert old.visit.date_of_birth == "" and old.visit.sex == ""
    assert not Visit(sex="male").is_empty()


def test_extra_keys_follow_the_contract(tmp_path: Path) -> None:
    """docs/interface.md: extra keys at the top level, in a mark, in history, in visit and a
    whole extra findings section are ignored; an unknown id inside a known findings table is
    refused, naming the file and the key (an audit found the document said every extra key
    was allowed)."""
    extra = base(
        version=2,
        marks=[_m(note="from another tool")],
        findings={"history": {"age": 40, "smoker": True}, "gait": {"left": "antalgic"}},
        visit={"date": "2026-12-01", "room": "3"},
        tool="other",
    )
    loaded = parse_session(extra)
    assert loaded.marks == (Mark("heel", Side.LEFT, Symptom.PAIN),)
    assert loaded.findings.history.age == 40
    path = tmp_path / "biceps.json"
    refused = base(version=2, findings={"reflexes": {"left": {"biceps": "normal"}}})
    path.write_text(json.dumps(refused), encoding="utf-8")
    with pytest.raises(SessionError) as err:
        load_session(path)
    assert "biceps.json" in str(err.value) and '"biceps"' in str(err.value)


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (
            b'{"format": "dermamap-session", "version": 2.0, "marks": []}',
            "version: expected the number 2, found a number (2.0)",
        ),
        (
            b'{"format": "dermamap-session", "version": 2, "atlas": 1, "marks": []}',
            "atlas: expected an atlas id (text), found a number (1)",
        ),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", "a second byte order mark (BOM) at the start"),
    ],
)
def test_messages_say_what_was_found_in_plain_words(tmp_path: Path, raw: bytes, said: str) -> None:
    """A hostile-input review: "expected the number 2, found a number" read as a contradiction,
    "expected a atlas id" was bad grammar and a second byte order mark showed Python's words
    ("Unexpected UTF-8 BOM (decode using utf-8-sig)")."""
    p = tmp_path / "odd.json"
    p.write_bytes(raw)
    with pytest.raises(SessionError) as info:
        load_session(p)
    assert said in str(info.value)
