"""Turn what an exporter wrote into what the library keeps: the fields a reader or a citation needs.

Kept (everything a citation style prints, plus the identifiers that let readers find the work):
author, editor, title, journal, booktitle, series, edition, chapter, institution, organization,
school, publisher, address, howpublished, type (reports and theses only), year, month, day,
volume, number, pages, doi, isbn, issn, url (only when there is no DOI), note.

Dropped, and why:
- abstract: the publisher's own words, under its copyright; the library is published, and our
  summaries must be written in our own words (copycheck flags text shared with sources).
- keywords, mendeley-tags, groups, mendeley-groups, priority, ranking, readstatus, qualityassured:
  a person's filing, not the work's; themes live in the summary's front matter.
- file, urldate, timestamp, owner, creationdate, modificationdate, date-added, date-modified,
  bdsk-*, langid, language, shortjournal, shorttitle, annote, annotation, eprint (Atypon's PDF
  link), pmid, pmcid, publisher on articles from Zotero's `note = {Publisher: ...}`: local
  paths, dates of someone's download, and exporter bookkeeping that mean nothing to a reader.
- url when a DOI exists (the DOI is the stable link; publisher URLs drift) and any url that is
  not http(s) (EndNote's `<Go to ISI>://`, `file:`, `javascript:`).
- type = {Journal Article} and the like on anything but reports and theses (EndNote's record type).

Normalised: month to the BibTeX macro (`month = sep`); DOI to the bare `10.xxxx/...`; ISSN, ISBN
and URL values that an exporter wrapped over lines joined; page ranges to `--` with abbreviated
end pages expanded (MEDLINE's 169-73); biblatex journaltitle/location/date/issue to BibTeX
journal/address/year+month/number; names to "Family, Given"; a title wrapped whole in double
braces (Mendeley) unwrapped; HTML/JATS tags (Crossref's <i>, <scp>) removed from titles; bare
% & # escaped (EndNote leaves them bare, and LaTeX reads % as the start of a comment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..identifiers import is_web_url, normalise_doi
from .bibtex import MONTH_MACROS
from .record import Record, Rejected

KEEP = (
    "author", "editor", "title", "journal", "booktitle", "series", "edition", "chapter", "institution",
    "organization", "school", "publisher", "address", "howpublished", "type", "year", "month", "day",
    "volume", "number", "pages", "doi", "isbn", "issn", "url", "note",
)  # fmt: skip
TYPES = {
    "article": "article", "book": "book", "booklet": "booklet", "inbook": "inbook",
    "incollection": "incollection", "inproceedings": "inproceedings", "conference": "inproceedings",
    "manual": "manual", "mastersthesis": "mastersthesis", "phdthesis": "phdthesis", "misc": "misc",
    "techreport": "techreport", "unpublished": "unpublished", "online": "misc", "electronic": "misc",
    "www": "misc", "webpage": "misc", "report": "techreport", "thesis": "phdthesis", "mvbook": "book",
    "collection": "book", "periodical": "misc", "dataset": "misc", "software": "misc",
}  # fmt: skip
RENAMES = {"journaltitle": "journal", "location": "address", "issue": "number"}
TYPED = frozenset({"techreport", "phdthesis", "mastersthesis", "manual"})
MONTH_NAMES = {name: i for i, name in enumerate(MONTH_MACROS, start=1)} | {"sept": 9}
TAG = re.compile(r"</?(?:i|b|em|strong|sub|sup|scp|sc|span|u|mml:[a-z]+|jats:[a-z]+)(?:\s[^<>]*)?>", re.I)
BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")


@dataclass(frozen=True)
class Draft:
    """An entry ready to be keyed and written: house field names and values, in BibTeX form."""

    type: str
    """BibTeX entry type, lower case."""
    fields: dict[str, str]
    """Kept fields; month holds a macro name (sep) when it is a month."""
    source: str
    """Import source it came from."""
    line: int
    """Line in that source."""
    notes: tuple[str, ...] = field(default=())
    """What was changed or dropped that a maintainer should know about."""


def normalise(record: Record) -> Draft | Rejected:
    """The library's form of one imported record, or why it cannot be imported."""
    notes = list(record.notes)
    kind = TYPES.get(record.type, "misc")
    if record.type == "thesis" and re.match(r"ma|master", record.fields.get("type", ""), re.I):
        kind = "mastersthesis"  # biblatex: @thesis{..., type = {mathesis}}
    if record.type not in TYPES:
        notes.append(f"entry type @{record.type} is not one we know; imported as @misc")
    raw = {
        RENAMES.get(k, k): v
        for k, v in record.fields.items()
        if k not in RENAMES or RENAMES[k] not in record.fields
    }
    values = {name: _collapse(name, value) for name, value in raw.items()}
    if "date" in values and "year" not in values:
        date = re.match(r"(\d{4})(?:-(\d{2}))?", values["date"])
        if date:
            values["year"] = date.group(1)
            values.setdefault("month", date.group(2) or "")
    if kind in ("phdthesis", "mastersthesis") and "school" not in values:
        values["school"] = values.pop("institution", "")  # biblatex names a thesis's university so
    out: dict[str, str] = {}
    for name in KEEP:
        value = values.get(name, "")
        if name not in ("url", "doi"):
            value = BARE_SPECIAL.sub(r"\\\1", value)
        if value:
            out[name] = value
    for name in ("author", "editor"):
        if name in out:
            out[name] = names(out[name])
    if "title" in out:
        out["title"] = title(out["title"])
    if not _plain(out.get("title", "")):
        where = f"entry {record.key}" if record.key else "this entry"
        return Rejected(
            record.source,
            record.line,
            f"{where} has no title; every entry needs one, e.g. title = {{Peer work on acute wards}}",
        )
    if "month" in out:
        out["month"] = month(out["month"])
    if "pages" in out:
        out["pages"] = pages(out["pages"])
    if "doi" in out:
        doi = normalise_doi(out["doi"])
        if doi:
            out["doi"] = doi
        else:
            notes.append(f"doi dropped: expected a DOI such as 10.5555/12345678, got {out['doi']!r}")
            del out["doi"]
    if "url" in out and ("doi" in out or not is_web_url(out["url"])):
        del out["url"]
    if out.get("note", "").startswith("Publisher:"):
        del out["note"]  # Zotero's way of keeping the publisher of an article
    if kind not in TYPED or out.get("type", "").lower() in ("phdthesis", "mathesis", "mastersthesis"):
        out.pop("type", None)  # EndNote's record type, or biblatex's thesis kind (now the entry type)
    return Draft(kind, {k: v for k, v in out.items() if v}, record.source, record.line, tuple(notes))


def _collapse(name: str, value: str) -> str:
    """One line of text: wrapped values joined the way each kind of value needs."""
    value = value.strip()
    if name in ("url", "doi"):
        return re.sub(r"\s+", "", value)
    if name in ("issn", "isbn"):
        value = re.sub(r"\s*-\s*", "-", value)
        return ", ".join(part for part in re.split(r"[\s,;]+", value) if part)
    return re.sub(r"\s+", " ", value)


def month(value: str) -> str:
    """A month as the BibTeX macro (sep); a value that names no month (Spring) stays as it is."""
    word = re.match(r"[A-Za-z]+|\d{1,2}\b", value.strip().strip("{}"))
    if word:
        text = word.group().lower()
        if text.isdigit() and 1 <= int(text) <= 12:
            return MONTH_MACROS[int(text) - 1]
        for name, number in MONTH_NAMES.items():
            if text[:4] == name or (len(text) >= 3 and name.startswith(text[:3]) and _full(text, number)):
                return MONTH_MACROS[number - 1]
    return value


def _full(text: str, number: int) -> bool:
    """Whether a word is a month's abbreviation or its full English name."""
    full = ("january february march april may june july august september october november december").split()
    return full[number - 1].startswith(text.rstrip("."))


def pages(value: str) -> str:
    """A page range with `--`, its end page written out in full (169-73 -> 169--173)."""
    match = re.fullmatch(r"([A-Za-z]?\d+)\s*(?:-+|\u2013|\u2014|\u2212)\s*([A-Za-z]?\d+)", value.strip())
    if not match:
        return value
    start, end = match.groups()
    if start.isdigit() and end.isdigit() and int(end) < int(start):
        full = start[: len(start) - len(end)] + end
        end = full if int(full) >= int(start) else end
    return f"{start}--{end}" if start != end else start


def title(value: str) -> str:
    """A title without markup tags and without a whole-title brace wrapper."""
    value = TAG.sub("", value).strip()
    if value.startswith("{") and value.endswith("}") and _one_group(value):
        value = value[1:-1].strip()
    return value


def _one_group(value: str) -> bool:
    """Whether the opening brace closes only at the very end ({A b} yes; {A} b {C} no)."""
    depth = 0
    for i, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and i < len(value) - 1:
            return False
    return depth == 0


def names(value: str) -> str:
    """A name list in "Family, Given" order, as the library writes it."""
    out = []
    for name in split_name_list(re.sub(r"\s+", " ", value)):
        if name.strip().lower() == "others":
            out.append("others")
            continue
        try:
            person = Person(name)
        except PybtexError:  # "Too many commas in ..."; keep the name as written, check reports it
            out.append(name.strip())
            continue
        family = " ".join(person.prelast_names + person.last_names)
        given = " ".join(person.first_names + person.middle_names)
        parts = [family, *person.lineage_names, given] if given or person.lineage_names else [family]
        out.append(", ".join(p for p in parts if p))
    return " and ".join(out)


def _plain(value: str) -> str:
    """Letters and digits left once braces and commands are gone: is there any text at all?"""
    return re.sub(r"\\[A-Za-z]+|[^A-Za-z0-9\u00c0-\uffff]", "", value)
