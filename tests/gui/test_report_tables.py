"""The report's tables across pages (real PDFs): the examination and ranked-hypotheses tables
split only between rows, and a continuation begins with the table's header row again.

A long examination was cut at any text line: a row's "light touch normal," ended page 1 and its
"pin prick normal" began page 2, and page 2 went on with some forty rows under no "Finding /
Right / Left" header. The ranked-hypotheses table moved to page 2 whole, leaving up to half of
page 1 blank.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from core import impression, names
from core.engine import analyze
from core.exam import exam_table
from core.model import (
    SENSORY_POINTS,
    Clonus,
    Findings,
    Mark,
    Movement,
    PlantarResponse,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Symptom,
    Test,
    TestResult,
    Visit,
)
from core.report_citations import listed_hypotheses
from core.results import Hypothesis
from core.session_io import load_session
from gui import report
from tests.gui.test_report import needs_poppler, pdf_text, poppler  # noqa: F401 (a fixture)

EXAM_HEAD = "Finding Right Left"
HYPOTHESES_HEAD = "Side Hypothesis Prob. Label Key evidence"


def _page_lines(path: Path) -> list[list[str]]:
    """Each page's lines of text (``pdftotext -layout``, spaces collapsed), without the
    running header and the footer: what the page's body shows, top to bottom."""
    text = unicodedata.normalize("NFKC", pdf_text(path))  # pdftotext keeps ligatures
    pages = []
    for n, page in enumerate(text.split("\f")):
        lines = [" ".join(ln.split()) for ln in page.splitlines() if ln.strip()]
        if n and lines and lines[0].startswith("Dermamap report —"):
            lines = lines[1:]  # the running header
        foot = next((i for i, ln in enumerate(lines) if ln.startswith("Intended use:")), None)
        pages.append(lines[:foot])
    return [p for p in pages if p]


def _table_pages(pages: list[list[str]], head: str, end: tuple[str, ...]) -> list[list[str]]:
    """The lines of a table on each page it takes: from its (first) header row to the first
    line starting with one of ``end`` (what follows the table)."""
    out: list[list[str]] = []
    started = ended = False
    for lines in pages:
        part: list[str] = []
        for ln in lines:
            if not started and ln == head:
                started = True
            elif started and ln.startswith(end):
                ended = True
                break
            if started:
                part.append(ln)
        if part:
            out.append(part)
        if ended:
            break
    assert started and ended, f"no table {head!r} ending at {end}"
    return out


def _chars(text: str) -> Counter[str]:
    return Counter("".join(text.split()))


def _assert_rows_whole(parts: list[list[str]], rows: list[tuple[str, str]]) -> None:
    """Every row (``(its first words, its whole text)``, in order) is whole on one page: the
    lines from its first line to the next row's (or to the foot of the page) hold all its
    characters (a wrapped cell's lines interleave with the other columns' in the text)."""
    lines = [(n, ln) for n, part in enumerate(parts) for ln in part]
    starts: list[int] = []
    at = 0
    for prefix, _text in rows:
        at = next(i for i in range(at, len(lines)) if lines[i][1].startswith(prefix))
        starts.append(at)
        at += 1
    for k, (prefix, text) in enumerate(rows):
        first = starts[k]
        page = lines[first][0]
        stop = starts[k + 1] if k + 1 < len(rows) else len(lines)
        seg = " ".join(ln for n, ln in lines[first:stop] if n == page)
        missing = _chars(text) - _chars(seg)
        assert not missing, f"the row {prefix!r} is cut between pages: {text!r} / {seg!r}"


def _assert_continuations_have_the_header(parts: list[list[str]], head: str) -> None:
    """Each page of the table begins with its header row."""
    for n, part in enumerate(parts):
        assert part[0] == head, f"page {n + 1} of the table begins {part[0]!r}, not its header"


def _long_exam(flags: bool, both_sides: bool) -> Session:
    """Every examination finding entered (about forty rows), sensation two lines a row."""
    f = Findings().with_history(age=47, onset_days=2, back_pain=True, progressive=True)
    sides = (Side.RIGHT, Side.LEFT) if both_sides else (Side.RIGHT,)
    for n, side in enumerate(sides):
        for k, r in enumerate(Reflex):
            f = f.with_reflex(side, r, (ReflexGrade.NORMAL, ReflexGrade.REDUCED)[(k + n) % 2])
        for k, m in enumerate(Movement):
            f = f.with_grade(side, m, 4 + (k + n) % 2)
        for t in Test:
            f = f.with_test(side, t, TestResult.NEGATIVE)
        f = f.with_plantar_response(side, PlantarResponse.FLEXOR).with_clonus(side, Clonus.ABSENT)
        for k, point in enumerate(SENSORY_POINTS):
            f = f.with_sensation(side, point, "light_touch", (2, 1)[(k + n) % 2])
            f = f.with_sensation(side, point, "pin_prick", (2, 1, 0)[(k + n) % 3])
        for k, s in enumerate(Symptom):
            f = f.with_intensity(side, s, 3 + k + n)
    zones_ = ("posterior_thigh", "posterior_calf", "lateral_border_of_foot", "lateral_heel")
    marks = tuple(Mark(z, Side.RIGHT, Symptom.PAIN) for z in zones_)
    red = frozenset(RedFlag) if flags else frozenset()
    visit = Visit(patient_id="P-40", examiner="Dr Q", date="2026-05-20")
    return Session(marks=marks, findings=f, visit=visit, red_flags=red)


@needs_poppler
@pytest.mark.parametrize(
    ("flags", "both_sides", "most_pages"),
    [(True, True, 4), (False, True, 4), (True, False, 3), (False, False, 3)],
)
def test_a_long_examination_splits_between_rows_under_its_header(
    qtbot, tmp_path: Path, flags: bool, both_sides: bool, most_pages: int
) -> None:
    session = _long_exam(flags, both_sides)
    pages = _exam_pages(session, tmp_path)
    assert len(pages) <= most_pages  # the repeated header costs no page
    assert "Ranked hypotheses" not in " ".join(pages[0])


@needs_poppler
@pytest.mark.parametrize("movements", range(0, 13, 2))
def test_no_examination_row_is_cut_between_pages(qtbot, tmp_path: Path, movements: int) -> None:
    """Two-line rows (sensation) at the foot of page 1, a line further down at each step: one
    was cut after its "light touch" line."""
    f = Findings()
    for n, side in enumerate((Side.RIGHT, Side.LEFT)):
        for r in (Reflex.PATELLAR, Reflex.ACHILLES):
            f = f.with_reflex(side, r, ReflexGrade.NORMAL)
        for m in list(Movement)[:movements]:
            f = f.with_grade(side, m, 5)
        for k, point in enumerate(SENSORY_POINTS):
            f = f.with_sensation(side, point, "light_touch", (2, 1)[(k + n) % 2])
            f = f.with_sensation(side, point, "pin_prick", (2, 1, 0)[(k + n) % 3])
    marks = tuple(Mark(z, Side.RIGHT, Symptom.PAIN) for z in ("posterior_thigh", "posterior_calf"))
    _exam_pages(Session(marks=marks, findings=f), tmp_path)


def _exam_pages(session: Session, tmp_path: Path) -> list[list[str]]:
    """The report's pages (:func:`_page_lines`) after checking its examination table: it starts
    on page 1 and goes on on page 2 under its header, every row whole on one page, and the
    signature line ends the report (it followed the table's end: a signature in the middle of
    the report did not cover what came after it)."""
    out = tmp_path / "exam.pdf"
    report.write_pdf(session, analyze(session), out)
    pages = _page_lines(out)
    parts = _table_pages(pages, EXAM_HEAD, ("Warning signs present:",))
    assert len(parts) == 2 and len(parts[0]) > 1  # a row of it under the header on page 1
    _assert_continuations_have_the_header(parts, EXAM_HEAD)
    rows = exam_table(session.findings)
    _assert_rows_whole(parts, [(" ".join(n.split()[:5]), f"{n} {r} {lft}") for n, r, lft in rows])
    signed = [ln for p in pages for ln in p if ln.startswith("Signature")]
    assert len(signed) == 1 and pages[-1][-1] == signed[0]
    return pages


BOTH_LEGS = {
    "format": "dermamap-session",
    "version": 2,
    "marks": [
        {"zone": "posterior_thigh", "side": "right", "symptom": "pain"},
        {"zone": "posterior_calf", "side": "right", "symptom": "pain"},
        {"zone": "lateral_border_of_foot", "side": "right", "symptom": "numbness"},
        {"zone": "posterior_thigh", "side": "left", "symptom": "pain"},
        {"zone": "lateral_lower_leg", "side": "left", "symptom": "pain"},
        {"zone": "dorsum_of_foot", "side": "left", "symptom": "numbness"},
    ],
    "findings": {
        "reflexes": {"right": {"achilles": "absent"}, "left": {"achilles": "normal"}},
        "history": {"age": 58, "back_pain": True, "neurogenic_claudication": True},
    },
    "visit": {"patient_id": "B-1", "date": "2026-04-10"},
}

TARSAL = {
    "format": "dermamap-session",
    "version": 2,
    "marks": [
        {"zone": "medial_sole", "side": "right", "symptom": "tingling"},
        {"zone": "lateral_sole", "side": "right", "symptom": "tingling"},
        {"zone": "plantar_toes", "side": "right", "symptom": "pain"},
    ],
    "findings": {
        "tests": {"right": {"tinel_tarsal_tunnel": "positive", "straight_leg_raise": "negative"}},
        "reflexes": {"right": {"achilles": "normal"}, "left": {"achilles": "normal"}},
        "history": {"age": 52, "back_pain": False, "diabetes": False},
    },
}


@needs_poppler
@pytest.mark.parametrize(("case", "most_pages"), [(BOTH_LEGS, 3), (TARSAL, 2)])
def test_ranked_hypotheses_begin_on_page_one_when_there_is_room(
    qtbot, tmp_path: Path, case: dict[str, object], most_pages: int
) -> None:
    """The table moved to page 2 whole, leaving a third of page 1 blank; it starts on page 1
    now (under the examination: the signature line is at the end) and goes on under its header
    on page 2."""
    src = tmp_path / "s.json"
    src.write_text(json.dumps(case), encoding="utf-8")
    session = load_session(src)
    analysis = analyze(session)
    out = tmp_path / "h.pdf"
    report.write_pdf(session, analysis, out)
    pages = _page_lines(out)
    assert len(pages) <= most_pages
    first = pages[0]
    assert "Ranked hypotheses" in first and HYPOTHESES_HEAD in first
    end = ("Under other maps", "Conditions that fit", "Warnings and notes")
    parts = _table_pages(pages, HYPOTHESES_HEAD, end)
    assert len(parts) == 2 and len(parts[0]) > 1  # at least one row under it on page 1
    _assert_continuations_have_the_header(parts, HYPOTHESES_HEAD)

    def whole(h: Hypothesis) -> tuple[str, str]:
        side, name = names.side_name(h.side), names.hypothesis_name(h.id)
        ids = impression.key_sources(h)
        text = " ".join(
            (side, name, impression.percent(h.probability), h.label.value)
            + tuple(impression.key_evidence(h))
            + ((f"[{', '.join(ids)}]",) if ids else ())
        )
        return (f"{side.split()[0]} {name.split()[0]}", text)

    _assert_rows_whole(parts, [whole(h) for h in listed_hypotheses(analysis)])
