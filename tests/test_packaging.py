"""The offline zip: named after the review, without source maps."""

from __future__ import annotations

import zipfile
from pathlib import Path

from macros.cli.packaging import bundle_name, readable_slug, write_zip
from macros.content.settings import from_config


def test_the_zip_is_named_after_the_review_not_the_engine(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "litreview"\nversion = "0.1.0"\n')
    name = bundle_name(tmp_path, "Reading Amalia (2021): IOM and trafficking")
    assert name == "reading-amalia-2021-iom-and-trafficking"
    assert bundle_name(tmp_path, "Any review", zip_name="My Review") == "my-review"
    assert bundle_name(tmp_path / "folder-name", "") == "folder-name"


def test_a_long_site_name_is_cut_at_a_word() -> None:
    name = readable_slug("A very long review title " * 10)
    assert len(name) <= 60
    assert not name.endswith("-")
    assert name.split("-")[-1] in {"a", "very", "long", "review", "title"}
    assert readable_slug("Über: Ärger!") == "uber-arger"


def test_zip_name_is_a_plugin_setting(tmp_path: Path) -> None:
    settings = from_config(tmp_path, {"site_name": "X"}, {"zip_name": "short-name"})
    assert settings.zip_name == "short-name"


def test_the_zip_leaves_out_source_maps(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>hi</p>")
    (site / "assets" / "bundle.js").write_text("x")
    (site / "assets" / "bundle.js.map").write_text("{}")
    target = tmp_path / "out.zip"
    assert write_zip(site, target, "review") == 2
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["review/assets/bundle.js", "review/index.html"]
