"""The zone vocabulary: canonical areas, finer diagram zones and group aliases.

Rules (interface spec section 1):

- The 30 canonical area ids are fixed (``assets/areas.json``).
- A finer zone id is ``<area>.<part>`` (e.g. ``dorsum_of_foot.medial``) and belongs to exactly
  that area; the known finer zones are those drawn in the diagram assets.
- Group aliases (``sole``, ``circumferential_lower_leg``) stand for several areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from core.assets import load_json


@dataclass(frozen=True)
class Area:
    """A canonical skin area of the interface spec."""

    id: str
    name: str
    landmark: str
    primary_view: str


@cache
def areas() -> dict[str, Area]:
    """All canonical areas by id, in spec order."""
    data = load_json("areas.json")
    return {
        a["id"]: Area(a["id"], a["name"], a["landmark"], a["primary_view"]) for a in data["areas"]
    }


@cache
def groups() -> dict[str, tuple[str, ...]]:
    """Group aliases -> member area ids."""
    data = load_json("areas.json")
    return {k: tuple(v["members"]) for k, v in data["groups"].items()}


@cache
def fine_zones() -> frozenset[str]:
    """Finer zone ids drawn by the diagram (``<area>.<part>``); empty if no diagram asset."""
    try:
        data = load_json("diagram/views.json")
    except FileNotFoundError:
        return frozenset()
    out: set[str] = set()
    for view in data.get("views", []):
        for zone in view.get("zones", []):
            zid = zone["id"]
            if "." in zid:
                out.add(zid)
    return frozenset(out)


@cache
def retired_zones() -> dict[str, str]:
    """Finer zones an earlier diagram drew -> the zone a saved mark on one now stands for.

    Listed in the diagram asset (``retired_zones``); e.g. ``saddle.inner_thigh`` (the old
    anterior-view saddle triangle) -> ``saddle``. Old session files keep loading.
    """
    try:
        data = load_json("diagram/views.json")
    except FileNotFoundError:
        return {}
    return {str(k): str(v) for k, v in data.get("retired_zones", {}).items()}


def current_zone(zone: str) -> str:
    """``zone`` itself, or what a retired finer zone id now stands for."""
    return retired_zones().get(zone, zone)


def area_of(zone: str) -> str:
    """Canonical area (or group alias) a zone id belongs to: the part before the first dot."""
    return zone.split(".", 1)[0]


def is_known_zone(zone: str) -> bool:
    """True for a canonical area, a group alias, a finer zone the diagram draws or a retired one."""
    return zone in areas() or zone in groups() or zone in fine_zones() or zone in retired_zones()


def expand(zone: str) -> tuple[str, ...]:
    """Canonical areas a zone id stands for (one for a zone, several for a group alias)."""
    g = groups().get(zone)
    if g is not None:
        return g
    return (area_of(zone),)


def display_name(zone: str) -> str:
    """Human-readable name of a zone id, e.g. ``Dorsum of foot (medial)``."""
    base = area_of(zone)
    if base in areas():
        name = areas()[base].name
    elif base in groups():
        name = load_json("areas.json")["groups"][base]["name"]
    else:
        name = base.replace("_", " ").capitalize()
    if is_fine_zone(zone):
        return f"{name} ({part_name(zone)})"
    return str(name)


def is_fine_zone(zone: str) -> bool:
    """True for a finer zone id (``dorsum_of_foot.medial``), a part of an area."""
    return zone != area_of(zone)


def part_name(zone: str) -> str:
    """The part of its area a finer zone is, in words (``medial``; ``lateral half of the fourth
    toe``); ``""`` for an area or a group."""
    if not is_fine_zone(zone):
        return ""
    part = zone.split(".", 1)[1]
    return _PART_NAMES.get(part, part.replace("_", " ").replace(".", ", "))


_PART_NAMES = {"fourth_lateral": "lateral half of the fourth toe"}
"""Zone parts whose id does not read as words."""
