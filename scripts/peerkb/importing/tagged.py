"""Shared reading for line-tagged formats (RIS, MEDLINE, EndNote): tags, continuation lines, escaping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .record import latex_escape

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
