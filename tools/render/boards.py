"""Storyboard boards for the shot list, drawn on the CPU, stored as takes."""

from __future__ import annotations

import time

from memory.project_store import ProjectStore
from memory.takes import Takes
from studio.errors import StageError
from studio.models import Prompts, ShotList, Take
from studio.project import Author
from studio.prompts import effective
from studio.stages import Stage
from tools.render.sketch import render_sketch

BOARD_WIDTH = 640


def render_boards(store: ProjectStore, *, scene: int | None = None) -> list[Take]:
    """A new sketch take for every shot (of one scene, if given); the first take of a shot becomes active."""
    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError(f"{store.slug} has no shot list to draw",
                         f"draft the shots first (`auteur run -p {store.slug} --until shots --yes`)")
    chosen = [s for s in shots.shots if scene is None or s.scene == scene]
    if not chosen:
        raise StageError(f"scene {scene} has no shots", "see `auteur shots` for the scenes and their shots")
    prompts = store.read(Stage.PROMPTS)
    by_shot = {(p.scene, p.number): p for p in prompts.prompts} if isinstance(prompts, Prompts) else {}
    breakdown = store.read(Stage.BREAKDOWN)
    headings = {s.number: s.heading for s in breakdown.scenes} if breakdown else {}
    w, h = store.manifest().settings.aspect_ratio.split(":")
    aspect = float(w) / float(h)
    takes = Takes(store)
    author = Author.agent("Cinematographer")
    made = []
    for shot in chosen:
        started = time.perf_counter()
        png = render_sketch(shot, width=BOARD_WIDTH, aspect=aspect, heading=headings.get(shot.scene, ""))
        prompt = by_shot.get((shot.scene, shot.number))
        frame_prompt = effective(prompt)[0] if prompt else ""
        made.append(takes.add(shot.scene, shot.number, png, ".png", author=author, model="sketch",
                              prompt=frame_prompt, negative_prompt=prompt.negative_prompt if prompt else "",
                              parameters={"renderer": "sketch", "width": BOARD_WIDTH, "aspect": aspect},
                              timings={"seconds": round(time.perf_counter() - started, 3)}))
    return made
