"""`auteur model`: the language models the crew can use here, with their state, and the workspace's choice.

The list and the switch are the chat's `/model` (the shared registry); the terminal also remembers the choice
for the workspace, as it remembers the project used last: `auteur run`, `auteur chat` and the studio use it
unless --model or AUTEUR_MODEL says otherwise.
"""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, app
from ui.cli.output import console, print_json, say


@app.command("model")
def model(name: Optional[str] = typer.Argument(None, help="The profile the crew uses from now on in this workspace."),
          forget: bool = typer.Option(False, "--forget", help="Forget the workspace's choice (back to the default)."),
          as_json: bool = JsonOpt) -> None:
    """The model profiles with their state (ready, server down, key missing, ...); NAME switches to one."""
    from agents.llm.discover import ModelChoice, discover, offer
    from agents.llm.profiles import remember_model
    from ui.cli.engine import data_with, session_on

    session = session_on(None, open_project=False)
    models = session.models  # the container gives every session its models
    assert isinstance(models, ModelChoice)
    models.command = "auteur model"  # how the terminal asks for one
    models.trusted = True  # the operator is at the keyboard: AUTEUR_MODEL_SWITCH is for the chat
    settings = models.settings
    if forget:
        remember_model(settings, None)
        models.model = None
        if as_json:
            print_json({"current": models.current, "remembered": None})
        else:
            say("Producer", f"Forgotten: the crew works with {models.current}.")
        return
    if not name:
        data = data_with(list(session.command("/model")), "profiles")
        if as_json:
            print_json(data)
        else:
            _print_profiles(data)
        return
    data = data_with(list(session.command(f"/model {name}")), "model")  # an AuteurError when it cannot be used
    remember_model(settings, data["model"])
    overridden = settings.llm_profile if settings.llm_profile not in (None, data["model"]) else None
    if as_json:
        print_json({**data, "remembered": data["model"], "overridden_by_AUTEUR_MODEL": overridden})
        return
    say("Producer", f"The crew works with {data['model']} in this workspace from now on.")
    if overridden:
        typer.echo(f"note: AUTEUR_MODEL={overridden} is set and wins while it is: unset it to use {data['model']}.",
                   err=True)
    elif data.get("state", {}).get("tiny"):
        typer.echo("note: it is a tiny model. " + offer(discover(settings), command="auteur model"), err=True)


def _print_profiles(data: dict) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    for col in ("profile", "state", "notes"):
        table.add_column(col, overflow="fold")
    for p in data["profiles"]:
        name = ("* " if p["name"] == data["current"] else "  ") + p["name"]
        state = p["state"] + (", tiny" if p["tiny"] else "")
        notes = f"found: {p['found']}" if p["found"] else ""
        if not p["usable"]:
            notes = f"{p['problem']}; {p['fix']}" if p["fix"] else p["problem"]
        table.add_row(escape(name), escape(state), escape(notes))
    console().print(table)
    typer.echo("* in use. Switch with: auteur model NAME (remembered for this workspace).")
