"""Reading references/ from disk into the model: the only module of the core that touches files."""

from __future__ import annotations

import errno
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
    # Files are named by their paths from the root ("references/x.bib") throughout: Path objects
    # cost more than the listing itself at 5,000 papers.
    files = _files_under(references, REFERENCES)
    unreadable, problems = _unreadable_names(files)
    read: set[str] = set(unreadable)

    entries = []
    for name in _files_ending(references, REFERENCES, ".bib", unreadable):
        read.add(name)
        found, bib_problems = parse(name, _read(root, name), read_bib)
        entries.extend(found)
        problems.extend(bib_problems)

    taxonomy_path = root / TAXONOMY
    if taxonomy_path.is_file():
        read.add(TAXONOMY)
        taxonomy, taxonomy_problems = parse(TAXONOMY, taxonomy_path.read_bytes(), read_taxonomy)
        problems.extend(taxonomy_problems)
    else:
        taxonomy = Taxonomy(path=TAXONOMY)
        missing = "the taxonomy file is missing; every role and theme comes from it"
        problems.append(error(TAXONOMY, 0, "", missing))

    summaries = []
    for name in _files_ending(root / SUMMARIES, SUMMARIES, ".md", unreadable):
        read.add(name)
        summary, summary_problems = parse(name, _read(root, name), read_summary)
        problems.extend(summary_problems)
        if summary is not None:
            summaries.append(summary)
    for name in files:
        # Hidden files (.DS_Store, .gitkeep) are the tools' own; hidden .bib and .md files are read above.
        if name not in read and not name.rsplit("/", 1)[-1].startswith("."):
            problems.append(
                error(
                    name,
                    0,
                    "",
                    "this file is not read, so nothing in it reaches the site; BibTeX entries go in "
                    "references/*.bib, summaries in references/summaries/<key>.md (move it, or delete it)",
                )
            )
    return Library(entries=tuple(entries), summaries=tuple(summaries), taxonomy=taxonomy), problems


def _order(name: str) -> list[str]:
    """The sort key that orders names as their paths sort: folder by folder."""
    return name.split("/")


def _files_under(folder: Path, name: str) -> list[str]:
    """Every file below folder, as name/..., sorted: what `folder.rglob("*")` and is_file() give.

    Like rglob it does not follow links to folders, and passes over a folder it may not list.
    """
    found: list[str] = []
    _walk(str(folder), name, found)
    return sorted(found, key=_order)


def _walk(folder: str, name: str, found: list[str]) -> None:
    """Add the files in folder and below to found, as name/...; see _files_under."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:
        return
    for entry in entries:
        child = f"{name}/{entry.name}"
        if _is_file(entry):
            found.append(child)
        elif _is_folder(entry):
            _walk(entry.path, child, found)


def _files_ending(folder: Path, name: str, suffix: str, unreadable: set[str]) -> list[str]:
    """The files of one folder whose names end in suffix, as name/..., sorted: `folder.glob("*" + suffix)`."""
    if not folder.is_dir():
        return []
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if entry.name.endswith(suffix)]
    except PermissionError:  # as glob: a folder we may not list has no files
        return []
    found = [f"{name}/{entry.name}" for entry in entries if _is_file(entry)]
    return sorted(child for child in found if child not in unreadable)


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Path.is_file() for a listed entry: the listing says, so only a symbolic link costs a stat."""
    try:
        return entry.is_file()
    except OSError:  # a looping link: Path.is_file() decides, as before, what it means
        return Path(entry.path).is_file()


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether rglob would go into the entry: a folder, not a link to one."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return False  # as pathlib: gone, or not a folder after all
        raise


def _read(root: Path, name: str) -> bytes:
    with open(os.path.join(root, name), "rb") as file:
        return file.read()


def _unreadable_names(files: list[str]) -> tuple[set[str], list[Problem]]:
    """Files whose names are not UTF-8: reported (a name that cannot be printed would crash the log)."""
    bad = {name for name in files if not _is_utf8(name.rsplit("/", 1)[-1])}
    problems = [
        error(
            os.fsencode(name).decode("utf-8", "replace"),
            0,
            "",
            "the file name is not UTF-8, so the file is not read; "
            "rename it with letters, digits and -_:. only",
        )
        for name in sorted(bad, key=_order)
    ]
    return bad, problems


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode kept an undecodable byte as a lone surrogate
        return False
    return True
