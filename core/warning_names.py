"""The words for warnings, their triggers and the engine's notes (Qt-free): what the window,
reports and the command line say about a warning sign or a note, from its id and parameters.
The rest of the registry of names (hypotheses, findings, sides) is :mod:`core.names`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from core import clinical
from core.names import (
    area_name,
    atlas_name,
    finding_name,
    finding_text,
    join,
    lower_first,
    side_name,
)


def red_flag_name(flag: str) -> str:
    info = clinical.red_flags().get(flag)
    return info.label if info is not None else flag.replace("_", " ").capitalize()


_FUNCTION = "Bladder, bowel and sexual function"
_SENSATION = "Sensation"
_BOTH_LEGS = "Both legs"

FLAG_GROUPS = (_FUNCTION, _SENSATION, _BOTH_LEGS)
"""The warning-sign checklist's groups, in the order it shows them."""

RED_FLAG_GROUPS = {
    "saddle_anaesthesia": _SENSATION,
    "urinary_retention": _FUNCTION,
    "urinary_hesitancy": _FUNCTION,
    "urinary_incontinence": _FUNCTION,
    "bowel_dysfunction": _FUNCTION,
    "sexual_dysfunction": _FUNCTION,
    "bilateral_progressive_weakness": _BOTH_LEGS,
    "bilateral_sciatica": _BOTH_LEGS,
}
"""The checklist group (one of :data:`FLAG_GROUPS`) of each red flag id."""


def red_flag_group(flag: str) -> str:
    """The checklist group a red flag id is listed under (``Sensation``)."""
    return RED_FLAG_GROUPS[flag]


def trigger_name(trigger: str) -> str:
    """A cauda equina trigger id: a red flag id, ``saddle_marks:<side>``,
    ``saddle_sensation:<side>`` or ``exam_weakness_both_legs_progressive``."""
    if trigger.startswith("saddle_marks:"):
        return f"Numbness or tingling marked in the saddle area ({trigger.split(':', 1)[1]})"
    if trigger.startswith("saddle_sensation:"):
        return f"Reduced saddle sensation at S3 or S4-5 ({trigger.split(':', 1)[1]})"
    if trigger == "exam_weakness_both_legs_progressive":
        return "Weakness found in both legs, getting worse"
    return red_flag_name(trigger)


def trigger_flag(trigger: str) -> str:
    """The warning sign (a red flag id) a cauda equina trigger stands for: the saddle's for
    saddle marks and reduced saddle key points, bilateral progressive weakness's for weakness
    the examination finds in both legs with a history of getting worse; a ticked flag's own."""
    if trigger.startswith(("saddle_marks:", "saddle_sensation:")):
        return "saddle_anaesthesia"
    if trigger == "exam_weakness_both_legs_progressive":
        return "bilateral_progressive_weakness"
    return trigger


def found_unticked(triggers: Iterable[str], ticked: Iterable[str]) -> dict[str, list[str]]:
    """The triggers raised from the diagram or the examination whose warning sign is not
    ticked, in words, by that sign's red flag id (a checklist or report that reads "none ticked"
    under an emergency banner naming them looked contradictory)."""
    done = set(ticked)
    out: dict[str, list[str]] = {}
    for t in dict.fromkeys(triggers):
        flag = trigger_flag(t)
        if flag != t and flag not in done:
            out.setdefault(flag, []).append(lower_first(trigger_name(t)))
    return out


def trigger_words(triggers: Iterable[str]) -> list[str]:
    """The cauda equina triggers in words, each fact once: saddle numbness ticked and marked on
    both sides read as three items ("... marked in the saddle area (left); ... (right);
    numbness or tingling in the saddle area"); they are one ("Numbness or tingling in the
    saddle area (reported; marked on the left and right)")."""
    ids = list(dict.fromkeys(triggers))
    marked = [t.split(":", 1)[1] for t in ids if t.startswith("saddle_marks:")]
    tested = [t.split(":", 1)[1] for t in ids if t.startswith("saddle_sensation:")]
    out: list[str] = []
    for t in ids:
        if t == "saddle_anaesthesia" or t.startswith("saddle_marks:"):
            if any(w.startswith("Numbness or tingling in the saddle") for w in out):
                continue
            how = (["reported"] if "saddle_anaesthesia" in ids else []) + (
                [f"marked on the {join(marked)}"] if marked else []
            )
            out.append(f"Numbness or tingling in the saddle area ({'; '.join(how)})")
        elif t.startswith("saddle_sensation:"):
            if not any(w.startswith("Reduced saddle sensation") for w in out):
                out.append(f"Reduced saddle sensation at S3 or S4-5 ({join(tested)})")
        else:
            out.append(trigger_name(t))
    return out


URGENT_HEADLINES = {
    "cauda_equina": ("Emergency", "exclude cauda equina syndrome now"),
    "upper_motor_neuron": ("Urgent", "upper motor neuron signs"),
    "guillain_barre": ("Urgent", "possible Guillain-Barré syndrome"),
    "spinal_metastasis": ("Urgent", "possible metastatic spinal cord compression"),
    "spinal_infection": ("Urgent", "possible spinal infection"),
}
"""Per urgent warning id: how pressing (a word) and what it is about, for banners and headings."""


def urgency_word(wid: str) -> str:
    """How pressing urgent warning ``wid`` is, in the window's word: ``Emergency`` or ``Urgent``
    (also for an urgent condition of the same id, such as ``guillain_barre``)."""
    return URGENT_HEADLINES.get(wid, ("Urgent", ""))[0]


def urgent_headline(wid: str, loud: bool = False) -> str:
    """``Emergency: exclude cauda equina syndrome now`` (the banner's headline); ``loud``:
    ``EMERGENCY: exclude ...`` (the status bar's)."""
    kind, what = URGENT_HEADLINES.get(wid, ("Urgent", "same-day assessment needed"))
    return f"{kind.upper() if loud else kind}: {what}"


_CES_ADVICE = (
    "Arrange same-day emergency assessment (emergency department or on-call spinal team) with "
    "an emergency MRI. Do not wait to see whether it settles: no delay, including 48 hours, is "
    "known to be safe."
)


def warning_advice(wid: str, params: Mapping[str, Any]) -> str:
    """What to do about warning ``wid``, without its list of triggers (for a view that lists
    them itself, as the urgent banner does); the whole :func:`warning_text` for the others."""
    if wid == "cauda_equina":
        return _CES_ADVICE
    return warning_text(wid, params)


_DEFICIT_ADVICE = (
    "prompt specialist assessment and investigation (MRI of the lumbar spine; nerve conduction "
    "studies and imaging of the entrapment site when a nerve lesion is more probable)"
)
"""What a progressive or a severe motor deficit calls for (R97), in both cautions."""

_NERVE_DEFICIT_ADVICE = (
    "prompt specialist assessment and investigation (nerve conduction studies and imaging of "
    "the entrapment site; MRI of the lumbar spine when a root lesion is more probable)"
)
"""The same with a peripheral nerve first on every weak leg (``nerve_first``)."""


def _graded_on_legs(params: Mapping[str, Any]) -> str:
    """The severely weak movements with their grades and legs: "Ankle dorsiflexion 3/5 on the
    left leg", "... on both legs" when the legs' lists are the same, else leg by leg (the
    ``movements`` of both legs alone read "Ankle dorsiflexion 3/5 and ankle dorsiflexion 3/5 on
    the left and right legs": an interface review)."""

    def graded(pairs: Any) -> str:
        return join(f"{finding_name(f'strength:{m}').lower()} {g}/5" for m, g in pairs)

    by_side = params.get("by_side")
    if not by_side:  # a warning built before by_side: which leg each grade is on is unknown
        sides = params.get("sides", ())
        legs_said = join(side_name(s).lower() for s in sides)
        said = f"{graded(params.get('movements', ()))} on the {legs_said} leg"
        said += "s" if len(sides) > 1 else ""
    else:
        legs = {s: graded(pairs) for s, pairs in by_side.items()}
        if len(legs) == 2 and len(set(legs.values())) == 1:
            said = f"{next(iter(legs.values()))} on both legs"
        else:  # a semicolon between the legs: "and" joins the movements of one
            said = "; ".join(
                f"{text} on the {side_name(s).lower()} leg" for s, text in legs.items()
            )
    return said[:1].upper() + said[1:]


def _deficit_advice(params: Mapping[str, Any]) -> str:
    return _NERVE_DEFICIT_ADVICE if params.get("nerve_first") else _DEFICIT_ADVICE


_CES_QUESTIONS = (
    "(saddle numbness, new difficulty passing urine or altered stream, incontinence, bowel "
    "change, sexual dysfunction, worsening weakness in both legs)"
)


def _both_legs(params: Mapping[str, Any]) -> str:
    """Why both legs are involved: marked, weak on examination, or both."""
    because = set(params.get("because", ("marked",)))
    if because == {"weak"}:
        return "Weakness was found in both legs."
    if "weak" in because:
        return "Both legs are marked and weak on examination."
    return "Both legs are marked."


def _signs(signs: Any) -> frozenset[tuple[str, Any]]:
    """A leg's signs as a set (the order they were entered in says nothing)."""
    return frozenset((k, v) for k, v in signs)


def _umn_legs(params: Mapping[str, Any]) -> str:
    """``the left leg (a and b) and the right leg (c)``, or ``the left and right legs (a)`` when
    both legs have the same signs (``by_side``; older analyses give ``signs`` for all legs)."""

    def said(signs: Any) -> str:
        return join(lower_first(finding_text(k, v)) for k, v in signs)

    legs = list(params.get("sides", ()))
    by_side = params.get("by_side") or {}
    groups = [by_side.get(s) for s in legs]
    if len(legs) > 1 and all(groups) and any(_signs(g) != _signs(groups[0]) for g in groups):
        return join(
            f"the {side_name(s).lower()} leg ({said(g)})" for s, g in zip(legs, groups, strict=True)
        )
    sides = join(side_name(s).lower() for s in legs)
    signs = groups[0] if len(legs) == 1 and groups and groups[0] else params.get("signs", ())
    return f"the {sides} leg{'s' if len(legs) > 1 else ''} ({said(signs)})"


FEATURE_WORDS = {
    "marked": "symptoms marked on the diagram",
    "back_pain": "back pain",
    "weak": "weakness on examination",
    "reflexes": "a reflex reduced or absent on one leg",
    "sensation": "reduced sensation at a key point",
    "upper_motor_neuron": "upper motor neuron signs",
    "red_flags": "a cauda equina red flag",
}
"""What made a serious-cause warning urgent (``because`` of ``spinal_metastasis`` and
``spinal_infection``), in words."""


def _serious_cause(wid: str, params: Mapping[str, Any]) -> str:
    because = join(FEATURE_WORDS.get(k, k) for k in params.get("because", ()))
    if wid == "spinal_metastasis":
        if not because:
            return (
                "A past or current cancer is recorded. Spinal pain that suggests metastases "
                "(in the thoracic spine; or progressive, severe, worse on straining or at night, "
                "with local tenderness) calls for advice from the metastatic spinal cord "
                "compression service within 24 hours; radicular pain, weakness, numbness or "
                "bladder or bowel symptoms call for immediate referral."
            )
        return (
            f"A past or current cancer, with {because}: when these are new or getting worse, "
            "metastatic compression of the spinal cord, cauda equina or a root must be "
            "excluded. Treat it as an oncological emergency: refer at once (acute oncology or "
            "the metastatic spinal cord compression service) for an MRI of the whole spine."
        )
    if not because:
        return (
            "Fever is recorded: with back pain, leg symptoms or weakness, a spinal infection "
            "(such as an epidural abscess) must be excluded."
        )
    return (
        f"Fever, with {because}: a spinal infection (such as an epidural abscess) must be "
        "excluded. Arrange same-day assessment with blood tests (inflammatory markers, blood "
        "cultures) and an MRI of the spine: back pain, fever and a neurological deficit are "
        "seldom all present at first, and a deficit can worsen quickly."
    )


def warning_text(wid: str, params: Mapping[str, Any]) -> str:
    """The project's wording of warning ``wid`` (see docs/interface.md for the ids)."""
    if wid == "cauda_equina":
        triggers = "; ".join(map(lower_first, trigger_words(params.get("triggers", ()))))
        return f"Cauda equina syndrome must be excluded now: {triggers}. {_CES_ADVICE}"
    saddle_pain = "Pain is marked in the saddle area without numbness or tingling."
    test_saddle = " and test saddle sensation" if params.get("sides") else ""
    if wid == "cauda_equina_saddle_pain":
        also = f" {_both_legs(params)}" if params.get("because") else ""
        return (
            f"{saddle_pain}{also} Ask the cauda equina questions now {_CES_QUESTIONS}"
            f"{test_saddle}; any yes means emergency referral."
        )
    if wid == "cauda_equina_recent_bilateral":
        also = f" {saddle_pain}" if params.get("sides") else ""
        days = params.get("onset_under_days")
        began = f"less than {days} days ago" if days else "recently"
        return (
            f"{_both_legs(params)}{also} The symptoms began {began}. Ask the cauda "
            f"equina questions now {_CES_QUESTIONS} and arrange same-day assessment"
            f"{test_saddle}; any yes means emergency referral."
        )
    if wid == "cauda_equina_questions":
        return (
            f"{_both_legs(params)} Ask the cauda equina questions {_CES_QUESTIONS}; any yes "
            "means emergency referral."
        )
    if wid == "progressive_weakness":
        legs = params.get("sides", ())
        sides = join(side_name(s).lower() for s in legs)
        weak = join(finding_name(f"strength:{m}").lower() for m in params.get("movements", ()))
        return (
            f"{weak[:1].upper()}{weak[1:]} weak on the {sides} leg{'s' if len(legs) > 1 else ''}"
            ", with symptoms getting worse. Weakness that is getting worse is a progressive "
            f"neurological deficit: arrange {_deficit_advice(params)} rather than waiting to see "
            "whether it settles."
        )
    if wid == "guillain_barre":
        days = params.get("onset_days")
        began = f", begun {days} day{'' if days == 1 else 's'} ago" if days is not None else ""
        return (
            f"Weakness with reduced or absent reflexes in both legs{began}: Guillain-Barré "
            "syndrome must be considered. Check breathing (vital capacity) and swallowing now "
            "and arrange same-day assessment: the weakness can spread over days."
        )
    if wid in ("spinal_metastasis", "spinal_infection"):
        return _serious_cause(wid, params)
    if wid == "severe_weakness":
        return (
            f"{_graded_on_legs(params)}: a severe motor deficit "
            f"calls for {_deficit_advice(params)}."
            + (  # R67, R101: foot drop from lumbar degenerative disease, operated
                " Foot drop from a lumbar root lesion recovers less the longer it lasts."
                if not params.get("nerve_first")
                and any(m == "ankle_dorsiflexion" for m, _g in params.get("movements", ()))
                else ""
            )
        )
    if wid == "upper_motor_neuron":
        urgent = params.get("urgent", False)
        text = (
            f"Upper motor neuron signs on {_umn_legs(params)}: a spinal cord or brain cause must "
            "be considered. Root and nerve hypotheses count for less."
        )
        if urgent:
            text += " New or progressive signs need urgent same-day assessment."
        elif params.get("specific", True):
            text += " Arrange prompt specialist assessment; urgent if new or progressive."
        else:  # "urgent if new" beside an onset of days read as a contradiction
            text += (
                " Brisk reflexes alike on both legs can be a normal variant: arrange prompt "
                "specialist assessment; urgent if an extensor plantar response, clonus or a "
                "reflex brisk on one leg only is new or progressive."
            )
        return text
    return wid.replace("_", " ").capitalize()


def note_text(nid: str, params: Mapping[str, Any]) -> str:
    """The project's wording of note ``nid`` (see docs/interface.md for the ids)."""
    if nid == "decision_support":
        return (
            "Decision support, not a diagnosis: skin-map patterns identify the affected root "
            "only modestly well."
        )
    if nid == "no_exam":
        return (
            "No examination findings entered: drawings alone separate L5 from S1 poorly; "
            "strength, reflexes and tests (and imaging if needed) are required to confirm."
        )
    if nid == "drawing_exam_conflict":
        return (
            f"{side_name(params['side'])} leg: the drawing fits {params['drawing']} best, the "
            f"examination {params['exam']}; the examination counts for more."
        )
    if nid == "variable_areas":
        areas = join(area_name(a).lower() for a in params.get("areas", ()))
        return (
            f"On the {atlas_name(params['atlas'])} map these areas are not assigned to one "
            f"root (large variation between people) and do not separate the roots: {areas}."
        )
    if nid == "map_disagreement":
        atlases = list(params.get("atlases", ()))
        verb = "assigns" if len(atlases) == 1 else "assign"  # "Foerster (1933) assign it"
        return (
            f"The maps disagree about the {area_name(params['area']).lower()}: "
            f"{join(atlas_name(a) for a in atlases)} {verb} it to other roots than the "
            f"{atlas_name(params['atlas'])} map."
        )
    if nid == "age_common_ankle_reflexes":
        other = {"left": "right", "right": "left"}.get(params["side"], "other")
        leg = side_name(params["side"])
        return (
            f"{leg} leg: ankle reflexes low on both legs are common in healthy people from 60; "
            f"with nothing else found on this leg, they are weighed with the {other} leg's "
            "reading, not read as a lesion of their own."
        )
    if nid == "adult_guidance":
        listed = join(lower_first(clinical.conditions()[c].name) for c in params["conditions"])
        return (
            f"Age {params['age']}: the next steps listed for {listed} follow guidance for people "
            f"aged {params['adult_from']} and over (NICE NG59), not written for this age."
        )
    if nid == "unknown_zones":
        return "Ignored unknown zones: " + ", ".join(params.get("zones", ())) + "."
    return nid.replace("_", " ").capitalize()
