"""Fast paths for plain text (issue 6) give exactly what the full path gives."""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb import bibfile, bibnames, csl, entry_checks, frontmatter, markup, slug, summary_checks
from peerkb.model import SECTIONS, Section, Summary
from pybtex.bibtex.utils import split_tex_string
from pybtex.database import Person as PybtexPerson

# Every kind of white space, control and markup character the full paths treat specially.
SPECIAL = " \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2009\u2028\u3000\x00\x7f\x9f\u200b\ufffe-*+>1.)ab:/!(){}#=8<[]`~"
TEXT = st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(), max_size=60)
LINES = st.lists(st.sampled_from(["- ", "> ", "    ", "1. ", "* ", "\t", "x", "\n", " "]), max_size=80).map(
    "".join
)


@given(TEXT)
def test_one_line_fast_path(text: str) -> None:
    assert markup.one_line(text) == markup._WHITESPACE.sub(" ", markup._UNPRINTABLE.sub("", text)).strip()


@given(TEXT)
def test_clean_fast_path(text: str) -> None:
    assert csl.clean(text) == csl._BREAKS.sub(" ", csl._CONTROLS.sub("", text)).strip(" ")


@settings(max_examples=300)
@given(st.one_of(TEXT, LINES))
def test_unsafe_markup_fast_path(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(summary_checks, "_MARKUP_CHAR", re.compile(""))  # always take the full path
        full = summary_checks.unsafe_markup(text)
    assert summary_checks.unsafe_markup(text) == full


# Pieces of BibTeX entries, mostly plain, some not: the fast entry parser must give pybtex's result
# exactly, or leave the entry to pybtex.
def _mostly(plain: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(plain * (3 * len(odd)) + odd * len(plain))  # three plain to one odd


BIB_SPACE = _mostly(["", " ", "\n", "  \n\t"], ["\r\n", "\xa0", "\u2028", "\x1c"])
BIB_WORD = _mostly(["article", "Book", "x-1", "art_icle"], ["a.b", "1st", "ar tic", "", "é"])
BIB_KEY = _mostly(["smith2020", "Key:2.x"], ["k{ey", "a=b", 'x"y', "é", "", "@k", "a}b"])
BIB_CHAR = _mostly(["a", " ", "{", "}", "é", "\\"], ['"', "#", ",", "=", "@", "%", "\n"])
BIB_TEXT = st.text(alphabet=BIB_CHAR, max_size=12)
BIB_VALUE = st.one_of(
    BIB_TEXT.map(lambda text: "{" + text + "}"),
    BIB_TEXT.map(lambda text: '"' + text + '"'),
    _mostly(["2020", "{a{b{c{d}}}}", "{}", '""'], ["jan", "20x", "{a}#{b}", "{a{b{c{d{e}}}}}", ""]),
)
BIB_FIELD = st.tuples(BIB_WORD, BIB_SPACE, _mostly(["="], ["", "=="]), BIB_SPACE, BIB_VALUE).map("".join)
BIB_ENTRY = st.tuples(
    _mostly(["@"], ["@ ", "@\n"]),
    BIB_WORD,
    BIB_SPACE,
    _mostly(["{"], ["("]),
    BIB_SPACE,
    BIB_KEY,
    st.lists(st.tuples(_mostly([",", ", ", ",\n  "], ["", ",,"]), BIB_FIELD).map("".join), max_size=4).map(
        "".join
    ),
    _mostly(["", ",", ",\n", "\n"], [",,"]),
    _mostly(["}"], [")", "}}", ""]),
).map("".join)


@settings(max_examples=500)
@given(st.lists(BIB_ENTRY, min_size=1, max_size=3).map("\n\n".join))
def test_plain_entry_fast_path(text: str) -> None:
    data = text.encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bibfile, "_plain_entry", lambda source: None)  # always let pybtex parse
        patch.setattr(bibfile, "_CLOSED_BODY", re.compile("(?!)"))  # always count braces one by one
        full = bibfile.read_bib("x.bib", data)
    assert bibfile.read_bib("x.bib", data) == full


def test_plain_entry_fast_path_takes_plain_entries() -> None:
    source = '@Article{smith2020,\n  title = {A {B} {\\"{u}}},\n  note = "x {y}",\n  year = 2020,\n}'
    assert bibfile._plain_entry(source) == (
        "article",
        "smith2020",
        [("title", ['A {B} {\\"{u}}']), ("note", ["x {y}"]), ("year", ["2020"])],
        [("title", 1), ("note", 2), ("year", 3)],
    )


# Front-matter lines, mostly in the plain subset, some just outside it.
YAML_KEY = _mostly(["key", "roles", "date_added", "_x1"], ["k k", "-k", "1", "é", "k" * 1100, "key"])
YAML_COLON = _mostly([": ", ":  "], [":", " : ", ":\t", ": \t"])
YAML_CHAR = _mostly(
    ["a", " ", "é", ",", ":", "-", "\U0001f600"],
    ['"', "\\", "#", "\t", "\x85", "\u2028", "\ufeff", "\r", "\x7f", "'", "[", "&", "*", "!"],
)
YAML_QUOTED = st.text(alphabet=YAML_CHAR, max_size=10).map(lambda text: f'"{text}"')
YAML_WORD = _mostly(
    ["peer-navigator", "2026-01-01", "x.y_z", "NO", "1.0"], ["-x", "~", "a b", "", "@x", "a #b", "a:b"]
)
YAML_ITEMS = st.lists(st.one_of(YAML_QUOTED, YAML_WORD), max_size=3).map(
    lambda items: "[" + ", ".join(items) + "]"
)
YAML_ROW = st.one_of(
    st.tuples(YAML_KEY, YAML_COLON, st.one_of(YAML_QUOTED, YAML_WORD, YAML_ITEMS)).map("".join),
    _mostly(["key: x"], ["", "# note", "  - item", "---", "...", "key: [a,]", "k: [ a ,b ]", "k: x # y"]),
)


@settings(max_examples=500)
@given(st.lists(YAML_ROW, min_size=0, max_size=4), st.sampled_from(["\n", ""]))
def test_plain_front_matter_fast_path(rows: list[str], end: str) -> None:
    text = "\n".join(rows) + end
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frontmatter, "_plain_mapping", lambda text, first_line: None)  # always parse YAML
        full = frontmatter.read_yaml("x.md", text, 2)
    assert frontmatter.read_yaml("x.md", text, 2) == full


def _too_deep_everywhere(text: str) -> list[tuple[int, str]]:
    """summary_checks._too_deep as it was: every line measured."""
    for number, line in enumerate(text.split("\n")):
        if line.strip() and (depth := summary_checks._nesting(line)) > summary_checks.MAX_NESTING:
            return [(number, f"lists, quotes or indentation nested {depth} deep; at most 10 levels can be "
                             "shown, so flatten it")]
    return []


@settings(max_examples=300)
@given(st.one_of(TEXT, LINES, LINES.map(lambda text: text * 3)))
def test_nesting_fast_path(text: str) -> None:
    assert summary_checks._too_deep(text) == _too_deep_everywhere(text)


def _template_text_folded(text: str) -> str:
    """summary_checks._template_text_in as it was: a search, then the text folded and compared."""
    if summary_checks._TODO.search(text):
        return 'template text "TODO" left in; replace it with your own words'
    folded = summary_checks._fold(text)
    for sentence, _ in summary_checks._template_sentences():
        if sentence in folded:
            shown = summary_checks._shown(sentence)
            return f'template text left in ("{shown}"); replace it with your own words'
    return ""


# Pieces of the template's sentences, with odd case and spacing, and text round them.
TEMPLATE_PIECE = st.sampled_from(
    ["One Plain-language sentence a nurse can read in a list\n of papers.", "one plain-language", "TODO",
     "todo", "xTODO", "the main findings, in plain", "language, and no more than the source says.",
     "The  main findings, IN plain\tlanguage, and no more than the source says.", "\u03a3", "\u0130"]
)
# Lines nested to about the limit, with no other markup.
NESTED = st.tuples(st.integers(8, 13), st.sampled_from(["- ", "> ", "    ", "1. ", "* ", "\t"])).map(
    lambda depth_marker: depth_marker[1] * depth_marker[0] + "x"
)
TEMPLATE_TEXT = st.lists(st.one_of(TEMPLATE_PIECE, TEXT), max_size=6).map(" ".join)


@settings(max_examples=300)
@given(TEMPLATE_TEXT)
def test_template_text_fast_path(text: str) -> None:
    assert summary_checks._template_text_in(text) == _template_text_folded(text)


@settings(max_examples=300)
@given(st.lists(st.one_of(TEMPLATE_TEXT, TEXT, LINES, NESTED), min_size=6, max_size=6))
def test_whole_summary_fast_paths(texts: list[str]) -> None:
    # A summary's text is looked at all at once first; only what that finds is looked for place by place.
    sections = {
        section_id: Section(heading, text, 10 * number, 10 * number + 1)
        for number, ((section_id, heading), text) in enumerate(zip(SECTIONS, texts, strict=False))
    }
    summary = Summary(key="k", path="k.md", roles=(), themes=(), evidence_type="", takeaway=texts[5],
                      sections=MappingProxyType(sections), field_lines=MappingProxyType({"takeaway": 3}))
    assert list(summary_checks._check_markup(summary)) == list(summary_checks._markup_at(summary))
    places = [("takeaway", 3, texts[5])] + [(s.heading, s.body_line, s.body) for s in sections.values()]
    with_places = list(summary_checks._template_text_at("k.md", places))
    assert sorted(summary_checks._check_template_text(summary)) == sorted(with_places)


def _comparable_title_char_by_char(title: str) -> str:
    """entry_checks._comparable_title as it was: each character classified as it comes."""
    text = unicodedata.normalize("NFKD", title.casefold())
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


@given(st.one_of(TEXT, st.text(alphabet=st.characters(max_codepoint=127))))
def test_title_and_key_fast_paths(text: str) -> None:
    chars = entry_checks._TitleChars()
    assert entry_checks._comparable_title(text, chars) == _comparable_title_char_by_char(text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    assert slug._visible(text) == "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    bare = unicodedata.normalize("NFKD", slug._visible(text).translate(slug._CONFUSABLES))
    assert slug.key_identity(text) == "".join(ch for ch in bare if not unicodedata.combining(ch))


# Names as contributors write them, and odder: particles, initials, suffixes, Unicode case.
NAME_WORD = st.one_of(
    st.sampled_from(["Smith", "van", "der", "Jr", "M.", "de", "La", "O'Connor", "d'Artagnan", "ǅemal",
                     "Ångström", "élise", "1st", "-x", "'t", "Ⅳ", "ß", "and", "{\\'E}lise", "a~b"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=4),
)
NAME_GAP = st.sampled_from([" ", "  ", ", ", ",", " ,", "\t", "\xa0", "\u2028", ",,"])
NAME = st.lists(st.tuples(NAME_WORD, NAME_GAP).map("".join), max_size=5).map("".join)


@settings(max_examples=500)
@given(NAME)
def test_plain_name_fast_path(name: str) -> None:
    person = PybtexPerson(name) if len(split_tex_string(name, ",")) <= 3 else None
    if person is None:
        return  # more than three parts: _person joins the rest before asking
    assert bibnames.name_parts(name) == (
        " ".join(person.first_names + person.middle_names),
        " ".join(person.prelast_names + person.last_names),
        " ".join(person.lineage_names),
    )
