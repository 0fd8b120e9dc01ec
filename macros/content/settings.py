"""The project's settings, read once from ``mkdocs.yml`` into one typed object.

Every command (``check``, ``build``, ``serve``, ``new``, ``add-ref``, ``report``, ``bibfmt``,
``zip``, ``links``, ``changes``) and the MkDocs plugin read the same object, so that a project
with ``content_dir: review`` and ``bibliography: library.bib`` works everywhere.

``mkdocs.yml`` may hold MkDocs' own tags: ``!ENV [NAME, default]`` is read from the
environment (or the default), and ``!!python/name:...`` (used by Markdown extensions) is kept
as its text. Nothing in the file is ever run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from macros.content.errors import ContentError

CONFIG_FILE = "mkdocs.yml"
PLUGIN = "litreview"


class SettingsError(Exception):
    """``mkdocs.yml`` cannot be read; the message is ``path:line: message``."""

    def __init__(self, error: ContentError) -> None:
        self.error = error
        super().__init__(str(error))


@dataclass(frozen=True)
class Settings:
    """Where everything is, and how the site is built (paths relative to ``root``)."""

    root: Path
    docs_dir: str = "docs"
    site_dir: str = "site"
    content_dir: str = "content"
    bibliography: str = "references.bib"
    csl: str = "chicago-notes-bibliography-litreview"
    cache_dir: str = ".cache/litreview"
    use_directory_urls: bool = True
    site_name: str = ""
    zip_name: str = ""
    # The living review's coverage date: the literature is searched up to this day (YYYY-MM-DD).
    coverage: str = ""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def bibliography_path(self) -> Path:
        return self.root / self.bibliography

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def site_path(self) -> Path:
        return self.root / self.site_dir

    @property
    def cache_path(self) -> Path:
        return self.root / self.cache_dir

    def sources(self) -> list[Path]:
        """The files a build reads: what ``litreview serve`` watches."""
        return [
            self.content_path,
            self.docs_path,
            self.bibliography_path,
            self.root / CONFIG_FILE,
        ]


class _SafeConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader plus MkDocs' tags, read as data: nothing is imported or run."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER, default]``: the first variable set, else default."""
    items: list[Any] = (
        [loader.construct_scalar(node)]
        if isinstance(node, yaml.ScalarNode)
        else loader.construct_sequence(node)  # type: ignore[arg-type]
    )
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return default


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """``!!python/name:module.attr`` and friends: the text, never the object."""
    if isinstance(node, yaml.ScalarNode):
        return f"{suffix}{loader.construct_scalar(node)}"
    return None


_SafeConfigLoader.add_constructor("!ENV", _env)
_SafeConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
_SafeConfigLoader.add_multi_constructor("!", _python_tag)  # any other tag: data only


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as plain data; raises ``SettingsError`` naming the file and line."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(ContentError(name, 1, f"cannot be read: {exc.strerror}")) from None
    try:
        data = yaml.load(text, Loader=_SafeConfigLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise SettingsError(ContentError(name, line, f"invalid YAML: {problem}")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(ContentError(name, 1, "must be a mapping of settings"))
    return data


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The ``litreview`` entry of ``plugins:`` (a list of names or mappings, or a mapping)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        options = plugins.get(PLUGIN)
        return options if isinstance(options, dict) else {}
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and PLUGIN in item:
            options = item[PLUGIN]
            return options if isinstance(options, dict) else {}
    return {}


def from_config(root: Path, config: dict[str, Any], options: dict[str, Any]) -> Settings:
    """Settings from MkDocs' top-level values and the plugin's options (defaults elsewhere)."""
    values: dict[str, Any] = {}
    for name, value in (
        ("docs_dir", config.get("docs_dir")),
        ("site_dir", config.get("site_dir")),
        ("site_name", config.get("site_name")),
        *((name, options.get(name)) for name in ("content_dir", "bibliography", "csl")),
        ("cache_dir", options.get("cache_dir")),
        ("zip_name", options.get("zip_name")),
    ):
        if value is None:
            continue
        if not isinstance(value, str):
            where = name if name in config else f"plugins.{PLUGIN}.{name}"
            msg = f"{where}: expected text, got {type(value).__name__}"
            raise SettingsError(ContentError(CONFIG_FILE, 1, msg))
        values[name] = value
    if (coverage := options.get("coverage")) is not None:
        values["coverage"] = coverage_date(coverage)
    urls = config.get("use_directory_urls")
    if urls is not None:
        values["use_directory_urls"] = bool(urls)
    return replace(Settings(root), **values)


def coverage_date(value: object) -> str:
    """The ``coverage`` option as ``YYYY-MM-DD`` (YAML reads an unquoted date as a date)."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        msg = f"plugins.{PLUGIN}.coverage: expected a date YYYY-MM-DD, got {text!r}"
        raise SettingsError(ContentError(CONFIG_FILE, 1, msg))
    return text


def load_settings(root: Path) -> Settings:
    """The settings of the project in ``root``: its ``mkdocs.yml``, or the defaults without one."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Settings(root)
    config = read_config(path)
    return from_config(root, config, plugin_options(config))
