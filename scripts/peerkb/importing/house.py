"""Write one entry the way references/library.bib writes them: two spaces, aligned `=`, braced values."""

from __future__ import annotations

from .bibtex import MONTH_MACROS
from .normalise import Draft

# Field order of the library's entries: who, what, where, when, then identifiers; the rest sorted.
ORDER = (
    "author", "editor", "title", "journal", "booktitle", "series", "edition", "chapter", "institution",
    "organization", "school", "publisher", "address", "year", "month", "day", "howpublished", "type",
    "volume", "number", "pages", "doi", "isbn", "issn", "url", "note",
)  # fmt: skip


def format_entry(key: str, draft: Draft, newline: str = "\n") -> str:
    """The entry's text from `@type{key,` to its closing brace, without a final newline."""
    names = sorted(draft.fields, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    width = max(map(len, names))
    lines = [f"@{draft.type}{{{key},"]
    for i, name in enumerate(names):
        value = draft.fields[name]
        text = value if name == "month" and value in MONTH_MACROS else f"{{{value}}}"
        comma = "," if i < len(names) - 1 else ""
        lines.append(f"  {name.ljust(width)} = {text}{comma}")
    lines.append("}")
    return newline.join(lines)
