# ruff: noqa: E501  (exact messages and hostile values are long)
"""A table of hostile and malformed inputs: each is refused with its file and line, or rendered inert.

Everything under references/ comes from strangers' pull requests. Refused inputs are checked by the
exact start of the message `peerkb check` prints (file, line, field and what is wrong); inputs the
checks let through are rendered in-process the way the MkDocs build renders them, and the HTML is
parsed: it may hold nothing the templates and plain Markdown do not make.
"""

from __future__ import annotations

import html
import time

import pytest
from peerkb.summary_checks import unsafe_markup
from render_support import (
    KEY,
    MARKDOWN_PAIRS,
    bib_entry,
    bib_value,
    export_problems,
    head_problems,
    inventory,
    render_library,
    summary_file,
    taxonomy_file,
    toc_problems,
    unexpected,
    url_scheme,
)

B, S, T = bib_entry, summary_file, taxonomy_file
BIB = "references/library.bib"
SUMMARY = f"references/summaries/{KEY}.md"
TAXONOMY = "references/taxonomy.yml"
OTHER = {"title": "{Another work}", "doi": "{10.1000/other}"}
RAW = 'is not allowed: write Markdown instead'
SCHEME = "is not allowed: links must start with https://, http:// or mailto:"
FOUND = 28  # the line of the "What was found" text in summary_file()

# (id, bib, summaries (None: one good summary), taxonomy (None: a good one), start of an expected error)
REFUSED = [
    ("url javascript:", B(url="{javascript:alert(1)}"), None, None,
     f'{BIB}:10: url: expected a web address starting with https:// or http://, got "javascript:alert(1)"'),
    ("url data:", B(url="{data:text/html,<script>alert(1)</script>}"), None, None,
     f'{BIB}:10: url: expected a web address starting with https:// or http://, got "data:text/html,'),
    ("url double quote breaks out", B(url='{https://example.org/"onmouseover="alert(1)}'), None, None,
     f'{BIB}:10: url: expected a web address starting with https:// or http://, got "https://example.org/"onm'),
    ("url single quote breaks out", B(url="{https://example.org/'onmouseover='alert(1)}"), None, None,
     f"{BIB}:10: url: expected a web address starting with https:// or http://, got \"https://example.org/'onm"),
    ("url network path", B(url="{//evil.example/x}"), None, None,
     f'{BIB}:10: url: expected a web address starting with https:// or http://, got "//evil.example/x"'),
    ("url tab inside javascript:", B(url="{java\tscript:alert(1)}"), None, None,
     f'{BIB}:10: url: expected a web address starting with https:// or http://, got "java script:alert(1)"'),
    ("doi javascript:", B(doi="{javascript:alert(1)}"), None, None,
     f'{BIB}:9: doi: expected a DOI such as 10.1108/MHSI-08-2015-0031, got "javascript:alert(1)"'),
    ("doi breaks out of the href", B(doi='{10.1000/"><script>alert(1)</script>}'), None, None,
     f'{BIB}:9: doi: expected a DOI such as 10.1108/MHSI-08-2015-0031, got "10.1000/"><script>'),
    ("key ../ traversal", B(key="../x"), None, None, f'{BIB}:1: key: key "../x" is not safe as a file name;'),
    ("key absolute path", B(key="/etc/passwd"), None, None,
     f'{BIB}:1: key: key "/etc/passwd" is not safe as a file name;'),
    ("key backslash", B(key="a\\b"), None, None, f'{BIB}:1: key: key "a\\b" is not safe as a file name;'),
    ("key hidden", B(key=".hidden"), None, None, f'{BIB}:1: key: key ".hidden" is not safe as a file name;'),
    ("key very long", B(key="a" * 120), {"a" * 120: S(key="a" * 120)}, None,
     f'{BIB}:1: key: key "{"a" * 40}..." is 120 characters long; expected at most 100'),
    ("key look-alike letter", B(key="sm\u0456th2020walking"), None, None,
     f'{BIB}:1: key: key "sm\u0456th2020walking" is not safe as a file name;'),
    ("key invisible character", B(key="smith2020\u200bwalking"), None, None,
     f'{BIB}:1: key: key "smith2020\u200bwalking" is not safe as a file name;'),
    ("keys differ only in case", B() + B(key="Smith2020Walking", **OTHER), None, None,
     f'{BIB}:12: key: duplicate key "Smith2020Walking": a key that looks the same "smith2020walking" is used at '
     f"{BIB}:1; keys must differ in more than case, accents, invisible or look-alike characters"),
    ("keys give one page name", B(key="smith-2020") + B(key="smith_2020", **OTHER),
     {"smith-2020": S(key="smith-2020"), "smith_2020": S(key="smith_2020")}, None,
     f'{BIB}:12: key: key "smith_2020" gives the same page name "papers/smith-2020/" as "smith-2020" at {BIB}:1; '
     "change one of the keys"),
    ("key that is the All papers page", B(key="Index"), {"Index": S(key="Index")}, None,
     f'{BIB}:1: key: key "Index" gives the page name "papers/index/", which is the list of all papers: the paper '
     "would be lost; change the key, e.g. watson2014dayinlife"),
    ("taxonomy id that is the Roles page", B(), None, T().replace("id: peer-navigator", "id: index"),
     f'{TAXONOMY}:10: roles.index.id: "index" is the name of the roles list page; choose another id'),
    ("summary file named in another case", B(), {"Smith2020walking": S(key="Smith2020walking")}, None,
     'references/summaries/Smith2020walking.md:2: key: no BibTeX entry has the key "Smith2020walking";'),
    ("hidden summary file", B(), {KEY: S(), ".hidden": S(key=".hidden")}, None,
     'references/summaries/.hidden.md:2: key: no BibTeX entry has the key ".hidden";'),
    ("entry without a summary", B() + B(key="jones2021", **OTHER), None, None,
     f'{BIB}:12: no summary for "jones2021"; create references/summaries/jones2021.md'),
    ("script element", B(), {KEY: S(sections={"What was found": "<script>alert(1)</script>"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: raw HTML "<script>" {RAW}'),
    ("event-handler attribute", B(), {KEY: S(sections={"What was found": 'A <img src=x onerror="alert(1)">.'})}, None,
     f'{SUMMARY}:{FOUND}: What was found: raw HTML "<img src=x onerror="alert(1)">" {RAW}'),
    ("raw HTML in a list item", B(), {KEY: S(sections={"Key messages": "- One.\n- <i>Two</i>"})}, None,
     f'{SUMMARY}:20: Key messages: raw HTML "<i>" {RAW}'),
    ("attribute list on a paragraph", B(), {KEY: S(sections={"What was found": 'A.\n{: onclick="alert(1)" }'})},
     None, f'{SUMMARY}:{FOUND + 1}: What was found: attribute list "{{: onclick="alert(1)" }}" is not allowed'),
    ("attribute list on a heading", B(), {KEY: S(sections={"What was found": "### Heading {#top .x}"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: attribute list "{{#top .x}}" is not allowed'),
    ("javascript: link", B(), {KEY: S(sections={"What was found": "[click](javascript:alert(1))"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: link to "javascript:alert(1)" {SCHEME}'),
    ("entity-obfuscated scheme", B(), {KEY: S(sections={"What was found": "[x](&#106;avascript&#58;alert(1))"})},
     None, f'{SUMMARY}:{FOUND}: What was found: link to "&#106;avascript&#58;alert(1)" {SCHEME}'),
    ("reference-style definition", B(), {KEY: S(sections={"What was found": "[x][r]\n\n[r]: javascript:alert(1)"})},
     None, f'{SUMMARY}:{FOUND + 2}: What was found: link definition to "javascript:alert(1)" is not allowed'),
    ("autolink", B(), {KEY: S(sections={"What was found": "See <javascript:alert(1)>."})}, None,
     f'{SUMMARY}:{FOUND}: What was found: link to "javascript:alert(1)" {SCHEME}'),
    ("nested brackets", B(), {KEY: S(sections={"What was found": "[a [b]](javascript:alert(1))"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: link to "javascript:alert(1)" {SCHEME}'),
    ("data: link", B(), {KEY: S(sections={"What was found": "[x](data:text/html;base64,PHNjcmlwdD4=)"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: link to "data:text/html;base64,PHNjcmlwdD4=" {SCHEME}'),
    ("image from another site", B(), {KEY: S(sections={"What was found": "![x](https://tracker.example/p.gif)"})},
     None, f'{SUMMARY}:{FOUND}: What was found: image "https://tracker.example/p.gif" is not allowed: a picture'),
    ("image with nested brackets", B(), {KEY: S(sections={"What was found": "![a [b]](//tracker.example/p.gif)"})},
     None, f'{SUMMARY}:{FOUND}: What was found: image "//tracker.example/p.gif" is not allowed: a picture'),
    ("image by reference", B(),
     {KEY: S(sections={"What was found": "![x][p]\n\n[p]: https://tracker.example/p.gif"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: image "https://tracker.example/p.gif" is not allowed: a picture'),
    ("image with backslashes", B(), {KEY: S(sections={"What was found": "![x](/\\tracker.example/p.gif)"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: image "/\\tracker.example/p.gif" is not allowed: a picture'),
    ("local image", B(), {KEY: S(sections={"What was found": "![chart](../assets/chart.png)"})}, None,
     f'{SUMMARY}:{FOUND}: What was found: image "../assets/chart.png" is not allowed: summaries are text'),
    ("HTML comment", B(), {KEY: S(sections={"What was found": "Text <!-- hidden --> more."})}, None,
     f'{SUMMARY}:{FOUND}: What was found: HTML comment "<!--" is not allowed'),
    ("snippet include line", B(), {KEY: S(sections={"What was found": '--8<-- "mkdocs.yml"'})}, None,
     f'{SUMMARY}:{FOUND}: What was found: snippet line "--8<--" is not allowed'),
    ("lists nested 2,000 deep (Python-Markdown's recursion limit)", B(), {KEY: S(sections={"What was found": "- " * 2000 + "x"})},
     None, f"{SUMMARY}:{FOUND}: What was found: lists, quotes or indentation nested 2000 deep; at most 10 levels"),
    ("indentation ladder 300 deep", B(),
     {KEY: S(sections={"What was found": "".join("    " * i + "- x\n" for i in range(300))})},
     None, f"{SUMMARY}:{FOUND + 10}: What was found: lists, quotes or indentation nested 11 deep;"),
    ("20,000 [ in a paragraph (minutes of link search)", B(), {KEY: S(sections={"What was found": "[" * 20000})},
     None, f'{SUMMARY}:{FOUND}: What was found: 20000 "[" in one paragraph; at most 200 are allowed'),
    ("setext level-1 heading", B(), {KEY: S(sections={"What was found": "Big\n==="})}, None,
     f'{SUMMARY}:{FOUND + 1}: a line of "===" under text makes that text a heading'),
    ("setext level-2 heading", B(), {KEY: S(sections={"What was found": "Big\n---"})}, None,
     f'{SUMMARY}:{FOUND + 1}: a line of "---" under text makes that text a heading'),
    ("level-1 heading", B(), {KEY: S(sections={"What was found": "# Big"})}, None,
     f"{SUMMARY}:{FOUND}: Big: a level-1 heading is not allowed"),
    ("event attribute in the takeaway", B(), {KEY: S(takeaway='"<b onmouseover=alert(1)>hi</b>"')}, None,
     f'{SUMMARY}:10: takeaway: raw HTML "<b onmouseover=alert(1)>" {RAW}'),
    ("javascript: in country", B(), {KEY: S(country='"[x](javascript:alert(1))"')}, None,
     f'{SUMMARY}:7: country: link to "javascript:alert(1)" {SCHEME}'),
    ("attribute list in the metadata note", B(), {KEY: S(metadata_note='"Note {: onclick=alert(1) }"')}, None,
     f'{SUMMARY}:13: metadata_note: attribute list "{{: onclick=alert(1) }}" is not allowed'),
    ("YAML tag", B(), {KEY: S(country='!!python/object/apply:os.system ["id"]')}, None,
     f'{SUMMARY}:7: country: YAML tags ("!!python/object/apply:os.system") are not allowed;'),
    ("YAML anchor and alias", B(), {KEY: S(roles="&r [peer-support-specialist]", settings="*r")}, None,
     f'{SUMMARY}:6: settings: YAML aliases ("*r") are not allowed; write the value out in full'),
    ("YAML nested 50,000 deep", B(), {KEY: S(roles="[" * 50000 + "]" * 50000)}, None,
     f"{SUMMARY}:3: roles[0]: lists and mappings nested more than 10 deep are not allowed; a summary needs 2 levels"),
    ("YAML 1.1 NO where a list belongs", B(), {KEY: S(roles="NO")}, None,
     f'{SUMMARY}:3: roles: expected a list like `roles: [peer-support-specialist, peer-navigator]`, got "NO"'),
    ("impossible date", B(), {KEY: S(date_added="2026-13-45")}, None,
     f'{SUMMARY}:8: date_added: expected a date YYYY-MM-DD like `date_added: 2026-11-22`, got "2026-13-45"'),
    ("unknown front-matter key", B(), {KEY: S(onclick='"alert(1)"')}, None,
     f"{SUMMARY}:15: onclick: unknown key; expected one of: key, roles,"),
    ("mapping where text belongs", B(), {KEY: S(takeaway="{a: b}")}, None,
     f"{SUMMARY}:10: takeaway: expected one value like"),
    ("escaped control character", B(), {KEY: S(takeaway='"a\\x7fb"')}, None,
     f"{SUMMARY}:10: takeaway: character U+007F is not allowed in YAML text (here written as an escape)"),
    ("escaped lone surrogate in taxonomy details", B(), None, T(detail_text='"ok \\ud800"'),
     f"{TAXONOMY}:9: roles[0].details[0].text: character U+D800 is not allowed in YAML text"),
    ("raw HTML in taxonomy details", B(), None, T(detail_text='"<iframe src=//evil.example>"'),
     f'{TAXONOMY}:2: roles.peer-support-specialist.details: What the role does: raw HTML "<iframe src=//evil'),
    ("javascript: in a taxonomy title", B(), None, T(theme_title='"[x](javascript:alert(1))"'),
     f'{TAXONOMY}:15: themes.empowerment.title: link to "javascript:alert(1)" {SCHEME}'),
    ("attribute list in a taxonomy description", B(), None, T(role_description='"A role {: onclick=alert(1) }"'),
     f'{TAXONOMY}:2: roles.peer-support-specialist.description: attribute list "{{: onclick=alert(1) }}"'),
]  # fmt: skip


@pytest.mark.parametrize(("bib", "summaries", "taxonomy", "expected"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_refused_with_file_line_and_message(bib, summaries, taxonomy, expected):
    rendered = render_library(bib, summaries, taxonomy, convert=False)
    assert not rendered.pages
    assert any(error.startswith(expected) for error in rendered.errors), rendered.errors


def test_an_alias_bomb_is_refused_fast():
    bomb = "".join(f"l{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9 if i else ['"lol"'] * 9) + "]\n" for i in range(9))
    text = summary_file(country='"x"\n' + bomb.rstrip("\n"))
    start = time.perf_counter()
    rendered = render_library(bib_entry(), {KEY: text}, convert=False)
    assert time.perf_counter() - start < 2
    assert f'{SUMMARY}:8: l0: YAML anchors ("&a0") are not allowed; write the value out in full' in rendered.errors
    assert f'{SUMMARY}:9: l1[0]: YAML aliases ("*a0") are not allowed; write the value out in full' in rendered.errors


# Values the checks accept (BibTeX fields are plain text, shown escaped): (id, bib, summaries, taxonomy,
# text a reader must see on the paper page).
SCRIPT = "<script>alert(1)</script>"
INERT = [
    ("script in the title", B(title=bib_value(SCRIPT)), None, None, "<script>alert(1)</script>"),
    ("attribute break-out in the title", B(title=bib_value('x" onmouseover="alert(1)')), None, None,
     'x" onmouseover="alert(1)'),
    ("Markdown link in the title", B(title=bib_value("[x](javascript:alert(1))")), None, None,
     "[x](javascript:alert(1))"),
    ("control character in the title", B(title=bib_value("Walking\x7f [x](javascript:alert(1))")), None, None,
     "Walking [x](javascript:alert(1))"),
    ("event attribute in an author", B(author=bib_value("Smith, <img src=x onerror=alert(1)>")), None, None,
     "<img src=x onerror=alert(1)> Smith"),
    ("script in the journal", B(journal=bib_value(SCRIPT)), None, None, SCRIPT),
    ("attribute list in the volume", B(volume=bib_value("{: onclick=alert(1) }")), None, None,
     "{: onclick=alert(1) }"),
    ("HTML in the pages", B(pages=bib_value("<b>1</b>")), None, None, "<b>1</b>"),
    ("template syntax in the title", B(title=bib_value("{{ config.site_name }} {% include x %}")), None, None,
     "{{ config.site_name }} {% include x %}"),
    ("template syntax in a section", B(), {KEY: S(sections={"What was found": "{{ config }} and {% raw %}"})}, None,
     "{{ config }} and {% raw %}"),
    ("entities that spell a tag", B(), {KEY: S(sections={"What was found": "&lt;script&gt;alert(1)&lt;/script&gt;"})},
     None, "<script>alert(1)</script>"),
    ("tag in a code span", B(), {KEY: S(sections={"What was found": "Write `<script>` to see it."})}, None,
     "<script>"),
    ("a quoted link title", B(), {KEY: S(sections={"What was found": '[x](https://e.org "a\\" onclick=\\"y")'})},
     None, "x"),
    ("DOI with parentheses", B(doi="{10.1016/S0140-6736(20)30183-5}"), None, None,
     "https://doi.org/10.1016/S0140-6736(20)30183-5"),
    ("entity in a taxonomy title", B(), None, T(theme_title='"&lt;b&gt;Power&lt;/b&gt;"'), "&lt;b&gt;Power&lt;/b&gt;"),
    # YAML 1.1 would make these false, true, a number, an octal number and a date: they stay text.
    ("YAML 1.1 NO", B(), {KEY: S(country="NO")}, None, "NO"),
    ("YAML 1.1 ON", B(), {KEY: S(country="ON")}, None, "ON"),
    ("YAML 1.1 number", B(), {KEY: S(takeaway="1e3")}, None, "1e3"),
    ("YAML 1.1 octal", B(), {KEY: S(based_on="0o17 017")}, None, "0o17 017"),
    ("YAML 1.1 date", B(), {KEY: S(date_reviewed="2026-02-03")}, None, "2026-02-03"),
]  # fmt: skip


@pytest.fixture(scope="module")
def allowed() -> set[tuple[str, str]]:
    """Every (element, attribute) the templates make for an ordinary library, plus plain Markdown's."""
    rendered = render_library(bib_entry())
    assert not rendered.errors
    pairs = set(MARKDOWN_PAIRS)
    for page in rendered.pages.values():
        pairs |= inventory(page.html).pairs
    return pairs


@pytest.mark.parametrize(("bib", "summaries", "taxonomy", "visible"), [c[1:] for c in INERT],
                         ids=[c[0] for c in INERT])
def test_accepted_input_is_inert_and_shown(bib, summaries, taxonomy, visible, allowed):
    rendered = render_library(bib, summaries, taxonomy)
    assert not rendered.errors
    for path, page in rendered.pages.items():
        assert unexpected(page.html, allowed) == [], path
        assert head_problems(page) == [], path
        assert toc_problems(page) == [], path
        assert "<script" not in page.clean.lower(), path
    assert export_problems(rendered) == []
    paper = rendered.pages[f"papers/{KEY}.md"]
    shown = html.unescape(_text_of(paper.clean))
    assert visible in shown


def _text_of(html_text: str) -> str:
    """The visible text of HTML (tags removed, entities kept for the caller to decode)."""
    import re

    return re.sub(r"<[^>]+>", "", html_text)


def test_a_doi_with_parentheses_is_linked_encoded_and_shown_as_written():
    page = render_library(bib_entry(doi="{10.1016/S0140-6736(20)30183-5}")).pages[f"papers/{KEY}.md"]
    assert '<a href="https://doi.org/10.1016/S0140-6736%2820%2930183-5">https://doi.org/10.1016/S0140-6736(20)30183-5</a>' in page.html


def test_title_with_a_control_character_keeps_its_front_matter():
    rendered = render_library(bib_entry(title=bib_value("A\x7f title\x9f with [x](javascript:alert(1))")))
    page = rendered.pages[f"papers/{KEY}.md"]
    assert page.meta["title"] == "A title with [x](javascript:alert(1))"
    assert {url_scheme(url) for _, _, url in inventory(page.html).urls} == {"", "https"}


def test_taxonomy_title_with_markup_is_escaped_for_the_navigation():
    rendered = render_library(bib_entry(), None, taxonomy_file(theme_title='"Power \\"&\\" <b>"'))
    assert rendered.errors == [
        f'{TAXONOMY}:15: themes.empowerment.title: raw HTML "<b>" {RAW} (*emphasis*, **bold**, '
        "[the study](https://doi.org/10.1000/xyz)); to show a < sign, put a space after it or `backticks` round it"
    ]
    rendered = render_library(bib_entry(), None, taxonomy_file(theme_title='"Power \\"&\\" < b"'))
    page = rendered.pages["themes/empowerment.md"]
    # Material prints the title raw in the header and nav: no raw <, quotes or bare & may reach it.
    assert page.meta["title"] == "Power &quot;&amp;&quot; \u2039 b"


def test_no_template_engine_or_include_runs_on_contributor_text():
    """Markdown from summaries is never templated (no macros plugin) and includes nothing (no snippets)."""
    from conftest import ROOT
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert not {"macros", "mkdocs-macros", "mkdocs_macros", "include-markdown", "mkdocs-simple-hooks"} & set(
        config.plugins
    )
    names = {getattr(e, "__module__", e) if not isinstance(e, str) else e for e in config.markdown_extensions}
    assert not {n for n in names if "snippets" in str(n) or "include" in str(n)}


def test_data_quoted_in_a_message_cannot_start_a_log_line():
    """A line break in a quoted value would let data print `::error::` lines, which CI runners obey."""
    summary = summary_file(date_added=r'"x\n::error::pwned \u001b[2J"', country=r'"a\u202eb"')
    errors = render_library(bib_entry(), {KEY: summary}, convert=False).errors
    assert f'{SUMMARY}:8: date_added: expected a date YYYY-MM-DD like `date_added: 2026-11-22`, got ' \
           '"x\\n::error::pwned [2J"' in errors
    assert all("\n" not in e and "\x1b" not in e for e in errors)


def test_site_scripts_never_turn_page_text_into_markup():
    """facets.js and citations.js read data from the page; they must set text, never HTML or code."""
    from conftest import ROOT

    scripts = sorted((ROOT / "docs" / "assets" / "javascripts").glob("*.js"))
    assert scripts
    sinks = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setTimeout(\"")
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert [sink for sink in sinks if sink in text] == [], script.name


@pytest.mark.parametrize(
    ("what", "run"),
    [
        ("60,000 $ in a BibTeX title", lambda: render_library(bib_entry(title="{" + "$x$" * 60000 + "}"), convert=False)),
        ("20,000 ![ in a section", lambda: unsafe_markup("![" * 20000)),
        ("20,000 unsafe links in a section", lambda: unsafe_markup("[x](javascript:y)\n" * 20000)),
        ("100,000 nested [ in front matter", lambda: render_library(bib_entry(), {KEY: summary_file(roles="[" * 100000)})),
    ],
)
def test_large_hostile_input_is_handled_in_seconds(what, run):
    """Each of these took from half a minute to gigabytes before: quadratic work is a build-stopper."""
    start = time.perf_counter()
    run()
    assert time.perf_counter() - start < 5, what
