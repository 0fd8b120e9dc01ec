"""The Content-Security-Policy: hashes of the theme's inline scripts and of the search shim."""

from __future__ import annotations

from macros.site.csp import SHIM_FUNCTIONS, inline_script_hashes, with_content_security_policy
from tests.conftest import ROOT


def test_shim_functions_are_those_of_the_vendored_shim() -> None:
    shim = (ROOT / "macros/site/assets/iframe-worker-shim.js").read_text(encoding="utf-8")
    for function in SHIM_FUNCTIONS:
        assert function in shim
    assert "postMessage=${c};importScripts=${d};" in shim


def test_policy_lists_inline_scripts_but_not_json_or_external_ones() -> None:
    page = (
        "<html><head><title>t</title></head><body><script>a()</script>"
        '<script type="application/json">{"a": 1}</script><script src="x.js"></script>'
        "</body></html>"
    )
    # sha256 of "a()", as `printf 'a()' | openssl dgst -sha256 -binary | base64` gives it
    assert inline_script_hashes(page) == ["'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"]
    secured = with_content_security_policy(page, inline_script_hashes(page))
    assert secured.startswith('<html><head><meta http-equiv="Content-Security-Policy" content="')
    assert "default-src 'none'" in secured
    assert "'unsafe-eval'" not in secured
