"""A synthetic knowledge base of N papers in the project's own formats, for the benchmark.

`make_library(root, n, seed)` writes a complete, buildable project folder: n BibTeX entries with
realistic names, LaTeX accents and test-prefix DOIs (10.5555/, never a real one), a summary of
realistic length for each, and the real taxonomy, docs, configuration and theme. The project's own
entries and summaries come along in references/project.bib, so the hand-written guides' links to
papers still resolve. Output depends only on n, the seed and the copied project files; entry i is
the same whatever n is, so a library of 1,000 is the first 1,000 papers of a library of 5,000.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from peerkb.latex import latex_to_unicode

PROJECT = Path(__file__).resolve().parent.parent
# Copied as they are: what `mkdocs build` and `peerkb check` need besides the library.
COPIED = ("docs", "mkdocs.yml", "CONTRIBUTING.md", "references/taxonomy.yml")

# (LaTeX as written in BibTeX, ASCII form for citation keys).
FAMILY = [
    ("M{\\\"u}ller", "muller"), ("Fran{\\c c}ois", "francois"), ("Nu{\\~n}ez", "nunez"),
    ("Ch{\\'a}vez", "chavez"), ("Sj{\\\"o}berg", "sjoberg"), ("Dvo{\\v{r}}{\\'a}k", "dvorak"),
    ("Gonz{\\'a}lez", "gonzalez"), ("L{\\o}kken", "lokken"), ("Br{\\aa}ten", "braaten"),
    ("{\\O}stergaard", "ostergaard"), ("Wi{\\'s}niewski", "wisniewski"), ("B{\\'e}langer", "belanger"),
    ("Smith", "smith"), ("Jones", "jones"), ("Williams", "williams"), ("Taylor", "taylor"),
    ("Brown", "brown"), ("Davies", "davies"), ("Evans", "evans"), ("Wilson", "wilson"),
    ("Thomas", "thomas"), ("Roberts", "roberts"), ("Johnson", "johnson"), ("Walker", "walker"),
    ("O'Connor", "oconnor"), ("McCann", "mccann"), ("MacDonald", "macdonald"), ("Nguyen", "nguyen"),
    ("Tran", "tran"), ("Kim", "kim"), ("Park", "park"), ("Chen", "chen"), ("Wang", "wang"),
    ("Li", "li"), ("Zhang", "zhang"), ("Singh", "singh"), ("Patel", "patel"), ("Kumar", "kumar"),
    ("Okafor", "okafor"), ("Mensah", "mensah"), ("Adeyemi", "adeyemi"), ("Haddad", "haddad"),
    ("Kowalski", "kowalski"), ("Novak", "novak"), ("Rossi", "rossi"), ("Bianchi", "bianchi"),
    ("Ferreira", "ferreira"), ("Silva", "silva"), ("Santos", "santos"), ("Yamamoto", "yamamoto"),
    ("Tanaka", "tanaka"), ("Andersen", "andersen"), ("Hansen", "hansen"), ("Lindqvist", "lindqvist"),
    ("Roennfeldt", "roennfeldt"), ("Te Whare", "tewhare"), ("Ngata", "ngata"), ("Murphy", "murphy"),
    ("Kelly", "kelly"), ("Byrne", "byrne"), ("Fitzgerald", "fitzgerald"), ("Dubois", "dubois"),
    ("Lef{\\`e}vre", "lefevre"), ("Schr{\\\"o}der", "schroder"), ("G{\\\"u}nther", "gunther"),
    ("Wei{\\ss}", "weiss"), ("{\\v{S}}imunovi{\\'c}", "simunovic"), ("Y{\\i}lmaz", "yilmaz"),
    ("{\\c{C}}elik", "celik"), ("Abu-Bakr", "abubakr"), ("Lloyd-Jones", "lloydjones"),
]
PARTICLES = [("van der", "vander"), ("de", "de"), ("van", "van"), ("von", "von"), ("da", "da")]
GIVEN = [
    "Anna", "Marianne", "Helena", "Stephen", "Gabrielle", "Karen", "Carolyn", "Frances Louise",
    "Emma", "Nicholas", "Andrew", "Aimee", "Jo", "Mei", "Hiroshi", "Olusegun", "Amara", "Priya",
    "Rahul", "Siobh{\\'a}n", "Se{\\'a}n", "Fran{\\c c}ois", "{\\'E}lise", "Jos{\\'e}", "Zo{\\\"e}",
    "Bj{\\\"o}rn", "S{\\o}ren", "Ren{\\'e}e", "Ana{\\\"i}s", "Ma{\\l}gorzata", "Ji{\\v{r}}{\\'i}",
    "Tom{\\'a}{\\v{s}}", "Ingrid", "Kwame", "Fatima", "Yusuf", "Leilani", "Aroha", "Wiremu",
    "M. J.", "A.", "R. K.", "Sarah-Jane", "Jean-Luc", "Mary Ellen", "Pat", "Chris", "Alex",
]
SUFFIXES = ["Jr", "III"]

TOPIC = [
    "Peer Support", "Peer Work", "Lived Experience", "Recovery", "Peer Navigation",
    "Peer-Led Crisis Support", "Consumer Participation", "Co-Production", "Peer Education",
    "Recovery Coaching", "Peer Research", "Mutual Aid", "Shared Decision-Making",
]
SETTING = [
    "Acute Inpatient Wards", "Community Mental Health Teams", "Residential Rehabilitation",
    "Child and Adolescent Services", "Forensic Services", "Emergency Departments",
    "Rural and Remote Services", "Early Intervention in Psychosis", "Primary Care",
    "{NHS} Trusts", "{Australian} Public Mental Health Services", "{M{\\=a}ori} Health Services",
]
ANGLE = [
    "A Qualitative Study", "A Mixed-Methods Evaluation", "A Systematic Review", "A Scoping Review",
    "Findings From a Diary Study", "Lessons From a Pilot", "A Realist Evaluation",
    "A Personal Account", "An Ethnography", "A Cross-Sectional Survey", "A Thematic Synthesis",
]
OPENING = [
    "Walking Alongside", "Bridging the Gap", "Beyond Tokenism", "Finding a Voice",
    "Holding Hope", "More Than a Job Title", "Nothing About Us Without Us", "Being Heard",
    "Crossing Boundaries", "The Caf{\\'e} Conversations", "Na{\\\"\\i}ve Questions",
    "R{\\^o}le Strain", "Trust \\& Time",
]
JOURNALS = [
    "Journal of Psychiatric and Mental Health Nursing", "International Journal of Mental Health Nursing",
    "Psychiatric Rehabilitation Journal", "Mental Health and Social Inclusion",
    "Frontiers in Psychiatry", "Community Mental Health Journal", "Journal of Mental Health",
    "Health \\& Social Care in the Community", "Issues in Mental Health Nursing",
    "Administration and Policy in Mental Health and Mental Health Services Research",
    "BMC Psychiatry", "Psychiatric Services", "The Journal of Mental Health Training, Education and Practice",
]
PUBLISHERS = [("Routledge", "London"), ("Palgrave Macmillan", "Basingstoke"),
              ("Jessica Kingsley", "London"), ("Oxford University Press", "Oxford"),
              ("PCCS Books", "Monmouth"), ("Springer", "Cham")]
INSTITUTIONS = ["Mental Health Foundation", "Centre for Mental Health", "National Survivor User Network",
                "Mind", "ImROC", "Mental Health Coordinating Council", "Te Pou o te Whakaaro Nui",
                "University of Nottingham", "Together for Mental Wellbeing"]
COUNTRIES = ["United Kingdom", "Australia", "New Zealand", "Canada", "United States", "Ireland",
             "Denmark", "Norway", "Sweden", "the Netherlands", "Germany", "Japan", ""]
WORDS = ["peer", "support", "recovery", "lived", "walking", "bridging", "voice", "hope", "trust",
         "roles", "boundaries", "wards", "teams", "navigation", "coproduction", "stigma"]

# Sentence material for summaries. Slots: {who} {where} {what} {how} {n} {theme} {role} {Role}.
WHO = ["peer support workers", "nurses and peer workers", "service users", "ward staff", "carers",
       "young people and their families", "team managers", "peer navigators", "recovery coaches",
       "consumer consultants", "clinicians with lived experience", "peer researchers"]
WHAT = ["how peer workers build trust", "what helps peer workers settle into clinical teams",
        "how staff understand the peer role", "what supervision peer workers receive",
        "how people experience leaving hospital", "what makes peer support feel safe",
        "how lived experience shapes everyday work", "where the peer role meets its limits",
        "how teams share decisions with peer workers", "what people value in peer-led groups"]
HOW = ["semi-structured interviews", "focus groups", "diaries kept over several months",
       "a survey with open questions", "observation on the ward", "a review of published studies",
       "routine service data and interviews", "workshops run with peer researchers",
       "a reflective account of the author's own practice", "case notes and team meeting records"]
FINDINGS = [
    "Participants described {what} as something built slowly through ordinary shared activities.",
    "Many {who} said that small moments, such as a walk or a cup of tea, mattered more than planned "
    "sessions.",
    "Staff who understood the purpose of the role were more likely to involve peer workers in decisions.",
    "Peer workers reported tension between being part of the team and staying alongside the person.",
    "Unclear job descriptions left some {who} unsure what they were allowed to do.",
    "People valued being with someone who had been through similar experiences and had come out the "
    "other side.",
    "Supervision from another peer worker was seen as different from, and complementary to, clinical "
    "supervision.",
    "Some {who} described everyday remarks that questioned whether peer workers could cope with the job.",
    "The authors report that hope and a sense of being understood were the most common benefits named.",
    "Where managers protected time for reflection, {who} described feeling more confident in their work.",
    "Several accounts linked good handovers between services to the continuity a peer worker could offer.",
    "The study found differences between sites in how far peer workers were included in ward rounds.",
]
MEANING = [
    "Nurses can help by explaining the peer role to people on the ward and by inviting peer workers to "
    "handovers.",
    "It may help to agree early, as a team, what a peer worker shares with the team and what stays "
    "between them and the person.",
    "Informal moments with a peer worker may look like chatting, but they can serve a clear purpose "
    "such as building trust.",
    "Nurses who notice dismissive remarks about peer colleagues can name them and raise them in team "
    "meetings.",
    "Asking a peer worker what they are noticing can add a view that is not centred on diagnosis or "
    "symptoms.",
    "Sharing the load of difficult shifts and debriefing together may support everyone's wellbeing.",
    "When a person moves between services, nurses and peer workers can plan the handover together.",
    "The findings suggest that peer work fits best where the whole team understands its principles.",
]
LIMITS = [
    "This is a {kind}, so it describes experiences rather than measuring outcomes.",
    "The sample was small and drawn from a single service, so the findings may not apply elsewhere.",
    "Participants chose to take part, and those with more positive views may be over-represented.",
    "The authors were involved in running the service they describe.",
    "The study did not compare peer support with usual care.",
    "Only published English-language studies were included.",
    "Follow-up was short, so we cannot say whether the changes lasted.",
]
KEY_MESSAGES = [
    "Peer workers build trust through shared experience and time spent alongside people.",
    "Clear role descriptions help peer workers and nurses work well together.",
    "Supervision from other peer workers matters to peer workers' wellbeing.",
    "Teams that understand the principles of peer work include peer workers more fully.",
    "People value hope, being heard and being treated as an equal.",
    "Everyday remarks about mental illness can wear peer workers down over time.",
    "Moves between services are a time when peer support may help most.",
    "Lived experience is a kind of expertise that adds to, rather than replaces, clinical knowledge.",
]
NOTE = "The year comes from a reference list and was not checked against the work."
BASED_ON = ["The published abstract.", "The full text.", "The abstract and the full text."]
KINDS = {
    "personal-narrative": "personal account", "qualitative-study": "qualitative study",
    "mixed-methods-study": "mixed-methods study", "literature-review": "review of published work",
    "evaluation": "service evaluation", "practice-report": "report from practice",
    "opinion": "opinion piece", "grey-literature-report": "report outside peer-reviewed journals",
    "book": "book",
}


@dataclass(frozen=True)
class SyntheticPaper:
    """One generated work: its BibTeX entry and its summary file."""

    key: str
    """Citation key, ASCII letters and digits."""
    bibtex: str
    """The entry as written in library.bib."""
    summary: str
    """The text of references/summaries/<key>.md."""


def make_library(root: Path, n: int, seed: int = 0, source: Path = PROJECT) -> Path:
    """Write a buildable project with n synthetic papers (plus the project's own) at root."""
    root.mkdir(parents=True, exist_ok=True)
    _copy_project(source, root)
    taxonomy = yaml.safe_load((source / "references" / "taxonomy.yml").read_text(encoding="utf-8"))
    ids = {facet: [item["id"] for item in taxonomy[facet]] for facet in taxonomy}
    summaries = root / "references" / "summaries"
    summaries.mkdir(parents=True, exist_ok=True)
    taken = {path.stem for path in summaries.glob("*.md")}
    papers = generate(n, seed, ids, taken)
    header = f"% Synthetic benchmark library: {n} entries, seed {seed}; test DOIs (10.5555/) only.\n\n"
    bib = header + "\n".join(p.bibtex for p in papers)
    (root / "references" / "library.bib").write_text(bib, encoding="utf-8")
    for paper in papers:
        (summaries / f"{paper.key}.md").write_text(paper.summary, encoding="utf-8")
    return root


def generate(
    n: int, seed: int, ids: dict[str, list[str]], taken: frozenset[str] | set[str] = frozenset()
) -> list[SyntheticPaper]:
    """n papers; ids are the taxonomy's ids per facet, taken the keys already in use."""
    used: set[object] = set(taken)  # keys, and (title, year) pairs
    papers: list[SyntheticPaper] = []
    for index in range(n):
        # One generator per paper: paper i does not depend on how many come after it.
        rng = random.Random(f"{seed}:{index}")
        papers.append(_paper(rng, index, ids, used, papers))
    return papers


def _copy_project(source: Path, root: Path) -> None:
    """The configuration, docs, taxonomy, theme and hook, and the project's own papers."""
    for name in COPIED:
        path = source / name
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, target, dirs_exist_ok=True)
        elif path.is_file():
            shutil.copy2(path, target)
    shutil.copytree(source / "scripts" / "peerkb", root / "scripts" / "peerkb", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    # The guides link to the project's own papers; keep them so every link resolves.
    bib = source / "references" / "library.bib"
    if bib.is_file():
        shutil.copy2(bib, root / "references" / "project.bib")
    if (source / "references" / "summaries").is_dir():
        shutil.copytree(source / "references" / "summaries", root / "references" / "summaries",
                        dirs_exist_ok=True)


def _paper(rng: random.Random, index: int, ids: dict[str, list[str]], used: set[object],
           earlier: list[SyntheticPaper]) -> SyntheticPaper:
    authors = [_person(rng) for _ in range(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8]))]
    year = rng.randint(1995, 2025)
    evidence = rng.choice(ids["evidence_types"])
    kind = "book" if evidence == "book" else rng.choices(["article", "techreport", "misc"], [85, 10, 5])[0]
    title = _title(rng)
    while (_comparable(title), year) in used:
        # The checks report two entries with the same title and year as one work entered twice.
        title = _title(rng)
    used.add((_comparable(title), year))
    key = _key(authors[0][1], year, title, used)
    fields: list[tuple[str, str]] = [("author", " and ".join(a[0] for a in authors)), ("title", title)]
    if kind == "article":
        volume = year - 1980 + rng.randint(0, 20)
        first = rng.randint(1, 900)
        fields += [("journal", rng.choice(JOURNALS)), ("year", str(year)), ("volume", str(volume)),
                   ("number", str(rng.randint(1, 6))), ("pages", f"{first}--{first + rng.randint(4, 18)}")]
        if rng.random() < 0.9:
            fields.append(("doi", f"10.5555/pwkb.{year}.{index:05d}"))
    elif kind == "book":
        publisher, address = rng.choice(PUBLISHERS)
        fields += [("publisher", publisher), ("address", address), ("year", str(year))]
        if rng.random() < 0.5:
            fields.append(("doi", f"10.5555/pwkb-book.{index:05d}"))
    elif kind == "techreport":
        fields += [("institution", rng.choice(INSTITUTIONS)), ("year", str(year)),
                   ("url", f"https://example.org/reports/{year}/{key}")]
    else:
        fields += [("howpublished", "Blog post"), ("year", str(year)),
                   ("url", f"https://example.org/blog/{key}")]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    bibtex = f"@{kind}{{{key},\n{body}\n}}\n"
    surname = _plain(authors[0][0].split(", ")[0])
    cite = surname if len(authors) == 1 else (f"{surname} and {_plain(authors[1][0].split(', ')[0])}"
                                             if len(authors) == 2 else f"{surname} et al.")
    other = rng.choice(earlier) if earlier and rng.random() < 0.2 else None
    summary = _summary(rng, key, ids, evidence, f"{cite} ({year})", other)
    return SyntheticPaper(key, bibtex, summary)


def _person(rng: random.Random) -> tuple[str, str]:
    """A name in BibTeX's "Family, Given" form, and its ASCII family name for keys."""
    family, ascii_family = rng.choice(FAMILY)
    if rng.random() < 0.08:
        particle, ascii_particle = rng.choice(PARTICLES)
        family, ascii_family = f"{particle} {family}", ascii_particle + ascii_family
    given = rng.choice(GIVEN)
    if rng.random() < 0.02:
        return f"{family}, {rng.choice(SUFFIXES)}, {given}", ascii_family
    return f"{family}, {given}", ascii_family


def _title(rng: random.Random) -> str:
    shape = rng.randrange(4)
    topic, setting, angle = rng.choice(TOPIC), rng.choice(SETTING), rng.choice(ANGLE)
    if shape == 0:
        return f"{rng.choice(OPENING)}: {topic} in {setting}"
    if shape == 1:
        return f"{topic} in {setting}: {angle}"
    if shape == 2:
        start = rng.randint(1998, 2018)
        return f"{topic} and Nursing Practice, {start}--{start + rng.randint(2, 6)}: {angle}"
    return f"{rng.choice(OPENING)} \\& {topic}: {angle} of {rng.choice(WHO).title()}"


def _comparable(title: str) -> str:
    """A title reduced to lower-case letters and digits, to keep titles distinct within a year."""
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def _key(family: str, year: int, title: str, used: set[object]) -> str:
    word = next((w for w in re.findall(r"[a-z]+", title.lower()) if w in WORDS), "peer")
    base = f"{family}{year}{word}"
    key, suffix = base, 0
    while key in used:
        suffix += 1
        key = f"{base}{chr(ord('a') + suffix - 1) if suffix <= 26 else suffix}"
    used.add(key)
    return key


def _plain(latex: str) -> str:
    """LaTeX as the Unicode text a reader sees, for summaries."""
    return latex_to_unicode(latex)


def _summary(rng: random.Random, key: str, ids: dict[str, list[str]], evidence: str, cite: str,
             other: SyntheticPaper | None) -> str:
    slots = {"who": rng.choice(WHO), "what": rng.choice(WHAT), "kind": KINDS.get(evidence, "study")}
    roles = sorted(rng.sample(ids["roles"], rng.choice([0, 1, 1, 2, 2, 3])))
    themes = sorted(rng.sample(ids["themes"], rng.choice([1, 2, 2, 3, 4])))
    settings = sorted(rng.sample(ids["settings"], rng.choice([0, 1, 1, 2])))
    incomplete = rng.random() < 0.1
    front = {
        "key": key, "roles": roles, "themes": themes, "evidence_type": evidence, "settings": settings,
        "country": rng.choice(COUNTRIES),
        "date_added": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        "takeaway": f"{rng.choice(WHO).capitalize()} found that {rng.choice(WHAT)} depends on time, trust "
                    "and a clear role.",
        "metadata_status": "incomplete" if incomplete else "complete",
        "unverified": ["year"] if incomplete else [],
        "metadata_note": NOTE if incomplete else "",
        "based_on": rng.choice(BASED_ON),
    }
    # JSON strings and lists are valid YAML flow scalars and sequences, quoted the safe way.
    fields = (f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in front.items())
    lines = ["---", *fields, "---", ""]

    def fill(sentence: str) -> str:
        return sentence.format(**slots)

    bullets = rng.sample(KEY_MESSAGES, rng.randint(2, 4))
    findings = rng.sample(FINDINGS, rng.randint(8, 10))
    studied = (f"The authors studied {slots['what']} with {rng.choice(WHO)} in "
               f"{_plain(rng.choice(SETTING)).lower()}, using {rng.choice(HOW)}. "
               f"About {rng.randint(6, 120)} people took part over {rng.randint(2, 24)} months. "
               f"The work is a *{slots['kind']}*. " + " ".join(fill(s) for s in findings[:2]))
    if other is not None:
        studied += f" It builds on earlier work on the same question ([see also]({other.key}.md))."
    found = " ".join(fill(s) for s in findings[2:])
    meaning = " ".join(rng.sample(MEANING, rng.randint(4, 6)))
    limits = " ".join(fill(s) for s in rng.sample(LIMITS, rng.randint(3, 4)))
    body = [
        "## Key messages", "", *[f"- {b}" for b in bullets], "",
        "## What was studied and how", "", f"{cite} report a {slots['kind']}. {studied}", "",
        "## What was found", "", found, "",
        "## What it means for nurses working alongside peer workers", "", meaning, "",
        "## Limitations", "", limits, "",
    ]
    return "\n".join(lines + body)
