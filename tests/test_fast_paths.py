"""Fast paths for plain text (issue 6) give exactly what the full path gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb import csl, markup, summary_checks

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
