"""Warnings (cauda equina, upper motor neuron) and notes, structured: ids and parameters, with
the words from :mod:`core.names`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from core import warning_names
from core.engine.evidence import evidence
from core.engine.facts import acute_poly_days, umn_signs, weak_both_legs
from core.model import (
    RED_FLAGS,
    SIDES,
    Clonus,
    Findings,
    PlantarResponse,
    RedFlag,
    ReflexGrade,
    Side,
    Strength,
    Symptom,
    sensation_reduced,
)
from core.model import Session as _Session
from core.results import Note, Warning

CES_SOURCES = ("R41", "R43", "R44", "R47", "R48", "R49")  # reference-list order
CES_QUESTION_SOURCES = ("R47", "R48", "R49")
UMN_SOURCES = ("R90", "R91")
PROGRESSIVE_DEFICIT_SOURCES = ("R97",)  # imaging for severe or progressive deficits
SEVERE_DEFICIT_SOURCES = ("R97", "R101", "R67")  # severe deficits; foot drop; its prognosis
GBS_SOURCES = ("R102",)
SERIOUS_CAUSES = (
    ("cancer", "spinal_metastasis", ("R47", "R111"), False),  # red flags; NICE NG234
    ("fever", "spinal_infection", ("R47", "R112", "R113"), True),  # epidural abscess reviews
)
"""History red flags of a serious spinal cause: the item, the warning it raises, its sources,
and whether back pain alone makes it urgent (an abscess's first symptom, R113)."""
LEAD_WHEN_URGENT = ("upper_motor_neuron", "spinal_metastasis", "spinal_infection")
"""Warnings whose step comes before the conditions' own steps only when they are urgent."""

WEAKNESS_BOTH_LEGS = "exam_weakness_both_legs_progressive"
"""Trigger: weakness found on both legs with a progressive history (the red flag, from the exam)."""
CES_PROMPTS = (
    "cauda_equina_saddle_pain",
    "cauda_equina_questions",
    "cauda_equina_recent_bilateral",
)
"""The prompts to ask the cauda equina questions (not the emergency; at most one is given)."""
SADDLE = "saddle"
SADDLE_POINTS = ("S3", "S4_5")
SENSORY = (Symptom.NUMBNESS, Symptom.TINGLING)


def ces_triggers(session: _Session, saddle: Mapping[Side, set[Symptom]]) -> list[str]:
    """Trigger ids of the cauda equina emergency: saddle numbness or tingling
    (``saddle_marks:<side>``) and every ticked red flag (spec order). Saddle pain alone is not a
    trigger (it prompts the questions instead)."""
    out = [f"saddle_marks:{s.value}" for s in SIDES if saddle.get(s, set()) & set(SENSORY)]
    sensation = session.findings.sensation
    out.extend(
        f"saddle_sensation:{s.value}"
        for s in SIDES
        if any(sensation_reduced(v) for p, v in sensation.get(s, {}).items() if p in SADDLE_POINTS)
    )
    out.extend(flag.value for flag in RED_FLAGS if flag in session.red_flags)
    f = session.findings
    if (
        RedFlag.BILATERAL_PROGRESSIVE_WEAKNESS not in session.red_flags
        and f.history.progressive is True
        and weak_both_legs(f)
    ):
        out.append(WEAKNESS_BOTH_LEGS)
    return out


def is_saddle_trigger(trigger: str) -> bool:
    """Whether an emergency trigger is the saddle's numbness or sensory loss (marked, found at
    its key points, or ticked as saddle anaesthesia), not a sphincter symptom or both legs."""
    return trigger.startswith(("saddle_marks:", "saddle_sensation:")) or (
        trigger == RedFlag.SADDLE_ANAESTHESIA.value
    )


def recent_days() -> int:
    """Symptoms that began fewer days ago than this are recent (an evidence pattern)."""
    return int(evidence().patterns["recent_onset_days"].value)


def recent(f: Findings) -> bool:
    days = f.history.onset_days
    return days is not None and days < recent_days()


def warning(wid: str, urgent: bool, params: dict[str, Any], sources: Sequence[str]) -> Warning:
    triggers = tuple(warning_names.trigger_words(params.get("triggers", ())))
    return Warning(
        id=wid,
        text=warning_names.warning_text(wid, params),
        urgent=urgent,
        triggers=triggers,
        sources=tuple(sources),
        params=params,
    )


def severe_movements(f: Findings) -> list[tuple[str, str, int]]:
    """(side, movement, grade) of every movement graded at or below the evidence pattern
    ``severe_weakness_max_grade`` (a severe motor deficit)."""
    worst = int(evidence().patterns["severe_weakness_max_grade"].value)
    return [
        (side.value, m.value, g)
        for side in SIDES
        for m, g in f.grades.get(side, {}).items()
        if g <= worst
    ]


def warnings(
    session: _Session,
    triggers: list[str],
    saddle: Mapping[Side, set[Symptom]],
    both_marked: bool,
    nerve_first: Collection[str] = (),
) -> list[Warning]:
    """Every warning, the emergency first. Both legs involved, marked or weak on examination
    (bilateral sciatica, bilateral motor weakness: R47, R48), prompt the questions.
    ``nerve_first``: the sides whose first hypothesis is a peripheral nerve (the deficit
    warnings then name the nerve's investigations first)."""
    f = session.findings
    out: list[Warning] = []
    if triggers:
        out.append(warning("cauda_equina", True, {"triggers": list(triggers)}, CES_SOURCES))
    # one prompt to ask the questions, with every reason for it (saddle pain, both legs); with
    # a red flag the emergency says it all
    pain_only = [s.value for s in SIDES if saddle.get(s) and not saddle[s] & set(SENSORY)]
    because = [w for w, on in (("marked", both_marked), ("weak", weak_both_legs(f))) if on]
    if (pain_only or because) and not triggers:
        if because and recent(f):
            wid = "cauda_equina_recent_bilateral"
        else:
            wid = "cauda_equina_saddle_pain" if pain_only else "cauda_equina_questions"
        params: dict[str, Any] = {}
        if wid == "cauda_equina_recent_bilateral":
            params["onset_under_days"] = recent_days()
        if pain_only:
            params["sides"] = pain_only
        if because:
            params["because"] = because
        out.append(warning(wid, False, params, CES_QUESTION_SOURCES))
    if f.history.progressive is True and not triggers:
        # one leg weak and worse (both are the cauda equina red flag, raised above)
        weak_sides = [s for s in SIDES if Strength.WEAK in f.strength.get(s, {}).values()]
        if weak_sides:
            movements = [
                m.value for s in weak_sides for m, v in f.strength[s].items() if v is Strength.WEAK
            ]
            params = {
                "sides": [s.value for s in weak_sides],
                "movements": list(dict.fromkeys(movements)),
            }
            if all(s.value in nerve_first for s in weak_sides):
                params["nerve_first"] = True
            out.append(warning("progressive_weakness", False, params, PROGRESSIVE_DEFICIT_SOURCES))
    elif not triggers and (severe := severe_movements(f)):
        sides = list(dict.fromkeys(side for side, _m, _g in severe))
        params = {
            "sides": sides,
            "movements": [[m, g] for _side, m, g in severe],
            "by_side": {s: [[m, g] for side, m, g in severe if side == s] for s in sides},
        }
        if all(side in nerve_first for side in sides):
            params["nerve_first"] = True
        out.append(warning("severe_weakness", False, params, SEVERE_DEFICIT_SOURCES))
    for item, wid, sources, by_back_pain in SERIOUS_CAUSES:
        if getattr(f.history, item) is True:
            because = neurological_features(session, back_pain=by_back_pain)
            out.append(warning(wid, bool(because), {"because": because}, sources))
    gbs_days = acute_poly_days(f)
    if gbs_days is not None:  # an emergency of its own: the breathing
        out.append(warning("guillain_barre", True, {"onset_days": gbs_days}, GBS_SOURCES))
    signs = {s: umn_signs(f, s) for s in SIDES}
    umn_sides = [s.value for s in SIDES if signs[s]]
    if umn_sides:
        # new or getting worse (R90); brisk reflexes alike on both legs can be a normal variant,
        # so alone they are not urgent: an extensor plantar response (R105), clonus or a brisk
        # reflex on one leg only is needed
        specific = specific_umn(f)
        urgent = (f.history.progressive is True or recent(f)) and specific
        all_signs = list(dict.fromkeys(sig for s in SIDES for sig in signs[s]))
        by_side = {s.value: [list(sig) for sig in signs[s]] for s in SIDES if signs[s]}
        params = {
            "sides": umn_sides,
            "signs": all_signs,
            "urgent": urgent,
            "by_side": by_side,
            "specific": specific,
        }
        out.append(warning("upper_motor_neuron", urgent, params, UMN_SOURCES))
    return out


def neurological_features(session: _Session, back_pain: bool = False) -> list[str]:
    """What makes a past or current cancer (R111) or a fever (R112, R113) urgent: symptoms
    marked (pain, numbness or tingling in a leg or the saddle: radicular pain or sensory
    symptoms), weakness, a reflex reduced or absent on one leg (:func:`_lost_on_one_leg`), a
    reduced key point, upper motor neuron signs or a cauda equina red flag on examination or
    in the history; with ``back_pain``
    (a spinal infection's first symptom, R113), back pain too. In that order, each once."""
    f = session.findings
    found = {
        "marked": bool(session.marks),
        "back_pain": back_pain and f.history.back_pain is True,
        "weak": any(Strength.WEAK in f.strength.get(s, {}).values() for s in SIDES),
        "reflexes": bool(_lost_on_one_leg(f)),
        "sensation": any(
            sensation_reduced(v) for s in SIDES for v in f.sensation.get(s, {}).values()
        ),
        "upper_motor_neuron": any(umn_signs(f, s) for s in SIDES),
        "red_flags": bool(session.red_flags),
    }
    return [k for k, on in found.items() if on]


def _lost_on_one_leg(f: Findings) -> set[str]:
    """The reflexes reduced or absent on one leg and not alike on the other: ankle jerks lost
    on both legs are common from 60 in health (R110) and in a polyneuropathy, so a loss alike
    on both legs alone does not make a serious cause urgent (a review found it did)."""
    down = (ReflexGrade.REDUCED, ReflexGrade.ABSENT)
    right, left = (f.reflexes.get(s, {}) for s in SIDES)
    return {
        r.value
        for r in set(right) | set(left)
        if (right.get(r) in down or left.get(r) in down) and right.get(r) != left.get(r)
    }


def specific_umn(f: Findings) -> bool:
    """An extensor plantar response, clonus, or a reflex brisk on one leg and not the other:
    more than brisk reflexes alike on both legs, which can be a normal variant."""
    if any(
        f.plantar_response.get(s) is PlantarResponse.EXTENSOR or f.clonus.get(s) is Clonus.PRESENT
        for s in SIDES
    ):
        return True
    brisk = {
        s: {r for r, g in f.reflexes.get(s, {}).items() if g is ReflexGrade.BRISK} for s in SIDES
    }
    return brisk[SIDES[0]] != brisk[SIDES[1]]


def note(nid: str, params: dict[str, Any] | None = None, sources: Sequence[str] = ()) -> Note:
    p = params or {}
    return Note(id=nid, text=warning_names.note_text(nid, p), params=p, sources=tuple(sources))
