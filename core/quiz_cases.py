"""Generated cases: root versus nerve with varied localisers, and short clinical vignettes.

A case is drawn on the diagram (marks) with exam findings and history; the right answer is what
:func:`core.engine.analyze` ranks first among the choices, and a case is only asked when that
agrees with the teaching rule it was built for (``Case.expected`` in :mod:`core.quiz_case_data`,
where the cases live). Sources: the nerve and root tables, the conditions table (next steps)
and the red flags.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from core import clinical, names, warning_names
from core.learn import known_references, target_name
from core.model import Findings, Mark, Session, Side
from core.quiz import Question
from core.quiz_case_data import ACT, COND, ROOT_OR_NERVE, VIGNETTES, Case


def _session(case: Case, side: Side, atlas: str, rng: random.Random) -> Session:
    symptom = rng.choice(case.symptoms)
    zones = (*case.zones, *(z for z in case.extra if rng.random() < 0.5))
    sides = tuple(Side) if case.both_sides else (side,)
    f = Findings()
    for s in sides:
        for m, v in case.strength.items():
            f = f.with_strength(s, m, v)
        for r, g in case.reflexes.items():
            f = f.with_reflex(s, r, g)
        for t, res in case.tests.items():
            f = f.with_test(s, t, res)
    if case.history:
        f = f.with_history(**case.history)
    marks = tuple(Mark(z, s, symptom) for s in sides for z in zones)
    return Session(marks=marks, findings=f, atlas=atlas, red_flags=case.red_flags)


def engine_answer(session: Session, side: Side, choices: Iterable[str]) -> str | None:
    """The choice the engine ranks first for ``side`` (conditions and actions too)."""
    from core.engine import analyze

    a = analyze(session, session.atlas)
    wanted = list(choices)
    if any(c.startswith(ACT) for c in wanted):
        return ACT + "cauda_equina" if a.urgent and ACT + "cauda_equina" in wanted else None
    if any(c.startswith(COND) for c in wanted):
        for c in a.conditions:
            if COND + c.id in wanted:
                return COND + c.id
        return None
    for h in a.for_side(side.value):
        if h.id in wanted:
            return h.id
    return None


def _label(choice: str) -> str:
    conditions = {c["id"]: c for c in _conditions()}
    if choice.startswith(ACT):
        steps = conditions[choice.removeprefix(ACT)]["next_steps"]
        if choice == ACT + "cauda_equina":  # the first two steps: assessment and MRI
            return f"{steps[0].rstrip('.')}. {steps[1]}"
        return str(steps[1] if choice == ACT + "disc_herniation" else steps[0])
    if choice.startswith(COND):
        return str(conditions[choice.removeprefix(COND)]["name"])
    if choice in clinical.ROOT_IDS:  # as the first line asks it: "S1 root or sural nerve?"
        return f"{choice} root"
    return target_name(choice)


def _engine_says(answer: str) -> str:
    if answer.startswith(ACT):
        return " The clinical engine puts cauda equina first, as an emergency to exclude now."
    if answer.startswith(COND):
        return f" The clinical engine lists {_label(answer).lower()} first here."
    return f" The clinical engine ranks {names.the_hypothesis(answer)} first here."


def _conditions() -> list[dict[str, Any]]:
    from core.assets import load_json

    return list(load_json("clinical/conditions.json")["conditions"])


def _sources(case: Case, answer: str) -> tuple[str, ...]:
    ids: list[str] = []
    for c in (*case.choices, answer):
        if c in clinical.ROOT_IDS:
            ids.extend(clinical.roots()[c].sources[:3])
        elif names.is_nerve(c) and names.nerve_id(c) in clinical.nerves():
            ids.extend(clinical.nerves()[names.nerve_id(c)].sources[:3])
    for cond in _conditions():
        if answer in (ACT + cond["id"], COND + cond["id"]):
            ids.extend(cond["sources"])
    if case.red_flags:
        ids.extend(s for f in clinical.red_flags().values() for s in f.sources)
    return known_references(ids)


def describe_case(session: Session) -> str:
    """Plain-language summary of a generated case (marks, red flags, exam, history)."""
    lines: list[str] = []
    by_side: dict[Side, list[Mark]] = {}
    for m in session.marks:
        by_side.setdefault(m.side, []).append(m)
    both = len(by_side) == 2 and {m.zone for m in by_side[Side.LEFT]} == {
        m.zone for m in by_side[Side.RIGHT]
    }
    for side, marks in sorted(by_side.items()):
        where = "both legs" if both else f"the {side.value} leg"
        by_symptom: dict[str, list[str]] = {}  # each symptom named with its own areas
        for m in marks:
            by_symptom.setdefault(m.symptom.display, []).append(names.area_name(m.zone).lower())
        for sym, where_felt in by_symptom.items():
            lines.append(f"{sym} in {where}: " + ", ".join(where_felt))
        if both:
            break
    for flag in sorted(session.red_flags):
        lines.append(f"Red flag: {warning_names.red_flag_name(flag.value)}")
    f = session.findings
    for side in Side:
        parts = [
            names.finding_text(f"strength:{m.value}", v.value)
            for m, v in f.strength.get(side, {}).items()
        ]
        parts += [
            names.finding_text(f"reflex:{r.value}", g.value)
            for r, g in f.reflexes.get(side, {}).items()
        ]
        parts += [
            names.finding_text(f"test:{t.value}", r.value) for t, r in f.tests.get(side, {}).items()
        ]
        if parts:
            lines.append(f"{side.display} exam: " + "; ".join(map(names.lower_first, parts)))
    h = f.history
    hist = [
        names.finding_text(f"history:{k}", getattr(h, k))
        for k in ("back_pain", "neurogenic_claudication", "diabetes", "local_cause")
        if getattr(h, k) is not None
    ]
    if hist:
        lines.append("History: " + "; ".join(map(names.lower_first, hist)))
    return "\n".join(lines)


def make_case(case: Case, atlas: str, rng: random.Random) -> Question | None:
    """A question from ``case``; None if the engine does not rank the expected answer first."""
    side = rng.choice(tuple(Side))
    session = _session(case, side, atlas, rng)
    answer = engine_answer(session, side, case.choices)
    if answer != case.expected:
        return None
    choices = list(case.choices)
    if case.kind == "vignette":
        rng.shuffle(choices)
    return Question(
        kind=case.kind,
        topic="root_or_nerve" if case.kind == "root_or_nerve" else "vignettes",
        prompt=case.title(session.marks[0].symptom) + "\n" + describe_case(session),
        target=answer,
        atlas=atlas,
        choices=tuple(choices),
        labels=tuple(_label(c) for c in choices),
        session=session,
        side=side,
        sources=_sources(case, answer),
        reason=case.why + _engine_says(answer),
    )


def root_or_nerve(atlas: str, rng: random.Random) -> Question | None:
    return make_case(rng.choice(ROOT_OR_NERVE), atlas, rng)


def vignette(atlas: str, rng: random.Random) -> Question | None:
    return make_case(rng.choice(VIGNETTES), atlas, rng)
