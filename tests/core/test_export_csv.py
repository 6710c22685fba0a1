"""CSV export: human-name header, one row per mark and per hypothesis per side, the examination
and warning signs in their own columns, proper quoting."""

from __future__ import annotations

import csv
import io
import re

from core.engine import analyze
from core.export_csv import columns, marks_and_hypotheses_csv
from core.model import Mark, RedFlag, Reflex, ReflexGrade, Session, Side, Symptom, Visit
from core.results import Analysis, Hypothesis, Label
from core.warning_names import red_flag_name

SESSION = Session(
    marks=(
        Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS, 0.125),
        Mark("sole", Side.LEFT, Symptom.PAIN),
    ),
    atlas="keegan_garrett",
    red_flags=frozenset({RedFlag.URINARY_RETENTION}),
)
ANALYSIS = Analysis(
    urgent=False,
    hypotheses=(
        Hypothesis("L5", "right", 0.7125, Label.MORE_LIKELY, probability=0.7125),
        Hypothesis("S1", "left", 0.5, Label.POSSIBLE, probability=0.5),
        Hypothesis("peripheral:common_peroneal", "right", 0.2, Label.LESS_LIKELY, probability=0.2),
    ),
    atlas="keegan_garrett",
    unexplained={"right": 0.0875, "left": 0.5},
)
RETENTION = f"Warning sign: {red_flag_name('urinary_retention')}"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_is_human_names_and_fixed() -> None:
    header = next(csv.reader(io.StringIO(marks_and_hypotheses_csv(SESSION, ANALYSIS))))
    assert tuple(header) == columns()
    assert header == next(csv.reader(io.StringIO(marks_and_hypotheses_csv(Session(), ANALYSIS))))
    assert "Achilles reflex" in header and RETENTION in header
    for h in header:  # no raw ids (snake_case words or id prefixes) in the header
        assert not re.search(r"[a-z]+_[a-z]+|[a-z]:[a-z]", h), h


def test_rows_per_mark_and_per_hypothesis_per_side() -> None:
    data = rows(marks_and_hypotheses_csv(SESSION, ANALYSIS))
    assert [r["Record"] for r in data] == ["mark"] * 2 + ["hypothesis"] * 5
    m0, m1 = data[:2]
    assert (m0["Zone id"], m0["Area"], m0["Side"], m0["Symptom"], m0["Marked share"]) == (
        "dorsum_of_foot",
        "Dorsum of foot",
        "right",
        "numbness",
        "0.125",
    )
    assert m1["Zone id"] == "sole" and m1["Marked share"] == "1"
    right = [r for r in data[2:] if r["Side"] == "right"]
    left = [r for r in data[2:] if r["Side"] == "left"]
    assert [(r["Rank"], r["Hypothesis id"]) for r in right] == [
        ("1", "L5"),
        ("2", "peripheral:common_peroneal"),
        ("", "unexplained"),
    ]
    assert right[0]["Hypothesis"] == "L5 root" and right[0]["Probability"] == "0.7125"
    assert [(r["Rank"], r["Hypothesis id"]) for r in left] == [("1", "S1"), ("", "unexplained")]
    assert abs(sum(float(r["Probability"]) for r in right) - 1.0) < 1e-9
    assert all(r["Atlas"].startswith("Keegan") for r in data)
    assert all(r[RETENTION] == "yes" for r in data)


def test_exam_values_on_the_rows_side() -> None:
    f = SESSION.findings.with_reflex(Side.RIGHT, Reflex.ACHILLES, ReflexGrade.ABSENT)
    s = Session(marks=SESSION.marks, findings=f.with_history(age=61, back_pain=True))
    data = rows(marks_and_hypotheses_csv(s, analyze(s)))
    by_side = {r["Side"]: r for r in data if r["Record"] == "mark"}
    assert by_side["right"]["Achilles reflex"] == "absent"
    assert by_side["left"]["Achilles reflex"] == ""
    assert all(r["Age (years)"] == "61" and r["Back pain"] == "yes" for r in data)


def test_cauda_equina_has_no_probability() -> None:
    a = Analysis(
        urgent=True,
        hypotheses=(Hypothesis("cauda_equina", "both", 1.0, Label.EXCLUDE_URGENTLY),),
    )
    (row,) = rows(marks_and_hypotheses_csv(Session(), a))
    assert row["Hypothesis"] == "Cauda equina syndrome" and row["Probability"] == ""


def test_patient_fields_and_quoting() -> None:
    pid = 'P,"7"\nx'
    s = Session(marks=SESSION.marks, visit=Visit(patient_id=pid, date="2026-01-02"))
    data = rows(marks_and_hypotheses_csv(s, ANALYSIS))
    assert all(r["Patient identifier"] == pid and r["Visit date"] == "2026-01-02" for r in data)


def test_formula_like_patient_id_is_neutralised() -> None:
    s = Session(marks=SESSION.marks, visit=Visit(patient_id="=HYPERLINK(1)"))
    data = rows(marks_and_hypotheses_csv(s, ANALYSIS))
    assert data[0]["Patient identifier"] == "'=HYPERLINK(1)"


def test_empty_session_has_only_the_header() -> None:
    text = marks_and_hypotheses_csv(Session(), Analysis(urgent=False, hypotheses=()))
    assert list(csv.reader(io.StringIO(text))) == [list(columns())]


def test_the_site_of_the_local_cause_and_the_intensities_are_exported() -> None:
    """Both were entered in the window and saved in the file, but the CSV had no column for
    them (a grade of strength was kept, as "MRC 4 (weak)")."""
    import dataclasses

    from core.model import Findings, LocalCauseSite, Movement

    f = (
        Findings()
        .with_history(local_cause=True, local_cause_site=LocalCauseSite.FIBULAR_HEAD)
        .with_history(local_cause_side=Side.LEFT)
        .with_intensity(Side.LEFT, Symptom.PAIN, 6)
        .with_grade(Side.LEFT, Movement.ANKLE_DORSIFLEXION, 4)
    )
    s = Session(marks=(Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),), findings=f)
    rows = list(csv.DictReader(io.StringIO(marks_and_hypotheses_csv(s, analyze(s)))))
    mark = rows[0]
    assert mark["Record"] == "mark" and mark["Side"] == "left"
    assert mark["Site of the local cause"] == "fibular head"
    assert mark["Side of the local cause"] == "left"
    assert mark["Pain intensity (0-10)"] == "6/10" and mark["Numbness intensity (0-10)"] == ""
    assert mark["Ankle dorsiflexion"] == "MRC 4 (weak)"
    plain = dataclasses.replace(s, findings=Findings())
    blank = next(csv.DictReader(io.StringIO(marks_and_hypotheses_csv(plain, analyze(plain)))))
    assert blank["Site of the local cause"] == "" and blank["Pain intensity (0-10)"] == ""
    assert blank["Side of the local cause"] == ""
