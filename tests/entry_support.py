"""Entries built directly in tests, as the BibTeX loader would build them."""

from __future__ import annotations

from types import MappingProxyType

from peerkb.model import Entry, Person


def make_entry(
    kind: str, key: str, people: str = "", editors: str = "", *, source: str = "", **fields: str
) -> Entry:
    """An Entry; people are "Family, Given; Family, Given"; source defaults to a bare `@kind{key,}`."""

    def persons(text: str) -> tuple[Person, ...]:
        pairs = [p.split(", ") for p in text.split("; ") if p]
        return tuple(Person(given=pair[1] if len(pair) > 1 else "", family=pair[0]) for pair in pairs)

    return Entry(
        key=key,
        type=kind,
        fields=MappingProxyType(fields),
        raw_fields=MappingProxyType(fields),
        authors=persons(people),
        editors=persons(editors),
        path="references/library.bib",
        line=1,
        source=source or f"@{kind}{{{key},}}",
    )


# The seed entry conchar2014walking as the loader reads it from references/library.bib (source
# included), shared by the citation and export tests.
CONCHAR = make_entry(
    "article",
    "conchar2014walking",
    "Conchar, Catherine; Repper, Julie",
    title="\u201cWalking wounded or wounded healer?\u201d Does personal experience of mental health problems"
    " help or hinder mental health practice? A review of the literature",
    journal="Mental Health and Social Inclusion",
    year="2014",
    volume="18",
    number="1",
    pages="35\u201344",
    doi="10.1108/MHSI-02-2014-0003",
    issn="2042-8308",
    source="""@article{conchar2014walking,
  author  = {Conchar, Catherine and Repper, Julie},
  title   = {``Walking wounded or wounded healer?'' Does personal experience of mental health problems """
    """help or hinder mental health practice? A review of the literature},
  journal = {Mental Health and Social Inclusion},
  year    = {2014},
  volume  = {18},
  number  = {1},
  pages   = {35--44},
  doi     = {10.1108/MHSI-02-2014-0003},
  issn    = {2042-8308}
}""",
)
