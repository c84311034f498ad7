"""The page for one paper: its record, how to cite it, and the curated summary."""

from __future__ import annotations

from dataclasses import dataclass

from peerkb.identifiers import doi_url, is_web_url, normalise_doi
from peerkb.markup import front_matter, html_attr, md_link, md_text, meta_title
from peerkb.model import SECTIONS, Entry, Paper, Taxonomy
from peerkb.render.common import join_names, term_links, term_names

# How a field's value is labelled when no source confirmed it.
UNVERIFIED = " *(not verified)*"


@dataclass(frozen=True)
class CitationText:
    """One formatted citation: safe HTML for the page and plain text for copying."""

    style: str
    label: str
    html: str
    text: str


def render_paper(
    paper: Paper,
    taxonomy: Taxonomy,
    citations: tuple[CitationText, ...],
    improve_url: str,
) -> str:
    """The Markdown page for one paper. Every data value passes through an escaping helper."""
    entry, summary = paper.entry, paper.summary
    meta = {"title": meta_title(entry.title or entry.key)}
    if summary.takeaway:
        # Material prints meta.description raw inside content="...": escape for that attribute.
        meta["description"] = html_attr(summary.takeaway)
    parts = [front_matter(meta), f"# {md_text(entry.title or entry.key)}\n"]
    if summary.takeaway:
        parts.append(f"{md_text(summary.takeaway)}\n")
    parts.append(_record(entry, summary.unverified, taxonomy, paper))
    if summary.metadata_status == "incomplete" or summary.unverified:
        parts.append(_incomplete_notice(summary.metadata_note, improve_url))
    parts.append(_citations(citations))
    for section_id, heading in SECTIONS:
        section = summary.sections.get(section_id)
        body = section.body if section else ""
        parts.append(f"## {heading}\n\n{body}\n")
    parts.append(_about_summary(paper, improve_url))
    return "\n".join(parts)


def _record(entry: Entry, unverified: tuple[str, ...], taxonomy: Taxonomy, paper: Paper) -> str:
    def mark(*fields: str) -> str:
        return UNVERIFIED if any(f in unverified for f in fields) else ""

    rows: list[str] = []
    people = entry.authors or entry.editors
    if people:
        label = "Authors" if entry.authors else "Editors"
        rows.append(f"**{label}:** {md_text(join_names(people))}{mark('author', 'editor')}")
    rows.append(f"**Year:** {md_text(entry.get('year') or 'no date')}{mark('year')}")
    published = _published_in(entry)
    if published:
        rows.append(f"**Published in:** {published}{mark('journal', 'publisher', 'institution', 'howpublished')}")
    numbers = _volume_issue_pages(entry)
    if numbers:
        rows.append(f"**Volume, issue, pages:** {numbers}{mark('volume', 'number', 'pages')}")
    doi = normalise_doi(entry.get("doi"))
    if doi:
        url = doi_url(doi)
        rows.append(f"**DOI:** {md_link(url, url)}{mark('doi')}")
    url_text = entry.get("url").strip()
    if url_text and is_web_url(url_text):
        # An autolink: is_web_url refused spaces, quotes and angle brackets, so it cannot break out.
        rows.append(f"**Web address:** <{url_text}>{mark('url')}")
    if paper.summary.roles:
        rows.append(f"**Roles:** {term_links(taxonomy, 'roles', paper.summary.roles, '../')}")
    rows.append(f"**Themes:** {term_links(taxonomy, 'themes', paper.summary.themes, '../')}")
    evidence = term_names(taxonomy, "evidence_types", (paper.summary.evidence_type,))
    if evidence:
        rows.append(f"**Evidence type:** {evidence}")
    if paper.summary.settings:
        rows.append(f"**Setting:** {term_names(taxonomy, 'settings', paper.summary.settings)}")
    if paper.summary.country:
        rows.append(f"**Country:** {md_text(paper.summary.country)}")
    return "\n".join(f"- {row}" for row in rows) + "\n"


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


def _citations(citations: tuple[CitationText, ...]) -> str:
    if not citations:
        return ""
    blocks = ["## Cite this paper\n"]
    for citation in citations:
        # A raw HTML block: Markdown leaves it alone, and the citation module escaped every value.
        blocks.append(
            f'<div class="peerkb-citation" data-style="{citation.style}">\n'
            f'<p class="peerkb-citation__label">{citation.label}</p>\n'
            f'<p class="peerkb-citation__text">{citation.html}</p>\n'
            "</div>\n"
        )
    return "\n".join(blocks)


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

