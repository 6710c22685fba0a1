"""``dermamap analyze --format text``: the urgent warnings headed as the window heads them,
and lines within 100 columns (the examination table)."""

from __future__ import annotations

import core.engine
from core.cli import format_text
from core.model import Session
from core.results import Analysis


def _cord_and_cauda() -> Session:
    """Cannot pass urine (the cauda equina emergency) and an extensor plantar response getting
    worse (urgent upper motor neuron signs)."""
    from core.model import Findings, Mark, PlantarResponse, RedFlag, Side

    f = Findings().with_plantar_response(Side.LEFT, PlantarResponse.EXTENSOR)
    return Session(
        marks=(Mark("dorsum_of_foot", Side.LEFT),),
        findings=f.with_history(progressive=True),
        red_flags=frozenset({RedFlag.URINARY_RETENTION}),
    )


def test_text_report_heads_each_urgent_warning_as_the_window_does() -> None:
    """The window calls the cauda equina emergency "Emergency:" and the other urgent warnings
    "Urgent:"; the text report put every one under "!! URGENT: same-day emergency assessment
    needed" and tagged each "[!] URGENT: ". Now a headline per urgent warning, shouted."""
    s = _cord_and_cauda()
    a = core.engine.analyze(s)
    assert [w.id for w in a.urgent_warnings] == ["cauda_equina", "upper_motor_neuron"]
    lines = format_text("a.json", s, a).splitlines()
    ces = lines.index("!! EMERGENCY: exclude cauda equina syndrome now")
    umn = lines.index("!! URGENT: upper motor neuron signs")
    assert ces == 2 and lines[ces + 1].startswith("!!   Cauda equina syndrome must be excluded")
    assert lines[umn + 1].startswith("!!   Upper motor neuron signs on the left leg")
    text = "\n".join(lines)
    assert "same-day emergency assessment needed" not in text
    assert "[!] EMERGENCY: Cauda equina syndrome must be excluded now" in text
    assert "[!] URGENT: Upper motor neuron signs" in text
    # the emergency without its warning (an analysis made elsewhere) is still headed
    alone = format_text("a.json", Session(), Analysis(urgent=True, hypotheses=()))
    assert alone.splitlines()[2] == "!! EMERGENCY: exclude cauda equina syndrome now"


def _sensation_everywhere() -> Session:
    """Every key point tested on both legs, light touch and pin prick altered: the longest
    values ("light touch altered, pin prick altered") beside the longest names."""
    from core.model import Findings, Movement, Side, Strength

    f = Findings()
    for side in (Side.RIGHT, Side.LEFT):
        for point in ("L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4_5"):
            for modality in ("light_touch", "pin_prick"):
                f = f.with_sensation(side, point, modality, 1)
        f = f.with_strength(side, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
    return Session(findings=f)


def test_text_report_examination_table_stays_within_100_columns() -> None:
    """The examination table's Right column was 12 wide: "light touch altered, pin prick
    altered" pushed Left out and lines reached 146 columns. The columns are as wide as their
    values; a row too wide wraps within its cells, Right and Left keeping their columns."""
    s = _sensation_everywhere()
    text = format_text("a.json", s, core.engine.analyze(s))
    assert max(map(len, text.splitlines())) <= 100
    table = text.split("Examination and history recorded\n", 1)[1].split("\n\n", 1)[0]
    head, *rows = table.splitlines()
    right, left = head.index("Right"), head.index("Left")
    l5 = next(i for i, r in enumerate(rows) if r.lstrip().startswith("Sensation at the L5"))
    first, second = rows[l5], rows[l5 + 1]
    assert first[right:].startswith("light touch altered,") and first[left:] == (
        "light touch altered,"
    )
    assert second[right:].startswith("pin prick altered") and second[left:] == "pin prick altered"
    assert second.startswith("    ") and "third MTP joint)" in second  # the name continued


def test_examination_table_sizes_its_columns_to_their_values() -> None:
    """Values longer than 12 ("MRC 5 (normal)") ran into the Left column: "MRC 5 (normal)
    MRC 5 (normal)" under "Right        Left"."""
    from core.cli import exam_lines

    rows = [("Hip flexion", "MRC 5 (normal)", "MRC 4 (weak)"), ("Plantar response", "", "flexor")]
    head, hip, plantar = exam_lines(rows)
    assert head.index("Left") == hip.index("MRC 4") == plantar.index("flexor")
    assert hip.index("MRC 5") == head.index("Right") == plantar.index("-")
    long = [("Sensation at the L5 key point (dorsum of the foot, third MTP joint)", "x" * 70, "")]
    assert all(len(line) <= 100 for line in exam_lines(long))


def test_urgent_conditions_say_how_pressing_they_are_from_the_registry() -> None:
    """The cauda equina condition carried "(emergency)" in its name, and the window added
    " — emergency" to any other urgent condition unless its name contained the word (a view
    reading prose). The name is now the condition's alone; every output takes the word from
    the warnings' registry: "emergency" for cauda equina, "urgent" for the others."""
    from core import warning_names

    s = _cord_and_cauda()
    a = core.engine.analyze(s)
    ces = next(c for c in a.conditions if c.id == "cauda_equina")
    assert ces.urgent and ces.name == "Cauda equina syndrome"
    assert warning_names.urgency_word("cauda_equina") == "Emergency"
    assert warning_names.urgency_word("guillain_barre") == "Urgent"
    text = format_text("a.json", s, a)
    assert "  - !! Cauda equina syndrome (emergency): " in text
    assert "(emergency) (emergency)" not in text
