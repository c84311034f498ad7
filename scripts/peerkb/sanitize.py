"""A last line of defence for generated pages: keep only the HTML our templates produce.

The checks already refuse raw HTML, unsafe links and attribute lists in contributor text, and
the renderers escape every data value. This allow-list, applied to the HTML of every generated
page after Markdown, means that a gap in either still cannot put live markup on a page.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "button", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "input",
    "kbd", "label", "legend", "fieldset", "li", "ol", "output", "p", "pre", "select", "option",
    "small", "span", "strong", "sub", "summary", "sup", "table", "caption", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul", "nav", "section", "time",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "hidden", "role", "aria-label", "aria-live", "aria-describedby",
          "aria-controls", "aria-expanded", "aria-pressed", "aria-hidden", "aria-labelledby"},
    "a": {"href", "download", "hreflang", "type"},
    "abbr": {"title"},
    "button": {"type", "disabled", "value", "name"},
    # A focusable scroll region (the evidence map) lets keyboard users scroll a wide table.
    "div": {"tabindex"},
    "input": {"type", "name", "value", "min", "max", "step", "checked", "inputmode", "placeholder",
              "autocomplete", "for"},
    "label": {"for"},
    "select": {"name", "multiple"},
    "option": {"value", "selected"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}


# Built once: nh3.clean() would convert the allow-list for every page (a fifth of its time).
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    generic_attribute_prefixes={"data-"},
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """The HTML with every element, attribute and URL scheme outside the allow-list removed."""
    return _CLEANER.clean(html)
