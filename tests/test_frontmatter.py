"""The strings-only safe YAML reader: data, line numbers, and every refusal with its line."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb.frontmatter import _read, field_name, read_yaml, split_front_matter

P = "references/summaries/x.md"


def formatted(text: str, first_line: int = 2) -> tuple[object, list[str]]:
    data, _lines, problems = read_yaml(P, text, first_line)
    return data, [p.format() for p in problems]


def test_every_scalar_stays_a_string() -> None:
    text = "a: NO\nb: 2026-01-01\nc: 1.0\nd: ~\ne: true\nf:\ng: 0x1F\nh: '1'\n"
    data, problems = formatted(text)
    assert problems == []
    assert data == {
        "a": "NO",
        "b": "2026-01-01",
        "c": "1.0",
        "d": "~",
        "e": "true",
        "f": "",
        "g": "0x1F",
        "h": "1",
    }


def test_lines_are_file_lines_for_keys_and_items() -> None:
    text = "key: x\nthemes:\n  - empowerment\n  - recovery\nroles: [a, b]\n"
    text += "details:\n  - heading: H\n    text: T\n"
    data, lines, problems = read_yaml(P, text, 2)
    assert problems == []
    assert data["details"] == [{"heading": "H", "text": "T"}]
    assert lines[("key",)] == 2
    assert lines[("themes",)] == 3
    assert lines[("themes", 1)] == 5
    assert lines[("roles", 0)] == 6
    assert lines[("details", 0)] == 8
    assert lines[("details", 0, "text")] == 9


def test_billion_laughs_is_refused_quickly_and_never_expanded() -> None:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 9)
        levels.append(f"a{level}: &a{level} [{aliases}]")
    text = "\n".join(levels) + "\n"
    started = time.perf_counter()
    data, problems = formatted(text, 1)
    assert time.perf_counter() - started < 1
    assert problems[:3] == [
        'references/summaries/x.md:1: a0: YAML anchors ("&a0") are not allowed; write the value out in full',
        'references/summaries/x.md:2: a1: YAML anchors ("&a1") are not allowed; write the value out in full',
        'references/summaries/x.md:2: a1[0]: YAML aliases ("*a0") are not allowed; '
        "write the value out in full",
    ]
    assert len(problems) == 19  # one anchor and one alias problem per line, not one per alias
    assert data["a9"] == [None] * 9  # refused aliases are holes, never copies


def test_python_object_apply_and_every_other_tag_are_refused() -> None:
    text = 'a: !!python/object/apply:os.system ["echo pwned"]\nb: !!int 3\nc: !custom x\nd: ! y\ne: !!str z\n'
    data, problems = formatted(text)
    tag = "are not allowed; every value is read as text, so remove the tag"
    assert problems == [
        f'references/summaries/x.md:2: a: YAML tags ("!!python/object/apply:os.system") {tag}',
        f'references/summaries/x.md:3: b: YAML tags ("!!int") {tag}',
        f'references/summaries/x.md:4: c: YAML tags ("!custom") {tag}',
        f'references/summaries/x.md:5: d: YAML tags ("!") {tag}',
        f'references/summaries/x.md:6: e: YAML tags ("!!str") {tag}',
    ]
    assert data == {"a": ["echo pwned"], "b": "3", "c": "x", "d": "y", "e": "z"}


def test_duplicate_keys_are_refused_and_the_first_wins() -> None:
    data, problems = formatted("key: a\nthemes: [x]\nkey: b\n")
    assert problems == ["references/summaries/x.md:4: key: duplicate key; it is already given on line 2"]
    assert data == {"key": "a", "themes": ["x"]}


def test_duplicate_keys_nested_in_a_list() -> None:
    _, problems = formatted("roles:\n  - id: a\n    id: b\n", 1)
    assert problems == [
        "references/summaries/x.md:3: roles[0].id: duplicate key; it is already given on line 2"
    ]


def test_a_key_that_is_a_list_is_refused() -> None:
    data, problems = formatted("? [a, b]\n: c\nd: e\n")
    assert problems == ["references/summaries/x.md:2: a key must be plain text, like `themes:`"]
    assert data == {"d": "e"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "key: x\ntakeaway: Peer work: a review\n",
            "references/summaries/x.md:3: invalid YAML: mapping values are not allowed here (column 20); put "
            'text that contains ": " in double quotes, like `takeaway: "Peer work: what nurses see"`',
        ),
        (
            "themes:\n\t- recovery\n",
            "references/summaries/x.md:3: invalid YAML: found character '\\t' that cannot start any token "
            "(column 1); indent with spaces, not tabs, and quote text that starts with @ or `",
        ),
        (
            "key: x\nthemes: [recovery, empowerment\nroles: []\n",
            "references/summaries/x.md:4: invalid YAML: expected ',' or ']', but got ':' (column 6), "
            "while parsing a flow sequence that starts on line 3",
        ),
        (
            'key: x\ntakeaway: "unclosed\n',
            "references/summaries/x.md:4: invalid YAML: found unexpected end of stream (column 1), while "
            "scanning a quoted scalar that starts on line 3",
        ),
        (
            'key: "bell\x07"\n',
            "references/summaries/x.md:2: invalid YAML: character U+0007 is not allowed in YAML; delete it",
        ),
    ],
)
def test_syntax_errors_carry_the_file_line(text: str, expected: str) -> None:
    data, problems = formatted(text)
    assert data is None
    assert problems == [expected]


def test_a_second_document_is_refused() -> None:
    data, problems = formatted("a: 1\n--- \nb: 2\n")
    assert problems == ["references/summaries/x.md:3: expected one YAML document, found a second one"]
    assert data == {"a": "1"}


def test_empty_text_is_no_data_and_no_problem() -> None:
    assert read_yaml(P, "", 2) == (None, {}, [])


def test_split_front_matter() -> None:
    assert split_front_matter("---\nkey: x\n---\n\n## Key messages\n") == (
        "key: x\n",
        "\n## Key messages\n",
        4,
    )
    assert split_front_matter("---  \nkey: x\n---\t\nbody") == ("key: x\n", "body", 4)
    assert split_front_matter("---\n---\nbody") == ("\n", "body", 3)


def test_split_front_matter_missing_or_unclosed() -> None:
    assert split_front_matter("key: x\n---\nbody") == (None, "key: x\n---\nbody", 1)
    assert split_front_matter("---\nkey: x\n\n## Key messages\n") == (
        None,
        "---\nkey: x\n\n## Key messages\n",
        1,
    )
    assert split_front_matter("") == (None, "", 1)


def test_field_name() -> None:
    assert field_name(("roles", 0, "details", 1, "text")) == "roles[0].details[1].text"
    assert field_name(()) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#? \n\t,%@`~\x07é")), max_size=80))
def test_never_raises_on_any_text(text: str) -> None:
    data, _lines, problems = read_yaml(P, text, 2)
    assert all(p.path == P and p.line >= 2 for p in problems)
    if data is None:
        return
    stack = [data]
    while stack:  # only dicts, lists, strings and the holes left by refused aliases
        item = stack.pop()
        assert item is None or isinstance(item, str | list | dict)
        if isinstance(item, dict):
            assert all(isinstance(key, str) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@pytest.mark.skipif(not hasattr(yaml, "CBaseLoader"), reason="PyYAML was built without libyaml")
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#? \n,%~é")), max_size=80))
def test_libyaml_and_pyyaml_read_alike(text: str) -> None:
    """read_yaml uses libyaml for speed; where it parses, it must agree with PyYAML's own parser."""
    fast = _read(P, text, 2, yaml.CBaseLoader)
    slow = _read(P, text, 2, yaml.BaseLoader)
    if not fast[3] and not slow[3]:
        assert (fast[0], fast[2]) == (slow[0], slow[2])
        # Lines of keys agree; an empty value's own position may differ by a line, and is never reported.
        keys = {path for path in slow[1] if path and isinstance(path[-1], str)}
        assert {k: fast[1].get(k) for k in keys} == {k: slow[1][k] for k in keys}
