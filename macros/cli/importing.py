"""``litreview import FILE... [--dry-run]``: the command over ``bibliography/importer.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from macros.bibliography.importer import LibraryImportError, Plan, import_files
from macros.cli.screenimport import import_screening
from macros.content.safewrite import write_atomic
from macros.content.settings import Settings
from macros.pages.labels import counted

# Fixes made to nearly every entry of some libraries: counted, listed only with --verbose.
BULK_KINDS = frozenset(
    {
        "field names lower-cased",
        "entry type lower-cased",
        "empty field dropped",
        "private field dropped",
        "unprinted field dropped",
        "BibDesk URL moved",
        "language mapped to langid",
    }
)


@click.command(
    name="import",
    help="Bring BibTeX/biblatex, RIS or CSL-JSON libraries into the review's bibliography: "
    "normalised, duplicates merged, appended after the last entry (existing entries are "
    "never rewritten). CSV files of screening decisions (ASReview's export) go to the "
    "screening ledger instead.",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be added and merged; write nothing.")
@click.option("--verbose", is_flag=True, help="List every fix, also those made to most entries.")
@click.option(
    "--search", default=None, help="CSV screening decisions: the search id their records came from."
)
@click.pass_obj
def import_command(
    settings: Settings,
    files: tuple[Path, ...],
    *,
    dry_run: bool,
    verbose: bool,
    search: str | None,
) -> None:
    if all(path.suffix.lower() == ".csv" for path in files):  # ASReview-shaped decisions
        import_screening(settings, files, dry_run=dry_run, search=search)
        return
    root = settings.root
    try:
        plan, before, after = import_files(root, list(files))
    except LibraryImportError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo("litreview import: nothing was written.", err=True)
        sys.exit(1)
    for note in plan.all_notes():
        if verbose or note.kind not in BULK_KINDS:
            click.echo(str(note))
    click.echo(summary(plan, dry_run=dry_run))
    if dry_run or after == before:
        return
    target = root / plan.bibliography
    try:
        write_atomic(target, after.encode("utf-8"))
    except OSError as exc:
        click.echo(f"{plan.bibliography}:1: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(1)


def summary(plan: Plan, *, dry_run: bool) -> str:
    verb = "would add" if dry_run else "added"
    lines = [
        f"litreview import: {counted(plan.read, 'entries')} read; {verb} {len(plan.added)} to "
        f"{plan.bibliography}, {len(plan.merged)} merged as duplicates "
        f"({sum(m.existing for m in plan.merged)} into existing entries), "
        f"{len(plan.skipped)} skipped (already there)"
    ]
    counts = plan.fix_counts()
    if counts:
        lines.append("fixes: " + "; ".join(f"{kind} {n}" for kind, n in sorted(counts.items())))
    if dry_run:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)
