"""The slim search index (issue 6): a paper is still found by what a nurse searches for."""

from __future__ import annotations

import html
import json
from pathlib import Path

from peerkb.page_html import exclude_from_search


def _docs(site: Path) -> dict[str, str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: html.unescape(doc["title"] + " " + doc["text"]) for doc in index["docs"]}


def test_a_paper_is_found_by_title_surname_doi_role_theme_and_key_messages(built_site: Path) -> None:
    docs = _docs(built_site)
    page = docs["papers/haines2025core/"]
    assert "Haines" in page and "10.1111/jpm.70027" in page
    assert "Peer support specialist" in page or "Peer Support Specialist" in page
    assert "Empowerment" in page and "Stigma reduction" in page
    assert "four core purposes of peer work" in docs["papers/haines2025core/#key-messages"]


def test_long_paper_sections_and_term_lists_stay_out_of_the_index(built_site: Path) -> None:
    docs = _docs(built_site)
    sections = (
        "what-was-studied-and-how",
        "what-was-found",
        "what-it-means-for-nurses-working-alongside-peer-workers",
        "limitations",
        "cite-this-paper",
        "related-papers",
        "about-this-summary",
    )
    for section in sections:
        assert f"papers/haines2025core/#{section}" not in docs
    assert not [location for location in docs if location.startswith("themes/recovery/#papers-about")]
    # The theme page itself is still found by its name and description.
    assert "Personal recovery" in docs["themes/recovery/"]
    assert [location for location in docs if location.startswith("maintainers/")] == ["maintainers/"]


def test_the_pages_keep_every_section_and_no_search_attribute(built_site: Path) -> None:
    page = (built_site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="what-was-found">' in page and '<h2 id="limitations">' in page
    assert 'data-search-exclude="peerkb"' not in page


def test_exclusion_covers_a_section_and_its_subheadings_only() -> None:
    marked = exclude_from_search(
        '<h2 id="a">A</h2><h3 id="a1">x</h3><h2 id="b">B</h2><h3 id="b1">y</h3>', lambda id_: id_ == "a"
    )
    assert marked == (
        '<h2 id="a" data-search-exclude="peerkb">A</h2><h3 id="a1" data-search-exclude="peerkb">x</h3>'
        '<h2 id="b">B</h2><h3 id="b1">y</h3>'
    )
