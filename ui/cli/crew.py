"""The crew: chat with it, run it through the stages, and read the shot list it made."""

from __future__ import annotations

from typing import Optional

import typer

from ui.cli.app import JsonOpt, ModelOpt, ProjectOpt, app, parse_stage, setup_logging
from ui.cli.output import console, print_event, print_json


def tiny_model_notice(model: str | None, settings) -> None:
    """On a tiny profile: what was found on this machine and how to switch to it, or how to connect a model."""
    from agents.llm.discover import discover, offer
    from agents.llm.profiles import get_profile

    profile = get_profile(model, settings)
    if profile.tiny:
        typer.echo(f"note: the model profile {profile.name} is tiny: its prose stays plain but every stage stays "
                   f"valid. {offer(discover(settings), command='auteur model')}", err=True)


@app.command()
def chat(project: Optional[str] = ProjectOpt, model: Optional[str] = ModelOpt,
         yes: bool = typer.Option(False, "--yes", help="Approve every stage as soon as it is drafted.")) -> None:
    """Talk with the crew: ideas, notes, 'next', 'approve', and /commands (type /help)."""
    from config.container import Container
    from studio.engine.events import Turn

    setup_logging()
    container = Container()
    tiny_model_notice(model, container.settings)
    session = container.session(project=project, model=model, auto_approve=yes)
    from agents.llm.discover import ModelChoice

    if isinstance(session.models, ModelChoice):
        session.models.trusted = True  # the operator is at the keyboard: /model switches
    for event in session.greet():
        print_event(event)
    while True:
        try:
            text = input("you> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            break
        if text.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            break
        for event in session.handle(Turn(text=text)):
            print_event(event)


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
    from studio.stages import CREATIVE

    last = parse_stage(until)
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
    setup_logging()
    container = Container()
    if not as_json:
        tiny_model_notice(model, container.settings)
    session = container.session(project=project, model=model, auto_approve=yes)
    events = session.run_until(last, idea=idea, minutes=minutes)
    problems = []
    for event in events:
        if event.kind == "error":
            problems.append(event)  # reported once, below, with its fix
        elif not as_json:
            print_event(event)
    if session.store is None:  # it failed before a project was made
        failure = problems[-1] if problems else None
        raise AuteurError(failure.data.get("error", failure.text) if failure else "no project was made",
                          failure.data.get("fix", "") if failure else "")
    store = session.require_project()
    manifest = store.manifest()
    if as_json:
        print_json({"slug": store.slug, "path": str(store.path), "stages": manifest.statuses(),
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
    from ui.cli.engine import command, data_of, session_on

    session = session_on(project)
    try:
        rows = data_of(command(project, f"/shots {scene or ''}", session=session), "shots")
    except StageError as exc:
        if "no shot list" not in exc.problem:
            raise
        slug = session.require_project().slug
        raise StageError(f"{slug} has no shot list yet", f"draft it with `auteur run -p {slug} --until shots`") from None
    if as_json:
        print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table()
    for col in ("shot", "size", "angle", "move", "lens", "sec", "action", "dialogue"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["code"], r["size"], r["angle"], r["movement"], f"{r['lens_mm']}mm", f"{r['duration_s']:g}",
                      escape(r["action"][:60]), escape(r["dialogue"][:50]))
    console().print(table)
