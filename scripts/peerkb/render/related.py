"""Related papers: for each paper, up to five others that share its authors, themes or roles.

Score = 3 x shared authors (by family name) + 2 x shared themes + 1 x shared role; ties go to
the newer paper, then to the smaller key. Comparing every pair of 5,000 papers in Python would
take tens of seconds, so each author, theme and role is instead a bit set over all papers (bit i =
the i-th paper in tie-break order). Adding a paper's sets with a bit-sliced counter gives, for
every other paper at once, how many it shares; the best five are then the lowest set bits of the
highest-scoring masks. Each step is a handful of big-integer operations of n/64 machine words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import product

from peerkb.model import Paper

LIMIT = 5
# Weights: a shared author says most about closeness, a shared role least (most papers share one).
AUTHOR, THEME, ROLE = 3, 2, 1


def _families(paper: Paper) -> set[str]:
    people = paper.entry.authors or paper.entry.editors
    return {p.family.casefold() for p in people if p.family.strip()}


def _rank_order(papers: Sequence[Paper]) -> list[Paper]:
    """Tie-break order: newest first, then key (papers without a year last)."""
    return sorted(papers, key=lambda p: (-(p.entry.year or 0), p.key))


def _index(order: Sequence[Paper]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Bit sets of the papers by author family name, theme and role."""
    authors: dict[str, int] = {}
    themes: dict[str, int] = {}
    roles: dict[str, int] = {}
    for i, paper in enumerate(order):
        bit = 1 << i
        for family in _families(paper):
            authors[family] = authors.get(family, 0) | bit
        for theme in set(paper.summary.themes):
            themes[theme] = themes.get(theme, 0) | bit
        for role in set(paper.summary.roles):
            roles[role] = roles.get(role, 0) | bit
    return authors, themes, roles


def _counts(masks: Iterable[int], everyone: int) -> list[int]:
    """For each c, the set of papers in exactly c of the masks (index = c), by a bit-sliced adder."""
    planes: list[int] = []  # planes[j] holds bit j of each paper's count
    for mask in masks:
        carry = mask
        for j, plane in enumerate(planes):
            planes[j], carry = plane ^ carry, plane & carry
            if not carry:
                break
        if carry:
            planes.append(carry)
    exactly = []
    for count in range(1 << len(planes)):
        found = everyone
        for j, plane in enumerate(planes):
            found &= plane if count >> j & 1 else ~plane
        exactly.append(found)
    return exactly


def _lowest_bits(mask: int, limit: int) -> list[int]:
    """Indices of the lowest set bits of mask, at most limit of them."""
    found = []
    while mask and len(found) < limit:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def related_papers(papers: Sequence[Paper], limit: int = LIMIT) -> Mapping[str, tuple[Paper, ...]]:
    """Each paper's key to its most related other papers, best first (sharing at least something)."""
    order = _rank_order(papers)
    by_author, by_theme, by_role = _index(order)
    everyone = (1 << len(order)) - 1
    related: dict[str, tuple[Paper, ...]] = {}
    for i, paper in enumerate(order):
        others = everyone & ~(1 << i)
        authors = _counts((by_author[f] for f in _families(paper)), others)
        themes = _counts((by_theme[t] for t in set(paper.summary.themes)), others)
        roles = _counts((by_role[r] for r in set(paper.summary.roles)), others)
        # Every (authors, themes, roles) count combination, grouped by score, best score first.
        by_score: dict[int, int] = {}
        for (a, am), (t, tm), (r, rm) in product(enumerate(authors), enumerate(themes), enumerate(roles)):
            score = AUTHOR * a + THEME * t + ROLE * r
            if score and am and tm and rm:
                by_score[score] = by_score.get(score, 0) | (am & tm & rm)
        chosen: list[int] = []
        for score in sorted(by_score, reverse=True):
            chosen += _lowest_bits(by_score[score], limit - len(chosen))
            if len(chosen) == limit:
                break
        related[paper.key] = tuple(order[j] for j in chosen)
    return related


def shared_with(paper: Paper, other: Paper) -> tuple[list[str], list[str], list[str]]:
    """What two papers share: author family names (as written in other), theme ids, role ids."""
    mine = _families(paper)
    people = other.entry.authors or other.entry.editors
    authors = list(dict.fromkeys(p.family for p in people if p.family.casefold() in mine))
    themes = [t for t in other.summary.themes if t in paper.summary.themes]
    roles = [r for r in other.summary.roles if r in paper.summary.roles]
    return authors, themes, roles
