"""Every check of the library in one call: problems from loading plus those across files."""

from __future__ import annotations

from pathlib import Path

from peerkb.entry_checks import check_entries
from peerkb.load import ParseCache, load_library
from peerkb.model import Library
from peerkb.problems import Problem, Severity, sort_problems
from peerkb.summary_checks import check_summaries, check_taxonomy_text, check_taxonomy_use


def check_library(library: Library) -> list[Problem]:
    """Problems that need the whole library: entries, summaries and taxonomy against each other."""
    problems = _without_acknowledged_gaps(check_entries(library.entries), library)
    problems += check_summaries(library.summaries, library.entries, library.taxonomy)
    problems += check_taxonomy_use(library.summaries, library.taxonomy)
    # taxonomy.yml arrives by pull request too, and its details become Markdown on role pages.
    problems += check_taxonomy_text(library.taxonomy)
    return problems


def load_and_check(root: Path, cache: ParseCache | None = None) -> tuple[Library, list[Problem]]:
    """Load references/ under root and run every check; problems sorted by file and line."""
    library, problems = load_library(root, cache)
    return library, sort_problems(problems + check_library(library))


def _without_acknowledged_gaps(problems: list[Problem], library: Library) -> list[Problem]:
    """Drop "no DOI" warnings for records whose summary already tells readers they are incomplete.

    The warning exists to prompt a maintainer to look a DOI up; once the summary says
    `metadata_status: incomplete`, readers are told and repeating it would make --strict useless.
    """
    incomplete = {s.key for s in library.summaries if s.metadata_status == "incomplete"}
    lines = {(e.path, e.line): e.key for e in library.entries}
    return [
        p for p in problems
        if not (p.severity is Severity.WARNING and p.field == "doi"
                and lines.get((p.path, p.line)) in incomplete)
    ]
