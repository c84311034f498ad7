"""EndNote's tagged export (.enw, `%0 Journal Article`, `%A`, `%T` ...), the Refer format it extends."""

from __future__ import annotations

import re

from .record import Record, Rejected
from .tagged import Tagged, author_list, bib_value, first_value, split_records, tag_values, tagged_lines

TAG_LINE = re.compile(r"^(%[0-9A-Z@!#$&()*+,\-.\/:;<=>?\[\]^_{|}~])(?:\s(.*)|\s*)$")
TYPES = {
    "Journal Article": "article", "Magazine Article": "article", "Newspaper Article": "article",
    "Electronic Article": "article", "Book": "book", "Edited Book": "book", "Electronic Book": "book",
    "Book Section": "incollection", "Conference Paper": "inproceedings",
    "Conference Proceedings": "inproceedings", "Report": "techreport", "Government Document": "techreport",
    "Thesis": "phdthesis",
}  # fmt: skip


def read_endnote(text: str, source: str) -> tuple[list[Record], list[Rejected]]:
    """Every reference in EndNote tagged text, and every part that could not be read."""
    groups, rejected = split_records(
        tagged_lines(text, TAG_LINE), starts="%0", source=source,
        expected="%0 (the reference type)", blank_ends=True,
    )
    return [_record(items, source) for items in groups], rejected


def _record(items: list[Tagged], source: str) -> Record:
    """One reference's tags as a Record in BibTeX terms."""
    tags = tag_values(items)

    def first(*names: str) -> str:
        return first_value(tags, *names)

    kind = TYPES.get(first("%0"), "misc")
    fields: dict[str, str] = {}
    if tags.get("%A"):
        fields["author"] = author_list(tags["%A"])
    if tags.get("%E") and kind in ("book", "incollection", "inproceedings"):
        fields["editor"] = author_list(tags["%E"])
    if first("%T"):
        fields["title"] = bib_value("title", first("%T"))
    container = first("%J") or first("%B")
    if container:
        name = {"article": "journal", "misc": "howpublished"}.get(kind, "booktitle")
        fields[name] = bib_value(name, container)
    year = re.search(r"\d{4}", first("%D"))
    if year:
        fields["year"] = year.group()
    month = re.match(r"[A-Za-z]+", first("%8"))
    if month:
        fields["month"] = month.group()
    simple = (("%V", "volume"), ("%N", "number"), ("%P", "pages"), ("%7", "edition"), ("%S", "series"))
    for tag, name in simple:
        if first(tag):
            fields[name] = bib_value(name, first(tag))
    if first("%R"):
        fields["doi"] = first("%R")
    if first("%@"):
        fields["isbn" if kind in ("book", "incollection") else "issn"] = first("%@")
    if first("%U"):
        fields["url"] = first("%U")
    if first("%I"):
        owner = {"techreport": "institution", "phdthesis": "school"}.get(kind, "publisher")
        fields[owner] = bib_value(owner, first("%I"))
    if first("%C"):
        fields["address"] = bib_value("address", first("%C"))
    if kind in ("techreport", "phdthesis") and first("%9"):
        fields["type"] = bib_value("type", first("%9"))
    return Record(kind, first("%M"), fields, source, items[0].line, ())
