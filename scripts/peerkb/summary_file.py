"""Reading one summary file (references/summaries/<key>.md) into a Summary, reporting every slip.

The front matter is read with the strings-only safe loader and checked against a fixed schema;
the body must hold exactly the five `## ` sections of model.SECTIONS, in order. Checks that need
the rest of the library (taxonomy ids, matching entries, unsafe Markdown) are in summary_checks.
"""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from peerkb.frontmatter import Path, describe, read_yaml, split_front_matter
from peerkb.model import SECTION_HEADINGS, SECTIONS, Section, Summary
from peerkb.problems import Problem, did_you_mean, error, sort_problems, warning


@dataclass(frozen=True)
class FieldSpec:
    """What one front-matter key holds."""

    kind: str
    """"text", "list", "date" or "status"."""
    required: bool
    """Whether the key must be present (lists may still be empty)."""
    example: str
    """A correct line, shown in messages and in CONTRIBUTING.md."""


# The front-matter schema. CONTRIBUTING.md documents exactly these keys (tests/test_contributing.py).
FRONT_MATTER_FIELDS: dict[str, FieldSpec] = {
    "key": FieldSpec("text", True, "key: wyder2020peer"),
    "roles": FieldSpec("list", True, "roles: [peer-support-specialist, peer-navigator]"),
    "themes": FieldSpec("list", True, "themes: [empowerment, stigma-reduction]"),
    "evidence_type": FieldSpec("text", True, "evidence_type: qualitative-study"),
    "settings": FieldSpec("list", False, "settings: [inpatient-ward]"),
    "country": FieldSpec("text", False, 'country: "Australia"'),
    "date_added": FieldSpec("date", True, "date_added: 2026-11-22"),
    "date_reviewed": FieldSpec("date", False, "date_reviewed: 2027-05-01"),
    "takeaway": FieldSpec("text", True, 'takeaway: "Peer workers on the ward helped people feel heard."'),
    "metadata_status": FieldSpec("status", False, "metadata_status: complete"),
    "unverified": FieldSpec("list", False, "unverified: [pages, volume]"),
    "metadata_note": FieldSpec("text", False, 'metadata_note: "The page numbers could not be checked."'),
    "based_on": FieldSpec("text", True, 'based_on: "The published abstract and the full text."'),
}
# Text keys that may not be left empty.
_NON_EMPTY = ("key", "evidence_type", "takeaway", "based_on")
METADATA_STATUSES = ("complete", "incomplete")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Python-Markdown needs no space after the #s; CommonMark engines do, so we ask for one.
_ATX = re.compile(r"^(#{1,6})(?!#)(\s*)(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+) *$")
# Python-Markdown's fenced_code: a fence starts a line, and only the same fence closes it.
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s")
_HEADINGS = tuple(heading for _, heading in SECTIONS)
_SECTION_IDS = {heading: section_id for section_id, heading in SECTIONS}
_SECTION_ORDER = tuple(section_id for section_id, _ in SECTIONS)
# What a line must start with to be a setext underline (`_SETEXT`): most lines are not, and this
# test is cheaper than the regular expression.
_SETEXT_START = (" ", "=", "-")


@dataclass
class _Report:
    """The problems found so far in one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, name: str, message: str) -> None:
        """Record a problem that stops the build."""
        self.problems.append(error(self.path, line, name, message))

    def warning(self, line: int, name: str, message: str) -> None:
        """Record a problem that stops only a strict build."""
        self.problems.append(warning(self.path, line, name, message))

    def sorted(self) -> tuple[Problem, ...]:
        """Every problem recorded, in file order."""
        return tuple(sort_problems(self.problems))


def read_summary(path: str, data: bytes) -> tuple[Summary | None, tuple[Problem, ...]]:
    """Parse a summary file; the Summary is None when its front matter cannot be read at all."""
    out = _Report(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, (
            error(
                path,
                line,
                "",
                f"not UTF-8 (byte 0x{data[exc.start]:02x} cannot be read); save the file with UTF-8 encoding",
            ),
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    yaml_text, body, body_line = split_front_matter(text)
    if yaml_text is None:
        if text.split("\n", 1)[0].rstrip() == "---":
            out.error(1, "", "front matter is not closed; add a line `---` after its last key")
            return None, out.sorted()
        out.error(
            1,
            "",
            "expected front matter: the file must start with a line `---`, "
            "then `key: value` lines, then `---` (copy scripts/peerkb/templates/summary.md)",
        )
        # Without front matter its lines are body text; reporting them as stray text adds nothing.
        _read_sections(out, body, body_line, stray_text=False)
        return None, out.sorted()
    meta, lines, yaml_problems = read_yaml(path, yaml_text, 2)
    out.problems.extend(yaml_problems)
    sections = _read_sections(out, body, body_line)
    if not isinstance(meta, dict):
        if meta is not None or not yaml_problems:
            got = "nothing" if meta is None else describe(meta)
            out.error(1, "", f"expected front matter as `key: value` lines, got {got}")
        return None, out.sorted()
    summary = _build(out, meta, lines, sections, body_line - 1)
    return summary, out.sorted()


def _build(
    out: _Report,
    meta: dict[str, object],
    lines: dict[Path, int],
    sections: dict[str, Section],
    closing_line: int,
) -> Summary:
    """Check each front-matter key against the schema and build the Summary from what is usable."""
    path = out.path
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    values: dict[str, object] = {}
    for name, value in meta.items():
        line = lines.get((name,), 1)
        spec = FRONT_MATTER_FIELDS.get(name)
        if spec is None:
            out.error(
                line,
                name,
                "unknown key; expected one of: "
                f"{', '.join(FRONT_MATTER_FIELDS)}.{did_you_mean(name, FRONT_MATTER_FIELDS)}",
            )
        elif value is not None:  # None: a refused alias, already reported
            checked = _check_value(out, name, spec, value, line, lines, stem)
            if checked is not None:
                values[name] = checked
    for name, spec in FRONT_MATTER_FIELDS.items():
        if spec.required and name not in meta:
            out.error(closing_line, name, f"missing required key; add a line like `{spec.example}`")
    return Summary(
        key=stem,
        path=path,
        roles=_tuple(values.get("roles")),
        themes=_tuple(values.get("themes")),
        evidence_type=_text(values.get("evidence_type")),
        settings=_tuple(values.get("settings")),
        country=_text(values.get("country")),
        date_added=_text(values.get("date_added")),
        date_reviewed=_text(values.get("date_reviewed")),
        takeaway=_text(values.get("takeaway")),
        metadata_status=_text(values.get("metadata_status")) or "complete",
        unverified=_tuple(values.get("unverified")),
        metadata_note=_text(values.get("metadata_note")),
        based_on=_text(values.get("based_on")),
        sections=MappingProxyType(sections),
        field_lines=MappingProxyType({k: lines[(k,)] for k in meta if (k,) in lines}),
    )


def _check_value(
    out: _Report, name: str, spec: FieldSpec, value: object, line: int, lines: dict[Path, int], stem: str
) -> object:
    """Report a value of the wrong shape; return the usable value, or None."""
    if spec.kind == "list":
        if isinstance(value, str):
            out.error(line, name, f"expected a list like `{spec.example}`, got {describe(value)}")
            return (value.strip(),) if value.strip() else None  # keep going as a one-item list
        if not isinstance(value, list):
            out.error(line, name, f"expected a list like `{spec.example}`, got {describe(value)}")
            return None
        items = []
        for index, item in enumerate(value):
            at = lines.get((name, index), line)
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
            elif isinstance(item, str):
                out.error(at, name, f"empty item in the list; write it like `{spec.example}`")
            elif item is not None:
                out.error(
                    at,
                    name,
                    f"expected each item to be a plain id or name, got {describe(item)}"
                    f"; write the list like `{spec.example}`",
                )
        return tuple(items)
    if not isinstance(value, str):
        example = spec.example
        out.error(line, name, f"expected one value like `{example}`, got {describe(value)}")
        return None
    value = value.strip()
    if name == "key" and value == "KEY":
        out.error(
            line,
            name,
            f'template placeholder "KEY" left in; write the citation key, '
            f"which is the file name without .md: `key: {stem}`",
        )
    elif name == "key" and value and value != stem:
        out.error(
            line,
            name,
            f'expected the file name without .md, "{stem}", got "{value}"; '
            "the key must match the BibTeX entry and the file name",
        )
    elif name in _NON_EMPTY and not value:
        out.error(line, name, f"must not be empty; write it like `{spec.example}`")
    elif spec.kind == "date" and value == "DATE" and name == "date_added":
        out.error(
            line,
            name,
            'template placeholder "DATE" left in; write the date you add '
            f"the summary as YYYY-MM-DD, like `{spec.example}`",
        )
    elif spec.kind == "date" and value and not _is_date(value):
        out.error(line, name, f'expected a date YYYY-MM-DD like `{spec.example}`, got "{value}"')
    elif spec.kind == "status" and value not in METADATA_STATUSES:
        hint = did_you_mean(value, METADATA_STATUSES)
        out.error(
            line, name, f'expected "complete" or "incomplete", got "{value}"' + (f".{hint}" if hint else "")
        )
        return None
    return value


def _is_date(value: str) -> bool:
    """Whether the text is a real calendar date written YYYY-MM-DD."""
    if not _DATE.fullmatch(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _may_hold_fence(text: str) -> bool:
    """Whether any line of the text could open a fenced code block (most summaries have none)."""
    return "```" in text or "~~~" in text


def fenced_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(opening, closing) line indexes of each fenced code block; an unclosed fence is no block."""
    blocks = []
    index = 0
    while index < len(lines):
        opened = _FENCE.match(lines[index])
        if opened:
            fence = opened.group(1)
            close = next((j for j in range(index + 1, len(lines)) if lines[j].rstrip(" ") == fence), None)
            if close is not None:
                blocks.append((index, close))
                index = close
        index += 1
    return blocks


def _read_sections(out: _Report, body: str, first_line: int, stray_text: bool = True) -> dict[str, Section]:
    """Split the body at its `## ` headings; report missing, extra, repeated or misplaced sections."""
    ids = _SECTION_IDS
    found: list[tuple[str, int, int]] = []  # (section id, heading line, index of the first body line)
    lines = body.split("\n")
    blocks = fenced_blocks(lines) if _may_hold_fence(body) else []
    code = {i for start, end in blocks for i in range(start, end + 1)}
    stray_reported = not stray_text
    for index, raw in enumerate(lines):
        if index in code:
            continue
        # Only a line starting with "#" can match _ATX, and one starting with _SETEXT_START
        # _SETEXT: the tests spare most lines the searches.
        start = raw[:1]
        heading = _ATX.match(raw) if start == "#" else None
        setext = None
        if start in _SETEXT_START:
            previous = lines[index - 1] if index else ""
            if previous.strip() and not (previous.startswith("#") and _ATX.match(previous)):
                setext = _SETEXT.match(raw)
        number = first_line + index
        if setext:
            out.error(
                number,
                "",
                f'a line of "{setext.group(1)[0] * 3}" under text makes that text '
                "a heading; write headings as `## Heading` or `### Subheading`, and leave a "
                "blank line before a `---` rule",
            )
            continue
        if heading and len(heading.group(1)) <= 2:
            hashes, space, title = heading.groups()
            if not space:
                out.error(number, title, f'write a space after "{hashes}", like `## {title}`')
            if len(hashes) == 1:
                out.error(
                    number,
                    title,
                    "a level-1 heading is not allowed; the page title "
                    'comes from the BibTeX entry, and sections start with "## "',
                )
            elif title in ids:
                found.append((ids[title], number, index + 1))
            elif target := _closest_heading(title):
                out.error(
                    number,
                    title,
                    f'expected one of the five section headings, got "## {title}". Did you mean "{target}"?',
                )
                found.append((ids[target], number, index + 1))
            else:
                out.error(
                    number,
                    title,
                    "unexpected level-2 heading; a summary has exactly these: "
                    f"{', '.join(_HEADINGS)} (use ### for a subheading inside a section)",
                )
                found.append(("", number, index + 1))
            continue
        if not found and not stray_reported and raw.strip():
            stray_reported = True
            out.error(
                number,
                "",
                f"text before the first section; move it into a section or "
                f'delete it (the body starts with "## {_HEADINGS[0]}")',
            )
    return _collect(out, lines, first_line, found)


def _collect(
    out: _Report, lines: list[str], first_line: int, found: list[tuple[str, int, int]]
) -> dict[str, Section]:
    """Turn heading positions into Sections and report what is empty, repeated, misplaced or missing."""
    headings = SECTION_HEADINGS
    order = _SECTION_ORDER
    sections: dict[str, Section] = {}
    highest = -1
    for position, (section_id, number, start) in enumerate(found):
        if not section_id:
            continue
        heading = headings[section_id]
        end = found[position + 1][2] - 1 if position + 1 < len(found) else len(lines)
        body_lines = lines[start:end]
        lead, text = _without_blank_ends(body_lines)
        if section_id in sections:
            out.error(
                number,
                heading,
                f"section appears twice (first on line {sections[section_id].line}); merge the two",
            )
            continue
        rank = order.index(section_id)
        if rank < highest:
            out.error(number, heading, f"section out of order; expected: {', '.join(_HEADINGS)}")
        highest = max(highest, rank)
        if not text.strip():
            out.error(
                number, heading, "section is empty; write it or see CONTRIBUTING.md for what goes in it"
            )
        sections[section_id] = Section(heading, text, number, number + 1 + lead)
        if section_id == "key_messages":
            bullets = sum(1 for text_line in body_lines if _BULLET.match(text_line))
            # An unfilled template is reported as such by summary_checks, not counted here.
            if text.strip() and "TODO" not in text and not 2 <= bullets <= 4:
                out.warning(number, heading, f'expected 2 to 4 bullet points ("- ..."), got {bullets}')
    # The last line with text (or the `---` when there is none).
    last_index = len(lines) - 1
    while last_index >= 0 and not lines[last_index].strip():
        last_index -= 1
    last = first_line + last_index
    if not sections and not found:
        out.error(last, "", f"no sections; add the five `## ` sections in order: {', '.join(_HEADINGS)}")
        return sections
    for rank, section_id in enumerate(order):
        if section_id not in sections:
            later = [sections[s].line for s in order[rank + 1 :] if s in sections]
            where = min(later) if later else last
            out.error(
                where,
                headings[section_id],
                f'missing section; add the heading "## {headings[section_id]}" with its text '
                f"(sections in order: {', '.join(_HEADINGS)})",
            )
    return sections


def _closest_heading(title: str) -> str | None:
    """The section heading a misspelt one was meant to be, ignoring case; None if none is close."""
    lowered = {heading.lower(): heading for heading in _HEADINGS}
    close = difflib.get_close_matches(title.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _without_blank_ends(lines: list[str]) -> tuple[int, str]:
    """How many blank lines lead, and the text without blank lines at either end (indentation kept)."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return start, "\n".join(lines[start:end])


def _text(value: object) -> str:
    """A checked text value, or empty."""
    return value if isinstance(value, str) else ""


def _tuple(value: object) -> tuple[str, ...]:
    """A checked list value, or empty."""
    return value if isinstance(value, tuple) else ()
