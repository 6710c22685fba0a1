"""Read, validate and save Dermamap session files (interface spec section 2).

Reading is strict and safe: a file is read as bytes (refused above :data:`MAX_FILE_BYTES`
before being read whole), decoded as UTF-8 (a BOM is accepted), parsed as JSON with guards
against hostile input (nesting deeper than :data:`MAX_DEPTH`, NaN/Infinity, huge numbers) and
validated field by field. Anything wrong raises :class:`SessionError`, whose message names the
file, the JSON path of the problem (``marks[3].zone``) and what is wrong -- never a traceback.
Nothing in a file is ever executed, and reading never modifies the file.

Normalisation rules (so that ``parse_session(json.loads(dumps_session(s))) == s``):

- Several marks of the same symptom on the same zone and side: the **last** one wins and
  takes the place of the last occurrence (as :meth:`core.model.Session.with_mark` would).
  Version 1 files keep one mark per zone and side (the last, whatever its symptom).
- Strength: an MRC grade is kept (``Findings.grades``) and written back as the number;
  ``normal``/``weak`` stay words.
- ``coverage`` defaults to 1 and is stored as a float; it is written only when below 1.
- ``null`` for a finding, a history item or a visit field means "not entered"; empty
  per-side tables are dropped.
- Unknown top-level keys and unknown ``findings`` sections are ignored (forward compatible);
  unknown ids inside a known section are errors, because they would silently change the result.

Saving is atomic (:func:`atomic_write_bytes`): a temporary file in the same folder, created
with mode 0600, is written, flushed, fsync'ed and renamed over the target, then the folder is
fsync'ed. On failure the temporary file is removed and the previous file is left untouched.
"""

from __future__ import annotations

import contextlib
import errno
import json
import math
import os
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from core import file_guard, zones
from core.file_guard import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_VALUES,
    FileStamp,
    printable,
    remove_stale_temporaries,
)
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

__all__ = [
    "FORMAT",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_MARKS",
    "MAX_VALUES",
    "VERSION",
    "FileStamp",
    "SessionError",
    "atomic_write_bytes",
    "dumps_session",
    "load_session",
    "load_session_stamped",
    "loads_session",
    "parse_session",
    "remove_stale_temporaries",
    "save_session",
    "session_to_dict",
]

FORMAT = "dermamap-session"
VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 2 adds several symptoms per zone and side, the upper motor neuron findings, the
ISNCSCI sensory examination and the local cause's site; version 1 files load unchanged (there
the last mark on a zone and side wins)."""
MAX_MARKS = 20_000
MAX_TEXT = 10_000
MAX_AGE = 130
MAX_ONSET_DAYS = 100 * 366
MAX_INT_DIGITS = 20
VISIT_FIELDS = ("patient_id", "date", "examiner", "notes")
HISTORY_INTS = ("age", "onset_days")


class SessionError(Exception):
    """A session file (or session data) that cannot be read, or a file that cannot be saved.

    Parameters
    ----------
    problem
        What is wrong, one line, e.g. ``marks[3].zone: unknown zone "elbow"``.
    path
        The file concerned, or ``None`` for in-memory data.
    action
        ``"open"`` or ``"save to"``; used in the message.

    ``str(err)`` is one line naming the file and the problem, e.g.
    ``Cannot open "visit.json": line 3, column 5: expected ',' (not valid JSON)``.
    """

    def __init__(self, problem: str, path: str | None = None, action: str = "open") -> None:
        self.problem = problem
        self.path = path
        self.action = action
        super().__init__(self.message())

    @property
    def filename(self) -> str:
        """The file's base name (or ``session data`` when there is no file)."""
        if self.path is None:
            return "session data"
        return printable(os.path.basename(self.path) or self.path)

    def message(self, full_path: bool = False) -> str:
        """The one-line message; ``full_path`` names the file by its whole path."""
        if self.path is None:
            return f"Invalid session data: {self.problem}"
        name = printable(self.path) if full_path else self.filename
        return f'Cannot {self.action} "{name}": {self.problem}'

    def __str__(self) -> str:
        return self.message()


class _Invalid(Exception):
    """Internal: a validation problem before the file name is attached."""


# --- JSON parsing with guards ------------------------------------------------------------------


def _parse_int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_INT_DIGITS:
        raise _Invalid(f"a number is too large ({len(s)} digits)")
    return int(s)


def _parse_float(s: str) -> float:
    value = float(s)
    if not math.isfinite(value):
        raise _Invalid(f"a number is too large ({s[:30]})")
    return value


def _parse_constant(s: str) -> NoReturn:
    raise _Invalid(f"{s} is not allowed (numbers must be finite)")


_JSON_MESSAGES = (
    ("Expecting ',' delimiter", "expected ','"),
    ("Expecting ':' delimiter", "expected ':'"),
    ("Expecting property name enclosed in double quotes", "expected a key in double quotes"),
    ("Expecting value", "expected a value"),
    ("Unterminated string", "a text value is not closed; the file may be truncated"),
    ("Extra data", "unexpected text after the end of the data"),
    ("Invalid control character", "a control character inside a text value"),
    ("Invalid \\uXXXX escape", "an invalid \\u escape"),
    ("Invalid \\escape", "an invalid backslash escape"),
)


def _describe_json_error(exc: json.JSONDecodeError) -> str:
    where = f"line {exc.lineno}, column {exc.colno}"
    if exc.pos >= len(exc.doc.rstrip()):
        return f"{where}: the data ends unexpectedly; the file may be truncated (not valid JSON)"
    msg = exc.msg
    for prefix, friendly in _JSON_MESSAGES:
        if msg.startswith(prefix):
            msg = friendly
            break
    return f"{where}: {msg} (not valid JSON)"


def _loads(text: str) -> Any:
    if not text.strip():
        raise _Invalid("the file is empty")
    try:
        file_guard.check_json_text(text)
    except file_guard.Refused as exc:
        raise _Invalid(str(exc)) from None
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as exc:
        raise _Invalid(_describe_json_error(exc)) from None
    except RecursionError:
        raise _Invalid(f"the data is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # e.g. int() digit limit
        raise _Invalid(f"a value cannot be read ({str(exc)[:80]})") from None


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Invalid("the file is UTF-16 text; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise _Invalid("this is not a text file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Invalid(
            f"byte {exc.start} is not valid UTF-8; this is not a UTF-8 text file"
        ) from None


# --- validation ----------------------------------------------------------------------------------


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


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
        _fail(path, f"expected a {what} id (text), found {_kind(value)}")
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
    reading and the grade kept (``None`` for words; ``4+``/``4-`` keep 4, ``5-`` is weak
    without a grade)."""
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
                return Strength.WEAK, None
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
        if len(v) > MAX_TEXT:
            _fail(where, f"too long ({len(v)} characters; at most {MAX_TEXT})")
        _no_nul(where, v)
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
    if version > VERSION:
        _fail(
            "version",
            f"the file was written by a newer Dermamap (version {version}); "
            f"this version reads version {VERSION}",
        )
    if version not in READABLE_VERSIONS:
        _fail("version", f"unsupported version {version}; this version reads version {VERSION}")
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


def _describe_os_error(exc: OSError, saving: bool) -> str:
    code = exc.errno
    if code in (errno.ENOENT,) and not saving:
        return "the file does not exist"
    if code == errno.ENOENT:
        return "the folder does not exist"
    if code == errno.EROFS:
        return "the folder is read-only" if saving else "the disk is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied" + (" (the folder or file is read-only)" if saving else "")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if code == errno.EISDIR:
        return "it is a folder, not a file"
    if code == errno.ENOTDIR:
        return "part of the path is not a folder"
    if code == errno.ENAMETOOLONG:
        return "the file name is too long"
    if code == errno.ELOOP:
        return "too many levels of symbolic links (a symbolic link loop)"
    if code in (errno.ENXIO, errno.ENODEV):
        return "it is a device or socket, not a regular file"
    reason = exc.strerror or type(exc).__name__
    return reason[:1].lower() + reason[1:]


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read, parse and validate the session file at ``path`` (never modifies the file).

    Raises :class:`SessionError` naming the file for every problem: missing or unreadable file,
    not a regular file (folder, pipe, device), a file over :data:`MAX_FILE_BYTES`, binary or
    non-UTF-8 content, invalid JSON, too many values or too deep nesting, text that is not
    valid Unicode, or content that is not a valid session.
    """
    return load_session_stamped(path)[0]


def load_session_stamped(path: str | os.PathLike[str]) -> tuple[Session, FileStamp]:
    """:func:`load_session`, plus the :class:`FileStamp` of the bytes that were read."""
    name = os.fspath(path)
    try:
        raw, st = file_guard.read_regular(name)
    except OSError as exc:
        raise SessionError(_describe_os_error(exc, saving=False), name) from None
    except file_guard.Refused as exc:
        raise SessionError(str(exc), name) from None
    return loads_session(raw, name), FileStamp.of_bytes(raw, st)


# --- writing -------------------------------------------------------------------------------------


def session_to_dict(session: Session) -> dict[str, Any]:
    """The JSON-ready dict of ``session`` in a stable key order (empty optional parts omitted)."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "atlas": session.atlas}
    marks: list[dict[str, Any]] = []
    for m in session.marks:
        item: dict[str, Any] = {"zone": m.zone, "side": m.side.value, "symptom": m.symptom.value}
        if m.coverage < 1.0:
            item["coverage"] = m.coverage
        marks.append(item)
    out["marks"] = marks
    if session.red_flags:
        out["red_flags"] = [f.value for f in RedFlag if f in session.red_flags]
    findings: dict[str, Any] = {}
    f = session.findings
    strength = {
        side: {m: f.grades.get(side, {}).get(m, v) for m, v in table.items()}
        for side, table in f.strength.items()
    }
    sections: tuple[tuple[str, Mapping[Side, Mapping[Any, Any]], Any], ...] = (
        ("reflexes", f.reflexes, Reflex),
        ("strength", strength, Movement),
        ("tests", f.tests, Test),
        ("intensity", f.intensity, Symptom),
    )
    for name, table, order in sections:
        sides: dict[str, Any] = {}
        for side in Side:
            inner = table.get(side) or {}
            values = {k.value: getattr(inner[k], "value", inner[k]) for k in order if k in inner}
            if values:
                sides[side.value] = values
        if sides:
            findings[name] = sides
    history = {
        name: getattr(f.history, name)
        for name in (*HISTORY_INTS, *HISTORY_BOOLEANS)
        if getattr(f.history, name) is not None
    }
    if f.history.local_cause_site is not None:
        history["local_cause_site"] = f.history.local_cause_site.value
    if history:
        findings["history"] = history
    sensation = {
        side.value: {
            p: dict(f.sensation[side][p]) for p in SENSORY_POINTS if p in f.sensation[side]
        }
        for side in Side
        if f.sensation.get(side)
    }
    if sensation:
        findings["sensation"] = sensation
    for name, per_side in (("plantar_response", f.plantar_response), ("clonus", f.clonus)):
        if per_side:
            findings[name] = {s.value: per_side[s].value for s in Side if s in per_side}
    if findings:
        out["findings"] = findings
    if not session.visit.is_empty():
        out["visit"] = {
            name: getattr(session.visit, name)
            for name in VISIT_FIELDS
            if getattr(session.visit, name)
        }
    return out


def dumps_session(session: Session) -> str:
    """The session file text: indented JSON, UTF-8 characters kept, trailing newline.

    Each mark is written on one line so that files with many marks stay readable and diffable.
    """
    items = list(session_to_dict(session).items())
    lines = ["{"]
    for i, (key, value) in enumerate(items):
        if key == "marks" and value:
            rows = ",\n".join("    " + json.dumps(m, ensure_ascii=False) for m in value)
            text = "[\n" + rows + "\n  ]"
        else:
            # json.dumps escapes newlines inside strings, so every real newline is indentation
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _noop(tmp: str, target: str) -> None:
    """Default of :data:`_before_replace`."""


#: Called with (temporary path, target path) after the data is written and fsync'ed and just
#: before the rename. Tests replace it with a function that raises to simulate a crash.
_before_replace: Callable[[str, str], None] = _noop


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` atomically with ``mode`` (default 0600: owner only).

    The bytes go to a new temporary file in the same folder, are flushed and fsync'ed, and the
    file is renamed over ``path`` (then the folder is fsync'ed). Readers see either the old file
    or the complete new one. On failure the temporary file is removed, the old file is intact
    and :class:`SessionError` (``Cannot save to "x.json": the disk is full``) is raised.
    """
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    tmp = os.path.join(
        folder, f".{os.path.basename(target)}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    )
    created = False
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
        created = True
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _before_replace(tmp, target)
        os.replace(tmp, target)
        created = False
    except OSError as exc:
        raise SessionError(_describe_os_error(exc, saving=True), target, "save to") from None
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    try:
        dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dfd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(dfd)


def save_session(session: Session, path: str | os.PathLike[str], *, mode: int = 0o600) -> None:
    """Save ``session`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Text that cannot be written as UTF-8 (a lone surrogate) raises :class:`SessionError` naming
    the field; nothing is written then.
    """
    try:
        data = dumps_session(session).encode("utf-8")
    except UnicodeEncodeError:
        where = file_guard.unencodable_path(session_to_dict(session)) or "the session"
        raise SessionError(
            f"{where} contains a character that is not valid text (a lone surrogate); "
            "correct it and save again",
            os.fspath(path),
            "save to",
        ) from None
    atomic_write_bytes(path, data, mode=mode)
