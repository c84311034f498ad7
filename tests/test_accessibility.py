"""WCAG 2.2 AA on every page type, in the light and the dark palette, with axe-core in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import format_violations, guard_requests, run_axe
from site_server import serve_site

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best practices (landmarks, heading order, dialog names) do not change with the palette: check
# them once, in light; the dark run checks WCAG only, colour contrast above all.
AXE_OPTIONS = {"light": {"runOnly": [*WCAG, "best-practice"]}, "dark": {"runOnly": WCAG}}
# One page of each type; All papers twice, the second with filters on and a group open.
PAGES = {
    "home": "",
    "role": "roles/peer-navigator/",
    "theme": "themes/empowerment/",
    "paper": "papers/haines2025core/",
    "evidence map": "evidence-map/",
    "all papers": "papers/",
    "all papers, filtered": "papers/?role=peer-support-specialist&from=2015",
    "guide": "guides/working-alongside-peer-workers/",
}
# Material's palette follows the reader's system setting on a first visit.
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_on_any_page_type(browser, axe_script: str, base: str, scheme: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    requests = guard_requests(context)
    try:
        page = context.new_page()
        failures = []
        for name, path in PAGES.items():
            page.goto(base + path)
            assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme], name
            if "?" in path:
                page.locator("details[data-filter=theme] > summary").click()
            found = format_violations(run_axe(page, axe_script, AXE_OPTIONS[scheme]))
            if found:
                failures.append(f"{name} ({path or 'home'}), {scheme}:\n{found}")
        assert not failures, "\n\n".join(failures)
        requests.assert_only_local()
    finally:
        context.close()


def test_keyboard_focus_is_visible(page, base: str):
    page.goto(base + "evidence-map/")
    region = page.locator(".peerkb-map")
    region.focus()
    page.keyboard.press("Tab")  # into the table: the first role heading's link
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert focused[0] == "A" and focused[1] == "solid" and focused[2] >= 2, focused
    # The scroll region itself shows focus too, so keyboard users see where the arrows will scroll.
    region.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"


def test_the_phone_layout_scrolls_the_map_inside_its_region_not_the_page(browser, base: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base + "evidence-map/")
        widths = page.evaluate(
            "(() => { const map = document.querySelector('.peerkb-map');"
            " const doc = document.documentElement;"
            " return [doc.scrollWidth, innerWidth, map.scrollWidth, map.clientWidth]; })()"
        )
        assert widths[0] <= widths[1], widths  # the page itself does not scroll sideways
        assert widths[2] > widths[3], widths  # the table does, in its labelled region
    finally:
        context.close()
