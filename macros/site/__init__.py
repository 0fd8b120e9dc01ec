"""Site: the MkDocs adapter (the only sub-package that imports mkdocs), preview, CSP, overrides, assets."""
