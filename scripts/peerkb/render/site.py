"""The whole generated site: every page and download, rendered from a checked library."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field

from peerkb.citations import STYLES, format_styles
from peerkb.model import Library, Paper
from peerkb.render.downloads import library_downloads, render_downloads, term_downloads
from peerkb.render.evidence_map import render_evidence_map
from peerkb.render.feed import FEED_PATH, RECENT_MARKER, render_feed, render_recently_added
from peerkb.render.list_pages import render_all_papers, render_maintainers
from peerkb.render.paper_page import CitationText, improve_link, render_paper
from peerkb.render.related import related_papers
from peerkb.render.term_pages import ordered_terms, papers_by_term, render_facet_index, render_term
from peerkb.slug import slug_for_key


@dataclass(frozen=True)
class SiteSettings:
    """What an organisation's configuration changes in the generated pages."""

    repo_edit_base: str = ""
    """URL that, followed by a repository path, opens that file for editing; empty for none."""
    site_url: str = ""
    """Where the site is published (absolute links in the feed); empty when unknown."""
    site_name: str = ""
    """The site's name, as the feed's title."""


@dataclass(frozen=True)
class GeneratedSite:
    """Generated pages, ready to hand to MkDocs or to write to a folder."""

    pages: Mapping[str, str] = field(default_factory=dict)
    """Docs-relative path (e.g. papers/haines2025core.md) to Markdown text."""
    nav: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Facet (roles, themes) to the (title, path) of its featured terms, which the sidebar lists
    under the facet's index page; a facet with none is absent and its index stays a plain link."""
    unlisted: tuple[str, ...] = ()
    """Term pages the sidebar leaves out: each is listed on its facet's index page instead."""
    files: Mapping[str, str] = field(default_factory=dict)
    """Docs-relative path of a generated non-page file (e.g. feed.xml) to its text."""
    fragments: Mapping[str, str] = field(default_factory=dict)
    """Marker comment in a hand-written root page to the Markdown that replaces it."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Generated page path to the repository file a maintainer edits to change it."""

    def fill_fragments(self, markdown: str, docs_path: str) -> str:
        """A hand-written page with its markers (such as Recently added) replaced by their lists."""
        if "/" in docs_path:
            # Fragments link relative to the docs root; deeper pages keep the (invisible) marker.
            return markdown
        for marker, fragment in self.fragments.items():
            markdown = markdown.replace(marker, fragment)
        return markdown


def join_papers(library: Library) -> tuple[Paper, ...]:
    """Entries with their summaries. The checks guarantee every entry has exactly one."""
    summaries = {s.key: s for s in library.summaries}
    return tuple(
        Paper(entry=e, summary=summaries[e.key], slug=slug_for_key(e.key))
        for e in sorted(library.entries, key=lambda e: e.key)
        if e.key in summaries
    )


def render_site(
    library: Library,
    settings: SiteSettings | None = None,
    citation_store: MutableMapping[str, str] | None = None,
) -> GeneratedSite:
    """Render every generated page of the site from a library that passed the checks.

    citation_store keeps formatted citations across builds (see citation_cache.py).
    """
    settings = settings or SiteSettings()
    papers = join_papers(library)
    taxonomy = library.taxonomy
    # Formatting citations is the slow part of rendering: do each style once, for all entries.
    entries = [p.entry for p in papers]
    by_style = format_styles(entries, tuple(STYLES), citation_store)

    related = related_papers(papers)

    pages: dict[str, str] = {}
    sources: dict[str, str] = {}
    for paper in papers:
        citations = tuple(
            CitationText(style, label, by_style[style][paper.key].html)
            for style, label in STYLES.items()
            if paper.key in by_style[style]
        )
        improve = improve_link(settings.repo_edit_base, paper.summary.path)
        page = render_paper(paper, taxonomy, citations, improve, related[paper.key])
        pages[f"papers/{paper.slug}.md"] = page
        sources[f"papers/{paper.slug}.md"] = paper.summary.path
    pages["papers/index.md"] = render_all_papers(papers, taxonomy) + "\n" + library_downloads("../")
    pages["maintainers.md"] = render_maintainers(papers)
    pages["evidence-map.md"] = render_evidence_map(papers, taxonomy)
    files = {FEED_PATH: render_feed(papers, taxonomy, settings.site_url, settings.site_name)}
    files.update(render_downloads(papers))
    fragments = {RECENT_MARKER: render_recently_added(papers)}

    nav: dict[str, tuple[tuple[str, str], ...]] = {}
    unlisted: list[str] = []
    for facet in ("roles", "themes"):
        grouped = papers_by_term(papers, facet)
        terms = ordered_terms(taxonomy, facet)
        for term in terms:
            group = grouped.get(term.id, [])
            downloads = term_downloads(facet, term.id, len(group))
            pages[f"{facet}/{term.id}.md"] = render_term(term, taxonomy, group) + downloads
            sources[f"{facet}/{term.id}.md"] = taxonomy.path
        counts = {term_id: len(group) for term_id, group in grouped.items()}
        pages[f"{facet}/index.md"] = render_facet_index(facet, taxonomy, counts)
        # Every page carries the sidebar, so each entry in it costs its bytes once per paper.
        # The index page lists every term with what it means; only featured ones are listed here.
        featured = tuple((t.title, f"{facet}/{t.id}.md") for t in terms if t.featured)
        if featured:
            nav[facet] = featured
        unlisted += (f"{facet}/{t.id}.md" for t in terms if not t.featured)
    return GeneratedSite(
        pages=dict(sorted(pages.items())),
        nav=nav,
        unlisted=tuple(unlisted),
        files=files,
        fragments=fragments,
        sources=sources,
    )
