"""The sidebar: on every page, thousands of paper pages included, so it lists the sections and the
featured roles; every other role and theme is one click away on its Roles or Themes page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import ROOT
from pathspec.gitignore import GitIgnoreSpec
from peerkb.check import load_and_check
from peerkb.mkdocs_hook import _expand_nav, _not_in_nav
from peerkb.model import Library
from peerkb.render import GeneratedSite, render_site

FACETS = ("roles", "themes")


@pytest.fixture(scope="module")
def library() -> Library:
    library, _problems = load_and_check(ROOT)
    return library


def featured(library: Library, facet: str) -> list[str]:
    return [t.id for t in library.taxonomy.facet(facet) if t.featured]


def test_the_nav_holds_the_featured_terms_and_every_other_term_is_unlisted(library: Library):
    site = render_site(library)
    assert featured(library, "roles"), "the seed taxonomy features its lead roles"
    expected = {
        facet: tuple((t.title, f"{facet}/{t.id}.md") for t in library.taxonomy.facet(facet) if t.featured)
        for facet in FACETS
    }
    assert site.nav == {facet: entries for facet, entries in expected.items() if entries}
    unlisted = {
        f"{facet}/{t.id}.md" for facet in FACETS for t in library.taxonomy.facet(facet) if not t.featured
    }
    assert set(site.unlisted) == unlisted
    assert len(site.unlisted) == len(unlisted)
    term_pages = {p for p in site.pages if p.split("/")[0] in FACETS and not p.endswith("/index.md")}
    assert {path for entries in site.nav.values() for _, path in entries} | unlisted == term_pages


def test_the_hook_makes_a_facet_with_featured_terms_a_section_and_leaves_the_others_links():
    site = GeneratedSite(
        nav={"roles": (("Peer navigator", "roles/peer-navigator.md"),)},
        unlisted=("roles/recovery-coach.md", "themes/recovery.md"),
    )
    nav = [{"Home": "index.md"}, {"Roles": "roles/index.md"}, {"Themes": "themes/index.md"},
           {"About": [{"Privacy": "privacy.md"}]}]  # fmt: skip
    assert _expand_nav(nav, site) == [
        {"Home": "index.md"},
        {"Roles": ["roles/index.md", {"Peer navigator": "roles/peer-navigator.md"}]},
        {"Themes": "themes/index.md"},
        {"About": [{"Privacy": "privacy.md"}]},
    ]
    spec = _not_in_nav(GitIgnoreSpec.from_lines(["/papers/*.md"]), site)
    assert spec is not None
    paths = ["papers/a.md", "roles/recovery-coach.md", "themes/recovery.md", "roles/peer-navigator.md",
             "roles/index.md", "guides/roles/recovery-coach.md"]  # fmt: skip
    assert [p for p in paths if spec.match_file(p)] == paths[:3]
    assert _not_in_nav(None, site) is not None
    assert _not_in_nav(None, GeneratedSite()) is None


class SidebarLinks(HTMLParser):
    """The href of every link in Material's primary navigation (the left sidebar)."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self._depth = 0  # <nav> elements open inside the primary one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and (self._depth or "md-nav--primary" in (a.get("class") or "")):
            self._depth += 1
        elif tag == "a" and self._depth and "md-nav__link" in (a.get("class") or ""):
            self.hrefs.append(a.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._depth:
            self._depth -= 1


def sidebar(site: Path, page: str) -> list[str]:
    """The sidebar's links on one built page, as site-relative URLs ("" for the home page)."""
    parser = SidebarLinks()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    base = "http://site/" + page
    links = (urljoin(base, href) for href in parser.hrefs if not href.startswith("#"))
    return [link.removeprefix("http://site/") for link in links]


def test_every_page_has_the_same_short_sidebar(built_site: Path, library: Library):
    home = sidebar(built_site, "")
    assert [link for link in home if link.startswith("roles/")] == [
        "roles/",
        *(f"roles/{term_id}/" for term_id in featured(library, "roles")),
    ]
    assert [link for link in home if link.startswith("themes/")] == [
        "themes/",
        *(f"themes/{term_id}/" for term_id in featured(library, "themes")),
    ]
    assert "papers/" in home and "evidence-map/" in home and "glossary/" in home
    assert not [link for link in home if re.fullmatch(r"papers/.+/", link)], "no paper page in the sidebar"
    unlisted_role = next(t.id for t in library.taxonomy.roles if not t.featured)
    for page in ("papers/haines2025core/", f"roles/{unlisted_role}/", "themes/recovery/"):
        assert sidebar(built_site, page) == home, page


@pytest.mark.parametrize("facet", FACETS)
def test_every_role_and_theme_is_linked_from_its_index_page(built_site: Path, library: Library, facet: str):
    index = (built_site / facet / "index.html").read_text(encoding="utf-8")
    for term in library.taxonomy.facet(facet):
        assert f'<a href="{term.id}/">{term.title}</a>' in index, f"{facet}/index does not link {term.id}"
