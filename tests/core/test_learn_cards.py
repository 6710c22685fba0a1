"""The Explore card's territory lines (core.learn.territory_tiers / zone_names) list exactly
the zones the diagram draws, with the same grades, for every root on every map and every nerve
(a card built on the nerves' canonical areas contradicted the finer per-zone shading)."""

from __future__ import annotations

import pytest

from core import clinical, learn
from core.names import nerve_hypothesis
from core.zones import area_of, display_name

ATLASES = tuple(clinical.atlases())
TARGETS = (*clinical.ROOT_IDS, *(nerve_hypothesis(n) for n in clinical.nerves()))


@pytest.mark.parametrize("atlas", ATLASES)
@pytest.mark.parametrize("target", TARGETS)
def test_card_tiers_are_the_drawn_zones_with_their_grades(target: str, atlas: str) -> None:
    """The card and the diagram both take their weights from ``learn.drawn_weight``, so this
    checks the card's grouping against what is drawn (the shading threshold, one line per zone,
    strongest first, the legend's words); the weights themselves are checked by the fixed
    expectations of the tests below (the medial plantar nerve and the reviewed nerves)."""
    drawn = learn.territory_zones(target, atlas)
    tiers = learn.territory_tiers(target, atlas)
    listed: dict[str, float] = {}
    for tier in tiers:
        assert tier.zones, tier
        assert tier.shaded == (tier.weight >= learn.OVERLAP)
        for zone in tier.zones:
            assert zone not in listed, f"{zone} on two lines of the {target} card"
            listed[zone] = tier.weight
    shaded = {z: w for z, w in listed.items() if w >= learn.OVERLAP}
    # the same zones, the same grades, on both sides
    assert {(z, s): shaded[z] for z, s in drawn if z in shaded} == drawn
    assert set(shaded) == {z for z, _s in drawn}
    # what the card calls "not shaded" is indeed not drawn, and is a real (occasional) grade
    for zone, w in listed.items():
        if w < learn.OVERLAP:
            assert w > 0 and not any(z == zone for z, _s in drawn)
    # tiers strongest first, labels as the legend words them
    weights = [t.weight for t in tiers]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    for t in tiers:
        assert t.label.lower().startswith(learn.weight_word(t.weight))


@pytest.mark.parametrize("nerve", list(clinical.nerves()))
def test_every_zone_of_a_nerve_card_is_named(nerve: str) -> None:
    for tier in learn.territory_tiers(nerve_hypothesis(nerve)):
        names = learn.zone_names(tier.zones)
        text = ", ".join(names)
        for zone in tier.zones:
            area = display_name(area_of(zone)).lower()
            assert area in text, (zone, text)
        assert len(names) <= len(tier.zones)


def test_medial_plantar_card_matches_its_shading() -> None:
    """The student's case: the plantar great and middle toes are core, the plantar medial
    border is shared, and nothing is "occasional (not shaded)"."""
    tiers = {
        t.label: learn.zone_names(t.zones)
        for t in learn.territory_tiers("peripheral:medial_plantar")
    }
    assert tiers == {
        "Core": ("plantar toes (great, middle)", "medial sole"),
        "Shared": ("great toe (medial)", "middle toes", "medial border of foot (plantar)"),
    }


@pytest.mark.parametrize(
    ("nerve", "label", "name"),
    [
        ("posterior_femoral_cutaneous", "Shared", "buttock (lower)"),
        ("sural", "Core", "posterior calf (lateral)"),
        ("sural", "Occasional (not shaded)", "posterior calf (medial)"),
        ("tibial", "Shared", "lateral border of foot (plantar)"),
        ("lateral_plantar", "Shared", "lateral border of foot (plantar)"),
    ],
)
def test_reviewed_nerves_name_their_finer_zones(nerve: str, label: str, name: str) -> None:
    tiers = {
        t.label: learn.zone_names(t.zones) for t in learn.territory_tiers(nerve_hypothesis(nerve))
    }
    assert name in tiers[label]


def test_a_root_card_names_whole_areas() -> None:
    """A root's weight is its area's on every zone of it: the card names areas, as before."""
    for tier in learn.territory_tiers("L5", "consensus"):
        assert all("(" not in n for n in learn.zone_names(tier.zones))
    with pytest.raises(KeyError):
        learn.territory_tiers("L9", "consensus")
