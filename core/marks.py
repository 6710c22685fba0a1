"""Which mark each zone shows, and brush strokes merged into marks (pure session logic).

- :func:`effective_marks`: the mark a zone shows (its own, its area's or a group alias's);
- :func:`coverage_to_marks`: a brush or eraser stroke's coverage merged into the session's marks.
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
) -> dict[tuple[str, Side], ZoneMark | None]:
    """Resolve the mark each zone key shows.

    A zone's own mark wins; otherwise the mark of its canonical area, otherwise the mark of a
    group alias containing that area (``sole``).
    """
    by_key: dict[tuple[str, Side], Mark] = {m.key: m for m in session.marks}
    group_of: dict[str, list[str]] = {}
    for g, members in groups().items():
        for a in members:
            group_of.setdefault(a, []).append(g)
    out: dict[tuple[str, Side], ZoneMark | None] = {}
    for zone, side in keys:
        m = by_key.get((zone, side))
        if m is None:
            area = area_of(zone)
            m = by_key.get((area, side))
            if m is None:
                for g in group_of.get(area, ()):
                    m = by_key.get((g, side))
                    if m is not None:
                        break
        out[(zone, side)] = None if m is None else ZoneMark(m.symptom, m.coverage, m.zone)
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

    Brush: a zone painted to at least :data:`core.brush.MIN_MARK_SHARE` takes the brush's
    symptom (a thinner graze leaves it as it was); its coverage becomes ``max(old, painted)``
    when it already had that symptom, else ``painted``.
    Eraser: ``new = old - erased``; marks under ``MIN_MARK_SHARE`` are removed. Erasing a
    finer zone whose mark is inherited from its whole area first splits the area mark into the
    area's finer zones (``fine_zones_of[(area, side)]``) so only the erased part changes.
    """
    from core.brush import MIN_MARK_SHARE  # loaded with the first stroke (numpy)

    marks: dict[tuple[str, Side], Mark] = {m.key: m for m in session.marks}
    for (zone, side), frac in sorted(coverage.items()):
        if frac <= 0:
            continue
        if not erase:
            if frac < MIN_MARK_SHARE:
                continue  # a graze: shown as paint while drawn, marks nothing
            old = marks.get((zone, side))
            cov = frac
            if old is not None and old.symptom is symptom:
                cov = max(old.coverage, frac)
            marks[(zone, side)] = Mark(zone, side, symptom, min(1.0, cov))
            continue
        old = marks.get((zone, side))
        if old is None:
            area = area_of(zone)
            parent = marks.get((area, side)) if area != zone else None
            if parent is None:
                continue
            del marks[(area, side)]
            for fz in fine_zones_of.get((area, side), ()):
                marks.setdefault((fz, side), Mark(fz, side, parent.symptom, parent.coverage))
            old = marks.get((zone, side))
            if old is None:
                continue
        new = old.coverage - frac
        if new < MIN_MARK_SHARE:
            del marks[(zone, side)]
        else:
            marks[(zone, side)] = Mark(zone, side, old.symptom, new)
    # keep the session's order for unchanged marks, new ones after
    out = [marks.pop(m.key) for m in session.marks if m.key in marks]
    out.extend(marks.values())
    return tuple(out)
