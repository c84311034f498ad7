"""Small pieces every page type shares: names, dates, ordering, links between pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peerkb.markup import md_link, md_text
from peerkb.model import Paper, Person, Taxonomy


def join_names(people: Sequence[Person]) -> str:
    """Names as a reader lists them: "A", "A and B", "A, B and C"."""
    names = [p.display for p in people]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_authors(people: Sequence[Person]) -> str:
    """Family names for a list line: "Haines", "Gevaux and Petty", "Wyder et al."."""
    families = [p.family for p in people]
    if len(families) <= 2:
        return " and ".join(families)
    return f"{families[0]} et al."


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Papers by year (newest first), then date added (newest first), then key: a stable order."""
    return sorted(papers, key=lambda p: (-(p.entry.year or 0), _negated(p.summary.date_added), p.key))


def _negated(iso_date: str) -> tuple[int, ...]:
    digits = [int(part) for part in iso_date.split("-") if part.isdigit()]
    return tuple(-d for d in digits)


def term_links(taxonomy: Taxonomy, facet: str, ids: Sequence[str], prefix: str) -> str:
    """Links to term pages, e.g. "[Empowerment](../themes/empowerment.md), ..."."""
    links = []
    for term_id in ids:
        term = taxonomy.term(facet, term_id)
        if term is not None:
            links.append(md_link(term.title, f"{prefix}{facet}/{term.id}.md"))
    return ", ".join(links)


def term_names(taxonomy: Taxonomy, facet: str, ids: Sequence[str]) -> str:
    """Term titles as escaped text, e.g. "Empowerment, Recovery"."""
    titles = [t.title for t in (taxonomy.term(facet, i) for i in ids) if t is not None]
    return md_text(", ".join(titles))


def paper_line(paper: Paper, prefix: str) -> str:
    """One list item for a paper: linked title, authors and year, one-line takeaway."""
    entry = paper.entry
    year = entry.year or "n.d."
    authors = short_authors(entry.authors or entry.editors)
    line = f"- **{md_link(entry.title, f'{prefix}papers/{paper.slug}.md')}**  \n"
    line += f"  {md_text(authors)} ({year})."
    if paper.summary.takeaway:
        line += f" {md_text(paper.summary.takeaway)}"
    return line
