"""The privacy page's promises, true by test: no cookies, no third-party requests, no tracking.

A real browser visits every kind of page of the site served under a sub-path, uses search, the
filters and the colour toggle, and we look at every request, every cookie and all storage.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import LOCAL_HOST, serve_directory
from conftest import ROOT
from test_subpath import SUB_PATH, SUB_PATH_URL, build

PRIVACY = ROOT / "docs" / "privacy.md"
# What the site may keep in the browser's storage (key suffixes; Material prefixes its scope),
# each named on the privacy page.
DOCUMENTED_STORAGE = ("__palette",)
# One page of each kind, where this build has it (paths under the site).
PAGE_KINDS = (
    "",
    "roles/",
    "roles/peer-support-specialist/",
    "themes/",
    "themes/recovery/",
    "papers/",
    "papers/wyder2020diary/",
    "evidence-map/",
    "guides/",
    "glossary/",
    "contributing/",
    "maintainers/",
    "privacy/",
    "host-your-own/",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("privacy"), SUB_PATH_URL)


class ScriptsAndLinks(HTMLParser):
    """Every <script>, <link> and embedded-content address of a page, and inline script text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "link":
            self.urls.append(a.get("href", ""))
        elif tag == "script":
            if "src" in a:
                self.urls.append(a["src"])
            self._inline_script = "src" not in a and a.get("type", "text/javascript") in (
                "text/javascript",
                "module",
            )
        elif tag in ("img", "iframe", "frame", "embed", "source", "audio", "video", "track", "input"):
            self.urls.extend(a[name] for name in ("src", "srcset", "poster") if a.get(name))
        elif tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        elif tag == "form" and a.get("action"):
            self.urls.append(a["action"])
        elif tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.urls.append(a.get("content", "").partition("url=")[2])

    def handle_data(self, data: str) -> None:
        if self._inline_script:
            self.inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False


def off_site(url: str) -> bool:
    """Tell whether a script, link or embed address leaves the site (built for 127.0.0.1)."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("", "data") and not url.strip().startswith("//"):
        return False
    return parts.hostname != LOCAL_HOST


def test_no_page_has_a_script_link_or_embed_from_another_host(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40
    seen = 0
    for page in pages:
        parser = ScriptsAndLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        seen += len(parser.urls)
        foreign = [url for url in parser.urls if off_site(url)]
        assert not foreign, f"{page.relative_to(site)} points off-site: {foreign}"
        for text in parser.inline:
            # Inline scripts may not name another host either (a tracker's loader would).
            assert "http://" not in text and "https://" not in text, f"{page.relative_to(site)}: {text[:200]}"
    assert seen > 10 * len(pages), "the parser is not seeing the pages' scripts and links"


def test_off_site_is_recognised() -> None:
    assert off_site("https://www.googletagmanager.com/gtag/js")
    assert off_site("//feed.xml")
    assert off_site("http://localhost/x.js")
    assert not off_site("../assets/javascripts/bundle.js")
    assert not off_site("http://127.0.0.1/some-org-kb/")
    assert not off_site("data:image/svg+xml,%3Csvg%3E")


def test_the_privacy_page_names_everything_the_site_may_store() -> None:
    text = PRIVACY.read_text(encoding="utf-8")
    for key in DOCUMENTED_STORAGE:
        assert f"`{key}`" in text
    for promise in (
        "No cookies",
        "No analytics and no tracking",
        "No requests to anyone else",
        "No accounts",
    ):
        assert promise in text
    assert "server logs" in text


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    with serve_directory(site, SUB_PATH) as base:
        yield base


@pytest.mark.browser
def test_a_visit_to_every_kind_of_page_stays_on_the_site_and_sets_nothing(
    site: Path, served: str, page, browser_context, request_log
) -> None:
    base = served
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    visited = [path for path in PAGE_KINDS if (site / path / "index.html").is_file()]
    assert len(visited) >= 12
    for path in visited:
        page.goto(base + path, wait_until="load")
        assert page.evaluate("document.cookie") == "", path
    # Use what the site offers: search, the filters, the light/dark switch.
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("recovery")
    box.press("End")
    page.locator(".md-search-result__item").first.wait_for()
    page.goto(base + "papers/")
    checkbox = page.locator("input[type=checkbox][name=role]").first
    if checkbox.count():
        page.locator("details.peerkb-filter summary").first.click()
        checkbox.check()
    page.locator("form[data-md-component=palette] label:visible").first.click()
    # A missing page: the 404 page is the only error response allowed.
    page.goto(base + "no-such-page/deeper/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == "Page not found"

    request_log.assert_only_local()
    assert len(request_log.urls) > len(visited)
    assert failed == [f"404 {base}no-such-page/deeper/"]
    assert browser_context.cookies() == []
    stored = page.evaluate("[...Object.keys(localStorage), ...Object.keys(sessionStorage)]")
    assert stored, "switching light/dark mode should have stored the choice"
    undocumented = [key for key in stored if not key.endswith(DOCUMENTED_STORAGE)]
    assert not undocumented, f"stored but not named on the privacy page: {undocumented}"
    assert page.evaluate("navigator.serviceWorker ? navigator.serviceWorker.controller : null") is None
