"""The clinical impression: one plain-text paragraph per side (Qt-free).

The same words go onto page 1 of the PDF report, onto the clipboard (Edit > Copy Impression) and
into ``dermamap analyze --format text``. Each side's paragraph names its most probable
hypotheses with their probabilities and the key evidence, taken from the hypotheses' structured
``reasons`` (areas in the hypothesis's core or shared territory, findings that raise it); an
emergency to exclude (cauda equina syndrome) comes first, without a probability.
"""

from __future__ import annotations

from core import names, warning_names
from core.model import Session
from core.names import lower_first
from core.results import Analysis, Hypothesis, Reason

TOP = 3
"""Hypotheses named per side (the first with its key evidence)."""
MIN_SHOWN = 0.05
"""Alternatives below this probability are left out of the paragraph (the report lists all) and
of a visit comparison's table."""
LEAST_PERCENT = 0.005
"""Half a percent: the share of roots and nerves not listed is given from it (panel, report,
text output); smaller shares would read "<1%" and are left out."""
KEY_FINDINGS = 3
SIDES = ("right", "left")


def percent(p: float | None) -> str:
    """``0.776`` -> ``78%``; below 0.5 % -> ``<1%``; from 99.5 % -> ``>99%`` (a model's
    probability is never a certainty, so it never reads "100%"); ``None`` -> ``—``."""
    if p is None:
        return "—"
    pct = round(p * 100)
    if pct < 1:
        return "<1%"
    return ">99%" if pct > 99 else f"{pct}%"


def _areas(reason: Reason) -> list[str]:
    ids = reason.params.get("areas") or [reason.params.get("area", "")]
    return [names.area_name(a).lower() for a in ids if a]


def key_reasons(h: Hypothesis) -> list[tuple[str, Reason]]:
    """The few reasons that speak most for ``h``, each with its words: the territory, then the
    findings that raise it most, then red flags; when none does, the edge of its territory and
    its base rate (why a hypothesis the marks argue against is still listed)."""
    out: list[tuple[str, Reason]] = []
    whose = "nerve" if names.is_nerve(h.id) else "root"
    if h.id == "polyneuropathy":
        whose = "stocking"
    for grade in ("core", "shared"):
        # one reason per area (kind "area") or per grade (kind "areas"), grouped by grade
        group = [
            r for r in h.reasons if r.kind in ("area", "areas") and r.params.get("grade") == grade
        ]
        # an area with two symptoms has a reason each: named once
        where = names.join(dict.fromkeys(a for r in group for a in _areas(r)))
        if where:
            sources = tuple(dict.fromkeys(s for r in group for s in r.sources))
            joined = Reason("areas", grade, 1.0, sources, {"grade": grade})
            out.append((f"{where} in the {grade} {whose} territory", joined))
    findings = sorted(
        (r for r in h.reasons if r.kind == "finding" and r.lr > 1), key=lambda r: -r.lr
    )
    for r in findings[:KEY_FINDINGS]:
        # one item a row: the finding that raises it, the row's other conditions after it in
        # brackets ("femoral stretch test negative", the patellar row's condition, read as a
        # second piece of evidence for L4 when listed on its own)
        first, *rest = names.sign_words(r.params.items()) or [""]
        if first:
            out.append((first + (f" ({'; '.join(rest)})" if rest else ""), r))
    flags = [r for r in h.reasons if r.kind == "red_flag"]
    if flags:  # each fact once, as the banner says them ("... (left and right)")
        ids = [r.id for r in flags]
        out.extend((lower_first(w), flags[0]) for w in warning_names.trigger_words(ids))
    if not out:  # nothing speaks for it but an edge of its territory or its base rate
        edge = [
            r
            for r in h.reasons
            if r.kind in ("area", "areas") and r.params.get("grade") == "occasional"
        ]
        where = names.join(dict.fromkeys(a for r in edge for a in _areas(r)))
        if where:
            sources = tuple(dict.fromkeys(s for r in edge for s in r.sources))
            joined = Reason("areas", "occasional", 1.0, sources, {"grade": "occasional"})
            out.append((f"{where} at the edge of the {whose} territory", joined))
        prior = next((r for r in h.reasons if r.kind == "prior"), None)
        if prior is not None:
            # its base rate (it read "common before any evidence" for L4 at 0.039)
            out.append((f"its base rate alone (relative frequency {prior.lr:.2g})", prior))
    unique: dict[str, Reason] = {}
    for text, reason in out:
        unique.setdefault(text, reason)
    return list(unique.items())


def key_evidence(h: Hypothesis) -> list[str]:
    """The words of :func:`key_reasons`."""
    return [t for t, _ in key_reasons(h)]


def key_sources(h: Hypothesis) -> tuple[str, ...]:
    """Source ids of the key evidence (what the report cites for ``h``)."""
    return tuple(dict.fromkeys(s for _, r in key_reasons(h) for s in r.sources))


def _marked(session: Session, side: str) -> str:
    symptoms = list(dict.fromkeys(m.symptom.value for m in session.marks if m.side.value == side))
    areas = {a for m in session.marks if m.side.value == side for a in _expand(m.zone)}
    if not areas:
        return ""
    n = len(areas)
    return f"{names.join(symptoms)} in {n} area{'s' if n != 1 else ''}"


def _expand(zone: str) -> tuple[str, ...]:
    from core import zones

    return zones.expand(zones.current_zone(zone))


def _hyp(h: Hypothesis, evidence: bool) -> str:
    text = f"{lower_first(names.hypothesis_name(h.id))} {percent(h.probability)} ({h.label.value}"
    ev = key_evidence(h) if evidence else []
    # "(less likely: dorsum of foot ...)" read as if the evidence made it less likely
    return text + ("; evidence: " + "; ".join(ev) if ev else "") + ")"


def unlisted(analysis: Analysis, side: str) -> float | None:
    """The share of ``side``'s probability held by hypotheses not listed (each below the
    listing's threshold, or beyond its five), or ``None`` for a side without a posterior."""
    rest = analysis.unexplained.get(side)
    if rest is None:
        return None
    listed = sum(h.probability or 0.0 for h in analysis.hypotheses if h.side == side)
    return max(0.0, 1.0 - listed - rest)


def side_paragraph(session: Session, analysis: Analysis, side: str) -> str:
    """One side's impression, or ``""`` when nothing concerns that side."""
    ranked = [h for h in analysis.hypotheses if h.side == side]
    marked = _marked(session, side)
    if not ranked and not marked:
        return ""
    head = f"{names.side_name(side)} leg" + (f" ({marked} marked)" if marked else "")
    if not ranked:
        return f"{head}: no root or nerve explains the marks."
    shown = [ranked[0]] + [h for h in ranked[1:TOP] if (h.probability or 0) >= MIN_SHOWN]
    rest = analysis.unexplained.get(side)
    if rest is not None and rest > (shown[0].probability or 0):
        # "most probable" for a hypothesis that no root or nerve at all outweighs misleads
        parts = [
            f"{head}: {names.lower_first(names.NO_FIT_WORDS)} (none of these {percent(rest)}); "
            f"the closest is {_hyp(shown[0], True)}"
        ]
        rest = None
    else:
        parts = [f"{head}: most probable {_hyp(shown[0], True)}"]
    if len(shown) > 1:
        parts.append("then " + "; ".join(_hyp(h, False) for h in shown[1:]))
    text = "; ".join(parts) + "."
    if rest is not None and rest >= MIN_SHOWN:
        text += f" {names.RESIDUAL_WORDS}: {percent(rest)}."
    return text


def urgent_paragraph(analysis: Analysis) -> str:
    """The urgent sentences: cauda equina syndrome to exclude (its own sentence), then every
    other urgent warning (new or progressive upper motor neuron signs, possible Guillain-Barré
    syndrome); ``""`` when there is none."""
    others = [
        f"{_kind(w.id)}: {w.text}" for w in analysis.urgent_warnings if w.id != "cauda_equina"
    ]
    return " ".join([_ces_sentence(analysis), *others]).strip()


def _kind(wid: str) -> str:
    """How pressing an urgent warning is, in the window's word ("Emergency", "Urgent")."""
    return warning_names.urgency_word(wid)


def _ces_sentence(analysis: Analysis) -> str:
    if not analysis.urgent:
        return ""
    triggers: list[str] = []
    for h in analysis.hypotheses:
        if h.id == "cauda_equina":
            triggers.extend(r.id for r in h.reasons if r.kind == "red_flag")
    for w in analysis.warnings:
        if w.id == "cauda_equina":
            triggers.extend(w.params.get("triggers", ()))  # ids, as the reasons' (not words)
    because = "; ".join(map(lower_first, warning_names.trigger_words(triggers)))
    # "Emergency", as the window's banner; "triggered by", as it says (a trigger found on the
    # diagram or in the examination is no red flag ticked)
    return (
        f"{_kind('cauda_equina')}: cauda equina syndrome must be excluded now (same-day "
        "emergency assessment and MRI)" + (f"; triggered by: {because}" if because else "") + "."
    )


def caution_paragraph(analysis: Analysis) -> str:
    """The warnings that are not urgent, as the window's caution says them: the prompt to ask
    the cauda equina questions (saddle pain, both legs involved), upper motor neuron signs that
    are not new; ``""`` when there is none."""
    return " ".join(w.text for w in analysis.warnings if not w.urgent)


def paragraphs(session: Session, analysis: Analysis, caution: bool = False) -> list[str]:
    """The impression's paragraphs: urgent first, then (with ``caution``) the warnings that are
    not urgent, then right and left leg, then the caveat. The report and the CLI list every
    warning in a section of their own: they leave the caution out."""
    out = [urgent_paragraph(analysis), caution_paragraph(analysis) if caution else ""]
    out.extend(side_paragraph(session, analysis, s) for s in SIDES)
    out = [p for p in out if p]
    if not out and (session.marks or not session.findings.is_empty()):
        out.append("Nothing entered points to a root or nerve lesion: no lesion to rank.")
    elif not out:
        out.append("Nothing marked and no findings entered: no impression.")
    out.append(caveat(analysis))
    return out


def none_listed(session: Session, analysis: Analysis) -> str:
    """Why no hypothesis is ranked (the CLI's text and the report say it as the panel does)."""
    if not session.marks and any(w.id == "upper_motor_neuron" for w in analysis.warnings):
        return "nothing marked; the upper motor neuron signs point above the roots"
    if session.marks or session.findings.has_exam():
        return "no root or nerve pattern recognised in the marks and findings"
    return "nothing marked or examined"


def caveat(analysis: Analysis) -> str:
    return (
        f"Dermamap decision support on the {names.atlas_name(analysis.atlas)} map; "
        "probabilities rank explanations, they are not a diagnosis."
    )


def impression_text(session: Session, analysis: Analysis) -> str:
    """The impression as plain text for a clinical note (paragraphs separated by a blank line),
    with the warnings that are not urgent (the urgent ones come first in any case)."""
    return "\n\n".join(paragraphs(session, analysis, caution=True)) + "\n"
