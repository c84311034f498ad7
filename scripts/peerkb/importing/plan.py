"""What `peerkb add` will do, worked out before anything is written: text to append, keys, refusals."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..bibfile import read_bib
from ..problems import Severity
from .duplicates import Known, find_duplicate, known
from .house import format_entry
from .keys import base_key, unique_key
from .normalise import Draft, normalise
from .record import Record, Rejected


@dataclass(frozen=True)
class Added:
    """One entry that will be appended."""

    key: str
    """Its new citation key."""
    draft: Draft
    """Its normalised fields and where it came from."""
    line: int
    """Line its `@type{key,` will be on in the library."""


@dataclass(frozen=True)
class Plan:
    """Everything `add` writes and says, decided in one pure step."""

    append: str
    """Exact text to append to the library file ("" when nothing is added)."""
    added: tuple[Added, ...] = ()
    """Entries that will be added, in input order."""
    refused: tuple[str, ...] = ()
    """One line per thing not imported: `source:line: reason`."""
    notes: tuple[str, ...] = ()
    """One line per change worth knowing about in what was imported."""


def plan_import(
    library_path: str,
    library_text: str,
    library: Iterable[Known],
    taken_keys: Collection[str],
    records: Iterable[Record],
    rejected: Iterable[Rejected] = (),
) -> Plan:
    """Decide which records to append to the library (given as text), under which keys, and why not."""
    records, rejected = list(records), list(rejected)
    newline = "\r\n" if "\r\n" in library_text else "\n"
    # Refusals are reported per source in input order, then by line, however they were found.
    order = {name: i for i, name in enumerate(dict.fromkeys(x.source for x in [*records, *rejected]))}
    refused = list(rejected)
    notes: list[str] = []
    seen = list(library)
    taken = {*taken_keys, *(k.key for k in seen)}
    added: list[Added] = []
    texts: list[str] = []
    text_so_far = library_text + _separator(library_text, newline)
    for record in records:
        draft = normalise(record)
        if isinstance(draft, Rejected):
            refused.append(draft)
            continue
        candidate = known("", draft.fields, "")
        twin = find_duplicate(candidate, seen)
        if twin:
            same_doi = candidate.doi and candidate.doi == twin.doi
            how = f"same DOI {draft.fields['doi']}" if same_doi else "same title and year"
            why = f"already in the library as {twin.key} ({twin.where}), {how}"
            refused.append(Rejected(record.source, record.line, why))
            continue
        key = unique_key(base_key(draft), taken)
        text = format_entry(key, draft, newline)
        problem = _unreadable(library_path, text, key)
        if problem:
            refused.append(Rejected(record.source, record.line, problem))
            continue
        line = text_so_far.count("\n") + 1
        text_so_far += text + newline + newline
        texts.append(text)
        taken.add(key)
        seen.append(known(key, draft.fields, f"{library_path}:{line}"))
        added.append(Added(key, draft, line))
        notes.extend(f"{record.source}:{record.line}: {key}: {note}" for note in draft.notes)
    said = tuple(r.format() for r in sorted(refused, key=lambda r: (order[r.source], r.line)))
    if not texts:
        return Plan("", (), said, tuple(notes))
    body = (newline + newline).join(texts) + newline
    return Plan(_separator(library_text, newline) + body, tuple(added), said, tuple(notes))


def _separator(text: str, newline: str) -> str:
    """What goes between the library's last byte and a new entry: enough for one blank line."""
    if not text or text.endswith(newline + newline):
        return ""
    return newline if text.endswith(newline) else newline + newline


def _unreadable(path: str, text: str, key: str) -> str:
    """Why the library's own reader would not accept the entry as written, or "" when it would."""
    # The same reader `peerkb check` uses: an import never adds an entry that check then rejects
    # for its syntax or names (fields still missing, like a journal, are check's to report).
    entries, problems = read_bib(path, text.encode("utf-8"))
    errors = [p.message for p in problems if p.severity is Severity.ERROR]
    if errors:
        return "; ".join(errors)
    if [e.key for e in entries] != [key] or not entries[0].title:
        return "it does not read back as one entry with a title"
    return ""
