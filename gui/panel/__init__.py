"""The side panel and its parts (results, conditions, warning signs, exam findings).

This package module holds the Qt-free look-ups the panel parts share: display names of
hypotheses and atlases (from :mod:`core.names`), reference citations and red-flag texts (from
:mod:`core.clinical`) and the red flags' checklist groups (from :mod:`core.warning_names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from core import clinical
from core.model import RedFlag
from core.names import atlas_name, hypothesis_name
from core.warning_names import FLAG_GROUPS, red_flag_group

__all__ = ["FLAG_GROUPS", "atlas_name", "atlas_names", "hypothesis_name"]


def atlas_names() -> dict[str, str]:
    """Atlas id -> display name (``Keegan & Garrett (1948)``), in the atlases' order."""
    return {aid: atlas_name(aid) for aid in clinical.atlases()}


@dataclass(frozen=True)
class RefInfo:
    id: str
    citation: str
    url: str
    same_as: str = ""  # the id of the entry for the same work, if another


@cache
def references() -> dict[str, RefInfo]:
    """Every reference by id, with its full citation."""
    return {
        rid: RefInfo(rid, r.citation, r.url or "", r.same_as)
        for rid, r in clinical.references().items()
    }


def citation(rid: str) -> str:
    ref = references().get(rid)
    return ref.citation if ref else f"{rid} (not in the reference list)"


def sources_html(ids: tuple[str, ...] | list[str], link_color: str = "") -> str:
    """``[R6, R13]`` as rich text whose ids are links ``ref:R6`` (hover: citation)."""
    if not ids:
        return ""
    style = f' style="color:{link_color}"' if link_color else ""
    links = ", ".join(f'<a href="ref:{i}"{style}>{i}</a>' for i in ids)
    return f"[{links}]"


_REF_ID = r"(?:R\d+[a-z]?|DM-[A-Z0-9]+)"
_CITE = re.compile(rf"\[({_REF_ID}(?:,\s*{_REF_ID})*)\]")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rich_text(text: str) -> str:
    """Escape ``text`` for a rich-text label and turn inline ``[R6, R13]`` into source links."""
    return _CITE.sub(
        lambda m: sources_html([i.strip() for i in m.group(1).split(",")]), escape(text)
    )


def cited_ids(text: str) -> list[str]:
    """Reference ids cited inline in ``text``, in order."""
    out: list[str] = []
    for m in _CITE.finditer(text):
        out.extend(i.strip() for i in m.group(1).split(",") if i.strip() not in out)
    return out


@dataclass(frozen=True)
class FlagInfo:
    id: str
    label: str
    description: str
    sources: tuple[str, ...]
    group: str


@cache
def red_flag_infos() -> dict[RedFlag, FlagInfo]:
    """Label, description (tooltip), sources and group of each red flag, in spec order."""
    table = clinical.red_flags()
    return {
        flag: FlagInfo(
            flag.value,
            table[flag.value].label,
            table[flag.value].description,
            table[flag.value].sources,
            red_flag_group(flag.value),
        )
        for flag in RedFlag
    }
