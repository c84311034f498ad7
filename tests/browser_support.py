"""Real-browser test support: Debian's Chromium through Playwright, a local sub-path server, axe-core.

Use it from a test module (or once from tests/conftest.py) with::

    pytest_plugins = ("browser_support",)

which provides the fixtures ``browser`` (session), ``browser_context``, ``page``, ``request_log`` and
``axe_script``. Without Chromium the browser tests are skipped with a reason, but when the
environment variable CI is set they fail instead, so CI can never skip them silently.

Test modules may also import the helpers directly (``from browser_support import serve_directory``):
the marker PYTEST_DONT_REWRITE keeps pytest from warning that the plugin was imported before it
was registered (a warning that filterwarnings=error would turn into a collection error).
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOST = "127.0.0.1"

# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which this
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

NO_CHROMIUM = "no Chromium at /usr/bin/chromium: install Debian's chromium package (CI does this in .ci/run)"
NO_AXE = (
    "no axe-core at tests/browser/node_modules/axe-core: run `npm ci` in tests/browser"
    " (CI does this in .ci/run)"
)


def chromium_path() -> str | None:
    """Return the path of Debian's Chromium if it is installed and executable, else None."""
    return str(CHROMIUM) if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK) else None


def axe_source() -> str | None:
    """Return the text of the pinned axe.min.js, or None when `npm ci` has not been run."""
    return AXE_JS.read_text(encoding="utf-8") if AXE_JS.is_file() else None


def in_ci() -> bool:
    """Tell whether we run under CI (the CI variable set to anything but empty, 0 or false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def missing(reason: str) -> None:
    """Skip the test with a visible reason, or fail it under CI where a skip would hide a gap."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a directory under a URL prefix only, like GitHub Pages serves org.github.io/repo/."""

    prefix = "/"

    def send_head(self):  # type: ignore[no-untyped-def]  # signature of the base class
        path = unquote(urlsplit(self.path).path)
        if self.prefix != "/" and path == self.prefix.rstrip("/"):
            # /repo -> /repo/ as GitHub Pages does, so relative links resolve the same way.
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not path.startswith(self.prefix):
            # Outside the prefix a plain 404: on GitHub Pages that part belongs to another site.
            super().send_error(404, "outside the served prefix")
            return None
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the site's own 404.html, as GitHub Pages does."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        """Map /prefix/rest to <root>/rest."""
        split = urlsplit(path)
        rest = split.path[len(self.prefix) - 1 :] if split.path.startswith(self.prefix) else "/"
        return super().translate_path(rest)

    def log_message(self, format: str, *args: Any) -> None:  # `format` shadows a builtin: base-class name
        """Keep test output quiet: failures show up in the page, not in a request log."""


@contextmanager
def serve_directory(root: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (free port) under URL path `prefix`; yield the base URL ending in /.

    Give a built MkDocs site the path of its site_url as `prefix` (e.g. "/peer-kb/"), so absolute
    links and the 404 page resolve as they will on GitHub Pages.
    """
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"prefix must start and end with '/', got {prefix!r}; for example '/peer-kb/'")
    handler = type("Handler", (_PrefixHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def is_local(url: str) -> bool:
    """Tell whether a request URL stays on this machine (127.0.0.1, or no network at all)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parts.hostname == LOCAL_HOST


@dataclass
class RequestLog:
    """Every URL a page or context requested, in order; foreign ones were blocked, not sent."""

    urls: list[str] = field(default_factory=list)
    """Each requested URL, local or not."""

    def foreign(self) -> list[str]:
        """Return the requested URLs whose host is not 127.0.0.1."""
        return [url for url in self.urls if not is_local(url)]

    def assert_only_local(self) -> None:
        """Fail with the list of third-party requests if there was any."""
        foreign = self.foreign()
        assert not foreign, "page requested hosts other than 127.0.0.1:\n" + "\n".join(foreign)


def guard_requests(target: Any) -> RequestLog:
    """Record every request of a Playwright Page or BrowserContext; abort those leaving 127.0.0.1."""
    log = RequestLog()

    def route(route: Any) -> None:
        # Record here, not in on("request"): a blocked request then still shows up, and the page
        # never reaches the network (this workplace watches for traffic off the machine).
        url = route.request.url
        log.urls.append(url)
        if is_local(url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    target.route("**/*", route)
    return log


def run_axe(page: Any, source: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Inject axe-core into the page and return axe.run's result object (violations, passes, ...)."""
    page.add_script_tag(content=source)
    return page.evaluate("(options) => axe.run(document, options)", options or {})


def format_violations(result: dict[str, Any]) -> str:
    """Render axe violations one per line (rule id, impact, selectors, help) for assertion messages."""
    lines = []
    for violation in result.get("violations", []):
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Start Debian's Chromium under Playwright (fresh temporary profile); skip or fail if absent."""
    executable = chromium_path()
    if executable is None:
        missing(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright  # imported late: only browser tests need it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole test session."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def browser_context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies, no storage) per test, with requests guarded."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def request_log(browser_context: Any) -> RequestLog:
    """The requests of `browser_context` (and so of `page`); foreign ones are aborted."""
    return guard_requests(browser_context)


@pytest.fixture
def page(browser_context: Any, request_log: RequestLog) -> Any:
    """A new page in a guarded context; call request_log.assert_only_local() after loading."""
    return browser_context.new_page()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """The pinned axe-core source; skip (or fail under CI) when it is not installed."""
    source = axe_source()
    if source is None:
        missing(NO_AXE)
    assert source is not None
    return source
