"""Which mark each zone shows, and brush strokes merged into marks (pure session logic).

- :func:`effective_marks`: the marks a zone shows, one per symptom (its own, its area's or a
  group alias's);
- :func:`coverage_to_marks`: a brush or eraser stroke's coverage merged into the session's marks;
- :func:`marks_with_whole_zone`, :func:`marks_without`: a zone marked whole with one symptom, or
  cleared of every symptom (the region list's check boxes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from core.model import Mark, Session, Side, Symptom
from core.zones import area_of, groups


@dataclass(frozen=True)
class ZoneMark:
    """What a zone item shows: a symptom at some coverage, and where it comes from."""

    symptom: Symptom
    coverage: float
    source: str  # the mark's zone id (the item's own id, its area or a group alias)


def effective_marks(
    session: Session, keys: Iterable[tuple[str, Side]]
) -> dict[tuple[str, Side], tuple[ZoneMark, ...]]:
    """Resolve the marks each zone key shows: one per symptom, in :class:`Symptom` order.

    For each symptom, a zone's own mark wins; otherwise the mark of its canonical area,
    otherwise the mark of a group alias containing that area (``sole``).
    """
    by_slot: dict[tuple[str, Side, Symptom], Mark] = {m.slot: m for m in session.marks}
    present = {m.symptom for m in session.marks}
    order = [s for s in Symptom if s in present]
    group_of: dict[str, list[str]] = {}
    for g, members in groups().items():
        for a in members:
            group_of.setdefault(a, []).append(g)
    out: dict[tuple[str, Side], tuple[ZoneMark, ...]] = {}
    for zone, side in keys:
        area = area_of(zone)
        found: list[ZoneMark] = []
        for sym in order:
            m = by_slot.get((zone, side, sym)) or by_slot.get((area, side, sym))
            if m is None:
                for g in group_of.get(area, ()):
                    m = by_slot.get((g, side, sym))
                    if m is not None:
                        break
            if m is not None:
                found.append(ZoneMark(m.symptom, m.coverage, m.zone))
        out[(zone, side)] = tuple(found)
    return out


def coverage_to_marks(
    session: Session,
    coverage: Mapping[tuple[str, Side], float],
    symptom: Symptom,
    *,
    erase: bool,
    fine_zones_of: Mapping[tuple[str, Side], tuple[str, ...]],
) -> tuple[Mark, ...]:
    """Merge a brush (or eraser) stroke's coverage into the session's marks.

    Brush: a zone painted to at least :data:`core.brush.MIN_MARK_SHARE` gets a mark of the
    brush's symptom (a thinner graze leaves it as it was); its coverage becomes
    ``max(old, painted)`` when it already had that symptom, else ``painted``. Marks of the other
    symptoms on the zone stay (symptoms are layers).
    Eraser: every symptom's mark under the stroke loses what is erased: ``new = old - erased``;
    marks under ``MIN_MARK_SHARE`` are removed. Erasing a finer zone whose mark is inherited
    from its whole area first splits the area mark into the area's finer zones
    (``fine_zones_of[(area, side)]``) so only the erased part changes.
    """
    from core.brush import MIN_MARK_SHARE  # loaded with the first stroke (numpy)

    marks: dict[tuple[str, Side, Symptom], Mark] = {m.slot: m for m in session.marks}
    for (zone, side), frac in sorted(coverage.items()):
        if frac <= 0:
            continue
        if not erase:
            if frac < MIN_MARK_SHARE:
                continue  # a graze: shown as paint while drawn, marks nothing
            old = marks.get((zone, side, symptom))
            cov = frac if old is None else max(old.coverage, frac)
            marks[(zone, side, symptom)] = Mark(zone, side, symptom, min(1.0, cov))
            continue
        for sym in Symptom:
            _erase(marks, zone, side, sym, frac, fine_zones_of, MIN_MARK_SHARE)
    # keep the session's order for unchanged marks, new ones after
    out = [marks.pop(m.slot) for m in session.marks if m.slot in marks]
    out.extend(marks.values())
    return tuple(out)


def _erase(
    marks: dict[tuple[str, Side, Symptom], Mark],
    zone: str,
    side: Side,
    sym: Symptom,
    frac: float,
    fine_zones_of: Mapping[tuple[str, Side], tuple[str, ...]],
    min_share: float,
) -> None:
    """Erase ``frac`` of ``zone``'s ``sym`` mark (splitting an inherited area mark first)."""
    old = marks.get((zone, side, sym))
    if old is None:
        area = area_of(zone)
        parent = marks.get((area, side, sym)) if area != zone else None
        if parent is None:
            return
        del marks[(area, side, sym)]
        for fz in fine_zones_of.get((area, side), ()):
            marks.setdefault((fz, side, sym), Mark(fz, side, sym, parent.coverage))
        old = marks.get((zone, side, sym))
        if old is None:
            return
    new = old.coverage - frac
    if new < min_share:
        del marks[(zone, side, sym)]
    else:
        marks[(zone, side, sym)] = Mark(zone, side, sym, new)


def is_finer_zone(zone: str, of: str) -> bool:
    """True when ``zone`` is one of the finer zones of the area ``of`` (``dorsum_of_foot.medial``
    of ``dorsum_of_foot``); a zone is not a finer zone of itself, nor of a finer zone."""
    return zone != of and area_of(zone) == of


def marks_with_whole_zone(
    session: Session, zone: str, side: Side, symptom: Symptom
) -> tuple[Mark, ...]:
    """Marks after marking ``zone`` on ``side`` whole with ``symptom``: the mark replaces that
    symptom's marks on the zone and, for an area, on its finer zones (the other symptoms stay;
    it comes last, as :meth:`Session.with_mark` puts it)."""
    finer = [
        m
        for m in session.marks
        if m.side is side and m.symptom is symptom and is_finer_zone(m.zone, zone)
    ]
    rest = [m for m in session.marks if m not in finer and m.slot != (zone, side, symptom)]
    return (*rest, Mark(zone, side, symptom, 1.0))


def marks_without(
    session: Session, zone: str, side: Side, fine: Mapping[str, tuple[str, ...]]
) -> tuple[Mark, ...]:
    """Marks after clearing ``zone`` on ``side`` (every symptom it shows).

    Clearing an area also clears its finer zones. Clearing a finer zone whose mark is inherited
    from its area (or a group alias) splits that mark into the remaining parts: the area's finer
    zones ``fine[area]``, or the group's other areas.
    """
    area = area_of(zone)
    marks: dict[tuple[str, Side, Symptom], Mark] = {m.slot: m for m in session.marks}

    def split(src: str, parts: tuple[str, ...], sym: Symptom, skip: str) -> None:
        gm = marks.pop((src, side, sym))
        for a in parts:
            if a != skip:
                marks.setdefault((a, side, sym), Mark(a, side, sym, gm.coverage))

    for sym in Symptom:
        if zone == area:
            for k in [k for k in marks if k[1] is side and k[2] is sym and area_of(k[0]) == area]:
                del marks[k]
            for g, members in groups().items():
                if (g, side, sym) in marks and area in members:
                    split(g, members, sym, area)
            continue
        if marks.pop((zone, side, sym), None) is not None:
            continue
        if (area, side, sym) not in marks:
            for g, members in groups().items():
                if (g, side, sym) in marks and area in members:
                    split(g, members, sym, "")
        if (area, side, sym) in marks:
            split(area, fine.get(area, ()), sym, zone)
    out = [marks.pop(m.slot) for m in session.marks if m.slot in marks]
    out.extend(marks.values())
    return tuple(out)
