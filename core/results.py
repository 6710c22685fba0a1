"""What the engine makes of a session: an :class:`Analysis` of ranked :class:`Hypothesis`
objects with their reasons, the conditions that fit, warnings and notes (Qt-free, immutable).

``dermamap analyze`` prints :meth:`Analysis.to_dict` (``docs/interface.md``, section 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from core.model import DEFAULT_ATLAS


def _frozen(d: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(d))


class Label(StrEnum):
    """Label of a hypothesis, from its probability alone (fixed thresholds in
    ``assets/clinical/evidence.json``); nothing stronger than "more likely" is ever shown.
    ``EXCLUDE_URGENTLY`` is cauda equina syndrome: an emergency to exclude, not a probability."""

    MORE_LIKELY = "more likely"
    POSSIBLE = "possible"
    LESS_LIKELY = "less likely"
    EXCLUDE_URGENTLY = "exclude urgently"


@dataclass(frozen=True)
class Reason:
    """One piece of evidence behind a hypothesis, structured: ``kind`` is ``prior``,
    ``drawing`` (the drawing as a whole), ``area`` (one marked area), ``finding`` (an exam or
    history row of the evidence table) or ``red_flag``; ``id`` names the row, area or flag;
    ``lr`` is the likelihood ratio applied (the prior weight for ``prior``); ``params`` holds
    the rest (grade, symptom, value ...)."""

    kind: str
    id: str
    lr: float
    sources: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "lr": round(self.lr, 4),
            "sources": list(self.sources),
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Note:
    """A plain note about the analysis: ``id`` and ``params`` are the structure (views build
    their words from them); ``text`` is the project's wording of the same."""

    id: str
    text: str
    params: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "params": dict(self.params),
            "text": self.text,
            "sources": list(self.sources),
        }


Why = tuple[tuple[str, ...], tuple[Reason, ...], tuple[str, ...]]
"""A hypothesis's evidence lines, structured reasons and sources."""


class Explanation:
    """Why a hypothesis is ranked where it is: the evidence lines in words, the structured
    reasons and the reference ids they use.

    Either given (:meth:`given`) or made by the engine the first time it is read: the window
    analyses every change under every atlas and shows the reasons of one of them, so most
    analyses are never explained. Two explanations are equal when their contents are.
    """

    __slots__ = ("_make", "_why")

    def __init__(self, make: Callable[[], Why]) -> None:
        self._make: Callable[[], Why] | None = make
        self._why: Why | None = None

    @classmethod
    def given(
        cls, evidence: Iterable[str], reasons: Iterable[Reason], sources: Iterable[str]
    ) -> Explanation:
        why = (tuple(evidence), tuple(reasons), tuple(sources))
        return cls(lambda: why)

    def why(self) -> Why:
        """(evidence lines, reasons, sources), made on the first call."""
        if self._why is None:
            assert self._make is not None
            self._why = self._make()
            self._make = None
        return self._why

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Explanation):
            return NotImplemented
        return self is other or self.why() == other.why()

    def __hash__(self) -> int:
        evidence, _reasons, sources = self.why()
        return hash((evidence, sources))

    def __repr__(self) -> str:
        return "Explanation(...)" if self._why is None else f"Explanation({self._why!r})"


@dataclass(frozen=True, init=False)
class Hypothesis:
    """One ranked explanation of the marks.

    ``id`` is a root (``L1`` ... ``S5``), ``peripheral:<nerve>``, ``polyneuropathy`` or
    ``cauda_equina``; ``side`` is ``left``, ``right`` or ``both``. ``evidence`` lines name the
    areas, the atlas and the source ids; ``reasons`` are the same, structured; ``sources``
    lists the reference ids they use (all three from :attr:`explanation`).
    """

    id: str
    side: str
    score: float
    label: Label
    probability: float | None
    explanation: Explanation

    def __init__(
        self,
        id: str,
        side: str,
        score: float,
        label: Label,
        evidence: Iterable[str] = (),
        sources: Iterable[str] = (),
        probability: float | None = None,
        reasons: Iterable[Reason] = (),
        explanation: Explanation | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "id", id)
        set_(self, "side", side)
        set_(self, "score", score)
        set_(self, "label", label)
        set_(self, "probability", probability)
        if explanation is None:
            explanation = Explanation.given(evidence, reasons, sources)
        set_(self, "explanation", explanation)

    @property
    def evidence(self) -> tuple[str, ...]:
        return self.explanation.why()[0]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.explanation.why()[1]

    @property
    def sources(self) -> tuple[str, ...]:
        return self.explanation.why()[2]

    def to_dict(self) -> dict[str, Any]:
        evidence, reasons, sources = self.explanation.why()
        return {
            "id": self.id,
            "side": self.side,
            "probability": None if self.probability is None else round(self.probability, 4),
            "score": round(self.score, 4),
            "label": self.label.value,
            "evidence": list(evidence),
            "reasons": [r.to_dict() for r in reasons],
            "sources": list(sources),
        }


@dataclass(frozen=True)
class Condition:
    """A spinal (or other) condition that fits the pattern, with why and the usual next steps."""

    id: str
    name: str
    why: str
    next_steps: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    urgent: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "why": self.why,
            "next_steps": list(self.next_steps),
            "sources": list(self.sources),
            "urgent": self.urgent,
        }


@dataclass(frozen=True)
class Warning:
    """A warning sign to show; ``urgent`` ones need same-day emergency assessment."""

    id: str
    text: str
    urgent: bool
    triggers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=lambda: _frozen({}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "urgent": self.urgent,
            "params": dict(self.params),
            "text": self.text,
            "triggers": list(self.triggers),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Analysis:
    """The engine's answer for one session (``dermamap analyze`` prints :meth:`to_dict`)."""

    urgent: bool
    hypotheses: tuple[Hypothesis, ...]
    conditions: tuple[Condition, ...] = ()
    warnings: tuple[Warning, ...] = ()
    atlas: str = DEFAULT_ATLAS
    notes: tuple[Note, ...] = ()
    unexplained: Mapping[str, float] = field(default_factory=lambda: _frozen({}))

    def for_side(self, side: str) -> tuple[Hypothesis, ...]:
        """Hypotheses concerning ``side`` (including ``both``), in rank order."""
        return tuple(h for h in self.hypotheses if h.side in (side, "both"))

    @property
    def urgent_warnings(self) -> tuple[Warning, ...]:
        """The warnings that need same-day assessment: the cauda equina emergency (``urgent``)
        and new or progressive upper motor neuron signs."""
        return tuple(w for w in self.warnings if w.urgent)

    def to_dict(self) -> dict[str, Any]:
        return {
            "urgent": self.urgent,
            "atlas": self.atlas,
            "hypotheses": [h.to_dict() for h in self.hypotheses],
            "conditions": [c.to_dict() for c in self.conditions],
            "warnings": [w.to_dict() for w in self.warnings],
            "notes": [n.to_dict() for n in self.notes],
            "unexplained": {k: round(v, 4) for k, v in self.unexplained.items()},
        }
