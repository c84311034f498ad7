"""The MkDocs hook: load and check references/, hand the generated pages to MkDocs.

Thin on purpose: everything it does is a call into the pure core. Enabled in mkdocs.yml with
`hooks: [scripts/peerkb/mkdocs_hook.py]`.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from markdown.extensions.toc import slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from peerkb.check import load_and_check
from peerkb.citation_cache import fill_in_parallel, read_citation_store, write_citation_store
from peerkb.glossary import parse_abbreviations
from peerkb.load import ParseCache
from peerkb.markup import meta_title
from peerkb.model import SECTIONS
from peerkb.org_settings import check_plain_text, cname_text, read_org_settings
from peerkb.problems import Severity, errors_in
from peerkb.render import GeneratedSite, render_site
from peerkb.render.dates import page_dates
from peerkb.render.site import SiteSettings
from peerkb.sanitize import sanitize_html

log = logging.getLogger("mkdocs.plugins.peerkb")

# What stays out of Material's search index (issue 6: at 5,000 papers the full index was 34 MB
# and took Chromium 13 s and 1.2 GB to load). A paper is found by its title, record (authors,
# year, DOI, roles, themes, evidence type), takeaway and key messages; its long sections add
# most of the bytes and mostly words every paper shares. A role's or theme's list of papers
# repeats the papers' own titles and takeaways, as do the maintainers' lists. Material drops a
# section whose heading carries data-search-exclude, and strips the attribute (with a value)
# from the page afterwards.
_UNSEARCHED_SECTIONS = frozenset(
    [slugify(heading, "-") for section_id, heading in SECTIONS if section_id != "key_messages"]
    # Citations and related papers already keep their text out; their empty entries go too.
    + ["cite-this-paper", "related-papers", "about-this-summary"]
)
_TERM_LIST = re.compile(r"papers-about-this-[a-z]+-\d+")
_HEADING = re.compile(r'<h([2-6]) id="([^"]*)"')
_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea|script|style|code)\b.*?</\2\s*>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n[ \t\r\n]*")

ABBREVIATIONS = "docs/includes/abbreviations.md"
CONTRIBUTING = "CONTRIBUTING.md"

# The pages of the current build; MkDocs hooks are module functions, so state lives here.
_site = GeneratedSite()
_contributing = ""
_custom_domain = ""
# The leading roles, (title, URL path), linked from the 404 page.
_featured_roles: tuple[tuple[str, str], ...] = ()
# Page dates from the library (render/dates.py), so the sitemap does not change with the day.
_page_dates: dict[str, str] = {}
_newest_date = ""
# Kept across rebuilds of `mkdocs serve`: only files whose bytes changed are parsed again.
_parse_cache = ParseCache()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the library; stop the build with every problem listed if any is an error."""
    global _site, _contributing, _custom_domain, _featured_roles, _page_dates, _newest_date
    root = Path(config.config_file_path).parent
    org, org_problems = read_org_settings(config.extra.get("peerkb"), config.site_url or "")
    plain = {"site_name": config.site_name, "site_description": config.site_description or ""}
    org_problems += check_plain_text({**plain, "repo_name": config.repo_name or ""})
    for problem in org_problems:
        # A custom domain that site_url does not match is a warning: --strict builds stop on it.
        (log.error if problem.severity is Severity.ERROR else log.warning)(problem.format())
    if errors_in(org_problems):
        raise Abort(f"Aborted with {len(errors_in(org_problems))} error(s) in mkdocs.yml: fix them.")
    _custom_domain = org.custom_domain
    if _edit_base(config):
        # One setting, extra.peerkb.edit_branch, for "Improve this summary" and the edit button.
        docs = Path(config.docs_dir).relative_to(root).as_posix()
        config.edit_uri = f"edit/{config.extra.get('peerkb', {}).get('edit_branch', 'main')}/{docs}/"
    library, problems = load_and_check(root, _parse_cache)
    for problem in problems:
        # Warnings (say, a missing DOI) are for `peerkb check`; only errors may fail a --strict build.
        (log.error if problem.severity is Severity.ERROR else log.info)(problem.format())
    errors = errors_in(problems)
    if errors:
        raise Abort(f"Aborted with {len(errors)} error(s) in references/: fix them and build again.")
    settings = SiteSettings(
        repo_edit_base=_edit_base(config), site_url=config.site_url or "", site_name=config.site_name
    )
    # Citations formatted by an earlier build (or `mkdocs serve` rebuild) are reused.
    store = read_citation_store(root)
    # A cold cache (first build) is filled on every core first; the render then reads the store.
    fill_in_parallel(store, library.entries)
    _site = render_site(library, settings, store)
    write_citation_store(root, store)
    _page_dates, _newest_date = page_dates(library)
    config.nav = _expand_nav(config.nav, _site)
    _featured_roles = tuple((t.title, f"roles/{t.id}/") for t in library.taxonomy.roles if t.featured)
    abbreviations = root / ABBREVIATIONS
    if abbreviations.is_file():
        # abbr's glossary applies on every page without the snippets extension, which would let
        # a summary include any file of the repository.
        glossary = parse_abbreviations(abbreviations.read_text(encoding="utf-8"))
        config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary
    contributing = root / CONTRIBUTING
    _contributing = contributing.read_text(encoding="utf-8") if contributing.is_file() else ""
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add every generated page; a hand-written page at the same path is an error, not overwritten."""
    for path, text in _site.pages.items():
        if files.get_file_from_path(path) is not None:
            raise Abort(f"docs/{path} would be replaced by a generated page: move or rename it.")
        page = File.generated(config, path, content=text)
        if path in _site.sources:
            # Material's edit button opens the summary or taxonomy.yml the page is made from.
            page.edit_uri = _edit_path(config, _site.sources[path])
        files.append(page)
    for path, text in _site.files.items():
        if files.get_file_from_path(path) is not None:
            raise Abort(f"docs/{path} would be replaced by a generated file: move or rename it.")
        files.append(File.generated(config, path, content=text))
    if _contributing and files.get_file_from_path("contributing.md") is None:
        # One source for the guide: the repository's CONTRIBUTING.md becomes the site page.
        guide = File.generated(config, "contributing.md", content=_contributing)
        guide.edit_uri = _edit_path(config, CONTRIBUTING)
        files.append(guide)
    if _custom_domain:
        # GitHub Pages (and most static hosts) read the custom domain from a CNAME file.
        files.append(File.generated(config, "CNAME", content=cname_text(_custom_domain)))
    return files


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """Give the 404 page the leading roles to link to."""
    if template_name == "404.html":
        context["peerkb_featured_roles"] = _featured_roles
    return context


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill generated lists (such as Recently added) into hand-written pages at the docs root."""
    return _site.fill_fragments(markdown, page.file.src_uri)


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """Date the page from the library, not the clock: sitemap.xml and its .gz are then reproducible."""
    date = _page_dates.get(page.file.src_uri) or _newest_date
    if date:
        page.update_date = date
    return page


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Sanitise the HTML of generated pages: contributor text passed through Markdown there."""
    path = page.file.src_uri
    if path not in _site.pages:
        return html
    html = sanitize_html(html)
    if path.startswith("papers/") and path != "papers/index.md":
        return exclude_from_search(html, lambda id_: id_ in _UNSEARCHED_SECTIONS)
    if path.startswith(("roles/", "themes/")):
        return exclude_from_search(html, _TERM_LIST.fullmatch)
    if path == "maintainers.md":
        # Lists of every record's title, for maintainers: found by its own name, not by papers'.
        return exclude_from_search(html, lambda id_: True)
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop the templates' indentation: a fifth of a paper page's bytes, the same page on screen."""
    return collapse_indentation(output)


def collapse_indentation(html: str) -> str:
    """The HTML with white space after each line break removed, outside pre, code, script and style.

    A line break and the spaces after it show as one space, as a line break alone does; inside
    those elements white space is content, so they are copied unchanged.
    """
    parts = _KEEP_WHITESPACE.split(html)
    # split() with two groups gives: text, whole element, its tag name, text, ...
    for index in range(0, len(parts), 3):
        parts[index] = _INDENT.sub("\n", parts[index])
        if index + 2 < len(parts):
            parts[index + 2] = ""
    return "".join(parts)


def exclude_from_search(html: str, unsearched: Callable[[str], object]) -> str:
    """Mark each h2 section whose id is unsearched (and every heading inside it) for Material's search."""
    excluding = False

    def mark(match: re.Match[str]) -> str:
        nonlocal excluding
        level, id_ = match.group(1), match.group(2)
        if level == "2":
            excluding = bool(unsearched(id_))
        # Sanitised HTML: the id holds no quote, so the attribute ends where it should.
        return f'{match.group()} data-search-exclude="peerkb"' if excluding else match.group()

    return _HEADING.sub(mark, html)


def _edit_path(config: MkDocsConfig, repository_path: str) -> str:
    """A repository file's path relative to docs/, which MkDocs joins onto repo_url + edit_uri."""
    docs = Path(config.docs_dir).relative_to(Path(config.config_file_path).parent).as_posix()
    return posixpath.relpath(repository_path, docs)


def _edit_base(config: MkDocsConfig) -> str:
    repo = (config.repo_url or "").rstrip("/")
    branch = config.extra.get("peerkb", {}).get("edit_branch", "main")
    return f"{repo}/edit/{branch}" if repo.startswith("https://") else ""


def _expand_nav(nav: list | None, site: GeneratedSite) -> list | None:
    """Replace `roles/index.md` and `themes/index.md` in the nav with a section of every term."""
    if nav is None:
        return None
    expanded = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            facet = target[: -len("/index.md")] if isinstance(target, str) else ""
            if facet in site.nav:
                terms = [{meta_title(name): path} for name, path in site.nav[facet]]
                item = {title: [target, *terms]}
        expanded.append(item)
    return expanded
