"""Shared fixtures: the project's own files, copied or built for real."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Browser fixtures (browser, page, request_log, axe_script) for every test module.
pytest_plugins = ("browser_support",)

ROOT = Path(__file__).resolve().parent.parent
# What a build needs: the organisation's config, the upstream config and hook, content, library.
PROJECT_FILES = ("mkdocs.yml", "CONTRIBUTING.md", "docs", "references", "scripts")


def copy_project(target: Path) -> Path:
    """A copy of the project's buildable files under target, to change without touching ours."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target / name)
    return target


def mkdocs_build(project: Path, site: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """A real `mkdocs build --strict` of project into site."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(site), *extra],
        capture_output=True, text=True, cwd=project, check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once with --strict, for tests that read the HTML."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project to break on purpose."""
    return copy_project(tmp_path / "project")
