"""The inline scripts the theme and the engine put in a page, known before any content is:
the hashes the Content-Security-Policy allows (``macros.site.csp``), never the finished page's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.site.csp import inline_script_hashes, with_content_security_policy


class OwnScripts:
    """Renders ``template`` for an empty page at the same folder depth, with an empty
    navigation, and hashes its inline scripts: one render per template and depth."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.hashes: dict[tuple[str, str], list[str]] = {}

    def of(
        self, config: MkDocsConfig, template: str, page: Page | None = None, base_url: str = ""
    ) -> list[str]:
        probe = None
        if page is not None:
            probe = Page("", File.generated(config, page.file.src_uri, content=""), config)
            probe.markdown = probe.content = ""
            base_url = get_relative_url(".", probe.url)
        key = (template, base_url)
        if key not in self.hashes:
            context = get_context(Navigation([], []), Files([]), config, probe, base_url)
            reference = self.env.get_template(template).render(context)
            self.hashes[key] = inline_script_hashes(reference)
        return self.hashes[key]

    def protect_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        template = str(page.meta.get("template", "main.html"))
        return with_content_security_policy(output, self.of(config, template, page))

    def protect_template(self, output: str, name: str, config: MkDocsConfig) -> str:
        """Error pages (404.html) get the policy too; sitemaps and other templates do not."""
        if not name.endswith(".html"):
            return output
        base_url = urlsplit(config.site_url or "/").path  # error pages use root-absolute URLs
        return with_content_security_policy(output, self.of(config, name, base_url=base_url))
