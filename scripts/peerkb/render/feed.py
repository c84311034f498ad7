"""What's new: an Atom feed of papers by date added, and the home page's "Recently added" list.

The feed is deterministic: entries are ordered by date added (newest first, then key) and the
feed's <updated> is the newest date added, never the build time, so an unchanged library builds
an identical file. Ids are UUIDs derived from citation keys, so they survive a move of the site.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from peerkb.markup import one_line
from peerkb.model import Paper, Taxonomy
from peerkb.render.common import paper_line

FEED_PATH = "feed.xml"
FEED_LIMIT = 50
RECENT_LIMIT = 5
RECENT_MARKER = "<!-- peerkb:recently-added -->"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters XML 1.0 forbids even as references: untrusted text must lose them, not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_EPOCH = "1970-01-01"


def _xml(text: str) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    text = _NOT_XML.sub("", one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _date(paper: Paper) -> str:
    """The paper's date added as YYYY-MM-DD; the epoch for a date the checks should have refused."""
    value = paper.summary.date_added
    return value if _ISO_DATE.fullmatch(value) else _EPOCH


def newest_added(papers: Sequence[Paper]) -> list[Paper]:
    """Papers by date added, newest first; ties by citation key so the order never wobbles."""
    by_key = sorted(papers, key=lambda p: p.key)
    return sorted(by_key, key=_date, reverse=True)


def _entry_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'peerkb:paper:' + key)}"


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def render_feed(papers: Sequence[Paper], taxonomy: Taxonomy, site_url: str, site_name: str) -> str:
    """The Atom feed (RFC 4287) of the newest papers; links absolute when site_url is known.

    With an empty site_url the links are relative to the feed (it lives at the site root), which
    Atom allows and feed readers resolve against the address they fetched the feed from.
    """
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    newest = newest_added(papers)[:FEED_LIMIT]
    updated = _timestamp(_date(newest[0])) if newest else _timestamp(_EPOCH)
    name = _xml(site_name) or "Peer Work Knowledge Base"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{name}: recently added papers</title>",
        f"  <id>urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'peerkb:feed:' + (base or name))}</id>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{name}</name></author>",
        f'  <link rel="alternate" type="text/html" href="{_xml(base) or "./"}"/>',
    ]
    if base:
        lines.append(f'  <link rel="self" type="application/atom+xml" href="{_xml(base + FEED_PATH)}"/>')
    for paper in newest:
        lines += _entry(paper, taxonomy, base)
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _entry(paper: Paper, taxonomy: Taxonomy, base: str) -> list[str]:
    entry, summary = paper.entry, paper.summary
    stamp = _timestamp(_date(paper))
    lines = [
        "  <entry>",
        f"    <title>{_xml(entry.title or entry.key)}</title>",
        f'    <link rel="alternate" type="text/html" href="{_xml(f"{base}papers/{paper.slug}/")}"/>',
        f"    <id>{_entry_id(paper.key)}</id>",
        f"    <published>{stamp}</published>",
        f"    <updated>{stamp}</updated>",
    ]
    lines += [f"    <author><name>{_xml(p.display)}</name></author>" for p in entry.authors or entry.editors]
    for facet in ("roles", "themes"):
        for term_id in getattr(summary, facet):
            term = taxonomy.term(facet, term_id)
            if term is not None:
                lines.append(f'    <category term="{_xml(term.id)}" label="{_xml(term.title)}"/>')
    parts = [summary.takeaway]
    if entry.year or entry.container:
        parts.append(
            " ".join(x for x in (entry.container, f"({entry.year})" if entry.year else "") if x) + "."
        )
    text = " ".join(p for p in parts if p)
    if text:
        lines.append(f'    <summary type="text">{_xml(text)}</summary>')
    lines.append("  </entry>")
    return lines


def render_recently_added(papers: Sequence[Paper], prefix: str = "") -> str:
    """Markdown list of the newest papers for a page at docs-root depth `prefix` ("" for the home page)."""
    newest = newest_added(papers)[:RECENT_LIMIT]
    if not newest:
        return "No papers yet.\n"
    return "\n".join(paper_line(p, prefix) for p in newest) + "\n"
