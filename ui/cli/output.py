"""What the terminal prints: the console, the crew's lines, errors, JSON, and the tables shared by commands.

Only typer is imported at start; rich and the film model load when something is printed.
"""

from __future__ import annotations

import json
from typing import Any

import typer


def fail(problem: str, fix: str = "", code: int = 1) -> None:
    """The two-line error on stderr (problem, then fix), and exit with ``code``."""
    from rich.console import Console

    from rich.markup import escape

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"[bold red]Error:[/] {escape(problem)}")
    if fix:
        err.print(f"[bold]Fix:[/] {escape(fix)}")
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def say(speaker: str, text: str) -> None:
    """The Producer's line; ``text`` may hold our own [bold] markup, never a person's or model's raw text."""
    console().print(f"[bold cyan]{speaker}:[/] {text}")


def stale_note(stale: list[str]) -> str:
    """What a change to an approved stage made stale (stage names), as a sentence to append."""
    if not stale:
        return ""
    names = ", ".join(stale)
    return f" Because it had been approved, {names} {'is' if len(stale) == 1 else 'are'} now stale and would be redone."


def print_event(event) -> None:
    """One event of the engine (studio.engine.events.Event) as a line of the conversation."""
    from rich.markup import escape

    out = console()
    colour = {"Producer": "cyan", "Screenwriter": "magenta", "Art Director": "yellow",
              "Cinematographer": "green"}.get(event.author, "white")
    text = escape(event.text)  # what people and models write is text, never markup
    if event.kind == "error":
        out.print(f"[bold red]Problem:[/] {text}")
    elif event.kind == "progress":
        if event.data.get("state") == "running":
            out.print(f"[dim]… {text}[/]")
    else:
        out.print(f"[bold {colour}]{escape(event.author)}:[/] {text}")
        if event.options:
            out.print("[dim]   (" + " · ".join(escape(o) for o in event.options) + ")[/]")


_STATUS_STYLE = {"empty": "dim", "draft": "yellow", "approved": "green", "stale": "red"}


def print_status(data: dict) -> None:
    """The twelve stages as a table (``data`` as `auteur status --json` prints it)."""
    from rich.table import Table

    table = Table(title=f"{data['title']}  ({data['slug']}, branch {data['branch']})")
    table.add_column("#", justify="right")
    table.add_column("stage")
    table.add_column("status")
    table.add_column("lead")
    for i, (stage, info) in enumerate(data["details"].items(), start=1):
        status = info["status"]
        note = f" (after {info['stale_because']} changed)" if info.get("stale_because") else ""
        table.add_row(str(i), stage, f"[{_STATUS_STYLE[status]}]{status}[/]{note}", info["lead"])
    out = console()
    out.print(table)
    llm = data["llm"]
    if llm["calls"]:
        out.print(f"Model work: {llm['calls']} calls, {llm['tokens']} tokens, {llm['seconds']:.1f} s")
    if data["next"]:
        out.print(f"Next: [bold]{data['next']}[/]")


def print_scenes(scenes: list[dict]) -> None:
    """The scenes of the breakdown as a table, and their totals."""
    from rich.markup import escape
    from rich.table import Table

    from studio.models import format_eighths

    table = Table()
    for col in ("#", "heading", "characters", "dialogue", "length", "time"):
        table.add_column(col, overflow="fold")
    for s in scenes:
        secs = int(round(s["seconds"]))
        table.add_row(escape(s["scene_number"]), escape(s["heading"]), escape(", ".join(s["characters"])) or "—",
                      str(s["dialogue_count"]), format_eighths(s["eighths"]), f"{secs // 60}:{secs % 60:02d}")
    console().print(table)
    total = sum(s["seconds"] for s in scenes)
    eighths = sum(s["eighths"] for s in scenes)
    console().print(f"{len(scenes)} scenes, {format_eighths(eighths)} pages, about {total / 60:.1f} minutes")
