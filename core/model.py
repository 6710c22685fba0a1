"""Frozen data model shared by every part of Dermamap.

A :class:`Session` is what a clinician enters (marks, red flags, exam findings, visit details);
an :class:`Analysis` is what :func:`core.engine.analyze` makes of it. Both are immutable: every
change produces a new object (use :func:`dataclasses.replace` or the ``with_*`` helpers), which
makes undo, autosave and comparisons trivial.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Side(StrEnum):
    """The patient's side (never the viewer's)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def display(self) -> str:
        return "Left" if self is Side.LEFT else "Right"


SIDES = (Side.LEFT, Side.RIGHT)
"""Both sides, in spec order (a tuple: iterating the enum itself is slow in hot loops)."""


class Symptom(StrEnum):
    """What the patient feels in a marked zone."""

    NUMBNESS = "numbness"
    TINGLING = "tingling"
    PAIN = "pain"

    @property
    def display(self) -> str:
        return self.value.capitalize()


class RedFlag(StrEnum):
    """Warning signs of cauda equina syndrome (interface spec section 2)."""

    SADDLE_ANAESTHESIA = "saddle_anaesthesia"
    URINARY_RETENTION = "urinary_retention"
    URINARY_HESITANCY = "urinary_hesitancy"
    URINARY_INCONTINENCE = "urinary_incontinence"
    BOWEL_DYSFUNCTION = "bowel_dysfunction"
    SEXUAL_DYSFUNCTION = "sexual_dysfunction"
    BILATERAL_PROGRESSIVE_WEAKNESS = "bilateral_progressive_weakness"
    BILATERAL_SCIATICA = "bilateral_sciatica"


RED_FLAGS = tuple(RedFlag)
"""Every red flag, in spec order."""


class Reflex(StrEnum):
    PATELLAR = "patellar"
    ACHILLES = "achilles"
    MEDIAL_HAMSTRING = "medial_hamstring"


class ReflexGrade(StrEnum):
    NORMAL = "normal"
    REDUCED = "reduced"
    ABSENT = "absent"
    BRISK = "brisk"


class Movement(StrEnum):
    HIP_FLEXION = "hip_flexion"
    HIP_ADDUCTION = "hip_adduction"
    HIP_ABDUCTION = "hip_abduction"
    KNEE_EXTENSION = "knee_extension"
    KNEE_FLEXION = "knee_flexion"
    ANKLE_DORSIFLEXION = "ankle_dorsiflexion"
    GREAT_TOE_EXTENSION = "great_toe_extension"
    ANKLE_INVERSION = "ankle_inversion"
    ANKLE_EVERSION = "ankle_eversion"
    ANKLE_PLANTARFLEXION = "ankle_plantarflexion"
    HIP_EXTENSION = "hip_extension"
    TOE_FLEXION = "toe_flexion"


class Strength(StrEnum):
    NORMAL = "normal"
    WEAK = "weak"


class Test(StrEnum):
    STRAIGHT_LEG_RAISE = "straight_leg_raise"
    CROSSED_STRAIGHT_LEG_RAISE = "crossed_straight_leg_raise"
    FEMORAL_STRETCH = "femoral_stretch"
    TINEL_FIBULAR_HEAD = "tinel_fibular_head"
    TINEL_TARSAL_TUNNEL = "tinel_tarsal_tunnel"
    TINEL_MEDIAL_KNEE = "tinel_medial_knee"
    TINEL_LATERAL_ANKLE = "tinel_lateral_ankle"
    TINEL_ANTERIOR_ANKLE = "tinel_anterior_ankle"
    TINEL_LEG_FASCIA = "tinel_leg_fascia"
    PELVIC_COMPRESSION = "pelvic_compression"
    CROSSED_FEMORAL_STRETCH = "crossed_femoral_stretch"
    TINEL_ASIS = "tinel_asis"

    __test__ = False  # not a pytest test class


class TestResult(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"

    __test__ = False


class PlantarResponse(StrEnum):
    """The plantar (Babinski) response: extensor is an upper motor neuron sign."""

    FLEXOR = "flexor"
    EXTENSOR = "extensor"


class Clonus(StrEnum):
    """Ankle clonus: sustained clonus is an upper motor neuron sign."""

    PRESENT = "present"
    ABSENT = "absent"


class LocalCauseSite(StrEnum):
    """Where a local cause (trauma, surgery, an injection, external pressure, a mass) acts."""

    GROIN_PELVIS = "groin_pelvis"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    KNEE = "knee"
    FIBULAR_HEAD = "fibular_head"
    LOWER_LEG = "lower_leg"
    ANKLE_FOOT = "ankle_foot"


SENSORY_POINTS = ("L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4_5")
"""ISNCSCI key sensory points of the leg and the saddle (S4_5: perianal, tested as one)."""
SENSORY_MODALITIES = ("light_touch", "pin_prick")
"""Each point is scored 0 (absent), 1 (altered) or 2 (normal), as in ISNCSCI."""
NORMAL_SENSATION = 2
"""The ISNCSCI score of normal sensation at a key point."""


def sensation_reduced(scores: Mapping[str, int]) -> bool:
    """Whether a key point's scores (modality -> 0-2) hold one below normal (absent or altered
    in either modality); none entered is not reduced."""
    return min(scores.values(), default=NORMAL_SENSATION) < NORMAL_SENSATION


MRC_GRADES = (0, 1, 2, 3, 4, 5)
"""Medical Research Council muscle grades: 5 is normal power, anything below is weak."""
INTENSITY_RANGE = (0, 10)
"""A symptom's intensity on the 0-10 numeric rating scale (0 none, 10 worst imaginable)."""


HISTORY_BOOLEANS = (
    "back_pain",
    "neurogenic_claudication",
    "diabetes",
    "local_cause",
    "progressive",
    "cancer",
    "fever",
)


@dataclass(frozen=True)
class Mark:
    """One marked zone on one side.

    Parameters
    ----------
    zone
        A zone id: a canonical area (``dorsum_of_foot``), a finer diagram zone
        (``dorsum_of_foot.medial``) or a group alias (``sole``).
    side
        The patient's side.
    symptom
        What is felt there.
    coverage
        Fraction (0-1) of the zone that is marked; below 1 for freehand painting.
    """

    zone: str
    side: Side
    symptom: Symptom = Symptom.NUMBNESS
    coverage: float = 1.0

    @property
    def key(self) -> tuple[str, Side]:
        """Where the mark is: ``(zone, side)`` (several symptoms may share it)."""
        return (self.zone, self.side)

    @property
    def slot(self) -> tuple[str, Side, Symptom]:
        """What makes a mark unique in a session: ``(zone, side, symptom)``."""
        return (self.zone, self.side, self.symptom)


def _frozen(d: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class History:
    """History items of the interface spec; ``None`` means not asked / unknown."""

    age: int | None = None
    onset_days: int | None = None
    back_pain: bool | None = None
    neurogenic_claudication: bool | None = None
    diabetes: bool | None = None
    local_cause: bool | None = None
    progressive: bool | None = None
    local_cause_site: LocalCauseSite | None = None
    local_cause_side: Side | None = None
    """The leg the local cause acts on; ``None`` (not recorded): either leg."""
    cancer: bool | None = None
    """A past or current cancer (a red flag for spinal metastases)."""
    fever: bool | None = None
    """Fever with the present symptoms (a red flag for a spinal infection)."""

    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__dataclass_fields__)


@dataclass(frozen=True)
class Findings:
    """Examination findings per side. Mappings are read-only; use the ``with_*`` helpers."""

    reflexes: Mapping[Side, Mapping[Reflex, ReflexGrade]] = field(
        default_factory=lambda: _frozen({})
    )
    strength: Mapping[Side, Mapping[Movement, Strength]] = field(
        default_factory=lambda: _frozen({})
    )
    tests: Mapping[Side, Mapping[Test, TestResult]] = field(default_factory=lambda: _frozen({}))
    history: History = field(default_factory=History)
    plantar_response: Mapping[Side, PlantarResponse] = field(default_factory=lambda: _frozen({}))
    clonus: Mapping[Side, Clonus] = field(default_factory=lambda: _frozen({}))
    sensation: Mapping[Side, Mapping[str, Mapping[str, int]]] = field(
        default_factory=lambda: _frozen({})
    )
    grades: Mapping[Side, Mapping[Movement, int]] = field(default_factory=lambda: _frozen({}))
    """MRC grade 0-5 of a movement, when one was given; ``strength`` always holds the
    normal/weak reading of it (weak = grade below 5), which is what the engine uses."""
    intensity: Mapping[Side, Mapping[Symptom, int]] = field(default_factory=lambda: _frozen({}))
    """The patient's rating 0-10 of each symptom per side (not weighed by the engine)."""

    def reflex(self, side: Side, reflex: Reflex) -> ReflexGrade | None:
        return self.reflexes.get(side, {}).get(reflex)

    def power(self, side: Side, movement: Movement) -> Strength | None:
        return self.strength.get(side, {}).get(movement)

    def grade(self, side: Side, movement: Movement) -> int | None:
        """The MRC grade given for ``movement`` (``None`` when only normal/weak is known)."""
        return self.grades.get(side, {}).get(movement)

    def test(self, side: Side, test: Test) -> TestResult | None:
        return self.tests.get(side, {}).get(test)

    def symptom_intensity(self, side: Side, symptom: Symptom) -> int | None:
        return self.intensity.get(side, {}).get(symptom)

    def is_empty(self) -> bool:
        return not self.has_exam() and self.history.is_empty() and not any(self.intensity.values())

    def has_exam(self) -> bool:
        """True when any reflex, strength, provocative-test or upper motor neuron finding is
        entered."""
        return bool(
            any(self.reflexes.values())
            or any(self.strength.values())
            or any(self.tests.values())
            or self.plantar_response
            or self.clonus
            or any(self.sensation.values())
        )

    def with_sensation(self, side: Side, point: str, modality: str, score: int | None) -> Findings:
        """Set (or clear, with ``None``) one ISNCSCI score: ``point`` in
        :data:`SENSORY_POINTS`, ``modality`` in :data:`SENSORY_MODALITIES`, ``score`` 0-2."""
        points = {p: dict(m) for p, m in self.sensation.get(side, {}).items()}
        scores = points.setdefault(point, {})
        if score is None:
            scores.pop(modality, None)
        else:
            scores[modality] = score
        if not scores:
            points.pop(point)
        outer = dict(self.sensation)
        outer[side] = _frozen({p: _frozen(m) for p, m in points.items()})
        return replace(self, sensation=_frozen(outer))

    def with_plantar_response(self, side: Side, value: PlantarResponse | None) -> Findings:
        return replace(self, plantar_response=self._set_side(self.plantar_response, side, value))

    def with_clonus(self, side: Side, value: Clonus | None) -> Findings:
        return replace(self, clonus=self._set_side(self.clonus, side, value))

    @staticmethod
    def _set_side(table: Mapping[Side, Any], side: Side, value: Any) -> Mapping[Side, Any]:
        out = dict(table)
        if value is None:
            out.pop(side, None)
        else:
            out[side] = value
        return _frozen(out)

    @staticmethod
    def _set(
        table: Mapping[Side, Mapping[Any, Any]], side: Side, key: Any, value: Any
    ) -> Mapping[Side, Mapping[Any, Any]]:
        inner = dict(table.get(side, {}))
        if value is None:
            if key not in inner:
                return table
            inner.pop(key)
        else:
            inner[key] = value
        outer = dict(table)
        outer[side] = _frozen(inner)
        return _frozen(outer)

    def with_reflex(self, side: Side, reflex: Reflex, grade: ReflexGrade | None) -> Findings:
        return replace(self, reflexes=self._set(self.reflexes, side, reflex, grade))

    def with_strength(self, side: Side, movement: Movement, value: Strength | None) -> Findings:
        """Set normal/weak (or clear) without a grade; a grade given before is dropped."""
        return replace(
            self,
            strength=self._set(self.strength, side, movement, value),
            grades=self._set(self.grades, side, movement, None),
        )

    def with_grade(self, side: Side, movement: Movement, grade: int | None) -> Findings:
        """Set an MRC grade 0-5 (or clear the movement with ``None``); ``strength`` follows:
        normal for 5, weak below."""
        if grade is None:
            return self.with_strength(side, movement, None)
        if grade not in MRC_GRADES:
            raise ValueError(f"MRC grade {grade!r} is not 0-5")
        value = Strength.NORMAL if grade == 5 else Strength.WEAK
        return replace(
            self,
            strength=self._set(self.strength, side, movement, value),
            grades=self._set(self.grades, side, movement, grade),
        )

    def with_intensity(self, side: Side, symptom: Symptom, value: int | None) -> Findings:
        """Set (or clear) a symptom's 0-10 rating on one side."""
        low, high = INTENSITY_RANGE
        if value is not None and not low <= value <= high:
            raise ValueError(f"intensity {value!r} is not {low}-{high}")
        return replace(self, intensity=self._set(self.intensity, side, symptom, value))

    def with_test(self, side: Side, test: Test, value: TestResult | None) -> Findings:
        return replace(self, tests=self._set(self.tests, side, test, value))

    def with_history(self, **changes: Any) -> Findings:
        return replace(self, history=replace(self.history, **changes))


@dataclass(frozen=True)
class Visit:
    """Optional visit details; stored only in the session file on the user's disk."""

    patient_id: str = ""
    date: str = ""
    examiner: str = ""
    notes: str = ""
    date_of_birth: str = ""
    sex: str = ""

    def is_empty(self) -> bool:
        return not (
            self.patient_id
            or self.date
            or self.examiner
            or self.notes
            or self.date_of_birth
            or self.sex
        )


DEFAULT_ATLAS = "consensus"


@dataclass(frozen=True)
class Session:
    """Everything entered for one patient visit (the session file's content)."""

    marks: tuple[Mark, ...] = ()
    red_flags: frozenset[RedFlag] = frozenset()
    findings: Findings = field(default_factory=Findings)
    atlas: str = DEFAULT_ATLAS
    visit: Visit = field(default_factory=Visit)

    def marks_at(self, zone: str, side: Side) -> tuple[Mark, ...]:
        """Every mark on ``zone`` and ``side`` (one per symptom), in session order."""
        return tuple(m for m in self.marks if m.zone == zone and m.side == side)

    def mark_at(self, zone: str, side: Side, symptom: Symptom | None = None) -> Mark | None:
        """The mark of ``symptom`` on ``zone`` and ``side``; with no symptom, the last mark
        added there (any symptom)."""
        found = None
        for m in self.marks:
            if m.zone == zone and m.side == side and (symptom is None or m.symptom is symptom):
                found = m
        return found

    def with_mark(self, mark: Mark) -> Session:
        """Return a session where ``mark`` replaces the mark of the same zone, side and symptom
        (other symptoms on that zone and side stay: numbness and pain may share a zone)."""
        rest = tuple(m for m in self.marks if m.slot != mark.slot)
        return replace(self, marks=(*rest, mark))

    def without_mark(self, zone: str, side: Side, symptom: Symptom | None = None) -> Session:
        """Remove the mark of ``symptom`` on ``zone`` and ``side``, or every symptom's mark
        there when ``symptom`` is ``None``."""
        return replace(
            self,
            marks=tuple(
                m
                for m in self.marks
                if m.key != (zone, side) or (symptom is not None and m.symptom is not symptom)
            ),
        )
