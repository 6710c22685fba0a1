"""Citation text and links from the structured entries of ``assets/clinical/references.json``.

Each source is stored as fields (``kind``, ``authors``, ``title``, ``journal`` or ``publisher``,
``year``, ``volume``, ``pages``, ``doi``, ``pmid``, ``url``, ``edition``, ``chapter``,
``figure``, ``note``, and ``same_as``: the id of the entry for the same work, when the data
cite one work under several ids); :func:`citation_text` turns an entry into the one-line
citation the app shows and :func:`link` picks the address to open (the DOI, PubMed or the
publisher). Qt-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Reference kinds a structured entry may declare.
KINDS = (
    "journal_article",
    "review",
    "guideline",
    "standard",
    "book",
    "book_chapter",
    "conference_abstract",
    "software",
    "note",
)


def _s(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key, "")
    return "" if value is None else str(value).strip()


def _names(entry: Mapping[str, Any], key: str) -> str:
    value = entry.get(key) or []
    names = [str(v).strip() for v in ([value] if isinstance(value, str) else value)]
    names = [n for n in names if n]
    if len(names) > 6:
        names = [*names[:6], "et al"]
    return ", ".join(names)


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def _edition(entry: Mapping[str, Any]) -> str:
    return _end(_s(entry, "edition"))


def citation_text(entry: Mapping[str, Any]) -> str:
    """One-line citation (Vancouver style) for a structured reference entry.

    An entry without ``title`` falls back to its ``citation`` field (older format).
    """
    title = _s(entry, "title")
    if not title:
        return _s(entry, "citation")
    kind = _s(entry, "kind")
    authors = _names(entry, "authors")
    editors = _names(entry, "editors")
    year = _s(entry, "year")
    parts: list[str] = []
    if authors:
        parts.append(_end(authors))
    if _s(entry, "journal") or kind in ("journal_article", "review"):
        parts.append(_end(title))
        loc = year
        if _s(entry, "volume"):
            loc += f";{_s(entry, 'volume')}"
            if _s(entry, "issue"):
                loc += f"({_s(entry, 'issue')})"
        if _s(entry, "pages"):
            loc += f":{_s(entry, 'pages')}"
        parts.append(_end(f"{_s(entry, 'journal')}. {loc}" if loc else _s(entry, "journal")))
    elif kind == "book_chapter":
        parts.append(_end(title))
        book = f"In: {editors}, editors. " if editors else "In: "
        book += _end(_s(entry, "book"))
        parts.append(book)
        if _edition(entry):
            parts.append(_edition(entry))
        parts.append(_end(_publisher_year(entry)))
    else:  # book, guideline, standard, note
        if editors and not authors:
            parts.append(_end(f"{editors}, editors"))
        parts.append(_end(title))
        if _edition(entry):
            parts.append(_edition(entry))
        parts.append(_end(_publisher_year(entry)))
    for key, label in (("chapter", "Chapter"), ("section", "Section"), ("figure", "")):
        value = _s(entry, key)
        if value:
            parts.append(_end(f"{label} {value}".strip()))
    if _s(entry, "doi"):
        parts.append(f"doi:{_s(entry, 'doi')}.")
    if _s(entry, "pmid"):
        parts.append(f"PMID: {_s(entry, 'pmid')}.")
    if _s(entry, "pmcid"):
        parts.append(f"PMCID: {_s(entry, 'pmcid')}.")
    if _s(entry, "note"):
        parts.append(_end(_s(entry, "note")))
    if _s(entry, "same_as"):  # another id of the list names the same work
        parts.append(f"Same work as {_s(entry, 'same_as')}.")
    return " ".join(p for p in parts if p and p != ".")


def _publisher_year(entry: Mapping[str, Any]) -> str:
    pub = _s(entry, "publisher")
    year = _s(entry, "year")
    return f"{pub}; {year}" if pub and year else pub or year


def link(entry: Mapping[str, Any]) -> str:
    """The entry's link: ``url``, else the DOI, PubMed or PubMed Central page."""
    if _s(entry, "url"):
        return _s(entry, "url")
    if _s(entry, "doi"):
        return f"https://doi.org/{_s(entry, 'doi')}"
    if _s(entry, "pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{_s(entry, 'pmid')}/"
    if _s(entry, "pmcid"):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{_s(entry, 'pmcid')}/"
    return ""
