"""A paper's page: the record, the citations, machine-readable <head> metadata and related papers."""

from __future__ import annotations

import html
import json
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

from conftest import mkdocs_build
from peerkb.citations import STYLES, format_citation
from peerkb.model import Entry, Paper, Person, Summary
from peerkb.render.head_meta import script_json
from peerkb.render.related import related_papers
from render_support import KEY, bib_entry, bib_value, inventory, render_library, summary_file
from search_support import found_by, indexed_pages

# (No ' or --: BibTeX's LaTeX would make them typographic quotes and dashes.)
HOSTILE_TITLE = 'A </script><script>alert(1)</script> "quoted" & co <!doctype'


class Head(HTMLParser):
    """The <meta> tags (name or property -> contents) and script bodies of an HTML text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[tuple[str, str]] = []
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("name" in a or "property" in a):
            self.meta.setdefault(a.get("name") or a.get("property") or "", []).append(a.get("content") or "")
        if tag == "script":
            self._script = a.get("type") or ""
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            kind, body = self.scripts[-1]
            self.scripts[-1] = (kind, body + data)


def head_of(markup: str) -> Head:
    parser = Head()
    parser.feed(markup)
    parser.close()
    return parser


def json_ld(parser: Head) -> list[dict]:
    return [json.loads(body) for kind, body in parser.scripts if kind == "application/ld+json"]


def page_of(bib: str, **summary: str):
    rendered = render_library(bib, {KEY: summary_file(**summary)})
    assert not rendered.errors
    return rendered.pages[f"papers/{KEY}.md"]


# ---- The record and the citation box.


def test_the_record_is_a_definition_list_of_label_and_value():
    page = page_of(bib_entry())
    record = re.search(r'<div class="peerkb-record">(.*?)</div>', page.clean, re.S).group(1)
    labels = re.findall(r"<dt>(.*?)</dt>", record)
    assert labels == ["Authors", "Year", "Published in", "Volume, issue, pages", "DOI", "Web address",
                      "Evidence type", "Roles", "Themes", "Setting", "Country"]  # fmt: skip
    assert "<dd>12(3), 10\u201320 <em>(not verified)</em></dd>" in record
    assert '<a href="../themes/empowerment.md">Empowerment</a>' in record
    assert '<p class="peerkb-takeaway">Peer workers helped people feel heard.</p>' in page.clean


def test_every_style_is_shown_with_a_copy_button_for_its_plain_text():
    bib = bib_entry(title=bib_value('Peers & "partners": <b>bold</b> *stars*'))
    page = page_of(bib)
    entry_text = {style: format_citation(_entry(bib), style) for style in STYLES}
    panels = re.findall(
        r'<div class="peerkb-cite__panel" data-label="([^"]*)" data-style="(\w+)" id="cite-(\w+)">\n'
        r'<p class="peerkb-cite__label">([^<]*)</p>\n<p class="peerkb-cite__text">(.*?)</p>\n'
        r'<button type="button" class="peerkb-cite__copy md-button" hidden="">Copy citation</button>',
        page.clean,
    )
    assert [(p[1], html.unescape(p[0])) for p in panels] == list(STYLES.items())
    for _label, style, panel_id, shown_label, markup in panels:
        assert style == panel_id and html.unescape(shown_label) == STYLES[style]
        # Markdown and the sanitiser re-serialise entities (&#42; becomes *): compare the text.
        assert html.unescape(markup) == html.unescape(entry_text[style].html)
        # The button copies the shown citation's textContent: exactly the plain-text citation.
        assert html.unescape(re.sub(r"<[^>]*>", "", markup)) == entry_text[style].text
        assert "<b>" not in markup  # the data's tag stays text
    assert '<p aria-live="polite" class="peerkb-cite__status" role="status"></p>' in page.clean
    assert "[BibTeX](smith2020walking.bib), [RIS](smith2020walking.ris)" in page.source


def _entry(bib: str) -> Entry:
    from peerkb.bibfile import read_bib

    entries, problems = read_bib("references/library.bib", bib.encode())
    assert not problems
    return entries[0]


# ---- <head>: Highwire Press, Open Graph, JSON-LD.


def test_highwire_tags_describe_a_journal_article():
    bib = bib_entry(month="{sep}", day="{7}", issn="{1351-0126}")
    head = head_of(page_of(bib).meta["peerkb_head"])
    assert head.meta == {
        "citation_title": ["Walking alongside: a study"],
        "citation_author": ["Smith, Jo", "Jones, Al"],
        "citation_publication_date": ["2020/09/07"],
        "citation_journal_title": ["Journal of Peer Work"],
        "citation_volume": ["12"],
        "citation_issue": ["3"],
        "citation_firstpage": ["10"],
        "citation_lastpage": ["20"],
        "citation_doi": ["10.1000/xyz"],
        "citation_issn": ["1351-0126"],
        "og:type": ["article"],
        "og:title": ["Walking alongside: a study"],
        "og:description": ["Peer workers helped people feel heard."],
    }
    (data,) = json_ld(head)
    assert data["@type"] == "ScholarlyArticle"
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Jo Smith",
        "givenName": "Jo",
        "familyName": "Smith",
    }
    assert data["isPartOf"] == {
        "@type": "PublicationIssue", "issueNumber": "3",
        "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "12",
                     "isPartOf": {"@type": "Periodical", "name": "Journal of Peer Work"}},
    }  # fmt: skip
    assert (data["datePublished"], data["pageStart"], data["pageEnd"]) == ("2020-09-07", "10", "20")
    assert data["sameAs"] == "https://doi.org/10.1000/xyz"


def test_highwire_tags_describe_a_report_and_a_book():
    report = bib_entry(
        kind="techreport", journal=None, volume=None, pages=None,
        institution="{Mental Health Foundation}", number="{7}", author="{{Mind Cymru} and Lee, Kim}",
    )  # fmt: skip
    head = head_of(page_of(report, unverified="[]", metadata_status="complete").meta["peerkb_head"])
    assert head.meta["citation_technical_report_institution"] == ["Mental Health Foundation"]
    assert head.meta["citation_technical_report_number"] == ["7"]
    assert head.meta["citation_author"] == ["Mind Cymru", "Lee, Kim"]
    assert "citation_journal_title" not in head.meta and "citation_publisher" not in head.meta
    (data,) = json_ld(head)
    assert data["@type"] == "Report"
    assert data["author"][0] == {"@type": "Organization", "name": "Mind Cymru"}

    book = bib_entry(kind="book", journal=None, volume=None, number=None, pages=None, publisher="{Routledge}")
    head = head_of(page_of(book, unverified="[]", metadata_status="complete").meta["peerkb_head"])
    assert head.meta["citation_publisher"] == ["Routledge"]
    assert json_ld(head)[0]["@type"] == "Book"


def test_hostile_data_stays_text_in_the_head():
    bib = bib_entry(title=bib_value(HOSTILE_TITLE), author="{O'Brien, \\'{E}ilis}")
    page = page_of(bib, takeaway='"Quotes \\" and & and < 3 stay text."')
    markup = page.meta["peerkb_head"]
    assert markup.isascii()  # any YAML front matter and page encoding carry it unchanged
    assert "</script><script>" not in markup and "<!--" not in markup
    assert markup.count("<script") == 1 and markup.count("</script>") == 1
    found = inventory(markup)
    assert found.pairs <= {("meta", ""), ("meta", "name"), ("meta", "property"), ("meta", "content"),
                           ("script", ""), ("script", "type")}  # fmt: skip
    head = head_of(markup)
    title = " ".join(HOSTILE_TITLE.split())
    assert head.meta["citation_title"] == [title]
    assert head.meta["og:title"] == [title]
    assert head.meta["citation_author"] == ["O\u2019Brien, Éilis"]  # BibTeX's ' is a closing quote
    assert head.meta["og:description"] == ['Quotes " and & and < 3 stay text.']
    (data,) = json_ld(head)
    assert data["name"] == title


def test_script_json_cannot_close_its_element():
    text = script_json({"x": "</script><!-- & \u2028"})
    assert text == '{"x":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028"}'
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_control_characters_leave_the_head_metadata():
    page = page_of(bib_entry(title=bib_value("Walking\x7f alongside\x9f")))
    assert head_of(page.meta["peerkb_head"]).meta["citation_title"] == ["Walking alongside"]


# ---- Related papers.


def _paper(
    key: str, year: int, families: tuple[str, ...], themes: tuple[str, ...], roles: tuple[str, ...]
) -> Paper:
    entry = Entry(
        key=key, type="article", fields=MappingProxyType({"title": key, "year": str(year)}),
        raw_fields=MappingProxyType({}), authors=tuple(Person("A.", f) for f in families), editors=(),
        path="references/library.bib", line=1, source="",
    )  # fmt: skip
    summary = Summary(key=key, path="", roles=roles, themes=themes, evidence_type="opinion")
    return Paper(entry=entry, summary=summary, slug=key)


def _naive(papers: list[Paper]) -> dict[str, list[str]]:
    """The definition, applied pair by pair."""
    return {paper.key: _naive_one(paper, papers) for paper in papers}


def test_related_papers_rank_authors_then_themes_then_roles():
    papers = [
        _paper("self", 2020, ("Watson", "Repper"), ("recovery", "empowerment"), ("peer-navigator",)),
        _paper("coauthor", 2001, ("watson",), (), ()),  # 3: a shared author
        _paper("twothemes", 2010, ("Other",), ("recovery", "empowerment"), ()),  # 4
        _paper("themerole", 2015, ("Other",), ("recovery",), ("peer-navigator",)),  # 3, newer
        _paper("role", 2024, ("Other",), (), ("peer-navigator",)),  # 1
        _paper("nothing", 2025, ("Nobody",), ("stigma-reduction",), ()),  # 0: never listed
        _paper("theme_a", 2019, ("X",), ("recovery",), ()),  # 2
        _paper("theme_b", 2019, ("Y",), ("recovery",), ()),  # 2, key after theme_a
    ]
    related = related_papers(papers)
    assert [p.key for p in related["self"]] == ["twothemes", "themerole", "coauthor", "theme_a", "theme_b"]
    assert [p.key for p in related["nothing"]] == []
    assert [p.key for p in related_papers(papers, limit=2)["self"]] == ["twothemes", "themerole"]


def test_related_papers_match_the_pairwise_definition_on_random_libraries():
    rng = random.Random(5)
    families = ["Watson", "Repper", "Smith", "Ngata", "Chen", "Okafor"]
    themes = ["recovery", "empowerment", "stigma", "safety", "boundaries"]
    roles = ["psw", "navigator", "educator"]
    for _ in range(30):
        papers = [
            _paper(f"p{i:03d}", rng.choice([2001, 2010, 2020, 2021]),
                   tuple(rng.sample(families, rng.randint(1, 3))),
                   tuple(rng.sample(themes, rng.randint(0, 3))),
                   tuple(rng.sample(roles, rng.randint(0, 2))))
            for i in range(rng.randint(1, 40))
        ]  # fmt: skip
        expected = _naive(papers)
        assert {k: [p.key for p in v] for k, v in related_papers(papers).items()} == expected


def test_related_papers_stay_fast_at_5000_papers():
    rng = random.Random(1)
    families = [f"family{i}" for i in range(300)]
    themes = [f"theme{i}" for i in range(15)]
    roles = [f"role{i}" for i in range(8)]
    papers = [
        _paper(f"k{i:05d}", 1990 + i % 35, tuple(rng.sample(families, rng.randint(1, 6))),
               tuple(rng.sample(themes, rng.randint(1, 5))), tuple(rng.sample(roles, rng.randint(0, 3))))
        for i in range(5000)
    ]  # fmt: skip
    start = time.perf_counter()
    related = related_papers(papers)
    elapsed = time.perf_counter() - start
    assert len(related) == 5000 and all(len(v) == 5 for v in related.values())
    assert elapsed < 5, f"related_papers took {elapsed:.1f} s for 5,000 papers"
    # Spot-check a few against the definition (the full pairwise check would take minutes).
    for paper in papers[:3]:
        assert [p.key for p in related[paper.key]] == _naive_one(paper, papers)


def _naive_one(paper: Paper, papers: list[Paper]) -> list[str]:
    """3 per shared author, 2 per theme, 1 per role; the best five, newest then key on ties."""
    mine = {p.family.casefold() for p in paper.entry.authors}
    scored = []
    for other in papers:
        theirs = {p.family.casefold() for p in other.entry.authors}
        score = (3 * len(mine & theirs) + 2 * len(set(paper.summary.themes) & set(other.summary.themes))
                 + len(set(paper.summary.roles) & set(other.summary.roles)))  # fmt: skip
        if score and other is not paper:
            scored.append((-score, -(other.entry.year or 0), other.key))
    return [key for *_, key in sorted(scored)[:5]]


def test_the_related_section_says_what_each_paper_shares():
    bib = bib_entry() + bib_entry(
        key="jones2021peer", author="{Jones, Al}", year="{2021}", title="{Peer work}", doi="{10.1000/abc}"
    )
    summaries = {KEY: summary_file(), "jones2021peer": summary_file(key="jones2021peer", themes="[recovery]")}
    rendered = render_library(bib, summaries)
    assert not rendered.errors
    page = rendered.pages[f"papers/{KEY}.md"].source
    assert (
        '## Related papers\n\n<div class="peerkb-related" markdown>\n\n'
        "- [Peer work](jones2021peer.md)  \n  Jones \\(2021\\). "
        "Shares: same author Jones; theme Recovery; role Peer support specialist.\n\n</div>\n"
    ) in page


# ---- The built site.


def test_built_paper_pages_carry_the_metadata_once(built_site: Path):
    page = (built_site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    head_html = page.split("</head>")[0]
    head = head_of(head_html)
    assert head.meta["citation_title"] == [
        "Core Purposes of Mental Health Peer Work: Empowerment, Stigma Reduction, Relational Safety "
        "and Walking Alongside People"
    ]
    assert head.meta["citation_author"] == ["Haines, Nicholas"]
    assert head.meta["citation_journal_title"] == ["Journal of Psychiatric and Mental Health Nursing"]
    assert head.meta["citation_doi"] == ["10.1111/jpm.70027"]
    assert len(json_ld(head)) == 1
    assert "peerkb_head" not in page and page.count("citation_title") == 1
    conchar = head_of(
        (built_site / "papers" / "conchar2014walking" / "index.html").read_text(encoding="utf-8")
    )
    assert (conchar.meta["citation_firstpage"], conchar.meta["citation_lastpage"]) == (["35"], ["44"])
    for other in ("index.html", "themes/recovery/index.html", "papers/index.html"):
        assert "citation_title" not in (built_site / other).read_text(encoding="utf-8"), other


def test_a_hostile_title_cannot_break_out_of_the_built_head(project: Path, tmp_path: Path):
    bib = project / "references" / "library.bib"
    text = bib.read_text(encoding="utf-8")
    line = re.compile(r"^  title   = \{Core Purposes of Mental Health Peer Work:.*\},$", re.M)
    assert len(line.findall(text)) == 1
    bib.write_text(line.sub(lambda _: f"  title   = {bib_value(HOSTILE_TITLE)},", text), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    head = head_of(page.split("</head>")[0])
    title = " ".join(HOSTILE_TITLE.split())
    assert head.meta["citation_title"] == [title] and head.meta["og:title"] == [title]
    assert [kind for kind, _ in head.scripts if kind == "application/ld+json"] == ["application/ld+json"]
    assert json_ld(head)[0]["name"] == title


def test_citations_and_related_papers_stay_out_of_the_search_index(built_site: Path):
    pages = indexed_pages(built_site)
    # Paper pages are indexed from the library, as one entry each: no section entries at all.
    assert [location for location in pages if location.startswith("papers/haines2025core/#")] == []
    assert "papers/haines2025core/" in found_by(built_site, "10.1111/jpm.70027")  # the record stays findable
    assert "Haines, N. (2025)" not in " ".join(text for _, text in pages.values())
