"""The page for one paper: its record, how to cite it, the curated summary and related papers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peerkb.identifiers import doi_url, is_web_url, normalise_doi
from peerkb.markup import front_matter, html_attr, md_link, md_text, meta_title
from peerkb.model import SECTIONS, Entry, Paper, Taxonomy
from peerkb.render.common import join_names, short_authors, term_links, term_names
from peerkb.render.downloads import paper_downloads
from peerkb.render.head_meta import head_markup
from peerkb.render.related import shared_with

# How a field's value is labelled when no source confirmed it.
UNVERIFIED = " *(not verified)*"


@dataclass(frozen=True)
class CitationText:
    """One formatted citation in one style, for the page."""

    style: str
    """The style's id, as in peerkb.citations.STYLES (e.g. apa)."""
    label: str
    """The style's name as readers know it (e.g. APA 7th)."""
    html: str
    """Safe markup from peerkb.citations; its text is the plain text the copy button copies."""


def render_paper(
    paper: Paper,
    taxonomy: Taxonomy,
    citations: tuple[CitationText, ...],
    improve_url: str,
    related: Sequence[Paper] = (),
) -> str:
    """The Markdown page for one paper. Every data value passes through an escaping helper."""
    entry, summary = paper.entry, paper.summary
    meta = {"title": meta_title(entry.title or entry.key)}
    if summary.takeaway:
        # Material prints meta.description raw inside content="...": escape for that attribute.
        meta["description"] = html_attr(summary.takeaway)
    # Printed raw into <head> by theme/main.html: head_markup escapes every value itself.
    meta["peerkb_head"] = head_markup(paper, taxonomy)
    parts = [front_matter(meta), f"# {md_text(entry.title or entry.key)}\n"]
    if summary.takeaway:
        parts.append(f'<p class="peerkb-takeaway" markdown>{md_text(summary.takeaway)}</p>\n')
    parts.append(_record(entry, summary.unverified, taxonomy, paper))
    if summary.metadata_status == "incomplete" or summary.unverified:
        parts.append(_incomplete_notice(summary.metadata_note, improve_url))
    parts.append(_citations(citations, paper.slug))
    for section_id, heading in SECTIONS:
        section = summary.sections.get(section_id)
        body = section.body if section else ""
        parts.append(f"## {heading}\n\n{body}\n")
    parts.append(_related(paper, related, taxonomy))
    parts.append(_about_summary(paper, improve_url))
    return "\n".join(part for part in parts if part)


def _record(entry: Entry, unverified: tuple[str, ...], taxonomy: Taxonomy, paper: Paper) -> str:
    """The bibliographic record as a definition list: a label column and a value column."""

    def mark(*fields: str) -> str:
        return UNVERIFIED if any(f in unverified for f in fields) else ""

    rows: list[tuple[str, str]] = []
    people = entry.authors or entry.editors
    if people:
        label = "Authors" if entry.authors else "Editors"
        rows.append((label, f"{md_text(join_names(people))}{mark('author', 'editor')}"))
    rows.append(("Year", f"{md_text(entry.get('year') or 'no date')}{mark('year')}"))
    published = _published_in(entry)
    if published:
        rows.append(
            ("Published in", f"{published}{mark('journal', 'publisher', 'institution', 'howpublished')}")
        )
    numbers = _volume_issue_pages(entry)
    if numbers:
        rows.append(("Volume, issue, pages", f"{numbers}{mark('volume', 'number', 'pages')}"))
    doi = normalise_doi(entry.get("doi"))
    if doi:
        # The label is the DOI as readers know it; the target is percent-encoded (parentheses too).
        rows.append(("DOI", f"{md_link(f'https://doi.org/{doi}', doi_url(doi))}{mark('doi')}"))
    url_text = entry.get("url").strip()
    if url_text and is_web_url(url_text):
        # An autolink: is_web_url refused spaces, quotes and angle brackets, so it cannot break out.
        rows.append(("Web address", f"<{url_text}>{mark('url')}"))
    evidence = term_names(taxonomy, "evidence_types", (paper.summary.evidence_type,))
    if evidence:
        rows.append(("Evidence type", evidence))
    if paper.summary.roles:
        rows.append(("Roles", term_links(taxonomy, "roles", paper.summary.roles, "../")))
    rows.append(("Themes", term_links(taxonomy, "themes", paper.summary.themes, "../")))
    if paper.summary.settings:
        rows.append(("Setting", term_names(taxonomy, "settings", paper.summary.settings)))
    if paper.summary.country:
        rows.append(("Country", md_text(paper.summary.country)))
    # Labels are ours; every value above went through md_text, md_link or a checked URL.
    items = "\n\n".join(f"{label}\n: {value}" for label, value in rows if value)
    return f'<div class="peerkb-record" markdown>\n\n{items}\n\n</div>\n'


def _published_in(entry: Entry) -> str:
    container = entry.container
    if not container:
        return ""
    if entry.type == "article" or entry.get("journal"):
        return f"*{md_text(container)}*"
    place = entry.get("address")
    return md_text(f"{container}, {place}" if place else container)


def _volume_issue_pages(entry: Entry) -> str:
    volume, number, pages = entry.get("volume"), entry.get("number"), entry.get("pages")
    text = volume
    if number:
        text += f"({number})"
    if pages:
        text = f"{text}, {pages}" if text else f"pages {pages}"
    return md_text(text)


def _incomplete_notice(note: str, improve_url: str) -> str:
    body = md_text(note) if note else "Some details of this record are missing or not yet verified."
    help_link = md_link("how to complete a record", "../contributing.md")
    lines = [
        '!!! warning "Details incomplete: help complete this record"',
        "",
        f"    {body}",
        "",
        f"    Details marked *(not verified)* were not confirmed by any source we found. "
        f"If you can confirm or correct them, see {help_link}"
        + (f" or {md_link('improve this record', improve_url)}." if improve_url else "."),
        "",
    ]
    return "\n".join(lines)


def _citations(citations: tuple[CitationText, ...], slug: str) -> str:
    """All styles shown one after another; citations.js turns them into tabs with copy buttons."""
    if not citations:
        return ""
    panels = []
    for citation in citations:
        # Raw HTML: citation.html is escaped markup from peerkb.citations; the rest goes through
        # html_attr. The copy button stays hidden until the script can make it work; it copies
        # the text of the citation above it, which is the citation's plain text (a test holds the
        # two together), so the page does not carry that text twice.
        style = html_attr(citation.style)
        panels.append(
            f'<div class="peerkb-cite__panel" id="cite-{style}" data-style="{style}" '
            f'data-label="{html_attr(citation.label)}">\n'
            f'<p class="peerkb-cite__label">{html_attr(citation.label)}</p>\n'
            f'<p class="peerkb-cite__text">{citation.html}</p>\n'
            '<button type="button" class="peerkb-cite__copy md-button" hidden>Copy citation</button>\n'
            "</div>"
        )
    return (
        "## Cite this paper\n\n"
        '<section class="peerkb-cite" data-peerkb-cite markdown>\n'
        + "\n".join(panels)
        + '\n<p class="peerkb-cite__status" role="status" aria-live="polite"></p>\n\n'
        f"Download the reference for your reference manager: {paper_downloads(slug)}.\n\n"
        "</section>\n"
    )


def _related(paper: Paper, related: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """Up to five related papers, each with what it shares with this one."""
    if not related:
        return ""
    lines = ["## Related papers\n", '<div class="peerkb-related" markdown>\n']
    for other in related:
        authors, themes, roles = shared_with(paper, other)
        shared = []
        if authors:
            shared.append(
                ("same author " if len(authors) == 1 else "same authors ") + md_text(" and ".join(authors))
            )
        if themes:
            shared.append(
                ("theme " if len(themes) == 1 else "themes ") + term_names(taxonomy, "themes", themes)
            )
        if roles:
            shared.append(("role " if len(roles) == 1 else "roles ") + term_names(taxonomy, "roles", roles))
        entry = other.entry
        byline = md_text(f"{short_authors(entry.authors or entry.editors)} ({entry.year or 'n.d.'})")
        lines.append(
            f"- {md_link(entry.title or entry.key, f'{other.slug}.md')}  \n"
            f"  {byline}. Shares: {'; '.join(shared)}."
        )
    return "\n".join(lines) + "\n\n</div>\n"


def _about_summary(paper: Paper, improve_url: str) -> str:
    summary = paper.summary
    lines = ["## About this summary\n"]
    if summary.based_on:
        lines.append(f"- **Based on:** {md_text(summary.based_on)}")
    if summary.date_added:
        lines.append(f"- **Added:** {md_text(summary.date_added)}")
    lines.append(f"- **Last reviewed:** {md_text(summary.date_reviewed or 'not yet reviewed')}")
    lines.append(f"- **Citation key:** `{paper.key}`" if _plain_key(paper.key) else "")
    if improve_url:
        lines.append(f"- {md_link('Improve this summary', improve_url)}")
    lines.append(
        "\nThis summary gives context for practice. It is not clinical advice; "
        "read the original work before relying on it."
    )
    return "\n".join(line for line in lines if line) + "\n"


def _plain_key(key: str) -> bool:
    # Keys are checked to be ASCII letters, digits and -_:. before we render; `` ` `` cannot appear.
    return all(c.isalnum() or c in "-_:." for c in key)


def improve_link(repo_edit_base: str, summary_path: str) -> str:
    """The URL of the summary file in the repository's editor, or empty when no repository is set."""
    return f"{repo_edit_base.rstrip('/')}/{summary_path}" if repo_edit_base else ""
