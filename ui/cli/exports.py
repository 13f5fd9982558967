"""Files for a film team: `auteur export KIND`, and bringing a project archive back."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_workspace
from ui.cli.output import fail, print_json, say


@app.command("export")
def export_cmd(kind: str = typer.Argument(..., help="fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, "
                                                     "otio, edl, fcpxml, mp4, stems (dialogue, effects and "
                                                     "music WAVs) or archive"),
               project: Optional[str] = ProjectOpt,
               anyway: bool = typer.Option(False, "--anyway", "--force",
                                           help="Export even when its inputs are stale (the export is marked so)."),
               as_json: bool = JsonOpt) -> None:
    """Write a file a film team can open into the project's 06_Exports/; refused while its inputs are stale."""
    from rich.markup import escape

    from ui.cli.engine import command, session_on

    session = session_on(project)
    events = command(None, f"/export {kind}" + (" anyway" if anyway else ""), session=session)
    made = next((e.data for e in events if "path" in e.data and "kind" in e.data), None)
    if made is None:
        stale = next(e.data for e in events if "stale_inputs" in e.data)
        slug = session.require_project().slug
        redo = list(dict.fromkeys(f"`auteur {s['redo'].lstrip('/')} -p {slug}`" for s in stale["stale_inputs"]))
        reasons = "; ".join(s["reason"] for s in stale["stale_inputs"])
        if as_json:
            print_json({"kind": kind, "exported": False, "stale_inputs": stale["stale_inputs"]})
        fail(f"the {kind} export would be made from stale inputs: {reasons}",
             f"redo them first ({' or '.join(redo)}), or add --anyway to export it as it is")
        return
    stale_inputs = made.get("stale_inputs") or []
    if kind == "stems":  # a folder of three WAVs, the length of the cut: dialogue, effects, music
        _stems(Path(made["path"]), stale_inputs, as_json)
        return
    if as_json:
        print_json({"path": made["path"], "kind": made["kind"], "stale_inputs": stale_inputs})
        return
    if stale_inputs:
        say("Producer", f"Exported {made['kind']} from stale inputs "
                        f"({escape('; '.join(s['reason'] for s in stale_inputs))}): {made['path']}")
        return
    say("Producer", f"Exported {made['kind']}: {made['path']}")


def _stems(folder: Path, stale_inputs: list, as_json: bool) -> None:
    """The three stems' paths and what they say of themselves (a TEMP track, a silent dialogue stem, sounds with
    no take): the notes written beside them (tools.exports.stems.stem_notices)."""
    from rich.markup import escape

    from tools.exports.stems import stem_notices

    paths = [str(folder / f"{track}.wav") for track in ("dialogue", "effects", "music")]
    notices = stem_notices(folder)
    if as_json:
        print_json({"paths": paths, "kind": "stems", "stale_inputs": stale_inputs, "notices": notices})
        return
    say("Producer", f"Exported the stems (dialogue, effects, music) into {escape(str(folder))}")
    for notice in notices:
        say("Producer", escape(notice[:1].upper() + notice[1:] + "."))


@app.command("restore-archive")
def restore_archive_cmd(file: Path = typer.Argument(..., help="A zip made by `auteur export archive`."),
                        slug: Optional[str] = typer.Option(None, "--slug", help="Name of the new project."),
                        as_json: bool = JsonOpt) -> None:
    """Bring a project archive back as a new project, with its whole history and media."""
    from memory.archive import restore_archive

    ws = open_workspace()
    path = restore_archive(ws.root, file, slug=slug)
    ws.remember(path.name)
    if as_json:
        print_json({"slug": path.name, "path": str(path)})
        return
    say("Producer", f"Restored {file.name} as [bold]{path.name}[/] with its whole history.")
