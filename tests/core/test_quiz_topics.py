"""Quiz breadth (issue 18): every topic generated from the data, answers that follow from it,
the same seed giving the same quiz, topic filters and spaced-repetition weights."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from core import clinical, names, quiz, quiz_cases, quiz_facts
from core.assets import load_json
from core.model import Symptom
from core.quiz_case_data import ROOT_OR_NERVE, VIGNETTES
from core.quiz_generation import make_quiz, topic_order


@pytest.mark.parametrize("topic", list(quiz.TOPICS))
def test_each_topic_alone_gives_a_full_quiz_with_sources(topic: str) -> None:
    qs = make_quiz(7, 8, topics=[topic])
    assert len(qs) == 8
    refs = clinical.references()
    for q in qs:
        assert q.topic == topic
        fb = (
            quiz.score_marking(q, {})
            if q.kind == "mark_territory"
            else quiz.score_choice(q, q.target)
        )
        assert fb.sources and all(s in refs for s in fb.sources)
        if q.kind != "mark_territory":
            assert fb.correct and q.target in q.choices and len(set(q.choices)) == len(q.choices)


def _movement(m: str) -> str:
    """A movement as the question names it (the names registry, as the exam form does)."""
    return names.lower_first(names.finding_name(f"strength:{m}"))


def test_myotome_question_has_one_right_answer_by_the_tables() -> None:
    moves = {
        m: v["roots"]
        for m, v in load_json("clinical/evidence.json")["myotomes"]["movements"].items()
    }
    roots = clinical.roots()
    texts = []
    for seed in range(40):
        q = quiz_facts.myotome("consensus", random.Random(seed))
        if q is None or not q.prompt.startswith("Which root: weak"):
            continue
        texts.append(q.prompt)
        move = next(m for m in moves if f"weak {_movement(m)} and" in q.prompt)
        assert q.target in moves[move]
        for other in q.choices:
            if other != q.target and other in moves[move]:
                # the reflex in the prompt rules each other supplying root out
                assert roots[other].reflex != roots[q.target].reflex
    assert texts  # (the great-toe / ankle-jerk form itself: the next test)


def test_great_toe_and_normal_ankle_jerk_is_l5() -> None:
    found = [
        q
        for seed in range(200)
        if (q := quiz_facts.myotome("consensus", random.Random(seed))) is not None
        and "great-toe extension and a normal ankle jerk" in q.prompt
    ]
    assert found and all(q.target == "L5" for q in found)


def test_map_question_answer_is_the_only_map_that_says_so() -> None:
    """The question names the grade the one map gives: "puts the posterior calf in L5" was
    asked of a map where L5 is only occasional there, its core being S1."""
    a = clinical.atlases()
    grades = set()
    for seed in range(60):
        q = quiz_facts.map_disagreement("consensus", random.Random(seed))
        assert q is not None and set(q.choices) == set(clinical.PUBLISHED_ATLASES)
        area = q.reveal[0][0].split(".")[0]
        said = re.search(r"as (core|shared|occasional) ([LS]\d) territory\?$", q.prompt)
        if said is None:
            assert "without a root" in q.prompt, q.prompt
            continue
        grade, root = said.groups()
        saying = [x for x in q.choices if a[x].grade(area, root) is not None]
        assert saying == [q.target] and a[q.target].grade(area, root) == grade, q.prompt
        grades.add(grade)
    assert "occasional" in grades and len(grades) >= 2


def test_every_case_is_confirmed_by_the_engine() -> None:
    for case in (*ROOT_OR_NERVE, *VIGNETTES):
        q = quiz_cases.make_case(case, "consensus", random.Random(1))
        assert q is not None, case.id
        assert q.target == case.expected and q.reason and q.sources


def test_the_engine_line_names_the_answer_inside_its_sentence() -> None:
    """The feedback read "The clinical engine ranks Lateral femoral cutaneous nerve (meralgia
    paresthetica) first here": a capital mid-sentence and no article."""
    for case in (*ROOT_OR_NERVE, *VIGNETTES):
        q = quiz_cases.make_case(case, "consensus", random.Random(1))
        assert q is not None
        if "The clinical engine ranks " in q.reason:
            said = q.reason.split("The clinical engine ranks ", 1)[1]
            assert said.startswith(f"{names.the_hypothesis(q.target)} first here."), said
            assert said.startswith("the "), said


def test_a_case_names_the_symptom_it_draws() -> None:
    """The first line says numb, tingling or painful as the marks do, never another symptom
    (a "Numb sole" over tingling marks read as a contradiction)."""
    words = {Symptom.NUMBNESS: "numb", Symptom.TINGLING: "tingl", Symptom.PAIN: "pain"}
    for case in (*ROOT_OR_NERVE, *VIGNETTES):
        drawn = set()
        for seed in range(40):
            q = quiz_cases.make_case(case, "consensus", random.Random(seed))
            if q is None or q.session is None:
                continue
            symptom = q.session.marks[0].symptom
            drawn.add(symptom)
            first = q.prompt.split("\n")[0].lower().replace("back pain", "")
            assert words[symptom] in first, (case.id, first)
            others = [w for s, w in words.items() if s is not symptom and w in first]
            assert not others, (case.id, symptom, first)
        assert drawn and drawn <= set(case.symptoms), case.id


def test_cauda_equina_vignette_asks_what_to_do_now() -> None:
    case = next(c for c in VIGNETTES if c.id == "v_cauda")
    q = quiz_cases.make_case(case, "consensus", random.Random(2))
    assert q is not None and q.target == "act:cauda_equina"
    assert "emergency" in q.label(q.target).lower()
    assert "Red flag" in q.prompt


def test_topic_filter_and_weights() -> None:
    assert {q.topic for q in make_quiz(3, 9, topics=["maps", "myotomes"])} == {"maps", "myotomes"}
    order = topic_order(60, list(quiz.TOPICS), {"maps": 4.0}, random.Random(1))
    assert order[0] == "maps"
    counts = Counter(order)
    assert counts["maps"] > max(v for k, v in counts.items() if k != "maps")


def test_no_question_twice_in_a_quiz() -> None:
    qs = make_quiz(11, 20)
    keys = [(q.kind, q.target, q.prompt.split("\n")[0]) for q in qs]
    assert len(keys) == len(set(keys))


def test_no_fact_asked_twice_while_the_topic_has_others() -> None:
    """A key point asked from its root, then its root asked from the key point, gives the
    second answer away: one explanation is one fact, asked once while others are left."""
    repeated = 0
    for seed in range(60):
        qs = make_quiz(seed, 10)
        facts = Counter((q.topic, q.reason) for q in qs if q.reason)
        repeated += max(facts.values()) > 1
    assert repeated == 0
    # a topic alone (6 key points, L2 to S2: the ones the app shows): each fact once, then a
    # second round of each
    for seed in (5, 6):
        reasons = [q.reason for q in make_quiz(seed, 12, topics=["key_points"])]
        assert len(reasons) == 12
        assert len(set(reasons[:6])) == 6 and len(set(reasons[6:])) == 6


def test_a_case_lists_its_findings_as_one_line_each() -> None:
    """After "Right exam:" and "History:" the findings run on lower-cased ("hip flexion
    normal; knee extension normal"), names keeping their capitals (Tinel's sign)."""
    seen_lines = 0
    for case in (*ROOT_OR_NERVE, *VIGNETTES):
        q = quiz_cases.make_case(case, "consensus", random.Random(1))
        if q is None:
            continue
        for line in q.prompt.splitlines():
            head, _, rest = line.partition(": ")
            if head.endswith(" exam") or head == "History":
                seen_lines += 1
                for item in rest.split("; "):
                    assert item == names.lower_first(item), (case.id, line)
    assert seen_lines > 5


def test_a_reflex_is_never_given_two_different_roots() -> None:
    """One answer said "the knee jerk is the L3 reflex", the next "the L4 reflex": a reflex
    that two roots carry is named with both."""
    owner: dict[str, set[str]] = {}
    for seed in range(300):
        q = quiz_facts.myotome("consensus", random.Random(seed))
        if q is None:
            continue
        said = re.search(r"The (.+?) is the ([LS]\d) reflex", q.reason)
        if said:
            owner.setdefault(said.group(1), set()).add(said.group(2))
        if "knee jerk" in q.prompt and "reduced" in q.prompt:
            assert "carried by L3 and L4" in q.reason, q.reason
    assert owner and all(len(roots) == 1 for roots in owner.values()), owner


def test_plural_areas_take_a_plural_verb() -> None:
    """ "The middle toes is core L5 territory" (the answer to a question, and its feedback)."""
    from core import quiz_generation
    from core.quiz import score_choice

    found = 0
    for seed in range(400):
        q = quiz_facts.which_area("consensus", random.Random(seed))
        if q is not None and "toes" in q.reason.split(" core ")[0]:
            assert " toes are core " in q.reason, q.reason
            found += 1
    assert found
    assert names.is_or_are("lateral sole") == "is" and names.is_or_are("plantar toes") == "are"
    q = quiz_generation._which_question("middle_toes", "L5", "consensus", random.Random(1))
    assert "The middle toes are core L5 territory" in score_choice(q, "L5").reason


def test_muscle_and_reflex_answers_shade_no_skin_and_skin_answers_do() -> None:
    """UX review: "Which root does this ISNCSCI key muscle test? Knee extensors" shaded the
    anterior knee skin (L3's dermatome) as its answer, and so did the reflex questions: a
    myotome taught as a dermatome. A question about muscles or reflexes shades nothing, right
    or wrong answer; questions about skin areas still shade theirs. The kind decides, not the
    wording: a muscle question reworded as a skin one still shades nothing, and the reverse."""
    from dataclasses import replace

    muscle = [q for seed in range(30) for q in make_quiz(seed, 6, topics=["myotomes"])]
    assert {q.kind for q in muscle} == {"myotome"}
    assert any("key muscle" in q.prompt for q in muscle)  # both forms were asked
    assert any("reflex" in q.prompt for q in muscle)
    for q in muscle:
        for answer in q.choices:
            assert quiz.score_choice(q, answer).answer_zones == {}, q.prompt
        reworded = replace(q, prompt="Which root's dermatome holds the front of the knee?")
        assert quiz.score_choice(reworded, q.target).answer_zones == {}
    skin = [
        q
        for seed in range(10)
        for q in make_quiz(seed, 8, topics=["dermatomes", "key_points", "maps"])
    ]
    assert {q.kind for q in skin} >= {"mark_territory", "which_root", "which_area", "key_point"}
    for q in skin:
        if q.kind == "mark_territory":
            assert quiz.score_marking(q, {}).answer_zones, q.prompt
            continue
        wrong = next(c for c in q.choices if c != q.target)
        for answer in (q.target, wrong):
            assert quiz.score_choice(q, answer).answer_zones, q.prompt
        reworded = replace(q, prompt="Which root does this ISNCSCI key muscle test?")
        assert quiz.score_choice(reworded, q.target).answer_zones
