"""Smaller pages, the same on screen (issue 6: at most 40 KB of site per paper)."""

from __future__ import annotations

import re
from pathlib import Path

from peerkb.page_html import collapse_indentation


def test_indentation_goes_but_every_line_break_stays() -> None:
    indented = "<div>\n    <p>a\n      b</p>\n  \n  </div>\n"
    assert collapse_indentation(indented) == "<div>\n<p>a\nb</p>\n</div>\n"


def test_white_space_that_is_content_is_kept() -> None:
    kept = (
        "<pre><code>def f():\n    return 1\n</code></pre>",
        "<PRE class='x'>\n  a\n</PRE >",
        "<code>a\n   b</code>",
        '<script type="application/ld+json">\n  {"a":\n    1}\n</script>',
        "<style>\n  p {\n    margin: 0;\n  }\n</style>",
        "<textarea>\n  typed\n</textarea>",
    )
    for element in kept:
        assert collapse_indentation(f"<div>\n  {element}\n  </div>") == f"<div>\n{element}\n</div>"


def test_a_built_paper_page_has_no_indentation_outside_preformatted_text(built_site: Path) -> None:
    page = (built_site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|code|script|style|textarea)\b.*?</\1\s*>", "", page, flags=re.DOTALL)
    assert re.search(r"\n[ \t]", outside) is None
    assert '<h2 id="what-was-found">' in page
