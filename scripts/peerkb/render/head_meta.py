"""Machine-readable metadata for a paper's <head>: Highwire Press tags, Open Graph and JSON-LD.

Reference managers (the Zotero connector, Mendeley, EndNote Click) read the Highwire `citation_*`
tags and save the paper rather than the web page; search engines read JSON-LD; chat and mail apps
read Open Graph for link previews. The markup is built here, escaped here, and printed raw by the
theme (theme/main.html): MkDocs templates do not autoescape, so this module is what makes it safe.
The result is printable ASCII only (other characters become references), so it survives any
YAML front matter and any page encoding unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from peerkb.csl import entry_to_csl
from peerkb.identifiers import doi_url
from peerkb.markup import html_attr
from peerkb.model import Entry, Paper, Person, Taxonomy

# Control characters mean nothing in metadata; C1 ones would also decode as Windows-1252 text
# if written as character references, and YAML refuses some of them raw.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# CSL type -> schema.org type. Anything else is a CreativeWork.
SCHEMA_TYPES: dict[str, str] = {
    "article-journal": "ScholarlyArticle",
    "article-magazine": "Article",
    "article-newspaper": "NewsArticle",
    "paper-conference": "ScholarlyArticle",
    "chapter": "Chapter",
    "book": "Book",
    "report": "Report",
    "thesis": "Thesis",
    "post-weblog": "BlogPosting",
    "webpage": "WebPage",
}


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _meta(attribute: str, name: str, value: str) -> str:
    """One <meta> tag; the value escaped for a double-quoted attribute, non-ASCII as references."""
    content = html_attr(_clean(value)).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return f'<meta {attribute}="{name}" content="{content}">'


def _highwire_name(person: Person) -> str:
    """ "Family, Given" (with ", Suffix" as BibTeX writes it); an organisation alone."""
    return ", ".join(part for part in (person.family, person.given, person.suffix) if part)


def _highwire_date(item: dict[str, Any]) -> str:
    """YYYY, YYYY/MM or YYYY/MM/DD, as Highwire expects; empty for a date such as "in press"."""
    parts = (item.get("issued") or {}).get("date-parts", [[]])[0]
    if not parts:
        return ""
    return "/".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])])


def highwire_tags(entry: Entry, item: dict[str, Any]) -> list[tuple[str, str]]:
    """The Highwire Press (name, value) pairs of one entry, in the order Google Scholar lists them."""
    kind = item["type"]
    tags: list[tuple[str, str]] = [("citation_title", item.get("title", entry.key))]
    tags += [("citation_author", _highwire_name(p)) for p in entry.authors]
    tags += [("citation_editor", _highwire_name(p)) for p in entry.editors]
    tags.append(("citation_publication_date", _highwire_date(item)))
    container = item.get("container-title", "")
    publisher = item.get("publisher", "")
    if kind in ("article-journal", "article-magazine", "article-newspaper"):
        tags.append(("citation_journal_title", container))
    elif kind == "paper-conference":
        tags.append(("citation_conference_title", container))
    elif kind == "chapter":
        tags.append(("citation_inbook_title", container))
    if kind == "report":
        tags.append(("citation_technical_report_institution", publisher))
        tags.append(("citation_technical_report_number", item.get("number", "")))
    elif kind == "thesis":
        tags.append(("citation_dissertation_institution", publisher))
    else:
        tags.append(("citation_publisher", publisher))
    first, _, last = item.get("page", "").partition("-")
    tags += [
        ("citation_volume", item.get("volume", "")),
        ("citation_issue", item.get("issue", "")),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_doi", item.get("DOI", "")),
        ("citation_isbn", item.get("ISBN", "")),
        ("citation_issn", item.get("ISSN", "")),
    ]
    return [(name, value) for name, value in tags if value.strip()]


def _person_ld(person: Person) -> dict[str, str]:
    if not person.given and not person.suffix and len(person.family.split()) > 1:
        return {"@type": "Organization", "name": person.family}
    found = {
        "@type": "Person",
        "name": person.display,
        "givenName": person.given,
        "familyName": person.family,
    }
    return {key: value for key, value in found.items() if value}


def _part_of(item: dict[str, Any]) -> dict[str, Any] | None:
    """The periodical (with its volume and issue) or book the work appeared in."""
    container = item.get("container-title")
    if not container:
        return None
    kind = item["type"]
    if kind in ("chapter", "paper-conference"):
        return {"@type": "Book", "name": container}
    part: dict[str, Any] = {"@type": "Periodical", "name": container}
    if item.get("volume"):
        part = {"@type": "PublicationVolume", "volumeNumber": item["volume"], "isPartOf": part}
    if item.get("issue"):
        part = {"@type": "PublicationIssue", "issueNumber": item["issue"], "isPartOf": part}
    return part


def json_ld(paper: Paper, item: dict[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """The schema.org description of the paper (not of the web page about it)."""
    entry = paper.entry
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(item["type"], "CreativeWork"),
        "name": item.get("title", entry.key),
    }
    if entry.authors:
        data["author"] = [_person_ld(p) for p in entry.authors]
    if entry.editors:
        data["editor"] = [_person_ld(p) for p in entry.editors]
    date = _highwire_date(item)
    if date:
        data["datePublished"] = date.replace("/", "-")
    part_of = _part_of(item)
    if part_of:
        data["isPartOf"] = part_of
    if item.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    first, _, last = item.get("page", "").partition("-")
    if first:
        data["pageStart"] = first
    if last:
        data["pageEnd"] = last
    if item.get("DOI"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": item["DOI"]}
        data["sameAs"] = doi_url(item["DOI"])
    elif item.get("URL"):
        data["sameAs"] = item["URL"]
    if paper.summary.takeaway:
        data["description"] = paper.summary.takeaway
    themes = [t.title for t in (taxonomy.term("themes", i) for i in paper.summary.themes) if t]
    if themes:
        data["keywords"] = themes
    return data


def script_json(data: Any) -> str:
    """JSON for inside <script>: ASCII only, with <, > and & escaped so no text can end the element."""
    text = json.dumps(data, ensure_ascii=True, sort_keys=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _clean_data(value: Any) -> Any:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list):
        return [_clean_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_data(v) for k, v in value.items()}
    return value


def head_markup(paper: Paper, taxonomy: Taxonomy) -> str:
    """Every <head> tag for a paper's page, one per line, safe to print unescaped."""
    item = entry_to_csl(paper.entry)
    lines = [_meta("name", name, value) for name, value in highwire_tags(paper.entry, item)]
    lines.append(_meta("property", "og:type", "article"))
    lines.append(_meta("property", "og:title", item.get("title", paper.key)))
    if paper.summary.takeaway:
        lines.append(_meta("property", "og:description", paper.summary.takeaway))
    data = _clean_data(json_ld(paper, item, taxonomy))
    lines.append(f'<script type="application/ld+json">{script_json(data)}</script>')
    return "\n".join(lines)
