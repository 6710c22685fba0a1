"""The visit's dates: real calendar days (or a year or month), the age in place of a date of
birth, and what the visit form says about anything else."""

from __future__ import annotations

from datetime import date

import pytest

from core.model import Findings, Session, Visit
from core.report_content import age_text
from core.visit_dates import (
    age_at_visit,
    age_years,
    birth_date_problem,
    is_date,
    parse_date,
    visit_date_problem,
)

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-02-29", date(2024, 2, 29)),
        (" 2025-03-01 ", date(2025, 3, 1)),
        ("1961-04", date(1961, 4, 1)),
        ("1961", date(1961, 1, 1)),
        ("2025-02-29", None),
        ("2026-13-45", None),
        ("0000-01-01", None),
        ("2025-2-3", None),
        ("03/02/2025", None),
        ("2025-02-03T10:00", None),
        ("\u0662\u0660\u0662\u0665-01-01", None),  # Arabic-Indic digits: not FHIR's
        ("", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
    assert is_date(text) is (expected is not None)


@pytest.mark.parametrize(
    ("text", "years"),
    [("58", 58), ("58 y", 58), ("58 years", 58), ("7yrs", 7), ("0", 0), ("131", None)],
)
def test_age_years(text: str, years: int | None) -> None:
    assert age_years(text) == years


def test_visit_date_problems() -> None:
    assert visit_date_problem("", TODAY) is None
    assert visit_date_problem("2026-12-06", TODAY) is None
    assert visit_date_problem("2026", TODAY) is None
    bad = visit_date_problem("2026-13-45", TODAY)
    assert bad is not None and "“2026-13-45” is not a date" in bad and "example 2026-12-06" in bad
    future = visit_date_problem("2026-12-07", TODAY)
    assert future == "Date of visit: 2026-12-07 is in the future."


def test_birth_date_problems() -> None:
    assert birth_date_problem("", "", TODAY) is None
    assert birth_date_problem("58", "", TODAY) is None
    assert birth_date_problem("1961-04-23", "2026-12-01", TODAY) is None
    assert birth_date_problem("2026-05-01", "2026", TODAY) is None  # a year ends later
    after = birth_date_problem("2026-12-02", "2026-12-01", TODAY)
    assert after == "Date of birth: 2026-12-02 is after the date of the visit."
    future = birth_date_problem("2027-01-01", "", TODAY)
    assert future is not None and "after the date of the visit" in future
    neither = birth_date_problem("sixty", "", TODAY)
    assert neither is not None and "neither a date nor an age" in neither


def test_the_report_calls_an_age_typed_as_the_date_of_birth_an_age() -> None:
    assert age_text(Session(visit=Visit(date_of_birth="58"))) == ("Age", "58 years")
    same = Session(visit=Visit(date_of_birth="58"), findings=Findings().with_history(age=58))
    assert age_text(same) == ("Age", "58 years")
    # two ages that disagree are both shown: the history's is the one the analysis used
    other = Session(visit=Visit(date_of_birth="58"), findings=Findings().with_history(age=34))
    assert age_text(other) == ("Age", "58 years (history: 34 years)")
    assert age_text(Session(visit=Visit(date_of_birth="1961-04-23"))) == (
        "Date of birth",
        "1961-04-23",
    )
    # with the visit's date, the age then is said too (and a history's that differs)
    dated = Visit(date_of_birth="1961-04-23", date="2026-04-22")
    assert age_text(Session(visit=dated)) == ("Date of birth", "1961-04-23 (age 64 at the visit)")
    older = Session(visit=dated, findings=Findings().with_history(age=70))
    assert age_text(older) == (
        "Date of birth",
        "1961-04-23 (age 64 at the visit; history: 70 years)",
    )


def test_the_age_at_the_visit() -> None:
    assert age_at_visit("1961-04-23", "2026-04-22") == 64  # the day before the birthday
    assert age_at_visit("1961-04-23", "2026-04-23") == 65
    assert age_at_visit("58 years", "") == 58  # typed as an age
    # a year or month alone leaves it a year uncertain; a birth after the visit is no age
    assert age_at_visit("1961", "2026-04-23") is None
    assert age_at_visit("1961-04-23", "2026-04") is None
    assert age_at_visit("2027-01-01", "2026-01-01") is None


def test_the_analysis_takes_the_age_from_the_visit_when_the_history_has_none() -> None:
    """A date of birth entered in Visit Details and no age in the history: the conditions
    read no age (no "in an older patient" for a stenosis)."""
    from core.engine import analyze
    from core.model import Mark, Side, Symptom

    marks = tuple(Mark(z, s, Symptom.PAIN) for z in ("lateral_lower_leg", "buttock") for s in Side)
    born = Visit(date_of_birth="1951-01-01", date="2026-06-01")
    f = Findings().with_history(neurogenic_claudication=True)
    whys = [c.why for c in analyze(Session(marks=marks, visit=born, findings=f)).conditions]
    assert any("age 75" in w for w in whys), whys
    without = [c.why for c in analyze(Session(marks=marks, findings=f)).conditions]
    assert not any("age 75" in w for w in without)
    # the history's own age wins
    f70 = f.with_history(age=70)
    whys70 = [c.why for c in analyze(Session(marks=marks, visit=born, findings=f70)).conditions]
    assert any("age 70" in w for w in whys70)
