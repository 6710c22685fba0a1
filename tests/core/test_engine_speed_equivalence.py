"""The optimised engine gives exactly the answers the reference engine gave.

``data/engine_equivalence.json`` holds ~300 varied sessions (seeded random marks over canonical
areas, group aliases, finer zones and unknown ids; odd coverages; random findings, history and
red flags; all three atlases, with and without an atlas override) together with the
``Analysis.to_dict()`` the engine produced for each *before* the speed work (commit
"Engine equivalence fixture"). Every field must match exactly, except scores, which must agree
within 1e-9 (the fixture keeps the unrounded score).

The fixture is compact: sessions use a short list form and every string of the expected output
is stored once in a string table. Regenerate it (only when the engine's behaviour is meant to
change) with::

    .venv/bin/python tests/core/test_engine_speed_equivalence.py --write
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

if __name__ == "__main__":  # pragma: no cover - run as a script to regenerate the fixture
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.engine import analyze
from core.model import (
    Analysis,
    Findings,
    History,
    Hypothesis,
    Mark,
    Movement,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
    Test,
    TestResult,
)
from tests.core.engines import ids, implementations

FIXTURE = Path(__file__).parent / "data" / "engine_equivalence.json"
SEED = 20250611
N_RANDOM = 260
ATLASES = ("consensus", "keegan_garrett", "foerster_lee")

# Fixed zone vocabulary (kept literal so the generated sessions never depend on the assets).
AREAS = (
    "groin anterior_thigh anterolateral_thigh lateral_thigh medial_thigh posterior_thigh buttock "
    "saddle anterior_knee medial_knee popliteal_fossa anterior_lower_leg medial_lower_leg "
    "lateral_lower_leg posterior_calf medial_malleolus lateral_malleolus anterior_ankle "
    "dorsum_of_foot first_web_space great_toe middle_toes little_toe plantar_toes "
    "medial_border_of_foot lateral_border_of_foot medial_sole lateral_sole heel lateral_heel"
).split()
ALIASES = ("sole", "circumferential_lower_leg")
FINE = (
    "dorsum_of_foot.lateral dorsum_of_foot.medial great_toe.dorsal great_toe.medial heel.medial "
    "heel.plantar heel.posterior little_toe.dorsal little_toe.lateral middle_toes.dorsal "
    "middle_toes.lateral plantar_toes.great plantar_toes.little plantar_toes.middle "
    "posterior_calf.lateral posterior_calf.medial saddle.inner_thigh saddle.perineal"
).split()
UNKNOWN = ("forearm", "back_of_hand", "dorsum_of_foot.unknown_part", "nowhere.at.all")
DISTAL = (
    "great_toe middle_toes little_toe plantar_toes dorsum_of_foot first_web_space medial_sole "
    "lateral_sole heel lateral_heel medial_malleolus lateral_malleolus anterior_ankle "
    "medial_border_of_foot lateral_border_of_foot"
).split()
LEG = ("anterior_lower_leg", "medial_lower_leg", "lateral_lower_leg", "posterior_calf")
PATTERNS = (  # typical single-root / single-nerve / two-root drawings
    ("dorsum_of_foot", "first_web_space", "lateral_lower_leg"),
    ("lateral_border_of_foot", "lateral_heel", "little_toe", "posterior_calf"),
    ("medial_malleolus", "medial_lower_leg", "anterior_knee"),
    ("first_web_space",),
    ("first_web_space", "anterior_ankle"),
    ("lateral_lower_leg", "dorsum_of_foot"),
    ("anterolateral_thigh", "lateral_thigh"),
    ("lateral_malleolus", "lateral_border_of_foot"),
    ("medial_sole", "lateral_sole", "heel"),
    ("medial_knee", "medial_lower_leg", "medial_malleolus"),
    ("anterior_thigh", "anterior_knee", "medial_thigh"),
    ("dorsum_of_foot", "first_web_space", "lateral_border_of_foot", "little_toe"),
    ("medial_malleolus", "dorsum_of_foot", "great_toe"),
    ("buttock", "posterior_thigh", "lateral_lower_leg", "dorsum_of_foot"),
    ("popliteal_fossa", "posterior_thigh", "buttock"),
    ("groin", "anterior_thigh"),
    ("saddle",),
)
COVERAGES = (1.0, 1.0, 1.0, 0.8, 0.5, 0.3, 0.05, 0.0, -0.2, 1.4, float("nan"))


def _rand_findings(rng: random.Random) -> Findings:
    if rng.random() < 0.25:
        return Findings()
    f = Findings()
    for side in Side:
        if rng.random() < 0.3:
            continue
        for rx in rng.sample(list(Reflex), rng.randint(0, len(Reflex))):
            f = f.with_reflex(side, rx, rng.choice(list(ReflexGrade)))
        for mv in rng.sample(list(Movement), rng.randint(0, 4)):
            weak = rng.random() < 0.5
            f = f.with_strength(side, mv, Strength.WEAK if weak else Strength.NORMAL)
        for t in rng.sample(list(Test), rng.randint(0, 3)):
            pos = rng.random() < 0.6
            f = f.with_test(side, t, TestResult.POSITIVE if pos else TestResult.NEGATIVE)

    def tri() -> bool | None:
        return rng.choice((None, True, False))

    return f.with_history(
        age=rng.choice((None, 19, 35, 49, 50, 59, 60, 74, 88)),
        onset_days=rng.choice((None, 0, 5, 13, 14, 30, 400)),
        back_pain=tri(),
        neurogenic_claudication=tri(),
        diabetes=tri(),
        local_cause=tri(),
    )


def _zone(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.62:
        return rng.choice(AREAS)
    if r < 0.72:
        return rng.choice(ALIASES)
    if r < 0.95:
        return rng.choice(FINE)
    return rng.choice(UNKNOWN)


def _mark(rng: random.Random, zone: str, side: Side) -> Mark:
    cov = rng.choice(COVERAGES) if rng.random() < 0.5 else round(rng.uniform(0.1, 1.0), 3)
    return Mark(zone, side, rng.choice(list(Symptom)), cov)


def _random_session(rng: random.Random, i: int) -> Session:
    kind = i % 10
    marks: list[Mark] = []
    if kind in (0, 1, 2, 3, 4):  # free random marks, mostly one side
        side = rng.choice(list(Side))
        for _ in range(rng.randint(0, 10)):
            s = side if rng.random() < 0.8 else rng.choice(list(Side))
            marks.append(_mark(rng, _zone(rng), s))
    elif kind in (5, 6):  # a typical pattern on one or both sides
        pattern = rng.choice(PATTERNS)
        sides = rng.choice(([Side.LEFT], [Side.RIGHT], [Side.LEFT, Side.RIGHT]))
        for s in sides:
            zones = [z for z in pattern if rng.random() < 0.9] or list(pattern[:1])
            marks.extend(Mark(z, s, rng.choice(list(Symptom)), 1.0) for z in zones)
            if rng.random() < 0.3:
                marks.append(_mark(rng, _zone(rng), s))
    elif kind in (7, 8):  # bilateral distal (stocking-like) drawings
        zones = rng.sample(DISTAL, rng.randint(2, 9))
        if rng.random() < 0.4:
            zones += ["great_toe", "middle_toes", "little_toe"]
        if rng.random() < 0.3:
            zones += list(LEG) if rng.random() < 0.5 else ["circumferential_lower_leg"]
        for s in Side:
            own = [z for z in zones if rng.random() < 0.9]
            marks.extend(Mark(z, s, Symptom.NUMBNESS, rng.choice((1.0, 1.0, 0.6))) for z in own)
    else:  # large sessions: many areas on both sides
        for s in Side:
            for z in rng.sample(AREAS, rng.randint(5, 24)):
                marks.append(_mark(rng, z, s))
    if marks and rng.random() < 0.1:
        marks.append(marks[0])  # duplicate mark
    flags: frozenset[RedFlag] = frozenset()
    if rng.random() < 0.1:
        flags = frozenset(rng.sample(list(RedFlag), rng.randint(1, 2)))
    return Session(
        marks=tuple(marks),
        red_flags=flags,
        findings=_rand_findings(rng),
        atlas=rng.choice(ATLASES),
    )


def _bench_session() -> Session:
    """The 60-mark benchmark session (built here so the fixture does not import benchmarks/)."""
    symptoms = list(Symptom)
    marks = tuple(
        Mark(area, side, symptoms[i % 3], 0.4 + 0.6 * ((i * 7) % 10) / 10)
        for side in (Side.LEFT, Side.RIGHT)
        for i, area in enumerate(AREAS)
    )
    f = Findings()
    for side in Side:
        f = f.with_reflex(side, Reflex.ACHILLES, ReflexGrade.REDUCED)
        f = f.with_reflex(side, Reflex.PATELLAR, ReflexGrade.NORMAL)
        f = f.with_strength(side, Movement.GREAT_TOE_EXTENSION, Strength.WEAK)
        f = f.with_strength(side, Movement.ANKLE_INVERSION, Strength.NORMAL)
        f = f.with_strength(side, Movement.HIP_ABDUCTION, Strength.NORMAL)
        f = f.with_test(side, Test.STRAIGHT_LEG_RAISE, TestResult.POSITIVE)
        f = f.with_test(side, Test.TINEL_FIBULAR_HEAD, TestResult.NEGATIVE)
    f = f.with_history(age=58, back_pain=True, neurogenic_claudication=True, onset_days=30)
    return Session(marks=marks, findings=f)


def _special_sessions() -> list[Session]:
    """Findings combinations that random sampling rarely hits (foot drop, femoral, local cause)."""
    r, left = Side.RIGHT, Side.LEFT
    foot_drop = (
        Findings()
        .with_strength(left, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
        .with_strength(left, Movement.ANKLE_INVERSION, Strength.NORMAL)
        .with_strength(left, Movement.HIP_ABDUCTION, Strength.NORMAL)
        .with_history(back_pain=False)
    )
    femoral = (
        Findings()
        .with_strength(r, Movement.KNEE_EXTENSION, Strength.WEAK)
        .with_strength(r, Movement.HIP_ADDUCTION, Strength.NORMAL)
        .with_history(back_pain=False)
    )
    local = (
        Findings()
        .with_reflex(r, Reflex.ACHILLES, ReflexGrade.NORMAL)
        .with_strength(r, Movement.ANKLE_EVERSION, Strength.NORMAL)
        .with_history(local_cause=True)
    )
    return [
        Session(
            marks=(Mark("lateral_lower_leg", left), Mark("dorsum_of_foot", left)),
            findings=foot_drop,
        ),
        Session(marks=(Mark("anterior_thigh", r), Mark("medial_lower_leg", r)), findings=femoral),
        Session(
            marks=(Mark("lateral_malleolus", r), Mark("lateral_border_of_foot", r)),
            findings=local,
        ),
        Session(marks=(Mark("medial_knee", r), Mark("medial_lower_leg", r)), findings=local),
    ]


def generate_cases() -> list[tuple[Session, str | None]]:
    """The (session, atlas override) pairs of the fixture, in a fixed order."""
    rng = random.Random(SEED)
    cases: list[tuple[Session, str | None]] = [(Session(), None)]
    cases.append((Session(red_flags=frozenset({RedFlag.BILATERAL_SCIATICA})), None))
    bench = _bench_session()
    cases.extend((bench, a) for a in ATLASES)
    for pattern in PATTERNS:
        s = Session(marks=tuple(Mark(z, Side.RIGHT) for z in pattern))
        cases.extend((s, a) for a in ATLASES)
    cases.extend((s, a) for s in _special_sessions() for a in ATLASES)
    for i in range(N_RANDOM):
        s = _random_session(rng, i)
        override = rng.choice((None, None, *ATLASES))
        cases.append((s, override))
    return cases


# --- compact encoding -----------------------------------------------------------------------


def _enc_float(x: float) -> float | str:
    return "nan" if math.isnan(x) else x


def encode_session(s: Session) -> dict[str, Any]:
    """Short JSON form of a session (no validation, so odd coverages survive)."""
    f = s.findings

    def table(t: Any) -> dict[str, dict[str, str]]:
        return {side.value: {k.value: v.value for k, v in row.items()} for side, row in t.items()}

    h = f.history
    d = {
        "m": [
            [m.zone, m.side.value[0], m.symptom.value[0], _enc_float(m.coverage)] for m in s.marks
        ],
        "rf": sorted(r.value for r in s.red_flags),
        "rx": table(f.reflexes),
        "st": table(f.strength),
        "te": table(f.tests),
        "h": {k: getattr(h, k) for k in History.__dataclass_fields__ if getattr(h, k) is not None},
        "a": s.atlas,
    }
    return {k: v for k, v in d.items() if v}


_SIDES = {s.value[0]: s for s in Side}
_SYMPTOMS = {s.value[0]: s for s in Symptom}


def decode_session(d: dict[str, Any]) -> Session:
    """Inverse of :func:`encode_session`."""
    marks = tuple(
        Mark(z, _SIDES[side], _SYMPTOMS[sym], float(cov)) for z, side, sym, cov in d.get("m", ())
    )
    f = Findings()
    for side, row in d.get("rx", {}).items():
        for k, v in row.items():
            f = f.with_reflex(Side(side), Reflex(k), ReflexGrade(v))
    for side, row in d.get("st", {}).items():
        for k, v in row.items():
            f = f.with_strength(Side(side), Movement(k), Strength(v))
    for side, row in d.get("te", {}).items():
        for k, v in row.items():
            f = f.with_test(Side(side), Test(k), TestResult(v))
    f = f.with_history(**d.get("h", {}))
    return Session(
        marks=marks,
        red_flags=frozenset(RedFlag(r) for r in d.get("rf", ())),
        findings=f,
        atlas=d["a"],
    )


def expected_dict(a: Analysis) -> dict[str, Any]:
    """``a.to_dict()`` with each hypothesis's unrounded score under ``raw_score``."""
    d = a.to_dict()
    for hd, h in zip(d["hypotheses"], a.hypotheses, strict=True):
        hd["raw_score"] = h.score
    return d


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.table: list[str] = []

    def __call__(self, s: str) -> int:
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.table)
            self.table.append(s)
        return i

    def many(self, items: list[str]) -> list[int]:
        return [self(s) for s in items]


def encode_expected(d: dict[str, Any], s: _Strings) -> list[Any]:
    """Positional form of an expected dict; every string becomes an index into ``s``."""
    return [
        d["urgent"],
        s(d["atlas"]),
        [
            [
                s(h["id"]),
                s(h["side"]),
                h["raw_score"],
                s(h["label"]),
                s.many(h["evidence"]),
                s.many(h["sources"]),
            ]
            for h in d["hypotheses"]
        ],
        [
            [
                s(c["id"]),
                s(c["name"]),
                s(c["why"]),
                s.many(c["next_steps"]),
                s.many(c["sources"]),
                c["urgent"],
            ]
            for c in d["conditions"]
        ],
        [
            [s(w["id"]), s(w["text"]), w["urgent"], s.many(w["triggers"]), s.many(w["sources"])]
            for w in d["warnings"]
        ],
        s.many(d["notes"]),
    ]


def decode_expected(e: list[Any], table: list[str]) -> dict[str, Any]:
    """Inverse of :func:`encode_expected` (scores rounded as ``to_dict`` does)."""

    def strs(ix: list[int]) -> list[str]:
        return [table[i] for i in ix]

    urgent, atlas, hyps, conds, warns, notes = e
    return {
        "urgent": urgent,
        "atlas": table[atlas],
        "hypotheses": [
            {
                "id": table[i],
                "side": table[sd],
                "score": round(sc, 4),
                "label": table[lb],
                "evidence": strs(ev),
                "sources": strs(src),
                "raw_score": sc,
            }
            for i, sd, sc, lb, ev, src in hyps
        ],
        "conditions": [
            {
                "id": table[i],
                "name": table[nm],
                "why": table[wy],
                "next_steps": strs(ns),
                "sources": strs(src),
                "urgent": ug,
            }
            for i, nm, wy, ns, src, ug in conds
        ],
        "warnings": [
            {
                "id": table[i],
                "text": table[tx],
                "urgent": ug,
                "triggers": strs(tr),
                "sources": strs(src),
            }
            for i, tx, ug, tr, src in warns
        ],
        "notes": strs(notes),
    }


def write_fixture() -> None:
    """Run the current engine over :func:`generate_cases` and store the answers."""
    strings = _Strings()
    rows = []
    for session, atlas in generate_cases():
        exp = expected_dict(analyze(session, atlas))
        rows.append([encode_session(session), atlas, encode_expected(exp, strings)])
    data = {"seed": SEED, "strings": strings.table, "cases": rows}
    FIXTURE.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")


# --- tests ----------------------------------------------------------------------------------

_DATA: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8")) if FIXTURE.exists() else {}
_CASES: list[Any] = _DATA.get("cases", [])


def test_fixture_is_present_and_varied() -> None:
    assert FIXTURE.stat().st_size < 1_000_000
    assert len(_CASES) >= 300
    expected = [decode_expected(e, _DATA["strings"]) for _, _, e in _CASES]
    assert sum(e["urgent"] for e in expected) >= 20
    assert {e["atlas"] for e in expected} == set(ATLASES)
    ids = {h["id"] for e in expected for h in e["hypotheses"]}
    assert {"polyneuropathy", "cauda_equina", "L5", "S1", "peripheral:deep_peroneal"} <= ids
    notes = " ".join(n for e in expected for n in e["notes"])
    assert "Ignored unknown zones" in notes and "pattern" in notes and "Maps disagree" in notes


def test_fixture_sessions_round_trip() -> None:
    """The compact session form loses nothing the engine reads."""
    for session, _ in generate_cases()[:40]:
        again = decode_session(encode_session(session))
        assert [(m.zone, m.side, m.symptom) for m in again.marks] == [
            (m.zone, m.side, m.symptom) for m in session.marks
        ]
        assert again.findings == session.findings and again.red_flags == session.red_flags


@pytest.mark.parametrize("impl", implementations(), ids=ids())
@pytest.mark.parametrize("k", range(len(_CASES)) if _CASES else [0])
def test_engine_matches_reference_output(k: int, impl: ModuleType) -> None:
    enc_session, atlas, enc_expected = _CASES[k]
    expected = decode_expected(enc_expected, _DATA["strings"])
    got = expected_dict(impl.analyze(decode_session(enc_session), atlas))
    got_raw = [h.pop("raw_score") for h in got["hypotheses"]]
    exp_raw = [h.pop("raw_score") for h in expected["hypotheses"]]
    assert got == expected
    assert len(got_raw) == len(exp_raw)
    for g, e in zip(got_raw, exp_raw, strict=True):
        assert abs(g - e) <= 1e-9, (g, e)


if __name__ == "__main__":  # pragma: no cover
    if "--write" in sys.argv:
        write_fixture()
        print(f"wrote {FIXTURE} ({FIXTURE.stat().st_size} bytes, {len(generate_cases())} cases)")


@pytest.mark.parametrize("impl", implementations(), ids=ids())
def test_repeated_and_reordered_calls_give_the_same_answers(impl: ModuleType) -> None:
    """No per-call state leaks through the engine's caches and shared tables."""
    sessions = [(decode_session(s), a) for s, a, _ in _CASES[:80]]
    first = [expected_dict(impl.analyze(s, a)) for s, a in sessions]
    again = [expected_dict(impl.analyze(s, a)) for s, a in reversed(sessions)]
    assert first == list(reversed(again))


@pytest.mark.parametrize("impl", implementations(), ids=ids())
def test_hypotheses_behave_like_constructed_ones(impl: ModuleType) -> None:
    """The engine fills Hypothesis objects directly; they must act exactly like constructed ones."""
    res = impl.analyze(_bench_session())
    assert impl._FAST_HYPOTHESIS  # the fast path is the one under test
    for h in res.hypotheses:
        built = Hypothesis(h.id, h.side, h.score, h.label, h.evidence, h.sources)
        assert h == built and hash(h) == hash(built) and repr(h) == repr(built)
        assert dataclasses.asdict(h) == dataclasses.asdict(built)
        assert pickle.loads(pickle.dumps(h)) == h
        assert dataclasses.replace(h, score=0.5).score == 0.5
        with pytest.raises(dataclasses.FrozenInstanceError):
            h.score = 0.0  # type: ignore[misc]


@pytest.mark.parametrize("impl", implementations(), ids=ids())
def test_zone_cache_stays_bounded(impl: ModuleType) -> None:
    """Unknown zone ids cannot grow the zone cache without bound; a full cache stays correct."""
    marks = (
        Mark("heel.plantar", Side.LEFT),
        Mark("sole", Side.LEFT, coverage=0.5),
        Mark("forearm", Side.LEFT),
    )
    before = impl.analyze(Session(marks=marks)).to_dict()
    saved = dict(impl._ZONE_AREAS), dict(impl._ZONE_AREA)
    try:
        impl._ZONE_AREAS.clear()
        impl._ZONE_AREA.clear()
        for k in range(impl._ZONE_CACHE_MAX + 50):
            assert impl._valid_areas(f"no_such_zone_{k}") == ()
        assert len(impl._ZONE_AREAS) == impl._ZONE_CACHE_MAX
        assert impl._valid_areas("dorsum_of_foot.medial") == ("dorsum_of_foot",)
        assert impl._valid_areas("sole") == ("medial_sole", "lateral_sole")
        assert impl.analyze(Session(marks=marks)).to_dict() == before  # zones no longer cached
    finally:
        impl._ZONE_AREAS.clear()
        impl._ZONE_AREAS.update(saved[0])
        impl._ZONE_AREA.clear()
        impl._ZONE_AREA.update(saved[1])


def test_cli_batch_keeps_stdout_and_stderr_in_order(tmp_path: Path) -> None:
    """The batch CLI gathers its output; an error must still come between the files around it."""
    from core.session_io import dumps_session

    good = [tmp_path / f"g{k}.json" for k in range(3)]
    for k, p in enumerate(good):
        p.write_text(dumps_session(generate_cases()[k + 2][0]), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONUNBUFFERED": "1"}
    args = [str(good[0]), str(bad), str(good[1]), str(good[2])]
    proc = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "analyze", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        timeout=120,
        check=False,
    )
    lines = proc.stdout.decode("utf-8").splitlines()
    assert proc.returncode == 2
    assert len(lines) == 4
    assert json.loads(lines[0])["file"] == str(good[0])
    assert lines[1].startswith("dermamap analyze:") and str(bad) in lines[1]
    assert [json.loads(x)["file"] for x in lines[2:]] == [str(good[1]), str(good[2])]
