"""The dermatome atlases (assets/clinical/atlases.json) and core.clinical's Atlas API."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest

from core import clinical
from core.zones import areas

ROOTS = set(clinical.ROOT_IDS)
EDITORIAL = re.compile(r"\[(verify|uncertain|heuristic)|verify against|TODO", re.IGNORECASE)


def _raw() -> dict[str, dict[str, Any]]:
    text = resources.files("assets").joinpath("clinical", "atlases.json").read_text("utf-8")
    return {a["id"]: a for a in json.loads(text)["atlases"]}


def test_the_four_maps_in_order() -> None:
    maps = clinical.atlases()
    assert list(maps) == ["consensus", "keegan_garrett", "foerster", "lee"]
    assert maps["lee"].name == "Lee, McPhee & Stringer (2008)"
    assert maps["keegan_garrett"].name == "Keegan & Garrett (1948)"
    assert maps["foerster"].name == "Foerster (1933)"
    assert clinical.PUBLISHED_ATLASES == ("keegan_garrett", "foerster", "lee")


def test_every_map_is_well_formed() -> None:
    raw = _raw()
    refs = clinical.references()
    for atlas in clinical.atlases().values():
        assert atlas.description and atlas.sources
        assert set(raw[atlas.id]["areas"]) == set(areas()), atlas.id
        assert list(atlas.grades) == list(areas()) == list(atlas.weights)
        assert atlas.source_figure["ref"] in refs and atlas.source_figure["figure"]
        assert atlas.interpretation, atlas.id
        assert not (atlas.unassigned & atlas.variable)
        for area, row in atlas.grades.items():
            assert set(row) <= ROOTS, (atlas.id, area)
            assert set(row.values()) <= set(clinical.GRADES), (atlas.id, area)
            if area in atlas.unassigned or area in atlas.variable:
                assert not row, f"{atlas.id}: {area} is blank on the map but lists roots"
            else:
                assert row, f"{atlas.id}: {area} has no roots and is not marked blank"
            for root, grade in row.items():
                assert atlas.grade(area, root) == grade
                assert atlas.weight(area, root) == clinical.GRADE_WEIGHT[grade]
        texts = [atlas.description, *atlas.interpretation]
        texts += [n for row in atlas.notes.values() for n in row.values()]
        for text in texts:
            assert not EDITORIAL.search(text), (atlas.id, text)


def test_grade_and_display_weight() -> None:
    kg = clinical.atlases()["keegan_garrett"]
    assert kg.grade("medial_border_of_foot", "L4") == "core"
    assert kg.weight("medial_border_of_foot", "L4") == 1.0
    assert kg.grade("great_toe", "L4") == "shared" and kg.weight("great_toe", "L4") == 0.5
    assert kg.grade("buttock", "L3") == "occasional" and kg.weight("buttock", "L3") == 0.25
    assert kg.grade("great_toe", "S1") is None and kg.weight("great_toe", "S1") == 0.0
    assert kg.grade("no_such_area", "L4") is None
    assert kg.roots_of("great_toe") == (("L4", 0.5), ("L5", 0.5))
    assert clinical.atlases()["lee"].low_specificity == clinical.atlases()["lee"].variable


def test_consensus_key_points() -> None:
    c = clinical.atlases()["consensus"]
    assert c.grade("medial_malleolus", "L4") == "core"
    assert c.grade("dorsum_of_foot", "L5") == "core"
    assert c.grade("lateral_heel", "S1") == "core"
    assert c.grade("popliteal_fossa", "S2") == "core"
    for root in ("S3", "S4", "S5"):
        assert c.grade("saddle", root) == "core"
    assert c.territory("L4", minimum=1.0) == ("medial_lower_leg", "medial_malleolus")
    assert not c.unassigned and not c.variable


def test_keegan_garrett_bands() -> None:
    kg = clinical.atlases()["keegan_garrett"]
    # L4: buttock / lateral thigh -> across the knee -> medial leg, medial foot, medial great toe
    for area in ("buttock", "lateral_thigh", "anterior_knee", "great_toe"):
        assert kg.grade(area, "L4") in clinical.MAIN_GRADES, area
    for area in ("medial_lower_leg", "medial_malleolus", "medial_border_of_foot"):
        assert kg.grade(area, "L4") == "core", area
    # L5 down the lateral thigh and leg to the dorsum; S1 calf to heel, sole, lateral foot
    assert kg.grade("lateral_thigh", "L5") == "shared"
    assert kg.grade("lateral_lower_leg", "L5") == kg.grade("dorsum_of_foot", "L5") == "core"
    for area in ("posterior_calf", "heel", "lateral_sole", "lateral_border_of_foot"):
        assert kg.grade(area, "S1") == "core", area
    # S2 is a posterior-thigh strip that does not reach the calf
    assert kg.grade("posterior_thigh", "S2") == "shared"
    assert kg.grade("posterior_calf", "S2") is None


def test_foerster_l4_below_the_knee_only() -> None:
    fo = clinical.atlases()["foerster"]
    for area in ("lateral_thigh", "anterior_knee", "buttock", "great_toe", "dorsum_of_foot"):
        assert fo.grade(area, "L4") is None, area
    assert fo.grade("medial_lower_leg", "L4") == fo.grade("medial_malleolus", "L4") == "core"
    assert fo.grade("great_toe", "L5") == "core"
    for area in ("posterior_thigh", "posterior_calf"):
        assert fo.grade(area, "S1") == fo.grade(area, "S2") == "shared", area


def test_lee_blank_areas_and_no_sacral_saddle() -> None:
    lee = clinical.atlases()["lee"]
    assert lee.unassigned == {"saddle"}
    assert {"buttock", "lateral_thigh", "anterior_lower_leg", "medial_sole"} <= lee.variable
    for area in lee.variable | lee.unassigned:
        assert lee.roots_of(area) == ()
        assert clinical.main_roots(lee, area) is None
    assert lee.grade("medial_lower_leg", "L4") == "core"
    assert lee.grade("dorsum_of_foot", "L5") == "core"
    assert lee.grade("popliteal_fossa", "S2") == "core"
    assert "R1" in lee.sources


def test_old_id_resolves_to_lee() -> None:
    assert clinical.ATLAS_ALIASES["foerster_lee"] == "lee"
    assert clinical.atlases()["foerster_lee"] is clinical.atlases()["lee"]
    assert "foerster_lee" not in list(clinical.atlases())
    with pytest.raises(KeyError):
        clinical.atlases()["netter"]


def test_disagreements_compare_root_sets() -> None:
    diffs = clinical.disagreements("keegan_garrett", "foerster")
    cells = {(d.area, d.root): (d.grade_a, d.grade_b) for d in diffs}
    assert cells[("great_toe", "L4")] == ("shared", None)
    assert cells[("medial_border_of_foot", "L4")] == ("core", "occasional")
    assert cells[("posterior_calf", "S2")] == (None, "shared")
    # core against shared for the same root is not a difference
    assert ("great_toe", "L5") not in cells
    for d in diffs:
        assert d.sources and set(d.sources) <= clinical.references().keys()
        # a map's own note or none: no sentence built from the grades naming the area by its
        # id (a review showed "L1 in anterior_thigh: shared on Consensus, not listed on K&G
        # 1948" to students, after the same words in plain English)
        own = {
            n
            for m in ("keegan_garrett", "foerster")
            for n in clinical.atlases()[m].notes.get(d.area, {}).values()
        }
        assert d.note == "" or d.note in own
    assert any(d.note for d in diffs)
    assert clinical.disagreements("lee", "lee") == ()
    with pytest.raises(KeyError):
        clinical.disagreements("consensus", "nope")


def test_blank_areas_are_not_compared() -> None:
    cells = {(d.area, d.root) for d in clinical.disagreements("keegan_garrett", "lee")}
    assert not any(area in {"buttock", "lateral_thigh", "saddle"} for area, _ in cells)
    assert ("great_toe", "L4") in cells


def test_disagreeing_areas_of_the_published_maps() -> None:
    areas_ = clinical.disagreeing_areas()
    assert areas_["great_toe"] == ("L4",)
    assert set(areas_["medial_border_of_foot"]) == {"L4", "L5"}
    assert "L4" in areas_["lateral_thigh"] and "S2" in areas_["posterior_calf"]
    for agreed in ("medial_lower_leg", "medial_malleolus", "dorsum_of_foot", "little_toe", "heel"):
        assert agreed not in areas_
    assert list(areas_) == [a for a in areas() if a in areas_]  # spec order
    assert clinical.disagreeing_areas(("foerster", "lee")) == {}


def test_numeric_threshold_rule_still_available() -> None:
    diffs = clinical.disagreements("consensus", "keegan_garrett", 0.25)
    assert all(abs(d.weight_a - d.weight_b) >= 0.25 for d in diffs)
    assert diffs
