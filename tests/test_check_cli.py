"""`peerkb check` as a maintainer runs it: exact output and exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def peerkb(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peerkb.cli", "--root", str(project), *args],
                          capture_output=True, text=True, check=False)


def test_the_library_passes_strict_check():
    root = Path(__file__).resolve().parent.parent
    result = peerkb(root, "check", "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == "peerkb check passed: 0 error(s), 0 warning(s)\n"


def test_a_missing_doi_is_a_warning_until_the_summary_says_the_record_is_incomplete(project: Path):
    summary = project / "references" / "summaries" / "watson2016reentry.md"
    text = summary.read_text(encoding="utf-8")
    assert "metadata_status: \"incomplete\"" in text
    complete = text.replace('metadata_status: "incomplete"', 'metadata_status: "complete"')
    summary.write_text(complete, "utf-8")

    result = peerkb(project, "check")
    assert result.returncode == 0
    assert result.stdout.startswith(
        'references/library.bib:63: warning: doi: article "watson2016reentry" has no DOI')
    assert peerkb(project, "check", "--strict").returncode == 1


def test_every_problem_is_reported_in_one_run(project: Path):
    bib = project / "references" / "library.bib"
    bib_text = bib.read_text(encoding="utf-8")
    bib.write_text(bib_text.replace("year    = {2014},", "year    = {20014},", 1), "utf-8")
    summary = project / "references" / "summaries" / "sinclair2018help.md"
    summary_text = summary.read_text(encoding="utf-8")
    summary.write_text(summary_text.replace("## Limitations", "## Limitation"), "utf-8")

    result = peerkb(project, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("references/library.bib:") and ": year: " in line for line in lines)
    assert any(line.startswith("references/summaries/sinclair2018help.md:") and "Limitations" in line
               for line in lines)
    assert "failed" in result.stderr


def test_unsafe_markup_in_the_taxonomy_is_refused(project: Path):
    taxonomy = project / "references" / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line == "  - id: peer-navigator\n") + 2
    assert lines[number].startswith("    description: ")
    lines[number] = '    description: "Helps people find services <img src=x onerror=alert(1)>"\n'
    taxonomy.write_text("".join(lines), "utf-8")
    result = peerkb(project, "check")
    assert result.returncode == 1
    # Reported at the item's id line, with the field path naming the description.
    expected = f"references/taxonomy.yml:{number - 1}: roles.peer-navigator.description: raw HTML"
    assert expected in result.stdout


def test_render_writes_every_generated_page_and_file(tmp_path: Path):
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "rendered"
    result = peerkb(root, "render", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "papers" / "haines2025core.md").read_text(encoding="utf-8").startswith("---\n")
    home = (out / "index.md").read_text(encoding="utf-8")  # docs/ comes along, lists filled in
    assert "peerkb:recently-added" not in home
    assert "](papers/" in home
    library = (root / "references" / "library.bib").read_text(encoding="utf-8")
    paper_bib = (out / "papers" / "haines2025core.bib").read_text(encoding="utf-8")
    assert paper_bib.strip() in library
    assert (out / "feed.xml").is_file()
    # A second render replaces its own earlier output; a folder it did not write is refused.
    assert peerkb(root, "render", "--out", str(out)).returncode == 0
    stranger = tmp_path / "someone-elses"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("mine", encoding="utf-8")
    refused = peerkb(root, "render", "--out", str(stranger))
    assert refused.returncode == 1
    assert (stranger / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_an_unsafe_key_is_one_error_with_no_path_suggested_from_it(project: Path):
    bib = project / "references" / "library.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("@misc{mead2003defining,", "@misc{../mead,"), "utf-8")
    result = peerkb(project, "check")
    assert result.returncode == 1
    assert 'key "../mead" is not safe as a file name' in result.stdout
    assert "summaries/../mead" not in result.stdout


def test_check_imports_nothing_that_only_rendering_needs():
    # Each of these adds start-up time to every `peerkb check` (a CI step, a maintainer's loop).
    root = Path(__file__).resolve().parent.parent
    script = (
        "import sys\n"
        "from peerkb.cli import main\n"
        f"main(['--root', {str(root)!r}, 'check'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'citeproc', 'mkdocs', 'nh3', 'markdown', 'lxml', 'jinja2', 'material'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
