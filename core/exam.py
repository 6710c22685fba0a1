"""The entered examination findings as flat items (Qt-free), one per finding and side.

The report's findings table, the CSV's finding columns and the FHIR Observations all read the
same list. A key is a :data:`core.names.FINDING_NAMES` key (``reflex:achilles``,
``strength:great_toe_extension``, ``test:straight_leg_raise``, ``plantar_response``, ``clonus``,
``sensation:L5``); the value is the file's value (``absent``, ``weak``, ``positive`` ...; for a
sensory point ``light_touch=1;pin_prick=2``).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import names
from core.model import HISTORY_BOOLEANS, SENSORY_MODALITIES, SENSORY_POINTS, Findings, Side

SIDES = (Side.RIGHT, Side.LEFT)
SCORE_WORDS = {0: "absent", 1: "altered", 2: "normal"}


@dataclass(frozen=True)
class ExamItem:
    key: str
    side: Side
    value: str

    @property
    def name(self) -> str:
        return names.finding_name(self.key)

    @property
    def value_text(self) -> str:
        """The value in words (``absent``; ``light touch altered, pin prick normal``)."""
        if self.key.startswith("sensation:"):
            parts = dict(p.split("=", 1) for p in self.value.split(";") if "=" in p)
            return ", ".join(
                f"{m.replace('_', ' ')} {SCORE_WORDS.get(int(parts[m]), parts[m])}"
                for m in SENSORY_MODALITIES
                if m in parts
            )
        return names.VALUE_WORDS.get(self.value, self.value)


def exam_items(findings: Findings) -> list[ExamItem]:
    """Every entered finding, grouped by kind in the form's order, right side first."""
    out: list[ExamItem] = []
    tables = (("reflex", findings.reflexes), ("strength", findings.strength))
    for prefix, table in (*tables, ("test", findings.tests)):
        keys: dict[str, None] = {}
        for side in SIDES:
            for entry in table.get(side, {}):
                keys[entry.value] = None
        for key in keys:
            for side in SIDES:
                v = {kk.value: vv for kk, vv in table.get(side, {}).items()}.get(key)
                if v is not None:
                    value = str(v.value)
                    if prefix == "strength":
                        grade = {m.value: g for m, g in findings.grades.get(side, {}).items()}
                        if key in grade:
                            value = f"MRC {grade[key]} ({value})"
                    out.append(ExamItem(f"{prefix}:{key}", side, value))
    for name, per_side in (
        ("plantar_response", findings.plantar_response),
        ("clonus", findings.clonus),
    ):
        for side in SIDES:
            if side in per_side:
                out.append(ExamItem(name, side, per_side[side].value))
    for point in SENSORY_POINTS:
        for side in SIDES:
            scores = findings.sensation.get(side, {}).get(point)
            if scores:
                value = ";".join(f"{m}={scores[m]}" for m in SENSORY_MODALITIES if m in scores)
                out.append(ExamItem(f"sensation:{point}", side, value))
    for side in SIDES:
        for symptom, level in findings.intensity.get(side, {}).items():
            out.append(ExamItem(f"intensity:{symptom.value}", side, f"{level}/10"))
    return out


def exam_table(findings: Findings) -> list[tuple[str, str, str]]:
    """Rows ``(finding name, right, left)`` for a table; ``""`` where a side has no entry."""
    rows: dict[str, dict[Side, str]] = {}
    for item in exam_items(findings):
        rows.setdefault(item.name, {})[item.side] = item.value_text
    return [(n, r.get(Side.RIGHT, ""), r.get(Side.LEFT, "")) for n, r in rows.items()]


def onset_words(days: int) -> str:
    """How long ago the symptoms began: "1 day ago", "10 days ago", "about 5 years ago (1825
    days)" (a report read "1825 days ago")."""
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 730:
        return f"about {round(days / 30.4)} months ago ({days} days)"
    return f"about {round(days / 365.25)} years ago ({days} days)"


def history_items(findings: Findings) -> list[tuple[str, str]]:
    """History as ``(name, value)`` in words, only what was entered."""
    h = findings.history
    out: list[tuple[str, str]] = []
    if h.age is not None:
        out.append((names.finding_name("history:age"), f"{h.age} years"))
    if h.onset_days is not None:
        out.append((names.finding_name("history:onset_days"), onset_words(h.onset_days)))
    for field in HISTORY_BOOLEANS:
        value = getattr(h, field)
        if value is not None:
            out.append((names.finding_name(f"history:{field}"), "yes" if value else "no"))
    if h.local_cause_site is not None:
        site = names.VALUE_WORDS.get(h.local_cause_site.value, "")
        if h.local_cause is False:  # the engine reads no local cause there (a review)
            site += " (not counted: no local cause recorded)"
        out.append((names.finding_name("history:site_of_local_cause"), site))
    if h.local_cause_side is not None:
        leg = f"{h.local_cause_side.value} leg"
        out.append((names.finding_name("history:local_cause_side"), leg))
    return out
