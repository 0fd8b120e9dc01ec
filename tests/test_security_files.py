"""Nothing the user owns is deleted or half-written; the preview answers only to localhost.

Issue 14, points 5 and 8: the site folder a build may replace, the cleanup of its temporaries,
one build at a time, the site's mode, write failures in one line; ``add-ref``'s atomic,
byte-keeping append; the dev server's Host check; Actions pinned by commit; the vendored
search shim's recorded version and hash.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from macros.cli.building import build_lock, run_build
from macros.cli.devserver import DevServer
from macros.cli.main import main
from macros.content.settings import Settings
from macros.site.folder import site_dir_problem
from tests.conftest import ROOT

TRACEBACK = "Traceback (most recent call last)"


def run(project: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(project), *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts[:1]
    }


# --- point 5: the site folder ------------------------------------------------------------------


@pytest.mark.parametrize(
    "site_dir",
    ["content", "docs", ".git", "mkdocs.yml", ".", "..", "docs/site", "content/papers/site"],
)
def test_site_dir_refuses_the_project_and_its_folders(mini_project: Path, site_dir: str) -> None:
    (mini_project / ".git").mkdir()
    (mini_project / ".git/HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = snapshot(mini_project)
    code, output = run(mini_project, "build", "--site-dir", site_dir)
    assert code == 1, output
    first, last = output.splitlines()
    assert re.match(r"^\S+: refused as the site folder: it (is|contains|is inside) ", first)
    assert last.startswith("litreview build: failed;")
    assert TRACEBACK not in output
    assert snapshot(mini_project) == before


def test_site_dir_refuses_a_full_folder_litreview_did_not_make(mini_project: Path) -> None:
    public = mini_project / "public"
    public.mkdir()
    (public / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, output = run(mini_project, "build", "--site-dir", "public")
    assert code == 1
    assert output.startswith(
        "public: refused as the site folder: it is not empty and was not made by litreview "
        "build (it has no .litreview-site)"
    )
    assert (public / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    a_file = mini_project / "notes.txt"
    a_file.write_text("mine\n", encoding="utf-8")
    code, output = run(mini_project, "build", "--site-dir", "notes.txt")
    assert code == 1
    assert "notes.txt: refused as the site folder: it is not a folder" in output
    assert a_file.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.build
def test_mkdocs_own_build_refuses_site_dir_content(mini_project: Path) -> None:
    """Plain ``mkdocs build`` empties site_dir before building: the plugin refuses first."""
    config = mini_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_dir: content\n", "utf-8")
    before = snapshot(mini_project / "content")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert done.returncode != 0
    assert "mkdocs.yml: site_dir content: refused as the site folder: it is content/" in (
        done.stderr
    )
    assert snapshot(mini_project / "content") == before


@pytest.mark.build
def test_a_build_keeps_other_dot_site_folders_and_gets_the_umask_mode(
    mini_project: Path,
) -> None:
    backup = mini_project / ".site-backup-2024"
    backup.mkdir()
    (backup / "index.html").write_text("my backup\n", encoding="utf-8")
    unmarked = mini_project / ".site-new-mine"  # a temporary's name, but not a build's
    unmarked.mkdir()
    (unmarked / "keep.txt").write_text("mine\n", encoding="utf-8")
    leftover = mini_project / ".site-new-killed"  # what a killed build leaves
    leftover.mkdir()
    (leftover / ".litreview-site").write_text("made by a build\n", encoding="utf-8")
    old_mask = os.umask(0o022)
    try:
        code, output = run(mini_project, "build")
    finally:
        os.umask(old_mask)
    assert code == 0, output
    site = mini_project / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert (site / "index.html").is_file()
    assert (backup / "index.html").read_text(encoding="utf-8") == "my backup\n"
    assert (unmarked / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert not leftover.exists()
    marker = (site / ".litreview-site").read_text(encoding="utf-8")
    assert "<" not in marker
    assert "made by `litreview build`" in marker


def test_a_site_from_before_markers_is_replaced(mini_project: Path) -> None:
    site = mini_project / "site"
    (site / "assets/litreview").mkdir(parents=True)
    (site / "index.html").write_text("<p>old</p>", encoding="utf-8")
    (site / "assets/litreview/litreview.js").write_text("", encoding="utf-8")
    assert site_dir_problem(mini_project, site, Settings(mini_project), require_ours=True) is None
    (site / "assets/litreview/litreview.js").unlink()
    assert site_dir_problem(mini_project, site, Settings(mini_project), require_ours=True)


@pytest.mark.build
def test_a_second_build_waits_for_the_first(mini_project: Path) -> None:
    lock = mini_project / ".cache/litreview/build.lock"
    with build_lock(lock):
        child = subprocess.Popen(
            [sys.executable, "-m", "macros", "--root", str(mini_project), "build"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        said = child.stderr.readline()
        assert said.startswith("litreview build: waiting for the build running in process ")
        time.sleep(0.5)
        assert child.poll() is None
        assert not (mini_project / "site").exists()
    _out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert (mini_project / "site/index.html").is_file()


@pytest.mark.build
def test_two_builds_at_once_do_not_delete_each_others_pages(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """serve and build at once: the second build deleted the first one's half-written folder,
    whose site then lacked the pages written before (no index.html) and reported ok.

    MkDocs is replaced by a stand-in that writes a page, pauses until the second build has
    started (or 3 s), then writes another, making folders as MkDocs does.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # no ``git log`` call
    second_started = threading.Event()

    def mkdocs(command: list[str], **_kwargs: object) -> subprocess.CompletedProcess[str]:
        out = Path(command[command.index("--site-dir") + 1])
        (out / "index.html").write_text("home", encoding="utf-8")
        if threading.current_thread().name == "first":
            second_started.wait(3)
        else:
            second_started.set()
        (out / "papers").mkdir(parents=True, exist_ok=True)
        (out / "papers/index.html").write_text("papers", encoding="utf-8")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", mkdocs)
    site = mini_project / "site"
    results = {}

    def build(name: str) -> None:
        results[name] = run_build(mini_project, site)

    first = threading.Thread(target=build, args=("first",), name="first")
    first.start()
    deadline = time.monotonic() + 10
    while not list(mini_project.glob(".site-new-*/index.html")):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = threading.Thread(target=build, args=("second",), name="second")
    second.start()
    first.join(30)
    second.join(30)
    assert results["first"].ok
    assert results["second"].ok
    assert (site / "index.html").read_text(encoding="utf-8") == "home"
    assert (site / "papers/index.html").read_text(encoding="utf-8") == "papers"
    assert not list(mini_project.glob(".site-*"))


@pytest.mark.parametrize(
    ("number", "hint"),
    [(errno.EACCES, "cannot write there"), (errno.ENOSPC, "the disk is full")],
)
def test_an_unwritable_or_full_disk_is_one_line(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch, number: int, hint: str
) -> None:
    real_mkdir = os.mkdir

    def refuse(path: str | os.PathLike[str], *args: int, **kwargs: int) -> None:
        if Path(path).name.startswith((".site-", "site")):
            raise OSError(number, os.strerror(number), str(path))
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refuse)
    code, output = run(mini_project, "build")
    assert code == 1
    first, last = output.splitlines()
    assert re.match(rf"^{re.escape(str(mini_project))}/\S+: {os.strerror(number)}\. Hint: ", first)
    assert hint in first
    assert last.startswith("litreview build: failed;")


def test_a_full_disk_in_the_mkdocs_process_is_one_line(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = (
        "INFO    -  Building documentation...\n"
        "Traceback (most recent call last):\n"
        '  File "/x/mkdocs/utils/__init__.py", line 1, in write_file\n'
        "    f.write(content)\n"
        "OSError: [Errno 28] No space left on device: '/x/.site-new-1/papers/index.html'\n"
    )

    def fake(*_args: object, **_kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess([], 1, "", log)

    monkeypatch.setattr(subprocess, "run", fake)
    result = run_build(mini_project, mini_project / "site")
    assert not result.ok
    assert result.problems == [
        "/x/.site-new-1/papers/index.html: No space left on device. Hint: the disk is full; "
        "free some space and build again."
    ]
    assert not list(mini_project.glob(".site-*"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_parent_is_one_line(tmp_path: Path, mini_project: Path) -> None:
    parent = tmp_path / "readonly"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, output = run(mini_project, "build", "--site-dir", str(parent / "site"))
    finally:
        parent.chmod(0o755)
    assert code == 1
    assert "Permission denied. Hint:" in output.splitlines()[0]
    assert TRACEBACK not in output


# --- point 8: add-ref --------------------------------------------------------------------------

SNIPPET = "@article{doe2024new, title={New}, year={2024}, journal={J}, author={Doe, Jane}}"


def test_add_ref_keeps_crlf_and_every_byte_before(mini_project: Path) -> None:
    library = mini_project / "references.bib"
    text = library.read_bytes().decode("utf-8").replace("\r\n", "\n")
    # A comment with trailing spaces and a tab, no newline at the end: all kept as they are.
    original = (text.rstrip("\n") + "\n\n% kept as is  \t\n").replace("\n", "\r\n") + "% end"
    library.write_bytes(original.encode("utf-8"))
    code, output = run(mini_project, "add-ref", "-", stdin=SNIPPET)
    assert code == 0, output
    after = library.read_bytes()
    assert after.startswith(original.encode("utf-8"))
    added = after[len(original.encode("utf-8")) :]
    assert added.startswith(b"\r\n\r\n@article{doe2024new,\r\n  author = {Doe, Jane},\r\n")
    assert after.count(b"\n") == after.count(b"\r\n")
    assert run(mini_project, "check")[0] == 0


def test_add_ref_replaces_the_file_atomically_and_keeps_its_mode(mini_project: Path) -> None:
    library = mini_project / "references.bib"
    library.chmod(0o640)
    inode = library.stat().st_ino
    code, output = run(mini_project, "add-ref", "-", stdin=SNIPPET)
    assert code == 0, output
    assert library.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(library.stat().st_mode) == 0o640
    assert [p.name for p in mini_project.iterdir() if p.name.endswith(".tmp")] == []


def test_add_ref_that_fails_to_write_leaves_the_library(
    mini_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = mini_project / "references.bib"
    before = library.read_bytes()

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, output = run(mini_project, "add-ref", "-", stdin=SNIPPET)
    assert code == 1
    assert "No space left on device" in output
    assert TRACEBACK not in output
    assert library.read_bytes() == before
    assert [p.name for p in mini_project.iterdir() if p.name.endswith(".tmp")] == []


def test_add_ref_refuses_to_append_after_a_broken_entry(mini_project: Path) -> None:
    library = mini_project / "references.bib"
    text = library.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    broken_line = text.count("\n") + 1
    broken = text + "@misc{unclosed2020,\n  title = {Never closed},\n  year = {2020},\n"
    library.write_text(broken, encoding="utf-8")
    code, output = run(mini_project, "add-ref", "-", stdin=SNIPPET)
    assert code == 1
    assert output.startswith(f"references.bib:{broken_line}: this block does not parse")
    assert "nothing was added" in output
    assert library.read_text(encoding="utf-8") == broken


# --- point 8: the preview's Host check ---------------------------------------------------------


def raw_get(port: int, host: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return int(reply.split(b" ", 2)[1])


def test_serve_answers_only_to_localhost_host_headers(mini_project: Path) -> None:
    server = DevServer(mini_project, port=0, report=lambda _result: None)
    (server.site).mkdir()
    (server.site / "index.html").write_text("<body>hi</body>", encoding="utf-8")
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        port = int(server.httpd.server_address[1])
        for good in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert raw_get(port, good) == 200, good
        for bad in ("evil.example", f"evil.example:{port}", "localhost:1", "127.0.0.1", ""):
            assert raw_get(port, bad) == 403, bad
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


# --- point 8: what CI runs and what the site ships ---------------------------------------------


def test_every_github_action_is_pinned_by_commit() -> None:
    uses = [
        (path.name, line.strip())
        for path in sorted((ROOT / ".github/workflows").glob("*.y*ml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(-\s+)?uses:", line)
    ]
    assert uses
    for name, line in uses:
        assert re.fullmatch(r"(-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d\S*", line), (
            f"{name}: {line}"
        )


def test_the_vendored_search_shim_is_the_recorded_upstream_file() -> None:
    assets = ROOT / "macros/site/assets"
    record = json.loads((assets / "iframe-worker-shim.json").read_text(encoding="utf-8"))
    assert record["package"] == "iframe-worker"
    assert re.fullmatch(r"\d+\.\d+\.\d+", record["version"])
    assert record["upstream_file"] == "shim/index.js"
    shim = (assets / record["file"]).read_bytes()
    assert hashlib.sha256(shim).hexdigest() == record["sha256"]
    licence = (assets / record["license_file"]).read_bytes()
    assert hashlib.sha256(licence).hexdigest() == record["license_sha256"]
