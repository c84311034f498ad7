"""Checks of summaries against the entries and the taxonomy, and of their Markdown for unsafe markup.

Summaries come from strangers' pull requests and Python-Markdown passes raw HTML, any link
scheme and attribute lists straight into the page, so each of those is reported here with the
file, line and section, and with what to write instead.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib import resources

from peerkb.model import Entry, Summary, Taxonomy
from peerkb.problems import Problem, did_you_mean, error, warning
from peerkb.slug import is_safe_key
from peerkb.summary_file import fenced_blocks, read_summary

TEMPLATE = "scripts/peerkb/templates/summary.md"
_FACET_OF = (("roles", "roles", "role"), ("themes", "themes", "theme"), ("settings", "settings", "setting"))
SAFE_SCHEMES = ("http", "https", "mailto")

_TODO = re.compile(r"\bTODO\b")
_BACKTICKS = re.compile(r"(?<!\\)(?:\\\\)*(`+)")
# A link target may hold one level of (parentheses), as in `alert(1)` or a Wikipedia address.
_LINK = re.compile(r"\]\s*\(\s*((?:[^()]|\([^()]*\))*)")
_IMAGE_START = re.compile(r"(?<!\\)!\[")
_INLINE_TARGET = re.compile(r"\s*\(\s*((?:[^()]|\([^()]*\))*)")
_REF_LABEL = re.compile(r"[ \t]*\[([^\]\n]*)\]")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*(\S+)", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A list marker or quote sign that opens one more level; nesting and brackets beyond these limits
# make Python-Markdown fail (recursion) or crawl (link search), and no summary needs them.
_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ ]+|$)|>[ ]?")
# The start of a line that can open a level: indentation, or what _CONTAINER matches first. (A
# "\n" to search for is several times faster than ^ in MULTILINE mode.)
_NESTABLE = re.compile(r"\n[ \t*+>\d-]")
MAX_NESTING = 10
MAX_BRACKETS = 200
# pymdownx.snippets' include line: not enabled, but refused so that enabling it cannot publish a file.
_SNIPPET = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)
# No backslash escapes a "<" in Python-Markdown: `\<b>` is still a live tag.
_ANGLE = re.compile("<")
# Every finding of unsafe_markup but nesting needs one of these characters (a snippet has "8<").
_MARKUP_CHAR = re.compile(r"[<\[\]{`~]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")
_AUTOMAIL = re.compile(r"<[^<> !:]+@[^@<> ]+>")
_TAG_START = re.compile(r"<[/!?]|<[A-Za-z]")
_ATTR_LIST = re.compile(r"\{\s*:[^{}\n]*\}|\{\s*(?:[#.][A-Za-z_]|[A-Za-z_][\w-]*\s*=)[^{}\n]*\}")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\\<>]+")
_LINK_EXAMPLE = "[the study](https://doi.org/10.1000/xyz)"


def check_summaries(
    summaries: Sequence[Summary], entries: Sequence[Entry], taxonomy: Taxonomy
) -> list[Problem]:
    """Every problem a summary has against the entries, the taxonomy, the template and safe Markdown."""
    problems: list[Problem] = []
    by_key = {entry.key: entry for entry in entries}
    summary_keys = {summary.key for summary in summaries}
    for summary in summaries:
        problems += _check_ids(summary, taxonomy)
        problems += _check_template_text(summary)
        problems += _check_metadata(summary, by_key.get(summary.key))
        problems += _check_markup(summary)
        if summary.key not in by_key:
            line = summary.field_lines.get("key", 1)
            hint = did_you_mean(summary.key, by_key)
            problems.append(
                error(
                    summary.path,
                    line,
                    "key",
                    f'no BibTeX entry has the key "{summary.key}"; add the '
                    "entry to references/library.bib (or run `peerkb add FILE`), or rename this file "
                    f"to the key of its entry.{hint}",
                )
            )
    for entry in entries:
        # An unsafe key is reported by the entry checks; suggesting a file named after it would
        # point outside references/summaries/ (a key such as ../x).
        if entry.key not in summary_keys and is_safe_key(entry.key):
            problems.append(
                error(
                    entry.path,
                    entry.line,
                    "",
                    f'no summary for "{entry.key}"; create '
                    f"references/summaries/{entry.key}.md from {TEMPLATE} (`peerkb add` scaffolds it "
                    "when it imports an entry), or fix the errors reported for that file",
                )
            )
    return problems


def check_taxonomy_use(summaries: Sequence[Summary], taxonomy: Taxonomy) -> list[Problem]:
    """Warnings for roles and themes no summary uses: the site promises no such page without a paper."""
    used = {
        "roles": {r for s in summaries for r in s.roles},
        "themes": {t for s in summaries for t in s.themes},
    }
    problems = []
    for facet, noun in (("roles", "role"), ("themes", "theme")):
        for term in taxonomy.facet(facet):
            if term.id not in used[facet]:
                problems.append(
                    warning(
                        taxonomy.path,
                        term.line,
                        f"{facet}.{term.id}",
                        f"no summary uses this {noun}; "
                        f"add `{term.id}` to the {facet} of a summary it fits, or remove the {noun}",
                    )
                )
    return problems


def check_taxonomy_text(taxonomy: Taxonomy) -> list[Problem]:
    """Unsafe markup in the Markdown `details` of taxonomy items, reported at the item's id line."""
    problems = []
    for facet in ("roles", "themes", "evidence_types", "settings"):
        for term in taxonomy.facet(facet):
            for heading, text in ((h, t) for h, t in term.details):
                for _, message in unsafe_markup(text):
                    problems.append(
                        error(taxonomy.path, term.line, f"{facet}.{term.id}.details", f"{heading}: {message}")
                    )
            for name, text in (("title", term.title), ("description", term.description)):
                for _, message in unsafe_markup(text):
                    problems.append(error(taxonomy.path, term.line, f"{facet}.{term.id}.{name}", message))
    return problems


def unsafe_markup(text: str) -> list[tuple[int, str]]:
    """Raw HTML, unsafe link schemes and attribute lists in Markdown: (0-based line offset, message)."""
    if not _MARKUP_CHAR.search(text):
        # No tag, comment, link, image, snippet, attribute list or code (most sections): only
        # nesting can be wrong, and the searches below would find nothing (a third of `check`).
        return sorted(_too_deep_or_dense(text, lambda offset: text.count("\n", 0, offset)))
    masked = _mask_code(text)
    found: list[tuple[int, str]] = []

    # Line starts, so that many findings cost a binary search each rather than a count from the start.
    starts = [0, *(m.end() for m in re.finditer("\n", masked))]

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    def add(offset: int, message: str) -> None:
        found.append((line_of(offset), message))

    html_lines: set[int] = set()
    for match in _ANGLE.finditer(masked):
        start = match.start()
        if autolink := _AUTOLINK.match(masked, start):
            if masked[:start].rstrip().endswith("]("):
                continue  # `[text](<url>)`: checked with the links below
            if (scheme := _scheme(autolink.group(1))) and scheme not in SAFE_SCHEMES:
                add(
                    start,
                    f'link to "{_shown(autolink.group(1))}" is not allowed: links must start with '
                    f"https://, http:// or mailto:; write {_LINK_EXAMPLE}",
                )
        elif _AUTOMAIL.match(masked, start):
            continue
        elif masked.startswith("<!--", start):
            add(
                start,
                'HTML comment "<!--" is not allowed: readers would not see it but it would be published '
                "in the page; delete it",
            )
        elif _TAG_START.match(masked, start) and line_of(start) not in html_lines:
            html_lines.add(line_of(start))  # one report per line: `<p><b>` is one mistake
            end = masked.find(">", start)
            snippet = masked[start : end + 1] if 0 < end - start < 40 else masked[start : start + 20]
            add(
                start,
                f'raw HTML "{_shown(snippet)}" is not allowed: write Markdown instead (*emphasis*, '
                f"**bold**, {_LINK_EXAMPLE}); to show a < sign, put a space after it or `backticks` round it",
            )
    images = _images(masked)
    for start, target in images.values():
        if _scheme(target) is not None or _network_path(target):
            add(
                start,
                f'image "{_shown(target)}" is not allowed: a picture from another site or a data: '
                "address would load in readers' browsers (the site makes no third-party requests); "
                f"link to it instead, like {_LINK_EXAMPLE}",
            )
        else:
            # The sanitiser keeps no <img>, so a picture would vanish from the page without a word.
            add(
                start,
                f'image "{_shown(target)}" is not allowed: summaries are text and the site shows no '
                f"pictures from them; link to it instead, like {_LINK_EXAMPLE}",
            )
    for match in _LINK.finditer(masked):
        target = match.group(1).strip()
        scheme = _scheme(target)
        if match.start() in images:
            continue  # an image's target, reported above
        if scheme is not None and scheme not in SAFE_SCHEMES:
            add(
                match.start(),
                f'link to "{_shown(target)}" is not allowed: links must start with https://, '
                f"http:// or mailto:; write {_LINK_EXAMPLE}",
            )
    for match in _SNIPPET.finditer(masked):
        add(
            match.start(),
            f'snippet line "{_shown(match.group(0))}" is not allowed: it would copy another file of the '
            "repository into the page; delete it",
        )
    for match in _REF_DEF.finditer(masked):
        target = match.group(2)
        if (scheme := _scheme(target)) is not None and scheme not in SAFE_SCHEMES:
            add(
                match.start(2),
                f'link definition to "{_shown(target)}" is not allowed: links must start with '
                "https://, http:// or mailto:; write `[name]: https://example.org/page`",
            )
    for match in _ATTR_LIST.finditer(masked):
        add(
            match.start(),
            f'attribute list "{_shown(match.group(0))}" is not allowed: it can set HTML attributes '
            "such as onclick or style; delete it (headings and links need none)",
        )
    found += _too_deep_or_dense(masked, line_of)
    return sorted(found)


def _too_deep_or_dense(masked: str, line_of: Callable[[int], int]) -> list[tuple[int, str]]:
    """Markdown that Python-Markdown cannot render in time, or at all: one report of each kind.

    Lists or quotes nested hundreds deep (`- - - ... x`) exceed Python's recursion limit and stop
    the build; thousands of `[` in one paragraph take its link search minutes.
    """
    found = _too_deep(masked)
    if masked.count("[") <= MAX_BRACKETS:
        return found  # no paragraph can have too many
    start = 0
    for paragraph in _BLANK_LINE.split(masked):
        if paragraph.count("[") > MAX_BRACKETS:
            found.append(
                (
                    line_of(masked.find(paragraph, start)),
                    f'{paragraph.count("[")} "[" in one paragraph; at most {MAX_BRACKETS} are allowed, '
                    "as Markdown takes minutes to read more",
                )
            )
            break
        start += len(paragraph)
    return found


def _too_deep(masked: str) -> list[tuple[int, str]]:
    """The first line nested deeper than Python-Markdown can go, as a finding; else nothing."""
    # Only a line that starts with indentation or a marker nests at all; the others, most lines,
    # need no look. A match in "\n" + masked starts where its line starts in masked.
    for match in _NESTABLE.finditer("\n" + masked):
        start = match.start()
        end = masked.find("\n", start)
        line = masked[start : end if end >= 0 else len(masked)]
        if line.strip() and (depth := _nesting(line)) > MAX_NESTING:
            message = (
                f"lists, quotes or indentation nested {depth} deep; at most {MAX_NESTING} levels can be "
                "shown, so flatten it"
            )
            return [(masked.count("\n", 0, start), message)]
    return []


def _nesting(line: str) -> int:
    """How many list, quote or indentation levels a line opens, as Python-Markdown nests them."""
    text = line.expandtabs(4)
    depth = (len(text) - len(text.lstrip(" "))) // 4
    position = len(text) - len(text.lstrip(" "))
    while (marker := _CONTAINER.match(text, position)) and marker.end() > position:
        depth += 1
        position = marker.end()
    return depth


def _check_ids(summary: Summary, taxonomy: Taxonomy) -> Iterator[Problem]:
    """Unknown or repeated taxonomy ids, and a summary with no theme."""
    lines = summary.field_lines
    for field, facet, noun in _FACET_OF:
        known = [term.id for term in taxonomy.facet(facet)]
        seen: set[str] = set()
        for value in getattr(summary, field):
            if value in seen:
                yield error(summary.path, lines.get(field, 1), field, f'"{value}" is listed twice')
                continue
            seen.add(value)
            if value not in known and not _TODO.search(value):
                yield error(
                    summary.path, lines.get(field, 1), field, _unknown(value, noun, facet, known, taxonomy)
                )
    known = [term.id for term in taxonomy.evidence_types]
    value = summary.evidence_type
    if value and value not in known and not _TODO.search(value):
        yield error(
            summary.path,
            lines.get("evidence_type", 1),
            "evidence_type",
            _unknown(value, "evidence type", "evidence_types", known, taxonomy),
        )
    if not summary.themes and ("themes" in lines or not lines):
        yield error(
            summary.path,
            lines.get("themes", 1),
            "themes",
            "at least one theme is needed, so that "
            "readers can find the paper; write it like `themes: [empowerment, stigma-reduction]`",
        )


def _unknown(value: str, noun: str, facet: str, known: list[str], taxonomy: Taxonomy) -> str:
    """The message for an id that is not in the taxonomy."""
    hint = did_you_mean(value, known) or next(
        # "stigma" for "stigma-reduction": a word of an id is a near miss too, though difflib misses it.
        (f' Did you mean "{term}"?' for term in known if value.lower() in term.split("-")),
        "",
    )
    listing = hint or f" Known {facet.replace('_', ' ')}: {', '.join(known)}."
    article = "an" if noun[0] in "aeiou" else "a"
    return (
        f'"{value}" is not {article} {noun} id in {taxonomy.path}; use an id from its `{facet}:` list, '
        f"or propose a new {noun} there (see CONTRIBUTING.md).{listing}"
    )


def _check_template_text(summary: Summary) -> Iterator[Problem]:
    """Template text left unfilled: TODO markers and the template's own sentences."""
    places = [
        (name, summary.field_lines.get(name, 1), getattr(summary, name))
        for name in ("evidence_type", "country", "takeaway", "metadata_note", "based_on")
    ]
    places += [
        (name, summary.field_lines.get(name, 1), " ".join(getattr(summary, name)))
        for name in ("roles", "themes", "settings", "unverified")
    ]
    for section in summary.sections.values():
        places.append((section.heading, section.body_line or section.line, section.body))
    # The common case, a summary with no template text left, in one search of all its text (a
    # fifth of `check`, place by place). Lower-casing and folding spaces keep each place's folded
    # text whole inside the folded whole, so nothing a place holds can be missed.
    if _template_text_in("\n".join(text for _, _, text in places)):
        yield from _template_text_at(summary.path, places)


def _template_text_at(path: str, places: list[tuple[str, int, str]]) -> Iterator[Problem]:
    """The template text left in each (field, line, text) place, at its exact line."""
    for field, line, text in places:
        if not _template_text_in(text):
            continue  # the common case, checked once
        # Line by line for the exact line; else the first line, for a sentence wrapped over lines.
        for at, part in [*((line + i, part) for i, part in enumerate(text.split("\n"))), (line, text)]:
            if message := _template_text_in(part):
                yield error(path, at, field, message)
                break


def _template_text_in(text: str) -> str:
    """What template text the text still holds, as a message; empty if none."""
    # A substring test first: \b at every position made the search the costliest part of `check`.
    if "TODO" in text and _TODO.search(text):
        return 'template text "TODO" left in; replace it with your own words'
    lowered = text.lower()
    folded = None
    for sentence, words in _template_sentences():
        # Each word of a sentence, having no space, lies whole in one word of the text: when one is
        # not there, neither is the sentence, and the text need not be folded (the costly part).
        if all(word in lowered for word in words):
            folded = folded if folded is not None else " ".join(lowered.split())  # as _fold
            if sentence in folded:
                return f'template text left in ("{_shown(sentence)}"); replace it with your own words'
    return ""


def _check_metadata(summary: Summary, entry: Entry | None) -> Iterator[Problem]:
    """`unverified` must name fields the entry has; incomplete metadata needs a note for readers."""
    lines = summary.field_lines
    if entry is not None:
        present = (
            set(entry.fields)
            | ({"author"} if entry.authors else set())
            | ({"editor"} if entry.editors else set())
        )
        for name in summary.unverified:
            if name not in present:
                yield error(
                    summary.path,
                    lines.get("unverified", 1),
                    "unverified",
                    f'"{name}" is not a field of the entry {entry.key} ({entry.path}:{entry.line}); list '
                    f"only fields it has: {', '.join(sorted(present))}.{did_you_mean(name, present)}",
                )
    if summary.metadata_status == "incomplete" and not summary.metadata_note.strip():
        yield error(
            summary.path,
            lines.get("metadata_status", 1),
            "metadata_note",
            "metadata_status is incomplete "
            'but there is no metadata_note; tell readers what is missing, like `metadata_note: "The page '
            'numbers could not be checked."`',
        )
    elif summary.unverified and not summary.metadata_note.strip():
        yield warning(
            summary.path,
            lines.get("unverified", 1),
            "metadata_note",
            "some fields are marked unverified "
            "but there is no metadata_note; tell readers what could not be confirmed and why",
        )


def _check_markup(summary: Summary) -> Iterator[Problem]:
    """Unsafe markup in the sections and in the plain-text fields readers see."""
    texts = [section.body for section in summary.sections.values()]
    texts += [summary.takeaway, summary.metadata_note, summary.based_on, summary.country]
    whole = "\n".join(texts)
    # Most summaries hold no markup character at all: then only nesting can be wrong (there is no
    # "[" to count), and one look at all their lines together shows that it is not.
    if _MARKUP_CHAR.search(whole) or _too_deep(whole):
        yield from _markup_at(summary)


def _markup_at(summary: Summary) -> Iterator[Problem]:
    """The unsafe markup of each section and plain-text field, at its line."""
    for section in summary.sections.values():
        base = section.body_line or section.line
        for offset, message in unsafe_markup(section.body):
            yield error(summary.path, base + offset, section.heading, message)
    for name in ("takeaway", "metadata_note", "based_on", "country"):
        for _, message in unsafe_markup(getattr(summary, name)):
            yield error(summary.path, summary.field_lines.get(name, 1), name, message)


def _mask_code(text: str) -> str:
    """The text with fenced code and code spans blanked out (same length and lines): code is shown as is."""
    lines = text.split("\n")
    for start, end in fenced_blocks(lines):
        for index in range(start + 1, end):  # fence lines stay: their `{...}` options are checked too
            lines[index] = " " * len(lines[index])
    masked = "\n".join(lines)
    # Code spans never cross a blank line (a paragraph break), so match them paragraph by paragraph.
    parts = re.split(r"(\n[ \t]*\n)", masked)
    return "".join(_mask_spans(part) for part in parts)


def _mask_spans(paragraph: str) -> str:
    """Blank the inside of each `code span` of one paragraph, as Python-Markdown pairs backtick runs."""
    if "`" not in paragraph:
        return paragraph
    out = list(paragraph)
    position = 0
    while opener := _BACKTICKS.search(paragraph, position):
        ticks = opener.group(1)
        closer = re.compile(rf"(?<!`){ticks}(?!`)").search(paragraph, opener.end())
        if closer is None:
            position = opener.end()
            continue
        for index in range(opener.end(), closer.start()):
            if out[index] != "\n":
                out[index] = " "
        position = closer.end()
    return "".join(out)


def _images(masked: str) -> dict[int, tuple[int, str]]:
    """Each picture Python-Markdown would make: offset of its closing `]` -> (offset of `!`, target).

    Inline (`![a [b]](x)`), reference (`![a][r]`, `![r][]`) and shortcut (`![r]`) forms, with
    nested brackets in the text as Python-Markdown allows them.
    """
    definitions = {" ".join(m.group(1).lower().split()): m.group(2) for m in _REF_DEF.finditer(masked)}
    found: dict[int, tuple[int, str]] = {}
    closers = _bracket_pairs(masked) if "![" in masked else {}
    for match in _IMAGE_START.finditer(masked):
        close = closers.get(match.end() - 1, -1)
        if close < 0:
            continue
        inline = _INLINE_TARGET.match(masked, close + 1)
        if inline:
            found[close] = (match.start(), inline.group(1).strip())
            continue
        reference = _REF_LABEL.match(masked, close + 1)
        written = reference.group(1) if reference else ""
        label = written if written.strip() else masked[match.end() : close]
        target = definitions.get(" ".join(label.lower().split()))
        if target is not None:
            found[close] = (match.start(), target)
    return found


def _bracket_pairs(text: str) -> dict[int, int]:
    """Offset of each `[` to that of its closing `]`, paired within a paragraph as Python-Markdown does."""
    pairs: dict[int, int] = {}
    open_at: list[int] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped bracket is text
            continue
        if char == "[":
            open_at.append(index)
        elif char == "]" and open_at:
            pairs[open_at.pop()] = index
        elif char == "\n" and _BLANK_LINE.match(text, index):
            open_at.clear()  # a paragraph ends: brackets never pair across it
        index += 1
    return pairs


def _network_path(target: str) -> bool:
    """Whether a target without a scheme still names another host: `//host`, `\\\\host`, `/\\host`."""
    cleaned = re.sub(r"[\x00-\x20\x7f<>]+", "", html.unescape(target)).replace("\\", "/")
    return cleaned.startswith("//")


def _scheme(target: str) -> str | None:
    """The URL scheme a browser would see, after entities, escapes, controls and spaces are removed."""
    cleaned = _INVISIBLE.sub("", html.unescape(target)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def _shown(text: str) -> str:
    """Text quoted in a message: one line, at most 60 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _fold(text: str) -> str:
    """Lower case with runs of white space as single spaces, for comparing with the template."""
    return " ".join(text.lower().split())


@cache
def _template_sentences() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The template's instructions (its TODO texts without the marker), read once from the package.

    Each is folded (see _fold) and paired with its words, longest (so rarest) first.
    """
    data = resources.files("peerkb").joinpath("templates/summary.md").read_bytes()
    template, _ = read_summary(TEMPLATE, data)
    assert template is not None, "the packaged summary template must parse"
    texts = [template.takeaway, template.based_on, *(s.body for s in template.sections.values())]
    sentences = []
    for text in texts:
        for line in text.split("\n"):
            cleaned = re.sub(r"^\s*(?:[-*+]\s+)?TODO:\s*", "", line).strip()
            if len(cleaned) > 20:
                folded = _fold(cleaned)
                sentences.append((folded, tuple(sorted(set(folded.split(" ")), key=lambda w: (-len(w), w)))))
    return tuple(sentences)
