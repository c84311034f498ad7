"""`peerkb add`: real exports in, appended BibTeX and summary scaffolds out, in a copy of a project."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peerkb.add import run_add
from peerkb.bibfile import read_bib
from peerkb.importing.detect import read_source
from peerkb.importing.normalise import Draft, month, normalise, pages
from peerkb.importing.plan import plan_import
from peerkb.importing.record import Record
from peerkb.problems import Severity
from pybtex.database import parse_bytes

DATA = Path(__file__).parent / "data" / "imports"
SAMPLES = sorted(p.name for p in DATA.iterdir() if p.is_file() and p.suffix != ".md")
TODAY = "2026-11-22"
LIBRARY = "references/library.bib"


@dataclass
class Run:
    """What one `add` run did."""

    status: int
    out: str
    err: str
    before: bytes
    after: bytes

    @property
    def appended(self) -> str:
        """The text the run appended to the library."""
        assert self.after.startswith(self.before), "the library's old bytes must stay a prefix"
        return self.after[len(self.before) :].decode("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the test project's references/ folder."""
    shutil.copytree(DATA / "references", tmp_path / "references")
    return tmp_path


def add(root: Path, *sources: str, stdin: str = "") -> Run:
    """Run `peerkb add` on sources (paths relative to tests/data/imports, or "-")."""
    library = root / LIBRARY
    before = library.read_bytes() if library.exists() else b""
    out, err = io.StringIO(), io.StringIO()
    paths = [s if s == "-" or Path(s).is_absolute() else str(DATA / s) for s in sources]
    status = run_add(paths, root, io.StringIO(stdin), err, TODAY, out)
    after = library.read_bytes() if library.exists() else b""
    # Messages name the sources as given; show them relative to the data folder here.
    return Run(status, out.getvalue(), err.getvalue().replace(f"{DATA}/", ""), before, after)


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_appends_exactly_its_golden_text(project: Path, sample: str) -> None:
    run = add(project, sample)
    assert run.appended == (DATA / "expected" / f"{sample}.bib").read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLES)
def test_what_is_appended_reads_back_with_every_field_a_citation_needs(project: Path, sample: str) -> None:
    run = add(project, sample)
    entries, problems = read_bib(LIBRARY, run.after)
    assert problems == ()
    new = {e.key: e for e in entries if f"@{e.type}{{{e.key}," in run.appended}
    assert new, "every sample adds at least one entry"
    pybtex_data = parse_bytes(run.after, "bibtex")
    for key, entry in new.items():
        assert set(pybtex_data.entries[key].fields) == {n for n in entry.fields if n != "author"} - {"editor"}
        assert entry.title and entry.year
        assert entry.authors or entry.type == "misc"
        if entry.type == "article":
            assert entry.get("journal")


def test_the_article_fields_survive_a_round_trip(project: Path) -> None:
    add(project, "zotero.bib")
    data = parse_bytes((project / LIBRARY).read_bytes(), "bibtex")
    entry = data.entries["sogaard2021peer"]
    assert dict(entry.fields) == {
        "title": "Peer support workers at ward handover: a synthetic example",
        "journal": "Example Journal of Peer Practice",
        "year": "2021",
        "month": "March",
        "volume": "12",
        "number": "3",
        "pages": "145--159",
        "doi": "10.5555/EJPP.2021.0031",
        "issn": "2049-0000",
    }
    assert [str(p) for p in entry.persons["author"]] == ["Søgaard, Åse", "Okafor, Chidi"]


def test_all_samples_at_once(project: Path) -> None:
    run = add(project, *SAMPLES)
    assert run.status == 1
    assert run.out.splitlines()[:3] == [
        "added abernethyquist2022shared -> references/summaries/abernethyquist2022shared.md"
        " (references/library.bib:32)",
        "added fenwick2023synthetic -> references/summaries/fenwick2023synthetic.md"
        " (references/library.bib:46)",
        "added ashdown2021fictional -> references/summaries/ashdown2021fictional.md"
        " (references/library.bib:55)",
    ]
    assert len(run.out.splitlines()) == 20
    assert run.err.splitlines() == [
        "broken.bib:12: not added: entry untitled2020 has no title; every entry needs one,"
        " e.g. title = {Peer work on acute wards}",
        "broken.bib:20: not added: field title: { is never closed:"
        " expected } before the next entry (line 24)",
        "googlescholar.bib:1: not added: already in the library as hollis2017consumer"
        " (references/library.bib:3), same title and year",
        "wiley.bib:1: not added: already in the library as pereirawalsh2020sanism"
        " (references/library.bib:21), same DOI 10.5555/EJPP.2020.0114",
        "zotero.bib:2: not added: already in the library as sogaard2021peer"
        " (references/library.bib:70), same DOI 10.5555/EJPP.2021.0031",
    ]
    lines = run.after.decode().splitlines()
    assert (lines[2], lines[20], lines[69]) == (
        "@article{hollis2017consumer,",
        "@article{pereirawalsh2020sanism,",
        "@article{sogaard2021peer,",
    )
    entries, problems = read_bib(LIBRARY, run.after)
    assert problems == ()
    assert len(entries) == 3 + 20
    assert entries[-1].line == run.after.decode().count("\n") - 8  # the last entry's 9 lines end the file


def test_a_work_in_two_exports_is_added_once(project: Path) -> None:
    run = add(project, "crossref.bib", "zotero.bib")
    assert run.status == 1
    assert run.out.splitlines() == [
        "added sogaard2021peer -> references/summaries/sogaard2021peer.md (references/library.bib:32)",
        "added kowalczykng2020fictional -> references/summaries/kowalczykng2020fictional.md"
        " (references/library.bib:46)",
    ]
    assert run.err == (
        "zotero.bib:2: not added: already in the library as sogaard2021peer (references/library.bib:32),"
        " same DOI 10.5555/EJPP.2021.0031\n"
    )
    assert run.appended.count("sogaard2021peer") == 1


def test_running_twice_adds_nothing_the_second_time(project: Path) -> None:
    first = add(project, "pubmed.nbib")
    second = add(project, "pubmed.nbib")
    assert (first.status, second.status) == (0, 1)
    assert second.after == first.after
    assert second.out == ""
    assert second.err.splitlines() == [
        "pubmed.nbib:1: not added: already in the library as abramsky2024lived (references/library.bib:32),"
        " same DOI 10.5555/jpmhn.2024.13001",
        "pubmed.nbib:42: not added: already in the library as eppcg2023peer (references/library.bib:45),"
        " same DOI 10.5555/jpmhn.2023.12950",
    ]


def test_a_key_taken_by_another_work_gets_a_letter(project: Path) -> None:
    run = add(project, "elsevier.bib")
    assert run.status == 0
    assert run.appended.startswith("\n@article{okafor2022staffb,\n")


def test_a_key_taken_by_a_summary_file_gets_a_letter_and_the_summary_is_left_alone(project: Path) -> None:
    summaries = project / "references" / "summaries"
    summaries.mkdir()
    (summaries / "muller2019nurses.md").write_text("someone's draft\n", encoding="utf-8")
    run = add(project, "mendeley.bib")
    assert run.out == (
        "added muller2019nursesb -> references/summaries/muller2019nursesb.md (references/library.bib:32)\n"
    )
    assert (summaries / "muller2019nurses.md").read_text(encoding="utf-8") == "someone's draft\n"


def test_the_summary_is_the_template_with_key_and_date(project: Path) -> None:
    add(project, "springer.bib")
    template = (Path(__file__).parents[1] / "scripts/peerkb/templates/summary.md").read_text(encoding="utf-8")
    summary = (project / "references/summaries/muller2020peer.md").read_text(encoding="utf-8")
    assert summary == template.replace("key: KEY\n", "key: muller2020peer\n").replace(
        "date_added: DATE\n", f"date_added: {TODAY}\n"
    )


def test_standard_input_in_any_format(project: Path) -> None:
    run = add(project, "-", stdin=(DATA / "database.ris").read_text(encoding="utf-8-sig"))
    assert run.status == 0
    assert run.appended == (DATA / "expected" / "database.ris.bib").read_text(encoding="utf-8")


def test_the_format_comes_from_the_content_not_the_name(project: Path, tmp_path: Path) -> None:
    disguised = tmp_path / "export.txt"
    disguised.write_bytes((DATA / "pubmed.nbib").read_bytes())
    run = add(project, str(disguised))
    assert run.appended == (DATA / "expected" / "pubmed.nbib.bib").read_text(encoding="utf-8")


def test_nothing_recognisable_is_refused_with_what_was_expected(project: Path) -> None:
    run = add(project, "-", stdin="Smith J. Peer work. 2020.\n")
    assert (run.status, run.after) == (1, run.before)
    assert run.err == (
        "<stdin>: not added: no references found: expected BibTeX (@article{...), RIS (TY  - JOUR),"
        ' PubMed/MEDLINE (PMID- ...) or EndNote (%0 Journal Article); got "Smith J. Peer work. 2020."\n'
    )


def test_a_missing_file_is_reported_and_the_others_still_imported(project: Path) -> None:
    run = add(project, "no-such-export.ris", "emerald.bib")
    assert run.status == 1
    assert run.err == "no-such-export.ris: not added: cannot read it: No such file or directory\n"
    assert "@article{kowalczykng2019peer," in run.appended


@pytest.mark.parametrize(
    ("library", "separator"),
    [
        (b"", ""),
        (b"@misc{a, title = {A}}", "\n\n"),
        (b"@misc{a, title = {A}}\n", "\n"),
        (b"@misc{a, title = {A}}\n\n", ""),
    ],
)
def test_exactly_one_blank_line_between_old_and_new(project: Path, library: bytes, separator: str) -> None:
    (project / LIBRARY).write_bytes(library)
    run = add(project, "emerald.bib")
    assert run.appended.startswith(separator + "@article{kowalczykng2019peer,\n")
    assert run.after.endswith(b"}\n")


def test_a_library_with_windows_line_ends_keeps_them(project: Path) -> None:
    (project / LIBRARY).write_bytes(b"@misc{a,\r\n  title = {A}\r\n}\r\n")
    run = add(project, "emerald.bib")
    assert run.appended.startswith("\r\n@article{kowalczykng2019peer,\r\n  author  = ")
    assert "\n" not in run.appended.replace("\r\n", "")


def test_no_library_yet_starts_one(project: Path) -> None:
    (project / LIBRARY).unlink()
    run = add(project, "jabref.bib")
    assert run.status == 0
    assert run.after.startswith(b"@article{vandermeer2020walking,\n")


def test_the_real_library_keeps_its_bytes_and_stays_clean(tmp_path: Path) -> None:
    real = Path(__file__).parents[1] / LIBRARY
    (tmp_path / "references").mkdir()
    shutil.copy(real, tmp_path / LIBRARY)
    run = add(tmp_path, *SAMPLES)
    assert run.appended
    _, problems = read_bib(LIBRARY, run.after)
    assert problems == ()


def test_no_references_folder(tmp_path: Path) -> None:
    run = add(tmp_path, "emerald.bib")
    assert run.status == 1
    assert run.err == f"{tmp_path}: no references/ folder here; run peerkb add from the project root\n"


def test_hostile_values_cannot_break_out_of_the_entry(project: Path) -> None:
    ris = (
        "TY  - JOUR\nAU  - Ashdown, Merel}\nTI  - An invented title } @misc{evil, title={x}\n"
        "T2  - 100% & #1 journal\\\nPY  - 2020\nUR  - javascript:alert(1)\nER  - \n"
    )
    run = add(project, "-", stdin=ris)
    assert run.status == 0
    assert run.appended == (
        "\n@article{ashdown2020invented,\n"
        "  author  = {Ashdown, Merel)},\n"
        "  title   = {An invented title ) @misc(evil, title=(x)},\n"
        "  journal = {100\\% \\& \\#1 journal\\textbackslash{}},\n"
        "  year    = {2020}\n"
        "}\n"
    )
    assert list(parse_bytes(run.after, "bibtex").entries)[-1] == "ashdown2020invented"


def test_exporter_notes_are_reported_but_do_not_fail(project: Path) -> None:
    run = add(
        project, "-", stdin="@article{x,\n title = {A fictional note},\n title = {Again},\n doi = {n/a}\n}\n"
    )
    assert run.status == 0
    assert run.err.splitlines() == [
        "<stdin>:1: anonndfictional: field title given twice; kept the first",
        "<stdin>:1: anonndfictional: doi dropped: expected a DOI such as 10.5555/12345678, got 'n/a'",
    ]


# Pure normalisation, value by value.


@pytest.mark.parametrize(
    ("given", "macro"),
    [("sep", "sep"), ("Sept.", "sep"), ("September", "sep"), ("9", "sep"), ("09", "sep"), ("{Sep}", "sep"),
     ("Sep-Oct", "sep"), ("may", "may"), ("March", "mar"), ("Spring", "Spring"), ("13", "13")],
)  # fmt: skip
def test_month(given: str, macro: str) -> None:
    assert month(given) == macro


@pytest.mark.parametrize(
    ("given", "expected"),
    [("169-73", "169--173"), ("1199-201", "1199--1201"), ("169\u2013173", "169--173"), ("12 - 19", "12--19"),
     ("e12881", "e12881"), ("S1-S9", "S1--S9"), ("300-12", "300--312"), ("7-7", "7"), ("ii, 1-4", "ii, 1-4")],
)  # fmt: skip
def test_pages(given: str, expected: str) -> None:
    assert pages(given) == expected


def normalised(**fields: str) -> Draft:
    """A BibTeX article record with these fields, normalised."""
    draft = normalise(Record("article", "k", {"title": "A synthetic title", **fields}, "s", 1))
    assert isinstance(draft, Draft)
    return draft


@pytest.mark.parametrize(
    "doi",
    ["10.5555/x.1", "https://doi.org/10.5555/x.1", "http://dx.doi.org/10.5555/x.1", "doi:10.5555/x.1",
     "DOI: 10.5555/x.1", "https://doi.org/10.5555%2Fx.1", " https://doi.org/10.5555/\n   x.1 "],
)  # fmt: skip
def test_doi_forms(doi: str) -> None:
    assert normalised(doi=doi).fields["doi"] == "10.5555/x.1"


def test_wrapped_url_and_issn_are_joined() -> None:
    draft = normalised(
        url="https://example.org/reports/\n    peer-work.pdf", issn="2049-\n  0000\n 2049-1111"
    )
    assert (draft.fields["url"], draft.fields["issn"]) == (
        "https://example.org/reports/peer-work.pdf",
        "2049-0000, 2049-1111",
    )


def test_urls_that_are_not_web_addresses_or_repeat_the_doi_are_dropped() -> None:
    assert "url" not in normalised(url="<Go to ISI>://WOS:000000000000001").fields
    assert "url" not in normalised(url="javascript:alert(1)").fields
    assert "url" not in normalised(url="https://example.org/a", doi="10.5555/a").fields


def test_exporter_only_fields_are_dropped_and_a_reader_s_are_kept() -> None:
    draft = normalised(
        abstract="x", keywords="x", file=":a.pdf:pdf", urldate="2024-01-01", timestamp="x", owner="x",
        groups="x", **{"mendeley-groups": "x", "mendeley-tags": "x"}, eprint="x", langid="english",
        shorttitle="x", note="Publisher: Example", type="Journal Article", journal="J", year="2020",
    )  # fmt: skip
    assert draft.fields == {"title": "A synthetic title", "journal": "J", "year": "2020"}


def test_bare_percent_and_ampersand_are_escaped_but_escaped_ones_left() -> None:
    assert (
        normalised(journal="Policy & Practice, 50% \\& more").fields["journal"]
        == "Policy \\& Practice, 50\\% \\& more"
    )


def test_mendeley_s_whole_title_braces_and_crossref_s_tags_are_removed() -> None:
    assert normalised(title="{What nurses learn}").fields["title"] == "What nurses learn"
    assert normalised(title="{NHS} peer work {UK}").fields["title"] == "{NHS} peer work {UK}"
    assert normalised(title="Peer work in <i>acute</i> <scp>NHS</scp> wards").fields["title"] == (
        "Peer work in acute NHS wards"
    )


def test_biblatex_fields_become_bibtex_fields() -> None:
    draft = normalise(
        Record("online", "k", {"title": "T", "date": "2023-05-02", "journaltitle": "J"}, "s", 1)
    )
    assert isinstance(draft, Draft)
    assert (draft.type, draft.fields) == (
        "misc",
        {"title": "T", "journal": "J", "year": "2023", "month": "may"},
    )


def test_names_are_written_family_first() -> None:
    assert (
        normalised(author="Chidi Okafor and van Gogh, Jr, Vincent and {Example Group} and others").fields[
            "author"
        ]
        == "Okafor, Chidi and van Gogh, Jr, Vincent and {Example Group} and others"
    )


def test_detection_reads_the_first_line_that_only_one_format_has() -> None:
    assert read_source("% JabRef comment\n@Article{a, title={T}}\n", "s")[0] == "BibTeX"
    assert read_source("\ufeffTY  - JOUR\nTI  - T\nER  - \n", "s")[0] == "RIS"
    assert read_source("PMID- 1\nTI  - T.\n", "s")[0] == "PubMed/MEDLINE"
    assert read_source("%0 Journal Article\n%T T\n", "s")[0] == "EndNote"


def test_an_entry_that_check_would_reject_is_not_added(project: Path) -> None:
    bib = "@article{x,\n author = {Brightwater, Sol and and Nakamura-Holt, Ines},\n title = {A note}}"
    run = add(project, "-", stdin=bib)
    assert (run.status, run.after) == (1, run.before)
    assert run.err == (
        '<stdin>:1: not added: name 2 "and Nakamura-Holt, Ines" has a stray "and";'
        ' names are separated by " and " with one name on each side\n'
    )


TOKENS = [
    "@",
    "{",
    "}",
    '"',
    "=",
    ",",
    "#",
    "%",
    "\\",
    "\n",
    " and ",
    "@misc{x,",
    "AU  -",
    "ER  -",
    "%A ",
    "ü",
]


@settings(max_examples=150, deadline=None)
@given(
    sample=st.sampled_from(SAMPLES),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["insert", "delete"]), st.sampled_from(TOKENS))
    ),
)
def test_damaged_exports_never_crash_and_never_leave_a_bad_entry(
    sample: str, edits: list[tuple[float, str, str]]
) -> None:
    text = (DATA / sample).read_text(encoding="utf-8-sig")
    for where, how, token in edits:
        at = int(where * len(text))
        text = text[:at] + token + text[at:] if how == "insert" else text[:at] + text[at + len(token) :]
    _, records, rejected = read_source(text, "s")
    plan = plan_import(LIBRARY, "", [], set(), records, rejected)
    entries, problems = read_bib(LIBRARY, plan.append.encode("utf-8"))
    assert [e.key for e in entries] == [a.key for a in plan.added]
    assert [p for p in problems if p.severity is Severity.ERROR] == []


def test_a_library_that_is_not_utf8_is_left_alone(project: Path) -> None:
    (project / LIBRARY).write_bytes(b"% ok\n@misc{a, title = {Caf\xe9}}\n")
    run = add(project, "emerald.bib")
    assert (run.status, run.after, run.out) == (1, run.before, "")
    assert run.err == f"{LIBRARY}:2: byte 0xe9 is not UTF-8; save the file as UTF-8 first\n"


def test_a_library_that_cannot_be_read_is_reported(project: Path) -> None:
    (project / LIBRARY).unlink()
    (project / LIBRARY).mkdir()
    err = io.StringIO()
    assert run_add([str(DATA / "emerald.bib")], project, io.StringIO(), err, TODAY, io.StringIO()) == 1
    assert err.getvalue() == f"{LIBRARY}: cannot read it: Is a directory\n"


@pytest.mark.parametrize(
    ("kind", "entry_type"),
    [("mathesis", "mastersthesis"), ("phdthesis", "phdthesis"), ("Doctoral", "phdthesis")],
)
def test_biblatex_theses_become_bibtex_theses(kind: str, entry_type: str) -> None:
    fields = {"title": "T", "type": kind, "institution": "U"}
    draft = normalise(Record("thesis", "k", fields, "s", 1))
    assert isinstance(draft, Draft)
    assert (draft.type, draft.fields["school"]) == (entry_type, "U")
    assert draft.fields.get("type") == (None if kind != "Doctoral" else "Doctoral")
