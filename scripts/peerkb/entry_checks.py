"""Checks on parsed BibTeX entries: fields each type needs, identifiers, years, keys, duplicates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from .identifiers import is_web_url, normalise_doi
from .model import Entry
from .problems import Problem, did_you_mean, error, warning
from .slug import is_safe_key, key_identity, slug_for_key

# Fields each entry type needs; "author|editor" means either will do.
REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "article": ("author", "title", "journal", "year"),
        "book": ("author|editor", "title", "publisher", "year"),
        "inbook": ("author|editor", "title", "publisher", "year"),
        "incollection": ("author", "title", "booktitle", "year"),
        "inproceedings": ("author", "title", "booktitle", "year"),
        "conference": ("author", "title", "booktitle", "year"),
        "techreport": ("author", "title", "institution", "year"),
        "report": ("author", "title", "institution", "year"),
        "phdthesis": ("author", "title", "school", "year"),
        "mastersthesis": ("author", "title", "school", "year"),
        "thesis": ("author", "title", "school", "year"),
        "online": ("title", "year", "url"),
        "misc": ("title", "year"),
        "booklet": ("title", "year"),
        "manual": ("title", "year"),
        "proceedings": ("title", "year"),
        "unpublished": ("author", "title", "year"),
    }
)

# A correct example of each field, shown when it is missing.
EXAMPLES: Mapping[str, str] = MappingProxyType(
    {
        "author": "author = {Repper, Julie and Watson, Emma}",
        "author|editor": "author = {Lindow, Vivien} (or editor = {...})",
        "title": "title = {A helping hand: taking peer support into the 21st century}",
        "journal": "journal = {Mental Health and Social Inclusion}",
        "year": "year = {2014}",
        "publisher": "publisher = {Mind Publications}",
        "booktitle": "booktitle = {Proceedings of the ...}",
        "institution": "institution = {University of Nottingham}",
        "school": "school = {University of Nottingham}",
        "url": "url = {https://example.org/report.pdf}",
    }
)

MAX_KEY_LENGTH = 100
# Page names in papers/ that generated pages already use (papers/index.md is All papers).
RESERVED_SLUGS = frozenset({"index"})


def check_entries(entries: Sequence[Entry], this_year: int | None = None) -> list[Problem]:
    """Every problem with the entries that needs no file text, in entry order."""
    next_year = (this_year or date.today().year) + 1
    problems: list[Problem] = []
    for entry in entries:
        problems += _check_fields(entry, next_year)
        problems += _check_key(entry)
    problems += _duplicates(entries)
    return problems


def _check_fields(entry: Entry, next_year: int) -> list[Problem]:
    """Required fields, identifiers and year of one entry."""
    problems: list[Problem] = []
    at = entry.field_lines.get
    if entry.type not in REQUIRED:
        hint = did_you_mean(entry.type, REQUIRED) or f" Known types: {', '.join(sorted(REQUIRED))}."
        problems.append(
            error(
                entry.path,
                entry.line,
                "",
                (
                    f'unknown entry type "@{entry.type}" for "{entry.key}"; expected a BibTeX type such as '
                    f"@article or @book.{hint}"
                ),
            )
        )
    for needed in REQUIRED.get(entry.type, ("title", "year")):
        if not any(_has(entry, name) for name in needed.split("|")):
            problems.append(
                error(
                    entry.path,
                    entry.line,
                    needed.split("|")[0],
                    (
                        f'@{entry.type} "{entry.key}" needs {" or ".join(needed.split("|"))}; '
                        f"add it, e.g. {EXAMPLES[needed]},"
                    ),
                )
            )
    doi = entry.get("doi").strip()
    if doi and normalise_doi(doi) is None:
        problems.append(
            error(
                entry.path,
                at("doi", entry.line),
                "doi",
                (f'expected a DOI such as 10.1108/MHSI-08-2015-0031, got "{doi}"'),
            )
        )
    if entry.type == "article" and not doi:
        problems.append(
            warning(
                entry.path,
                entry.line,
                "doi",
                (
                    f'article "{entry.key}" has no DOI; add doi = {{10.xxxx/...}} if it has one '
                    "(search https://search.crossref.org)"
                ),
            )
        )
    url = entry.get("url").strip()
    if "url" in entry.fields and not is_web_url(url):
        problems.append(
            error(
                entry.path,
                at("url", entry.line),
                "url",
                (f'expected a web address starting with https:// or http://, got "{url}"'),
            )
        )
    year = entry.get("year").strip()
    if year and not (re.fullmatch(r"\d{4}", year) and 1800 <= int(year) <= next_year):
        problems.append(
            error(
                entry.path,
                at("year", entry.line),
                "year",
                (
                    f"expected a four-digit year between 1800 and {next_year}, "
                    f'got "{year}"; e.g. year = {{2014}}'
                ),
            )
        )
    return problems


def _has(entry: Entry, name: str) -> bool:
    """Whether the entry has a non-empty value for a field or person list."""
    if name in ("author", "editor"):
        return bool(entry.authors if name == "author" else entry.editors)
    return bool(entry.get(name).strip())


def _check_key(entry: Entry) -> list[Problem]:
    """A key must be safe as a file name and give a non-empty page name."""
    if len(entry.key) > MAX_KEY_LENGTH:
        # File systems refuse names over 255 bytes; the page's downloads add to the slug's length.
        return [
            error(
                entry.path,
                entry.line,
                "key",
                f'key "{entry.key[:40]}..." is {len(entry.key)} characters long; expected at most '
                f"{MAX_KEY_LENGTH}, like watson2014dayinlife (it becomes a file name)",
            )
        ]
    if slug_for_key(entry.key) in RESERVED_SLUGS:
        return [
            error(
                entry.path,
                entry.line,
                "key",
                f'key "{entry.key}" gives the page name "papers/{slug_for_key(entry.key)}/", which is the '
                "list of all papers: the paper would be lost; change the key, e.g. watson2014dayinlife",
            )
        ]
    if is_safe_key(entry.key):
        return []
    return [
        error(
            entry.path,
            entry.line,
            "key",
            (
                f'key "{entry.key}" is not safe as a file name; expected ASCII letters, digits and - _ : . '
                'only, not starting with "." and with at least one letter or digit, e.g. watson2014dayinlife'
            ),
        )
    ]


def _duplicates(entries: Sequence[Entry]) -> list[Problem]:
    """Keys that readers cannot tell apart, colliding page names, and works entered twice."""
    problems: list[Problem] = []
    by_identity: dict[str, Entry] = {}
    by_slug: dict[str, Entry] = {}
    by_doi: dict[str, Entry] = {}
    by_title: dict[tuple[str, str], Entry] = {}
    chars = _TitleChars()
    for entry in entries:
        first = by_identity.setdefault(key_identity(entry.key), entry)
        if first is not entry:
            same = "the same key" if first.key == entry.key else "a key that looks the same"
            problems.append(
                error(
                    entry.path,
                    entry.line,
                    "key",
                    (
                        f'duplicate key "{entry.key}": {same} "{first.key}" is used at {_place(first)}; '
                        "keys must differ in more than case, accents, invisible or look-alike characters"
                    ),
                )
            )
            continue
        slug = slug_for_key(entry.key)
        other = by_slug.setdefault(slug, entry) if slug else entry
        if other is not entry:
            problems.append(
                error(
                    entry.path,
                    entry.line,
                    "key",
                    (
                        f'key "{entry.key}" gives the same page name "papers/{slug}/" as "{other.key}" at '
                        f"{_place(other)}; change one of the keys"
                    ),
                )
            )
        doi = normalise_doi(entry.get("doi"))
        if doi and (other := by_doi.setdefault(doi.casefold(), entry)) is not entry:
            problems.append(
                error(
                    entry.path,
                    entry.field_lines.get("doi", entry.line),
                    "doi",
                    (
                        f'the same work as "{other.key}" at {_place(other)}: both have DOI {doi}; '
                        "keep one entry"
                    ),
                )
            )
            continue
        title = _comparable_title(entry.title, chars)
        if title and (other := by_title.setdefault((title, entry.get("year")), entry)) is not entry:
            problems.append(
                error(
                    entry.path,
                    entry.field_lines.get("title", entry.line),
                    "title",
                    (
                        f'the same work as "{other.key}" at {_place(other)}: same title and year '
                        f"{entry.get('year') or '(none)'}; keep one entry"
                    ),
                )
            )
    return problems


def _place(entry: Entry) -> str:
    """Where an entry is: `path:line`."""
    return f"{entry.path}:{entry.line}"


def _comparable_title(title: str, chars: _TitleChars) -> str:
    """A title reduced for comparison: no case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", title.casefold())
    return " ".join(text.translate(chars).split())


class _TitleChars(dict[int, str]):
    """What each character of a decomposed title becomes, worked out once per character.

    A combining mark goes, a letter or digit stays, anything else is a space. One table per
    check, so hostile titles cannot grow it for the life of a `mkdocs serve`.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.combining(char):
            kept = ""
        else:
            kept = char if unicodedata.category(char)[0] in "LN" else " "
        self[code] = kept
        return kept
