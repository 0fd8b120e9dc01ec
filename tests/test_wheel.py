"""The wheel built from the repository holds its data, declares its imports and builds a site.

The wheel is installed into a fresh venv outside the repository. The pinned dependencies come
from the project's own ``.venv`` through a ``.pth`` file that names its site-packages only (so
the repository's editable install, a ``.pth`` of its own there, is not read): the package that
runs is the wheel's copy, found nowhere else.
"""

from __future__ import annotations

import ast
import email.parser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT, copy_project

PACKAGE = ROOT / "macros"


def run(*args: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def third_party_imports() -> set[str]:
    """Top-level modules imported anywhere in macros/ that are neither stdlib nor macros."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in {"macros"}}


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {normalised(re.split(r"[=<>!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}


@pytest.mark.unit
def test_every_third_party_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # The browser extra: playwright, imported only by `litreview sitecheck`.
    dependencies = project["dependencies"] + project["optional-dependencies"]["browser"]
    distributions = importlib.metadata.packages_distributions()
    missing = {
        module: distributions.get(module, [module])
        for module in third_party_imports()
        if not {normalised(d) for d in distributions.get(module, [module])} & declared(dependencies)
    }
    assert missing == {}


def package_data() -> set[str]:
    """Every file of the package that is not Python: templates, CSL, overrides, assets."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }


@pytest.mark.build
def test_the_wheel_installs_alone_and_builds_the_fixture(tmp_path: Path) -> None:
    # Built from a copy of what the sdist would hold, so that setuptools' build/ folder neither
    # lands in the repository nor leaks stale files into the wheel.
    source = tmp_path / "source"
    shutil.copytree(PACKAGE, source / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--disable-pip-version-check", "-w", wheels, source)  # fmt: skip
    (wheel,) = wheels.glob("litreview-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    assert package_data() - names == set()
    assert "macros/site/overrides/main.html" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/"))]
    requires = [
        r
        for r in metadata.get_all("Requires-Dist") or []
        if "extra ==" not in r or 'extra == "browser"' in r
    ]
    distributions = importlib.metadata.packages_distributions()
    for module in third_party_imports():
        assert {normalised(d) for d in distributions[module]} & declared(requires), module

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
                   .strip())  # fmt: skip
    (purelib / "pinned-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", wheel)  # fmt: skip

    project = copy_project(MINI, tmp_path / "elsewhere" / "review")
    where = run(python, "-c", "import macros; print(macros.__file__)", cwd=project).strip()
    assert Path(where).is_relative_to(purelib), where
    output = run(venv / "bin" / "litreview", "build", cwd=project)
    assert "litreview build: ok" in output
    paper = (project / "site" / "papers" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert 'name="citation_title"' in paper  # the theme override came with the wheel
    assert (project / "site" / "assets" / "litreview.css").is_file() or any(
        (project / "site").rglob("litreview.css")
    )
