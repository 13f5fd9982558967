"""Files for a film team: `auteur export KIND`, and bringing a project archive back."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_workspace
from ui.cli.output import print_json, say


@app.command("export")
def export_cmd(kind: str = typer.Argument(..., help="fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, "
                                                     "otio, edl, fcpxml, mp4 or archive"),
               project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Write a file a film team can open into the project's 06_Exports/."""
    from ui.cli.engine import command, data_with

    made = data_with(command(project, f"/export {kind}"), "kind")
    if as_json:
        print_json({"path": made["path"], "kind": made["kind"]})
        return
    say("Producer", f"Exported {made['kind']}: {made['path']}")


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
