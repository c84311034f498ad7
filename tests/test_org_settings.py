"""An organisation's copy: one settings file, documented in full, and a taxonomy of its own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, mkdocs_build
from peerkb.org_settings import (
    OPTIONS,
    ORGANISATION_OPTIONS,
    check_plain_text,
    cname_text,
    is_hostname,
    read_org_settings,
)
from peerkb.problems import Severity

GUIDE = ROOT / "docs" / "host-your-own.md"
SITE_URL = "https://our-trust.github.io/peer-kb/"


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does, keeping `!ENV [NAME, default]` as its default."""


ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def config_options(data: dict, prefix: str = "") -> dict[str, object]:
    """Every option of mkdocs.yml by dotted name (theme.logo); lists are single options."""
    options: dict[str, object] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            options.update(config_options(value, name + "."))
        else:
            options[name] = value
    return options


def documented_options() -> dict[str, tuple[str, str]]:
    """The guide's options table: `name` -> (default cell, description cell)."""
    rows = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\| `([^`]+)` \| (.+?) \| (.+) \|", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def our_config() -> dict[str, object]:
    return config_options(yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), ConfigLoader))


# ---- Every option is documented, with its real default -------------------------------------


def test_every_option_in_mkdocs_yml_is_documented_with_its_default() -> None:
    documented = documented_options()
    options = our_config()
    assert "extra.peerkb.custom_domain" in options and "theme.palette" in options
    for name, value in options.items():
        assert name in documented, f"mkdocs.yml option {name} is not in docs/host-your-own.md's table"
        default = documented[name][0]
        if isinstance(value, str) and len(value) < 60:
            expected = f"`{value}`" if value else '`""` (none)'
            assert expected in default, f"{name}: the guide says {default}, mkdocs.yml has {value!r}"


def test_the_guide_documents_no_option_that_does_not_exist() -> None:
    assert set(documented_options()) == set(our_config())


def test_every_option_the_code_reads_is_in_mkdocs_yml() -> None:
    options = our_config()
    for name in OPTIONS:
        assert any(option.startswith(f"extra.peerkb.{name}") for option in options), name
    for name in ORGANISATION_OPTIONS:
        assert f"extra.peerkb.organisation.{name}" in options


# ---- Reading and checking extra.peerkb -------------------------------------------------------


def messages(extra: object, site_url: str = SITE_URL) -> list[tuple[str, str, str]]:
    _, problems = read_org_settings(extra, site_url)
    return [(p.severity.value, p.field, p.message) for p in problems]


def test_defaults_and_a_full_set_of_options() -> None:
    settings, problems = read_org_settings(None, SITE_URL)
    assert (settings.edit_branch, settings.organisation.name, settings.custom_domain) == ("main", "", "")
    settings, problems = read_org_settings(
        {
            "edit_branch": "trunk",
            "organisation": {"name": " Our Trust ", "url": "https://our-trust.example"},
            "custom_domain": "KB.Example.org",
        },
        "https://kb.example.org/",
    )
    assert problems == []
    assert settings.edit_branch == "trunk"
    assert (settings.organisation.name, settings.organisation.url) == (
        "Our Trust",
        "https://our-trust.example",
    )
    assert settings.custom_domain == "kb.example.org"


def test_a_misspelt_option_is_an_error_with_a_suggestion() -> None:
    assert messages({"custom_domian": "kb.example.org", "organisation": {"nmae": "X"}}) == [
        (
            "error",
            "extra.peerkb.custom_domian",
            "unknown option 'custom_domian'; expected one of custom_domain, edit_branch, organisation."
            ' Did you mean "custom_domain"?',
        ),
        (
            "error",
            "extra.peerkb.organisation.nmae",
            "unknown option 'nmae'; expected one of name, url. Did you mean \"name\"?",
        ),
    ]


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        (
            "https://kb.example.org/",
            "expected a host name alone (no https://, port or path) such as 'kb.example.org', "
            "got 'https://kb.example.org/'",
        ),
        (
            "kb.example.org/peer",
            "expected a host name alone (no https://, port or path) such as 'kb.example.org', "
            "got 'kb.example.org/peer'",
        ),
        (
            "localhost",
            "expected a host name alone (no https://, port or path), for example 'kb.example.org', "
            "got 'localhost'",
        ),
        (
            "kb_example.org",
            "expected a host name alone (no https://, port or path), for example 'kb.example.org', "
            "got 'kb_example.org'",
        ),
    ],
)
def test_a_custom_domain_must_be_a_host_name(domain: str, message: str) -> None:
    assert messages({"custom_domain": domain}) == [("error", "extra.peerkb.custom_domain", message)]


def test_a_custom_domain_that_site_url_does_not_match_is_a_warning() -> None:
    assert messages({"custom_domain": "kb.example.org"}) == [
        (
            "warning",
            "extra.peerkb.custom_domain",
            "the custom domain is 'kb.example.org' but site_url is 'https://our-trust.github.io/peer-kb/'; "
            "expected site_url https://kb.example.org/ so that links, search and the 404 page work there",
        )
    ]


def test_organisation_link_and_branch_mistakes() -> None:
    assert messages({"organisation": {"url": "javascript:alert(1)"}, "edit_branch": "my branch"}) == [
        ("error", "extra.peerkb.edit_branch", "expected a branch name such as 'main', got 'my branch'"),
        (
            "error",
            "extra.peerkb.organisation.url",
            "expected a web address starting with https://, got 'javascript:alert(1)'",
        ),
        ("error", "extra.peerkb.organisation.name", "expected a name to show with the url, got none"),
    ]
    assert messages({"organisation": "Our Trust"}) == [
        (
            "error",
            "extra.peerkb.organisation",
            "expected name and url, for example {name: 'Our Trust', url: 'https://example.org'}, "
            "got 'Our Trust'",
        )
    ]
    assert messages(["custom_domain"]) == [
        ("error", "extra.peerkb", "expected a mapping of options, got ['custom_domain']")
    ]
    assert messages({"organisation": {"name": ["a"]}}) == [
        ("error", "extra.peerkb.organisation.name", "expected text, got ['a']")
    ]


def test_names_material_prints_unescaped_must_be_plain_text() -> None:
    problems = check_plain_text(
        {"site_name": "Our <b>Trust</b>", "repo_name": "a/b", "site_description": 'a "b"'}
    )
    assert [p.format() for p in problems] == [
        "mkdocs.yml: site_description: expected plain text without '<', '>', '\"', got 'a \"b\"'",
        "mkdocs.yml: site_name: expected plain text without '<', '>', '\"', got 'Our <b>Trust</b>'",
    ]
    assert check_plain_text({"site_name": "Our Trust & Partners"}) == []


def test_markup_in_the_site_name_stops_the_build(project: Path, tmp_path: Path) -> None:
    set_options(project, {"site_name: Peer Work Knowledge Base": "site_name: Our <i>Trust</i>"})
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "ERROR   -  mkdocs.yml: site_name: expected plain text without '<', '>', '\"', got 'Our <i>Trust</i>'"
        in result.stderr
    )


def test_host_names_and_the_cname_file() -> None:
    for good in ("kb.example.org", "peer-kb.nhs.uk", "a.b", "x" * 63 + ".org"):
        assert is_hostname(good), good
    for bad in (
        "",
        "example",
        "-kb.example.org",
        "kb-.example.org",
        "kb..example.org",
        "kb.example.org.",
        "x" * 64 + ".org",
        "kb.example.org:443",
        "kb example.org",
        "ké.example.org",
    ):
        assert not is_hostname(bad), bad
    assert cname_text("kb.example.org") == "kb.example.org\n"
    assert Severity.WARNING.value == "warning"


# ---- Changing only mkdocs.yml gives a differently named, coloured and located site ------------


def set_options(project: Path, replacements: dict[str, str]) -> None:
    """Edit the copied project's mkdocs.yml, the one file an organisation changes."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) >= 1, old
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")


def build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SITE_URL", raising=False)
        return mkdocs_build(project, site)


def test_an_organisation_changes_only_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    set_options(
        project,
        {
            "site_name: Peer Work Knowledge Base": "site_name: Our Trust & Partners Library",
            '"https://peer-work-kb.github.io/peer-work-kb/"': '"https://kb.our-trust.example/"',
            "repo_url: https://github.com/peer-work-kb/peer-work-kb": "repo_url: https://github.com/our-trust/peer-kb",
            "repo_name: peer-work-kb/peer-work-kb": "repo_name: our-trust/peer-kb",
            "primary: teal": "primary: indigo",
            'name: ""': 'name: "Our Trust & Partners <NHS>"',
            'url: ""': 'url: "https://our-trust.example/?a=1&b=2"',
            'custom_domain: ""': "custom_domain: kb.our-trust.example",
            "edit_branch: main": "edit_branch: trunk",
        },
    )
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Home - Our Trust & Partners Library</title>" in home
    assert 'data-md-color-primary="indigo"' in home and 'data-md-color-primary="teal"' not in home
    publisher = '<a href="https://our-trust.example/?a=1&amp;b=2">Our Trust &amp; Partners &lt;NHS&gt;</a>'
    assert re.search(r"Published by\s+" + re.escape(publisher), home)
    assert '<link rel="canonical" href="https://kb.our-trust.example/">' in home
    assert 'href="https://github.com/our-trust/peer-kb"' in home
    assert '<link rel="icon" href="assets/brand/favicon.svg">' in home
    assert '<img src="assets/brand/logo.svg" alt="logo">' in home
    paper = (site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    assert "https://github.com/our-trust/peer-kb/edit/trunk/references/summaries/haines2025core.md" in paper
    assert "peer-work-kb" not in paper
    assert (site / "CNAME").read_text(encoding="utf-8") == "kb.our-trust.example\n"
    assert "https://kb.our-trust.example/papers/haines2025core/" in (site / "sitemap.xml").read_text()
    assert (site / "assets" / "brand" / "logo.svg").is_file()


def test_without_a_custom_domain_there_is_no_cname_and_no_publisher_line(built_site: Path) -> None:
    assert not (built_site / "CNAME").exists()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Published by" not in home
    assert 'href="privacy/">Privacy</a>' in home


def test_a_bad_custom_domain_stops_the_build_with_a_clear_message(project: Path, tmp_path: Path) -> None:
    set_options(project, {'custom_domain: ""': "custom_domain: https://kb.example.org"})
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "mkdocs.yml: extra.peerkb.custom_domain: expected a host name alone (no https://, port or path) "
        "such as 'kb.example.org', got 'https://kb.example.org'" in result.stderr
    )
    assert "Aborted with 1 error(s) in mkdocs.yml: fix them." in result.stdout + result.stderr


def test_a_custom_domain_site_url_does_not_match_stops_a_strict_build(project: Path, tmp_path: Path) -> None:
    set_options(project, {'custom_domain: ""': "custom_domain: kb.example.org"})
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert (
        "WARNING -  mkdocs.yml: warning: extra.peerkb.custom_domain: the custom domain is 'kb.example.org'"
        in result.stderr
    )


# ---- A taxonomy of their own -----------------------------------------------------------------

NEW_ROLE = """  - id: family-peer-worker
    title: "Family peer worker"
    description: "Someone who supports families and carers using their own experience as a family member."
"""
NEW_THEME = """  - id: housing-and-homelessness
    title: "Housing and homelessness"
    description: "How peer workers help people find and keep a home."
"""


def add_own_terms(project: Path) -> None:
    """Add a role and a theme to the taxonomy and use both in one summary, as an organisation would."""
    taxonomy = project / "references" / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    text = text.replace("\nthemes:\n", "\n" + NEW_ROLE + "\nthemes:\n", 1)
    text = text.replace("\nevidence_types:\n", "\n" + NEW_THEME + "\nevidence_types:\n", 1)
    taxonomy.write_text(text, encoding="utf-8")
    summary = project / "references" / "summaries" / "haines2025core.md"
    text = summary.read_text(encoding="utf-8")
    text = text.replace(
        'roles: ["peer-support-specialist"]', 'roles: ["peer-support-specialist", "family-peer-worker"]'
    )
    text = text.replace('themes: ["empowerment",', 'themes: ["housing-and-homelessness", "empowerment",')
    summary.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def own_terms_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with a role and a theme of the organisation's own, built."""
    project = copy_project(tmp_path_factory.mktemp("own-terms") / "project")
    add_own_terms(project)
    site = project.parent / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize(
    ("facet", "term_id", "title"),
    [
        ("roles", "family-peer-worker", "Family peer worker"),
        ("themes", "housing-and-homelessness", "Housing and homelessness"),
    ],
)
def test_an_added_role_and_theme_appear_everywhere_a_role_or_theme_does(
    own_terms_site: Path, facet: str, term_id: str, title: str
) -> None:
    site = own_terms_site
    page = (site / facet / term_id / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<h1 id="{term_id}">{title}', page), f"{facet}/{term_id} has no page headed {title}"
    assert 'href="../../papers/haines2025core/"' in page, f"{facet}/{term_id} does not list its paper"
    # Not featured: the sidebar leaves it to the index page (and the --strict build accepts that).
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{facet}/{term_id}/"' not in home, f"{facet}/{term_id} is in the sidebar"
    index = (site / facet / "index.html").read_text(encoding="utf-8")
    assert f'href="{term_id}/"' in index, f"the {facet} index does not list {term_id}"
    paper = (site / "papers" / "haines2025core" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{facet}/{term_id}/"' in paper
    papers = (site / "papers" / "index.html").read_text(encoding="utf-8")
    param = {"roles": "role", "themes": "theme"}[facet]
    assert f'<input type="checkbox" name="{param}" value="{term_id}">' in papers, "no filter on All papers"


def test_an_added_role_and_theme_get_a_column_and_a_row_in_the_evidence_map(own_terms_site: Path) -> None:
    evidence_map = own_terms_site / "evidence-map" / "index.html"
    if not evidence_map.is_file():
        pytest.skip("this build has no evidence map page (evidence-map/index.html)")
    text = evidence_map.read_text(encoding="utf-8")
    assert '<th scope="col"><a href="../roles/family-peer-worker/">Family peer worker</a></th>' in text
    assert (
        '<th scope="row"><a href="../themes/housing-and-homelessness/">Housing and homelessness</a></th>'
        in text
    )


def summaries_using(project: Path, facet: str, term_id: str) -> list[str]:
    """The summaries whose front matter lists term_id under facet."""
    found = []
    for path in sorted((project / "references" / "summaries").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        if term_id in (front.get(facet) or []):
            found.append(f"references/summaries/{path.name}")
    return found


def test_removing_a_role_papers_use_is_a_check_error_naming_each_of_them(project: Path) -> None:
    users = summaries_using(project, "roles", "peer-support-specialist")
    assert len(users) >= 3
    taxonomy = project / "references" / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    start = text.index("  - id: peer-support-specialist\n")
    end = text.index("  - id: ", start + 1)
    taxonomy.write_text(text[:start] + text[end:], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "peerkb.cli", "--root", str(project), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    errors = [
        line for line in result.stdout.splitlines() if '"peer-support-specialist" is not a role id' in line
    ]
    assert sorted(line.split(":", 1)[0] for line in errors) == users
    for line in errors:
        assert re.fullmatch(
            r'references/summaries/[a-z0-9]+\.md:3: roles: "peer-support-specialist" is not a role id in '
            r"references/taxonomy\.yml; use an id from its `roles:` list, or propose a new role there "
            r"\(see CONTRIBUTING\.md\)\..*",
            line,
        ), line


def test_the_readme_summarises_the_guide_and_links_to_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Host your own copy\n", 1)[1].split("\n## ", 1)[0]
    assert "[docs/host-your-own.md](docs/host-your-own.md)" in section
    assert "Source: GitHub Actions" in section and "https://ORG.github.io/REPO/" in section
    assert "(#host-your-own-copy)" in readme.split("\n## ", 1)[0]
    assert (GUIDE.parent / "host-your-own.md").is_file()


def contrast_with_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of an #rrggbb colour against white."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_guides_colour_advice_matches_materials_palette(built_site: Path) -> None:
    # The guide names the primary colours that keep white header text and links on white at AA.
    css = next((built_site / "assets" / "stylesheets").glob("palette.*.min.css")).read_text(encoding="utf-8")
    primary = dict(
        re.findall(r"\[data-md-color-primary=([\w-]+)\]\{--md-primary-fg-color:(#[0-9a-f]{6})", css)
    )
    guide = " ".join(GUIDE.read_text(encoding="utf-8").split())
    good = ("purple", "deep-purple", "indigo", "brown", "grey", "blue-grey")
    poor = ("lime", "yellow", "amber", "orange", "light-blue", "cyan")
    assert "**purple, deep purple, indigo, brown, grey and blue grey**" in guide
    assert "**lime, yellow, amber, orange, light blue and cyan**" in guide
    for name in good:
        assert contrast_with_white(primary[name]) >= 4.5, name
    for name in poor:
        assert contrast_with_white(primary[name]) < 4.5, name
    assert round(contrast_with_white(primary["indigo"]), 1) == 6.9
