"""The clinical impression: one paragraph per side, probabilities and key evidence from the
reasons, the emergency first."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.engine import analyze
from core.impression import (
    impression_text,
    key_evidence,
    paragraphs,
    percent,
    side_paragraph,
    urgent_paragraph,
)
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
from core.session_io import parse_session


def report_html(session: Session, analysis: Any, **kw: Any) -> list[str]:
    """The report's blocks for ``session`` as HTML, one string a block (Qt-free)."""
    from core import report_content

    blocks = report_content.build_blocks(
        session,
        analysis,
        overlay=False,
        aspect=1.0,
        body_w=500,
        max_diagram_h=400,
        source_name=None,
        now=datetime(2026, 1, 1),
        **kw,
    )
    return [b.html for b in blocks]


GOLDEN = json.loads(
    (Path(__file__).resolve().parent / "golden_cases.json").read_text(encoding="utf-8")
)["cases"]


def test_percent() -> None:
    assert (percent(0.776), percent(0.004), percent(None)) == ("78%", "<1%", "—")
    # never a certainty: 99.6 % reads ">99%", as 0.4 % reads "<1%"
    assert (percent(0.994), percent(0.996), percent(1.0)) == ("99%", ">99%", ">99%")


def test_l5_paragraph_names_probability_and_evidence() -> None:
    s = parse_session(next(c for c in GOLDEN if c["id"] == "V01")["session"])
    a = analyze(s)
    top = a.hypotheses[0]
    para = side_paragraph(s, a, "right")
    assert para.startswith("Right leg (numbness in 6 areas marked): most probable L5 root")
    assert percent(top.probability) in para
    assert "dorsum of foot" in para and "great-toe extension weak" in para
    assert side_paragraph(s, a, "left") == ""
    ev = key_evidence(top)
    assert ev[0].endswith("in the core root territory")
    assert all(":" not in e for e in ev)


def test_urgent_comes_first_without_a_probability() -> None:
    s = Session(
        marks=(Mark("saddle", Side.LEFT, Symptom.NUMBNESS),),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )
    a = analyze(s)
    paras = paragraphs(s, a)
    assert paras[0] == urgent_paragraph(a) and paras[0].startswith("Emergency: cauda equina")
    assert "cannot pass urine" in paras[0].lower()
    assert paras[-1].startswith("Dermamap decision support")


def test_the_cautions_are_in_the_impression() -> None:
    """Copy Impression and the FHIR summary left out the caution the window shows when both
    legs are involved or the saddle hurts (the note did not say the cauda equina questions were
    prompted), and upper motor neuron signs that are not new. They follow the urgent paragraph,
    in the caution's words."""
    weak = Session().findings
    for side in (Side.LEFT, Side.RIGHT):
        weak = weak.with_strength(side, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    s = Session(findings=weak)
    paras = impression_text(s, analyze(s)).split("\n\n")
    assert paras[0].startswith("Weakness was found in both legs. Ask the cauda equina questions")
    assert paras[1].startswith("Right leg")
    # the report and the CLI, which list the warnings in a section of their own, leave it out
    assert paragraphs(s, analyze(s))[0].startswith("Right leg")
    saddle = Session(marks=(Mark("saddle", Side.LEFT, Symptom.PAIN),))
    assert impression_text(saddle, analyze(saddle)).startswith("Pain is marked in the saddle")
    one = Session(findings=weak.with_strength(Side.LEFT, Movement.ANKLE_DORSIFLEXION, None))
    assert "cauda equina" not in impression_text(one, analyze(one))
    # upper motor neuron signs that are not new: not urgent, yet a note must say them
    brisk = Session(findings=Findings().with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.BRISK))
    text = impression_text(brisk, analyze(brisk))
    assert text.startswith("Upper motor neuron signs") and "URGENT" not in text
    # the report (its warnings in a section of their own) said "no findings entered"
    assert paragraphs(brisk, analyze(brisk))[0].startswith("Nothing entered points to a root")


def test_weakness_alone_and_nothing_entered() -> None:
    assert paragraphs(Session(), analyze(Session()))[0].startswith("Nothing marked")
    f = Session().findings.with_strength(Side.LEFT, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    s = Session(findings=f)
    text = " ".join(paragraphs(s, analyze(s)))
    assert "Left leg" in text


def test_a_hypothesis_nothing_speaks_for_says_why_it_is_listed() -> None:
    """Pain from the medial knee to the malleolus: S1 is listed on its base rate alone and L5 on
    an edge of its territory and its base rate; the report's key evidence says so instead of
    leaving the cell empty."""
    zones = ("medial_knee", "medial_lower_leg", "medial_malleolus")
    a = analyze(Session(marks=tuple(Mark(z, Side.LEFT, Symptom.PAIN) for z in zones)))
    by_id = {h.id: h for h in a.for_side("left")}
    assert key_evidence(by_id["S1"]) == ["its base rate alone (relative frequency 0.17)"]
    assert key_evidence(by_id["L5"]) == [
        "medial malleolus at the edge of the root territory",
        "its base rate alone (relative frequency 0.19)",
    ]
    assert key_evidence(by_id["peripheral:saphenous"])[0].endswith("core nerve territory")


def test_key_evidence_names_this_legs_signs_not_the_condition_on_the_other_leg() -> None:
    f = (
        Findings()
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_strength(Side.LEFT, Movement.ANKLE_PLANTARFLEXION, Strength.WEAK)
    )
    s = Session(marks=(Mark("posterior_calf", Side.LEFT, Symptom.PAIN),), findings=f)
    top = analyze(s).hypotheses[0]
    assert top.id == "S1"
    ev = key_evidence(top)
    assert "Achilles reflex absent" in ev
    assert not any("other leg" in e or e == "Achilles absent" for e in ev)


def test_the_label_and_the_evidence_are_told_apart() -> None:
    """ "(less likely: dorsum of foot ...)" read as if the dorsum made it less likely."""
    s = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),))
    a = analyze(s)
    para = side_paragraph(s, a, "right")
    top = a.hypotheses[0]
    assert f"({top.label.value}; evidence: dorsum of foot in the core" in para
    assert f"({top.label.value}:" not in para


def test_new_upper_motor_neuron_signs_are_urgent_in_the_impression_and_the_report() -> None:
    """An extensor plantar response that is getting worse needs same-day assessment: the window's
    banner said so, but the impression (clipboard, FHIR summary) and the PDF report left it out,
    since they only looked at the cauda equina emergency."""

    from core.model import PlantarResponse

    f = Findings().with_plantar_response(Side.RIGHT, PlantarResponse.EXTENSOR)
    s = Session(
        marks=(Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS),),
        findings=f.with_history(progressive=True),
    )
    a = analyze(s)
    assert not a.urgent and [w.id for w in a.urgent_warnings] == ["upper_motor_neuron"]
    first = paragraphs(s, a)[0]
    assert first == urgent_paragraph(a) and first.startswith("Urgent: Upper motor neuron signs")
    html = "".join(report_html(s, a))
    assert "⚠ Urgent: upper motor neuron signs" in html and "URGENT" not in html
    assert "spinal cord or brain cause" in html
    calm = analyze(Session(marks=s.marks, findings=f))  # not new, not progressive
    assert not calm.urgent_warnings and urgent_paragraph(calm) == ""


def test_the_report_explains_cauda_equina_only_when_it_is_listed() -> None:
    """The hypotheses' caption spoke of cauda equina syndrome in every report."""

    def caption(s: Session) -> str:
        return next(h for h in report_html(s, analyze(s)) if "Probability per side" in h)

    plain = Session(marks=(Mark("dorsum_of_foot", Side.RIGHT),))
    assert "cauda equina" not in caption(plain)
    flagged = Session(marks=plain.marks, red_flags=frozenset({RedFlag.URINARY_RETENTION}))
    assert "cauda equina syndrome is an emergency to exclude" in caption(flagged)


def test_the_report_says_when_another_map_puts_another_lesion_first() -> None:
    """The panel says "Under Lee ...: S1 root (left)"; the report said nothing of it."""

    from core.analyses import OtherMapTop, analyze_all, other_map_tops

    f = (
        Findings()
        .with_strength(Side.LEFT, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
        .with_reflex(Side.LEFT, Reflex.PATELLAR, ReflexGrade.ABSENT)
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.ABSENT)
    )
    tingling = Symptom.TINGLING
    s = Session(
        marks=(
            Mark("anterior_lower_leg", Side.LEFT, tingling),
            Mark("dorsum_of_foot", Side.LEFT, tingling),
        ),
        findings=f,
    )
    analyses = analyze_all(s)
    tops = other_map_tops(analyses)
    assert OtherMapTop("lee", "left", "S1") in tops
    assert all(t.hypothesis != analyses.current.for_side(t.side)[0].id for t in tops)

    def html(other: tuple[OtherMapTop, ...]) -> str:
        return "".join(report_html(s, analyses.current, other_maps=other))

    text = html(tops)
    assert "Under other maps another lesion comes first" in text
    assert "S1 root (left leg)" in text
    assert "Under other maps" not in html(())


def test_urgent_words_keep_root_levels_and_eponyms_and_name_each_trigger_once() -> None:
    """Reduced S3 sensation read "... at S3 or S4-5 (left) and reduced saddle sensation at s3 or
    s4-5 (left)": the impression put the warning's words through the id-to-words lookup again
    (which lower-cased them) beside the id. And "achilles reflex brisk" lost its capital."""
    ces = parse_session(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [],
            "findings": {"sensation": {"left": {"S3": {"light_touch": 1, "pin_prick": 1}}}},
        }
    )
    a = analyze(ces)
    # "now", as the banner says it ("exclude cauda equina syndrome now"); "today" could be read
    # as some time today (a clinician's review of the FHIR summary)
    assert urgent_paragraph(a) == (
        "Emergency: cauda equina syndrome must be excluded now (same-day emergency "
        "assessment and MRI); triggered by: reduced saddle sensation at S3 or S4-5 (left)."
    )
    # saddle numbness ticked and marked on both sides: one fact, said once (it read three
    # times: "... marked in the saddle area (left); ... (right); numbness or tingling in the
    # saddle area"), and "because of cannot pass urine" is no sentence
    both = Session(
        marks=(Mark("saddle", Side.LEFT), Mark("saddle", Side.RIGHT)),
        red_flags=frozenset({RedFlag.SADDLE_ANAESTHESIA, RedFlag.URINARY_RETENTION}),
    )
    b = analyze(both)
    assert urgent_paragraph(b) == (
        "Emergency: cauda equina syndrome must be excluded now (same-day emergency "
        "assessment and MRI); triggered by: numbness or tingling in the saddle area (reported; "
        "marked on the left and right); cannot pass urine."
    )
    (w,) = [w for w in b.warnings if w.id == "cauda_equina"]
    assert w.triggers == (
        "Numbness or tingling in the saddle area (reported; marked on the left and right)",
        "Cannot pass urine",
    )
    assert w.text.count("saddle area") == 1
    ces_condition = next(c for c in a.conditions if c.id == "cauda_equina")
    assert ces_condition.why.startswith("Red-flag features: reduced saddle sensation at S3 or")
    umn = parse_session(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [],
            "findings": {"reflexes": {"left": {"achilles": "brisk"}}},
        }
    )
    warning = next(w for w in analyze(umn).warnings if w.id == "upper_motor_neuron")
    assert warning.text.startswith(
        "Upper motor neuron signs on the left leg (Achilles reflex brisk)"
    )


def test_the_report_lists_the_warning_signs_asked_as_one_line() -> None:
    s = Session(red_flags=frozenset({RedFlag.URINARY_RETENTION, RedFlag.URINARY_INCONTINENCE}))
    html = "".join(report_html(s, analyze(s)))
    assert "Warning signs present:</b> cannot pass urine; new loss of bladder control" in html


def test_every_listed_reference_is_cited_in_the_report() -> None:
    """A tarsal tunnel reading listed R4, R6, R8 and more under "References cited" while no
    citation in the report named them (a review of the outputs): the dermatome map's sources,
    added for the map's name, which was printed without them. They now follow its name."""
    import re

    from core import report_citations

    s = parse_session(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [{"zone": "medial_sole", "side": "left", "symptom": "numbness"}],
            "findings": {"tests": {"left": {"tinel_tarsal_tunnel": "positive"}}},
        }
    )
    a = analyze(s)
    blocks = report_html(s, a)
    body = "".join(b for b in blocks if "References cited" not in b and "class='refs'" not in b)
    cited = {i.strip() for m in re.findall(r"\[([^\]]+)\]", body) for i in m.split(",")}
    listed = set(report_citations.cited_ids(s, a))
    assert listed and listed <= cited, sorted(listed - cited)


def test_a_row_s_other_conditions_are_not_listed_as_evidence_of_their_own() -> None:
    """The patellar row for L4 holds when the femoral stretch test is negative or not done: the
    impression listed "patellar reflex reduced; femoral stretch test negative" as two pieces of
    evidence for L4 (a review of the outputs). One row is one item, its other condition in
    brackets."""
    s = parse_session(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [{"zone": "medial_lower_leg", "side": "left", "symptom": "numbness"}],
            "findings": {
                "reflexes": {"left": {"patellar": "reduced"}, "right": {"patellar": "normal"}},
                "tests": {"left": {"femoral_stretch": "negative"}},
            },
        }
    )
    l4 = next(h for h in analyze(s).hypotheses if h.id == "L4")
    evidence = key_evidence(l4)
    assert "patellar reflex reduced (femoral stretch test negative)" in evidence
    assert "femoral stretch test negative" not in evidence


def test_the_report_heads_each_urgent_warning_in_the_window_s_words() -> None:
    """A cord's signs beside the cauda equina emergency: the report's box was headed
    "URGENT — exclude cauda equina syndrome now" alone ("URGENT" the window's second level), the
    cord named only in its list (a UX review). Each urgent warning now heads it as the banner
    does, and the legs' rows say "Both legs" and the residual's words as the panel does."""
    raw = {
        "format": "dermamap-session",
        "version": 2,
        "marks": [{"zone": "dorsum_of_foot", "side": "left", "symptom": "numbness"}],
        "red_flags": ["urinary_retention"],
        "findings": {
            "reflexes": {"left": {"patellar": "brisk"}, "right": {"patellar": "brisk"}},
            "plantar_response": {"left": "extensor"},
            "history": {"progressive": True},
        },
    }
    s = parse_session(raw)
    a = analyze(s)
    assert [w.id for w in a.urgent_warnings] == ["cauda_equina", "upper_motor_neuron"]
    html = "".join(report_html(s, a))
    assert "⚠ Emergency: exclude cauda equina syndrome now<br>⚠ Urgent: upper motor neuron" in html
    assert "Both legs" in html and "Both sides" not in html
    assert "None of these (no root or nerve pattern)</i>:" in html


def test_the_report_says_which_warning_signs_the_drawing_or_exam_raised() -> None:
    """An emergency raised by saddle numbness marked on the diagram and by weakness found in
    both legs getting worse printed "Warning signs present: none ticked" below the urgent box
    (a UX review): the line now names what raised it, and a ticked sign is not said twice."""
    raw = {
        "format": "dermamap-session",
        "version": 2,
        "marks": [{"zone": "saddle", "side": "left", "symptom": "numbness"}],
        "findings": {
            "strength": {"left": {"ankle_dorsiflexion": 3}, "right": {"ankle_dorsiflexion": 3}},
            "history": {"progressive": True},
        },
    }
    s = parse_session(raw)
    html = "".join(report_html(s, analyze(s)))
    assert (
        "Warning signs present:</b> none ticked; raised from the drawing or the examination: "
        "numbness or tingling marked in the saddle area (left); weakness found in both legs, "
        "getting worse"
    ) in html
    ticked = parse_session({**raw, "red_flags": ["saddle_anaesthesia"]})
    html = "".join(report_html(ticked, analyze(ticked)))
    assert (
        "Warning signs present:</b> numbness or tingling in the saddle area; raised from the "
        "drawing or the examination: weakness found in both legs, getting worse"
    ) in html


def test_the_report_ranks_what_the_window_shows_never_a_root_alone() -> None:
    """An S1 lesion at 98 % printed "S1 root 98 %" alone: the report dropped every other
    hypothesis under 5 %, while the window listed L5 and L4 beside it (the engine lists a side's
    three most probable, so a root never stands alone)."""
    from core import report_citations
    from core.names import hypothesis_name

    R = Side.RIGHT
    f = (
        Findings()
        .with_reflex(R, Reflex.ACHILLES, ReflexGrade.ABSENT)
        .with_strength(R, Movement.ANKLE_PLANTARFLEXION, Strength.WEAK)
        .with_strength(R, Movement.GREAT_TOE_EXTENSION, Strength.NORMAL)
    )
    s = Session(marks=(Mark("lateral_border_of_foot", R, Symptom.NUMBNESS),), findings=f)
    a = analyze(s)
    right = [h for h in a.hypotheses if h.side == "right"]
    assert len(right) >= 3 and (right[0].probability or 0) > 0.9
    assert (right[1].probability or 0) < 0.05  # what the report left out
    assert report_citations.listed_hypotheses(a) == list(a.hypotheses)
    blocks = report_html(s, a)
    heading = next(i for i, b in enumerate(blocks) if "Ranked hypotheses" in b)
    table = blocks[heading + 2]  # (the heading, its caption, the table)
    for h in right:
        assert f"<b>{hypothesis_name(h.id)}</b>" in table


def test_each_sides_none_of_these_closes_that_sides_rows_in_the_report() -> None:
    """The report's table gave both legs' "None of these" after the left leg's rows, so the
    right leg's residual sat among the left's."""
    import re

    L, R = Side.LEFT, Side.RIGHT
    s = Session(
        marks=(
            Mark("posterior_calf", R, Symptom.PAIN),
            Mark("lateral_border_of_foot", L, Symptom.NUMBNESS),
        )
    )
    a = analyze(s)
    blocks = report_html(s, a)
    heading = next(i for i, b in enumerate(blocks) if "Ranked hypotheses" in b)
    rows = re.findall(r"<tr>(.*?)</tr>", blocks[heading + 2])[1:]  # (the header row first)
    sides = [re.search(r"<td[^>]*>(Right|Left)</td>", r).group(1) for r in rows]  # type: ignore[union-attr]
    residual = [i for i, r in enumerate(rows) if "None of these" in r]
    assert sides == sorted(sides, key=("Right", "Left").index)  # right's rows, then left's
    assert [sides[i] for i in residual] == ["Right", "Left"]
    for i in residual:  # each closes its side
        assert i + 1 == len(rows) or sides[i + 1] != sides[i]


def test_the_residual_is_named_alike_in_the_impression_and_the_cli() -> None:
    """The window said "None of these (no root or nerve pattern)", the CLI "not explained by a
    root or nerve" and the impression "Not explained by any listed root or nerve", which also
    wrongly suggested the share left over by the listed hypotheses."""
    from core.cli import format_text
    from core.names import RESIDUAL_WORDS

    s = Session(marks=(Mark("lateral_lower_leg", Side.LEFT, Symptom.NUMBNESS),))
    a = analyze(s)
    rest = percent(a.unexplained["left"])
    assert f"{RESIDUAL_WORDS}: {rest}." in impression_text(s, a)
    assert "listed root or nerve" not in impression_text(s, a)
    assert f"{RESIDUAL_WORDS}: {rest}" in format_text("x.json", s, a)


def test_the_report_with_upper_motor_neuron_signs_alone_has_no_empty_section() -> None:
    """New upper motor neuron signs and nothing marked: "Warnings and notes" was a heading with
    nothing under it (its one warning is urgent, in the banner), and the ranked table said
    "nothing marked that a root or nerve explains"."""
    from core.model import PlantarResponse

    f = Findings().with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
    s = Session(findings=f.with_history(progressive=True))
    html = report_html(s, analyze(s))
    heading = next(i for i, b in enumerate(html) if "Warnings and notes" in b)
    assert "<li>Warning signs: on page 1 (the urgent warning at the top).</li>" in html[heading + 1]
    assert any(
        "No hypotheses: nothing marked; the upper motor neuron signs point above the roots." in b
        for b in html
    )


def test_the_report_and_the_cli_give_the_share_of_the_hypotheses_not_listed() -> None:
    """A side's listed hypotheses and its residual left the rest unsaid (one anterior-thigh
    mark: about 14 % held by hypotheses too improbable to list)."""
    from core.cli import format_text
    from core.impression import unlisted

    s = Session(marks=(Mark("anterior_thigh", Side.RIGHT, Symptom.NUMBNESS),))
    a = analyze(s)
    others = unlisted(a, "right")
    assert others is not None and others > 0.05
    assert others + a.unexplained["right"] + sum(
        h.probability or 0 for h in a.hypotheses if h.side == "right"
    ) == pytest.approx(1.0)
    line = f"Other roots and nerves, not listed</i>: {percent(others)}"
    assert any(line in b for b in report_html(s, a))
    assert f"Other roots and nerves, not listed: {percent(others)}" in format_text("a", s, a)


def test_a_leg_no_root_or_nerve_explains_well_is_not_given_a_most_probable_lesion() -> None:
    """Found reading the published cases: "most probable lateral femoral cutaneous nerve 11%"
    beside "None of these 49%", and an area marked with two symptoms named twice ("lateral
    lower leg, lateral lower leg and dorsum of foot")."""
    cases = json.loads(
        (Path(__file__).resolve().parent / "published_cases.json").read_text(encoding="utf-8")
    )["cases"]
    s = parse_session(next(c for c in cases if c["id"] == "L5-02")["session"])  # both symptoms
    a = analyze(s)
    top = a.for_side("right")[0]
    rest = a.unexplained["right"]
    assert rest > (top.probability or 0)
    para = side_paragraph(s, a, "right")
    assert "most probable" not in para
    assert f"no root or nerve pattern fits well (none of these {percent(rest)})" in para
    for h in a.hypotheses:
        for words in key_evidence(h):
            named = words.replace(" and ", ", ").split(" in the ")[0]
            areas = [w.strip() for w in named.split(",")]
            assert len(areas) == len(set(areas)), words


def test_the_onset_reads_in_days_months_or_years() -> None:
    """The report read "Onset: 1825 days ago" (and "1 days ago")."""
    from core.exam import onset_words

    assert onset_words(1) == "1 day ago" and onset_words(10) == "10 days ago"
    assert onset_words(90) == "about 3 months ago (90 days)"
    assert onset_words(1825) == "about 5 years ago (1825 days)"
    f = Findings().with_history(onset_days=1825)
    html = " ".join(report_html(Session(findings=f), analyze(Session(findings=f))))
    assert "Onset: about 5 years ago (1825 days)" in html


def test_the_report_shows_its_cautions_on_page_one_once() -> None:
    """Weakness getting worse on one leg: the window shows the caution at the top of the panel,
    but the report kept it on page 2 under "Warnings and notes", after the ranking and the
    cards, where page 1 alone (the page that goes in the notes) never said it. It is a box on
    page 1 before the diagram, as the urgent banner is, and page 2 does not repeat it."""
    f = Findings().with_strength(Side.RIGHT, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    mark = Mark("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS)
    s = Session(marks=(mark,), findings=f.with_history(progressive=True))
    html = report_html(s, analyze(s))
    diagram = next(i for i, b in enumerate(html) if "Symptom diagram" in b)
    shown = [i for i, b in enumerate(html) if "progressive neurological deficit" in b]
    assert len(shown) == 1 and shown[0] < diagram
    heading = next(i for i, b in enumerate(html) if "Warnings and notes" in b)
    assert "Warning signs: on page 1 (the caution below the impression)." in html[heading + 1]


def test_a_condition_s_next_steps_read_as_one_sentence_in_the_report() -> None:
    """With both legs marked, the lumbar cards' steps begin with the lead step, which ends with
    a full stop: the report joined the steps with "; " and printed "...emergency referral).;
    Neurological examination..." (a UX review)."""
    drawing = ("buttock", "lateral_thigh", "lateral_lower_leg", "dorsum_of_foot")
    marks = tuple(Mark(z, s, Symptom.PAIN) for z in drawing for s in (Side.LEFT, Side.RIGHT))
    session = Session(marks=marks)
    analysis = analyze(session)
    steps = [s for c in analysis.conditions for s in c.next_steps]
    assert any(s.startswith("Before the steps below") and s.endswith(".") for s in steps)
    html = "".join(report_html(session, analysis))
    assert "Usual next steps" in html and ".;" not in html


def test_the_emergency_s_evidence_says_each_fact_once_as_the_banner() -> None:
    """Reduced saddle sensation on both sides read "... (left); ... (right)" in the ranked
    table's key evidence while the banner said "(left and right)" (a review of the outputs)."""
    s = parse_session(
        {
            "format": "dermamap-session",
            "version": 2,
            "marks": [],
            "findings": {
                "sensation": {
                    side: {"S3": {"light_touch": 1, "pin_prick": 1}} for side in ("left", "right")
                }
            },
        }
    )
    ces = next(h for h in analyze(s).hypotheses if h.id == "cauda_equina")
    assert key_evidence(ces) == ["reduced saddle sensation at S3 or S4-5 (left and right)"]


def test_the_reports_urgent_conditions_say_how_pressing_in_the_warnings_word() -> None:
    """The cauda equina condition's name said "(emergency)" itself; without it the report's
    conditions list read "Cauda equina syndrome [URGENT]" where the panel says emergency (a
    review). The tag is the warnings' word: [EMERGENCY] for cauda equina."""
    s = Session(
        marks=(Mark("dorsum_of_foot", Side.LEFT),),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )
    html = "".join(report_html(s, analyze(s)))
    assert "<b>Cauda equina syndrome</b> <b style='color:#8b0000'>[EMERGENCY]</b>:" in html
    assert "[URGENT]" not in html


def test_a_site_beside_no_local_cause_says_it_is_not_counted() -> None:
    """A review: with ``local_cause: false`` the engine ignores the site, while the exam table
    and report printed "Local cause near a nerve: no" beside "Site of the local cause: knee"."""
    from core.exam import history_items
    from core.model import Findings, LocalCauseSite

    knee = LocalCauseSite.KNEE
    denied = dict(history_items(Findings().with_history(local_cause=False, local_cause_site=knee)))
    kept = dict(history_items(Findings().with_history(local_cause=True, local_cause_site=knee)))
    site = next(k for k in denied if k.startswith("Site"))
    assert denied[site].endswith("(not counted: no local cause recorded)")
    assert "not counted" not in kept[site]
