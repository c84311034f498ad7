"""Small, hand-made papers and taxonomies for the reader-page tests (list, evidence map, feed)."""

from __future__ import annotations

import markdown
from peerkb.model import Entry, Paper, Person, Summary, Taxonomy, Term
from peerkb.sanitize import sanitize_html
from peerkb.slug import slug_for_key

# The hostile text a stranger's pull request could put in a title or a taxonomy term.
HOSTILE = '<script>alert("x")</script> & <b onclick=1>"Q"</b> [a](javascript:x) *em* | {: .c}'


def term(facet: str, term_id: str, title: str = "") -> Term:
    """A taxonomy term with a readable title and description."""
    title = title or term_id.replace("-", " ").capitalize()
    return Term(id=term_id, facet=facet, title=title, description=f"About {title.lower()}.")


def taxonomy(
    roles: tuple[str, ...] = ("peer-navigator", "peer-educator"),
    themes: tuple[str, ...] = ("empowerment", "recovery", "stigma-reduction"),
    evidence: tuple[str, ...] = ("qualitative-study", "opinion"),
    settings: tuple[str, ...] = ("inpatient-ward",),
    titles: dict[str, str] | None = None,
) -> Taxonomy:
    """A small taxonomy; `titles` overrides a term's title by id."""
    titles = titles or {}
    return Taxonomy(
        path="references/taxonomy.yml",
        roles=tuple(term("roles", i, titles.get(i, "")) for i in roles),
        themes=tuple(term("themes", i, titles.get(i, "")) for i in themes),
        evidence_types=tuple(term("evidence_types", i, titles.get(i, "")) for i in evidence),
        settings=tuple(term("settings", i, titles.get(i, "")) for i in settings),
    )


def paper(
    key: str,
    *,
    title: str = "",
    year: str = "2020",
    families: tuple[str, ...] = ("Smith",),
    roles: tuple[str, ...] = ("peer-navigator",),
    themes: tuple[str, ...] = ("empowerment",),
    evidence: str = "qualitative-study",
    settings: tuple[str, ...] = (),
    added: str = "2026-01-01",
    takeaway: str = "A takeaway.",
    journal: str = "Journal of Peer Work",
) -> Paper:
    """A paper (entry and summary) with only what the reader pages use."""
    fields = {"title": title or f"Title of {key}", "journal": journal}
    if year:
        fields["year"] = year
    entry = Entry(
        key=key,
        type="article",
        fields=fields,
        raw_fields=fields,
        authors=tuple(Person(given="A.", family=f) for f in families),
        editors=(),
        path="references/library.bib",
        line=1,
        source=f"@article{{{key},}}",
    )
    summary = Summary(
        key=key,
        path=f"references/summaries/{key}.md",
        roles=roles,
        themes=themes,
        evidence_type=evidence,
        settings=settings,
        date_added=added,
        takeaway=takeaway,
    )
    return Paper(entry=entry, summary=summary, slug=slug_for_key(key))


def to_html(page: str) -> str:
    """A generated page as the site serves it: front matter off, Markdown, then the sanitiser."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    return sanitize_html(
        markdown.markdown(body, extensions=["abbr", "admonition", "tables", "def_list", "md_in_html", "toc"])
    )
