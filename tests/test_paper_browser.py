"""A paper's page in a real Chromium: citation tabs, the copy button, no-script fallback, print."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import format_violations, run_axe, serve_directory

PAPER = "papers/haines2025core/"
APA = (
    "Haines, N. (2025). Core Purposes of Mental Health Peer Work: Empowerment, Stigma Reduction, "
    "Relational Safety and Walking Alongside People. Journal of Psychiatric and Mental Health Nursing. "
    "https://doi.org/10.1111/jpm.70027"
)


def site_prefix(site: Path) -> str:
    """The URL path the site was built for, read from the home page's canonical link."""
    found = re.search(
        r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8")
    )
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site, site_prefix(built_site)) as url:
        yield url


def selected(page) -> tuple[str, str]:
    """The selected tab's text and the id of the one visible panel."""
    tab = page.locator('[role="tab"][aria-selected="true"]')
    panels = page.locator(".peerkb-cite__panel:visible")
    assert panels.count() == 1
    return tab.inner_text(), panels.first.get_attribute("id")


def test_the_tabs_switch_style_by_mouse_and_keyboard_and_remember_it(page, request_log, base: str):
    page.goto(base + PAPER)
    tabs = page.get_by_role("tablist", name="Citation style").get_by_role("tab")
    assert tabs.all_inner_texts() == ["APA 7th", "Harvard (Cite Them Right)", "Vancouver"]
    assert selected(page) == ("APA 7th", "cite-apa")
    assert page.locator(".peerkb-cite__label:visible").count() == 0  # the tab names the style

    page.get_by_role("tab", name="Harvard (Cite Them Right)").click()
    assert selected(page) == ("Harvard (Cite Them Right)", "cite-harvard")
    assert "Available at:" in page.locator("#cite-harvard").inner_text()

    page.keyboard.press("ArrowRight")
    assert selected(page) == ("Vancouver", "cite-vancouver")
    assert page.evaluate("document.activeElement.id") == "cite-vancouver-tab"
    page.keyboard.press("ArrowRight")  # wraps round
    assert selected(page)[1] == "cite-apa"
    page.keyboard.press("End")
    assert selected(page)[1] == "cite-vancouver"
    # Only the selected tab is in the tab order (roving tabindex).
    assert page.eval_on_selector_all('[role="tab"]', "tabs => tabs.map(t => t.tabIndex)") == [-1, -1, 0]

    page.goto(base + "papers/conchar2014walking/")  # the chosen style follows the reader
    assert selected(page)[1] == "cite-vancouver"
    request_log.assert_only_local()


def test_the_copy_button_copies_the_plain_text_citation(browser_context, page, request_log, base: str):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page.goto(base + PAPER)
    button = page.locator("#cite-apa").get_by_role("button", name="Copy citation")
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == APA
    status = page.get_by_role("status")
    assert status.inner_text() == "Copied the APA 7th citation to the clipboard."
    assert page.locator("#cite-apa .peerkb-cite__copy").inner_text() == "Copied"

    page.get_by_role("tab", name="Vancouver").click()
    page.locator("#cite-vancouver").get_by_role("button", name="Copy citation").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Haines N. Core Purposes") and copied.endswith("doi:10.1111/jpm.70027")
    request_log.assert_only_local()


def test_without_javascript_every_style_is_shown(browser, base: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + PAPER)
        assert page.locator(".peerkb-cite__panel:visible").count() == 3
        assert page.locator(".peerkb-cite__label:visible").all_inner_texts() == [
            "APA 7th", "Harvard (Cite Them Right)", "Vancouver",
        ]  # fmt: skip
        assert page.locator(".peerkb-cite__copy:visible").count() == 0  # it could not work
        assert page.locator('[role="tablist"]').count() == 0
    finally:
        context.close()


def test_the_page_prints_on_a4_without_the_site_around_it(page, base: str):
    page.goto(base + PAPER)
    page.emulate_media(media="print")
    hidden = (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
              ".peerkb-cite__tabs", "#cite-apa .peerkb-cite__copy")  # fmt: skip
    for selector in hidden:
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
    # Addresses are written out after external links, but not after a link that already shows one.
    after = "e => getComputedStyle(e, '::after').content"
    assert page.eval_on_selector('article a[href^="https://github.com"]', after).startswith(
        '" (https://github.com/'
    )
    assert page.eval_on_selector(".peerkb-record a[href^='https://doi.org']", after) == "none"
    # The one style printed is named, since the tabs are not printed.
    assert page.locator("#cite-apa .peerkb-cite__label").is_visible()

    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert 1 <= pages <= 3, f"{pages} A4 pages"
    # A4 is 595.28 x 841.89 points; Chromium rounds to whole CSS pixels (595.92 x 842.88).
    assert re.search(rb"/MediaBox\s*\[0 0 59[56](?:\.\d+)? 84[123](?:\.\d+)?\]", pdf), "not A4"


def test_the_citation_box_passes_axe_in_both_palettes(browser, axe_script: str, base: str):
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(base + PAPER)
            page.get_by_role("tab", name="Vancouver").click()
            result = run_axe(page, axe_script, {"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
            assert result["violations"] == [], scheme + ":\n" + format_violations(result)
        finally:
            context.close()
