"""Citations kept across builds in .cache/peerkb/: same pages, and a tampered file is inert."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from conftest import mkdocs_build
from peerkb.citation_cache import (
    CACHE_FILE,
    PARALLEL_FROM,
    CitationStore,
    fill_in_parallel,
    generation,
    read_citation_store,
    write_citation_store,
)
from peerkb.citations import (
    STYLES,
    citation_input,
    format_bibliography,
    format_styles,
    store_key,
    well_formed,
)
from test_citations import ALLOWED_TAGS, SEED, visible


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_warm_cache_builds_the_same_site_byte_for_byte(project: Path, tmp_path: Path) -> None:
    cold = mkdocs_build(project, tmp_path / "cold")
    assert cold.returncode == 0, cold.stderr
    cache = json.loads((project / CACHE_FILE).read_text(encoding="utf-8"))
    assert cache["generation"] == generation()
    summaries = list((project / "references" / "summaries").glob("*.md"))
    assert len(cache["citations"]) == len(STYLES) * len(summaries)
    warm = mkdocs_build(project, tmp_path / "warm")
    assert warm.returncode == 0, warm.stderr
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")


def test_a_store_gives_the_same_citations_as_formatting_afresh() -> None:
    store = CitationStore()
    for style in STYLES:
        assert format_bibliography(SEED, style, store) == format_bibliography(SEED, style)
        # Second time from the store alone: citeproc-py is not needed.
        assert format_bibliography(SEED, style, CitationStore(store.used)) == format_bibliography(SEED, style)
    assert all(well_formed(marked) for marked in store.used.values())


@pytest.mark.parametrize(
    "tampered",
    [
        '<script>alert(1)</script> <a href="javascript:alert(1)">x</a> {{ config }}',
        "\ue000unclosed italic <b>",  # markers that do not pair are dropped, not turned into tags
        "\ue001\ue000 closed before opened",
        "\ue010javascript:alert(1)\ue011",
        "\ue0fe\ue0ff other private characters",
    ],
)
def test_a_tampered_cache_entry_cannot_put_markup_on_a_page(tampered: str) -> None:
    entry = SEED[0]
    store = CitationStore({store_key("apa", citation_input(entry)): tampered})
    citation = format_bibliography([entry], "apa", store)[entry.key]
    tags, text = visible(citation.html)
    assert text == citation.text
    for tag, attrs in tags:
        assert tag in ALLOWED_TAGS, citation.html
        # A forged DOI still only links to doi.org.
        assert all(
            name == "href" and (value or "").startswith("https://doi.org/")
            for name, value in attrs
            if tag == "a"
        )
    assert citation.html.count("<i>") == citation.html.count("</i>")
    assert "<script" not in citation.html and 'href="javascript' not in citation.html


def test_a_corrupt_foreign_or_outdated_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / CACHE_FILE
    path.parent.mkdir(parents=True)
    for text in ("{not json", "[]", '{"generation": "x", "citations": {"a": "b"}}',
                 json.dumps({"generation": generation(), "citations": ["a"]})):  # fmt: skip
        path.write_text(text, encoding="utf-8")
        assert read_citation_store(tmp_path).known == {}
    path.write_bytes(b"\xff\xfe")
    assert read_citation_store(tmp_path).known == {}
    mixed = {"generation": generation(), "citations": {"a": "b", "c": 1}}
    path.write_text(json.dumps(mixed), encoding="utf-8")
    assert read_citation_store(tmp_path).known == {"a": "b"}


def test_the_cache_keeps_only_what_the_last_build_used(tmp_path: Path) -> None:
    write_citation_store(tmp_path, CitationStore())
    assert not (tmp_path / CACHE_FILE).exists()  # nothing changed, nothing written
    store = CitationStore({"old": "unused", "kept": "text"})
    assert store["kept"] == "text"
    store["new"] = "more"
    write_citation_store(tmp_path, store)
    assert read_citation_store(tmp_path).known == {"kept": "text", "new": "more"}
    assert list(tmp_path.joinpath(CACHE_FILE).parent.iterdir()) == [tmp_path / CACHE_FILE]


def test_filling_a_cold_store_in_parallel_gives_the_same_citations() -> None:
    entries = [
        replace(entry, key=f"{entry.key}{n}", fields=MappingProxyType({**entry.fields, "title": f"T{n}"}))
        for n in range(80 // len(SEED) + 1)
        for entry in SEED
    ]
    expected = len({citation_input(entry) for entry in entries}) * len(STYLES)
    assert expected >= PARALLEL_FROM
    store = CitationStore()
    assert fill_in_parallel(store, entries, workers=2) == expected
    assert fill_in_parallel(CitationStore(store.used), entries, workers=2) == 0  # nothing missing
    assert fill_in_parallel(CitationStore(), entries, workers=1) == 0  # one core: formatted in order
    assert format_styles(entries, tuple(STYLES), CitationStore(store.used)) == format_styles(
        entries, tuple(STYLES)
    )
