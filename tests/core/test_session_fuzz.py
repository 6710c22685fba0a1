"""Property tests of the session loader: any input gives a Session or a clean SessionError."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import zones
from core.engine import ATLAS_IDS
from core.model import (
    HISTORY_BOOLEANS,
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
from core.session_io import (
    SessionError,
    dumps_session,
    load_session,
    parse_session,
    session_to_dict,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)

# --- generators of valid session dicts ------------------------------------------------------

ZONES = sorted({*zones.areas(), *zones.groups(), *zones.fine_zones()})
SIDES = [s.value for s in Side]


def _values(enum: Any) -> list[str]:
    return [m.value for m in enum]


mark = st.fixed_dictionaries(
    {
        "zone": st.sampled_from(ZONES),
        "side": st.sampled_from(SIDES),
        "symptom": st.sampled_from(_values(Symptom)),
    },
    optional={"coverage": st.floats(min_value=0.0, max_value=1.0) | st.just(1)},
)


def per_side(keys: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.dictionaries(
        st.sampled_from(SIDES), st.dictionaries(st.sampled_from(keys), values, max_size=4)
    )


strength_values = (
    st.sampled_from(_values(Strength))
    | st.integers(min_value=0, max_value=5)
    | st.sampled_from(["0", "3", "4+", "4-", "5"])
)
history = st.fixed_dictionaries(
    {},
    optional={
        "age": st.integers(min_value=0, max_value=130),
        "onset_days": st.integers(min_value=0, max_value=20_000),
        **{name: st.booleans() for name in HISTORY_BOOLEANS},
    },
)
findings = st.fixed_dictionaries(
    {},
    optional={
        "reflexes": per_side(_values(Reflex), st.sampled_from(_values(ReflexGrade))),
        "strength": per_side(_values(Movement), strength_values),
        "tests": per_side(_values(Test), st.sampled_from(_values(TestResult))),
        "history": history,
    },
)
visit_text = st.text(st.characters(blacklist_characters="\x00"), max_size=30)
visit = st.fixed_dictionaries(
    {},
    optional={k: visit_text for k in ("patient_id", "date", "examiner", "notes")},
)
valid_docs = st.fixed_dictionaries(
    {
        "format": st.just("dermamap-session"),
        "version": st.just(1),
        "marks": st.lists(mark, max_size=8),
    },
    optional={
        "atlas": st.sampled_from(ATLAS_IDS),
        "red_flags": st.lists(st.sampled_from(_values(RedFlag)), max_size=4),
        "findings": findings,
        "visit": visit,
        "extra": json_values,
    },
)


@st.composite
def mutated_docs(draw: st.DrawFn) -> Any:
    """A valid session dict with one or a few mutations: near-valid input exercises messages."""
    doc = draw(valid_docs)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        doc = _mutate(draw, doc)
    return doc


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(draw: st.DrawFn, doc: Any) -> Any:
    paths = _paths(doc)
    path = draw(st.sampled_from(paths))
    new = draw(json_scalars | st.sampled_from([[], {}, "elbow", "left", 6, -1, 0.5, True]))
    if not path:
        return new
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "delete", "rename"]))
    last = path[-1]
    if action == "delete":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif action == "rename" and isinstance(parent, dict):
        parent[draw(st.text(max_size=8))] = parent.pop(last)
    else:
        parent[last] = new
    return doc


def _clean(err: SessionError) -> None:
    msg = str(err)
    assert msg and "\n" not in msg and "Traceback" not in msg
    assert err.problem


# --- properties -------------------------------------------------------------------------------


@FAST
@given(json_values)
def test_any_json_value_gives_a_session_or_a_session_error(data: Any) -> None:
    try:
        result = parse_session(data)
    except SessionError as err:
        _clean(err)
    else:
        assert isinstance(result, Session)


@FAST
@given(mutated_docs())
def test_mutated_session_dicts(data: Any) -> None:
    try:
        result = parse_session(data, "m.json")
    except SessionError as err:
        _clean(err)
        assert 'Cannot open "m.json": ' in str(err)
    else:
        assert isinstance(result, Session)


@FAST
@given(valid_docs)
def test_valid_sessions_round_trip_exactly(doc: dict[str, Any]) -> None:
    s = parse_session(doc)
    text = dumps_session(s)
    assert parse_session(json.loads(text)) == s
    assert json.loads(text) == session_to_dict(s)
    for m in s.marks:
        assert 0.0 <= m.coverage <= 1.0 and not math.isnan(m.coverage)


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(min_value=0, max_value=9))
    if kind == 0:
        return draw(st.binary(max_size=200))
    text = json.dumps(draw(mutated_docs()), ensure_ascii=draw(st.booleans()))
    raw = text.encode("utf-8", "surrogatepass")
    if kind == 1 and raw:  # truncated
        return raw[: draw(st.integers(min_value=0, max_value=len(raw) - 1))]
    if kind == 2 and raw:  # one byte flipped
        i = draw(st.integers(min_value=0, max_value=len(raw) - 1))
        return raw[:i] + bytes([draw(st.integers(0, 255))]) + raw[i + 1 :]
    if kind == 3:
        return b"\xef\xbb\xbf" + raw
    return raw


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(raw=file_bytes())
def test_loader_fuzz_2000_files(tmp_path: Path, raw: bytes) -> None:
    p = tmp_path / "fuzz.json"
    p.write_bytes(raw)
    try:
        result = load_session(p)
    except SessionError as err:
        _clean(err)
        assert str(err).startswith('Cannot open "fuzz.json": ')
    else:
        assert isinstance(result, Session)
    assert p.read_bytes() == raw
