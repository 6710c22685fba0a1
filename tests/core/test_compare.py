"""Visit comparison (core.compare) and ``dermamap compare OLD NEW``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from core.compare import (
    NEW,
    PERSISTING,
    RESOLVED,
    compare,
    format_text,
    hypothesis_rows,
    jaccard,
    marked_skin,
    skin_share,
    summary_lines,
    timeline,
    zone_sizes,
)
from core.compare_cli import compare_main
from core.model import Mark, Session, Side, Symptom, Visit
from core.session_io import save_session

BEFORE = Session(
    marks=(
        Mark("dorsum_of_foot", Side.RIGHT),
        Mark("lateral_lower_leg", Side.RIGHT),
        Mark("buttock", Side.RIGHT, Symptom.PAIN),
    ),
    visit=Visit(patient_id="P1", date="2026-01-02"),
)
AFTER = Session(
    marks=(
        Mark("dorsum_of_foot", Side.RIGHT, coverage=0.5),
        Mark("heel", Side.LEFT),
    ),
    visit=Visit(patient_id="P1", date="2026-02-02"),
)


def test_statuses_and_overlap() -> None:
    c = compare(BEFORE, AFTER)
    status = {(a.area, a.side): a.status for a in c.areas}
    assert status == {
        ("dorsum_of_foot", "right"): PERSISTING,
        ("lateral_lower_leg", "right"): RESOLVED,
        ("buttock", "right"): RESOLVED,
        ("heel", "left"): NEW,
    }
    sizes = zone_sizes()
    union = sizes["dorsum_of_foot"] + sizes["lateral_lower_leg"] + sizes["buttock"]
    union += sizes["heel"]
    assert c.overlap == pytest.approx(0.5 * sizes["dorsum_of_foot"] / union)
    assert c.skin_before > c.skin_after > 0


def test_jaccard_bounds() -> None:
    skin = marked_skin(BEFORE)
    assert jaccard(skin, skin) == pytest.approx(1.0)
    assert jaccard(skin, marked_skin(Session(marks=(Mark("heel", Side.LEFT),)))) == 0.0
    assert jaccard({}, {}) is None
    assert compare(Session(), Session()).overlap is None


def test_symptoms_on_one_area_count_once_and_fine_zones_count_their_part() -> None:
    two = Session(
        marks=(Mark("heel", Side.LEFT, Symptom.PAIN), Mark("heel", Side.LEFT, Symptom.NUMBNESS))
    )
    assert marked_skin(two) == {("heel", "left"): 1.0}
    fine = [z for z in zone_sizes() if z.startswith("dorsum_of_foot.")]
    assert fine
    part = marked_skin(Session(marks=(Mark(fine[0], Side.RIGHT),)))[("dorsum_of_foot", "right")]
    assert 0 < part < 1
    everything = Session(
        marks=tuple(Mark(a, s) for a in zone_sizes() if "." not in a for s in Side)
    )
    assert skin_share(marked_skin(everything)) == pytest.approx(1.0)


def test_probabilities_then_and_now() -> None:
    c = compare(BEFORE, AFTER)
    l5 = next(h for h in c.hypotheses if h.id == "L5" and h.side == "right")
    assert l5.before is not None and l5.after is not None and l5.before != l5.after
    assert all(max(h.before or 0, h.after or 0) >= 0.05 for h in c.hypotheses)
    text = format_text(c)
    assert "L5 root" in text and "Jaccard" in text and "New: heel (left)" in text


def test_warnings_for_different_patients_and_order() -> None:
    other = Session(visit=Visit(patient_id="P2", date="2025-01-01"))
    c = compare(AFTER, other)
    assert len(c.warnings) == 2


def test_timeline_one_point_per_session() -> None:
    points = timeline([BEFORE, AFTER])
    assert [p.label for p in points] == ["2026-01-02", "2026-02-02"]
    assert points[0].skin > points[1].skin
    assert ("L5", "right") in points[0].probabilities
    # every hypothesis of a side with evidence, listed or not; none for a side without
    gone = timeline([BEFORE, Session(marks=(Mark("heel", Side.LEFT),))])
    assert all(p > 0 for p in gone[0].probabilities.values())
    assert len([k for k in gone[0].probabilities if k[1] == "right"]) > 10
    assert not any(k[1] == "right" for k in gone[1].probabilities)
    assert ("unexplained", "left") not in gone[1].probabilities


def test_cli_json_and_text(tmp_path: Path, capsys) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    save_session(BEFORE, old)
    save_session(AFTER, new)
    assert compare_main([str(old), str(new)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["before"]["date"] == "2026-01-02"
    assert {a["status"] for a in data["areas"]} == {NEW, RESOLVED, PERSISTING}
    assert 0 < data["overlap"] < 1
    assert compare_main([str(old), str(new), "--format", "text"]) == 0
    assert "Overlap of the marked skin" in capsys.readouterr().out


def test_cli_bad_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert compare_main([str(bad), str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
    assert compare_main([]) == 2


def test_launcher_dispatches_compare_without_qt(tmp_path: Path) -> None:
    import subprocess
    import sys

    old = tmp_path / "old.json"
    save_session(BEFORE, old)
    code = (
        "import sys; from gui.launcher import main; rc = main(['compare', sys.argv[1], "
        "sys.argv[1], '--format', 'text']); assert 'PySide6' not in sys.modules; sys.exit(rc)"
    )
    root = Path(__file__).resolve().parent.parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", code, str(old)], capture_output=True, text=True, cwd=root
    )
    assert proc.returncode == 0, proc.stderr
    assert "Overlap of the marked skin (Jaccard): 100%" in proc.stdout


def test_urgent_upper_motor_neuron_signs_at_the_later_visit_are_said() -> None:
    """The comparison said "URGENT at the later visit" only for the cauda equina emergency. It
    now heads each urgent warning as the window's banner does ("Urgent: ..."; the text
    output shouts it, "URGENT: ...")."""
    from core.model import Findings, PlantarResponse

    f = Findings().with_plantar_response(Side.RIGHT, PlantarResponse.EXTENSOR)
    later = dataclasses.replace(AFTER, findings=f.with_history(progressive=True))
    c = compare(BEFORE, later)
    assert c.urgent_warnings_after == ("upper_motor_neuron",) and not c.urgent_after
    assert "Urgent: upper motor neuron signs (at the later visit)" in summary_lines(c)
    assert "URGENT: upper motor neuron signs (at the later visit)" in format_text(c)
    assert c.to_dict()["urgent_warnings_after"] == ["upper_motor_neuron"]
    assert not compare(BEFORE, AFTER).urgent_warnings_after


def test_a_hypothesis_that_fell_below_the_listing_keeps_its_probability() -> None:
    """A peroneal palsy confirmed by its localisers at the later visit: L5 went from 36 % to
    under 1 %, and read "36 % -> —" as if it had not been assessed. It now has its probability
    from the side's whole posterior; a side with no evidence at a visit stays ``None``."""
    from core.model import Findings, LocalCauseSite, Movement, Strength, Test, TestResult

    marks = (Mark("dorsum_of_foot", Side.LEFT), Mark("lateral_lower_leg", Side.LEFT))
    drop = Findings().with_strength(Side.LEFT, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    localised = (
        drop.with_strength(Side.LEFT, Movement.ANKLE_INVERSION, Strength.NORMAL)
        .with_strength(Side.LEFT, Movement.HIP_ABDUCTION, Strength.NORMAL)
        .with_test(Side.LEFT, Test.TINEL_FIBULAR_HEAD, TestResult.POSITIVE)
        .with_history(local_cause=True, local_cause_site=LocalCauseSite.FIBULAR_HEAD)
    )
    c = compare(Session(marks=marks, findings=drop), Session(marks=marks, findings=localised))
    l5 = next(h for h in c.hypotheses if h.id == "L5" and h.side == "left")
    assert l5.before is not None and l5.before > 0.2
    assert l5.after is not None and l5.after < 0.01
    assert "L5 root" in format_text(c) and "<1%" in format_text(c)
    gone = compare(BEFORE, Session(marks=(Mark("heel", Side.LEFT),)))
    right = [h for h in gone.hypotheses if h.side == "right"]
    assert right and all(h.after is None for h in right)  # nothing on the right any more


def test_a_persisting_area_whose_symptoms_changed_is_named() -> None:
    """Pain turning into numbness on the same skin is a change a clinician looks for; the
    comparison counted the area as merely persisting."""
    before = Session(marks=(Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),))
    after = Session(
        marks=(
            Mark("lateral_lower_leg", Side.LEFT, Symptom.NUMBNESS),
            Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),
        )
    )
    c = compare(before, after)
    (area,) = c.areas
    assert area.status == PERSISTING and area.symptoms_changed
    assert area.to_dict()["symptoms_before"] == ["pain"]
    assert area.to_dict()["symptoms_after"] == ["numbness", "pain"]
    assert "Symptoms changed: lateral lower leg (left) from pain to numbness and pain" in (
        summary_lines(c)
    )
    same = compare(before, before)
    assert not any(a.symptoms_changed for a in same.areas)
    assert not any(line.startswith("Symptoms changed") for line in summary_lines(same))


def _emergency(session: Session) -> Session:
    from core.model import RedFlag

    return dataclasses.replace(session, red_flags=frozenset({RedFlag.URINARY_RETENTION}))


def test_the_emergency_at_the_later_visit_is_named_as_the_window_names_it() -> None:
    """ "URGENT at the later visit: cauda equina syndrome must be excluded today." called the
    emergency what the window calls the other urgent warnings; the window says "Emergency:
    exclude cauda equina syndrome now" (the text output shouts it, as the analysis's does)."""
    c = compare(BEFORE, _emergency(AFTER))
    assert c.urgent_after
    lines = summary_lines(c)
    assert "Emergency: exclude cauda equina syndrome now (at the later visit)" in lines
    assert not any("URGENT" in line for line in lines)
    text = format_text(c)
    assert "\nEMERGENCY: exclude cauda equina syndrome now (at the later visit)\n" in text
    # a comparison made without the warnings' ids still names the emergency, once
    bare = dataclasses.replace(c, urgent_warnings_after=())
    said = [line for line in summary_lines(bare) if "cauda equina" in line]
    assert said == ["Emergency: exclude cauda equina syndrome now (at the later visit)"]


def test_the_cauda_equina_row_says_whether_each_visit_raised_it() -> None:
    """Its probability is null by design, so the row read "Both legs  Cauda equina syndrome
    —  —" even with the emergency raised at the later visit."""
    c = compare(BEFORE, _emergency(AFTER))
    row = ("Both legs", "Cauda equina syndrome", "not raised", "exclude urgently")
    assert row in hypothesis_rows(c)
    back = compare(_emergency(BEFORE), AFTER)
    assert ("Both legs", "Cauda equina syndrome", "exclude urgently", "not raised") in (
        hypothesis_rows(back)
    )
    line = next(ln for ln in format_text(c).splitlines() if "Cauda equina" in ln)
    assert line.split() == [
        "Both",
        "legs",
        "Cauda",
        "equina",
        "syndrome",
        "not",
        "raised",
        "exclude",
        "urgently",
    ]


def test_the_comparison_text_stays_within_100_columns() -> None:
    """The summary lines ("New: ...") ran to about 300 columns: they wrap as the analysis text
    does, continued two spaces in; the table's columns are as wide as their values."""
    toes = ("great_toe", "middle_toes", "plantar_toes", "medial_sole", "lateral_sole")
    many = Session(
        marks=tuple(Mark(z, side) for side in (Side.RIGHT, Side.LEFT) for z in toes),
        red_flags=frozenset(),
    )
    c = compare(BEFORE, _emergency(many))
    text = format_text(c)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 100
    new = next(i for i, ln in enumerate(lines) if ln.startswith("New: "))
    assert lines[new + 1].startswith("  ") and not lines[new + 1].startswith("   ")
    (said,) = [ln for ln in summary_lines(c) if ln.startswith("New: ")]
    assert len(said) > 100 and " ".join(text.split()).count(" ".join(said.split())) == 1


def test_the_note_on_different_patients_names_both_identifiers() -> None:
    """Two visits of different patients said only "The two sessions name different patient
    identifiers" (a review of the outputs): which two is what the reader must check."""
    a = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),))
    first = dataclasses.replace(a, visit=Visit(patient_id="P-001"))
    second = dataclasses.replace(a, visit=Visit(patient_id="P-002"))
    c = compare(first, second)
    assert "The two sessions name different patient identifiers (P-001, P-002)." in c.warnings


def _visit(marks: list[dict[str, object]], findings: dict[str, object]) -> Session:
    from core.session_io import parse_session

    doc = {"format": "dermamap-session", "version": 2, "marks": marks, "findings": findings}
    return parse_session(doc, "visit")


def test_a_changed_first_hypothesis_and_the_changed_examination_are_said() -> None:
    """A clinician's review of a six-week follow-up: the L5 root first at the first visit, the
    common peroneal nerve first at the second (weakness recovered except great-toe extension),
    and the comparison showed only skin areas and probabilities. It now names the leg whose
    first hypothesis changed and every finding entered differently; findings not examined again
    are counted, not listed as changes."""
    l5 = [
        {"zone": z, "side": "left", "symptom": "pain"}
        for z in ("buttock", "posterior_thigh", "lateral_lower_leg", "dorsum_of_foot")
    ]
    before = _visit(
        l5,
        {
            "strength": {"left": {"great_toe_extension": 3, "hip_abduction": 4}},
            "tests": {"left": {"straight_leg_raise": "positive"}},
            "plantar_response": {"left": "flexor"},
            "intensity": {"left": {"pain": 8}},
        },
    )
    after = _visit(
        l5[2:],
        {
            "strength": {"left": {"great_toe_extension": 4, "hip_abduction": 5}},
            "tests": {"left": {"straight_leg_raise": "negative"}},
            "intensity": {"left": {"pain": 2}},
            "reflexes": {"left": {"achilles": "normal"}},
        },
    )
    c = compare(before, after)
    assert [(f.side, f.before, f.after) for f in c.first_changes] == [
        ("left", "L5", "peripheral:common_peroneal")
    ]
    changes = {(e.key, e.side): (e.before, e.after) for e in c.exam_changes}
    assert changes == {
        ("strength:great_toe_extension", "left"): ("MRC 3 (weak)", "MRC 4 (weak)"),
        ("strength:hip_abduction", "left"): ("MRC 4 (weak)", "MRC 5 (normal)"),
        ("test:straight_leg_raise", "left"): ("positive", "negative"),
        ("intensity:pain", "left"): ("8/10", "2/10"),
        ("reflex:achilles", "left"): ("", "normal"),
        ("plantar_response", "left"): ("flexor", ""),
    }
    lines = summary_lines(c)
    assert (
        "First hypothesis on the left leg changed from L5 root (88%) to common peroneal "
        "(fibular) nerve (74%)" in " ".join(lines)
    )
    exam = next(line for line in lines if line.startswith("Examination changed on the left"))
    assert "great-toe extension from MRC 3 (weak) to MRC 4 (weak)" in exam
    assert "Achilles reflex normal (not recorded at the earlier visit)" in exam
    assert "plantar" not in exam
    assert "Not recorded at the later visit: 1 finding of the earlier one" in lines
    data = c.to_dict()
    assert data["first_changes"] == [
        {"side": "left", "before": "L5", "after": "peripheral:common_peroneal"}
    ]
    assert {"finding": "intensity:pain", "side": "left", "before": "8/10", "after": "2/10"} in (
        data["exam_changes"]
    )
    same = compare(before, before)
    assert not same.first_changes and not same.exam_changes


def test_a_share_of_skin_reads_0_and_100_percent_where_a_probability_would_not() -> None:
    """An interface review: two empty drawings read "marked share of the drawn skin from <1% to
    <1%" while the JSON said 0.0: a measured share is not a probability, which never reads 0
    or 100 %."""
    empty = summary_lines(compare(Session(), Session()))
    assert any("marked share of the drawn skin from 0% to 0%" in line for line in empty)
    whole = Session(marks=tuple(Mark(z, s) for z in zone_sizes() for s in Side))
    lines = summary_lines(compare(whole, Session()))
    assert any("marked share of the drawn skin from 100% to 0%" in line for line in lines)
