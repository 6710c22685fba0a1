"""The session file format's constants, its error type and guarded JSON parsing (Qt-free).

Part of :mod:`core.session_io` (which documents the file format and is the public entry point):
JSON is parsed with guards against hostile input (nesting deeper than
:data:`core.file_guard.MAX_DEPTH`, NaN/Infinity, huge numbers, a key given twice in one
object), and every problem is a :class:`SessionError` naming the file and what is wrong -- never
a traceback.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, NoReturn

from core import file_guard
from core.file_guard import MAX_DEPTH, printable

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
VISIT_FIELDS = ("patient_id", "date", "examiner", "notes", "date_of_birth", "sex")
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
    ("Unexpected UTF-8 BOM", "a second byte order mark (BOM) at the start"),
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


class _Duplicated(dict[str, Any]):
    """A JSON object in which ``key`` appears more than once (the file is refused)."""

    key = ""


def _first_duplicate(data: Any) -> str:
    """The JSON path (``marks[0].zone``) of the first repeated key in ``data``."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, _Duplicated):
            return f"{where}.{value.key}" if where else value.key
        if isinstance(value, dict):
            items = [(f"{where}.{k}" if where else k, v) for k, v in value.items()]
        elif isinstance(value, list):
            items = [(f"{where}[{i}]", v) for i, v in enumerate(value)]
        else:
            continue
        stack.extend(reversed(items))
    return "a key"  # pragma: no cover - a repeated key is always in the tree


def _shown_key_path(path: str) -> str:
    shown = printable(path)
    return shown if len(shown) <= 120 else shown[:117] + "..."


def _loads(text: str, max_values: int = file_guard.MAX_VALUES) -> Any:
    if not text.strip():
        raise _Invalid("the file is empty")
    try:
        file_guard.check_json_text(text, max_values)
    except file_guard.Refused as exc:
        raise _Invalid(str(exc)) from None
    repeated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        # a key given twice: json would keep the last silently ("red_flags": [...] then
        # "red_flags": [] drops the emergency); refused, naming the key
        repeated.append(True)
        dup = _Duplicated(obj)
        seen: set[str] = set()
        for key, _value in items:
            if key in seen:
                dup.key = key
                break
            seen.add(key)
        return dup

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
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
    if repeated:
        where = _shown_key_path(_first_duplicate(data))
        raise _Invalid(f"{where}: the key appears more than once (each key may be given once)")
    return data


_OTHER_ENCODINGS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def _decode(raw: bytes) -> str:
    # UTF-32's little-endian byte-order mark begins with UTF-16's: test it first
    for bom, encoding in _OTHER_ENCODINGS:
        if raw.startswith(bom):
            raise _Invalid(f"the file is {encoding} text; save it as UTF-8")
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
