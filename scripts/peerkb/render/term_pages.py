"""Pages for roles and themes: one per term, and an index page per facet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from peerkb.markup import front_matter, md_link, md_text, meta_title
from peerkb.model import Paper, Taxonomy, Term
from peerkb.render.common import newest_first, paper_line

FACET_TITLES = {"roles": "Roles", "themes": "Themes"}
FACET_INTROS = {
    "roles": (
        "Peer workers are employed because of their own lived experience of mental distress "
        "and recovery. The roles below are the ones the literature in this knowledge base names. "
        "Each page says what the role does, where nurses meet it, and lists the papers about it."
    ),
    "themes": (
        "Themes are the ideas that run through the literature on peer work. Each page explains "
        "the theme in a minute's reading and lists the papers that discuss it, newest first."
    ),
}


def papers_by_term(papers: Sequence[Paper], facet: str) -> dict[str, list[Paper]]:
    """Term id to the papers that name it, newest first."""
    found: dict[str, list[Paper]] = {}
    for paper in papers:
        for term_id in getattr(paper.summary, facet):
            found.setdefault(term_id, []).append(paper)
    return {term_id: newest_first(group) for term_id, group in found.items()}


def ordered_terms(taxonomy: Taxonomy, facet: str) -> list[Term]:
    """Featured terms first (they lead the navigation), then the rest, each group in file order."""
    terms = taxonomy.facet(facet)
    return [t for t in terms if t.featured] + [t for t in terms if not t.featured]


def render_term(term: Term, taxonomy: Taxonomy, papers: Sequence[Paper]) -> str:
    """The page of one role or theme: description, details, then its papers."""
    parts = [front_matter({"title": meta_title(term.title)}), f"# {md_text(term.title)}\n"]
    if term.also_called:
        parts.append(f"*Also called:* {md_text(', '.join(term.also_called))}\n")
    parts.append(f"{md_text(term.description)}\n")
    if term.parent:
        parent = taxonomy.term(term.facet, term.parent)
        if parent is not None:
            parts.append(f"This is a kind of {md_link(parent.title, f'{parent.id}.md')}.\n")
    children = [t for t in taxonomy.facet(term.facet) if t.parent == term.id]
    if children:
        links = ", ".join(md_link(c.title, f"{c.id}.md") for c in children)
        parts.append(f"More specific: {links}.\n")
    for heading, text in term.details:
        # Details are Markdown from taxonomy.yml, checked like summary text before rendering.
        parts.append(f"## {md_text(heading)}\n\n{text}\n")
    noun = "role" if term.facet == "roles" else "theme"
    parts.append(f"## Papers about this {noun} ({len(papers)})\n")
    if papers:
        parts.append("\n".join(paper_line(p, "../") for p in papers) + "\n")
    else:
        parts.append("No paper in the knowledge base discusses this yet.\n")
    return "\n".join(parts)


def render_facet_index(facet: str, taxonomy: Taxonomy, counts: Mapping[str, int]) -> str:
    """The Roles or Themes landing page: every term, its description and how many papers."""
    title = FACET_TITLES[facet]
    parts = [front_matter({"title": title}), f"# {title}\n", FACET_INTROS[facet] + "\n"]
    for term in ordered_terms(taxonomy, facet):
        count = counts.get(term.id, 0)
        papers = "1 paper" if count == 1 else f"{count} papers"
        parts.append(f"## {md_link(term.title, f'{term.id}.md')}\n\n{md_text(term.description)} ({papers})\n")
    return "\n".join(parts)
