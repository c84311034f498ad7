"""What's new: the Atom feed and the home page's Recently added list."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from peerkb.render.feed import RECENT_MARKER, render_feed, render_recently_added
from reader_papers import HOSTILE, paper, taxonomy

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://org.github.io/kb/"


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def test_newest_first_at_most_fifty_and_updated_is_the_newest_date_added():
    papers = [paper(f"p{i:03d}", added=f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}") for i in range(80)]
    feed = parse(render_feed(papers, taxonomy(), SITE, "Our KB"))
    found = entries(feed)
    assert len(found) == 50
    dates = [e.findtext(f"{ATOM}updated") for e in found]
    assert dates == sorted(dates, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == max(p.summary.date_added for p in papers) + "T00:00:00Z"
    assert feed.findtext(f"{ATOM}title") == "Our KB: recently added papers"


def test_ties_are_ordered_by_key_and_the_output_is_deterministic():
    papers = [paper("b", added="2026-01-02"), paper("a", added="2026-01-02"), paper("c", added="2025-12-31")]
    first = render_feed(papers, taxonomy(), SITE, "KB")
    assert first == render_feed(list(reversed(papers)), taxonomy(), SITE, "KB")
    titles = [e.findtext(f"{ATOM}title") for e in entries(parse(first))]
    assert titles == ["Title of a", "Title of b", "Title of c"]


def test_links_are_absolute_from_site_url_and_relative_without_one():
    papers = [paper("Smith:2020a")]
    with_url = parse(render_feed(papers, taxonomy(), "https://org.github.io/kb", "KB"))
    self_link = [ln.get("href") for ln in with_url.findall(f"{ATOM}link") if ln.get("rel") == "self"]
    assert self_link == ["https://org.github.io/kb/feed.xml"]
    entry = entries(with_url)[0]
    assert entry.find(f"{ATOM}link").get("href") == "https://org.github.io/kb/papers/smith-2020a/"
    without = parse(render_feed(papers, taxonomy(), "", "KB"))
    assert [ln.get("rel") for ln in without.findall(f"{ATOM}link")] == ["alternate"]
    assert entries(without)[0].find(f"{ATOM}link").get("href") == "papers/smith-2020a/"


def test_ids_are_stable_unique_uuids_whatever_the_site_url():
    papers = [paper("a"), paper("b")]
    one = [e.findtext(f"{ATOM}id") for e in entries(parse(render_feed(papers, taxonomy(), SITE, "KB")))]
    two = [e.findtext(f"{ATOM}id") for e in entries(parse(render_feed(papers, taxonomy(), "", "KB")))]
    assert one == two and len(set(one)) == 2
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in one)


def test_authors_categories_and_summary_are_there():
    papers = [
        paper(
            "a",
            families=("Smith", "Jones"),
            roles=("peer-navigator",),
            themes=("recovery",),
            takeaway="Peers help.",
            year="2019",
        )
    ]
    entry = entries(parse(render_feed(papers, taxonomy(), SITE, "KB")))[0]
    assert [a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author")] == ["A. Smith", "A. Jones"]
    assert [(c.get("term"), c.get("label")) for c in entry.findall(f"{ATOM}category")] == [
        ("peer-navigator", "Peer navigator"),
        ("recovery", "Recovery"),
    ]
    assert entry.findtext(f"{ATOM}summary") == "Peers help. Journal of Peer Work (2019)."


def test_hostile_text_and_control_characters_stay_text_in_well_formed_xml():
    nasty = HOSTILE + "\x00\x0b\x1f ]]> &amp;"
    papers = [paper("x", title=nasty, takeaway=nasty, families=(nasty,), journal=nasty)]
    tax = taxonomy(titles={"peer-navigator": nasty})
    text = render_feed(papers, tax, SITE + '"><script>', nasty)
    feed = parse(text)  # well-formed despite everything
    entry = entries(feed)[0]
    assert entry.findtext(f"{ATOM}title") == HOSTILE + " ]]> &amp;"
    assert entry.find(f"{ATOM}category").get("label") == HOSTILE + " ]]> &amp;"
    assert "<script>" not in text


def test_a_bad_date_sorts_last_and_an_empty_library_is_still_a_valid_feed():
    papers = [paper("bad", added="soon"), paper("good", added="2020-05-05")]
    found = entries(parse(render_feed(papers, taxonomy(), SITE, "KB")))
    assert [e.findtext(f"{ATOM}updated") for e in found] == ["2020-05-05T00:00:00Z", "1970-01-01T00:00:00Z"]
    empty = parse(render_feed([], taxonomy(), "", "KB"))
    assert entries(empty) == [] and empty.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


def test_recently_added_lists_the_five_newest_as_markdown_links():
    papers = [paper(f"p{i}", added=f"2026-01-0{i + 1}", title=f"Paper {i} *x*") for i in range(7)]
    text = render_recently_added(papers)
    lines = [ln for ln in text.splitlines() if ln.startswith("- ")]
    assert [re.search(r"\((papers/p\d\.md)\)", ln).group(1) for ln in lines] == [
        "papers/p6.md",
        "papers/p5.md",
        "papers/p4.md",
        "papers/p3.md",
        "papers/p2.md",
    ]
    assert "Paper 6 \\*x\\*" in text
    assert render_recently_added([]) == "No papers yet.\n"


def test_the_built_site_has_the_feed_its_head_link_and_recently_added(built_site: Path):
    feed = parse((built_site / "feed.xml").read_text(encoding="utf-8"))
    found = entries(feed)
    assert 1 <= len(found) <= 50
    for entry in found:
        href = entry.find(f"{ATOM}link").get("href")
        page = href.split("/papers/", 1)[1]
        assert (built_site / "papers" / page / "index.html").is_file(), href
    for page in (
        "index.html",
        "papers/index.html",
        "papers/haines2025core/index.html",
        "themes/recovery/index.html",
    ):
        html = (built_site / page).read_text(encoding="utf-8")
        assert re.search(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="[./]*/feed\.xml">', html
        ), page
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert RECENT_MARKER not in home
    recent = home.split('id="recently-added"', 1)[1].split("</ul>", 1)[0]
    assert recent.count('href="papers/') == 5
    assert 'href="feed.xml"' in home
