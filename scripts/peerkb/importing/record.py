"""What every reader (BibTeX, RIS, MEDLINE, EndNote) hands on: one work, or one reason it could not."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Record:
    """One work read from an import source, before normalisation."""

    type: str
    """Entry type as the source gave it, lower case (article, online, JOUR mapped to article, ...)."""
    key: str = ""
    """The source's own key, if it had one (for messages only: we make our own)."""
    fields: dict[str, str] = field(default_factory=dict)
    """Field name (lower case) to its value in BibTeX (LaTeX) form, whitespace as in the source."""
    source: str = ""
    """Where it came from: the file name as given on the command line, or "<stdin>"."""
    line: int = 0
    """Line of the source the record starts on."""
    notes: tuple[str, ...] = ()
    """Things the reader noticed but worked around (a repeated field, an undefined macro)."""


@dataclass(frozen=True)
class Rejected:
    """Something in an import source that could not become an entry, and why."""

    source: str
    """The file name as given, or "<stdin>"."""
    line: int
    """Line the problem starts on; 0 when it concerns the whole source."""
    reason: str
    """What is wrong, what was expected and what was received."""

    def format(self) -> str:
        """The `source:line: reason` form that editors link to."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: not added: {self.reason}"


def latex_escape(text: str) -> str:
    """Plain Unicode text (from RIS, MEDLINE, EndNote) made safe as a BibTeX value."""
    # Braces must stay balanced and LaTeX specials literal; Unicode letters are left as they are
    # because pybtex, biber and our site all read UTF-8.
    out = []
    for char in text:
        if char in "\\":
            out.append(r"\textbackslash{}")
        elif char in "{}&%$#_":
            out.append("\\" + char)
        elif char == "~":
            out.append(r"\textasciitilde{}")
        elif char == "^":
            out.append(r"\textasciicircum{}")
        else:
            out.append(char)
    return "".join(out)
