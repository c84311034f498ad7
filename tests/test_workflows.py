"""The GitHub workflows, .ci/run and the GitHub templates: least privilege and the README's commands."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI_RUN = ROOT / ".ci" / "run"
NO_README = "README.md does not exist yet (the lead writes it); its commands are checked once it does"
# Only GitHub's own actions, at a major version tag: a third-party action would run with our token.
USES = re.compile(r"^actions/[a-z-]+@v\d+$")


def load_workflow(name: str) -> dict[str, Any]:
    """Parse a workflow with PyYAML, undoing YAML 1.1 reading the key `on` as True."""
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def workflow_names() -> list[str]:
    """Every workflow file in .github/workflows."""
    return sorted(path.name for path in WORKFLOWS.glob("*.y*ml"))


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job in a workflow."""
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def using(steps_: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    """The steps that use `action` (for example actions/checkout), at any version."""
    return [step for step in steps_ if step.get("uses", "").startswith(action + "@")]


def run_lines(workflow: dict[str, Any]) -> list[str]:
    """Every command line the workflow's `run:` steps execute, stripped."""
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines()]


def readme_code() -> list[str]:
    """Every code line of README.md (inline code spans and fenced blocks), without a `$ ` prompt."""
    readme = ROOT / "README.md"
    if not readme.is_file():
        pytest.skip(NO_README)
    text = readme.read_text(encoding="utf-8")
    lines = re.findall(r"`([^`\n]+)`", text)
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        lines.extend(block.splitlines())
    return [line.strip().removeprefix("$ ").strip() for line in lines]


def readme_command(*needles: str) -> str:
    """The one README code line containing all `needles` (for example the build command)."""
    found = sorted({line for line in readme_code() if all(needle in line for needle in needles)})
    assert len(found) == 1, f"expected one README command containing {needles}, got {found}"
    return found[0]


def test_there_are_exactly_the_ci_and_deploy_workflows() -> None:
    assert workflow_names() == ["ci.yml", "deploy.yml"]


@pytest.mark.parametrize("name", workflow_names())
def test_workflow_is_valid_yaml_with_triggers_and_jobs(name: str) -> None:
    workflow = load_workflow(name)
    assert isinstance(workflow["name"], str) and workflow["name"]
    assert isinstance(workflow["on"], dict) and workflow["on"]
    assert isinstance(workflow["jobs"], dict) and workflow["jobs"]
    for job_id, job in workflow["jobs"].items():
        assert job["runs-on"] == "ubuntu-latest", job_id
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: job {job_id} needs timeout-minutes"


@pytest.mark.parametrize("name", workflow_names())
def test_no_pull_request_target_anywhere(name: str) -> None:
    # pull_request_target runs a stranger's pull request with our secrets and a write token.
    assert "pull_request_target" not in load_workflow(name)["on"]
    assert "pull_request_target" not in (WORKFLOWS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", workflow_names())
def test_top_level_token_is_read_only(name: str) -> None:
    assert load_workflow(name)["permissions"] == {"contents": "read"}


def test_only_the_deploy_job_may_write() -> None:
    writers = {
        (name, job_id): permissions
        for name in workflow_names()
        for job_id, job in load_workflow(name)["jobs"].items()
        for permissions in [job.get("permissions", {})]
        if "write" in permissions.values() or permissions in ("write-all", "read-all")
    }
    assert writers == {("deploy.yml", "deploy"): {"pages": "write", "id-token": "write"}}


@pytest.mark.parametrize("name", workflow_names())
def test_every_checkout_keeps_no_credentials(name: str) -> None:
    checkouts = using(steps(load_workflow(name)), "actions/checkout")
    assert checkouts, f"{name} checks nothing out"
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


@pytest.mark.parametrize("name", workflow_names())
def test_actions_are_githubs_own_at_a_major_version(name: str) -> None:
    uses = [step["uses"] for step in steps(load_workflow(name)) if "uses" in step]
    assert uses and [use for use in uses if not USES.match(use)] == []


@pytest.mark.parametrize("name", workflow_names())
def test_python_is_set_up_as_311(name: str) -> None:
    setups = using(steps(load_workflow(name)), "actions/setup-python")
    assert [step["with"]["python-version"] for step in setups] == ["3.11"]


def test_ci_runs_on_pull_requests_and_pushes_to_main() -> None:
    triggers = load_workflow("ci.yml")["on"]
    assert set(triggers) == {"pull_request", "push", "workflow_dispatch"}
    assert triggers["push"] == {"branches": ["main"]}


def test_deploy_builds_then_deploys_to_pages_one_at_a_time() -> None:
    workflow = load_workflow("deploy.yml")
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    build_uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert build_uses.index("actions/configure-pages") < build_uses.index("actions/upload-pages-artifact")
    uploads = using(build["steps"], "actions/upload-pages-artifact")
    assert [step["with"] for step in uploads] == [{"path": "site"}]
    assert deploy["needs"] == "build"
    page_url = "${{ steps.deployment.outputs.page_url }}"
    assert deploy["environment"] == {"name": "github-pages", "url": page_url}
    assert [(step["id"], step["uses"].split("@")[0]) for step in deploy["steps"]] == [
        ("deployment", "actions/deploy-pages")
    ]


def test_ci_runs_the_readme_build_check_and_test_commands() -> None:
    lines = run_lines(load_workflow("ci.yml"))
    assert readme_command("python3 -m venv", "mkdocs build --strict") in lines
    assert any("peerkb check" in line for line in readme_code()), "README should name `peerkb check`"
    assert ".venv/bin/peerkb check" in lines
    # .ci/run runs the README's test command (checked below), so CI runs it too.
    assert "bash .ci/run" in lines


def test_deploy_builds_with_the_readme_build_command() -> None:
    build_command = readme_command("python3 -m venv", "mkdocs build --strict")
    assert run_lines(load_workflow("deploy.yml")) == [build_command]


def test_ci_run_contains_the_readme_test_command_on_its_own_line() -> None:
    command = readme_command("python3 -m venv", "-m pytest")
    lines = CI_RUN.read_text(encoding="utf-8").splitlines()
    assert command in lines


def test_ci_run_is_strict_bash_that_parses() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    result = subprocess.run(["bash", "-n", str(CI_RUN)], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (0, "")


def test_ci_run_installs_chromium_and_the_locked_axe_core() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    assert "apt-get install -y -qq --no-install-recommends" in text and "chromium fonts-liberation" in text
    assert "npm ci" in text


def test_axe_core_is_pinned_exactly_and_locked() -> None:
    package = json.loads((ROOT / "tests/browser/package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "tests/browser/package-lock.json").read_text(encoding="utf-8"))
    pinned = package["dependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"expected an exact version, got {pinned!r}"
    assert lock["packages"]["node_modules/axe-core"]["version"] == pinned


def test_issue_form_offers_exactly_the_taxonomy_roles_and_themes() -> None:
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/suggest-a-paper.yml").read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load((ROOT / "references/taxonomy.yml").read_text(encoding="utf-8"))
    fields = {item.get("id"): item for item in form["body"]}
    assert fields["citation"]["validations"]["required"] is True
    assert fields["why"]["validations"]["required"] is True
    for facet in ("roles", "themes"):
        options = fields[facet]["attributes"]["options"]
        offered = [re.fullmatch(r".+ \(([a-z-]+)\)", option).group(1) for option in options]
        assert offered == [item["id"] for item in taxonomy[facet]], facet


def test_issue_template_config_is_valid() -> None:
    config = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/config.yml").read_text(encoding="utf-8"))
    assert config == {"blank_issues_enabled": True}


def test_pull_request_template_has_the_reviewers_checklist() -> None:
    text = (ROOT / ".github/PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for needle in (
        "real export",
        "DOI (or URL) resolves",
        "own words, and faithful",
        "Key messages (2-4 points); What was studied and how; What was found;",
        "What it means for nurses working alongside peer workers; Limitations.",
        "`unverified`",
        "`references/taxonomy.yml`",
        "`.venv/bin/peerkb check` passes",
        "preview",
    ):
        assert needle in text, needle
    assert text.count("- [ ]") == 10
