"""Checks over a built site: every internal link and anchor resolves; external links listed."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})
# <link rel=canonical> and friends name the published URL, not a file of this copy.
SKIPPED_LINK_RELS = frozenset({"canonical", "alternate", "preconnect", "dns-prefetch"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        if tag == "link" and values.get("rel") in SKIPPED_LINK_RELS:
            return
        self.links += [values[name] for name in ("href", "src") if values.get(name)]


@dataclass
class LinkReport:
    broken: list[str] = field(default_factory=list)  # "page: link (why)"
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages

    @property
    def invalid_external(self) -> list[str]:
        return [url for url in self.external if not _valid_external(url)]


def _valid_external(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return "@" in parts.path
    return parts.scheme in {"http", "https"} and "." in parts.netloc and " " not in url


def check_links(site: Path) -> LinkReport:
    pages: dict[str, _Collector] = {}
    for path in sorted(site.rglob("*.html")):
        collector = _Collector()
        collector.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = collector
    report = LinkReport()
    for page, collector in pages.items():
        for link in collector.links:
            problem = _internal_problem(site, pages, page, link, report)
            if problem:
                report.broken.append(f"{page}: {link} ({problem})")
    return report


def _internal_problem(
    site: Path, pages: dict[str, _Collector], page: str, link: str, report: LinkReport
) -> str | None:
    parts = urlsplit(link)
    if parts.scheme in EXTERNAL_SCHEMES:
        report.external.setdefault(link, []).append(page)
        return None
    if parts.scheme or parts.netloc:
        return None if parts.scheme in {"data", "blob"} else f"unexpected scheme '{parts.scheme}'"
    target = _target(page, unquote(parts.path))
    if target.startswith("../"):
        return "points outside the site"
    if (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    if not (site / target).is_file():
        return "no such file"
    if parts.fragment and target in pages and unquote(parts.fragment) not in pages[target].ids:
        return f"no anchor '{parts.fragment}'"
    return None


def _target(page: str, path: str) -> str:
    if path.startswith("/"):  # site-root links (MkDocs uses them on 404.html only)
        return posixpath.normpath(path.lstrip("/") or "index.html")
    if path:
        return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return page
