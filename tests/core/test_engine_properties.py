"""Property tests: the engine never raises on a valid session and keeps its output invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine import ATLAS_IDS, analyze
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
)
from core.zones import areas, fine_zones, groups

ZONES = sorted({*areas(), *groups(), *fine_zones()})

marks_st = st.lists(
    st.builds(
        Mark,
        zone=st.sampled_from(ZONES),
        side=st.sampled_from(list(Side)),
        symptom=st.sampled_from(list(Symptom)),
        coverage=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    ),
    max_size=40,
).map(lambda ms: tuple({m.key: m for m in ms}.values()))


def _per_side(keys: st.SearchStrategy, values: st.SearchStrategy) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(list(Side)), st.dictionaries(keys, values, max_size=6))


history_st = st.builds(
    History,
    age=st.none() | st.integers(min_value=0, max_value=120),
    onset_days=st.none() | st.integers(min_value=0, max_value=3650),
    back_pain=st.none() | st.booleans(),
    neurogenic_claudication=st.none() | st.booleans(),
    diabetes=st.none() | st.booleans(),
    local_cause=st.none() | st.booleans(),
    progressive=st.none() | st.booleans(),
)

findings_st = st.builds(
    Findings,
    reflexes=_per_side(st.sampled_from(list(Reflex)), st.sampled_from(list(ReflexGrade))),
    strength=_per_side(st.sampled_from(list(Movement)), st.sampled_from(list(Strength))),
    tests=_per_side(st.sampled_from(list(Test)), st.sampled_from(list(TestResult))),
    history=history_st,
    plantar_response=st.dictionaries(
        st.sampled_from(list(Side)), st.sampled_from(list(PlantarResponse))
    ),
    clonus=st.dictionaries(st.sampled_from(list(Side)), st.sampled_from(list(Clonus))),
)

session_st = st.builds(
    Session,
    marks=marks_st,
    red_flags=st.frozensets(st.sampled_from(list(RedFlag)), max_size=3),
    findings=findings_st,
    atlas=st.sampled_from(ATLAS_IDS),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=session_st, atlas=st.none() | st.sampled_from(ATLAS_IDS))
def test_engine_invariants(session: Session, atlas: str | None) -> None:
    res = analyze(session, atlas)
    scores = [h.score for h in res.hypotheses]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    if res.urgent:
        assert res.hypotheses[0].id == "cauda_equina"
        assert res.hypotheses[0].probability is None
        assert any(w.urgent for w in res.warnings)
    saddle_sensory = any(
        m.zone.split(".")[0] == "saddle" and m.coverage > 0 and m.symptom is not Symptom.PAIN
        for m in session.marks
    )
    f = session.findings
    weak_both_progressive = f.history.progressive is True and all(
        Strength.WEAK in f.strength.get(s, {}).values() for s in Side
    )
    assert res.urgent == (bool(session.red_flags) or saddle_sensory or weak_both_progressive)
    marked = {m.side.value for m in session.marks if m.coverage > 0}
    for side in ("left", "right"):
        listed = [h for h in res.hypotheses if h.side == side]
        if side in res.unexplained:
            # a side's listed probabilities and its residual never exceed 1, and sum to 1
            # up to the share of hypotheses too improbable to list
            total = sum(h.probability or 0.0 for h in listed) + res.unexplained[side]
            assert total <= 1.0 + 1e-9
            assert all(h.score == h.probability for h in listed)
            if listed:
                assert listed[0].probability == max(h.probability or 0 for h in listed)
        else:
            assert not listed and side not in marked
    for h in res.hypotheses:
        assert h.side in ("left", "right", "both")
        valid = h.id in {"polyneuropathy", "cauda_equina"} or h.id.startswith(
            ("L", "S", "peripheral:")
        )
        assert valid, h.id
    if len(marked) == 2:
        assert any("cauda_equina" in w.id for w in res.warnings)
    res.to_dict()  # serialisable
