"""`auteur`: the studio in a terminal.

Every project command takes ``-p/--project SLUG`` (default: the project used
last) and read commands take ``--json``. Only typer is imported at start; the
store, Git and the film model load when a command runs, so ``--help`` is fast.

One module per topic adds its commands to the app (``ui.cli.app``); they are
imported here in the order `auteur --help` lists them. What they print is in
``ui.cli.output``.
"""

from __future__ import annotations

from ui.cli import (  # noqa: F401  (each adds its commands)
    projects, versions, takes, branches, crew, directing, models, renders, exports, recall, demo, servers, review,
    views,
)
from ui.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
