"""Pages' HTML after the templates: bytes the page need not carry.

Pure functions on HTML strings; the MkDocs hook applies them to each page.
"""

from __future__ import annotations

import re

_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style|code)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n[ \t\r\n]*")


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
