"""Reading the built site's search index (peerkb.search_index) the way the browser's worker does."""

from __future__ import annotations

import json
from pathlib import Path

from peerkb.search_index import index_terms, shard_key


def _folder(site: Path) -> Path:
    return site / "search" / "peerkb"


def indexed_pages(site: Path) -> dict[str, tuple[str, str]]:
    """Location to (title, text) of every page and section in the index, as stored (plain text)."""
    stub = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    manifest = stub["config"]["peerkb"]
    pages: dict[str, tuple[str, str]] = {}
    blocks = -(-manifest["documents"] // manifest["docsPerFile"])
    for n in range(blocks):
        for location, title, text, _parent in json.loads((_folder(site) / f"docs-{n}.json").read_bytes()):
            pages[location] = (title, text)
    assert len(pages) == manifest["documents"]
    return pages


def locations_by_id(site: Path) -> list[str]:
    """Locations in id order: the ids the term shards refer to."""
    return list(indexed_pages(site))


def found_by(site: Path, words: str) -> set[str]:
    """Locations holding every term of `words` as a whole term (the worker also matches prefixes)."""
    ids = locations_by_id(site)
    found: set[str] | None = None
    for term in index_terms(words):
        path = _folder(site) / f"terms-{shard_key(term)}.json"
        flat = json.loads(path.read_bytes()).get(term, []) if path.is_file() else []
        pages, doc_id = set(), 0
        for gap in flat[::2]:
            doc_id += gap
            pages.add(ids[doc_id])
        found = pages if found is None else found & pages
    return found or set()
