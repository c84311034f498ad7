"""Page names from citation keys, and the identity that tells two look-alike keys apart."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# Letters from other scripts that look like Latin ones; a key written with them would give a second
# page that readers cannot tell from the first. Cyrillic then Greek, lower case (keys are casefolded).
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁɡԛԝѵһӏαεικνορτυχ",
    "aeopcyxijsdgqwvhlaeikvoptux",
)


def _visible(text: str) -> str:
    """NFKC-normalised, casefolded text without format characters such as zero-width spaces."""
    if text.isascii():
        return text.lower()  # what the rest gives for ASCII, without a look at each character
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def slug_for_key(key: str) -> str:
    """The page name for a key: lower-case letters, digits and single hyphens; "" if none are left."""
    # Only [a-z0-9-] can survive, so the slug can never hold "/", ".." or a leading dot.
    return _NOT_SLUG.sub("-", _visible(key)).strip("-")


def key_identity(key: str) -> str:
    """What a key looks like to a reader: equal for keys that differ only in case, accents or look-alikes."""
    if key.isascii():
        return key.lower()  # no look-alikes, decomposition or accents: as below, but at once
    bare = unicodedata.normalize("NFKD", _visible(key).translate(_CONFUSABLES))
    return "".join(ch for ch in bare if not unicodedata.combining(ch))


_SAFE_KEY = re.compile(r"[A-Za-z0-9_:.-]+")


def is_safe_key(key: str) -> bool:
    """Whether a key may become file and page names: ASCII letters, digits and - _ : . only,
    no leading dot, and at least one letter or digit."""
    return bool(_SAFE_KEY.fullmatch(key)) and not key.startswith(".") and bool(slug_for_key(key))
