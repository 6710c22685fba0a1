"""Issue 19 in the real window: Copy Impression, Export FHIR, Print Preview, Compare With… (with
the timeline and the PDF section), and no raw ids in anything the window shows."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QListWidget,
    QTableWidget,
    QTreeWidget,
    QWidget,
)

from core.engine import analyze
from core.impression import impression_text
from core.model import Mark, Movement, Session, Side, Strength, Symptom, Visit
from core.session_io import load_session, parse_session, save_session
from gui.panel.labels import RichLabel

DATA = Path(__file__).resolve().parent.parent / "core" / "data"
GOLDEN = json.loads((DATA.parent / "golden_cases.json").read_text(encoding="utf-8"))["cases"]
RAW_ID = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|peripheral:|\b(?:reflex|strength|test|history):")


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(tmp_path / "settings"))
    monkeypatch.setenv("DERMAMAP_RECOVERY_DIR", str(tmp_path / "rec"))
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    w.errors = []
    w.files.report_error = lambda title, text: w.errors.append((title, text))
    w.files.ask_unsaved = lambda: "discard"
    yield w
    w.files.ask_unsaved = lambda: "discard"


def _open(w, path: Path) -> Session:
    assert w.files.open_path(str(path))
    QApplication.processEvents()
    return load_session(path)


def test_copy_impression_puts_the_impression_on_the_clipboard(window) -> None:
    session = _open(window, DATA / "rich.json")
    edit = [a.text() for a in window.edit_menu.actions()]
    assert "Copy &Impression" in edit
    window.documents.copy_action.trigger()
    text = QApplication.clipboard().text()
    assert text == impression_text(session, analyze(session))
    assert text.startswith("Emergency: cauda equina syndrome")
    assert "Right leg" in text and "%" in text


def test_export_fhir_from_the_file_menu(window, tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    from core.fhir import marks_from_bundle

    session = _open(window, DATA / "rich.json")
    files = [a.text() for a in window.file_menu.actions()]
    assert {"Export &FHIR…", "Print Prev&iew…", "Compare &With…"} <= set(files)
    out = tmp_path / "out.json"
    window.files.ask_save_path = lambda *_a: str(out)
    window.documents.fhir_action.trigger()
    assert not window.errors
    data = json.loads(out.read_text(encoding="utf-8"))
    Bundle.model_validate(data)
    assert len(marks_from_bundle(data)) == 6  # the sole counts as its two areas
    assert out.stat().st_mode & 0o077 == 0
    assert len(session.marks) == 5


def test_print_preview_is_offered(window, qtbot, monkeypatch) -> None:
    """File -> Print Preview shows the report of the session on screen."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from gui import report

    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: 0)  # not modal in a test
    rendered: list[object] = []
    monkeypatch.setattr(report, "render_report", lambda _p, s, _a, **_k: rendered.append(s))
    _open(window, DATA / "rich.json")
    dialog = window.documents.print_preview()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QPrintPreviewDialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(rendered), timeout=10000)
    assert rendered[0] == window.model.session
    dialog.close()


def test_print_names_the_job_after_the_session(window, qtbot, monkeypatch) -> None:
    """File -> Print named no job, so "Print to File" offered a generic "print.pdf" in the home
    folder for every patient (a review); the job now takes the session's file name."""
    from PySide6 import QtPrintSupport

    names: list[str] = []

    class Dialog:
        DialogCode = QtPrintSupport.QPrintDialog.DialogCode

        def __init__(self, printer: QtPrintSupport.QPrinter, _parent: object) -> None:
            names.append(printer.docName())

        def setWindowTitle(self, _t: str) -> None:
            pass

        def exec(self) -> int:
            return int(self.DialogCode.Rejected.value)

    monkeypatch.setattr(QtPrintSupport, "QPrintDialog", Dialog)
    _open(window, DATA / "rich.json")
    window.files.print_action.trigger()
    assert names == ["rich-report"]


def test_a_follow_up_visit_keeps_the_patient_and_is_dated_today(window, qtbot, tmp_path) -> None:
    """Save As from an earlier visit kept its date, so a comparison of the two could not tell
    which came first (a clinician's walkthrough): File > New Visit of This Patient starts the
    next visit, empty, dated today, with the patient's details, unsaved."""
    from datetime import date

    _open(window, DATA / "rich.json")
    before = window.model.session
    assert before.visit.patient_id and before.marks
    window.files.new_visit_action.trigger()
    after = window.model.session
    assert window.model.path is None and not after.marks and after.findings.is_empty()
    assert after.atlas == before.atlas
    assert after.visit == Visit(
        patient_id=before.visit.patient_id,
        date=date.today().isoformat(),
        examiner=before.visit.examiner,
        date_of_birth=before.visit.date_of_birth,
        sex=before.visit.sex,
    )
    assert window.files.new_visit_action in window.menuBar().actions()[0].menu().actions()
    assert window.files.new_visit_action.shortcut().toString() == "Ctrl+Shift+N"


def _visits(folder: Path) -> list[Path]:
    weak = Session().findings.with_strength(Side.RIGHT, Movement.GREAT_TOE_EXTENSION, Strength.WEAK)
    marks = (
        (
            Mark("lateral_lower_leg", Side.RIGHT),
            Mark("dorsum_of_foot", Side.RIGHT),
            Mark("great_toe", Side.RIGHT),
            Mark("buttock", Side.RIGHT, Symptom.PAIN),
        ),
        (Mark("lateral_lower_leg", Side.RIGHT, coverage=0.5), Mark("dorsum_of_foot", Side.RIGHT)),
        (
            Mark("dorsum_of_foot", Side.RIGHT, coverage=0.6),
            Mark("first_web_space", Side.RIGHT, Symptom.TINGLING),
        ),
    )
    paths = []
    for i, (m, date) in enumerate(
        zip(marks, ("2026-09-01", "2026-10-15", "2026-12-06"), strict=True)
    ):
        s = Session(marks=m, findings=weak, visit=Visit(patient_id="P-9", date=date))
        path = folder / f"v{i + 1}.json"
        save_session(s, path)
        paths.append(path)
    save_session(Session(visit=Visit(patient_id="other", date="2026-01-01")), folder / "x.json")
    (folder / "broken.json").write_text("{", encoding="utf-8")
    return paths


def _compare_three_visits(window, tmp_path: Path, qtbot):  # type: ignore[no-untyped-def]
    """File > Compare With... on the third of three visits of one patient, the first chosen:
    the dialog (not shown)."""
    folder = tmp_path / "visits"
    folder.mkdir()
    v1, _, v3 = _visits(folder)
    _open(window, v3)
    shown = []
    window.documents.show_dialog = shown.append
    window.files.ask_open_path = lambda: str(v1)
    window.documents.compare_action.trigger()
    (dialog,) = shown
    qtbot.addWidget(dialog)
    return dialog


def test_compare_with_an_earlier_visit(window, tmp_path: Path, qtbot) -> None:
    import pyqtgraph as pg

    dialog = _compare_three_visits(window, tmp_path, qtbot)
    c = dialog.comparison
    status = {(a.area, a.status) for a in c.areas}
    assert ("first_web_space", "new") in status and ("buttock", "resolved") in status
    assert ("dorsum_of_foot", "persisting") in status
    assert c.overlap is not None and 0 < c.overlap < 1
    assert "Jaccard" in dialog.summary.text()
    assert dialog.table.rowCount() == len(c.hypotheses) > 0
    assert isinstance(dialog.timeline, pg.PlotWidget)  # three visits of P-9 in the folder
    assert len(dialog.timeline.getPlotItem().listDataItems()) >= 2
    dialog.resize(900, 1000)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.grab().isNull()
    # the legend sits beside the plot: inside it, it covered the lines it names
    item = dialog.timeline.getPlotItem()
    (legend,) = [it for it in item.scene().items() if isinstance(it, pg.LegendItem)]
    assert len(legend.items) == len(item.listDataItems())
    plotted = item.getViewBox().sceneBoundingRect()
    assert legend.sceneBoundingRect().left() >= plotted.right() - 1
    # each hypothesis's line has its own shape and sits a little beside the others (two at the
    # same value drew one over the other)
    lines = [c for c in item.listDataItems() if c.opts["symbol"] is not None]
    assert len({c.opts["symbol"] for c in lines}) == len(lines) >= 2
    firsts = [round(c.xData[0], 3) for c in lines]
    assert len(set(firsts)) == len(firsts) and all(abs(x) < 0.5 for x in firsts)
    # the optional PDF section
    assert shutil.which("pdftotext"), "poppler-utils needed (tools/system-deps.sh test)"
    out = tmp_path / "c.pdf"
    window.files.ask_save_path = lambda *_a: str(out)
    assert window.documents.export_pdf(c)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Comparison from 2026-09-01 to" in " ".join(text.split())
    dialog.close()


def test_the_comparison_shows_free_text_from_the_files_as_text(qtbot) -> None:
    from gui.compare_view import CompareDialog

    odd = "<i>2026-09-01</i>"
    before = Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(date=odd))
    after = Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(date="2026-10-01"))
    dialog = CompareDialog(before, after)
    qtbot.addWidget(dialog)
    assert "&lt;i&gt;2026-09-01&lt;/i&gt;" in dialog.summary.text()
    heads = [lb.text() for lb in dialog.findChildren(QLabel) if "Earlier visit" in lb.text()]
    assert heads == ["<b>Earlier visit</b> &lt;i&gt;2026-09-01&lt;/i&gt;"]


def test_compare_with_a_broken_file_reports_and_keeps_the_session(window, tmp_path) -> None:
    session = _open(window, DATA / "rich.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert window.documents.compare_with(str(bad)) is None
    assert window.errors and "bad.json" in window.errors[-1][1]
    assert window.model.session.marks == session.marks


def _visible_texts(root: QWidget) -> list[str]:
    out: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, RichLabel):  # (its citation tooltip is made when first shown)
            out.append(w.text())
            out.append(w.citation_tooltip())
        elif isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
            out.append(w.toolTip())
        elif isinstance(w, QTableWidget):
            out.extend(
                w.item(r, c).text()
                for r in range(w.rowCount())
                for c in range(w.columnCount())
                if w.item(r, c) is not None
            )
        elif isinstance(w, QTreeWidget):
            stack = [w.topLevelItem(i) for i in range(w.topLevelItemCount())]
            while stack:
                it = stack.pop()
                out.extend(it.text(c) for c in range(it.columnCount()))
                stack.extend(it.child(i) for i in range(it.childCount()))
        elif isinstance(w, QListWidget):
            out.extend(w.item(i).text() for i in range(w.count()))
    return out


NERVE_CASES = [c["id"] for c in GOLDEN if "peripheral" in json.dumps(c.get("expected_top", ""))]


@pytest.mark.parametrize("case", ["rich", "V01", "V34", *NERVE_CASES[:2]])
def test_no_raw_ids_in_the_window(window, tmp_path: Path, case: str) -> None:
    if case == "rich":
        path = DATA / "rich.json"
    else:
        data = next(c for c in GOLDEN if c["id"] == case)["session"]
        path = tmp_path / f"{case}.json"
        save_session(replace(parse_session(data)), path)
    session = _open(window, path)
    texts = [re.sub(r"<[^>]+>", " ", t) for t in _visible_texts(window)]
    leaks = sorted({m.group(0) for t in texts for m in RAW_ID.finditer(t)})
    assert leaks == [], leaks
    # the check saw the panel: the top hypothesis is named there
    from core.names import hypothesis_name

    top = next(h for h in analyze(session).hypotheses if h.id != "cauda_equina")
    assert any(hypothesis_name(top.id) in t for t in texts)


def test_visit_dialog_edits_date_of_birth_and_sex(window, qtbot) -> None:
    from gui.visit_dialog import VisitDialog

    window.model.set_visit(Visit(patient_id="P-1", date_of_birth="1950-05-06", sex="male"))
    dialog = VisitDialog(window.model, window)
    qtbot.addWidget(dialog)
    assert dialog.dob_edit.text() == "1950-05-06" and dialog.sex_combo.currentData() == "male"
    dialog.dob_edit.setText("1951-01-02")
    dialog.sex_combo.setCurrentIndex(dialog.sex_combo.findData("female"))
    dialog.accept()
    v = window.model.session.visit
    assert (v.patient_id, v.date_of_birth, v.sex) == ("P-1", "1951-01-02", "female")


def test_the_comparison_table_is_read_not_edited(qtbot) -> None:
    """A double-click on "22%" in the comparison opened an editor over the figure, and the
    dialog opened with the table's first cell framed as if chosen."""
    from gui.compare_view import CompareDialog
    from tests.gui.helpers import edits_a_cell

    before = Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(date="2026-09-01"))
    after = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),), visit=Visit(date="2026-10-01"))
    dialog = CompareDialog(before, after)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    # it opens on Close, no cell framed as if chosen
    assert dialog.focusWidget() is dialog.close_button and table.currentRow() == -1
    assert not edits_a_cell(table, 0, 2, "9")


def test_the_comparison_fits_the_screen_and_scrolls(window, tmp_path: Path, qtbot) -> None:
    """With three visits (two diagrams, the change, the table, the timeline) the dialog's
    minimum height was about 1,190 pixels: on a laptop its Close button was off the screen."""
    dialog = _compare_three_visits(window, tmp_path, qtbot)
    assert dialog.timeline is not None
    room = dialog.screen().availableGeometry()
    assert dialog.minimumSizeHint().height() < 500
    assert dialog.height() <= room.height() and dialog.width() <= room.width()
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.record.verticalScrollBar().maximum() > 0  # the rest is a scroll away
    from PySide6.QtCore import QPoint, QRect

    button = dialog.close_button
    assert dialog.rect().contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))
    dialog.close()
