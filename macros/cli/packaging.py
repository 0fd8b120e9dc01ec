"""The offline bundle: the built site as a zip that unpacks to a working folder."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

# Zip timestamps cannot predate 1980; a fixed one keeps the archive byte-identical.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Files a reader's copy does not need: source maps (a megabyte of the theme's sources).
LEFT_OUT = (".map",)
MAX_NAME = 60


def readable_slug(text: str) -> str:
    """``Reading Smith (2020): roads ...`` -> ``reading-smith-2020-roads-...``, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    name = ""
    for word in words:
        longer = f"{name}-{word}" if name else word
        if len(longer) > MAX_NAME and name:
            break
        name = longer
    return name[:MAX_NAME]


def bundle_name(root: Path, site_name: str = "", zip_name: str = "") -> str:
    """The review's name: ``zip_name`` if set, else its site's name, else its folder's."""
    for candidate in (zip_name, site_name, root.resolve().name):
        if name := readable_slug(candidate):
            return name
    return "site"


def write_zip(site: Path, target: Path, folder: str) -> int:
    """Zip ``site`` into ``target`` under ``folder/`` (without source maps); the file count."""
    files = sorted(p for p in site.rglob("*") if p.is_file() and not p.name.endswith(LEFT_OUT))
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
