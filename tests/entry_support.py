"""Entries built directly in tests, as the BibTeX loader would build them."""

from __future__ import annotations

from types import MappingProxyType

from peerkb.model import Entry, Person


def make_entry(
    kind: str, key: str, people: str = "", editors: str = "", *, source: str = "", **fields: str
) -> Entry:
    """An Entry; people are "Family, Given; Family, Given"; source defaults to a bare `@kind{key,}`."""

    def persons(text: str) -> tuple[Person, ...]:
        pairs = [p.split(", ") for p in text.split("; ") if p]
        return tuple(Person(given=pair[1] if len(pair) > 1 else "", family=pair[0]) for pair in pairs)

    return Entry(
        key=key,
        type=kind,
        fields=MappingProxyType(fields),
        raw_fields=MappingProxyType(fields),
        authors=persons(people),
        editors=persons(editors),
        path="references/library.bib",
        line=1,
        source=source or f"@{kind}{{{key},}}",
    )
