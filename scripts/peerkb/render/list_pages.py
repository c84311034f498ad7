"""Pages that list papers across the whole library: All papers, and the maintainers' list."""

from __future__ import annotations

from collections.abc import Sequence

from peerkb.markup import front_matter, md_link, md_text
from peerkb.model import Paper, Taxonomy
from peerkb.render.common import newest_first, short_authors, term_names


def _cell(text: str) -> str:
    return text or "–"


def render_all_papers(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """Every paper in one table: year, title and authors, roles, themes."""
    rows = [
        "| Year | Paper | Roles | Themes |",
        "| ---- | ----- | ----- | ------ |",
    ]
    for paper in newest_first(papers):
        entry, summary = paper.entry, paper.summary
        authors = short_authors(entry.authors or entry.editors)
        title = md_link(entry.title or entry.key, f"{paper.slug}.md")
        rows.append(
            f"| {entry.year or 'n.d.'} | {title}<br>{md_text(authors)} "
            f"| {_cell(term_names(taxonomy, 'roles', summary.roles))} "
            f"| {_cell(term_names(taxonomy, 'themes', summary.themes))} |"
        )
    count = "1 paper" if len(papers) == 1 else f"{len(papers)} papers"
    intro = f"The knowledge base holds {count}, newest first."
    return "\n".join([front_matter({"title": "All papers"}), "# All papers\n", intro + "\n", *rows]) + "\n"


def render_maintainers(papers: Sequence[Paper]) -> str:
    """For maintainers: records with missing or unverified details, and summaries never reviewed."""
    incomplete = [p for p in papers if p.summary.metadata_status == "incomplete" or p.summary.unverified]
    unreviewed = [p for p in papers if not p.summary.date_reviewed]
    parts = [
        front_matter({"title": "Records to complete"}),
        "# Records to complete\n",
        "These records need a maintainer's attention. To fix one, follow the "
        f"{md_link('contributing guide', 'contributing.md')} and open a pull request.\n",
        f"## Incomplete records ({len(incomplete)})\n",
    ]
    for paper in sorted(incomplete, key=lambda p: p.key):
        fields = ", ".join(paper.summary.unverified) or "none listed"
        note = md_text(paper.summary.metadata_note) or "No note given."
        parts.append(
            f"- {md_link(paper.entry.title or paper.key, f'papers/{paper.slug}.md')} "
            f"({md_text(paper.key)}): {note} Unverified fields: {md_text(fields)}."
        )
    parts.append(f"\n## Summaries not yet reviewed against the source ({len(unreviewed)})\n")
    for paper in sorted(unreviewed, key=lambda p: p.key):
        parts.append(f"- {md_link(paper.entry.title or paper.key, f'papers/{paper.slug}.md')} ({md_text(paper.key)})")
    return "\n".join(parts) + "\n"
