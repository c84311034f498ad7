# ruff: noqa: RUF001, E501  (accented and look-alike letters are the point; long literal lines)
"""The sharded search index (issue 6): what a paper is found by, and the files the worker reads."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, mkdocs_build
from peerkb.load import load_library
from peerkb.render.site import join_papers
from peerkb.search_index import (
    DOCS_PER_FILE,
    PERSON,
    SECTION_TITLE,
    TEXT,
    TITLE,
    SearchRecord,
    build_search_index,
    index_terms,
    intro_record,
    page_records,
    paper_record,
    shard_key,
)
from search_support import found_by, indexed_pages

PAPER = "papers/haines2025core/"


def postings(files: dict[str, bytes], term: str) -> dict[int, int]:
    """Page id to weight for one term, decoded from its shard as the worker decodes it."""
    shard = json.loads(files[f"terms-{shard_key(term)}.json"])
    flat, pages, doc_id = shard.get(term, []), {}, 0
    for gap, weight in zip(flat[::2], flat[1::2], strict=True):
        doc_id += gap
        pages[doc_id] = weight
    return pages


def haines_record() -> SearchRecord:
    library, _ = load_library(ROOT)
    papers = join_papers(library)
    [haines] = [p for p in papers if p.slug == "haines2025core"]
    return paper_record(haines, library.taxonomy, PAPER)


def test_terms_fold_case_accents_and_plurals_and_drop_stop_words() -> None:
    assert index_terms("Lindström’s NURSES and the Studies of Straße") == [
        "lindstrom", "s", "nurse", "study", "strasse"]
    assert index_terms("Status analysis: peer-led, 10.1111/jpm.70027") == [
        "status", "analysis", "peer", "led", "10", "1111", "jpm", "70027"]


def test_a_paper_is_found_by_title_names_doi_role_theme_and_key_messages() -> None:
    record = haines_record()
    text = " ".join([record.title, record.text, *(field for field, _ in record.fields)])
    for words in ("Core Purposes", "Haines", "10.1111/jpm.70027", "Peer support specialist", "Empowerment",
                  "Stigma reduction", "four core purposes of peer work"):
        assert words.lower() in text.lower(), words
    # The long sections stay out: they are most of the bytes and mostly words every paper shares.
    library, _ = load_library(ROOT)
    summary = next(s for s in library.summaries if s.key == "haines2025core")
    assert summary.sections["limitations"].body[:60] not in text


def test_shards_hold_each_term_once_with_its_best_weight_and_blocks_hold_the_pages() -> None:
    records = [
        SearchRecord("guide/", "Working with peers", "A guide."),
        SearchRecord("guide/#roles", "Roles", "Peers and nurses."),
        SearchRecord("papers/a/", "Peer navigators", "Okafor (2020).", (("Okafor, Ada", PERSON), ("peers", TEXT))),
    ]
    index = build_search_index(records)
    files = dict(index.files)
    assert postings(files, "peer") == {0: TITLE, 1: TEXT, 2: TITLE}
    assert postings(files, "role") == {1: SECTION_TITLE}
    assert postings(files, "okafor") == {2: PERSON}
    assert postings(files, "nurse") == {1: TEXT}
    assert json.loads(files["docs-0.json"]) == [
        ["guide/", "Working with peers", "A guide.", -1],
        # A section names its page, which Material shows above it.
        ["guide/#roles", "Roles", "Peers and nurses.", 0],
        ["papers/a/", "Peer navigators", "Okafor (2020).", -1],
    ]
    shard_files = {name for name in files if name.startswith("terms-")}
    assert shard_files == {f"terms-{key}.json" for key in index.manifest["shards"]}
    assert index.manifest["documents"] == 3 and index.manifest["docsPerFile"] == DOCS_PER_FILE
    # Another build of the same records is byte-identical, with the same version.
    assert build_search_index(records) == index


def test_material_entries_become_plain_text() -> None:
    [record] = page_records([{"location": "g/#x", "title": "A <code>peer</code>",
                              "text": "<p>One &amp; two</p><p>three<em>four</em></p>"}])
    assert (record.title, record.text) == ("A peer", "One & two threefour")


def test_the_built_site_has_the_index_and_every_page_uses_our_worker(built_site: Path) -> None:
    stub = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # Material's page code fetches this file: only the config (with our manifest) is left in it.
    assert stub["docs"] == []
    manifest = stub["config"]["peerkb"]
    folder = built_site / "search" / "peerkb"
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert {f"terms-{key}.json" for key in manifest["shards"]} <= set(files)
    blocks = [json.loads(files[f"docs-{n}.json"]) for n in range(-(-manifest["documents"] // DOCS_PER_FILE))]
    locations = [doc[0] for block in blocks for doc in block]
    assert len(locations) == manifest["documents"]
    # Papers (from our records) and hand-written and term pages (from Material's) are all there.
    assert {PAPER, "glossary/", "roles/peer-navigator/", "guides/working-alongside-peer-workers/"} <= set(locations)
    # Role, theme and list pages come from our records too: found by name, other names, intro.
    assert "themes/recovery/" in found_by(built_site, "personal recovery")
    assert "roles/peer-support-specialist/" in found_by(built_site, "PSW")
    assert {"papers/", "evidence-map/"} <= found_by(built_site, "papers") | found_by(built_site, "evidence map")
    assert not [location for location in locations if location.startswith("themes/recovery/#papers-about")]
    [haines] = index_terms("Haines")
    assert postings(files, haines)[locations.index(PAPER)] == PERSON
    assert (built_site / "assets" / "javascripts" / "peerkb-search.js").is_file()
    # Material's Lunr worker and its language files are not shipped: nothing loads them.
    assert not (built_site / "assets" / "javascripts" / "lunr").exists()
    assert not (built_site / "assets" / "javascripts" / "workers").exists()
    for page in [built_site / "index.html", built_site / "404.html", built_site / PAPER / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert "assets/javascripts/peerkb-search.js" in html and "workers/search." not in html, page
        # A list of the best 50 says so, rather than that nothing else matched.
        assert '"search.result.other": "Showing # matches, best first"' in html, page


def test_a_list_page_is_found_by_its_title_and_first_paragraph_as_a_reader_sees_them() -> None:
    markdown = ('---\ntitle: "All papers"\n---\n\n# All papers\n\nThe knowledge base holds 3 papers \\(newest '
                "first\\) on *peer work* &amp; more.\n\n<section>filters</section>\n\n- a paper\n")
    record = intro_record("papers/", markdown)
    assert (record.title, record.text) == ("All papers", "The knowledge base holds 3 papers (newest first) on peer work & more.")


def _resolves(site: Path, location: str) -> bool:
    """Whether an index location names a page of the built site, as a browser would ask for it."""
    path = location.split("#", 1)[0]
    target = site / path
    return (target / "index.html").is_file() if path == "" or path.endswith("/") else target.is_file()


def test_every_location_in_the_index_is_a_page_of_the_site(built_site: Path) -> None:
    missing = [location for location in indexed_pages(built_site) if not _resolves(built_site, location)]
    assert missing == []


def test_locations_follow_use_directory_urls_false(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    pages = indexed_pages(site)
    assert "papers/haines2025core.html" in pages and "roles/peer-navigator.html" in pages
    assert [location for location in pages if not _resolves(site, location)] == []
