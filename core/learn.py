"""Student modes, explore: territory queries and atlas comparison (the quiz: :mod:`core.quiz`,
:mod:`core.quiz_generation`).

Everything here is read from the same clinical data the clinical mode uses
(:mod:`core.clinical` atlases and nerves, the diagram zones of :mod:`core.geometry`, and
:func:`core.engine.analyze`), so what a student is taught is exactly what the app applies.

Territory thresholds
--------------------
Atlas weights use the scale of the clinical reference (section 7.2): ``1.0`` core territory,
``0.75`` strong shared territory, ``0.5`` overlap, ``0.25`` occasional. :func:`territory_zones`
returns the zones whose weight is **at or above** a stated ``minimum`` (default ``0.5``), so the
UI can draw core (1.0), strong (0.75) and overlap (0.5) zones differently; "occasional" cells
(0.25) are never shown as territory.

Zones and sides
---------------
A diagram zone id is a canonical area (``dorsum_of_foot``) or a finer zone
(``dorsum_of_foot.medial``); a finer zone takes its canonical area's weight. Results are keyed by
``(zone id, Side)`` and cover every zone drawn on any view, on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from core import clinical
from core.assets import load_json
from core.model import (
    Side,
)
from core.names import hypothesis_name, is_nerve, is_root, nerve_id, nerve_names
from core.zones import area_of, areas, display_name, expand

CORE = 1.0
"""Weight of core (primary) territory."""
STRONG = 0.75
"""Weight of strong shared territory."""
OVERLAP = 0.5
"""Weight of an overlap zone; the default :func:`territory_zones` threshold."""

ZoneKey = tuple[str, Side]
EPS = 1e-9


# --------------------------------------------------------------------------- diagram zones


def _polygon_area(points: Iterable[tuple[float, float]]) -> float:
    pts = list(points)
    s = 0.0
    for i in range(len(pts)):
        x0, y0 = pts[i - 1]
        x1, y1 = pts[i]
        s += x0 * y1 - x1 * y0
    return abs(s) / 2.0


@cache
def diagram_zones() -> dict[ZoneKey, float]:
    """Every ``(zone id, side)`` drawn on the diagram, with its size (largest polygon area).

    Falls back to the canonical areas (size 1) when no diagram asset is installed.
    """
    try:
        from core.geometry import load_diagram

        diagram = load_diagram()
    except FileNotFoundError:
        return {(a, s): 1.0 for a in areas() for s in Side}
    out: dict[ZoneKey, float] = {}
    for shape in diagram.zones():
        key = (shape.id, shape.side)
        out[key] = max(out.get(key, 0.0), _polygon_area(shape.points))
    return out


def zone_areas(zone: str) -> tuple[str, ...]:
    """Canonical areas a zone (or alias) stands for."""
    return expand(area_of(zone))


# --------------------------------------------------------------------------- territories


def area_weight(target: str, area: str, atlas: str = "consensus") -> float:
    """Weight of ``target`` (root id or ``peripheral:<nerve>``) in canonical ``area``.

    Nerve territories do not depend on the dermatome atlas.
    """
    if is_nerve(target):
        return clinical.nerves()[nerve_id(target)].weight(area)
    return clinical.atlases()[atlas].weight(area, target)


def _check_target(target: str, atlas: str) -> None:
    if is_nerve(target):
        if nerve_id(target) not in clinical.nerves():
            raise KeyError(f"unknown nerve {target!r}")
    elif target not in clinical.roots():
        raise KeyError(f"unknown root {target!r}")
    if atlas not in clinical.atlases():
        raise KeyError(f"unknown atlas {atlas!r}")


def zone_weight(target: str, zone: str, atlas: str = "consensus") -> float:
    """Weight of ``target`` in a diagram zone (its canonical area's weight; max over an alias)."""
    return max((area_weight(target, a, atlas) for a in zone_areas(zone)), default=0.0)


def territory_zones(target: str, atlas: str, minimum: float = OVERLAP) -> dict[ZoneKey, float]:
    """Every diagram zone (all views, both sides) where ``target`` has weight >= ``minimum``.

    Parameters
    ----------
    target
        A root id (``L1`` ... ``S5``) or ``peripheral:<nerve>``.
    atlas
        Dermatome atlas id (ignored for nerves, whose territories are atlas-independent).
    minimum
        The stated weight threshold: ``1.0`` core only, ``0.75`` core + strong shared,
        ``0.5`` (default) also overlap zones.

    Returns
    -------
    dict
        ``{(zone id, side): weight}``.

    Raises
    ------
    KeyError
        Unknown root, nerve or atlas.
    """
    _check_target(target, atlas)
    out: dict[ZoneKey, float] = {}
    for zone, side in diagram_zones():
        w = drawn_weight(target, zone, atlas)
        if w > 0 and w + EPS >= minimum:
            out[(zone, side)] = w
    return out


def drawn_weight(target: str, zone: str, atlas: str = "consensus") -> float:
    """Weight with which the diagram draws ``target`` on a drawn ``zone`` (before any threshold).

    A nerve is drawn as the overlay draws it, with its finer per-zone grades
    (:meth:`core.clinical.Nerve.zone_grade`); a root takes its canonical area's atlas weight.
    """
    if is_nerve(target):
        grade = clinical.nerves()[nerve_id(target)].zone_grade(zone)
        return clinical.NERVE_GRADES[grade] if grade else 0.0
    return zone_weight(target, zone, atlas)


@dataclass(frozen=True)
class Tier:
    """One line of the Explore card: the drawn zones where a target has one weight.

    Attributes
    ----------
    label : str
        ``Core``, ``Shared``, ``Occasional (not shaded)``, ...
    weight : float
        The weight the diagram gives every zone of the tier.
    zones : tuple of str
        Drawn zone ids (side-less: a territory is the same on both sides), in diagram order.
    shaded : bool
        Whether the diagram shades these zones (weight at or above :data:`OVERLAP`).
    """

    label: str
    weight: float
    zones: tuple[str, ...]
    shaded: bool


def territory_tiers(target: str, atlas: str = "consensus") -> tuple[Tier, ...]:
    """The drawn zones of ``target`` grouped by weight, strongest first, with the same per-zone
    weights as :func:`territory_zones` (so a card built on them lists exactly what is drawn);
    "occasional" zones come last, marked as not shaded."""
    _check_target(target, atlas)
    by_weight: dict[float, list[str]] = {}
    for zone in dict.fromkeys(z for z, _s in diagram_zones()):
        w = drawn_weight(target, zone, atlas)
        if w > 0:
            by_weight.setdefault(w, []).append(zone)
    out = []
    for w in sorted(by_weight, reverse=True):
        shaded = w + EPS >= OVERLAP
        word = weight_word(w)
        label = word[0].upper() + word[1:] + ("" if shaded else " (not shaded)")
        out.append(Tier(label, w, tuple(by_weight[w]), shaded))
    return tuple(out)


def zone_names(zones: Iterable[str]) -> tuple[str, ...]:
    """Drawn zone ids as short lower-case names, grouped by area in spec order: the area's
    name when they are all its drawn zones ("middle toes"), else its parts ("plantar toes
    (great, middle)"; a bare area zone beside finer ones is named by the area)."""
    wanted = set(zones)
    drawn = list(dict.fromkeys(z for z, _s in diagram_zones()))
    out: list[str] = []
    for area in areas():
        of_area = [z for z in drawn if area_of(z) == area]
        mine = [z for z in of_area if z in wanted]
        if not mine:
            continue
        name = areas()[area].name
        if mine == of_area:
            out.append(name.lower())
            continue
        if area in mine:
            out.append(name.lower())
        parts = [
            display_name(z).removeprefix(f"{name} (").removesuffix(")") for z in mine if z != area
        ]
        if parts:
            out.append(f"{name} ({', '.join(parts)})".lower())
    return tuple(out)


def zone_supply(zone: str) -> dict[str, tuple[tuple[str, float], ...]]:
    """Roots supplying ``zone`` under each atlas: atlas id -> ((root, weight), ...), best first."""
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for aid, atlas in clinical.atlases().items():
        best: dict[str, float] = {}
        for area in zone_areas(zone):
            for root, w in atlas.roots_of(area):
                best[root] = max(best.get(root, 0.0), w)
        ordered = sorted(best.items(), key=lambda kv: (-kv[1], clinical.ROOT_IDS.index(kv[0])))
        out[aid] = tuple((r, w) for r, w in ordered if w > 0)
    return out


def zone_nerves(zone: str) -> tuple[tuple[str, float], ...]:
    """Peripheral nerves supplying ``zone``: ((nerve id, weight), ...), best first; on a tie a
    branch comes before the nerve it leaves (the deep peroneal before the common peroneal on
    the first web space), as the diagram draws them (:func:`core.clinical.nerves_drawn_on`)."""
    found: list[tuple[str, float]] = []
    for nid, nerve in clinical.nerves().items():
        w = max((nerve.weight(a) for a in zone_areas(zone)), default=0.0)
        if w > 0:
            found.append((nid, w))
    parents = {clinical.nerves()[nid].branch_of for nid, _w in found}
    return tuple(sorted(found, key=lambda kv: (-kv[1], kv[0] in parents)))


def target_name(target: str) -> str:
    """Display name: ``L5``, the nerve's name, or another hypothesis's ("Polyneuropathy",
    where the quiz showed the id among capitalised choices)."""
    if is_nerve(target):
        return nerve_names().get(nerve_id(target), nerve_id(target).replace("_", " "))
    return target if is_root(target) else hypothesis_name(target)


def target_sources(target: str, atlas: str = "consensus") -> tuple[str, ...]:
    """Reference ids behind a root's map (atlas sources + root facts) or a nerve's territory."""
    if is_nerve(target):
        return clinical.nerves()[nerve_id(target)].sources
    return known_references((*clinical.roots()[target].sources, *clinical.atlases()[atlas].sources))


def known_references(ids: Iterable[str]) -> tuple[str, ...]:
    refs = clinical.references()
    return tuple(dict.fromkeys(i for i in ids if i in refs))


# --------------------------------------------------------------------------- atlas comparison


@dataclass(frozen=True)
class ZoneDisagreement:
    """One area/root cell where two atlases differ, mapped onto the diagram.

    Attributes
    ----------
    area, area_name : str
        Canonical area id and its display name.
    root : str
        The root whose weight differs.
    weight_a, weight_b : float
        Its weight in the first and second atlas.
    explanation : str
        A short sentence on what differs (and the map note when there is one).
    sources : tuple of str
        Reference ids.
    zones : tuple of (zone id, Side)
        Diagram zones of that area on both sides.
    """

    area: str
    area_name: str
    root: str
    weight_a: float
    weight_b: float
    explanation: str
    sources: tuple[str, ...]
    zones: tuple[ZoneKey, ...]

    @property
    def difference(self) -> float:
        return abs(self.weight_a - self.weight_b)


_WEIGHT_WORDS = {1.0: "core", 0.75: "strong shared", 0.5: "shared", 0.25: "occasional"}
"""The grade a display weight stands for, named as the maps grade it (docs/atlases.md: core,
shared, occasional); 0.5 read "overlap" in the quiz where the map says "shared"."""


def myotome_roots() -> dict[str, tuple[str, ...]]:
    """Movement -> the roots supplying it, as the engine's evidence table has it
    (``myotomes`` in ``assets/clinical/evidence.json``)."""
    table = load_json("clinical/evidence.json")["myotomes"]["movements"]
    return {m: tuple(v["roots"]) for m, v in table.items()}


def root_movements(root: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``root``'s main movements (the root's own list) and the other movements it also
    supplies in the myotome table, so a card and a quiz answer name the same supply."""
    main = clinical.roots()[root].movements
    also = tuple(m for m, roots in myotome_roots().items() if root in roots and m not in main)
    return main, also


def weight_word(w: float) -> str:
    """``core`` / ``strong shared`` / ``shared`` / ``occasional`` / ``not included``."""
    if w <= 0:
        return "not included"
    best = min(_WEIGHT_WORDS, key=lambda k: abs(k - w))
    return _WEIGHT_WORDS[best]


def zones_of_area(area: str) -> tuple[ZoneKey, ...]:
    return tuple(k for k in diagram_zones() if area in zone_areas(k[0]))


def compare_atlases(a: str, b: str, threshold: float = 0.25) -> list[ZoneDisagreement]:
    """Where atlases ``a`` and ``b`` disagree (weight difference >= ``threshold``), explained.

    Built on :func:`core.clinical.disagreements`; largest differences first, then spec order.
    """
    maps = clinical.atlases()
    na, nb = maps[a].short_name, maps[b].short_name
    out: list[ZoneDisagreement] = []
    for d in clinical.disagreements(a, b, threshold):
        name = areas()[d.area].name if d.area in areas() else display_name(d.area)
        text = (
            f"{d.root} in the {name.lower()}: {weight_word(d.weight_a)} ({d.weight_a:g}) on "
            f"{na}, {weight_word(d.weight_b)} ({d.weight_b:g}) on {nb}."
        )
        if d.note:
            text += f" Note: {d.note}."
        out.append(
            ZoneDisagreement(
                d.area,
                name,
                d.root,
                d.weight_a,
                d.weight_b,
                text,
                known_references(d.sources),
                zones_of_area(d.area),
            )
        )
    order = {area: i for i, area in enumerate(areas())}
    out.sort(key=lambda z: (-z.difference, order.get(z.area, 99)))
    return out


def disagreement_zones(a: str, b: str, threshold: float = 0.25) -> dict[ZoneKey, float]:
    """Diagram zones where ``a`` and ``b`` disagree -> strength (largest weight difference)."""
    out: dict[ZoneKey, float] = {}
    for d in compare_atlases(a, b, threshold):
        for key in d.zones:
            out[key] = min(1.0, max(out.get(key, 0.0), d.difference))
    return out


def drawn_areas() -> frozenset[str]:
    return frozenset(a for zone, _s in diagram_zones() for a in zone_areas(zone))
