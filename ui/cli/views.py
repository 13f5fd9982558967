"""The views in a terminal: `auteur board`, `auteur shotlist`, `auteur character NAME`, `auteur tree`. Each runs the
chat's command through the registry and prints the view's text form (``--json``: its props), as Slack does."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app
from ui.cli.output import print_json


def show(project: Optional[str], line: str, as_json: bool) -> None:
    from ui.cli.engine import command

    events = command(project, line)
    view = next((e for e in events if e.kind == "artifact" and "view" in e.data), None)
    if view is None:  # the engine answered in words (nothing to show yet): say them
        from ui.cli.output import print_event

        for event in events:
            print_event(event)
        return
    if as_json:
        print_json(view.data)
        return
    typer.echo(view.text)


@app.command()
def board(scene: Optional[int] = typer.Argument(None, min=1, help="Only this scene."),
          project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The storyboard: every shot's active board by scene; the PDF contact sheet goes into 06_Exports."""
    show(project, f"/board {scene or ''}", as_json)


@app.command()
def shotlist(scene: Optional[int] = typer.Argument(None, min=1, help="Only this scene."),
             project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The shot list as a table (size, angle, move, lens, duration, action). Change a shot with `auteur chat` and
    /shot CODE FIELD VALUE."""
    show(project, f"/shotlist {scene or ''}", as_json)


@app.command()
def character(name: str = typer.Argument(..., help="The character, e.g. NELL."),
              project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """A character's sheet: look, wardrobe scene by scene, references, voice, and every scene and shot they are in."""
    show(project, f"/character {name}", as_json)


@app.command()
def tree(stage: Optional[str] = typer.Argument(None, help="Only this stage, e.g. shots."),
         project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The project's history as a tree: its branches, and the commits of this branch stage by stage."""
    show(project, f"/tree {stage or ''}", as_json)
