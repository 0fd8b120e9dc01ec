"""The offline bundle: the built site as a zip that unpacks to a working folder."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

from macros.pages.text import slug

# Zip timestamps cannot predate 1980; a fixed one keeps the archive byte-identical.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def bundle_name(root: Path, site_name: str = "") -> str:
    """``name-version`` from pyproject.toml; a project without one: its site's name."""
    if not (root / "pyproject.toml").is_file():
        return slug(site_name or root.resolve().name) or "site"
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return f"{project['name']}-{project['version']}"


def write_zip(site: Path, target: Path, folder: str) -> int:
    """Zip ``site`` into ``target`` under ``folder/``; return the number of files."""
    files = sorted(p for p in site.rglob("*") if p.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return len(files)
