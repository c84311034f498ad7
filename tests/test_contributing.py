"""The contributing guide and the loader stay in step: every field, section, id and example in it is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from peerkb.frontmatter import read_yaml
from peerkb.model import FACETS, SECTIONS, Entry
from peerkb.summary_checks import check_summaries, unsafe_markup
from peerkb.summary_file import FRONT_MATTER_FIELDS, read_summary
from peerkb.taxonomy_file import read_taxonomy

ROOT = Path(__file__).parent.parent
GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
TAXONOMY, _ = read_taxonomy("references/taxonomy.yml", (ROOT / "references/taxonomy.yml").read_bytes())
TEMPLATE = ROOT / "scripts/peerkb/templates/summary.md"


def section(title: str) -> str:
    """The text of one `##`/`###` section of the guide, up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ )", GUIDE + "\n# end", re.MULTILINE | re.DOTALL)
    assert match, f"the guide has no section {title!r}"
    return match.group(1)


def field_rows() -> dict[str, list[str]]:
    """The front-matter table: field name to its cells (type, required, example, meaning)."""
    rows = {}
    for line in section("Front-matter fields").splitlines():
        if match := re.match(r"\| `(\w+)` \|(.*)\|$", line):
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split(" | ")]
    return rows


def entry(key: str) -> Entry:
    return Entry(
        key, "article", {"title": "T"}, {"title": "T"}, (), (), "references/library.bib", 1, "@article{"
    )


def test_every_accepted_key_is_documented_and_every_documented_key_accepted() -> None:
    assert list(field_rows()) == list(FRONT_MATTER_FIELDS)


@pytest.mark.parametrize("name", list(FRONT_MATTER_FIELDS))
def test_each_field_row_states_type_requirement_and_a_valid_example(name: str) -> None:
    kind, required, example, meaning = field_rows()[name]
    spec = FRONT_MATTER_FIELDS[name]
    assert (
        required.startswith("required")
        if spec.required
        else required.startswith(("optional", "required when"))
    )
    assert ("list" in kind) == (spec.kind == "list")
    assert meaning
    data, _lines, problems = read_yaml("CONTRIBUTING.md", example.strip("`") + "\n")
    assert problems == []
    assert list(data) == [name]
    assert isinstance(data[name], list) == (spec.kind == "list")


def test_the_five_sections_are_documented_in_order() -> None:
    text = section("The five sections")
    positions = [text.find(f"`## {heading}`") for _, heading in SECTIONS]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_the_complete_example_front_matter_passes_every_check() -> None:
    example = re.search(r"```yaml\n(---\n.*?---\n)```", section("The summary file"), re.DOTALL)
    assert example
    body = "".join(f"\n## {heading}\n\nSome text.\n" for _, heading in SECTIONS)
    body = body.replace("Some text.", "- One point.\n- Another point.", 1)
    summary, problems = read_summary(
        "references/summaries/wyder2020peer.md", (example.group(1) + body).encode()
    )
    assert problems == ()
    assert check_summaries([summary], [entry("wyder2020peer")], TAXONOMY) == []


def test_the_example_check_output_is_what_peerkb_check_prints() -> None:
    shown = re.search(r"```text\n(.*?)```", section("What `peerkb check` reports"), re.DOTALL)
    assert shown
    data = (ROOT / "tests/data/summaries/smith2021peer.md").read_bytes()
    summary, problems = read_summary("references/summaries/smith2021peer.md", data)
    real = {p.format() for p in (*problems, *check_summaries([summary], [entry("smith2021peer")], TAXONOMY))}
    for line in shown.group(1).splitlines():
        assert line in real


@pytest.mark.parametrize("facet", FACETS)
def test_the_guide_lists_every_taxonomy_id(facet: str) -> None:
    listed = re.search(rf"^- `{facet}`: (.*?)\.\n(?=-|\n)", GUIDE, re.MULTILINE | re.DOTALL)
    assert listed, f"no list of {facet} in the guide"
    ids = [part.strip() for part in listed.group(1).replace("\n", " ").split(",")]
    assert ids == [term.id for term in TAXONOMY.facet(facet)]


def test_the_template_parses_with_only_template_text_problems() -> None:
    template, problems = read_summary("references/summaries/summary.md", TEMPLATE.read_bytes())
    assert template is not None
    assert list(template.sections) == [section_id for section_id, _ in SECTIONS]
    assert set(template.field_lines) == {name for name in FRONT_MATTER_FIELDS if name != "date_reviewed"}
    checked = check_summaries([template], [entry("summary")], TAXONOMY)
    template_problems = [p for p in (*problems, *checked) if "template" in p.message]
    assert {p.field for p in problems} == {"key", "date_added"}
    assert all("template" in p.message for p in problems)
    assert {p.field for p in template_problems} >= {"evidence_type", "takeaway", "based_on"}
    assert {p.field for p in template_problems} >= {heading for _, heading in SECTIONS}


def test_links_in_the_guide_work_on_github_and_on_the_site() -> None:
    # The same file is the repository's CONTRIBUTING.md and the site's contributing page, so a
    # relative link would break in one of the two places.
    targets = re.findall(r"\]\(([^)]*)\)", re.sub(r"```.*?```|`[^`\n]*`", "", GUIDE, flags=re.DOTALL))
    assert all(target.startswith("https://") for target in targets), targets


def test_the_guide_follows_its_own_rules_on_markup() -> None:
    assert unsafe_markup(GUIDE) == []


def test_the_site_page_has_one_source() -> None:
    # The build serves CONTRIBUTING.md as contributing.md; a hand-written copy in docs/ would drift.
    page = ROOT / "docs" / "contributing.md"
    assert not page.exists() or page.read_text(encoding="utf-8").strip() == '--8<-- "CONTRIBUTING.md"'


def test_the_commands_in_the_guide_exist() -> None:
    from peerkb.cli import main

    for command in sorted(set(re.findall(r"peerkb (\w+)", GUIDE))):
        with pytest.raises(SystemExit) as stopped:
            main([command, "--help"])
        assert stopped.value.code == 0, command
