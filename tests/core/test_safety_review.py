"""A data-safety review's findings (Qt-free): what the atomic writer does with a target that is a
symbolic link or not a regular file, duplicate keys in a session file, UTF-32 files.

The reviewer's numbering: 5 (the writer replaced a device, a FIFO or a symbolic link by a regular
file), 12 (a key given twice was accepted, the last one winning: the emergency vanished), 13 (a
UTF-32 file was called UTF-16).
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from core import session_io
from core.model import Mark, RedFlag, Session, Side, Symptom
from core.session_io import SessionError, atomic_write_bytes, load_session, save_session

SADDLE = {"zone": "saddle", "side": "left", "symptom": "numbness"}
HEAD = '{"format": "dermamap-session", "version": 2, '


def _temporaries(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if n.endswith(".tmp")]


def _refused_write(path: Path, data: bytes = b"new") -> str:
    """Write to ``path`` expecting a refusal (within 5 s: a FIFO must not block); the message."""
    result: list[BaseException | None] = []

    def run() -> None:
        try:
            atomic_write_bytes(path, data)
        except BaseException as exc:  # handed to the test thread
            result.append(exc)
        else:
            result.append(None)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(5)
    assert result, "writing must not block"
    exc = result[0]
    assert isinstance(exc, SessionError), f"expected a refusal, got {exc!r}"
    msg = exc.message(full_path=True)
    assert str(path) in msg and "\n" not in msg
    assert not _temporaries(path.parent)
    return msg


# --- 5: the atomic writer and targets that are not regular files -----------------------------


def test_a_fifo_target_is_refused_and_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    msg = _refused_write(fifo)
    assert "pipe (FIFO), not a regular file" in msg
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"


def test_a_symlink_to_a_fifo_is_refused_and_both_are_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.json"
    os.symlink("pipe", link)
    msg = _refused_write(link)
    assert "symbolic link to a pipe (FIFO), not a regular file" in msg
    assert os.path.islink(link) and os.readlink(link) == "pipe"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_to_a_device_is_refused_and_kept(tmp_path: Path) -> None:
    """Like ``/dev/stdout`` or a link to ``/dev/null`` (the device itself is never written)."""
    link = tmp_path / "null.csv"
    os.symlink(os.devnull, link)
    msg = _refused_write(link)
    assert "device, not a regular file" in msg
    assert os.path.islink(link) and os.readlink(link) == os.devnull


def test_a_folder_target_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out.pdf"
    folder.mkdir()
    assert "folder" in _refused_write(folder)
    assert folder.is_dir() and not any(folder.iterdir())


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "visit.json"
    real.write_bytes(b"old")
    link = tmp_path / "visit.json"
    os.symlink(real, link)
    atomic_write_bytes(link, b"new")
    assert os.path.islink(link), "the symbolic link was replaced by a regular file"
    assert real.read_bytes() == b"new"
    assert not _temporaries(tmp_path) and not _temporaries(real_dir)


def test_saving_a_session_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "stored.json"
    save_session(Session(), real)
    link = tmp_path / "visit.json"
    os.symlink("stored.json", link)
    session = Session(marks=(Mark("heel", Side.LEFT, Symptom.PAIN),))
    save_session(session, link)
    assert os.path.islink(link) and os.readlink(link) == "stored.json"
    assert load_session(real) == session


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    os.symlink("made.json", link)
    atomic_write_bytes(link, b"data")
    assert os.path.islink(link)
    assert (tmp_path / "made.json").read_bytes() == b"data"


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.csv"
    os.symlink("loop.csv", loop)
    assert "symbolic link" in _refused_write(loop)
    assert os.path.islink(loop)


def test_a_fifo_that_appears_while_writing_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"

    def swap(tmp: str, dest: str) -> None:
        os.mkfifo(dest)

    monkeypatch.setattr(session_io, "_before_replace", swap)
    assert "pipe" in _refused_write(target)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


# --- 12: duplicate keys ----------------------------------------------------------------------


def _refused_load(tmp_path: Path, text: str) -> str:
    path = tmp_path / "visit.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SessionError) as info:
        load_session(path)
    msg = str(info.value)
    assert '"visit.json"' in msg and "\n" not in msg
    return msg


def test_a_repeated_red_flags_key_is_refused(tmp_path: Path) -> None:
    """``"red_flags": ["saddle_anaesthesia"], "red_flags": []`` read as no red flag at all."""
    text = HEAD + '"marks": [], "red_flags": ["saddle_anaesthesia"], "red_flags": []}'
    msg = _refused_load(tmp_path, text)
    assert "red_flags: the key appears more than once" in msg
    # given once, it is the emergency it says
    ok = tmp_path / "ok.json"
    ok.write_text(HEAD + '"marks": [], "red_flags": ["saddle_anaesthesia"]}', encoding="utf-8")
    assert RedFlag.SADDLE_ANAESTHESIA in load_session(ok).red_flags


def test_a_repeated_marks_key_is_refused(tmp_path: Path) -> None:
    msg = _refused_load(tmp_path, HEAD + f'"marks": [{json.dumps(SADDLE)}], "marks": []}}')
    assert msg.endswith(
        '"visit.json": marks: the key appears more than once (each key may be given once)'
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            '"marks": [{"zone": "saddle", "zone": "heel", "side": "left", "symptom": "pain"}]',
            "marks[0].zone",
        ),
        ('"marks": [], "findings": {"history": {"age": 30, "age": 80}}', "findings.history.age"),
        ('"marks": [], "visit": {"notes": "a", "notes": "b"}', "visit.notes"),
        ('"marks": [], "extra": {"x": {"y": 1, "y": 2}}', "extra.x.y"),
        ('"marks": [], "format": "other"', "format"),
    ],
)
def test_a_repeated_key_anywhere_is_refused_naming_its_path(
    tmp_path: Path, body: str, where: str
) -> None:
    assert f"{where}: the key appears more than once" in _refused_load(tmp_path, HEAD + body + "}")


def test_a_repeated_key_is_named_with_control_characters_escaped() -> None:
    with pytest.raises(SessionError) as info:
        session_io.loads_session(HEAD + '"marks": [], "x": {"a\\u001b[31m": 1, "a\\u001b[31m": 2}}')
    assert "x.a\\x1b[31m: the key appears more than once" in str(info.value)
    assert "\x1b" not in str(info.value)


def test_the_saved_file_has_no_repeated_key() -> None:
    doc: Any = json.loads(session_io.dumps_session(Session(red_flags=frozenset(RedFlag))))
    assert session_io.loads_session(json.dumps(doc)).red_flags == frozenset(RedFlag)


# --- 13: the encoding a file is in ----------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-32", "UTF-32"),
        ("utf-32-be", "UTF-32 (big-endian)"),
        ("utf-16", "UTF-16"),
        ("utf-16-be", "UTF-16 (big-endian)"),
    ],
)
def test_the_encoding_of_a_file_that_is_not_utf8_is_named(
    tmp_path: Path, encoding: str, named: str
) -> None:
    path = tmp_path / "visit.json"
    text = HEAD + '"marks": []}'
    bom = "" if encoding in ("utf-32", "utf-16") else "\ufeff"  # these add one themselves
    path.write_bytes((bom + text).encode(encoding))
    with pytest.raises(SessionError) as info:
        load_session(path)
    msg = str(info.value)
    assert f"the file is {named}" in msg and msg.endswith("; save it as UTF-8")
    if named.startswith("UTF-32"):
        assert "UTF-16" not in msg


def test_replacing_a_colleagues_group_shared_file_keeps_it_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A colleague's 0660 file in a clinic's shared folder became the saver's 0600 file on Save,
    locking the colleague out of the record (the red team's 11th item). The group and its
    permissions are kept; the saver's own files and new ones stay owner-only."""
    shared, own = tmp_path / "shared.json", tmp_path / "own.json"
    for p, m in ((shared, 0o660), (own, 0o664)):
        p.write_bytes(b"{}")
        os.chmod(p, m)
    atomic_write_bytes(own, b"{}")
    assert stat.S_IMODE(own.stat().st_mode) == 0o600  # ours: owner-only as always
    gid = shared.stat().st_gid
    real_uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 1)  # the file is someone else's
    atomic_write_bytes(shared, b'{"a": 1}')
    assert stat.S_IMODE(shared.stat().st_mode) == 0o660 and shared.stat().st_gid == gid
    atomic_write_bytes(tmp_path / "new.json", b"{}")
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o600
