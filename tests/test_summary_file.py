# ruff: noqa: E501  (exact messages are long)
"""Reading one summary file: the schema of its front matter and the five sections, with exact lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb.model import SECTIONS
from peerkb.summary_file import FRONT_MATTER_FIELDS, fenced_blocks, read_summary

DATA = Path(__file__).parent / "data" / "summaries"
ROOT = Path(__file__).parent.parent
ORDER = "Key messages, What was studied and how, What was found, What it means for nurses working alongside peer workers, Limitations"
NURSES = "What it means for nurses working alongside peer workers"


def read(name: str) -> tuple[object, list[str]]:
    """Read a test file as if it were references/summaries/<name>; problems formatted."""
    summary, problems = read_summary(f"references/summaries/{name}", (DATA / name).read_bytes())
    return summary, [p.format() for p in problems]


def test_a_complete_summary_loads_with_every_field_and_line() -> None:
    summary, problems = read("smith2020peer.md")
    assert problems == []
    assert summary.key == "smith2020peer"
    assert summary.path == "references/summaries/smith2020peer.md"
    assert summary.roles == ("peer-support-specialist", "peer-navigator")
    assert summary.themes == ("working-in-clinical-teams", "role-clarity-and-boundaries")
    assert summary.evidence_type == "qualitative-study"
    assert summary.settings == ("inpatient-ward",)
    assert summary.country == "Australia"
    assert (summary.date_added, summary.date_reviewed) == ("2026-11-22", "2026-11-30")
    assert summary.takeaway.startswith("Peer workers on two acute wards said clear roles")
    assert summary.metadata_status == "incomplete"
    assert summary.unverified == ("pages",)
    assert summary.metadata_note.startswith("The page numbers come from a reference list")
    assert summary.based_on == "The published abstract and the full text."
    assert summary.field_lines["key"] == 2
    assert summary.field_lines["themes"] == 4
    assert summary.field_lines["based_on"] == 16
    assert list(summary.sections) == [section_id for section_id, _ in SECTIONS]
    key_messages = summary.sections["key_messages"]
    assert (key_messages.heading, key_messages.line, key_messages.body_line) == ("Key messages", 19, 21)
    assert (
        key_messages.body.splitlines()[0]
        == "- Peer workers said a shared understanding of their role mattered most."
    )
    studied = summary.sections["studied"]
    assert studied.body.endswith(
        "Staff who had worked together for at least six months (where n < 30 in each group)."
    )
    assert "### Who took part" in studied.body  # level 3 inside a section belongs to it
    assert "<div>this is code, shown as is</div>" in summary.sections["found"].body
    assert summary.sections["limitations"].body == "A small qualitative study of two wards in one city."


def test_the_example_in_contributing_md() -> None:
    summary, problems = read("smith2021peer.md")
    assert summary is not None
    assert problems == [
        "references/summaries/smith2021peer.md:8: date_added: expected a date YYYY-MM-DD like "
        '`date_added: 2026-11-22`, got "22/11/2026"',
        "references/summaries/smith2021peer.md:16: text before the first section; move it into a section or "
        'delete it (the body starts with "## Key messages")',
        "references/summaries/smith2021peer.md:18: Key Messages: expected one of the five section headings, "
        'got "## Key Messages". Did you mean "Key messages"?',
    ]
    assert (
        summary.sections["key_messages"].heading == "Key messages"
    )  # read as the section it was meant to be


def test_wrong_types_unknown_keys_bad_dates_and_a_key_that_is_not_the_file_name() -> None:
    summary, problems = read("jones2019types.md")
    assert problems == [
        'references/summaries/jones2019types.md:2: key: expected the file name without .md, "jones2019types", '
        'got "jones2019type"; the key must match the BibTeX entry and the file name',
        "references/summaries/jones2019types.md:3: roles: expected a list like "
        "`roles: [peer-support-specialist, peer-navigator]`, got a mapping (`name: value` lines)",
        "references/summaries/jones2019types.md:4: themes: expected a list like "
        '`themes: [empowerment, stigma-reduction]`, got "empowerment"',
        "references/summaries/jones2019types.md:5: evidence_type: expected one value like "
        "`evidence_type: qualitative-study`, got a list",
        "references/summaries/jones2019types.md:6: settings: expected each item to be a plain id or name, "
        "got a list; write the list like `settings: [inpatient-ward]`",
        "references/summaries/jones2019types.md:9: date_reviewed: expected a date YYYY-MM-DD like "
        '`date_reviewed: 2027-05-01`, got "2026-02-30"',
        "references/summaries/jones2019types.md:10: takeaway: must not be empty; write it like "
        '`takeaway: "Peer workers on the ward helped people feel heard."`',
        'references/summaries/jones2019types.md:11: metadata_status: expected "complete" or "incomplete", '
        'got "done"',
        "references/summaries/jones2019types.md:12: unverified: empty item in the list; write it like "
        "`unverified: [pages, volume]`",
        "references/summaries/jones2019types.md:14: theme: unknown key; expected one of: key, roles, themes, "
        "evidence_type, settings, country, date_added, date_reviewed, takeaway, metadata_status, unverified, "
        'metadata_note, based_on. Did you mean "themes"?',
        "references/summaries/jones2019types.md:15: based_on: missing required key; add a line like "
        '`based_on: "The published abstract and the full text."`',
    ]
    # What could be used still is, so later checks see the summary as meant, not a cascade of empties.
    assert summary.key == "jones2019types"
    assert summary.themes == ("empowerment",)
    assert summary.unverified == ("pages",)
    assert summary.country == "Canada"
    assert summary.metadata_status == "complete"


def test_misplaced_repeated_empty_missing_and_extra_sections() -> None:
    summary, problems = read("brown2018sections.md")
    p = "references/summaries/brown2018sections.md"
    assert problems == [
        f"{p}:11: A title the page already has: a level-1 heading is not allowed; the page title comes from "
        'the BibTeX entry, and sections start with "## "',
        f'{p}:17: warning: Key messages: expected 2 to 4 bullet points ("- ..."), got 5',
        f"{p}:17: Key messages: section out of order; expected: {ORDER}",
        f"{p}:25: Background: unexpected level-2 heading; a summary has exactly these: {ORDER} "
        "(use ### for a subheading inside a section)",
        f"{p}:28: What was found: section is empty; write it or see CONTRIBUTING.md for what goes in it",
        f'{p}:28: What was found: write a space after "##", like `## What was found`',
        f"{p}:30: What was studied and how: section appears twice (first on line 13); merge the two",
        f'{p}:34: {NURSES}: missing section; add the heading "## {NURSES}" with its text (sections in order: '
        f"{ORDER})",
        f'{p}:37: a line of "---" under text makes that text a heading; write headings as `## Heading` or '
        "`### Subheading`, and leave a blank line before a `---` rule",
    ]
    assert set(summary.sections) == {"key_messages", "studied", "found", "limitations"}
    assert summary.sections["studied"].body == "An opinion piece."  # the first of a repeated section


def test_hostile_yaml_is_refused_line_by_line() -> None:
    summary, problems = read("evil2017yaml.md")
    p = "references/summaries/evil2017yaml.md"
    tag = "are not allowed; every value is read as text, so remove the tag"
    assert problems == [
        f'{p}:3: roles: YAML anchors ("&a") are not allowed; write the value out in full',
        f'{p}:4: themes: YAML anchors ("&b") are not allowed; write the value out in full',
        f'{p}:4: themes[0]: YAML aliases ("*a") are not allowed; write the value out in full',
        f'{p}:5: settings: YAML anchors ("&c") are not allowed; write the value out in full',
        f'{p}:5: settings[0]: YAML aliases ("*b") are not allowed; write the value out in full',
        f'{p}:6: country: YAML tags ("!!python/object/apply:os.system") {tag}',
        f'{p}:6: country: expected one value like `country: "Australia"`, got a list',
        f'{p}:7: evidence_type: YAML tags ("!!int") {tag}',
        f'{p}:8: date_added: YAML tags ("!custom") {tag}',
        f"{p}:11: key: duplicate key; it is already given on line 2",
    ]
    assert summary.themes == ()  # aliases became holes, never copies


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "latin2014.md",
            "references/summaries/latin2014.md:8: not UTF-8 (byte 0xe9 cannot be read); "
            "save the file with UTF-8 encoding",
        ),
        (
            "open2013.md",
            "references/summaries/open2013.md:1: front matter is not closed; add a line `---` after its last key",
        ),
    ],
)
def test_unreadable_files(name: str, expected: str) -> None:
    assert read(name) == (None, [expected])


def test_missing_front_matter_still_checks_the_sections() -> None:
    summary, problems = read("none2012.md")
    p = "references/summaries/none2012.md"
    assert summary is None
    assert problems[0] == (
        f"{p}:1: expected front matter: the file must start with a line `---`, then `key: value` lines, "
        "then `---` (copy scripts/peerkb/templates/summary.md)"
    )
    assert (
        problems[1:]
        == sorted(  # problems come sorted by file, line, field and message
            f'{p}:7: {heading}: missing section; add the heading "## {heading}" with its text (sections in order: '
            f"{ORDER})"
            for _, heading in SECTIONS[1:]
        )
    )


def test_crlf_and_byte_order_mark_are_read_like_plain_files() -> None:
    data = (DATA / "smith2020peer.md").read_bytes()
    windows = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    plain, _ = read_summary("references/summaries/smith2020peer.md", data)
    summary, problems = read_summary("references/summaries/smith2020peer.md", windows)
    assert problems == ()
    assert summary == plain


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("", "references/summaries/a.md:1: expected front matter as `key: value` lines, got nothing"),
        (
            "- a\n- b\n",
            "references/summaries/a.md:1: expected front matter as `key: value` lines, got a list",
        ),
    ],
)
def test_front_matter_that_is_not_a_mapping(front: str, expected: str) -> None:
    text = f"---\n{front}---\n\n" + "".join(f"## {heading}\n\nText.\n\n" for _, heading in SECTIONS)
    summary, problems = read_summary(
        "references/summaries/a.md", text.replace("Text.", "- a\n- b", 1).encode()
    )
    assert summary is None
    assert [p.format() for p in problems] == [expected]


def test_a_heading_inside_fenced_code_is_code() -> None:
    body = "".join(f"## {heading}\n\nText.\n\n" for _, heading in SECTIONS)
    body = body.replace("Text.", "- a\n- b", 1).replace(
        "## Limitations", "```\n## Not a heading\n```\n\n## Limitations"
    )
    text = "---\nkey: a\nroles: []\nthemes: [x]\nevidence_type: y\ndate_added: 2026-01-01\ntakeaway: t\nbased_on: b\n---\n"
    summary, problems = read_summary("references/summaries/a.md", (text + body).encode())
    assert problems == ()
    assert summary.sections["for_nurses"].body == "Text.\n\n```\n## Not a heading\n```"


def test_fenced_blocks_follow_python_markdown() -> None:
    lines = ["```", "a", "```", "    ```", "b", "    ```", "````", "c", "`````", "~~~", "d", "~~~"]
    # Only a fence at the start of a line opens a block, and only the same fence closes it.
    assert fenced_blocks(lines) == [(0, 2), (9, 11)]


def test_the_schema_has_the_keys_of_the_template() -> None:
    summary, problems = read_summary(
        "scripts/peerkb/templates/summary.md", (ROOT / "scripts/peerkb/templates/summary.md").read_bytes()
    )
    assert set(summary.field_lines) <= set(FRONT_MATTER_FIELDS)
    assert [p.format() for p in problems] == [
        'scripts/peerkb/templates/summary.md:2: key: template placeholder "KEY" left in; write the citation key, '
        "which is the file name without .md: `key: summary`",
        'scripts/peerkb/templates/summary.md:8: date_added: template placeholder "DATE" left in; write the date '
        "you add the summary as YYYY-MM-DD, like `date_added: 2026-11-22`",
    ]


def test_every_summary_in_the_library_loads() -> None:
    """The one test that reads references/summaries/: each file loads (checks are elsewhere)."""
    files = sorted((ROOT / "references" / "summaries").glob("*.md"))
    if not files:
        pytest.skip("references/summaries/ has no summaries yet")
    for path in files:
        summary, _problems = read_summary(path.relative_to(ROOT).as_posix(), path.read_bytes())
        assert summary is not None, path


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["---", "key: a", "themes: [x", "roles: &r []", "## Key messages", "## Limitations", "#", "##",
             "- point", "```", "~~~", "text", "", "===", "-", "## What was found", "## key messages", "\t", "é\x00"]
        ),
        max_size=25,
    )
)  # fmt: skip
def test_never_raises_on_any_arrangement_of_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    summary, problems = read_summary("references/summaries/a.md", text.encode())
    total = text.count("\n") + 1
    assert all(p.path == "references/summaries/a.md" and 0 <= p.line <= total for p in problems)
    if summary is not None:
        assert all(1 <= s.line <= s.body_line <= total + 1 for s in summary.sections.values())


def test_a_file_with_front_matter_only_gets_one_problem_for_its_body() -> None:
    text = "---\nkey: a\nroles: []\nthemes: [x]\nevidence_type: y\ndate_added: 2026-01-01\ntakeaway: t\nbased_on: b\n---\n\n"
    summary, problems = read_summary("references/summaries/a.md", text.encode())
    assert [p.format() for p in problems] == [
        f"references/summaries/a.md:9: no sections; add the five `## ` sections in order: {ORDER}"
    ]
    assert summary.sections == {}
