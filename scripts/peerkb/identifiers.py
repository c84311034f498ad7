"""DOIs and web addresses: recognised strictly, because they become links on the site."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

# Crossref's recommended pattern for modern DOIs, which matches 74.4M of 74.9M DOIs.
_DOI = re.compile(r"10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+")
# Ways people write a DOI around the bare form; the prefix match is case-insensitive.
_DOI_PREFIX = re.compile(r"doi:\s*|(https?://(?:dx\.|www\.)?doi\.org/)", re.IGNORECASE)
# Even where Crossref allows them, these must never reach an href or the text beside it.
_UNSAFE = re.compile(r"[<>\"'`\s\x00-\x1f\x7f]")


def normalise_doi(text: str) -> str | None:
    """The bare DOI (`10.1108/MHSI-08-2015-0031`) in `text`, or None when it is not a DOI."""
    doi = text.strip()
    prefix = _DOI_PREFIX.match(doi)
    if prefix:
        doi = doi[prefix.end() :]
        if prefix.group(1):  # an address may carry the DOI percent-encoded
            doi = unquote(doi)
    if _UNSAFE.search(doi) or not _DOI.fullmatch(doi):
        return None
    # The prefix is digits and dots; the suffix's case is kept (DOIs compare case-insensitively,
    # but publishers print them in their own case and readers copy them).
    return doi


def doi_url(doi: str) -> str:
    """The https://doi.org/ address of a bare DOI, percent-encoded so it is safe in an href."""
    prefix, _, suffix = doi.partition("/")
    # Parentheses are encoded too (10.1016/S0140-6736(20)30183-5): a Markdown link target cannot hold them.
    return f"https://doi.org/{prefix}/{quote(suffix, safe='/-._:;')}"


def is_web_url(text: str) -> bool:
    """Whether `text` is a plain http(s) address with a host, safe to put in an href."""
    if not text or _UNSAFE.search(text) or "\\" in text:
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # e.g. an invalid port or a bad IPv6 literal
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(host)
        and text.lower().startswith(parts.scheme.lower() + "://")
    )
