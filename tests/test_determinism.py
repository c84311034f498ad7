"""Deterministic builds: the same project built twice, on different days, gives byte-identical sites.

The second build claims another date through SOURCE_DATE_EPOCH (which MkDocs reads for "today") and
runs with another PYTHONHASHSEED, so anything that follows the clock (sitemap dates, the sitemap's
gzip header, a feed's updated time) or the order of a set shows up as a difference. Generated
pages are also rendered twice in-process and compared.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from peerkb.check import load_and_check
from peerkb.render import render_site
from peerkb.render.dates import page_dates


def build(site: Path, epoch: str, hash_seed: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": hash_seed}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(site)],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_on_different_days_are_byte_identical(tmp_path: Path) -> None:
    # Another day and another string-hash seed: iterating a set or dict of strings in another order
    # would show up as well as anything that reads the clock.
    build(tmp_path / "a", "1700000000", "1")  # 2023-11-14
    build(tmp_path / "b", "1800000000", "2")  # 2027-01-15
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert sorted(first) == sorted(second)
    assert len(first) > 100
    assert [name for name in first if first[name] != second[name]] == []
    sitemap = first["sitemap.xml"].decode("utf-8")
    assert "2023-11-14" not in sitemap and "2027-01-15" not in sitemap


def test_rendering_twice_gives_the_same_pages_and_files() -> None:
    library, _ = load_and_check(ROOT)
    one, two = render_site(library), render_site(library)
    assert one.pages == two.pages
    assert one.files == two.files
    assert list(one.pages) == sorted(one.pages)


def test_page_dates_come_from_the_summaries() -> None:
    library, _ = load_and_check(ROOT)
    dates, newest = page_dates(library)
    haines = next(s for s in library.summaries if s.key == "haines2025core")
    assert dates["papers/haines2025core.md"] == max(filter(None, (haines.date_added, haines.date_reviewed)))
    assert newest == max(dates.values())
