"""Several symptoms per zone and side (one mark per symptom), MRC grades and intensities."""

from __future__ import annotations

import json

import pytest

from core.marks import coverage_to_marks, effective_marks
from core.model import Findings, Mark, Movement, Session, Side, Strength, Symptom
from core.session_io import SessionError, dumps_session, loads_session, parse_session

R, L = Side.RIGHT, Side.LEFT


def test_with_mark_keeps_other_symptoms_on_the_zone() -> None:
    s = Session().with_mark(Mark("heel", L, Symptom.NUMBNESS))
    s = s.with_mark(Mark("heel", L, Symptom.PAIN))
    assert [m.symptom for m in s.marks_at("heel", L)] == [Symptom.NUMBNESS, Symptom.PAIN]
    s = s.with_mark(Mark("heel", L, Symptom.PAIN, 0.5))  # same symptom: replaced
    assert s.mark_at("heel", L, Symptom.PAIN) == Mark("heel", L, Symptom.PAIN, 0.5)
    assert len(s.marks) == 2
    only_numb = s.without_mark("heel", L, Symptom.PAIN)
    assert only_numb.marks == (Mark("heel", L, Symptom.NUMBNESS),)
    assert s.without_mark("heel", L).marks == ()
    assert s.without_mark("heel", R).marks == s.marks


def test_effective_marks_resolve_each_symptom_separately() -> None:
    s = Session(
        marks=(
            Mark("dorsum_of_foot", R, Symptom.PAIN),
            Mark("sole", R, Symptom.NUMBNESS),
            Mark("medial_sole", R, Symptom.TINGLING, 0.4),
        )
    )
    eff = effective_marks(s, [("medial_sole", R), ("lateral_sole", R), ("dorsum_of_foot", R)])
    assert [(m.symptom, m.source) for m in eff[("medial_sole", R)]] == [
        (Symptom.NUMBNESS, "sole"),
        (Symptom.TINGLING, "medial_sole"),
    ]
    assert [m.symptom for m in eff[("lateral_sole", R)]] == [Symptom.NUMBNESS]
    assert [m.symptom for m in eff[("dorsum_of_foot", R)]] == [Symptom.PAIN]


def test_brush_adds_a_layer_and_eraser_erases_every_symptom() -> None:
    s = Session(marks=(Mark("heel", L, Symptom.NUMBNESS),))
    painted = coverage_to_marks(s, {("heel", L): 0.6}, Symptom.PAIN, erase=False, fine_zones_of={})
    assert painted == (Mark("heel", L, Symptom.NUMBNESS), Mark("heel", L, Symptom.PAIN, 0.6))
    erased = coverage_to_marks(
        Session(marks=painted), {("heel", L): 0.5}, Symptom.PAIN, erase=True, fine_zones_of={}
    )
    assert erased == (Mark("heel", L, Symptom.NUMBNESS, 0.5),)


def test_version_1_keeps_last_mark_per_zone_version_2_one_per_symptom() -> None:
    marks = [
        {"zone": "heel", "side": "left", "symptom": "numbness"},
        {"zone": "heel", "side": "left", "symptom": "pain"},
        {"zone": "heel", "side": "left", "symptom": "numbness", "coverage": 0.5},
    ]
    v1 = parse_session({"format": "dermamap-session", "version": 1, "marks": marks})
    assert v1.marks == (Mark("heel", L, Symptom.NUMBNESS, 0.5),)
    v2 = parse_session({"format": "dermamap-session", "version": 2, "marks": marks})
    assert v2.marks == (Mark("heel", L, Symptom.PAIN), Mark("heel", L, Symptom.NUMBNESS, 0.5))
    assert parse_session(json.loads(dumps_session(v2))) == v2


def test_mrc_grades_are_kept_and_written_back() -> None:
    text = json.dumps(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [],
            "findings": {
                "strength": {
                    "right": {"hip_flexion": 3, "knee_flexion": "weak", "toe_flexion": "4+"},
                    "left": {"ankle_eversion": "5", "ankle_inversion": "5-"},
                }
            },
        }
    )
    s = loads_session(text)
    f = s.findings
    assert f.power(R, Movement.HIP_FLEXION) is Strength.WEAK
    assert f.grade(R, Movement.HIP_FLEXION) == 3
    assert f.grade(R, Movement.KNEE_FLEXION) is None
    assert f.grade(R, Movement.TOE_FLEXION) == 4
    assert f.power(L, Movement.ANKLE_EVERSION) is Strength.NORMAL
    assert f.grade(L, Movement.ANKLE_EVERSION) == 5
    assert f.power(L, Movement.ANKLE_INVERSION) is Strength.WEAK
    assert f.grade(L, Movement.ANKLE_INVERSION) == 4  # "5-": MRC 4 on the six-point scale
    saved = json.loads(dumps_session(s))["findings"]["strength"]
    assert saved["right"] == {"hip_flexion": 3, "knee_flexion": "weak", "toe_flexion": 4}
    assert saved["left"] == {"ankle_inversion": 4, "ankle_eversion": 5}
    assert loads_session(dumps_session(s)) == s


def test_with_grade_sets_the_reading_and_with_strength_drops_the_grade() -> None:
    f = Findings().with_grade(R, Movement.HIP_FLEXION, 4)
    assert f.power(R, Movement.HIP_FLEXION) is Strength.WEAK
    f = f.with_grade(R, Movement.HIP_FLEXION, 5)
    assert f.power(R, Movement.HIP_FLEXION) is Strength.NORMAL
    f = f.with_strength(R, Movement.HIP_FLEXION, Strength.WEAK)
    assert f.grade(R, Movement.HIP_FLEXION) is None
    assert f.with_grade(R, Movement.HIP_FLEXION, None).power(R, Movement.HIP_FLEXION) is None
    with pytest.raises(ValueError):
        f.with_grade(R, Movement.HIP_FLEXION, 6)


def test_intensity_round_trip_and_limits() -> None:
    f = Findings().with_intensity(L, Symptom.PAIN, 7).with_intensity(L, Symptom.TINGLING, 0)
    s = Session(findings=f)
    data = json.loads(dumps_session(s))
    assert data["findings"]["intensity"] == {"left": {"tingling": 0, "pain": 7}}
    assert parse_session(data) == s
    assert not f.is_empty()
    data["findings"]["intensity"]["left"]["pain"] = 11
    with pytest.raises(SessionError, match=r"findings\.intensity\.left\.pain"):
        parse_session(data)
    with pytest.raises(ValueError):
        f.with_intensity(L, Symptom.PAIN, -1)


def test_report_lists_every_mark_grade_sensation_and_intensity() -> None:
    from core.exam import exam_table

    f = (
        Findings()
        .with_grade(R, Movement.HIP_FLEXION, 3)
        .with_sensation(R, "L5", "pin_prick", 1)
        .with_intensity(L, Symptom.PAIN, 7)
    )
    rows = {name: (right, left) for name, right, left in exam_table(f)}
    assert rows["Hip flexion"] == ("MRC 3 (weak)", "")
    assert rows["Sensation at the L5 key point (dorsum of the foot, third MTP joint)"] == (
        "pin prick altered",
        "",
    )
    assert rows["Pain intensity (0-10)"] == ("", "7/10")
