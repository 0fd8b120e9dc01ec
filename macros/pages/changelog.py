"""The living review's changelog, computed from git: for each pair of consecutive tagged
versions (``git tag``, in version order), and from the last tag to ``HEAD``, the works and the
themes added, removed and changed.

At each version it reads ``content/works/``, ``content/themes/`` and the bibliography as
committed: one ``git ls-tree`` per version and one ``git cat-file --batch`` for every
bibliography blob. A work is a file in ``content/works/`` or an entry whose ``keywords`` put it
in a theme (as ``themetree`` reads them); a theme is a file in ``content/themes/`` or a tag's
theme. Changed: the work's file or its entry (or the theme's file) differs.

A project that is not at the top of a git repository, or has no tag, gets a history that says
so (``History.problem``); git missing or failing is the same, never an error of the build.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from macros.bibliography.bibscan import scan
from macros.kinds import themetree
from macros.kinds.themetree import keyword_paths, theme_id
from macros.pages.render import GeneratedPage, Site

GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class Step:
    """What one version changed since the one before (``since`` None: the first version)."""

    ref: str  # a tag, or "HEAD" for what is not tagged yet
    since: str | None
    works: Diff
    themes: Diff


@dataclass(frozen=True)
class History:
    steps: list[Step] = field(default_factory=list)  # newest first
    problem: str = ""  # why there are no steps


@dataclass
class _State:
    works: dict[str, str] = field(default_factory=dict)  # key -> fingerprint
    themes: dict[str, str] = field(default_factory=dict)  # id -> fingerprint


class _GitError(Exception):
    pass


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _GitError(str(exc)) from None
    if done.returncode != 0:
        raise _GitError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def history(
    root: Path, content_dir: str = "content", bibliography: str = "references.bib"
) -> History:
    """The changelog of the project in ``root`` (see the module docstring)."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel").decode().strip()
    except _GitError:
        return History(problem="This review is not kept in git, so it has no version history.")
    if Path(top).resolve() != root.resolve():
        return History(problem="This review is not at the top of its git repository.")
    try:
        tags = _git(root, "tag", "--list", "--sort=v:refname").decode().split()
        if not tags:
            return History(
                problem="No version of this review is tagged yet (`git tag v1` marks one)."
            )
        head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").decode().strip()
        last = _git(root, "rev-parse", f"{tags[-1]}^{{commit}}").decode().strip()
        refs = [*tags, "HEAD"] if head != last else tags
        states = _states(root, refs, content_dir, bibliography)
    except _GitError as exc:
        return History(problem=f"git could not read this review's history: {exc}")
    steps, before, since = [], _State(), None
    for ref, state in zip(refs, states, strict=True):
        steps.append(
            Step(ref, since, _diff(before.works, state.works), _diff(before.themes, state.themes))
        )
        before, since = state, ref
    return History(steps=steps[::-1])


def _diff(before: dict[str, str], after: dict[str, str]) -> Diff:
    return Diff(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
        changed=sorted(k for k in after.keys() & before.keys() if after[k] != before[k]),
    )


def _states(root: Path, refs: list[str], content_dir: str, bibliography: str) -> list[_State]:
    works_dir = PurePosixPath(content_dir, "works").as_posix()
    themes_dir = PurePosixPath(content_dir, "themes").as_posix()
    trees: list[dict[str, str]] = []  # per ref: path -> blob id
    for ref in refs:
        listing = _git(
            root, "ls-tree", "-r", "--full-tree", ref, "--", works_dir, themes_dir, bibliography
        )
        tree = {}
        for line in listing.decode("utf-8", "replace").splitlines():
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                tree[path] = parts[2]
        trees.append(tree)
    blobs = sorted({t[bibliography] for t in trees if bibliography in t})
    texts = _blobs(root, blobs)
    entries = {blob: _entries(texts[blob]) for blob in blobs}
    states = []
    for tree in trees:
        state = _State()
        bib = entries.get(tree.get(bibliography, ""), {})
        files = {}
        for path, blob in tree.items():
            name = PurePosixPath(path)
            if name.suffix == ".yaml" and name.parent.as_posix() == works_dir:
                files[name.stem] = blob
            elif name.suffix == ".yaml" and name.parent.as_posix() == themes_dir:
                state.themes[name.stem] = blob
        for key, (fingerprint, themes) in bib.items():
            for ident in themes:
                state.themes.setdefault(ident, "tag")
            if themes or key in files:
                state.works[key] = fingerprint
        for key, blob in files.items():
            state.works[key] = state.works.get(key, "") + ":" + blob
        states.append(state)
    return states


def _blobs(root: Path, ids: list[str]) -> dict[str, str]:
    """The text of each blob, in one ``git cat-file --batch``."""
    if not ids:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    texts, pos = {}, 0
    for ident in ids:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2]) if len(header) == 3 else 0
        texts[ident] = out[end + 1 : end + 1 + size].decode("utf-8", "replace")
        pos = end + 1 + size + 1
    return texts


def _entries(text: str) -> dict[str, tuple[str, list[str]]]:
    """Key -> (a fingerprint of the entry's fields, the ids of its keywords' themes)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for entry in scan(text).entries:
        if not entry.key:
            continue
        fields = sorted((f.name, f.value) for f in entry.fields.values())
        digest = hashlib.sha256(repr((entry.entry_type.lower(), fields)).encode()).hexdigest()
        keywords = entry.fields.get("keywords")
        themes = []
        for path in keyword_paths(keywords.value if keywords else ""):
            themes += [theme_id(path[: depth + 1]) for depth in range(len(path))]
        out.setdefault(entry.key, (digest[:16], themes))
    return out


def page(site: Site) -> GeneratedPage:
    """``changelog.md``: the history, newest first (or why there is none)."""
    settings = site.review.settings
    source = settings.bibliography if settings else site.review.bibliography.path
    if site.only is not None and not site.only("changelog.md", source):
        return GeneratedPage("", source, rendered=False)  # a preview: no git run for nothing
    if settings is None:
        found = History(problem="This review was loaded without its project, so no history.")
    else:
        found = history(settings.root, settings.content_dir, settings.bibliography)
    return site.page(
        "changelog.md.j2",
        "changelog.md",
        source,
        history=found,
        works=set(site.review.of("works")) | _tagged(site),
        themes={t: theme.name for t, theme in themetree.tree(site.review, site).themes.items()},
        coverage=settings.coverage if settings else "",
    )


def _tagged(site: Site) -> set[str]:
    return {k for k, t in themetree.tree(site.review, site).of_work.items() if t}
