"""Scale benchmark: build synthetic libraries of N papers and print every figure of issue 6.

Run from the project root:

    .venv/bin/python scripts/benchmark.py [--papers 1000 5000] [--out bench-out] [--no-browser]

For each N it writes a synthetic project (scripts/synthetic_library.py), times our own load, check
and render in-process, `peerkb check` as a command, the full `mkdocs build --strict` with our hook,
and a plain Material build of the same rendered pages without the hook; measures the site and its
search index; and, in Debian's Chromium, the time from opening a page to the first search results
and the browser's memory. Each figure is printed beside its target with PASS or FAIL. Everything
it writes goes under --out (git-ignored); results.json and results.md hold the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.utils import yaml_load

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(PROJECT / "tests"))

from browser_support import CHROMIUM_ARGS, chromium_path, guard_requests, serve_directory  # noqa: E402
from peerkb.check import check_library  # noqa: E402
from peerkb.glossary import parse_abbreviations  # noqa: E402
from peerkb.load import load_library  # noqa: E402
from peerkb.markup import meta_title  # noqa: E402
from peerkb.render import render_site  # noqa: E402
from synthetic_library import make_library  # noqa: E402

KB = 1024
MB = 1024 * 1024
# A surname the generator uses often, typed into the search box (ASCII, so typing is exact).
QUERY = "Okafor"
# Fresh browser contexts per size; the median is reported.
RUNS = 3
# A reader who types the moment the page is shown: the query goes into Material's search box as
# soon as Material's code has set it up (DOMContentLoaded), as a keyup, which is what Material
# listens to. Records that moment, the first result, and the worker's READY, in ms since navigation.
FIRST_RESULT_JS = """
window.__firstResult = null;
window.__typed = null;
window.__ready = null;
document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
  const box = document.querySelector('.md-search__input');
  box.value = __QUERY__;
  box.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
  window.__typed = performance.now();
}, 0));
new MutationObserver((changes, observer) => {
  if (document.querySelector('.md-search-result__item')) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, {subtree: true, childList: true});
// Material's search protocol: the worker answers {type: 1} (READY) once it can take queries.
window.Worker = class extends window.Worker {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => {
      if (event.data && event.data.type === 1 && window.__ready === null) window.__ready = performance.now();
    });
  }
};
""".replace("__QUERY__", json.dumps(QUERY))


@dataclass
class Clock:
    """Elapsed (wall) and processor (CPU) seconds of one step.

    MkDocs builds and our code run on one core, so on an idle machine the two agree; when other
    work shares the machine, the CPU time is the fairer figure and the wall time the honest one.
    """

    wall: float = 0.0
    cpu: float = 0.0

    def __str__(self) -> str:
        return f"{self.wall:.2f} s ({self.cpu:.2f} s CPU)"


@dataclass
class Figures:
    """Every measurement for one library size."""

    n: int
    """Synthetic papers asked for."""
    papers: int
    """Paper pages in the site: the synthetic ones plus the project's own."""
    code: str = ""
    """The commit and changed files when this size started (others may commit during a run)."""
    load_average: float = 0.0
    """The machine's 1-minute load average when this size started: other work skews wall times."""
    generate_s: float = 0.0
    load: Clock = field(default_factory=Clock)
    check: Clock = field(default_factory=Clock)
    render: Clock = field(default_factory=Clock)
    cli_check: Clock = field(default_factory=Clock)
    full_build: Clock = field(default_factory=Clock)
    full_build_warm: Clock = field(default_factory=Clock)
    """A second full build, with the .cache/ the first one left (formatted citations)."""
    plain_build: Clock = field(default_factory=Clock)
    site_bytes: int = 0
    plain_site_bytes: int = 0
    paper_page_bytes: float = 0.0
    search_index_bytes: int = 0
    plain_search_index_bytes: int = 0
    index_breakdown: dict[str, int] = field(default_factory=dict)
    load_event_s: float | None = None
    typed_s: float | None = None
    first_result_s: float | None = None
    search_ready_s: float | None = None
    search_fetched_bytes: int | None = None
    """Bytes of search files the browser fetched for the query (index shards and result blocks)."""
    browser_rss_bytes: int | None = None
    browser_pss_bytes: int | None = None
    browser_renderer_pss_bytes: int | None = None
    browser_baseline_pss_bytes: int | None = None
    browser_note: str = ""

    @property
    def ours(self) -> Clock:
        return Clock(self.load.wall + self.check.wall + self.render.wall,
                     self.load.cpu + self.check.cpu + self.render.cpu)

    def ratio(self, kind: str, warm: bool = False) -> float:
        """Full build (first, or second with its cache) over plain build, in wall or CPU seconds."""
        plain = getattr(self.plain_build, kind)
        full = self.full_build_warm if warm else self.full_build
        return getattr(full, kind) / plain if plain else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Measure each N, print the table with targets, write results under --out."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[1000, 5000], help="library sizes")
    parser.add_argument("--linearity", action="store_true", help="also measure 10000 papers (10k vs 1k)")
    parser.add_argument("--out", type=Path, default=PROJECT / "bench-out", help="folder for all output")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium figures")
    parser.add_argument("--profile", action="store_true", help="cProfile our load, check and render")
    parser.add_argument("--browser-only", action="store_true",
                        help="measure the Chromium figures again on the sites of the last run in --out")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.papers) | ({1000, 10000} if args.linearity else set()))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(machine())
    if args.browser_only:
        # Builds and browser timings both suffer when the machine is busy; this retakes the latter.
        results = [from_json(item) for item in json.loads((out / "results.json").read_text(encoding="utf-8"))]
        for figures in results:
            print(f"\n== N = {figures.n} ==", flush=True)
            browser_figures(out / f"site-{figures.n}", site_prefix(out / f"library-{figures.n}"), figures)
    else:
        results = []
        for n in sizes:
            print(f"\n== N = {n} ==", flush=True)
            results.append(measure(n, args.seed, out, browser=not args.no_browser, profile=args.profile))
    report = table(results)
    print("\n" + report)
    (out / "results.md").write_text(machine() + "\n\n" + report + "\n", encoding="utf-8")
    data = json.dumps([asdict(r) for r in results], indent=2)
    (out / "results.json").write_text(data + "\n", encoding="utf-8")
    print(f"\nwritten: {out / 'results.md'}, {out / 'results.json'}")
    return 0


def from_json(item: dict[str, Any]) -> Figures:
    """Figures as written to results.json."""
    clocks = {key: Clock(**v) for key, v in item.items() if isinstance(v, dict) and "wall" in v}
    return Figures(**{**item, **clocks})


def machine() -> str:
    """The machine the figures come from: CPUs, CPU model, memory, software versions."""
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    models = (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
    model = next(models, platform.processor() or "unknown")
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    totals = (int(line.split()[1]) * KB for line in meminfo.splitlines() if line.startswith("MemTotal"))
    total = next(totals, 0)
    versions = []
    for package in ("mkdocs", "mkdocs-material", "pybtex"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:  # a missing package is worth a line, not a crash
            versions.append(f"{package} ?")
    return (f"Machine: {os.cpu_count()} CPUs ({model}), {total / 2**30:.1f} GiB memory, "
            f"Python {platform.python_version()}, {', '.join(versions)}\nCode: {code_version()}")


def code_version() -> str:
    """The commit measured, and how many files differ from it: results belong to one version."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=False)
        return result.stdout.strip() if result.returncode == 0 else "?"

    changed = [line for line in git("status", "--porcelain", "--untracked-files=no").splitlines() if line]
    return f"commit {git('rev-parse', '--short', 'HEAD')}, {len(changed)} tracked file(s) changed since"


def measure(n: int, seed: int, out: Path, browser: bool, profile: bool) -> Figures:
    """Generate a library of n papers, build it both ways and take every figure."""
    root, render_dir, full_site, plain_dir = (out / f"{name}-{n}" for name in ("library", "render", "site",
                                                                              "plain"))
    for path in (root, render_dir, full_site, plain_dir):
        shutil.rmtree(path, ignore_errors=True)
    started = time.perf_counter()
    make_library(root, n, seed)
    generate_s = time.perf_counter() - started

    with stopwatch() as load:
        library, problems = load_library(root)
    with stopwatch() as check:
        problems += check_library(library)
    errors = [p.format() for p in problems if p.severity.name == "ERROR"]
    if errors:
        raise SystemExit(f"the synthetic library has {len(errors)} error(s), first: {errors[0]}")
    with stopwatch() as render:
        site = render_site(library)
    papers = sum(path.startswith("papers/") and path.endswith(".md") and path != "papers/index.md"
                 for path in site.pages)
    figures = Figures(n=n, papers=papers, code=code_version(), load_average=os.getloadavg()[0],
                      generate_s=generate_s,
                      load=load, check=check, render=render)
    print(f"generated in {generate_s:.1f} s; ours: load {load}, check {check}, render {render}; "
          f"load average {figures.load_average:.1f}", flush=True)
    if profile:
        print(profile_ours(root, out / f"profile-{n}.txt"))

    figures.cli_check = timed([sys.executable, "-m", "peerkb.cli", "--root", str(root), "check"], root)
    figures.full_build = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                                "-f", str(root / "mkdocs.yml"), "-d", str(full_site)], root)
    # Into an empty folder again, as the plain build below: MkDocs first deletes what a folder
    # holds (15,000 files at 5,000 papers), which is no part of building.
    shutil.rmtree(full_site)
    figures.full_build_warm = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                                     "-f", str(root / "mkdocs.yml"), "-d", str(full_site)], root)
    timed([sys.executable, "-m", "peerkb.cli", "--root", str(root), "render", "--out", str(render_dir)], root)
    plain_config = write_plain_config(root, render_dir, plain_dir, site.nav)
    figures.plain_build = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain_config),
                                 "-d", str(plain_dir / "site")], plain_dir)
    print(f"check command {figures.cli_check}; full build {figures.full_build}, "
          f"again with its cache {figures.full_build_warm}, "
          f"plain build {figures.plain_build}", flush=True)

    figures.site_bytes = tree_bytes(full_site)
    figures.plain_site_bytes = tree_bytes(plain_dir / "site")
    pages = [p.stat().st_size for p in (full_site / "papers").glob("*/index.html")]
    figures.paper_page_bytes = sum(pages) / len(pages) if pages else 0.0
    # Everything under search/: Material's search_index.json, and our shards and page blocks.
    figures.search_index_bytes = tree_bytes(full_site / "search")
    figures.plain_search_index_bytes = tree_bytes(plain_dir / "site" / "search")
    figures.index_breakdown = index_breakdown(full_site / "search")
    if browser:
        browser_figures(full_site, site_prefix(root), figures)
    else:
        figures.browser_note = "skipped: --no-browser"
    return figures


@contextmanager
def stopwatch() -> Iterator[Clock]:
    """Time the block in this process: wall and CPU seconds, filled in when it ends."""
    clock = Clock()
    wall, cpu = time.perf_counter(), time.process_time()
    yield clock
    clock.wall, clock.cpu = time.perf_counter() - wall, time.process_time() - cpu


def timed(command: list[str], cwd: Path) -> Clock:
    """Wall and CPU time of a command (and its children); its output is shown only when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        shown = " ".join(command)
        raise SystemExit(f"failed ({result.returncode}): {shown}\n{result.stdout}\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Clock(elapsed, cpu)


def profile_ours(root: Path, target: Path) -> str:
    """cProfile of load, check and render; the 15 costliest functions by own time, also saved."""
    profiler = cProfile.Profile()
    profiler.enable()
    library, _ = load_library(root)
    check_library(library)
    render_site(library)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("tottime")
    stats.print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)
    target.write_text(text.getvalue(), encoding="utf-8")
    return "\n".join(text.getvalue().splitlines()[:40])


def write_plain_config(root: Path, render_dir: Path, plain_dir: Path, nav: Any) -> Path:
    """mkdocs.yml for the rendered pages: our configuration without the hook, same nav and glossary."""
    with (root / "mkdocs.yml").open("rb") as handle:
        config = yaml_load(handle)  # follows INHERIT, merging as MkDocs does
    config.pop("INHERIT", None)
    config.pop("hooks", None)
    config.pop("watch", None)
    config["docs_dir"] = str(render_dir)
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(root / theme["custom_dir"])
    contributing = root / "CONTRIBUTING.md"
    if contributing.is_file() and not (render_dir / "contributing.md").exists():
        # The hook serves CONTRIBUTING.md as contributing.md; give the plain build the same page.
        shutil.copy2(contributing, render_dir / "contributing.md")
    abbreviations = root / "docs" / "includes" / "abbreviations.md"
    extensions = []
    for item in config.get("markdown_extensions", []):
        if item == "abbr" and abbreviations.is_file():
            item = {"abbr": {"glossary": parse_abbreviations(abbreviations.read_text(encoding="utf-8"))}}
        extensions.append(item)
    config["markdown_extensions"] = extensions
    config["nav"] = expand_nav(config.get("nav"), nav)
    plain_dir.mkdir(parents=True, exist_ok=True)
    path = plain_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def expand_nav(items: list | None, facets: Any) -> list | None:
    """The hook's nav expansion: roles/index.md and themes/index.md become sections of every term."""
    if items is None:
        return None
    expanded = []
    for item in items:
        if isinstance(item, dict) and len(item) == 1:
            ((title, target),) = item.items()
            facet = target[: -len("/index.md")] if isinstance(target, str) else ""
            if facet in facets:
                item = {title: [target, *({meta_title(name): path} for name, path in facets[facet])]}
        expanded.append(item)
    return expanded


def tree_bytes(root: Path) -> int:
    """Total size of the files under root."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def index_breakdown(search: Path) -> dict[str, int]:
    """Files and bytes of the search index by kind: term shards, page blocks, Material's stub."""
    parts: dict[str, int] = {}
    for path in sorted(search.rglob("*.json")):
        kind = path.name.split("-", 1)[0] if "-" in path.name else path.name
        parts[f"{kind} files"] = parts.get(f"{kind} files", 0) + 1
        parts[f"{kind} bytes"] = parts.get(f"{kind} bytes", 0) + path.stat().st_size
    shards = [p.stat().st_size for p in search.rglob("terms-*.json")]
    if shards:
        parts["largest shard bytes"] = max(shards)
    return parts


def site_prefix(root: Path) -> str:
    """The path of site_url ("/repo/"), where the site is served, as on GitHub Pages."""
    with (root / "mkdocs.yml").open("rb") as handle:
        url = yaml_load(handle).get("site_url") or "/"
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def browser_figures(site: Path, prefix: str, figures: Figures) -> None:
    """Open the home page in Chromium, search for a surname, time the first result, sum memory."""
    executable = chromium_path()
    if executable is None:
        figures.browser_note = "skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)"
        print(figures.browser_note)
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        figures.browser_note = "skipped: Playwright is not installed"
        print(figures.browser_note)
        return
    runs: list[dict[str, float]] = []
    with serve_directory(site, prefix) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            blank = browser.new_page()
            blank.goto("about:blank")
            baseline = browser_memory()
            blank.context.close()
            for _ in range(RUNS):
                # A fresh context each time: empty cache, as for a reader opening the site.
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                runs.append(search_once(context, base))
                context.close()
        finally:
            browser.close()
    # The median run: the first page a fresh browser opens is often slower than the rest.
    run = sorted(runs, key=lambda r: r["first"])[len(runs) // 2]
    figures.load_event_s, figures.typed_s, figures.first_result_s = run["load"], run["typed"], run["first"]
    figures.search_ready_s = run["ready"]
    figures.search_fetched_bytes = int(run["search_fetched"])
    figures.browser_rss_bytes, figures.browser_pss_bytes = int(run["rss"]), int(run["pss"])
    figures.browser_renderer_pss_bytes = int(run["renderer_pss"])
    figures.browser_baseline_pss_bytes = baseline["pss"]
    figures.browser_note = (f"median of {RUNS} fresh contexts: query typed at {run['typed']:.2f} s, "
                            f"{int(run['processes'])} processes; first results per run "
                            f"{', '.join(format(r['first'], '.2f') for r in runs)} s")
    print(f"browser: search ready {run['ready']:.2f} s, typed {run['typed']:.2f} s, "
          f"{run['search_fetched'] / KB:.0f} KB of search files, "
          f"first result {run['first']:.2f} s, "
          f"load {run['load']:.2f} s; "
          f"renderers {run['renderer_pss'] / MB:.0f} MB PSS, all {run['pss'] / MB:.0f} MB PSS, "
          f"{run['rss'] / MB:.0f} MB RSS (blank page {baseline['pss'] / MB:.0f} MB PSS)", flush=True)


def search_once(context: Any, base: str) -> dict[str, float]:
    """Open the home page, the query typed at once: times (s since navigation start), bytes, memory."""
    page = context.new_page()
    log = guard_requests(page)
    # The worker's requests are reported on its page; its own timeline is not the page's.
    search_bytes: list[int] = []
    page.on("response", lambda r: "/search/" in r.url and search_bytes.append(
        int(r.headers.get("content-length") or 0)))
    page.add_init_script(FIRST_RESULT_JS)
    page.goto(base, wait_until="domcontentloaded")
    page.wait_for_selector(".md-search-result__item", state="attached", timeout=300_000)
    page.wait_for_load_state("load")
    page.wait_for_function("window.__ready !== null")
    load, typed, first, ready = page.evaluate(
        "[performance.getEntriesByType('navigation')[0].loadEventEnd, window.__typed, window.__firstResult,"
        " window.__ready]")
    if log.foreign():
        raise SystemExit(f"the site asked for other hosts: {log.foreign()}")
    return {"load": load / 1000, "typed": typed / 1000, "first": first / 1000, "ready": ready / 1000,
            "search_fetched": sum(search_bytes), **browser_memory()}


def browser_memory() -> dict[str, int]:
    """PSS and RSS summed over the Chromium processes under this one, and the renderers' PSS alone."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    ours = {os.getpid()}
    while True:
        grown = ours | {pid for pid, parent in parents.items() if parent in ours}
        if grown == ours:
            break
        ours = grown
    totals = {"rss": 0, "pss": 0, "renderer_pss": 0, "processes": 0}
    for pid in ours - {os.getpid()}:
        try:
            if "chrom" not in Path(f"/proc/{pid}/comm").read_text():
                continue  # Playwright's node driver is not the browser
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        values = {line.split(":")[0]: int(line.split()[1]) * KB for line in rollup.splitlines()[1:]
                  if line.split()[-1] == "kB"}
        totals["rss"] += values.get("Rss", 0)
        totals["pss"] += values.get("Pss", 0)
        totals["processes"] += 1
        if b"--type=renderer" in command:
            # The page and its search worker live here; the rest is the browser itself.
            totals["renderer_pss"] += values.get("Pss", 0)
    return totals


def table(results: list[Figures]) -> str:
    """Markdown table of every figure, one column per N, with targets and verdicts."""
    def mark(ok: bool | None) -> str:
        return "" if ok is None else (" PASS" if ok else " FAIL")

    def seconds(value: float | None, target: float | None = None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.2f} s" + mark(None if target is None else value <= target)

    rows: list[tuple[str, str, list[str]]] = [
        ("papers in the site", "", [str(r.papers) for r in results]),
        ("code measured", "",
         [r.code.replace("commit ", "").replace(" tracked file(s) changed since", " changed")
          for r in results]),
        ("machine load average at start", "", [f"{r.load_average:.1f}" for r in results]),
        ("generate synthetic library", "", [seconds(r.generate_s) for r in results]),
        ("ours: load", "", [str(r.load) for r in results]),
        ("ours: check", "", [str(r.check) for r in results]),
        ("ours: render", "", [str(r.render) for r in results]),
        ("ours: load + check + render", "", [str(r.ours) for r in results]),
        ("`peerkb check` command (CPU)", "< 2 s",
         [f"{r.cli_check}" + mark(r.cli_check.cpu < 2) for r in results]),
        ("full build (`mkdocs build --strict`), first", "", [str(r.full_build) for r in results]),
        ("full build again, with the first one's .cache/", "", [str(r.full_build_warm) for r in results]),
        ("plain Material build, same pages", "", [str(r.plain_build) for r in results]),
        ("full (first) / plain (CPU)", "<= 1.10",
         [f"{r.ratio('wall'):.2f} ({r.ratio('cpu'):.2f} CPU)" + mark(r.ratio("cpu") <= 1.10)
          for r in results]),
        ("full (again) / plain (CPU)", "<= 1.10",
         [f"{r.ratio('wall', True):.2f} ({r.ratio('cpu', True):.2f} CPU)" + mark(r.ratio("cpu", True) <= 1.10)
          for r in results]),
        ("site per paper (site bytes / papers)", "<= 40 KB",
         [f"{r.site_bytes / r.papers / KB:.1f} KB" + mark(r.site_bytes / r.papers <= 40 * KB)
          for r in results]),
        ("site total (plain build)", "", [f"{r.plain_site_bytes / MB:.1f} MB" for r in results]),
        ("site total (full build)", "", [f"{r.site_bytes / MB:.1f} MB" for r in results]),
        ("mean papers/*/index.html", "", [f"{r.paper_page_bytes / KB:.1f} KB" for r in results]),
        ("search index (all of search/)", "", [f"{r.search_index_bytes / MB:.2f} MB" for r in results]),
        ("search index per paper", "", [f"{r.search_index_bytes / r.papers / KB:.2f} KB" for r in results]),
        ("search index per paper (plain)", "",
         [f"{r.plain_search_index_bytes / r.papers / KB:.2f} KB" for r in results]),
        ("Chromium: page load event", "", [seconds(r.load_event_s) for r in results]),
        # A reader opens the home page and types at once: when do the first results show?
        ("Chromium: open page, type at once, first results", "<= 1 s",
         [seconds(r.first_result_s, 1.0) for r in results]),
        ("Chromium: open page to search worker ready", "", [seconds(r.search_ready_s) for r in results]),
        ("Chromium: search files fetched for the query", "",
         ["n/a" if r.search_fetched_bytes is None else f"{r.search_fetched_bytes / KB:.0f} KB"
          for r in results]),
        ("Chromium: query typed to first results", "",
         [seconds(None if r.first_result_s is None or r.typed_s is None else r.first_result_s - r.typed_s)
          for r in results]),
        # The page and its search worker run in the renderer; the rest of Chromium costs about
        # the same for a blank page. PSS counts each shared page once, where a sum of RSS counts
        # the shared libraries once per process.
        ("Chromium memory: renderer processes (PSS)", "< 300 MB",
         [memory(r.browser_renderer_pss_bytes, 300) for r in results]),
        ("Chromium memory: all processes (PSS)", "", [memory(r.browser_pss_bytes, None) for r in results]),
        ("Chromium memory: all processes (sum of RSS)", "",
         [memory(r.browser_rss_bytes, None) for r in results]),
        ("Chromium memory: blank page, all (PSS)", "",
         [memory(r.browser_baseline_pss_bytes, None) for r in results]),
    ]
    by_n = {r.n: r for r in results}
    small = min(results, key=lambda r: r.n)
    large = max(results, key=lambda r: r.n)
    if len(results) > 1:
        # Linear in N with 10 % slack: the "10,000 takes no more than 11 times 1,000".
        wall = large.full_build.wall / small.full_build.wall
        cpu = large.full_build.cpu / small.full_build.cpu
        allowed = 1.1 * large.n / small.n
        rows.append((f"full build N={large.n} / N={small.n} (CPU)", f"<= {allowed:.1f}",
                     ["" for _ in results[:-1]] + [f"{wall:.2f} ({cpu:.2f} CPU)" + mark(cpu <= allowed)]))
    header = "| figure | target | " + " | ".join(f"N = {r.n}" for r in results) + " |"
    lines = [header, "|" + " --- |" * (len(results) + 2)]
    lines += [f"| {name} | {target} | " + " | ".join(values) + " |" for name, target, values in rows]
    notes = [f"N = {r.n}: browser {r.browser_note}" for r in results if r.browser_note]
    notes += [f"N = {n}: search index {json.dumps(r.index_breakdown)}" for n, r in by_n.items()]
    return "\n".join([*lines, "", *notes])


def memory(value: int | None, target_mb: int | None) -> str:
    """Megabytes with an optional verdict."""
    if value is None:
        return "n/a"
    verdict = "" if target_mb is None else (" PASS" if value < target_mb * MB else " FAIL")
    return f"{value / MB:.0f} MB{verdict}"


if __name__ == "__main__":
    sys.exit(main())
