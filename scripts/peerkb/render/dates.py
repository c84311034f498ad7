"""Page dates from the library, never the clock: two builds of one library give the same sitemap.

MkDocs dates every page with the day of the build, and sitemap.xml (and the header of its .gz)
print that date, so a site rebuilt tomorrow from unchanged files would differ. A paper's page is
dated by its summary (reviewed, else added); every other page by the newest of those dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from peerkb.model import Library
from peerkb.slug import slug_for_key

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def page_dates(library: Library) -> tuple[Mapping[str, str], str]:
    """Each paper page's date by docs path (papers/<slug>.md), and the newest date of the library."""
    dates: dict[str, str] = {}
    for summary in library.summaries:
        known = [d for d in (summary.date_added, summary.date_reviewed) if _ISO_DATE.fullmatch(d)]
        if known:
            dates[f"papers/{slug_for_key(summary.key)}.md"] = max(known)
    return dates, max(dates.values(), default="")
