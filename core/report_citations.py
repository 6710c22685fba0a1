"""What a report cites: the hypotheses it lists, the reference ids of what it lists and of the
``[R..]`` in its text, the dermatome map's sources, and the compact citations of its reference
list (Qt-free; the PDF, the text output and the CLI's report share them)."""

from __future__ import annotations

import re
from typing import Any

from core import impression
from core.model import Session
from core.results import Analysis, Hypothesis

SRC = re.compile(r"\[([A-Z][A-Za-z0-9\-]*(?:,\s*[A-Z][A-Za-z0-9\-]*)*)\]")
"""Bracketed source ids in a text: ``[R13]``, ``[R92, R19, R68]``."""


def _clinical() -> Any:
    import core.clinical as clinical

    return clinical


def listed_hypotheses(analysis: Analysis) -> list[Hypothesis]:
    """The hypotheses the ranked table lists: cauda equina, then each side's, as the analysis
    lists them and the window shows them (never a root alone: ``listing`` in the evidence)."""
    out = [h for h in analysis.hypotheses if h.side == "both"]
    for side in ("right", "left"):
        out.extend(h for h in analysis.hypotheses if h.side == side)
    return out


def cited_ids(session: Session, analysis: Analysis, every_reason: bool = False) -> tuple[str, ...]:
    """Every reference id the report cites: sources of what it lists, ``[R..]`` in its text.
    ``every_reason``: each hypothesis's every source (the text output prints every evidence
    line), not only its key evidence's (the PDF's)."""
    ids: list[str] = []

    def text_ids(text: str) -> None:
        for m in SRC.finditer(text):
            ids.extend(x.strip() for x in m.group(1).split(","))

    for h in listed_hypotheses(analysis):
        ids.extend(h.sources if every_reason else impression.key_sources(h))
    for c in analysis.conditions:
        ids.extend(c.sources)
        text_ids(c.why)
        for s in c.next_steps:
            text_ids(s)
    for w in analysis.warnings:
        ids.extend(w.sources)
        text_ids(w.text)
    for n in analysis.notes:
        ids.extend(n.sources)
        text_ids(n.text)
    clinical = _clinical()
    for f in session.red_flags:
        info = clinical.red_flags().get(f.value)
        if info is not None:
            ids.extend(info.sources)
    ids.extend(map_sources(analysis))  # cited beside the map's name in the patient fields
    known = clinical.references()
    ids = [i for i in ids if i in known]
    return tuple(clinical.sorted_reference_ids(ids))


def map_sources(analysis: Analysis) -> tuple[str, ...]:
    """The sources of the dermatome map the analysis used (the reference list held them while
    nothing in the report cited them; a review of the outputs)."""
    atlas = _clinical().atlases().get(analysis.atlas)
    return tuple(atlas.sources) if atlas is not None else ()


def format_reference(rid: str) -> str:
    return str(_clinical().format_reference(rid))


def compact_reference(rid: str) -> str:
    """A short citation: first author (et al.), the title for books, guidelines and standards,
    journal or publisher, year, and the DOI, PMID or link."""
    from core.assets import load_json

    entry = load_json("clinical/references.json")["references"].get(rid)
    if not isinstance(entry, dict):
        return format_reference(rid)
    authors = list(entry.get("authors") or entry.get("editors") or [])
    who = (authors[0] + (" et al" if len(authors) > 1 else "")) if authors else ""
    title = "" if entry.get("journal") else str(entry.get("title", "")).rstrip(".")
    where = f"{entry.get('journal') or entry.get('publisher') or ''} {entry.get('year', '')}"
    link = (
        f"doi:{entry['doi']}"
        if entry.get("doi")
        else f"PMID {entry['pmid']}"
        if entry.get("pmid")
        else entry.get("url", "")
        if len(entry.get("url", "")) <= 60  # a long link is in the full list (Help > References)
        else ""
    )
    return ". ".join(p.strip() for p in (who, title, where, link) if p.strip())


def cited_references(
    session: Session, analysis: Analysis, every_reason: bool = False
) -> list[tuple[list[str], str]]:
    """The references the report cites, compactly: ``(ids, citation)``, the ids citing the
    same work sharing one entry (full citations: Help > References in the app);
    ``every_reason`` as in :func:`cited_ids`."""
    by_text: dict[str, list[str]] = {}
    for rid in cited_ids(session, analysis, every_reason):
        by_text.setdefault(compact_reference(rid), []).append(rid)
    return [(rids, text) for text, rids in by_text.items()]
