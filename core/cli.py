"""``dermamap analyze FILE... [--atlas ID] [--format json|text]`` (interface spec section 3).

Prints the engine's analysis of each session file without importing Qt:

- ``--format json`` (default) with one file: one JSON object (indented); with several files:
  JSON Lines, one compact object per line, each with an extra ``"file"`` key first.
- ``--format text``: a readable report per file, urgent banner first, ending with the
  intended-use note.

``--atlas`` overrides the atlas stored in every session. Exit status: 0 when every file was
analysed; 2 when any file could not be read or is invalid (a one-line message naming the file
goes to stderr and the other files are still analysed) or the command line is wrong; 3 when the
output cannot be written (disk full, closed pipe, ...): one line on stderr, and the output holds
only whole records (a record is one JSON object, one JSON Lines line or one text report; one
that could not be written completely is removed from a regular output file).
File names in messages and text reports have control characters escaped.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import stat
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from core import names, warning_names

if TYPE_CHECKING:
    from core.model import Session
    from core.results import Analysis

INTENDED_USE = (
    "Intended use: decision support for a clinician, not a diagnosis; confirm by examination."
)

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_WRITE = 3

_WRITE_CHUNK = 1 << 18  # characters of output gathered before one write


def add_atlas_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--atlas ID`` as every command takes it: a current atlas id, or an id of an earlier
    version (still accepted, as in session files); the help lists the current ids only."""
    from core.engine import ATLAS_IDS, resolve_atlas

    def atlas(value: str) -> str:
        try:
            return resolve_atlas(value)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument(
        "--atlas", metavar="ID", type=atlas, help=f"{help_text} (one of: {', '.join(ATLAS_IDS)})"
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dermamap analyze",
        description=(
            "Analyse Dermamap session files without opening the window: ranked nerve-root and "
            "nerve hypotheses, matching conditions and warning signs. " + INTENDED_USE
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="session file(s) (.json)")
    add_atlas_option(p, "dermatome map to read the marks with, overriding each session's own")
    p.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="json (default; JSON Lines for several files) or a readable text report",
    )
    return p


def _wrap(text: str, indent: str, width: int = 100) -> list[str]:
    import textwrap

    # Continuation lines align with the text, never repeat a bullet or marker; a word with a
    # hyphen stays whole ("same-day", "L5-S1", not "same-" at a line's end)
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=" " * len(indent) + "  ",
        break_on_hyphens=False,
    ) or [indent]


def format_text(name: str, session: Session, analysis: Analysis) -> str:
    """A terminal report of ``analysis`` for the session file ``name``."""
    from core.file_guard import printable

    name = printable(name)
    out: list[str] = [name, "=" * min(len(name), 100)]
    out.extend(_banner(analysis))
    from core.report_citations import cited_references, map_sources

    atlas = names.atlas_name(analysis.atlas) + _src(map_sources(analysis))
    out.append(f"Atlas: {atlas}    Marks: {len(session.marks)}")
    from core.impression import LEAST_PERCENT, none_listed, paragraphs, percent, unlisted

    if analysis.hypotheses:  # without, the impression is the warnings above and the caveat
        out.append("")
        out.append("Clinical impression")
        for para in paragraphs(session, analysis)[:-1]:
            out.extend(_wrap(para, "  "))
    out.append("")
    out.append("Hypotheses (most probable first)")
    if not analysis.hypotheses:
        out.append(f"  (none: {none_listed(session, analysis)})")
    # the names' column as wide as the longest ("... (meralgia paresthetica)" pushed the
    # percentages out of line)
    width = max((len(names.hypothesis_name(h.id)) for h in analysis.hypotheses), default=0)
    for side in ("both", "right", "left"):
        ranked = [h for h in analysis.hypotheses if h.side == side]
        if not ranked:
            continue
        out.append(
            f"  {names.side_name(side) if side == 'both' else names.side_name(side) + ' leg'}"
        )
        for rank, h in enumerate(ranked, 1):
            chance = "   --" if h.probability is None else f"{percent(h.probability):>5}"
            name = names.hypothesis_name(h.id)
            out.append(f"    {rank:>2}. {name:<{width}} {chance}  {h.label.value}")
            for line in h.evidence:
                out.extend(_wrap("- " + line, "          "))
        if side in analysis.unexplained:
            others = unlisted(analysis, side) or 0.0
            if others >= LEAST_PERCENT:
                out.append(f"        {names.UNLISTED_WORDS}: {percent(others)}")
            left = percent(analysis.unexplained[side])
            out.append(f"        {names.RESIDUAL_WORDS}: {left}")
    if analysis.conditions:
        out.append("")
        out.append("Conditions that fit")
        for c in analysis.conditions:
            name = f"!! {c.name} ({_urgency(c.id).lower()})" if c.urgent else c.name
            out.extend(_wrap(f"{name}: {c.why}", "  - "))
            for step in c.next_steps:
                out.extend(_wrap("next: " + step, "      "))
            if c.sources:
                out.extend(_wrap("sources: " + ", ".join(c.sources), "      "))
    if analysis.warnings:
        out.append("")
        out.append("Warnings")
        for w in analysis.warnings:
            tag = f"[!] {_urgency(w.id)}: " if w.urgent else "[!] "
            out.extend(_wrap(tag + w.text + _src(w.sources), "  "))
    if analysis.notes:
        out.append("")
        out.append("Notes")
        for note in analysis.notes:
            out.extend(_wrap("- " + note.text + _src(note.sources), "  "))
    out.extend(_recorded(session))
    refs = cited_references(session, analysis, every_reason=True)
    if refs:  # the ids above, as the PDF report lists them
        out.append("")
        out.append("References cited")
        for rids, text in refs:
            out.extend(_wrap(f"{', '.join(rids)}  {text}", "  "))
    out.append("")
    out.append(INTENDED_USE)
    return "\n".join(out) + "\n"


def _urgency(wid: str) -> str:
    """How pressing urgent warning ``wid`` is, as the text outputs shout it: ``EMERGENCY`` for
    the cauda equina emergency, ``URGENT`` for the others (the window's "Emergency:" and
    "Urgent:", :func:`core.warning_names.urgent_headline`)."""
    return warning_names.urgency_word(wid).upper()


def _banner(analysis: Analysis) -> list[str]:
    """The urgent warnings, a headline each as the window's banner gives them ("!! EMERGENCY:
    exclude cauda equina syndrome now", "!! URGENT: upper motor neuron signs") over its text:
    every urgent warning was under one "URGENT: same-day emergency assessment needed"."""
    urgent = analysis.urgent_warnings
    if not (analysis.urgent or urgent):
        return []
    if not urgent:  # the emergency without its warning (an analysis made elsewhere)
        return ["!! " + warning_names.urgent_headline("cauda_equina", loud=True)]
    out: list[str] = []
    said: set[str] = set()
    for w in urgent:
        head = warning_names.urgent_headline(w.id, loud=True)
        if head not in said:
            said.add(head)
            out.append("!! " + head)
        out.extend(_wrap(w.text + _src(w.sources), "!!   "))
    return out


def _recorded(session: Session) -> list[str]:
    """The examination, intensities, history and ticked warning signs, as the PDF report's
    examination section gives them (the text report gave only what the engine made of them)."""
    from core.exam import exam_table, history_items
    from core.model import RedFlag

    rows = exam_table(session.findings)
    hist = history_items(session.findings)
    flags = [f for f in RedFlag if f in session.red_flags]
    if not (rows or hist or flags):
        return []
    out = ["", "Examination and history recorded"]
    out += exam_lines(rows) if rows else []
    out += _wrap("History: " + "; ".join(f"{k}: {v}" for k, v in hist), "  ") if hist else []
    if flags:
        signs = "; ".join(names.lower_first(warning_names.red_flag_name(f.value)) for f in flags)
        out += _wrap("Warning signs ticked: " + signs, "  ")
    return out


MIN_NAME_WIDTH = 40
"""Columns a finding's name keeps before the values wrap at their commas."""


def exam_lines(rows: list[tuple[str, str, str]], width: int = 100) -> list[str]:
    """The examination table, ``(finding, right, left)`` rows under "Right" and "Left", each
    column as wide as its values ("light touch altered, pin prick altered" ran past a fixed
    column and pushed Left out to column 146). A table wider than ``width`` wraps within its
    cells: the names first (down to :data:`MIN_NAME_WIDTH` columns, continued two spaces in),
    then the values at their commas ("light touch altered," over "pin prick altered"); a row's
    lines stay together and every column keeps its place."""
    cells = [(n, r or "-", lft or "-") for n, r, lft in rows]
    heads = ("", "Right", "Left")
    natural = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    room = width - 6  # the indent and two gaps of two spaces
    cols = list(natural)
    if sum(cols) > room:
        cols[0] = max(MIN_NAME_WIDTH, room - cols[1] - cols[2])
    if sum(cols) > room:
        for i in (1, 2):
            cols[i] = max(len(heads[i]), *(_longest_part(c[i]) for c in cells))
        cols[0] = max(MIN_NAME_WIDTH // 2, min(natural[0], room - cols[1] - cols[2]))
    while sum(cols) > room and max(cols) > 8:  # values without commas to wrap at
        cols[cols.index(max(cols))] -= 1
    out = [f"  {'':<{cols[0]}}  {'Right':<{cols[1]}}  Left"]
    for cell in cells:
        parts = [_cell(cell[0], cols[0], "  "), _cell(cell[1], cols[1]), _cell(cell[2], cols[2])]
        for k in range(max(map(len, parts))):
            n, r, lft = (p[k] if k < len(p) else "" for p in parts)
            out.append(f"  {n:<{cols[0]}}  {r:<{cols[1]}}  {lft}".rstrip())
    return out


def _parts(value: str) -> list[str]:
    """``a, b`` -> ``["a,", "b"]``: where a value wraps best."""
    return [p + ("," if i < value.count(", ") else "") for i, p in enumerate(value.split(", "))]


def _longest_part(value: str) -> int:
    return max(len(p) for p in _parts(value))


def _cell(text: str, width: int, indent: str = "") -> list[str]:
    """A cell's lines within ``width``: whole when it fits, else wrapped at its commas (a
    value) or its words (a name, continued ``indent`` further in)."""
    import textwrap

    if len(text) <= width:
        return [text]
    if not indent:
        lines: list[str] = []
        for part in _parts(text):
            if lines and len(lines[-1]) + 1 + len(part) <= width:
                lines[-1] += " " + part
            else:
                lines.extend(textwrap.wrap(part, width, break_on_hyphens=False) or [""])
        return lines
    return textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False)


def _src(sources: tuple[str, ...]) -> str:
    return f" [{', '.join(sources)}]" if sources else ""


class _WriteFailed(Exception):
    """The output could not be written; ``str()`` is the reason."""


def _write_reason(exc: OSError) -> str:
    if exc.errno == errno.EPIPE:
        return "the output pipe was closed by the program reading it"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    reason = exc.strerror or type(exc).__name__
    return reason[:1].lower() + reason[1:]


class _Output:
    """Writes whole records to a stream: each :meth:`write` reaches the output completely or,
    on a regular file, not at all (a partly written piece is cut off again)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.fd: int | None
        try:
            self.fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not backed by a file (tests)
            self.fd = None
        self.encoding = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> None:
        try:
            if self.fd is None:
                self._write_stream(text)
            else:
                self.stream.flush()
                self._write_fd(self.fd, text.encode(self.encoding, "replace"))
        except OSError as exc:
            raise _WriteFailed(_write_reason(exc)) from None

    def _write_stream(self, text: str) -> None:
        try:
            self.stream.write(text)
        except UnicodeEncodeError:
            self.stream.write(text.encode(self.encoding, "replace").decode(self.encoding))
        self.stream.flush()

    @staticmethod
    def _write_fd(fd: int, data: bytes) -> None:
        start: int | None = None
        with contextlib.suppress(OSError, ImportError):  # ImportError: no fcntl (Windows)
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode):
                import fcntl

                append = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_APPEND
                start = st.st_size if append else os.lseek(fd, 0, os.SEEK_CUR)
        view = memoryview(data)
        try:
            while view:
                n = os.write(fd, view)
                view = view[n:]
        except OSError:
            if start is not None and len(view) < len(data):
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
                    os.lseek(fd, start, os.SEEK_SET)
            raise


def _silence_stdout() -> None:
    """After a failed write: nothing more goes to stdout (nor at interpreter exit)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _say(text: str) -> None:
    """One line on stderr (never fails)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def print_or_fail(text: str, command: str = "dermamap") -> int:
    """Print ``text`` (and a line end) on stdout: 0, or :data:`EXIT_WRITE` with one line on
    stderr when it cannot be written (``dermamap --version > /dev/full`` ended in a
    traceback: a hostile-input review)."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except OSError as exc:
        _silence_stdout()
        _say(f"{command}: cannot write the output: {_write_reason(exc)}")
        return EXIT_WRITE
    return 0


def analyze_main(argv: list[str]) -> int:
    """Run ``dermamap analyze`` with ``argv`` (words after ``analyze``); return the exit code."""
    from core.engine import analyze
    from core.session_io import SessionError, load_session

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_INVALID
    files: list[str] = args.files
    atlas: str | None = args.atlas
    as_json = args.format == "json"
    lines = as_json and len(files) > 1
    out = _Output(sys.stdout)
    status = EXIT_OK
    dump: Callable[[object], str] = json.JSONEncoder(
        ensure_ascii=True, separators=(",", ":")
    ).encode
    # Output is gathered and written in large pieces of whole records: one write per file costs
    # a system call each when stdout is unbuffered (python -u, PYTHONUNBUFFERED). Pending output
    # is written before any error message so stdout and stderr keep their relative order.
    pending: list[str] = []
    pending_size = 0
    first = True
    try:
        for name in files:
            try:
                session = load_session(name)
            except SessionError as exc:
                if pending:
                    out.write("".join(pending))
                    pending.clear()
                    pending_size = 0
                _say(f"dermamap analyze: {exc.message(full_path=True)}")
                status = EXIT_INVALID
                continue
            analysis = analyze(session, atlas)
            if lines:
                text = dump({"file": name, **analysis.to_dict()}) + "\n"
            elif as_json:
                text = json.dumps({**analysis.to_dict(), "file": name}, indent=2) + "\n"
            else:
                text = ("" if first else "\n") + format_text(name, session, analysis)
            pending.append(text)
            first = False
            pending_size += len(text)
            if pending_size >= _WRITE_CHUNK:
                out.write("".join(pending))
                pending.clear()
                pending_size = 0
        if pending:
            out.write("".join(pending))
    except _WriteFailed as exc:  # e.g. a full disk, or `dermamap analyze *.json | head`
        _silence_stdout()
        _say(f"dermamap analyze: cannot write the output: {exc}")
        return EXIT_WRITE
    return status
