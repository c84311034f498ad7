"""Site-wide abbreviations: `*[CAMHS]: Child and Adolescent Mental Health Services` lines."""

from __future__ import annotations

import re

_DEFINITION = re.compile(r"^\*\[(?P<abbr>[^\]]+)\]:\s*(?P<title>.+?)\s*$")


def parse_abbreviations(text: str) -> dict[str, str]:
    """Abbreviation to its expansion, for Python-Markdown's abbr `glossary` option."""
    found = {}
    for line in text.splitlines():
        match = _DEFINITION.match(line)
        if match:
            found[match["abbr"].strip()] = match["title"]
    return dict(sorted(found.items()))
