"""Reading references/ from disk into the model: the only module of the core that touches files."""

from __future__ import annotations

import hashlib
import os
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

    # Every file under references/ is read, or named as not read: none may go missing in silence.
    # One walk serves both the names check and that last look (a second walk cost ~30 ms at 5,000).
    files = sorted((p for p in references.rglob("*") if p.is_file()), key=_order)
    unreadable, problems = _unreadable_names(root, files)
    read: set[Path] = set(unreadable)

    entries = []
    for path in _files_ending(references, ".bib", unreadable):
        read.add(path)
        found, bib_problems = parse(f"{REFERENCES}/{path.name}", path.read_bytes(), read_bib)
        entries.extend(found)
        problems.extend(bib_problems)

    taxonomy_path = root / TAXONOMY
    if taxonomy_path.is_file():
        read.add(taxonomy_path)
        taxonomy, taxonomy_problems = parse(TAXONOMY, taxonomy_path.read_bytes(), read_taxonomy)
        problems.extend(taxonomy_problems)
    else:
        taxonomy = Taxonomy(path=TAXONOMY)
        missing = "the taxonomy file is missing; every role and theme comes from it"
        problems.append(error(TAXONOMY, 0, "", missing))

    summaries = []
    for path in _files_ending(root / SUMMARIES, ".md", unreadable):
        read.add(path)
        summary, summary_problems = parse(f"{SUMMARIES}/{path.name}", path.read_bytes(), read_summary)
        problems.extend(summary_problems)
        if summary is not None:
            summaries.append(summary)
    for path in files:
        # Hidden files (.DS_Store, .gitkeep) are the tools' own; hidden .bib and .md files are read above.
        if path not in read and not path.name.startswith("."):
            problems.append(
                error(
                    _relative(path, root),
                    0,
                    "",
                    "this file is not read, so nothing in it reaches the site; BibTeX entries go in "
                    "references/*.bib, summaries in references/summaries/<key>.md (move it, or delete it)",
                )
            )
    return Library(entries=tuple(entries), summaries=tuple(summaries), taxonomy=taxonomy), problems


def _order(path: Path) -> tuple[str, ...]:
    """The sort key that orders paths as sorted() orders them, computed once per path."""
    return path.parts


def _files_ending(folder: Path, suffix: str, unreadable: set[Path]) -> list[Path]:
    """The files of one folder whose names end in suffix, sorted: as `folder.glob("*" + suffix)`.

    Each entry's type comes with the directory listing, so only symbolic links cost a stat (a
    glob then a stat of each of 5,000 summaries took ~30 ms).
    """
    if not folder.is_dir():
        return []
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if entry.name.endswith(suffix)]
    except PermissionError:  # as glob: a folder we may not list has no files
        return []
    found = []
    for entry in entries:
        path = folder / entry.name
        try:
            is_file = entry.is_file()
        except OSError:  # a looping link: Path.is_file() decides, as before, what it means
            is_file = path.is_file()
        if is_file and path not in unreadable:
            found.append(path)
    return sorted(found, key=_order)


def _unreadable_names(root: Path, files: list[Path]) -> tuple[set[Path], list[Problem]]:
    """Files whose names are not UTF-8: reported (a name that cannot be printed would crash the log)."""
    bad = {p for p in files if not _is_utf8(p.name)}
    problems = [
        error(
            os.fsencode(_relative(path, root)).decode("utf-8", "replace"),
            0,
            "",
            "the file name is not UTF-8, so the file is not read; "
            "rename it with letters, digits and -_:. only",
        )
        for path in sorted(bad)
    ]
    return bad, problems


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode kept an undecodable byte as a lone surrogate
        return False
    return True


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
