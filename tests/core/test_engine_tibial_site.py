"""The tibial nerve caught behind the knee (``myotomes.site_supply``, row
``achilles_down_tibial_except_at_knee``).

The tibial hypothesis is the nerve at the tarsal tunnel, below its branches to the calf and
tibialis posterior and off the Achilles reflex arc: there a weak calf, weak inversion or a reduced
ankle jerk count against it. With a local cause at the knee (a Baker's cyst, a popliteal mass) the
nerve lies above those branches and on that arc (nerves.json), so they no longer do, and its own
muscles' weakness counts for it as for the other nerves and roots that supply them: four blind
probes of a Baker's cyst read S1 0.73-0.80 and the tibial nerve 0.01.
"""

from __future__ import annotations

import pytest

from core.engine import analyze, posteriors
from core.model import (
    Findings,
    LocalCauseSite,
    Mark,
    Movement,
    Reflex,
    ReflexGrade,
    Session,
    Side,
    Symptom,
    Test,
    TestResult,
)
from core.results import Analysis

R = Side.RIGHT
TIBIAL = "peripheral:tibial"
MARKS = (
    Mark("popliteal_fossa", R, Symptom.PAIN),
    Mark("posterior_calf", R, Symptom.PAIN),
    Mark("medial_sole", R, Symptom.NUMBNESS),
    Mark("lateral_sole", R, Symptom.NUMBNESS),
    Mark("heel", R, Symptom.NUMBNESS),
    Mark("plantar_toes", R, Symptom.NUMBNESS),
)
STRONG = (
    Movement.KNEE_FLEXION,
    Movement.HIP_EXTENSION,
    Movement.ANKLE_DORSIFLEXION,
    Movement.GREAT_TOE_EXTENSION,
    Movement.ANKLE_EVERSION,
)


def _baker(site: LocalCauseSite) -> Analysis:
    return analyze(_session(site))


def _session(site: LocalCauseSite) -> Session:
    f = (
        Findings()
        .with_grade(R, Movement.ANKLE_PLANTARFLEXION, 4)
        .with_grade(R, Movement.ANKLE_INVERSION, 4)
        .with_grade(R, Movement.TOE_FLEXION, 3)
        .with_reflex(R, Reflex.ACHILLES, ReflexGrade.REDUCED)
        .with_reflex(Side.LEFT, Reflex.ACHILLES, ReflexGrade.NORMAL)
        .with_test(R, Test.STRAIGHT_LEG_RAISE, TestResult.NEGATIVE)
        .with_history(age=63, back_pain=False, local_cause=True, local_cause_site=site)
    )
    for movement in STRONG:
        f = f.with_grade(R, movement, 5)
    return Session(marks=MARKS, findings=f)


def _rows(a: Analysis, hypothesis: str) -> set[str]:
    h = next(h for h in a.hypotheses if h.id == hypothesis and h.side == "right")
    return {r.id for r in h.reasons if r.kind == "finding"}


def test_a_cause_behind_the_knee_puts_the_calf_and_ankle_jerk_inside_the_tibial_nerve() -> None:
    knee = _baker(LocalCauseSite.KNEE)
    assert knee.hypotheses[0].id == TIBIAL
    rows = _rows(knee, TIBIAL)
    assert "achilles_down_tibial_except_at_knee" not in rows
    assert not {r for r in rows if r.startswith("weak_ankle_")}
    # its own muscles count for it as for the other nerves and roots that supply them
    assert {"plantarflexion_weak_tibial_knee", "inversion_weak_tibial_knee"} <= rows


def test_at_the_ankle_the_same_signs_still_count_against_it() -> None:
    """The minimal pair: the same record with the cause at the ankle (the tarsal tunnel)."""
    knee = posteriors(_session(LocalCauseSite.KNEE))["right"]
    ankle = posteriors(_session(LocalCauseSite.ANKLE_FOOT))["right"]
    assert _baker(LocalCauseSite.ANKLE_FOOT).hypotheses[0].id == "S1"
    # three findings outside the nerve at 0.2 each, and two of its own muscles (3, 2.5) at the
    # knee: 937.5 to 1, priors alike
    odds = (knee[TIBIAL] / knee["S1"]) / (ankle[TIBIAL] / ankle["S1"])
    assert odds == pytest.approx(125 * 3 * 2.5), odds
