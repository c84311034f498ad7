"""Pages that list papers across the whole library: All papers (with its filters), maintainers' list.

The All papers list is raw HTML inside the generated Markdown, because each item carries its
role, theme, evidence-type, setting and year ids in data-* attributes for facets.js. Raw HTML is
not rewritten by MkDocs, so links are written as the final relative URLs (use_directory_urls:
papers/index.md is served at papers/, a paper at papers/<slug>/).
"""

from __future__ import annotations

from collections.abc import Sequence

from peerkb.markup import front_matter, html_attr, html_text, md_link, md_text
from peerkb.model import Paper, Taxonomy
from peerkb.render.common import newest_first, short_authors

# URL query parameter and data-* name of each taxonomy facet the list filters by, with the label.
FILTER_FACETS: tuple[tuple[str, str, str], ...] = (
    ("roles", "role", "Role"),
    ("themes", "theme", "Theme"),
    ("evidence_types", "evidence", "Evidence type"),
    ("settings", "setting", "Setting"),
)


def _paper_ids(paper: Paper, facet: str) -> tuple[str, ...]:
    summary = paper.summary
    if facet == "evidence_types":
        return (summary.evidence_type,) if summary.evidence_type else ()
    return tuple(getattr(summary, facet))


def _titles(taxonomy: Taxonomy, facet: str, ids: Sequence[str]) -> str:
    titles = [t.title for t in (taxonomy.term(facet, i) for i in ids) if t is not None]
    return html_text(", ".join(titles))


def _item(paper: Paper, taxonomy: Taxonomy) -> str:
    """One list item: data-* ids for the filters, linked title, authors and year, takeaway."""
    entry, summary = paper.entry, paper.summary
    data = "".join(
        f' data-{param}="{html_attr(" ".join(_paper_ids(paper, facet)))}"'
        for facet, param, _ in FILTER_FACETS
    )
    year = str(entry.year) if entry.year else ""
    byline = short_authors(entry.authors or entry.editors)
    byline = f"{byline} ({year or 'n.d.'})" if byline else (year or "n.d.")
    evidence = _titles(taxonomy, "evidence_types", _paper_ids(paper, "evidence_types"))
    meta = html_text(byline) + (f" · {evidence}" if evidence else "")
    title = html_text(entry.title or entry.key)
    lines = [
        f'<li{data} data-year="{year}">',
        f'<a class="peerkb-papers__title" href="{html_attr(paper.slug)}/">{title}</a>',
        f'<span class="peerkb-papers__meta">{meta}</span>',
    ]
    if summary.takeaway:
        lines.append(f'<span class="peerkb-papers__takeaway">{html_text(summary.takeaway)}</span>')
    terms = []
    for facet, label in (("roles", "Roles"), ("themes", "Themes")):
        names = _titles(taxonomy, facet, getattr(summary, facet))
        if names:
            terms.append(f"{label}: {names}.")
    if terms:
        lines.append(f'<span class="peerkb-papers__terms">{" ".join(terms)}</span>')
    lines.append("</li>")
    return "".join(lines)


def _filters(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """The filter panel, hidden until facets.js shows it: without JavaScript the full list stays."""
    parts = [
        '<section class="peerkb-filters" aria-label="Filter papers" hidden>',
        # Inside the panel, so readers without JavaScript are not told about filters they lack.
        '<p class="peerkb-filters__help">Narrow the list: a paper is shown when it matches every '
        "group you use, and any choice you tick within a group. The page address keeps your "
        "filters, so you can bookmark or share it.</p>",
        '<div class="peerkb-filters__groups">',
    ]
    for facet, param, label in FILTER_FACETS:
        counts: dict[str, int] = {}
        for paper in papers:
            for term_id in _paper_ids(paper, facet):
                counts[term_id] = counts.get(term_id, 0) + 1
        parts.append(
            f'<details class="peerkb-filter" data-filter="{param}">'
            f'<summary>{html_text(label)}<span class="peerkb-filter__chosen" data-chosen></span></summary>'
            f'<fieldset><legend class="peerkb-sr">{html_text(label)}</legend>'
        )
        for term in taxonomy.facet(facet):
            parts.append(
                f'<label><input type="checkbox" name="{param}" value="{html_attr(term.id)}"> '
                f"<span data-label>{html_text(term.title)}</span> "
                f'<span class="peerkb-filter__count" data-count>({counts.get(term.id, 0)})</span></label>'
            )
        parts.append("</fieldset></details>")
    years = sorted({p.entry.year for p in papers if p.entry.year})
    low, high = (years[0], years[-1]) if years else (1900, 2100)
    bounds = f'min="{low}" max="{high}" step="1" inputmode="numeric" autocomplete="off"'
    parts += [
        '<fieldset class="peerkb-filter peerkb-filter--years"><legend>Year published</legend>',
        f'<label>From <input type="number" name="from" placeholder="{low}" {bounds}></label>',
        f'<label>to <input type="number" name="to" placeholder="{high}" {bounds}></label>',
        "</fieldset>",
        "</div>",
        '<div class="peerkb-filters__status">',
        f'<p class="peerkb-filters__count" role="status" aria-live="polite" data-count-total>'
        f"{_count(len(papers))}</p>",
        '<ul class="peerkb-chips" aria-label="Active filters" data-chips></ul>',
        '<button type="button" class="peerkb-filters__clear" data-clear hidden>Clear all filters</button>',
        "</div>",
        "</section>",
    ]
    return "\n".join(parts)


def _count(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"


def render_all_papers(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """Every paper, newest first, with filters by role, theme, evidence type, setting and year."""
    intro = f"The knowledge base holds {_count(len(papers))}, newest first."
    items = "\n".join(_item(p, taxonomy) for p in newest_first(papers))
    listing = (
        '<ul class="peerkb-papers" id="peerkb-papers">\n' + items + "\n</ul>"
        if papers
        else ""
    )
    empty = (
        '<p class="peerkb-papers__none" data-none hidden>'
        "No paper matches these filters.</p>"
    )
    return "\n".join(
        [
            front_matter({"title": "All papers"}),
            "# All papers\n",
            intro + "\n",
            _filters(papers, taxonomy) + "\n",
            listing + "\n",
            empty + "\n",
        ]
    )


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
        parts.append(
            f"- {md_link(paper.entry.title or paper.key, f'papers/{paper.slug}.md')} ({md_text(paper.key)})"
        )
    return "\n".join(parts) + "\n"
