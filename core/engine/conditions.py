"""The spinal (and other) conditions that fit the per-side pattern, with why and next steps.

A function of a few discrete facts (:class:`ConditionFacts`): red-flag triggers, each side's
most probable hypothesis, the bilateral, polyneuropathy and upper motor neuron patterns, and a
few history items. The conditions' names,
summaries, next steps and sources are data (``assets/clinical/conditions.json``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from core import clinical
from core.assets import load_json
from core.clinical import cite
from core.names import (
    hypothesis_name,
    is_nerve,
    is_root,
    join,
    lower_first,
    nerve_id,
    the_hypothesis,
)
from core.results import Condition

AFTER_THE_EMERGENCY = (
    "First exclude cauda equina syndrome (the emergency above); this condition's usual steps "
    "apply only once it is excluded."
)
"""The one next step of every other condition while the cauda equina emergency is raised."""

LUMBAR = ("disc_herniation", "spinal_stenosis", "spondylolisthesis")
"""The lumbar spinal conditions."""
OWN_PLAN = ("central_cause", "guillain_barre")
"""Conditions whose own urgent steps stay first beside the emergency and any lead step: a cord
cause (the emergency's lumbar MRI would miss a cervical or thoracic cord compression) and
Guillain-Barré syndrome (whose danger, the breathing, that MRI would not show)."""
FIRST_STEPS = {
    "cauda_equina_questions": (
        "ask the cauda equina questions (saddle sensation, bladder, bowel and sexual function, "
        "weakness in both legs: any yes means emergency referral)",
        LUMBAR,
    ),
    "guillain_barre": (
        "check the breathing and exclude Guillain-Barré syndrome (the urgent warning)",
        None,
    ),
    "upper_motor_neuron": (
        "exclude a spinal cord or brain cause (the urgent upper motor neuron signs)",
        None,
    ),
    "spinal_metastasis": (
        "exclude metastatic spinal cord compression (a past or current cancer: the urgent warning)",
        None,
    ),
    "spinal_infection": (
        "exclude a spinal infection (fever: the urgent warning)",
        None,
    ),
    "progressive_weakness": (
        "arrange prompt specialist assessment and investigation (weakness with symptoms "
        "getting worse)",
        None,
    ),
    "severe_weakness": (
        "arrange prompt specialist assessment and investigation (severe weakness)",
        None,
    ),
}
"""What comes before a card's usual steps while a warning is shown (its id, or
``cauda_equina_questions`` for any prompt to ask them), and which cards it leads (``None``:
every card but those of :data:`OWN_PLAN`): "conservative care first" or an epidural must not read as
the first thing to do beside a prompt to screen for cauda equina (R47, R48; only the lumbar
cards: the questions screen for their emergency), urgent upper motor neuron signs (R90, R91) or
a progressive or severe deficit (R97). Those that apply make one step, "Before the steps
below: ..."."""


def _leads(key: str, cid: str) -> bool:
    """Whether the warning ``key`` of :data:`FIRST_STEPS` leads condition ``cid``."""
    cards = FIRST_STEPS[key][1]
    return cards is None or cid in cards


def lead_step(keys: tuple[str, ...]) -> str:
    """The one step that says what comes before a card's usual steps (:data:`FIRST_STEPS`)."""
    return "Before the steps below: " + "; ".join(FIRST_STEPS[k][0] for k in keys) + "."


WEAK_PATTERN = "A weak pattern: no root or nerve fits that leg well."
"""Said of a condition that follows a leg's first lesion when "none of these" is more
probable there (a 14% L5 beside 54% read as plain "L5 pattern")."""


@dataclass(frozen=True)
class RootReason:
    """What a unilateral root pattern suggests (``by_root`` in the conditions' data)."""

    condition: str
    why: str  # ``{root}``: the root's id
    sources: tuple[str, ...]
    age_under: int | None = None  # only below this age
    age_from: int | None = None  # only from this age (either: listed when the age is unknown)


@cache
def _rules() -> tuple[dict[str, tuple[RootReason, ...]], int]:
    """The reasons of each root, in the order listed, and the age from which both legs with a
    root pattern suggest stenosis (``assets/clinical/conditions.json``)."""
    data = load_json("clinical/conditions.json")
    by_root: dict[str, tuple[RootReason, ...]] = {}
    for pattern in data["by_root"]["patterns"]:
        reasons = tuple(
            RootReason(
                r["condition"],
                r["why"],
                tuple(r["sources"]),
                r.get("age_under"),
                r.get("age_from"),
            )
            for r in pattern["reasons"]
        )
        for root in pattern["roots"]:
            by_root[root] = reasons
    return by_root, int(data["stenosis_age"]["from"])


def adult_guidance(conditions: tuple[Condition, ...], age: int | None) -> dict[str, Any]:
    """The parameters of the note ``adult_guidance`` when the patient is younger than the
    guidance some listed conditions' next steps follow (``guidance_age`` in
    ``assets/clinical/conditions.json``: NICE NG59 covers people aged 16 and over): ``age``,
    ``adult_from`` and those ``conditions``; ``{}`` otherwise or with no age."""
    rule = load_json("clinical/conditions.json")["guidance_age"]
    adult = int(rule["from"])
    sources = set(rule["sources"])
    info = clinical.conditions()
    young = [c.id for c in conditions if sources & set(info[c.id].sources)]
    if age is None or age >= adult or not young:
        return {}
    return {"age": age, "adult_from": adult, "conditions": young}


@lru_cache(maxsize=1024)
def _condition(
    cid: str, why: str, urgent: bool = False, sources: tuple[str, ...] | None = None
) -> Condition:
    """The condition ``cid`` with its reason, citing ``sources`` (default: the condition's
    first four); conditions are immutable, so equal arguments share one object (the reasons
    come from a small fixed vocabulary)."""
    info = clinical.conditions()[cid]
    cited = info.sources[:4] if sources is None else sources
    return Condition(
        id=cid,
        name=info.name,
        why=f"{why} {cite(cited)}".strip(),
        next_steps=info.next_steps,
        sources=info.sources,
        urgent=urgent,
    )


@dataclass(frozen=True)
class ConditionFacts:
    """The few discrete facts the conditions are chosen from (one value of these is one
    answer, so :func:`conditions_for` caches it)."""

    urgent: bool = False  # a red flag raises the cauda equina emergency
    triggers: tuple[str, ...] = ()  # the red-flag triggers, in words
    tops: tuple[str, ...] = ()  # each marked side's most probable hypothesis
    # the most probable root of each side whose top is a nerve (only roots probable enough
    # to be listed on their own)
    mimicked: tuple[str, ...] = ()
    bilateral_radicular: bool = False  # a root first on each leg
    poly_sides: tuple[str, ...] = ()  # the sides whose top is polyneuropathy
    age: int | None = None
    claud: bool = False  # neurogenic claudication
    diabetes: bool = False
    umn_signs: str = ""  # the upper motor neuron signs found, in words ("" when none)
    # the first lesions of the legs where "none of these" is more probable (one entry a leg)
    weak: tuple[str, ...] = ()
    # the keys of :data:`FIRST_STEPS` that apply, in order (their steps lead the cards they
    # name)
    first: tuple[str, ...] = ()
    # the onset, in days, of weakness with reduced reflexes on both legs begun within the
    # evidence pattern ``acute_polyradiculoneuropathy_days`` (None otherwise)
    acute_poly_days: int | None = None
    # the history says the symptoms are getting worse (a diabetic radiculoplexus neuropathy,
    # which progresses over weeks, then leads the root's own conditions; otherwise it follows
    # them as a mimic)
    progressive: bool = False
    # weakness of thigh and leg muscles on both legs with reduced reflexes (CIDP is listed
    # when it is not Guillain-Barre syndrome's recent onset; a root or nerve read first on a
    # leg where "none of these" is more probable then brings no card of its own: the pattern
    # is no one root's)
    polyradiculoneuropathy: bool = False
    # the signs are more than brisk reflexes alike on both legs (a cord cause then leads the
    # lumbar conditions; brisk reflexes alone, which can be a normal variant, list it after
    # the lesion's own)
    umn_specific: bool = True
    # a straight leg raise or femoral stretch test, plain or crossed, positive on either leg
    # (a compressed root's sign). Without one, a root or nerve read weakly beside the
    # polyradiculoneuropathy pattern brings no card of its own: "none of these" holds that
    # pattern, which has its own cards
    root_tension: bool = False


@lru_cache(maxsize=2048)
def conditions_for(facts: ConditionFacts) -> tuple[Condition, ...]:
    """The conditions that fit ``facts``, most pressing first, each with why and its next
    steps (those a warning puts first lead them, :data:`FIRST_STEPS`)."""
    f = facts
    bilateral_radicular = f.bilateral_radicular
    out: dict[str, Condition] = {}
    by_root, stenosis_age = _rules()
    # "none of these" holds many roots' pattern: a root read weakly beside it brings no card of
    # its own, unless a root tension sign says a root is compressed
    residual_cause = f.polyradiculoneuropathy and not f.root_tension
    own_steps: tuple[str, ...] = ()

    def add(
        cid: str, why: str, urgent_flag: bool = False, sources: tuple[str, ...] | None = None
    ) -> None:
        if cid not in out:
            out[cid] = _condition(cid, why, urgent_flag, sources)

    if f.urgent:
        add("cauda_equina", "Red-flag features: " + "; ".join(f.triggers) + ".", True)
    if f.umn_signs and f.umn_specific:  # a cause above the roots: the lumbar conditions miss it
        add("central_cause", f"Upper motor neuron signs ({f.umn_signs}) point above the roots.")
    if f.acute_poly_days is not None:  # many roots and nerves at once: its MRI can be normal
        days = "day" if f.acute_poly_days == 1 else "days"
        add(
            "guillain_barre",
            f"Weakness with reduced or absent reflexes in both legs, begun {f.acute_poly_days} "
            f"{days} ago: an acute polyradiculoneuropathy must be considered beside cauda "
            "equina syndrome, and the lumbar MRI may be normal.",
            True,  # an emergency of its own: the breathing
        )
    if f.polyradiculoneuropathy and f.acute_poly_days is None:  # not recent: CIDP (R106)
        add(
            "cidp",
            "Weakness of thigh and leg muscles on both legs with reduced or absent reflexes, "
            "which no one root on either leg causes: a chronic polyradiculoneuropathy such "
            "as CIDP must be considered.",
        )
    # the first lesions it mimics (``matches`` of the condition: a thigh pattern, R103)
    radiculoplexus = f.diabetes and bool(
        set(f.tops) & set(clinical.conditions()["diabetic_radiculoplexus"].matches)
    )

    def add_radiculoplexus() -> None:
        add(
            "diabetic_radiculoplexus",
            "Diabetes with a thigh pattern: diabetic lumbosacral radiculoplexus neuropathy "
            "mimics an upper lumbar root or the femoral nerve.",
        )

    if radiculoplexus and f.progressive:  # its subacute, spreading course (R103): first
        add_radiculoplexus()
    older = f.age is not None and f.age >= stenosis_age
    strong = Counter(f.tops) - Counter(f.weak)  # a lesion first on one leg well, on another not
    if not f.root_tension and sum(n for t, n in strong.items() if is_root(t)) < 2:
        # a leg whose root "none of these" outweighs shows no root pattern (the card said "both
        # legs show a root pattern" beside "no root or nerve pattern fits well" on each), unless
        # a root tension sign says a root is compressed
        bilateral_radicular = False
    if bilateral_radicular and (f.claud or older):
        why = "Both legs show a root pattern"
        if f.claud:
            why += " with symptoms on walking or standing eased by sitting or bending forward"
        if older:
            why += f", age {f.age}"
        add("spinal_stenosis", why + ".")
        add(
            "spondylolisthesis",
            "Degenerative slip at L4-5 often narrows the canal and presents like stenosis.",
            # MacNab's slip with an intact neural arch, at L4-5 (R40a); prevalence (R36)
            sources=("R40a", "R36"),
        )

    def add_polyneuropathy() -> None:
        legs = "both legs" if len(f.poly_sides) == 2 else f"the {f.poly_sides[0]} leg"
        why = f"A length-dependent polyneuropathy is the most probable reading of {legs}"
        if len(f.poly_sides) == 1:  # it affects both legs: one leg alone needs the other examined
            other = "left" if f.poly_sides[0] == "right" else "right"
            why += f"; it affects both legs, so examine the {other} leg too"
        if f.diabetes:
            why += "; diabetes is the commonest cause"
        add("polyneuropathy", why + ".")

    if f.poly_sides and len(f.poly_sides) == len(f.tops):
        add_polyneuropathy()  # the reading of every leg with a lesion listed
    roots_seen = [r for r in f.tops if not is_nerve(r)]
    nerves_seen = [r for r in f.tops if is_nerve(r)]
    if f.claud and roots_seen:
        add(
            "spinal_stenosis",
            "Symptoms on walking or standing eased by sitting or bending forward (neurogenic "
            "claudication).",
        )

    def qualified(text: str, ids: list[str]) -> str:
        return text if any(strong[i] for i in ids) else f"{text} {WEAK_PATTERN}"

    for root in dict.fromkeys(roots_seen):
        if residual_cause and not strong[root]:
            continue  # "none of these", which holds that cause, leads: no card
        for r in by_root.get(root, ()):
            young = r.age_under is None or (f.age is not None and f.age < r.age_under)
            if young and (r.age_from is None or f.age is None or f.age >= r.age_from):
                add(r.condition, qualified(r.why.format(root=root), [root]), sources=r.sources)
    if residual_cause:  # the same for a nerve read weakly
        nerves_seen = [n for n in nerves_seen if strong[n]]
    if nerves_seen:
        nerves = list(dict.fromkeys(nerves_seen))
        named = join(the_hypothesis(n) for n in nerves)
        whose = "of each leg " if len(nerves_seen) > 1 else ""  # one nerve on each leg, too
        why = f"The most probable lesion {whose}is a single nerve: {named}."
        # the nerves' own sources (the condition's first four are the peroneal nerve's)
        own = clinical.nerves()
        for n in nerves:  # the causes to look for (a haematoma behind a femoral neuropathy)
            lesion = f"a {lower_first(hypothesis_name(n))} lesion"
            why += f" Common causes of {lesion}: {lower_first(own[nerve_id(n)].causes)}"
        cited = tuple(dict.fromkeys(r for n in nerves for r in own[nerve_id(n)].sources))
        add("peripheral_entrapment", qualified(why, nerves), sources=cited)
        # the nerves' own first steps (a haematoma behind a femoral neuropathy): above any lead
        own_steps = tuple(dict.fromkeys(s for n in nerves for s in own[nerve_id(n)].next_steps))
    if f.mimicked:
        roots = join(hypothesis_name(r) for r in dict.fromkeys(f.mimicked))
        add("disc_herniation", f"The alternative to the nerve is the {roots}, which it mimics.")
    if f.umn_signs:  # brisk reflexes alike on both legs: after the lesion's own (a no-op if listed)
        add(
            "central_cause",
            f"Upper motor neuron signs ({f.umn_signs}) can point above the roots, but brisk "
            "reflexes alike on both legs, without an extensor plantar response or clonus, can "
            "be a normal finding.",
        )
    if radiculoplexus:  # not getting worse: a mimic, after the lesion's own conditions
        add_radiculoplexus()
    if f.poly_sides:  # one leg of two: after the other leg's root or nerve (a no-op if listed)
        add_polyneuropathy()
    if f.urgent:  # a lumbar plan ("conservative care first") must not sit beside the emergency
        keep = ("cauda_equina", *OWN_PLAN)
        return tuple(
            c if c.id in keep else replace(c, next_steps=(AFTER_THE_EMERGENCY,))
            for c in out.values()
        )
    return tuple(
        _led(c, f.first, own_steps if c.id == "peripheral_entrapment" else ()) for c in out.values()
    )


def _led(c: Condition, first: tuple[str, ...], own_steps: tuple[str, ...]) -> Condition:
    """``c`` with what comes before its usual steps: a nerve's own steps, then one step for the
    warnings that lead it (:data:`FIRST_STEPS`)."""
    keys = tuple(k for k in first if c.id not in OWN_PLAN and _leads(k, c.id))
    lead = (lead_step(keys),) if keys else ()
    if not (own_steps or lead):
        return c
    return replace(c, next_steps=(*own_steps, *lead, *c.next_steps))
