"""The ``litreview`` command line: check content, export schemas."""

from __future__ import annotations

import contextlib
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console

from macros.bibliography.addref import (
    DOI,
    AddRefError,
    appended,
    bibtex_for_doi,
    normalised,
    reformat_library,
)
from macros.bibliography.bibtex import parse_bibliography
from macros.cli.building import BuildResult, run_build
from macros.cli.changes import change_summary
from macros.cli.devserver import DevServer
from macros.cli.importing import import_command
from macros.cli.packaging import bundle_name, write_zip
from macros.cli.reviewcmds import init, sitecheck
from macros.cli.sitecheck import check_links
from macros.content.safewrite import write_atomic
from macros.content.scaffold import kind_names, write_scaffold
from macros.content.schemas import export_schemas
from macros.content.settings import Settings, SettingsError, load_settings
from macros.kinds import KINDS
from macros.kinds.extraction import VALUES_SCHEMA, values_schema
from macros.pages.checks import check_project
from macros.pages.engine import collect_review
from macros.pages.labels import counted
from macros.pages.report import SECTIONS as REPORT_SECTIONS

LOCATED = re.compile(r"^\S+:\d+: ")


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
    if ctx.invoked_subcommand == "init":  # a new review: the folder it runs in is not one
        return
    # Read once: every command honours mkdocs.yml's docs_dir, site_dir and plugin options.
    try:
        ctx.obj = load_settings(root)
    except SettingsError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


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
def check(settings: Settings, *, show_warnings: bool, quiet: bool, as_json: bool) -> None:
    checked = check_project(settings)  # what a build would reject, docs/ citations included
    review, errors, findings = checked.review, checked.errors, checked.findings()
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
        counts = ", ".join(counted(n, kind) for kind, n in review.counts().items())
        status = counted(len(errors), "errors") if errors else "ok"
        warned = (
            f" ({counted(len(findings), 'report warnings')}; --warnings lists them)"
            if findings
            else ""
        )
        click.echo(f"litreview check: {status}; {counts}{warned}")
    sys.exit(1 if errors else 0)


@main.command(
    help="The build report: unused entries, unsourced claims, entities never mentioned..."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def report(settings: Settings, *, as_json: bool) -> None:
    checked = check_project(settings)
    if checked.errors:
        for error in checked.errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    findings = checked.findings()
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
@click.argument("kind", type=click.Choice(sorted(kind_names(KINDS)), case_sensitive=False))
@click.argument("ident", metavar="ID")
@click.pass_obj
def new(settings: Settings, kind: str, ident: str) -> None:
    root = settings.root
    kind = kind_names(KINDS)[kind.lower()]
    if not re.fullmatch(r"[a-z][a-z0-9-]*", ident):
        click.echo(f"'{ident}' is not an id: use lowercase letters, digits and hyphens", err=True)
        sys.exit(1)
    try:
        target = write_scaffold(
            root, next(k for k in KINDS if k.name == kind), ident, settings.content_dir
        )
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
def add_ref(settings: Settings, source: str) -> None:
    library = settings.bibliography_path
    try:
        if source == "-":
            snippet = sys.stdin.read()
        elif (doi := DOI.match(source.strip())) and not Path(source).is_file():
            snippet = bibtex_for_doi(doi[1])
        else:
            snippet = Path(source).read_text(encoding="utf-8")
        # Bytes as they are: no newline translation, so CRLF stays CRLF.
        existing = library.read_bytes().decode("utf-8") if library.is_file() else ""
        current, _ = parse_bibliography(library.name, existing.replace("\r\n", "\n"))
        dois = {e.fields["doi"].strip(): k for k, e in current.entries.items() if "doi" in e.fields}
        entry, keys = normalised(snippet, set(current.entries), dois)
        updated = appended(library.name, existing, entry, keys)
        write_atomic(library, updated.encode("utf-8"))
    except (AddRefError, OSError, UnicodeDecodeError) as exc:
        message = str(exc)
        click.echo(message if LOCATED.match(message) else f"litreview add-ref: {message}", err=True)
        sys.exit(1)
    click.echo(f'added {", ".join(keys)} to {library.name}; cite with {{{{ cite("{keys[0]}") }}}}')


@main.command(
    help="Check that references.bib entries are in canonical form (fields sorted, "
    "two-space indent); --fix rewrites only the entries that are not."
)
@click.option("--fix", is_flag=True, help="Rewrite the entries that are not in canonical form.")
@click.pass_obj
def bibfmt(settings: Settings, *, fix: bool) -> None:
    library = settings.bibliography_path
    text = library.read_text(encoding="utf-8")
    fixed, changed = reformat_library(text)
    if fix and changed:
        library.write_text(fixed, encoding="utf-8")
        click.echo(f"litreview bibfmt: reformatted {counted(len(changed), 'entries')}")
        return
    for line, key in changed:
        click.echo(
            f"{settings.bibliography}:{line}: '{key}' is not in canonical form. Hint: run "
            "litreview bibfmt --fix.",
            err=True,
        )
    sys.exit(1 if changed else 0)


def export_values_schema(settings: Settings, *, write: bool) -> list[str]:
    """The review's own schema of its extraction values, if it defines fields."""
    review, _ = collect_review(settings.root, settings.content_dir, settings.bibliography)
    schema = values_schema(review)
    if schema is None:
        return []
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    target = settings.root / "schemas" / VALUES_SCHEMA
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return []
    if write:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return [VALUES_SCHEMA]


@main.command(help="Write one JSON Schema per content kind into schemas/ (or --check they match).")
@click.option("--check", "only_check", is_flag=True, help="Fail if the committed schemas differ.")
@click.pass_obj
def schemas(settings: Settings, *, only_check: bool) -> None:
    stale = export_schemas(settings.root / "schemas", KINDS, write=not only_check)
    stale += export_values_schema(settings, write=not only_check)
    if only_check and stale:
        click.echo(
            f"schemas out of date: {', '.join(stale)}; run `python -m macros schemas`", err=True
        )
        sys.exit(1)


@main.command(help="Build site/ with `mkdocs build --strict`; a failed build keeps the old site/.")
@click.option("--site-dir", help="Where the site goes (default: site_dir of mkdocs.yml).")
@click.option("--quiet", is_flag=True, help="Print problems only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for CI).")
@click.pass_obj
def build(settings: Settings, site_dir: str | None, *, quiet: bool, as_json: bool) -> None:
    target = settings.root / site_dir if site_dir else settings.site_path
    with _progress(f"Building {target.name}/", enabled=not (quiet or as_json)):
        result = run_build(settings.root, target, settings, waiting=_say)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "problems": result.problems,
                    "pages": result.pages,
                    "references": result.references,
                    "warnings": result.warnings,
                    "seconds": round(result.seconds, 2),
                }
            )
        )
        sys.exit(0 if result.ok else 1)
    for line in result.problems:
        click.echo(line, err=True)
    if not result.ok:
        click.echo(f"litreview build: failed; {target} was left as it was.", err=True)
        sys.exit(1)
    if not quiet:
        click.echo(
            f"litreview build: ok; {counted(result.pages, 'pages')}, "
            f"{counted(result.references, 'references')}, "
            f"{counted(result.warnings, 'report warnings')}, "
            f"{result.seconds:.1f} s -> {target}"
        )


def _say(message: str) -> None:
    click.echo(message, err=True)


@contextlib.contextmanager
def _progress(message: str, *, enabled: bool) -> Iterator[None]:
    """A spinner on a terminal; nothing in CI logs or pipes."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield
        return
    with console.status(message):
        yield


@main.command(help="List the external links of a built site and check every internal link.")
@click.option("--site-dir", help="The built site (default: site_dir of mkdocs.yml).")
@click.pass_obj
def links(settings: Settings, site_dir: str | None) -> None:
    report = check_links(settings.root / site_dir if site_dir else settings.site_path)
    for problem in report.broken:
        click.echo(f"broken: {problem}", err=True)
    for url in sorted(report.external):
        mark = "invalid " if url in report.invalid_external else ""
        click.echo(f"{mark}{url}  ({counted(len(report.external[url]), 'pages')})")
    click.echo(
        f"litreview links: {counted(len(report.broken), 'broken internal links')}, "
        f"{len(report.external)} external, {len(report.invalid_external)} invalid"
    )
    sys.exit(1 if report.broken or report.invalid_external else 0)


@main.command(
    help="Live preview: rebuilds on every change to content/, references.bib or docs/; "
    "a broken edit keeps the last good site and shows the error in the browser."
)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
@click.pass_obj
def serve(settings: Settings, dev_addr: str) -> None:
    host, _, port = dev_addr.rpartition(":")
    server = DevServer(
        settings.root, host or "127.0.0.1", int(port), report=_print_result, settings=settings
    )
    server.start()
    click.echo(f"litreview serve: {server.url} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


def _print_result(result: BuildResult) -> None:
    for line in result.problems:
        click.echo(line, err=True)
    if result.ok:
        click.echo(
            f"litreview build: ok; {counted(result.pages, 'pages')} in {result.seconds:.1f} s"
        )
    else:
        click.echo("litreview build: failed; the last good site is still served", err=True)


def build_site(root: Path, target: Path, settings: Settings | None = None) -> int:
    """Build ``target`` atomically, printing problems; 0 on success."""
    result = run_build(root, target, settings, waiting=_say)
    for line in result.problems:
        click.echo(line, err=True)
    if not result.ok:
        click.echo(f"litreview build: failed; {target} was left as it was.", err=True)
        return 1
    pages = counted(result.pages, "pages")
    click.echo(f"litreview build: ok; {pages} in {target} ({result.seconds:.1f} s)")
    return 0


@main.command(
    name="zip",
    help="Build the site and pack it as dist/<review-name>.zip for offline use (zip_name setting).",
)
@click.pass_obj
def zip_site(settings: Settings) -> None:
    root = settings.root
    if build_site(root, settings.site_path, settings) != 0:
        sys.exit(1)
    name = bundle_name(root, settings.site_name, settings.zip_name)
    target = root / "dist" / f"{name}.zip"
    count = write_zip(settings.site_path, target, name)
    files = counted(count, "files")
    click.echo(f"litreview zip: {files} in {target}; unzip it and open {name}/index.html")


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
    help="HEAD's built site (default: site_dir of mkdocs.yml).",
)
@click.pass_obj
def changes(settings: Settings, base_root: Path, base_site: Path, head_site: Path | None) -> None:
    try:
        base = load_settings(base_root)
    except SettingsError as exc:
        click.echo(f"{base_root}/{exc}", err=True)
        sys.exit(1)
    click.echo(change_summary(base, base_site, settings, head_site or settings.site_path))


main.add_command(import_command)
main.add_command(init)
main.add_command(sitecheck)
