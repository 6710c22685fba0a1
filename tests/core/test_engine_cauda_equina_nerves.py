"""The cauda equina emergency's triggers weigh each leg's nerves (row ``cauda_equina_not_nerve``).

A drawing a common peroneal palsy explains as well as L5 (outer shin, dorsum, great toe, nothing
above the knee) reads the nerve first; saddle numbness, a sphincter symptom or weakness getting
worse on both legs arise in the cauda equina's roots and lie outside every leg nerve, so they
count against each nerve as a finding outside it does. A leg's own saddle marks are weighed by
its drawing and are not counted a second time.
"""

from __future__ import annotations

from core.assets import load_json
from core.engine import analyze
from core.engine.evidence import evidence
from core.model import Findings, Mark, Movement, RedFlag, Session, Side, Strength, Symptom
from core.results import Analysis

SHIN = (
    Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),
    Mark("dorsum_of_foot", Side.LEFT, Symptom.NUMBNESS),
    Mark("great_toe", Side.LEFT, Symptom.NUMBNESS),
)
ROW = "cauda_equina_not_nerve"


def _first(a: Analysis, side: str = "left") -> str:
    return next(h.id for h in a.hypotheses if h.side == side)


def _rows(a: Analysis, hypothesis: str, side: str = "left") -> set[str]:
    h = next(h for h in a.hypotheses if h.id == hypothesis and h.side == side)
    return {r.id for r in h.reasons if r.kind == "finding"}


def test_the_row_counts_as_a_finding_outside_a_nerve_does() -> None:
    row = next(r for r in evidence().rows if r.id == ROW)
    assert row.lr == load_json("clinical/evidence.json")["myotomes"]["outside_nerve_lr"] == 0.2
    assert row.hypotheses and all(h.startswith("peripheral:") for h in row.hypotheses)


def test_a_red_flag_puts_the_root_above_the_nerve_its_drawing_also_fits() -> None:
    plain = analyze(Session(marks=SHIN))
    assert _first(plain) == "peripheral:common_peroneal"  # the minimal pair's other half
    flagged = analyze(Session(marks=SHIN, red_flags=frozenset({RedFlag.SADDLE_ANAESTHESIA})))
    assert flagged.hypotheses[0].id == "cauda_equina"
    assert _first(flagged) == "L5"
    assert ROW in _rows(flagged, "peripheral:common_peroneal")
    assert ROW not in _rows(flagged, "L5")


def test_weakness_getting_worse_on_both_legs_reads_the_root_on_each_leg() -> None:
    both = SHIN + tuple(Mark(m.zone, Side.RIGHT, m.symptom) for m in SHIN)
    f = Findings()
    for side in Side:
        f = f.with_strength(side, Movement.ANKLE_DORSIFLEXION, Strength.WEAK)
        f = f.with_grade(side, Movement.ANKLE_DORSIFLEXION, 4)
    stable = analyze(Session(marks=both, findings=f))
    worse = analyze(Session(marks=both, findings=f.with_history(progressive=True)))
    assert "cauda_equina" not in {h.id for h in stable.hypotheses}
    assert _first(stable) == "peripheral:common_peroneal"
    assert worse.hypotheses[0].id == "cauda_equina"
    assert _first(worse, "left") == _first(worse, "right") == "L5"


def test_a_legs_own_saddle_marks_are_not_counted_twice() -> None:
    saddle = (*SHIN, Mark("saddle", Side.LEFT, Symptom.NUMBNESS))
    a = analyze(Session(marks=(*saddle, Mark("lateral_lower_leg", Side.RIGHT, Symptom.PAIN))))
    assert a.hypotheses[0].id == "cauda_equina"
    nerves = [h for h in a.hypotheses if h.side == "left" and h.id.startswith("peripheral:")]
    assert nerves and all(ROW not in _rows(a, h.id) for h in nerves)
    # the other leg's nerves: the left saddle's numbness is outside them
    assert ROW in _rows(a, "peripheral:common_peroneal", "right")
