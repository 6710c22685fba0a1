"""FHIR R4 export: every bundle validates with an independent library (fhir.resources, R4B
models, whose Observation, BodyStructure, Patient, ClinicalImpression and Bundle match R4), the
marks read back, hypotheses go into a ClinicalImpression and never a Condition, and every SNOMED
CT code comes from assets/clinical/snomed.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from core import fhir, names, zones
from core.engine import analyze
from core.model import Findings, Mark, Reflex, ReflexGrade, Session, Side, Symptom, Visit
from core.session_io import load_session, parse_session

HERE = Path(__file__).resolve().parent
GOLDEN = json.loads((HERE / "golden_cases.json").read_text(encoding="utf-8"))["cases"]


def _validated(data: dict[str, Any]) -> dict[str, Any]:
    """The bundle after a round trip through the independent FHIR models."""
    model = Bundle.model_validate(data)
    out: dict[str, Any] = json.loads(model.model_dump_json())
    return out


def _resources(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def _sct_codes(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["code"]} if node.get("system") == fhir.SCT else set()
        for v in node.values():
            found |= _sct_codes(v)
        return found
    if isinstance(node, list):
        return set().union(*(_sct_codes(v) for v in node)) if node else set()
    return set()


def _expected_marks(session: Session) -> list[tuple[str, str, str, float]]:
    return sorted(
        (a, m.side.value, m.symptom.value, round(m.coverage, 3))
        for m in session.marks
        for a in zones.expand(zones.current_zone(m.zone))
    )


@pytest.mark.parametrize("case", GOLDEN, ids=[c["id"] for c in GOLDEN])
def test_golden_case_bundle_validates_and_reads_back(case: dict[str, Any]) -> None:
    session = parse_session(case["session"])
    analysis = analyze(session)
    data = _validated(fhir.bundle(session, analysis))
    assert data["type"] == "collection"
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert "Condition" not in kinds and "ClinicalImpression" in kinds
    back = sorted((a, s, y, round(p, 3)) for a, s, y, p in fhir.marks_from_bundle(data))
    assert back == _expected_marks(session)
    (ci,) = _resources(data, "ClinicalImpression")
    listed = {f["itemCodeableConcept"]["coding"][0]["code"]: f for f in ci.get("finding", [])}
    for h in analysis.hypotheses:
        f = listed[f"{h.id}@{h.side}"]
        if h.probability is None:
            assert "extension" not in f and "emergency" in f["basis"]
        else:
            assert f["extension"][0]["valueDecimal"] == pytest.approx(h.probability, abs=1e-4)
    known = {
        c["code"]
        for group in ("symptoms", "laterality", "structures")
        for c in fhir.codes()[group].values()
    }
    assert _sct_codes(data) <= known


def test_laterality_through_body_structure() -> None:
    session = Session(marks=(Mark("dorsum_of_foot", Side.LEFT, Symptom.TINGLING, 0.4),))
    data = _validated(fhir.bundle(session, analyze(session)))
    (obs,) = [o for o in _resources(data, "Observation") if "valueQuantity" in o]
    assert obs["code"]["coding"][0]["code"] == "786837007"
    assert obs["bodySite"]["coding"][0]["code"] == "2402003"
    assert obs["valueQuantity"]["value"] == 40 and obs["valueQuantity"]["code"] == "%"
    ext = obs["bodySite"]["extension"][0]
    assert ext["url"] == "http://hl7.org/fhir/StructureDefinition/bodySite"
    (bs,) = _resources(data, "BodyStructure")
    assert bs["locationQualifier"][0]["coding"][0]["code"] == "7771000"  # Left
    assert obs["bodySite"]["text"] == "Left dorsum of foot"


def test_patient_exam_and_red_flags() -> None:
    session = load_session(HERE / "data" / "rich.json")
    from dataclasses import replace

    session = replace(
        session, visit=replace(session.visit, date_of_birth="1970-01-02", sex="female")
    )
    data = _validated(fhir.bundle(session, analyze(session)))
    (patient,) = _resources(data, "Patient")
    assert patient["gender"] == "female" and patient["birthDate"] == "1970-01-02"
    assert patient["identifier"][0]["value"] == "P-0042"
    from core.warning_names import red_flag_name

    texts = {o["code"].get("text") for o in _resources(data, "Observation")}
    flags = {red_flag_name(f.value) for f in session.red_flags}
    assert {"Achilles reflex", "Straight leg raise", *flags} <= texts
    achilles = next(
        o for o in _resources(data, "Observation") if o["code"].get("text") == "Achilles reflex"
    )
    assert achilles["valueCodeableConcept"]["text"] == "absent"
    assert achilles["bodySite"]["text"].startswith("Right")
    (ci,) = _resources(data, "ClinicalImpression")
    assert ci["summary"].startswith("Emergency: cauda equina syndrome")
    assert ci["assessor"]["display"] == "Dr. Ñúñez"


def test_no_visit_details_no_patient_resource() -> None:
    session = Session(marks=(Mark("heel", Side.RIGHT),), visit=Visit(notes="x"))
    data = _validated(fhir.bundle(session, analyze(session)))
    assert not _resources(data, "Patient")
    (ci,) = _resources(data, "ClinicalImpression")
    assert ci["subject"]["display"]


def test_the_validator_is_not_a_rubber_stamp() -> None:
    session = Session(marks=(Mark("heel", Side.RIGHT),))
    data = fhir.bundle(session, analyze(session))
    obs = next(
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    del obs["status"]  # required in R4
    with pytest.raises(ValidationError):
        Bundle.model_validate(data)


def test_every_area_has_a_checked_structure_with_sources() -> None:
    table = fhir.codes()
    assert set(table["areas"]) == set(zones.areas())
    for group in ("symptoms", "laterality", "structures"):
        for entry in table[group].values():
            assert entry["checked"] in ("V", "V2")
            lists = entry["checked_in"]
            assert lists and all(s in table["code_lists"] for s in lists)
            assert entry["code"].isdigit()
    for row in table["areas"].values():
        assert row["structure"] in table["structures"]


def test_the_history_is_exported() -> None:
    """Only the age was exported; onset, back pain, claudication, diabetes, a local cause and
    its site and progression are in the bundle too, each as the value it was answered with."""
    from core.model import Findings, LocalCauseSite, Mark, Session, Side

    history = Findings().with_history(
        age=61,
        onset_days=30,
        back_pain=False,
        local_cause=True,
        local_cause_site=LocalCauseSite.KNEE,
        local_cause_side=Side.LEFT,
        progressive=True,
    )
    s = Session(marks=(Mark("lateral_lower_leg", Side.LEFT),), findings=history)
    obs = {
        o["code"]["text"]: o
        for o in _resources(_validated(fhir.bundle(s, analyze(s))), "Observation")
    }
    assert obs["Age"]["valueQuantity"]["value"] == 61
    assert obs["Onset (days ago)"]["valueQuantity"] == {
        "value": 30,
        "unit": "days",
        "system": "http://unitsofmeasure.org",
        "code": "d",
    }
    assert obs["Back pain"]["valueBoolean"] is False
    assert obs["Local cause near a nerve"]["valueBoolean"] is True
    assert obs["Progressive symptoms"]["valueBoolean"] is True
    assert obs["Site of the local cause"]["valueCodeableConcept"]["text"] == "knee"
    side = obs["Side of the local cause"]["valueCodeableConcept"]
    assert side["text"] == "left leg" and side["coding"][0]["code"] == "7771000"  # Left
    assert "Diabetes" not in obs  # not answered


def test_warnings_and_notes_are_in_the_impression_notes() -> None:
    """A caution (upper motor neuron signs, not new) and the notes reached no resource."""
    from core.model import Findings, Mark, PlantarResponse, Session, Side

    f = Findings().with_plantar_response(Side.RIGHT, PlantarResponse.EXTENSOR)
    s = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),), findings=f)
    a = analyze(s)
    (ci,) = _resources(_validated(fhir.bundle(s, a)), "ClinicalImpression")
    notes = [n["text"] for n in ci["note"]]
    assert notes[0].startswith("Probabilities rank explanations")
    assert any("spinal cord or brain cause" in n and not n.startswith("URGENT") for n in notes)
    assert {n.text for n in a.notes} <= set(notes)


@pytest.mark.parametrize("typed", ["2026-13-45", "2025-02-30", "0000-01-01", "58"])
def test_a_date_that_is_not_one_is_left_out(typed: str) -> None:
    """A date typed wrong in an older file (the form now refuses it) matched the pattern
    YYYY-MM-DD and went into the bundle as it was: invalid FHIR. It is left out instead."""
    session = Session(
        marks=(Mark("heel", Side.RIGHT),),
        visit=Visit(patient_id="P-1", date=typed, date_of_birth=typed),
    )
    data = _validated(fhir.bundle(session, analyze(session)))
    (patient,) = _resources(data, "Patient")
    assert "birthDate" not in patient
    assert all("effectiveDateTime" not in o for o in _resources(data, "Observation"))


def test_partial_dates_are_kept() -> None:
    session = Session(
        marks=(Mark("heel", Side.RIGHT),),
        visit=Visit(patient_id="P-1", date="2025-02", date_of_birth="1961"),
    )
    data = _validated(fhir.bundle(session, analyze(session)))
    (patient,) = _resources(data, "Patient")
    assert patient["birthDate"] == "1961"
    assert {o["effectiveDateTime"] for o in _resources(data, "Observation")} == {"2025-02"}


def test_dates_and_sex_typed_with_spaces_around_them_are_exported_without() -> None:
    """A date with a space before or after it (an older file, or one written by hand) counted
    as a date but went into the bundle as typed: invalid FHIR."""
    session = Session(
        marks=(Mark("heel", Side.RIGHT),),
        visit=Visit(date="2024-01-05 ", date_of_birth=" 1970-01-01\n", sex=" Female "),
    )
    data = _validated(fhir.bundle(session, analyze(session)))
    (patient,) = _resources(data, "Patient")
    assert patient["birthDate"] == "1970-01-01" and patient["gender"] == "female"
    assert {o["effectiveDateTime"] for o in _resources(data, "Observation")} == {"2024-01-05"}
    (ci,) = _resources(data, "ClinicalImpression")
    assert ci["effectiveDateTime"] == "2024-01-05"


def test_sensation_at_a_key_point_is_sited_there_and_intensity_is_the_patients_rating() -> None:
    """Every finding went to "lower limb", perianal sensation (S4-5) too; a symptom's
    intensity, the patient's own rating, was filed as a physical examination finding."""
    f = (
        Findings()
        .with_sensation(Side.RIGHT, "L4", "light_touch", 1)
        .with_sensation(Side.LEFT, "S4_5", "pin_prick", 0)
        .with_intensity(Side.RIGHT, Symptom.PAIN, 7)
        .with_reflex(Side.RIGHT, Reflex.ACHILLES, ReflexGrade.ABSENT)
    )
    session = Session(marks=(Mark("heel", Side.RIGHT),), findings=f)
    data = _validated(fhir.bundle(session, analyze(session)))

    def observation(text: str) -> dict[str, Any]:
        (obs,) = [o for o in _resources(data, "Observation") if o["code"].get("text") == text]
        return obs

    def area(obs: dict[str, Any]) -> str:
        (code,) = [c["code"] for c in obs["bodySite"]["coding"] if c["system"] == fhir.AREA_SYSTEM]
        return str(code)

    l4 = observation(names.finding_name("sensation:L4"))
    assert area(l4) == "medial_malleolus" and l4["category"][0]["coding"][0]["code"] == "exam"
    saddle = observation(names.finding_name("sensation:S4_5"))
    assert area(saddle) == "saddle"
    assert saddle["bodySite"]["coding"][0]["code"] == fhir.codes()["structures"]["perineum"]["code"]
    assert saddle["bodySite"]["text"].startswith("Left")
    achilles = observation(names.finding_name("reflex:achilles"))
    assert achilles["bodySite"]["coding"][0]["code"] == "61685007"  # lower limb
    pain = observation(names.finding_name("intensity:pain"))
    assert pain["category"][0]["coding"][0]["code"] == "survey"


def test_urgent_warnings_in_the_notes_are_headed_as_the_window_heads_them() -> None:
    """The notes prefixed every urgent warning "URGENT: "; the window calls the cauda equina
    emergency "Emergency: exclude cauda equina syndrome now" and the others "Urgent: ..."."""
    from core.model import PlantarResponse, RedFlag

    f = Findings().with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
    s = Session(
        marks=(Mark("dorsum_of_foot", Side.LEFT),),
        findings=f.with_history(progressive=True),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )
    a = analyze(s)
    (ci,) = _resources(_validated(fhir.bundle(s, a)), "ClinicalImpression")
    notes = [n["text"] for n in ci["note"]]
    ces, umn = (
        next(w for w in a.warnings if w.id == i) for i in ("cauda_equina", "upper_motor_neuron")
    )
    assert f"Emergency: exclude cauda equina syndrome now. {ces.text}" in notes
    assert f"Urgent: upper motor neuron signs. {umn.text}" in notes
    assert not any(n.startswith("URGENT") for n in notes)


def test_an_intensity_is_an_integer_on_its_0_to_10_scale() -> None:
    """The patient's 0-10 rating went out as the text "6/10" (``valueCodeableConcept``): a
    record system could neither chart nor compare it. It is ``valueInteger`` now, the scale in
    the Observation's name as before; a rating of 0 is kept."""
    f = (
        Findings()
        .with_intensity(Side.LEFT, Symptom.PAIN, 6)
        .with_intensity(Side.RIGHT, Symptom.NUMBNESS, 0)
    )
    session = Session(marks=(Mark("heel", Side.LEFT),), findings=f)
    data = _validated(fhir.bundle(session, analyze(session)))
    ratings = {
        (o["code"]["text"], o["bodySite"]["text"]): o
        for o in _resources(data, "Observation")
        if "intensity" in o["code"].get("text", "")
    }
    pain = ratings[(names.finding_name("intensity:pain"), "Left lower limb")]
    numb = ratings[(names.finding_name("intensity:numbness"), "Right lower limb")]
    assert len(ratings) == 2
    assert pain["code"]["text"] == "Pain intensity (0-10)"
    assert pain["valueInteger"] == 6 and numb["valueInteger"] == 0
    for obs in (pain, numb):
        assert "valueCodeableConcept" not in obs
        assert obs["category"][0]["coding"][0]["code"] == "survey"


def test_the_bundle_has_the_time_of_export() -> None:
    """The Bundle had no ``timestamp``: a record could not tell when it was made."""
    from datetime import datetime, timedelta, timezone

    session = Session(marks=(Mark("heel", Side.RIGHT),))
    analysis = analyze(session)
    cet = timezone(timedelta(hours=1))
    when = datetime(2026, 12, 7, 14, 5, 9, 250000, tzinfo=cet)
    data = _validated(fhir.bundle(session, analysis, now=when))
    assert data["timestamp"] == "2026-12-07T14:05:09+01:00"
    raw = fhir.bundle(session, analysis, now=when)
    assert raw["timestamp"] == "2026-12-07T14:05:09+01:00"  # the zone given is kept
    # a time without a zone is read as local time and given with its offset
    naive = fhir.bundle(session, analysis, now=datetime(2026, 1, 2, 3, 4, 5))["timestamp"]
    assert naive.startswith("2026-01-02T03:04:05") and naive[19] in "+-"
    before = datetime.now().astimezone().replace(microsecond=0)
    made = datetime.fromisoformat(fhir.bundle(session, analysis)["timestamp"])
    after = datetime.now().astimezone()
    assert made.utcoffset() is not None and before <= made <= after


def test_the_visit_notes_are_an_annotation_on_the_clinical_impression() -> None:
    """The visit's notes were in the report but in no resource of the bundle; they are the last
    ``note`` of the ClinicalImpression, as typed, by the examiner when one is named."""
    typed = "Foot drop after 4 h cross-legged.\nTinel + at fibular neck."
    visit = Visit(patient_id="P-3", examiner="Dr A. Surgeon", notes=typed)
    session = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),), visit=visit)
    (ci,) = _resources(_validated(fhir.bundle(session, analyze(session))), "ClinicalImpression")
    assert ci["note"][0]["text"].startswith("Probabilities rank explanations")
    assert ci["note"][-1] == {"text": typed, "authorString": "Dr A. Surgeon"}
    assert sum(typed in n["text"] for n in ci["note"]) == 1
    unsigned = Session(marks=session.marks, visit=Visit(notes=typed))
    (ci,) = _resources(_validated(fhir.bundle(unsigned, analyze(unsigned))), "ClinicalImpression")
    assert ci["note"][-1] == {"text": typed}
    for blank in ("", " \n "):
        plain = Session(marks=session.marks, visit=Visit(notes=blank, examiner="Dr Q"))
        (ci,) = _resources(_validated(fhir.bundle(plain, analyze(plain))), "ClinicalImpression")
        assert not any("authorString" in n for n in ci["note"])
