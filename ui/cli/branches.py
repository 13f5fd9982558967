"""`auteur branch`: story branches (new, switch, list, diff)."""

from __future__ import annotations

import shlex
from typing import Any, Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, open_store, sub_app
from ui.cli.output import console, print_json, say

branch_app = sub_app("branch", "Story branches: try another version without losing this one.")


@branch_app.command("new")
def branch_new(name: str = typer.Argument(..., help="Name of the new story branch, e.g. alt-ending."),
               project: Optional[str] = ProjectOpt,
               no_switch: bool = typer.Option(False, "--no-switch", help="Stay on the current branch."),
               as_json: bool = JsonOpt) -> None:
    """Start a story branch from where you are now, and switch to it."""
    from ui.cli.engine import command, data_with

    line = f"/branch new {shlex.quote(name)}" + (" --no-switch" if no_switch else "")
    made = data_with(command(project, line), "from")
    if as_json:
        print_json(made)
        return
    origin = made["from"]
    say("Producer", f"Branch [bold]{name}[/] starts from {origin}. "
                    + ("You are on it now." if not no_switch else f"You are still on {origin}."))


@branch_app.command("switch")
def branch_switch(name: str = typer.Argument(...), project: Optional[str] = ProjectOpt,
                  as_json: bool = JsonOpt) -> None:
    """Switch to another story branch."""
    from ui.cli.engine import command, data_with

    now = data_with(command(project, f"/branch switch {shlex.quote(name)}"), "current")
    if as_json:
        print_json({"current": now["current"]})
        return
    say("Producer", f"Now on branch [bold]{name}[/].")


@branch_app.command("list")
def branch_list(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """List the story branches."""
    from ui.cli.engine import command, data_of

    rows: list[dict[str, Any]] = data_of(command(project, "/branch list"), "branches")
    if as_json:
        print_json(rows)
        return
    for r in rows:
        mark = "*" if r["current"] else " "
        console().print(f"{mark} [bold]{r['name']}[/]  {r['commit'][:10]}  {r['message']}")


@branch_app.command("diff")
def branch_diff(a: str = typer.Argument(..., help="A branch."),
                b: Optional[str] = typer.Argument(None, help="Another branch (default: the current one)."),
                project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Compare two branches stage by stage."""
    store = open_store(project)
    other = b or store.git.branch
    rows = store.compare_branches(a, other)
    if as_json:
        print_json({"a": a, "b": other, "stages": rows})
        return
    from rich.table import Table

    table = Table(title=f"{a} vs {other}")
    for col in ("stage", a, other, "differs"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["stage"], r["a"], r["b"], "yes: " + ", ".join(r["files"]) if r["differs"] else "")
    console().print(table)
