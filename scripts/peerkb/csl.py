"""Map a parsed BibTeX entry to CSL-JSON, the data model of citeproc, Zotero and Pandoc.

Only decoded Unicode fields are used (never raw LaTeX), so what a style prints is what a reader
should see. Values are plain text; nothing here is markup.
"""

from __future__ import annotations

import re
from typing import Any

from peerkb.identifiers import normalise_doi
from peerkb.model import Entry, Person

# BibTeX entry type to CSL type; `misc` is decided by `csl_type` from its fields.
TYPES: dict[str, str] = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "report",
    "techreport": "report",
    "report": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
}

# What a thesis is called when the entry has no `type` field.
THESIS_GENRES: dict[str, str] = {"mastersthesis": "Master's thesis", "phdthesis": "Doctoral dissertation"}

MONTHS: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

# Types whose `number` is the issue of a periodical rather than a report or series number.
PERIODICAL_TYPES = frozenset({"article-journal", "article-magazine", "article-newspaper"})

# Plain one-to-one copies: BibTeX field -> CSL variable.
PLAIN_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("volume", "volume"),
    ("edition", "edition"),
    ("series", "collection-title"),
    ("chapter", "chapter-number"),
    ("issn", "ISSN"),
    ("isbn", "ISBN"),
    ("abstract", "abstract"),
    # biblatex's abbreviated journal name, which Vancouver (NLM) prints instead of the full one.
    ("shortjournal", "container-title-short"),
)

_BREAKS = re.compile(r"[ \t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# ASCII digits only: str.isdigit() also accepts "²", which int() rejects.
_NUMBER = re.compile(r"[0-9]+")
_DASHES = re.compile(r"\s*(?:-+|\u2010|\u2011|\u2012|\u2013|\u2014|\u2212)\s*")


def csl_type(entry: Entry) -> str:
    """The CSL item type for an entry: a blog post, a web page or a generic document for `misc`."""
    if entry.type in TYPES:
        return TYPES[entry.type]
    described = f"{entry.get('howpublished')} {entry.get('type')}".lower()
    if "blog" in described:
        return "post-weblog"
    if http_url(entry.get("url")) or http_url(entry.get("howpublished")):
        return "webpage"
    return "document"


def clean(text: str) -> str:
    """Collapse line breaks and spaces to one space, as BibTeX does, and drop control characters.

    No-break and other typographic spaces stay. Everything Python's splitlines() treats as a line
    end goes, so that no value can start a new line in a line-based format such as RIS.
    """
    if text.isprintable() and "  " not in text:
        # Most values: no control character, no line break, no run of spaces (a quarter of the
        # time of rendering downloads went to these two substitutions).
        return text.strip(" ")
    return _BREAKS.sub(" ", _CONTROLS.sub("", text)).strip(" ")


def http_url(text: str) -> str:
    """The text as a URL if it is a single http(s) address, else an empty string."""
    url = text.strip()
    if re.fullmatch(r"(?i)https?://[^\s\x00-\x1f\x7f]+", url):
        return url
    return ""


def month_number(text: str) -> int | None:
    """A month from `9`, `09`, `sep`, `Sept.` or `September`; None for anything else."""
    word = text.strip().rstrip(".").lower()
    if _NUMBER.fullmatch(word):
        return int(word) if 1 <= int(word) <= 12 else None
    if len(word) >= 3:
        for number, name in enumerate(MONTHS, start=1):
            if name.startswith(word):
                return number
    return None


def issued(entry: Entry) -> dict[str, Any] | None:
    """The CSL date from year, month and day; a literal for a year like `in press`."""
    year = clean(entry.get("year"))
    if not year:
        return None
    if not _NUMBER.fullmatch(year):
        return {"literal": year}
    parts = [int(year)]
    month = month_number(entry.get("month"))
    if month is not None:
        parts.append(month)
        day = entry.get("day").strip()
        if _NUMBER.fullmatch(day) and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def accessed(entry: Entry) -> dict[str, Any] | None:
    """The CSL date from an ISO `urldate` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", entry.get("urldate").strip())
    if not match:
        return None
    return {"date-parts": [[int(part) for part in match.groups() if part]]}


def name(person: Person) -> dict[str, str]:
    """A CSL name; an organisation (no given name, several words) stays one literal name."""
    if not person.given and not person.suffix and len(person.family.split()) > 1:
        return {"literal": clean(person.family)}
    parts = {"family": clean(person.family), "given": clean(person.given), "suffix": clean(person.suffix)}
    return {key: value for key, value in parts.items() if value}


def page_range(text: str) -> str:
    """Pages with any dash (`--`, en dash, minus) written as the `-` CSL expects."""
    return _DASHES.sub("-", clean(text))


def container(entry: Entry, kind: str) -> str:
    """The journal, book or proceedings the work appeared in."""
    if kind in ("chapter", "paper-conference"):
        return entry.get("booktitle")
    return entry.get("journal") or entry.get("journaltitle")


def publisher(entry: Entry) -> str:
    """Who published it: publisher, else institution (reports), school (theses) or organisation."""
    for field in ("publisher", "institution", "school", "organization"):
        if entry.get(field):
            return entry.get(field)
    return ""


def genre(entry: Entry, kind: str) -> str:
    """What kind of document: a report's or thesis's `type`, or how a `misc` item was published."""
    if entry.get("type"):
        return entry.get("type")
    if entry.type in THESIS_GENRES:
        return THESIS_GENRES[entry.type]
    if entry.type == "misc" and not http_url(entry.get("howpublished")):
        return entry.get("howpublished")
    return ""


# Rendering asks for each entry's item four times (citations, head tags, RIS, CSL-JSON): built
# once per entry object, by identity (entries are immutable but their mappings cannot be hashed).
_ITEMS: dict[int, tuple[Entry, dict[str, Any]]] = {}
_MAX_ITEMS = 100_000


def entry_to_csl(entry: Entry) -> dict[str, Any]:
    """The entry as one CSL-JSON item; empty values are left out. Shared: do not change it."""
    cached = _ITEMS.get(id(entry))
    if cached is not None and cached[0] is entry:
        return cached[1]
    if len(_ITEMS) >= _MAX_ITEMS:
        _ITEMS.clear()  # `mkdocs serve` rebuilds: entries of earlier builds are not asked for again
    item = _entry_to_csl(entry)
    _ITEMS[id(entry)] = (entry, item)
    return item


def _entry_to_csl(entry: Entry) -> dict[str, Any]:
    kind = csl_type(entry)
    item: dict[str, Any] = {"id": entry.key, "type": kind}
    for field, variable in PLAIN_FIELDS:
        item[variable] = clean(entry.get(field))
    item["container-title"] = clean(container(entry, kind))
    item["publisher"] = clean(publisher(entry))
    item["publisher-place"] = clean(entry.get("address") or entry.get("location"))
    item["genre"] = clean(genre(entry, kind))
    item["page"] = page_range(entry.get("pages"))
    number = clean(entry.get("number"))
    item["issue" if kind in PERIODICAL_TYPES else "number"] = number
    item["DOI"] = normalise_doi(entry.get("doi")) or ""
    item["URL"] = http_url(entry.get("url")) or http_url(entry.get("howpublished"))
    # A name with no part at all (e.g. from "and and") is dropped: citeproc-py cannot print it.
    item["author"] = [csl_name for csl_name in map(name, entry.authors) if csl_name]
    item["editor"] = [csl_name for csl_name in map(name, entry.editors) if csl_name]
    item["issued"] = issued(entry)
    item["accessed"] = accessed(entry)
    return {key: value for key, value in item.items() if value}
