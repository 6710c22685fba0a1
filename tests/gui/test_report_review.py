"""A clinician's review of the printed report and the diagram PNG (real PDFs and images).

- The signature line sat under the examination on page 1, above the visit notes, hypotheses,
  conditions and comparison it did not cover: it ends the report now.
- A missing patient identifier or visit date read "—" in the patient fields: "not recorded".
- The running header of later pages read "Dermamap report — 07 Dec 2026" without a visit date:
  the day the report was made, read as the visit's. It says "printed 7 Dec 2026" now, after the
  patient identifier and the visit date when they are known.
- The PNG's caption named the patient, the visit and the map only: an urgent analysis puts the
  urgent warnings' headlines (the registry's words, as the status bar shouts them) above it.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from core import warning_names
from core.compare import compare
from core.engine import analyze
from core.model import Mark, Session, Side, Symptom, Visit
from core.report_content import build_blocks
from core.session_io import load_session
from gui import report, report_diagram
from tests.gui.test_report import needs_poppler, pdf_text, poppler  # noqa: F401 (a fixture)

DATA = Path(__file__).resolve().parent.parent / "core" / "data"
NOW = datetime(2026, 12, 7, 9, 30)


def _pages(path: Path) -> list[list[str]]:
    """Each page's lines (spaces collapsed, ligatures undone), footer and all."""
    text = unicodedata.normalize("NFKC", pdf_text(path))
    return [[" ".join(ln.split()) for ln in p.splitlines() if ln.strip()] for p in text.split("\f")]


def _body(pages: list[list[str]]) -> list[str]:
    """The lines of the whole report, without the footers and the running headers."""
    out: list[str] = []
    for n, lines in enumerate(pages):
        if n and lines and lines[0].startswith("Dermamap report —"):
            lines = lines[1:]
        foot = next((i for i, ln in enumerate(lines) if ln.startswith("Intended use:")), None)
        out.extend(lines[:foot])
    return out


def _l5(visit: Visit) -> Session:
    marks = (
        Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),
        Mark("great_toe", Side.RIGHT, Symptom.TINGLING),
        Mark("lateral_lower_leg", Side.RIGHT, Symptom.PAIN),
    )
    return Session(marks=marks, visit=visit)


# --- the signature ------------------------------------------------------------------------------


@needs_poppler
def test_the_signature_line_ends_the_report_under_all_it_signs(qtbot, tmp_path: Path) -> None:
    session = load_session(DATA / "rich.json")  # visit notes, an emergency, conditions
    earlier = Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(date="2024-01-01"))
    out = tmp_path / "r.pdf"
    report.write_pdf(session, analyze(session), out, comparison=compare(earlier, session))
    body = _body(_pages(out))
    signed = [i for i, ln in enumerate(body) if ln.startswith("Signature")]
    assert len(signed) == 1 and "Name and date" in body[signed[0]]
    assert signed[0] == len(body) - 1  # the last line of the report
    for section in (
        "Examination",
        "Visit notes",
        "Ranked hypotheses",
        "Conditions that fit",
        "Warnings and notes",
        "Marked areas",
        "References cited",
    ):
        assert section in body and body.index(section) < signed[0], section
    assert any(ln.startswith("Comparison from 2024-01-01") for ln in body[: signed[0]])
    assert "Worse on coughing." in body[: signed[0]]


# --- "not recorded" -----------------------------------------------------------------------------


def _patient_html(session: Session) -> str:
    blocks = build_blocks(
        session,
        analyze(session),
        overlay=False,
        aspect=0.7,
        body_w=500.0,
        max_diagram_h=300.0,
        source_name=None,
        now=NOW,
    )
    return blocks[0].html


def test_a_missing_patient_identifier_or_visit_date_says_not_recorded() -> None:
    blank = _patient_html(_l5(Visit(patient_id="  ", examiner="Dr Q")))
    assert blank.count("not recorded") == 2
    assert "Patient identifier</td><td width='33%'><b><i>not recorded</i>" in blank
    assert "Date of visit</td><td width='33%'><b><i>not recorded</i>" in blank
    given = _patient_html(_l5(Visit(patient_id="P-77", date="2026-12-06")))
    assert "not recorded" not in given
    assert "<b>P-77</b>" in given and "<b>2026-12-06</b>" in given
    one = _patient_html(_l5(Visit(patient_id="P-77")))
    assert one.count("not recorded") == 1 and "Date of visit</td><td width='33%'><b><i>not" in one


@needs_poppler
def test_the_printed_header_says_not_recorded(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    session = _l5(Visit())
    report.write_pdf(session, analyze(session), out)
    first = " ".join(_pages(out)[0])
    assert "Patient identifier not recorded" in first
    assert "Date of visit not recorded" in first
    assert "Patient identifier —" not in first and "Date of visit —" not in first


# --- the running header -------------------------------------------------------------------------


def test_the_running_header_says_the_day_printed_and_names_the_visit() -> None:
    from core.report_content import running_header

    assert running_header(_l5(Visit()), NOW) == "Dermamap report — printed 7 Dec 2026"
    known = _l5(Visit(patient_id="P-77", date="2026-12-06"))
    assert running_header(known, NOW) == (
        "Dermamap report — patient P-77 — visit 2026-12-06 — printed 7 Dec 2026"
    )
    only_id = _l5(Visit(patient_id="P-77\n"))
    assert running_header(only_id, datetime(2027, 1, 15)) == (
        "Dermamap report — patient P-77 — printed 15 Jan 2027"
    )


def _long_session(visit: Visit) -> Session:
    from core.model import Findings, Movement

    f = Findings()
    for side in (Side.RIGHT, Side.LEFT):
        for m in Movement:
            f = f.with_grade(side, m, 4)
    return Session(marks=_l5(visit).marks, findings=f, visit=visit)


@needs_poppler
def test_later_pages_head_with_the_day_printed(qtbot, tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    before = datetime.now()
    session = _long_session(Visit())
    report.write_pdf(session, analyze(session), out)
    after = datetime.now()
    pages = [p for p in _pages(out) if p]
    assert len(pages) >= 2
    days = {f"printed {d.day} {d.strftime('%b %Y')}" for d in (before, after)}
    for page in pages[1:]:
        assert page[0] in {f"Dermamap report — {d}" for d in days}, page[0]


@needs_poppler
def test_a_long_patient_identifier_keeps_the_day_printed_on_the_line(qtbot, tmp_path) -> None:
    out = tmp_path / "long-id.pdf"
    session = _long_session(Visit(patient_id="X" * 400, date="2026-12-06"))
    report.write_pdf(session, analyze(session), out)
    head = _pages(out)[1][0]
    assert head.startswith("Dermamap report — patient XXX") and "..." in head  # NFKC: …
    assert head.endswith(f"printed {datetime.now().day} {datetime.now().strftime('%b %Y')}")


# --- the PNG's emergency marker -----------------------------------------------------------------


def _red_rows(img: QImage, top: int) -> set[int]:
    """Rows at or below ``top`` with pixels in the alert's dark red at their start (the
    swatches' patterns, further right, are dark red too)."""
    want = QColor("#8b0000")
    rows = set()
    for y in range(top, img.height()):
        for x in range(0, 80):  # the alert's first letters; the legend's swatches are beyond
            c = img.pixelColor(x, y)
            if abs(c.red() - want.red()) < 40 and c.green() < 60 and c.blue() < 60:
                rows.add(y)
                break
    return rows


def test_the_alert_lines_are_the_registrys_headlines() -> None:
    from gui.report_legend import alert_lines

    urgent = load_session(DATA / "rich.json")
    analysis = analyze(urgent)
    assert analysis.urgent
    lines = alert_lines(analysis)
    assert lines[0] == "⚠ " + warning_names.urgent_headline("cauda_equina", loud=True)
    assert lines[0] == "⚠ EMERGENCY: exclude cauda equina syndrome now"
    assert len(lines) == len({w.id for w in analysis.urgent_warnings} | {"cauda_equina"})
    assert alert_lines(analyze(_l5(Visit()))) == []


def test_an_urgent_png_carries_the_emergency_in_words(qtbot, tmp_path: Path) -> None:
    from gui.report_legend import alert_lines, strip_height

    session = load_session(DATA / "rich.json")
    analysis = analyze(session)
    n = len(alert_lines(analysis))
    scene, keep = report_diagram.diagram_scene(session)
    r = scene.itemsBoundingRect()
    del keep
    out = tmp_path / "urgent.png"
    report.write_png(session, out, scale=1.0, analysis=analysis)
    img = QImage(str(out))
    assert img.height() == round(r.height()) + round(strip_height(True, n))
    # the alert lines come between the legend's line and the caption's, in dark red
    legend_end = round(r.height() + 28.0)
    red = _red_rows(img, round(r.height()))
    assert red and min(red) >= legend_end and max(red) < img.height() - 28
    calm = _l5(Visit(patient_id="P-77"))
    out = tmp_path / "calm.png"
    report.write_png(calm, out, scale=1.0, analysis=analyze(calm))
    img = QImage(str(out))
    scene, keep = report_diagram.diagram_scene(calm)
    assert img.height() == round(scene.itemsBoundingRect().height()) + round(strip_height(True))
    del keep


def test_the_command_lines_png_carries_the_emergency(qtbot, tmp_path: Path) -> None:
    from gui.report_cli import report_main
    from gui.report_legend import strip_height

    out = tmp_path / "cli.png"
    assert report_main([str(DATA / "rich.json"), "--png", str(out)]) == 0
    session = load_session(DATA / "rich.json")
    scene, keep = report_diagram.diagram_scene(session)
    h = scene.itemsBoundingRect().height()
    del keep
    img = QImage(str(out))
    assert img.height() > round(h * 2) + round(strip_height(True) * 2)  # more than the caption
    assert _red_rows(img, round(h * 2))
