"""A strings-only, safe YAML reader for summary front matter and the taxonomy, with line numbers.

Built on PyYAML's event parser (the layer under BaseLoader's composer) rather than on any
constructor: no scalar is ever resolved, so `NO`, `2026-01-01` and `1.0` stay strings, and no
tag can construct an object. Anchors, aliases and explicit tags are refused outright; since
aliases are never followed, an alias bomb costs no more than its own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    DocumentStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)
from yaml.reader import ReaderError

from peerkb.problems import Problem, error

Path = tuple[str | int, ...]

# How deep lists and mappings may nest: the taxonomy (file, facet, item, details, detail) needs 5.
MAX_DEPTH = 10

# A key whose value we parse but drop: a duplicate key, or a key that is not plain text.
_DISCARD = object()

_FENCE = "---"

# Characters outside YAML's printable set (YAML 1.1, 5.1): refused raw by the parser, and refused
# here when a double-quoted escape produces them.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# libyaml's event parser when PyYAML has it (about ten times faster), else PyYAML's own.
_FAST_LOADER: type | None = getattr(yaml, "CBaseLoader", None)

# PyYAML's wording for the mistakes contributors make most, with what to write instead.
_HINTS = (
    (
        "mapping values are not allowed here",
        'put text that contains ": " in double quotes, like `takeaway: "Peer work: what nurses see"`',
    ),
    ("cannot start any token", "indent with spaces, not tabs, and quote text that starts with @ or `"),
    ("could not find expected ':'", 'write each entry as `key: value`, and quote text containing a "#"'),
)


@dataclass
class _Frame:
    """An open mapping or sequence while events stream in."""

    container: dict[str, object] | list[object]
    path: Path
    line: int
    key: object = None  # for mappings: None while a key is awaited, else the key (or _DISCARD)
    key_lines: dict[str, int] = field(default_factory=dict)


def field_name(path: Path) -> str:
    """A key path as contributors write it: `themes[2]`, `roles[0].details[1].text`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def describe(value: object) -> str:
    """A parsed value as a message shows it: `"text"`, `a list`, `a mapping`, `nothing`."""
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"' if value.strip() else "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (`name: value` lines)"
    return "nothing"


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split `---` front matter from the body: (yaml text or None, body, body's first line).

    The YAML text starts on line 2 of the file. None means the file does not open with a `---`
    line or the front matter is never closed; the body is then the whole text from line 1.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            return "\n".join(lines[1:index]) + "\n", "\n".join(lines[index + 1 :]), index + 2
    return None, text, 1


def read_yaml(
    path: str, text: str, first_line: int = 1
) -> tuple[object | None, dict[Path, int], list[Problem]]:
    """Parse YAML to dicts, lists and strings; return (data, key path -> file line, problems).

    `first_line` is the file line the text starts on. Anchors, tags and duplicate keys are
    reported and otherwise ignored (the first of duplicate keys wins); a refused alias becomes
    None. On a syntax error the data is None.
    """
    if (plain := _plain_mapping(text, first_line)) is not None:
        return plain[0], plain[1], []
    if _FAST_LOADER is not None:
        data, lines, problems, failed = _read(path, text, first_line, _FAST_LOADER)
        if not failed:
            return data, lines, problems
    # On a syntax error, PyYAML's own parser gives the same wording everywhere, libyaml or not.
    data, lines, problems, _ = _read(path, text, first_line, yaml.BaseLoader)
    return data, lines, problems


# Front matter as the template and `peerkb add` write it: one `key: value` per line, the value a
# double-quoted string without escapes, a bare word or words, or a one-line list of those. In this
# subset YAML has one reading and nothing to refuse, so it is read here without the event parser
# (a fifth of `peerkb check`). Quoted text may hold any printable character but those YAML treats
# as line breaks or escapes; anything else, a blank line or a comment included, goes to _read.
_QUOTED = r'"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*+)"'
_WORD = "[A-Za-z0-9][A-Za-z0-9_.-]*+"
_ITEMS = f"(?:{_QUOTED}|({_WORD}))"
# A key is at most 100 characters: YAML refuses a key of over 1,024 as a syntax error.
_PLAIN_LINE = re.compile(
    rf"([A-Za-z_][A-Za-z0-9_]{{0,99}}+): ++"
    rf"(?:{_QUOTED}|({_WORD}(?: ++{_WORD})*+)|\[ *+((?:{_ITEMS}(?: *+, *+{_ITEMS})*+)?) *+\])"
)
_PLAIN_ITEM = re.compile(_ITEMS)


def _plain_mapping(text: str, first_line: int) -> tuple[dict[str, object], dict[Path, int]] | None:
    """The data and key lines of front matter in the plain subset above, or None if it is not."""
    rows = text.split("\n")
    if rows[-1] == "":
        rows.pop()
    if not rows:
        return None
    data: dict[str, object] = {}
    lines: dict[Path, int] = {(): first_line}
    for number, row in enumerate(rows, start=first_line):
        match = _PLAIN_LINE.fullmatch(row)
        if match is None or match.group(1) in data:  # a duplicate key is reported by _read
            return None
        key, quoted, word, items = match.group(1, 2, 3, 4)
        lines[(key,)] = number
        if items is None:
            data[key] = quoted if quoted is not None else word
            continue
        values = [word or quoted for quoted, word in _PLAIN_ITEM.findall(items)]  # a word is never ""
        for index in range(len(values)):
            lines[(key, index)] = number
        data[key] = values
    return data, lines


def _read(
    path: str, text: str, first_line: int, loader_class: type
) -> tuple[object | None, dict[Path, int], list[Problem], bool]:
    """read_yaml with one parser; the last item says whether it stopped at a syntax error."""
    problems: list[Problem] = []
    lines: dict[Path, int] = {}
    reported: set[tuple[int, str]] = set()

    def refuse(line: int, kind: str, node_path: Path, message: str) -> None:
        # One problem per line and kind: an alias bomb packs dozens of aliases on a line.
        if (line, kind) not in reported:
            reported.add((line, kind))
            problems.append(error(path, line, field_name(node_path), message))

    stack: list[_Frame] = []
    root: object = None
    documents = 0
    loader = None
    try:
        loader = loader_class(text)
        while (event := loader.get_event()) is not None:
            line = event.start_mark.line + first_line
            if isinstance(event, DocumentStartEvent):
                documents += 1
                if documents == 2:
                    problems.append(error(path, line, "", "expected one YAML document, found a second one"))
                continue
            if isinstance(event, CollectionEndEvent):
                done = stack.pop()
                root = _attach(stack, done.container, root, problems, path, done.line)
                continue
            if not isinstance(event, NodeEvent):
                continue
            parent = stack[-1] if stack else None
            node_path = _child_path(parent, line, lines)
            if event.anchor is not None and not isinstance(event, AliasEvent):
                refuse(
                    line,
                    "anchor",
                    node_path,
                    f'YAML anchors ("&{event.anchor}") are not allowed; write the value out in full',
                )
            tag = getattr(event, "tag", None)
            if tag is not None:
                refuse(
                    line,
                    "tag",
                    node_path,
                    f'YAML tags ("{_short_tag(tag)}") are not allowed; every '
                    "value is read as text, so remove the tag",
                )
            if isinstance(event, AliasEvent):
                refuse(
                    line,
                    "alias",
                    node_path,
                    f'YAML aliases ("*{event.anchor}") are not allowed; write the value out in full',
                )
                root = _attach(stack, None, root, problems, path, line)
            elif isinstance(event, ScalarEvent):
                value = event.value
                if bad := _UNPRINTABLE.search(value):
                    # Escapes ("\ud800", "\x7f") reach characters YAML refuses when written raw; a lone
                    # surrogate would even stop the build when the page is written as UTF-8.
                    refuse(
                        line,
                        "character",
                        node_path,
                        f"character U+{ord(bad.group()):04X} is not allowed in YAML text (here written as "
                        "an escape); delete it, or write the character itself",
                    )
                    value = _UNPRINTABLE.sub("", value)
                root = _attach(stack, value, root, problems, path, line, lines)
            elif len(stack) >= MAX_DEPTH:
                # Key paths grow with depth, so 20,000 nested "[" took gigabytes; no file needs this.
                problems.append(
                    error(
                        path,
                        line,
                        field_name(node_path[:2]),
                        f"lists and mappings nested more than {MAX_DEPTH} deep are not allowed; "
                        "a summary needs 2 levels and the taxonomy 5",
                    )
                )
                return None, lines, problems, False
            elif isinstance(event, MappingStartEvent):
                stack.append(_Frame({}, node_path, line))
            elif isinstance(event, SequenceStartEvent):
                stack.append(_Frame([], node_path, line))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + first_line if mark else first_line
        problems.append(error(path, at, "", _syntax_message(exc, first_line)))
        return None, lines, problems, True
    except ReaderError as exc:  # a control character YAML does not allow
        at = text[: exc.position].count("\n") + first_line
        message = f"invalid YAML: character U+{exc.character:04X} is not allowed in YAML; delete it"
        problems.append(error(path, at, "", message))
        return None, lines, problems, True
    except yaml.YAMLError as exc:
        problems.append(error(path, first_line, "", f"invalid YAML: {exc}"))
        return None, lines, problems, True
    finally:
        if loader is not None:
            loader.dispose()
    return root, lines, problems, False


def _child_path(parent: _Frame | None, line: int, lines: dict[Path, int]) -> Path:
    """The key path of a node about to start, recording its line when it has a place of its own."""
    if parent is None:
        lines.setdefault((), line)
        return ()
    if isinstance(parent.container, list):
        child = (*parent.path, len(parent.container))
        lines[child] = line
        return child
    if parent.key is None or parent.key is _DISCARD:
        return (*parent.path, "?")  # a key that is itself a collection, or a dropped value
    return (*parent.path, str(parent.key))  # its line is the key's line, recorded with the key


def _attach(
    stack: list[_Frame],
    value: object,
    root: object,
    problems: list[Problem],
    path: str,
    line: int = 0,
    lines: dict[Path, int] | None = None,
) -> object:
    """Put a finished node into its parent; return the (possibly new) document root."""
    if not stack:
        return value if root is None else root  # a second document was reported; keep the first
    frame = stack[-1]
    if isinstance(frame.container, list):
        frame.container.append(value)
    elif frame.key is None:
        frame.key = _read_key(frame, value, problems, path, line, lines)
    else:
        if frame.key is not _DISCARD:
            frame.container[str(frame.key)] = value
        frame.key = None
    return root


def _read_key(
    frame: _Frame, value: object, problems: list[Problem], path: str, line: int, lines: dict[Path, int] | None
) -> object:
    """Accept a mapping key, or report why it is refused and drop its value."""
    assert isinstance(frame.container, dict)
    if not isinstance(value, str):
        problems.append(error(path, line, field_name(frame.path), "a key must be plain text, like `themes:`"))
        return _DISCARD
    if value in frame.key_lines:
        problems.append(
            error(
                path,
                line,
                field_name((*frame.path, value)),
                f"duplicate key; it is already given on line {frame.key_lines[value]}",
            )
        )
        return _DISCARD
    frame.key_lines[value] = line
    if lines is not None:
        lines[(*frame.path, value)] = line
    return value


def _short_tag(tag: str) -> str:
    """A tag as it was probably written: `!!int` rather than `tag:yaml.org,2002:int`."""
    return re.sub(r"^tag:yaml\.org,2002:", "!!", tag)


def _syntax_message(exc: yaml.MarkedYAMLError, first_line: int) -> str:
    """PyYAML's description of a syntax error, with a hint for common slips."""
    problem = exc.problem or exc.context or "syntax error"
    column = f" (column {exc.problem_mark.column + 1})" if exc.problem_mark else ""
    message = f"invalid YAML: {problem}{column}"
    if (
        exc.context
        and exc.context_mark
        and exc.problem_mark
        and exc.context_mark.line != exc.problem_mark.line
    ):
        message += f", {exc.context} that starts on line {exc.context_mark.line + first_line}"
    for needle, hint in _HINTS:
        if needle in problem:
            return f"{message}; {hint}"
    return message
