"""Reading references/ from disk into the model: the only module of the core that touches files."""

from __future__ import annotations

from pathlib import Path

from peerkb.bibfile import read_bib
from peerkb.model import Library, Taxonomy
from peerkb.problems import Problem, error
from peerkb.summary_file import read_summary
from peerkb.taxonomy_file import read_taxonomy

REFERENCES = "references"
TAXONOMY = f"{REFERENCES}/taxonomy.yml"
SUMMARIES = f"{REFERENCES}/summaries"


def load_library(root: Path) -> tuple[Library, list[Problem]]:
    """Load every .bib file, the taxonomy and every summary under root/references.

    Returns the library and the problems met while reading; checks that compare files with
    each other are check.check_library's job.
    """
    problems: list[Problem] = []
    references = root / REFERENCES
    if not references.is_dir():
        problems.append(error(REFERENCES, 0, "", f"no {REFERENCES}/ folder in {root}"))
        return Library(entries=(), summaries=(), taxonomy=Taxonomy(path=TAXONOMY)), problems

    entries = []
    for path in sorted(references.glob("*.bib")):
        found, bib_problems = read_bib(_relative(path, root), path.read_bytes())
        entries.extend(found)
        problems.extend(bib_problems)

    taxonomy_path = root / TAXONOMY
    if taxonomy_path.is_file():
        taxonomy, taxonomy_problems = read_taxonomy(TAXONOMY, taxonomy_path.read_bytes())
        problems.extend(taxonomy_problems)
    else:
        taxonomy = Taxonomy(path=TAXONOMY)
        problems.append(error(TAXONOMY, 0, "", "the taxonomy file is missing; every role and theme comes from it"))

    summaries = []
    for path in sorted((root / SUMMARIES).glob("*.md")):
        summary, summary_problems = read_summary(_relative(path, root), path.read_bytes())
        problems.extend(summary_problems)
        if summary is not None:
            summaries.append(summary)
    return Library(entries=tuple(entries), summaries=tuple(summaries), taxonomy=taxonomy), problems


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
