"""Peripheral-nerve data: grades, the two new nerves and the drawing zones."""

from __future__ import annotations

from core import clinical
from core.geometry import load_diagram
from core.zones import area_of, areas

GRADES = {"core", "shared", "occasional"}


def test_thirteen_nerves_with_grades_and_resolving_sources() -> None:
    nerves = clinical.nerves()
    assert len(nerves) == 13
    refs = clinical.references()
    for n in nerves.values():
        assert set(n.territory.values()) <= GRADES, n.id
        assert set(n.zones.values()) <= GRADES, n.id
        assert n.sources and set(n.sources) <= refs.keys(), n.id
        for area in areas():
            assert n.grade(area) == n.territory.get(area)
            assert n.weight(area) == (clinical.NERVE_GRADES[n.grade(area)] if n.grade(area) else 0)


def test_obturator_and_posterior_femoral_cutaneous() -> None:
    obt = clinical.nerves()["obturator"]
    assert dict(obt.territory) == {"medial_thigh": "core"}
    assert obt.roots == ("L2", "L3", "L4") and not obt.pure_sensory
    assert "adduction" in obt.motor.lower()
    pfc = clinical.nerves()["posterior_femoral_cutaneous"]
    assert dict(pfc.territory) == {
        "posterior_thigh": "core",
        "popliteal_fossa": "shared",
        "buttock": "occasional",
        "saddle": "occasional",  # the perineal branch (R95)
    }
    assert pfc.roots == ("S1", "S2", "S3") and pfc.pure_sensory
    assert pfc.zone_grade("buttock.lower") == "shared"  # the inferior buttock only
    assert pfc.zone_grade("buttock") is None


def test_zones_are_drawn_zones_of_the_nerves_own_areas() -> None:
    drawn = load_diagram().zone_ids()
    for n in clinical.nerves().values():
        for zone in (*n.zones, *n.zone_notes):
            assert zone in drawn, (n.id, zone)
            assert area_of(zone) in n.territory, (n.id, zone)


def test_territories_drawn_as_the_anatomy_texts_draw_them() -> None:
    nv = clinical.nerves()
    sural, saph = nv["sural"], nv["saphenous"]
    # sural: the lower posterolateral calf, not the whole posterior calf
    assert sural.zone_grade("posterior_calf.lateral") == "core"
    assert sural.zone_grade("posterior_calf.upper") is None
    assert sural.zone_grade("posterior_calf.medial") == "occasional"  # medial sural cutaneous
    assert "medial sural cutaneous" in sural.zone_notes["posterior_calf.medial"]
    for zone in (
        "lateral_malleolus",
        "lateral_heel",
        "lateral_border_of_foot",
        "little_toe.lateral",
    ):
        assert sural.zone_grade(zone) in {"core", "shared"}, zone
    # saphenous: medial knee, leg, malleolus and border of the foot, not the sole
    for zone in ("medial_knee", "medial_lower_leg", "medial_malleolus", "medial_border_of_foot"):
        assert saph.zone_grade(zone) is not None, zone
    for zone in ("medial_sole", "medial_border_of_foot.plantar", "plantar_toes.great"):
        assert saph.zone_grade(zone) is None, zone
    # plantar nerves on their halves of the sole and toes
    mp, lp = nv["medial_plantar"], nv["lateral_plantar"]
    assert mp.zone_grade("medial_sole") == "core" and mp.zone_grade("lateral_sole") is None
    assert lp.zone_grade("lateral_sole") == "core" and lp.zone_grade("medial_sole") is None
    assert mp.zone_grade("plantar_toes.great") == mp.zone_grade("plantar_toes.middle") == "core"
    assert mp.zone_grade("plantar_toes.little") is None
    assert lp.zone_grade("plantar_toes.little") == "core"
    # the tibial nerve in the tarsal tunnel: the whole sole and the plantar toes, the great toe
    # on its plantar-medial side only (not its back), the sole's edges as its branches draw them
    tib = nv["tibial"]
    for zone in ("medial_sole", "lateral_sole", "heel.plantar", "plantar_toes.great"):
        assert tib.zone_grade(zone) == "core", zone
    assert tib.zone_grade("great_toe.medial") == "shared"
    assert tib.zone_grade("great_toe.dorsal") is None
    assert tib.zone_grade("medial_border_of_foot.plantar") == "shared"
    assert tib.zone_grade("medial_border_of_foot") is None
    assert lp.zone_grade("plantar_toes.fourth_lateral") == "core"
    assert lp.zone_grade("plantar_toes.great") is None
    # the common peroneal trunk's own skin is the upper lateral leg, and a lesion at the fibular
    # head takes its superficial branch's lower lateral leg too (a student's review: Explore
    # drew the upper part only, beside a card saying "Core: lateral lower leg")
    cpn, spn = nv["common_peroneal"], nv["superficial_peroneal"]
    assert cpn.zone_grade("lateral_lower_leg.upper") == "core"
    assert cpn.zone_grade("lateral_lower_leg") == "core"
    assert spn.zone_grade("lateral_lower_leg") == "core"
    assert spn.zone_grade("lateral_lower_leg.upper") is None
    # an area without listed zones is drawn whole with its grade
    assert nv["obturator"].zone_grade("medial_thigh") == "core"
    assert nv["tibial"].zone_grade("heel.plantar") == "core"


# A nerve lesion at its usual site affects every branch below it (Gray's Anatomy, R71): the
# common peroneal at the fibular head divides into the superficial and deep peroneal nerves, the
# tibial nerve in the tarsal tunnel into the medial and lateral plantar nerves, and the saphenous
# nerve is the femoral nerve's sensory branch below the knee.
BRANCHES = {
    "superficial_peroneal": "common_peroneal",
    "deep_peroneal": "common_peroneal",
    "medial_plantar": "tibial",
    "lateral_plantar": "tibial",
    "saphenous": "femoral",
    "common_peroneal": "sciatic",
    "tibial": "sciatic",
}


def test_a_nerve_covers_the_skin_of_its_branches() -> None:
    nerves = clinical.nerves()
    assert {n.id: n.branch_of for n in nerves.values() if n.branch_of} == BRANCHES
    for branch, parent in BRANCHES.items():
        missing = set(nerves[branch].territory) - set(nerves[parent].territory)
        assert not missing, (parent, branch, missing)


def test_a_nerve_is_drawn_on_every_zone_its_branches_are_drawn_on() -> None:
    """The rule above, zone by zone as the diagram draws it."""
    from core.geometry import load_diagram

    nerves = clinical.nerves()
    zones = {z.id for z in load_diagram().zones()}
    for branch, parent in BRANCHES.items():
        missing = {
            z
            for z in zones
            if nerves[branch].zone_grade(z) is not None and nerves[parent].zone_grade(z) is None
        }
        assert not missing, (parent, branch, sorted(missing))


def test_a_branch_is_drawn_ahead_of_the_nerve_it_leaves() -> None:
    # where a branch and its parent are drawn alike, the branch is shown first; other nerves
    # keep their place (the sural nerve's little toe is not the lateral plantar nerve's)
    assert clinical.nerves_drawn_on("anterior_lower_leg")[:2] == (
        "superficial_peroneal",
        "common_peroneal",
    )
    drawn = clinical.nerves_drawn_on("great_toe.medial")
    assert drawn[0] == "medial_plantar" and drawn.index("deep_peroneal") < drawn.index(
        "common_peroneal"
    )
    assert clinical.nerves_drawn_on("little_toe.lateral")[0] == "sural"
    assert clinical.nerves_drawn_on("heel.plantar") == ("tibial", "sciatic")


def test_an_unknown_parent_nerve_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    real = clinical._load

    def load(name: str):  # type: ignore[no-untyped-def]
        data = real(name)
        if name == "nerves.json":
            data = {**data, "nerves": [{**data["nerves"][1], "branch_of": "sciatic"}]}
        return data

    clinical.nerves.cache_clear()
    monkeypatch.setattr(clinical, "_load", load)
    try:
        with pytest.raises(ValueError, match="branch_of 'sciatic' is no nerve"):
            clinical.nerves()
    finally:
        monkeypatch.undo()
        clinical.nerves.cache_clear()


def test_the_tibial_card_teaches_the_whole_nerve() -> None:
    """A student's review: the tibial nerve's card taught "the calf is strong and the Achilles
    reflex is normal" and "intrinsic muscles of the foot" as if the nerve had no calf muscles;
    true at the tarsal tunnel only (R61, R71). The card now names the site of each."""
    tib = clinical.nerves()["tibial"]
    assert tib.motor.startswith("At the tarsal tunnel") and "calf" in tib.motor
    assert tib.distinguishing.startswith("At the tarsal tunnel")
    assert "behind the knee" in tib.distinguishing
