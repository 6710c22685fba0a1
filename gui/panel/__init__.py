"""The side panel and its parts (results, conditions, warning signs, exam findings).

This package module holds the Qt-free look-ups the panel parts share: display names of
hypotheses and atlases, reference citations and red-flag texts. They read ``core.clinical`` and
fall back to the raw asset tables (or short built-in texts) when a table is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from core.model import RedFlag

_NERVE_NAMES = {
    "common_peroneal": "Common peroneal nerve",
    "deep_peroneal": "Deep peroneal nerve",
    "superficial_peroneal": "Superficial peroneal nerve",
    "sural": "Sural nerve",
    "saphenous": "Saphenous nerve",
    "lateral_femoral_cutaneous": "Lateral femoral cutaneous nerve",
    "tibial": "Tibial nerve",
    "medial_plantar": "Medial plantar nerve",
    "lateral_plantar": "Lateral plantar nerve",
    "femoral": "Femoral nerve",
    "sciatic": "Sciatic nerve",
    "obturator": "Obturator nerve",
}

_ATLAS_FALLBACK = {
    "consensus": "Consensus",
    "keegan_garrett": "Keegan & Garrett",
    "foerster": "Foerster",
    "lee": "Lee 2008",
}


def hypothesis_name(hid: str) -> str:
    """Display name of a hypothesis id: ``L5`` -> ``L5 root``, ``peripheral:sural`` -> ..."""
    if hid.startswith("peripheral:"):
        nerve = hid.split(":", 1)[1]
        return _NERVE_NAMES.get(nerve, nerve.replace("_", " ").capitalize() + " nerve")
    if hid == "polyneuropathy":
        return "Polyneuropathy"
    if hid == "cauda_equina":
        return "Cauda equina syndrome"
    if "+" in hid:
        return " + ".join(p.strip() for p in hid.split("+")) + " roots"
    if len(hid) <= 3 and hid[:1] in ("L", "S") and hid[1:].isdigit():
        return f"{hid} root"
    return hid.replace("_", " ").capitalize()


def _clinical() -> Any:
    import core.clinical as clinical

    return clinical


@cache
def atlas_names() -> dict[str, str]:
    """Atlas id -> display name (``Keegan & Garrett``)."""
    clinical = _clinical()
    if clinical is not None and hasattr(clinical, "atlases"):
        try:
            return {aid: str(a.name) for aid, a in clinical.atlases().items()}
        except Exception:  # pragma: no cover - a broken table must not stop the window
            pass
    names = dict(_ATLAS_FALLBACK)
    try:
        from core.assets import load_json

        for a in load_json("clinical/atlases.json").get("atlases", []):
            names[a["id"]] = a.get("name", names.get(a["id"], a["id"]))
    except (FileNotFoundError, KeyError, ValueError):
        pass
    return names


def atlas_name(aid: str) -> str:
    return atlas_names().get(aid, _ATLAS_FALLBACK.get(aid, aid))


@dataclass(frozen=True)
class RefInfo:
    id: str
    citation: str
    url: str


@cache
def references() -> dict[str, RefInfo]:
    """Every reference by id, with its full citation."""
    clinical = _clinical()
    if clinical is not None and hasattr(clinical, "references"):
        try:
            return {
                rid: RefInfo(rid, str(r.citation), str(getattr(r, "url", "") or ""))
                for rid, r in clinical.references().items()
            }
        except Exception:  # pragma: no cover
            pass
    try:
        from core.assets import load_json

        data = load_json("clinical/references.json")["references"]
    except (FileNotFoundError, KeyError, ValueError):
        return {}
    return {
        rid: RefInfo(rid, str(r.get("citation", "")), str(r.get("url", "") or ""))
        for rid, r in data.items()
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


_FLAG_GROUP = {
    RedFlag.SADDLE_ANAESTHESIA: "Sensation",
    RedFlag.URINARY_RETENTION: "Bladder, bowel and sexual function",
    RedFlag.URINARY_HESITANCY: "Bladder, bowel and sexual function",
    RedFlag.URINARY_INCONTINENCE: "Bladder, bowel and sexual function",
    RedFlag.BOWEL_DYSFUNCTION: "Bladder, bowel and sexual function",
    RedFlag.SEXUAL_DYSFUNCTION: "Bladder, bowel and sexual function",
    RedFlag.BILATERAL_PROGRESSIVE_WEAKNESS: "Both legs",
    RedFlag.BILATERAL_SCIATICA: "Both legs",
}

_FLAG_FALLBACK = {
    RedFlag.SADDLE_ANAESTHESIA: (
        "Saddle numbness or tingling",
        "New loss of feeling or pins and needles around the anus, perineum or genitals.",
    ),
    RedFlag.URINARY_RETENTION: (
        "Urinary retention",
        "New inability to pass urine, or a bladder that does not empty.",
    ),
    RedFlag.URINARY_HESITANCY: (
        "Difficulty starting to pass urine",
        "New difficulty starting the stream, or reduced feeling of urine passing.",
    ),
    RedFlag.URINARY_INCONTINENCE: (
        "New urinary incontinence",
        "New loss of bladder control.",
    ),
    RedFlag.BOWEL_DYSFUNCTION: (
        "Bowel disturbance",
        "New bowel incontinence or constipation, or loss of the feeling of rectal fullness.",
    ),
    RedFlag.SEXUAL_DYSFUNCTION: (
        "New sexual dysfunction",
        "New loss of genital sensation, erection or ejaculation.",
    ),
    RedFlag.BILATERAL_PROGRESSIVE_WEAKNESS: (
        "Weakness in both legs, worsening",
        "Severe or progressive weakness of both legs.",
    ),
    RedFlag.BILATERAL_SCIATICA: (
        "Sciatica in both legs",
        "Radiating leg pain on both sides.",
    ),
}

FLAG_GROUPS = ("Bladder, bowel and sexual function", "Sensation", "Both legs")


@cache
def red_flag_infos() -> dict[RedFlag, FlagInfo]:
    """Label, description (tooltip), sources and group of each red flag, in spec order."""
    table: dict[str, Any] = {}
    clinical = _clinical()
    if clinical is not None and hasattr(clinical, "red_flags"):
        try:
            table = dict(clinical.red_flags())
        except Exception:  # pragma: no cover
            table = {}
    out: dict[RedFlag, FlagInfo] = {}
    for flag in RedFlag:
        info = table.get(flag.value)
        label, desc = _FLAG_FALLBACK[flag]
        sources: tuple[str, ...] = ("R47", "R48", "R49")
        if info is not None:
            label = str(getattr(info, "label", label) or label)
            desc = str(getattr(info, "description", desc) or desc)
            sources = tuple(getattr(info, "sources", sources) or sources)
        out[flag] = FlagInfo(flag.value, label, desc, sources, _FLAG_GROUP[flag])
    return out
