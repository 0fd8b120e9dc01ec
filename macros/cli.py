"""The ``litreview`` command line: check content, export schemas."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from macros.addref import DOI, AddRefError, append, bibtex_for_doi, normalised, reformat_library
from macros.bibliography import parse_bibliography
from macros.changes import change_summary
from macros.citations import citations_in_docs
from macros.load import collect_review
from macros.model import KINDS
from macros.packaging import bundle_name, write_zip
from macros.report import SECTIONS as REPORT_SECTIONS
from macros.report import build_report
from macros.scaffold import write_scaffold
from macros.schemas import export_schemas


@click.group(help="Build and check a literature-review site from content/ and references.bib.")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(),
    show_default=True,
    help="Project folder holding content/ and references.bib.",
)
@click.pass_context
def main(ctx: click.Context, root: Path) -> None:
    ctx.obj = root


@main.command(help="Validate content/ and references.bib; print path:line: message per problem.")
@click.option(
    "--warnings",
    "show_warnings",
    is_flag=True,
    help="Also list the build report's warnings (unused entries, broken-looking URLs...).",
)
@click.option("--quiet", is_flag=True, help="Print errors only, no summary.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for CI).")
@click.pass_obj
def check(root: Path, *, show_warnings: bool, quiet: bool, as_json: bool) -> None:
    review, errors = collect_review(root)
    errors = sorted(set(errors))
    findings = [] if errors else build_report(review, cited_docs_keys(root))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": not errors,
                    "errors": [str(e) for e in errors],
                    "warnings": [str(f) for f in findings],
                    "counts": dict(review.counts()),
                },
                indent=2,
            )
        )
        sys.exit(1 if errors else 0)
    for error in errors:
        click.echo(str(error), err=True)
    if show_warnings:
        for finding in findings:
            click.echo(str(finding), err=True)
    if not quiet:
        counts = ", ".join(f"{n} {kind}" for kind, n in review.counts().items())
        status = f"{len(errors)} error(s)" if errors else "ok"
        warned = f" ({len(findings)} report warnings; --warnings lists them)" if findings else ""
        click.echo(f"litreview check: {status}; {counts}{warned}")
    sys.exit(1 if errors else 0)


@main.command(
    help="The build report: unused entries, unsourced claims, entities never mentioned..."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def report(root: Path, *, as_json: bool) -> None:
    review, errors = collect_review(root)
    if errors:
        for error in sorted(set(errors)):
            click.echo(str(error), err=True)
        sys.exit(1)
    findings = build_report(review, cited_docs_keys(root))
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"section": f.section, "path": f.path, "line": f.line, "message": f.message}
                    for f in findings
                ],
                indent=2,
            )
        )
        return
    for name, title in REPORT_SECTIONS.items():
        rows = [f for f in findings if f.section == name]
        click.echo(f"{title}: {len(rows)}")
        for finding in rows:
            click.echo(f"  {finding}")


@main.command(help="Write content/KIND/ID.yaml for any content kind, with a comment per field.")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("ident", metavar="ID")
@click.pass_obj
def new(root: Path, kind: str, ident: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", ident):
        click.echo(f"'{ident}' is not an id: use lowercase letters, digits and hyphens", err=True)
        sys.exit(1)
    try:
        target = write_scaffold(root, kind, ident)
    except FileExistsError as exc:
        click.echo(f"litreview new: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"wrote {target.relative_to(root)}: fill in the required fields, then run litreview check"
    )


@main.command(
    name="add-ref",
    help="Append an entry to references.bib from BibTeX (a file, or - "
    "for stdin) or from a DOI (needs the DOI resolver to be reachable).",
)
@click.argument("source")
@click.pass_obj
def add_ref(root: Path, source: str) -> None:
    library = root / "references.bib"
    try:
        if source == "-":
            snippet = sys.stdin.read()
        elif (doi := DOI.match(source.strip())) and not Path(source).is_file():
            snippet = bibtex_for_doi(doi[1])
        else:
            snippet = Path(source).read_text(encoding="utf-8")
        existing = library.read_text(encoding="utf-8") if library.is_file() else ""
        current, _ = parse_bibliography(library.name, existing)
        entry, keys = normalised(snippet, set(current.entries))
    except (AddRefError, OSError) as exc:
        click.echo(f"litreview add-ref: {exc}", err=True)
        sys.exit(1)
    library.write_text(append(existing, entry), encoding="utf-8")
    click.echo(f'added {", ".join(keys)} to {library.name}; cite with {{{{ cite("{keys[0]}") }}}}')


@main.command(
    help="Check that references.bib entries are in canonical form (fields sorted, "
    "two-space indent); --fix rewrites only the entries that are not."
)
@click.option("--fix", is_flag=True, help="Rewrite the entries that are not in canonical form.")
@click.pass_obj
def bibfmt(root: Path, *, fix: bool) -> None:
    library = root / "references.bib"
    text = library.read_text(encoding="utf-8")
    fixed, changed = reformat_library(text)
    if fix and changed:
        library.write_text(fixed, encoding="utf-8")
        click.echo(f"litreview bibfmt: reformatted {len(changed)} entries")
        return
    for line, key in changed:
        click.echo(
            f"references.bib:{line}: '{key}' is not in canonical form. Hint: run "
            "litreview bibfmt --fix.",
            err=True,
        )
    sys.exit(1 if changed else 0)


@main.command(help="Write one JSON Schema per content kind into schemas/ (or --check they match).")
@click.option("--check", "only_check", is_flag=True, help="Fail if the committed schemas differ.")
@click.pass_obj
def schemas(root: Path, *, only_check: bool) -> None:
    stale = export_schemas(root / "schemas", write=not only_check)
    if only_check and stale:
        click.echo(
            f"schemas out of date: {', '.join(stale)}; run `python -m macros schemas`", err=True
        )
        sys.exit(1)


@main.command(help="Build site/ with `mkdocs build --strict`; a failed build keeps the old site/.")
@click.option("--site-dir", default="site", show_default=True, help="Where the site goes.")
@click.pass_obj
def build(root: Path, site_dir: str) -> None:
    sys.exit(build_site(root, root / site_dir))


def build_site(root: Path, target: Path) -> int:
    """Build into a temporary folder beside ``target``, then swap it in.

    A failed or killed build never touches ``target``; leftovers of a killed build are
    removed by the next one.
    """
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=parent))
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--site-dir",
        str(fresh),
    ]
    result = subprocess.run(
        command, env=_build_environment(root), check=False, capture_output=True, text=True
    )
    log = result.stdout + result.stderr
    problems = problems_in_log(log, root / "docs")
    if result.returncode != 0 and not problems:  # an unexpected failure: show how it ended
        problems = log.strip().splitlines()[-12:]
    for line in problems:
        click.echo(line, err=True)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        click.echo(f"litreview build: failed; {target} was left as it was.", err=True)
        return 1
    old = parent / f".{target.name}-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in target.rglob("*.html"))
    click.echo(f"litreview build: ok; {pages} pages in {target}")
    return 0


_LOCATED = re.compile(r"(?:docs/|content/|references\.bib|mkdocs\.yml)\S*:\d+: .*")
_LOG_RECORD = re.compile(r"^(WARNING|ERROR)\s+-\s+(.*)")


_MACRO_ERROR = re.compile(r"_File_: `(?P<file>[^`]+)`\s*_(?P<kind>\w+)_: (?P<message>[^\n]+)")


def problems_in_log(log: str, docs: Path | None = None) -> list[str]:
    """The warnings and errors of an MkDocs run, without tracebacks or INFO chatter.

    Errors that name a file and line are printed once, as ``path:line: message``.
    """
    located = list(dict.fromkeys(m.group(0) for m in _LOCATED.finditer(log)))
    located += [line for line in _macro_errors(log, docs) if line not in located]
    records: list[str] = []
    for line in log.splitlines():
        if m := _LOG_RECORD.match(line):
            records.append(m.group(2))
        elif records and line.startswith("  - "):  # MkDocs lists the files a warning is about
            records[-1] += " " + line.strip()
    others = [
        r
        for r in records
        if not any(loc in r or r in loc for loc in located)
        and "Macro Rendering Error" not in r
        and not r.startswith("Aborted with")
    ]
    return located + list(dict.fromkeys(others))


def _macro_errors(log: str, docs: Path | None) -> list[str]:
    """mkdocs-macros reports a page's template error as Markdown; turn it into path:line."""
    found = []
    for match in _MACRO_ERROR.finditer(log):
        message = match["message"].strip()
        if _LOCATED.match(message):
            continue  # our own errors already name their file and line
        page = match["file"]
        line = 1
        name = re.search(r"'([^']+)' is undefined", message)
        if docs is not None and name and (docs / page).is_file():
            text = (docs / page).read_text(encoding="utf-8", errors="replace")
            position = text.find(name[1])
            line = text.count("\n", 0, max(position, 0)) + 1
        hint = (
            'fix the macro\'s name; pages can call cite("key", locator="...")'
            if name
            else "check the {{ ... }} and {% ... %} on this page"
        )
        found.append(f"docs/{page}:{line}: {message}. Hint: {hint}.")
    return found


def _build_environment(root: Path) -> dict[str, str]:
    """Pin build dates to the last commit so that two builds of a commit are identical."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if "SOURCE_DATE_EPOCH" not in env:
        git = shutil.which("git")
        stamp = (
            subprocess.run(
                [git, "log", "-1", "--format=%ct"],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if git
            else None
        )
        env["SOURCE_DATE_EPOCH"] = stamp.stdout.strip() if stamp and stamp.stdout.strip() else "0"
    return env


@main.command(help="Live preview: rebuilds when content/, references.bib or docs/ change.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
@click.pass_obj
def serve(root: Path, dev_addr: str) -> None:
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--strict",
        "--config-file",
        str(root / "mkdocs.yml"),
        "--dev-addr",
        dev_addr,
        "--watch",
        str(root / "content"),
        "--watch",
        str(root / "references.bib"),
    ]
    sys.exit(subprocess.run(command, env=_build_environment(root), check=False).returncode)


def cited_docs_keys(root: Path) -> set[str]:
    docs = root / "docs"
    return {key for key, _ in citations_in_docs(docs)} if docs.is_dir() else set()


@main.command(
    name="zip", help="Build the site and pack it as dist/<name>-<version>.zip for offline use."
)
@click.pass_obj
def zip_site(root: Path) -> None:
    if build_site(root, root / "site") != 0:
        sys.exit(1)
    name = bundle_name(root)
    target = root / "dist" / f"{name}.zip"
    count = write_zip(root / "site", target, name)
    click.echo(f"litreview zip: {count} files in {target}; unzip it and open {name}/index.html")


@main.command(help="Markdown summary of how HEAD's site differs from a base checkout's site.")
@click.option(
    "--base",
    "base_root",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="A checkout of the base revision.",
)
@click.option("--base-site", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option(
    "--site",
    "head_site",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
)
@click.pass_obj
def changes(root: Path, base_root: Path, base_site: Path, head_site: Path) -> None:
    click.echo(change_summary(base_root, base_site, root, head_site))
