"""Render commands: /render (through the render gate; /render stale redoes only the boards and clips out of date),
/takes, /take, /reference, /jobs, /cancel, and the cut."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import shot_staleness
from studio.engine.events import Event, say
from studio.engine.render_gate import KIND_WORDS, ask_render, parse_render_args
from studio.errors import AuteurError, StageError
from studio.models import TakeKind
from studio.render import JobStatus, RenderKind
from studio.shot_codes import parse_shot, shot_code


def register(registry: Registry) -> None:
    registry.add("render", "/render boards|clips|cut|stale [scene N] [TIER]",
                 "render boards or clips (shows the estimate first), redo those out of date, or assemble the cut",
                 render)
    registry.add("takes", "/takes SHOT", "the takes of a shot, and which one is used", takes, reads_only=True)
    registry.add("take", "/take SHOT N", "use take N of a shot (in the storyboard and the cut)", take)
    registry.add("reference", "/reference NAME", "the Art Director renders a reference image of a character",
                 reference)
    registry.add("jobs", "/jobs", "render jobs of this project and where they stand", jobs, reads_only=True)
    registry.add("cancel", "/cancel JOB", "cancel a queued or running render job", cancel)


def render(conv: Conversation, args: str) -> Iterator[Event]:
    words = args.lower().split()
    if "stale" in words:  # "/render stale", "/render boards stale scene 2", "/render stale clips"
        words.remove("stale")
        kinds = [KIND_WORDS[w] for w in words if w in KIND_WORDS]
        _, scene, tier, yes = parse_render_args(" ".join(["stale", *(w for w in words if w not in KIND_WORDS)]))
        yield from render_stale(conv, kinds[0] if kinds else None, scene=scene, tier=tier, confirm=not yes)
        return
    what, scene, tier, yes = parse_render_args(args)
    if what in ("cut", "animatic-cut"):
        yield from cut(conv)
        return
    if what not in KIND_WORDS:
        raise StageError(f"I can't render {what!r}", "say /render boards, /render clips or /render cut "
                                                     "(add 'scene N' or a tier: sketch, draft, standard, cinematic)")
    yield from ask_render(conv, KIND_WORDS[what], scene=scene, tier=tier, confirm=not yes)


def render_stale(conv: Conversation, kind: RenderKind | None, *, scene: int | None = None, tier: str | None = None,
                 confirm: bool = True) -> Iterator[Event]:
    """Only the boards (or clips) out of date, shot by shot, through the estimate gate; ``kind`` None: the boards
    first when some are, else the clips."""
    store = conv.require_project()
    stale = shot_staleness(store)
    boards = [c for c in stale.boards if scene is None or stale.keys[c][0] == scene]
    clips = [c for c in stale.clips if scene is None or stale.keys[c][0] == scene]
    if kind is None:
        kind = RenderKind.BOARD if boards or not clips else RenderKind.CLIP
    codes = boards if kind is RenderKind.BOARD else clips
    what = "boards" if kind is RenderKind.BOARD else "clips"
    where = f" in scene {scene}" if scene is not None else ""
    if not codes:
        after = " The cut uses older takes: /render cut assembles it again." if stale.cut else ""
        other = (" Some clips are: /render clips stale." if kind is RenderKind.BOARD and clips else
                 " Some boards are: /render boards stale." if kind is RenderKind.CLIP and boards else "")
        yield say(f"No {what} are out of date{where}.{other}{after}", author="Producer",
                  stage=what, data={"stale": {"boards": boards, "clips": clips, "cut": stale.cut}})
        return
    shown = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
    then = f" Then /render clips stale redoes the {len(clips)} clips out of date." \
        if kind is RenderKind.BOARD and clips else ""
    yield say(f"{len(codes)} {what if len(codes) != 1 else what[:-1]} out of date{where}: {shown}.{then}",
              author="Producer", stage=what, data={"stale": {"boards": boards, "clips": clips, "cut": stale.cut},
                                                   "shots": codes})
    yield from ask_render(conv, kind, tier=tier, shots=stale.shots(codes), confirm=confirm)


def cut(conv: Conversation) -> Iterator[Event]:
    store = conv.require_project()
    yield Event("progress", "The Producer is assembling the cut…", author="Producer", stage="cut",
                data={"state": "running"})
    made = conv.require_renderer().cut(store)
    yield Event("progress", "cut done", author="Producer", stage="cut", data={"state": "done"})
    yield Event("artifact", f"The cut: {len(made.entries)} shots, {made.duration_s:g} s at {made.fps:g} fps.",
                author="Producer", stage="cut",
                data={"path": store.locate(made.path), "media": "video", "duration_s": made.duration_s,
                      "fps": made.fps, "shots": len(made.entries), "width": made.width, "height": made.height})


def takes(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    if not args.strip():
        raise StageError("/takes needs a shot", "e.g. /takes S01_SH003 or /takes 1.3")
    scene, shot = parse_shot(args.strip(), scene=conv.scene_focus)
    made = store.takes(scene, shot)
    code = shot_code(scene, shot)
    if not made:
        yield say(f"{code} has no takes yet. /render boards scene {scene} draws them.", author="Cinematographer",
                  data={"takes": []})
        return
    lines = [f"{'▶' if t.active else ' '} take {t.number} {t.kind.value} — {t.model}, seed {t.seed}: {t.prompt[:80]}"
             for t in made]
    yield Event("question", f"Takes of {code}:\n" + "\n".join(lines), author="Cinematographer",
                stage="boards", options=[f"/take {code} {t.number}" for t in made if not t.active],
                data={"takes": [t.model_dump(mode="json") for t in made]})
    for t in made:
        media = "image" if t.kind is TakeKind.IMAGE else "video"
        yield Event("artifact", f"{code} take {t.number}{' (active)' if t.active else ''}", author="Cinematographer",
                    stage="boards" if media == "image" else "clips",
                    data={"path": store.locate(t.path), "media": media, "shot": code, "take": t.number})


def take(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    parts = args.split()
    if len(parts) != 2 or not parts[1].isdigit():
        raise StageError("/take needs a shot and a take number", "e.g. /take S01_SH003 2")
    scene, shot = parse_shot(parts[0], scene=conv.scene_focus)
    chosen = store.choose_take(scene, shot, int(parts[1]))
    yield say(f"{shot_code(scene, shot)} now uses take {chosen.number} ({chosen.kind.value}).",
              author="Cinematographer", stage="boards" if chosen.kind is TakeKind.IMAGE else "clips",
              data={"path": store.locate(chosen.path), "take": chosen.number})


def reference(conv: Conversation, args: str) -> Iterator[Event]:
    if not args.strip():
        raise StageError("/reference needs a character or location", "e.g. /reference MARA")
    store = conv.require_project()
    yield Event("progress", f"The Art Director is drawing {args.strip().upper()}…", author="Art Director",
                stage="look", data={"state": "running"})
    state = conv.require_renderer().reference(store, args.strip(), tier=conv.quality_tier)
    yield Event("progress", "reference done", author="Art Director", stage="look", data={"state": "done"})
    if state.status is not JobStatus.DONE or not state.take:
        raise AuteurError(f"the reference image of {args.strip().upper()} did not finish: "
                          f"{state.error or state.status.value}", "try again, or upload an image of them")
    yield Event("artifact", f"Reference for {state.spec.subject}: {state.take.rsplit('/', 1)[-1]}",
                author="Art Director", stage="look",
                data={"path": store.locate(state.take), "media": "image", "job": state.id})


def jobs(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    states = conv.require_renderer().runner.jobs(store.slug)
    if not states:
        yield say("No render jobs yet.", author="Producer", data={"jobs": []})
        return
    lines = [f"{s.id[:10]} {s.spec.label:22} {s.status.value:9} {s.progress:4.0%} {s.take or s.error or ''}"
             for s in states[-30:]]
    yield say("\n".join(lines), author="Producer", data={"jobs": [{**s.model_dump(mode="json"), "label": s.spec.label}
                                                           for s in states]})


def cancel(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    runner = conv.require_renderer().runner
    wanted = args.strip()
    if not wanted:
        raise StageError("/cancel needs a job id", "see /jobs for the ids")
    match = [s for s in runner.jobs(store.slug) if s.id.startswith(wanted)]
    if not match:
        raise StageError(f"there is no render job {wanted}", "see /jobs for the ids")
    state = runner.cancel(match[0].id)
    yield say(f"{match[0].spec.label}: {state.status.value if state else 'gone'}.", author="Producer",
              data={"job": match[0].id, "status": state.status.value if state else None})
