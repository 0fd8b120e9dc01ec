"""``litreview init DIR`` and ``litreview sitecheck``: starting a review and testing its site."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from macros.cli.newreview import InitError, create_review
from macros.cli.sitecheck import check_links
from macros.cli.smoke import SmokeError, smoke_test
from macros.content.settings import Settings
from macros.pages.labels import counted


@click.command(
    help="Start a new, empty review in DIR (missing or empty): mkdocs.yml, content/, docs/, "
    "references.bib, README, Makefile, CI and the Pages workflow. The engine is installed "
    "from the one line of engine.txt, never copied."
)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The site's title (default: the folder's name).")
@click.option(
    "--engine",
    metavar="SPEC",
    help="Where the review installs litreview from: a pinned git URL (the default), a wheel "
    "path, or litreview==VERSION.",
)
def init(directory: Path, title: str | None, engine: str | None) -> None:
    try:
        create_review(directory, title=title, engine=engine)
    except (InitError, OSError) as exc:
        click.echo(f"litreview init: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"litreview init: wrote a new review in {directory}; next: cd {directory} && make site "
        "(or, with litreview installed: litreview import LIBRARY.bib && litreview build)"
    )


@click.command(
    help="Test a built site: every internal link resolves, then every page opens in headless "
    "Chromium from file:// with no console error and no network request."
)
@click.option("--site-dir", help="The built site (default: site_dir of mkdocs.yml).")
@click.option("--no-browser", is_flag=True, help="Check the links only.")
@click.option("--limit", type=int, help="Open at most this many pages in the browser.")
@click.pass_obj
def sitecheck(
    settings: Settings, site_dir: str | None, *, no_browser: bool, limit: int | None
) -> None:
    site = settings.root / site_dir if site_dir else settings.site_path
    if not (site / "index.html").is_file():
        click.echo(
            f"litreview sitecheck: {site} holds no built site; run litreview build", err=True
        )
        sys.exit(1)
    problems = [f"{p} (broken link)" for p in check_links(site).broken]
    pages = 0
    if not no_browser:
        try:
            report = smoke_test(site, limit=limit)
        except SmokeError as exc:
            click.echo(f"litreview sitecheck: {exc}", err=True)
            sys.exit(1)
        problems += report.problems
        pages = report.pages
    for problem in problems:
        click.echo(problem, err=True)
    status = counted(len(problems), "problems") if problems else "ok"
    opened = "links only" if no_browser else f"{counted(pages, 'pages')} opened in Chromium"
    click.echo(f"litreview sitecheck: {status}; {opened}")
    sys.exit(1 if problems else 0)
