"""What the evidence rows can ask about one side: exam findings, history and a few patterns,
as ``key -> value`` (keys as in ``assets/clinical/evidence.json``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from core.engine.evidence import Row, evidence
from core.model import Clonus, Findings, PlantarResponse, ReflexGrade, Side, Strength

DOWN = (ReflexGrade.REDUCED, ReflexGrade.ABSENT)
FOOT_DROP = ("ankle_dorsiflexion", "great_toe_extension")


def umn_signs(f: Findings, side: Side) -> list[tuple[str, Any]]:
    """Upper motor neuron signs on ``side``: brisk reflexes, an extensor plantar response,
    clonus (as ``(key, value)`` pairs)."""
    signs: list[tuple[str, Any]] = [
        (f"reflex:{r}", str(g))
        for r, g in f.reflexes.get(side, {}).items()
        if g is ReflexGrade.BRISK
    ]
    if f.plantar_response.get(side) is PlantarResponse.EXTENSOR:
        signs.append(("plantar_response", PlantarResponse.EXTENSOR.value))
    if f.clonus.get(side) is Clonus.PRESENT:
        signs.append(("clonus", Clonus.PRESENT.value))
    return signs


def side_facts(f: Findings, side: Side, symmetric: bool | None) -> dict[str, Any]:
    """Facts of ``side``; ``symmetric`` is the bilateral-symmetry pattern of the marks (``None``
    when this side has no marks)."""
    facts: dict[str, Any] = {}
    for r, g in f.reflexes.get(side, {}).items():
        facts[f"reflex:{r}"] = str(g)
    for m, s in f.strength.get(side, {}).items():
        facts[f"strength:{m}"] = str(s)
    for t, v in f.tests.get(side, {}).items():
        facts[f"test:{t}"] = str(v)
    h = f.history
    for name in ("back_pain", "neurogenic_claudication", "diabetes", "local_cause", "progressive"):
        value = getattr(h, name)
        if value is not None:
            facts[f"history:{name}"] = value
    if h.local_cause_site is not None:
        facts["history:local_cause_site"] = h.local_cause_site.value
    for point, scores in f.sensation.get(side, {}).items():
        if scores:
            facts[f"sensation:{point}"] = "reduced" if min(scores.values()) < 2 else "normal"
    if side in f.plantar_response:
        facts["plantar_response"] = f.plantar_response[side].value
    if side in f.clonus:
        facts["clonus"] = f.clonus[side].value
    strength = f.strength.get(side, {})
    drop = [strength[m] for m in strength if m.value in FOOT_DROP]
    if any(s is Strength.WEAK for s in drop):
        facts["pattern:foot_drop"] = True
    elif drop:
        facts["pattern:foot_drop"] = False
    if strength:
        facts["pattern:any_weakness"] = any(s is Strength.WEAK for s in strength.values())
    reflexes = f.reflexes.get(side, {})
    if reflexes:
        facts["pattern:any_reflex_down"] = any(g in DOWN for g in reflexes.values())
    if symmetric is not None:
        facts["pattern:bilateral_symmetric"] = symmetric
    facts["pattern:umn_signs"] = bool(umn_signs(f, side))
    if not facts["pattern:umn_signs"]:
        del facts["pattern:umn_signs"]
    return facts


@cache
def _rows_by_key() -> dict[str, tuple[Row, ...]]:
    """Each evidence row under the first key it asks about (``both_sides:`` stripped)."""
    out: dict[str, list[Row]] = {}
    for row in evidence().rows:
        key = row.when[0][0].removeprefix("both_sides:")
        out.setdefault(key, []).append(row)
    return {k: tuple(v) for k, v in out.items()}


def matching_rows(facts: dict[str, Any], other: dict[str, Any]) -> list[Row]:
    """Evidence rows whose every condition holds (``both_sides:`` keys on both sides)."""
    out = []
    index = _rows_by_key()
    candidates = [row for key in facts for row in index.get(key, ())]
    for row in candidates:
        for key, allowed in row.when:
            if key.startswith("both_sides:"):
                k = key[len("both_sides:") :]
                if facts.get(k) not in allowed or other.get(k) not in allowed:
                    break
            elif key not in facts or facts[key] not in allowed:
                break
        else:
            out.append(row)
    return out
