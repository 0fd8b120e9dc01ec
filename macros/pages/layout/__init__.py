"""Layouts for the site's diagrams, computed at build time in plain Python and deterministic
(the same input gives the same numbers, hence byte-identical SVG): text measure and wrapping,
a layered layout with crossing minimisation, a stress layout with label overlap removal."""
