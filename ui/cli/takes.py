"""The takes of a shot: list them and choose the active one (the chat's /takes and /take), add one from a file,
or choose among one kind (image or video) only."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_store
from ui.cli.output import console, print_json


@app.command()
def takes(shot: str = typer.Argument(..., help="The shot, e.g. S01_SH003 or 1.3; or a sound cue, e.g. S01_AMB, M01."),
          project: Optional[str] = ProjectOpt,
          add: Optional[Path] = typer.Option(None, "--add", help="Bring an image or video file in as a new take."),
          choose: Optional[int] = typer.Option(None, "--choose", min=1, help="Make take N the active one."),
          kind: Optional[str] = typer.Option(None, "--kind", help="image, video or audio (a shot's spoken lines)."),
          as_json: bool = JsonOpt) -> None:
    """List the takes of a shot (or of a sound cue); add one from a file or choose the active one."""
    from studio.engine.commands.sound import is_cue_key

    if is_cue_key(shot) or (kind or "").lower() in ("audio", "sound"):
        if add is not None:
            from studio.errors import AuteurError

            raise AuteurError("a sound take is rendered, not added from a file", "render it: `auteur render sound`")
        sound_takes(shot, project, choose, as_json)
        return
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
    show(rows, as_json, f"No takes of {shot} yet.", ("take", "kind", "active", "path", "seed", "model"),
         lambda r: (str(r["number"]), r["kind"], "★" if r["active"] else "", r["path"],
                    "" if r["seed"] is None else str(r["seed"]), r["model"]))


def sound_takes(key: str, project: str | None, choose: int | None, as_json: bool) -> None:
    """The sound takes of a cue (S01_AMB, M01) or of a shot's lines (S01_SH003 --kind audio); choose one."""
    from memory.sound_takes import SoundTakes
    from studio.shot_codes import parse_shot, shot_code

    store = open_store(project)
    key = key.strip().upper()
    if "_SH" in key or "." in key:
        key = shot_code(*parse_shot(key))
    takes = SoundTakes(store)
    if choose is not None:
        takes.choose(key, choose, author=store.user())
    rows = [t.model_dump(mode="json") for t in takes.list(key)]
    show(rows, as_json, f"No sound takes of {key} yet: `auteur render sound` makes them.",
         ("take", "track", "active", "seconds", "engine", "path"),
         lambda r: (str(r["number"]), r["track"], "★" if r["active"] else "", f"{r['seconds']:.2f}",
                    r["engine"] + (" TEMP" if r["temp"] else ""), r["path"]))


def show(rows: list[dict], as_json: bool, none: str, columns: tuple[str, ...], cells) -> None:
    """The takes as JSON, or a table of ``columns`` (each row's ``cells``), or ``none`` when there are none."""
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(none)
        return
    from rich.table import Table

    table = Table()
    for col in columns:
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*cells(r))
    console().print(table)
