"""The timeline review in a terminal: `auteur review` (the latest cut's shots and notes), `auteur note` (a note at
a time code or on a shot) and `auteur fix` — the chat's /review, /note and /fix through the engine, so a note
left here is the same commit, sorted and routed the same way, as one left in the studio."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app
from ui.cli.output import print_event, print_json


def _run(project: Optional[str], line: str, as_json: bool) -> None:
    from ui.cli.engine import command

    events = [e for e in command(project, line) if e.kind != "progress"]
    if as_json:
        print_json([e.to_dict() for e in events])
        return
    for event in events:
        print_event(event)


@app.command()
def review(every: bool = typer.Option(False, "--all", help="The notes of every version of the cut."),
           project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """The latest cut's review notes: where each is, what it is about, who has it and what became of it
    (--json: the review view's data, with the cut's shots as markers)."""
    _run(project, "/notes all" if every else "/review" if as_json else "/notes", as_json)


@app.command()
def note(where: str = typer.Argument(..., help="A time in the latest cut (0:07.5, 7.5s, 00:00:07:12) or a shot "
                                               "(S02_SH003)."),
         words: str = typer.Argument(..., help='What should change: "too slow here", "her coat should be red".'),
         project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Leave a review note on the latest cut: it is attached to the shot, sorted (script, look, shot design,
    prompt, render, timing) and given to the agent who owns that stage, who proposes a fix (`auteur fix`)."""
    _run(project, f"/note {where} {words}", as_json)


@app.command()
def fix(which: str = typer.Argument("all", help="A note's id (n3), several (n1,n3), or all open notes."),
        project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Carry out the proposed fix of a review note: each comes back as a changed shot, look or a new take."""
    _run(project, f"/fix {which}", as_json)
