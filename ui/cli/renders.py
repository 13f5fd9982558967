"""`auteur render`: boards, clips, the sound and the cut; render jobs and cancelling them."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from ui.cli.app import JsonOpt, ProjectOpt, sub_app
from ui.cli.output import fail, print_json, say

render_app = sub_app("render", "Renders: storyboard boards, clips, the sound and the cut (jobs, takes, estimates).")
TierOpt = typer.Option(None, "--tier", help="Quality tier: sketch, draft, standard, cinematic "
                                           "(config/quality.yaml; default: the project's).")
YesOpt = typer.Option(False, "--yes", "-y", help="Render without asking to confirm the estimate (needed with --json "
                                                  "and when not on a terminal).")


def render_batch(kind_name: str, project: str | None, scene: int | None, tier: str | None, yes: bool,
                 as_json: bool) -> None:
    """The chat's /render through the render gate: the estimate, a question on a terminal (unless --yes),
    the render with its progress, and the takes made."""
    from rich.markup import escape

    from studio.shot_codes import parse_shot
    from ui.cli.engine import session_on

    what = "boards" if kind_name == "board" else "clips"
    session = session_on(project)
    store = session.require_project()
    line = f"/render {what}" + (f" scene {scene}" if scene else "") + (f" tier {tier}" if tier else "")
    asked: dict = {}
    for event in session.command(line):
        if event.data.get("notice"):
            if as_json:
                typer.echo(f"note: {event.text}", err=True)
            else:
                say("Producer", escape(event.text))
        elif event.kind == "question":
            asked = {"estimate": event.data.get("estimate"), "jobs": event.data.get("jobs"),
                     "text": event.text.removesuffix(" Render?")}
            if not as_json:
                say("Producer", escape(asked["text"]))
    if not yes:  # the budget gate: a yes on a terminal, else --yes; JSON and scripts never render on their own
        if as_json or not sys.stdin.isatty():
            if as_json:
                print_json({"rendered": False, **asked})
            fail(f"nothing rendered: the render waits for a yes ({asked.get('text', 'no estimate')})",
                 f"add --yes to render it: `auteur render {what} -p {store.slug}"
                 + (f" --scene {scene}" if scene else "") + (f" --tier {tier}" if tier else "") + " --yes`")
        if not typer.confirm("Render?", default=True):
            say("Producer", "Nothing rendered.")
            raise typer.Exit(0)
    last: dict[str, float] = {}
    media = "image" if kind_name == "board" else "video"
    made, summary = [], {}
    for event in session.confirm_render(fresh=True):  # what runs is what the estimate showed
        if event.kind == "progress" and "job" in event.data:
            show_progress(event.data, last, quiet=as_json)
        elif event.kind == "artifact" and event.data.get("media") == media:
            scene_no, shot_no = parse_shot(event.data["shot"])
            made += [t for t in store.takes(scene_no, shot_no) if store.locate(t.path) == event.data["path"]]
        elif event.kind == "question":
            summary = event.data
    if as_json:
        print_json([t.model_dump(mode="json") for t in made])
    else:
        say("Cinematographer", f"{len(made)} {what} rendered into 03_Renders/ (see `auteur takes SHOT`).")
    failed = summary.get("failed") or []
    if failed:
        fail(f"{len(failed)} of {summary['jobs']} render jobs did not finish: {failed[0]['label']}: "
             f"{failed[0]['error']}", "fix what the message says and render again; finished takes are kept")


def show_progress(job: dict, last: dict[str, float], *, quiet: bool) -> None:
    """A job's progress on stderr, every quarter, when stderr is a terminal."""
    if quiet or not sys.stderr.isatty():
        return
    if job["status"] in ("done", "failed", "cancelled") or job["progress"] - last.get(job["job"], -1) >= 0.25:
        last[job["job"]] = job["progress"]
        message = job.get("message") or ""
        typer.echo(f"  {job['label']}: {job['status']} {job['progress']:.0%} {message}", err=True)


@render_app.command("boards")
def render_boards_cmd(project: Optional[str] = ProjectOpt,
                      scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's shots."),
                      tier: Optional[str] = TierOpt, yes: bool = YesOpt, as_json: bool = JsonOpt) -> None:
    """A storyboard board for every shot (generated on a GPU, else drawn on the CPU); each is a new take."""
    render_batch("board", project, scene, tier, yes, as_json)


@render_app.command("clips")
def render_clips_cmd(project: Optional[str] = ProjectOpt,
                     scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's shots."),
                     tier: Optional[str] = TierOpt, yes: bool = YesOpt, as_json: bool = JsonOpt) -> None:
    """A clip for every shot from its board (generated video on a GPU, else the animatic's camera move)."""
    render_batch("clip", project, scene, tier, yes, as_json)


@render_app.command("sound")
def render_sound_cmd(project: Optional[str] = ProjectOpt,
                     scene: Optional[int] = typer.Option(None, "--scene", min=1, help="Only this scene's sound."),
                     tier: Optional[str] = TierOpt,
                     yes: bool = typer.Option(True, "--yes", "-y", hidden=True,
                                              help="Accepted for symmetry: on the CPU sound costs seconds, so the "
                                                   "command is the request."),
                     as_json: bool = JsonOpt) -> None:
    """The sound as takes: every dialogue shot's lines in its characters' voices (cast first where missing), each
    scene's room tone, the effects the script names and the score; the shots refitted to their lines."""
    render_sound(project, scene, tier, as_json)


def render_sound(project: str | None, scene: int | None, tier: str | None, as_json: bool) -> None:
    """The chat's /render sound, told to go: the notices (voices cast, the temp score), progress, the takes made,
    the cast, and the shots refitted."""
    from rich.markup import escape

    from studio.models import Look
    from studio.stages import Stage
    from ui.cli.engine import session_on

    session = session_on(project)
    store = session.require_project()
    line = "/render sound" + (f" scene {scene}" if scene else "") + (f" tier {tier}" if tier else "") + " yes"
    notices: list[str] = []
    last: dict[str, float] = {}
    summary: dict = {}
    preview = None
    for event in session.command(line):
        if event.data.get("notice"):
            notices.append(event.text)
            if not as_json:
                say("Producer", escape(event.text))
        elif event.kind == "progress" and "job" in event.data:
            show_progress(event.data, last, quiet=as_json)
        elif event.kind == "artifact" and event.data.get("media") == "audio":
            preview = event.data["path"]
        elif "refit" in event.data and event.kind == "message" and not as_json:
            say("Producer", escape(event.text))
        elif event.kind == "question":
            summary = event.data
    renderer = session.require_renderer()
    made = [t for done in summary.get("takes", []) for t in renderer.sound_takes(store, done["key"])
            if t.path == done["path"]]
    look = store.read(Stage.LOOK)
    voices = [{"name": c.name, "voice": c.voice.model_dump(mode="json"), "text": c.voice.text}
              for c in (look.characters if isinstance(look, Look) else []) if c.voice is not None]
    if as_json:
        print_json({"takes": [t.model_dump(mode="json") for t in made], "voices": voices, "notices": notices,
                    "refit": summary.get("refit", []), "preview": preview})
    else:
        say("Producer", f"{len(made)} sound takes rendered into 03_Renders/Sound/"
                        + (f"; listen to the mix: {preview}" if preview else "") + ".")
    failed = summary.get("failed") or []
    if failed:
        fail(f"{len(failed)} of {summary['jobs']} sound jobs did not finish: {failed[0]['label']}: "
             f"{failed[0]['error']}", "fix what the message says and render again; finished takes are kept")


@render_app.command("cut")
def render_cut_cmd(project: Optional[str] = ProjectOpt,
                   yes: bool = typer.Option(True, "--yes", "-y", hidden=True,
                                            help="Accepted: the sound the cut lacks is rendered first, on the CPU."),
                   loudness: Optional[str] = typer.Option(
                       None, "--loudness", help="Master the mix to this target from now on: broadcast (-23 LUFS, "
                                                "EBU R128), streaming (-16, the default) or a number of LUFS."),
                   as_json: bool = JsonOpt) -> None:
    """Assemble the cut: every shot's active clip (or board), in order, shot codes burnt in, as an MP4 with the
    mixed sound (the sound it lacks is rendered first)."""
    from ui.cli.engine import command, data_with, session_on

    session = session_on(project)
    if loudness:
        command(None, f"/loudness {loudness}", session=session)
    cut = data_with(command(None, "/render cut", session=session), "duration_s")
    if as_json:
        print_json({key: cut.get(key) for key in ("path", "duration_s", "fps", "shots", "width", "height", "audio")})
        return
    audio = cut.get("audio")
    heard = (f", sound at {audio['integrated_lufs']:.1f} LUFS" + (" (TEMP score)" if audio.get("temp") else "")
             if audio else ", silent")
    say("Producer", f"The cut is ready: {cut['shots']} shots, {cut['duration_s']:g} s at {cut['fps']:g} fps"
                    f"{heard}: {cut['path']}")


@render_app.command("jobs")
def render_jobs_cmd(project: Optional[str] = ProjectOpt, as_json: bool = JsonOpt) -> None:
    """Render jobs of the project: queued, running, done, failed or cancelled."""
    from ui.cli.engine import command, data_of

    states = data_of(command(project, "/jobs"), "jobs")
    if as_json:
        print_json([{k: v for k, v in s.items() if k != "label"} for s in states])
        return
    for s in states:
        typer.echo(f"{s['id']}  {s['label']:24} {s['status']:9} {s['progress']:4.0%}  "
                   f"{s['take'] or s['error'] or s['message']}")
    if not states:
        typer.echo("No render jobs yet.")


@render_app.command("cancel")
def render_cancel_cmd(job: str = typer.Argument(..., help="The job id (see `auteur render jobs`).")) -> None:
    """Cancel a queued or running render job; nothing half-made is kept."""
    from config.container import Container

    state = Container().render_service().runner.cancel(job)
    if state is None:
        fail(f"there is no render job {job}", "see `auteur render jobs` for the ids")
    typer.echo(f"{job}: {state.status.value}")
