"""RIS (`TY  - JOUR` ... `ER  - `), as Zotero, EndNote, Mendeley, publishers and databases export it."""

from __future__ import annotations

import re

from .record import Record, Rejected
from .tagged import Tagged, author_list, bib_value, join_pages, tagged_lines

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
    records: list[Record] = []
    rejected: list[Rejected] = []
    current: list[Tagged] = []
    for item in tagged_lines(text, TAG_LINE):
        if item is None:
            continue
        if item.tag == "TY" and current:
            records.append(_record(current, source))  # a missing ER: the new TY ends the last one
            current = []
        if item.tag == "ER":
            if current:
                records.append(_record(current, source))
            current = []
        elif not current and item.tag != "TY":
            rejected.append(
                Rejected(source, item.line, f"expected TY  - JOUR (or another type) first, got {item.tag}")
            )
        else:
            current.append(item)
    if current:
        records.append(_record(current, source))
    return records, rejected


def _record(items: list[Tagged], source: str) -> Record:
    """One reference's tags as a Record in BibTeX terms."""
    tags: dict[str, list[str]] = {}
    for item in items:
        tags.setdefault(item.tag, []).append(item.value)

    def first(*names: str) -> str:
        return next((tags[n][0] for n in names if tags.get(n) and tags[n][0]), "")

    ris_type = first("TY").upper()
    kind = TYPES.get(ris_type, "misc")
    fields: dict[str, str] = {}
    put = fields.__setitem__
    authors = [name for tag in ("AU", "A1") for name in tags.get(tag, [])]
    if authors:
        put("author", author_list(authors))
    editors = [name for tag in ("ED", "A2") for name in tags.get(tag, [])]
    if editors and kind in ("incollection", "inproceedings", "book"):
        put("editor", author_list(editors))
    title = first(*TITLE_TAGS) or (first("BT") if kind == "book" else "")
    if title:
        put("title", bib_value("title", title))
    container = first(*JOURNAL_TAGS) if kind == "article" else first("T2", "BT")
    if container:
        put(
            "journal" if kind == "article" else "booktitle" if kind != "misc" else "howpublished",
            bib_value("", container),
        )
    date = DATE.search(first(*DATE_TAGS))
    if date:
        put("year", date.group(1))
        if date.group(2) and int(date.group(2)) in range(1, 13):
            put("month", date.group(2))
    for tag, name in (("VL", "volume"), ("IS", "number"), ("ET", "edition"), ("T3", "series")):
        if first(tag):
            put(name, bib_value(name, first(tag)))
    pages = join_pages(first("SP"), first("EP"))
    if pages:
        put("pages", pages)
    if first("DO"):
        put("doi", first("DO"))
    if first("SN"):
        put("isbn" if kind in ("book", "incollection") else "issn", first("SN"))
    if first("UR"):
        put("url", first("UR"))
    publisher = first("PB")
    if publisher:
        owner = {"techreport": "institution", "phdthesis": "school"}.get(kind, "publisher")
        put(owner, bib_value(owner, publisher))
    if first("CY", "PP"):
        put("address", bib_value("address", first("CY", "PP")))
    if kind in ("techreport", "phdthesis") and first("M3"):
        put("type", bib_value("type", first("M3")))
    known = ris_type in TYPES or ris_type in MISC_TYPES
    notes = () if known else (f"RIS type {ris_type or '(none)'} is not one we know; imported as misc",)
    return Record(kind, "", fields, source, items[0].line, notes)
