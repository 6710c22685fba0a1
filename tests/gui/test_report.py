"""Reports: PDF text and pages, PNG, CSV, print dialog, the ``dermamap report`` command."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import shutil
import socket
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from core import report_citations, zones
from core.engine import analyze
from core.model import Findings, Mark, Reflex, ReflexGrade, Session, Side, Symptom, Visit
from core.names import hypothesis_name
from core.session_io import load_session, save_session
from gui import report, report_diagram

DATA = Path(__file__).resolve().parent.parent / "core" / "data"
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def poppler() -> None:
    """The PDF checks need poppler-utils; a missing tool fails loudly (never a silent skip)."""
    missing = [t for t in ("pdftotext", "pdftoppm") if shutil.which(t) is None]
    assert not missing, f"{missing} not found: run tools/system-deps.sh test (poppler-utils)"


needs_poppler = pytest.mark.usefixtures("poppler")


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def l5_session() -> Session:
    return Session(
        marks=(
            Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),
            Mark("great_toe", Side.RIGHT, Symptom.TINGLING),
            Mark("lateral_lower_leg", Side.RIGHT, Symptom.PAIN),
        ),
        visit=Visit(patient_id="P-77", examiner="Dr Q"),
    )


@needs_poppler
def test_pdf_urgent_session(qtbot, tmp_path: Path) -> None:
    session = load_session(DATA / "rich.json")
    analysis = analyze(session)
    assert analysis.urgent
    out = tmp_path / "urgent.pdf"
    report.write_pdf(session, analysis, out, overlay=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdf_text(out)
    flat = " ".join(text.split())
    assert hypothesis_name(analysis.hypotheses[0].id) in flat  # human names, not ids
    assert "cauda_equina" not in flat
    assert "Emergency: exclude cauda equina syndrome now" in flat  # the banner's words
    urgent = next(w for w in analysis.warnings if w.urgent)
    assert " ".join(urgent.text.split()[:6]) in flat
    assert "Decision support, not a diagnosis" in flat
    assert "P-0042" in flat and "Dr. Ñúñez" in flat  # visit details
    assert "Keegan" in flat  # the atlas used
    pages = text.count("\f")
    assert pages >= 2
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in flat
    assert flat.count("Intended use:") >= pages  # the note on every page footer
    # every cited id has its full citation in the references
    for rid in report_citations.cited_ids(session, analysis):
        assert rid in flat
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(out), str(tmp_path / "pg")], check=True)
    rendered = sorted(tmp_path.glob("pg-*.png"))
    assert len(rendered) == pages
    img = QImage(str(rendered[0]))
    assert img.width() == round(210 / 25.4 * 60) or abs(img.width() - 496) <= 2


@needs_poppler
def test_pdf_routine_session(qtbot, tmp_path: Path) -> None:
    session = l5_session()
    analysis = analyze(session)
    assert not analysis.urgent
    out = tmp_path / "l5.pdf"
    report.write_pdf(session, analysis, out)
    flat = " ".join(pdf_text(out).replace("\ufb01", "fi").split())  # pdftotext keeps ligatures
    top = analysis.hypotheses[0]
    # (the table wraps a long name; the impression names it inside a sentence)
    assert hypothesis_name(top.id).lower() in flat.lower()
    assert f"{round((top.probability or 0) * 100)}%" in flat
    assert "peripheral:" not in flat
    assert "URGENT" not in flat
    assert "Marked areas" in flat and "Dorsum of foot" in flat
    assert "Decision support, not a diagnosis" in flat


def _pages(path: Path) -> list[str]:
    import unicodedata

    text = unicodedata.normalize("NFKC", pdf_text(path))  # pdftotext keeps ligatures
    return [" ".join(p.split()) for p in text.split("\f")]


@needs_poppler
def test_page_one_is_chart_ready_and_a_typical_case_fits_two_pages(qtbot, tmp_path: Path) -> None:
    from dataclasses import replace

    from core.impression import side_paragraph

    session = replace(
        l5_session(),
        visit=Visit(
            patient_id="P-77",
            examiner="Dr Q",
            date="2026-12-06",
            date_of_birth="1961-03-04",
            sex="female",
        ),
    ).with_mark(Mark("first_web_space", Side.RIGHT))
    from core.model import Movement, Strength

    session = replace(
        session,
        findings=session.findings.with_strength(
            Side.RIGHT, Movement.GREAT_TOE_EXTENSION, Strength.WEAK
        ),
    )
    analysis = analyze(session)
    out = tmp_path / "typical.pdf"
    report.write_pdf(session, analysis, out)
    pages = [p for p in _pages(out) if p]
    assert len(pages) <= 2
    first = pages[0]
    for text in (
        "Clinical impression",
        "Symptom diagram",
        "Examination",
        "P-77",
        "1961-03-04",
        "Female",
        "Dr Q",
        "2026-12-06",
        "Great-toe extension",
        "weak",
    ):
        assert text in first, text
    # the impression paragraph (the same words as Copy Impression) is on page 1
    para = side_paragraph(session, analysis, "right")
    assert " ".join(para.split()[:12]) in first
    assert "References cited" in " ".join(pages)
    for raw in ("dorsum_of_foot", "peripheral:", "great_toe_extension", "first_web_space"):
        assert raw not in " ".join(pages)
    # page 2's running header gives the visit's date, not the day it was printed (a page filed
    # alone carried the printing date; a review of the outputs), and that day said to be it
    assert pages[1].startswith("Dermamap report — patient P-77 — visit 2026-12-06 — printed ")
    # the signature line closes the report, under everything it signs (it sat under the
    # examination on page 1; a clinician's review)
    assert "Signature" not in first and pages[-1].index("Signature") > pages[-1].index(
        "References cited"
    )


@needs_poppler
def test_urgent_warnings_appear_once(qtbot, tmp_path: Path) -> None:
    session = load_session(DATA / "rich.json")
    analysis = analyze(session)
    out = tmp_path / "u.pdf"
    report.write_pdf(session, analysis, out)
    flat = " ".join(_pages(out))
    for w in analysis.warnings:
        assert flat.count(" ".join(w.text.split()[:8])) == 1
    first = _pages(out)[0]
    assert "Emergency: exclude cauda equina" in first and "Clinical impression" in first
    assert "Examination" in first and "Achilles reflex" in first  # the table starts on page 1


@needs_poppler
def test_only_cited_references_compactly(qtbot, tmp_path: Path) -> None:
    from core import clinical

    session = l5_session()
    analysis = analyze(session)
    cited = report_citations.cited_ids(session, analysis)
    assert 0 < len(cited) < len(clinical.references())
    out = tmp_path / "r.pdf"
    report.write_pdf(session, analysis, out)
    import re

    refs = " ".join(_pages(out)).split("References cited", 1)[1]
    refs = re.sub(r"-\s+", "-", refs)  # an id like DM-H may wrap at its hyphen
    for rid in cited:
        assert rid in refs
    uncited = [r for r in clinical.references() if r not in cited and len(r) > 2]
    assert not any(f" {r} " in refs for r in uncited if r[-1].isdigit() and r + "b" not in refs)


def test_print_preview_renders_the_report(qtbot, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget

    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: 0)  # not modal in a test
    rendered: list[tuple[object, ...]] = []
    real = report.render_report

    def recording(printer, session, analysis, **kw):  # type: ignore[no-untyped-def]
        rendered.append((session, analysis))
        return real(printer, session, analysis, **kw)

    monkeypatch.setattr(report, "render_report", recording)
    session = l5_session()
    dialog = report.print_preview(None, session, analyze(session))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog)
    # it opened at 533 x 533, below its own size hint (Print behind the toolbar's arrow)
    room = dialog.screen().availableGeometry().size()
    assert dialog.width() >= min(dialog.sizeHint().width(), room.width() * 0.9)
    assert dialog.height() >= min(900, room.height() * 0.9) - 1
    dialog.show()
    # the report itself is drawn into the preview (Qt asks for pages whatever is connected)
    qtbot.waitUntil(lambda: bool(rendered), timeout=10000)
    assert rendered[0][0] == session and rendered[0][1].hypotheses
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 1, timeout=10000)
    dialog.close()


@needs_poppler
def test_long_content_paginates_without_overflow(qtbot, tmp_path: Path) -> None:
    marks = tuple(Mark(a, side, Symptom.PAIN) for a in zones.areas() for side in Side)
    notes = "\n".join(f"Line {i}: " + "long clinical note text " * 12 for i in range(60))
    session = Session(marks=marks, visit=Visit(patient_id="X", notes=notes))
    out = tmp_path / "long.pdf"
    report.write_pdf(session, analyze(session), out)
    text = pdf_text(out)
    pages = text.count("\f")
    assert pages >= 4
    flat = " ".join(text.split())
    assert "Line 0:" in flat and "Line 59:" in flat  # nothing lost between pages
    assert f"Page {pages} of {pages}" in flat


def test_png_size_and_mode(qtbot, tmp_path: Path) -> None:
    from gui.report_legend import caption_text, strip_height

    session = l5_session()
    out = tmp_path / "d.png"
    report.write_png(session, out, scale=2.0)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    img = QImage(str(out))
    scene, keep = report_diagram.diagram_scene(session)
    r = scene.itemsBoundingRect()
    extra = round(strip_height(True) * 2)
    assert (img.width(), img.height()) == (round(r.width() * 2), round(r.height() * 2) + extra)
    del keep
    # the legend strip and caption are drawn (not blank) and name the patient
    strip = img.copy(0, img.height() - extra, img.width(), extra)
    assert any(
        strip.pixelColor(x, y).lightness() < 128
        for x in range(0, strip.width(), 3)
        for y in range(0, strip.height(), 3)
    )
    assert caption_text(session, "consensus").startswith("Patient P-77")


def test_csv_export(qtbot, tmp_path: Path) -> None:
    session = l5_session()
    analysis = analyze(session)
    out = tmp_path / "x.csv"
    report.write_csv(session, analysis, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) > 1
    assert any(analysis.hypotheses[0].id in row for row in rows)


def test_no_network_during_report(qtbot, tmp_path: Path, monkeypatch) -> None:
    def no_socket(*_a, **_k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_socket)
    session = load_session(DATA / "rich.json")
    report.write_pdf(session, analyze(session), tmp_path / "n.pdf")
    report.write_png(session, tmp_path / "n.png")
    assert (tmp_path / "n.pdf").stat().st_size > 1000


def test_print_cancel(qtbot, monkeypatch) -> None:
    from PySide6 import QtPrintSupport

    class FakeDialog:
        DialogCode = QtPrintSupport.QPrintDialog.DialogCode

        def __init__(self, printer, parent) -> None:
            self.printer = printer

        def setWindowTitle(self, _t: str) -> None:
            pass

        def exec(self) -> int:
            return int(self.DialogCode.Rejected.value)

    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", FakeDialog)
    session = l5_session()
    assert report.print_report(None, session, analyze(session)) is False


def test_the_printed_report_is_laid_out_as_the_exported_pdf(qtbot, monkeypatch, tmp_path) -> None:
    """A 1200 dpi printer got the report sized in its own pixels: outlines as hairlines, the
    hatching four times finer and the warnings' list indented by a third of the page, so its
    lines broke elsewhere than the PDF export's (a review printed to a file)."""
    from PySide6 import QtPrintSupport

    printed = tmp_path / "printed.pdf"

    class AcceptingDialog:
        DialogCode = QtPrintSupport.QPrintDialog.DialogCode

        def __init__(self, printer: Any, _parent: Any = None) -> None:
            printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))

        def setWindowTitle(self, _t: str) -> None:
            pass

        def exec(self) -> int:
            return int(self.DialogCode.Accepted.value)

    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", AcceptingDialog)

    class Frozen(datetime):  # both reports made in the same minute ("Report made ... 19:20")
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:
            return cls(2026, 12, 7, 19, 20)

    monkeypatch.setattr(report, "datetime", Frozen)
    session = dataclasses.replace(
        l5_session(),
        findings=Findings().with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.BRISK),
    )
    analysis = analyze(session)
    assert any(not w.urgent for w in analysis.warnings)  # a caution with its bulleted list
    assert report.print_report(None, session, analysis) is True
    exported = tmp_path / "exported.pdf"
    report.write_pdf(session, analysis, exported)
    assert pdf_text(printed) == pdf_text(exported)
    # printed to a file, the report is the patient's record: owner-only, as the export is
    assert stat.S_IMODE(printed.stat().st_mode) == 0o600


def _cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen itself
    env["PYTHONPATH"] = str(ROOT)
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return env


def _report_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``dermamap report ARGS`` in a fresh process (no display: it must choose offscreen)."""
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", "report", *args],
        cwd=ROOT,
        env=_cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_writes_pdf_png_csv(qtbot, tmp_path: Path) -> None:
    src = tmp_path / "s.json"
    save_session(l5_session(), src)
    pdf, png, out_csv = tmp_path / "o.pdf", tmp_path / "o.png", tmp_path / "o.csv"
    proc = _report_cli(
        tmp_path,
        str(src),
        "-o",
        str(pdf),
        "--png",
        str(png),
        "--csv",
        str(out_csv),
        "--atlas",
        "consensus",
        "--overlay",
    )
    assert proc.returncode == 0, proc.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert len(rows) > 1
    img = QImage(str(png))
    scene, keep = report_diagram.diagram_scene(l5_session(), overlay=True)
    r = scene.itemsBoundingRect()
    from gui.report_legend import strip_height

    want = (round(r.width() * 2), round(r.height() * 2) + round(strip_height(True) * 2))
    assert (img.width(), img.height()) == want
    del keep
    for f in (pdf, png, out_csv):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600


def test_cli_takes_an_earlier_atlas_id_as_analyze_does(tmp_path: Path) -> None:
    """``report --atlas`` refused the earlier id ``foerster_lee`` that session files and
    ``dermamap analyze`` accept."""
    src = tmp_path / "s.json"
    save_session(l5_session(), src)
    out_csv = tmp_path / "o.csv"
    proc = _report_cli(tmp_path, str(src), "--csv", str(out_csv), "--atlas", "foerster_lee")
    assert proc.returncode == 0, proc.stderr
    assert "Lee, McPhee & Stringer (2008)" in out_csv.read_text(encoding="utf-8")
    bad = _report_cli(tmp_path, str(src), "--csv", str(out_csv), "--atlas", "gray")
    assert bad.returncode == 2 and "valid atlas ids: consensus, keegan_garrett" in bad.stderr


def test_cli_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    proc = _report_cli(tmp_path, str(bad), "-o", str(tmp_path / "o.pdf"))
    assert proc.returncode == 2
    # the path as given, as `dermamap analyze` names it (it gave the base name alone; a review
    # of the outputs)
    assert f'Cannot open "{bad}"' in proc.stderr
    assert not (tmp_path / "o.pdf").exists()


@needs_poppler
def test_cli_fhir_alone_needs_no_qt_and_compare_adds_a_section(tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    src, old = tmp_path / "s.json", tmp_path / "old.json"
    save_session(l5_session(), src)
    save_session(Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(date="2026-01-01")), old)
    out = tmp_path / "b.json"
    code = (
        "import sys; from gui.launcher import main; rc = main(sys.argv[1:]); "
        "assert 'PySide6' not in sys.modules; sys.exit(rc)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "report", str(src), "--fhir", str(out)],
        cwd=ROOT,
        env=_cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    pdf = tmp_path / "c.pdf"
    proc = _report_cli(tmp_path, str(src), "-o", str(pdf), "--compare", str(old))
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(pdf_text(pdf).split())
    assert "Comparison from 2026-01-01 to" in flat and "Resolved: heel (right)" in flat
    none = _report_cli(tmp_path, str(src))
    assert none.returncode == 2 and "nothing to write" in none.stderr
    # an empty name is no output: it said "nothing to write (give -o, ...)" for -o '' and left
    # an empty one out silently beside another (a hostile-input review)
    for args in (["-o", ""], ["--png", str(tmp_path / "p.png"), "--csv", ""]):
        empty = _report_cli(tmp_path, str(src), *args)
        assert empty.returncode == 2 and f"{args[-2]} names no file" in empty.stderr
        assert not (tmp_path / "p.png").exists()


def test_report_diagram_captions_scale_with_the_drawing(qtbot) -> None:
    """On paper there is no zoom: no caption keeps a fixed pixel size (it would overlap)."""
    from PySide6.QtWidgets import QGraphicsItem

    scene, keep = report_diagram.diagram_scene(l5_session(), overlay=True)
    fixed = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    texts = [it for it in scene.items() if hasattr(it, "text") and callable(it.flags)]
    assert texts, "the report diagram has no captions"
    assert not [it for it in scene.items() if it.flags() & fixed]
    # the window hides a label that would cover another at its zoom; paper has no zoom and its
    # labels scale with the drawing, so the report shows every one (the medial foot's too)
    _model, _state, view = keep
    assert view.overlay.labels and all(lb.isVisible() for lb in view.overlay.labels)
    del keep


@needs_poppler
def test_pdf_headings_never_end_a_page(qtbot, tmp_path: Path) -> None:
    """A heading (and a table header) stays on the page of the first block that follows."""
    two_marks = Session(
        marks=(
            Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),
            Mark("great_toe", Side.RIGHT, Symptom.NUMBNESS),
        )
    )
    for s in (two_marks, load_session(DATA / "rich.json"), l5_session()):
        out = tmp_path / "pages.pdf"
        report.write_pdf(s, analyze(s), out)
        for page in pdf_text(out).split("\f"):
            lines = [" ".join(ln.split()) for ln in page.splitlines() if ln.strip()]
            body = [ln for ln in lines if not ln.startswith(("Intended use", "between people"))]
            body = [ln for ln in body if not ln.startswith("Page ")]
            if not body:
                continue
            last = body[-1]
            for heading in ("Ranked hypotheses", "Right side", "Left side", "Conditions that fit"):
                assert not last.startswith(heading), f"page ends with the heading {heading!r}"
            for head in ("Side Hypothesis", "Finding Right Left"):  # the tables' header rows
                assert not last.startswith(head), "page ends with a table header"


@needs_poppler
def test_cli_report_says_where_another_map_puts_another_lesion_first(tmp_path: Path) -> None:
    """As the panel does ("Maps disagree"): here Lee's map puts S1 first on the left leg."""
    import unicodedata

    from core.model import Findings, Movement, Reflex, ReflexGrade, Strength

    f = (
        Findings()
        .with_strength(Side.LEFT, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
        .with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.ABSENT)
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
    )
    marks = tuple(
        Mark(z, Side.LEFT, Symptom.TINGLING) for z in ("anterior_lower_leg", "dorsum_of_foot")
    )
    src, pdf = tmp_path / "s.json", tmp_path / "o.pdf"
    save_session(Session(marks=marks, findings=f), src)
    proc = _report_cli(tmp_path, str(src), "-o", str(pdf))
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(unicodedata.normalize("NFKC", pdf_text(pdf)).split())  # ligatures
    assert "Under other maps another lesion comes first" in flat
    assert "S1 root (left leg)" in flat


def test_the_print_preview_gets_the_diagram_at_screen_resolution(qtbot, monkeypatch) -> None:
    """The preview records the page and shows it at screen size: the diagram's image made
    for a 1200 dpi printer was shrunk eight-fold there and its outlines broke into dots and its
    hatching into a coarse grid. A preview gets it at the drawing's own size; paper at up to 4x."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter, QPicture

    made: list[float] = []
    real = report_diagram._scene_image
    monkeypatch.setattr(report_diagram, "_scene_image", lambda *a: made.append(a[2]) or real(*a))
    target = QRectF(0, 0, 500, 400)  # points on the page
    for device in (QPicture(), QImage(6000, 5000, QImage.Format.Format_RGB32)):
        p = QPainter(device)
        p.scale(12, 12)  # a printer's resolution, as the preview's recording has it
        report_diagram.render_diagram(p, target, l5_session())
        p.end()
    assert made[0] == report_diagram.PREVIEW_SCALE == 1.0
    assert made[1] == 4.0


def test_the_window_command_help_lists_every_report_option(capsys) -> None:
    """``dermamap --help`` left out report's ``--overlay``."""
    from gui.app import parse_args
    from gui.report_cli import _parser

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    said = capsys.readouterr().out
    report_line = next(line for line in said.splitlines() if "dermamap report" in line)
    for action in _parser()._actions:
        options = [o for o in action.option_strings if o not in ("-h", "--help")]
        assert not options or any(o in report_line for o in options), options


def test_the_diagram_on_paper_is_drawn_light_in_the_dark_theme(qtbot, restore_palette) -> None:
    """In the dark theme the report's diagram, the PNG export and the visit comparison drew the
    legs near black and their titles white, on the white page."""
    from PySide6.QtWidgets import QApplication

    from gui import theme
    from gui.report_diagram import diagram_image

    session = l5_session()
    app = QApplication.instance()
    app.setPalette(app.style().standardPalette())
    light = diagram_image(session, scale=0.5)
    app.setPalette(theme.dark_palette())
    assert theme.is_dark()
    dark = diagram_image(session, scale=0.5)
    assert dark == light


@needs_poppler
def test_both_warning_boxes_keep_the_examination_on_page_one(qtbot, tmp_path: Path) -> None:
    """An urgent banner and a caution box together (both legs marked, weakness getting worse
    on one, an extensor plantar response) pushed the examination table to page 2: the diagram
    shrinks a little more for two boxes."""
    from core.model import Findings, Movement, PlantarResponse, Reflex, ReflexGrade, Strength

    f = Findings().with_history(progressive=True)
    for m in (Movement.ANKLE_DORSIFLEXION, Movement.GREAT_TOE_EXTENSION, Movement.HIP_ABDUCTION):
        f = f.with_strength(Side.RIGHT, m, Strength.WEAK)
    for r in (Reflex.PATELLAR, Reflex.ACHILLES, Reflex.MEDIAL_HAMSTRING):
        f = f.with_reflex(Side.RIGHT, r, ReflexGrade.BRISK).with_reflex(
            Side.LEFT, r, ReflexGrade.NORMAL
        )
    f = f.with_plantar_response(Side.RIGHT, PlantarResponse.EXTENSOR)
    zones_ = ("buttock", "lateral_thigh", "lateral_lower_leg", "dorsum_of_foot", "great_toe")
    marks = tuple(Mark(z, s, Symptom.NUMBNESS) for z in zones_ for s in (Side.LEFT, Side.RIGHT))
    session = Session(marks=marks, findings=f)
    analysis = analyze(session)
    assert analysis.urgent_warnings and any(not w.urgent for w in analysis.warnings)
    out = tmp_path / "b.pdf"
    report.write_pdf(session, analysis, out)
    first = _pages(out)[0]
    assert "Caution" in first and "Examination" in first and "Patellar reflex" in first
