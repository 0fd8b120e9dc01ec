"""``litreview import FILE.csv``: screening decisions (ASReview's export) into the ledger."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from macros.content.load import collect_review
from macros.content.safewrite import write_atomic
from macros.content.settings import Settings
from macros.kinds import KINDS
from macros.kinds.ledger import stages_of
from macros.kinds.ledgerimport import ScreeningImportError, existing_identifiers, plan_import


def import_screening(
    settings: Settings, files: tuple[Path, ...], *, dry_run: bool, search: str | None
) -> None:
    review, _ = collect_review(
        settings.root, settings.content_dir, settings.bibliography, kinds=KINDS
    )
    existing = existing_identifiers(review)
    for path in files:
        try:
            plan = plan_import(
                path,
                content=settings.content_path,
                existing=existing,
                known_reasons=set(review.of("reasons")),
                search=search,
                stages=stages_of(review),
            )
        except ScreeningImportError as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            click.echo("litreview import: nothing was written.", err=True)
            sys.exit(1)
        click.echo(f"litreview import: {path.name}")
        click.echo(plan.summary())
        if dry_run:
            click.echo("dry run: nothing was written")
            continue
        for rel, text in plan.files.items():
            target = settings.root / settings.content_dir / rel.removeprefix("content/")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                write_atomic(target, text.encode("utf-8"))
            except OSError as exc:
                click.echo(f"{rel}:1: cannot write: {exc.strerror or exc}", err=True)
                sys.exit(1)
