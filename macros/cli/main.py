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
    append,
    bibtex_for_doi,
    normalised,
    reformat_library,
)
from macros.bibliography.bibtex import parse_bibliography
from macros.bibliography.citations import citations_in_docs
from macros.cli.building import BuildResult, run_build
from macros.cli.changes import change_summary
from macros.cli.devserver import DevServer
from macros.cli.packaging import bundle_name, write_zip
from macros.cli.sitecheck import check_links
from macros.content.load import collect_review
from macros.content.scaffold import KIND_NAMES, write_scaffold
from macros.content.schemas import export_schemas
from macros.pages.report import SECTIONS as REPORT_SECTIONS
from macros.pages.report import build_report


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
@click.argument("kind", type=click.Choice(sorted(KIND_NAMES), case_sensitive=False))
@click.argument("ident", metavar="ID")
@click.pass_obj
def new(root: Path, kind: str, ident: str) -> None:
    kind = KIND_NAMES[kind.lower()]
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
@click.option("--quiet", is_flag=True, help="Print problems only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for CI).")
@click.pass_obj
def build(root: Path, site_dir: str, *, quiet: bool, as_json: bool) -> None:
    target = root / site_dir
    with _progress(f"Building {target.name}/", enabled=not (quiet or as_json)):
        result = run_build(root, target)
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
            f"litreview build: ok; {result.pages} pages, "
            f"{result.references} references, {result.warnings} report warnings, "
            f"{result.seconds:.1f} s -> {target}"
        )


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
@click.option("--site-dir", default="site", show_default=True)
@click.pass_obj
def links(root: Path, site_dir: str) -> None:
    report = check_links(root / site_dir)
    for problem in report.broken:
        click.echo(f"broken: {problem}", err=True)
    for url in sorted(report.external):
        mark = "invalid " if url in report.invalid_external else ""
        click.echo(f"{mark}{url}  ({len(report.external[url])} page(s))")
    click.echo(
        f"litreview links: {len(report.broken)} broken internal link(s), "
        f"{len(report.external)} external, {len(report.invalid_external)} invalid"
    )
    sys.exit(1 if report.broken or report.invalid_external else 0)


@main.command(
    help="Live preview: rebuilds on every change to content/, references.bib or docs/; "
    "a broken edit keeps the last good site and shows the error in the browser."
)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True)
@click.pass_obj
def serve(root: Path, dev_addr: str) -> None:
    host, _, port = dev_addr.rpartition(":")
    server = DevServer(root, host or "127.0.0.1", int(port), report=_print_result)
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
        click.echo(f"litreview build: ok; {result.pages} pages in {result.seconds:.1f} s")
    else:
        click.echo("litreview build: failed; the last good site is still served", err=True)


def build_site(root: Path, target: Path) -> int:
    """Build ``target`` atomically, printing problems; 0 on success."""
    result = run_build(root, target)
    for line in result.problems:
        click.echo(line, err=True)
    if not result.ok:
        click.echo(f"litreview build: failed; {target} was left as it was.", err=True)
        return 1
    click.echo(f"litreview build: ok; {result.pages} pages in {target} ({result.seconds:.1f} s)")
    return 0


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


def cited_docs_keys(root: Path) -> set[str]:
    docs = root / "docs"
    return {key for key, _ in citations_in_docs(docs)} if docs.is_dir() else set()
