"""The published case reports (issue 14, item 10): structure, provenance, and the figures.

Run with ``-s`` to see the table. Performance floors are set by the lead later; for now the
tests check the cases themselves, that every session loads, and that the figures are finite.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlparse

import pytest

from core.engine import analyze
from tests.core import published_eval as pe

CASES = pe.load_cases()
ALLOWED_HOSTS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "www.ncbi.nlm.nih.gov",
)
#: Publishers' own pages, allowed only for a report without a verifiable DOI or PMID.
PUBLISHER_HOSTS = (
    "www.neurologyindia.com",
    "www.cambridge.org",
    "www.jclinmedcasereports.com",
    "www.hcplive.com",
    "pmrjabstracts.org",
    "www.nature.com",
    "www.medicinearticle.com",
    "eestiarst.ee",
    "journals.lww.com",
)
#: Copy and aggregator sites that must never be cited (team rules).
COPY_SITES = (
    "scribd",
    "yumpu",
    "neupsykey",
    "studylib",
    "paperzz",
    "docslib",
    "tomesphere",
    "researchgate",
    "semanticscholar",
    "academia.edu",
    "europepmc",
    "sci-hub",
)
REQUIRED = ("id", "group", "citation", "quote", "session", "established", "alternatives")
MAX_QUOTE = 300


def _ids() -> list[str]:
    return [str(c.get("id")) for c in CASES]


def test_enough_cases_with_unique_ids() -> None:
    assert len(CASES) >= pe.MIN_CASES
    assert len(set(_ids())) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_case_is_complete(case: dict[str, Any]) -> None:
    for key in REQUIRED:
        assert key in case, f"{case.get('id')}: missing {key}"
    cit = case["citation"]
    for key in ("title", "journal", "year", "url"):
        assert cit.get(key), f"{case['id']}: citation.{key} missing"
    # authors are required unless the case says openly that they could not be retrieved
    assert cit.get("authors") or cit.get("authors_retrieved") is False, case["id"]
    if not (cit.get("doi") or cit.get("pmid")):
        host = urlparse(str(cit["url"])).hostname or ""
        assert host in PUBLISHER_HOSTS, f"{case['id']}: no DOI/PMID and not a publisher page"
    assert isinstance(case["quote"], str) and 0 < len(case["quote"]) <= MAX_QUOTE
    est = case["established"]
    assert est["diagnosis"] in pe.KNOWN_IDS, est["diagnosis"]
    assert est.get("side") in ("left", "right", "both")
    assert est.get("how")
    assert all(a in pe.KNOWN_IDS and a != est["diagnosis"] for a in case["alternatives"])


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_citation_links_to_a_primary_source(case: dict[str, Any]) -> None:
    cit = case["citation"]
    url = cit["url"]
    host = urlparse(url).hostname or ""
    assert url.startswith("https://"), url
    assert not any(bad in url.lower() for bad in COPY_SITES), url
    assert host in ALLOWED_HOSTS + PUBLISHER_HOSTS, f"{case['id']}: not a primary link: {url}"
    if cit.get("doi") and host == "doi.org":
        assert url == f"https://doi.org/{cit['doi']}"
    if cit.get("pmid"):
        assert str(cit["pmid"]).isdigit()


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_session_loads(case: dict[str, Any]) -> None:
    session, _stripped, _ignored = pe.load_session(case["session"])
    f = session.findings
    # a case carries marks, red flags or exam findings (a report may give only the exam)
    assert session.marks or session.red_flags or f.reflexes or f.strength or f.tests


def test_evaluation_figures_are_finite() -> None:
    res = pe.evaluate(analyze, CASES)
    print()
    print(pe.format_report(res))
    o = res["overall"]
    assert o["n"] == len(CASES) >= pe.MIN_CASES
    for key in ("top1", "top3", "mean_probability", "brier"):
        assert math.isfinite(o[key]), key
    assert 0.0 <= o["top1"] <= o["top3"] <= 1.0
    assert 0.0 <= o["mean_probability"] <= 1.0
    assert 0.0 <= o["brier"] <= 2.0
    assert sum(f["n"] for f in res["by_group"].values()) == o["n"]


def test_the_engine_keeps_its_figures_on_the_published_cases() -> None:
    """Floors just under the figures measured on the 78 cases: 73.1%, 87.2%, mean probability
    0.437, Brier 0.490 since 2 serious spinal causes were added (a metastasis, an epidural
    abscess: their hit is the urgent warning; the mean and Brier are over the 70 cases with a
    probability). On 76 cases: 72.4%, 86.8%, 0.437, 0.490 since 6 cases were added (encoded
    before the engine saw them, chosen by a stated rule). On 70 cases: 70.0%, 85.7%, 0.406,
    0.527 since a nerve's pain falls partly along its course; 70.0%, 82.9%, mean probability
    0.400, Brier 0.538 since the sciatic nerve's own muscles count for it and a root two
    segments from a weak muscle falls as a nerve would; 0.397, 0.541 since a root does not
    paralyse a muscle outside its myotome; 68.6%, 82.9%, 0.393, 0.547 since a negative straight
    leg raise counts R20's 0.4 (and the exam rows of 2026-12-07); 67.1%, 82.9%, 0.390, 0.550
    with the sciatic nerve among the hypotheses (67.1%, 78.6%, 0.381, 0.577 when 6 sciatic
    neuropathies were added, encoded before the engine saw them, which an engine without that
    nerve cannot find; on the other 64 cases the nerve costs mean probability 0.421 -> 0.416,
    top-1 and top-3 unchanged). On 64 cases: 73.4%, 85.9%, 0.421, 0.511 when 13 cases were
    added. On the first 51: top-1 78.4%, top-3 90.2%, mean probability 0.455, Brier 0.469 at
    best; 76.5%, 90.2%, 0.443, 0.480 since the nerves cover their branches' skin, an anatomical
    correction, 0.481 since no root spills into the saddle, and 0.445 / 0.477 since a stocking
    is distal; 70.6%, 86.3%, 0.41, 0.53 when the evidence-weighted engine landed. A change that
    makes the engine worse on published cases fails here. Raise them as the engine improves;
    never lower them to let a change through."""
    res = pe.evaluate(analyze, CASES)
    o = res["overall"]
    assert not res["normalised"]  # the engine gives probabilities
    assert o["top1"] >= 0.72
    assert o["top3"] >= 0.865
    assert o["mean_probability"] >= 0.435
    assert o["brier"] <= 0.492
    # not over-confident: in each band of the top hypothesis's probability (with 5 cases or
    # more) the top is the established diagnosis at least about as often as it claims
    bands = [b for b in res["calibration"] if b["n"] >= 5]
    assert sum(b["n"] for b in bands) >= 40
    for b in bands:
        assert b["right"] / b["n"] >= b["mean_top_probability"] - 0.1, b
    # a red flag is never missed
    ces = res["by_kind"]["cauda_equina"]
    assert ces["top1"] == 1.0
