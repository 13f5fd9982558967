"""The takes of a shot: list them and choose the active one (the chat's /takes and /take), add one from a file,
or choose among one kind (image or video) only."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_store
from ui.cli.output import console, print_json


@app.command()
def takes(shot: str = typer.Argument(..., help="The shot, e.g. S01_SH003 or 1.3."),
          project: Optional[str] = ProjectOpt,
          add: Optional[Path] = typer.Option(None, "--add", help="Bring an image or video file in as a new take."),
          choose: Optional[int] = typer.Option(None, "--choose", min=1, help="Make take N the active one."),
          kind: Optional[str] = typer.Option(None, "--kind", help="image or video (when choosing)."),
          as_json: bool = JsonOpt) -> None:
    """List the takes of a shot; add one from a file or choose the active one."""
    from memory.takes import Takes
    from studio.errors import AuteurError
    from studio.models import TakeKind
    from studio.shot_codes import parse_shot
    from ui.cli.engine import command, data_of

    scene, number = parse_shot(shot)
    store = open_store(project)
    t = Takes(store)
    take_kind = None
    if kind:
        try:
            take_kind = TakeKind(kind.lower())
        except ValueError:
            raise AuteurError(f"{kind!r} is not a kind of take", "use --kind image or --kind video") from None
    if add is not None and choose is not None:
        raise AuteurError("--add and --choose were given together",
                          "add the take first (it becomes active), or choose among the takes there are")
    if add is not None:
        if not add.is_file():
            raise AuteurError(f"{add} does not exist or is not a file", "check the path of the image or video")
        t.add(scene, number, add.read_bytes(), add.suffix, author=store.user(), activate=True, source=add.name,
              chosen=True)  # a take the person brings is their choice: a batch render keeps it
    code = f"{scene}.{number}"
    if choose is not None and take_kind is not None:
        t.choose(scene, number, choose, author=store.user(), kind=take_kind)
    elif choose is not None:
        command(store.slug, f"/take {code} {choose}")  # the chat's /take
    if take_kind is not None:
        rows = [tk.model_dump(mode="json") for tk in t.list(scene, number, take_kind)]
    else:
        rows = data_of(command(store.slug, f"/takes {code}"), "takes")  # the chat's /takes
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(f"No takes of {shot} yet.")
        return
    from rich.table import Table

    table = Table()
    for col in ("take", "kind", "active", "path", "seed", "model"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["number"]), r["kind"], "★" if r["active"] else "", r["path"],
                      "" if r["seed"] is None else str(r["seed"]), r["model"])
    console().print(table)
