"""`python -m ui.cli`: the `auteur` command."""

from ui.cli import main

main()
