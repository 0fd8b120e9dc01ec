"""``python -m macros``: the litreview command line."""

from macros.cli.main import main

main()
