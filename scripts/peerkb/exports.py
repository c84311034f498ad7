"""Downloadable copies of the library: BibTeX as written, RIS and CSL-JSON.

Each function takes entries and returns the file's text; writing it is the caller's job.
Output is deterministic: entries keep the order they are given in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from peerkb.csl import entry_to_csl
from peerkb.model import Entry

# CSL type -> RIS reference type.
RIS_TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "manuscript": "UNPB",
    "pamphlet": "PAMP",
    "paper-conference": "CPAPER",
    "post-weblog": "BLOG",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
}


def to_bibtex(entries: Iterable[Entry]) -> str:
    """Each entry's source text byte for byte, separated by blank lines (pybtex's writer alters text)."""
    sources = [entry.source for entry in entries]
    return "\n\n".join(sources) + "\n" if sources else ""


def _ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    return ", ".join(name[part] for part in ("family", "given", "suffix") if name.get(part))


def _ris_date(issued: dict[str, Any] | None) -> tuple[str, str]:
    """PY (year) and DA (YYYY/MM/DD/) for RIS; a literal date such as `in press` is kept in PY."""
    if not issued:
        return "", ""
    if "literal" in issued:
        return issued["literal"], ""
    parts = issued["date-parts"][0]
    if len(parts) == 1:
        return str(parts[0]), ""
    padded = [f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])]
    return str(parts[0]), "/".join(padded + [""] * (4 - len(padded)))


def ris_record(item: dict[str, Any]) -> list[tuple[str, str]]:
    """One CSL item as RIS (tag, value) pairs, from TY to ER; ID carries the citation key."""
    kind = item["type"]
    pages = item.get("page", "")
    first, _, last = pages.partition("-")
    year, date = _ris_date(item.get("issued"))
    tags: list[tuple[str, str]] = [("TY", RIS_TYPES.get(kind, "GEN")), ("ID", item["id"])]
    tags += [("AU", _ris_name(name)) for name in item.get("author", [])]
    # A2 (secondary author) is where Zotero, EndNote and rispy put editors.
    tags += [("A2", _ris_name(name)) for name in item.get("editor", [])]
    tags += [("TI", item.get("title", "")), ("T2", item.get("container-title", ""))]
    if kind == "article-journal":
        tags.append(("JO", item.get("container-title", "")))
    tags += [
        ("PY", year),
        ("DA", date),
        ("VL", item.get("volume", "")),
        ("IS", item.get("issue", "") or item.get("number", "")),
        ("SP", first),
        ("EP", last),
        ("DO", item.get("DOI", "")),
        ("UR", item.get("URL", "")),
        ("PB", item.get("publisher", "")),
        ("CY", item.get("publisher-place", "")),
        ("SN", item.get("ISSN", "") or item.get("ISBN", "")),
        ("M3", item.get("genre", "")),
        ("AB", item.get("abstract", "")),
    ]
    return [(tag, value) for tag, value in tags if value] + [("ER", "")]


def to_ris(entries: Iterable[Entry]) -> str:
    """RIS, one record per entry, records separated by a blank line.

    Values are single lines because entry_to_csl flattens line breaks. For lists a and b,
    to_ris(a + b) == to_ris(a) + "\n" + to_ris(b).
    """
    records = [
        "".join(f"{tag}  - {value}\n" for tag, value in ris_record(entry_to_csl(entry))) for entry in entries
    ]
    return "\n".join(records)


def to_csl_json(entries: Sequence[Entry]) -> str:
    """A CSL-JSON array (for Zotero, Pandoc, citeproc), sorted keys, one trailing newline."""
    items = [entry_to_csl(entry) for entry in entries]
    return json.dumps(items, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
