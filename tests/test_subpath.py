"""The built site works where organisations publish it: under a sub-path, at the root, on a domain.

Each test builds the real project with a given site_url, serves the output over HTTP the way
GitHub Pages does, and requests every internal link, asset, download and feed link once.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit, urlunsplit

import pytest
from browser_support import serve_directory
from conftest import ROOT, mkdocs_build

SUB_PATH = "/some-org-kb/"
# MkDocs uses only the path of site_url for links; the host stands for "this server", whose port
# is not known until it starts. Absolute URLs naming this host are checked against the server.
SUB_PATH_URL = f"http://127.0.0.1{SUB_PATH}"
ROOT_URL = "http://127.0.0.1/"
CUSTOM_DOMAIN = "kb.example.org"
# Off-site link schemes that need no request; `javascript:` is never acceptable.
NOT_FETCHED = ("mailto:", "tel:", "data:")


def build(project: Path, site: Path, site_url: str) -> Path:
    """Build project into site with SITE_URL set, as the deploy workflow does; fail on any problem."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", site_url)
        result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built for https://ORG.github.io/REPO/-style publishing."""
    return build(ROOT, tmp_path_factory.mktemp("subpath"), SUB_PATH_URL)


class PageLinks(HTMLParser):
    """Every URL an HTML page refers to, the ids it defines and Material's JSON config."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.config = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for name in ("href", "src", "data", "poster", "action"):
            if a.get(name) and not (tag == "object" and name != "data"):
                self.urls.append(a[name])
        if a.get("srcset"):
            self.urls.extend(part.split()[0] for part in a["srcset"].split(",") if part.strip())
        self._in_config = tag == "script" and a.get("id") == "__config"

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_config = False


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


def fetch(url: str) -> Response:
    """GET url without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as response:
            return Response(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Response(error.code, error.headers.get_content_type(), error.read())


@dataclass
class Crawl:
    """Requests every URL the site's pages, stylesheets and feeds refer to, each once."""

    base: str
    """Where the server serves the site, e.g. http://127.0.0.1:PORT/some-org-kb/."""
    site_url: str
    """The site_url the site was built with; absolute links to it are links into the site."""
    responses: dict[str, Response] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)

    def local(self, url: str) -> str | None:
        """The URL to request for a link into the site; None for a link to another site."""
        parts = urlsplit(url)
        served, built = urlsplit(self.base), urlsplit(self.site_url)
        if parts.netloc in (served.netloc, built.netloc) and parts.scheme in ("http", "https", ""):
            return urlunsplit((served.scheme, served.netloc, parts.path, parts.query, parts.fragment))
        return None

    def get(self, url: str) -> Response:
        url = urldefrag(url).url
        if url not in self.responses:
            self.responses[url] = fetch(url)
            response = self.responses[url]
            if response.content_type == "text/html":
                parser = PageLinks()
                parser.feed(response.body.decode("utf-8"))
                self.ids[url] = parser.ids
        return self.responses[url]

    def check(self, source: str, link: str) -> None:
        """Record link (found on source) as broken unless it answers 200 and its anchor exists."""
        if link.lower().startswith("javascript:"):
            self.broken.append(f"{source}: javascript: link {link}")
            return
        if link.startswith("//"):
            # A protocol-relative link names a host: "//feed.xml" is the host feed.xml, not a file.
            self.broken.append(f"{source}: protocol-relative link {link}")
            return
        if link.lower().startswith(NOT_FETCHED) or link == "#":
            return
        target = self.local(urljoin(source, link))
        if target is None:
            self.external.add(urljoin(source, link))
            return
        response = self.get(target)
        if response.status != 200:
            self.broken.append(f"{source}: {link} -> {target} answers {response.status}")
            return
        anchor = unquote(urldefrag(target).fragment)
        page_ids = self.ids.get(urldefrag(target).url)
        if anchor and page_ids is not None and anchor not in page_ids:
            self.broken.append(f"{source}: {link} -> no element with id {anchor!r} there")

    def page(self, url: str, expected_status: int = 200) -> None:
        """Check an HTML page answers expected_status and that everything it refers to resolves."""
        response = self.get(url)
        assert response.status == expected_status, f"{url} answers {response.status}"
        parser = PageLinks()
        parser.feed(response.body.decode("utf-8"))
        for link in parser.urls:
            self.check(url, link)
        if parser.config:
            # Material's JavaScript loads the search worker and index from these at run time.
            config = json.loads(parser.config)
            self.check(url, config["search"])
            self.check(url, config["base"].rstrip("/") + "/search/search_index.json")

    def stylesheet(self, url: str) -> None:
        """Check every url(...) and @import of a stylesheet (fonts, images) resolves."""
        text = self.get(url).body.decode("utf-8")
        for match in re.finditer(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", text):
            self.check(url, match.group(1) or match.group(2))

    def xml(self, url: str) -> None:
        """Check every absolute link into the site from a sitemap or feed."""
        text = self.get(url).body.decode("utf-8")
        for link in re.findall(r"""https?://[^\s"'<>]+""", text):
            if link.startswith(self.site_url):
                self.check(url, link.replace("&amp;", "&"))


def page_url(base: str, site: Path, path: Path) -> str:
    """The address GitHub Pages serves an HTML file of the built site at."""
    relative = path.relative_to(site).as_posix()
    return base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def crawl_site(site: Path, site_url: str, prefix: str) -> Crawl:
    """Serve the built site under prefix and check every page, stylesheet, feed and the 404 page."""
    with serve_directory(site, prefix) as base:
        crawl = Crawl(base=base, site_url=site_url)
        for path in sorted(site.rglob("*.html")):
            crawl.page(page_url(base, site, path))
        # A missing address deep under the site gets the 404 page, whose links must still work.
        crawl.page(base + "papers/no-such-paper/or/deeper/", expected_status=404)
        for url in sorted(crawl.responses):
            if crawl.responses[url].content_type == "text/css":
                crawl.stylesheet(url)
        for path in sorted(site.glob("*.xml")):
            crawl.xml(page_url(base, site, path))
    return crawl


def assert_complete(crawl: Crawl, site: Path) -> None:
    """No link is broken, and the crawl saw every kind of file the site refers to."""
    assert not crawl.broken, f"{len(crawl.broken)} broken link(s):\n" + "\n".join(crawl.broken[:50])
    fetched = {urlsplit(url).path for url in crawl.responses}
    assert len(fetched) > len(list(site.rglob("*.html"))), "the crawl missed pages"
    kinds = {Path(path).suffix for path in fetched}
    assert {".css", ".js", ".svg", ".json"} <= kinds, kinds
    assert any(path.endswith("/search/search_index.json") for path in fetched)
    if (site / "feed.xml").is_file():
        assert any(path.endswith("/feed.xml") for path in fetched), "no page links the feed"
    for download in sorted((site / "downloads").rglob("*.*")) if (site / "downloads").is_dir() else []:
        # Every file offered for download is linked from some page, under the served prefix.
        name = download.relative_to(site).as_posix()
        assert any(path.endswith("/" + name) for path in fetched), f"no page links {name}"


def test_every_link_and_asset_resolves_under_a_sub_path(sub_path_site: Path) -> None:
    crawl = crawl_site(sub_path_site, SUB_PATH_URL, SUB_PATH)
    assert_complete(crawl, sub_path_site)
    # Nothing links to the upstream address: an organisation's copy links only to itself.
    assert not [url for url in crawl.external if urlsplit(url).hostname == "peer-work-kb.github.io"]


def test_the_404_page_links_back_in_from_any_depth(sub_path_site: Path) -> None:
    with serve_directory(sub_path_site, SUB_PATH) as base:
        missing = base + "themes/not-a-theme/deeper/still/"
        response = fetch(missing)
        assert response.status == 404
        parser = PageLinks()
        parser.feed(response.body.decode("utf-8"))
        targets = {urljoin(missing, link) for link in parser.urls}
        for path in (
            "",
            "roles/",
            "themes/",
            "papers/",
            "roles/peer-support-specialist/",
            "roles/peer-navigator/",
            "roles/peer-educator/",
            "roles/peer-researcher/",
        ):
            assert base + path in targets, f"404 page has no link to {base + path}"
            assert fetch(base + path).status == 200
    assert "Page not found" in response.body.decode("utf-8")


def test_every_link_resolves_at_the_root(tmp_path: Path) -> None:
    site = build(ROOT, tmp_path / "site", ROOT_URL)
    assert_complete(crawl_site(site, ROOT_URL, "/"), site)


def test_every_link_resolves_on_a_custom_domain(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('custom_domain: ""', f"custom_domain: {CUSTOM_DOMAIN}", 1)
    config.write_text(text, encoding="utf-8")
    site_url = f"https://{CUSTOM_DOMAIN}/"
    site = build(project, tmp_path / "site", site_url)
    assert (site / "CNAME").read_text(encoding="utf-8") == CUSTOM_DOMAIN + "\n"
    assert_complete(crawl_site(site, site_url, "/"), site)


@pytest.fixture
def served_sub_path(sub_path_site: Path) -> Iterator[str]:
    with serve_directory(sub_path_site, SUB_PATH) as base:
        yield base


@pytest.mark.browser
def test_a_search_result_opens_its_page_under_the_sub_path(served_sub_path: str, page, request_log) -> None:
    base = served_sub_path
    page.goto(base + "themes/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("Roennfeldt")
    # Material searches on key events, not on the input's value alone.
    box.press("End")
    result = page.locator(".md-search-result__item a", has_text="Diary of a Mental Health Peer Worker").first
    result.click()
    page.wait_for_url(base + "papers/wyder2020diary/*")
    assert page.locator("h1").first.inner_text().replace("¶", "").strip() == (
        "Diary of a Mental Health Peer Worker: Findings From a Diary Study Into the Role of Peer Work "
        "in a Clinical Mental Health Setting"
    )
    request_log.assert_only_local()
