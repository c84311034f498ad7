# ruff: noqa: E501  (exact messages are long)
"""Checks of summaries against entries and the taxonomy, and of their Markdown for unsafe markup."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb.model import SECTIONS, Entry, Person, Summary
from peerkb.summary_checks import check_summaries, check_taxonomy_text, check_taxonomy_use, unsafe_markup
from peerkb.summary_file import read_summary
from peerkb.taxonomy_file import read_taxonomy

DATA = Path(__file__).parent / "data" / "summaries"
ROOT = Path(__file__).parent.parent
TAXONOMY, _ = read_taxonomy("references/taxonomy.yml", (DATA / "taxonomy.yml").read_bytes())
LINK = "[the study](https://doi.org/10.1000/xyz)"
RAW = f"is not allowed: write Markdown instead (*emphasis*, **bold**, {LINK}); to show a < sign, put a space after it or `backticks` round it"
SCHEME = f"is not allowed: links must start with https://, http:// or mailto:; write {LINK}"
ATTRS = "is not allowed: it can set HTML attributes such as onclick or style; delete it (headings and links need none)"
IMAGE = f"is not allowed: a picture from another site or a data: address would load in readers' browsers (the site makes no third-party requests); link to it instead, like {LINK}"
NURSES = "What it means for nurses working alongside peer workers"


def entry(key: str, line: int, **fields: str) -> Entry:
    """A BibTeX entry as the bib reader builds it."""
    return Entry(
        key,
        "article",
        fields,
        fields,
        (Person("Ann", "Smith"),),
        (),
        "references/library.bib",
        line,
        "@article{...}",
    )


def summary(name: str) -> Summary:
    """A test file read as references/summaries/<name>."""
    found, _ = read_summary(f"references/summaries/{name}", (DATA / name).read_bytes())
    assert found is not None
    return found


def check(name: str, *entries: Entry) -> list[str]:
    """Formatted problems of one summary, with its own entry unless entries are given."""
    one = summary(name)
    return [p.format() for p in check_summaries([one], entries or [entry(one.key, 1, title="T")], TAXONOMY)]


def test_a_complete_summary_has_no_problem() -> None:
    assert check("smith2020peer.md", entry("smith2020peer", 1, title="T", pages="1--9")) == []


def test_unknown_ids_with_did_you_mean_or_the_list() -> None:
    one = summary("smith2021peer.md")
    one = Summary(
        **{
            **one.__dict__,
            "roles": ("peer-suport-specialist", "nurse"),
            "settings": ("hospital",),
            "evidence_type": "narrative",
        }
    )
    problems = [p.format() for p in check_summaries([one], [entry(one.key, 1)], TAXONOMY)]
    p = "references/summaries/smith2021peer.md"
    assert problems == [
        f'{p}:3: roles: "peer-suport-specialist" is not a role id in references/taxonomy.yml; use an id from its `roles:` list, or propose a new role there (see CONTRIBUTING.md). Did you mean "peer-support-specialist"?',
        f'{p}:3: roles: "nurse" is not a role id in references/taxonomy.yml; use an id from its `roles:` list, or propose a new role there (see CONTRIBUTING.md). Known roles: peer-support-specialist, peer-navigator, peer-educator, recovery-coach.',
        f'{p}:4: themes: "stigma" is not a theme id in references/taxonomy.yml; use an id from its `themes:` list, or propose a new theme there (see CONTRIBUTING.md). Did you mean "stigma-reduction"?',
        f'{p}:6: settings: "hospital" is not a setting id in references/taxonomy.yml; use an id from its `settings:` list, or propose a new setting there (see CONTRIBUTING.md). Known settings: inpatient-ward.',
        f'{p}:5: evidence_type: "narrative" is not an evidence type id in references/taxonomy.yml; use an id from its `evidence_types:` list, or propose a new evidence type there (see CONTRIBUTING.md). Did you mean "personal-narrative"?',
    ]


def test_removing_a_term_names_every_summary_that_uses_it() -> None:
    smaller, _ = read_taxonomy(
        "references/taxonomy.yml",
        (DATA / "taxonomy.yml")
        .read_bytes()
        .replace(b"  - id: working-in-clinical-teams\n", b"  - id: teamwork\n"),
    )
    first = summary("smith2020peer.md")
    second = Summary(**{**first.__dict__, "key": "other2020", "path": "references/summaries/other2020.md"})
    problems = check_summaries(
        [first, second], [entry("smith2020peer", 1, pages="1"), entry("other2020", 9, pages="1")], smaller
    )
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("references/summaries/smith2020peer.md", 4, "themes"),
        ("references/summaries/other2020.md", 4, "themes"),
    ]


def test_themes_listed_twice_or_missing() -> None:
    one = summary("smith2020peer.md")
    twice = Summary(**{**one.__dict__, "themes": ("recovery", "recovery")})
    none = Summary(**{**one.__dict__, "themes": ()})
    entries = [entry(one.key, 1, pages="1")]
    assert [p.format() for p in check_summaries([twice, none], entries, TAXONOMY)] == [
        'references/summaries/smith2020peer.md:4: themes: "recovery" is listed twice',
        "references/summaries/smith2020peer.md:4: themes: at least one theme is needed, so that readers can find the paper; write it like `themes: [empowerment, stigma-reduction]`",
    ]


def test_summaries_and_entries_must_pair_up() -> None:
    one = summary("brown2018sections.md")
    entries = [entry("brown2018section", 50), entry("orphan2010", 40)]
    problems = [p.format() for p in check_summaries([one], entries, TAXONOMY)]
    assert problems == [
        'references/summaries/brown2018sections.md:2: key: no BibTeX entry has the key "brown2018sections"; add the entry to references/library.bib (or run `peerkb add FILE`), or rename this file to the key of its entry. Did you mean "brown2018section"?',
        'references/library.bib:50: no summary for "brown2018section"; create references/summaries/brown2018section.md from scripts/peerkb/templates/summary.md (`peerkb add` scaffolds it when it imports an entry), or fix the errors reported for that file',
        'references/library.bib:40: no summary for "orphan2010"; create references/summaries/orphan2010.md from scripts/peerkb/templates/summary.md (`peerkb add` scaffolds it when it imports an entry), or fix the errors reported for that file',
    ]


def test_template_text_left_unfilled() -> None:
    p = "references/summaries/lee2015todo.md"
    assert check("lee2015todo.md", entry("lee2015todo", 30, title="L")) == [
        f'{p}:5: evidence_type: template text "TODO" left in; replace it with your own words',
        f'{p}:9: takeaway: template text left in ("one plain-language sentence a nurse can read in a list of..."); replace it with your own words',
        f'{p}:18: Key messages: template text "TODO" left in; replace it with your own words',
        f'{p}:27: What was found: template text "TODO" left in; replace it with your own words',
        f'{p}:31: {NURSES}: template text left in ("what a nurse working beside peer workers can take from it..."); replace it with your own words',
        f'{p}:11: unverified: "doi" is not a field of the entry lee2015todo (references/library.bib:30); list only fields it has: author, title.',
        f"{p}:11: warning: metadata_note: some fields are marked unverified but there is no metadata_note; tell readers what could not be confirmed and why",
    ]


def test_the_template_itself_has_only_template_text_problems() -> None:
    template, load_problems = read_summary(
        "references/summaries/summary.md", (ROOT / "scripts/peerkb/templates/summary.md").read_bytes()
    )
    problems = load_problems + tuple(check_summaries([template], [entry("summary", 1)], TAXONOMY))
    others = [p.format() for p in problems if "template" not in p.message]
    assert others == [
        "references/summaries/summary.md:4: themes: at least one theme is needed, so that readers can find the paper; write it like `themes: [empowerment, stigma-reduction]`"
    ]
    fields = {p.field for p in problems if "template" in p.message}
    assert fields == {"key", "date_added", "evidence_type", "takeaway", "based_on", *(h for _, h in SECTIONS)}


def test_incomplete_metadata_needs_a_note() -> None:
    one = summary("smith2020peer.md")
    bare = Summary(**{**one.__dict__, "metadata_note": "  "})
    assert [p.format() for p in check_summaries([bare], [entry(one.key, 1, pages="1")], TAXONOMY)] == [
        'references/summaries/smith2020peer.md:13: metadata_note: metadata_status is incomplete but there is no metadata_note; tell readers what is missing, like `metadata_note: "The page numbers could not be checked."`'
    ]


def test_unverified_authors_and_editors_count_as_fields() -> None:
    one = Summary(**{**summary("smith2020peer.md").__dict__, "unverified": ("author", "pages", "editor")})
    problems = [p.format() for p in check_summaries([one], [entry(one.key, 1, pages="1")], TAXONOMY)]
    assert problems == [
        'references/summaries/smith2020peer.md:14: unverified: "editor" is not a field of the entry smith2020peer (references/library.bib:1); list only fields it has: author, pages.'
    ]


def test_unsafe_markup_in_a_summary_file() -> None:
    p = "references/summaries/unsafe2016markup.md"
    assert check("unsafe2016markup.md") == [
        f'{p}:15: Key messages: raw HTML "<script>" {RAW}',
        f'{p}:16: Key messages: link to "JaVaScRiPt:alert(1)" {SCHEME}',
        f'{p}:16: Key messages: link to "java&#x09;script:alert(1)" {SCHEME}',
        f'{p}:20: What was studied and how: HTML comment "<!--" is not allowed: readers would not see it but it would be published in the page; delete it',
        f'{p}:21: What was studied and how: raw HTML "<img src=x onerror=alert(1)>" {RAW}',
        f'{p}:25: What was found: image "data:image/svg+xml;base64,PHN2Zz4=" {IMAGE}',
        f'{p}:25: What was found: image "https://tracker.example.com/p.gif" {IMAGE}',
        f'{p}:26: What was found: link to "javascript:alert(1)" {SCHEME}',
        f'{p}:28: What was found: link definition to "vbscript:msgbox(1)" is not allowed: links must start with https://, http:// or mailto:; write `[name]: https://example.org/page`',
        f'{p}:32: {NURSES}: attribute list "{{: onclick="alert(1)" }}" {ATTRS}',
        f'{p}:33: {NURSES}: attribute list "{{#custom}}" {ATTRS}',
        f'{p}:33: {NURSES}: attribute list "{{.big}}" {ATTRS}',
        f'{p}:9: takeaway: raw HTML "<b>" {RAW}',
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a < b, and 3<4 is fine; so is a->b and <= 5",
        "code `<script>alert(1)</script>` and ``a ` <b> `` are shown as they are",
        "```\n<div onclick=x>fenced</div>\n```",
        "[doi](https://doi.org/10.1/x) [mail](mailto:a@b.org) [page](../guides/index.md) [top](#key-messages)",
        "<https://example.org/a> and <someone@example.org> are autolinks",
        "[wiki](https://en.wikipedia.org/wiki/Peer_support_(mental_health))",
        "Sets {1, 2, 3} and {a, b} and data: interviews; JavaScript: not here",
        "Data: a survey (javascript: is named here as a word, not a link)",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert unsafe_markup(text) == []


@pytest.mark.parametrize(
    ("text", "line", "start"),
    [
        ("ok\n\n<p>para</p>", 2, 'raw HTML "<p>"'),
        ("escaped \\<b>bold</b>", 0, 'raw HTML "<b>"'),  # a backslash does not escape < in Python-Markdown
        ("`unclosed <u>", 0, 'raw HTML "<u>"'),
        ("- item\n\n    <b>x</b>", 2, 'raw HTML "<b>"'),  # indented in a list: a paragraph, not code
        ("```\nnever closed\n<i>x</i>", 2, 'raw HTML "<i>"'),  # an unclosed fence is no code block
        ("````\n<i>x</i>\n```", 1, 'raw HTML "<i>"'),  # only the same fence closes a block
        ("<javascript:alert(1)>", 0, 'link to "javascript:alert(1)"'),
        ("[x](\n  javascript:alert(1))", 0, 'link to "javascript:alert(1)"'),
        ("[x](<vbscript:msgbox(1)>)", 0, 'link to "<vbscript:msgbox(1)>"'),
        ("[x](&#106;avascript:alert(1))", 0, 'link to "&#106;avascript:alert(1)"'),
        ("[x](jav\tascript:alert(1))", 0, 'link to "jav ascript:alert(1)"'),
        ("[x]  (data:text/html,hi)", 0, 'link to "data:text/html,hi"'),
        ("[x](file:///etc/passwd)", 0, 'link to "file:///etc/passwd"'),
        ("   [r]: DATA:text/html,x", 0, 'link definition to "DATA:text/html,x"'),
        ("```{.python onclick=x}\nprint()\n```", 0, 'attribute list "{.python onclick=x}"'),
        ('Title {: style="color:red" }', 0, "attribute list"),
    ],
)
def test_unsafe_markup_is_found_on_its_line(text: str, line: int, start: str) -> None:
    found = unsafe_markup(text)
    assert len(found) == 1, found
    assert found[0][0] == line
    assert found[0][1].startswith(start)


def test_what_is_flagged_is_what_python_markdown_makes_live() -> None:
    """Every case flagged above really renders as a tag or a bad href with the site's extensions."""
    cases = [
        "escaped \\<b>bold</b>",
        "- item\n\n    <b>x</b>",
        "[x](\n  javascript:alert(1))",
        "[x](<vbscript:msgbox(1)>)",
    ]
    for text in cases:
        html = markdown.markdown(text, extensions=["abbr", "admonition", "tables", "fenced_code", "toc"])
        assert "<b>" in html or 'href="javascript:' in html or 'href="vbscript:' in html, html
    safe = "code `<script>` and\n\n```\n<div>x</div>\n```\n"
    html = markdown.markdown(safe, extensions=["fenced_code"])
    assert "<script>" not in html and "<div>" not in html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>[]()!`{}:#.=/ \n\tajvscriptdh&;x-")), max_size=60))
def test_never_raises_and_lines_stay_in_the_text(text: str) -> None:
    for line, message in unsafe_markup(text):
        assert 0 <= line <= text.count("\n")
        assert message


def test_taxonomy_use_warns_about_unused_roles_and_themes() -> None:
    used = [summary("smith2020peer.md"), summary("smith2021peer.md"), summary("unsafe2016markup.md")]
    assert [p.format() for p in check_taxonomy_use(used, TAXONOMY)] == [
        "references/taxonomy.yml:13: warning: roles.recovery-coach: no summary uses this role; add `recovery-coach` to the roles of a summary it fits, or remove the role",
        "references/taxonomy.yml:17: warning: themes.empowerment: no summary uses this theme; add `empowerment` to the themes of a summary it fits, or remove the theme",
        "references/taxonomy.yml:32: warning: themes.professionalisation: no summary uses this theme; add `professionalisation` to the themes of a summary it fits, or remove the theme",
    ]


def test_taxonomy_text_is_checked_too() -> None:
    data = (
        (DATA / "taxonomy.yml")
        .read_bytes()
        .replace(
            b'description: "Living well."',
            b'description: "Living <b>well</b>."\n    details:\n      - heading: "H"\n        text: "[x](javascript:y)"',
        )
    )
    taxonomy, problems = read_taxonomy("references/taxonomy.yml", data)
    assert problems == ()
    assert [p.format() for p in check_taxonomy_text(taxonomy)] == [
        f'references/taxonomy.yml:23: themes.recovery.details: H: link to "javascript:y" {SCHEME}',
        f'references/taxonomy.yml:23: themes.recovery.description: raw HTML "<b>" {RAW}',
    ]
