"""The storyboard: every shot's active board in a grid by scene, with its design and its line of dialogue."""

from __future__ import annotations

from typing import Any

from studio.media import Take, TakeKind
from studio.models import Shot
from studio.ports import ProjectPort
from studio.views import View
from studio.views.common import clip, headings, project_path, scene_filter, shot_list


def board_view(store: ProjectPort, scene: int | None, stale: set[str]) -> View:
    """The board of the film (or of one scene). ``stale``: the codes whose active board is older than its shot or
    prompt (studio.engine.describe.shot_staleness), marked so a person sees what to redo."""
    shots = scene_filter(shot_list(store).shots, scene)
    heads = headings(store)
    scenes: list[dict[str, Any]] = []
    for shot in shots:
        if not scenes or scenes[-1]["number"] != shot.scene:
            scenes.append({"number": shot.scene, "heading": heads.get(shot.scene, ""), "shots": []})
        scenes[-1]["shots"].append(board_cell(shot, store.takes(shot.scene, shot.number), shot.code in stale))
    title = store.manifest().title
    props = {"title": title, "branch": store.branch, "scenes": scenes}
    return View(props, board_text(props), "Cinematographer", "boards")


def board_cell(shot: Shot, takes: list[Take], stale: bool) -> dict[str, Any]:
    """One shot of the grid: its design, its active board (None before one is drawn) and how many boards it has.

    Takes are numbered across boards and clips (boards 1, 3 and 5, clips 2 and 4), so "take 5 of 3" read as
    nonsense: ``board`` is the active board's place among the shot's boards ("board 3 of 3"); ``take`` stays the
    take's own number, the one `/take CODE N` names."""
    boards = sorted((t for t in takes if t.kind is TakeKind.IMAGE), key=lambda t: t.number)
    place, active = next(((n, t) for n, t in enumerate(boards, start=1) if t.active), (None, None))
    return {"code": shot.code, "size": shot.size.value, "angle": shot.angle.value, "move": shot.movement.value,
            "lens": shot.lens_mm, "duration": shot.duration_s, "dialogue": shot.dialogue, "action": shot.action,
            "image": project_path(active.path) if active else None, "take": active.number if active else None,
            "board": place, "takes": len(boards), "stale": stale and active is not None}


def board_text(props: dict[str, Any]) -> str:
    """The storyboard as a list a terminal or Slack prints: a scene's heading, then a line per shot."""
    shots = [s for scene in props["scenes"] for s in scene["shots"]]
    drawn = sum(1 for s in shots if s["image"])
    lines = [f"{props['title']} — storyboard, branch {props['branch']}: {drawn} of {len(shots)} shots drawn"]
    for scene in props["scenes"]:
        lines.append(f"Scene {scene['number']}: {scene['heading'] or '(no heading)'}")
        for s in scene["shots"]:
            board = f"board {s['board']} of {s['takes']} (take {s['take']})" if s["take"] else "no board yet"
            mark = " (out of date)" if s["stale"] else ""
            said = f" — {clip(s['dialogue'], 60)}" if s["dialogue"] else f" — {clip(s['action'], 60)}" \
                if s["action"] else ""
            lines.append(f"  {s['code']}  {s['size']}, {s['angle']}, {s['move']}, {s['lens']} mm, "
                         f"{s['duration']:g} s  [{board}{mark}]{said}")
    return "\n".join(lines)


__all__ = ["board_cell", "board_text", "board_view"]
