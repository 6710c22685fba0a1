"""CSV export: human-name header, one row per mark and per hypothesis per side, the examination
and warning signs in their own columns, proper quoting."""

from __future__ import annotations

import csv
import dataclasses
import io
import re

from core.engine import analyze
from core.export_csv import columns, marks_and_hypotheses_csv
from core.model import (
    Findings,
    Mark,
    Movement,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Symptom,
    Visit,
)
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


def test_a_leg_examined_but_neither_marked_nor_ranked_has_its_exam_row() -> None:
    """The examination of a leg with no marks and no hypotheses was on no row: only the marked
    leg's rows carried exam columns, and those hold the marked leg's values. Each side with a
    finding now has one ``exam`` row, after the others, which are unchanged."""
    f = (
        Findings()
        .with_reflex(Side.RIGHT, Reflex.ACHILLES, ReflexGrade.NORMAL)
        .with_grade(Side.RIGHT, Movement.GREAT_TOE_EXTENSION, 5)
        .with_intensity(Side.RIGHT, Symptom.NUMBNESS, 0)
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_history(age=47)
    )
    marks = (Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),)
    s = Session(marks=marks, findings=f)
    analysis = analyze(s)
    assert not any(h.side == "right" for h in analysis.hypotheses)  # the right leg: exam only
    data = rows(marks_and_hypotheses_csv(s, analysis))
    kinds = [r["Record"] for r in data]
    assert kinds[-2:] == ["exam", "exam"] and "exam" not in kinds[:-2]
    right, left = data[-2:]
    assert (right["Side"], left["Side"]) == ("right", "left")
    assert right["Achilles reflex"] == "normal" and left["Achilles reflex"] == "absent"
    assert right["Great-toe extension"] == "MRC 5 (normal)"
    assert right["Numbness intensity (0-10)"] == "0/10"
    for r in (right, left):
        assert r["Age (years)"] == "47"  # every row carries the history, as before
        for col in ("Zone id", "Area", "Symptom", "Marked share", "Rank", "Hypothesis id"):
            assert r[col] == "", col
        assert r["Hypothesis"] == r["Probability"] == r["Label"] == ""
    # the right leg's exam is on no other row; the rows before the exam rows are as they were
    assert [r for r in data if r["Achilles reflex"] == "normal"] == [right]
    plain = rows(marks_and_hypotheses_csv(dataclasses.replace(s, findings=Findings()), analysis))
    assert [r["Record"] for r in plain] == kinds[:-2]
    assert [r["Zone id"] + r["Hypothesis id"] for r in plain] == [
        r["Zone id"] + r["Hypothesis id"] for r in data[:-2]
    ]


def test_no_exam_row_without_a_finding_on_that_side() -> None:
    """History and warning signs belong to no side: they add no exam row; a finding on one side
    adds that side's row alone."""
    s = Session(
        marks=SESSION.marks,
        findings=Findings().with_history(back_pain=True),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )
    assert "exam" not in {r["Record"] for r in rows(marks_and_hypotheses_csv(s, ANALYSIS))}
    one = dataclasses.replace(s, findings=s.findings.with_intensity(Side.LEFT, Symptom.PAIN, 6))
    exam = [r for r in rows(marks_and_hypotheses_csv(one, ANALYSIS)) if r["Record"] == "exam"]
    assert [(r["Side"], r["Pain intensity (0-10)"]) for r in exam] == [("left", "6/10")]
    assert exam[0][RETENTION] == "yes" and exam[0]["Back pain"] == "yes"
