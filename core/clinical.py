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

from core import citations
from core.assets import load_json
from core.zones import area_of
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
    same_as: str = ""  # the id of the entry for the same work ("" for that entry itself)


GRADES: tuple[str, ...] = ("core", "shared", "occasional")
"""Atlas grades, strongest first (see docs/atlases.md)."""

GRADE_WEIGHT: Mapping[str, float] = MappingProxyType(
    {"core": 1.0, "shared": 0.5, "occasional": 0.25}
)
"""Display weight of each grade (for drawing and sorting only; the engine reads grades)."""


@dataclass(frozen=True)
class Atlas:
    """A dermatome map: canonical area id -> root id -> grade (``core``/``shared``/``occasional``).

    Parameters
    ----------
    id, name, short_name, description
        Identity and a short account of what the map is made of.
    sources
        Reference ids of the map as a whole.
    grades
        Area -> root -> grade; every canonical area is present (possibly empty). A root not
        listed is outside the area on this map.
    unassigned
        Areas this map does not assign at all (not drawn on its figure).
    variable
        Areas the map marks as highly variable (no root assigned; Lee's blank areas).
    area_sources
        Area -> reference ids for that area's row.
    notes
        Area -> root -> short note on that cell (map disagreements, key points).
    source_figure
        ``{"ref": ..., "figure": ...}``: the figure the encoding was read from (may be empty).
    interpretation
        What had to be interpreted when encoding the map.
    """

    id: str
    name: str
    short_name: str
    description: str
    sources: tuple[str, ...]
    grades: Mapping[str, Mapping[str, str]]
    unassigned: frozenset[str] = frozenset()
    variable: frozenset[str] = frozenset()
    area_sources: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    source_figure: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    interpretation: tuple[str, ...] = ()
    weights: Mapping[str, Mapping[str, float]] = field(init=False, repr=False, compare=False)
    """Area -> root -> display weight (core 1.0, shared 0.5, occasional 0.25), from ``grades``."""

    def __post_init__(self) -> None:
        display = {
            area: MappingProxyType({r: GRADE_WEIGHT.get(g, 0.0) for r, g in row.items()})
            for area, row in self.grades.items()
        }
        object.__setattr__(self, "weights", MappingProxyType(display))

    def grade(self, area: str, root: str) -> str | None:
        """Grade of ``root`` in ``area`` (``None`` when outside, unassigned or unknown)."""
        return self.grades.get(area, {}).get(root)

    @property
    def low_specificity(self) -> frozenset[str]:
        """Former name of :attr:`variable` (kept for existing callers)."""
        return self.variable

    def weight(self, area: str, root: str) -> float:
        """Display weight of ``root`` in ``area`` (0 when absent or unknown)."""
        return self.weights.get(area, {}).get(root, 0.0)

    def territory(self, root: str, minimum: float = 0.75) -> tuple[str, ...]:
        """Areas where ``root``'s display weight is >= ``minimum``, in spec order."""
        return tuple(a for a in self.grades if self.weight(a, root) >= minimum)

    def roots_of(self, area: str) -> tuple[tuple[str, float], ...]:
        """(root, display weight) pairs of ``area``, strongest first (ties in root order)."""
        row = self.weights.get(area, {})
        return tuple(sorted(row.items(), key=lambda kv: (-kv[1], ROOT_IDS.index(kv[0]))))

    def sources_of(self, area: str) -> tuple[str, ...]:
        """Reference ids for ``area`` on this map (the map's own sources if none given)."""
        return self.area_sources.get(area, self.sources)


#: Evidence grades of nerves.json (``core`` / ``shared`` / ``occasional``) and the number each
#: shows as in overlays and tooltips: the atlases' (display only; the engine reads the grades).
NERVE_GRADES: Mapping[str, float] = GRADE_WEIGHT


@dataclass(frozen=True)
class Nerve:
    """A peripheral nerve that can mimic a root lesion.

    ``territory`` maps canonical area -> grade (``core``, ``shared`` or ``occasional``); the
    engine reads it. ``zones`` maps diagram zone ids -> grade where the nerve covers only part
    of an area (for drawing, see :meth:`zone_grade`); ``zone_notes`` adds a tooltip line there.
    ``branch_of`` names the nerve this one leaves (whose territory covers this one's), if any.
    """

    id: str
    name: str
    roots: tuple[str, ...]
    territory: Mapping[str, str]
    motor: str
    pure_sensory: bool
    distinguishing: str
    causes: str
    sources: tuple[str, ...]
    zones: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    zone_notes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    branch_of: str | None = None
    next_steps: tuple[str, ...] = ()  # the nerve's own first steps, ahead of the card's
    course: tuple[str, ...] = ()  # areas outside its skin where its pain is often felt
    course_sources: tuple[str, ...] = ()

    def grade(self, area: str) -> str | None:
        """Grade of ``area`` in this nerve's territory (None outside it)."""
        return self.territory.get(area)

    def weight(self, area: str) -> float:
        """Display number of ``area``'s grade (1.0 / 0.5 / 0.25; 0 outside the territory)."""
        return NERVE_GRADES.get(self.territory.get(area, ""), 0.0)

    def zone_grade(self, zone: str) -> str | None:
        """Grade with which the diagram draws this nerve on ``zone`` (a drawn zone id).

        A zone listed in ``zones`` has its own grade; an area with listed zones is drawn on
        those zones only (None elsewhere in it); any other zone takes its area's grade.
        """
        listed = self.zones.get(zone)
        if listed is not None:
            return listed
        area = area_of(zone)
        if any(area_of(z) == area for z in self.zones):
            return None
        return self.territory.get(area)


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
    matches: tuple[str, ...] = ()  # the patterns or first lesions it fits (data's "matches")


@dataclass(frozen=True)
class Disagreement:
    """One area/root cell where two atlases really differ (see :func:`disagreements`)."""

    area: str
    root: str
    weight_a: float
    weight_b: float
    note: str  # a map's own note on the cell, "" when neither map has one
    sources: tuple[str, ...]
    grade_a: str | None = None
    grade_b: str | None = None


def _load(name: str) -> Any:
    return load_json(f"clinical/{name}")


def _uniq(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@cache
def references() -> dict[str, Reference]:
    """All references by id (``R1`` ... ``R81``, sub-ids like ``R8a``, ``DM-H``)."""
    data = _load("references.json")["references"]
    return {
        k: Reference(
            k,
            citations.citation_text(v),
            citations.link(v),
            str(v.get("kind", "")),
            str(v.get("doi", "")),
            str(v.get("pmid", "")),
            str(v.get("same_as", "")),
        )
        for k, v in data.items()
    }


ATLAS_ALIASES: Mapping[str, str] = MappingProxyType({"foerster_lee": "lee"})
"""Former atlas ids -> current ids (``foerster_lee`` was split into ``foerster`` and ``lee``)."""

PUBLISHED_ATLASES: tuple[str, ...] = ("keegan_garrett", "foerster", "lee")
"""The maps encoded from a published figure (``consensus`` is the project's synthesis)."""

MAIN_GRADES: frozenset[str] = frozenset({"core", "shared"})
"""Grades that put a root in an area's root set when maps are compared."""


class _AtlasTable(dict[str, "Atlas"]):
    """The atlases by id; indexing with a former id (:data:`ATLAS_ALIASES`) gives its successor."""

    def __missing__(self, key: str) -> Atlas:
        if key in ATLAS_ALIASES:
            return self[ATLAS_ALIASES[key]]
        raise KeyError(key)


@cache
def atlases() -> dict[str, Atlas]:
    """The dermatome maps by id: ``consensus``, ``keegan_garrett``, ``foerster``, ``lee``.

    Iteration lists the current ids only; ``atlases()["foerster_lee"]`` resolves through
    :data:`ATLAS_ALIASES`.
    """
    out: dict[str, Atlas] = _AtlasTable()
    canonical = list(_areas())
    for a in _load("atlases.json")["atlases"]:
        rows = a["areas"]
        grades = {
            area: MappingProxyType(
                {r: str(g) for r, g in (rows.get(area, {}).get("roots") or {}).items()}
            )
            for area in canonical
        }
        out[a["id"]] = Atlas(
            id=a["id"],
            name=a["name"],
            short_name=a.get("short_name", a["name"]),
            description=a["description"],
            sources=tuple(a["sources"]),
            grades=MappingProxyType(grades),
            unassigned=frozenset(a.get("unassigned", ())),
            variable=frozenset(a.get("variable", ())),
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
            source_figure=MappingProxyType(dict(a.get("source_figure", {}))),
            interpretation=tuple(a.get("interpretation", ())),
        )
    return out


def _grades(row: Mapping[str, Any], what: str) -> MappingProxyType[str, str]:
    bad = {k: v for k, v in row.items() if v not in NERVE_GRADES}
    if bad:
        raise ValueError(f"nerves.json: {what}: unknown grade(s) {bad}")
    return MappingProxyType(dict(row))


@cache
def nerves() -> dict[str, Nerve]:
    """The peripheral-nerve mimics by id (``common_peroneal``, ``sural``, ``obturator`` ...)."""
    rows = _load("nerves.json")["nerves"]
    ids = {n["id"] for n in rows}
    for n in rows:
        if n.get("branch_of") is not None and n["branch_of"] not in ids:
            raise ValueError(f"nerves.json: {n['id']}: branch_of {n['branch_of']!r} is no nerve")
    return {
        n["id"]: Nerve(
            id=n["id"],
            name=n["name"],
            roots=tuple(n["roots"]),
            territory=_grades(n["territory"], n["id"]),
            motor=n["motor"],
            pure_sensory=bool(n["pure_sensory"]),
            distinguishing=n["distinguishing"],
            causes=n["causes"],
            sources=tuple(n["sources"]),
            zones=_grades(n.get("zones", {}), n["id"]),
            zone_notes=MappingProxyType(dict(n.get("zone_notes", {}))),
            branch_of=n.get("branch_of"),
            next_steps=tuple(n.get("next_steps", ())),
            course=_course(n),
            course_sources=tuple(n.get("course_sources", ())),
        )
        for n in rows
    }


def _course(n: Mapping[str, Any]) -> tuple[str, ...]:
    """A nerve's ``course``: areas outside its skin, each sourced (``course_sources``)."""
    course = tuple(n.get("course", ()))
    if course and not n.get("course_sources"):
        raise ValueError(f"nerves.json: {n['id']}: course without course_sources")
    unknown = sorted(set(course) - set(_areas()))
    if unknown:
        raise ValueError(f"nerves.json: {n['id']}: unknown course areas {unknown}")
    inside = sorted(set(course) & set(n["territory"]))
    if inside:
        raise ValueError(f"nerves.json: {n['id']}: course areas inside the territory: {inside}")
    return course


@cache
def nerves_drawn_on(zone: str) -> tuple[str, ...]:
    """The nerves the diagram draws on ``zone`` (a drawn zone id), the one shown first first.

    Highest grade first; on a tie, a nerve that names the zone in its ``zones`` (drawn where
    the anatomy texts draw it) comes before one reaching it only through its area, then the
    order of nerves.json, except that a branch comes before the nerve it leaves
    (``branch_of``), which covers its skin too.
    """
    table = nerves()
    ranks: dict[str, tuple[float, bool]] = {}
    for nid, nerve in table.items():
        grade = nerve.zone_grade(zone)
        if grade is not None:
            ranks[nid] = (NERVE_GRADES[grade], zone in nerve.zones)
    order = sorted(ranks, key=lambda nid: ranks[nid], reverse=True)  # stable: file order
    for nid in list(order):
        parent = table[nid].branch_of
        if parent is None or ranks.get(parent) != ranks[nid]:
            continue  # not a branch, or not drawn alike
        if order.index(parent) < order.index(nid):
            order.remove(nid)
            order.insert(order.index(parent), nid)
    return tuple(order)


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
            c["id"],
            c["name"],
            c["summary"],
            tuple(c["next_steps"]),
            tuple(c["sources"]),
            tuple(c.get("matches", ())),
        )
        for c in _load("conditions.json")["conditions"]
    }


def main_roots(atlas: Atlas, area: str) -> frozenset[str] | None:
    """Roots ``atlas`` grades core or shared in ``area``; None if the map leaves it unassigned
    or variable (the map makes no claim there to compare)."""
    if area in atlas.unassigned or area in atlas.variable:
        return None
    return frozenset(r for r, g in atlas.grades.get(area, {}).items() if g in MAIN_GRADES)


@cache
def disagreements(
    atlas_a: str, atlas_b: str, threshold: float | None = None
) -> tuple[Disagreement, ...]:
    """Cells where the two atlases really differ (spec area order, root order).

    Without ``threshold`` (the definition the overlays use, docs/atlases.md): a cell differs
    when the root is core or shared on one map and absent or only occasional on the other, in
    an area both maps assign (areas either map leaves unassigned or variable are not compared).
    Core against shared for the same root is not a difference. With ``threshold``: the older
    numeric rule, display weights differing by at least ``threshold``.

    Raises
    ------
    KeyError
        If either atlas id is unknown.
    """
    maps = atlases()
    a, b = maps[atlas_a], maps[atlas_b]
    out: list[Disagreement] = []
    for area in a.grades:
        set_a, set_b = main_roots(a, area), main_roots(b, area)
        if threshold is None and (set_a is None or set_b is None):
            continue
        for root in ROOT_IDS:
            wa, wb = a.weight(area, root), b.weight(area, root)
            if threshold is None:
                assert set_a is not None and set_b is not None
                if (root in set_a) == (root in set_b):
                    continue
            elif abs(wa - wb) + 1e-9 < threshold:
                continue
            ga, gb = a.grade(area, root), b.grade(area, root)
            # a map's own note on the cell, or "" (the grades say the rest: a fallback sentence
            # built from them repeated the grades, with the area's id, beside every view's own)
            note = b.notes.get(area, {}).get(root, "") or a.notes.get(area, {}).get(root, "")
            srcs = _uniq((*a.sources_of(area), *b.sources_of(area)))
            out.append(Disagreement(area, root, wa, wb, note, srcs, ga, gb))
    return tuple(out)


def disagreeing_areas(atlas_ids: Iterable[str] = PUBLISHED_ATLASES) -> dict[str, tuple[str, ...]]:
    """Areas where any two of ``atlas_ids`` really differ -> the roots in question (root order).

    This is what "where maps disagree" marks; see :func:`disagreements` for the rule.
    """
    ids = list(dict.fromkeys(atlases()[i].id for i in atlas_ids))
    roots: dict[str, set[str]] = {}
    for i, x in enumerate(ids):
        for y in ids[i + 1 :]:
            for d in disagreements(x, y):
                roots.setdefault(d.area, set()).add(d.root)
    order = list(_areas())
    return {
        area: tuple(r for r in ROOT_IDS if r in roots[area])
        for area in sorted(roots, key=order.index)
    }


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
