"""The command registry, shared by every face: /status in Chainlit, /auteur status in
Slack, and the same words in `auteur chat`."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from studio import rendering
from studio.errors import AuteurError, StageError
from studio.models import ShotList, Structure
from studio.stages import Stage

if TYPE_CHECKING:
    from studio.session import Event, Session

Handler = Callable[["Session", str], Iterator["Event"]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    help: str
    handler: Handler


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}

    def command(self, name: str, usage: str, help: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.commands[name] = Command(name, usage, help, fn)
            return fn

        return register

    def dispatch(self, session: Session, line: str) -> Iterator[Event]:
        head, _, rest = line.strip().lstrip("/").partition(" ")
        name = head.lower()
        if name not in self.commands:
            close = [c for c in self.commands if c.startswith(name[:2])] if name else []
            hint = f" Did you mean /{close[0]}?" if close else ""
            raise AuteurError(f"there is no command /{name}", f"type /help for the list.{hint}".strip())
        return self.commands[name].handler(session, rest.strip())


REGISTRY = Registry()


def _ev():
    from studio.session import Event, say

    return Event, say


@REGISTRY.command("help", "/help", "what you can say and do")
def _help(session: Session, args: str):
    Event, say = _ev()
    lines = [f"{c.usage} — {c.help}" for c in REGISTRY.commands.values()]
    lines.append("Or just talk: 'next', 'approve', 'use variant 2', 'redo shot 3 as a low angle', "
                 "or notes for the stage in front of you.")
    yield say("\n".join(lines), data={"commands": list(REGISTRY.commands)})


@REGISTRY.command("new", "/new TITLE", "start a new film project")
def _new(session: Session, args: str):
    Event, say = _ev()
    if not args:
        raise StageError("/new needs a title", 'e.g. /new "Night Shift"')
    session.store = session.workspace.create(args.strip('"'))
    session.focus = None
    yield say(f"New project {session.store.manifest().title} ({session.store.slug}). Tell me the idea, "
              "or upload a screenplay.", data={"slug": session.store.slug})


@REGISTRY.command("open", "/open SLUG", "open an existing project")
def _open(session: Session, args: str):
    Event, say = _ev()
    if not args:
        slugs = session.workspace.slugs()
        yield say("Your projects: " + (", ".join(slugs) if slugs else "none yet"), data={"projects": slugs})
        return
    session.store = session.workspace.open(args)
    session.focus = None
    yield say(f"Opened {session.store.manifest().title}.", data={"slug": session.store.slug})
    yield from session.propose()


@REGISTRY.command("status", "/status", "where every stage stands, and the model work so far")
def _status(session: Session, args: str):
    Event, say = _ev()
    store = session.require_project()
    m = store.manifest()
    lines = [f"{k + 1:>2}. {s.value:<10} {m.status(s).value}" for k, s in enumerate(Stage)]
    usage = m.llm_total()
    lines.append(f"Model work: {usage.calls} calls, {usage.tokens} tokens, {usage.seconds:.1f} s.")
    yield say("\n".join(lines), data={"slug": m.slug, "stages": m.statuses(),
                                     "llm": usage.model_dump()})
    yield from session.propose()


@REGISTRY.command("next", "/next", "the crew drafts the next stage")
def _next(session: Session, args: str):
    yield from session.next()


@REGISTRY.command("approve", "/approve [STAGE]", "approve the stage in front of you (or the one named)")
def _approve(session: Session, args: str):
    yield from session.approve(Stage.parse(args) if args else None)


@REGISTRY.command("revise", "/revise [STAGE:] NOTES", "send notes to the agent that leads the stage")
def _revise(session: Session, args: str):
    stage = None
    head, _, rest = args.partition(" ")
    if head.endswith(":"):
        # '/revise look: warmer palette' names the stage; an unknown name is an error, not a note.
        stage, args = Stage.parse(head.rstrip(":")), rest
    yield from session.revise(args, stage)


@REGISTRY.command("variants", "/variants", "show the treatment variants")
def _variants(session: Session, args: str):
    Event, say = _ev()
    treatment = session.require_project().read(Stage.TREATMENT)
    count = len(treatment.variants) if treatment is not None else 0
    yield Event("question" if count > 1 else "message", session.describe(Stage.TREATMENT), author="Screenwriter",
                stage="treatment", options=[f"Use variant {k}" for k in range(1, count + 1)] if count > 1 else [])


@REGISTRY.command("pick", "/pick N", "choose treatment variant N")
def _pick(session: Session, args: str):
    if not args.strip().isdigit():
        raise StageError("/pick needs a variant number", "e.g. /pick 2")
    yield from session.pick(int(args))


@REGISTRY.command("structure", "/structure NAME", "redo the beats on three-act, save-the-cat, heros-journey "
                                                 "or story-circle")
def _structure(session: Session, args: str):
    try:
        structure = Structure(args.strip().lower())
    except ValueError:
        raise StageError(f"{args!r} is not a structure",
                         "use one of: " + ", ".join(s.value for s in Structure)) from None
    yield from session.draft(Stage.BEATS, structure=structure)


@REGISTRY.command("scenes", "/scenes", "the scenes of the breakdown")
def _scenes(session: Session, args: str):
    Event, say = _ev()
    bd = session.require_project().breakdown()
    lines = [f"{s.scene_number}. {s.heading} — {', '.join(s.characters) or 'no dialogue'} "
             f"({s.page_length} pg, {s.seconds:.0f}s)" for s in bd.scenes]
    yield say("\n".join(lines), data={"scenes": [s.model_dump(mode="json") for s in bd.scenes]})


@REGISTRY.command("shots", "/shots [SCENE]", "the shot list, or one scene's shots")
def _shots(session: Session, args: str):
    Event, say = _ev()
    shots = session.require_project().read(Stage.SHOTS)
    if not isinstance(shots, ShotList):
        raise StageError("there is no shot list yet", "say 'next' until the Cinematographer drafts the shots")
    chosen = shots.shots
    if args.strip():
        if not args.strip().isdigit():
            raise StageError(f"{args!r} is not a scene number", "e.g. /shots 2")
        session.scene_focus = int(args)
        chosen = [s for s in shots.shots if s.scene == int(args)]
    lines = [f"{s.code} {s.size.value} {s.angle.value} {s.movement.value} {s.lens_mm}mm {s.duration_s:g}s — "
             f"{s.action[:70]}" for s in chosen]
    yield say("\n".join(lines) or "No shots in that scene.", author="Cinematographer", stage="shots",
              data={"shots": [s.model_dump(mode="json") for s in chosen]})


@REGISTRY.command("prompt", "/prompt SHOT [video:] [TEXT | reset]",
                  "a shot's frame and video prompt; with TEXT, your own words replace it (kept on regeneration)")
def _prompt(session: Session, args: str):
    from studio.prompts import effective

    Event, say = _ev()
    store = session.require_project()
    prompts = store.read(Stage.PROMPTS)
    if prompts is None:
        raise StageError("there are no prompts yet", "say 'next' until the prompts stage is drafted")
    which, _, text = (args or "1").partition(" ")
    scene, number = session._parse_shot(which)
    p = next((p for p in prompts.prompts if p.scene == scene and p.number == number), None)
    if p is None:
        raise StageError(f"there is no prompt for shot {which}", "see /shots for the shot numbers")
    text = text.strip()
    if text:
        field = "frame_override"
        if text.lower().startswith("video:"):
            field, text = "video_override", text[len("video:"):].strip()
        value = None if text.lower() == "reset" else text[:2000]
        setattr(p, field, value)
        kind = "video" if field == "video_override" else "frame"
        change = store.save(Stage.PROMPTS, prompts, author=store.user(),
                            summary=f"{'reset' if value is None else 'override'} {kind} prompt of "
                                    f"{p.scene:02d}.{p.number:03d}", action="edit")
        yield say(f"The {kind} prompt of shot {scene}.{number} is now "
                  f"{'assembled again' if value is None else 'yours'}; it is kept when prompts are rebuilt.",
                  author="Cinematographer", data={"commit": change.commit})
    frame, video = effective(p)
    yield say(f"Frame: {frame}\nVideo: {video}\nNegative: {p.negative_prompt}", author="Cinematographer",
              data=p.model_dump(mode="json"))


@REGISTRY.command("branch", "/branch [new NAME | switch NAME | list]", "story branches")
def _branch(session: Session, args: str):
    Event, say = _ev()
    store = session.require_project()
    parts = shlex.split(args) if args else ["list"]
    action = parts[0].lower()
    if action == "list":
        git = store.git  # type: ignore[attr-defined]
        yield say("Branches: " + ", ".join(f"*{b}" if b == git.branch else b for b in git.branches()))
    elif action in ("new", "switch") and len(parts) == 2:
        if action == "new":
            store.create_branch(parts[1])
        else:
            store.switch_branch(parts[1])
        session.focus = None
        yield say(f"Now on branch {parts[1]}.")
        yield from session.propose()
    else:
        raise StageError(f"/branch {args} is not something I can do", "use /branch new NAME, /branch switch NAME "
                                                                      "or /branch list")


@REGISTRY.command("history", "/history [STAGE]", "what changed, who changed it")
def _history(session: Session, args: str):
    Event, say = _ev()
    stage = Stage.parse(args) if args else None
    entries = session.require_project().history(stage, limit=15)
    lines = [f"{e.short} {e.time[:16].replace('T', ' ')} {e.author}: {e.message.splitlines()[0]}" for e in entries]
    yield say("\n".join(lines) or "No history yet.",
              data={"history": [{"commit": e.commit, "author": e.author, "message": e.message.splitlines()[0],
                                 "time": e.time} for e in entries]})


@REGISTRY.command("restore", "/restore STAGE REV", "bring a stage back as it was (as a new version)")
def _restore(session: Session, args: str):
    Event, say = _ev()
    parts = args.split()
    if len(parts) != 2:
        raise StageError("/restore needs a stage and a revision", "e.g. /restore script 3f2a1c9 (see /history)")
    stage = Stage.parse(parts[0])
    change = session.require_project().restore(stage, parts[1])
    if change.commit is None:
        yield say(f"The {stage.value} is already as it was at {parts[1]}: nothing changed.")
        return
    yield say(f"The {stage.value} is back as it was at {parts[1]}, as a draft to approve again.",
              data={"commit": change.commit})
    if change.made_stale:
        yield say(session._stale_text(stage, change.made_stale))


@REGISTRY.command("recall", "/recall QUESTION", "what we said and decided, found by meaning, with sources")
def _recall(session: Session, args: str):
    Event, say = _ev()
    if not args.strip():
        raise StageError("/recall needs a question", "e.g. /recall what did we decide about the photograph?")
    memory = session.memory
    if memory is None:
        raise StageError("memory is off for this project", "see the notice above; the studio works without it")
    hits = memory.recall(args)
    lines = [f"{k}. [{h.kind} {h.key}, {h.source}@{h.commit[:7]}] {h.text[:220]}" for k, h in enumerate(hits, 1)]
    yield say("\n".join(lines) or "Nothing found.", data={"hits": [h.to_dict() for h in hits]})


@REGISTRY.command("export", "/export KIND", "fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, otio, "
                                           "edl, fcpxml, mp4 or archive, into 06_Exports/")
def _export(session: Session, args: str):
    Event, say = _ev()
    if session.exporter is None:
        raise StageError("exports are not available in this studio", "use `auteur export KIND` in a terminal")
    if not args.strip():
        raise StageError("/export needs a kind", "e.g. /export fdx (see /help)")
    path = session.exporter(session.require_project(), args.strip().lower())
    yield Event("artifact", f"Exported {args.strip().lower()}: {path.name}", stage="export",
                data={"path": str(path), "kind": args.strip().lower()})


# The render commands live with the rest of rendering in the conversation (studio/rendering.py).
REGISTRY.command("render", "/render boards|clips|cut [scene N] [TIER]",
                 "render boards or clips (shows the estimate first), or assemble the cut")(rendering.render_command)
REGISTRY.command("takes", "/takes SHOT", "the takes of a shot, and which one is used")(rendering.list_takes)
REGISTRY.command("take", "/take SHOT N", "use take N of a shot (in the storyboard and the cut)")(rendering.pick_take)
REGISTRY.command("reference", "/reference NAME",
                 "the Art Director renders a reference image of a character")(rendering.render_reference)
REGISTRY.command("jobs", "/jobs", "render jobs of this project and where they stand")(rendering.list_jobs)
REGISTRY.command("cancel", "/cancel JOB", "cancel a queued or running render job")(rendering.cancel_job)
