"""The evidence map: how many papers discuss each theme for each role, as an accessible table.

Rows are themes and columns roles, both straight from the taxonomy, so a term an organisation
adds gets its row or column without code. Each count links to the All papers page filtered to
exactly those papers (facets.js reads the query; without JavaScript the link opens the full list).
The table is raw HTML in the Markdown, so links are final relative URLs: evidence-map.md is
served at evidence-map/, the All papers page at papers/.
"""

from __future__ import annotations

from collections.abc import Sequence

from peerkb.markup import front_matter, html_attr, html_text
from peerkb.model import Paper, Taxonomy, Term
from peerkb.render.term_pages import ordered_terms

PAPERS_URL = "../papers/"
CAPTION_ID = "peerkb-map-caption"
# Shading steps for non-empty cells; CSS gives each a background that keeps the text AA-legible.
LEVELS = 4
# Totals are counted papers too, but unshaded: they would otherwise outshine every cell.
TOTAL = "peerkb-map__cell peerkb-map__total"


def _papers(n: int) -> str:
    return "1 paper" if n == 1 else f"{n} papers"


def _noun(n: int) -> str:
    return "paper" if n == 1 else "papers"


def _level(count: int, highest: int) -> int:
    """0 for an empty cell, else 1..LEVELS in proportion to the fullest cell (ceiling)."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, -(-count * LEVELS // highest))


def _filter_url(**params: str) -> str:
    query = "&amp;".join(f"{name}={html_attr(value)}" for name, value in params.items())
    return f"{PAPERS_URL}?{query}"


def _cell(count: int, level: int, url: str, described: str, kind: str = "peerkb-map__cell") -> str:
    """A count cell: a link with a spoken description, or a plain 0 that is no link."""
    if count == 0:
        return f'<td class="{kind} peerkb-map__cell--empty">0</td>'
    return (
        # Read aloud as "3 papers: Peer navigator and Empowerment": the visible count starts it.
        f'<td class="{kind} peerkb-map__cell--{level}"><a href="{url}">{count}'
        f'<span class="peerkb-sr"> {_noun(count)}: {html_text(described)}</span></a></td>'
    )


def _header(term: Term, facet: str, scope: str) -> str:
    return f'<th scope="{scope}"><a href="../{facet}/{html_attr(term.id)}/">{html_text(term.title)}</a></th>'


def render_table(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """The theme-by-role table in a labelled, focusable region that scrolls on narrow screens."""
    roles = ordered_terms(taxonomy, "roles")
    themes = list(taxonomy.themes)
    counts: dict[tuple[str, str], int] = {}
    for paper in papers:
        for theme_id in set(paper.summary.themes):
            for role_id in set(paper.summary.roles):
                counts[(theme_id, role_id)] = counts.get((theme_id, role_id), 0) + 1
    per_theme = {t.id: sum(1 for p in papers if t.id in p.summary.themes) for t in themes}
    per_role = {r.id: sum(1 for p in papers if r.id in p.summary.roles) for r in roles}
    highest = max(counts.values(), default=0)
    rows = [
        f'<div class="peerkb-map" role="region" aria-labelledby="{CAPTION_ID}" tabindex="0">',
        '<table class="peerkb-map__table">',
        f'<caption id="{CAPTION_ID}">Number of papers on each theme, by peer role</caption>',
        '<thead><tr><th scope="col">Theme</th>',
        *(_header(role, "roles", "col") for role in roles),
        '<th scope="col" class="peerkb-map__total">Any role</th></tr></thead>',
        "<tbody>",
    ]
    for theme in themes:
        cells = [
            _cell(
                counts.get((theme.id, role.id), 0),
                _level(counts.get((theme.id, role.id), 0), highest),
                _filter_url(role=role.id, theme=theme.id),
                f"{role.title} and {theme.title}",
            )
            for role in roles
        ]
        total = per_theme[theme.id]
        total_cell = _cell(total, 0, _filter_url(theme=theme.id), f"{theme.title}, any role", TOTAL)
        rows.append(f"<tr>{_header(theme, 'themes', 'row')}{''.join(cells)}{total_cell}</tr>")
    rows.append("</tbody>")
    foot_cells = "".join(
        _cell(per_role[r.id], 0, _filter_url(role=r.id), f"{r.title}, any theme", TOTAL) for r in roles
    )
    rows += [
        f'<tfoot><tr><th scope="row">Any theme</th>{foot_cells}'
        f'<td class="{TOTAL}"><a href="{PAPERS_URL}">{len(papers)}'
        f'<span class="peerkb-sr"> {_noun(len(papers))} in all</span></a></td></tr></tfoot>',
        "</table>",
        "</div>",
    ]
    return "\n".join(rows)


def render_legend(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """Each evidence type with its description and how many papers, linked to the filtered list."""
    counts: dict[str, int] = {}
    for paper in papers:
        counts[paper.summary.evidence_type] = counts.get(paper.summary.evidence_type, 0) + 1
    items = []
    for term in taxonomy.evidence_types:
        count = counts.get(term.id, 0)
        title = html_text(term.title)
        name = f'<a href="{_filter_url(evidence=term.id)}">{title}</a>' if count else title
        items.append(
            f'<li><span class="peerkb-legend__name">{name} ({_papers(count)})</span> '
            f"{html_text(term.description)}</li>"
        )
    return '<ul class="peerkb-legend">\n' + "\n".join(items) + "\n</ul>"


def render_evidence_map(papers: Sequence[Paper], taxonomy: Taxonomy) -> str:
    """The Evidence map page: how to read it, the table, and the legend of evidence types."""
    return "\n".join(
        [
            # The table needs the width the table-of-contents sidebar would take.
            front_matter({"title": "Evidence map"}).replace("\n---\n", '\nhide: ["toc"]\n---\n'),
            "# Evidence map\n",
            "Where the evidence on peer work is, and where it is thin. Each row is a theme and each "
            "column a peer role; a number says how many papers in the knowledge base discuss that "
            "theme for that role. Select a number to see those papers. A paper about several roles or "
            "themes is counted in each of their cells, so the cells add up to more than the papers.\n",
            "Darker cells hold more papers. A 0 is a gap: nothing here yet, not evidence that the "
            "role and theme do not meet. On a narrow screen, scroll the table sideways.\n",
            render_table(papers, taxonomy) + "\n",
            "## Kinds of evidence\n",
            "Most research on peer work is small and close to practice. Each paper is one of these "
            "kinds; select one to list its papers.\n",
            render_legend(papers, taxonomy) + "\n",
        ]
    )
