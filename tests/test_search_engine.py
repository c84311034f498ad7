# ruff: noqa: RUF001, E501  (accented and look-alike letters are the point; long literal lines)
"""Our search worker (theme/assets/javascripts/peerkb-search.js) in a real Chromium.

Material's page code talks to the worker with SETUP, QUERY and RESULT messages; these tests send
the same messages the same way, to the worker the built site names, over the index it serves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, copy_project, mkdocs_build
from peerkb.search_index import STOP_WORDS, index_terms
from render_support import bib_entry, bib_value, summary_file
from site_server import serve_site

pytestmark = pytest.mark.browser

WORKER = ROOT / "scripts" / "peerkb" / "theme" / "assets" / "javascripts" / "peerkb-search.js"
PAPER = "papers/wyder2020diary/"

# Set up the worker as Material does (the config of search_index.json), then ask each query in
# turn; resolves to the RESULT data of each.
ASK = """async ([queries]) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const index = await (await fetch(new URL("search/search_index.json", new URL(config.base, location)))).json();
  const worker = new Worker(config.search);
  const next = () => new Promise(resolve => worker.addEventListener("message", e => resolve(e.data), {once: true}));
  // A query may have an early answer (the best ten pages) before the complete one.
  const answer = async () => { for (;;) { const m = await next(); if (m.type !== 3 || m.data.complete) return m; } };
  worker.postMessage({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: true}}});
  if ((await next()).type !== 1) throw new Error("no READY");
  const results = [];
  for (const query of queries) {
    worker.postMessage({type: 2, data: query});
    results.push((await answer()).data);
  }
  worker.terminate();
  return results;
}"""


@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


def ask(page: Any, base: str, *queries: str) -> list[dict[str, Any]]:
    page.goto(base)
    return page.evaluate(ASK, [list(queries)])


def locations(result: dict[str, Any]) -> list[str]:
    """The pages of a result, best first (each group's page: the entry without a #)."""
    return [next(item["location"] for item in group if "#" not in item["location"]) for group in result["items"]]


def test_the_browser_makes_the_same_terms_as_the_build(page) -> None:
    samples = [
        "Lindström’s NURSES and the Studies of Straße",
        "Ørsted Łukasz Þór ÆSIR Œuvre dığer Ħal",
        "peer-led co-production (2020): 10.1111/jpm.70027",
        "ﬁrst ½ naïve Ｆｕｌｌｗｉｄｔｈ Ⅻ 子ども",
        "status analysis thesis focus ties dies boss",
        "İstanbul ΣΊΣΥΦΟΣ ǅemal",
    ]
    page.set_content("<p>terms</p>")
    page.add_script_tag(content=WORKER.read_text(encoding="utf-8"))
    browser_terms = page.evaluate(
        "([samples, stops]) => { stopWords = new Set(stops); return samples.map(terms); }",
        [samples, sorted(STOP_WORDS)],
    )
    assert browser_terms == [index_terms(sample) for sample in samples]


def test_a_paper_is_found_by_title_words_surname_doi_role_and_theme(page, request_log, base: str) -> None:
    queries = ["diary study clinical", "Roennfeldt", "10.3389/fpsyt.2020.587656",
               "wyder peer support specialist", "wyder role clarity", "Diary of a mental health"]
    results = ask(page, base, *queries)
    for query, result in zip(queries, results, strict=True):
        assert PAPER in locations(result)[:3], (query, locations(result)[:5])
    request_log.assert_only_local()


def test_a_role_or_theme_page_comes_first_for_its_name(page, base: str) -> None:
    navigator, relational = ask(page, base, "peer navigator", "relational safety")
    assert locations(navigator)[0] == "roles/peer-navigator/"
    assert locations(relational)[0] == "themes/relational-safety/"


def test_results_are_marked_escaped_and_say_which_words_are_missing(page, base: str) -> None:
    [result] = ask(page, base, "Roennfeld zzzunknown")
    first = result["items"][0][0]
    assert first["location"] == PAPER
    assert "<mark>Roennfeldt</mark>" in first["text"]
    # No page has the second word: pages with the first follow, and Material strikes out the other.
    assert first["terms"] == {"roennfeld": True, "zzzunknown": False}
    # The suggestion completes the word as typed, for Material's right-arrow completion.
    assert result["suggest"] == ["Roennfeldt"] or result["suggest"] == []


def test_only_stop_words_or_nothing_find_nothing(page, base: str) -> None:
    assert [r["items"] for r in ask(page, base, "", "   ", "the and of")] == [[], [], []]


EARLY = """async () => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const index = await (await fetch(new URL("search/search_index.json", new URL(config.base, location)))).json();
  const worker = new Worker(config.search);
  const answers = [];
  const done = new Promise(resolve => worker.addEventListener("message", e => {
    if (e.data.type === 3) answers.push(e.data.data);
    if (e.data.type === 3 && e.data.data.complete) resolve();
  }));
  worker.postMessage({type: 0, data: {config: index.config, docs: index.docs, options: {}}});
  worker.postMessage({type: 2, data: "peer"});
  await done;
  worker.terminate();
  return answers.map(a => a.items.map(group => group[0].location));
}"""


def test_a_long_list_comes_first_as_its_best_ten_then_whole(page, base: str) -> None:
    page.goto(base)
    first, *rest = page.evaluate(EARLY)
    assert rest, "a word on every page gives an early answer"
    whole = rest[-1]
    assert len(first) == 10 and len(whole) > 10
    # The early answer is the start of the complete one: what Material shows first does not move.
    assert whole[:10] == first


def test_a_hostile_title_and_author_show_as_text_in_search_results(tmp_path: Path, browser_context) -> None:
    project = copy_project(tmp_path / "project")
    key = "zzhostile2020walking"
    title = 'Qwertyzz <img src=x onerror="window.__pwned=1"> & <script>window.__pwned=2</script>'
    with (project / "references" / "library.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n" + bib_entry(key, title=bib_value(title),
                                   author=bib_value('Smith, <b onmouseover="window.__pwned=3">Jo</b>')))
    (project / "references" / "summaries" / f"{key}.md").write_text(
        summary_file(key, takeaway=json.dumps("Qwertyzz: a < b & c > d")), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    page = browser_context.new_page()
    with serve_site(site) as url:
        page.goto(url)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill("Qwertyzz")
        box.press("End")  # Material searches on key events
        item = page.locator(".md-search-result__item").first
        item.wait_for(state="visible")
        shown = item.inner_text()
        assert '<img src=x onerror="window.__pwned=1">' in shown and "<script>" in shown
        assert "a < b & c > d" in shown
        assert page.locator(".md-search-result img, .md-search-result script, .md-search-result b,"
                            " .md-search-result [onerror], .md-search-result [onmouseover]").count() == 0
        assert re.search(r"<mark>Qwertyzz</mark>", item.inner_html())
        assert page.evaluate("window.__pwned") is None
