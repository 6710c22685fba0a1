"""The clinical engine: :func:`analyze` a session into per-side probabilities (Qt-free).

For each side, a posterior over the roots (L1-S2; S3-S5 only with a saddle mark), the
peripheral nerves, polyneuropathy and an explicit residual (``unexplained``: none of these, or
not radicular), from a prior and the likelihood ratios of the drawing, the exam and the history
(:mod:`core.engine.posterior`). Every number is a sourced row of
``assets/clinical/evidence.json``; ``docs/engine.md`` explains the model and how to audit it.

Red flags stay outside the probabilities and are never suppressed: saddle numbness or
tingling, or any ticked red flag, puts ``cauda_equina`` first as an emergency to exclude.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from core import clinical, names, warning_names, zones
from core.engine import alerts
from core.engine.conditions import FIRST_STEPS, ConditionFacts, adult_guidance, conditions_for
from core.engine.evidence import UNEXPLAINED, label_for
from core.engine.evidence import evidence as evidence_table  # (not "evidence": the submodule)
from core.engine.explain import hypotheses as side_hypotheses
from core.engine.facts import (
    OTHER,
    abnormal_exam,
    acute_poly_days,
    drawing_patterns,
    matching_rows,
    polyradiculoneuropathy_pattern,
    root_tension,
    side_facts,
)
from core.engine.posterior import SideMarks, drawing_exam_conflict, side_posterior
from core.engine.tables import Table, table
from core.model import SIDES, Clonus, PlantarResponse, Session, Side, Symptom
from core.results import Analysis, Hypothesis, Label, Note, Reason, Warning
from core.visit_dates import age_at_visit

__all__ = ["ATLAS_ALIASES", "ATLAS_IDS", "analyze", "posteriors", "resolve_atlas"]

ATLAS_IDS: tuple[str, ...] = tuple(clinical.atlases())
ATLAS_ALIASES = clinical.ATLAS_ALIASES
"""Atlas ids of earlier versions, still accepted in session files and on the command line."""


def resolve_atlas(atlas: str) -> str:
    """The atlas id ``atlas`` stands for; ``ValueError`` naming the valid ids if none."""
    if atlas in ATLAS_IDS:
        return atlas
    alias = ATLAS_ALIASES.get(atlas)
    if alias in ATLAS_IDS:
        return str(alias)
    raise ValueError(f"unknown atlas {atlas!r}; valid atlas ids: {', '.join(ATLAS_IDS)}")


@cache
def _zone_areas() -> dict[str, tuple[str, ...]]:
    """Every known zone id -> the canonical areas it stands for (unknown zones are absent)."""
    known = zones.areas()
    ids = (*known, *zones.groups(), *zones.fine_zones(), *zones.retired_zones())
    return {z: tuple(a for a in zones.expand(zones.current_zone(z)) if a in known) for z in ids}


def _side_marks(session: Session, unknown: set[str]) -> dict[Side, SideMarks]:
    """Each side's drawing: (symptom, area) -> summed coverage (each mark counts up to 1)."""
    out: dict[Side, SideMarks] = {Side.LEFT: {}, Side.RIGHT: {}}
    zone_areas = _zone_areas()
    for m in session.marks:
        areas = zone_areas.get(m.zone)
        if areas is None:
            unknown.add(m.zone)
            continue
        weight = m.coverage
        if weight > 0:
            if weight > 1.0:
                weight = 1.0
            side = out[m.side]
            for a in areas:
                key = (m.symptom, a)
                side[key] = side.get(key, 0.0) + weight
    return out


def _mimicked_root(tab: Table, probs: list[float], saddle_marked: bool, nerve: str) -> str | None:
    """The root a nerve at the top mimics: the most probable of the roots whose fibres it
    carries (``nerves.json``), when it is probable enough to be listed on its own
    (``listing.min_probability``)."""
    own = set(clinical.nerves()[names.nerve_id(nerve)].roots)
    roots = tab.roots if saddle_marked else tab.roots_without_saddle
    best = max((i for i in roots if tab.hyps[i] in own), key=probs.__getitem__, default=None)
    if best is None or probs[best] < evidence_table().min_probability:
        return None
    return tab.hyps[best]


def _nerve_settles(nerve_label: Label, root_probability: float) -> bool:
    """A nerve first and "more likely" beside the root it mimics "less likely" (the labels'
    fixed thresholds): the root's card is not offered as its alternative."""
    return (
        nerve_label is Label.MORE_LIKELY and label_for(root_probability) == Label.LESS_LIKELY.value
    )


def _cauda_equina(triggers: list[str]) -> Hypothesis:
    words = warning_names.trigger_words(triggers)
    reasons = tuple(Reason("red_flag", t, 1.0, alerts.CES_SOURCES) for t in triggers)
    return Hypothesis(
        id="cauda_equina",
        side="both",
        score=1.0,
        label=Label.EXCLUDE_URGENTLY,
        evidence=(*words, "Red flags are never outweighed by the map ranking"),
        sources=alerts.CES_SOURCES,
        probability=None,
        reasons=reasons,
    )


@cache
def _disagreeing(atlas_id: str) -> dict[str, tuple[str, ...]]:
    """Area -> the other atlases that really differ from ``atlas_id`` there (the rule the
    overlays use: :func:`core.clinical.disagreements`)."""
    out: dict[str, list[str]] = {}
    for other in ATLAS_IDS:
        if other != atlas_id:
            for d in clinical.disagreements(atlas_id, other):
                if other not in out.setdefault(d.area, []):
                    out[d.area].append(other)
    return {area: tuple(ids) for area, ids in out.items()}


@cache
def _disagreement_note(atlas_id: str, area: str) -> Note:
    params = {"atlas": atlas_id, "area": area, "atlases": list(_disagreeing(atlas_id)[area])}
    return alerts.note("map_disagreement", params, table(atlas_id).atlas.sources)


def _map_notes(atlas_id: str, marked: set[str]) -> list[Note]:
    tab = table(atlas_id)
    notes: list[Note] = []
    variable = sorted(a for a in marked if a in tab.unassigned)
    if variable:
        params = {"atlas": atlas_id, "areas": variable}
        notes.append(alerts.note("variable_areas", params, tab.atlas.sources))  # the map's own
    disagree = _disagreeing(atlas_id)
    notes += [_disagreement_note(atlas_id, a) for a in sorted(marked & disagree.keys())]
    return notes


def _read_sides(
    tab: Table, marks: dict[Side, SideMarks], facts: dict[Side, dict[str, Any]], saddle: set[Side]
) -> tuple[tuple[Side, ...], tuple[Side, ...]]:
    """The sides to read, and those set aside: a side is read when it has marks or an abnormal
    exam, but not a symptom-free leg whose only finding is ankle reflexes low on both legs from
    the age at which healthy people often lack them (R110) beside a marked leg that reads a
    focal lesion: that loss is then the background of the other leg's reading, which weighs it
    (the leg is set aside, and a note says why); beside a polyneuropathy (the same process on
    both legs), with an extensor plantar or clonus on that leg (a cord cause with a neuropathy),
    or with nothing marked anywhere, the leg is read."""
    out: list[Side] = []
    aside: list[Side] = []
    for side in SIDES:
        if not marks[side] and not abnormal_exam(facts[side]):
            continue
        o = OTHER[side]
        # an extensor plantar or clonus there is a finding (brisk reflexes alike on both legs,
        # which can be a normal variant, are not)
        cord = (
            facts[side].get("plantar_response") is PlantarResponse.EXTENSOR
            or facts[side].get("clonus") is Clonus.PRESENT
        )
        quiet = not marks[side] and not cord
        if quiet and marks[o] and not abnormal_exam(facts[side], beyond_age=True):
            rows = matching_rows(facts[o], facts[side])
            probs = side_posterior(tab, marks[o], rows, o in saddle).probs
            lesions = [i for i, h in enumerate(tab.hyps) if h != UNEXPLAINED]
            if tab.hyps[max(lesions, key=probs.__getitem__)] != "polyneuropathy":
                aside.append(side)
                continue
        out.append(side)
    return tuple(out), tuple(aside)


def _age(session: Session) -> int | None:
    """The history's age, else the visit's (typed there, or from the date of birth)."""
    h, v = session.findings.history, session.visit
    return h.age if h.age is not None else age_at_visit(v.date_of_birth, v.date)


def _saddle(marks: dict[Side, SideMarks]) -> dict[Side, set[Symptom]]:
    """Each side's symptoms marked in the saddle (empty when it has none)."""
    return {s: {sym for sym, area in marks[s] if area == alerts.SADDLE} for s in SIDES}


def _facts(
    session: Session,
    marks: dict[Side, SideMarks],
    marked: dict[Side, set[str]],
    triggers: list[str],
) -> dict[Side, dict[str, Any]]:
    """Each side's facts (:func:`side_facts`), with the cauda equina emergency's triggers as
    one finding however they were recorded: ``pattern:cauda_equina`` when one lies beyond the
    saddle's skin (a sphincter symptom, both legs), else ``pattern:cauda_equina_saddle`` for
    the saddle's numbness or sensory loss (marked on either side, found at its key points or
    ticked as saddle anaesthesia: once, not once per record). A leg's drawing also holds its
    own saddle marks, as one mark among its others (the drawing counts once, as its mean)."""
    drawing = drawing_patterns(marks, marked)
    age = _age(session)
    facts = {s: side_facts(session.findings, s, drawing[s], age) for s in SIDES}
    if triggers:
        beyond = not all(alerts.is_saddle_trigger(t) for t in triggers)
        key = "pattern:cauda_equina" if beyond else "pattern:cauda_equina_saddle"
        for s in SIDES:
            facts[s][key] = True
    return facts


def posteriors(session: Session, atlas: str | None = None) -> dict[str, dict[str, float]]:
    """Each side's whole posterior (every hypothesis and ``unexplained``; sums to 1), for the
    sides with evidence: what :func:`analyze` lists the most probable of."""
    tab = table(resolve_atlas(atlas if atlas is not None else session.atlas))
    marks = _side_marks(session, set())
    marked = {s: {area for _sym, area in marks[s]} for s in SIDES}
    saddle = _saddle(marks)
    facts = _facts(session, marks, marked, alerts.ces_triggers(session, saddle))
    out: dict[str, dict[str, float]] = {}
    for side in _read_sides(tab, marks, facts, {s for s in SIDES if saddle[s]})[0]:
        other = facts[OTHER[side]]
        rows = matching_rows(facts[side], other)
        res = side_posterior(tab, marks[side], rows, bool(saddle[side]))
        out[side.value] = dict(zip(tab.hyps, res.probs, strict=True))
    return out


def _first_steps(warnings: list[Warning]) -> tuple[str, ...]:
    """The keys of ``conditions.FIRST_STEPS`` the warnings call for, in its order: any prompt
    to ask the cauda equina questions, and each other warning it names (those of
    ``alerts.LEAD_WHEN_URGENT`` only when urgent)."""
    shown = {
        "cauda_equina_questions" if w.id in alerts.CES_PROMPTS else w.id
        for w in warnings
        if w.urgent or w.id not in alerts.LEAD_WHEN_URGENT
    }
    return tuple(k for k in FIRST_STEPS if k in shown)


def analyze(session: Session, atlas: str | None = None) -> Analysis:
    """Analyse ``session`` under ``atlas`` (default: the session's own atlas).

    Returns the hypotheses of both sides, most probable first (``cauda_equina`` first whenever
    a red flag is present), each side's residual in ``unexplained``, the conditions that fit,
    the warnings and notes. Raises ``ValueError`` only for an unknown atlas id.
    """
    atlas_id = resolve_atlas(atlas if atlas is not None else session.atlas)
    tab = table(atlas_id)
    f = session.findings
    unknown: set[str] = set()
    marks = _side_marks(session, unknown)
    marked = {s: {area for _sym, area in marks[s]} for s in SIDES}
    saddle = _saddle(marks)
    triggers = alerts.ces_triggers(session, saddle)
    facts = _facts(session, marks, marked, triggers)
    hyps: list[Hypothesis] = []
    unexplained: dict[str, float] = {}
    notes: list[Note] = []
    tops: dict[str, str] = {}
    weak: list[str] = []  # first lesions that "none of these" outweighs on their leg
    mimicked: list[str] = []  # the root each side's top nerve mimics, if the side lists it
    read, aside = _read_sides(tab, marks, facts, {s for s in SIDES if saddle[s]})
    for side in aside:  # its ankle reflexes, common from 60, are the other leg's background
        notes.append(alerts.note("age_common_ankle_reflexes", {"side": side.value}, ("R110",)))
    for side in read:
        other = facts[OTHER[side]]
        rows = matching_rows(facts[side], other)
        saddle_marked = bool(saddle[side])
        res = side_posterior(tab, marks[side], rows, saddle_marked)
        unexplained[side.value] = res.probs[tab.index[UNEXPLAINED]]
        listed = side_hypotheses(tab, side.value, res, facts[side], other)
        if listed:
            tops[side.value] = listed[0].id
            if (listed[0].probability or 0) < unexplained[side.value]:
                weak.append(listed[0].id)
            if names.is_nerve(listed[0].id):
                root = _mimicked_root(tab, res.probs, saddle_marked, listed[0].id)
                if (
                    root is not None
                    and any(h.id == root for h in listed)  # named only if the side lists it
                    and (
                        root_tension(f, (side,))  # a compressed root's sign: the card stays
                        or not _nerve_settles(listed[0].label, res.probs[tab.index[root]])
                    )
                ):
                    mimicked.append(root)
        hyps.extend(listed)
        conflict = drawing_exam_conflict(tab, res, saddle_marked)
        if conflict:
            # drawings separate the roots only modestly (R16, R17); reflexes and strength carry
            # the larger likelihood ratios (R21)
            params = {"side": side.value, **conflict}
            notes.append(alerts.note("drawing_exam_conflict", params, ("R16", "R17", "R21")))
    hyps.sort(key=lambda h: -h.score)
    if triggers:
        hyps.insert(0, _cauda_equina(triggers))
    # both legs marked (the saddle, between them, is neither: its own prompt asks the questions)
    both = all(marked[s] - {alerts.SADDLE} for s in SIDES)
    nerve_first = [side for side, t in tops.items() if names.is_nerve(t)]
    warnings = alerts.warnings(session, triggers, saddle, both, nerve_first)
    poly_sides = tuple(side for side, t in tops.items() if t == "polyneuropathy")
    # a root first on each leg, from its marks or its exam (a side with neither has no top)
    bilateral_radicular = all(names.is_root(tops.get(s.value, "")) for s in SIDES)
    h = f.history
    age = _age(session)
    umn = next((w for w in warnings if w.id == "upper_motor_neuron"), None)
    umn_words = names.join(names.sign_words(umn.params["signs"])) if umn else ""
    conditions = conditions_for(
        ConditionFacts(
            urgent=bool(triggers),
            triggers=tuple(names.lower_first(t) for t in warning_names.trigger_words(triggers)),
            tops=tuple(tops.values()),
            mimicked=tuple(mimicked),
            bilateral_radicular=bilateral_radicular,
            poly_sides=poly_sides,
            age=age,
            claud=h.neurogenic_claudication is True,
            diabetes=h.diabetes is True,
            umn_signs=umn_words,
            weak=tuple(weak),
            first=_first_steps(warnings),
            acute_poly_days=acute_poly_days(f),
            progressive=h.progressive is True,
            polyradiculoneuropathy=polyradiculoneuropathy_pattern(f),
            umn_specific=alerts.specific_umn(f),
            root_tension=root_tension(f),
        )
    )
    if young := adult_guidance(conditions, age):  # the steps were written for adults
        notes.append(alerts.note("adult_guidance", young, ("SA1",)))
    any_marks = bool(marks[Side.LEFT] or marks[Side.RIGHT])
    if any_marks and not f.has_exam():
        notes.append(alerts.note("no_exam", sources=("R16", "R17", "R20")))
    notes.extend(_map_notes(atlas_id, marked[Side.LEFT] | marked[Side.RIGHT]))
    if unknown:
        notes.append(alerts.note("unknown_zones", {"zones": sorted(unknown)}))
    if hyps:
        notes.append(alerts.note("decision_support", sources=("R15", "R16", "R17", "R20")))
    return Analysis(
        urgent=bool(triggers),
        hypotheses=tuple(hyps),
        conditions=conditions,
        warnings=tuple(warnings),
        atlas=atlas_id,
        notes=tuple(notes),
        unexplained=unexplained,
    )
