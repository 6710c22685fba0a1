"""No raw ids where a person reads: the clinical impression, the report's content and
``dermamap analyze --format text`` use the names of core.names for every golden and published
case (ids stay in JSON)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core import report_content
from core.cli import format_text
from core.compare import compare
from core.compare import format_text as compare_text
from core.engine import analyze
from core.impression import impression_text
from core.session_io import load_session, parse_session

HERE = Path(__file__).resolve().parent
GOLDEN = json.loads((HERE / "golden_cases.json").read_text(encoding="utf-8"))["cases"]
PUBLISHED = [
    c
    for c in json.loads((HERE / "published_cases.json").read_text(encoding="utf-8"))["cases"]
    if "session" in c
]
RAW_ID = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|peripheral:|\b(?:reflex|strength|test|history):")
TAG = re.compile(r"<[^>]+>")


DOI = re.compile(r"\b10\.\d{4,9}/\S+")


def _leaks(text: str) -> list[str]:
    """Ids in ``text``, a reference's DOI aside (one holds an underscore: ...-0_75)."""
    return [m.group(0) for m in RAW_ID.finditer(DOI.sub("", text))]


def _cases() -> list[Any]:
    return [pytest.param(c["session"], id=c["id"]) for c in GOLDEN] + [
        pytest.param(c["session"], id=str(c.get("id", i))) for i, c in enumerate(PUBLISHED)
    ]


@pytest.mark.parametrize("data", _cases())
def test_words_not_ids(data: dict[str, Any]) -> None:
    session = parse_session(data)
    analysis = analyze(session)
    assert _leaks(impression_text(session, analysis)) == []
    assert _leaks(format_text("case.json", session, analysis)) == []
    blocks = report_content.build_blocks(
        session,
        analysis,
        overlay=False,
        aspect=0.6,
        body_w=500,
        max_diagram_h=300,
        source_name=None,
        now=datetime(2026, 1, 1),
    )
    html = " ".join(TAG.sub(" ", b.html) for b in blocks)
    assert _leaks(html) == []


def test_comparison_text_uses_names() -> None:
    rich = load_session(HERE / "data" / "rich.json")
    other = parse_session(GOLDEN[0]["session"])
    assert _leaks(compare_text(compare(other, rich))) == []


def test_the_check_catches_ids() -> None:
    assert _leaks("dorsum_of_foot and peripheral:sural, cauda_equina") == [
        "dorsum_of_foot",
        "peripheral:",
        "cauda_equina",
    ]


def test_nerve_plain_names_keep_the_word_nerve() -> None:
    """Lists of nerves (the Explore read-out, the diagram's tooltips) name each the same way:
    the parenthesis goes, the word "nerve" stays, wherever the data put it."""
    from core import clinical, names

    assert names.nerve_plain_name("common_peroneal") == "Common peroneal nerve"
    assert names.nerve_plain_name("lateral_femoral_cutaneous") == "Lateral femoral cutaneous nerve"
    assert names.nerve_plain_name("tibial") == "Tibial nerve"
    for nid in clinical.nerves():
        plain = names.nerve_plain_name(nid)
        assert plain.endswith(" nerve") and "(" not in plain, plain


def test_the_tibial_hypothesis_does_not_name_a_site() -> None:
    """A tibial schwannoma in the popliteal fossa (published case TIB-01, a local cause at the
    knee counted for it) read "Tibial nerve (tarsal tunnel)": the name put the lesion at the
    ankle. The hypothesis stands for the nerve wherever it is caught."""
    from core import names

    assert names.hypothesis_name("peripheral:tibial") == "Tibial nerve"


def test_an_absent_pattern_reads_as_english() -> None:
    """A row that holds when a pattern is absent read "No a symmetric stocking on both feet"
    and "No tinel's sign at an entrapment site" (the article kept, the eponym lowered)."""
    from core.names import condition_text

    said = {
        k: condition_text(k, (False,))
        for k in (
            "pattern:bilateral_symmetric",
            "pattern:any_reflex_down",
            "pattern:tinel_positive",
            "pattern:foot_drop",
        )
    }
    assert said == {
        "pattern:bilateral_symmetric": "No symmetric stocking on both feet",
        "pattern:any_reflex_down": "No reduced or absent reflex",
        "pattern:tinel_positive": "No Tinel's sign at an entrapment site",
        "pattern:foot_drop": "No foot drop",
    }
