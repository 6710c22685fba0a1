"""Research CSV export: header, one row per mark and per hypothesis, proper quoting."""

from __future__ import annotations

import csv
import io

from core.export_csv import COLUMNS, marks_and_hypotheses_csv
from core.model import Analysis, Hypothesis, Label, Mark, Session, Side, Symptom, Visit

SESSION = Session(
    marks=(
        Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS, 0.125),
        Mark("sole", Side.LEFT, Symptom.PAIN),
    ),
    atlas="keegan_garrett",
)
ANALYSIS = Analysis(
    urgent=False,
    hypotheses=(
        Hypothesis("L5", "right", 0.712345, Label.MORE_LIKELY),
        Hypothesis("peripheral:common_peroneal", "right", 0.4, Label.POSSIBLE),
    ),
    atlas="keegan_garrett",
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_long_format_rows() -> None:
    text = marks_and_hypotheses_csv(SESSION, ANALYSIS)
    header = next(csv.reader(io.StringIO(text)))
    assert tuple(header) == COLUMNS  # no patient_id column without a patient id
    data = rows(text)
    assert [r["record"] for r in data] == ["mark", "mark", "hypothesis", "hypothesis"]
    m0, m1, h0, h1 = data
    assert (m0["zone"], m0["area"], m0["side"], m0["symptom"], m0["coverage"]) == (
        "dorsum_of_foot",
        "dorsum_of_foot",
        "right",
        "numbness",
        "0.125",
    )
    assert (m1["area"], m1["coverage"]) == ("medial_sole+lateral_sole", "1")
    assert m0["rank"] == m0["id"] == m0["score"] == ""
    assert (h0["rank"], h0["id"], h0["side"], h0["score"], h0["label"]) == (
        "1",
        "L5",
        "right",
        "0.7123",
        "more likely",
    )
    assert (h1["rank"], h1["id"], h1["label"]) == ("2", "peripheral:common_peroneal", "possible")
    assert h1["zone"] == "" and all(r["atlas"] == "keegan_garrett" for r in data)


def test_patient_id_column_and_quoting() -> None:
    pid = 'P,"7"\nx'
    s = Session(marks=SESSION.marks, visit=Visit(patient_id=pid))
    text = marks_and_hypotheses_csv(s, ANALYSIS)
    assert text.startswith("patient_id,record,")
    data = rows(text)
    assert len(data) == 4
    assert all(r["patient_id"] == pid for r in data)


def test_formula_like_patient_id_is_neutralised() -> None:
    s = Session(visit=Visit(patient_id="=HYPERLINK(1)"))
    data = rows(marks_and_hypotheses_csv(s, ANALYSIS))
    assert data[0]["patient_id"] == "'=HYPERLINK(1)"


def test_empty_session_has_only_the_header() -> None:
    text = marks_and_hypotheses_csv(Session(), Analysis(urgent=False, hypotheses=()))
    assert text == ",".join(COLUMNS) + "\r\n"
