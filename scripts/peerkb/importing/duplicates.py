"""Is this work already in the library? Same DOI, or same title and year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..identifiers import normalise_doi
from ..model import Entry
from .bibtex import read_bibtex
from .text import title_fingerprint


@dataclass(frozen=True)
class Known:
    """What the duplicate check needs from an entry already in the library (or added this run)."""

    key: str
    """Its citation key."""
    doi: str
    """Its DOI, bare and lower case (DOIs ignore case); empty when it has none."""
    fingerprint: str
    """Its title reduced to plain words (see text.title_fingerprint)."""
    year: str
    """Its year as written."""
    where: str
    """`path:line` of its `@type{key,` line."""


def known(key: str, fields: dict[str, str], where: str) -> Known:
    """A Known from an entry's raw (LaTeX) field values."""
    doi = (normalise_doi(fields.get("doi", "")) or "").lower()
    return Known(key, doi, title_fingerprint(fields.get("title", "")), fields.get("year", "").strip(), where)


def known_entry(entry: Entry) -> Known:
    """A Known from an entry read by peerkb.bibfile."""
    return known(entry.key, dict(entry.raw_fields), f"{entry.path}:{entry.line}")


def keys_in_bib(text: str) -> set[str]:
    """Every key in a .bib file's text, even in entries too broken for pybtex (they still take it)."""
    records, _ = read_bibtex(text, "")
    return {r.key for r in records if r.key}


def find_duplicate(candidate: Known, library: Iterable[Known]) -> Known | None:
    """The first entry that is the same work: same DOI, or same title and year."""
    for entry in library:
        if candidate.doi and candidate.doi == entry.doi:
            return entry
        # Two different DOIs are two works, even under one title (a paper and its erratum).
        both_have_doi = candidate.doi and entry.doi
        same_title = candidate.fingerprint and candidate.fingerprint == entry.fingerprint
        if same_title and candidate.year == entry.year and not both_have_doi:
            return entry
    return None
