"""A director's words in a terminal: `auteur change` and `auteur undo` run the chat's /change and /undo through
the engine, so they do exactly what the words do in the studio (`auteur show STAGE` prints a stage)."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app
from ui.cli.output import print_event, print_json


def _run(project: Optional[str], line: str, as_json: bool) -> None:
    from ui.cli.engine import command

    events = command(project, line)
    if as_json:
        print_json([e.to_dict() for e in events if e.kind != "progress"])
        return
    for event in events:
        if event.kind != "progress":
            print_event(event)


@app.command()
def change(words: str = typer.Argument(..., help='What to change, in words: "Nell wears a red coat", '
                                                 '"scene 2 at dawn", "shot 1.2 from lower, at dusk".'),
           project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Change one thing, only where it shows: the look, one scene or one shot, and their prompts; says what is
    now out of date, shot by shot."""
    _run(project, f"/change {words}", as_json)


@app.command()
def undo(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Take back the last change, as a new version (the history keeps both)."""
    _run(project, "/undo", as_json)
