"""Site: the MkDocs adapter (the only sub-package importing mkdocs), preview, CSP, overrides."""
