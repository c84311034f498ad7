"""The benchmark's synthetic library: deterministic, parseable, and clean for `peerkb check`."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from peerkb.bibfile import read_bib
from peerkb.check import load_and_check
from peerkb.entry_checks import check_entries
from peerkb.summary_file import read_summary
from pybtex.database import parse_string

_spec = importlib.util.spec_from_file_location("synthetic_library", ROOT / "scripts" / "synthetic_library.py")
assert _spec is not None and _spec.loader is not None
synthetic_library = importlib.util.module_from_spec(_spec)
sys.modules["synthetic_library"] = synthetic_library
_spec.loader.exec_module(synthetic_library)

N = 30


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_library.make_library(tmp_path_factory.mktemp("synthetic"), N, seed=7)


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_files(library: Path, tmp_path: Path) -> None:
    again = synthetic_library.make_library(tmp_path / "again", N, seed=7)
    assert files_of(again) == files_of(library)


def test_another_seed_gives_another_library(library: Path, tmp_path: Path) -> None:
    other = synthetic_library.make_library(tmp_path / "other", N, seed=8)
    bib = "references/library.bib"
    assert files_of(other)[bib] != files_of(library)[bib]


def test_a_small_library_is_the_start_of_a_larger_one() -> None:
    ids = {"roles": ["r1", "r2", "r3"], "themes": ["t1", "t2", "t3", "t4"], "evidence_types": ["e1", "book"],
           "settings": ["s1", "s2"]}
    assert synthetic_library.generate(10, 3, ids) == synthetic_library.generate(25, 3, ids)[:10]


def test_pybtex_parses_every_entry(library: Path) -> None:
    text = (library / "references" / "library.bib").read_text(encoding="utf-8")
    data = parse_string(text, "bibtex")
    assert len(data.entries) == N
    assert all(entry.persons["author"] for entry in data.entries.values())


def test_our_reader_finds_no_problem_and_decodes_accents(library: Path) -> None:
    path = library / "references" / "library.bib"
    entries, problems = read_bib("references/library.bib", path.read_bytes())
    assert problems == ()
    assert len(entries) == N
    families = {person.family for entry in entries for person in entry.authors}
    assert not any("\\" in name or "{" in name for name in families)
    assert any(not name.isascii() for name in families)


def test_only_test_prefix_dois(library: Path) -> None:
    text = (library / "references" / "library.bib").read_text(encoding="utf-8")
    dois = re.findall(r"doi\s*=\s*\{([^}]*)\}", text)
    assert dois
    assert all(doi.startswith("10.5555/") for doi in dois)


def test_every_entry_has_a_well_formed_summary(library: Path) -> None:
    entries, _ = read_bib("references/library.bib", (library / "references" / "library.bib").read_bytes())
    for entry in entries:
        path = f"references/summaries/{entry.key}.md"
        summary, problems = read_summary(path, (library / path).read_bytes())
        assert problems == (), problems
        assert summary is not None and len(summary.sections) == 5
        words = sum(len(section.body.split()) for section in summary.sections.values())
        assert 300 <= words <= 500, (entry.key, words)


def test_the_whole_project_passes_peerkb_check(library: Path) -> None:
    _library, problems = load_and_check(library)
    errors = [p.format() for p in problems if p.severity.name == "ERROR"]
    assert errors == []


def test_thousands_of_entries_stay_distinct_works() -> None:
    ids = {"roles": ["r1", "r2", "r3"], "themes": ["t1", "t2", "t3", "t4"], "evidence_types": ["e1", "book"],
           "settings": ["s1", "s2"]}
    papers = synthetic_library.generate(3000, 0, ids)
    entries, problems = read_bib("references/library.bib", "\n".join(p.bibtex for p in papers).encode())
    assert problems == ()
    errors = [p.format() for p in check_entries(entries) if p.severity.name == "ERROR"]
    assert errors == []
