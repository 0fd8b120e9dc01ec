"""Bibliography: BibTeX reading, pandoc citeproc with its cache, citations, exports, CSL files."""
