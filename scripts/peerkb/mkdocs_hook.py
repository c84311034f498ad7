"""The MkDocs hook: load and check references/, hand the generated pages to MkDocs.

Thin on purpose: everything it does is a call into the pure core. Enabled in mkdocs.yml with
`hooks: [scripts/peerkb/mkdocs_hook.py]`.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
import shutil
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from pathspec.gitignore import GitIgnoreSpec

from peerkb.check import load_and_check
from peerkb.citation_cache import fill_in_parallel, read_citation_store, write_citation_store
from peerkb.glossary import parse_abbreviations
from peerkb.load import ParseCache
from peerkb.markup import meta_title
from peerkb.org_settings import check_plain_text, cname_text, read_org_settings
from peerkb.page_html import collapse_indentation
from peerkb.problems import Severity, errors_in
from peerkb.render import GeneratedSite, render_site
from peerkb.render.dates import page_dates
from peerkb.render.site import SiteSettings
from peerkb.sanitize import sanitize_html
from peerkb.search_index import (
    MANIFEST_KEY,
    SearchRecord,
    build_search_index,
    generated_page_records,
    page_records,
)

log = logging.getLogger("mkdocs.plugins.peerkb")

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
# Search records of the generated pages (search_index.py), by docs path; Material indexes the
# other pages. Its HTML parser would spend seconds on thousands of generated pages.
_own_search: dict[str, SearchRecord] = {}
SEARCH_FOLDER = "search/peerkb"
MATERIAL_SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
# Its file name, for theme/main.html to put ours in its place (on_env).
_material_worker = ""


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the library; stop the build with every problem listed if any is an error."""
    global _site, _contributing, _custom_domain, _featured_roles, _page_dates, _newest_date, _own_search
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
    edit_base = _edit_base(config)
    if edit_base:
        # One setting, extra.peerkb.edit_branch, for "Improve this summary" and the edit button.
        config.edit_uri = f"edit/{_edit_branch(config)}/{_docs_folder(config)}/"
    library, problems = load_and_check(root, _parse_cache)
    for problem in problems:
        # Warnings (say, a missing DOI) are for `peerkb check`; only errors may fail a --strict build.
        (log.error if problem.severity is Severity.ERROR else log.info)(problem.format())
    errors = errors_in(problems)
    if errors:
        raise Abort(f"Aborted with {len(errors)} error(s) in references/: fix them and build again.")
    settings = SiteSettings(
        repo_edit_base=edit_base, site_url=config.site_url or "", site_name=config.site_name
    )
    # Citations formatted by an earlier build (or `mkdocs serve` rebuild) are reused.
    store = read_citation_store(root)
    # A cold cache (first build) is filled on every core first; the render then reads the store.
    fill_in_parallel(store, library.entries)
    _site = render_site(library, settings, store)
    write_citation_store(root, store)
    _page_dates, _newest_date = page_dates(library)
    # Addresses by MkDocs' own rule (use_directory_urls): "papers/x/" or "papers/x.html".
    _own_search = generated_page_records(
        library, _site.pages, lambda path: File(path, "", "", config.use_directory_urls).url
    )
    config.nav = _expand_nav(config.nav, _site)
    config.not_in_nav = _not_in_nav(config.not_in_nav, _site)
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
    global _material_worker
    workers = [f.src_uri for f in files if MATERIAL_WORKER.fullmatch(f.src_uri)]
    if len(workers) != 1:
        raise Abort(f"Material's search worker was not found among its files ({workers}): peerkb's search "
                    "replaces it, so this version of Material is not supported.")
    _material_worker = workers[0]
    for file in [f for f in files if f.src_uri.startswith(MATERIAL_SEARCH_ASSETS)]:
        # Material's Lunr worker and languages (1.2 MB): our worker (peerkb-search.js) replaces them.
        files.remove(file)
    return files


def on_template_context(context: dict, template_name: str, config: MkDocsConfig) -> dict:
    """Give the 404 page the leading roles to link to."""
    if template_name == "404.html":
        context["peerkb_featured_roles"] = _featured_roles
    return context


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Fill generated lists (such as Recently added) into hand-written pages at the docs root.

    Paper, role, theme and list pages stay out of Material's search index: our own index finds
    them (on_post_build), from the library rather than by parsing thousands of pages' HTML.
    """
    if page.file.src_uri in _own_search:
        page.meta["search"] = {"exclude": True}
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
    return sanitize_html(html)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Drop the templates' indentation: a fifth of a paper page's bytes, the same page on screen."""
    return collapse_indentation(output)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Name Material's search worker for theme/main.html, which puts ours in its place."""
    env.globals["peerkb_material_worker"] = _material_worker
    return env


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Write the sharded search index: Material's entries for hand-written pages, ours for the rest.

    Material's search_index.json keeps only its config, with our manifest, which Material's page
    code hands to the worker (theme/assets/javascripts/peerkb-search.js).
    """
    index_path = Path(config.site_dir) / "search" / "search_index.json"
    if not index_path.is_file():
        raise Abort("Material's search plugin wrote no search/search_index.json: keep `search` in plugins.")
    material = json.loads(index_path.read_text(encoding="utf-8"))
    # Earlier records win ties: hand-written pages, then role, theme and list pages, then papers.
    index = build_search_index(page_records(material.get("docs", [])) + list(_own_search.values()))
    folder = Path(config.site_dir) / SEARCH_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in index.files.items():
        (folder / name).write_bytes(data)
    stub = {"config": {**material.get("config", {}), MANIFEST_KEY: index.manifest}, "docs": []}
    index_path.write_text(json.dumps(stub, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _docs_folder(config: MkDocsConfig) -> str:
    """docs_dir relative to the repository root (the folder of mkdocs.yml)."""
    return Path(config.docs_dir).relative_to(Path(config.config_file_path).parent).as_posix()


def _edit_path(config: MkDocsConfig, repository_path: str) -> str:
    """A repository file's path relative to docs/, which MkDocs joins onto repo_url + edit_uri."""
    return posixpath.relpath(repository_path, _docs_folder(config))


def _edit_branch(config: MkDocsConfig) -> str:
    return config.extra.get("peerkb", {}).get("edit_branch", "main")


def _edit_base(config: MkDocsConfig) -> str:
    repo = (config.repo_url or "").rstrip("/")
    return f"{repo}/edit/{_edit_branch(config)}" if repo.startswith("https://") else ""


def _expand_nav(nav: list | None, site: GeneratedSite) -> list | None:
    """Make `roles/index.md` a section of that index and the featured roles (themes likewise).

    The sidebar is on every page, thousands of paper pages included, so it lists only the terms
    an organisation features; the index pages list every term with what it means.
    """
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


def _not_in_nav(patterns: GitIgnoreSpec | None, site: GeneratedSite) -> GitIgnoreSpec | None:
    """not_in_nav plus the term pages the sidebar leaves out, so that --strict does not stop on them."""
    if not site.unlisted:
        return patterns
    # Term ids are lower case letters, digits and hyphens: nothing a gitignore pattern treats specially.
    unlisted = GitIgnoreSpec.from_lines(f"/{path}" for path in site.unlisted)
    return patterns + unlisted if patterns else unlisted
