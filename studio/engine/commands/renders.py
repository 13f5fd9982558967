"""Render commands: /render (through the render gate; /render stale redoes only the boards and clips out of date;
/render sound speaks the lines and makes the room tone, effects and score), /takes, /take (sound takes too),
/reference, /jobs, /cancel, and the cut (with its mixed sound). /voice is in studio.engine.commands.sound."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.sound import (choose_sound, cue_takes, is_cue_key, sound_events, sound_takes,
                                          take_line)
from studio.engine.commands.sound import register as register_sound
from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import shot_staleness, take_label
from studio.engine.events import Event, say
from studio.engine.render_gate import KIND_WORDS, ask_render, parse_render_args, shot_words
from studio.errors import AuteurError, StageError
from studio.models import TakeKind
from studio.render import JobStatus, RenderKind
from studio.shot_codes import parse_shot, shot_code


def register(registry: Registry) -> None:
    registry.add("render", "/render boards|clips|sound|cut|stale [scene N | SHOT…] [TIER] [yes]",
                 "render boards, clips (of a scene, or of the shots named: each new take active) or the sound "
                 "(voices, room tone, effects, score; shows the estimate first), redo those out of date, or "
                 "assemble the cut with its mixed sound", render)
    registry.add("takes", "/takes SHOT|CUE", "the takes of a shot (boards, clips, its spoken lines) or of a sound cue "
                                             "(S01_AMB, S01_FX02, M01), and which one is used", takes, reads_only=True)
    registry.add("take", "/take SHOT|CUE [sound] N", "use take N of a shot (in the storyboard and the cut), or sound "
                                                     "take N of a cue or a shot's lines", take)
    register_sound(registry)  # voice
    registry.add("reference", "/reference NAME", "the Art Director renders a reference image of a character",
                 reference)
    registry.add("jobs", "/jobs", "render jobs of this project and where they stand", jobs, reads_only=True)
    registry.add("cancel", "/cancel JOB", "cancel a queued or running render job", cancel)


def render(conv: Conversation, args: str) -> Iterator[Event]:
    words = args.lower().split()
    if "stale" in words and any(KIND_WORDS.get(w) is RenderKind.SOUND for w in words):
        words.remove("stale")  # sound is planned by what is missing or out of date anyway
        args = " ".join(sorted(words, key=lambda w: KIND_WORDS.get(w) is not RenderKind.SOUND))
    elif "stale" in words:  # "/render stale", "/render boards stale scene 2", "/render stale clips"
        words.remove("stale")
        kinds = [KIND_WORDS[w] for w in words if w in KIND_WORDS]
        _, scene, tier, yes = parse_render_args(" ".join(["stale", *(w for w in words if w not in KIND_WORDS)]))
        yield from render_stale(conv, kinds[0] if kinds else None, scene=scene, tier=tier, confirm=not yes)
        return
    shots, args = shot_words(args)
    what, scene, tier, yes = parse_render_args(args)
    if what in ("cut", "animatic-cut"):
        yield from cut(conv)
        return
    if shots:
        yield from render_shots(conv, what, shots, tier=tier, confirm=not yes)
        return
    if what not in KIND_WORDS:
        raise StageError(f"I can't render {what!r}", "say /render boards, /render clips, /render sound or /render cut "
                                                     "(add 'scene N' or a tier: sketch, draft, standard, cinematic)")
    yield from ask_render(conv, KIND_WORDS[what], scene=scene, tier=tier, confirm=not yes)


def render_shots(conv: Conversation, what: str, shots: list[tuple[int, int]], *, tier: str | None,
                 confirm: bool) -> Iterator[Event]:
    """/render boards S01_SH003 [S01_SH004…] [yes]: a new take of each shot named, active when made (as a render the
    person asks of a shot in chat), through the estimate gate unless 'yes' is said."""
    kind = KIND_WORDS.get(what)
    if kind not in (RenderKind.BOARD, RenderKind.CLIP):
        raise StageError(f"I can't render {what!r} for one shot", "say /render boards S01_SH003 or /render clips "
                                                                   "S01_SH003 (add 'yes' to skip the estimate)")
    from studio.views.shots import find_shot

    store = conv.require_project()
    for scene, number in shots:
        find_shot(store, scene, number)  # a shot that is not there is said so before any estimate
    yield from ask_render(conv, kind, tier=tier, shots=shots, confirm=confirm, activate=True)


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
    renderer = conv.require_renderer()
    try:  # what the cut will render first (as clips draw missing boards), said before the wait
        lacking = renderer.sound_plan(store, write=False) if hasattr(renderer, "sound_plan") else None
    except AuteurError:  # no shot list: the cut says so itself
        lacking = None
    first = f" First the sound it lacks: {lacking.estimate.text}." if lacking is not None and lacking.specs else ""
    yield Event("progress", f"The Producer is assembling the cut…{first}", author="Producer", stage="cut",
                data={"state": "running"})
    made = renderer.cut(store)
    yield Event("progress", "cut done", author="Producer", stage="cut", data={"state": "done"})
    audio = made.audio
    heard = ""
    if audio is not None:
        heard = f" Its sound: {audio.lines} line{'s' if audio.lines != 1 else ''}, mixed to " \
                f"{audio.integrated_lufs:.1f} LUFS, {audio.true_peak_dbtp:.1f} dBTP" + \
                (f" ({', '.join(audio.temp)}: TEMP)" if audio.temp else "") + "."
    yield Event("artifact", f"The cut: {len(made.entries)} shots, {made.duration_s:g} s at {made.fps:g} fps.{heard}",
                author="Producer", stage="cut",
                data={"path": store.locate(made.path), "media": "video", "duration_s": made.duration_s,
                      "fps": made.fps, "shots": len(made.entries), "width": made.width, "height": made.height,
                      "audio": audio.model_dump(mode="json") if audio is not None else None})
    yield Event("question", "Watch it, then approve the cut, or leave notes on it with /review.", author="Producer",
                stage="cut", options=["Approve cut"], data={"stage": "cut", "approval": "cut"})


def takes(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    if not args.strip():
        raise StageError("/takes needs a shot", "e.g. /takes S01_SH003 or /takes 1.3")
    if is_cue_key(args):
        yield from cue_takes(conv, store, args)
        return
    scene, shot = parse_shot(args.strip(), scene=conv.scene_focus)
    made = store.takes(scene, shot)
    code = shot_code(scene, shot)
    heard = sound_takes(conv, store, code)
    if not made and not heard:
        yield say(f"{code} has no takes yet. /render boards scene {scene} draws them.", author="Cinematographer",
                  data={"takes": []})
        return
    lines = [f"{'▶' if t.active else ' '} take {t.number} {t.kind.value} — {t.model}, seed {t.seed}: {t.prompt[:80]}"
             for t in made] + [take_line(t) for t in heard]
    options = [f"/take {code} {t.number}" for t in made if not t.active] + \
        [f"/take {code} sound {t.number}" for t in heard if not t.active]
    yield Event("question", f"Takes of {code}:\n" + "\n".join(lines), author="Cinematographer",
                stage="boards", options=options,
                data={"takes": [t.model_dump(mode="json") for t in made],
                      "sound_takes": [t.model_dump(mode="json") for t in heard]})
    for t in made:
        media = "image" if t.kind is TakeKind.IMAGE else "video"
        yield Event("artifact", f"{code} take {t.number}{take_label(t)}", author="Cinematographer",
                    stage="boards" if media == "image" else "clips",
                    data={"path": store.locate(t.path), "media": media, "shot": code, "take": t.number})
    yield from sound_events(store, code, heard)


def take(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    parts = args.split()
    heard = [p for p in parts if p.lower() in ("sound", "audio")]
    parts = [p for p in parts if p.lower() not in ("sound", "audio")]
    if len(parts) != 2 or not parts[1].isdigit():
        raise StageError("/take needs a shot and a take number", "e.g. /take S01_SH003 2, /take S01_SH003 sound 2 "
                                                                 "or /take S01_AMB 2")
    if heard or is_cue_key(parts[0]):
        key = parts[0] if is_cue_key(parts[0]) else shot_code(*parse_shot(parts[0], scene=conv.scene_focus))
        yield from choose_sound(conv, store, key, int(parts[1]))
        return
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
