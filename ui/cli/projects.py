"""Projects and their stages: new, open, list, status, import, scenes, show, approve, edit, history, restore."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, app, open_store, open_workspace, parse_stage
from ui.cli.output import console, print_json, print_scenes, print_status, say, stale_note


@app.command()
def new(
    title: str = typer.Argument(..., help='The film\'s title, e.g. "Night Shift".'),
    slug: Optional[str] = typer.Option(None, "--slug", help="Folder name (default: made from the title)."),
    as_json: bool = JsonOpt,
) -> None:
    """Make a new film project (a folder with its own Git history)."""
    from ui.cli.engine import choose, command, data_with, session_on

    line = f"/new {title}" + (f" --slug {slug}" if slug else "")
    session = session_on(None, open_project=False)
    made = data_with(command(None, line, session=session), "slug")
    choose(session, made["slug"])
    if as_json:
        print_json({"slug": made["slug"], "path": made["path"]})
        return
    from rich.markup import escape

    say("Producer", f"New project [bold]{escape(title)}[/] in {made['path']}.")
    console().print(f"Bring a screenplay with `auteur import FILE -p {made['slug']}`, or see `auteur status`.")


@app.command("open")
def open_project(slug: str = typer.Argument(..., help="The project's folder name (see `auteur list`)."),
                 as_json: bool = JsonOpt) -> None:
    """Choose the project that commands without -p act on."""
    from ui.cli.engine import session_on

    store = session_on(slug).require_project()
    if as_json:
        print_json({"slug": store.slug, "title": store.manifest().title})
        return
    from rich.markup import escape

    say("Producer", f"Commands without -p now work on [bold]{escape(store.manifest().title)}[/] ({store.slug}).")


@app.command("list")
def list_projects(as_json: bool = JsonOpt) -> None:
    """List the projects in the workspace."""
    from memory.project_store import ProjectStore

    ws = open_workspace()
    rows: list[dict[str, Any]] = []
    for slug in ws.slugs():
        try:
            store = ProjectStore(ws.root / slug, ws.settings)
            m = store.manifest()
            rows.append({"slug": slug, "title": m.title, "path": str(store.path), "branch": store.git.branch,
                         "stages": m.statuses()})
        except Exception as exc:  # one broken project must not hide the others
            rows.append({"slug": slug, "title": "", "path": str(ws.root / slug), "error": str(exc)})
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(f'No projects in {ws.root} yet. Start one with `auteur new "TITLE"`.')
        return
    from rich.table import Table

    table = Table(title=str(ws.root))
    for col in ("slug", "title", "branch", "approved"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if "error" in r:
            table.add_row(r["slug"], f"[red]cannot be read: {r['error']}[/]", "?", "?")
            continue
        approved = sum(1 for v in r["stages"].values() if v == "approved")
        table.add_row(r["slug"], r["title"], r["branch"], f"{approved}/12")
    console().print(table)


@app.command()
def status(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Show the twelve stages and where the project stands."""
    from ui.cli.engine import command, data_with

    data = data_with(command(project, "/status"), "details")
    if as_json:
        print_json(data)
    else:
        print_status(data)


IMPORT_KEYS = ("slug", "path", "created", "title", "scenes", "pages", "seconds", "encoding", "commit", "stages",
               "stale")
STORY_KEYS = ("slug", "created", "title", "kind", "format", "words", "passages", "chapters", "characters", "places",
              "span", "commit", "stages", "stale")


@app.command("import")
def import_script(
    file: Path = typer.Argument(..., help="A screenplay (Fountain, Final Draft .fdx, text PDF) or a story in prose "
                                          "(.txt, .md, .docx, .epub, text PDF)."),
    project: Optional[str] = ProjectOpt,
    encoding: Optional[str] = typer.Option(None, "--encoding", help="The file's text encoding, if not UTF-8."),
    as_: Optional[str] = typer.Option(None, "--as", help="prose or screenplay: how to read a text whose content "
                                                         "should not decide."),
    as_json: bool = JsonOpt,
) -> None:
    """Bring in a screenplay (the brief from its title page, the script and the breakdown) or a story in prose
    (kept as the project's source, its characters, places and events found, for `auteur run` to adapt)."""
    from studio.errors import AuteurError, NotAScreenplay, ProjectNotFound
    from studio.uploads import check_name, kind_of
    from ui.cli.engine import choose, session_on

    if not file.exists():
        raise AuteurError(f"{file} does not exist", "check the path to the file")
    if file.is_dir():
        raise AuteurError(f"{file} is a folder, not a screenplay or a story", "name the file itself")
    if as_ not in (None, "prose", "screenplay"):
        raise AuteurError(f"--as {as_} is not a way Auteur reads a file", "say --as prose or --as screenplay")
    if kind_of(file.name) not in ("screenplay", "story"):  # the upload policy of every face
        raise NotAScreenplay(f"{file.name}: Auteur reads screenplays (Fountain, Final Draft .fdx, PDF) and stories "
                             "(.txt, .md, .docx, .epub, PDF)",
                             "export it from your writing app in one of those formats "
                             "(a Fountain file without an extension: name it .fountain)")
    check_name(file.name, file.stat().st_size)
    session = session_on(project, open_project=False)
    try:
        session.store = session.workspace.open(project)
    except ProjectNotFound:
        if project is not None or session.workspace.slugs():
            raise
        # No project at all yet: the engine makes one named after the screenplay or the story.
    events = []
    for event in session.bring(file.name, file.read_bytes(), encoding=encoding, as_=as_):  # type: ignore[arg-type]
        if event.kind == "progress" and not as_json:
            show_reading(event.text)
        events.append(event)
    story = next((e.data for e in events if e.data.get("kind") == "prose"), None)
    result = story or next(e.data for e in events if "scenes" in e.data)
    choose(session, result["slug"])
    if as_json:
        print_json({key: result[key] for key in (STORY_KEYS if story else IMPORT_KEYS)})
        return
    from rich.markup import escape

    if story:
        text = next(e.text for e in events if e.data is story)
        say("Screenwriter", escape(text) + stale_note(result["stale"]))
        console().print(f"Adapt it with `auteur run -p {result['slug']} --until script`.")
        return
    chars = ", ".join(result["characters"][:8]) or "no speaking characters"
    say("Producer", f"Imported {escape(file.name)} into [bold]{result['slug']}[/]: {result['scenes']} scenes, "
                    f"{result['pages']:.1f} pages, about {result['seconds'] / 60:.1f} minutes. "
                    f"Speaking: {escape(chars)}.{stale_note(result['stale'])}")
    console().print("See the scenes with `auteur scenes`, then `auteur approve script`.")


def show_reading(text: str) -> None:
    """A story's reading progress on stderr, when stderr is a terminal."""
    import sys

    if sys.stderr.isatty():
        print(text, file=sys.stderr, flush=True)


@app.command()
def scenes(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """List the scenes of the breakdown: heading, speakers, length in eighths, time."""
    from ui.cli.engine import command, data_of

    rows = data_of(command(project, "/scenes"), "scenes")
    if as_json:
        print_json(rows)
    else:
        print_scenes(rows)


@app.command()
def show(stage: str = typer.Argument(..., help="A stage name, e.g. brief or script."),
         project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Print a stage's artifact (the script as Fountain)."""
    from studio.errors import StageError
    from studio.stages import Stage

    st = parse_stage(stage)
    store = open_store(project)
    artifact = store.read(st)
    if artifact is None:
        raise StageError(f"the {st.value} stage of {store.slug} is empty", f"the {st.lead} drafts it first")
    if st is Stage.SCRIPT and not as_json:
        typer.echo(artifact.fountain, nl=False)
        return
    print_json(artifact.model_dump(mode="json"))


@app.command()
def approve(stage: str = typer.Argument(..., help="The stage to approve, e.g. script."),
            project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt,
            yes: bool = typer.Option(False, "--yes", "-y",
                                     help="Approve boards or clips even when some are out of date.")) -> None:
    """Approve a stage: its current version is committed as approved. Boards or clips out of date are named, and
    approved only with --yes."""
    from studio.errors import AuteurError
    from studio.stages import Stage
    from ui.cli.engine import command, data_with

    st = parse_stage(stage)
    events = command(project, f"/approve {st.value}" + (" anyway" if yes else ""))
    if not any("unapproved_upstream" in e.data for e in events):
        asked = next((e for e in events if e.kind == "question"), None)
        if asked is not None:
            console().print(asked.text)
            raise AuteurError(f"the {st.value} are not approved: some are out of date",
                              f"render them again (auteur render {st.value} stale), or run `auteur approve "
                              f"{st.value} --yes` to approve them as they are")
    done = data_with(events, "unapproved_upstream")
    if as_json:
        print_json({key: done[key] for key in ("stage", "status", "commit", "unapproved_upstream", "next")})
        return
    say("Producer", f"{st.value.capitalize()} approved.")
    pending = done["unapproved_upstream"]
    if pending:
        console().print(f"Note: {', '.join(pending)} {'is' if len(pending) == 1 else 'are'} not approved yet.")
    if done["next"]:
        nxt = Stage(done["next"])
        console().print(f"Next: [bold]{nxt.value}[/] (led by the {nxt.lead}).")
