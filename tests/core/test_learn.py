"""Student modes (core.learn, core.quiz, core.quiz_generation): territories, atlas comparison,
quiz generation and scoring."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from core import clinical, learn, quiz, quiz_generation
from core.model import Side
from core.results import Analysis, Hypothesis, Label
from core.zones import area_of, areas

ATLASES = ("consensus", "keegan_garrett", "foerster", "lee")


def _drawn_zones() -> set[tuple[str, Side]]:
    """Every (zone id, side) the diagram draws, straight from core.geometry.

    Without the diagram asset (early in development) the zones are the canonical areas.
    """
    from core.geometry import load_diagram

    try:
        return {(z.id, z.side) for z in load_diagram().zones()}
    except FileNotFoundError:
        return {(a, s) for a in areas() for s in Side}


def _expected(root: str, atlas: str, minimum: float) -> dict[tuple[str, Side], float]:
    a = clinical.atlases()[atlas]
    out = {}
    for zone, side in _drawn_zones():
        w = a.weights[area_of(zone)].get(root, 0.0)
        if w > 0 and w >= minimum:
            out[(zone, side)] = w
    return out


@pytest.mark.parametrize("atlas", ATLASES)
@pytest.mark.parametrize("root", ["L4", "L5", "S1"])
@pytest.mark.parametrize("minimum", [1.0, 0.75, 0.5])
def test_territory_zones_match_atlas_on_every_view_and_side(
    root: str, atlas: str, minimum: float
) -> None:
    got = learn.territory_zones(root, atlas, minimum)
    assert got == _expected(root, atlas, minimum)
    assert got, f"{root} has no territory >= {minimum} on {atlas}"
    # both sides, identical zone sets
    left = {z for z, s in got if s is Side.LEFT}
    right = {z for z, s in got if s is Side.RIGHT}
    assert left == right and left


def test_territory_covers_finer_zones_and_all_views() -> None:
    from core.geometry import load_diagram

    diagram = load_diagram()
    got = learn.territory_zones("L5", "consensus", 1.0)
    views = {z.view for z in diagram.zones() if (z.id, z.side) in got}
    assert len(views) >= 3  # leg and foot views
    fine = [z for z in diagram.zones() if "." in z.id and area_of(z.id) == "dorsum_of_foot"]
    for z in fine:
        assert got[(z.id, z.side)] == 1.0


def test_default_threshold_is_overlap_and_excludes_occasional() -> None:
    got = learn.territory_zones("L5", "consensus")
    weights = set(got.values())
    assert weights <= {0.5, 0.75, 1.0} and 0.5 in weights
    assert not any(area_of(z) == "buttock" for z, _ in got)  # L5 buttock is 0.25


def test_nerve_territory_and_unknown_targets() -> None:
    got = learn.territory_zones("peripheral:sural", "consensus", 1.0)
    # the lower posterolateral calf (a finer zone), not the whole calf; not the sole's edge
    assert {z for z, _ in got} == {
        "lateral_malleolus",
        "lateral_border_of_foot",
        "posterior_calf.lateral",
    }
    with pytest.raises(KeyError):
        learn.territory_zones("L9", "consensus")
    with pytest.raises(KeyError):
        learn.territory_zones("peripheral:nope", "consensus")
    with pytest.raises(KeyError):
        learn.territory_zones("L5", "no_such_atlas")


def test_zone_supply_per_atlas_and_nerves() -> None:
    sup = learn.zone_supply("great_toe")
    assert set(sup) == set(ATLASES)
    assert sup["keegan_garrett"] == (("L4", 0.5), ("L5", 0.5))
    assert sup["foerster"] == sup["lee"] == (("L5", 1.0),)
    nerves = dict(learn.zone_nerves("great_toe"))
    assert nerves["superficial_peroneal"] == 0.5 and "sural" not in nerves
    # a branch before the nerve it leaves when both supply the zone alike
    web = [nid for nid, _w in learn.zone_nerves("first_web_space")]
    assert web.index("deep_peroneal") < web.index("common_peroneal")


def test_compare_atlases_explains_and_sources() -> None:
    diffs = learn.compare_atlases("consensus", "keegan_garrett")
    cells = {(d.area, d.root) for d in diffs}
    assert ("medial_border_of_foot", "L4") in cells and ("great_toe", "L5") in cells
    refs = clinical.references()
    for d in diffs:
        assert d.sources and all(s in refs for s in d.sources)
        assert d.root in d.explanation and d.zones
    strength = learn.disagreement_zones("consensus", "lee")
    toe = [v for (z, _s), v in strength.items() if area_of(z) == "great_toe"]
    assert toe and all(v == pytest.approx(0.5) for v in toe)
    assert not any(area_of(z) == "lateral_heel" for z, _ in strength)


# --------------------------------------------------------------------------- scoring


def _mark_q(root: str, atlas: str = "consensus") -> quiz.Question:
    q = quiz_generation._mark_question(root, atlas)
    assert q.kind == "mark_territory" and q.target == root
    return q


def _marks(zones: dict[tuple[str, Side], float], side: Side) -> dict[tuple[str, Side], float]:
    return {k: 1.0 for k in zones if k[1] is side}


@pytest.mark.parametrize("atlas", ATLASES)
def test_perfect_l5_marking_scores_100(atlas: str) -> None:
    q = _mark_q("L5", atlas)
    fb = quiz.score_marking(q, _marks(learn.territory_zones("L5", atlas, 1.0), Side.LEFT))
    assert fb.correct and fb.score == 1.0
    # shared/overlap areas are optional: adding them does not cost anything
    fb2 = quiz.score_marking(q, _marks(learn.territory_zones("L5", atlas, 0.5), Side.RIGHT))
    assert fb2.score == 1.0
    assert all(side is Side.RIGHT for _z, side in fb2.answer_zones)


def test_marking_s1_for_l5_scores_low() -> None:
    fb = quiz.score_marking(
        _mark_q("L5"), _marks(learn.territory_zones("S1", "consensus", 1.0), Side.LEFT)
    )
    assert not fb.correct and fb.score < 0.3
    assert "little toe" in fb.reason


def test_partial_marking_scores_in_between_and_names_missing_areas() -> None:
    core = learn.territory_zones("L5", "consensus", 1.0)
    some = {k: 1.0 for k in core if k[1] is Side.LEFT and area_of(k[0]) != "lateral_lower_leg"}
    fb = quiz.score_marking(_mark_q("L5"), some)
    assert 0.5 < fb.score < 1.0
    assert "lateral lower leg" in fb.reason
    assert quiz.score_marking(_mark_q("L5"), {}).score == 0.0


def test_marking_forgives_slivers_and_weighs_areas_by_surface() -> None:
    """Issue 18: full marks without the tiny first-web-space sliver; a big area counts more."""
    core = learn.territory_zones("L5", "consensus", 1.0)
    left = [k for k in core if k[1] is Side.LEFT]
    no_sliver = {k: 1.0 for k in left if area_of(k[0]) != "first_web_space"}
    assert quiz.score_marking(_mark_q("L5"), no_sliver).score == 1.0
    no_toe = {k: 1.0 for k in left if area_of(k[0]) != "great_toe"}
    no_dorsum = {k: 1.0 for k in left if area_of(k[0]) != "dorsum_of_foot"}
    q = _mark_q("L5")
    assert quiz.score_marking(q, no_dorsum).score < quiz.score_marking(q, no_toe).score < 1.0


def test_brush_coverage_counts_by_fraction() -> None:
    core = learn.territory_zones("L5", "consensus", 1.0)
    half = {k: 0.5 for k in core if k[1] is Side.LEFT}
    full = {k: 1.0 for k in core if k[1] is Side.LEFT}
    q = _mark_q("L5")
    assert quiz.score_marking(q, half).score < quiz.score_marking(q, full).score


def test_which_root_choice_feedback() -> None:
    qs = [q for s in range(5) for q in quiz_generation.make_quiz(s, 9) if q.kind == "which_root"]
    assert qs
    for q in qs:
        assert q.target in q.choices and len(set(q.choices)) == len(q.choices) >= 3
        area = area_of(q.zones[0][0])
        row = clinical.atlases()[q.atlas].weights[area]
        assert row[q.target] == 1.0
        assert all(w < 0.75 for r, w in row.items() if r != q.target)
        good = quiz.score_choice(q, q.target)
        wrong = next(c for c in q.choices if c != q.target)
        bad = quiz.score_choice(q, wrong)
        assert good.correct and good.score == 1.0
        assert not bad.correct and bad.score == 0.0 and q.target in bad.reason
        assert bad.answer_zones and all(s is q.side for _z, s in bad.answer_zones)


# --------------------------------------------------------------------------- quiz generation


def test_same_seed_same_quiz_different_seed_differs() -> None:
    a = quiz_generation.make_quiz(42)
    assert a == quiz_generation.make_quiz(42)
    assert len(a) == 10
    assert a != quiz_generation.make_quiz(43)
    assert {q.topic for q in a} == set(quiz.TOPICS)  # ten questions cover every topic


def test_mark_questions_come_from_atlas_territories() -> None:
    for seed in range(6):
        for q in quiz_generation.make_quiz(seed, 12, "keegan_garrett"):
            if q.kind == "mark_territory":
                assert clinical.atlases()[q.atlas].territory(q.target, 1.0)
                assert "either side" in q.prompt
                assert q.target not in ("S3", "S4", "S5")  # share one core area: ambiguous


def test_every_feedback_has_resolvable_sources() -> None:
    refs = clinical.references()
    for seed in range(4):
        for q in quiz_generation.make_quiz(seed, 9):
            if q.kind == "mark_territory":
                fb = quiz.score_marking(q, {})
            else:
                fb = quiz.score_choice(q, q.choices[0])
            assert fb.sources, q
            assert all(s in refs for s in fb.sources), (q.kind, fb.sources)


def test_root_or_nerve_answer_is_what_the_engine_says(monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer comes from the engine, whatever it is (here a stub that always says nerve)."""
    import core.engine

    def fake(session, atlas=None):  # type: ignore[no-untyped-def]
        side = session.marks[0].side.value
        hyps = (
            Hypothesis("peripheral:common_peroneal", side, 0.8, Label.POSSIBLE, (), ("R52",)),
            Hypothesis("L5", side, 0.6, Label.POSSIBLE, (), ("R13",)),
        )
        return Analysis(urgent=False, hypotheses=hyps, atlas=atlas or session.atlas)

    monkeypatch.setattr(core.engine, "analyze", fake)
    qs = [q for q in quiz_generation.make_quiz(3, 12) if q.kind == "root_or_nerve"]
    assert qs
    for q in qs:
        assert q.target == "peripheral:common_peroneal"
        assert q.choices == ("L5", "peripheral:common_peroneal")
        assert q.session is not None and q.session.marks
        fb = quiz.score_choice(q, "peripheral:common_peroneal")
        assert fb.correct and "R52" in fb.sources


# --------------------------------------------------------------------------- quiz session


def test_quiz_session_tracks_score_and_missed() -> None:
    qs = quiz_generation.QuizSession.start(7, 4)
    assert qs.current is not None and not qs.finished
    for i in range(4):
        q = qs.current
        assert q is not None
        if q.kind == "mark_territory":
            ok = {k: 1.0 for k in learn.territory_zones(q.target, q.atlas, 1.0)}
            fb = quiz.score_marking(q, ok if i % 2 == 0 else {})
        else:
            fb = quiz.score_choice(q, q.target if i % 2 == 0 else "nope")
        qs = qs.record(fb)
        assert qs.record(replace(fb, correct=not fb.correct)) == qs  # first answer sticks
        qs = qs.advance()
    assert qs.finished and qs.current is None
    assert qs.answered == 4 and qs.correct_count == 2
    assert qs.percent == pytest.approx(50.0)
    assert [q for q, _fb in qs.missed] == [qs.questions[1], qs.questions[3]]


def test_root_or_nerve_items_match_the_real_engine_and_the_exam_rule() -> None:
    """Answers are what core.engine ranks first, and what the case was written to teach."""
    from core.quiz_case_data import ROOT_OR_NERVE, VIGNETTES

    expected: dict[str, set[str]] = {}
    for c in (*ROOT_OR_NERVE, *VIGNETTES):
        for symptom in c.symptoms:
            expected.setdefault(c.title(symptom), set()).add(c.expected)
    seen: set[str] = set()
    for seed in range(12):
        for q in quiz_generation.make_quiz(seed, 12, topics=("root_or_nerve", "vignettes")):
            assert q.session is not None and q.side is not None
            assert quiz_generation.engine_choice(q.session, q.side, q.choices) == q.target
            assert q.target in expected[q.prompt.split("\n")[0]]
            seen.add(q.target)
            fb = quiz.score_choice(q, q.target)
            assert fb.correct and fb.sources and fb.reason
    assert {"L5", "peripheral:common_peroneal", "peripheral:tibial", "S1"} <= seen, seen


def test_a_wrong_answer_is_judged_on_the_leg_it_was_drawn_on() -> None:
    """Marks scoring nothing on the leg they were drawn on (the right dorsum of the foot for
    S1): the feedback judged the other, empty leg, shaded the answer there and never named the
    wrong marks; and "1 of 5 core S1 areas found" counted the little toe, a sliver not asked
    for, with nothing found."""
    q = _mark_q("S1")
    dorsum = {k: 1.0 for k in learn.zones_of_area("dorsum_of_foot") if k[1] is Side.RIGHT}
    fb = quiz.score_marking(q, dorsum)
    assert fb.score == 0.0 and fb.answer.endswith("on the right leg")
    assert "Outside S1: dorsum of foot." in fb.reason
    assert {side for _z, side in fb.answer_zones} == {Side.RIGHT}
    assert fb.reason.startswith("0 of ")


def test_the_quiz_asks_only_what_the_app_shows_and_names_it_as_the_app_does() -> None:
    """Found reading generated quizzes: L1's key point was asked though no overlay or exam
    row shows it; "(also L4 overlap)" where the map grades the great toe "shared"; a myotome
    answer ("ankle eversion is supplied by L5, S1") that the S1 card did not list; case lines
    "Both legs numbness:", "Tingling front of the thigh."; the choice "polyneuropathy" (an id)
    among capitalised names; a tingling case explained as "symmetric numbness"."""
    from core import quiz_facts
    from core.geometry import load_diagram
    from core.quiz_generation import make_quiz

    shown = {k.root for k in load_diagram().key_points}
    assert "L1" not in quiz_facts._key_point_roots()
    assert set(quiz_facts._key_point_roots()) <= shown
    for movement, roots in learn.myotome_roots().items():
        for root in roots:
            main, also = learn.root_movements(root)
            assert movement in main + also, (root, movement)
    assert learn.weight_word(0.5) == "shared"
    prompts, labels, reasons = [], [], []
    for seed in range(60):
        for q in make_quiz(seed, 10, "consensus", ["vignettes", "root_or_nerve", "dermatomes"]):
            if q.kind == "mark_territory":
                continue
            prompts.append(q.prompt)
            labels.extend(q.label(c) for c in q.choices)
            reasons.append(quiz.score_choice(q, q.target).reason)
    text = "\n".join(prompts)
    assert "legs numbness" not in text and "legs tingling" not in text
    assert not re.search(r"^(Numb|Tingling|Painful) (front|top|sole|outer|inner)", text, re.M)
    assert "polyneuropathy" not in labels and "Polyneuropathy" in labels
    assert not any("overlap)" in r for r in reasons)
    for q_prompt, reason in zip(prompts, reasons, strict=True):
        if "tingling in both feet" in q_prompt:
            assert "numbness" not in reason.lower()


def test_marking_feedback_names_the_small_core_areas_it_does_not_require() -> None:
    """All of S1's core but the little toe scored full marks with "Every core S1 area is
    marked", though the little toe is core S1 (too small on the diagram to ask for): the
    feedback says so and names it."""
    core = learn.territory_zones("S1", "consensus", 1.0)
    marks = {k: 1.0 for k in core if k[1] is Side.LEFT and area_of(k[0]) != "little_toe"}
    fb = quiz.score_marking(_mark_q("S1"), marks)
    assert fb.score == 1.0
    assert "Every core S1 area is marked" not in fb.reason
    assert "too small to require: little toe" in fb.reason


def test_lees_highly_variable_areas_are_never_called_outside_a_root() -> None:
    """Lee, McPhee and Stringer mark some areas highly variable (no claim). A "which area is
    core S2" question offered the medial sole as lying outside S2, and marking L5 with the
    medial border of the foot read "Outside L5: medial border of foot"."""
    from core.quiz_facts import which_area

    variable = clinical.atlases()["lee"].variable
    assert {"medial_sole", "medial_border_of_foot"} <= variable
    for seed in range(200):
        q = which_area("lee", random.Random(seed))
        if q is not None:
            assert not set(q.choices) & variable, (seed, q.choices)
    core = learn.territory_zones("L5", "lee", 1.0)
    marks = {k: 1.0 for k in core if k[1] is Side.LEFT}
    marks |= {k: 1.0 for k in learn.zones_of_area("medial_border_of_foot") if k[1] is Side.LEFT}
    fb = quiz.score_marking(_mark_q("L5", "lee"), marks)
    assert fb.score == 1.0 and "Outside" not in fb.reason


def test_a_case_stem_does_not_name_the_answer() -> None:
    """ "S1 root or tibial nerve (tarsal tunnel)?" came only with the tibial-nerve case: the
    parenthesis named the nerve's entrapment site and gave the answer away. The entrapment
    sites belong in the exam lines (Tinel's sign), never in a root-or-nerve question's stem."""
    from core.quiz_case_data import ROOT_OR_NERVE

    sites = ("tarsal tunnel", "fibular head", "inguinal", "tinel", "entrapment", "fascia")
    for case in ROOT_OR_NERVE:
        assert not [w for w in sites if w in case.head.lower()], (case.id, case.head)
