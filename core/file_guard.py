"""Bounded, hostile-file-safe reading of session files (issue 17, docs/interface.md section 2).

- :func:`read_regular` opens a path without blocking (``O_NONBLOCK``: a FIFO or a device named
  ``*.json`` cannot hang the reader), checks with ``fstat`` that it is a regular file, and reads
  at most :data:`MAX_FILE_BYTES` + 1 bytes.
- :func:`check_json_text` refuses JSON text nested deeper than :data:`MAX_DEPTH` or holding more
  than :data:`MAX_VALUES` values *before* it is parsed, in time linear in its length: one regular
  expression pass removes the text values (tracking quotes and backslash escapes, without
  backtracking), then bracket pairs are removed level by level (at most ``MAX_DEPTH`` passes).
- :func:`printable` escapes control and format characters (and undecodable bytes) in file names
  before they are shown in a message or on a terminal.
- :class:`FileStamp` remembers a file's modification time, size and content hash, to tell
  whether it was changed on disk by someone else.

Qt-free; raises :class:`Refused` (a one-line reason, without the file name).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from dataclasses import dataclass

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_VALUES",
    "FileStamp",
    "Refused",
    "check_json_text",
    "printable",
    "read_regular",
    "remove_stale_temporaries",
    "same_file",
    "write_target",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 32
#: Upper bound on the number of JSON values (objects, lists, texts, numbers, ...) in a file.
MAX_VALUES = 250_000


class Refused(ValueError):
    """A file or text that is refused; ``str()`` is the one-line reason."""


# --- reading ---------------------------------------------------------------------------------


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "it is a pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file"
    return "it is not a regular file"


def too_big(size: int) -> str:
    mb = MAX_FILE_BYTES // (1024 * 1024)
    # in bytes: "20.0 MB; at most 20 MB" named no difference (an interface review)
    return f"the file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,}, {mb} MiB)"


def read_regular(path: str) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file ``path`` (at most :data:`MAX_FILE_BYTES`) and its stat.

    Raises :class:`OSError` when it cannot be opened or read, :class:`Refused` when it is not a
    regular file or too large. Never blocks on a FIFO or device.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(_kind_of(st.st_mode))
        if st.st_size > MAX_FILE_BYTES:
            raise Refused(too_big(st.st_size))
        # read at most limit + 1 bytes, even if the file grows while we read it
        chunks: list[bytes] = []
        left = MAX_FILE_BYTES + 1
        want = min(st.st_size + 1, left)
        while left > 0:
            try:
                chunk = os.read(fd, want)
            except BlockingIOError:  # pragma: no cover - regular files do not block
                raise OSError(errno.EAGAIN, "the file cannot be read now") from None
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = min(max(want, 1 << 16), left)
        raw = b"".join(chunks)
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:
        raise Refused(too_big(len(raw)))
    return raw, st


# --- writing -------------------------------------------------------------------------------------


def write_target(path: str) -> str:
    """The path an atomic write to ``path`` must replace: ``path`` itself, or, when ``path`` is
    a symbolic link, the file it leads to (so that the link is kept).

    Raises :class:`Refused` when that file exists and is not a regular file (a folder, pipe,
    device or socket, also through a link): renaming a new file over it would replace it.
    Raises :class:`OSError` when a link cannot be followed (a loop). A path that does not exist,
    or whose folder cannot be read, is returned as it is: the write then says what is wrong.
    """
    try:
        lst = os.lstat(path)
    except OSError:
        return path
    if not stat.S_ISLNK(lst.st_mode):
        if not stat.S_ISREG(lst.st_mode):
            raise Refused(_kind_of(lst.st_mode))
        return path
    real = os.path.realpath(path)
    try:
        st = os.stat(path)  # every link followed, as the system would on open()
    except FileNotFoundError:  # a link to a file that does not exist (yet): create that file
        return real
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"it is a symbolic link to {_kind_of(st.st_mode).removeprefix('it is ')}")
    try:
        same = os.path.samestat(os.stat(real), st)
    except OSError:
        same = False
    if not same:  # e.g. /proc/self/fd/1 of a deleted file: no path leads to it
        raise Refused("it is a symbolic link that does not lead to a file by its name")
    return real


# --- linear pre-parse checks ----------------------------------------------------------------------

# A JSON text value, or an unterminated one running to the end of the text. Possessive
# quantifiers: the engine never backtracks, so this is linear even for a long run of escaped
# quotes (the old pattern retried from every quote of an unterminated string: quadratic).
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]]++")
_OPENERS = str.maketrans("{}", "[]")


def check_json_text(text: str, max_values: int = MAX_VALUES) -> None:
    """Raise :class:`Refused` when ``text`` holds more than ``max_values`` values (a file kind
    may allow more than :data:`MAX_VALUES`) or nests deeper than :data:`MAX_DEPTH` (brackets and
    separators inside text values do not count).

    Linear in ``len(text)``; it never fails on valid, small-enough JSON and leaves syntax errors
    to the parser. Every value but the first follows a comma, a colon or an opening bracket, so
    counting those (outside text values) bounds the number of values.
    """
    openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH and openers + text.count(",") + text.count(":") < max_values:
        return
    too_many = f"the data holds too many values (at most {max_values:,})"
    if text.count('"') > 2 * max_values + 2:  # more text values than values allowed
        raise Refused(too_many)
    bare = _STRING.sub("0", text).translate(_OPENERS)  # each text value becomes one character
    if bare.count(",") + bare.count(":") + bare.count("[") >= max_values:
        raise Refused(too_many)
    brackets = _NOT_BRACKET.sub("", bare)
    # Each pass removes the innermost pairs of every branch; a pair left after MAX_DEPTH passes
    # encloses more than MAX_DEPTH levels. Unbalanced brackets are left for the parser.
    for _ in range(MAX_DEPTH):
        shorter = brackets.replace("[]", "")
        if len(shorter) == len(brackets):
            return
        brackets = shorter
    if "[]" in brackets:
        raise Refused(f"the data is nested more than {MAX_DEPTH} levels deep")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def may_hold_surrogates(text: str) -> bool:
    """False when the parsed ``text`` cannot contain a lone surrogate (fast pre-check)."""
    if _SURROGATE_ESCAPE.search(text):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unencodable_path(data: object, path: str = "") -> str | None:
    """The JSON path of the first key or text in ``data`` that is not valid Unicode text (a
    lone surrogate, e.g. from ``"\\ud800"``), or ``None``."""
    stack: list[tuple[str, object]] = [(path, data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if not _encodable(value):
                return where or "the data"
        elif isinstance(value, dict):
            for k, v in value.items():
                sub = f"{where}.{k}" if where else str(k)
                if isinstance(k, str) and not _encodable(k):
                    return printable(sub)
                stack.append((printable(sub), v))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- names in messages ----------------------------------------------------------------------------

_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff"
    r"\ud800-\udfff]"
)


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of the file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether paths ``a`` and ``b`` name the same file (links followed; either may not exist
    yet: then where they lead is compared)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one does not exist (yet): compare where they lead
        pass
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


def printable(name: str) -> str:
    """``name`` with control, bidirectional-format and undecodable characters escaped."""
    return _UNSAFE.sub(_escape, name)


# --- temporaries of interrupted writes ---------------------------------------------------------

_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp")
_MAX_PID = (1 << 31) - 1
"""Process ids are positive and fit a C ``pid_t``: a larger number in such a name is no
process's (``os.kill`` raised OverflowError for it, which stopped crash recovery at start-up
and every Save in that folder)."""


def pid_of(text: str) -> int | None:
    """The process id written as ``text`` (decimal digits), or ``None`` when none can be."""
    if not text.isdigit() or len(text) > 10:
        return None
    pid = int(text)
    return pid if 0 < pid <= _MAX_PID else None


def _gone(pid: int) -> bool:
    """True only when the process ``pid`` is known not to exist."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):  # EPERM: someone else's; others: not sure
        return False
    return False


def remove_stale_temporaries(folder: str | os.PathLike[str], name: str | None = None) -> int:
    """Remove the temporary files of :func:`core.session_io.atomic_write_bytes` (named
    ``.<name>.<pid>.<8 hex digits>.tmp``) in ``folder`` that a process left behind when it was
    killed mid-write (its process is gone); only those for the target ``name`` when given. A
    name whose number cannot be a process id is left alone. Returns how many were removed;
    never raises (a clean-up never stops what comes after)."""
    removed = 0
    try:
        entries = os.listdir(folder)
    except (OSError, ValueError):
        return 0
    for entry in entries:
        m = _TEMPORARY.fullmatch(entry)
        if m is None or (name is not None and m.group("name") != name):
            continue
        pid = pid_of(m.group("pid"))
        if pid is None or not _gone(pid):
            continue
        with contextlib.suppress(OSError, ValueError):
            os.unlink(os.path.join(folder, entry))
            removed += 1
    return removed


# --- changed on disk? ----------------------------------------------------------------------


@dataclass(frozen=True)
class FileStamp:
    """What a file looked like when it was opened or saved: mtime, size and SHA-256."""

    mtime_ns: int
    size: int
    digest: str

    @classmethod
    def of_bytes(cls, data: bytes, st: os.stat_result) -> FileStamp:
        import hashlib  # (loads OpenSSL, ~3 ms: imported when a file is first opened or saved)

        return cls(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())

    @classmethod
    def of_file(cls, path: str | os.PathLike[str]) -> FileStamp | None:
        """The file's stamp now, or ``None`` when it does not exist or cannot be read."""
        try:
            raw, st = read_regular(os.fspath(path))
        except (OSError, Refused):
            return None
        return cls.of_bytes(raw, st)
