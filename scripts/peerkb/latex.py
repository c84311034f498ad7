"""LaTeX in BibTeX field values, decoded to the plain Unicode text a reader sees.

Our own small tokenizer does the work: latexcodec cuts text at a bare `%`, crashes on a trailing
backslash, leaves `\\"{\\i}`, `\\$`, `\\{` and `$<$` undecoded and keeps protective braces. We
still take its table of named symbols (`\\ss`, `\\textendash`, `\\alpha`, ...) so coverage is wide.
"""

# ruff: noqa: RUF001  (typographic quotes, dashes and accents are what this module produces)

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from latexcodec import codec as latexcodec


def _named_symbols() -> Mapping[str, str]:
    """Control word (without backslash) to its character, from latexcodec's table plus ours."""
    table: dict[str, str] = {}
    # A private table of latexcodec's (3.x): if a release moves it, we lose coverage, not the build;
    # tests/test_latex.py then fails on \ss and \alpha and says so.
    unicode_map = getattr(getattr(latexcodec, "_LATEX_UNICODE_TABLE", None), "unicode_map", {})
    for tokens, char in unicode_map.items():
        names = [t.name for t in tokens]
        if names == ["control_word"]:
            table[tokens[0].text[1:]] = char
        elif names == ["mathshift", "control_word", "mathshift"]:
            table.setdefault(tokens[1].text[1:], char)
    table.update(
        par=" ",
        quad=" ",
        qquad=" ",
        dots="…",
        textellipsis="…",
        textquoteleft="‘",
        textquoteright="’",
        textquotedblleft="“",
        textquotedblright="”",
        textless="<",
        textgreater=">",
        textbar="|",
        euro="€",
        texteuro="€",
        textunderscore="_",
        lq="‘",
        rq="’",
        textasciicircum="^",
        le="≤",
        ge="≥",
        ne="≠",
        to="→",
        lbrace="{",
        rbrace="}",
        textbraceleft="{",
        textbraceright="}",
        textsection="§",
        LaTeX="LaTeX",
        TeX="TeX",
        BibTeX="BibTeX",
        LaTeXe="LaTeX2e",
        slash="/",
        textslash="/",
        textdollar="$",
        textpercent="%",
        j="ȷ",
        ng="ŋ",
        NG="Ŋ",
    )
    return MappingProxyType(table)


NAMED: Mapping[str, str] = _named_symbols()

# Accent commands: combining mark, and the spacing form used when the accent has nothing to sit on.
ACCENTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "'": ("\u0301", "´"),
        "`": ("\u0300", "`"),
        "^": ("\u0302", "^"),
        '"': ("\u0308", "¨"),
        "~": ("\u0303", "~"),
        "=": ("\u0304", "¯"),
        ".": ("\u0307", "˙"),
        "u": ("\u0306", "˘"),
        "v": ("\u030c", "ˇ"),
        "H": ("\u030b", "˝"),
        "c": ("\u0327", "¸"),
        "k": ("\u0328", "˛"),
        "r": ("\u030a", "˚"),
        "d": ("\u0323", "."),
        "b": ("\u0331", "_"),
        "t": ("\u0361", "⁀"),
    }
)

# Font and style commands: the command disappears, its argument (a following group) stays.
STYLE_WORDS = frozenset(
    "emph textit textbf textsc textrm textsf texttt textup textmd textsl textnormal text mbox hbox "
    "mathrm mathit mathbf mathsf mathtt mathcal mathnormal url nolinkurl textsuperscript "
    "textsubscript uppercase lowercase MakeUppercase MakeLowercase NoCaseChange ensuremath "
    "em it bf sc rm sf tt sl itshape bfseries scshape upshape slshape mdseries normalfont relax "
    "protect selectlanguage foreignlanguage hyphenation".split()
)

# Characters a control symbol (`\&`) stands for literally; `\\` and `\ ` are spaces.
LITERAL_SYMBOLS: Mapping[str, str] = MappingProxyType(
    {
        "&": "&",
        "%": "%",
        "$": "$",
        "#": "#",
        "_": "_",
        "{": "{",
        "}": "}",
        "\\": " ",
        " ": " ",
        ",": " ",
        ";": " ",
        ":": " ",
        "!": "",
        "-": "",
        "/": "",
        "@": "",
        "*": "",
        "\n": " ",
        "\t": " ",
    }
)

_SUPERSCRIPT = str.maketrans("0123456789+-()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-()", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎")

# Any of these means there is LaTeX to decode; text without them is returned as it is.
_SPECIAL = re.compile(r"[\\{}~$`']|--")
_TOKEN = re.compile(
    r"(?P<word>\\[A-Za-z]+)(?P<space>\s*)"
    r"|(?P<symbol>\\[^A-Za-z])"
    r"|(?P<backslash>\\)"
    r"|(?P<run>---?|``|''|[{}~$`'])"
    r"|(?P<text>[^\\{}~$`'-]+|-)",
    re.DOTALL,
)
_ESCAPED = re.compile(r"\\([_%&#$~{}])")
_SCRIPT = re.compile(r"([\^_])([0-9+\-()n]+)")


def latex_to_unicode(text: str) -> str:
    """The Unicode text a reader sees for a BibTeX value: accents, dashes, quotes, no braces."""
    if not _SPECIAL.search(text):
        # text pasted from some systems is decomposed (e + combining accent); readers get NFC
        return (
            text
            if text.isascii() or unicodedata.is_normalized("NFC", text)
            else unicodedata.normalize("NFC", text)
        )
    tokens = _Tokens((m.lastgroup if m.lastgroup != "space" else "word", m) for m in _TOKEN.finditer(text))
    # Where the last `$` is, so that each `$` knows at once whether math closes (a scan from each
    # `$` to the end made 200,000 of them take minutes).
    dollars = [i for i, (kind, match) in enumerate(tokens) if kind == "run" and match.group("run") == "$"]
    tokens.last_dollar = dollars[-1] if dollars else -1
    try:
        out, _ = _decode(tokens, 0, in_group=False, in_math=False)
    except RecursionError:  # hundreds of nested braces: hostile input, keep the text readable
        out = re.sub(r"[{}]", "", text)
    return unicodedata.normalize("NFC", out)


def latex_verbatim(text: str) -> str:
    """A verbatim field (url, doi): only escaped specials are unescaped, nothing else changes."""
    if "\\" not in text:
        return text
    wrapped = re.fullmatch(r"\s*\\(?:url|nolinkurl)\s*\{(.*)\}\s*", text, re.DOTALL)
    return _ESCAPED.sub(r"\1", wrapped.group(1) if wrapped else text)


class _Tokens(list):
    """The token list of one value, knowing the index of its last `$`."""

    last_dollar: int = -1


def _decode(tokens: _Tokens, i: int, in_group: bool, in_math: bool) -> tuple[str, int]:
    """Decode tokens from i until the group or math ends; returns the text and the next index."""
    out: list[str] = []
    while i < len(tokens):
        kind, match = tokens[i]
        value = match.group(kind)
        i += 1
        if kind == "text":
            out.append(value)
        elif kind == "run":
            if value == "{":
                inner, i = _decode(tokens, i, in_group=True, in_math=in_math)
                out.append(inner)
            elif value == "}":
                if in_group:
                    return "".join(out), i
                # A stray closing brace is markup, not text: drop it.
            elif value == "$":
                if in_math:
                    return "".join(out), i
                if i <= tokens.last_dollar:
                    inner, i = _decode(tokens, i, in_group=False, in_math=True)
                    out.append(_SCRIPT.sub(_script, inner))
                else:
                    out.append("$")
            elif in_math:
                out.append({"~": "\u00a0", "'": "′"}.get(value, value))
            else:
                out.append(_PUNCTUATION[value])
        elif kind == "symbol":
            char = value[1]
            if char in ACCENTS:
                arg, i = _argument(tokens, i, in_math)
                out.append(_accent(char, arg))
            else:
                out.append(LITERAL_SYMBOLS.get(char, char))
        elif kind == "backslash":
            out.append("\\")  # a trailing backslash is kept, never lost
        else:
            text, i = _word(value[1:], match.group("space"), tokens, i, in_math)
            out.append(text)
    return "".join(out), i


_PUNCTUATION: Mapping[str, str] = MappingProxyType(
    {"--": "–", "---": "—", "``": "“", "''": "”", "`": "‘", "'": "’", "~": "\u00a0"}
)


def _word(name: str, space: str, tokens: list, i: int, in_math: bool) -> tuple[str, int]:
    """Decode the control word `\\name` (its trailing whitespace given) and any argument it takes."""
    if name in ACCENTS:
        arg, i = _argument(tokens, i, in_math)
        return _accent(name, arg), i
    if name in NAMED:
        return NAMED[name], i
    if name in ("url", "nolinkurl") and _next_is_group(tokens, i):
        raw, i = _raw_group(tokens, i + 1)  # an address: no dashes, quotes or no-break spaces
        return latex_verbatim(raw), i
    if name in STYLE_WORDS:
        return "", i
    if name == "enquote" and _next_is_group(tokens, i):
        inner, i = _decode(tokens, i + 1, in_group=True, in_math=in_math)
        return f"“{inner}”", i
    if name == "href" and _next_is_group(tokens, i):
        _, i = _raw_group(tokens, i + 1)  # the address; the text a reader sees follows it
        return "", i
    # Unknown: keep it readable as written, with an argument group in braces.
    if _next_is_group(tokens, i) and not space:
        inner, i = _decode(tokens, i + 1, in_group=True, in_math=in_math)
        return (f"\\{name}{{{inner}}}" if inner else f"\\{name}"), i
    return f"\\{name}{space}", i


def _raw_group(tokens: list, i: int) -> tuple[str, int]:
    """The text of a group as written, from just after its `{` to its `}` (excluded)."""
    depth = 0
    raw: list[str] = []
    while i < len(tokens):
        kind, match = tokens[i]
        i += 1
        if kind == "run" and match.group("run") in "{}":
            depth += 1 if match.group("run") == "{" else -1
            if depth < 0:
                break
        raw.append(match.group(0))
    return "".join(raw), i


def _next_is_group(tokens: list, i: int) -> bool:
    """Whether the next token opens a `{` group."""
    return i < len(tokens) and tokens[i][0] == "run" and tokens[i][1].group("run") == "{"


def _argument(tokens: list, i: int, in_math: bool) -> tuple[str, int]:
    """The argument of an accent: a group, a control word such as `\\i`, or one character."""
    while i < len(tokens) and tokens[i][0] == "text" and not tokens[i][1].group("text").strip():
        i += 1  # TeX skips spaces before an undelimited argument
    if i >= len(tokens):
        return "", i
    kind, match = tokens[i]
    if _next_is_group(tokens, i):
        return _decode(tokens, i + 1, in_group=True, in_math=in_math)
    if kind == "word" and match.group("word")[1:] in NAMED:
        return NAMED[match.group("word")[1:]] + match.group("space"), i + 1
    if kind == "text":
        text = match.group("text").lstrip()
        # Split the run: the first character is the argument, the rest is put back as text.
        rest = _TOKEN.match(text, 1) if len(text) > 1 else None
        if rest is not None:
            tokens[i] = ("text", rest)
            return text[0], i
        return text[:1], i + 1
    return "", i


def _accent(command: str, arg: str) -> str:
    """The argument with the accent's combining mark on its first character."""
    mark, spacing = ACCENTS[command]
    if not arg:
        return spacing
    base = {"ı": "i", "ȷ": "j"}.get(arg[0], arg[0])  # an accent on a dotless i means a plain i
    if command == "t" and len(arg) > 1:
        return base + mark + arg[1:]
    return unicodedata.normalize("NFC", base + mark) + arg[1:]


def _script(match: re.Match[str]) -> str:
    """A ^ or _ followed by digits in math, as superscript or subscript characters."""
    table = _SUPERSCRIPT if match.group(1) == "^" else _SUBSCRIPT
    return match.group(2).translate(table)
