"""The spinal (and other) conditions that fit the per-side pattern, with why and next steps.

A function of a few discrete facts: red-flag triggers, each side's most probable hypothesis,
the bilateral and polyneuropathy patterns, and three history items. The conditions' names,
summaries, next steps and sources are data (``assets/clinical/conditions.json``).
"""

from __future__ import annotations

from functools import lru_cache

from core import clinical
from core.clinical import cite
from core.names import hypothesis_name, is_nerve, join, the_hypothesis
from core.results import Condition


@lru_cache(maxsize=1024)
def _condition(cid: str, why: str, urgent: bool = False) -> Condition:
    """The condition ``cid`` with its reason; conditions are immutable, so equal arguments
    share one object (the reasons come from a small fixed vocabulary)."""
    info = clinical.conditions()[cid]
    return Condition(
        id=cid,
        name=info.name,
        why=f"{why} {cite(info.sources[:4])}".strip(),
        next_steps=info.next_steps,
        sources=info.sources,
        urgent=urgent,
    )


@lru_cache(maxsize=2048)
def conditions_for(
    urgent: bool,
    triggers: tuple[str, ...],
    tops: tuple[str, ...],
    mimicked: tuple[str, ...],
    bilateral_radicular: bool,
    poly_sides: tuple[str, ...],
    age: int | None,
    claud: bool,
    diabetes: bool,
) -> tuple[Condition, ...]:
    """:func:`_conditions` from its inputs: red-flag triggers, each marked side's top
    hypothesis, the most probable root of each side whose top is a nerve (``mimicked``: only
    roots probable enough to be listed on their own), the bilateral and polyneuropathy patterns
    and three history items."""
    out: dict[str, Condition] = {}

    def add(cid: str, why: str, urgent_flag: bool = False) -> None:
        if cid not in out:
            out[cid] = _condition(cid, why, urgent_flag)

    if urgent:
        add("cauda_equina", "Red-flag features: " + "; ".join(triggers) + ".", True)
    older = age is not None and age >= 60
    if bilateral_radicular and (claud or older):
        why = "Both legs show a root pattern"
        if claud:
            why += " with symptoms on walking or standing eased by sitting or bending forward"
        if older:
            why += f", age {age}"
        add("spinal_stenosis", why + ".")
        add(
            "spondylolisthesis",
            "Degenerative slip at L4-5 often narrows the canal and presents like stenosis.",
        )
    if poly_sides:
        legs = "both legs" if len(poly_sides) == 2 else f"the {poly_sides[0]} leg"
        why = f"A length-dependent polyneuropathy is the most probable reading of {legs}"
        if diabetes:
            why += "; diabetes is the commonest cause"
        add("polyneuropathy", why + ".")
    roots_seen = [r for r in tops if not is_nerve(r)]
    nerves_seen = [r for r in tops if is_nerve(r)]
    if claud and roots_seen:
        add(
            "spinal_stenosis",
            "Symptoms on walking or standing eased by sitting or bending forward (neurogenic "
            "claudication).",
        )
    for root in dict.fromkeys(roots_seen):
        if root == "L5":
            add(
                "disc_herniation",
                "L5 pattern: most often an L4-5 posterolateral herniation, less often an L5-S1 "
                "far-lateral one.",
            )
            if age is not None and age < 50:
                add(
                    "spondylolisthesis",
                    "L5 pattern in a younger patient: isthmic slip at L5-S1 pinches the exiting L5 "
                    "root.",
                )
            add(
                "spondylolisthesis",
                "L5 pattern: a degenerative slip at L4-5 (women over 50) narrows the lateral "
                "recess; an isthmic slip at L5-S1 pinches the exiting L5 root.",
            )
            add("spinal_stenosis", "L5 pattern: lateral-recess stenosis at L4-5.")
        elif root == "S1":
            add("disc_herniation", "S1 pattern: most often an L5-S1 posterolateral herniation.")
            add("spinal_stenosis", "S1 pattern: lateral-recess stenosis at L5-S1.")
        elif root == "L4":
            add(
                "disc_herniation",
                "L4 pattern: an L3-4 posterolateral or an L4-5 far-lateral herniation.",
            )
            add("spinal_stenosis", "L4 pattern: stenosis at L3-4 or L4-5.")
        elif root in ("L1", "L2", "L3"):
            add("disc_herniation", f"{root} pattern: upper lumbar herniations are uncommon.")
            add("spinal_stenosis", f"{root} pattern: stenosis at an upper lumbar level.")
        elif root in ("S2", "S3", "S4", "S5"):
            add("disc_herniation", f"{root} pattern: a large L5-S1 herniation.")
            add("cauda_equina", "Sacral root pattern: ask the cauda equina questions.")
    if nerves_seen:
        nerves = list(dict.fromkeys(nerves_seen))
        named = join(the_hypothesis(n) for n in nerves)
        whose = "of each leg " if len(nerves) > 1 else ""
        add("peripheral_entrapment", f"The most probable lesion {whose}is a single nerve: {named}.")
    if mimicked:
        roots = join(hypothesis_name(r) for r in dict.fromkeys(mimicked))
        add("disc_herniation", f"The alternative to the nerve is the {roots}, which it mimics.")
    return tuple(out.values())
