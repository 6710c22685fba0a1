"""Quiz questions about facts in the data: dermatome -> area, key sensory points, myotomes and
reflexes, and where the published maps disagree.

Each generator takes the atlas and a seeded :class:`random.Random` and returns a
:class:`core.quiz.Question` (or None when it cannot make one). Every answer is read from the
atlases (``assets/clinical/atlases.json``), the roots table (``roots.json``) or the evidence
table's myotomes (``evidence.json``, the table :mod:`core.engine.evidence` reads); the
explanation is shown only after the student has answered.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from core import clinical, learn, names
from core.assets import load_json
from core.learn import CORE, drawn_areas, known_references, zones_of_area
from core.model import SENSORY_POINTS, Side
from core.quiz import Question
from core.zones import areas

_ROOTS_WITH_MUSCLES = ("L2", "L3", "L4", "L5", "S1")
_REFLEX_NAMES = {
    "patellar": "knee jerk (patellar reflex)",
    "achilles": "ankle jerk (Achilles reflex)",
    "medial_hamstring": "medial hamstring reflex",
}


def _area_name(area: str) -> str:
    return areas()[area].name.lower()


def _side_zones(area: str, side: Side) -> tuple[tuple[str, Side], ...]:
    return tuple(k for k in zones_of_area(area) if k[1] is side)


def _shuffled(rng: random.Random, items: Sequence[str]) -> tuple[str, ...]:
    out = list(items)
    rng.shuffle(out)
    return tuple(out)


# --------------------------------------------------------------------------- dermatome -> area


def which_area(atlas: str, rng: random.Random) -> Question | None:
    """ "Which area is core L5 on this map?": one core area and three areas outside the root."""
    a = clinical.atlases()[atlas]
    drawn = drawn_areas()
    root = rng.choice([r for r in ("L2", "L3", "L4", "L5", "S1", "S2") if a.territory(r, CORE)])
    core = [x for x in a.territory(root, CORE) if x in drawn]
    # not an area the map leaves out or calls highly variable: it makes no claim there
    no_claim = a.unassigned | a.variable
    outside = [x for x in sorted(drawn) if a.weight(x, root) == 0 and x not in no_claim]
    if not core or len(outside) < 3:
        return None
    right = rng.choice(core)
    choices = _shuffled(rng, [right, *rng.sample(outside, 3)])
    side = rng.choice(tuple(Side))
    others = ", ".join(f"{r} ({g})" for r, g in a.grades.get(right, {}).items() if r != root)
    reason = (
        f"The {_area_name(right)} {names.is_or_are(_area_name(right))} core {root} territory "
        f"on the {a.short_name} map"
        + (f"; it also lists {others}." if others else ".")
        + " The other areas lie outside "
        + root
        + " on this map."
    )
    return Question(
        kind="which_area",
        topic="dermatomes",
        prompt=f"Which area is core {root} territory on the {a.short_name} map?",
        target=right,
        atlas=atlas,
        choices=choices,
        labels=tuple(areas()[c].name for c in choices),
        side=side,
        sources=known_references((*a.sources_of(right), *clinical.roots()[root].sources)),
        reason=reason,
        reveal=_side_zones(right, side),
    )


# --------------------------------------------------------------------------- key points


def _key_point_roots() -> list[str]:
    """Roots whose key point the app shows (the exam form's sensory points, the key-points
    overlay: L1's was asked but shown nowhere) and lies in an area no other root's shares."""
    roots = clinical.roots()
    seen: dict[str, int] = {}
    for r in roots.values():
        if r.key_point_area:
            seen[r.key_point_area] = seen.get(r.key_point_area, 0) + 1
    return [
        r.id
        for r in roots.values()
        if r.id in SENSORY_POINTS and r.key_point_area and seen[r.key_point_area] == 1
    ]


def key_point(atlas: str, rng: random.Random) -> Question | None:
    """Key sensory point (ISNCSCI), both ways: root -> area or area -> root."""
    roots = clinical.roots()
    pool = _key_point_roots()
    root = rng.choice(pool)
    info = roots[root]
    area = info.key_point_area
    assert area is not None
    side = rng.choice(tuple(Side))
    others = rng.sample([r for r in pool if r != root], 3)
    reason = f"The {root} key sensory point: {info.key_point}"
    srcs = known_references(info.sources)
    if rng.random() < 0.5:
        choices = _shuffled(rng, [area, *(roots[r].key_point_area or "" for r in others)])
        return Question(
            kind="key_point",
            topic="key_points",
            prompt=f"Where is the {root} key sensory point (ISNCSCI)?",
            target=area,
            atlas=atlas,
            choices=choices,
            labels=tuple(areas()[c].name for c in choices),
            side=side,
            sources=srcs,
            reason=reason,
            reveal=_side_zones(area, side),
        )
    choices = _shuffled(rng, [root, *others])
    return Question(
        kind="key_point",
        topic="key_points",
        prompt=(
            f"Which root's ISNCSCI key sensory point lies on the {side.display.lower()} "
            f"{_area_name(area)}?"
        ),
        target=root,
        atlas=atlas,
        choices=choices,
        side=side,
        sources=srcs,
        reason=reason,
        reveal=_side_zones(area, side),
    )


# --------------------------------------------------------------------------- myotomes, reflexes


def _myotomes() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Movement -> roots, and the sources, from the evidence table's ``myotomes``."""
    sources = load_json("clinical/evidence.json")["myotomes"]["sources"]
    return learn.myotome_roots(), tuple(sources)


def _candidates(
    weak: str, reduced: str | None, normal: str | None, table: dict[str, tuple[str, ...]]
) -> list[str]:
    """Roots consistent with one weak movement and one reflex finding."""
    roots = clinical.roots()
    out = []
    for r in table.get(weak, ()):
        reflex = roots[r].reflex
        if reduced is not None and reflex != reduced:
            continue
        if normal is not None and reflex == normal:
            continue
        out.append(r)
    return out


def _reduced_reflex_reason(reflex: str, root: str, movement: str) -> str:
    """Why a reduced reflex with a weak movement points to ``root``: the knee jerk is carried
    by L3 and L4 both, so it is never "the L3 reflex" in one answer and "the L4 reflex" in
    the next."""
    carriers = [r for r, info in clinical.roots().items() if info.reflex == reflex]
    name = _REFLEX_NAMES[reflex]
    if carriers == [root]:
        return f"The {name} is the {root} reflex, so it points to {root}."
    return (
        f"The {name} is carried by {names.join(carriers)}; of these only {root} also supplies "
        f"{movement}, so it points to {root}."
    )


_NORMAL_REFLEX_SOURCES = ("R21", "R23")
"""Behind "a normal reflex makes its root less likely, not excluded": reflexes are specific but
only modestly sensitive for a radiculopathy (the evidence table's ``patellar_normal_L4`` and
``achilles_normal_S1`` rows, which weigh a normal reflex modestly, cite these)."""


def _normal_reflex_reason(reflex: str, root: str, supplying: Sequence[str]) -> str:
    """Why a normal reflex with a weak movement points more to ``root``: it makes the roots
    that carry the reflex less likely, never excludes them (a reflex is often normal in a
    radiculopathy of its own root)."""
    carriers = [r for r in supplying if clinical.roots()[r].reflex == reflex]
    name = _REFLEX_NAMES[reflex]
    why = (
        f"A normal {name} makes {names.join(carriers)} less likely, not excluded: a reflex is "
        f"often normal in a radiculopathy of its own root. So the findings point more to {root}."
    )
    if reflex == "medial_hamstring":
        why += (
            " The medial hamstring reflex is also a less established test than the knee and "
            "ankle jerks: weigh it lightly."
        )
    return why


def myotome(atlas: str, rng: random.Random) -> Question | None:
    """ "Which root: weak great-toe extension and a normal ankle jerk?" (answer unique by the
    myotome table and the reflex each root carries), or which root a key muscle tests."""
    table, srcs = _myotomes()
    roots = clinical.roots()
    root = rng.choice(_ROOTS_WITH_MUSCLES)
    info = roots[root]
    if rng.random() < 0.3:
        choices = _shuffled(
            rng, [root, *rng.sample([r for r in _ROOTS_WITH_MUSCLES if r != root], 3)]
        )
        return Question(
            kind="myotome",
            topic="myotomes",
            prompt=f"Which root does this ISNCSCI key muscle test? {info.key_muscle}",
            target=root,
            atlas=atlas,
            choices=choices,
            sources=known_references(info.sources),
            reason=f"{info.key_muscle.rstrip('.')}: the {root} key muscle.",
        )
    moves = [m for m in info.movements if root in table.get(m, ())]
    rng.shuffle(moves)
    for weak in moves:
        options: list[tuple[str | None, str | None]] = []
        if info.reflex:
            options.append((info.reflex, None))
        for other in table[weak]:
            o_reflex = roots[other].reflex
            if other != root and o_reflex and o_reflex != info.reflex:
                options.append((None, o_reflex))
        rng.shuffle(options)
        for reduced, normal in options:
            if _candidates(weak, reduced, normal, table) != [root]:
                continue
            reflex_text = (
                f"a reduced {_REFLEX_NAMES[reduced]}"
                if reduced
                else f"a normal {_REFLEX_NAMES[normal or '']}"
            )
            move_text = names.lower_first(names.finding_name(f"strength:{weak}"))
            near = [r for r in clinical.ROOT_IDS if r in table[weak] and r != root]
            pool = [*near, *(r for r in _ROOTS_WITH_MUSCLES if r != root and r not in near)]
            choices = _shuffled(rng, [root, *pool[:3]])
            supplied = ", ".join(table[weak])
            why = f"{move_text[:1].upper()}{move_text[1:]} is supplied by {supplied}. " + (
                _reduced_reflex_reason(reduced, root, move_text)
                if reduced
                else _normal_reflex_reason(normal or "", root, table[weak])
            )
            return Question(
                kind="myotome",
                topic="myotomes",
                prompt=f"Which root: weak {move_text} and {reflex_text}?",
                target=root,
                atlas=atlas,
                choices=choices,
                sources=known_references(
                    (*srcs, *info.sources, *(() if reduced else _NORMAL_REFLEX_SOURCES))
                ),
                reason=why,
            )
    return None


# --------------------------------------------------------------------------- map disagreement


def _map_items() -> list[tuple[str, str | None, str]]:
    """(area, root or None, atlas) where exactly one published map says so."""
    a = clinical.atlases()
    pub = clinical.PUBLISHED_ATLASES
    out: list[tuple[str, str | None, str]] = []
    for area in sorted(drawn_areas()):
        for r in clinical.ROOT_IDS:
            has = [x for x in pub if a[x].grade(area, r) is not None]
            if len(has) == 1:
                out.append((area, r, has[0]))
        blank = [x for x in pub if area in a[x].unassigned or area in a[x].variable]
        if len(blank) == 1:
            out.append((area, None, blank[0]))
    return out


def map_disagreement(atlas: str, rng: random.Random) -> Question | None:
    """ "Which published map counts the medial border of foot as core L5 territory?" (one map
    only; the grade is that map's)."""
    items = _map_items()
    if not items:
        return None
    area, root, right = rng.choice(items)
    a = clinical.atlases()
    pub = clinical.PUBLISHED_ATLASES
    if root is None:
        prompt = (
            f"Which published map leaves the {_area_name(area)} without a root "
            "(not assigned, or marked highly variable)?"
        )
    else:  # the grade that one map gives: "occasional" is not the map's main root there
        grade = a[right].grade(area, root)
        prompt = f"Which published map counts the {_area_name(area)} as {grade} {root} territory?"
    lines = []
    for x in pub:
        row = a[x].grades.get(area, {})
        if area in a[x].unassigned or area in a[x].variable:
            text = "no root (unassigned or variable)"
        else:
            text = ", ".join(f"{r} {g}" for r, g in row.items()) or "none"
        lines.append(f"{a[x].short_name}: {text}")
    side = rng.choice(tuple(Side))
    choices = _shuffled(rng, list(pub))
    return Question(
        kind="map_disagreement",
        topic="maps",
        prompt=prompt,
        target=right,
        atlas=atlas,
        choices=choices,
        labels=tuple(a[x].short_name for x in choices),
        side=side,
        sources=known_references(s for x in pub for s in a[x].sources_of(area)),
        reason=f"The {_area_name(area)} on each map. " + "; ".join(lines) + ".",
        reveal=_side_zones(area, side),
    )
