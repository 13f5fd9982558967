"""What the views share: the shot list and the scenes as the project has them now, and media paths a page may
show (relative to the project folder, never outside it)."""

from __future__ import annotations

from typing import Any

from studio.errors import StageError
from studio.models import Breakdown, Look, Shot, ShotList
from studio.ports import ProjectPort
from studio.stages import Stage


def shot_list(store: ProjectPort) -> ShotList:
    """The shot list; a view of shots without one says how to make it."""
    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError("there is no shot list yet", "draft the shots first: say 'next' until the shots stage, "
                                                      "or /run shots")
    return shots


def breakdown(store: ProjectPort) -> Breakdown:
    found = store.read(Stage.BREAKDOWN)
    return found if isinstance(found, Breakdown) else Breakdown()


def look(store: ProjectPort) -> Look:
    found = store.read(Stage.LOOK)
    return found if isinstance(found, Look) else Look()


def headings(store: ProjectPort) -> dict[int, str]:
    """Scene number → its heading, from the breakdown."""
    return {s.number: s.heading for s in breakdown(store).scenes}


def project_path(rel: str | None) -> str | None:
    """A media path a page may ask for: relative to the project and inside it; anything else is left out (a
    path written by a model or restored from an old version is untrusted)."""
    if not rel:
        return None
    text = rel.replace("\\", "/")
    if text.startswith("/") or ":" in text.split("/", 1)[0] or ".." in text.split("/"):
        return None
    return text


def scene_filter(shots: list[Shot], scene: int | None) -> list[Shot]:
    """The shots of one scene (all when ``scene`` is None); a scene with no shots is an error with the scenes
    there are."""
    if scene is None:
        return shots
    chosen = [s for s in shots if s.scene == scene]
    if not chosen:
        have = sorted({s.scene for s in shots})
        raise StageError(f"scene {scene} has no shots", f"the scenes with shots are {', '.join(map(str, have))}")
    return chosen


def parse_scene(args: str) -> int | None:
    """'', '2', 'scene 2', 'S02' → the scene number or None; anything else is an error that says what to give."""
    words = args.lower().split()
    if words and words[0] in ("scene", "sc"):
        words = words[1:]
    if not words:
        return None
    word = words[0].lstrip("s")
    if len(words) == 1 and word.isdigit() and int(word) >= 1:
        return int(word)
    raise StageError(f"{args.strip()!r} is not a scene", "give a scene number, e.g. 2 or 'scene 2'")


def shot_row(shot: Shot) -> dict[str, Any]:
    """The fields of a shot every view of shots shows, under the names the pages use."""
    return {"code": shot.code, "scene": shot.scene, "size": shot.size.value, "angle": shot.angle.value,
            "move": shot.movement.value, "lens": shot.lens_mm, "duration": shot.duration_s, "action": shot.action,
            "dialogue": shot.dialogue}


def shot_line(shot: Shot) -> str:
    """'WS, eye-level, static, 35 mm, 3 s': a shot's design in words."""
    return f"{shot.size.value}, {shot.angle.value}, {shot.movement.value}, {shot.lens_mm} mm, {shot.duration_s:g} s"


def clip(text: str, width: int) -> str:
    """One line of at most ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
