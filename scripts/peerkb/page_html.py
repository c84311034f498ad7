"""Generated pages' HTML after Markdown: what search leaves out, and bytes the page need not carry.

Pure functions on HTML strings; the MkDocs hook applies them to each page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# What stays out of Material's search index. Paper pages are left out whole (the hook) and found
# through our own index (search_index.py). A role's or theme's list of papers repeats the papers'
# own titles and takeaways, as do the maintainers' lists. Material drops a section whose heading
# carries data-search-exclude, and strips the attribute (with a value) from the page afterwards.
_TERM_LIST = re.compile(r"papers-about-this-[a-z]+-\d+")
_HEADING = re.compile(r'<h([2-6]) id="([^"]*)"')
_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style|code)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n[ \t\r\n]*")


def unsearched_sections(path: str) -> Callable[[str], object] | None:
    """Which h2 sections of a generated page stay out of search, by heading id; None for none."""
    if path.startswith(("roles/", "themes/")):
        return _TERM_LIST.fullmatch
    if path == "maintainers.md":
        # Lists of every record's title, for maintainers: found by its own name, not by papers'.
        return lambda id_: True
    return None


def collapse_indentation(html: str) -> str:
    """The HTML with white space after each line break removed, outside pre, code, script and style.

    A line break and the spaces after it show as one space, as a line break alone does; inside
    those elements white space is content, so they are copied unchanged.
    """
    parts = _KEEP_WHITESPACE.split(html)
    # split() with two groups gives: text, whole element, its tag name, text, ...
    for index in range(0, len(parts), 3):
        parts[index] = _INDENT.sub("\n", parts[index])
        if index + 2 < len(parts):
            parts[index + 2] = ""
    return "".join(parts)


def exclude_from_search(html: str, unsearched: Callable[[str], object]) -> str:
    """Mark each h2 section whose id is unsearched (and every heading inside it) for Material's search."""
    excluding = False

    def mark(match: re.Match[str]) -> str:
        nonlocal excluding
        level, id_ = match.group(1), match.group(2)
        if level == "2":
            excluding = bool(unsearched(id_))
        # Sanitised HTML: the id holds no quote, so the attribute ends where it should.
        return f'{match.group()} data-search-exclude="peerkb"' if excluding else match.group()

    return _HEADING.sub(mark, html)
