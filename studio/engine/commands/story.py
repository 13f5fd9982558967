"""Commands that read and tune the film's plan: /scenes, /shots, /prompt."""

from __future__ import annotations

from typing import Any, Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.models import Prompts, ShotList
from studio.prompts import effective
from studio.shot_codes import parse_shot
from studio.stages import Stage


def register(registry: Registry) -> None:
    registry.add("scenes", "/scenes", "the scenes of the breakdown", scenes, reads_only=True)
    registry.add("shots", "/shots [SCENE]", "the shot list, or one scene's shots", shots, reads_only=True)
    registry.add("prompt", "/prompt SHOT [video:] [TEXT | reset]",
                 "a shot's frame and video prompt; with TEXT, your own words replace it (kept on regeneration)",
                 prompt)


def scenes(conv: Conversation, args: str) -> Iterator[Event]:
    bd = conv.require_project().breakdown()
    lines = [f"{s.scene_number}. {s.heading} — {', '.join(s.characters) or 'no dialogue'} "
             f"({s.page_length} pg, {s.seconds:.0f}s)" for s in bd.scenes]
    yield say("\n".join(lines), data={"scenes": [s.model_dump(mode="json") for s in bd.scenes]})


def shots(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    shot_list = store.read(Stage.SHOTS)
    if not isinstance(shot_list, ShotList):
        raise StageError("there is no shot list yet", "say 'next' until the Cinematographer drafts the shots")
    chosen = shot_list.shots
    if args.strip():
        if not args.strip().isdigit():
            raise StageError(f"{args!r} is not a scene number", "e.g. /shots 2")
        conv.scene_focus = int(args)
        chosen = [s for s in shot_list.shots if s.scene == int(args)]
    prompts = store.read(Stage.PROMPTS)
    by_shot = {(p.scene, p.number): p for p in (prompts.prompts if isinstance(prompts, Prompts) else [])}
    rows: list[dict[str, Any]] = []
    for s in chosen:
        row = s.model_dump(mode="json")
        row["code"] = s.code
        p = by_shot.get((s.scene, s.number))
        row["frame_prompt"], row["video_prompt"] = effective(p) if p else (None, None)
        rows.append(row)
    lines = [f"{s.code} {s.size.value} {s.angle.value} {s.movement.value} {s.lens_mm}mm {s.duration_s:g}s — "
             f"{s.action[:70]}" for s in chosen]
    yield say("\n".join(lines) or "No shots in that scene.", author="Cinematographer", stage="shots",
              data={"shots": rows})


def prompt(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    prompts = store.read(Stage.PROMPTS)
    if prompts is None:
        raise StageError("there are no prompts yet", "say 'next' until the prompts stage is drafted")
    which, _, text = (args or "1").partition(" ")
    scene, number = parse_shot(which, scene=conv.scene_focus)
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
        # One shot's prompt: only that shot's board and clip go out of date, not the whole stage.
        change = store.amend({Stage.PROMPTS: prompts}, author=store.user(),
                             summary=f"{'reset' if value is None else 'override'} {kind} prompt of "
                                     f"{p.scene:02d}.{p.number:03d}", action="edit")
        yield say(f"The {kind} prompt of shot {scene}.{number} is now "
                  f"{'assembled again' if value is None else 'yours'}; it is kept when prompts are rebuilt.",
                  author="Cinematographer", data={"commit": change.commit})
    frame, video = effective(p)
    yield say(f"Frame: {frame}\nVideo: {video}\nNegative: {p.negative_prompt}", author="Cinematographer",
              data=p.model_dump(mode="json"))
