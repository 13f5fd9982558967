"""`auteur`: the studio in a terminal.

Every project command takes ``-p/--project SLUG`` (default: the project used
last) and read commands take ``--json``. Only typer is imported at start; the
store, Git and the film model load when a command runs, so ``--help`` is fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from memory.project_store import ProjectStore
    from memory.workspace import Workspace


class _Group(TyperGroup):
    """Turns an AuteurError anywhere below into a two-line message and exit code 1."""

    def invoke(self, ctx):  # type: ignore[override]
        from studio.errors import AuteurError

        try:
            return super().invoke(ctx)
        except AuteurError as exc:
            _fail(exc.problem, exc.fix, exc.exit_code)


app = typer.Typer(
    cls=_Group,
    name="auteur",
    help="Auteur: a film crew in your terminal. From an idea or a screenplay to shots, boards and a cut.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
branch_app = typer.Typer(cls=_Group, help="Story branches: try another version without losing this one.",
                         no_args_is_help=True)
app.add_typer(branch_app, name="branch")

ProjectOpt = typer.Option(None, "-p", "--project", help="Project slug (default: the project used last).")
JsonOpt = typer.Option(False, "--json", help="Print JSON instead of a table.")


# ------------------------------------------------------------------ helpers


def _fail(problem: str, fix: str = "", code: int = 1) -> None:
    from rich.console import Console

    from rich.markup import escape

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"[bold red]Error:[/] {escape(problem)}")
    if fix:
        err.print(f"[bold]Fix:[/] {escape(fix)}")
    raise typer.Exit(code)


def _setup_logging() -> None:
    root = logging.getLogger("auteur")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
        root.propagate = False


def _workspace() -> Workspace:
    from config.container import Container

    _setup_logging()
    return Container().workspace


def _store(project: str | None) -> ProjectStore:
    return _workspace().open(project)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _stage(name: str):
    from studio.stages import Stage

    return Stage.parse(name)


def _say(speaker: str, text: str) -> None:
    """The Producer's line; ``text`` may hold our own [bold] markup, never a person's or model's raw text."""
    _console().print(f"[bold cyan]{speaker}:[/] {text}")


def _stale_note(change) -> str:
    stale = change.made_stale
    if not stale:
        return ""
    names = ", ".join(s.value for s in stale)
    return f" Because it had been approved, {names} {'is' if len(stale) == 1 else 'are'} now stale and would be redone."


def _status_rows(store: ProjectStore) -> dict:
    from studio.stages import Stage, next_stage

    manifest = store.manifest()
    brief = store.read(Stage.BRIEF)
    nxt = next_stage(manifest.stages, imported=bool(brief and brief.imported_from))
    return {
        "slug": manifest.slug,
        "title": manifest.title,
        "path": str(store.path),
        "branch": store.git.branch,
        "stages": manifest.statuses(),
        "next": nxt.value if nxt else None,
        "llm": manifest.llm_total().model_dump(),
        "llm_by_stage": {k: v.model_dump() for k, v in manifest.llm.items()},
        "details": {
            stage.value: {"status": st.status.value, "lead": stage.lead, "updated": st.updated,
                          "approved_commit": st.approved_commit, "stale_because": st.stale_because}
            for stage, st in manifest.stages.items()
        },
    }


_STATUS_STYLE = {"empty": "dim", "draft": "yellow", "approved": "green", "stale": "red"}


def _print_status(data: dict) -> None:
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
    console = _console()
    console.print(table)
    llm = data["llm"]
    if llm["calls"]:
        console.print(f"Model work: {llm['calls']} calls, {llm['tokens']} tokens, {llm['seconds']:.1f} s")
    if data["next"]:
        console.print(f"Next: [bold]{data['next']}[/]")


def _print_scenes(scenes: list[dict]) -> None:
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
    _console().print(table)
    total = sum(s["seconds"] for s in scenes)
    eighths = sum(s["eighths"] for s in scenes)
    _console().print(f"{len(scenes)} scenes, {format_eighths(eighths)} pages, about {total / 60:.1f} minutes")


def _history_rows(store: ProjectStore, stage_name: str | None, limit: int | None) -> list[dict]:
    from memory.project_store import stages_of

    stage = _stage(stage_name) if stage_name else None
    rows = []
    for e in store.history(stage, limit=limit):
        rows.append({
            "commit": e.commit,
            "short": e.short,
            "stage": e.trailers.get("Auteur-Stage", ""),
            "stages": stages_of(e),
            "action": e.trailers.get("Auteur-Action", ""),
            "author": e.author,
            "email": e.email,
            "message": e.message.splitlines()[0] if e.message else "",
            "time": e.time,
        })
    return rows


# ------------------------------------------------------------------ projects


@app.command()
def new(
    title: str = typer.Argument(..., help='The film\'s title, e.g. "Night Shift".'),
    slug: Optional[str] = typer.Option(None, "--slug", help="Folder name (default: made from the title)."),
    as_json: bool = JsonOpt,
) -> None:
    """Make a new film project (a folder with its own Git history)."""
    store = _workspace().create(title, slug=slug)
    if as_json:
        _print_json({"slug": store.slug, "path": str(store.path)})
        return
    _say("Producer", f"New project [bold]{title}[/] in {store.path}.")
    _console().print(f"Bring a screenplay with `auteur import FILE -p {store.slug}`, or see `auteur status`.")


@app.command("list")
def list_projects(as_json: bool = JsonOpt) -> None:
    """List the projects in the workspace."""
    from memory.project_store import ProjectStore

    ws = _workspace()
    rows = []
    for slug in ws.slugs():
        try:
            store = ProjectStore(ws.root / slug, ws.settings)
            m = store.manifest()
            rows.append({"slug": slug, "title": m.title, "path": str(store.path), "branch": store.git.branch,
                         "stages": m.statuses()})
        except Exception as exc:  # one broken project must not hide the others
            rows.append({"slug": slug, "title": "", "path": str(ws.root / slug), "error": str(exc)})
    if as_json:
        _print_json(rows)
        return
    if not rows:
        _console().print(f'No projects in {ws.root} yet. Start one with `auteur new "TITLE"`.')
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
    _console().print(table)


@app.command()
def status(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Show the twelve stages and where the project stands."""
    data = _status_rows(_store(project))
    if as_json:
        _print_json(data)
    else:
        _print_status(data)


@app.command("import")
def import_script(
    file: Path = typer.Argument(..., help="A screenplay: Fountain (.fountain), Final Draft (.fdx) or text PDF."),
    project: Optional[str] = ProjectOpt,
    encoding: Optional[str] = typer.Option(None, "--encoding", help="The file's text encoding, if not UTF-8."),
    as_json: bool = JsonOpt,
) -> None:
    """Bring in a screenplay: fills the brief from its title page, the script and the breakdown."""
    from studio.errors import AuteurError, ProjectNotFound

    if not file.exists():
        raise AuteurError(f"{file} does not exist", "check the path to the screenplay")
    if file.is_dir():
        raise AuteurError(f"{file} is a folder, not a screenplay", "name the .fountain file itself")
    from tools.imports import to_fountain

    data = to_fountain(file.name, file.read_bytes())
    ws = _workspace()
    created = False
    try:
        store = ws.open(project)
    except ProjectNotFound:
        if project is not None or ws.slugs():
            raise
        # No project at all yet: make one named after the screenplay.
        from studio.screenplay import read_fountain

        from studio.errors import InvalidName

        imported = read_fountain(file.name, data, encoding=encoding, fallback_title=file.stem)
        names = [imported.brief.title, file.stem.replace("_", " ").title(), "Imported Screenplay"]
        for name in filter(None, names):
            try:
                store = ws.create(name)
                break
            except InvalidName:
                continue  # a title that cannot name a folder ('AC/DC', '東京物語'): try the next
        created = True
    change, imported = store.import_script(file.name, data, encoding=encoding)
    manifest = store.manifest()
    result = {
        "slug": store.slug,
        "path": str(store.path),
        "created": created,
        "title": imported.brief.title,
        "scenes": len(imported.breakdown.scenes),
        "pages": imported.script.pages,
        "seconds": imported.breakdown.total_seconds,
        "encoding": imported.encoding,
        "commit": change.commit,
        "stages": manifest.statuses(),
        "stale": [s.value for s in change.made_stale],
    }
    if as_json:
        _print_json(result)
        return
    chars = ", ".join(imported.breakdown.characters[:8]) or "no speaking characters"
    _say("Producer", f"Imported {file.name} into [bold]{store.slug}[/]: {result['scenes']} scenes, "
                     f"{imported.script.pages:.1f} pages, about {result['seconds'] / 60:.1f} minutes. "
                     f"Speaking: {chars}.{_stale_note(change)}")
    _console().print(f"See the scenes with `auteur scenes`, then `auteur approve script`.")


@app.command()
def scenes(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """List the scenes of the breakdown: heading, speakers, length in eighths, time."""
    store = _store(project)
    rows = [s.model_dump(mode="json") for s in store.breakdown().scenes]
    if as_json:
        _print_json(rows)
    else:
        _print_scenes(rows)


@app.command()
def show(stage: str = typer.Argument(..., help="A stage name, e.g. brief or script."),
         project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Print a stage's artifact (the script as Fountain)."""
    from studio.errors import StageError
    from studio.stages import Stage

    st = _stage(stage)
    store = _store(project)
    artifact = store.read(st)
    if artifact is None:
        raise StageError(f"the {st.value} stage of {store.slug} is empty", f"the {st.lead} drafts it first")
    if st is Stage.SCRIPT and not as_json:
        typer.echo(artifact.fountain, nl=False)
        return
    _print_json(artifact.model_dump(mode="json"))


@app.command()
def approve(stage: str = typer.Argument(..., help="The stage to approve, e.g. script."),
            project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Approve a stage: its current version is committed as approved."""
    from studio.stages import next_stage

    st = _stage(stage)
    store = _store(project)
    change, pending = store.approve(st)
    nxt = next_stage(change.project.stages)
    if as_json:
        _print_json({"stage": st.value, "status": "approved", "commit": change.commit,
                     "unapproved_upstream": [s.value for s in pending], "next": nxt.value if nxt else None})
        return
    _say("Producer", f"{st.value.capitalize()} approved.")
    if pending:
        _console().print(f"Note: {', '.join(s.value for s in pending)} {'is' if len(pending) == 1 else 'are'} "
                         "not approved yet.")
    if nxt:
        _console().print(f"Next: [bold]{nxt.value}[/] (led by the {nxt.lead}).")


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

    st = _stage(stage)
    store = _store(project)
    if file is None:
        data, name = _edit_in_editor(store, st), f"{st.value} (edited)"
    elif str(file) == "-":
        data, name = sys.stdin.buffer.read(), "stdin"
    elif not file.is_file():
        raise AuteurError(f"{file} does not exist or is not a file", "check the path")
    else:
        data, name = file.read_bytes(), file.name
    change = store.edit(st, data, name=name, encoding=encoding)
    if as_json:
        _print_json({"stage": st.value, "status": change.project.status(st).value, "commit": change.commit,
                     "stale": [s.value for s in change.made_stale], "stages": change.project.statuses()})
        return
    if change.commit is None:
        _say("Producer", f"{name} is the same as the current {st.value}; nothing changed.")
        return
    _say("Producer", f"The {st.value} is updated from {name} and is a draft again.{_stale_note(change)}")


def _edit_in_editor(store: ProjectStore, stage) -> bytes:
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
    store = _store(project)
    rows = _history_rows(store, stage, limit)
    if as_json:
        _print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{store.slug} on {store.git.branch}")
    for col in ("commit", "time", "author", "stage", "message"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["short"], r["time"].replace("T", " ")[:16], escape(r["author"]), r["stage"],
                      escape(r["message"]))
    _console().print(table)


@app.command()
def restore(stage: str = typer.Argument(..., help="The stage to bring back."),
            rev: str = typer.Argument(..., help="A commit from `auteur history` (a prefix is enough)."),
            project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Bring a stage back to an earlier version, as a new commit (history is never rewritten)."""
    st = _stage(stage)
    store = _store(project)
    change = store.restore(st, rev)
    if as_json:
        _print_json({"stage": st.value, "status": change.project.status(st).value, "commit": change.commit,
                     "stale": [s.value for s in change.made_stale]})
        return
    if change.commit is None:
        _say("Producer", f"The {st.value} is already as it was at {rev}; nothing changed.")
        return
    _say("Producer", f"The {st.value} is back as it was at {rev}, as a draft to approve again."
                     f"{_stale_note(change)}")


@app.command()
def takes(shot: str = typer.Argument(..., help="The shot, e.g. S01_SH003 or 1.3."),
          project: Optional[str] = ProjectOpt,
          add: Optional[Path] = typer.Option(None, "--add", help="Bring an image or video file in as a new take."),
          choose: Optional[int] = typer.Option(None, "--choose", min=1, help="Make take N the active one."),
          kind: Optional[str] = typer.Option(None, "--kind", help="image or video (when choosing)."),
          as_json: bool = JsonOpt) -> None:
    """List the takes of a shot; add one from a file or choose the active one."""
    from memory.takes import Takes, parse_shot
    from studio.errors import AuteurError
    from studio.models import TakeKind

    scene, number = parse_shot(shot)
    store = _store(project)
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
        t.add(scene, number, add.read_bytes(), add.suffix, author=store.user(), activate=True, source=add.name)
    if choose is not None:
        t.choose(scene, number, choose, author=store.user(), kind=take_kind)
    rows = [tk.model_dump(mode="json") for tk in t.list(scene, number, take_kind)]
    if as_json:
        _print_json(rows)
        return
    if not rows:
        _console().print(f"No takes of {shot} yet.")
        return
    from rich.table import Table

    table = Table()
    for col in ("take", "kind", "active", "path", "seed", "model"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["number"]), r["kind"], "★" if r["active"] else "", r["path"],
                      "" if r["seed"] is None else str(r["seed"]), r["model"])
    _console().print(table)


# ------------------------------------------------------------------ branches


@branch_app.command("new")
def branch_new(name: str = typer.Argument(..., help="Name of the new story branch, e.g. alt-ending."),
               project: Optional[str] = ProjectOpt,
               no_switch: bool = typer.Option(False, "--no-switch", help="Stay on the current branch."),
               as_json: bool = JsonOpt) -> None:
    """Start a story branch from where you are now, and switch to it."""
    store = _store(project)
    origin = store.git.branch
    store.create_branch(name, switch=not no_switch)
    if as_json:
        _print_json({"branch": name, "from": origin, "current": store.git.branch})
        return
    _say("Producer", f"Branch [bold]{name}[/] starts from {origin}. "
                     + ("You are on it now." if not no_switch else f"You are still on {origin}."))


@branch_app.command("switch")
def branch_switch(name: str = typer.Argument(...), project: Optional[str] = ProjectOpt,
                  as_json: bool = JsonOpt) -> None:
    """Switch to another story branch."""
    store = _store(project)
    store.switch_branch(name)
    if as_json:
        _print_json({"current": store.git.branch})
        return
    _say("Producer", f"Now on branch [bold]{name}[/].")


@branch_app.command("list")
def branch_list(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """List the story branches."""
    store = _store(project)
    current = store.git.branch
    rows = []
    for name in store.git.branches():
        head = store.git.log(rev=name, max_count=1)[0]
        rows.append({"name": name, "current": name == current, "commit": head.commit,
                     "message": head.message.splitlines()[0], "time": head.time})
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        mark = "*" if r["current"] else " "
        _console().print(f"{mark} [bold]{r['name']}[/]  {r['commit'][:10]}  {r['message']}")


@branch_app.command("diff")
def branch_diff(a: str = typer.Argument(..., help="A branch."),
                b: Optional[str] = typer.Argument(None, help="Another branch (default: the current one)."),
                project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Compare two branches stage by stage."""
    store = _store(project)
    other = b or store.git.branch
    rows = store.compare_branches(a, other)
    if as_json:
        _print_json({"a": a, "b": other, "stages": rows})
        return
    from rich.table import Table

    table = Table(title=f"{a} vs {other}")
    for col in ("stage", a, other, "differs"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["stage"], r["a"], r["b"], "yes: " + ", ".join(r["files"]) if r["differs"] else "")
    _console().print(table)


# ------------------------------------------------------------------ the crew

ModelOpt = typer.Option(None, "--model", "-m", help="Model profile (default: AUTEUR_MODEL, else the embedded "
                                                     "llamacpp/smollm2-135m). See config/models.yaml.")


def _print_event(event) -> None:
    from rich.markup import escape

    console = _console()
    colour = {"Producer": "cyan", "Screenwriter": "magenta", "Art Director": "yellow",
              "Cinematographer": "green"}.get(event.author, "white")
    text = escape(event.text)  # what people and models write is text, never markup
    if event.kind == "error":
        console.print(f"[bold red]Problem:[/] {text}")
    elif event.kind == "progress":
        if event.data.get("state") == "running":
            console.print(f"[dim]… {text}[/]")
    else:
        console.print(f"[bold {colour}]{escape(event.author)}:[/] {text}")
        if event.options:
            console.print("[dim]   (" + " · ".join(escape(o) for o in event.options) + ")[/]")


def _tiny_model_notice(model: str | None) -> None:
    from agents.llm.profiles import get_profile

    profile = get_profile(model)
    if profile.tiny:
        typer.echo(f"note: the model profile {profile.name} is tiny: its prose is placeholder-weak but every "
                   "stage stays valid. Connect a real model with AUTEUR_MODEL (see config/models.yaml).", err=True)


@app.command()
def chat(project: Optional[str] = ProjectOpt, model: Optional[str] = ModelOpt,
         yes: bool = typer.Option(False, "--yes", help="Approve every stage as soon as it is drafted.")) -> None:
    """Talk with the crew: ideas, notes, 'next', 'approve', and /commands (type /help)."""
    from config.container import Container
    from studio.session import Turn

    _setup_logging()
    _tiny_model_notice(model)
    session = Container().session(project=project, model=model, auto_approve=yes)
    for event in session.greet():
        _print_event(event)
    while True:
        try:
            text = input("you> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if text.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            break
        for event in session.handle(Turn(text=text)):
            _print_event(event)


@app.command()
def run(idea: Optional[str] = typer.Option(None, "--idea", help="The film idea, in a sentence."),
        until: str = typer.Option("prompts", "--until", help="The last stage to draft (and approve with --yes)."),
        yes: bool = typer.Option(False, "--yes", help="Approve each stage as it is drafted."),
        minutes: Optional[float] = typer.Option(None, "--minutes", min=0.1, max=300,
                                                help="Target running time of a new film (default 5)."),
        project: Optional[str] = ProjectOpt, model: Optional[str] = ModelOpt, as_json: bool = JsonOpt) -> None:
    """Drive the crew through the stages without questions: from an idea, or on with a project (-p)."""
    from config.container import Container
    from studio.errors import AuteurError
    from studio.pipeline import CREATIVE

    last = _stage(until)
    if last not in CREATIVE:
        raise AuteurError(f"`auteur run` drafts the crew's stages, up to prompts; {last.value} is made by the "
                          "render tools", "use --until prompts (or an earlier stage)")
    if idea is not None and not idea.strip():
        raise AuteurError("the idea is empty", 'say it in a sentence: --idea "A night-shift waitress …"')
    if idea is None and project is None:
        raise AuteurError("nothing to start from", 'give --idea "…" for a new project, or -p SLUG to go on with one')
    if idea is not None and project is not None:
        raise AuteurError("--idea starts a new project, and -p names an existing one",
                          "give one of them: --idea for a new film, -p SLUG to go on with that project")
    _setup_logging()
    if not as_json:
        _tiny_model_notice(model)
    session = Container().session(project=project, model=model, auto_approve=yes)
    events = session.run_until(last, idea=idea, minutes=minutes)
    problems = []
    for event in events:
        if event.kind == "error":
            problems.append(event)  # reported once, below, with its fix
        elif not as_json:
            _print_event(event)
    if session.store is None:  # it failed before a project was made
        last = problems[-1] if problems else None
        raise AuteurError(last.data.get("error", last.text) if last else "no project was made",
                          last.data.get("fix", "") if last else "")
    store = session.require_project()
    manifest = store.manifest()
    if as_json:
        _print_json({"slug": store.slug, "path": str(store.path), "stages": manifest.statuses(),
                     "llm": manifest.llm_total().model_dump(),
                     "llm_by_stage": {k: v.model_dump() for k, v in manifest.llm.items()}})
    if problems:
        raise AuteurError(problems[-1].data.get("error", problems[-1].text), problems[-1].data.get("fix", ""))


@app.command()
def shots(project: Optional[str] = ProjectOpt,
          scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's shots."),
          as_json: bool = JsonOpt) -> None:
    """The shot list: size, angle, movement, lens, duration, action, dialogue, and prompts once drafted."""
    from studio.errors import StageError
    from studio.prompts import effective
    from studio.stages import Stage

    store = _store(project)
    shot_list = store.read(Stage.SHOTS)
    if shot_list is None:
        raise StageError(f"{store.slug} has no shot list yet",
                         f"draft it with `auteur run -p {store.slug} --until shots`")
    prompts = store.read(Stage.PROMPTS)
    by_shot = {(p.scene, p.number): p for p in (prompts.prompts if prompts else [])}
    rows = []
    for s in shot_list.shots:
        if scene and s.scene != scene:
            continue
        row = s.model_dump(mode="json")
        row["code"] = s.code
        p = by_shot.get((s.scene, s.number))
        row["frame_prompt"], row["video_prompt"] = effective(p) if p else (None, None)
        rows.append(row)
    if as_json:
        _print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    for col in ("shot", "size", "angle", "move", "lens", "sec", "action", "dialogue"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["code"], r["size"], r["angle"], r["movement"], f"{r['lens_mm']}mm", f"{r['duration_s']:g}",
                      escape(r["action"][:60]), escape(r["dialogue"][:50]))
    _console().print(table)


# ------------------------------------------------------------------ renders

render_app = typer.Typer(cls=_Group, help="Renders: storyboard boards, clips and the cut (jobs, takes, estimates).",
                         no_args_is_help=True)
app.add_typer(render_app, name="render")
TierOpt = typer.Option(None, "--tier", help="Quality tier: sketch, draft, standard, cinematic "
                                           "(config/quality.yaml; default: the project's).")
YesOpt = typer.Option(False, "--yes", "-y", help="Render without asking to confirm the estimate.")


def _render_batch(kind_name: str, project: str | None, scene: int | None, tier: str | None, yes: bool,
                  as_json: bool) -> None:
    from config.container import Container
    from memory.takes import Takes
    from studio.render import RenderKind

    kind = RenderKind(kind_name)
    store = _store(project)
    service = Container().render_service()
    plan = service.plan(store, kind, scene=scene, tier=tier)
    speaker = "Cinematographer"
    if not as_json:
        for notice in plan.notices:
            _say("Producer", notice)
        _say("Producer", f"Estimate: {plan.estimate.text}.")
        if plan.missing_boards and kind is RenderKind.CLIP:
            _say("Producer", f"{len(plan.missing_boards)} shots have no board yet; I'll draw those first.")
    else:
        for notice in plan.notices:
            typer.echo(f"note: {notice}", err=True)
    if not yes and not as_json and sys.stdin.isatty():
        if not typer.confirm("Render?", default=True):
            _say("Producer", "Nothing rendered.")
            raise typer.Exit(0)
    last: dict[str, float] = {}

    def show(event) -> None:
        if as_json or not sys.stderr.isatty():
            return
        if event.status.finished or event.progress - last.get(event.id, -1) >= 0.25:
            last[event.id] = event.progress
            typer.echo(f"  {event.label}: {event.status.value} {event.progress:.0%} {event.message}", err=True)

    batch = service.run(store, kind, scene=scene, tier=tier, on_event=show, prepared=plan)
    takes = Takes(store)
    made = []
    for state in batch.states:
        if state.status.value == "done" and state.spec.scene and state.spec.shot:
            made += [t for t in takes.list(state.spec.scene, state.spec.shot) if t.path == state.take]
    failed = batch.failed
    if as_json:
        _print_json([t.model_dump(mode="json") for t in made])
    else:
        what = "boards" if kind is RenderKind.BOARD else "clips"
        _say(speaker, f"{len(made)} {what} rendered into 03_Renders/ (see `auteur takes SHOT`).")
    if failed:
        first = failed[0]
        _fail(f"{len(failed)} of {len(batch.boards_first) + len(batch.states)} render jobs did not finish: "
              f"{first.spec.label}: {first.error or first.status.value}",
              "fix what the message says and render again; finished takes are kept")


@render_app.command("boards")
def render_boards_cmd(project: Optional[str] = ProjectOpt,
                      scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's shots."),
                      tier: Optional[str] = TierOpt, yes: bool = YesOpt, as_json: bool = JsonOpt) -> None:
    """A storyboard board for every shot (generated on a GPU, else drawn on the CPU); each is a new take."""
    _render_batch("board", project, scene, tier, yes, as_json)


@render_app.command("clips")
def render_clips_cmd(project: Optional[str] = ProjectOpt,
                     scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's shots."),
                     tier: Optional[str] = TierOpt, yes: bool = YesOpt, as_json: bool = JsonOpt) -> None:
    """A clip for every shot from its board (generated video on a GPU, else the animatic's camera move)."""
    _render_batch("clip", project, scene, tier, yes, as_json)


@render_app.command("cut")
def render_cut_cmd(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Assemble the cut: every shot's active clip (or board), in order, shot codes burnt in, as an MP4."""
    from config.container import Container

    store = _store(project)
    cut = Container().render_service().cut(store)
    path = store.path / cut.path
    if as_json:
        _print_json({"path": str(path), "duration_s": cut.duration_s, "fps": cut.fps, "shots": len(cut.entries),
                     "width": cut.width, "height": cut.height})
        return
    _say("Producer", f"The cut is ready: {len(cut.entries)} shots, {cut.duration_s:g} s at {cut.fps:g} fps: {path}")


@render_app.command("jobs")
def render_jobs_cmd(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Render jobs of the project: queued, running, done, failed or cancelled."""
    from config.container import Container

    store = _store(project)
    states = Container().render_service().runner.jobs(store.slug)
    if as_json:
        _print_json([s.model_dump(mode="json") for s in states])
        return
    for s in states:
        typer.echo(f"{s.id}  {s.spec.label:24} {s.status.value:9} {s.progress:4.0%}  {s.take or s.error or s.message}")
    if not states:
        typer.echo("No render jobs yet.")


@render_app.command("cancel")
def render_cancel_cmd(job: str = typer.Argument(..., help="The job id (see `auteur render jobs`).")) -> None:
    """Cancel a queued or running render job; nothing half-made is kept."""
    from config.container import Container

    state = Container().render_service().runner.cancel(job)
    if state is None:
        _fail(f"there is no render job {job}", "see `auteur render jobs` for the ids")
    typer.echo(f"{job}: {state.status.value}")


# ------------------------------------------------------------------ exports


@app.command("export")
def export_cmd(kind: str = typer.Argument(..., help="fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, "
                                                     "otio, edl, fcpxml, mp4 or archive"),
               project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Write a file a film team can open into the project's 06_Exports/."""
    from tools.exports import export

    store = _store(project)
    path = export(store, kind.lower())
    if as_json:
        _print_json({"path": str(path), "kind": kind.lower()})
        return
    _say("Producer", f"Exported {kind.lower()}: {path}")


@app.command("restore-archive")
def restore_archive_cmd(file: Path = typer.Argument(..., help="A zip made by `auteur export archive`."),
                        slug: Optional[str] = typer.Option(None, "--slug", help="Name of the new project."),
                        as_json: bool = JsonOpt) -> None:
    """Bring a project archive back as a new project, with its whole history and media."""
    from memory.archive import restore_archive

    ws = _workspace()
    path = restore_archive(ws.root, file, slug=slug)
    ws.remember(path.name)
    if as_json:
        _print_json({"slug": path.name, "path": str(path)})
        return
    _say("Producer", f"Restored {file.name} as [bold]{path.name}[/] with its whole history.")


# ------------------------------------------------------------------ memory

memory_app = typer.Typer(cls=_Group, help="Semantic memory: the index of what was written, said and decided.",
                         no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@app.command()
def recall(question: str = typer.Argument(..., help='A question in words, e.g. "who is in the photograph?"'),
           project: Optional[str] = ProjectOpt,
           limit: int = typer.Option(5, "--limit", "-n", min=1, max=50, help="How many answers."),
           kind: Optional[str] = typer.Option(None, "--kind", help="Only this kind: scene, character, decision, …"),
           as_json: bool = JsonOpt) -> None:
    """Find what answers a question in this project and branch, best first, with sources."""
    from config.container import Container

    from rich.markup import escape

    store = _store(project)
    hits = Container().memory(store).recall(question, limit=limit, kinds=[kind] if kind else None)
    rows = [h.to_dict() for h in hits]
    if as_json:
        _print_json(rows)
        return
    for k, h in enumerate(rows, start=1):
        _console().print(f"[bold]{k}.[/] [cyan]{escape(h['kind'])} {escape(h['key'])}[/] ({h['score']:.2f}, "
                         f"{escape(h['source'])} @ {h['commit'][:7]})\n   {escape(h['text'][:300])}")


@memory_app.command("reindex")
def memory_reindex(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Rebuild the project's points on this branch from its repository."""
    from config.container import Container

    store = _store(project)
    counts = Container().memory(store).reindex()
    if as_json:
        _print_json({"slug": store.slug, "branch": store.git.branch, **counts})
        return
    _say("Producer", f"Memory of {store.slug} on {store.git.branch} rebuilt: {counts['total']} chunks.")


@memory_app.command("status")
def memory_status(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """How many chunks are indexed, and whether the index is up to date (it catches up)."""
    from config.container import Container

    store = _store(project)
    mem = Container().memory(store)
    counts = mem.sync()
    data = {"slug": store.slug, "branch": store.git.branch, "collection": mem.memory.collection, **counts}
    if as_json:
        _print_json(data)
        return
    _console().print(f"{data['total']} chunks in {data['collection']} for {store.slug} on {data['branch']} "
                     f"({data['embedded']} embedded now, {data['removed']} removed)")


# ------------------------------------------------------------------ demo


def _sample_bytes() -> bytes:
    from importlib import resources

    return resources.files("studio").joinpath("samples/night_shift.fountain").read_bytes()


@app.command()
def sample(out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write to this file instead of stdout.")) -> None:
    """Print the bundled sample screenplay 'Night Shift' (Fountain), to try `auteur import` with."""
    from memory.atomic import create_exclusive
    from studio.errors import AuteurError

    data = _sample_bytes()
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
    ws = _workspace()
    data = _sample_bytes()
    slug, n = "night-shift-demo", 1
    while (ws.root / slug).exists():
        n += 1
        slug = f"night-shift-demo-{n}"
    store = ws.create("Night Shift (demo)", slug=slug)
    change, imported = store.import_script("night_shift.fountain", data)
    if as_json:
        _print_json({"slug": store.slug, "path": str(store.path),
                     "scenes": [s.model_dump(mode="json") for s in imported.breakdown.scenes]})
        return
    _say("Producer", f"Welcome to Auteur. I made the project [bold]{store.slug}[/] from the sample screenplay "
                     f"'Night Shift' and broke it down:")
    _print_scenes([s.model_dump(mode="json") for s in imported.breakdown.scenes])
    _print_status(_status_rows(store))
    _console().print(f"\nTry: `auteur show script -p {slug}`, `auteur approve script -p {slug}`, "
                     f"`auteur branch new alt-ending -p {slug}`, `auteur history -p {slug}`.\n"
                     f"The project is a Git repository: {store.path}")


# ------------------------------------------------------------------ servers: the studio, Slack, GPU workers


@app.command("ui")
def ui_cmd(port: int = typer.Option(8000, "--port", min=1, max=65535, help="The port to serve on."),
           host: str = typer.Option("127.0.0.1", "--host", help="The address to bind; 0.0.0.0 to share on a network."),
           model: Optional[str] = ModelOpt,
           open_browser: bool = typer.Option(False, "--open", help="Open the studio in your browser.")) -> None:
    """Serve the studio in the browser (Chainlit): the Producer greets you at http://HOST:PORT."""
    from config.settings import Settings
    from ui.studio_server import serve

    serve(Settings.from_env(), port=port, host=host, model=model, open_browser=open_browser)


@app.command("slack")
def slack_cmd(port: int = typer.Option(3000, "--port", min=1, max=65535, help="HTTP port for Slack's events."),
              host: str = typer.Option("127.0.0.1", "--host", help="The address to bind."),
              socket_mode: bool = typer.Option(False, "--socket", help="Use Socket Mode (SLACK_APP_TOKEN) instead of HTTP."),
              model: Optional[str] = ModelOpt) -> None:
    """Answer in Slack: `/auteur COMMAND` and @mentions, through the same engine as the studio."""
    from config.settings import Settings
    from ui.slack_app import serve

    serve(Settings.from_env(), port=port, host=host, socket_mode=socket_mode, model=model)


@app.command("worker")
def worker_cmd(gpu: Optional[str] = typer.Option(None, "--gpu", help="The CUDA device this worker owns, e.g. 0. "
                                                                    "Start one worker per GPU."),
               queues: str = typer.Option("renders", "--queues", "-Q", help="Comma-separated queues to take jobs from."),
               loglevel: str = typer.Option("info", "--loglevel")) -> None:
    """Start a render worker on Celery (Redis at AUTEUR_REDIS_URL): one process, one job at a time."""
    from config.settings import Settings
    from tools.jobs.celery_app import run_worker

    run_worker(Settings.from_env(), gpu=gpu, queues=[q.strip() for q in queues.split(",") if q.strip()],
               loglevel=loglevel)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
