"""The evidence map: counts per theme and role, filter links, and a table screen readers can use."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from peerkb.render.evidence_map import _level, render_evidence_map
from reader_papers import HOSTILE, paper, taxonomy, to_html


class Table(HTMLParser):
    """The map as rows of (tag, scope, text, href) cells, plus caption and region attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str, str, str]]] = []
        self.caption = ""
        self.region: dict[str, str | None] = {}
        self.legend: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._where = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("class") == "peerkb-map":
            self.region = a
        elif tag == "caption":
            self._where = "caption"
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, a.get("scope") or "", "", ""]
        elif tag == "a" and self._cell is not None:
            self._cell[3] = a.get("href") or ""
        elif tag == "ul" and a.get("class") == "peerkb-legend":
            self._where = "legend"
        elif tag == "a" and self._where == "legend":
            self.legend.append((a.get("href") or "", ""))

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.rows[-1].append(tuple(self._cell))
            self._cell = None
        elif tag in ("caption", "ul"):
            self._where = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data
        elif self._where == "caption":
            self.caption += data


def parse(page: str) -> Table:
    table = Table()
    table.feed(to_html(page))
    return table


PAPERS = [
    paper("a", roles=("peer-navigator",), themes=("empowerment", "recovery")),
    paper("b", roles=("peer-navigator", "peer-educator"), themes=("empowerment",), evidence="opinion"),
    paper("c", roles=(), themes=("recovery",)),
]


def test_each_cell_counts_papers_and_links_to_exactly_those():
    table = parse(render_evidence_map(PAPERS, taxonomy()))
    header, *body, foot = table.rows
    assert [(c[0], c[1], c[2]) for c in header] == [
        ("th", "col", "Theme"),
        ("th", "col", "Peer navigator"),
        ("th", "col", "Peer educator"),
        ("th", "col", "Any role"),
    ]
    assert [c[3] for c in header[1:3]] == ["../roles/peer-navigator/", "../roles/peer-educator/"]
    empowerment, recovery, stigma = body
    assert empowerment[0][:3] == ("th", "row", "Empowerment")
    assert empowerment[0][3] == "../themes/empowerment/"
    assert empowerment[1] == (
        "td",
        "",
        "2 papers: Peer navigator and Empowerment",
        "../papers/?role=peer-navigator&theme=empowerment",
    )
    assert empowerment[2][2:] == (
        "1 paper: Peer educator and Empowerment",
        "../papers/?role=peer-educator&theme=empowerment",
    )
    assert empowerment[3][2:] == ("2 papers: Empowerment, any role", "../papers/?theme=empowerment")
    # Paper c has no role: it counts for its theme, not in any role's cell.
    assert [c[2].split(" ")[0] for c in recovery[1:]] == ["1", "0", "2"]
    # An empty cell says 0 and is no link.
    assert stigma[1:] == [("td", "", "0", ""), ("td", "", "0", ""), ("td", "", "0", "")]
    assert [c[2] for c in foot] == [
        "Any theme",
        "2 papers: Peer navigator, any theme",
        "1 paper: Peer educator, any theme",
        "3 papers in all",
    ]
    assert foot[-1][3] == "../papers/"


def test_the_table_is_labelled_focusable_and_scrolls_in_a_region():
    table = parse(render_evidence_map(PAPERS, taxonomy()))
    assert table.caption == "Number of papers on each theme, by peer role"
    assert table.region == {
        "class": "peerkb-map",
        "role": "region",
        "aria-labelledby": "peerkb-map-caption",
        "tabindex": "0",
    }


def test_a_term_an_organisation_adds_gets_its_row_and_column():
    tax = taxonomy(
        roles=("peer-navigator", "peer-educator", "family-peer-worker"),
        themes=("empowerment", "recovery", "stigma-reduction", "housing"),
    )
    papers = [*PAPERS, paper("d", roles=("family-peer-worker",), themes=("housing",))]
    table = parse(render_evidence_map(papers, tax))
    assert [c[2] for c in table.rows[0]][-2:] == ["Family peer worker", "Any role"]
    housing = table.rows[4]
    assert housing[0][2] == "Housing"
    assert housing[3][3] == "../papers/?role=family-peer-worker&theme=housing"


def test_the_legend_counts_each_evidence_type_and_links_only_non_empty_ones():
    tax = taxonomy(evidence=("qualitative-study", "opinion", "book"))
    page = render_evidence_map(PAPERS, tax)
    assert parse(page).legend == [
        ("../papers/?evidence=qualitative-study", ""),
        ("../papers/?evidence=opinion", ""),
    ]
    html = to_html(page)
    assert "Qualitative study</a> (2 papers)</span> About qualitative study." in html
    assert "Opinion</a> (1 paper)</span>" in html
    assert '<span class="peerkb-legend__name">Book (0 papers)</span>' in html


def test_hostile_term_titles_and_ids_stay_text():
    tax = taxonomy(titles={"peer-navigator": HOSTILE, "recovery": HOSTILE})
    html = to_html(render_evidence_map(PAPERS, tax))
    assert "<script" not in html and "<b " not in html and "onclick" not in html.replace("&lt;b onclick", "")
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("count", "highest", "level"),
    [
        (0, 5, 0),
        (1, 5, 1),
        (2, 5, 2),
        (3, 5, 3),
        (4, 5, 4),
        (5, 5, 4),
        (1, 100, 1),
        (0, 0, 0),
    ],
)
def test_shading_grows_with_the_count(count, highest, level):
    assert _level(count, highest) == level


class ListItems(HTMLParser):
    """The data-* ids of every item of the built All papers list."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, set[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "data-role" in a:
            self.items.append({k[5:]: set((v or "").split()) for k, v in a.items() if k.startswith("data-")})


def test_every_count_in_the_built_map_equals_the_papers_its_link_lists(built_site: Path):
    table = Table()
    table.feed((built_site / "evidence-map" / "index.html").read_text(encoding="utf-8"))
    listing = ListItems()
    listing.feed((built_site / "papers" / "index.html").read_text(encoding="utf-8"))
    assert len(listing.items) >= 20
    checked = 0
    for row in table.rows[1:]:
        for _, _, text, href in row[1:]:
            if not href:
                assert text == "0"
                continue
            query = parse_qs(urlsplit(href).query)
            assert (built_site / "evidence-map" / urlsplit(href).path / "index.html").resolve().is_file()
            wanted = sum(all(query[name][0] in item[name] for name in query) for item in listing.items)
            assert int(text.split()[0]) == wanted, href
            checked += 1
    assert checked > 20
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="evidence-map/"' in home  # in the navigation
