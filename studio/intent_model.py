"""What studio.intents reads a director's message into: the Intent, what the parser may know of the project
(Known), the aspects a change may name, and `describe`, an intent in words. studio.intents re-exports them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from studio.models import SHOT_SIZE_NAMES, ShotSize
from studio.stages import Stage

IntentKind = Literal["approve", "affirm", "revise", "change", "ask", "show", "navigate", "render", "undo",
                     "pick", "status", "help", "write", "unclear"]

ASPECTS: dict[str, tuple[str, ...]] = {
    "character": ("wardrobe", "hair", "age", "look"),
    "location": ("look", "time_of_day"),
    "prop": ("state", "look"),
    "scene": ("time_of_day", "mood"),
    "shot": ("size", "angle", "movement", "lens", "duration", "time_of_day", "mood"),
    "style": ("palette", "lighting", "medium"),
}


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    text: str = ""
    stage: Stage | None = None
    target: str = ""
    aspect: str = ""
    value: str = ""
    scene: int | None = None
    shot: tuple[int, int] | None = None
    from_scene: bool = False
    number: int | None = None
    to: int | None = None  # a writer's second number: the scene or beat it moves by, the beat merged with


@dataclass(frozen=True)
class Known:
    characters: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    scenes: int = 0
    scene_focus: int = 1
    focus: Stage | None = None
    has_variants: bool = False


def describe(intent: Intent) -> str:
    """What the intent would do, as a short phrase: 'change NELL's wardrobe to a red coat'."""
    shot = f"shot {intent.shot[0]}.{intent.shot[1]}" if intent.shot else ""
    scene = f"scene {intent.scene}" if intent.scene is not None else ""
    stage = f"the {intent.stage.value}" if intent.stage else ""
    kind, target, value = intent.kind, intent.target, intent.value
    if kind == "change":
        aspect = intent.aspect.replace("_", " ")
        owner = {"shot": f"{shot}'s", "scene": f"{scene}'s", "style": "the film's", "": "its"}.get(target,
                                                                                                 f"{target}'s")
        shown = value.lower() if intent.aspect == "time_of_day" else value
        if intent.aspect == "size" and value in ShotSize.__members__:
            shown = SHOT_SIZE_NAMES[ShotSize(value)]
        shown += "mm" if intent.aspect == "lens" else " s" if intent.aspect == "duration" else ""
        where = ""
        if intent.scene is not None and target not in ("scene", "shot"):
            where = f" from scene {intent.scene} on" if intent.from_scene else f" in scene {intent.scene}"
        return f"change {owner} {aspect} to {shown}{where}"
    if kind == "approve":
        return f"approve {stage or 'this stage'}"
    if kind == "revise":
        return f"revise {stage or 'this stage'} with your notes"
    if kind == "show":
        things = {"script": "the script", "scene": scene, "look": f"{value}'s look" if value else "the look",
                  "shots": f"the shots of {scene}" if scene else "the shot list", "board": f"the board of {shot}",
                  "prompt": f"the prompt of {shot}", "cut": "the cut", "takes": f"the takes of {shot}".strip(),
                  "stage": stage}
        return f"show {things.get(target, 'it')}"
    if kind == "navigate":
        return {"next": "move on to the next stage", "stage": f"go back to {stage}",
                "open": f"open the project {value}", "branch": f"start a branch called {value}",
                "switch": f"switch to the branch {value}"}.get(target, "move on")
    if kind == "render":
        things = {"boards": "the boards", "clips": "the clips", "shot": f"a new board of {shot}", "cut": "the cut",
                  "stale": "the boards and clips that are out of date"}
        where = f" of {scene}" if scene and target in ("boards", "clips") else ""
        return f"render {things.get(target, 'the boards')}{where}"
    if kind == "write":
        return _write(intent)
    plain = {"affirm": "take that as a yes", "ask": f"answer “{value}”", "undo": "undo the last change",
             "pick": f"use variant {intent.number}", "status": "say where the project stands",
             "help": "list what you can ask", "unclear": f"act on “{value[:80]}”"}
    return plain[kind]


def _write(intent: Intent) -> str:
    """'cut scene 3', 'move beat 6 before beat 2', "punch up NELL's line in scene 2"."""
    what, how = intent.target, intent.aspect
    n = intent.scene if what == "scene" else intent.number
    if how == "move":
        where = f"to place {intent.to}" if intent.value == "to" else f"{intent.value} {what} {intent.to}"
        return f"move {what} {n} {where}"
    if how == "merge":
        return f"merge beats {intent.number} and {intent.to}"
    if how == "speaker":
        return f"give line {intent.scene}.{intent.number} to {intent.value}"
    if how == "punch":
        who = f"{intent.value}'s line" if intent.value else f"line {intent.scene}.{intent.number}"
        return f"punch up {who}" + (f" in scene {intent.scene}" if intent.value and intent.scene else "")
    return f"{how} {what} {n}" + (" with your notes" if how == "rewrite" and intent.value else "")
