"""``litreview init DIR``: a new, empty review that gets the engine as an installed package.

The new review holds no copy of ``macros/``: its ``requirements.txt`` is the engine's runtime
dependency lock (the hashes of this repository's ``requirements.lock``, shipped with the package
as ``review.lock``) and ``engine.txt`` names where the engine itself comes from (``--engine``:
a pinned git URL by default, or a wheel). ``make site`` installs both into ``.venv``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from macros.content.schemas import export_schemas
from macros.content.settings import CONFIG_FILE
from macros.kinds import KINDS

# Where the engine is published; ``--engine`` overrides it (a wheel path, an index pin...).
ENGINE_REPOSITORY = "git+https://github.com/litreview/litreview"
LOCK_RESOURCE = "review.lock"
# The runtime dependencies plus what the new review's browser smoke test needs.
EXTRA_LOCKED = ("playwright",)
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", re.MULTILINE)


class InitError(Exception):
    """The review cannot be created; the message says why."""


def engine_version() -> str:
    try:
        return metadata.version("litreview")
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout without install
        return "0.1.0"


def default_engine() -> str:
    return f"litreview @ {ENGINE_REPOSITORY}@v{engine_version()}"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_lock(lock: str, roots: list[str]) -> str:
    """The blocks of a pip-compile lock needed by ``roots`` (names), hashes and all.

    A block belongs when its package is a root or when one of the packages its ``# via``
    comment names belongs (pip-compile writes who requires what), to a fixed point.
    """
    body = lock.partition("\n\n")[2]
    blocks: dict[str, str] = {}
    parents: dict[str, set[str]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", body.split("\n# The following packages")[0]):
        match = NAME.match(block)
        if not match:
            continue
        name = _canonical(match[1])
        blocks[name] = block.rstrip("\n")
        via = re.findall(r"#\s+(?:via\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)", block)
        parents[name] = {_canonical(v) for v in via if v != "via"}
    wanted = {_canonical(r) for r in roots}
    changed = True
    while changed:
        changed = False
        for name, of in parents.items():
            if name not in wanted and of & wanted:
                wanted.add(name)
                changed = True
    missing = {_canonical(r) for r in roots} - blocks.keys()
    if missing:
        raise ValueError(f"not in the lock: {', '.join(sorted(missing))}")
    return "\n".join(blocks[name] for name in sorted(wanted)) + "\n"


def shipped_lock() -> str:
    return (resources.files("macros.cli") / LOCK_RESOURCE).read_text(encoding="utf-8")


@dataclass(frozen=True)
class NewReview:
    title: str
    engine: str
    lock: str


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _markdown_text(text: str) -> str:
    """The title as plain Markdown text: no HTML, no Jinja, no Markdown markup."""
    return re.sub(r"([\\`*_\[\]<>#{}%|!&])", r"\\\1", text)


def files_for(review: NewReview) -> dict[str, str]:
    """Every file of a new review, by path."""
    title = review.title
    return {
        CONFIG_FILE: MKDOCS_YML.replace("@TITLE@", _yaml_string(title)),
        "docs/index.md": HOME_MD.replace("@TITLE@", _markdown_text(title)),
        "references.bib": "",
        "content/.gitkeep": "",
        "README.md": README_MD.replace("@TITLE@", _markdown_text(title)),
        "Makefile": MAKEFILE,
        "requirements.txt": LOCK_HEADER + review.lock,
        "engine.txt": ENGINE_HEADER + review.engine + "\n",
        ".ci/run": CI_RUN,
        ".github/workflows/site.yml": WORKFLOW,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".gitignore": GITIGNORE,
    }


def create_review(target: Path, *, title: str | None = None, engine: str | None = None) -> Path:
    """Write a new review into ``target`` (missing or empty); returns the folder."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise InitError(f"{target} is not empty: litreview init writes only into a new folder")
    name = title or target.resolve().name.replace("-", " ").replace("_", " ").strip()
    if not name or "\n" in name:
        raise InitError("the review needs a title on one line: pass --title")
    review = NewReview(name, (engine or default_engine()).strip(), shipped_lock())
    if not review.engine or "\n" in review.engine:
        raise InitError(
            "--engine takes one requirement: a pinned URL, a wheel path or name==version"
        )
    for relative, text in files_for(review).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        if relative == ".ci/run":
            path.chmod(0o755)
    # The JSON Schemas the modelines of `litreview new` files name, for editors.
    export_schemas(target / "schemas", KINDS, write=True)
    return target


MKDOCS_YML = """\
# Site configuration. The review lives in content/, references.bib and docs/; the engine is the
# installed litreview package (see engine.txt).
site_name: @TITLE@
docs_dir: docs
strict: true
# Set by the publishing workflow (.github/workflows/site.yml) from the repository it runs in.
site_url: !ENV [SITE_URL, ""]
repo_url: !ENV [REPO_URL, ""]
edit_uri: !ENV [EDIT_URI, ""]

theme:
  name: material
  language: en
  font: false            # system fonts: no requests to Google Fonts, works offline
  features:
    - navigation.sections
    - navigation.top
    - content.footnote.tooltips
    - content.action.edit
    - content.tooltips
    - navigation.indexes
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/brightness-4, name: Switch to light mode}

plugins:
  - search
  - litreview:
      content_dir: content
      bibliography: references.bib
      csl: chicago-notes-bibliography-litreview   # or: apa
  - macros:
      modules: [macros]
      on_undefined: strict
      on_error_fail: true
  - offline

markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - footnotes
  - tables
  - toc:
      permalink: true
  - pymdownx.escapeall

validation:
  nav:
    omitted_files: warn
    not_found: warn
    absolute_links: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn

nav:
  - Home: index.md
  - Works:
      - works/index.md
      - Recently added: works/recent.md
      - Changelog: changelog.md
  - Themes: themes/index.md
  - Extraction: extraction/index.md
  - Synthesis matrix: synthesis/index.md
  - Papers: papers/index.md
  - Claims: claims/index.md
  - Audit: audit/index.md
  - Actors, programs, terms:
      - entities/index.md
      - Network: entities/network.md
      - Timeline: events/index.md
      - Statistics: statistics/index.md
      - Glossary: glossary.md
  - Scoping review:
      - Searches: searches/index.md
      - PRISMA 2020 flow diagram: screening/prisma.md
      - Appraisal: appraisal/index.md
      - Evidence gap maps: gap-map/index.md
  - Bibliography: references/index.md
  - Build report: report.md
"""

HOME_MD = """\
# @TITLE@

This review is empty so far. To fill it:

- **Import a library** exported from Zotero, JabRef, Mendeley, BibDesk or Google Scholar
  (BibTeX, RIS or CSL-JSON): `litreview import my-library.bib`. Every entry gets a page under
  *Bibliography*.
- **Add one reference**: `litreview add-ref entry.bib` (or a DOI).
- **Summarise a work**: `litreview new paper ID` writes `content/papers/ID.yaml` with a comment
  per field; `litreview new` lists the other kinds (claims, audit findings, actors...).
- **Cite** on a page like this one with `{% raw %}{{ cite("key", locator="p. 4") }}{% endraw %}`.

`litreview check` says what is wrong, with the file and line; `litreview serve` previews the
site while you edit.
"""

README_MD = """\
# @TITLE@

A literature review built with [litreview](https://github.com/litreview/litreview): structured
YAML summaries in `content/` and a bibliography in `references.bib` become a static site that
also works straight from disk (`file://`).

## Set up

```sh
make site
make test
```

`make site` needs Python 3.11+ and make: it creates `.venv`, installs the engine's pinned,
hashed dependencies (`requirements.txt`) and the engine itself (the one line of `engine.txt`),
then builds `site/`. Open `site/index.html`. `make test` checks the content, builds the site and
opens every page in headless Chromium (from `file://`: no console errors, no network requests).

## The engine

The engine is the `litreview` Python package, installed, never copied: `engine.txt` pins the
version (a git tag by default; a wheel path or an index pin also work, one line). To upgrade,
change that line and replace `requirements.txt` with the lock of the new version (`litreview init`
of the new version writes it). With `litreview` on your PATH (`source .venv/bin/activate`), every
command works in this folder: `litreview check`, `import FILE...`, `add-ref`, `new KIND ID`,
`build`, `serve`, `sitecheck`. `schemas/` holds a JSON Schema per content kind, which the
files `litreview new` writes name so that editors validate while you type; after an upgrade,
`litreview schemas` refreshes them.

## Publishing

`.github/workflows/site.yml` checks, builds and browser-tests the site on every pull request
(the site as an artifact, the change summary on the run's page) and publishes `main` to GitHub
Pages. One manual step, once: in the repository's **Settings > Pages > Source**, choose
**GitHub Actions**.

## Before each commit

`pre-commit install` (after `pip install pre-commit`) runs `litreview check` and
`litreview bibfmt` on changed content; the hooks call `litreview` from your PATH.
"""

LOCK_HEADER = """\
# The engine's runtime dependencies, pinned with hashes (copied by `litreview init` from the
# engine's own lock). Installed with: pip install --require-hashes --no-deps -r requirements.txt
"""

ENGINE_HEADER = """\
# Where the litreview engine comes from: one requirement (a pinned git URL, a wheel path, or
# litreview==VERSION from an index). Installed with: pip install --no-deps -r engine.txt
"""

MAKEFILE = """\
# Two commands to start: `make site`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps
export NO_MKDOCS_2_WARNING := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: site test check serve clean

$(STAMP): requirements.txt engine.txt
\ttest -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
\t$(PIP) --require-hashes -r requirements.txt
\t$(PIP) -r engine.txt
\ttouch $(STAMP)

site: $(STAMP)  ## build site/ in strict mode
\tlitreview build

check: $(STAMP)  ## validate content/ and references.bib: path:line: message per problem
\tlitreview check

test: check site  ## check, build, then every page in headless Chromium from file://
\tlitreview sitecheck

serve: $(STAMP)  ## live preview at http://127.0.0.1:8000
\tlitreview serve

clean:
\trm -rf site .cache dist
"""

CI_RUN = """\
#!/usr/bin/env bash
# CI entry point: install Chromium when missing, then check, build and browser-test the site.
set -euo pipefail
cd "$(dirname "$0")/.."

have_chromium() {
  [ -n "${LITREVIEW_CHROMIUM:-}" ] && [ -x "${LITREVIEW_CHROMIUM}" ] && return 0
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \\
    || command -v google-chrome >/dev/null 2>&1
}

if ! have_chromium; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi

make test
"""

WORKFLOW = """\
# Pull requests: check, build, browser-test, upload the site, summarise the change.
# main: the same, then publish to GitHub Pages (Settings > Pages > Source: GitHub Actions).
name: site

on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

# A newer push to a pull request cancels its older run; a deploy of main is never cancelled.
concurrency:
  group: site-${{ github.ref }}
  cancel-in-progress: ${{ github.event_name == 'pull_request' }}

jobs:
  build:
    runs-on: ubuntu-24.04
    env:
      REPO_URL: ${{ github.server_url }}/${{ github.repository }}
      EDIT_URI: edit/${{ github.event.repository.default_branch }}/docs/
      SITE_URL: https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262  # v4.4.0
        with:
          fetch-depth: 0   # the last commit's time pins build dates (SOURCE_DATE_EPOCH)
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: |
            requirements.txt
            engine.txt
      # Keyed on the lock and engine (the CSL file ships with the engine), mkdocs.yml (which
      # names the style) and the bibliography. Entries are keyed by content hash inside, so an
      # older cache restored by prefix is safe: what changed is formatted again.
      - name: Restore the citation cache
        uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684  # v4.2.3
        with:
          path: .cache/
          key: >-
            citations-${{ hashFiles('requirements.txt', 'engine.txt', 'mkdocs.yml', '**/*.csl') }}-${{
            hashFiles('references.bib') }}
          restore-keys: |
            citations-${{ hashFiles('requirements.txt', 'engine.txt', 'mkdocs.yml', '**/*.csl') }}-
            citations-
      - name: Check, build and browser-test (installs Chromium when missing)
        run: bash .ci/run
      - name: Summarise the change
        if: github.event_name == 'pull_request'
        run: |
          git worktree add ../base "${{ github.event.pull_request.base.sha }}"
          litreview --root ../base build --site-dir ../base/site || mkdir -p ../base/site
          litreview changes --base ../base --base-site ../base/site >> "$GITHUB_STEP_SUMMARY"
          litreview check --warnings 2>> "$GITHUB_STEP_SUMMARY" || true
        env:
          PATH: ${{ github.workspace }}/.venv/bin:/usr/local/bin:/usr/bin:/bin
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02  # v4.6.2
        with:
          name: site
          path: site/
      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa  # v3.0.1
        if: github.ref == 'refs/heads/main' && github.event_name != 'pull_request'
        with:
          path: site/

  deploy:
    if: github.ref == 'refs/heads/main' && github.event_name != 'pull_request'
    needs: build
    runs-on: ubuntu-24.04
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5
"""

PRE_COMMIT = """\
# pre-commit on changed files: `pip install pre-commit && pre-commit install` once.
# The hooks call `litreview` from PATH (activate the environment that has it installed).
repos:
  - repo: local
    hooks:
      - id: litreview-check
        name: litreview check (content and references.bib)
        entry: litreview check --quiet
        language: system
        files: ^(content/|references\\.bib$|docs/|mkdocs\\.yml$)
        pass_filenames: false
      - id: litreview-bibfmt
        name: references.bib entries in canonical form
        entry: litreview bibfmt
        language: system
        files: ^references\\.bib$
        pass_filenames: false
"""

GITIGNORE = """\
.venv/
/site/
dist/
.cache/
__pycache__/
.site-*/
.preview-*/
"""
