"""The All papers page: a complete list without JavaScript, with the ids facets.js filters by."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from peerkb.render.list_pages import render_all_papers
from reader_papers import HOSTILE, paper, taxonomy, to_html


class Items(HTMLParser):
    """The attributes of each paper item, each checkbox and the filter panel, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str | None]] = []
        self.boxes: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.text = ""
        self.panel: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "li" and "data-role" in a:
            self.items.append(a)
        elif tag == "input" and a.get("type") == "checkbox":
            self.boxes.append(a)
        elif tag == "section" and "peerkb-filters" in (a.get("class") or ""):
            self.panel = a

    def handle_data(self, data):
        self.text += data


def parse(page: str) -> Items:
    parser = Items()
    parser.feed(to_html(page))
    return parser


def test_each_paper_carries_its_ids_for_the_filters_newest_first():
    papers = [
        paper("old", year="1994", roles=("peer-educator",), themes=("recovery",), evidence="opinion"),
        paper(
            "new",
            year="2021",
            roles=("peer-navigator", "peer-educator"),
            themes=("empowerment", "recovery"),
            settings=("inpatient-ward",),
        ),
        paper("undated", year=""),
    ]
    found = parse(render_all_papers(papers, taxonomy()))
    assert [
        (i["data-role"], i["data-theme"], i["data-evidence"], i["data-setting"], i["data-year"])
        for i in found.items
    ] == [
        (
            "peer-navigator peer-educator",
            "empowerment recovery",
            "qualitative-study",
            "inpatient-ward",
            "2021",
        ),
        ("peer-educator", "recovery", "opinion", "", "1994"),
        ("peer-navigator", "empowerment", "qualitative-study", "", ""),
    ]
    html = to_html(render_all_papers(papers, taxonomy()))
    assert '<a class="peerkb-papers__title" href="new/">Title of new</a>' in html
    assert "Smith (2021) · Qualitative study" in html
    assert "Smith (n.d.)" in html


def test_the_filter_panel_survives_the_sanitiser_hidden_until_javascript_shows_it():
    papers = [paper("a", year="2001"), paper("b", year="2019", roles=("peer-educator",))]
    found = parse(render_all_papers(papers, taxonomy()))
    assert found.panel.get("hidden") is not None
    assert [(b["name"], b["value"]) for b in found.boxes] == [
        ("role", "peer-navigator"),
        ("role", "peer-educator"),
        ("theme", "empowerment"),
        ("theme", "recovery"),
        ("theme", "stigma-reduction"),
        ("evidence", "qualitative-study"),
        ("evidence", "opinion"),
        ("setting", "inpatient-ward"),
    ]
    html = to_html(render_all_papers(papers, taxonomy()))
    # Counts per choice, and year bounds from the library.
    assert re.search(r"Peer navigator</span> <span[^>]*data-count[^>]*>\(1\)</span>", html)
    assert re.search(r"Stigma reduction</span> <span[^>]*data-count[^>]*>\(0\)</span>", html)
    assert 'name="from" placeholder="2001" min="2001" max="2019"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "2 papers" in found.text


def test_hostile_titles_and_terms_stay_text():
    papers = [paper("x", title=HOSTILE, takeaway=HOSTILE, families=(HOSTILE,))]
    tax = taxonomy(titles={"peer-navigator": HOSTILE, "empowerment": HOSTILE})
    found = parse(render_all_papers(papers, tax))
    assert "script" not in found.tags and "b" not in found.tags
    assert found.text.count('<script>alert("x")</script>') >= 4
    assert "javascript" not in "".join(str(v) for item in found.items for v in item.values())


def test_an_empty_library_has_no_list_and_says_so():
    page = render_all_papers([], taxonomy())
    found = parse(page)
    assert found.items == []
    assert "The knowledge base holds 0 papers, newest first." in found.text
    assert 'min="1900" max="2100"' in to_html(page)
