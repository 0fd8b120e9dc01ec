"""The adapter's side of MkDocs' configuration: the plugin's options, the settings they make,
the theme additions, and engine errors reported as MkDocs reports a plugin's."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from macros.content.errors import InvalidContentError
from macros.content.settings import Settings, SettingsError, coverage_date
from macros.pages.session import BuildError
from macros.pages.text import attr
from macros.site.files import ASSET_URI

OVERRIDES = Path(__file__).parent / "overrides"


class LitreviewConfig(base.Config):
    """``plugins: [litreview: {...}]`` in mkdocs.yml (``macros.content.settings`` reads the same
    values for the commands that run without MkDocs)."""

    content_dir = c.Type(str, default="content")
    bibliography = c.Type(str, default="references.bib")
    csl = c.Type(str, default="chicago-notes-bibliography-litreview")
    cache_dir = c.Type(str, default=".cache/litreview")
    zip_name = c.Type(str, default="")
    coverage = c.Optional(c.Type((str, datetime.date)))  # a date YYYY-MM-DD


def settings_of(config: MkDocsConfig, options: LitreviewConfig) -> Settings:
    root = Path(config.config_file_path or ".").resolve().parent
    return Settings(
        root,
        Path(config.docs_dir).resolve().relative_to(root).as_posix(),
        config.site_dir,
        content_dir=options.content_dir,
        bibliography=options.bibliography,
        csl=options.csl,
        cache_dir=options.cache_dir,
        use_directory_urls=config.use_directory_urls,
        site_name=config.site_name,
        zip_name=options.zip_name,
        coverage=_coverage(options.coverage),
    )


def _coverage(value: object) -> str:
    if value is None:
        return ""
    try:
        return coverage_date(value)
    except SettingsError as exc:
        raise PluginError(f"mkdocs.yml: {exc.error.message}") from None


def add_theme(config: MkDocsConfig) -> None:
    """Our templates, styles and scripts; the site description made safe for an attribute."""
    if config.site_description:  # Material prints it into an attribute as it is
        config.site_description = attr(config.site_description)
    # Our templates sit just above the theme's, below a project's own custom_dir.
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
    config.extra.setdefault("polyfills", []).insert(0, ASSET_URI + "iframe-worker-shim.js")
    config.extra_css.append(ASSET_URI + "litreview.css")
    if "def_list" not in config.markdown_extensions:  # metadata as a definition list
        config.markdown_extensions.append("def_list")
    config.extra_javascript.append(ASSET_URI + "litreview.js")
    config.extra_javascript.append(ASSET_URI + "bibindex.js")
    config.extra_javascript.append(ASSET_URI + "litreview-table.js")
    config.extra_javascript.append(ASSET_URI + "explore.js")


@contextlib.contextmanager
def engine_errors() -> Iterator[None]:
    """The engine's errors, as MkDocs reports a plugin's: without a traceback."""
    try:
        yield
    except InvalidContentError as exc:
        raise PluginError(f"{len(exc.errors)} problem(s) in the content:\n{exc}") from None
    except BuildError as exc:
        raise PluginError(str(exc)) from None
