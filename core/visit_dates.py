"""The visit's dates as typed: a calendar date (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when
only that much is known, as FHIR allows), or for the date of birth an age in years; and what to
tell the user when a text is neither (Qt-free, used by the visit form, the report and FHIR)."""

from __future__ import annotations

import re
from datetime import date

from core.model import Session, Visit

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)  # FHIR's digits only
_AGE = re.compile(r"(\d{1,3})\s*(?:y|yr|yrs|years?)?", re.ASCII | re.IGNORECASE)
MAX_AGE = 130


def parse_date(text: str) -> date | None:
    """The first day ``text`` names (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a real day of
    the calendar), or ``None``."""
    m = _DATE.fullmatch(text.strip())
    if m is None:
        return None
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        return date(year, month, day)
    except ValueError:  # the 13th month, the 30th of February, year 0
        return None


def dated_after(text: str, other: str) -> bool:
    """Both visit dates known in one of the three forms (``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY``, as written: not checked against the calendar) and ``text`` later than ``other``;
    a month or a year is not after a day within it (``2025-03`` is not after ``2025``, nor
    ``2025-03-14`` after ``2025-03``)."""
    if not (_DATE.fullmatch(text) and _DATE.fullmatch(other)):
        return False
    return text > other and not text.startswith(other)


def full_date(text: str) -> date | None:
    """The day ``text`` names when it is a whole ``YYYY-MM-DD`` date; ``None`` for a year or a
    month alone (which leaves the day, and so an age, uncertain) or for no date."""
    return parse_date(text) if len(text.strip()) == len("YYYY-MM-DD") else None


def is_date(text: str) -> bool:
    """True for a real date in one of the three forms (a valid FHIR ``date``)."""
    return parse_date(text) is not None


def fhir_date(text: str) -> str | None:
    """``text`` as a FHIR ``date`` (without the spaces around it), or ``None`` when it is not a
    real date in one of the three forms."""
    return text.strip() if is_date(text) else None


def age_years(text: str) -> int | None:
    """An age in whole years (``58``, ``58 y``, ``58 years``) up to :data:`MAX_AGE`."""
    m = _AGE.fullmatch(text.strip())
    if m is None or int(m.group(1)) > MAX_AGE:
        return None
    return int(m.group(1))


def age_at_visit(birth: str, visit_date: str) -> int | None:
    """The age in whole years on the day of the visit: typed in the date-of-birth field, or
    from a full date of birth and a full visit date (``YYYY-MM-DD`` both: a year or a month
    alone leaves the age a year uncertain); ``None`` otherwise."""
    typed = age_years(birth)
    if typed is not None:
        return typed
    born, seen = full_date(birth), full_date(visit_date)
    if born is None or seen is None or born > seen:
        return None
    return seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))


def visit_date_problem(text: str, today: date) -> str | None:
    """What is wrong with ``text`` as the date of the visit (``None``: nothing, or empty)."""
    if not text.strip():
        return None
    when = parse_date(text)
    if when is None:
        return (
            f"Date of visit: “{text.strip()}” is not a date. Write it as YYYY-MM-DD, for "
            f"example {today.isoformat()}."
        )
    if when > today:
        return f"Date of visit: {text.strip()} is in the future."
    return None


def birth_date_problem(text: str, visit_date: str, today: date) -> str | None:
    """What is wrong with ``text`` as the date of birth, given the visit's date (``None``:
    nothing, or empty). An age in years is accepted as well."""
    if not text.strip() or age_years(text) is not None:
        return None
    born = parse_date(text)
    if born is None:
        return (
            f"Date of birth: “{text.strip()}” is neither a date nor an age in years. "
            "Write it as YYYY-MM-DD, for example 1961-04-23, or give the age in years."
        )
    seen = full_date(visit_date) or today  # a year or a month alone ends later
    if born > seen:
        return f"Date of birth: {text.strip()} is after the date of the visit."
    return None


def follow_up(session: Session, today: date) -> Session:
    """The next visit of ``session``'s patient: a new, empty session under the same map that
    keeps who the patient is (identifier, date of birth, sex) and the examiner, dated
    ``today``; the marks, findings and notes are the new visit's to record."""
    v = session.visit
    visit = Visit(
        patient_id=v.patient_id,
        date=today.isoformat(),
        examiner=v.examiner,
        date_of_birth=v.date_of_birth,
        sex=v.sex,
    )
    return Session(atlas=session.atlas, visit=visit)
