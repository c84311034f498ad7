"""Stable, readable citation keys: family name + year + first significant title word (smith2020peer)."""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain, count
from string import ascii_lowercase

from pybtex.bibtex.utils import split_name_list

from ..slug import slug_for_key
from .normalise import Draft
from .text import ascii_words

# Words that say little about a work; skipped when choosing the title word.
STOPWORDS = frozenset(
    "a an the and or but of on in into at to for from by with without about as is are was were be "
    "been being do does did how what when where which who why whose this that these those it its "
    "our their your my his her we you they not no yes vs versus than then there via".split()
)
# Words that start many organisations' names but say nothing of which one.
_ORG_SKIP = frozenset({"of", "and", "for", "the", "on", "in"})


def base_key(draft: Draft) -> str:
    """The key before any collision suffix: family name, year, first significant title word."""
    names = draft.fields.get("author") or draft.fields.get("editor") or ""
    first = next(iter(split_name_list(names)), "") if names else ""
    family = _family_part(first) or "anon"
    year = draft.fields.get("year", "")
    year = year if year.isdigit() else "nd"
    words = [w for w in ascii_words(draft.fields.get("title", "")) if w not in STOPWORDS and w[0].isalpha()]
    return f"{family}{year}{words[0] if words else ''}"


def _family_part(name: str) -> str:
    """The family name folded to ASCII ("van Gogh, Vincent" -> vangogh; organisations -> initials)."""
    if name.startswith("{") and name.endswith("}"):
        words = [w for w in ascii_words(name) if w not in _ORG_SKIP]
        return "".join(w[0] for w in words) if len(words) > 2 else "".join(words)
    family = name.split(",")[0] if "," in name else (name.split()[-1] if name.split() else "")
    return "".join(ascii_words(family))


def unique_key(base: str, taken: Collection[str]) -> str:
    """The base key, or the first of base+b, base+c, ... whose page name no taken key has."""
    # Compared by page name, not text: Smith2020Peer and smith2020peer. would share a page.
    slugs = {slug_for_key(key) for key in taken}
    if slug_for_key(base) not in slugs:
        return base
    for suffix in chain(ascii_lowercase[1:], map(str, count(2))):
        if slug_for_key(f"{base}{suffix}") not in slugs:
            return f"{base}{suffix}"
    raise AssertionError("unreachable: count() never ends")
