"""``litreview serve``: rebuild on every change, keep serving the last good site, show errors.

MkDocs' own server stops answering while a build is broken. Here every rebuild is the same
atomic build as ``litreview build``: a broken edit leaves the last good site in place, the error
shows in the terminal and, through a small polling script, as a banner in the browser; the
next good edit replaces the site and reloads the page.

A full build of a large review takes as long as MkDocs needs for every page, so each edit is
first previewed (``macros.site.preview``): the pages made from the edited files are rendered in this
process and put into the served site in about a second, then the full build follows.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from macros.cli.building import BuildResult, run_build
from macros.content.settings import Settings, load_settings
from macros.site.preview import preview, previewable

STATUS_PATH = "/.litreview/status.json"
SCRIPT_PATH = "/.litreview/reload.js"
DEBOUNCE_SECONDS = 0.1
SWAP_WAIT_STEPS = 100  # up to a second
WRITES = frozenset({"created", "modified", "deleted", "moved", "closed"})
RELOAD_SCRIPT = b"""(function () {
  "use strict";
  var seen = null;
  function banner(errors) {
    var box = document.getElementById("lr-build-error");
    if (!errors.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "lr-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;z-index:10;left:0;right:0;bottom:0;max-height:40%;" +
        "overflow:auto;padding:.8em 1.2em;background:#b71c1c;color:#fff;font:13px monospace;" +
        "white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last edit did not build; this is the last good site.\\n" +
      errors.join("\\n");
  }
  function poll() {
    fetch("/.litreview/status.json", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (status) {
        if (seen !== null && status.good_build !== seen) { location.reload(); return; }
        seen = status.good_build;
        banner(status.ok ? [] : status.problems);
      }).catch(function () {}).then(function () { setTimeout(poll, 250); });
  }
  poll();
})();
"""


@dataclass
class SiteState:
    """What the server tells browsers: the last build's outcome and the good build's number."""

    ok: bool = True
    problems: list[str] = field(default_factory=list)
    good_build: int = 0
    builds: int = 0
    building: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_preview(self) -> None:
        """Pages were updated ahead of the full build: browsers reload to show them."""
        with self.lock:
            self.good_build += 1

    def record(self, result: BuildResult) -> None:
        with self.lock:
            self.builds += 1
            self.ok = result.ok
            self.problems = result.problems if not result.ok else []
            if result.ok:
                self.good_build += 1

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps(
                {
                    "building": self.building,
                    "ok": self.ok,
                    "problems": self.problems,
                    "good_build": self.good_build,
                    "builds": self.builds,
                }
            ).encode()


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104 - names, not a bind


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers the preview answers to: loopback names with the port (and the address
    it was bound to, when that is one address). Any other name may be a DNS-rebinding page."""
    names = set(LOCAL_HOSTS)
    if host not in WILDCARD_HOSTS:
        names.add(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    return frozenset(f"{name}:{port}" for name in names)


class _Handler(SimpleHTTPRequestHandler):
    state: SiteState
    hosts: frozenset[str] = frozenset()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.hosts:
            self.send_error(403, "Unknown Host header: open the preview at localhost")
            return False
        return True

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self._wait_for_swap(path)
        if path == STATUS_PATH:
            self._send(self.state.as_json(), "application/json")
        elif path == SCRIPT_PATH:
            self._send(RELOAD_SCRIPT, "text/javascript")
        elif path.endswith((".html", "/")):
            self._send_page(path)
        else:
            super().do_GET()

    def _wait_for_swap(self, path: str) -> None:
        """A rebuild swaps the site folder in two renames; a request between them waits."""
        if path.startswith("/.litreview/"):
            return
        site = Path(self.directory)
        for _ in range(SWAP_WAIT_STEPS):
            if site.is_dir() and Path(self.translate_path(path)).exists():
                return
            time.sleep(0.01)

    def _send_page(self, path: str) -> None:
        target = Path(self.translate_path(path))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            self.send_error(404)
            return
        page = target.read_bytes().replace(
            b"</body>", f'<script src="{SCRIPT_PATH}"></script></body>'.encode(), 1
        )
        self._send(page, "text/html; charset=utf-8")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not every request."""


class _Changes(FileSystemEventHandler):
    """Wakes the builder for changes to the review's sources, nothing else (not the cache)."""

    def __init__(self, wake: threading.Event, sources: list[Path]) -> None:
        self.wake = wake
        self.sources = [p.resolve() for p in sources]
        self.changed: set[Path] = set()
        self.lock = threading.Lock()

    def take(self) -> set[Path]:
        """The files changed since the last call."""
        with self.lock:
            changed, self.changed = self.changed, set()
        return changed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WRITES:  # a build reads every source: opens are no change
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(str(raw)).resolve()
            if any(path == s or s in path.parents for s in self.sources):
                if not event.is_directory:  # a folder's own event comes with its files' events
                    with self.lock:
                        self.changed.add(path)
                self.wake.set()


@dataclass
class DevServer:
    """Watch, rebuild and serve ``root``'s site until stopped."""

    root: Path
    host: str = "127.0.0.1"
    port: int = 8000
    report: Callable[[BuildResult], None] = print
    state: SiteState = field(default_factory=SiteState)
    say: Callable[[str], None] = print
    settings: Settings | None = None  # read from root's mkdocs.yml when not given

    def __post_init__(self) -> None:
        self.settings = self.settings or load_settings(self.root)
        self.site = self.settings.site_path
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.warmed = threading.Event()  # set once the first preview has loaded everything
        handler = cast("type[_Handler]", type("Handler", (_Handler,), {"state": self.state}))
        self.httpd = ThreadingHTTPServer(
            (self.host, self.port), partial(handler, directory=str(self.site))
        )
        handler.hosts = allowed_hosts(self.host, int(self.httpd.server_address[1]))
        self.observer = Observer()
        sources = self.settings.sources()
        self.changes = _Changes(self.wake, sources)
        for folder in {p if p.is_dir() else p.parent for p in sources if p.exists()}:
            self.observer.schedule(self.changes, str(folder), recursive=folder != self.root)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def build(self) -> BuildResult:
        self.state.building = True
        result = run_build(self.root, self.site, self.settings, waiting=self.say)
        self.state.building = False
        self.state.record(result)
        self.report(result)
        return result

    def start(self) -> None:
        self.build()
        self.observer.start()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._rebuild_loop, daemon=True).start()

    def preview(self, changed: frozenset[str]) -> list[str]:
        """Put the pages made from ``changed`` into the site now; the full build follows."""
        started = time.monotonic()
        try:
            pages = preview(self.root, self.site, changed)
        except Exception:
            return []
        if pages:
            self.state.record_preview()
            self.say(
                f"litreview serve: previewed {', '.join(pages)} in "
                f"{time.monotonic() - started:.1f} s; full build follows"
            )
        return pages

    def _rebuild_loop(self) -> None:
        # Loading once ahead of the first edit makes that edit's preview as quick as the next.
        if self.state.ok:
            self.preview(frozenset())
        self.warmed.set()
        while not self.stopping.is_set():
            if not self.wake.wait(timeout=0.5):
                continue
            # Let a burst of saves settle; changes during a build trigger one more build.
            time.sleep(DEBOUNCE_SECONDS)
            self.wake.clear()
            changed = previewable(self.root, self.changes.take())
            if changed:
                self.preview(changed)
            self.build()

    def stop(self) -> None:
        self.stopping.set()
        self.observer.stop()
        self.httpd.shutdown()
        self.httpd.server_close()
