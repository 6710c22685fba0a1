"""The cauda equina emergency's triggers weigh each leg's nerves (row ``cauda_equina_not_nerve``).

A drawing a common peroneal palsy explains as well as L5 (outer shin, dorsum, great toe, nothing
above the knee) reads the nerve first; saddle numbness, a sphincter symptom or weakness getting
worse on both legs arise in the cauda equina's roots and lie outside every leg nerve, so they
count against each nerve as a finding outside it does. The saddle's numbness counts once however
it was recorded (marked, ticked as saddle anaesthesia, found at its key points), and spares the
posterior femoral cutaneous nerve, whose perineal branch reaches it
(``cauda_equina_saddle_not_nerve``).
"""

from __future__ import annotations

import pytest

from core.assets import load_json
from core.engine import analyze, posteriors
from core.engine.evidence import evidence
from core.model import Findings, Mark, Movement, RedFlag, Session, Side, Strength, Symptom
from core.results import Analysis

SHIN = (
    Mark("lateral_lower_leg", Side.LEFT, Symptom.PAIN),
    Mark("dorsum_of_foot", Side.LEFT, Symptom.NUMBNESS),
    Mark("great_toe", Side.LEFT, Symptom.NUMBNESS),
)
ROW = "cauda_equina_not_nerve"
SADDLE_ROW = "cauda_equina_saddle_not_nerve"
PFCN = "peripheral:posterior_femoral_cutaneous"


def _first(a: Analysis, side: str = "left") -> str:
    return next(h.id for h in a.hypotheses if h.side == side)


def _rows(a: Analysis, hypothesis: str, side: str = "left") -> set[str]:
    h = next(h for h in a.hypotheses if h.id == hypothesis and h.side == side)
    return {r.id for r in h.reasons if r.kind == "finding"}


def test_the_row_counts_as_a_finding_outside_a_nerve_does() -> None:
    outside = load_json("clinical/evidence.json")["myotomes"]["outside_nerve_lr"]
    rows = {r.id: r for r in evidence().rows}
    assert rows[ROW].lr == rows[SADDLE_ROW].lr == outside == 0.2
    nerves = {h for h in rows[ROW].hypotheses}
    assert nerves and all(h.startswith("peripheral:") for h in nerves)
    assert set(rows[SADDLE_ROW].hypotheses) == nerves - {PFCN}


def test_a_red_flag_puts_the_root_above_the_nerve_its_drawing_also_fits() -> None:
    plain = analyze(Session(marks=SHIN))
    assert _first(plain) == "peripheral:common_peroneal"  # the minimal pair's other half
    for flag, row in ((RedFlag.SADDLE_ANAESTHESIA, SADDLE_ROW), (RedFlag.URINARY_RETENTION, ROW)):
        flagged = analyze(Session(marks=SHIN, red_flags=frozenset({flag})))
        assert flagged.hypotheses[0].id == "cauda_equina"
        assert _first(flagged) == "L5"
        assert _rows(flagged, "peripheral:common_peroneal") & {ROW, SADDLE_ROW} == {row}
        assert not _rows(flagged, "L5") & {ROW, SADDLE_ROW}


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


def test_the_saddle_s_numbness_counts_once_however_it_was_recorded() -> None:
    """A review: the same saddle numbness counted once when marked and twice when also ticked
    as saddle anaesthesia or marked on the other half too (the nerve 0.25 or 0.07 by how it was
    recorded). Round 127: an L5 drawing beside the leg's own saddle numbness read the common
    peroneal nerve first, the saddle diluted among the drawing's marks."""
    cpn = "peripheral:common_peroneal"
    own = (*SHIN, Mark("saddle", Side.LEFT, Symptom.NUMBNESS))
    both = (*own, Mark("saddle", Side.RIGHT, Symptom.NUMBNESS))
    ticked = frozenset({RedFlag.SADDLE_ANAESTHESIA})
    readings = [
        analyze(Session(marks=own)),
        analyze(Session(marks=own, red_flags=ticked)),
        analyze(Session(marks=both)),
    ]
    for a in readings:
        assert a.hypotheses[0].id == "cauda_equina" and _first(a) == "L5"
        assert _rows(a, cpn) & {ROW, SADDLE_ROW} == {SADDLE_ROW}
    assert _p(readings[0], cpn) == _p(readings[1], cpn)


def _p(a: Analysis, hypothesis: str, side: str = "left") -> float:
    return next(h.probability or 0.0 for h in a.hypotheses if h.id == hypothesis and h.side == side)


def test_the_saddle_s_skin_spares_the_nerve_whose_branch_reaches_it() -> None:
    """A review: a reduced S3 key point (the ischial tuberosity, in the posterior femoral
    cutaneous nerve's perineal skin) cut that nerve five-fold as a warning sign outside it."""
    back = (
        Mark("posterior_thigh", Side.LEFT, Symptom.NUMBNESS),
        Mark("buttock", Side.LEFT, Symptom.NUMBNESS),
    )
    s3 = Findings().with_sensation(Side.LEFT, "S3", "pin_prick", 1)

    def odds(f: Findings, flags: frozenset[RedFlag] = frozenset()) -> float:
        """The nerve's odds against S1 (the row leaves the roots alone)."""
        p = posteriors(Session(marks=back, findings=f, red_flags=flags))["left"]
        return p[PFCN] / p["S1"]

    assert analyze(Session(marks=back, findings=s3)).hypotheses[0].id == "cauda_equina"
    assert odds(s3) == pytest.approx(odds(Findings()))
    retention = frozenset({RedFlag.URINARY_RETENTION})
    assert odds(s3, retention) == pytest.approx(0.2 * odds(Findings()))
