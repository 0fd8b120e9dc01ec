"""``python -m macros``: the litreview command line."""

from macros.cli import main

main()
