"""Render a small library from strings in-process, as the MkDocs build does, and list the HTML it made.

The hostile-input and property tests use this to see exactly what a page would hold: the library
is read with the real readers (bibfile.read_bib, summary_file.read_summary,
taxonomy_file.read_taxonomy), checked with check_library, rendered with render_site, split from its
front matter by MkDocs' own meta reader, turned into HTML by a markdown.Markdown built with the
extensions and configs of the project's mkdocs.yml, and sanitised as the hook does.
"""

from __future__ import annotations

import functools
import json
import re
import xml.dom.minidom
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data
from peerkb.bibfile import read_bib
from peerkb.check import check_library
from peerkb.model import Library
from peerkb.problems import Problem, errors_in
from peerkb.render import render_site
from peerkb.sanitize import sanitize_html
from peerkb.slug import slug_for_key
from peerkb.summary_file import read_summary
from peerkb.taxonomy_file import read_taxonomy

ROOT = Path(__file__).resolve().parent.parent
BIB = "references/library.bib"
TAXONOMY = "references/taxonomy.yml"
KEY = "smith2020walking"


def yaml_value(text: str) -> str:
    """A YAML double-quoted scalar holding exactly `text` (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def bib_value(text: str) -> str:
    """`text` as a braced BibTeX value, with braces escaped so the value always closes."""
    # BibTeX counts every brace, escaped or not: write braces and backslashes as control words.
    words = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
    return "{" + re.sub(r"[\\{}]", lambda m: words[m.group()], text) + "}"


def bib_entry(key: str = KEY, kind: str = "article", **fields: str) -> str:
    """One BibTeX entry; fields are written as given (already braced or quoted), defaults filled in."""
    values = {
        "author": "{Smith, Jo and Jones, Al}",
        "title": "{Walking alongside: a study}",
        "journal": "{Journal of Peer Work}",
        "year": "{2020}",
        "volume": "{12}",
        "number": "{3}",
        "pages": "{10--20}",
        "doi": "{10.1000/xyz}",
        "url": "{https://example.org/paper}",
    }
    values.update(fields)
    body = "".join(f"  {name} = {value},\n" for name, value in values.items() if value is not None)
    return f"@{kind}{{{key},\n{body}}}\n"


SECTION_TEXT = {
    "Key messages": "- First message.\n- Second message with [a link](https://example.org/x).",
    "What was studied and how": "Interviews with *twelve* peer workers.",
    "What was found": "They **valued** time.\n\n### A subheading\n\n1. one\n2. two\n\n> A quote.",
    "What it means for nurses working alongside peer workers": "Ask `peer workers` first.",
    "Limitations": "Small sample.",
}


def summary_file(key: str = KEY, sections: Mapping[str, str] | None = None, **front: str | None) -> str:
    """A summary file; front-matter values are written as given (YAML), defaults filled in."""
    values: dict[str, str | None] = {
        "key": key,
        "roles": "[peer-support-specialist]",
        "themes": "[empowerment, recovery]",
        "evidence_type": "qualitative-study",
        "settings": "[inpatient-ward]",
        "country": '"Australia"',
        "date_added": "2026-01-02",
        "date_reviewed": "2026-02-03",
        "takeaway": '"Peer workers helped people feel heard."',
        "metadata_status": "incomplete",
        "unverified": "[pages]",
        "metadata_note": '"The page numbers could not be checked."',
        "based_on": '"The abstract."',
    }
    values.update(front)
    head = "".join(f"{name}: {value}\n" for name, value in values.items() if value is not None)
    text = {**SECTION_TEXT, **(sections or {})}
    body = "".join(f"## {heading}\n\n{content}\n\n" for heading, content in text.items())
    return f"---\n{head}---\n\n{body}"


def taxonomy_file(**overrides: str) -> str:
    """A small taxonomy; `role_title=...` and similar replace one YAML value (written as given)."""
    values = {
        "role_title": '"Peer support specialist"',
        "role_description": '"A paid peer worker."',
        "role_also_called": '["peer support worker"]',
        "detail_heading": '"What the role does"',
        "detail_text": '"Offers support from *lived* experience."',
        "theme_title": '"Empowerment"',
        "theme_description": '"Gaining control."',
        "evidence_title": '"Qualitative study"',
        "evidence_description": '"Interviews."',
        "setting_title": '"Inpatient ward"',
        "setting_description": '"A hospital ward."',
    }
    values.update(overrides)
    v = values
    return (
        "roles:\n"
        f"  - id: peer-support-specialist\n    title: {v['role_title']}\n"
        f"    description: {v['role_description']}\n    also_called: {v['role_also_called']}\n"
        '    featured: "true"\n'
        f"    details:\n      - heading: {v['detail_heading']}\n        text: {v['detail_text']}\n"
        '  - id: peer-navigator\n    title: "Peer navigator"\n    description: "Guides people."\n'
        "    parent: peer-support-specialist\n"
        "themes:\n"
        f"  - id: empowerment\n    title: {v['theme_title']}\n    description: {v['theme_description']}\n"
        '  - id: recovery\n    title: "Recovery"\n    description: "Living well."\n'
        "evidence_types:\n"
        f"  - id: qualitative-study\n    title: {v['evidence_title']}\n"
        f"    description: {v['evidence_description']}\n"
        "settings:\n"
        f"  - id: inpatient-ward\n    title: {v['setting_title']}\n"
        f"    description: {v['setting_description']}\n"
    )


@dataclass(frozen=True)
class Page:
    """One generated page as MkDocs would see and render it."""

    source: str
    """The generated Markdown, front matter included."""
    meta: dict[str, Any]
    """The front matter as MkDocs' meta reader parsed it (empty when MkDocs would drop it)."""
    html: str
    """Python-Markdown's HTML, before the sanitiser."""
    clean: str
    """The same HTML after sanitize_html, as the hook hands it to the theme."""
    toc: list[dict[str, Any]]
    """Python-Markdown's table-of-contents tokens (Material prints their names raw)."""


@dataclass(frozen=True)
class Rendered:
    """What a library of strings gives: its problems and, when it has no errors, its pages."""

    problems: list[Problem]
    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    library: Library | None = None

    @property
    def errors(self) -> list[str]:
        """The errors, formatted as `peerkb check` prints them."""
        return [p.format() for p in errors_in(self.problems)]


@functools.cache
def _markdown_settings() -> tuple[tuple[Any, ...], str]:
    """The project's Markdown extensions and their configs, as MkDocs loads them (configs as JSON)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return tuple(config.markdown_extensions), json.dumps(config.mdx_configs, sort_keys=True, default=str)


def to_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Markdown to HTML with the project's configuration; also the TOC tokens."""
    extensions, configs = _markdown_settings()
    converter = markdown.Markdown(extensions=list(extensions), extension_configs=json.loads(configs))
    return converter.convert(text), getattr(converter, "toc_tokens", [])


def render_library(
    bib: str | bytes,
    summaries: Mapping[str, str | bytes] | None = None,
    taxonomy: str | bytes | None = None,
    convert: bool = True,
) -> Rendered:
    """Read, check and (when there are no errors) render a library given as file contents."""
    entries, problems = read_bib(BIB, bib.encode() if isinstance(bib, str) else bib)
    found = []
    all_problems = list(problems)
    for name, text in sorted((summaries if summaries is not None else {KEY: summary_file()}).items()):
        data = text.encode() if isinstance(text, str) else text
        summary, summary_problems = read_summary(f"references/summaries/{name}.md", data)
        all_problems += summary_problems
        if summary is not None:
            found.append(summary)
    tax_text = taxonomy if taxonomy is not None else taxonomy_file()
    tax, tax_problems = read_taxonomy(TAXONOMY, tax_text.encode() if isinstance(tax_text, str) else tax_text)
    all_problems += tax_problems
    library = Library(entries=entries, summaries=tuple(found), taxonomy=tax)
    all_problems += check_library(library)
    if errors_in(all_problems):
        return Rendered(sorted(all_problems))
    site = render_site(library)
    pages = {}
    for path, text in site.pages.items():
        body, meta = get_data(text)
        html, toc = to_html(body) if convert else ("", [])
        pages[path] = Page(text, meta, html, sanitize_html(html) if convert else "", toc)
    files = {path: data if isinstance(data, str) else data.decode() for path, data in site.files.items()}
    return Rendered(sorted(all_problems), pages, files, library)


class Inventory(HTMLParser):
    """Every element and attribute an HTML text holds, with its URLs, comments and script bodies."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: set[tuple[str, str]] = set()
        self.urls: list[tuple[str, str, str]] = []
        self.comments: list[str] = []
        self.scripts: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pairs.add((tag, ""))
        for name, value in attrs:
            self.pairs.add((tag, name))
            if name in self.URL_ATTRIBUTES:
                self.urls.append((tag, name, value or ""))
        self._script = tag == "script"
        if self._script:
            self.scripts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.scripts[-1] += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def inventory(html: str) -> Inventory:
    """Parse HTML and return what it holds."""
    parser = Inventory()
    parser.feed(html)
    parser.close()
    return parser


_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def url_scheme(url: str) -> str:
    """The scheme a browser would act on ("" for a relative address), after removing what it ignores."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", url))
    return match.group(1).lower() if match else ""


# What Markdown in summaries and taxonomy details may add on top of the templates' own HTML.
MARKDOWN_PAIRS = frozenset(
    {
        ("p", ""), ("em", ""), ("strong", ""), ("code", ""), ("pre", ""), ("blockquote", ""), ("hr", ""),
        ("br", ""), ("ul", ""), ("ol", ""), ("ol", "start"), ("li", ""), ("a", ""), ("a", "href"),
        ("a", "title"), ("abbr", ""), ("abbr", "title"), ("table", ""), ("thead", ""), ("tbody", ""),
        ("tr", ""), ("th", ""), ("td", ""), ("th", "style"), ("td", "style"),
        ("h3", ""), ("h3", "id"), ("h4", ""), ("h4", "id"),
        ("h5", ""), ("h5", "id"), ("h6", ""), ("h6", "id"),
        ("div", ""), ("div", "class"), ("p", "class"),
        ("a", "class"),  # the headerlink permalink of toc
    }
)  # fmt: skip

# What theme/main.html prints raw from a paper's peerkb_head meta value.
HEAD_PAIRS = frozenset(
    {("meta", ""), ("meta", "name"), ("meta", "property"), ("meta", "content"),
     ("script", ""), ("script", "type"),
     ("link", ""), ("link", "rel"), ("link", "href"), ("link", "type"), ("link", "title")}
)  # fmt: skip


def unexpected(html: str, allowed: frozenset[tuple[str, str]] | set[tuple[str, str]]) -> list[str]:
    """What in the HTML is outside the allow-list: elements, attributes, URL schemes, comments."""
    found = inventory(html)
    wrong = [f"<{tag} {name}>" if name else f"<{tag}>" for tag, name in sorted(found.pairs - set(allowed))]
    wrong += [
        f"{tag} {name}={url!r}" for tag, name, url in found.urls if url_scheme(url) not in SAFE_SCHEMES | {""}
    ]
    wrong += [f"<!--{text}-->" for text in found.comments]
    wrong += [f"<script>{text}" for text in found.scripts if not _is_json_ld(text)]
    return wrong


def _is_json_ld(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return "</" not in text.lower() and "<!--" not in text


def head_problems(page: Page) -> list[str]:
    """What of a page's front matter Material would print unsafely: raw `<`, quotes, unknown head tags."""
    wrong = []
    if not page.meta:
        return ["front matter dropped by MkDocs (it would be shown as text)"]
    for name, value in page.meta.items():
        if isinstance(value, list) and all(isinstance(item, str) and "<" not in item for item in value):
            continue  # e.g. `hide: [toc]`, which Material reads as switches and never prints
        if not isinstance(value, str):
            wrong.append(f"meta {name} is {type(value).__name__}, not text")
        elif name == "peerkb_head":
            wrong += [f"head: {w}" for w in unexpected(value, HEAD_PAIRS)]
        elif "<" in value or ">" in value or '"' in value:
            wrong.append(f"meta {name} holds a raw < > or quote: {value!r}")
    return wrong


_RIS_LINE = re.compile(r"[A-Z][A-Z0-9]  - [^\r\n]*")


def export_problems(rendered: Rendered) -> list[str]:
    """Downloads and the feed must parse as their formats; a paper's .bib must be its entry as written."""
    wrong = []
    for path, text in rendered.files.items():
        try:
            if path.endswith(".xml"):
                xml.dom.minidom.parseString(text.encode("utf-8"))
            elif path.endswith(".json"):
                json.loads(text)
        except Exception as exc:  # any parse failure is the finding
            wrong.append(f"{path}: {exc}")
        if path.endswith(".ris"):
            lines = [line for line in text.split("\n") if line and not _RIS_LINE.fullmatch(line)]
            wrong += [f"{path}: {line!r}" for line in lines]
    for entry in rendered.library.entries if rendered.library else ():
        bib = rendered.files.get(f"papers/{slug_for_key(entry.key)}.bib")
        if bib is not None and bib.rstrip("\n") != entry.source:
            wrong.append(f"papers/{slug_for_key(entry.key)}.bib is not the entry as written")
    return wrong


def toc_problems(page: Page) -> list[str]:
    """TOC names Material prints raw: none may hold a raw `<` (a `>` alone opens nothing)."""
    wrong: list[str] = []

    def walk(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            if "<" in token["name"]:
                wrong.append(f"toc name {token['name']!r}")
            walk(token["children"])

    walk(page.toc)
    return wrong
