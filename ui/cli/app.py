"""The typer apps of `auteur`, the error handling every command shares, the shared options, and the way
to the workspace and a project.

Each topic module (projects, takes, branches, crew, renders, exports, memory, demo, servers) adds its
commands to ``app`` or to a sub-app of its own; ``ui.cli`` imports them in the order `auteur --help` lists them.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

from ui.cli.output import fail

if TYPE_CHECKING:
    from memory.project_store import ProjectStore
    from memory.workspace import Workspace
    from studio.stages import Stage


class Group(TyperGroup):
    """Turns an AuteurError anywhere below into a two-line message and exit code 1."""

    def invoke(self, ctx):  # type: ignore[override]
        from studio.errors import AuteurError

        try:
            return super().invoke(ctx)
        except AuteurError as exc:
            fail(exc.problem, exc.fix, exc.exit_code)


app = typer.Typer(
    cls=Group,
    name="auteur",
    help="Auteur: a film crew in your terminal. From an idea or a screenplay to shots, boards and a cut.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def sub_app(name: str, help: str) -> typer.Typer:
    """A group of commands under ``auteur NAME``, with the same error handling."""
    group = typer.Typer(cls=Group, help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


ProjectOpt = typer.Option(None, "-p", "--project", help="Project slug (default: the project used last).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")
ModelOpt = typer.Option(None, "--model", "-m", help="Model profile (default: AUTEUR_MODEL, else the embedded "
                                                     "llamacpp/smollm2-135m). See config/models.yaml.")


def setup_logging() -> None:
    root = logging.getLogger("auteur")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        root.propagate = False


def open_workspace() -> Workspace:
    from config.container import Container

    setup_logging()
    return Container().workspace


def open_store(project: str | None) -> ProjectStore:
    """The project named by -p, else the one used last; the terminal chose it, so it is the one used last."""
    ws = open_workspace()
    store = ws.open(project)
    ws.remember(store.slug)
    return store


def parse_stage(name: str) -> Stage:
    from studio.stages import Stage

    return Stage.parse(name)
