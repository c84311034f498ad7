"""Entry checks, DOIs and web addresses, and page names from keys."""

# ruff: noqa: RUF001, RUF003  (typographic and look-alike characters are the subject here)

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peerkb.bibfile import read_bib
from peerkb.entry_checks import check_entries
from peerkb.identifiers import doi_url, is_web_url, normalise_doi
from peerkb.problems import Severity
from peerkb.slug import key_identity, slug_for_key

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "bib"


def load(*names: str) -> list:
    """The entries of test files, read with no problems."""
    entries: list = []
    for name in names:
        found, problems = read_bib(f"tests/data/bib/{name}", (DATA / name).read_bytes())
        assert problems == ()
        entries += found
    return entries


def test_seed_library_has_only_missing_doi_warnings() -> None:
    entries, _ = read_bib("references/library.bib", (ROOT / "references" / "library.bib").read_bytes())
    problems = check_entries(entries, this_year=2026)
    assert {p.severity for p in problems} == {Severity.WARNING}
    assert problems[0].format() == (
        'references/library.bib:32: warning: doi: article "watson2014dayinlife" has no DOI; '
        "add doi = {10.xxxx/...} if it has one (search https://search.crossref.org)"
    )
    assert len(problems) == 5


def test_every_entry_problem_with_its_place() -> None:
    problems = check_entries(load("checks_a.bib", "checks_b.bib"), this_year=2026)
    a, b = "tests/data/bib/checks_a.bib", "tests/data/bib/checks_b.bib"
    assert [p.format() for p in problems] == [
        f'{a}:9: unknown entry type "@artcle" for "typo2019"; expected a BibTeX type such as @article '
        'or @book. Did you mean "article"?',
        f'{a}:14: publisher: @book "nopublisher2018" needs publisher; add it, e.g. '
        "publisher = {Mind Publications},",
        f'{a}:17: year: expected a four-digit year between 1800 and 2027, got "18"; e.g. year = {{2014}}',
        f'{a}:23: doi: expected a DOI such as 10.1108/MHSI-08-2015-0031, got "doi.org/10.1234/x"',
        f'{a}:24: url: expected a web address starting with https:// or http://, got "javascript:alert(1)"',
        f'{a}:31: year: expected a four-digit year between 1800 and 2027, got "2031"; e.g. year = {{2014}}',
        f'{b}:1: warning: doi: article "smith2020" has no DOI; add doi = {{10.xxxx/...}} if it has one '
        "(search https://search.crossref.org)",
        f'{b}:16: warning: doi: article "ѕmith2020" has no DOI; add doi = {{10.xxxx/...}} if it has one '
        "(search https://search.crossref.org)",
        f'{b}:16: key: key "ѕmith2020" is not safe as a file name; expected ASCII letters, digits and '
        '- _ : . only, not starting with "." and with at least one letter or digit, e.g. watson2014dayinlife',
        f'{b}:23: url: @online "web2021" needs url; add it, e.g. url = {{https://example.org/report.pdf}},',
        f'{b}:29: key: key ".hidden" is not safe as a file name; expected ASCII letters, digits and '
        '- _ : . only, not starting with "." and with at least one letter or digit, e.g. watson2014dayinlife',
        f'{b}:1: key: duplicate key "smith2020": a key that looks the same "Smith2020" is used at {a}:1; '
        "keys must differ in more than case, accents, invisible or look-alike characters",
        f'{b}:13: doi: the same work as "Smith2020" at {a}:1: both have DOI 10.1234/jpw.2020.1; '
        "keep one entry",
        f'{b}:16: key: duplicate key "ѕmith2020": a key that looks the same "Smith2020" is used at {a}:1; '
        "keys must differ in more than case, accents, invisible or look-alike characters",
        f'{b}:25: title: the same work as "Smith2020" at {a}:1: same title and year 2020; keep one entry',
        f'{b}:34: key: key "smith-2020" gives the same page name "papers/smith-2020/" as "smith:2020" at '
        f"{b}:8; change one of the keys",
    ]


def test_doi_url_prefix_is_accepted_silently() -> None:
    (entry,) = [e for e in load("checks_a.bib") if e.key == "Smith2020"]
    assert entry.get("doi") == "https://doi.org/10.1234/JPW.2020.1"
    assert check_entries([entry], this_year=2026) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1108/MHSI-08-2015-0031", "10.1108/MHSI-08-2015-0031"),
        ("doi:10.1108/MHSI-08-2015-0031", "10.1108/MHSI-08-2015-0031"),
        ("DOI: 10.1111/jpm.70027", "10.1111/jpm.70027"),
        ("https://doi.org/10.3389/fpsyt.2020.587656", "10.3389/fpsyt.2020.587656"),
        ("http://dx.doi.org/10.1108/13619322200600019", "10.1108/13619322200600019"),
        ("https://doi.org/10.1002/%28SICI%291097-4571", "10.1002/(SICI)1097-4571"),
        ("  10.1108/x  ", "10.1108/x"),
        ("10.123/short-prefix", None),
        ("doi.org/10.1234/x", None),
        ("10.1108/a b", None),
        ('10.1108/x"onmouseover="alert(1)', None),
        ("10.1108/<script>", None),
        ("10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0", None),
        ("", None),
    ],
)
def test_normalise_doi(text: str, expected: str | None) -> None:
    assert normalise_doi(text) == expected


def test_doi_url_is_safe_in_an_href() -> None:
    assert doi_url("10.1108/MHSI-08-2015-0031") == "https://doi.org/10.1108/MHSI-08-2015-0031"
    assert doi_url("10.1000/a[1]#b?c&d") == "https://doi.org/10.1000/a%5B1%5D%23b%3Fc%26d"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://www.usnu.blog/post/peer-work", True),
        ("http://www.mentalhealthpeers.com/pdfs/DefiningPeerSupport.pdf", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("ftp://example.org/x", False),
        ("https://", False),
        ("http:///path", False),
        ("//example.org", False),
        ("https://example.org/a b", False),
        ('https://example.org/"onclick', False),
        ("https://example.org/<x>", False),
        ("https://[::1", False),
        ("", False),
    ],
)
def test_is_web_url(text: str, expected: bool) -> None:
    assert is_web_url(text) is expected


@pytest.mark.parametrize(
    ("key", "slug"),
    [
        ("watson2014dayinlife", "watson2014dayinlife"),
        ("Smith:2020.Walking_Wounded", "smith-2020-walking-wounded"),
        ("smith\u200b2020", "smith2020"),
        ("\ufeffsmith2020", "smith2020"),
        ("ﬁsh2020", "fish2020"),
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("Müller2020", "m-ller2020"),
        ("---", ""),
        ("", ""),
    ],
)
def test_slug_for_key(key: str, slug: str) -> None:
    assert slug_for_key(key) == slug


@given(st.text(max_size=40))
def test_slug_is_always_a_safe_file_name(key: str) -> None:
    slug = slug_for_key(key)
    assert "/" not in slug and ".." not in slug and not slug.startswith(".")
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


def test_key_identity_folds_look_alikes() -> None:
    assert key_identity("Smith2020") == key_identity("smith2020")
    assert key_identity("smith2020") == key_identity("ѕmith2020")  # Cyrillic ѕ
    assert key_identity("smith2020") == key_identity("smith\u200b2020")  # zero-width space
    assert key_identity("сое2020") == key_identity("coe2020")  # Cyrillic с, о, е
    assert key_identity("muller2020") == key_identity("Mu\u0308ller2020") == key_identity("Müller2020")
    assert key_identity("smith2020") != key_identity("smith2021")
