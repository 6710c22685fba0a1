"""Logic moved out of the GUI into the core (Qt-free): the region list's mark edits
(:mod:`core.marks`), what a damaged recovery copy still holds (:mod:`core.recovery_format`),
which of two visits is the later (:mod:`core.visit_dates`) and the words the views took from
ids (:mod:`core.names`, :mod:`core.warning_names`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core import names, warning_names
from core.marks import is_finer_zone, marks_with_whole_zone, marks_without
from core.model import Mark, RedFlag, Session, Side, Symptom, Visit
from core.quiz_case_data import ACT, COND
from core.recovery_format import salvage, storable
from core.results import Label
from core.session_format import FORMAT, VERSION
from core.visit_dates import dated_after
from core.zones import area_of, fine_zones

R, L = Side.RIGHT, Side.LEFT
NUMB, TINGLE, PAIN = Symptom.NUMBNESS, Symptom.TINGLING, Symptom.PAIN


def _fine() -> dict[str, tuple[str, ...]]:
    """Each area's finer zones, as the region list builds them from the diagram."""
    out: dict[str, list[str]] = {}
    for z in sorted(fine_zones()):
        out.setdefault(area_of(z), []).append(z)
    return {a: tuple(v) for a, v in out.items()}


# --- core.marks: the region list's check boxes --------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "of", "expected"),
    [
        ("dorsum_of_foot.medial", "dorsum_of_foot", True),
        ("dorsum_of_foot", "dorsum_of_foot", False),
        ("dorsum_of_foot.medial", "dorsum_of_foot.medial", False),
        ("dorsum_of_foot.medial", "dorsum", False),
        ("heel.plantar", "dorsum_of_foot", False),
        ("lateral_heel", "heel", False),
    ],
)
def test_is_finer_zone(zone: str, of: str, expected: bool) -> None:
    assert is_finer_zone(zone, of) is expected


def test_marking_an_area_whole_replaces_its_finer_marks_of_that_symptom_only() -> None:
    keep = [
        Mark("dorsum_of_foot.medial", R, PAIN, 1.0),  # another symptom
        Mark("dorsum_of_foot.lateral", L, NUMB, 1.0),  # the other side
        Mark("great_toe", R, NUMB, 0.5),  # another area
    ]
    s = Session(
        marks=(
            keep[0],
            Mark("dorsum_of_foot.medial", R, NUMB, 0.4),
            keep[1],
            Mark("dorsum_of_foot", R, NUMB, 0.3),
            Mark("dorsum_of_foot.lateral", R, NUMB, 1.0),
            keep[2],
        )
    )
    new = marks_with_whole_zone(s, "dorsum_of_foot", R, NUMB)
    assert new == (*keep, Mark("dorsum_of_foot", R, NUMB, 1.0))


def test_marking_a_zone_whole_without_finer_marks_is_session_with_mark() -> None:
    s = Session(
        marks=(
            Mark("heel", R, NUMB, 0.4),
            Mark("heel", R, PAIN, 1.0),
            Mark("heel.plantar", R, PAIN, 1.0),
        )
    )
    for zone in ("heel", "heel.plantar", "great_toe"):
        expected = s.with_mark(Mark(zone, R, NUMB, 1.0)).marks
        assert marks_with_whole_zone(s, zone, R, NUMB) == expected
    # a finer zone is not an area: marking it leaves its siblings alone
    s2 = Session(marks=(Mark("heel.medial", R, NUMB, 1.0),))
    assert marks_with_whole_zone(s2, "heel.plantar", R, NUMB) == (
        Mark("heel.medial", R, NUMB, 1.0),
        Mark("heel.plantar", R, NUMB, 1.0),
    )


def test_clearing_an_area_clears_its_finer_zones_every_symptom_one_side() -> None:
    other = Mark("dorsum_of_foot", L, NUMB, 1.0)
    elsewhere = Mark("great_toe", R, PAIN, 1.0)
    s = Session(
        marks=(
            Mark("dorsum_of_foot", R, NUMB, 1.0),
            other,
            Mark("dorsum_of_foot.medial", R, PAIN, 0.5),
            elsewhere,
            Mark("dorsum_of_foot.lateral", R, TINGLE, 1.0),
        )
    )
    assert marks_without(s, "dorsum_of_foot", R, _fine()) == (other, elsewhere)


def test_clearing_a_finer_zone_splits_an_inherited_area_mark() -> None:
    s = Session(marks=(Mark("heel", R, NUMB, 0.6), Mark("heel.plantar", R, PAIN, 1.0)))
    new = marks_without(s, "heel.plantar", R, _fine())
    assert new == (Mark("heel.medial", R, NUMB, 0.6), Mark("heel.posterior", R, NUMB, 0.6))
    # the zone's own mark goes; the area's mark of that symptom is not split
    s2 = Session(marks=(Mark("heel", R, NUMB, 1.0), Mark("heel.plantar", R, NUMB, 0.5)))
    assert marks_without(s2, "heel.plantar", R, _fine()) == (Mark("heel", R, NUMB, 1.0),)


def test_clearing_a_finer_zone_uses_the_fine_zones_given() -> None:
    s = Session(marks=(Mark("heel", R, NUMB, 1.0),))
    assert marks_without(s, "heel.plantar", R, {"heel": ("heel.plantar", "heel.x")}) == (
        Mark("heel.x", R, NUMB, 1.0),
    )
    assert marks_without(s, "heel.plantar", R, {}) == ()


def test_clearing_an_area_of_a_group_alias_keeps_the_groups_other_areas() -> None:
    s = Session(marks=(Mark("sole", R, PAIN, 0.8), Mark("sole", L, PAIN, 1.0)))
    new = marks_without(s, "medial_sole", R, _fine())
    assert new == (Mark("sole", L, PAIN, 1.0), Mark("lateral_sole", R, PAIN, 0.8))


def test_clearing_a_finer_zone_under_a_group_alias_splits_both() -> None:
    s = Session(marks=(Mark("circumferential_lower_leg", R, NUMB, 1.0),))
    new = set(marks_without(s, "lateral_lower_leg.upper", R, _fine()))
    members = ("anterior_lower_leg", "medial_lower_leg", "posterior_calf")
    assert new == {Mark(a, R, NUMB, 1.0) for a in members}  # lateral_lower_leg: only .upper


def test_clearing_an_unmarked_zone_changes_nothing() -> None:
    s = Session(marks=(Mark("great_toe", R, NUMB, 1.0), Mark("heel", L, PAIN, 1.0)))
    assert marks_without(s, "heel", R, _fine()) == s.marks
    assert marks_without(s, "heel.plantar", R, _fine()) == s.marks


# --- core.recovery_format: what a damaged recovery copy still holds ------------------------------


def _raw(**parts: Any) -> bytes:
    return json.dumps({"format": FORMAT, "version": VERSION, **parts}).encode()


def test_salvage_refuses_what_is_not_a_session_of_this_version() -> None:
    assert salvage(b"{not json") is None
    assert salvage(b"[1, 2]") is None
    assert salvage(json.dumps({"format": "other", "version": 2}).encode()) is None
    assert salvage(json.dumps({"format": FORMAT, "version": 99}).encode()) is None


def test_salvage_keeps_each_valid_mark_and_names_what_is_left_out() -> None:
    good = {"zone": "heel", "side": "right", "symptom": "pain"}
    bad = {"zone": "nowhere", "side": "right", "symptom": "pain"}
    got = salvage(_raw(marks=[good, bad, good | {"side": "left"}], red_flags=["no_such_flag"]))
    assert got is not None
    session, note = got
    assert session.marks == (Mark("heel", R, PAIN, 1.0), Mark("heel", L, PAIN, 1.0))
    assert note == "could not be read: 1 of 3 marks, the warning signs"


def test_salvage_keeps_valid_parts_and_visit_fields() -> None:
    got = salvage(
        _raw(
            marks="not a list",
            red_flags=["urinary_retention"],
            findings={"reflexes": {"middle": {}}},
            atlas="keegan_garrett",
            visit={"patient_id": "P-1", "date": 7},
        )
    )
    assert got is not None
    session, note = got
    assert session.marks == ()
    assert session.red_flags == frozenset({RedFlag.URINARY_RETENTION})
    assert session.atlas == "keegan_garrett"
    assert session.visit.patient_id == "P-1" and session.visit.date == ""
    assert note == "could not be read: the marks, the exam findings, some visit details"


def test_salvage_of_a_copy_whose_parts_are_all_valid() -> None:
    got = salvage(_raw(marks=[{"zone": "heel", "side": "left", "symptom": "numbness"}]))
    assert got is not None
    assert got[0].marks == (Mark("heel", L, NUMB, 1.0),)
    assert got[1] == "some details could not be read"


def test_salvage_leaves_out_text_with_a_lone_surrogate() -> None:
    raw = _raw(visit={"patient_id": "P-2", "notes": "x"}).replace(b'"x"', b'"\\ud800"')
    got = salvage(raw)
    assert got is not None
    assert got[0].visit.patient_id == "P-2" and got[0].visit.notes == ""
    assert got[1] == "could not be read: some visit details"


def test_storable_replaces_lone_surrogates_in_visit_text_only() -> None:
    fine = Session(visit=Visit(patient_id="P-3", notes="ok"))
    assert storable(fine) is fine
    broken = Session(visit=Visit(patient_id="P\ud800", examiner="Dr \udcff X", notes="ok"))
    out = storable(broken)
    assert out.visit.patient_id == "P\ufffd"
    assert out.visit.examiner == "Dr \ufffd X"
    assert out.visit.notes == "ok"
    for text in (out.visit.patient_id, out.visit.examiner):
        text.encode("utf-8")  # writable now (raised UnicodeEncodeError before)


# --- core.visit_dates.dated_after -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "other", "expected"),
    [
        ("2025-03-14", "2025-03-13", True),
        ("2025-03-13", "2025-03-14", False),
        ("2025-03-14", "2025-03-14", False),
        ("2025-04", "2025-03-31", True),
        ("2026", "2025-12-31", True),
        ("2025-03-14", "2025-03", False),  # a month is not after a day within it
        ("2025-03", "2025", False),
        ("2025-03", "2025-03-14", False),
        ("2025-03-14", "", False),  # not known
        ("", "2025-03-14", False),
        ("14/03/2025", "2025-03-13", False),
        ("2025-03-14", "yesterday", False),
        (" 2025-03-14", "2025-03-13", False),  # as written: the form keeps no spaces
        ("２０２６", "2025", False),  # digits of other scripts are not a date
    ],
)
def test_dated_after(date: str, other: str, expected: bool) -> None:
    assert dated_after(date, other) is expected


# --- core.names and core.warning_names: words the views took from ids ----------------------------


def test_every_red_flag_has_one_checklist_group() -> None:
    assert warning_names.FLAG_GROUPS == (
        "Bladder, bowel and sexual function",
        "Sensation",
        "Both legs",
    )
    assert set(warning_names.RED_FLAG_GROUPS) == {f.value for f in RedFlag}
    for flag in RedFlag:
        assert warning_names.red_flag_group(flag.value) in warning_names.FLAG_GROUPS
    assert warning_names.red_flag_group("saddle_anaesthesia") == "Sensation"
    assert warning_names.red_flag_group("bilateral_sciatica") == "Both legs"
    assert warning_names.red_flag_group("bowel_dysfunction") == (
        "Bladder, bowel and sexual function"
    )
    with pytest.raises(KeyError):
        warning_names.red_flag_group("no_such_flag")


def test_side_and_leg_names() -> None:
    assert names.side_name("both") == "Both legs"
    assert names.leg_name("right") == "Right leg"
    assert names.leg_name("left") == "Left leg"
    assert names.leg_name("both") == "Both legs"


def test_condition_and_act_targets() -> None:
    assert names.is_condition(COND + "cauda_equina") and names.is_act(ACT + "cauda_equina")
    assert names.is_condition("condition:spinal_stenosis")
    assert names.is_act("act:disc_herniation")
    for other in ("L5", "peripheral:sural", "polyneuropathy", "act", "conditions:x"):
        assert not names.is_condition(other) and not names.is_act(other)
    assert not names.is_condition("act:x") and not names.is_act("condition:x")


def test_label_names_are_the_words_shown_so_far() -> None:
    assert set(names.LABEL_NAMES) == {label.value for label in Label}
    for label in Label:
        assert names.label_name(label) == label.value
    assert names.label_name(Label.MORE_LIKELY) == "more likely"
    assert names.label_name(Label.EXCLUDE_URGENTLY) == "exclude urgently"


def test_parts_and_key_point_places_come_from_the_registry_not_from_names() -> None:
    """The regions list cut a finer zone's row label out of its display name, and the sensory
    form cut a key point's place out of its finding's name (views taking ids and words apart).
    core.zones and core.names give them."""
    from core import names, zones

    assert zones.part_name("dorsum_of_foot.medial") == "medial"
    assert zones.part_name("dorsum_of_foot") == "" and not zones.is_fine_zone("heel")
    for zone in zones.fine_zones():
        assert zones.is_fine_zone(zone)
        assert zones.display_name(zone).endswith(f"({zones.part_name(zone)})")
    assert names.key_point_place("L3") == "medial femoral condyle"
    for point, place in names.KEY_POINT_PLACES.items():
        assert place.lower() in names.finding_name(f"sensation:{point}").lower()


def test_a_key_point_is_reduced_below_the_normal_score_in_either_modality() -> None:
    """The engine's three readings of a key point (facts, the saddle trigger, a serious cause's
    neurological features) each wrote ``min(...) < 2``: one rule in core.model now."""
    from core.model import NORMAL_SENSATION, sensation_reduced

    assert NORMAL_SENSATION == 2
    assert not sensation_reduced({}) and not sensation_reduced({"light_touch": 2, "pin_prick": 2})
    assert sensation_reduced({"light_touch": 2, "pin_prick": 1})
    assert sensation_reduced({"light_touch": 0})
