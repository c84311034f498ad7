"""Serve the built site the way GitHub Pages will: under the URL path of its site_url."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from browser_support import serve_directory


def site_prefix(site: Path) -> str:
    """The URL path the site was built for, from its canonical link ("/" when it has none)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<link rel="canonical" href="([^"]+)"', home)
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


@contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve a built site under its own prefix; yield the base URL ending in /."""
    with serve_directory(site, site_prefix(site)) as base:
        yield base
