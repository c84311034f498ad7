"""Reading references/taxonomy.yml: the four facets of the controlled vocabulary, every slip reported."""

from __future__ import annotations

import re
from collections.abc import Callable

from peerkb.frontmatter import Path, describe, read_yaml
from peerkb.model import FACETS, Taxonomy, Term
from peerkb.problems import Problem, did_you_mean, error, sort_problems

Report = Callable[[str, str], None]

# Keys an item may have; id, title and description are required.
ITEM_KEYS = ("id", "title", "description", "also_called", "featured", "parent", "details")
DETAIL_KEYS = ("heading", "text")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EXAMPLES = {
    "id": "id: peer-navigator",
    "title": 'title: "Peer navigator"',
    "description": 'description: "A peer worker who helps people find their way around services."',
    "also_called": 'also_called: ["peer support worker", "PSW"]',
    "featured": 'featured: "true"',
    "parent": "parent: peer-researcher",
    "details": 'details: [{heading: "Where nurses meet it", text: "On acute wards."}]',
}


def read_taxonomy(path: str, data: bytes) -> tuple[Taxonomy, tuple[Problem, ...]]:
    """Parse the taxonomy file; terms with problems are kept where they have a usable id."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Taxonomy(path), (
            error(
                path,
                line,
                "",
                f"not UTF-8 (byte 0x{data[exc.start]:02x} cannot be read); save the file with UTF-8 encoding",
            ),
        )
    tree, lines, problems = read_yaml(path, text)
    if tree is None and problems:
        return Taxonomy(path), tuple(problems)
    if not isinstance(tree, dict):
        problems.append(
            error(
                path,
                1,
                "",
                f"expected the four lists {', '.join(f'`{f}:`' for f in FACETS)}, "
                "each a list of items starting `- id: ...`",
            )
        )
        return Taxonomy(path), tuple(problems)
    facets: dict[str, tuple[Term, ...]] = {}
    for name, value in tree.items():
        line = lines.get((name,), 1)
        if name not in FACETS:
            problems.append(
                error(
                    path,
                    line,
                    name,
                    f"unknown list; expected one of: {', '.join(FACETS)}.{did_you_mean(name, FACETS)}",
                )
            )
        elif isinstance(value, list):
            facets[name] = _read_facet(path, name, value, lines, problems)
        elif value is not None:
            problems.append(error(path, line, name, f"expected a list of items like `- {_EXAMPLES['id']}`"))
    for name in FACETS:
        if name not in tree:
            problems.append(error(path, 1, name, f"missing list `{name}:`; every facet must be present"))
    return Taxonomy(path, **facets), tuple(sort_problems(problems))


def _read_facet(
    path: str, facet: str, items: list[object], lines: dict[Path, int], problems: list[Problem]
) -> tuple[Term, ...]:
    """The terms of one facet, with duplicate ids and bad parents reported."""
    terms: list[Term] = []
    parents: list[tuple[Term, int]] = []
    for index, item in enumerate(items):
        where = (facet, index)
        line = lines.get(where, 1)
        if not isinstance(item, dict):
            if item is not None:
                problems.append(
                    error(
                        path,
                        line,
                        f"{facet}[{index}]",
                        f"expected an item with `id`, `title` and `description`, like `- {_EXAMPLES['id']}`",
                    )
                )
            continue
        term = _read_item(path, facet, index, item, lines, problems)
        if term is None:
            continue
        earlier = next((t for t in terms if t.id == term.id), None)
        if earlier is not None:
            problems.append(
                error(
                    path,
                    term.line,
                    f"{facet}.{term.id}",
                    f"duplicate id; it is already used on line {earlier.line}",
                )
            )
            continue
        terms.append(term)
        if term.parent:
            parents.append((term, lines.get((*where, "parent"), term.line)))
    ids = {t.id for t in terms}
    for term, line in parents:
        if term.parent == term.id:
            problems.append(
                error(path, line, f"{facet}.{term.id}.parent", "an item cannot be its own parent")
            )
        elif term.parent not in ids:
            problems.append(
                error(
                    path,
                    line,
                    f"{facet}.{term.id}.parent",
                    f'"{term.parent}" is not an id in `{facet}:`.{did_you_mean(term.parent, ids)}',
                )
            )
        elif _cycles(term, {t.id: t.parent for t in terms}):
            problems.append(
                error(
                    path,
                    line,
                    f"{facet}.{term.id}.parent",
                    "parents go round in a circle; "
                    "a parent must be a broader item that has no parent back to this one",
                )
            )
    return tuple(terms)


def _read_item(
    path: str,
    facet: str,
    index: int,
    item: dict[str, object],
    lines: dict[Path, int],
    problems: list[Problem],
) -> Term | None:
    """One term; None when it has no usable id."""
    where = (facet, index)
    raw_id = item.get("id")
    term_id = raw_id.strip() if isinstance(raw_id, str) else ""
    label = f"{facet}.{term_id}" if term_id else f"{facet}[{index}]"

    def report(key: str, message: str) -> None:
        problems.append(error(path, lines.get((*where, key), lines.get(where, 1)), f"{label}.{key}", message))

    for key in item:
        if key not in ITEM_KEYS:
            report(
                key, f"unknown key; expected one of: {', '.join(ITEM_KEYS)}.{did_you_mean(key, ITEM_KEYS)}"
            )
    for key in ("id", "title", "description"):
        value = item.get(key)
        if key not in item:
            report(key, f"missing required key; add a line like `{_EXAMPLES[key]}`")
        elif value is not None and not (isinstance(value, str) and value.strip()):
            report(key, f"expected text like `{_EXAMPLES[key]}`, got {describe(value)}")
    if term_id and not _ID.fullmatch(term_id):
        report(
            "id",
            f"expected lower-case letters, digits and single hyphens, like `{_EXAMPLES['id']}`, "
            f'got "{term_id}"',
        )
    elif term_id == "index":
        # roles/index.md is the Roles page itself: the term's own page would be lost under it.
        example = _EXAMPLES["id"]
        report("id", f'"index" is the name of the {facet} list page; choose another id, like `{example}`')
    featured = item.get("featured", "false")
    if isinstance(featured, str) and featured.strip() not in ("true", "false"):
        report("featured", f'expected "true" or "false", got "{featured}"')
    elif featured is not None and not isinstance(featured, str):
        report("featured", f"expected `{_EXAMPLES['featured']}`, got {describe(featured)}")
    parent = item.get("parent", "")
    if parent is not None and not isinstance(parent, str):
        report("parent", f"expected one id like `{_EXAMPLES['parent']}`, got {describe(parent)}")
    if not term_id:
        return None
    return Term(
        id=term_id,
        facet=facet,
        title=_text(item.get("title")),
        description=_text(item.get("description")),
        also_called=_strings(item.get("also_called"), report),
        details=_details(item.get("details"), (*where, "details"), lines, report, path, label, problems),
        parent=_text(parent),
        featured=_text(featured) == "true",
        line=lines.get((*where, "id"), lines.get(where, 1)),
    )


def _strings(value: object, report: Report) -> tuple[str, ...]:
    """also_called: a list of names."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(
            "also_called",
            f"expected a list of names like `{_EXAMPLES['also_called']}`, got {describe(value)}",
        )
        return ()
    return tuple(v.strip() for v in value if v.strip())


def _details(
    value: object,
    where: Path,
    lines: dict[Path, int],
    report: Report,
    path: str,
    label: str,
    problems: list[Problem],
) -> tuple[tuple[str, str], ...]:
    """details: a list of {heading, text} sections."""
    if value is None:
        return ()
    if not isinstance(value, list):
        report("details", f"expected a list of sections like `{_EXAMPLES['details']}`, got {describe(value)}")
        return ()
    out = []
    for index, section in enumerate(value):
        at = lines.get((*where, index), 1)
        name = f"{label}.details[{index}]"
        if not isinstance(section, dict):
            if section is not None:
                problems.append(
                    error(
                        path,
                        at,
                        name,
                        f"expected a section with `heading:` and `text:`, like `{_EXAMPLES['details']}`",
                    )
                )
            continue
        for key in section:
            if key not in DETAIL_KEYS:
                problems.append(
                    error(
                        path,
                        lines.get((*where, index, key), at),
                        f"{name}.{key}",
                        f"unknown key; expected heading or text.{did_you_mean(key, DETAIL_KEYS)}",
                    )
                )
        heading, text = section.get("heading"), section.get("text")
        for key, got in (("heading", heading), ("text", text)):
            if not (isinstance(got, str) and got.strip()):
                problems.append(
                    error(
                        path,
                        lines.get((*where, index, key), at),
                        f"{name}.{key}",
                        f"expected text, got {describe(got)}; every section needs a heading and a text",
                    )
                )
        if isinstance(heading, str) and isinstance(text, str) and heading.strip() and text.strip():
            out.append((heading.strip(), text.strip()))
    return tuple(out)


def _cycles(term: Term, parent_of: dict[str, str]) -> bool:
    """Whether following parents from this term comes back to it."""
    seen = {term.id}
    current = term.parent
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parent_of.get(current, "")
    return False


def _text(value: object) -> str:
    """Stripped text, or empty for anything else."""
    return value.strip() if isinstance(value, str) else ""
