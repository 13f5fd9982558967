"""A shot's inspector (its design, its frame and video prompts, its takes side by side) and the shot list as a
table a person can edit."""

from __future__ import annotations

from typing import Any

from studio.media import Take, TakeKind
from studio.models import Angle, Movement, Prompts, Shot, ShotPrompt, ShotSize
from studio.ports import ProjectPort
from studio.stages import Stage
from studio.views import View
from studio.views.common import clip, project_path, scene_filter, shot_line, shot_list, shot_row
from studio.errors import StageError

FIELDS = ["size", "angle", "move", "lens", "duration", "action"]  # the columns a person edits in the table


def find_shot(store: ProjectPort, scene: int, number: int) -> Shot:
    shots = shot_list(store).shots
    found = next((s for s in shots if (s.scene, s.number) == (scene, number)), None)
    if found is None:
        codes = [s.code for s in shots if s.scene == scene]
        where = f"scene {scene} has {', '.join(codes[:8])}" if codes else \
            f"the scenes with shots are {', '.join(str(n) for n in sorted({s.scene for s in shots}))}"
        raise StageError(f"there is no shot S{scene:02d}_SH{number:03d}", f"{where} (see /shotlist)")
    return found


def prompt_of(store: ProjectPort, scene: int, number: int) -> ShotPrompt | None:
    prompts = store.read(Stage.PROMPTS)
    if not isinstance(prompts, Prompts):
        return None
    return next((p for p in prompts.prompts if (p.scene, p.number) == (scene, number)), None)


def take_card(take: Take) -> dict[str, Any]:
    """One take as the inspector shows it, beside the others: a board's image or a clip's video."""
    kind = "board" if take.kind is TakeKind.IMAGE else "clip"
    media = "image" if take.kind is TakeKind.IMAGE else "video"
    return {"number": take.number, "kind": kind, media: project_path(take.path), "active": take.active,
            "created": take.created, "model": take.model, "seed": take.seed}


def shot_view(store: ProjectPort, scene: int, number: int) -> View:
    """The prompt inspector of one shot: what it is, the prompts its renders use (the person's own when they wrote
    one), and every take."""
    shot = find_shot(store, scene, number)
    prompt = prompt_of(store, scene, number)
    frame = (prompt.frame_override or prompt.frame_prompt) if prompt else ""
    video = (prompt.video_override or prompt.video_prompt) if prompt else ""
    takes = store.takes(scene, number)
    props = {**shot_row(shot), "number": shot.number, "characters": list(shot.characters),
             "frame_prompt": frame, "video_prompt": video,
             "prompt_edited": {"frame": bool(prompt and prompt.frame_override),
                               "video": bool(prompt and prompt.video_override)},
             "takes": [take_card(t) for t in takes]}
    return View(props, shot_text(props), "Cinematographer", "shots")


def shot_text(props: dict[str, Any]) -> str:
    lines = [f"{props['code']} (scene {props['scene']}, shot {props['number']}): {props['size']}, {props['angle']}, "
             f"{props['move']}, {props['lens']} mm, {props['duration']:g} s"]
    if props["characters"]:
        lines.append("With: " + ", ".join(props["characters"]))
    lines.append(f"Action: {props['action'] or '(none)'}")
    if props["dialogue"]:
        lines.append(f"Dialogue: {props['dialogue']}")
    for key, name in (("frame", "Frame prompt"), ("video", "Video prompt")):
        whose = " (yours)" if props["prompt_edited"][key] else ""
        lines.append(f"{name}{whose}: {props[key + '_prompt'] or '(not assembled yet: the prompts stage makes it)'}")
    if not props["takes"]:
        lines.append("No takes yet: /render boards " + props["code"] + " draws one.")
    for take in props["takes"]:
        mark = "▶" if take["active"] else " "
        seed = f", seed {take['seed']}" if take["seed"] is not None else ""
        lines.append(f"{mark} {take['kind']} take {take['number']} — {take['model'] or 'unknown model'}{seed}")
    return "\n".join(lines)


def shotlist_view(store: ProjectPort, scene: int | None) -> View:
    """The shot list as a table: a row per shot, the fields a person may edit and the values each can take."""
    shots = scene_filter(shot_list(store).shots, scene)
    props = {"title": store.manifest().title, "fields": list(FIELDS),
             "choices": {"size": [s.value for s in ShotSize], "angle": [a.value for a in Angle],
                         "move": [m.value for m in Movement]},
             "rows": [shot_row(s) for s in shots]}
    return View(props, shotlist_text(props), "Cinematographer", "shots")


def shotlist_text(props: dict[str, Any]) -> str:
    """The table in fixed columns, the action cut to fit a line."""
    rows = props["rows"]
    total = sum(r["duration"] for r in rows)
    lines = [f"{props['title']} — shot list: {len(rows)} shots, {total:g} s",
             f"{'shot':10} {'size':4} {'angle':17} {'move':9} {'lens':>5} {'dur':>5}  action"]
    for r in rows:
        lines.append(f"{r['code']:10} {r['size']:4} {r['angle']:17} {r['move']:9} {r['lens']:>5} "
                     f"{r['duration']:>5g}  {clip(r['action'], 70)}")
    return "\n".join(lines)


__all__ = ["FIELDS", "find_shot", "prompt_of", "shot_line", "shot_text", "shot_view", "shotlist_text",
           "shotlist_view", "take_card"]
