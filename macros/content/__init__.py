"""Content: the YAML reader with line marks, the typed model, loading and the Review."""
