"""A real `mkdocs build --strict` of the real library, and what its HTML must contain."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import ROOT, mkdocs_build
from peerkb.bibfile import read_bib
from peerkb.slug import slug_for_key
from search_support import found_by, indexed_pages


def seed_entries():
    path = ROOT / "references" / "library.bib"
    entries, problems = read_bib("references/library.bib", path.read_bytes())
    assert not problems
    return entries


def taxonomy_ids(facet: str) -> list[str]:
    data = yaml.safe_load((ROOT / "references" / "taxonomy.yml").read_text(encoding="utf-8"))
    return [item["id"] for item in data[facet]]


class Headings(HTMLParser):
    """Collects the text of every h1 on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def h1_of(page: Path) -> str:
    parser = Headings()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.h1, f"no h1 on {page}"
    return parser.h1[0].replace("¶", "").strip()


def test_one_page_per_entry_headed_by_its_title(built_site: Path):
    entries = seed_entries()
    # Every entry in the library, whatever it holds: an organisation's copy adds its own papers.
    assert len(entries) >= 20
    for entry in entries:
        page = built_site / "papers" / slug_for_key(entry.key) / "index.html"
        assert page.is_file(), f"no page for {entry.key}"
        assert h1_of(page) == entry.title


def test_latex_becomes_unicode_on_the_page(built_site: Path):
    page = (built_site / "papers" / "conchar2014walking" / "index.html").read_text(encoding="utf-8")
    assert "\u201cWalking wounded or wounded healer?\u201d" in html.unescape(page)
    assert "35\u201344" in page
    assert "{Prosper}" not in (built_site / "papers" / "gillard2016evaluating" / "index.html").read_text()


def test_a_page_per_role_and_theme(built_site: Path):
    for facet in ("roles", "themes"):
        ids = taxonomy_ids(facet)
        assert ids
        for term_id in ids:
            assert (built_site / facet / term_id / "index.html").is_file(), f"{facet}/{term_id}"


def test_paper_pages_link_to_their_roles_and_themes(built_site: Path):
    page = (built_site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    for theme in ("empowerment", "stigma-reduction", "relational-safety", "walking-alongside"):
        assert f'href="../../themes/{theme}/"' in page
    assert 'href="https://doi.org/10.1111/jpm.70027"' in page


def test_search_index_has_every_title(built_site: Path):
    pages = indexed_pages(built_site)
    titles = {title for title, _ in pages.values()}
    for entry in seed_entries():
        assert entry.title in titles
    # A paper is findable by a later author's surname and its DOI too.
    assert "papers/wyder2020diary/" in found_by(built_site, "Roennfeldt")
    assert "papers/conchar2014walking/" in found_by(built_site, "10.1108/MHSI-02-2014-0003")


# `<link rel=...>` values that make a browser fetch the target (canonical or alternate do not).
FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                 "apple-touch-icon", "preconnect", "dns-prefetch"}


class Loads(HTMLParser):
    """Collects every URL an HTML page makes the browser fetch as it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and FETCHING_RELS & set((a.get("rel") or "").lower().split()):
            self.urls.append(a.get("href") or "")
        elif tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            self.urls.extend(a[name] for name in ("src", "srcset") if a.get(name))
        elif tag == "object" and a.get("data"):
            self.urls.append(a["data"])


def test_no_page_loads_anything_from_another_host(built_site: Path):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        parser = Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.urls, f"{page} loads nothing: the parser is not seeing the page"
        for url in parser.urls:
            assert not re.match(r"(?:[a-z]+:)?//", url, re.I), f"{page} loads {url}"
    for css in built_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\((?:\"|')?(?:https?:)?//", text), css


def test_bad_data_fails_the_build_naming_file_and_line(project: Path, tmp_path: Path):
    summary = project / "references" / "summaries" / "haines2025core.md"
    text = summary.read_text(encoding="utf-8")
    summary.write_text(text.replace("themes:", "themes: [not-a-theme]\nthemes_old:", 1), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "references/summaries/haines2025core.md:" in result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


def test_edit_buttons_open_the_file_each_page_is_made_from(built_site: Path):
    edit = re.compile(r'href="([^"]+)" title="Edit this page"')
    base = "https://github.com/peer-work-kb/peer-work-kb/edit/main/"
    expected = {
        "papers/haines2025core/index.html": "references/summaries/haines2025core.md",
        "themes/empowerment/index.html": "references/taxonomy.yml",
        "contributing/index.html": "CONTRIBUTING.md",
        "index.html": "docs/index.md",
    }
    for page, source in expected.items():
        links = edit.findall((built_site / page).read_text(encoding="utf-8"))
        assert links == [base + source], page
