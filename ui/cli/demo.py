"""The bundled sample screenplay 'Night Shift': print it, or make a demo project from it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ui.cli.app import JsonOpt, app, open_workspace
from ui.cli.output import console, print_json, print_scenes, print_status, say


def sample_bytes() -> bytes:
    from importlib import resources

    return resources.files("studio").joinpath("samples/night_shift.fountain").read_bytes()


@app.command()
def sample(out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout.")) -> None:
    """Print the bundled sample screenplay 'Night Shift' (Fountain), to try `auteur import` with."""
    from memory.atomic import create_exclusive
    from studio.errors import AuteurError

    data = sample_bytes()
    if out is None:
        sys.stdout.buffer.write(data)
        return
    try:
        create_exclusive(out, data)
    except FileExistsError:
        raise AuteurError(f"{out} already exists", "choose another file name; Auteur never overwrites it") from None
    typer.echo(f"Wrote {out}. Import it with `auteur import {out}`.", err=True)


@app.command()
def demo(as_json: bool = JsonOpt) -> None:
    """Make a project from the bundled sample screenplay and show its scenes."""
    ws = open_workspace()
    data = sample_bytes()
    slug, n = "night-shift-demo", 1
    while (ws.root / slug).exists():
        n += 1
        slug = f"night-shift-demo-{n}"
    store = ws.create("Night Shift (demo)", slug=slug)
    change, imported = store.import_script("night_shift.fountain", data)
    if as_json:
        print_json({"slug": store.slug, "path": str(store.path),
                    "scenes": [s.model_dump(mode="json") for s in imported.breakdown.scenes]})
        return
    say("Producer", f"Welcome to Auteur. I made the project [bold]{store.slug}[/] from the sample screenplay "
                    f"'Night Shift' and broke it down:")
    print_scenes([s.model_dump(mode="json") for s in imported.breakdown.scenes])
    from ui.cli.engine import command, data_with

    print_status(data_with(command(store.slug, "/status"), "details"))
    console().print(f"\nTry: `auteur show script -p {slug}`, `auteur approve script -p {slug}`, "
                    f"`auteur branch new alt-ending -p {slug}`, `auteur history -p {slug}`.\n"
                    f"The project is a Git repository: {store.path}")
