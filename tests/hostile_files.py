"""A generator of hostile session files (issue 17): every one must be refused quickly, with a
message naming the file, by ``load_session``, ``dermamap analyze``, ``dermamap report`` and the
window's open path.

``make_hostile_files(folder)`` writes them and returns ``{name: path}``. Cases: a FIFO, a
device, a directory and a symbolic-link loop named ``*.json``; a file over the size limit;
deep nesting; long runs of escaped quotes after brackets (once quadratic); millions of empty
arrays or texts; brackets inside a 20 MB text; invalid UTF-8, UTF-16, NUL bytes; lone
surrogates; NaN / Infinity / huge numbers; wrong types; too many marks; plus byte-level
mutations of a valid file (seeded, like the fuzz tests in tests/core/test_session_fuzz.py).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

HEAD = '{"format": "dermamap-session", "version": 1, '
MB = 1024 * 1024


def _valid() -> dict[str, object]:
    return {
        "format": "dermamap-session",
        "version": 1,
        "marks": [
            {"zone": "dorsum_of_foot", "side": "right", "symptom": "numbness"},
            {"zone": "heel", "side": "left", "symptom": "pain", "coverage": 0.5},
        ],
        "red_flags": ["saddle_anaesthesia"],
        "visit": {"patient_id": "P-1", "notes": "x"},
    }


def _text_cases() -> dict[str, str | bytes]:
    from core.session_io import MAX_MARKS, MAX_VALUES

    valid = json.dumps(_valid())
    mark = '{"zone": "heel", "side": "left", "symptom": "pain"}'
    cases: dict[str, str | bytes] = {
        "deep_nesting": HEAD + '"marks": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "deep_objects": HEAD + '"marks": [], "x": ' + '{"a":' * 5000 + "1" + "}" * 5000 + "}",
        "escaped_quotes_200k": HEAD + '"marks": [[[[["' + '\\"' * 100_000,
        "escaped_quotes_18mb": HEAD + '"marks": [[[[["' + '\\"' * (9 * MB),
        "empty_arrays": HEAD + '"marks": [' + "[]," * (6 * MB) + "[]]}",
        "empty_texts": HEAD + '"marks": [' + '"",' * (6 * MB) + '""]}',
        "brackets_in_20mb_text": HEAD
        + '"marks": [], "visit": {"notes": "'
        + "[{" * (10 * MB - 64)
        + '"}}',
        "invalid_utf8": valid.encode()[:-10] + b"\xff\xfe\x80" + valid.encode()[-10:],
        "utf16": valid.encode("utf-16"),
        "nul_bytes": b"\x00" * 1000,
        "binary": bytes(range(256)) * 100,
        "lone_surrogate_visit": valid.replace('"P-1"', '"P\\ud800"'),
        "lone_surrogate_key": valid.replace('"notes"', '"n\\udfffotes"'),
        "lone_surrogate_zone": valid.replace('"heel"', '"he\\udc00el"'),
        "nan": valid.replace("0.5", "NaN"),
        "infinity": valid.replace("0.5", "Infinity"),
        "huge_float": valid.replace("0.5", "1e999"),
        "huge_int": valid.replace("0.5", "1" * 5000),
        "wrong_marks_type": HEAD + '"marks": {"zone": "heel"}}',
        "wrong_version_type": '{"format": "dermamap-session", "version": "1", "marks": []}',
        "wrong_top_level": "[1, 2, 3]",
        "wrong_side_type": HEAD + '"marks": [{"zone": "heel", "side": 1, "symptom": "pain"}]}',
        "too_many_marks": HEAD + '"marks": [' + ", ".join([mark] * (MAX_MARKS + 1)) + "]}",
        "too_many_values": HEAD + '"marks": [], "x": [' + "0," * MAX_VALUES + "0]}",
        "truncated": valid[: len(valid) // 2],
        "empty": "",
        "control_chars_name\x1b[31m\n": "{",
    }
    rng = random.Random(17)
    raw = valid.encode()
    for i in range(12):  # byte-level mutations, as the fuzz tests do
        data = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            data[pos] = rng.choice(b'{}[]",:\\\x00\xff0123456789 ')
        cases[f"mutation_{i}"] = bytes(data)
    return cases


def make_hostile_files(folder: Path) -> dict[str, Path]:
    """Write every hostile case into ``folder``; returns ``{case name: path}``.

    Every case is a file that must be refused (mutations that happen to stay valid are dropped).
    """
    from core.session_io import SessionError, loads_session

    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for name, content in _text_cases().items():
        data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
        if name.startswith("mutation_"):
            try:
                loads_session(data)
                continue  # still a valid session: not hostile
            except SessionError:
                pass
        p = folder / f"{name}.json"
        p.write_bytes(data)
        out[name] = p
    fifo = folder / "fifo.json"
    os.mkfifo(fifo)
    out["fifo"] = fifo
    huge = folder / "huge.json"
    with open(huge, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(64 * MB)
    out["huge_sparse"] = huge
    loop = folder / "loop.json"
    os.symlink(loop.name, loop)
    out["symlink_loop"] = loop
    directory = folder / "folder.json"
    directory.mkdir()
    out["directory"] = directory
    for dev in ("/dev/zero", "/dev/urandom"):
        if os.path.exists(dev):
            link = folder / f"device_{Path(dev).name}.json"
            os.symlink(dev, link)
            out[f"device_{Path(dev).name}"] = link
    missing = folder / "missing.json"
    out["missing"] = missing
    return out
