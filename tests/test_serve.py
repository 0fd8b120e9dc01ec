"""The live preview under rapid and broken edits, and builds killed half-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from macros.cli.devserver import DevServer
from macros.cli.main import build_site

ENTITY = "content/entities/river-program.yaml"


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        return response.status, response.read()


def status(server: DevServer) -> dict[str, object]:
    return dict(json.loads(get(server.url + ".litreview/status.json")[1]))


def wait_for(server: DevServer, condition: object, timeout: float = 30.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = status(server)
        if callable(condition) and condition(now):
            return now
        time.sleep(0.2)
    pytest.fail(f"server never reached the state; last: {status(server)}")


@pytest.fixture
def server(mini_project: Path) -> Iterator[DevServer]:
    running = DevServer(mini_project, port=0, report=lambda _result: None)
    running.start()
    yield running
    running.stop()


def test_a_broken_edit_keeps_the_last_good_site_and_a_fix_recovers(server: DevServer) -> None:
    code, page = get(server.url)
    assert code == 200
    assert b'<script src="/.litreview/reload.js"></script></body>' in page
    source = server.root / ENTITY
    good = source.read_text(encoding="utf-8")
    source.write_text(good + "colour: red\n", encoding="utf-8")
    broken = wait_for(server, lambda s: s["ok"] is False)
    assert broken["problems"] == [
        f"{ENTITY}:7: unknown key 'colour' (at colour). "
        "Hint: check the spelling against the schema."
    ]
    assert get(server.url + "entities/river-program.html")[0] == 200
    source.write_text(good.replace("about rivers", "about rivers and roads"), encoding="utf-8")
    fixed = wait_for(server, lambda s: s["ok"] is True and s["builds"] == 3)
    assert fixed["problems"] == []
    assert b"about rivers and roads" in get(server.url + "entities/river-program.html")[1]


def test_keeps_serving_through_a_burst_of_edits_with_one_invalid(server: DevServer) -> None:
    source = server.root / ENTITY
    good = source.read_text(encoding="utf-8")
    answered = []
    for i in range(100):  # 100 edits in about 10 seconds
        text = good + "colour: red\n" if i == 50 else good.replace("rivers.", f"rivers ({i}).")
        source.write_text(text, encoding="utf-8")
        answered.append(get(server.url)[0])
        time.sleep(0.1)
    assert set(answered) == {200}

    # On a loaded machine the watcher may report the last save after the server looked idle:
    # wait until it is idle again with the last edit served (or the wait fails the test).
    def settled(state: dict[str, object]) -> bool:
        page = get(server.url + "entities/river-program.html")[1]
        return not state["building"] and not server.wake.is_set() and b"rivers (99)." in page

    final = wait_for(server, settled, timeout=90.0)
    assert final["ok"] is True
    assert b"rivers (99)." in get(server.url + "entities/river-program.html")[1]


def test_a_build_killed_half_way_leaves_the_old_site(mini_project: Path) -> None:
    site = mini_project / "site"
    assert build_site(mini_project, site) == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    child = subprocess.Popen(
        [sys.executable, "-m", "macros", "--root", str(mini_project), "build"],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    # Pages, not only the marker a build writes first: the build is half-way.
    while not any(
        p.is_dir() and any(not q.name.startswith(".") for q in p.iterdir())
        for p in mini_project.glob(".site-new-*")
    ):
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.02)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert build_site(mini_project, site) == 0
    assert not list(mini_project.glob(".site-*"))


def test_an_edit_is_previewed_before_the_full_build(mini_project: Path) -> None:
    said: list[str] = []
    running = DevServer(
        mini_project,
        port=0,
        report=lambda result: said.append(f"build ok={result.ok}"),
        say=said.append,
    )
    running.start()
    try:
        wait_for(running, lambda s: s["builds"] == 1)
        time.sleep(1)  # the warm-up preview
        entity = mini_project / ENTITY
        entity.write_text(entity.read_text("utf-8").replace("summary: ", "summary: Soon. ", 1))
        wait_for(running, lambda s: s["builds"] == 2)
    finally:
        running.stop()
    assert said[0] == "build ok=True"
    assert said[1].startswith("litreview serve: previewed entities/river-program.html in ")
    assert said[2:] == ["build ok=True"]
    _, page = get_file(mini_project / "site" / "entities" / "river-program.html")
    assert b"Soon." in page


def get_file(path: Path) -> tuple[int, bytes]:
    return 200, path.read_bytes()
