"""Read one .bib file into entries and problems, each problem at its file, line and field.

We cut the text into entries ourselves, so that one broken entry cannot swallow the rest of the
file and so that every entry keeps its exact source text and line; each piece is then parsed by
pybtex's own BibTeX parser (values, @string macros, month names, name splitting are pybtex's),
except a plain entry, which a few regular expressions read exactly as pybtex would, faster.
pybtex's errors carry no useful place, so the parser below records where it is as it goes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pybtex.database.input.bibtex import LowLevelParser, UndefinedMacro, month_names
from pybtex.scanner import Pattern, PrematureEOF, PybtexSyntaxError, Token, TokenRequired
from pybtex.utils import CaseInsensitiveDict

from .bibnames import persons
from .latex import latex_to_unicode, latex_verbatim
from .model import Entry, Person
from .problems import Problem, error

# Fields that hold addresses or identifiers: LaTeX there is only escaping (`\_`), never markup.
VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "pdf"})
PERSON_FIELDS = ("author", "editor")

# Something that opens an entry at the start of a line. An entry still open when we reach one
# has lost a closing brace or quote; cutting there keeps the entries after it intact.
_LINE_START_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]\w*[ \t]*[{(]", re.MULTILINE)
_AT = re.compile(r"@[ \t]*([A-Za-z][\w-]*)?[ \t\r\n]*([{(])?")
_DELIMITER = re.compile(r'[{}"()]')
_KEY = re.compile(r"\s*([^\s,}=]*)\s*([,=}]?)")
_SPACE = re.compile(r"\s+")
# A field right after an entry's end (at most one line break away) means a brace closed it early.
_STRAY_FIELD = re.compile(r"[ \t]*,?[ \t]*(?:\r?\n)?[ \t]*([A-Za-z][\w-]*)[ \t]*=")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_FIELD_START = re.compile(r"(?:^[ \t]*|,\s*)([A-Za-z][\w-]*)[ \t]*=", re.MULTILINE)


@dataclass(frozen=True)
class _Chunk:
    """One `@...` block of the file as cut by the scanner."""

    command: str
    """The word after `@`, lower-cased: an entry type, string, comment or preamble."""
    start: int
    """Offset of the `@` in the text."""
    body: int
    """Offset just after the opening `{` or `(`."""
    end: int
    """Offset just after the closing delimiter, or where the scanner gave up."""
    closed: bool
    """Whether the block's closing delimiter was found."""
    closer: str
    """The delimiter that should close the block: `}` or `)`."""


def read_bib(path: str, data: bytes) -> tuple[tuple[Entry, ...], tuple[Problem, ...]]:
    """Every entry of a .bib file that parses, and a problem for everything wrong in it."""
    text, problems = _decode(path, data)
    lines = _LineIndex(text)
    macros = CaseInsensitiveDict(month_names)
    entries: list[Entry] = []
    names: dict[str, tuple] = {}
    for chunk in _scan(text, lines, path, problems):
        if chunk.command in ("comment", "preamble"):
            continue
        entry = _parse_chunk(path, text, chunk, lines, macros, problems, names)
        if entry is not None:
            entries.append(entry)
    return tuple(entries), tuple(problems)


def _decode(path: str, data: bytes) -> tuple[str, list[Problem]]:
    """The file's text; each line with bytes that are not UTF-8 is a problem, then replaced."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")
    bad = list(_ESCAPED_BYTE.finditer(text))
    if not bad:
        return text, []
    # surrogateescape keeps one mark per bad byte, so this is linear even for a Latin-1 file
    lines = _LineIndex(text)
    problems: dict[int, Problem] = {}
    for match in bad:
        line = lines.line(match.start())
        column = match.start() - lines.starts[line - 1] + 1
        byte = ord(match.group()) - 0xDC00
        problems.setdefault(
            line,
            error(
                path,
                line,
                "",
                f"byte 0x{byte:02x} in column {column} is not UTF-8; "
                "save the file as UTF-8 (it is shown as \ufffd until then)",
            ),
        )
    return _ESCAPED_BYTE.sub("\ufffd", text), list(problems.values())


class _LineIndex:
    """Offsets of line starts, to turn a position in the text into a 1-based line number."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.total = len(text)

    def line(self, pos: int) -> int:
        """The line that position `pos` is on."""
        return bisect_right(self.starts, pos)


def _scan(text: str, lines: _LineIndex, path: str, problems: list[Problem]) -> list[_Chunk]:
    """Cut the text into `@` blocks; text between them is ignored, as BibTeX ignores it."""
    starts = [m.start() for m in _LINE_START_ENTRY.finditer(text)]
    chunks: list[_Chunk] = []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        match = _AT.match(text, at)
        name, opener = match.group(1), match.group(2)
        pos = match.end()
        if not name:
            continue  # a lone @ (an e-mail address in a comment) is not an entry
        command = name.lower()
        if not opener:
            at_line_start = not text[text.rfind("\n", 0, at) + 1 : at].strip()
            if at_line_start and command != "comment":
                problems.append(
                    error(
                        path,
                        lines.line(at),
                        "",
                        (
                            f'expected "{{" after "@{name}", got {_shown(text, pos)}; '
                            f"an entry looks like @{name}{{smith2020walking, title = {{...}}, }}"
                        ),
                    )
                )
            continue
        # The next entry that starts a line after this one limits how far this one may run.
        limit_index = bisect_right(starts, at)
        limit = starts[limit_index] if limit_index < len(starts) else len(text)
        closer = ")" if opener == "(" else "}"
        end = _closing(text, pos, closer, limit)
        chunks.append(_Chunk(command, at, pos, end or limit, end is not None, closer))
        pos = end or limit
        stray = _STRAY_FIELD.match(text, pos) if end else None
        if stray and command not in ("comment", "preamble"):
            # BibTeX would silently drop these fields; say which brace ended the entry too soon.
            problems.append(
                error(
                    path,
                    lines.line(stray.start(1)),
                    stray.group(1).lower(),
                    f"this field is outside any entry: the entry on line {lines.line(at)} was closed "
                    f'early by the "{closer}" on line {lines.line(end - 1)}; remove that extra "{closer}"',
                )
            )
    return chunks


def _closing(text: str, pos: int, closer: str, limit: int) -> int | None:
    """The position just after the delimiter that closes the block, or None before `limit`."""
    if closer == "}" and (body := _CLOSED_BODY.match(text, pos, limit)):
        return body.end()  # the usual case in one search, rather than a step per brace
    depth = 0
    quoted = False
    for match in _DELIMITER.finditer(text, pos, limit):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return match.end() if closer == "}" else None
            depth -= 1
        elif depth == 0 and char == '"':
            quoted = not quoted
        elif depth == 0 and char == ")" and closer == ")" and not quoted:
            return match.end()
    return None


def _shown(text: str, pos: int) -> str:
    """What the file has at `pos`, quoted and short, for `got ...` in messages."""
    rest = text[pos:].lstrip()
    if not rest:
        return "the end of the file"
    word = re.match(r"[^\s]{1,30}", rest)
    return f'"{word.group() if word else rest[0]}"'


class _Parser(LowLevelParser):
    """pybtex's BibTeX parser, recording the line of every field and keeping errors."""

    def __init__(self, text: str, line: int, macros: CaseInsensitiveDict) -> None:
        super().__init__(text, macros=macros)
        self.lineno = line
        self.field_lines: list[tuple[str, int]] = []
        self.errors: list[tuple[PybtexSyntaxError, str | None, int, bool]] = []
        self.value_line = line
        self.in_value = False

    # The scanner is pybtex's hot loop. These three methods do exactly what pybtex's do, with one
    # regular expression search instead of one per pattern, and lines counted as "\n" only (as
    # _LineIndex counts them): about a third faster on a large library.
    _SKIPS: Mapping[tuple[int, ...], re.Pattern[str]] = MappingProxyType(
        {
            (id(LowLevelParser.AT),): re.compile("@"),
            (id(LowLevelParser.RBRACE), id(LowLevelParser.LBRACE)): re.compile("[{}]"),
            tuple(map(id, (LowLevelParser.QUOTE, LowLevelParser.RBRACE, LowLevelParser.LBRACE))): re.compile(
                '["{}]'
            ),
        }
    )
    _BY_CHAR: Mapping[str, Pattern] = MappingProxyType(
        {
            "@": LowLevelParser.AT,
            "{": LowLevelParser.LBRACE,
            "}": LowLevelParser.RBRACE,
            '"': LowLevelParser.QUOTE,
        }
    )

    def skip_to(self, patterns: list[Pattern]) -> Token | None:
        """Move just past the nearest of `patterns`, returning the text passed over."""
        combined = self._SKIPS.get(tuple(map(id, patterns)))
        if combined is None:
            return super().skip_to(patterns)
        match = combined.search(self.text, self.pos)
        if match is None:
            return None
        value = self.text[self.pos : match.end()]
        self.lineno += value.count("\n")
        self.pos = match.end()
        return Token(value, self._BY_CHAR[match.group()])

    def update_lineno(self, value: str) -> None:
        """Count the lines passed over."""
        self.lineno += value.count("\n")

    def get_token(self, patterns: list[Pattern], allow_eof: bool = False) -> Token | None:
        """Skip whitespace, then match the first of `patterns` that fits."""
        text, pos = self.text, self.pos
        space = _SPACE.match(text, pos)
        if space:
            self.lineno += text.count("\n", pos, space.end())
            self.pos = pos = space.end()
        if pos == self.end_pos:
            if allow_eof:
                raise EOFError
            raise PrematureEOF(self)
        for pattern in patterns:
            match = pattern.match(text, pos)
            if match:
                self.pos = match.end()
                return Token(match.group(), pattern)
        return None

    def handle_error(self, error: PybtexSyntaxError) -> None:
        """Keep the error with the field and line it happened in, instead of raising it."""
        self.errors.append((error, self.current_field_name, self.value_line, self.in_value))

    def parse_field(self) -> None:
        """Parse `name = value`, noting the line of the name."""
        name = self.optional([self.NAME])
        if not name:
            return
        self.current_field_name = name.value
        self.field_lines.append((name.value.lower(), self.lineno))
        self.required([self.EQUALS])
        self.parse_value()

    def parse_value_part(self) -> str:
        """Parse one part of a value, noting the line it starts on."""
        space = _SPACE.match(self.text, self.pos)  # skip whitespace: the line is the value's own
        if space:
            self.lineno += self.text.count("\n", self.pos, space.end())
            self.pos = space.end()
        self.value_line = self.lineno
        self.in_value = True
        value = super().parse_value_part()
        self.in_value = False
        return value


# A plain entry: `@type{key,` then `name = {value}`, `name = "value"` or `name = 123`, separated by
# commas, then `}`. Values may nest braces three deep, which covers accents such as {\"{u}}.
# Whitespace is \s, as in _Parser; names and keys are the subsets of pybtex's patterns that stop
# where pybtex's would.
_BRACED = r"[^{}]*+"
for _ in range(3):
    _BRACED = rf"(?:[^{{}}]++|\{{{_BRACED}\}})*+"
_PLAIN_HEAD = re.compile(r"@\s*+([A-Za-z][A-Za-z0-9_-]*+)\s*+\{\s*+([^\s,}]++)\s*+")
# A comma and the field after it, if any.
_PLAIN_FIELD = re.compile(
    r",\s*+(?:([A-Za-z][A-Za-z0-9_-]*+)\s*+=\s*+"
    rf'(?:\{{({_BRACED})\}}|"((?:[^"{{}}]++|\{{{_BRACED}\}})*+)"|([0-9]++))\s*+)?'
)
# A block's body up to the "}" that closes it, braces nested at most four deep: what _closing finds
# (quotes do not matter when "}" closes).
_CLOSED_BODY = re.compile(rf"(?:[^{{}}]++|\{{{_BRACED}\}})*+\}}")


def _plain_entry(source: str) -> tuple[str, str, list, list[tuple[str, int]]] | None:
    """A plain entry parsed without pybtex: (type, key, fields, (field, newlines before it)).

    None for anything else (macros, `#`, deeper braces, a stray character, any error): pybtex
    then parses it and reports what is wrong. Where this returns an entry, pybtex's parser
    gives exactly the same one, five times slower.
    """
    head = _PLAIN_HEAD.match(source)
    end = len(source) - 1  # the closing brace
    if head is None or source[end] != "}":
        return None
    fields: list[tuple[str, list[str]]] = []
    field_lines: list[tuple[str, int]] = []
    pos, newlines, counted = head.end(), 0, 0
    while pos < end:
        field = _PLAIN_FIELD.match(source, pos)
        if field is None:
            return None
        pos = field.end()
        name, braced, quoted, number = field.group(1, 2, 3, 4)
        if name is None:
            break  # a comma with no field after it: plain only at the end
        start = field.start(1)
        newlines += source.count("\n", counted, start)
        counted = start
        value = braced if braced is not None else quoted if quoted is not None else number
        fields.append((name, [value]))
        field_lines.append((name.lower(), newlines))
    if pos != end:
        return None
    return head.group(1).lower(), head.group(2), fields, field_lines


def _parse_chunk(
    path: str,
    text: str,
    chunk: _Chunk,
    lines: _LineIndex,
    macros: CaseInsensitiveDict,
    problems: list[Problem],
    names: dict[str, tuple],
) -> Entry | None:
    """Parse one block with pybtex; an entry, or None when it is broken (and reported)."""
    line = lines.line(chunk.start)
    source = text[chunk.start : chunk.end]
    if chunk.command != "string":
        key_match = _KEY.match(source, chunk.body - chunk.start)
        if not key_match.group(1) or key_match.group(2) == "=":
            got = " ".join(source[: key_match.end()].split())
            problems.append(
                error(
                    path,
                    line,
                    "",
                    (f'entry has no key: expected "@{chunk.command}{{smith2020walking, ...", got "{got}"'),
                )
            )
            return None
    if chunk.closed and chunk.closer == "}" and chunk.command != "string":
        plain = _plain_entry(source)
        if plain is not None:
            kind, key, fields, field_lines = plain
            lines_of = [(name, line + newlines) for name, newlines in field_lines]
            return _entry(path, source, line, kind, key, fields, lines_of, problems, names)
    parser = _Parser(source, line, macros)
    results = list(parser.parse_bibliography())
    fatal = [e for e in parser.errors if not isinstance(e[0], UndefinedMacro)]
    for err, field, _, _ in parser.errors:
        if isinstance(err, UndefinedMacro):
            name = str(err).rsplit(":", 1)[-1].strip()
            problems.append(
                error(
                    path,
                    err.lineno,
                    (field or "").lower(),
                    (
                        f'undefined @string macro "{name}": define it before this entry with '
                        f"@string{{{name} = {{...}}}}, or write the value in braces: {{{name}}}"
                    ),
                )
            )
    if fatal or not chunk.closed:
        problems.append(_syntax_problem(path, source, chunk, line, lines, parser, fatal))
        return None
    if chunk.command == "string" or not results:
        return None
    command, (key, fields) = results[0]
    return _entry(path, source, line, command.lower(), key, fields, parser.field_lines, problems, names)


def _syntax_problem(
    path: str,
    source: str,
    chunk: _Chunk,
    line: int,
    lines: _LineIndex,
    parser: _Parser,
    fatal: list,
) -> Problem:
    """One problem for a broken block, placed where the broken value or entry began."""
    runs_on = ""
    if not chunk.closed:
        ends_at = lines.line(chunk.end)
        runs_on = (
            f" (the entry runs on to the next entry on line {ends_at})"
            if chunk.end < lines.total
            else " (the entry runs on to the end of the file)"
        )
    culprit = _unbalanced_field(source, chunk.closer, chunk.closed)
    if culprit is not None:
        offset, field, char = culprit
        return error(
            path,
            line + source.count("\n", 0, offset),
            field,
            (
                f"unclosed {char} in the value that starts here{runs_on}; "
                f"expected a closed value such as {field} = {{...}},"
            ),
        )
    if not fatal or isinstance(fatal[0][0], PrematureEOF):
        return error(path, line, "", f'entry is not closed: expected "{chunk.closer}" at its end{runs_on}')
    err, field, value_line, _ = fatal[0]
    got = _shown(source, parser.pos)
    if isinstance(err, TokenRequired) and field and str(err).endswith("'}' expected"):
        return error(
            path,
            value_line,
            field.lower(),
            (f'expected "," after this value (or "}}" to end the entry), got {got} on line {err.lineno}'),
        )
    detail = str(err).split(": ", 1)[-1]
    if isinstance(err, TokenRequired):
        detail = f"expected {detail.removesuffix(' expected')}, got {got}".replace("'", '"')
    return error(path, err.lineno, (field or "").lower(), f"syntax error: {detail}")


def _unbalanced_field(source: str, closer: str, closed: bool) -> tuple[int, str, str] | None:
    """Where the brace or quote that is never closed opened: (offset, field, what), or None."""
    body = source.rstrip()
    # The entry's own closing delimiter is not part of any value: drop it when it is there, or
    # when it stands alone on the last line (an extra "{" earlier then made it close a value).
    if closed or body.rsplit("\n", 1)[-1].strip() == closer:
        body = body.removesuffix(closer)
    depth, quoted = 0, False
    opened: tuple[int, str] | None = None
    starts = list(_FIELD_START.finditer(body))
    for index, match in enumerate(starts):
        if depth == 0 and not quoted:
            opened = (match.start(1), match.group(1).lower())  # the last field that began cleanly
        end = starts[index + 1].start(1) if index + 1 < len(starts) else len(body)
        for char in _DELIMITER.findall(body, match.end(), end):
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                quoted = not quoted
    if opened is None or (depth <= 0 and not quoted):
        return None
    return opened[0], opened[1], 'quote (")' if quoted and depth <= 0 else '"{"'


def _entry(
    path: str,
    source: str,
    line: int,
    kind: str,
    key: str,
    fields: list,
    field_lines: list[tuple[str, int]],
    problems: list[Problem],
    names: dict[str, tuple],
) -> Entry:
    """The model entry for parsed fields, reporting duplicate fields and suspicious names."""
    first_line: dict[str, int] = {}
    for name, field_line in field_lines:
        if name in first_line:
            problems.append(
                error(
                    path,
                    field_line,
                    name,
                    (
                        f'duplicate field "{name}" in entry "{key}": first given on line {first_line[name]}; '
                        "the first value is used, delete one of them"
                    ),
                )
            )
        else:
            first_line[name] = field_line
    raw: dict[str, str] = {}
    for name, parts in fields:
        # pybtex's normalize_whitespace, five times faster: \s is exactly str.isspace().
        raw.setdefault(name.lower(), " ".join("".join(parts).split()))
    decoded: dict[str, str] = {}
    people: dict[str, tuple[Person, ...]] = {}
    for name, value in raw.items():
        if name in PERSON_FIELDS:
            people[name] = persons(path, first_line.get(name, line), name, value, problems, names)
        elif name in VERBATIM_FIELDS:
            decoded[name] = latex_verbatim(value)
        else:
            decoded[name] = latex_to_unicode(value)
    return Entry(
        key=key,
        type=kind,
        fields=MappingProxyType(decoded),
        raw_fields=MappingProxyType(raw),
        authors=people.get("author", ()),
        editors=people.get("editor", ()),
        path=path,
        line=line,
        source=source,
        field_lines=MappingProxyType(first_line),
    )
