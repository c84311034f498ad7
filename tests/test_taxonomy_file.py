# ruff: noqa: E501  (exact messages are long)
"""Reading references/taxonomy.yml: the facets, the item schema and every mistake with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from peerkb.model import FACETS
from peerkb.taxonomy_file import read_taxonomy

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "summaries"
T = "references/taxonomy.yml"

# The ids the brief fixes; summaries and page addresses depend on them.
FIXED_IDS = {
    "roles": [
        "peer-support-specialist", "peer-navigator", "peer-educator", "peer-researcher", "consumer-consultant",
        "recovery-coach", "certified-peer-researcher", "lived-experience-practitioner",
    ],
    "themes": [
        "empowerment", "stigma-reduction", "relational-safety", "walking-alongside",
        "lived-experience-as-expertise", "recovery", "role-clarity-and-boundaries", "professionalisation",
        "working-in-clinical-teams", "sanism-and-microaggressions", "staff-wellbeing-and-resilience",
        "transitions-between-services", "co-production-and-peer-led-networks", "training-and-supervision",
        "acute-and-inpatient-care",
    ],
    "evidence_types": [
        "personal-narrative", "qualitative-study", "mixed-methods-study", "literature-review", "evaluation",
        "practice-report", "opinion", "grey-literature-report", "book",
    ],
    "settings": [
        "inpatient-ward", "community-mental-health", "residential-rehabilitation",
        "child-and-adolescent-services", "peer-led-community", "mental-health-services",
    ],
}  # fmt: skip


def test_the_project_taxonomy_loads_with_the_fixed_ids() -> None:
    taxonomy, problems = read_taxonomy(T, (ROOT / T).read_bytes())
    assert [p.format() for p in problems] == []
    # The fixed ids come first, in order; an organisation may add its own terms after them.
    for facet in FACETS:
        ids = [t.id for t in taxonomy.facet(facet)]
        assert ids[: len(FIXED_IDS[facet])] == FIXED_IDS[facet]
    assert [t.id for t in taxonomy.roles if t.featured][:4] == FIXED_IDS["roles"][:4]
    assert taxonomy.term("roles", "certified-peer-researcher").parent == "peer-researcher"
    psw = taxonomy.term("roles", "peer-support-specialist")
    assert "peer support worker" in psw.also_called and "PSW" in psw.also_called
    assert all(t.title and t.description for facet in FACETS for t in taxonomy.facet(facet))
    text = (ROOT / T).read_text(encoding="utf-8").split("\n")
    assert all(text[t.line - 1].strip() == f"- id: {t.id}" for facet in FACETS for t in taxonomy.facet(facet))


def test_a_small_valid_taxonomy_in_full() -> None:
    taxonomy, problems = read_taxonomy(T, (DATA / "taxonomy.yml").read_bytes())
    assert problems == ()
    first = taxonomy.roles[0]
    assert (first.id, first.facet, first.title, first.featured, first.line) == (
        "peer-support-specialist", "roles", "Peer support specialist", True, 3,
    )  # fmt: skip
    assert taxonomy.term("themes", "recovery").description == "Living well."
    assert [t.id for t in taxonomy.settings] == ["inpatient-ward"]


def test_every_mistake_is_reported_with_its_line() -> None:
    taxonomy, problems = read_taxonomy(T, (DATA / "taxonomy_broken.yml").read_bytes())
    circle = (
        "parents go round in a circle; a parent must be a broader item that has no parent back to this one"
    )
    assert [p.format() for p in problems] == [
        f"{T}:1: evidence_types: missing list `evidence_types:`; every facet must be present",
        f"{T}:11: roles.peer-support-specialist.details[1].text: expected text, got nothing; every section "
        "needs a heading and a text",
        f"{T}:12: roles.peer-support-specialist.details[1].txt: unknown key; expected heading or text. Did you "
        'mean "text"?',
        f"{T}:13: roles.Peer_Navigator.id: expected lower-case letters, digits and single hyphens, like "
        '`id: peer-navigator`, got "Peer_Navigator"',
        f'{T}:16: roles.Peer_Navigator.featured: expected "true" or "false", got "yes"',
        f"{T}:17: roles.peer-support-specialist: duplicate id; it is already used on line 3",
        f'{T}:23: roles.certified-peer-researcher.parent: "peer-reseacher" is not an id in `roles:`. Did you '
        'mean "certified-peer-researcher"?',
        f"{T}:24: roles[4].id: missing required key; add a line like `id: peer-navigator`",
        f'{T}:26: roles.recovery-coach.title: missing required key; add a line like `title: "Peer navigator"`',
        f"{T}:27: roles.recovery-coach.titel: unknown key; expected one of: id, title, description, also_called, "
        'featured, parent, details. Did you mean "title"?',
        f'{T}:28: roles.recovery-coach.description: expected text like `description: "A peer worker who helps '
        'people find their way around services."`, got nothing',
        f"{T}:29: roles.recovery-coach.also_called: expected a list of names like "
        '`also_called: ["peer support worker", "PSW"]`, got "coach"',
        f"{T}:34: themes.empowerment.parent: an item cannot be its own parent",
        f"{T}:38: themes.a.parent: {circle}",
        f"{T}:42: themes.b.parent: {circle}",
        f"{T}:43: evidence_type: unknown list; expected one of: roles, themes, evidence_types, settings. Did you "
        'mean "evidence_types"?',
        f"{T}:47: settings: expected a list of items like `- id: peer-navigator`",
    ]
    # Items with a usable id are kept (the first of a duplicate), so checks of summaries still run.
    assert [t.id for t in taxonomy.roles] == [
        "peer-support-specialist", "Peer_Navigator", "certified-peer-researcher", "recovery-coach",
    ]  # fmt: skip
    assert taxonomy.roles[0].details == (("What the role does", "Offers support from lived experience."),)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", f"{T}:1: expected the four lists `roles:`, `themes:`, `evidence_types:`, `settings:`, each a list "
         "of items starting `- id: ...`"),
        (b"roles: [\n", f"{T}:2: invalid YAML: expected the node content, but found '<stream end>' (column 1)"),
        (b"roles:\n  - id: caf\xe9\n", f"{T}:2: not UTF-8 (byte 0xe9 cannot be read); save the file with UTF-8 "
         "encoding"),
        (b"roles: &r []\nthemes: *r\nevidence_types: []\nsettings: []\n",
         f'{T}:1: roles: YAML anchors ("&r") are not allowed; write the value out in full'),
    ],
)  # fmt: skip
def test_unreadable_taxonomies(data: bytes, expected: str) -> None:
    taxonomy, problems = read_taxonomy(T, data)
    assert [p.format() for p in problems][:1] == [expected]
    assert taxonomy.path == T
