"""Semantic memory: `auteur recall QUESTION`, and `auteur memory` (reindex, status)."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_store, sub_app
from ui.cli.output import console, print_json, say

memory_app = sub_app("memory", "Semantic memory: the index of what was written, said and decided.")


@app.command()
def recall(question: str = typer.Argument(..., help='A question in words, e.g. "who is in the photograph?"'),
           project: Optional[str] = ProjectOpt,
           limit: int = typer.Option(5, "--limit", "-n", min=1, max=50, help="How many answers."),
           kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind: scene, character, decision, …"),
           as_json: bool = JsonOpt) -> None:
    """Find what answers a question in this project and branch, best first, with sources."""
    from config.container import Container

    from rich.markup import escape

    store = open_store(project)
    hits = Container().memory(store).recall(question, limit=limit, kinds=[kind] if kind else None)
    rows = [h.to_dict() for h in hits]
    if as_json:
        print_json(rows)
        return
    for k, h in enumerate(rows, start=1):
        console().print(f"[bold]{k}.[/] [cyan]{escape(h['kind'])} {escape(h['key'])}[/] ({h['score']:.2f}, "
                        f"{escape(h['source'])} @ {h['commit'][:7]})\n   {escape(h['text'][:300])}")


@memory_app.command("reindex")
def memory_reindex(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Rebuild the project's points on this branch from its repository."""
    from config.container import Container

    store = open_store(project)
    counts = Container().memory(store).reindex()
    if as_json:
        print_json({"slug": store.slug, "branch": store.git.branch, **counts})
        return
    say("Producer", f"Memory of {store.slug} on {store.git.branch} rebuilt: {counts['total']} chunks.")


@memory_app.command("status")
def memory_status(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """How many chunks are indexed, and whether the index is up to date (it catches up)."""
    from config.container import Container

    store = open_store(project)
    mem = Container().memory(store)
    counts = mem.sync()
    data = {"slug": store.slug, "branch": store.git.branch, "collection": mem.memory.collection, **counts}
    if as_json:
        print_json(data)
        return
    console().print(f"{data['total']} chunks in {data['collection']} for {store.slug} on {data['branch']} "
                    f"({data['embedded']} embedded now, {data['removed']} removed)")
