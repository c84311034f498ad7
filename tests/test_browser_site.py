"""The reader features in a real Chromium: search, the All papers filters, the evidence map links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import serve_directory
from conftest import copy_project, mkdocs_build
from site_server import serve_site

pytestmark = pytest.mark.browser

# A paper known by one of its later authors' surnames (not in its title): search must reach it.
SURNAME, PAPER = "Roennfeldt", "papers/wyder2020diary/"
PREFIX = "/peer-kb/"


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


def visible_items(page) -> list[dict[str, str]]:
    """The data-* ids of the All papers items that are shown."""
    return page.eval_on_selector_all(
        "#peerkb-papers > li:not([hidden])",
        "items => items.map(li => Object.assign({}, li.dataset))",
    )


def test_search_finds_a_paper_by_an_authors_surname(page, request_log, base: str):
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(SURNAME)
    box.press("End")  # Material's search reacts to key events, not to fill() alone
    # Material appends ?h=<term> to highlight the match on the page.
    result = page.locator(f'.md-search-result a[href*="{PAPER}?"]').first
    result.wait_for(state="visible")
    result.click()
    page.wait_for_url(re.compile(re.escape(PAPER)))
    assert SURNAME in page.locator("article").inner_text()
    request_log.assert_only_local()


def test_a_filter_narrows_the_list_and_survives_a_reload(page, request_log, base: str):
    page.goto(base + "papers/")
    total = len(visible_items(page))
    assert total >= 20
    status = page.locator("[data-count-total]")
    assert status.inner_text() == f"{total} papers"

    page.locator('details[data-filter="role"] > summary').click()
    page.locator('input[name=role][value="peer-navigator"]').check()
    shown = visible_items(page)
    assert 0 < len(shown) < total
    assert all("peer-navigator" in item["role"].split() for item in shown)
    assert status.inner_text() == f"{len(shown)} of {total} papers"
    # `hidden` really hides: no stylesheet overrides it with a display value.
    assert page.locator("#peerkb-papers > li[hidden]").first.is_hidden()
    assert page.url.endswith("papers/?role=peer-navigator")

    page.locator("input[name=from]").fill("2015")
    narrowed = visible_items(page)
    assert all(int(item["year"]) >= 2015 for item in narrowed)
    assert page.url.endswith("papers/?role=peer-navigator&from=2015")

    page.reload()
    assert visible_items(page) == narrowed
    assert page.locator('input[name=role][value="peer-navigator"]').is_checked()
    assert page.locator("input[name=from]").input_value() == "2015"
    chips = page.locator(".peerkb-chip")
    assert chips.all_inner_texts() == ["Role: Peer navigator \u00d7", "From 2015 \u00d7"]

    chips.first.click()
    assert page.url.endswith("papers/?from=2015")
    page.get_by_role("button", name="Clear all filters").click()
    assert len(visible_items(page)) == total
    assert page.url.endswith("/papers/")
    request_log.assert_only_local()


def test_the_filters_combine_groups_with_and_and_choices_with_or(page, base: str):
    page.goto(base + "papers/?theme=recovery&theme=empowerment&evidence=personal-narrative")
    shown = visible_items(page)
    assert shown
    for item in shown:
        assert {"recovery", "empowerment"} & set(item["theme"].split())
        assert item["evidence"] == "personal-narrative"
    # An id the page does not offer is ignored: every filter that applies shows as a chip.
    page.goto(base + "papers/?theme=empowerment&evidence=no-such-type")
    assert all("empowerment" in i["theme"].split() for i in visible_items(page))
    assert page.locator(".peerkb-chip").all_inner_texts() == ["Theme: Empowerment \u00d7"]
    page.goto(base + "papers/?from=3000")
    assert visible_items(page) == []
    assert page.locator("[data-none]").is_visible()


def test_an_evidence_map_cell_opens_the_list_filtered_to_its_papers(page, request_log, base: str):
    page.goto(base + "evidence-map/")
    link = page.locator("td.peerkb-map__cell:not(.peerkb-map__total) a").first
    count = int(link.inner_text().split()[0])
    role, theme = re.search(r"\?role=([\w-]+)&theme=([\w-]+)$", link.get_attribute("href")).groups()
    link.click()
    page.wait_for_url(re.compile(r"/papers/\?"))
    shown = visible_items(page)
    assert len(shown) == count
    assert all(role in i["role"].split() and theme in i["theme"].split() for i in shown)
    request_log.assert_only_local()


def test_without_javascript_the_full_list_shows_and_the_filters_stay_hidden(browser, base: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "papers/?role=peer-navigator")
        assert not page.locator(".peerkb-filters").is_visible()
        assert page.locator("#peerkb-papers > li").count() == len(visible_items(page)) >= 20
    finally:
        context.close()


@pytest.fixture(scope="module")
def instant_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The project with Material's instant navigation on, served at exactly its site_url.

    Instant navigation only swaps pages whose origin (port included) matches the sitemap's, so
    the server starts first and the site is then built for the address it got.
    """
    project = copy_project(tmp_path_factory.mktemp("instant") / "project")
    config = project / "scripts" / "peerkb" / "mkdocs-base.yml"
    text = config.read_text(encoding="utf-8")
    assert "  features:\n" in text
    config.write_text(text.replace("  features:\n", "  features:\n    - navigation.instant\n", 1), "utf-8")
    site = project / "site"
    site.mkdir()
    with serve_directory(site, PREFIX) as url, pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", url)
        result = mkdocs_build(project, site)
        assert result.returncode == 0, result.stderr
        yield url


def test_filters_work_after_instant_navigation(page, request_log, instant_base: str):
    page.goto(instant_base + "evidence-map/")
    page.evaluate("window.peerkbSamePage = true")  # a full page load would forget this
    link = page.locator("td.peerkb-map__cell:not(.peerkb-map__total) a").first
    count = int(link.inner_text().split()[0])
    link.click()
    # Instant navigation changes the address with the History API: there is no load event.
    page.wait_for_url(re.compile(r"/papers/\?role="), wait_until="commit")
    page.locator(f"[data-count-total]:text('{count} of')").wait_for()
    assert len(visible_items(page)) == count
    for name, address in (("Evidence map", r"/evidence-map/$"), ("All papers", r"/papers/$")):
        page.locator(".md-nav--primary a", has_text=name).first.click()
        page.wait_for_url(re.compile(address), wait_until="commit")
    page.locator(".peerkb-filters").wait_for(state="visible")  # shown by facets.js on the new page
    total = page.locator("#peerkb-papers > li").count()
    assert len(visible_items(page)) == total
    page.locator("details[data-filter=evidence] > summary").click()
    page.locator("input[name=evidence]").first.check()
    assert 0 < len(visible_items(page)) < total
    assert page.evaluate("window.peerkbSamePage") is True, "navigation was not instant"
    request_log.assert_only_local()
