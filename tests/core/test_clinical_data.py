"""Integrity of the clinical data assets (assets/clinical/*.json) and the core.clinical API."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from core import clinical
from core.model import Movement, RedFlag, Reflex
from core.zones import areas

ASSET_FILES = (
    "references.json",
    "atlases.json",
    "nerves.json",
    "roots.json",
    "conditions.json",
    "red_flags.json",
)
SPEC_NERVES = {
    "common_peroneal",
    "deep_peroneal",
    "superficial_peroneal",
    "sural",
    "saphenous",
    "lateral_femoral_cutaneous",
    "tibial",
    "medial_plantar",
    "lateral_plantar",
    "femoral",
    "obturator",
    "posterior_femoral_cutaneous",
    "sciatic",
}
ROOTS = ("L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5")


def _raw(name: str) -> Any:
    text = resources.files("assets").joinpath("clinical", name).read_text(encoding="utf-8")
    return json.loads(text)


def _all_sources(node: Any) -> list[str]:
    """Every id listed under a "sources" key anywhere in a JSON tree."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("sources", "scale_sources"):
                assert isinstance(value, list), f"{key} must be a list"
                found.extend(value)
            else:
                found.extend(_all_sources(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_all_sources(item))
    return found


def test_every_source_id_resolves() -> None:
    refs = clinical.references()
    used: set[str] = set()
    for name in ASSET_FILES:
        if name == "references.json":
            continue
        ids = _all_sources(_raw(name))
        assert ids, f"{name} lists no sources"
        used.update(ids)
    missing = sorted(used - refs.keys())
    assert missing == []


def test_every_entry_has_sources() -> None:
    for a in clinical.atlases().values():
        assert a.sources
        for area in areas():
            assert a.sources_of(area), (a.id, area)
    for group in (clinical.nerves(), clinical.roots(), clinical.red_flags(), clinical.conditions()):
        for entry in group.values():
            assert entry.sources, entry


def test_references_cover_the_clinical_reference_list() -> None:
    refs = clinical.references()
    # the numbered list of clinical.md section 8 (with sub-ids) plus group ids and DM-H
    for rid in ("R1", "R7a", "R7b", "R8a", "R8f", "R25b", "R25d", "R30b", "R64d", "R81"):
        assert rid in refs
    assert refs["DM-H"].citation.startswith("Dermamap heuristic")
    for ref in refs.values():
        assert ref.citation.strip(), ref.id
        assert "**" not in ref.citation
        if ref.url:
            assert re.match(r"https?://", ref.url), ref.id


def test_nerves_match_the_spec() -> None:
    nerves = clinical.nerves()
    assert set(nerves) == SPEC_NERVES
    for nerve in nerves.values():
        assert nerve.territory, nerve.id
        assert set(nerve.territory) <= set(areas()), nerve.id
        assert set(nerve.territory.values()) <= {"core", "shared", "occasional"}, nerve.id
        assert "core" in nerve.territory.values(), nerve.id
        assert all(nerve.weight(a) == clinical.NERVE_GRADES[g] for a, g in nerve.territory.items())
        assert set(nerve.roots) <= set(ROOTS), nerve.id
        assert nerve.motor and nerve.distinguishing and nerve.causes
    pure = {n.id for n in nerves.values() if n.pure_sensory}
    assert pure == {
        "sural",
        "saphenous",
        "lateral_femoral_cutaneous",
        "posterior_femoral_cutaneous",
    }


def test_roots() -> None:
    roots = clinical.roots()
    assert tuple(roots) == ROOTS
    movements = {m.value for m in Movement}
    reflexes = {r.value for r in Reflex}
    for info in roots.values():
        assert set(info.movements) <= movements, info.id
        assert info.reflex is None or info.reflex in reflexes, info.id
        assert info.key_point_area is None or info.key_point_area in areas(), info.id
        assert info.key_point and info.pain_pattern and info.key_muscle
    assert roots["L4"].key_point_area == "medial_malleolus"
    assert roots["L5"].key_point_area == "dorsum_of_foot"
    assert roots["S1"].key_point_area == "lateral_heel"
    assert roots["S1"].reflex == "achilles"
    assert roots["L4"].reflex == "patellar"


def test_red_flags_cover_the_enum() -> None:
    flags = clinical.red_flags()
    assert set(flags) == {f.value for f in RedFlag}
    for info in flags.values():
        assert info.label and info.description
        assert {"R47", "R48", "R49"} <= set(info.sources)


def test_conditions() -> None:
    conds = clinical.conditions()
    assert set(conds) >= {
        "disc_herniation",
        "spinal_stenosis",
        "spondylolisthesis",
        "cauda_equina",
        "peripheral_entrapment",
        "polyneuropathy",
    }
    for info in conds.values():
        assert info.summary and info.next_steps, info.id
    assert any("emergency" in s.lower() for s in conds["cauda_equina"].next_steps)
    assert any("MRI" in s for s in conds["disc_herniation"].next_steps)


def test_cite_and_format() -> None:
    assert clinical.cite(["R6", "R13", "R6"]) == "[R6, R13]"
    assert clinical.cite([]) == ""
    line = clinical.format_reference("R13")
    assert line.startswith("R13") and "Deyo" in line and "doi.org" in line
    assert "unknown" in clinical.format_reference("R999")
    assert clinical.sorted_reference_ids(["R10", "R2", "R8a", "R8"]) == ("R2", "R8", "R8a", "R10")


def test_loaders_are_cached() -> None:
    assert clinical.atlases() is clinical.atlases()
    assert clinical.references() is clinical.references()


def test_next_steps_follow_nice_ng59_on_medicines_and_epidurals() -> None:
    """The disc herniation's steps offered "nerve-pain medication" and an epidural "after
    several weeks", and stenosis an epidural "in selected patients", all citing NICE NG59
    (SA1), which advises against gabapentinoids, other antiepileptics and oral corticosteroids
    for sciatica, considers epidurals of local anaesthetic and steroid in acute and severe
    sciatica, and advises against epidurals for neurogenic claudication from central canal
    stenosis."""
    cond = clinical.conditions()
    disc = " ".join(cond["disc_herniation"].next_steps).lower()
    stenosis = " ".join(cond["spinal_stenosis"].next_steps).lower()
    assert "SA1" in cond["disc_herniation"].sources and "SA1" in cond["spinal_stenosis"].sources
    assert "nerve-pain medication" not in disc and "against gabapentinoids" in disc
    assert "acute and severe sciatica" in disc and "several weeks" not in disc
    assert "against it for neurogenic claudication from central canal stenosis" in stenosis
    assert "in selected patients" not in stenosis


def test_a_sacral_root_pattern_lists_the_cauda_equina_questions_first() -> None:
    """An S3 pattern (saddle pain, no red flag) listed "a large L5-S1 herniation" above "ask
    the cauda equina questions"; a sacral pattern's first concern is the emergency to exclude,
    and the herniation named is a large central one (R13), the kind that compresses several
    roots. Reasons cite sources about what they say: the isthmic slip not a prevalence study
    of elderly Chinese adults (R40c)."""
    from core.engine.conditions import ConditionFacts, conditions_for

    listed = conditions_for(ConditionFacts(tops=("S3",), age=40))
    assert [c.id for c in listed][:2] == ["cauda_equina", "disc_herniation"]
    assert "large central herniation" in listed[1].why and "L5-S1" not in listed[1].why
    young_l5 = conditions_for(ConditionFacts(tops=("L5",), age=30))
    slip = next(c for c in young_l5 if c.id == "spondylolisthesis")
    assert "isthmic" in slip.why and "R40c" not in slip.why


def test_a_nerves_course_lies_outside_its_skin_and_is_sourced() -> None:
    """``course`` (nerves.json): areas outside the nerve's skin where its pain is often felt,
    each nerve's with its sources; an area of its own skin, an unknown area or no source is
    refused."""
    import pytest

    nerves = clinical.nerves()
    assert nerves["sciatic"].course == ("buttock", "posterior_thigh")
    for nerve in nerves.values():
        assert not set(nerve.course) & set(nerve.territory)
        assert not nerve.course or nerve.course_sources
    row = {"id": "x", "territory": {"heel": "core"}, "course_sources": ["R108"]}
    for course, words in ((["heel"], "inside the territory"), (["nowhere"], "unknown")):
        with pytest.raises(ValueError, match=words):
            clinical._course({**row, "course": course})
    with pytest.raises(ValueError, match="without course_sources"):
        clinical._course({"id": "x", "territory": {}, "course": ["buttock"]})


def test_the_sole_s_strip_of_the_inner_border_is_drawn_for_the_tibial_nerves_only() -> None:
    """A student's review: Explore shaded the superficial and common peroneal nerves (and the
    femoral nerve, through the saphenous) on the plantar strip of the foot's inner border, the
    tibial nerve's skin, and listed them there above the medial plantar nerve. They are drawn
    on the border's dorsal part only, as the saphenous nerve is."""
    sole = clinical.nerves_drawn_on("medial_border_of_foot.plantar")
    assert set(sole[:2]) == {"medial_plantar", "tibial"}
    assert not {"superficial_peroneal", "common_peroneal", "femoral", "saphenous"} & set(sole)
    assert {"superficial_peroneal", "saphenous"} <= set(
        clinical.nerves_drawn_on("medial_border_of_foot")
    )


def test_the_sacral_key_muscle_is_a_muscle() -> None:
    """A student's review: S4-5's key muscle read "Voluntary anal contraction and deep anal
    pressure"; deep anal pressure is a sensory test in ISNCSCI."""
    for root in ("S4", "S5"):
        muscle = clinical.roots()[root].key_muscle
        assert muscle.startswith("Voluntary anal contraction (") and "sensory" in muscle
