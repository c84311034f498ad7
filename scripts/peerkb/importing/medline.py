"""PubMed's MEDLINE text format (`PMID- 12345678`), as saved from PubMed or by citation managers as .nbib."""

from __future__ import annotations

import re

from .record import Record, Rejected
from .tagged import Tagged, author_list, bib_value, first_value, split_records, tag_values, tagged_lines

# Tags are up to four capitals padded to four columns, then "- "; wrapped lines indent by six.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*-(?:\s(.*)|\s*)$")
DATE = re.compile(r"(\d{4})(?:\s+([A-Za-z]{3}))?")
BOOK_TYPES = frozenset({"Book", "Book Chapter"})


def read_medline(text: str, source: str) -> tuple[list[Record], list[Rejected]]:
    """Every citation in MEDLINE text, and every part that could not be read."""
    groups, rejected = split_records(
        tagged_lines(text, TAG_LINE), starts="PMID", source=source, expected="PMID-", blank_ends=True
    )
    return [_record(items, source) for items in groups], rejected


def _record(items: list[Tagged], source: str) -> Record:
    """One citation's tags as a Record in BibTeX terms."""
    tags = tag_values(items)

    def first(*names: str) -> str:
        return first_value(tags, *names)

    fields: dict[str, str] = {}
    # FAU has the full name ("Watson, Emma"); AU only initials ("Watson E"). CN is a group author.
    names = tags.get("FAU") or [_initials(name) for name in tags.get("AU", [])]
    if names or tags.get("CN"):
        corporate = [f"{{{bib_value('', n)}}}" for n in tags.get("CN", [])]
        fields["author"] = " and ".join(x for x in (author_list(names), *corporate) if x)
    title = first("TI", "BTI")
    # MEDLINE ends every title with a full stop; titles it translated are [in brackets].
    title = title[:-1] if title.endswith(".") else title
    if title:
        fields["title"] = bib_value("title", title)
    journal = first("JT", "TA")
    if journal:
        fields["journal"] = bib_value("journal", journal)
    date = DATE.match(first("DP"))
    if date:
        fields["year"] = date.group(1)
        if date.group(2):
            fields["month"] = date.group(2)
    for tag, name in (("VI", "volume"), ("IP", "number"), ("PG", "pages")):
        if first(tag):
            fields[name] = bib_value(name, first(tag))
    doi = next(
        (v[: -len(" [doi]")] for tag in ("LID", "AID") for v in tags.get(tag, []) if v.endswith(" [doi]")), ""
    )
    if doi:
        fields["doi"] = doi
    issns = [v.split(" (")[0] for v in tags.get("IS", [])]
    if issns:
        fields["issn"] = issns[0]
    kind = "book" if BOOK_TYPES & set(tags.get("PT", [])) else "article"
    if kind == "book" and first("PB"):
        fields["publisher"] = bib_value("publisher", first("PB"))
        fields.pop("journal", None)
    return Record(kind, first("PMID"), fields, source, items[0].line, ())


def _initials(name: str) -> str:
    """An AU name ("Watson EJ") in BibTeX order ("Watson, E. J.")."""
    family, _, initials = name.rpartition(" ")
    if family and initials.isupper() and initials.isalpha():
        return f"{family}, {' '.join(c + '.' for c in initials)}"
    return name
