"""RIS (`TY  - JOUR` ... `ER  - `), as Zotero, EndNote, Mendeley, publishers and databases export it."""

from __future__ import annotations

import re

from .record import Record, Rejected
from .tagged import (
    Tagged,
    author_list,
    bib_value,
    first_value,
    join_pages,
    split_records,
    tag_values,
    tagged_lines,
)

# Some exporters write one space before the hyphen, or nothing after it on ER lines.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?:\s(.*)|\s*)$")

TYPES = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article",
    "INPR": "article", "ABST": "article", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "incollection", "ECHAP": "incollection", "CONF": "inproceedings", "CPAPER": "inproceedings",
    "RPRT": "techreport", "GOVDOC": "techreport", "THES": "phdthesis",
}  # fmt: skip
MISC_TYPES = frozenset({"GEN", "ELEC", "WEB", "BLOG", "ICOMM", "PAMP", "UNPB", "VIDEO"})
# Where each BibTeX field comes from, best tag first.
JOURNAL_TAGS = ("JF", "T2", "JO", "JA", "J2")
TITLE_TAGS = ("TI", "T1", "CT")
DATE_TAGS = ("PY", "Y1", "DA")
DATE = re.compile(r"(\d{4})(?:[/-](\d{1,2}))?")


def read_ris(text: str, source: str) -> tuple[list[Record], list[Rejected]]:
    """Every reference in RIS text, and every part that could not be read."""
    groups, rejected = split_records(
        tagged_lines(text, TAG_LINE), starts="TY", source=source,
        expected="TY  - JOUR (or another type)", ends="ER",
    )
    return [_record(items, source) for items in groups], rejected


def _record(items: list[Tagged], source: str) -> Record:
    """One reference's tags as a Record in BibTeX terms."""
    tags = tag_values(items)

    def first(*names: str) -> str:
        return first_value(tags, *names)

    ris_type = first("TY").upper()
    kind = TYPES.get(ris_type, "misc")
    fields: dict[str, str] = {}
    authors = tags.get("AU", []) + tags.get("A1", [])
    editors = tags.get("ED", []) + tags.get("A2", [])  # A2 is a journal's editor too; only books keep it
    container = first(*JOURNAL_TAGS) if kind == "article" else first("T2", "BT")
    owner = {"techreport": "institution", "phdthesis": "school"}.get(kind, "publisher")
    in_container = {"article": "journal", "misc": "howpublished"}.get(kind, "booktitle")
    plain = {
        "title": first(*TITLE_TAGS) or (first("BT") if kind == "book" else ""),
        in_container: container,
        "volume": first("VL"),
        "number": first("IS"),
        "edition": first("ET"),
        "series": first("T3"),
        owner: first("PB"),
        "address": first("CY", "PP"),
        "type": first("M3") if kind in ("techreport", "phdthesis") else "",
        "doi": first("DO"),
        "isbn" if kind in ("book", "incollection") else "issn": first("SN"),
        "url": first("UR"),
    }
    if authors:
        fields["author"] = author_list(authors)
    if editors and kind in ("incollection", "inproceedings", "book"):
        fields["editor"] = author_list(editors)
    fields.update({name: bib_value(name, value) for name, value in plain.items() if value})
    date = DATE.search(first(*DATE_TAGS))
    if date:
        fields["year"] = date.group(1)
        if date.group(2) and 1 <= int(date.group(2)) <= 12:
            fields["month"] = date.group(2)
    pages = join_pages(first("SP"), first("EP"))
    if pages:
        fields["pages"] = pages
    known = ris_type in TYPES or ris_type in MISC_TYPES
    notes = () if known else (f"RIS type {ris_type or '(none)'} is not one we know; imported as misc",)
    return Record(kind, "", fields, source, items[0].line, notes)
