"""Every check of the library in one call: problems from loading plus those across files."""

from __future__ import annotations

from pathlib import Path

from peerkb.entry_checks import check_entries
from peerkb.load import load_library
from peerkb.model import Library
from peerkb.problems import Problem, sort_problems
from peerkb.summary_checks import check_summaries, check_taxonomy_use


def check_library(library: Library) -> list[Problem]:
    """Problems that need the whole library: entries, summaries and taxonomy against each other."""
    problems = check_entries(library.entries)
    problems += check_summaries(library.summaries, library.entries, library.taxonomy)
    problems += check_taxonomy_use(library.summaries, library.taxonomy)
    return problems


def load_and_check(root: Path) -> tuple[Library, list[Problem]]:
    """Load references/ under root and run every check; problems sorted by file and line."""
    library, problems = load_library(root)
    return library, sort_problems(problems + check_library(library))
