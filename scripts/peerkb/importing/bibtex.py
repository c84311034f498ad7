"""A forgiving BibTeX reader for what reference managers and publishers really export.

pybtex stops at the first surprise, and exports are full of them: EndNote writes entries with no
key, Atypon sites (Emerald, Wiley) put a lone comma on its own line before the abstract, Wiley
and Emerald use DOIs and URLs as keys, Springer quotes values and breaks author lists over lines,
JabRef appends `@Comment{jabref-meta: ...}` blocks, exporters repeat a field. This reader accepts
all of that, keeps values as the LaTeX text they were written in (macros expanded), and reports
anything it cannot read with its line instead of giving up on the whole file.
"""

from __future__ import annotations

import re

from .record import Record, Rejected

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_CLOSE = {"{": "}", "(": ")"}
_NEXT_ENTRY = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.M)


class _Stop(Exception):
    """Raised inside the reader to abandon one entry; carries the position and the reason."""

    def __init__(self, pos: int, reason: str) -> None:
        super().__init__(reason)
        self.pos = pos
        self.reason = reason


class _Reader:
    """Walks the text once; one instance per source, thrown away afterwards."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.pos = 0
        self.macros: dict[str, str] = {}
        self.records: list[Record] = []
        self.rejected: list[Rejected] = []

    def line_of(self, pos: int) -> int:
        """1-based line number of a position."""
        return self.text.count("\n", 0, pos) + 1

    def skip_space(self) -> None:
        """Move past whitespace."""
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        """The character at the current position, or "" at the end."""
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def got(self) -> str:
        """A short quotation of what is at the current position, for messages."""
        rest = self.text[self.pos : self.pos + 20].split("\n")[0]
        return f'"{rest}"' if rest else "the end of the file"

    def run(self) -> None:
        """Read every entry; text between entries is a comment, as BibTeX treats it."""
        while True:
            at = self.text.find("@", self.pos)
            if at < 0:
                return
            self.pos = at + 1
            try:
                self.item(at)
            except _Stop as stop:
                self.rejected.append(Rejected(self.source, self.line_of(stop.pos), stop.reason))
                # Resume at the next line that starts an entry, so one bad entry costs only itself.
                nxt = _NEXT_ENTRY.search(self.text, max(stop.pos, at) + 1)
                self.pos = nxt.start() if nxt else len(self.text)

    def item(self, at: int) -> None:
        """One `@type{...}` item: an entry, a @string, a @comment or a @preamble."""
        match = re.compile(r"[A-Za-z]+").match(self.text, self.pos)
        if not match:
            return  # an "@" in comment text, as in an e-mail address
        kind = match.group().lower()
        self.pos = match.end()
        self.skip_space()
        opener = self.peek()
        if kind == "comment":
            if opener in _CLOSE:
                self.balanced(opener)
            return
        if opener not in _CLOSE:
            line_start = self.text.rfind("\n", 0, at) + 1
            if self.text[line_start:at].strip():
                return  # an "@" in the middle of comment text, as in an e-mail address
            raise _Stop(self.pos, f"expected {{ or ( after @{match.group()}, got {self.got()}")
        self.pos += 1
        closer = _CLOSE[opener]
        if kind == "preamble":
            self.pos -= 1
            self.balanced(opener)
        elif kind == "string":
            for name, value, _ in self.fields(closer, at):
                self.macros[name] = value
        else:
            self.entry(kind, closer, at)

    def balanced(self, opener: str, what: str = "") -> str:
        """The text inside a balanced brace or parenthesis group starting here."""
        closer, depth, start = _CLOSE[opener], 0, self.pos
        # A group still open at the next line that starts an entry has lost its closer: stop
        # there, so that it cannot swallow the entries after it.
        nxt = _NEXT_ENTRY.search(self.text, start + 1)
        limit = nxt.start() if nxt else len(self.text)
        for i in range(self.pos, limit):
            char = self.text[i]
            if char == opener:
                depth += 1
            elif char == closer:
                depth -= 1
                if depth == 0:
                    self.pos = i + 1
                    return self.text[start + 1 : i]
        before = f"the next entry (line {self.line_of(limit)})" if nxt else "the end of the file"
        raise _Stop(start, f"{what}{opener} is never closed: expected {closer} before {before}")

    def entry(self, kind: str, closer: str, at: int) -> None:
        """The key (possibly missing, as EndNote writes it) and the fields of one entry."""
        self.skip_space()
        key_match = re.compile(r"[^,\s{}()]*").match(self.text, self.pos)
        key = key_match.group() if key_match else ""
        after = self.text[key_match.end() :].lstrip()[:1] if key_match else ""
        if after == "=":
            key = ""  # EndNote: "@article{" then straight into "author = {...}"
        else:
            self.pos = key_match.end() if key_match else self.pos
            self.skip_space()
            if self.peek() == ",":
                self.pos += 1
        notes: list[str] = []
        fields: dict[str, str] = {}
        for name, value, note in self.fields(closer, at):
            if note:
                notes.append(note)
            if name in fields:
                notes.append(f"field {name} given twice; kept the first")
                continue
            fields[name] = value
        self.records.append(Record(kind, key, fields, self.source, self.line_of(at), tuple(notes)))

    def fields(self, closer: str, at: int) -> list[tuple[str, str, str]]:
        """`name = value` pairs up to the closing delimiter, with a note for odd values."""
        out: list[tuple[str, str, str]] = []
        while True:
            self.skip_space()
            while self.peek() == ",":  # Atypon's lone comma line, Zotero's trailing comma
                self.pos += 1
                self.skip_space()
            if self.peek() == closer:
                self.pos += 1
                return out
            self.check_open(closer, at)
            name = _NAME.match(self.text, self.pos)
            if not name:
                raise _Stop(self.pos, f"expected a field name such as title, got {self.got()}")
            self.pos = name.end()
            self.skip_space()
            if self.peek() != "=":
                raise _Stop(self.pos, f"expected = after field {name.group()}, got {self.got()}")
            self.pos += 1
            value, note = self.value(f"field {name.group()}: ")
            out.append((name.group().lower(), value, note))
            self.skip_space()
            self.check_open(closer, at)
            if self.peek() not in (",", closer):
                raise _Stop(self.pos, f"expected , or {closer} after field {name.group()}, got {self.got()}")

    def check_open(self, closer: str, at: int) -> None:
        """Stop if the entry runs into the next one or the end of the file without closing."""
        if not self.peek() or self.peek() == "@":
            nxt = f"the next entry (line {self.line_of(self.pos)})" if self.peek() else "the end of the file"
            raise _Stop(at, f"entry is never closed: expected {closer} before {nxt}")

    def value(self, what: str) -> tuple[str, str]:
        """A field value: braced, quoted, a number or a macro, joined with #."""
        parts: list[str] = []
        note = ""
        while True:
            self.skip_space()
            char = self.peek()
            if char == "{":
                parts.append(self.balanced("{", what))
            elif char == '"':
                parts.append(self.quoted(what))
            else:
                word = re.compile(r"[A-Za-z0-9_.:+/-]+").match(self.text, self.pos)
                if not word:
                    raise _Stop(self.pos, f'expected a value in {{braces}} or "quotes", got {self.got()}')
                self.pos = word.end()
                name = word.group()
                if name.isdigit():
                    parts.append(name)
                elif name.lower() in self.macros:
                    parts.append(self.macros[name.lower()])
                else:
                    if name.lower() not in MONTH_MACROS:
                        note = f"macro {name} is not defined here; kept its name as the value"
                    parts.append(name)
            self.skip_space()
            if self.peek() != "#":
                return "".join(parts), note
            self.pos += 1

    def quoted(self, what: str) -> str:
        """A "quoted" value; quotes inside braces do not end it, as in BibTeX."""
        depth = 0
        nxt = _NEXT_ENTRY.search(self.text, self.pos + 1)
        for i in range(self.pos + 1, nxt.start() if nxt else len(self.text)):
            char = self.text[i]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                start, self.pos = self.pos, i + 1
                return self.text[start + 1 : i]
        raise _Stop(self.pos, f'{what}" is never closed: expected a closing " at brace level 0')


def read_bibtex(text: str, source: str) -> tuple[list[Record], list[Rejected]]:
    """Every entry in BibTeX text, and every part that could not be read."""
    reader = _Reader(text, source)
    reader.run()
    return reader.records, reader.rejected
