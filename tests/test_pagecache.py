"""The render cache: same site from the cache, only changed pages converted again."""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from macros.cli.main import build_site
from macros.site import pagecache
from macros.site.pagecache import RenderCache, Rendered, recording, replay


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_store_load_and_prune(tmp_path: Path) -> None:
    path = tmp_path / "pages.sqlite"
    cache = RenderCache(path, "salt")
    key = cache.key("a.md", "a/", "# A")
    assert cache.load(key) is None
    rendered = Rendered("<h1>A</h1>", [], "A", ["a"], {}, [("mkdocs", logging.INFO, "x")])
    cache.store(key, rendered)
    assert cache.close(prune=True) == 0
    again = RenderCache(path, "salt")
    assert again.load(key) == rendered
    assert again.key("a.md", "a/", "# B") != key
    assert RenderCache(path, "other").key("a.md", "a/", "# A") != key
    assert RenderCache(path, "salt").close(prune=True) == 0  # never opened: nothing to do
    unused = RenderCache(path, "salt")
    assert unused.get("another") is None
    assert unused.close(prune=True) == 1
    assert RenderCache(path, "salt").load(key) is None


def test_a_page_is_stored_as_its_fields_json(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "pages.sqlite", "salt")
    toc = [{"level": 1, "id": "a", "name": "A", "children": [{"level": 2, "id": "b"}]}]
    rendered = Rendered("<h1>A</h1>", toc, "A", ["a"], {"b.md": {"x": "b.md#x"}}, [("m", 20, "y")])
    cache.store("k", rendered)
    stored = cache.db.execute("SELECT value FROM pages WHERE key = 'k'").fetchone()[0]
    assert stored == json.dumps(dataclasses.asdict(rendered), ensure_ascii=False)
    cache.close(prune=False)


def test_recorded_warnings_are_logged_again(caplog: pytest.LogCaptureFixture) -> None:
    with recording("mkdocs") as records:
        logging.getLogger("mkdocs.structure.pages").warning("a broken link")
    caplog.clear()
    replay(records)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mkdocs.structure.pages", logging.WARNING, "a broken link")
    ]


def test_a_cached_build_is_the_same_site_and_edits_reach_their_pages(mini_project: Path) -> None:
    cold, warm = mini_project / "cold", mini_project / "warm"
    assert build_site(mini_project, cold) == 0
    pages = mini_project / ".cache" / "litreview" / "pages.sqlite"
    assert build_site(mini_project, warm) == 0
    assert _files(cold) == _files(warm)
    # The cached HTML is what the next build uses: mark every entry and build again.
    db = sqlite3.connect(pages)
    db.execute("UPDATE pages SET value = replace(value, '</h1>', '</h1><p>FROM-CACHE</p>')")
    db.commit()
    db.close()
    assert build_site(mini_project, warm) == 0
    assert "FROM-CACHE" in (warm / "entities" / "example-agency.html").read_text("utf-8")
    # An edited entity's page is converted again; the others still come from the cache.
    entity = mini_project / "content" / "entities" / "example-agency.yaml"
    entity.write_text(entity.read_text("utf-8").replace("summary: ", "summary: Revised. ", 1))
    assert build_site(mini_project, warm) == 0
    edited = (warm / "entities" / "example-agency.html").read_text("utf-8")
    assert "Revised." in edited
    assert "FROM-CACHE" not in edited
    assert sum("FROM-CACHE" in p.read_text("utf-8") for p in warm.rglob("*.html")) > 10


def test_another_engine_never_gets_this_engines_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key covers the engine's code: an upgraded litreview re-renders every page."""
    before = pagecache.salt(["settings"])
    assert before == pagecache.salt(["settings"])
    monkeypatch.setattr(pagecache, "engine_digest", lambda: "another engine")
    assert pagecache.salt(["settings"]) != before
