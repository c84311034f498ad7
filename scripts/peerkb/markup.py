"""Escaping contributor text for each place it lands: Markdown, HTML text, attributes, page meta.

Everything under references/ is untrusted. Generated pages put data into Markdown that
Python-Markdown turns into HTML, and into page meta that Material's templates print without
escaping (Jinja autoescape is off in MkDocs). Each helper here makes text inert for one context.
"""

from __future__ import annotations

import html
import json
import re

# Characters Python-Markdown (with the tables extension) honours a backslash escape for.
# Escaping a character outside this set would leave a visible backslash, so we do not.
# md_text's escapes as one table: a backslash before each special character, entities for & and <
# (neither entity holds a special character, so one pass equals escaping in turn).
_MD_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", **{c: "\\" + c for c in "\\`*_{}[]()>#+-.!|"}})
_WHITESPACE = re.compile(r"\s+")
# Characters no reader needs and YAML or XML cannot hold: MkDocs drops a page's whole front matter
# over one of them (silently, showing it as Markdown text), so data must never carry them there.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def one_line(text: str) -> str:
    """Fold runs of white space, newlines included, into single spaces; drop control characters."""
    if text.isprintable() and "  " not in text:
        return text.strip()  # the usual case, and the only white space in it is single spaces
    return _WHITESPACE.sub(" ", _UNPRINTABLE.sub("", text)).strip()


def md_text(text: str) -> str:
    """Text shown literally inside a Markdown paragraph, list item, heading or table cell.

    `&` and `<` become entities (so no tag or entity can form), every Markdown special
    character is backslash-escaped (so no link, emphasis, attribute list or table cell break can
    form), and new lines are folded (so no block structure can form).
    """
    return one_line(text).translate(_MD_TEXT)


def md_link(label: str, target: str) -> str:
    """A Markdown link with literal label text to a target we built (a page path or checked URL)."""
    if any(c in target for c in " <>()\"'\\\n"):
        raise ValueError(f"unsafe link target: {target!r}")  # a bug in our code, not bad data
    return f"[{md_text(label)}]({target})"


def html_text(text: str) -> str:
    """Text inside an HTML element."""
    return html.escape(one_line(text), quote=False)


def html_attr(text: str) -> str:
    """Text inside a double-quoted HTML attribute value."""
    return html.escape(one_line(text), quote=True)


def meta_title(text: str) -> str:
    """A page title safe for Material's templates.

    Material prints `page.title` raw in the header and through `striptags` (which decodes
    entities again) in `<title>`, so an entity-escaped `<` would become a live tag there. Angle
    brackets are therefore replaced with look-alike single guillemets; `&` and quotes are escaped.
    """
    text = one_line(text).replace("<", "\u2039").replace(">", "\u203a")
    return html.escape(text, quote=True)


def front_matter(meta: dict[str, str]) -> str:
    """A YAML front-matter block from string values; JSON strings are valid YAML scalars."""
    lines = [f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"
