"""The immutable model of the knowledge base: entries, summaries, taxonomy and the library.

Everything here is plain data. Loading builds it (edges), checking and rendering read it (core).
Text is already decoded from LaTeX to Unicode where it is meant for readers; the exact source
text is kept alongside so that nothing a contributor wrote is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

EMPTY: Mapping[str, str] = MappingProxyType({})

# The five fixed sections of a summary, in page order: (id, heading as written in the file).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("key_messages", "Key messages"),
    ("studied", "What was studied and how"),
    ("found", "What was found"),
    ("for_nurses", "What it means for nurses working alongside peer workers"),
    ("limitations", "Limitations"),
)
SECTION_HEADINGS: Mapping[str, str] = MappingProxyType(dict(SECTIONS))

# Taxonomy facets that summaries refer to by id.
FACETS: tuple[str, ...] = ("roles", "themes", "evidence_types", "settings")


@dataclass(frozen=True)
class Person:
    """An author or editor, split the way BibTeX splits names."""

    given: str
    """Given names or initials, in Unicode ("Nicole S.")."""
    family: str
    """Family name with any particle ("van Gogh"), in Unicode."""
    suffix: str = ""
    """Lineage such as "Jr", in Unicode."""

    @property
    def display(self) -> str:
        """The name as a reader writes it: "Nicole S. Gevaux"."""
        name = " ".join(part for part in (self.given, self.family) if part)
        return f"{name}, {self.suffix}" if self.suffix else name


@dataclass(frozen=True)
class Entry:
    """One BibTeX entry, as parsed by pybtex and located in its file."""

    key: str
    """The citation key exactly as written."""
    type: str
    """Entry type in lower case: article, book, techreport, misc, ..."""
    fields: Mapping[str, str]
    """Field name (lower case) to its value decoded from LaTeX to Unicode; persons excluded."""
    raw_fields: Mapping[str, str]
    """Field name (lower case) to its value as written in the file, macros expanded."""
    authors: tuple[Person, ...]
    """Authors in order."""
    editors: tuple[Person, ...]
    """Editors in order."""
    path: str
    """The .bib file, relative to the project root."""
    line: int
    """Line of the `@type{key,` that opens the entry."""
    source: str
    """The entry's text exactly as in the file, from `@` to its closing brace."""
    field_lines: Mapping[str, int] = field(default_factory=lambda: EMPTY)
    """Field name (lower case) to the line its value starts on."""

    def get(self, name: str) -> str:
        """A decoded field value, or an empty string when the field is absent."""
        return self.fields.get(name, "")

    @property
    def title(self) -> str:
        """The title in Unicode."""
        return self.get("title")

    @property
    def year(self) -> int | None:
        """The year as a number, or None when missing or not a number."""
        text = self.get("year").strip()
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
        return int(text) if text.isascii() and text.isdigit() else None

    @property
    def container(self) -> str:
        """Where the work appeared: journal, book, publisher, institution or website."""
        for name in ("journal", "booktitle", "publisher", "institution", "organization", "howpublished"):
            if self.get(name):
                return self.get(name)
        return ""


@dataclass(frozen=True)
class Section:
    """One fixed section of a summary."""

    heading: str
    """The heading as written in the file."""
    body: str
    """The section's Markdown text, stripped of surrounding blank lines."""
    line: int
    """Line of the heading in the summary file."""
    body_line: int = 0
    """Line the body's first line is on in the summary file (0 when unknown), for checks."""


@dataclass(frozen=True)
class Summary:
    """A curated summary of one entry, written for nurses."""

    key: str
    """Citation key of the entry summarised (from the file name, confirmed by front matter)."""
    path: str
    """The summary file, relative to the project root."""
    roles: tuple[str, ...]
    """Role ids from the taxonomy."""
    themes: tuple[str, ...]
    """Theme ids from the taxonomy."""
    evidence_type: str
    """Evidence-type id from the taxonomy."""
    settings: tuple[str, ...] = ()
    """Setting ids from the taxonomy (where the work took place)."""
    country: str = ""
    """Country or countries the work comes from, as plain text."""
    date_added: str = ""
    """ISO date (YYYY-MM-DD) the summary was added."""
    date_reviewed: str = ""
    """ISO date the summary was last reviewed against the source; empty if never."""
    takeaway: str = ""
    """One plain-language sentence shown in lists of papers."""
    metadata_status: str = "complete"
    """"complete", or "incomplete" when some bibliographic details are missing or unverified."""
    unverified: tuple[str, ...] = ()
    """BibTeX fields whose values no source confirmed; the page marks them."""
    metadata_note: str = ""
    """Plain text for readers: what is missing or unverified in the record, and why."""
    based_on: str = ""
    """What the summary was written from (abstract, full text, a reference list)."""
    sections: Mapping[str, Section] = field(default_factory=lambda: EMPTY)
    """Section id (see SECTIONS) to its content."""
    field_lines: Mapping[str, int] = field(default_factory=lambda: EMPTY)
    """Front-matter key to the line it is on."""


@dataclass(frozen=True)
class Term:
    """One item of the controlled vocabulary: a role, theme, evidence type or setting."""

    id: str
    """Stable identifier used in front matter and page addresses (lower case, hyphens)."""
    facet: str
    """Which list it belongs to: one of FACETS."""
    title: str
    """Name shown to readers."""
    description: str
    """One or two plain-language sentences written for nurses."""
    also_called: tuple[str, ...] = ()
    """Other names readers may know it by; they are searchable."""
    details: tuple[tuple[str, str], ...] = ()
    """Extra (heading, Markdown) sections for its page, such as where nurses meet a role."""
    parent: str = ""
    """Id of a broader term in the same facet, if this one is a kind of it."""
    featured: bool = False
    """Whether it leads the navigation."""
    line: int = 0
    """Line of its id in taxonomy.yml."""


@dataclass(frozen=True)
class Taxonomy:
    """The controlled vocabulary, one tuple of terms per facet, in file order."""

    path: str
    """The taxonomy file, relative to the project root."""
    roles: tuple[Term, ...] = ()
    themes: tuple[Term, ...] = ()
    evidence_types: tuple[Term, ...] = ()
    settings: tuple[Term, ...] = ()

    def facet(self, name: str) -> tuple[Term, ...]:
        """The terms of one facet by its name."""
        return getattr(self, name)

    def term(self, facet: str, term_id: str) -> Term | None:
        """One term by facet and id, or None."""
        return self._by_id.get((facet, term_id))

    @cached_property
    def _by_id(self) -> Mapping[tuple[str, str], Term]:
        # Rendering looks terms up tens of thousands of times; the first of a repeated id wins.
        index: dict[tuple[str, str], Term] = {}
        for facet in FACETS:
            for term in self.facet(facet):
                index.setdefault((facet, term.id), term)
        return index


@dataclass(frozen=True)
class Paper:
    """An entry joined with its summary and its page address: what the site shows."""

    entry: Entry
    """The bibliographic record."""
    summary: Summary
    """The curated summary."""
    slug: str
    """Safe, unique page name derived from the key."""

    @property
    def key(self) -> str:
        """The citation key."""
        return self.entry.key


@dataclass(frozen=True)
class Library:
    """Everything under references/, loaded."""

    entries: tuple[Entry, ...]
    """Every BibTeX entry, in file then line order."""
    summaries: tuple[Summary, ...]
    """Every summary file, sorted by path."""
    taxonomy: Taxonomy
    """The controlled vocabulary."""
