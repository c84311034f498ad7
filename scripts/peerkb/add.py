"""`peerkb add FILE...`: import exported references into references/library.bib and scaffold summaries.

This is the edge: it reads the sources and the library, lets `importing.plan.plan_import` decide
everything, then appends to the library in one write (never rewriting a byte already there) and
creates one summary file per new entry (never overwriting one).
"""

from __future__ import annotations

import os
import re
import sys
from importlib import resources
from pathlib import Path
from typing import TextIO

from .bibfile import read_bib
from .importing.detect import read_source
from .importing.duplicates import Known, keys_in_bib, known_entry
from .importing.plan import Plan, plan_import
from .importing.record import Record, Rejected

LIBRARY = "references/library.bib"


def run_add(
    sources: list[str], root: Path, stdin: TextIO, stderr: TextIO, today: str, stdout: TextIO | None = None
) -> int:
    """Import every source ("-" is standard input); 0 when all was imported, 1 when anything was not."""
    out = stdout or sys.stdout
    references = root / "references"
    if not references.is_dir():
        print(f"{root}: no references/ folder here; run peerkb add from the project root", file=stderr)
        return 1
    if not sources:
        print("nothing to add: give one or more exported files, or - to read standard input", file=stderr)
        return 1
    try:
        library_text = _read_library(root / LIBRARY)
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        byte = error.object[error.start]
        print(f"{LIBRARY}:{line}: byte 0x{byte:02x} is not UTF-8; save the file as UTF-8 first", file=stderr)
        return 1
    except OSError as error:
        print(f"{LIBRARY}: cannot read it: {error.strerror or error}", file=stderr)
        return 1
    library, taken = _known(root)
    records: list[Record] = []
    rejected: list[Rejected] = []
    for source in sources:
        name = "<stdin>" if source == "-" else source
        try:
            text = stdin.read() if source == "-" else decode(Path(source).read_bytes())
        except OSError as error:
            rejected.append(Rejected(name, 0, f"cannot read it: {error.strerror or error}"))
            continue
        _, found, bad = read_source(text, name)
        records.extend(found)
        rejected.extend(bad)
    plan = plan_import(LIBRARY, library_text, library, taken, records, rejected)
    return _carry_out(plan, root, today, out, stderr)


def _carry_out(plan: Plan, root: Path, today: str, out: TextIO, stderr: TextIO) -> int:
    """Append the plan's text, write its summaries, and report; the exit status."""
    status = 1 if plan.refused else 0
    if plan.append:
        try:
            _append(root / LIBRARY, plan.append)
        except OSError as error:
            print(f"{LIBRARY}: nothing added: could not write ({error.strerror or error})", file=stderr)
            return 1
    template = resources.files("peerkb").joinpath("templates/summary.md").read_text(encoding="utf-8")
    for added in plan.added:
        relative = f"references/summaries/{added.key}.md"
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as summary:
                summary.write(scaffold(template, added.key, today))
        except FileExistsError:
            print(f"{relative}: exists already; left it as it is", file=stderr)
            status = 1
        print(f"added {added.key} -> {relative} ({LIBRARY}:{added.line})", file=out)
    for line in (*plan.notes, *plan.refused):
        print(line, file=stderr)
    return status


def _append(path: Path, text: str) -> None:
    """Append text in one write; if that fails part-way, cut the file back to its old length."""
    # Append mode never touches the bytes already there; the cut-back means a full disk cannot
    # leave half an entry behind.
    with open(path, "ab") as library:
        size = library.tell()
        try:
            library.write(text.encode("utf-8"))
            library.flush()
            os.fsync(library.fileno())
        except OSError:
            library.truncate(size)
            raise


def scaffold(template: str, key: str, today: str) -> str:
    """The summary template with its key and date_added filled in."""
    text = re.sub(r"^key: KEY$", f"key: {key}", template, count=1, flags=re.M)
    return re.sub(r"^date_added: DATE$", f"date_added: {today}", text, count=1, flags=re.M)


def decode(data: bytes) -> str:
    """An export's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (old EndNote)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_library(path: Path) -> str:
    """The library's text exactly (newlines untranslated), or "" when it does not exist yet."""
    return path.read_bytes().decode("utf-8") if path.exists() else ""


def _known(root: Path) -> tuple[list[Known], set[str]]:
    """Entries of every references/*.bib, and every key taken by an entry or a summary file."""
    library: list[Known] = []
    taken: set[str] = set()
    for path in sorted((root / "references").glob("*.bib")):
        relative = path.relative_to(root).as_posix()
        data = path.read_bytes()
        entries, _ = read_bib(relative, data)  # its problems are `peerkb check`'s to report
        library.extend(known_entry(entry) for entry in entries)
        taken.update(keys_in_bib(data.decode("utf-8", errors="replace")))
    taken.update(entry.key for entry in library)
    taken.update(path.stem for path in (root / "references" / "summaries").glob("*.md"))
    return library, taken
