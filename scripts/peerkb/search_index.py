"""The search index: small files a reader's browser fetches only as a query needs them.

Material's own search sends every page's text to the browser and builds a Lunr index there on
every page load; at 5,000 papers that took Chromium 2.3 s and 440 MB before the first result.
This index is built once, here, from the library itself (no HTML is parsed again):

- `terms-<hex>.json`, one shard per two-letter term prefix: term to the pages it occurs on, with
  a weight saying where (title, author, DOI, role or theme, summary). A query fetches only the
  shards of its words' first two letters.
- `docs-<n>.json`, pages in blocks of DOCS_PER_FILE: location, title and the line shown under it.
  A query fetches only the blocks of the results it shows.
- the manifest (MANIFEST_KEY in Material's search config): which shards exist, the stop words,
  the version that keeps a browser from mixing files of two builds.

The browser side is theme/assets/javascripts/peerkb-search.js, a worker that speaks Material's
search protocol, so Material's search box, results list, keyboard shortcuts and highlighting stay
as they are. Both sides must turn text into terms the same way: fold() and index_terms() here,
fold() and terms() there; tests/test_search_engine.py runs both on the same strings.

Everything stored is plain text; the worker escapes it before Material shows it as HTML.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from peerkb.model import Library, Paper, Taxonomy, Term
from peerkb.render.common import newest_first
from peerkb.render.site import join_papers

# Where a word occurs decides how much a match counts (the browser multiplies by rarity).
TITLE, PERSON, IDENTIFIER, SECTION_TITLE, TERM, DETAIL, TEXT = 10, 8, 8, 6, 5, 3, 1
DOCS_PER_FILE = 10
MANIFEST_KEY = "peerkb"
# Generated list pages found by their title and first paragraph; their lists repeat the papers.
LIST_PAGES = ("papers/index.md", "maintainers.md", "evidence-map.md")
# Words too common to find anything with; a query made only of them finds nothing, as in Lunr.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have in into is it its of on or that the their "
    "this to was were which with".split()
)
# Letters Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th", "\u0131": "i", "ħ": "h", "ŧ": "t"})
_WORD = re.compile(r"[^\W_]+")
_TEASER_CHARS = 240


@dataclass(frozen=True)
class SearchRecord:
    """One searchable page or section."""

    location: str
    """Address relative to the site root, as Material's index has it ("papers/x/", "glossary/#peer")."""
    title: str
    """Plain-text title shown as the result's heading."""
    text: str
    """Plain-text line shown under the title."""
    fields: tuple[tuple[str, int], ...] = ()
    """Further plain text that finds the page, each with its weight (TITLE, PERSON, ...)."""


def fold(text: str) -> str:
    """Lower case without accents: "Lindström" and "lindstrom" are the same to a reader searching."""
    if text.isascii():
        return text.lower()  # most text, and nothing to decompose: a tenth of the time
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return bare.translate(_LETTERS)


def stem(word: str) -> str:
    """A plural's singular, roughly: "nurses" finds "nurse", "studies" finds "study"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def index_terms(text: str) -> list[str]:
    """The terms of a text, in order: folded words, stop words dropped, plurals made singular."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


def shard_key(term: str) -> str:
    """The shard a term lives in: its first two letters, as hex so any letter makes a file name."""
    return term[:2].encode("utf-8").hex()


def paper_record(paper: Paper, taxonomy: Taxonomy, location: str) -> SearchRecord:
    """A paper found by title, names, year, DOI, journal, roles, themes, takeaway and key messages.

    The long summary sections stay out: they add most of the bytes and mostly words every paper
    shares.
    """
    entry, summary = paper.entry, paper.summary
    people = entry.authors or entry.editors
    shown_names = _short_names(people)
    year = str(entry.year) if entry.year else "n.d."
    teaser = f"{shown_names} ({year})." if shown_names else f"({year})."
    if summary.takeaway:
        teaser += " " + _clip(_plain(summary.takeaway), _TEASER_CHARS)
    terms = [
        t for facet, ids in (("roles", summary.roles), ("themes", summary.themes),
                             ("evidence_types", (summary.evidence_type,)), ("settings", summary.settings))
        for t in (taxonomy.term(facet, i) for i in ids) if t is not None
    ]
    key_messages = summary.sections.get("key_messages")
    fields = (
        (", ".join(p.display for p in people), PERSON),
        (entry.get("doi"), IDENTIFIER),
        (" ".join(f"{t.title} {' '.join(t.also_called)}" for t in terms), TERM),
        (f"{entry.container} {entry.get('year')} {summary.country}", DETAIL),
        (_plain(key_messages.body) if key_messages else "", TEXT),
    )
    return SearchRecord(location, _one_line(entry.title), teaser, tuple(f for f in fields if f[0].strip()))


def term_record(term: Term, location: str) -> SearchRecord:
    """A role or theme page found by its name, other names, description and details.

    Its list of papers is left out: each paper is found through its own record.
    """
    details = " ".join(f"{heading} {_plain(text)}" for heading, text in term.details)
    fields = tuple(f for f in ((" ".join(term.also_called), TERM), (details, TEXT)) if f[0])
    teaser = _clip(_one_line(term.description), _TEASER_CHARS)
    return SearchRecord(location, _one_line(term.title), teaser, fields)


def intro_record(location: str, markdown: str) -> SearchRecord:
    """A record for a generated list page (All papers, the evidence map): its title and first paragraph.

    The lists themselves repeat what the papers' own records hold.
    """
    title, intro = "", ""
    for block in _FRONT_MATTER.sub("", markdown, count=1).split("\n\n"):
        block = block.strip()
        if block.startswith("# ") and not title:
            title = block[2:]
        elif title and block and not block.startswith(("<", "#", "-")):
            intro = block
            break
    intro = _plain(intro)
    return SearchRecord(location, _plain(title), _clip(intro, _TEASER_CHARS), ((intro, TEXT),))


def page_records(material_docs: Sequence[Mapping[str, object]]) -> list[SearchRecord]:
    """Records from Material's own index of the hand-written and term pages (title and HTML text)."""
    records = []
    for doc in material_docs:
        title = _html_text(str(doc.get("title", "")))
        text = _html_text(str(doc.get("text", "")))
        records.append(SearchRecord(str(doc.get("location", "")), title, _clip(text, _TEASER_CHARS),
                                    ((text, TEXT),)))
    return records


def generated_page_records(
    library: Library, pages: Mapping[str, str], url: Callable[[str], str]
) -> dict[str, SearchRecord]:
    """Records of the generated pages that Material's indexer is spared, by docs path.

    Role and theme pages, the list pages and every paper page: their records come from the
    library, not from parsing thousands of pages' HTML. pages maps a docs path to its generated
    Markdown; url gives a docs path's address. In the order ties should go: terms, lists, then
    the newest papers first.
    """
    records: dict[str, SearchRecord] = {}
    for facet in ("roles", "themes"):
        for term in library.taxonomy.facet(facet):
            path = f"{facet}/{term.id}.md"
            if path in pages:
                records[path] = term_record(term, url(path))
    for path in LIST_PAGES:
        if path in pages:
            records[path] = intro_record(url(path), pages[path])
    for paper in newest_first(join_papers(library)):
        path = f"papers/{paper.slug}.md"
        records[path] = paper_record(paper, library.taxonomy, url(path))
    return records


@dataclass(frozen=True)
class SearchFiles:
    """The index as files under search/, and the manifest the worker is set up with."""

    files: Mapping[str, bytes]
    manifest: Mapping[str, object]


def build_search_index(records: Sequence[SearchRecord]) -> SearchFiles:
    """Shard the records' terms and pages into files. Ids follow the records' order.

    Earlier records win ties in the browser, so callers list what should come first on an equal
    match (hand-written guides, then the newest papers) first.
    """
    postings: dict[str, dict[int, int]] = {}
    for doc_id, record in enumerate(records):
        # A page named like the query comes before a section of another page with that heading.
        title = SECTION_TITLE if "#" in record.location else TITLE
        for text, weight in ((record.title, title), *record.fields, (record.text, TEXT)):
            for term in index_terms(text):
                pages = postings.setdefault(term, {})
                if pages.get(doc_id, 0) < weight:
                    pages[doc_id] = weight
    shards: dict[str, dict[str, list[int]]] = {}
    for term in sorted(postings):
        flat: list[int] = []
        previous = 0
        for doc_id, weight in sorted(postings[term].items()):
            # Ids as gaps from the previous one: short numbers, a smaller file.
            flat += (doc_id - previous, weight)
            previous = doc_id
        shards.setdefault(shard_key(term), {})[term] = flat
    files = {f"terms-{key}.json": _json(shard) for key, shard in sorted(shards.items())}
    page_ids = {r.location: i for i, r in enumerate(records) if "#" not in r.location}
    # A section's page, which Material shows as the heading of the section's result.
    parents = [page_ids.get(r.location.split("#", 1)[0], -1) if "#" in r.location else -1 for r in records]
    for start in range(0, len(records), DOCS_PER_FILE):
        block = [[r.location, r.title, r.text, parents[start + i]]
                 for i, r in enumerate(records[start:start + DOCS_PER_FILE])]
        files[f"docs-{start // DOCS_PER_FILE}.json"] = _json(block)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    manifest = {
        "version": digest.hexdigest()[:12],
        "documents": len(records),
        "docsPerFile": DOCS_PER_FILE,
        "shards": sorted(shards),
        "stopWords": sorted(STOP_WORDS),
        # The worker divides by this to weigh a match by how rare its word is.
        "rarityBase": round(math.log(1 + len(records)), 6),
    }
    return SearchFiles(files, manifest)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _short_names(people: Sequence) -> str:
    families = [p.family for p in people]
    if len(families) <= 3:
        return ", ".join(families)
    return f"{families[0]}, {families[1]}, {families[2]} et al."


def _clip(text: str, limit: int) -> str:
    """At most limit characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BLOCK_MARKS = re.compile(r"(?m)^\s*(?:[-*+>]|#{1,6}|\d+[.)])\s+")
# A backslash escape (md_text writes them) is the character itself; emphasis and code marks go.
_INLINE_MARKS = re.compile(r"\\(\S)|[*_`]")
_SPACES = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _plain(markdown: str) -> str:
    """Markdown as the words a reader sees: link text kept, list marks and emphasis dropped."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = _INLINE_MARKS.sub(lambda m: m.group(1) or "", _BLOCK_MARKS.sub(" ", text))
    text = text.replace("&lt;", "<").replace("&amp;", "&")
    return _SPACES.sub(" ", text).strip()


# Tags inside a line of text; any other tag separates words ("<p>a</p><p>b</p>" is "a b").
_INLINE = frozenset("a abbr b code del em i ins kbd mark q s small span strong sub sup u var".split())


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_text(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and entities decoded."""
    if "<" not in fragment and "&" not in fragment:
        return _SPACES.sub(" ", fragment).strip()
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()
