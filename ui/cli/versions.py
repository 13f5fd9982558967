"""The versions of a stage: edit (your version, from a file or your editor), history, restore."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_store, parse_stage
from ui.cli.output import console, print_json, say, stale_note

if TYPE_CHECKING:
    from memory.project_store import ProjectStore
    from studio.stages import Stage


@app.command()
def edit(stage: str = typer.Argument(..., help="The stage to replace, e.g. script."),
         file: Optional[Path] = typer.Argument(
             None, help="The new version: Fountain for the script, JSON otherwise; - for stdin. "
                        "Without it, the current version opens in $VISUAL or $EDITOR."),
         project: Optional[str] = ProjectOpt,
         encoding: Optional[str] = typer.Option(None, "--encoding", help="The script's text encoding, if not UTF-8."),
         as_json: bool = JsonOpt) -> None:
    """Replace a stage's artifact with your version. Downstream work of an approved stage goes stale."""
    from studio.errors import AuteurError

    st = parse_stage(stage)
    store = open_store(project)
    if file is None:
        data, name = edit_in_editor(store, st), f"{st.value} (edited)"
    elif str(file) == "-":
        data, name = sys.stdin.buffer.read(), "stdin"
    elif not file.is_file():
        raise AuteurError(f"{file} does not exist or is not a file", "check the path")
    else:
        data, name = file.read_bytes(), file.name
    change = store.edit(st, data, name=name, encoding=encoding)
    if as_json:
        print_json({"stage": st.value, "status": change.project.status(st).value, "commit": change.commit,
                    "stale": [s.value for s in change.made_stale], "stages": change.project.statuses()})
        return
    if change.commit is None:
        say("Producer", f"{name} is the same as the current {st.value}; nothing changed.")
        return
    stale = [s.value for s in change.made_stale]
    say("Producer", f"The {st.value} is updated from {name} and is a draft again.{stale_note(stale)}")


def edit_in_editor(store: ProjectStore, stage: Stage) -> bytes:
    """Open the stage's current version in the user's editor; return what they saved."""
    import os
    import shlex
    import subprocess

    from studio.errors import AuteurError
    from studio.stages import Stage

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise AuteurError("no editor is set", f"set EDITOR (e.g. export EDITOR=nano) or pass a file: "
                                              f"auteur edit {stage.value} FILE")
    artifact = store.read(stage)
    if stage is Stage.SCRIPT:
        current, suffix = (artifact.fountain if artifact else ""), ".fountain"
    else:
        current, suffix = (artifact.model_dump_json(indent=2) if artifact else "{}"), ".json"
    cache = store.path / "05_Cache"
    cache.mkdir(exist_ok=True)
    draft = cache / f"edit-{stage.value}{suffix}"
    draft.write_text(current, encoding="utf-8")
    result = subprocess.run([*shlex.split(editor), str(draft)])
    if result.returncode != 0:
        raise AuteurError(f"the editor exited with status {result.returncode}; nothing was changed",
                          f"your text is kept in {draft}: fix it and run `auteur edit {stage.value} {draft}`")
    return draft.read_bytes()


@app.command()
def history(project: Optional[str] = ProjectOpt,
            stage: Optional[str] = typer.Option(None, "--stage", "-s", help="Only commits that touched this stage."),
            limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many entries."),
            as_json: bool = JsonOpt) -> None:
    """The project's history on the current branch, newest first."""
    from ui.cli.engine import command, data_of, session_on

    session = session_on(project)
    line = f"/history {parse_stage(stage).value if stage else ''} --limit {limit or 'all'}"
    rows = data_of(command(project, line, session=session), "history")
    if as_json:
        print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{session.require_project().slug} on {session.require_project().branch}")
    for col in ("commit", "time", "author", "stage", "message"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["short"], r["time"].replace("T", " ")[:16], escape(r["author"]), r["stage"],
                      escape(r["message"]))
    console().print(table)


@app.command()
def restore(stage: str = typer.Argument(..., help="The stage to bring back."),
            rev: str = typer.Argument(..., help="A commit from `auteur history` (a prefix is enough)."),
            project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt,
            yes: bool = typer.Option(False, "--yes", "-y",
                                     help="Restore even when later changes of the stage are dropped.")) -> None:
    """Bring a stage back to an earlier version, as a new commit (history is never rewritten). When later changes of
    the stage would be dropped, it names them and restores only with --yes."""
    from studio.errors import AuteurError
    from ui.cli.engine import command, data_with

    st = parse_stage(stage)
    events = command(project, f"/restore {st.value} {rev}" + (" yes" if yes else ""))
    asked = next((e for e in events if e.kind == "question" and "restore" in e.data), None)
    if asked is not None:
        console().print(asked.text)
        raise AuteurError("nothing restored: later changes of the stage would be dropped",
                          f"run `auteur restore {st.value} {rev} --yes` to restore and drop them")
    done = data_with(events, "stale")
    if as_json:
        print_json(done)
        return
    if done["commit"] is None:
        say("Producer", f"The {st.value} is already as it was at {rev}; nothing changed.")
        return
    say("Producer", f"The {st.value} is back as it was at {rev}, as a draft to approve again."
                    f"{stale_note(done['stale'])}")
