"""The one registry of human-readable names (Qt-free).

Ids stay in files and JSON output; whatever a person reads (the window, reports, the CLI's text
format) takes its words from here: hypotheses, atlases, nerves, areas, findings and their values,
map grades, warnings and notes. Nothing here is a clinical fact: the facts and their sources are
in ``assets/clinical/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from core import clinical, zones

ROOT_PREFIXES = ("L", "S")
NERVE_PREFIX = "peripheral:"
CONDITION_PREFIX = "condition:"  # a quiz choice naming a condition (``condition:cauda_equina``)
ACT_PREFIX = "act:"  # a quiz choice saying what to do now (``act:disc_herniation``)


def is_root(hid: str) -> bool:
    """True for ``L1`` ... ``S5``."""
    return len(hid) == 2 and hid[0] in ROOT_PREFIXES and hid[1].isdigit()


def is_nerve(hid: str) -> bool:
    return hid.startswith(NERVE_PREFIX)


def is_condition(target: str) -> bool:
    """True for a quiz target naming a condition (``condition:spinal_stenosis``)."""
    return target.startswith(CONDITION_PREFIX)


def is_act(target: str) -> bool:
    """True for a quiz target saying what to do now (``act:cauda_equina``)."""
    return target.startswith(ACT_PREFIX)


def nerve_id(hid: str) -> str:
    """``peripheral:sural`` -> ``sural``."""
    return hid[len(NERVE_PREFIX) :] if is_nerve(hid) else hid


def nerve_hypothesis(nid: str) -> str:
    """``sural`` -> ``peripheral:sural`` (the hypothesis id of a nerve)."""
    return NERVE_PREFIX + nid


@cache
def nerve_names() -> dict[str, str]:
    return {nid: n.name for nid, n in clinical.nerves().items()}


def nerve_full_name(nid: str) -> str:
    """Nerve name without the word "nerve" (``Common peroneal (fibular)``)."""
    return nerve_names()[nid].replace(" nerve", "").replace(" Nerve", "")


def nerve_plain_name(nid: str) -> str:
    """The nerve's name without its parenthesis (``Common peroneal nerve``, ``Tibial nerve``)."""
    return re.sub(r" \([^)]*\)", "", nerve_names()[nid])


def nerve_short_name(nid: str) -> str:
    """Short on-diagram label: one-word names as is (``Sural``), else initials (``CPN``)."""
    base = nerve_names()[nid].split(" (", 1)[0]
    words = [w for w in base.replace(" nerve", "").replace(" Nerve", "").split() if w]
    if len(words) == 1:
        return words[0]
    return "".join(w[0].upper() for w in words) + "N"


def hypothesis_name(hid: str) -> str:
    """``L5`` -> ``L5 root``; ``peripheral:sural`` -> ``Sural nerve``; ..."""
    if is_nerve(hid):
        nid = nerve_id(hid)
        return nerve_names().get(nid, nid.replace("_", " ").capitalize() + " nerve")
    if is_root(hid):
        return f"{hid} root"
    return _OTHER_HYPOTHESES.get(hid, hid.replace("_", " ").capitalize())


_OTHER_HYPOTHESES = {
    "polyneuropathy": "Polyneuropathy",
    "cauda_equina": "Cauda equina syndrome",
    "unexplained": "None of these",
}

RESIDUAL_WORDS = f"{_OTHER_HYPOTHESES['unexplained']} (no root or nerve pattern)"
"""A side's residual (``unexplained``) with what it means, as the panel, the CLI and the
impression say it."""

NO_FIT_WORDS = "No root or nerve pattern fits well"
"""Said of a side where "none of these" is more probable than the first lesion listed (the
panel, the impression): the list then shows the closest, not a most probable lesion."""

UNLISTED_WORDS = "Other roots and nerves, not listed"
"""The share of a side's probability held by the hypotheses too improbable to be listed, so
that the listed ones, these and the residual sum to 100 %."""


def atlas_name(aid: str) -> str:
    a = clinical.atlases().get(aid)
    return a.name if a is not None else aid.replace("_", " ").capitalize()


def area_name(area: str) -> str:
    return zones.display_name(area)


def side_name(side: str) -> str:
    return {"left": "Left", "right": "Right", "both": "Both legs"}.get(side, side)


def leg_name(side: str) -> str:
    """A leg as a heading: ``Right leg``, ``Left leg`` (``both``: ``Both legs``)."""
    return side_name(side) if side == "both" else f"{side_name(side)} leg"


LABEL_NAMES = {
    "more likely": "more likely",
    "possible": "possible",
    "less likely": "less likely",
    "exclude urgently": "exclude urgently",
}
"""A hypothesis's label (:class:`core.results.Label`, whose values are these ids) in words."""


def label_name(label: str) -> str:
    """A hypothesis's label in words (``more likely``; a :class:`core.results.Label` is its
    id)."""
    return LABEL_NAMES.get(str(label), str(label))


KEY_POINT_PLACES = {
    "L2": "anteromedial thigh",
    "L3": "medial femoral condyle",
    "L4": "medial malleolus",
    "L5": "dorsum of the foot, third MTP joint",
    "S1": "lateral heel",
    "S2": "popliteal fossa",
    "S3": "ischial tuberosity",
    "S4_5": "perianal",
}
"""Where each ISNCSCI key point lies (R8), in the words of the findings' names."""


def key_point_place(point: str) -> str:
    """Where key point ``point`` lies (``medial malleolus``); the point itself if unknown."""
    return KEY_POINT_PLACES.get(point, point)


FINDING_NAMES = {
    "reflex:patellar": "Patellar reflex",
    "reflex:achilles": "Achilles reflex",
    "reflex:medial_hamstring": "Medial hamstring reflex",
    "strength:hip_flexion": "Hip flexion",
    "strength:hip_adduction": "Hip adduction",
    "strength:hip_abduction": "Hip abduction",
    "strength:hip_extension": "Hip extension",
    "strength:knee_extension": "Knee extension",
    "strength:knee_flexion": "Knee flexion",
    "strength:ankle_dorsiflexion": "Ankle dorsiflexion",
    "strength:great_toe_extension": "Great-toe extension",
    "strength:ankle_inversion": "Ankle inversion",
    "strength:ankle_eversion": "Ankle eversion",
    "strength:ankle_plantarflexion": "Ankle plantar flexion",
    "strength:toe_flexion": "Toe flexion",
    "test:straight_leg_raise": "Straight leg raise",
    "test:crossed_straight_leg_raise": "Crossed straight leg raise",
    "test:femoral_stretch": "Femoral stretch test",
    "test:crossed_femoral_stretch": "Crossed femoral stretch test",
    "test:tinel_fibular_head": "Tinel's sign at the fibular head",
    "test:tinel_tarsal_tunnel": "Tinel's sign at the tarsal tunnel",
    "test:tinel_medial_knee": "Tinel's sign at the medial knee",
    "test:tinel_lateral_ankle": "Tinel's sign at the lateral ankle",
    "test:tinel_anterior_ankle": "Tinel's sign at the front of the ankle",
    "test:tinel_leg_fascia": "Tinel's sign over the lateral leg fascia",
    "test:tinel_asis": "Tinel's sign medial to the ASIS",
    "test:pelvic_compression": "Pelvic compression test (meralgia)",
    "history:age": "Age",
    "history:age_band": "Age",
    "history:onset_days": "Onset",
    "history:site_of_local_cause": "Site of the local cause",
    "history:local_cause_side": "Side of the local cause",
    "history:back_pain": "Back pain",
    "history:neurogenic_claudication": "Neurogenic claudication",
    "history:diabetes": "Diabetes",
    "history:local_cause": "Local cause near a nerve",
    "history:progressive": "Progressive symptoms",
    "history:cancer": "Cancer, past or current",
    "history:fever": "Fever",
    "history:local_cause_site": "Local cause at the",
    "plantar_response": "Plantar response",
    "clonus": "Ankle clonus",
    **{
        f"sensation:{point}": f"Sensation at the {point} key point ({place})"
        for point, place in KEY_POINT_PLACES.items()
        if point != "S4_5"
    },
    "sensation:S4_5": "Perianal sensation (S4-5)",
    "intensity:numbness": "Numbness intensity (0-10)",
    "intensity:tingling": "Tingling intensity (0-10)",
    "intensity:pain": "Pain intensity (0-10)",
    "loss:patellar": "Patellar reflex loss",
    "loss:achilles": "Achilles reflex loss",
    "pattern:foot_drop": "Foot drop",
    "pattern:any_weakness": "Weakness",
    "pattern:any_reflex_down": "A reduced or absent reflex",
    "pattern:bilateral_symmetric": "A symmetric stocking on both feet",
    "pattern:pain_distal_only": "Pain only below the knee",
    "pattern:umn_signs": "Upper motor neuron signs",
    "pattern:tinel_positive": "Tinel's sign at an entrapment site",
    "pattern:cauda_equina": "Warning signs of cauda equina syndrome",
    "pattern:cauda_equina_saddle": "Saddle numbness or sensory loss (cauda equina warning sign)",
}

FINDING_SHORT_NAMES = {
    **{f"sensation:{p}": p for p in ("L2", "L3", "L4", "L5", "S1", "S2", "S3")},
    "sensation:S4_5": "S4-5",
    "intensity:numbness": "Numbness",
    "intensity:tingling": "Tingling",
    "intensity:pain": "Pain",
}
"""The exam form's row labels where four combo boxes share the row (the sensory grid): each is
words of the finding's name above, which the grid's title completes ("Sensation at the key
points", "Intensity"). Every other row of the form is labelled with the finding's name."""


def form_label(key: str) -> str:
    """A finding's row label in the exam form: its short name, else its name."""
    return FINDING_SHORT_NAMES.get(key) or finding_name(key)


VALUE_WORDS: dict[Any, str] = {
    True: "present",
    False: "absent",
    "weak": "weak",
    "normal": "normal",
    "reduced": "reduced",
    "absent": "absent",
    "brisk": "brisk",
    "positive": "positive",
    "negative": "negative",
    "flexor": "flexor",
    "extensor": "extensor",
    "present": "present",
    "groin_pelvis": "groin or pelvis",
    "buttock": "buttock",
    "thigh": "thigh",
    "knee": "knee",
    "fibular_head": "fibular head",
    "lower_leg": "lower leg",
    "ankle_foot": "ankle or foot",
    "greater_here": "greater on this leg",
    "untested_there": "on this leg (the other not tested)",
    "both_legs": "on both legs",
    None: "not recorded",
}


_SIDE_WORDS = {"both_sides:": "both sides", "other_side:": "other leg"}


def finding_name(key: str) -> str:
    """``reflex:achilles`` -> ``Achilles reflex``; a ``both_sides:`` or ``other_side:`` key
    says which leg in brackets; ``grade:<movement>`` -> ``Ankle dorsiflexion graded`` (MRC)."""
    for prefix, where in _SIDE_WORDS.items():
        if key.startswith(prefix):
            return f"{finding_name(key.removeprefix(prefix))} ({where})"
    if key.startswith("grade:"):
        return f"{finding_name('strength:' + key.removeprefix('grade:'))} graded"
    return FINDING_NAMES.get(key, key.split(":")[-1].replace("_", " ").capitalize())


def finding_text(key: str, value: Any) -> str:
    """``("reflex:achilles", "absent")`` -> ``Achilles reflex absent``."""
    return condition_text(key, (value,))


def condition_text(key: str, values: Iterable[Any]) -> str:
    """A finding with any of ``values``: ``("reflex:achilles", ["reduced", "absent"])`` ->
    ``Achilles reflex reduced or absent`` (an evidence row's condition, or one value)."""
    values = tuple(values)
    if key.startswith("pattern:") and values == (True,):
        return finding_name(key)
    if key.startswith("pattern:") and values == (False,):  # "No foot drop", "No Tinel's ..."
        return "No " + lower_first(finding_name(key).removeprefix("A "))
    if key.startswith("grade:"):  # 0 is not "absent" (0 == False)
        return f"{finding_name(key)} {join((f'{v}/5' for v in values), 'or')}"
    if key.startswith("loss:") and set(values) == {"greater_here", "untested_there"}:
        return f"{finding_name(key)} greater on this leg (or the other leg not tested)"
    if key == "history:age_band":  # "under_60" -> "Age under 60", "from_60" -> "Age 60 or over"
        return "Age " + join((_age_band_words(v) for v in values), "or")
    if key == "history:local_cause_site" and values == (None,):  # not "Local cause at the ..."
        key = "history:site_of_local_cause"
    return f"{finding_name(key)} {join((VALUE_WORDS.get(v, str(v)) for v in values), 'or')}"


def _age_band_words(band: Any) -> str:
    """``under_60`` -> ``under 60``, ``from_60`` -> ``60 or over``, ``None`` -> ``not
    recorded`` (the engine's age bands, ``history:age_band``)."""
    if isinstance(band, str) and band.startswith("from_"):
        return f"{band.removeprefix('from_')} or over"
    return VALUE_WORDS.get(band, str(band).replace("_", " "))


GROUP_NAMES = {
    "roots": "every root",
    "mid_lumbar_roots": "L2, L3 and L4",
    "low_lumbar_roots": "L5 and S1",
    "nerves": "every peripheral nerve",
    "pure_sensory_nerves": "the purely sensory nerves",
    "peroneal_nerves": "the peroneal nerves",
    "distal_nerves": "the nerves below the knee",
    "foot_nerves": "the nerves of the foot",
}
"""Words for the hypothesis groups of ``assets/clinical/evidence.json`` (``group:<name>``)."""


def target_name(target: str) -> str:
    """What an evidence row applies to: a hypothesis, or ``group:<name>`` of them."""
    if target.startswith("group:"):
        group = target.removeprefix("group:")
        return GROUP_NAMES.get(group, group.replace("_", " "))
    return hypothesis_name(target)


def evidence_row_text(row: Mapping[str, Any]) -> str:
    """One row of the evidence table in words: ``Achilles reflex reduced or absent -> S1 root,
    likelihood ratio 7.1``."""
    when = semicolon_line(condition_text(k, v) for k, v in row["when"].items())
    targets = join(target_name(h) for h in row["hypotheses"])
    return f"{when} → {targets}, likelihood ratio {row['lr']:g}"


def prior_text(row: Mapping[str, Any]) -> str:
    """A prior of the evidence table: ``L5 root before any evidence: relative frequency
    0.187`` (as the explanations say it)."""
    name = hypothesis_name(row["hypothesis"])
    return f"{name} before any evidence: relative frequency {row['weight']:g}"


def join(items: Iterable[str], last: str = "and") -> str:
    """``["a", "b", "c"]`` -> ``a, b and c`` (``last`` may be ``or``)."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


EPONYMS = frozenset({"Achilles", "Babinski", "Tinel", "Baxter"})
"""Names that keep their capital inside a sentence."""


_LOSS_WORDS = {"greater_here": "not matched on the other leg", "both_legs": "low on both legs"}
"""How a reflex's loss on this leg compares with the other leg's (``loss:<reflex>`` facts; not
said when the other leg's was not tested, as a filter that a missing finding meets is not;
inside a sentence only "low on both legs", which changes what the sign means)."""


def sign_phrases(values: Iterable[tuple[str, Any]], other_leg: bool = True) -> list[str]:
    """An evidence row's findings in words, one a finding. A finding read on both legs whose
    other leg differs says both values ("Achilles reflex absent, reduced on the other leg");
    any other condition on the other leg is said on its own, or left out (``other_leg``
    False: it qualifies the sign on this leg)."""
    values = list(values)
    theirs = {k.removeprefix("other_side:"): v for k, v in values if k.startswith("other_side:")}
    both = {k.removeprefix("both_sides:") for k, _v in values if k.startswith("both_sides:")}
    loss = {f"reflex:{k.removeprefix('loss:')}": v for k, v in values if k.startswith("loss:")}
    keys = {k for k, _v in values}
    out = []
    for key, value in values:
        fact = key.split(":", 1)[1] if key.startswith(("both_sides:", "other_side:")) else key
        if key in loss and loss[key] in _LOSS_WORDS and (other_leg or loss[key] == "both_legs"):
            # "Achilles reflex absent, not matched on the other leg"
            out.append(f"{finding_text(key, value)}, {_LOSS_WORDS[loss[key]]}")
        elif key in loss:
            out.append(finding_text(key, value))
        elif key.startswith("loss:") and f"reflex:{key.removeprefix('loss:')}" in keys:
            continue  # said with its reflex
        elif key.startswith("both_sides:") and fact in theirs:
            there = VALUE_WORDS.get(theirs[fact], str(theirs[fact]))
            out.append(f"{finding_text(fact, value)}, {there} on the other leg")
        elif key.startswith("other_side:") and (fact in both or not other_leg):
            continue
        elif key.startswith("skin:"):
            continue  # where the symptoms are marked: the drawing's own lines say it
        else:
            out.append(finding_text(key, value))
    return out


def sign_words(values: Iterable[tuple[str, Any]]) -> list[str]:
    """An evidence row's findings as words inside a sentence, one a finding; a condition on the
    other leg is left out (it qualifies the sign on this leg; a row's first condition always
    reads this leg), unless it says how a finding read on both legs differs there."""
    return [lower_first(t) for t in sign_phrases(values, other_leg=False)]


def the_hypothesis(hid: str) -> str:
    """A hypothesis inside a sentence: ``the L5 root``, ``the common peroneal (fibular)
    nerve``."""
    return f"the {lower_first(hypothesis_name(hid))}"


def semicolon_line(texts: Iterable[str]) -> str:
    """Texts joined by "; " as one line: the first as written, the others lower-cased as
    inside a sentence ("Foot drop; ankle inversion normal", names keep their capitals)."""
    first, *rest = texts
    return "; ".join([first, *(lower_first(t) for t in rest)])


def is_or_are(noun: str) -> str:
    """The verb for an area's name: "the middle toes are", "the lateral sole is"."""
    return "are" if noun.rsplit(" ", 1)[-1].lower() == "toes" else "is"


def lower_first(text: str) -> str:
    """Lower-case the first word for use inside a sentence, unless it is a name or an
    abbreviation (``Tinel's sign``, ``ASIS``, ``L5``)."""
    first = text.split(" ", 1)[0]
    if not first or "'" in first or any(c.isupper() or c.isdigit() for c in first[1:]):
        return text
    if first in EPONYMS:
        return text
    return text[:1].lower() + text[1:]
