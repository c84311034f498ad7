"""Property tests: arbitrary text in every field is refused by the checks or reaches the pages inert.

Each example writes a small library (BibTeX, a summary, a taxonomy) holding the generated text,
reads it with the real readers, checks it and, when the checks pass, renders every generated page
and turns it into HTML with the project's Markdown configuration (render_support). The HTML before
the sanitiser (which is only the second line of defence) and after it may hold only the elements
and attributes the templates make for an ordinary library, plus plain Markdown's where the field
is Markdown; every URL must be http(s), mailto or relative; Material's raw meta and TOC titles must
hold no markup. Examples are derandomised and no database is kept, so CI runs are reproducible.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
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
    yaml_value,
)

# Pieces of markup, template and escape syntax that attacks and accidents are made of.
FRAGMENTS = (
    "<", ">", "&", '"', "'", "`", "\\", "{", "}", "[", "]", "(", ")", "*", "_", "#", "!", "|", ":", "%", "$",
    "~", "\n", "\n\n", "    ", "<script>", "</script>", "<img src=x onerror=alert(1)>", " onclick=alert(1)",
    "javascript:", "data:", "vbscript:", "&#106;", "&lt;", "&#x3C;", "<!--", "-->", "{: #x .y }", "{{ x }}",
    "{% raw %}", "[x](javascript:alert(1))", "[x]: javascript:x", "![x](//evil/x.png)", "<https://e.org>",
    "<a@b.c>", "---", "===", "## ", "# ", "- ", "1. ", "> ", "```", "--8<--", "\\url{", "\\href{", "$<$",
    "--",
    "\x7f", "\x85", "\u2028", "\u200b", "\u202e", "\ufffe", "\x00", "\x1b", "\u0301", "é", "日本",
)  # fmt: skip
TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)),
    max_size=8,
).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _allowed(markdown: bool) -> set[tuple[str, str]]:
    rendered = render_library(bib_entry())
    assert not rendered.errors
    pairs = {pair for page in rendered.pages.values() for pair in inventory(page.html).pairs}
    return pairs | MARKDOWN_PAIRS if markdown else pairs


TEMPLATE_PAIRS = _allowed(markdown=False)
MARKDOWN_ALLOWED = _allowed(markdown=True)


def assert_inert(rendered, allowed) -> None:
    """Every page of a rendered library holds only allowed markup, before and after sanitising."""
    event("refused" if rendered.errors else "rendered")  # shown by --hypothesis-show-statistics
    if rendered.errors:
        return
    assert rendered.pages, "no errors, so every page is rendered"
    assert f"papers/{KEY}.md" in rendered.pages
    for path, page in rendered.pages.items():
        assert unexpected(page.html, allowed) == [], (path, page.source)
        assert unexpected(page.clean, allowed) == [], path
        assert head_problems(page) == [], (path, page.meta)
        assert toc_problems(page) == [], path
        page.html.encode("utf-8")  # MkDocs writes pages as UTF-8: no lone surrogate may reach them
    assert export_problems(rendered) == []


@PROPERTY_SETTINGS
@given(
    title=TEXT, given=TEXT, family=TEXT, journal=TEXT, volume=TEXT, number=TEXT, pages=TEXT, note=TEXT,
    publisher=TEXT,
)  # fmt: skip
def test_bibtex_fields(title, given, family, journal, volume, number, pages, note, publisher):
    bib = bib_entry(
        title=bib_value(title),
        author=bib_value(f"Smith{family}, {given}"),
        journal=bib_value(journal),
        volume=bib_value(volume),
        number=bib_value(number),
        pages=bib_value(pages),
        note=bib_value(note),
        publisher=bib_value(publisher),
    )
    assert_inert(render_library(bib), TEMPLATE_PAIRS)


# (url start, doi start) pairs: mostly well begun, so that the tail is what is being tested.
URL_STARTS = (("https://e.org/", "10.1000/"), ("http://e.org", "doi:10.1234/"), ("https://", "https://doi.org/10.1000/"),
              ("", ""), ("//", "10.1000"), ("javascript:", "javascript:"))  # fmt: skip
# Characters addresses and DOIs may hold, Markdown and template punctuation among them.
URL_TAIL = st.one_of(
    TEXT,
    st.text(st.sampled_from("abc019/?#&=%()*_[]~!$+,;:@.-|^"), max_size=20),
    st.text(st.sampled_from("abc019/?#&=%()*_[]{}~!$+,;:@.-|^<>\"'`\\ "), max_size=20),
)


@settings(PROPERTY_SETTINGS, max_examples=300)  # most are refused, which costs little
@given(field=st.sampled_from(("url", "doi")), start=st.integers(0, len(URL_STARTS) - 1), tail=URL_TAIL)
def test_url_and_doi(field, start, tail):
    value = URL_STARTS[start][field == "doi"] + tail
    bib = bib_entry(**{field: bib_value(value) if value.strip() else None})
    assert_inert(render_library(bib), TEMPLATE_PAIRS)


@PROPERTY_SETTINGS
@given(field=st.sampled_from(("takeaway", "metadata_note", "country", "based_on")), text=TEXT)
def test_summary_front_matter(field, text):
    rendered = render_library(bib_entry(), {KEY: summary_file(**{field: yaml_value(text)})})
    # The takeaway and notes are shown as text: they may add no markup at all.
    assert_inert(rendered, TEMPLATE_PAIRS)


@PROPERTY_SETTINGS
@given(found=TEXT, studied=TEXT)
def test_summary_sections(found, studied):
    sections = {"What was found": f"Found.\n\n{found}\n\nEnd.", "What was studied and how": f"{studied} end."}
    rendered = render_library(bib_entry(), {KEY: summary_file(sections=sections)})
    assert_inert(rendered, MARKDOWN_ALLOWED)


TAXONOMY_FIELDS = ("role_title", "role_description", "theme_title", "detail_heading", "detail_text",
                   "evidence_title", "setting_description")  # fmt: skip


@PROPERTY_SETTINGS
@given(field=st.sampled_from(TAXONOMY_FIELDS), text=TEXT)
def test_taxonomy_text(field, text):
    rendered = render_library(bib_entry(), None, taxonomy_file(**{field: yaml_value(text or "x")}))
    assert_inert(rendered, MARKDOWN_ALLOWED)


OTHER_TYPES = ("incollection", "book", "techreport", "misc", "phdthesis", "online")


@PROPERTY_SETTINGS
@given(
    kind=st.sampled_from(OTHER_TYPES), booktitle=TEXT, address=TEXT, institution=TEXT, howpublished=TEXT,
    edition=TEXT, editor=TEXT, month=TEXT, school=TEXT,
)  # fmt: skip
def test_other_entry_types(kind, booktitle, address, institution, howpublished, edition, editor, month, school):  # noqa: E501
    bib = bib_entry(
        kind=kind,
        journal=None,
        booktitle=bib_value(booktitle),
        publisher=bib_value(f"Press {address}"),
        address=bib_value(address),
        institution=bib_value(f"University {institution}"),
        school=bib_value(f"School {school}"),
        howpublished=bib_value(howpublished),
        edition=bib_value(edition),
        editor=bib_value(f"Editor{editor}, Ed"),
        month=bib_value(month),
    )
    assert_inert(render_library(bib), TEMPLATE_PAIRS)


@pytest.mark.parametrize("text", ["<script>x</script>", "[x](javascript:alert(1))", "\x7f{: onclick=x }"])
def test_the_properties_can_fail(text):
    """The allow-list is not vacuous: markup written into a page is caught before the sanitiser."""
    rendered = render_library(bib_entry())
    page = rendered.pages[f"papers/{KEY}.md"]
    from render_support import to_html

    html, _ = to_html(page.source.split("---\n", 2)[2] + "\n\n" + text.replace("\x7f", "<b onclick=x>b</b>"))
    assert unexpected(html, MARKDOWN_ALLOWED)
