"""Validation of parsed session data, field by field (Qt-free; part of :mod:`core.session_io`).

Anything wrong raises :class:`core.session_format.SessionError` whose message names the JSON path
of the problem (``marks[3].zone``) and what is wrong. The normalisation rules are in
:mod:`core.session_io`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from core import file_guard, zones
from core.model import (
    HISTORY_BOOLEANS,
    INTENSITY_RANGE,
    SENSORY_MODALITIES,
    SENSORY_POINTS,
    Clonus,
    Findings,
    History,
    LocalCauseSite,
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
from core.session_format import (
    FORMAT,
    HISTORY_INTS,
    MAX_AGE,
    MAX_MARKS,
    MAX_ONSET_DAYS,
    MAX_TEXT,
    READABLE_VERSIONS,
    VERSION,
    VISIT_FIELDS,
    SessionError,
    _decode,
    _Invalid,
    _loads,
)

# --- validation ----------------------------------------------------------------------------------


def json_kind(value: object) -> str:
    """What a JSON value is, in the words of a message ("a number", "a list", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):  # with its value: "expected the number 2, found a
        # number (2.0)" (it read "found a number", a contradiction: a hostile-input review)
        if isinstance(value, int) and abs(value) >= 10**15:
            return "a number (too long to show)"
        shown = repr(value)
        return f"a number ({shown if len(shown) <= 24 else shown[:21] + '...'})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_kind = json_kind


def _show(value: str) -> str:
    shown = json.dumps(value[:40], ensure_ascii=False)
    return shown[:-1] + '..."' if len(value) > 40 else shown


def _fail(path: str, problem: str) -> NoReturn:
    raise _Invalid(f"{path}: {problem}" if path else problem)


def _want(path: str, value: object, typ: type, what: str) -> None:
    if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
        _fail(path, f"expected {what}, found {_kind(value)}")


def _choice(path: str, value: object, valid: Mapping[str, Any], what: str) -> Any:
    if not isinstance(value, str):
        article = "an" if what[:1] in "aeiou" else "a"  # (it read "expected a atlas id")
        _fail(path, f"expected {article} {what} id (text), found {_kind(value)}")
    hit = valid.get(value)
    if hit is None:
        options = list(valid)
        listed = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
        _fail(path, f"unknown {what} {_show(value)} (valid: {listed})")
    return hit


def _enum_table(enum: Any) -> dict[str, Any]:
    return {m.value: m for m in enum}


_SIDES = _enum_table(Side)
_SYMPTOMS = _enum_table(Symptom)
_RED_FLAGS = _enum_table(RedFlag)
_REFLEXES = _enum_table(Reflex)
_REFLEX_GRADES = _enum_table(ReflexGrade)
_MOVEMENTS = _enum_table(Movement)
_STRENGTHS = _enum_table(Strength)
_TESTS = _enum_table(Test)
_PLANTAR = _enum_table(PlantarResponse)
_CLONUS = _enum_table(Clonus)
_SITES = _enum_table(LocalCauseSite)
_POINTS = {p: p for p in SENSORY_POINTS}
_MODALITIES = {m: m for m in SENSORY_MODALITIES}
_TEST_RESULTS = _enum_table(TestResult)
_MRC = re.compile(r"\s*([0-5])\s*([+-]?)\s*")


def _no_nul(path: str, text: str) -> None:
    if "\x00" in text:
        _fail(path, "contains a NUL character")


def _number(path: str, value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(path, f"expected {what}, found {_kind(value)}")
    return float(value)


def _whole(path: str, value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, f"expected {what} (a whole number), found {_kind(value)}")
    if not low <= value <= high:
        _fail(path, f"{value} is out of range ({low}-{high})")
    return value


def _zone(path: str, value: object) -> str:
    if not isinstance(value, str):
        _fail(path, f"expected a zone id (text), found {_kind(value)}")
    if not zones.is_known_zone(value):
        _no_nul(path, value)
        near = [a for a in zones.areas() if value and a.startswith(value[:3])][:4]
        if not near:
            near = list(zones.areas())[:4]
        _fail(path, f"unknown zone {_show(value)} (valid areas include {', '.join(near)}, ...)")
    return zones.current_zone(value)


def _marks(value: object, version: int = VERSION) -> tuple[Mark, ...]:
    _want("marks", value, list, "a list of marks")
    assert isinstance(value, list)
    if len(value) > MAX_MARKS:
        _fail("marks", f"too many marks ({len(value)}; at most {MAX_MARKS})")
    out: dict[tuple[str, Side, Symptom | None], Mark] = {}
    for i, item in enumerate(value):
        where = f"marks[{i}]"
        if not isinstance(item, dict):
            _fail(where, f"expected an object with zone, side and symptom, found {_kind(item)}")
        if "zone" not in item:
            _fail(where, "missing zone")
        if "side" not in item:
            _fail(where, "missing side")
        zone = _zone(f"{where}.zone", item["zone"])
        side: Side = _choice(f"{where}.side", item["side"], _SIDES, "side")
        symptom: Symptom
        if "symptom" not in item:
            _fail(where, "missing symptom (numbness, tingling or pain)")
        symptom = _choice(f"{where}.symptom", item["symptom"], _SYMPTOMS, "symptom")
        coverage = 1.0
        raw_cov = item.get("coverage")
        if raw_cov is not None:
            coverage = _number(f"{where}.coverage", raw_cov, "a number from 0 to 1")
            if not 0.0 <= coverage <= 1.0:
                _fail(f"{where}.coverage", f"{raw_cov} is out of range (0 to 1)")
        # version 1: the last mark on a zone and side wins; version 2: one mark per symptom
        key = (zone, side, symptom if version >= 2 else None)
        out.pop(key, None)
        out[key] = Mark(zone, side, symptom, coverage)
    return tuple(out.values())


def _red_flags(value: object) -> frozenset[RedFlag]:
    _want("red_flags", value, list, "a list of red-flag ids")
    assert isinstance(value, list)
    return frozenset(
        _choice(f"red_flags[{i}]", v, _RED_FLAGS, "red flag") for i, v in enumerate(value)
    )


def _strength(path: str, value: object) -> tuple[Strength, int | None]:
    """normal/weak, or an MRC grade (a number, or text such as ``"4"`` or ``"4+"``): the
    reading and the grade kept (``None`` for words; ``4+``, ``4-`` and ``5-`` keep 4: a
    ``5-`` is weak against full resistance, MRC 4 on the six-point scale, never a foot drop)."""
    if isinstance(value, bool):
        _fail(path, "expected normal, weak or an MRC grade 0-5, found true/false")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            _fail(path, f"MRC grade {value} is not a whole number (0-5)")
        if not 0 <= value <= 5:
            _fail(path, f"MRC grade {value} is out of range (0-5)")
        grade = int(value)
        return (Strength.NORMAL if grade == 5 else Strength.WEAK), grade
    if isinstance(value, str):
        hit = _STRENGTHS.get(value)
        if hit is not None:
            return Strength(hit), None
        m = _MRC.fullmatch(value)
        if m is not None and not (m.group(1) == "5" and m.group(2) == "+"):
            grade = int(m.group(1))
            if grade == 5 and m.group(2):
                return Strength.WEAK, 4
            return (Strength.NORMAL if grade == 5 else Strength.WEAK), grade
        _fail(path, f"unknown strength {_show(value)} (valid: normal, weak or an MRC grade 0-5)")
    _fail(path, f"expected normal, weak or an MRC grade 0-5, found {_kind(value)}")


def _split_strength(
    table: Mapping[Side, Mapping[Movement, tuple[Strength, int | None]]],
) -> tuple[Mapping[Side, Mapping[Movement, Strength]], Mapping[Side, Mapping[Movement, int]]]:
    strength = {s: MappingProxyType({m: v[0] for m, v in t.items()}) for s, t in table.items()}
    grades = {
        s: MappingProxyType({m: v[1] for m, v in t.items() if v[1] is not None})
        for s, t in table.items()
    }
    return MappingProxyType(strength), MappingProxyType({s: g for s, g in grades.items() if g})


def _intensity(path: str, value: object) -> int:
    return _whole(path, value, *INTENSITY_RANGE, "a rating 0-10")


def _per_side(
    path: str,
    value: object,
    keys: Mapping[str, Any],
    key_what: str,
    read: Callable[[str, object], Any],
) -> Mapping[Side, Mapping[Any, Any]]:
    _want(path, value, dict, "an object with left and/or right")
    assert isinstance(value, dict)
    out: dict[Side, Mapping[Any, Any]] = {}
    for side_key, table in value.items():
        side: Side = _choice(path, side_key, _SIDES, "side")
        if table is None:  # not recorded, as null is everywhere else (an interface review)
            continue
        where = f"{path}.{side.value}"
        _want(where, table, dict, f"an object of {key_what} results")
        assert isinstance(table, dict)
        inner: dict[Any, Any] = {}
        for k, v in table.items():
            item: Any = _choice(where, k, keys, key_what)
            if v is None:
                continue
            inner[item] = read(f"{where}.{k}", v)
        if inner:
            out[side] = MappingProxyType(inner)
    return MappingProxyType(out)


def _history(value: object) -> History:
    _want("findings.history", value, dict, "an object")
    assert isinstance(value, dict)
    fields: dict[str, Any] = {}
    limits = {"age": (MAX_AGE, "an age in years"), "onset_days": (MAX_ONSET_DAYS, "days")}
    for name in HISTORY_INTS:
        v = value.get(name)
        if v is not None:
            high, what = limits[name]
            fields[name] = _whole(f"findings.history.{name}", v, 0, high, what)
    for name in HISTORY_BOOLEANS:
        v = value.get(name)
        if v is not None:
            _want(f"findings.history.{name}", v, bool, "true or false")
            fields[name] = v
    site = value.get("local_cause_site")
    if site is not None:
        where = "findings.history.local_cause_site"
        fields["local_cause_site"] = _choice(where, site, _SITES, "local cause site")
    side = value.get("local_cause_side")
    if side is not None:
        where = "findings.history.local_cause_side"
        fields["local_cause_side"] = _choice(where, side, _SIDES, "side")
    return History(**fields)


def _findings(value: object) -> Findings:
    _want("findings", value, dict, "an object")
    assert isinstance(value, dict)
    parts: dict[str, Any] = {}
    reflexes = value.get("reflexes")
    if reflexes is not None:
        parts["reflexes"] = _per_side(
            "findings.reflexes",
            reflexes,
            _REFLEXES,
            "reflex",
            lambda p, v: _choice(p, v, _REFLEX_GRADES, "reflex grade"),
        )
    strength = value.get("strength")
    if strength is not None:
        parts["strength"], parts["grades"] = _split_strength(
            _per_side("findings.strength", strength, _MOVEMENTS, "movement", _strength)
        )
    intensity = value.get("intensity")
    if intensity is not None:
        parts["intensity"] = _per_side(
            "findings.intensity", intensity, _SYMPTOMS, "symptom", _intensity
        )
    tests = value.get("tests")
    if tests is not None:
        parts["tests"] = _per_side(
            "findings.tests",
            tests,
            _TESTS,
            "test",
            lambda p, v: _choice(p, v, _TEST_RESULTS, "test result"),
        )
    history = value.get("history")
    if history is not None:
        parts["history"] = _history(history)
    sensation = value.get("sensation")
    if sensation is not None:
        parts["sensation"] = _per_side(
            "findings.sensation", sensation, _POINTS, "key sensory point", _sensory_scores
        )
    for name, table in (("plantar_response", _PLANTAR), ("clonus", _CLONUS)):
        raw = value.get(name)
        if raw is not None:
            parts[name] = _one_per_side(f"findings.{name}", raw, table, name.replace("_", " "))
    return Findings(**parts)


def _sensory_scores(path: str, value: object) -> Mapping[str, int]:
    _want(path, value, dict, "an object with light_touch and/or pin_prick scores")
    assert isinstance(value, dict)
    out: dict[str, int] = {}
    for k, v in value.items():
        modality = _choice(path, k, _MODALITIES, "modality")
        if v is not None:
            out[modality] = _whole(f"{path}.{modality}", v, 0, 2, "a score 0, 1 or 2")
    return MappingProxyType(out)


def _one_per_side(
    path: str, value: object, valid: Mapping[str, Any], what: str
) -> Mapping[Side, Any]:
    _want(path, value, dict, "an object with left and/or right")
    assert isinstance(value, dict)
    out: dict[Side, Any] = {}
    for side_key, v in value.items():
        side: Side = _choice(path, side_key, _SIDES, "side")
        if v is not None:
            out[side] = _choice(f"{path}.{side.value}", v, valid, what)
    return MappingProxyType(out)


def visit_text_problem(value: object) -> str | None:
    """What this reader refuses in a visit detail, in its words (``too long (12000
    characters; at most 10000)``), or ``None``: the one rule the writer and the Visit Details
    form also hold text to (any text of at most :data:`MAX_TEXT` characters without a NUL)."""
    if not isinstance(value, str):
        return "expected text"
    if len(value) > MAX_TEXT:
        return f"too long ({len(value)} characters; at most {MAX_TEXT})"
    if "\x00" in value:
        return "contains a NUL character"
    return None


def _visit(value: object) -> Visit:
    _want("visit", value, dict, "an object")
    assert isinstance(value, dict)
    fields: dict[str, str] = {}
    for name in VISIT_FIELDS:
        v = value.get(name)
        if v is None:
            continue
        where = f"visit.{name}"
        _want(where, v, str, "text")
        assert isinstance(v, str)
        problem = visit_text_problem(v)
        if problem is not None:
            _fail(where, problem)
        fields[name] = v
    return Visit(**fields)


def _atlas(value: object) -> str:
    from core.engine import ATLAS_ALIASES, ATLAS_IDS, resolve_atlas

    valid = {a: a for a in ATLAS_IDS}
    valid.update({old: resolve_atlas(old) for old in ATLAS_ALIASES if ATLAS_ALIASES[old] in valid})
    return str(_choice("atlas", value, valid, "atlas"))


def _session(data: object) -> Session:
    if not isinstance(data, dict):
        _fail("", f"expected a JSON object at the top level, found {_kind(data)}")
    fmt = data.get("format")
    if fmt is None:
        _fail("", f'not a Dermamap session (no "format": "{FORMAT}")')
    if fmt != FORMAT:
        shown = _show(fmt) if isinstance(fmt, str) else _kind(fmt)
        _fail("format", f'expected "{FORMAT}", found {shown}')
    if "version" not in data:
        _fail("version", f"missing (expected {VERSION})")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        _fail("version", f"expected the number {VERSION}, found {_kind(version)}")
    readable = " and ".join(str(v) for v in READABLE_VERSIONS)
    if version > VERSION:
        _fail(
            "version",
            f"the file was written by a newer Dermamap (version {version}); "
            f"this version reads versions {readable}",
        )
    if version not in READABLE_VERSIONS:
        _fail("version", f"unsupported version {version}; this version reads versions {readable}")
    if "marks" not in data:
        _fail("marks", "missing (required; use [] for no marks)")
    parts: dict[str, Any] = {"marks": _marks(data["marks"], version)}
    if data.get("red_flags") is not None:
        parts["red_flags"] = _red_flags(data["red_flags"])
    if data.get("findings") is not None:
        parts["findings"] = _findings(data["findings"])
    if data.get("atlas") is not None:
        parts["atlas"] = _atlas(data["atlas"])
    if data.get("visit") is not None:
        parts["visit"] = _visit(data["visit"])
    return Session(**parts)


def parse_session(data: object, source: str = "<data>") -> Session:
    """Validate already-parsed JSON ``data`` and return the :class:`Session` it describes.

    ``source`` names the data in error messages (a file path, or ``<data>`` for in-memory data).
    Raises :class:`SessionError` for anything that is not a valid version-1 session.
    """
    try:
        return _session(data)
    except _Invalid as exc:
        raise SessionError(str(exc), None if source == "<data>" else source) from None
    except RecursionError:  # pragma: no cover - parsed data from json is depth-checked
        raise SessionError(
            "the data is nested too deeply", None if source == "<data>" else source
        ) from None


def loads_session(raw: bytes | str, source: str = "<data>") -> Session:
    """Parse and validate a session from the bytes (UTF-8) or text of a session file."""
    path = None if source == "<data>" else source
    try:
        text = _decode(raw) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
        data = _loads(text)
    except _Invalid as exc:
        raise SessionError(str(exc), path) from None
    if file_guard.may_hold_surrogates(text):
        _refuse_unencodable(data, path)
    return parse_session(data, source)


def _refuse_unencodable(data: object, path: str | None) -> None:
    """Refuse text that cannot be stored as UTF-8 (a lone surrogate such as ``"\\ud800"``)."""
    where = file_guard.unencodable_path(data)
    if where is not None:
        raise SessionError(
            f"{where}: contains a character that is not valid text (a lone surrogate)", path
        )
