"""Smoke tests of tests/browser_support.py: the sub-path server, the request guard and axe-core."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import format_violations, is_local, run_axe, serve_directory

pytest_plugins = ("browser_support",)

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Smoke page</title><link rel="stylesheet" href="style.css"></head>
<body><main><h1>Peer work</h1><p>Served under a sub-path.</p>{extra}</main></body>
</html>
"""


def write_site(root: Path, extra: str = "") -> Path:
    """Write a one-page site with a stylesheet into `root`."""
    (root / "index.html").write_text(PAGE.format(extra=extra), encoding="utf-8")
    (root / "style.css").write_text("h1 { color: #333; }\n", encoding="utf-8")
    return root


def fetch(url: str) -> tuple[int, str, str]:
    """GET `url` without following redirects; return (status, Location header, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location", ""), error.read().decode()


def test_serve_directory_serves_only_under_the_prefix(tmp_path: Path) -> None:
    write_site(tmp_path)
    with serve_directory(tmp_path, "/peer-kb/") as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/peer-kb/")
        origin = base.removesuffix("/peer-kb/")
        status, _, body = fetch(base)
        assert status == 200 and "<h1>Peer work</h1>" in body
        assert fetch(base + "style.css")[0] == 200
        assert fetch(origin + "/")[0] == 404
        assert fetch(origin + "/index.html")[0] == 404
        assert fetch(origin + "/other/index.html")[0] == 404
        assert fetch(base + "missing.html")[0] == 404
        assert fetch(origin + "/peer-kb")[:2] == (301, "/peer-kb/")


def test_serve_directory_answers_missing_pages_with_the_sites_404_page(tmp_path: Path) -> None:
    write_site(tmp_path)
    (tmp_path / "404.html").write_text("<h1>Page not found</h1>", encoding="utf-8")
    with serve_directory(tmp_path, "/peer-kb/") as base:
        assert fetch(base + "papers/nope/") == (404, "", "<h1>Page not found</h1>")
        assert fetch(base.removesuffix("peer-kb/") + "elsewhere/")[:2] == (404, "")
        assert "Page not found" not in fetch(base.removesuffix("peer-kb/") + "elsewhere/")[2]


def test_serve_directory_rejects_a_prefix_without_slashes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="prefix must start and end with '/', got 'peer-kb'"):
        with serve_directory(tmp_path, "peer-kb"):
            pass


def test_is_local_accepts_only_the_loopback_address() -> None:
    assert is_local("http://127.0.0.1:8000/peer-kb/")
    assert is_local("data:image/png;base64,AAAA")
    assert not is_local("http://localhost:8000/")
    assert not is_local("https://fonts.googleapis.com/css?family=Roboto")


@pytest.mark.browser
def test_page_loads_under_a_sub_path_with_only_local_requests(tmp_path: Path, page, request_log) -> None:
    write_site(tmp_path)
    with serve_directory(tmp_path, "/peer-kb/") as base:
        page.goto(base)
        assert page.title() == "Smoke page"
        assert page.locator("h1").inner_text() == "Peer work"
        assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(51, 51, 51)"
    assert request_log.urls == [base, base + "style.css"]
    request_log.assert_only_local()


@pytest.mark.browser
def test_a_request_to_another_host_is_recorded_and_blocked(tmp_path: Path, page, request_log) -> None:
    # .example is reserved (RFC 2606) and the guard aborts the request before any lookup.
    write_site(tmp_path, extra='<img src="http://tracker.example/pixel.gif" alt="">')
    with serve_directory(tmp_path, "/peer-kb/") as base:
        page.goto(base)
        page.wait_for_load_state("load")
    assert request_log.foreign() == ["http://tracker.example/pixel.gif"]
    with pytest.raises(AssertionError, match=r"tracker\.example/pixel\.gif"):
        request_log.assert_only_local()


@pytest.mark.browser
def test_axe_runs_and_reports_a_missing_alt_text(tmp_path: Path, page, axe_script: str) -> None:
    write_site(tmp_path, extra='<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">')
    with serve_directory(tmp_path, "/peer-kb/") as base:
        page.goto(base)
        result = run_axe(page, axe_script, {"runOnly": ["wcag2a", "wcag2aa"]})
    assert {"violations", "passes", "incomplete", "inapplicable"} <= result.keys()
    assert [v["id"] for v in result["violations"]] == ["image-alt"], format_violations(result)
    assert "image-alt (critical)" in format_violations(result)
