"""Which statements rely on each reference (the citation text itself: :mod:`core.citations`).

:func:`used_by` scans every other
``assets/clinical/*.json`` file for ``source``/``sources``/``ref`` fields and lists, per reference
id, the statements that cite it (``"Nerve: Sural nerve"``, ``"Atlas Lee 2008: heel"``), so a new
data file (an evidence table, say) is picked up without code changes. Qt-free.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from core import names
from core.assets import asset_root, load_json

#: Keys whose value names reference ids (a string or a list of strings); keys ending in
#: ``_source``/``_sources`` (``scale_sources``) count too.
SOURCE_KEYS = frozenset({"source", "sources", "ref", "refs"})

#: Display word for the items of a data file (file stem -> label); others: stem, singular.
_FILE_LABELS = {
    "atlases": "Atlas",
    "nerves": "Nerve",
    "roots": "Root",
    "conditions": "Condition",
    "red_flags": "Red flag",
    "evidence": "Evidence",
}

#: Container keys that add nothing to a statement's wording (``areas`` in ``areas.heel``).
_SKIP_KEYS = frozenset({"areas", "territory", "zones", "notes", "items", "rows", "entries"})


# --- used by -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    """One statement that cites a reference: ``kind`` ("Nerve"), ``item`` ("Sural nerve"), and
    ``detail`` (the part of the item, e.g. an atlas area "heel"; "" for the item as a whole)."""

    kind: str
    item: str
    detail: str = ""

    def text(self) -> str:
        head = f"{self.kind}: {self.item}" if self.item else f"{self.kind} data"
        return f"{head} ({self.detail})" if self.detail else head


def _kind_label(stem: str) -> str:
    if stem in _FILE_LABELS:
        return _FILE_LABELS[stem]
    word = stem.replace("_", " ").strip()
    word = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    return word[:1].upper() + word[1:]


def _words(key: str) -> str:
    return key.replace("_", " ").strip()


def _item_name(node: Mapping[str, Any]) -> str:
    if {"id", "when", "hypotheses", "lr"} <= node.keys():  # a row of the evidence table
        return names.evidence_row_text(node)
    if {"hypothesis", "weight"} <= node.keys():  # a prior of the evidence table
        return names.prior_text(node)
    for key in ("name", "label", "title", "id"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _ids(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def _is_source_key(key: str) -> bool:
    return key in SOURCE_KEYS or key.endswith(("_source", "_sources"))


def _walk(node: Any, kind: str, item: str, path: tuple[str, ...]) -> Iterator[tuple[str, Use]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, kind, item, path)
        return
    if not isinstance(node, Mapping):
        return
    if not item and ("id" in node or "hypothesis" in node) and _item_name(node):
        item, path = _item_name(node), ()
    for key, value in node.items():
        if _is_source_key(key):
            extra = _words(key.rsplit("_", 1)[0]) if key not in SOURCE_KEYS else ""
            detail = " ".join(p for p in (*path, extra) if p)
            for rid in _ids(value):
                yield rid, Use(kind, item, detail)
        elif isinstance(value, (Mapping, list)):
            if item:  # a part of the item ("areas" -> "heel" -> ...): name it, skip containers
                step = "" if key in _SKIP_KEYS else _words(key)
            else:  # the list holding the items ("nerves": [...]) or a file-level table
                step = "" if isinstance(value, list) else _words(key)
            yield from _walk(value, kind, item, (*path, step) if step else path)


def scan(data: Mapping[str, Any], stem: str) -> list[tuple[str, Use]]:
    """(reference id, statement) pairs cited in one data file's parsed JSON."""
    return list(_walk(data, _kind_label(stem), "", ()))


def data_files() -> list[str]:
    """Stems of the clinical data files that may cite references (not references.json)."""
    folder = asset_root() / "clinical"
    return sorted(
        p.name[: -len(".json")]
        for p in folder.iterdir()
        if p.name.endswith(".json") and p.name != "references.json"
    )


def _merge(pairs: Iterable[tuple[str, Use]]) -> dict[str, tuple[Use, ...]]:
    out: dict[str, dict[Use, None]] = {}
    for rid, use in pairs:
        out.setdefault(rid, {})[use] = None
    return {rid: tuple(uses) for rid, uses in out.items()}


@cache
def used_by() -> dict[str, tuple[Use, ...]]:
    """Reference id -> the statements in the clinical data that cite it (file order)."""
    pairs: list[tuple[str, Use]] = []
    for stem in data_files():
        try:
            data = load_json(f"clinical/{stem}.json")
        except (OSError, ValueError):
            continue
        if isinstance(data, Mapping):
            pairs.extend(scan(data, stem))
    return _merge(pairs)


def used_by_lines(rid: str) -> tuple[str, ...]:
    """Compact, human wording of :func:`used_by` for one reference: one line per item, its
    details joined (``"Atlas Lee 2008: heel, sole, lateral border of foot"``)."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for use in used_by().get(rid, ()):
        details = grouped.setdefault((use.kind, use.item), [])
        if use.detail and use.detail not in details:
            details.append(use.detail)
    lines = []
    for (kind, item), details in grouped.items():
        head = f"{kind}: {item}" if item else f"{kind} data"
        lines.append(f"{head} ({', '.join(details)})" if details else head)
    return tuple(lines)
