"""Visit-to-visit comparison (Qt-free): which marked areas are new, resolved or persisting, each
hypothesis's probability then and now, and the overlap of the marked skin.

Marked skin is measured on the diagram: each canonical area counts with the size of its polygon
on its primary view (:mod:`core.geometry`), times the share of it that is marked (a mark on a finer
zone counts that zone's part of the area; several symptoms on one area count once, the largest
share). The overlap is the weighted Jaccard index ``sum(min) / sum(max)`` over areas and sides
(1 = the same skin marked, 0 = no marked skin in common); the marked share is the marked skin as
a fraction of all the skin drawn (both legs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from core import names, warning_names, zones
from core.impression import MIN_SHOWN  # (a hypothesis below it at both visits is left out)
from core.model import Session, Side, Symptom, Visit
from core.results import Analysis, Label

NEW, RESOLVED, PERSISTING = "new", "resolved", "persisting"


def _polygon_area(points: Any) -> float:
    s = 0.0
    for (x1, y1), (x2, y2) in zip(points, (*points[1:], points[0]), strict=True):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


@cache
def zone_sizes() -> dict[str, float]:
    """Drawn size of every zone id (finer zones and canonical areas) on its area's primary view;
    1.0 for an area the diagram does not draw."""
    from core.geometry import load_diagram

    diagram = load_diagram()
    primary = {a.id: a.primary_view for a in zones.areas().values()}
    sizes: dict[str, float] = {}
    for view in diagram.views:
        for z in view.zones:
            if z.side is not Side.RIGHT or primary.get(z.area_id) != view.id:
                continue
            size = _polygon_area(z.points)
            sizes[z.id] = sizes.get(z.id, 0.0) + size
            if z.id != z.area_id:
                sizes[z.area_id] = sizes.get(z.area_id, 0.0) + size
    for area in zones.areas():
        sizes.setdefault(area, 1.0)
    return sizes


def marked_skin(session: Session) -> dict[tuple[str, str], float]:
    """``(area, side) -> marked share of the area`` (0-1, the largest over symptoms)."""
    sizes = zone_sizes()
    per_symptom: dict[tuple[str, str, str], float] = {}
    for m in session.marks:
        zone = zones.current_zone(m.zone)
        for area in zones.expand(zone):
            part = 1.0
            if "." in zone and zone in sizes and sizes.get(area):
                part = min(1.0, sizes[zone] / sizes[area])
            key = (area, m.side.value, m.symptom.value)
            per_symptom[key] = min(1.0, per_symptom.get(key, 0.0) + m.coverage * part)
    out: dict[tuple[str, str], float] = {}
    for (area, side, _), share in per_symptom.items():
        out[(area, side)] = max(out.get((area, side), 0.0), share)
    return out


def skin_share(skin: dict[tuple[str, str], float]) -> float:
    """Marked skin as a fraction of all the skin drawn (both legs)."""
    sizes = zone_sizes()
    total = 2 * sum(sizes[a] for a in zones.areas())
    return sum(share * sizes.get(a, 1.0) for (a, _), share in skin.items()) / total


def jaccard(a: dict[tuple[str, str], float], b: dict[tuple[str, str], float]) -> float | None:
    """Weighted Jaccard index of two marked-skin maps; ``None`` when neither marks anything."""
    sizes = zone_sizes()
    keys = set(a) | set(b)
    low = sum(min(a.get(k, 0.0), b.get(k, 0.0)) * sizes.get(k[0], 1.0) for k in keys)
    high = sum(max(a.get(k, 0.0), b.get(k, 0.0)) * sizes.get(k[0], 1.0) for k in keys)
    return None if high <= 0 else low / high


def marked_symptoms(session: Session) -> dict[tuple[str, str], tuple[str, ...]]:
    """``(area, side) -> the symptoms marked there`` (symptom ids, in the model's order)."""
    found: dict[tuple[str, str], set[str]] = {}
    for m in session.marks:
        for area in zones.expand(zones.current_zone(m.zone)):
            found.setdefault((area, m.side.value), set()).add(m.symptom.value)
    order = [s.value for s in Symptom]
    return {k: tuple(s for s in order if s in v) for k, v in found.items()}


@dataclass(frozen=True)
class AreaChange:
    area: str
    side: str
    status: str  # new | resolved | persisting
    before: float  # marked share then (0-1)
    after: float
    symptoms_before: tuple[str, ...] = ()  # symptom ids marked there then
    symptoms_after: tuple[str, ...] = ()

    @property
    def symptoms_changed(self) -> bool:
        """Marked at both visits, with other symptoms (pain then, numbness now, ...)."""
        return self.status == PERSISTING and self.symptoms_before != self.symptoms_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "side": self.side,
            "status": self.status,
            "before": round(self.before, 4),
            "after": round(self.after, 4),
            "symptoms_before": list(self.symptoms_before),
            "symptoms_after": list(self.symptoms_after),
        }


@dataclass(frozen=True)
class HypothesisChange:
    id: str
    side: str
    before: float | None
    after: float | None

    def to_dict(self) -> dict[str, Any]:
        def r(p: float | None) -> float | None:
            return None if p is None else round(p, 4)

        return {"id": self.id, "side": self.side, "before": r(self.before), "after": r(self.after)}


@dataclass(frozen=True)
class FirstChange:
    """A leg whose first hypothesis differs between the visits (each visit is read alone)."""

    side: str
    before: str  # hypothesis id
    after: str
    before_p: float | None
    after_p: float | None


@dataclass(frozen=True)
class ExamChange:
    """A finding entered at either visit whose value differs (``""``: not recorded then)."""

    key: str  # a core.names.FINDING_NAMES key: "strength:great_toe_extension", "intensity:pain"
    side: str
    before: str  # the value in words
    after: str


def first_changes(then: Analysis, now: Analysis) -> tuple[FirstChange, ...]:
    """The legs listed at both visits whose first hypothesis changed, right leg first."""
    out = []
    for side in ("right", "left"):
        a = [h for h in then.hypotheses if h.side == side]
        b = [h for h in now.hypotheses if h.side == side]
        if a and b and a[0].id != b[0].id:
            out.append(FirstChange(side, a[0].id, b[0].id, a[0].probability, b[0].probability))
    return tuple(out)


def exam_changes(before: Session, after: Session) -> tuple[ExamChange, ...]:
    """The examination findings and intensities that differ, in the report's order (by kind of
    finding, the right leg's before the left's), then those recorded only at the earlier
    visit."""
    from core.exam import exam_items

    then = {(i.key, i.side.value): i.value_text for i in exam_items(before.findings)}
    now = {(i.key, i.side.value): i.value_text for i in exam_items(after.findings)}
    keys = dict.fromkeys([*now, *then])
    return tuple(
        ExamChange(key, side, then.get((key, side), ""), now.get((key, side), ""))
        for key, side in keys
        if then.get((key, side), "") != now.get((key, side), "")
    )


@dataclass(frozen=True)
class Comparison:
    """An earlier session (``before``) against a later one (``after``)."""

    before: Visit
    after: Visit
    atlas: str
    areas: tuple[AreaChange, ...]
    hypotheses: tuple[HypothesisChange, ...]
    overlap: float | None  # weighted Jaccard index of the marked skin
    skin_before: float  # marked share of the drawn skin
    skin_after: float
    urgent_before: bool = False
    urgent_after: bool = False
    warnings: tuple[str, ...] = field(default=())
    urgent_warnings_after: tuple[str, ...] = ()  # ids of the later visit's urgent warnings
    first_changes: tuple[FirstChange, ...] = ()  # legs whose first hypothesis changed
    exam_changes: tuple[ExamChange, ...] = ()  # findings entered differently at the two visits

    def by_status(self, status: str) -> tuple[AreaChange, ...]:
        return tuple(a for a in self.areas if a.status == status)

    def to_dict(self) -> dict[str, Any]:
        def visit(v: Visit) -> dict[str, str]:
            return {"patient_id": v.patient_id, "date": v.date}

        return {
            "before": visit(self.before),
            "after": visit(self.after),
            "atlas": self.atlas,
            "overlap": None if self.overlap is None else round(self.overlap, 4),
            "marked_share": {
                "before": round(self.skin_before, 4),
                "after": round(self.skin_after, 4),
            },
            "urgent": {"before": self.urgent_before, "after": self.urgent_after},
            "urgent_warnings_after": list(self.urgent_warnings_after),
            "areas": [a.to_dict() for a in self.areas],
            "hypotheses": [h.to_dict() for h in self.hypotheses],
            "warnings": list(self.warnings),
            "first_changes": [
                {"side": f.side, "before": f.before, "after": f.after} for f in self.first_changes
            ],
            "exam_changes": [
                {"finding": e.key, "side": e.side, "before": e.before, "after": e.after}
                for e in self.exam_changes
            ],
        }


def _probability(
    analysis: Analysis, whole: dict[str, dict[str, float]], hid: str, side: str
) -> float | None:
    """``hid``'s probability on ``side`` at one visit: as listed, else from the side's whole
    posterior (a hypothesis that fell below the listing still has one: 36 % then, under 1 %
    now, not "—"); ``None`` where the side had no evidence or ``hid`` has no probability
    (cauda equina syndrome)."""
    for h in analysis.hypotheses:
        if h.id == hid and h.side == side:
            return h.probability
    return whole.get(side, {}).get(hid)


def compare(
    before: Session,
    after: Session,
    *,
    atlas: str | None = None,
    analyses: tuple[Analysis, Analysis] | None = None,
) -> Comparison:
    """Compare two sessions, both read with ``atlas`` (default: the later session's)."""
    from core.engine import analyze, posteriors

    atlas = atlas or after.atlas
    a_then, a_now = analyses or (analyze(before, atlas), analyze(after, atlas))
    skin_then, skin_now = marked_skin(before), marked_skin(after)
    sym_then, sym_now = marked_symptoms(before), marked_symptoms(after)
    areas = []
    order = list(zones.areas())
    for key in sorted(
        set(skin_then) | set(skin_now),
        key=lambda k: (k[1] != "right", order.index(k[0]) if k[0] in order else 99),
    ):
        then, now = skin_then.get(key, 0.0), skin_now.get(key, 0.0)
        status = PERSISTING if then and now else NEW if now else RESOLVED
        syms = (sym_then.get(key, ()), sym_now.get(key, ()))
        areas.append(AreaChange(key[0], key[1], status, then, now, *syms))
    whole_then, whole_now = posteriors(before, atlas), posteriors(after, atlas)
    listed = [(h.id, h.side) for h in (*a_now.hypotheses, *a_then.hypotheses)]
    hyps = [
        HypothesisChange(
            hid,
            side,
            _probability(a_then, whole_then, hid, side),
            _probability(a_now, whole_now, hid, side),
        )
        for hid, side in dict.fromkeys(listed)
    ]
    shown = [
        h
        for h in hyps
        if h.id == "cauda_equina" or max(h.before or 0.0, h.after or 0.0) >= MIN_SHOWN
    ]
    shown.sort(key=lambda h: (h.side != "both", h.side != "right", -(h.after or 0.0)))
    warnings = []
    if before.visit.patient_id != after.visit.patient_id and (
        before.visit.patient_id and after.visit.patient_id
    ):
        warnings.append(
            "The two sessions name different patient identifiers "
            f"({before.visit.patient_id}, {after.visit.patient_id})."
        )
    if before.visit.date and after.visit.date and before.visit.date > after.visit.date:
        warnings.append("The earlier session is dated after the later one.")
    return Comparison(
        before=before.visit,
        after=after.visit,
        atlas=atlas,
        areas=tuple(areas),
        hypotheses=tuple(shown),
        overlap=jaccard(skin_then, skin_now),
        skin_before=skin_share(skin_then),
        skin_after=skin_share(skin_now),
        urgent_before=a_then.urgent,
        urgent_after=a_now.urgent,
        warnings=tuple(warnings),
        urgent_warnings_after=tuple(w.id for w in a_now.urgent_warnings),
        first_changes=first_changes(a_then, a_now),
        exam_changes=exam_changes(before, after),
    )


def _pct(p: float | None) -> str:
    from core.impression import percent

    return percent(p)


def _share(p: float) -> str:
    """A measured share of skin, unlike a probability: none is ``0%``, and from 99.5 % it
    rounds to ``100%`` (an interface review: an empty drawing read "from <1% to <1%")."""
    if p <= 0:
        return "0%"
    return "<1%" if round(p * 100) < 1 else f"{round(p * 100)}%"


def _lower(hid: str) -> str:
    return names.lower_first(names.hypothesis_name(hid))


def summary_lines(c: Comparison, *, loud: bool = False) -> list[str]:
    """The comparison in words, a line each (PDF, window; the text format wraps them). Each
    urgent warning of the later visit is its headline as the window's banner words it
    ("Emergency: exclude cauda equina syndrome now", "Urgent: upper motor neuron signs";
    ``loud``: "EMERGENCY: ...", as the text outputs shout it); all were "URGENT" before."""
    when = f"from {c.before.date or 'the earlier visit'} to {c.after.date or 'this visit'}"
    lines = [f"Comparison {when} ({names.atlas_name(c.atlas)} map)"]
    lines.extend(f"Note: {w}" for w in c.warnings)
    urgent = list(c.urgent_warnings_after)
    if c.urgent_after and "cauda_equina" not in urgent:  # a comparison made without the ids
        urgent.insert(0, "cauda_equina")
    heads = dict.fromkeys(warning_names.urgent_headline(wid, loud=loud) for wid in urgent)
    lines.extend(f"{head} (at the later visit)" for head in heads)
    ov = "none marked" if c.overlap is None else f"{round(c.overlap * 100)}%"
    lines.append(
        f"Overlap of the marked skin (Jaccard): {ov}; marked share of the drawn skin from "
        f"{_share(c.skin_before)} to {_share(c.skin_after)}"
    )
    for status, word in ((NEW, "New"), (RESOLVED, "Resolved"), (PERSISTING, "Persisting")):
        items = c.by_status(status)
        if items:
            text = names.join(f"{names.area_name(a.area).lower()} ({a.side})" for a in items)
            lines.append(f"{word}: {text}")
    for f in c.first_changes:
        lines.append(
            f"First hypothesis on the {f.side} leg changed from {_lower(f.before)} "
            f"({_pct(f.before_p)}) to {_lower(f.after)} ({_pct(f.after_p)}); each "
            "visit is read on its own, so weigh the change with the course between them"
        )
    for side in ("right", "left"):
        entered = [e for e in c.exam_changes if e.side == side and e.after]
        if entered:
            text = "; ".join(
                f"{names.lower_first(names.finding_name(e.key))} "
                + (
                    f"from {e.before} to {e.after}"
                    if e.before
                    else f"{e.after} (not recorded at the earlier visit)"
                )
                for e in entered
            )
            lines.append(f"Examination changed on the {side} leg: {text}")
    dropped = sum(1 for e in c.exam_changes if not e.after)
    if dropped:
        lines.append(
            f"Not recorded at the later visit: {dropped} finding{'s' if dropped > 1 else ''} "
            "of the earlier one"
        )
    changed = [a for a in c.areas if a.symptoms_changed]
    if changed:
        text = "; ".join(
            f"{names.area_name(a.area).lower()} ({a.side}) from {_symptoms(a.symptoms_before)} "
            f"to {_symptoms(a.symptoms_after)}"
            for a in changed
        )
        lines.append(f"Symptoms changed: {text}")
    return lines


def _symptoms(ids: tuple[str, ...]) -> str:
    return names.join(Symptom(s).display.lower() for s in ids)


NOT_RAISED = "not raised"
"""Cauda equina syndrome's "then" or "now" at a visit without the emergency."""


def _emergency(raised: bool) -> str:
    return Label.EXCLUDE_URGENTLY.value if raised else NOT_RAISED


def hypothesis_rows(c: Comparison) -> list[tuple[str, str, str, str]]:
    """``(side, hypothesis, then, now)`` in words. Cauda equina syndrome has no probability (an
    emergency to exclude): its row says whether each visit raised it ("not raised", "exclude
    urgently"; it read "— —" with the emergency raised at the later visit)."""
    return [
        (
            names.side_name(h.side),
            names.hypothesis_name(h.id),
            *(
                (_emergency(c.urgent_before), _emergency(c.urgent_after))
                if h.id == "cauda_equina"
                else (_pct(h.before), _pct(h.after))
            ),
        )
        for h in c.hypotheses
    ]


WIDTH = 100
"""Columns of the text format's lines."""


def format_text(c: Comparison) -> str:
    """The comparison for a terminal: the summary wrapped as the analysis text wraps, then the
    table of probabilities, each column as wide as its values, within :data:`WIDTH`."""
    import textwrap

    # continued two spaces in, a hyphenated word kept whole, as the analysis text wraps
    out = [
        line
        for text in summary_lines(c, loud=True)
        for line in textwrap.wrap(text, WIDTH, subsequent_indent="  ", break_on_hyphens=False)
    ]
    out.append("")
    rows = [("Side", "Hypothesis", "Then", "Now"), *hypothesis_rows(c)]
    cols = [max(len(r[i]) for r in rows) for i in range(4)]
    cols[1] = max(len("Hypothesis"), min(cols[1], WIDTH - cols[0] - cols[2] - cols[3] - 6))
    for side, name, then, now in rows:
        lines = textwrap.wrap(name, cols[1], subsequent_indent="  ", break_on_hyphens=False) or [""]
        first = f"{side:<{cols[0]}}  {lines[0]:<{cols[1]}}  {then:>{cols[2]}}  {now:>{cols[3]}}"
        out.append(first)
        out.extend(f"{'':<{cols[0]}}  {rest}" for rest in lines[1:])
    out.append("")
    out.append("Decision support, not a diagnosis.")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class TimelinePoint:
    label: str  # the visit date (or the file order)
    skin: float  # marked share of the drawn skin
    probabilities: dict[tuple[str, str], float]  # (hypothesis id, side) -> probability


def timeline(sessions: list[Session], atlas: str | None = None) -> list[TimelinePoint]:
    """One point per session, in the order given (sort by visit date first). Its probabilities
    are each side's whole posterior (listed or not), for the sides with evidence at that visit:
    a hypothesis missing from a point was not assessed there, which is not the same as 0."""
    from core.engine import posteriors
    from core.engine.evidence import UNEXPLAINED

    out = []
    for i, s in enumerate(sessions, 1):
        probs = {
            (hid, side): p
            for side, whole in posteriors(s, atlas).items()
            for hid, p in whole.items()
            if hid != UNEXPLAINED and p > 0  # (0: not considered, as S3-S5 without the saddle)
        }
        out.append(TimelinePoint(s.visit.date or f"#{i}", skin_share(marked_skin(s)), probs))
    return out
