"""Author and editor lists of BibTeX entries: split into names as pybtex splits them, with a problem
for each name pybtex would garble (a stray "and", too many commas, a suffix read as a given name).
"""

from __future__ import annotations

import re

from pybtex.bibtex.utils import split_name_list, split_tex_string
from pybtex.database import Person as PybtexPerson

from .latex import latex_to_unicode
from .model import Person
from .problems import Problem, error

_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
_LINEAGE = re.compile(r"(?:jr|sr|[ivx]+|\d+(?:st|nd|rd|th))\.?", re.IGNORECASE)
# What makes a name TeX to pybtex: groups, commands and ties. A name with none is plain text.
_TEX = re.compile(r"[{}\\~]")


def persons(
    path: str,
    line: int,
    field: str,
    value: str,
    problems: list[Problem],
    seen: dict[str, tuple],
) -> tuple[Person, ...]:
    """The names in an author or editor list, with a problem for each one pybtex would garble."""
    people = []
    for number, name in enumerate(split_name_list(value), start=1):
        if name not in seen:  # the same author recurs across a library; parse each name once
            seen[name] = _person(name)
        person, hint = seen[name]
        if hint:
            problems.append(error(path, line, field, f'name {number} "{name}" {hint}'))
        people.append(person)
    return tuple(people)


def _person(name: str) -> tuple[Person, str]:
    """One name split by pybtex and decoded, with what is suspicious about it ("" if nothing)."""
    parts = split_tex_string(name, ",") if name.count(",") > 1 else [name]
    hint = ""
    if _AND.search(name) and any(word.lower() == "and" for word in split_tex_string(name)):
        hint = 'has a stray "and"; names are separated by " and " with one name on each side'
    elif len(parts) > 3:
        hint = 'has too many commas; expected "Family, Given" or "Family, Jr, Given"'
        parts = [*parts[:2], " ".join(parts[2:])]
    elif len(parts) == 3 and _LINEAGE.fullmatch(parts[2]) and not _LINEAGE.fullmatch(parts[1]):
        hint = (
            f'reads as family "{parts[0]}", suffix "{parts[1]}", given "{parts[2]}"; '
            f'write "{parts[0]}, {parts[2]}, {parts[1]}" (Family, Jr, Given)'
        )
    given, family, suffix = name_parts(", ".join(parts))
    if not hint and not family:
        hint = 'has no family name; expected "Family, Given", e.g. "Repper, Julie"'
    return Person(
        given=latex_to_unicode(given),
        family=latex_to_unicode(family),
        suffix=latex_to_unicode(suffix),
    ), hint


def name_parts(name: str) -> tuple[str, str, str]:
    """(given names, family name with any particle, suffix) as pybtex's Person splits the name."""
    plain = None if _TEX.search(name) else _plain_name_parts(name)
    if plain is not None:
        return plain
    person = PybtexPerson(name)
    return (
        " ".join(person.first_names + person.middle_names),
        " ".join(person.prelast_names + person.last_names),
        " ".join(person.lineage_names),
    )


def _plain_name_parts(name: str) -> tuple[str, str, str] | None:
    """name_parts for a name without TeX, as pybtex's rules give it, in a fifth of the time.

    Without groups, commands or ties, pybtex splits at commas and at white space exactly as
    str.split does; its rules then read "von Last, Jr, First", "von Last, First" or "First von
    Last", where "von" starts at the first word that begins in lower case. Particle and family
    name are one family name here, so only the last form needs the particle at all.
    """
    parts = [part.strip() for part in name.strip().split(",")] if name.strip() else []
    if len(parts) > 3:
        return None  # pybtex reports it (and _person never asks)
    if len(parts) == 1:
        words = parts[0].split()
        cut = next((index for index, word in enumerate(words) if _is_particle(word)), len(words))
        given, family = words[:cut], words[cut:]
        if not family and given:
            family = [given.pop()]  # "First Last": the last word is the family name
        return " ".join(given), " ".join(family), ""
    if not parts:
        return "", "", ""
    lineage = parts[1] if len(parts) == 3 else ""
    return " ".join(parts[-1].split()), " ".join(parts[0].split()), " ".join(lineage.split())


def _is_particle(word: str) -> bool:
    """Whether pybtex reads a word (without TeX) as a particle: its first letter is lower case."""
    if word[0].isupper():
        return False
    if word[0].islower():
        return True
    return next((char.islower() for char in word if char.isalpha()), False)
