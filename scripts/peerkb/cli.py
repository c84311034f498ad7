"""The `peerkb` command for maintainers: check, render and add. A thin edge over the core."""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import tempfile
from pathlib import Path

from peerkb.check import load_and_check
from peerkb.problems import Severity, errors_in

# Marks a folder written by `peerkb render`, so that a second render may replace it safely.
RENDER_MARK = ".peerkb-render"


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand and return its exit status."""
    parser = argparse.ArgumentParser(prog="peerkb", description="Maintain the peer-work knowledge base.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder holding references/")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="report every problem in references/ (exit 1 on errors)")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    render = commands.add_parser("render", help="write the generated pages as Markdown for any engine")
    render.add_argument("--out", type=Path, required=True, help="folder to write (created or replaced)")

    add = commands.add_parser("add", help="import BibTeX, RIS or PubMed records and scaffold summaries")
    add.add_argument("files", nargs="+", help="export files to import, or - for standard input")

    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return _check(root, args.strict)
    if args.command == "render":
        return _render(root, args.out)
    from peerkb.add import run_add

    return run_add(args.files, root, sys.stdin, sys.stderr, datetime.date.today().isoformat())


def _check(root: Path, strict: bool) -> int:
    _library, problems = load_and_check(root)
    for problem in problems:
        print(problem.format())
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    failing = errors_in(problems, strict)
    verdict = "failed" if failing else "passed"
    print(f"peerkb check {verdict}: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 1 if failing else 0


def _render(root: Path, out: Path) -> int:
    library, problems = load_and_check(root)
    errors = errors_in(problems)
    if errors:
        for problem in errors:
            print(problem.format(), file=sys.stderr)
        print(f"peerkb render: nothing written: {len(errors)} error(s)", file=sys.stderr)
        return 1
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / RENDER_MARK).exists():
        print(f"peerkb render: {out} is not empty and was not written by peerkb render; "
              "choose an empty or new folder", file=sys.stderr)
        return 1
    # Imported here: rendering pulls in citeproc, nh3 and Markdown, which `check` never needs.
    from peerkb.render import render_site

    site = render_site(library)
    # Write beside the target, then swap, so a failure never leaves a half-written folder.
    staging = Path(tempfile.mkdtemp(prefix=".peerkb-render-", dir=out.parent))
    docs = root / "docs"
    if docs.is_dir():
        shutil.copytree(docs, staging, dirs_exist_ok=True)
        for page in staging.glob("*.md"):
            text = page.read_text(encoding="utf-8")
            page.write_text(site.fill_fragments(text, page.name), encoding="utf-8")
    # Pages and the other generated files (downloads, feed), exactly as the hook hands them over.
    for path, content in {**site.pages, **site.files}.items():
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    (staging / RENDER_MARK).write_text("written by peerkb render\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    print(f"peerkb render: wrote {len(site.pages)} pages, {len(site.files)} other files and docs/ to {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
