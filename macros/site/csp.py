"""A Content-Security-Policy for every page, strict enough to stop injected scripts.

Works from ``file://`` and over HTTP: scripts only from the site's own files or inline scripts
whose SHA-256 hash the policy lists; no remote connections, no plugins, no inline event
handlers, no forms posting anywhere.

The hashes come from a page known at build time, never from the finished page: the theme's
template rendered for an empty page with an empty navigation (``reference`` below), so that its
few bootstrap scripts run and a script that content smuggled into a page does not.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)

# 'self' does not match file: URLs in every browser, so the file: scheme is listed as well; a
# page opened from disk can then load the site's own files and nothing from the network.
POLICY = (
    "default-src 'none'; "
    "script-src 'self' file: {hashes}; "
    "style-src 'self' file: 'unsafe-inline'; "
    "img-src 'self' file: data:; "
    "font-src 'self' file: data:; "
    "connect-src 'self' file:; "
    "worker-src 'self' file: blob:; "
    "frame-src 'self' file: blob:; "
    "child-src 'self' file: blob:; "
    "manifest-src 'self'; "
    "object-src 'none'; "
    "base-uri 'none'; "
    "form-action 'none'"
)


# The vendored iframe-worker shim (assets/iframe-worker-shim.js), which runs Material's search
# worker from file://, writes this inline script into its frame; the frame inherits the page's
# policy, so its hash is listed too. ``{url}`` is the worker URL from the page's __config.
SHIM_FUNCTIONS = (
    'function c(s,n){parent.postMessage(s,n||"*")}',
    "function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document."
    'createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())}',
)
SHIM_SCRIPT = (
    'postMessage={c};importScripts={d};addEventListener("error",({{error}})=>{{parent.'
    'dispatchEvent(new ErrorEvent("error",{{filename:"{url}",error}}))}})'
)
_WORKER_URL = re.compile(r'"search":\s*"([^"]+)"')


def _sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def inline_script_hashes(html: str) -> list[str]:
    """The hashes a page rendered from nothing but the theme (and the search shim) needs."""
    hashes = []
    if "iframe-worker-shim.js" in html and (worker := _WORKER_URL.search(html)):
        c, d = SHIM_FUNCTIONS
        hashes.append(_sha256(SHIM_SCRIPT.format(c=c, d=d, url=worker[1])))
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if "src=" in attrs or "application/json" in attrs:
            continue
        hashes.append(_sha256(match["body"]))
    return sorted(set(hashes))


def with_content_security_policy(html: str, hashes: list[str]) -> str:
    """``html`` with a policy that allows the inline scripts ``hashes`` name and no others.

    ``hashes`` come from ``inline_script_hashes`` of a reference page (the theme's template
    rendered without content), never from ``html`` itself.
    """
    policy = POLICY.format(hashes=" ".join(hashes))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return _HEAD.sub(lambda m: m.group(0) + meta, html, count=1)
