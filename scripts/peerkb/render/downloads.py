"""Download files: each paper as BibTeX and RIS, each role and theme as RIS, the library in three formats.

The files are data, not pages: the hook hands them to MkDocs as generated static files and the
`render` command writes them beside the pages. Every per-entry conversion happens once, however
many group files an entry lands in, so the cost stays linear in the size of the library.

A role's or theme's file holds every paper listed on its page, so together they hold each paper
several times over: about as many bytes per paper as its page's sidebar. They come as RIS alone,
which every reference manager imports (EndNote, Zotero, Mendeley, RefWorks); readers who want
BibTeX or CSL-JSON get the whole library, or one paper, in those formats.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peerkb.csl import entry_to_csl
from peerkb.exports import to_bibtex, to_ris
from peerkb.markup import md_link
from peerkb.model import Paper

# File extension -> the format's name as readers know it.
FORMATS: Mapping[str, str] = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}
PAPER_FORMATS: tuple[str, ...] = ("bib", "ris")
TERM_FORMATS: tuple[str, ...] = ("ris",)
LIBRARY_FORMATS: tuple[str, ...] = ("bib", "ris", "json")
LIBRARY = "downloads/library"


@dataclass(frozen=True)
class _Converted:
    """One entry in every download format: BibTeX, RIS, and its CSL-JSON item as array member."""

    bib: str
    ris: str
    csl: str


def paper_file(slug: str, extension: str) -> str:
    """Docs-relative path of one paper's download, e.g. papers/haines2025core.bib."""
    return f"papers/{slug}.{extension}"


def term_file(facet: str, term_id: str, extension: str) -> str:
    """Docs-relative path of a role's or theme's download, e.g. downloads/themes/recovery.ris."""
    return f"{_term_stem(facet, term_id)}.{extension}"


def _term_stem(facet: str, term_id: str) -> str:
    return f"downloads/{facet}/{term_id}"


def render_downloads(papers: Sequence[Paper]) -> dict[str, str]:
    """Every download file of the site: docs-relative path to its text."""
    converted = {p.key: _convert(p) for p in papers}
    files: dict[str, str] = {}
    for paper in papers:
        one = converted[paper.key]
        files[paper_file(paper.slug, "bib")] = to_bibtex([paper.entry])
        files[paper_file(paper.slug, "ris")] = one.ris
    files.update(_group(LIBRARY, [converted[p.key] for p in papers], LIBRARY_FORMATS))
    for facet in ("roles", "themes"):
        members: dict[str, list[_Converted]] = {}
        for paper in papers:
            for term_id in getattr(paper.summary, facet):
                members.setdefault(term_id, []).append(converted[paper.key])
        for term_id, group in sorted(members.items()):
            files.update(_group(_term_stem(facet, term_id), group, TERM_FORMATS))
    return files


def _convert(paper: Paper) -> _Converted:
    # to_bibtex and to_ris of a single entry: group files are these texts joined as they join them.
    return _Converted(
        bib=paper.entry.source, ris=to_ris([paper.entry]), csl=_csl_member(entry_to_csl(paper.entry))
    )


def _csl_member(item: dict[str, Any]) -> str:
    """The item as exports.to_csl_json writes it inside its array (one more space of indent).

    json.dumps with indent runs in pure Python; encoding each item once rather than once per
    group file it appears in makes the downloads about six times faster.
    """
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, indent=1)
    # JSON escapes newlines inside strings, so every "\n" here is between tokens.
    return "\n".join(" " + line for line in text.split("\n"))


def _group(stem: str, group: Sequence[_Converted], extensions: Sequence[str]) -> dict[str, str]:
    """The files of one group, each exactly what exports.to_* would write for its entries."""
    files = {}
    if "bib" in extensions:
        files[f"{stem}.bib"] = "\n\n".join(c.bib for c in group) + "\n" if group else ""
    if "ris" in extensions:
        files[f"{stem}.ris"] = "\n".join(c.ris for c in group)
    if "json" in extensions:
        # The same text as exports.to_csl_json (a test holds the two together).
        files[f"{stem}.json"] = "[\n" + ",\n".join(c.csl for c in group) + "\n]\n" if group else "[]\n"
    return files


def _links(stem: str, extensions: Sequence[str]) -> str:
    return ", ".join(md_link(FORMATS[ext], f"{stem}.{ext}") for ext in extensions)


def paper_downloads(slug: str) -> str:
    """Markdown links from a paper's page to its own BibTeX and RIS files."""
    # The page is papers/<slug>.md, so its downloads sit beside it; MkDocs rewrites the links.
    return _links(slug, PAPER_FORMATS)


def term_downloads(facet: str, term_id: str, count: int) -> str:
    """A section for a role or theme page: its papers as RIS (none if no papers)."""
    if not count:
        return ""
    papers = "the paper" if count == 1 else f"all {count} papers"
    links = _links(f"../{_term_stem(facet, term_id)}", TERM_FORMATS)
    return (
        "\n## Download the references\n\n"
        f"Download {papers} listed here for your reference manager (EndNote, Zotero, Mendeley, "
        f"RefWorks): {links}.\n\n"
        f"For BibTeX or CSL-JSON, download the whole library: {_links(f'../{LIBRARY}', ('bib', 'json'))}.\n"
    )


def library_downloads(prefix: str) -> str:
    """A sentence linking the whole library's files; prefix leads from the page to the docs root."""
    links = _links(f"{prefix}{LIBRARY}", LIBRARY_FORMATS)
    return f"Download the whole library for your reference manager: {links}.\n"
