# ruff: noqa: E501  (exact messages and hostile values are long)
"""A real build of the library plus hostile-but-valid entries: every entry is on the site, inert and whole.

tests/data/hostile/ holds a second .bib file and its summaries with markup, quotes, template syntax,
`%`, a trailing backslash and an unknown macro in their values. The project is copied, the files
added, and `mkdocs build --strict` run; then the site is read as a visitor's browser would.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import xml.dom.minidom
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, mkdocs_build
from peerkb.check import load_and_check
from peerkb.slug import slug_for_key
from render_support import MARKDOWN_PAIRS, inventory, unexpected
from search_support import indexed_pages

HOSTILE = Path(__file__).parent / "data" / "hostile"
NAV_TITLE = 'Peer "navigator" & a < b {{ config.site_name }}'


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    shutil.copy(HOSTILE / "hostile.bib", project / "references" / "hostile.bib")
    for summary in (HOSTILE / "summaries").glob("*.md"):
        shutil.copy(summary, project / "references" / "summaries" / summary.name)
    # A taxonomy title reaches the navigation, which Material prints without escaping.
    taxonomy = project / "references" / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace('title: "Peer navigator"', f"title: {json.dumps(NAV_TITLE)}"), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("hostile-site")
    result = mkdocs_build(hostile_project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def library(hostile_project: Path):
    library, problems = load_and_check(hostile_project)
    assert not [p for p in problems if p.severity.value == "error"]
    return library


def test_every_entry_has_its_page_titled_by_it(hostile_site: Path, library) -> None:
    assert len(library.entries) == len(library.summaries) == 22
    for entry in library.entries:
        page = hostile_site / "papers" / slug_for_key(entry.key) / "index.html"
        assert page.is_file(), entry.key
        h1 = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", page.read_text(encoding="utf-8"), re.S)
        assert h1 and html.unescape(h1.group(1)) == " ".join(entry.title.split()), entry.key


def test_text_after_percent_backslashes_and_unknown_macros_are_kept(hostile_site: Path) -> None:
    page = html.unescape((hostile_site / "papers" / "hostile2021percent" / "index.html").read_text("utf-8"))
    assert "Fifty % of peer workers \\unusualmacro{kept} and a trailing backslash \\" in page
    # howpublished: braces group and -- is a dash in BibTeX; the rest is shown as text
    assert "Report % raw % <!\u2013 hidden \u2013>" in page
    assert "A second point \\ with a backslash." in page


def test_counts_on_the_site_equal_the_library(hostile_site: Path, library) -> None:
    papers = (hostile_site / "papers" / "index.html").read_text(encoding="utf-8")
    assert f"The knowledge base holds {len(library.entries)} papers" in papers
    assert papers.count('<a class="peerkb-papers__title"') == len(library.entries)
    evidence = (hostile_site / "evidence-map" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../papers/">{len(library.entries)}<span class="peerkb-sr">' in evidence
    for facet in ("roles", "themes"):
        for term in library.taxonomy.facet(facet):
            count = sum(term.id in getattr(s, facet) for s in library.summaries)
            page = (hostile_site / facet / term.id / "index.html").read_text(encoding="utf-8")
            assert f"({count})</h2>" in page or f"({count})<a" in page, (facet, term.id, count)
    located = set(indexed_pages(hostile_site))
    for entry in library.entries:
        assert f"papers/{slug_for_key(entry.key)}/" in located, entry.key


def test_each_bibtex_download_is_its_entry_byte_for_byte(hostile_site: Path, hostile_project: Path, library) -> None:
    # Downloads arrive with peerkb.render.downloads; from then on every paper page must link its .bib.
    pytest.importorskip("peerkb.render.downloads")
    for entry in library.entries:
        slug = slug_for_key(entry.key)
        page = (hostile_site / "papers" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="../{slug}.bib"' in page, f"no BibTeX download link on {slug}"
        data = (hostile_project / entry.path).read_bytes()
        start = data.index(f"{{{entry.key},".encode())
        start = data.rindex(b"@", 0, start)
        expected = data[start : start + len(entry.source.encode("utf-8"))]
        assert expected.endswith(b"}")
        assert (hostile_site / "papers" / f"{slug}.bib").read_bytes().rstrip(b"\n") == expected, entry.key


def test_exports_and_feed_are_well_formed(hostile_site: Path, library) -> None:
    xml.dom.minidom.parse(str(hostile_site / "feed.xml"))
    library_json = json.loads((hostile_site / "downloads" / "library.json").read_text(encoding="utf-8"))
    assert len(library_json) == len(library.entries)
    for ris in hostile_site.rglob("*.ris"):
        for line in ris.read_text(encoding="utf-8").splitlines():
            assert not line or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), (ris, line)


@pytest.fixture(scope="module")
def allowed_pairs(built_site: Path) -> set[tuple[str, str]]:
    """Everything the real site's pages hold (Material's own markup included), plus plain Markdown's."""
    pairs = set(MARKDOWN_PAIRS)
    for page in built_site.rglob("*.html"):
        pairs |= inventory(page.read_text(encoding="utf-8")).pairs
    return pairs


@pytest.fixture(scope="module")
def theme_scripts(built_site: Path) -> set[str]:
    """The inline scripts Material writes on the real site's pages."""
    return {s for page in built_site.rglob("*.html") for s in inventory(page.read_text(encoding="utf-8")).scripts}


def test_hostile_values_add_no_markup_anywhere(hostile_site: Path, library, allowed_pairs, theme_scripts) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = [
            w
            for w in unexpected(text, allowed_pairs)
            if not w.startswith("<!--! Font Awesome") and w.removeprefix("<script>") not in theme_scripts
        ]
        assert found == [], page
    paper = (hostile_site / "papers" / "hostile2020script" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", paper).group(1)
    assert "<" not in title
    # Template syntax is never run: it is on the page as the contributor wrote it.
    assert "{% include &quot;mkdocs.yml&quot; %}" in paper or '{% include "mkdocs.yml" %}' in paper
    assert "{{ config.site_name }}" in paper
    # The search index holds plain text, exactly as written; the worker escapes it for Material
    # (test_search_engine.py shows a hostile title as text in a real browser).
    pages = indexed_pages(hostile_site)
    hostile = {entry.key: entry for entry in library.entries}["hostile2020script"]
    assert pages["papers/hostile2020script/"][0] == " ".join(hostile.title.split())
    # Hand-written pages' titles come from Material's HTML: its tags are gone.
    assert not [title for title, _ in pages.values() if "<code>" in title or "&lt;" in title]


def test_a_summary_without_an_entry_fails_the_build_naming_it(project: Path, tmp_path: Path) -> None:
    shutil.copy(HOSTILE / "summaries" / "hostile2021percent.md", project / "references" / "summaries")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert 'references/summaries/hostile2021percent.md:2: key: no BibTeX entry has the key "hostile2021percent"' in (
        result.stderr
    )


def test_the_project_library_itself_loads_whole() -> None:
    library, _ = load_and_check(ROOT)
    assert {e.key for e in library.entries} == {s.key for s in library.summaries}


def test_files_under_references_that_are_not_read_are_named(project: Path) -> None:
    references = project / "references"
    (references / "extra").mkdir()
    shutil.copy(references / "library.bib", references / "extra" / "old.bib")
    (references / "summaries" / "notes.txt").write_text("a note\n", encoding="utf-8")
    shutil.copy(references / "summaries" / "haines2025core.md", references / "summaries" / "Notes.MD")
    (references / "summaries" / os.fsdecode(b"caf\xe9.md")).write_bytes(b"---\n")
    (references / ".DS_Store").write_bytes(b"\0")
    _, problems = load_and_check(project)
    not_read = ("this file is not read, so nothing in it reaches the site; BibTeX entries go in references/*.bib, "
                "summaries in references/summaries/<key>.md (move it, or delete it)")
    assert [p.format() for p in problems if p.line == 0] == [
        f"references/extra/old.bib: {not_read}",
        f"references/summaries/Notes.MD: {not_read}",
        "references/summaries/caf\ufffd.md: the file name is not UTF-8, so the file is not read; rename it with "
        "letters, digits and -_:. only",
        f"references/summaries/notes.txt: {not_read}",
    ]


def test_a_taxonomy_title_is_escaped_in_the_navigation(hostile_site: Path) -> None:
    home = (hostile_site / "index.html").read_text(encoding="utf-8")
    shown = "Peer &quot;navigator&quot; &amp; a \u2039 b {{ config.site_name }}"
    assert shown in home  # in the navigation, as text: the < became a look-alike, nothing was run
    role = (hostile_site / "roles" / "peer-navigator" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{shown} - " in role
