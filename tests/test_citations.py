"""CSL mapping and formatted citations: golden strings for the seed entries, and hostile data."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from types import MappingProxyType

import pytest
from entry_support import CONCHAR, make_entry
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb.citations import STYLES, Citation, format_bibliography, format_citation, load_style
from peerkb.csl import entry_to_csl
from peerkb.model import Entry, Person

# Seed entries from references/library.bib, with fields decoded as the loader decodes them.
HAINES = make_entry(
    "article",
    "haines2025core",
    "Haines, Nicholas",
    title="Core Purposes of Mental Health Peer Work: Empowerment, Stigma Reduction, Relational Safety"
    " and Walking Alongside People",
    journal="Journal of Psychiatric and Mental Health Nursing",
    year="2025",
    doi="10.1111/jpm.70027",
)
HURLEY = make_entry(
    "article",
    "hurley2015smokefree",
    "Hurley, Di",
    title="[Viewpoint on plans to make all hospital grounds smoke free]",
    journal="Mental Health and Social Inclusion",
    year="2015",
    volume="19",
    number="1",
    pages="52\u201355",
)
TURTLE = make_entry(
    "misc",
    "turtle2023peer",
    "Turtle, Andrew",
    title="Peer Work: Bridging Hearts and Healing Minds in Mental Health",
    year="2023",
    month="sep",
    day="16",
    howpublished="Blog post",
    url="https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health",
)
BASSET = make_entry(
    "techreport",
    "basset2010lived",
    "Basset, T.; Faulkner, A.; Repper, J.; Stamou, E.",
    title="Lived Experience Leading the Way: Peer Support in Mental Health",
    institution="Together / University of Nottingham / NSUN",
    address="London",
    year="2010",
    type="Report",
)
LINDOW = make_entry(
    "book",
    "lindow1994selfhelp",
    "Lindow, V.",
    title="Self Help Alternatives to Mental Health Services",
    publisher="Mind Publications",
    address="London",
    year="1994",
)
CONCHAR_DOI = '<a href="https://doi.org/10.1108/MHSI-02-2014-0003">'
CONCHAR_TITLE = (
    "\u201cWalking wounded or wounded healer?\u201d Does personal experience of mental health problems"
    " help or hinder mental health practice? A review of the literature"
)
HAINES_TITLE = (
    "Core Purposes of Mental Health Peer Work: Empowerment, Stigma Reduction, Relational Safety"
    " and Walking Alongside People"
)

GOLDEN: dict[tuple[str, str], str] = {
    ("conchar2014walking", "apa"): (
        f"Conchar, C., &amp; Repper, J. (2014). {CONCHAR_TITLE}. <i>Mental Health and Social Inclusion</i>,"
        f" <i>18</i>(1), 35\u201344. {CONCHAR_DOI}https://doi.org/10.1108/MHSI-02-2014-0003</a>"
    ),
    ("conchar2014walking", "harvard"): (
        f"Conchar, C. and Repper, J. (2014) \u2018{CONCHAR_TITLE}\u2019,"
        " <i>Mental Health and Social Inclusion</i>,"
        f" 18(1), pp. 35\u201344. Available at: {CONCHAR_DOI}https://doi.org/10.1108/MHSI-02-2014-0003</a>."
    ),
    ("conchar2014walking", "vancouver"): (
        f"Conchar C, Repper J. {CONCHAR_TITLE}. Mental Health and Social Inclusion. 2014;18(1):35\u201344."
        f" {CONCHAR_DOI}doi:10.1108/MHSI-02-2014-0003</a>"
    ),
    ("haines2025core", "apa"): (
        f"Haines, N. (2025). {HAINES_TITLE}. <i>Journal of Psychiatric and Mental Health Nursing</i>."
        ' <a href="https://doi.org/10.1111/jpm.70027">https://doi.org/10.1111/jpm.70027</a>'
    ),
    # Cite Them Right would mark an article with neither volume nor pages "[Preprint]": wrong for
    # an online-first article, so the label is removed (citations._Style).
    ("haines2025core", "harvard"): (
        f"Haines, N. (2025) \u2018{HAINES_TITLE}\u2019,"
        " <i>Journal of Psychiatric and Mental Health Nursing</i>"
        '. Available at: <a href="https://doi.org/10.1111/jpm.70027">'
        "https://doi.org/10.1111/jpm.70027</a>."
    ),
    ("haines2025core", "vancouver"): (
        f"Haines N. {HAINES_TITLE}. Journal of Psychiatric and Mental Health Nursing. 2025."
        ' <a href="https://doi.org/10.1111/jpm.70027">doi:10.1111/jpm.70027</a>'
    ),
    # Brackets come through as written (as character references, inert in Markdown too).
    ("hurley2015smokefree", "apa"): (
        "Hurley, D. (2015). &#91;Viewpoint on plans to make all hospital grounds smoke free&#93;."
        " <i>Mental Health and Social Inclusion</i>, <i>19</i>(1), 52\u201355."
    ),
    ("hurley2015smokefree", "vancouver"): (
        "Hurley D. &#91;Viewpoint on plans to make all hospital grounds smoke free&#93;."
        " Mental Health and Social Inclusion. 2015;19(1):52\u20135."
    ),
    ("turtle2023peer", "apa"): (
        "Turtle, A. (2023, September 16)."
        " <i>Peer Work: Bridging Hearts and Healing Minds in Mental Health</i>"
        " &#91;Blog post&#93;. https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health"
    ),
    ("turtle2023peer", "harvard"): (
        "Turtle, A. (2023) \u2018Peer Work: Bridging Hearts and Healing Minds in Mental Health\u2019,"
        " 16 September."
        " Available at: https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health."
    ),
    # The locale's date delimiter is restored (citeproc-py alone prints "2023Sep16").
    ("turtle2023peer", "vancouver"): (
        "Turtle A. Peer Work: Bridging Hearts and Healing Minds in Mental Health &#91;Blog post&#93;"
        " &#91;Internet&#93;. 2023 Sep 16."
        " Available from: https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health"
    ),
    ("basset2010lived", "apa"): (
        "Basset, T., Faulkner, A., Repper, J., &amp; Stamou, E. (2010). <i>Lived Experience Leading the Way:"
        " Peer Support in Mental Health</i> &#91;Report&#93;. Together / University of Nottingham / NSUN."
    ),
    ("basset2010lived", "harvard"): (
        "Basset, T. <i>et al.</i> (2010)"
        " <i>Lived Experience Leading the Way: Peer Support in Mental Health</i>."
        " Report. London: Together / University of Nottingham / NSUN."
    ),
    ("lindow1994selfhelp", "vancouver"): (
        "Lindow V. Self Help Alternatives to Mental Health Services. London: Mind Publications; 1994."
    ),
}
SEED = (CONCHAR, HAINES, HURLEY, TURTLE, BASSET, LINDOW)
ALLOWED_TAGS = {"i", "b", "span", "a"}


class _Visible(HTMLParser):
    """Collects the tags and the text a browser would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible(markup: str) -> tuple[list[tuple[str, list[tuple[str, str | None]]]], str]:
    parser = _Visible()
    parser.feed(markup)
    parser.close()
    return parser.tags, "".join(parser.text)


def assert_safe(citation: Citation) -> None:
    """Only our tags, only doi.org links, and the HTML shows exactly the plain text."""
    tags, text = visible(citation.html)
    for tag, attrs in tags:
        assert tag in ALLOWED_TAGS, citation.html
        if tag == "a":
            assert len(attrs) == 1 and attrs[0][0] == "href", citation.html
            assert (attrs[0][1] or "").startswith("https://doi.org/10."), citation.html
        elif tag == "span":
            assert [name for name, _ in attrs] == ["class"], citation.html
        else:
            assert attrs == [], citation.html
    assert text == citation.text
    for character in "<>\"'{}[]*_`\\":
        assert character not in re.sub(r"<[^>]*>", "", citation.html), citation.html


def test_styles_are_ordered_with_labels() -> None:
    assert list(STYLES.items()) == [
        ("apa", "APA 7th"),
        ("harvard", "Harvard (Cite Them Right)"),
        ("vancouver", "Vancouver"),
    ]


@pytest.mark.parametrize(("key", "style"), list(GOLDEN))
def test_golden_html(key: str, style: str) -> None:
    citation = format_bibliography(SEED, style)[key]
    assert citation.html == GOLDEN[key, style]
    assert_safe(citation)


def test_golden_text_is_the_html_without_markup() -> None:
    citations = format_bibliography(SEED, "apa")
    assert citations["conchar2014walking"].text == (
        f"Conchar, C., & Repper, J. (2014). {CONCHAR_TITLE}. Mental Health and Social Inclusion, 18(1),"
        " 35\u201344. https://doi.org/10.1108/MHSI-02-2014-0003"
    )
    assert citations["hurley2015smokefree"].text == (
        "Hurley, D. (2015). [Viewpoint on plans to make all hospital grounds smoke free]."
        " Mental Health and Social Inclusion, 19(1), 52\u201355."
    )
    for citation in citations.values():
        assert html.unescape(re.sub(r"<[^>]*>", "", citation.html)) == citation.text


def test_every_seed_entry_in_every_style_is_safe() -> None:
    for style in STYLES:
        citations = format_bibliography(SEED, style)
        assert list(citations) == [entry.key for entry in SEED]
        for citation in citations.values():
            assert_safe(citation)


@pytest.mark.parametrize(
    ("style", "expected"),
    [("apa", "Hurley, D. (n.d.). No year."), ("harvard", "Hurley, D. (no date) \u2018No year\u2019,"),
     ("vancouver", "Hurley D. No year. Mental Health and Social Inclusion.")],
)  # fmt: skip
def test_missing_year(style: str, expected: str) -> None:
    entry = make_entry(
        "article", "x", "Hurley, Di", title="No year", journal="Mental Health and Social Inclusion"
    )
    assert format_citation(entry, style).text.startswith(expected)


CHAPTER = make_entry(
    "incollection",
    "smith2019peer",
    "Smith, Jo; Brown, Al",
    editors="Repper, Julie; Perkins, Rachel",
    title="Peer work in wards",
    booktitle="Peer support in practice",
    publisher="Mind Publications",
    address="London",
    year="2019",
    pages="1\u201320",
)
EDITED = make_entry(
    "book", "repper1994", editors="Repper, Julie", title="An edited book", publisher="Mind", year="1994"
)


def test_chapter_editors_get_a_capitalised_label_in_apa() -> None:
    # citeproc-py alone prints "(eds.)": it title-cases only text it knows to be English.
    assert format_citation(CHAPTER, "apa").html == (
        "Smith, J., &amp; Brown, A. (2019). Peer work in wards. In J. Repper &amp; R. Perkins (Eds.),"
        " <i>Peer support in practice</i> (pp. 1\u201320). Mind Publications."
    )
    assert format_citation(CHAPTER, "harvard").text == (
        "Smith, J. and Brown, A. (2019) \u2018Peer work in wards\u2019, in J. Repper and R. Perkins (eds)"
        " Peer support in practice. London: Mind Publications, pp. 1\u201320."
    )


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "Repper, J. (Ed.). (1994). An edited book. Mind."),
        ("harvard", "Repper, J. (ed.) (1994) An edited book. Mind."),
        ("vancouver", "Repper J, editor. An edited book. Mind; 1994."),
    ],
)
def test_an_editor_in_the_authors_place_is_not_printed_again(style: str, expected: str) -> None:
    assert format_citation(EDITED, style).text == expected


def test_vancouver_prints_the_abbreviated_journal_when_given() -> None:
    abbreviated = make_entry(
        "article", "a", "Hurley, Di", title="T", journal="Mental Health and Social Inclusion",
        shortjournal="Ment Health Soc Incl", year="2015", volume="19", number="1", pages="52--55",
    )  # fmt: skip
    assert (
        format_citation(abbreviated, "vancouver").text
        == "Hurley D. T. Ment Health Soc Incl. 2015;19(1):52\u20135."
    )
    assert "Mental Health and Social Inclusion" in format_citation(abbreviated, "apa").text


def test_an_empty_name_is_dropped_not_crashed_on() -> None:
    empty = Entry(
        key="e", type="article", fields=MappingProxyType({"title": "T", "year": "2020"}),
        raw_fields=MappingProxyType({}), authors=(), editors=(Person(given="", family=""),),
        path="p.bib", line=1, source="",
    )  # fmt: skip
    assert "editor" not in entry_to_csl(empty)
    # citeproc-py repeats a title that stood in for the author ("T. (2020). T."): a known limit.
    assert format_citation(empty, "apa").text.startswith("T. (2020).")


def test_each_entry_stands_alone_so_same_author_and_year_get_no_letter() -> None:
    first = make_entry("article", "a", "Watson, Emma", title="A day in the life", journal="MHSI", year="2015")
    second = make_entry("article", "b", "Watson, Emma", title="Beginnings", journal="MHSI", year="2015")
    citations = format_bibliography([first, second], "apa")
    assert citations["a"].text == "Watson, E. (2015). A day in the life. MHSI."
    assert citations["b"].text == "Watson, E. (2015). Beginnings. MHSI."


def test_output_does_not_depend_on_order_or_on_earlier_entries() -> None:
    for style in STYLES:
        assert format_bibliography(SEED, style) == format_bibliography(SEED[::-1], style)


def test_style_is_parsed_once_per_process() -> None:
    assert load_style("apa") is load_style("apa")


def test_unknown_style_is_named_with_the_choices() -> None:
    with pytest.raises(
        ValueError, match=re.escape("expected one of ('apa', 'harvard', 'vancouver'), got 'mla'")
    ):
        format_bibliography([CONCHAR], "mla")


def test_first_entry_wins_when_a_key_repeats() -> None:
    again = make_entry("article", "conchar2014walking", "Other, A.", title="Other", year="2000")
    assert format_bibliography([CONCHAR, again], "apa")["conchar2014walking"].text.startswith("Conchar")


HOSTILE = make_entry(
    "article",
    "hostile",
    '<b>X"; Evil, "onmouseover=alert(1)',
    title='<script>alert(1)</script> "onmouseover=alert(1) {{ jinja }} &amp; <span class="nocase">z</span>',
    journal="<i>J</i> [x](javascript:alert(1)) *em* _u_",
    year="2020",
    pages="1-2",
    doi="javascript:alert(1)",
    url="javascript:alert(1)",
)


@pytest.mark.parametrize("style", list(STYLES))
def test_hostile_values_are_inert_and_shown_verbatim(style: str) -> None:
    citation = format_citation(HOSTILE, style)
    assert_safe(citation)
    assert "<a " not in citation.html  # neither the javascript: DOI nor URL becomes a link
    assert "javascript:alert(1)" not in citation.text.replace("[x](javascript:alert(1))", "")
    for value in (
        '<script>alert(1)</script> "onmouseover=alert(1) {{ jinja }} &amp; <span class="nocase">z</span>',
        "<i>J</i> [x](javascript:alert(1)) *em* _u_",
    ):
        assert value in citation.text
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=alert(1) &#123;&#123; jinja &#125;&#125;"
        in (citation.html)
    )
    assert "&amp;amp;" in citation.html


def test_private_use_characters_in_data_cannot_forge_tags() -> None:
    forged = make_entry(
        "article", "f", "A, B", title="\ue000bold\ue001 \ue010 10.1/x\ue011", journal="J", year="2020"
    )
    citation = format_citation(forged, "apa")
    assert citation.html == "A, B. (2020). bold 10.1/x. <i>J</i>."
    assert citation.text == "A, B. (2020). bold 10.1/x. J."


def test_doi_link_is_percent_encoded_and_its_text_escaped() -> None:
    entry = make_entry("article", "d", "A, B", title="T", year="2020", doi="https://doi.org/10.1000/a_b[c]")
    citation = format_citation(entry, "apa")
    assert citation.html.endswith(
        '<a href="https://doi.org/10.1000/a_b%5Bc%5D">https://doi.org/10.1000/a&#95;b&#91;c&#93;</a>'
    )
    assert citation.text.endswith("https://doi.org/10.1000/a_b[c]")


text_values = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(
    title=text_values,
    journal=text_values,
    family=text_values,
    given_name=text_values,
    year=text_values,
    pages=text_values,
    doi=text_values,
    url=text_values,
    style=st.sampled_from(list(STYLES)),
)
def test_any_values_give_safe_markup(
    title: str,
    journal: str,
    family: str,
    given_name: str,
    year: str,
    pages: str,
    doi: str,
    url: str,
    style: str,
) -> None:
    entry = Entry(
        key="k",
        type="article",
        fields=MappingProxyType(
            {"title": title, "journal": journal, "year": year, "pages": pages, "doi": doi, "url": url}
        ),
        raw_fields=MappingProxyType({}),
        authors=(Person(given=given_name, family=family),),
        editors=(),
        path="references/library.bib",
        line=1,
        source="",
    )
    assert_safe(format_citation(entry, style))


# entry_to_csl


def test_csl_of_a_journal_article() -> None:
    assert entry_to_csl(CONCHAR) == {
        "id": "conchar2014walking",
        "type": "article-journal",
        "title": CONCHAR_TITLE,
        "author": [{"family": "Conchar", "given": "Catherine"}, {"family": "Repper", "given": "Julie"}],
        "issued": {"date-parts": [[2014]]},
        "container-title": "Mental Health and Social Inclusion",
        "volume": "18",
        "issue": "1",
        "page": "35-44",
        "DOI": "10.1108/MHSI-02-2014-0003",
        "ISSN": "2042-8308",
    }


def test_csl_of_a_blog_post_report_and_book() -> None:
    assert entry_to_csl(TURTLE) == {
        "id": "turtle2023peer",
        "type": "post-weblog",
        "title": "Peer Work: Bridging Hearts and Healing Minds in Mental Health",
        "author": [{"family": "Turtle", "given": "Andrew"}],
        "issued": {"date-parts": [[2023, 9, 16]]},
        "genre": "Blog post",
        "URL": "https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health",
    }
    basset = entry_to_csl(BASSET)
    assert (basset["type"], basset["genre"], basset["publisher"], basset["publisher-place"]) == (
        "report", "Report", "Together / University of Nottingham / NSUN", "London",
    )  # fmt: skip
    assert entry_to_csl(LINDOW)["type"] == "book"


@pytest.mark.parametrize(
    ("month", "day", "parts"),
    [("sep", "16", [2023, 9, 16]), ("September", "", [2023, 9]), ("Sept.", "1", [2023, 9, 1]),
     ("09", "31", [2023, 9, 31]), ("13", "1", [2023]), ("Spring", "1", [2023]), ("", "16", [2023]),
     ("ju", "", [2023]), ("9", "32", [2023, 9])],
)  # fmt: skip
def test_csl_dates(month: str, day: str, parts: list[int]) -> None:
    entry = make_entry("misc", "d", year="2023", month=month, day=day)
    assert entry_to_csl(entry)["issued"] == {"date-parts": [parts]}


def test_csl_literal_year_and_accessed_date() -> None:
    entry = make_entry("misc", "d", year="in press", urldate="2024-03-05")
    assert entry_to_csl(entry)["issued"] == {"literal": "in press"}
    assert entry_to_csl(entry)["accessed"] == {"date-parts": [[2024, 3, 5]]}
    # Unicode digits that str.isdigit() accepts but int() does not.
    assert entry_to_csl(make_entry("misc", "d", year="\u00b2"))["issued"] == {"literal": "\u00b2"}
    superscript = make_entry("misc", "d", year="2023", month="\u00b2", day="\u00b2")
    assert entry_to_csl(superscript)["issued"] == {"date-parts": [[2023]]}


@pytest.mark.parametrize(
    ("pages", "page"),
    [("35--44", "35-44"), ("35\u201344", "35-44"), ("35 \u2013 44", "35-44"), ("e70027", "e70027"),
     ("1-2, 5\u20137", "1-2, 5-7")],
)  # fmt: skip
def test_csl_page_ranges_use_a_hyphen(pages: str, page: str) -> None:
    assert entry_to_csl(make_entry("article", "p", pages=pages))["page"] == page


@pytest.mark.parametrize(
    ("url", "kept"),
    [("https://example.org/a", True), ("HTTP://example.org", True), ("javascript:alert(1)", False),
     ("data:text/html,x", False), ("ftp://example.org", False), ("https://exa mple.org", False)],
)  # fmt: skip
def test_csl_keeps_only_http_urls(url: str, kept: bool) -> None:
    assert ("URL" in entry_to_csl(make_entry("misc", "u", url=url))) is kept


def test_csl_doi_is_normalised_or_dropped() -> None:
    assert entry_to_csl(make_entry("article", "d", doi="https://doi.org/10.1111/jpm.70027"))["DOI"] == (
        "10.1111/jpm.70027"
    )
    assert "DOI" not in entry_to_csl(make_entry("article", "d", doi="javascript:alert(1)"))


def test_csl_names_types_and_numbers() -> None:
    chapter = make_entry(
        "incollection", "c", "Smith, Jo; World Health Organization", editors="Repper, Julie",
        booktitle="Peer Support in Practice", number="4", series="Mental Health",
    )  # fmt: skip
    csl = entry_to_csl(chapter)
    assert csl["type"] == "chapter"
    assert csl["author"] == [{"family": "Smith", "given": "Jo"}, {"literal": "World Health Organization"}]
    assert csl["editor"] == [{"family": "Repper", "given": "Julie"}]
    assert (csl["container-title"], csl["number"], csl["collection-title"]) == (
        "Peer Support in Practice", "4", "Mental Health",
    )  # fmt: skip
    suffixed = Entry(
        key="s", type="phdthesis", fields=MappingProxyType({"school": "Uni"}),
        raw_fields=MappingProxyType({}), authors=(Person(given="Martin", family="King", suffix="Jr"),),
        editors=(), path="p.bib", line=1, source="",
    )  # fmt: skip
    thesis = entry_to_csl(suffixed)
    assert thesis["author"] == [{"family": "King", "given": "Martin", "suffix": "Jr"}]
    assert (thesis["type"], thesis["genre"], thesis["publisher"]) == (
        "thesis",
        "Doctoral dissertation",
        "Uni",
    )
    assert entry_to_csl(make_entry("misc", "m", howpublished="Web document"))["type"] == "document"
    assert entry_to_csl(make_entry("misc", "m", url="https://a.org"))["type"] == "webpage"
