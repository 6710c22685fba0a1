from core import zones

SPEC_AREAS = (
    "groin anterior_thigh anterolateral_thigh lateral_thigh medial_thigh posterior_thigh buttock "
    "saddle anterior_knee medial_knee popliteal_fossa anterior_lower_leg medial_lower_leg "
    "lateral_lower_leg posterior_calf medial_malleolus lateral_malleolus anterior_ankle "
    "dorsum_of_foot first_web_space great_toe middle_toes little_toe plantar_toes "
    "medial_border_of_foot lateral_border_of_foot medial_sole lateral_sole heel lateral_heel"
).split()


def test_exactly_the_spec_areas_in_order() -> None:
    assert list(zones.areas()) == SPEC_AREAS


def test_group_aliases_expand() -> None:
    assert zones.expand("sole") == ("medial_sole", "lateral_sole")
    assert len(zones.expand("circumferential_lower_leg")) == 4
    assert zones.expand("dorsum_of_foot.medial") == ("dorsum_of_foot",)


def test_zone_rules() -> None:
    assert zones.area_of("great_toe.plantar") == "great_toe"
    assert zones.is_known_zone("heel")
    assert zones.is_known_zone("sole")
    assert not zones.is_known_zone("elbow")
    assert zones.display_name("dorsum_of_foot.medial") == "Dorsum of foot (medial)"


def test_every_drawn_zone_has_a_name_in_words() -> None:
    from core.geometry import load_diagram

    for view in load_diagram().views:
        for z in view.zones:
            name = zones.display_name(z.id)
            assert "_" not in name and name[0].isupper(), z.id
    assert (
        zones.display_name("plantar_toes.fourth_lateral")
        == "Plantar toes (lateral half of the fourth toe)"
    )
