"""Shared reading for line-tagged formats (RIS, MEDLINE, EndNote): tags, continuation lines, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .record import Rejected, latex_escape

# Fields whose values are identifiers or addresses: copied as they are, never LaTeX-escaped.
VERBATIM = frozenset({"doi", "url", "issn", "isbn"})


@dataclass(frozen=True)
class Tagged:
    """One tag and its value, continuation lines already joined."""

    line: int
    """Line the tag is on."""
    tag: str
    """The tag, such as TI, AU, PMID or %T."""
    value: str
    """Its value, whitespace-trimmed."""


def tagged_lines(text: str, tag_line: re.Pattern[str]) -> Iterator[Tagged | None]:
    """Tagged values in order; None for each blank line (it ends a record in MEDLINE and EndNote)."""
    current: Tagged | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip("\ufeff")
        match = tag_line.match(line)
        if match:
            if current:
                yield current
            current = Tagged(number, match.group(1).strip(), (match.group(2) or "").strip())
        elif not line.strip():
            if current:
                yield current
            current = None
            yield None
        elif current:
            # A wrapped value (MEDLINE indents by six spaces; RIS and EndNote just wrap).
            joiner = "" if current.tag in {"UR", "L1", "L2", "%U"} else " "
            current = Tagged(current.line, current.tag, f"{current.value}{joiner}{line.strip()}".strip())
    if current:
        yield current


def split_records(
    items: Iterator[Tagged | None], *, starts: str, source: str, expected: str,
    ends: str = "", blank_ends: bool = False,
) -> tuple[list[list[Tagged]], list[Rejected]]:
    """Tagged lines grouped into records, and the lines that stood outside any record.

    The `starts` tag opens a record (closing an open one: a missing end marker loses nothing),
    `ends` closes one, and so does a blank line when `blank_ends` (MEDLINE, EndNote).
    """
    records: list[list[Tagged]] = []
    rejected: list[Rejected] = []
    current: list[Tagged] = []
    for item in items:
        if item is None:
            if blank_ends and current:
                records.append(current)
                current = []
            continue
        if item.tag == starts and current:
            records.append(current)
            current = []
        if ends and item.tag == ends:
            if current:
                records.append(current)
            current = []
        elif not current and item.tag != starts:
            rejected.append(Rejected(source, item.line, f"expected {expected} first, got {item.tag}"))
        else:
            current.append(item)
    if current:
        records.append(current)
    return records, rejected


def tag_values(items: list[Tagged]) -> dict[str, list[str]]:
    """Each tag's values in order: a record may repeat AU, KW and so on."""
    tags: dict[str, list[str]] = {}
    for item in items:
        tags.setdefault(item.tag, []).append(item.value)
    return tags


def first_value(tags: dict[str, list[str]], *names: str) -> str:
    """The first non-empty value among the named tags, or an empty string."""
    return next((tags[n][0] for n in names if tags.get(n) and tags[n][0]), "")


def bib_value(name: str, text: str) -> str:
    """A plain-text value in the form a BibTeX field needs."""
    if name in VERBATIM:
        return text
    if not _braces_balance(text):
        text = text.replace("{", "(").replace("}", ")")
    return latex_escape(text)


def _braces_balance(text: str) -> bool:
    """Whether every { has its } in order (BibTeX counts even escaped braces)."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# Words that mark a name written without a comma as an organisation rather than a person.
_CORPORATE = frozenset(
    "of and for the on association collaboration committee council department foundation group "
    "institute ministry network organization organisation society team trust university".split()
)


def author_list(names: list[str]) -> str:
    """Names as a BibTeX author list; a name that looks like an organisation is braced whole."""
    out = []
    for name in names:
        name = re.sub(r"\s+", " ", name).strip().rstrip(",")
        if not name:
            continue
        words = name.split()
        escaped = latex_escape(name.replace("{", "(").replace("}", ")"))
        corporate = "," not in name and (len(words) >= 4 or any(w.lower() in _CORPORATE for w in words))
        out.append("{" + escaped + "}" if corporate else escaped)
    return " and ".join(out)


def join_pages(start: str, end: str) -> str:
    """First and last page as one pages value."""
    start, end = start.strip(), end.strip()
    if start and end and end != start:
        return f"{start}--{end}"
    return start or end
