"""A past or current cancer and a fever: the red flags of a serious spinal cause (R47) that the
history records and the warnings name (R111: metastatic spinal cord compression; R112, R113: a
spinal epidural abscess). They change no probability; they raise a warning and lead the
conditions' steps."""

from __future__ import annotations

import json

from core import export_csv, fhir
from core.engine import analyze
from core.impression import urgent_paragraph
from core.model import (
    Findings,
    Mark,
    Movement,
    RedFlag,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Strength,
    Symptom,
)
from core.session_io import dumps_session, parse_session
from core.warning_names import urgent_headline

R, L = Side.RIGHT, Side.LEFT
L5_PAIN = tuple(
    Mark(z, R, Symptom.PAIN) for z in ("lateral_lower_leg", "dorsum_of_foot", "great_toe")
)


def _warning(session: Session, wid: str):  # type: ignore[no-untyped-def]
    return next((w for w in analyze(session).warnings if w.id == wid), None)


def test_cancer_with_radicular_pain_is_an_oncological_emergency() -> None:
    """Sciatica in a woman treated for breast cancer: the same drawing as a disc's, but NICE
    (R111) treats radicular pain in a person with cancer as metastatic compression until shown
    otherwise. Before, the history had no place for the cancer and the window showed a disc."""
    f = Findings().with_history(cancer=True)
    w = _warning(Session(marks=L5_PAIN, findings=f), "spinal_metastasis")
    assert w is not None and w.urgent
    assert w.params == {"because": ["marked"]} and w.sources == ("R47", "R111")
    assert "oncological emergency" in w.text and "whole spine" in w.text
    a = analyze(Session(marks=L5_PAIN, findings=f))
    assert not a.urgent  # not the cauda equina emergency, whose hypothesis leads the list
    assert "metastatic spinal cord compression" in urgent_paragraph(a)
    assert urgent_headline("spinal_metastasis") == (
        "Urgent: possible metastatic spinal cord compression"
    )
    cards = {c.id: c for c in a.conditions}
    assert "metastatic spinal cord compression" in cards["disc_herniation"].next_steps[0]
    # the probabilities are the drawing's, with or without the cancer
    plain = analyze(Session(marks=L5_PAIN))
    assert [(h.id, h.probability) for h in a.hypotheses] == [
        (h.id, h.probability) for h in plain.hypotheses
    ]


def test_cancer_urgency_names_each_deficit_and_nothing_without_one() -> None:
    f = Findings().with_history(cancer=True, back_pain=True)
    reminder = _warning(Session(findings=f), "spinal_metastasis")
    assert reminder is not None and not reminder.urgent and reminder.params == {"because": []}
    assert "within 24 hours" in reminder.text and "immediate referral" in reminder.text
    f = f.with_strength(L, Movement.KNEE_EXTENSION, Strength.WEAK)
    f = f.with_reflex(L, Reflex.PATELLAR, ReflexGrade.ABSENT)
    w = _warning(
        Session(findings=f, red_flags=frozenset({RedFlag.URINARY_RETENTION})), "spinal_metastasis"
    )
    assert w is not None and w.urgent
    assert w.params["because"] == ["weak", "reflexes", "red_flags"]  # back pain: not for cancer
    assert "weakness on examination, a reflex reduced or absent on one leg and a cauda" in w.text
    assert "when these are new or getting worse" in w.text


def test_ankle_jerks_lost_alike_on_both_legs_do_not_make_a_cancer_urgent() -> None:
    """A review: with a past cancer, nothing marked and the ankle jerks absent on both legs at
    80 (common in health from 60, R110) the warning called for an oncological emergency. A
    reflex lost on one leg still makes it urgent."""
    f = Findings().with_history(cancer=True, age=80)
    for side in (R, L):
        f = f.with_reflex(side, Reflex.ACHILLES, ReflexGrade.ABSENT)
    w = _warning(Session(findings=f), "spinal_metastasis")
    assert w is not None and not w.urgent
    one = f.with_reflex(R, Reflex.ACHILLES, ReflexGrade.NORMAL)
    w = _warning(Session(findings=one), "spinal_metastasis")
    assert w is not None and w.urgent and w.params["because"] == ["reflexes"]


def test_fever_with_back_pain_calls_for_excluding_a_spinal_infection() -> None:
    """An epidural abscess begins with back pain (71 %) and fever (66 %) before the roots and
    then the cord are involved (R113): fever with back pain alone is already urgent."""
    f = Findings().with_history(fever=True, back_pain=True)
    w = _warning(Session(findings=f), "spinal_infection")
    assert w is not None and w.urgent and w.params == {"because": ["back_pain"]}
    assert w.sources == ("R47", "R112", "R113")
    assert "epidural abscess" in w.text and "same-day" in w.text
    w = _warning(Session(findings=Findings().with_history(fever=True)), "spinal_infection")
    assert w is not None and not w.urgent
    marked = Session(marks=L5_PAIN, findings=Findings().with_history(fever=True))
    w = _warning(marked, "spinal_infection")
    assert w is not None and w.urgent and w.params == {"because": ["marked"]}
    cards = {c.id: c for c in analyze(marked).conditions}
    assert "exclude a spinal infection" in cards["disc_herniation"].next_steps[0]


def test_no_warning_without_the_history_item_or_when_it_is_no() -> None:
    for f in (Findings(), Findings().with_history(cancer=False, fever=False)):
        ids = {w.id for w in analyze(Session(marks=L5_PAIN, findings=f)).warnings}
        assert not ids & {"spinal_metastasis", "spinal_infection"}


def test_the_items_round_trip_and_reach_the_csv_and_fhir_exports() -> None:
    s = Session(marks=L5_PAIN, findings=Findings().with_history(cancer=True, fever=False))
    text = dumps_session(s)
    assert json.loads(text)["findings"]["history"] == {"cancer": True, "fever": False}
    assert parse_session(json.loads(text)).findings.history == s.findings.history
    header = export_csv.columns()
    assert "Cancer, past or current" in header and "Fever" in header
    rows = export_csv.marks_and_hypotheses_csv(s, analyze(s)).splitlines()
    row = rows[1].split(",")
    assert row[header.index("Cancer, past or current")] == "yes"
    assert row[header.index("Fever")] == "no"
    bundle = fhir.bundle(s, analyze(s))
    texts = {
        e["resource"]["code"]["text"]: e["resource"].get("valueBoolean")
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert texts["Cancer, past or current"] is True and texts["Fever"] is False


def test_a_history_file_from_before_the_items_loads_without_them() -> None:
    old = {
        "format": "dermamap-session",
        "version": 2,
        "marks": [],
        "findings": {"history": {"back_pain": True}},
    }
    h = parse_session(old).findings.history
    assert h.cancer is None and h.fever is None
