"""Clinical reference data: dermatome atlases, roots, nerves, conditions, red flags, references.

Everything is read lazily from ``assets/clinical/*.json`` on first use and cached; the objects are
frozen and safe to share. Every entry carries ``sources`` (reference ids such as ``R13``) that
resolve in :func:`references`; ``DM-H`` marks a Dermamap design choice (not a published number).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from core.assets import load_json
from core.zones import areas as _areas

ROOT_IDS: tuple[str, ...] = ("L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5")


@dataclass(frozen=True)
class Reference:
    """A cited source: ``id`` (e.g. ``R13``), full citation text and its link (DOI, PubMed or
    the publisher). ``kind`` (``journal_article``, ``book``, ``guideline`` ...), ``doi`` and
    ``pmid`` come from the structured entry in ``references.json``."""

    id: str
    citation: str
    url: str = ""
    kind: str = ""
    doi: str = ""
    pmid: str = ""


@dataclass(frozen=True)
class Atlas:
    """A dermatome map: canonical area id -> root id -> weight (0..1).

    Parameters
    ----------
    id, name, short_name, description
        Identity and a short account of what the map is made of.
    sources
        Reference ids of the map as a whole.
    weights
        Area -> root -> weight; every canonical area is present (possibly empty).
    low_specificity
        Areas whose region specificity is halved (highly variable zones on this map).
    area_sources
        Area -> reference ids for that area's row.
    notes
        Area -> root -> short note on that cell (map disagreements, key points).
    """

    id: str
    name: str
    short_name: str
    description: str
    sources: tuple[str, ...]
    weights: Mapping[str, Mapping[str, float]]
    low_specificity: frozenset[str]
    area_sources: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))

    def weight(self, area: str, root: str) -> float:
        """Weight of ``root`` in ``area`` (0 when absent or unknown)."""
        return self.weights.get(area, {}).get(root, 0.0)

    def territory(self, root: str, minimum: float = 0.75) -> tuple[str, ...]:
        """Areas where ``root`` has weight >= ``minimum``, in spec order."""
        return tuple(a for a, row in self.weights.items() if row.get(root, 0.0) >= minimum)

    def roots_of(self, area: str) -> tuple[tuple[str, float], ...]:
        """(root, weight) pairs of ``area``, highest weight first (ties in root order)."""
        row = self.weights.get(area, {})
        return tuple(sorted(row.items(), key=lambda kv: (-kv[1], ROOT_IDS.index(kv[0]))))

    def sources_of(self, area: str) -> tuple[str, ...]:
        """Reference ids for ``area`` on this map (the map's own sources if none given)."""
        return self.area_sources.get(area, self.sources)


@dataclass(frozen=True)
class Nerve:
    """A peripheral nerve that can mimic a root lesion."""

    id: str
    name: str
    roots: tuple[str, ...]
    territory: Mapping[str, float]
    motor: str
    pure_sensory: bool
    distinguishing: str
    causes: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RootInfo:
    """Key point, key muscle, myotome, reflex and pain pattern of one root."""

    id: str
    key_point: str
    key_point_area: str | None
    key_muscle: str
    movements: tuple[str, ...]
    reflex: str | None
    pain_pattern: str
    typical_conditions: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RedFlagInfo:
    """Checklist label and description of a cauda equina red flag."""

    id: str
    label: str
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ConditionInfo:
    """A condition the side panel lists, with the usual next steps."""

    id: str
    name: str
    summary: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    """One area/root cell where two atlases differ by at least a threshold."""

    area: str
    root: str
    weight_a: float
    weight_b: float
    note: str
    sources: tuple[str, ...]


def _load(name: str) -> Any:
    return load_json(f"clinical/{name}")


def _uniq(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@cache
def references() -> dict[str, Reference]:
    """All references by id (``R1`` ... ``R81``, sub-ids like ``R8a``, ``DM-H``)."""
    from core import references as _refs

    data = _load("references.json")["references"]
    return {
        k: Reference(
            k,
            _refs.citation_text(v),
            _refs.link(v),
            str(v.get("kind", "")),
            str(v.get("doi", "")),
            str(v.get("pmid", "")),
        )
        for k, v in data.items()
    }


@cache
def atlases() -> dict[str, Atlas]:
    """The dermatome maps by id: ``consensus``, ``keegan_garrett``, ``foerster_lee``."""
    out: dict[str, Atlas] = {}
    canonical = list(_areas())
    for a in _load("atlases.json")["atlases"]:
        rows = a["areas"]
        weights = {
            area: MappingProxyType(
                {r: float(w) for r, w in rows.get(area, {}).get("weights", {}).items()}
            )
            for area in canonical
        }
        out[a["id"]] = Atlas(
            id=a["id"],
            name=a["name"],
            short_name=a.get("short_name", a["name"]),
            description=a["description"],
            sources=tuple(a["sources"]),
            weights=MappingProxyType(weights),
            low_specificity=frozenset(a.get("low_specificity", ())),
            area_sources=MappingProxyType(
                {area: tuple(rows[area].get("sources", ())) for area in canonical if area in rows}
            ),
            notes=MappingProxyType(
                {
                    area: MappingProxyType(dict(rows[area]["notes"]))
                    for area in canonical
                    if area in rows and rows[area].get("notes")
                }
            ),
        )
    return out


@cache
def nerves() -> dict[str, Nerve]:
    """The ten peripheral-nerve mimics by id (``common_peroneal`` ...)."""
    return {
        n["id"]: Nerve(
            id=n["id"],
            name=n["name"],
            roots=tuple(n["roots"]),
            territory=MappingProxyType({k: float(v) for k, v in n["territory"].items()}),
            motor=n["motor"],
            pure_sensory=bool(n["pure_sensory"]),
            distinguishing=n["distinguishing"],
            causes=n["causes"],
            sources=tuple(n["sources"]),
        )
        for n in _load("nerves.json")["nerves"]
    }


@cache
def roots() -> dict[str, RootInfo]:
    """Roots ``L1`` ... ``S5``."""
    return {
        r["id"]: RootInfo(
            id=r["id"],
            key_point=r["key_point"],
            key_point_area=r.get("key_point_area"),
            key_muscle=r["key_muscle"],
            movements=tuple(r["movements"]),
            reflex=r.get("reflex"),
            pain_pattern=r["pain_pattern"],
            typical_conditions=tuple(r["typical_conditions"]),
            sources=tuple(r["sources"]),
        )
        for r in _load("roots.json")["roots"]
    }


@cache
def red_flags() -> dict[str, RedFlagInfo]:
    """Red flags by :class:`core.model.RedFlag` value."""
    return {
        f["id"]: RedFlagInfo(f["id"], f["label"], f["description"], tuple(f["sources"]))
        for f in _load("red_flags.json")["red_flags"]
    }


@cache
def conditions() -> dict[str, ConditionInfo]:
    """Conditions by id (``disc_herniation``, ``spinal_stenosis``, ...)."""
    return {
        c["id"]: ConditionInfo(
            c["id"], c["name"], c["summary"], tuple(c["next_steps"]), tuple(c["sources"])
        )
        for c in _load("conditions.json")["conditions"]
    }


@cache
def disagreements(atlas_a: str, atlas_b: str, threshold: float = 0.25) -> tuple[Disagreement, ...]:
    """Cells where the two atlases differ by at least ``threshold`` (spec area order, root order).

    Raises
    ------
    KeyError
        If either atlas id is unknown.
    """
    maps = atlases()
    a, b = maps[atlas_a], maps[atlas_b]
    out: list[Disagreement] = []
    for area in a.weights:
        for root in ROOT_IDS:
            wa, wb = a.weight(area, root), b.weight(area, root)
            if abs(wa - wb) + 1e-9 < threshold:
                continue
            note_b = b.notes.get(area, {}).get(root, "")
            note_a = a.notes.get(area, {}).get(root, "")
            fallback = f"{root} in {area}: {a.short_name} {wa:g}, {b.short_name} {wb:g}"
            note = note_b or note_a or fallback
            srcs = _uniq((*a.sources_of(area), *b.sources_of(area)))
            out.append(Disagreement(area, root, wa, wb, note, srcs))
    return tuple(out)


def _ref_key(rid: str) -> tuple[int, str]:
    digits = "".join(ch for ch in rid[1:] if ch.isdigit())
    if rid.startswith("R") and digits:
        return (int(digits), rid[1 + len(digits) :])
    return (10_000, rid)


def cite(ids: Iterable[str]) -> str:
    """Bracketed, de-duplicated reference list in input order: ``[R6, R13]`` (empty -> "")."""
    uniq = _uniq(ids)
    return f"[{', '.join(uniq)}]" if uniq else ""


def format_reference(id: str) -> str:
    """Full citation line for display, e.g. ``R13 Netter's neurology text ... <url>``.

    Unknown ids give ``"<id> (unknown reference)"``.
    """
    ref = references().get(id)
    if ref is None:
        return f"{id} (unknown reference)"
    text = f"{ref.id}  {ref.citation}"
    if ref.url and ref.url not in ref.citation:
        text += f" {ref.url}"
    return text


def sorted_reference_ids(ids: Iterable[str]) -> tuple[str, ...]:
    """Reference ids in natural order (R2 before R10; sub-ids after their number)."""
    return tuple(sorted(_uniq(ids), key=_ref_key))
