"""Problems found in the library: collected, never raised, so that one run reports them all."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop the build, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the library, located as precisely as we can."""

    path: str
    """File the problem is in, relative to the project root, with forward slashes."""
    line: int
    """1-based line number; 0 when the problem concerns the whole file."""
    field: str
    """The BibTeX field, front-matter key or section concerned; empty when none is."""
    message: str
    """What is wrong: what was expected, what was received and, where it helps, an example."""
    severity: Severity = Severity.ERROR
    """Errors fail the build; warnings fail it only in strict mode."""

    def format(self) -> str:
        """The `path:line: field: message` form that editors and CI logs link to."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "" if self.severity is Severity.ERROR else "warning: "
        field = f"{self.field}: " if self.field else ""
        # Messages quote data: a line break in it would start a new log line (which CI runners read
        # as a command when it starts with "::"), and terminal escapes or bidi controls disguise text.
        return _CONTROL.sub(_escaped, f"{where}: {label}{field}{self.message}")


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    """A control character as Python writes it in a string: \\n, \\x1b, \\u2028."""
    return repr(match.group())[1:-1]


def error(path: str, line: int, field: str, message: str) -> Problem:
    """A problem that stops the build."""
    return Problem(path, line, field, message, Severity.ERROR)


def warning(path: str, line: int, field: str, message: str) -> Problem:
    """A problem worth fixing that does not stop the build unless --strict."""
    return Problem(path, line, field, message, Severity.WARNING)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, then line order, each reported once."""
    return sorted(set(problems), key=lambda p: (p.path, p.line, p.field, p.message, p.severity))


def errors_in(problems: Iterable[Problem], strict: bool = False) -> list[Problem]:
    """The problems that should fail a run: errors, and warnings too when strict."""
    return [p for p in problems if strict or p.severity is Severity.ERROR]


def did_you_mean(received: str, choices: Iterable[str]) -> str:
    """A ' Did you mean "x"?' hint for a near miss, or an empty string."""
    import difflib

    close = difflib.get_close_matches(received, sorted(choices), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""
