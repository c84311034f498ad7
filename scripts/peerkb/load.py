"""Reading references/ from disk into the model: the only module of the core that touches files."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from peerkb.bibfile import read_bib
from peerkb.model import Library, Taxonomy
from peerkb.problems import Problem, error
from peerkb.summary_file import read_summary
from peerkb.taxonomy_file import read_taxonomy

REFERENCES = "references"
TAXONOMY = f"{REFERENCES}/taxonomy.yml"
SUMMARIES = f"{REFERENCES}/summaries"

T = TypeVar("T")


class ParseCache:
    """Parsed files by path and content hash, so `mkdocs serve` re-parses only what changed."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[bytes, Any]] = {}

    def parse(self, path: str, data: bytes, parser: Callable[[str, bytes], T]) -> T:
        """parser(path, data), or its earlier result for exactly these bytes."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        cached = self._parsed.get(path)
        if cached is not None and cached[0] == digest:
            return cached[1]
        result = parser(path, data)
        self._parsed[path] = (digest, result)
        return result


def _direct(path: str, data: bytes, parser: Callable[[str, bytes], T]) -> T:
    return parser(path, data)


def load_library(root: Path, cache: ParseCache | None = None) -> tuple[Library, list[Problem]]:
    """Load every .bib file, the taxonomy and every summary under root/references.

    Returns the library and the problems met while reading; checks that compare files with
    each other are check.check_library's job. With a cache, unchanged files are not re-parsed.
    """
    parse = cache.parse if cache is not None else _direct
    problems: list[Problem] = []
    references = root / REFERENCES
    if not references.is_dir():
        problems.append(error(REFERENCES, 0, "", f"no {REFERENCES}/ folder in {root}"))
        return Library(entries=(), summaries=(), taxonomy=Taxonomy(path=TAXONOMY)), problems

    entries = []
    for path in sorted(references.glob("*.bib")):
        found, bib_problems = parse(_relative(path, root), path.read_bytes(), read_bib)
        entries.extend(found)
        problems.extend(bib_problems)

    taxonomy_path = root / TAXONOMY
    if taxonomy_path.is_file():
        taxonomy, taxonomy_problems = parse(TAXONOMY, taxonomy_path.read_bytes(), read_taxonomy)
        problems.extend(taxonomy_problems)
    else:
        taxonomy = Taxonomy(path=TAXONOMY)
        problems.append(error(TAXONOMY, 0, "", "the taxonomy file is missing; every role and theme comes from it"))

    summaries = []
    for path in sorted((root / SUMMARIES).glob("*.md")):
        summary, summary_problems = parse(_relative(path, root), path.read_bytes(), read_summary)
        problems.extend(summary_problems)
        if summary is not None:
            summaries.append(summary)
    return Library(entries=tuple(entries), summaries=tuple(summaries), taxonomy=taxonomy), problems


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
