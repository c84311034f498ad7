"""LaTeX field text as plain ASCII-folded words: what keys and duplicate checks compare."""

from __future__ import annotations

import codecs
import re
import unicodedata

import latexcodec  # noqa: F401  (registers the "ulatex" codec)

# Letters that Unicode does not decompose into a base letter and an accent.
# (\u0131 is the dotless i of Turkish.)
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "\u0131": "i"})  # fmt: skip


def unicode_text(latex: str) -> str:
    """LaTeX text decoded to Unicode, braces removed ({\\"u}ber -> über)."""
    try:
        # Escape bare % first: latexcodec reads it as a comment and drops the rest of the text.
        decoded = codecs.decode(re.sub(r"(?<!\\)%", r"\\%", latex), "ulatex")
    except (ValueError, UnicodeError):
        decoded = latex
    return re.sub(r"\s+", " ", decoded.replace("{", "").replace("}", "")).strip()


def ascii_words(latex: str) -> list[str]:
    """Lower-case ASCII words of LaTeX text (Müller's -> ["mullers"])."""
    text = unicodedata.normalize("NFKD", unicode_text(latex).translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    # O'Brien -> obrien, worker's -> workers, co-production -> coproduction
    text = re.sub(r"(?<=[a-z0-9])['\u2019\u2010-]+(?=[a-z0-9])", "", text)
    return re.findall(r"[a-z0-9]+", text)


def title_fingerprint(latex: str) -> str:
    """A title reduced to its words, so that case, accents, markup and punctuation do not matter."""
    return " ".join(ascii_words(latex))
