"""Which format an import source is in, from its content (file names lie: .txt, .nbib, stdin)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .bibtex import read_bibtex
from .endnote import read_endnote
from .medline import read_medline
from .record import Record, Rejected
from .ris import read_ris

Reader = Callable[[str, str], tuple[list[Record], list[Rejected]]]

# The first line that only one format could start a record with decides.
SIGNS: tuple[tuple[str, re.Pattern[str], Reader], ...] = (
    ("BibTeX", re.compile(r"^\s*@[A-Za-z]+\s*[{(]"), read_bibtex),
    ("RIS", re.compile(r"^TY\s{1,2}-"), read_ris),
    ("PubMed/MEDLINE", re.compile(r"^PMID\s*-"), read_medline),
    ("EndNote", re.compile(r"^%0\s"), read_endnote),
)
EXPECTED = (
    "expected BibTeX (@article{...), RIS (TY  - JOUR), PubMed/MEDLINE (PMID- ...)"
    " or EndNote (%0 Journal Article)"
)


def detect(text: str) -> tuple[str, Reader] | None:
    """The name and reader of the source's format, or None when nothing looks like a record."""
    for line in text.lstrip("\ufeff").splitlines():
        for name, sign, reader in SIGNS:
            if sign.match(line):
                return name, reader
    return None


def read_source(text: str, source: str) -> tuple[str, list[Record], list[Rejected]]:
    """The format's name, the records in a source and what could not be read."""
    found = detect(text)
    if found is None:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        got = f'"{first[:40]}"' if first else "an empty input"
        return "", [], [Rejected(source, 0, f"no references found: {EXPECTED}; got {got}")]
    name, reader = found
    records, rejected = reader(text.lstrip("\ufeff"), source)
    if not records and not rejected:
        rejected = [Rejected(source, 0, f"no references found in this {name} text")]
    return name, records, rejected
