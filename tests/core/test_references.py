"""The reference list cites primary works only, carries no editorial notes, and every cited id
resolves (core.citations words them); core.references lists the statements that rely on each
reference."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from core import citations, clinical
from core import references as refs

CLINICAL = Path(__file__).resolve().parents[2] / "assets" / "clinical"
ENTRIES: dict[str, dict[str, Any]] = json.loads((CLINICAL / "references.json").read_text())[
    "references"
]

#: Copies of papers/books and secondary or notes sites: never a citation or a link.
DENY = (
    "scribd",
    "yumpu",
    "neupsykey",
    "studylib",
    "paperzz",
    "docslib",
    "worddisk",
    "srsinfo",
    "bibbase",
    "forums.net",
    "chirogeek",
    "beckersspine",
    "bullet.site",
    "orthobullets",
    "statpearls",
    "wikimsk",
    "gpnotebook",
    "bromleyemergency",
    "medscape",
    "solicitors",
    "memorize.com",
    "mitchmedical",
    "clinicaladvisor",
    "researcher.life",
    "epomedicine",
    "primarycarenotebook",
    "radiopaedia",
    "openanesthesia",
    "pacs.de",
    "clinicalgate",
    "clinicalpub",
    "pathway.md",
    "diabetesaid",
    "skyscape",
    "mpamedia",
    "paperexplained",
    "elogim",
    "csp.org.uk",
    "scienceopen",
    "1library",
    "cupdf",
)

#: Hosts a reference may link to: DOI, PubMed, PubMed Central, publishers, guideline bodies.
ALLOWED_HOSTS = {
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "asia-spinalinjury.org",  # ASIA: ISNCSCI standard and worksheet
    "www.nice.org.uk",
    "cks.nice.org.uk",
    "gettingitrightfirsttime.co.uk",  # NHS England GIRFT pathway
    "jamaevidence.mhmedical.com",  # McGraw-Hill / JAMA
    "ajemjournal.com",  # Am J Emerg Med (Elsevier)
    "insights.ovid.com",  # Wolters Kluwer (Spine)
    "www.cns.org",  # Congress of Neurological Surgeons abstracts
    "github.com",  # the ISNCSCI algorithm's own repository (software, R8e)
}

MARKERS = ("[verify", "[uncertain", "verify", "todo", "?]", "only the abstract", "text copy")

#: Journal articles and reviews for which no DOI, PMID or PMCID could be verified (id -> why).
#: Adding a verified identifier to an entry means removing its id here.
NO_VERIFIED_IDENTIFIER: dict[str, str] = {
    "R2": "Anat Rec 1948: no DOI or PMID found on a page about the article",
    "R4": "J Orthop Sports Phys Ther 2011: DOI/PMID not found on a page about the article",
    "R10": "Aust N Z J Surg 1998: only an index record without identifiers was found",
    "R19": "Spine 1985: no page about the article was found",
    "R25": "Surg Neurol Int 2012: PMID seen only in a citing blog, not on the article's page",
    "R27": "Reg Anesth Pain Med 2001: only an index record without identifiers was found",
    "R30b": "J Neurol Neurosurg Psychiatry 1948: no page about the article was found",
    "R32": "N Engl J Med 2008: only copies of the article, no page showing its DOI/PMID",
    "R35": "Arch Gerontol Geriatr 2002: repository record without DOI/PMID",
    "R42": "Spine 2004: publisher page without DOI/PMID",
    "R56": "same work as R65",
    "R57": "same work as R65",
    "R59": "same work as R65",
    "R61": "same work as R65",
    "R63": "same work as R65",
    "R65": "Med Clin North Am 2019: only copies of the article, no page showing its DOI/PMID",
    "R66": "J Med Res (medicinearticle.com) 2021: not indexed in PubMed; no DOI shown",
    "R80": "same work as R4",
    "R91": "Neurology 2005: institutional record without the DOI; no PubMed page found",
    "R93": "Neurosurgery 2007: only a copy of the article's first page, no DOI/PMID shown",
    "R96": "Spine 2013: only an abstract index record (metajournal.com) without DOI/PMID",
}

ARTICLE_KINDS = {"journal_article", "review"}


def _visible_text(rid: str) -> str:
    return citations.citation_text(ENTRIES[rid]) + " " + citations.link(ENTRIES[rid])


def _cited_ids(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in refs.SOURCE_KEYS or key.endswith(("_source", "_sources")):
                found.update([value] if isinstance(value, str) else value)
            else:
                found |= _cited_ids(value)
    elif isinstance(node, list):
        for child in node:
            found |= _cited_ids(child)
    return found


def test_every_entry_is_structured() -> None:
    for rid, e in ENTRIES.items():
        assert e["id"] == rid
        assert e["kind"] in citations.KINDS, rid
        assert e.get("title"), rid
        assert "citation" not in e, f"{rid}: citation text is built from the fields"
        if e["kind"] in ARTICLE_KINDS:
            assert (e.get("journal") and e.get("year")) or e.get("pmcid"), rid


@pytest.mark.parametrize("rid", sorted(ENTRIES))
def test_no_copy_site_and_no_editorial_marker(rid: str) -> None:
    text = _visible_text(rid).lower()
    assert not [d for d in DENY if d in text], rid
    assert not [m for m in MARKERS if m in text], rid
    assert not re.search(r"\bet al\.?\s*\[", text), rid


def test_links_go_to_doi_pubmed_or_the_publisher() -> None:
    for rid, e in ENTRIES.items():
        url = citations.link(e)
        if not url:
            continue
        parsed = urlparse(url)
        assert parsed.scheme == "https", (rid, url)
        assert parsed.hostname in ALLOWED_HOSTS, (rid, url)
        if e.get("doi") and "url" not in e:
            assert url == f"https://doi.org/{e['doi']}", rid


def test_identifiers_are_well_formed() -> None:
    for rid, e in ENTRIES.items():
        if "doi" in e:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", e["doi"]), rid
        if "pmid" in e:
            assert re.fullmatch(r"\d{4,9}", e["pmid"]), rid
        if "pmcid" in e:
            assert re.fullmatch(r"PMC\d{5,9}", e["pmcid"]), rid


def test_journal_articles_carry_a_doi_or_pmid() -> None:
    missing = {
        rid
        for rid, e in ENTRIES.items()
        if e["kind"] in ARTICLE_KINDS and not (e.get("doi") or e.get("pmid") or e.get("pmcid"))
    }
    assert missing == set(NO_VERIFIED_IDENTIFIER)


def test_books_carry_edition_and_publisher() -> None:
    for rid, e in ENTRIES.items():
        if e["kind"] == "book":
            assert e.get("edition") and e.get("publisher") and e.get("year"), rid
        if e["kind"] == "book_chapter":
            assert e.get("book") and e.get("publisher"), rid


def test_every_cited_id_exists() -> None:
    cited: set[str] = set()
    for path in sorted(CLINICAL.glob("*.json")):
        if path.name != "references.json":
            cited |= _cited_ids(json.loads(path.read_text()))
    assert cited, "no data file cites a reference"
    assert cited <= set(ENTRIES), sorted(cited - set(ENTRIES))


def test_loader_builds_citation_and_link() -> None:
    r1 = clinical.references()["R1"]
    assert r1.kind == "journal_article" and r1.doi == "10.1002/ca.20636"
    assert r1.citation.startswith("Lee MWL, McPhee RW, Stringer MD. An evidence-based")
    assert "Clin Anat. 2008;21:363–373" in r1.citation
    assert r1.url == "https://doi.org/10.1002/ca.20636"
    netter = clinical.format_reference("R6")
    assert "7th ed." in netter and "Elsevier" in netter and "Dermatomes" in netter


def test_citation_text_formats() -> None:
    book = {"kind": "book", "authors": ["A B"], "title": "T", "edition": "2nd ed.",
            "publisher": "P", "year": 2000, "figure": "Fig. 3"}  # fmt: skip
    assert citations.citation_text(book) == "A B. T. 2nd ed. P; 2000. Fig. 3."
    art = {"kind": "journal_article", "authors": ["X Y", "et al"], "title": "Q?",
           "journal": "J", "year": 2001, "volume": "4", "issue": "2", "pages": "1–9",
           "pmid": "123456"}  # fmt: skip
    assert citations.citation_text(art) == "X Y, et al. Q? J. 2001;4(2):1–9. PMID: 123456."
    assert citations.link(art) == "https://pubmed.ncbi.nlm.nih.gov/123456/"
    assert citations.citation_text({"citation": "old style"}) == "old style"


def test_used_by_finds_known_citations() -> None:
    lines = refs.used_by_lines("R57")
    assert "Nerve: Sural nerve" in lines
    assert any(line.startswith("Condition: ") for line in refs.used_by_lines("R31"))
    assert any(line.startswith("Red flag: ") for line in refs.used_by_lines("R47"))
    assert not refs.used_by_lines("R26")
    every = refs.used_by()
    assert set(every) <= set(ENTRIES)


def test_used_by_reads_any_data_file_generically() -> None:
    data = {
        "description": "x",
        "rows": [
            {"id": "lr_l5_drawing", "value": 2.1, "sources": ["R16", "R17"]},
            {"id": "other", "detail": {"source": "R9"}},
        ],
        "table_sources": ["R1"],
    }
    pairs = refs.scan(data, "evidence")
    texts = {(rid, use.text()) for rid, use in pairs}
    assert ("R16", "Evidence: lr_l5_drawing") in texts
    assert ("R9", "Evidence: other (detail)") in texts
    assert ("R1", "Evidence data (table)") in texts


def test_evidence_rows_and_priors_are_named_in_words() -> None:
    """The References dialog names each evidence row by what it says, not by its id, and each
    prior by its hypothesis."""
    lines = refs.used_by_lines("R21")
    assert (
        "Evidence: Achilles reflex reduced or absent; Achilles reflex loss greater on this leg "
        "(or the other leg not tested) → S1 root, likelihood ratio 7.1"
    ) in lines
    fst = (
        "Evidence: Femoral stretch test positive; patellar reflex reduced or absent; patellar "
        "reflex loss greater on this leg (or the other leg not tested) → L2, L3 and L4, "
        "likelihood ratio 7"
    )
    assert fst in lines
    prior = "Evidence: L5 root before any evidence: relative frequency 0.187"
    assert prior in refs.used_by_lines("R92")
    assert not [line for line in refs.used_by_lines("R52") if "_peroneal" in line]


#: Identifiers checked against the article's PubMed record (2026-12-07): R24 and R64/R64a
#: carried another article's PMID, R43 and R25b lacked the DOI their PubMed records show.
AUDITED = {
    "R24": {"pmid": "20166095", "doi": "10.1002/14651858.CD007431.pub2"},
    "R25b": {"pmid": "3449307", "doi": "10.1007/BF02330595"},
    "R43": {"pmid": "17828560", "doi": "10.1007/s00586-007-0491-y"},
    "R64": {"pmid": "26599185", "doi": "10.1001/jama.2015.13611"},
}


def test_audited_identifiers() -> None:
    for rid, fields in AUDITED.items():
        for key, value in fields.items():
            assert ENTRIES[rid].get(key) == value, (rid, key)


def test_the_same_work_carries_the_same_identifiers() -> None:
    """An entry ``same_as`` another names that work with the same DOI and PMID; the other is
    the work's own entry (no chains), and the citation says so in words."""
    pairs = [(rid, e["same_as"]) for rid, e in ENTRIES.items() if "same_as" in e]
    assert len(pairs) == 27
    for rid, other in pairs:
        assert "same_as" not in ENTRIES[other], (rid, other)
        for key in ("doi", "pmid"):
            assert ENTRIES[rid].get(key) == ENTRIES[other].get(key), (rid, other, key)
        assert citations.citation_text(ENTRIES[rid]).endswith(f"Same work as {other}."), rid
    assert not [r for r, e in ENTRIES.items() if "Same work" in e.get("note", "")]
