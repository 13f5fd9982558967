"""A character's sheet: their look and wardrobe, their state scene by scene, reference images and LoRA, voice, and
every scene and shot they appear in (usage tracking)."""

from __future__ import annotations

from typing import Any

from studio.errors import StageError
from studio.models import Character, ShotList
from studio.ports import ProjectPort
from studio.stages import Stage
from studio.views import View
from studio.views.common import breakdown, look, project_path


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).upper() == " ".join(b.split()).upper()


def find_character(store: ProjectPort, name: str) -> Character:
    """The look's character by name (any case); one the breakdown knows but the look has not drawn yet is given
    with its name only. Anyone else is an error with the names there are."""
    wanted = " ".join(name.split())
    if not wanted:
        raise StageError("/character needs a name", "e.g. /character NELL")
    known = look(store).characters
    found = next((c for c in known if _same(c.name, wanted)), None)
    if found is not None:
        return found
    names = [*(c.name for c in known), *breakdown(store).characters]
    spoken = next((n for n in names if _same(n, wanted)), None)
    if spoken is not None:
        return Character(name=spoken)
    listed = ", ".join(dict.fromkeys(n.upper() for n in names)) or "none yet"
    raise StageError(f"there is no character {wanted.upper()!r} in this project", f"the characters are: {listed}")


def voice_words(char: Character) -> str | None:
    """'espeak-ng en-us+f3, 165 wpm': the voice cast for the character, None before one is."""
    if char.voice is None:
        return None
    direction = f", {char.voice.direction}" if char.voice.direction else ""
    return f"{char.voice.engine} {char.voice.voice}, {char.voice.rate} wpm{direction}"


def appearances(store: ProjectPort, name: str) -> list[dict[str, Any]]:
    """Every scene the character speaks in, is introduced in or is in a shot of, with those shots' codes."""
    shots = store.read(Stage.SHOTS)
    by_scene: dict[int, list[str]] = {}
    for shot in shots.shots if isinstance(shots, ShotList) else []:
        speaks = shot.dialogue.upper().startswith(name.upper() + ":")
        if speaks or any(_same(c, name) for c in shot.characters):
            by_scene.setdefault(shot.scene, []).append(shot.code)
    out = []
    for scene in breakdown(store).scenes:
        present = any(_same(c, name) for c in (*scene.characters, *scene.introduced))
        if present or scene.number in by_scene:
            out.append({"number": scene.number, "heading": scene.heading, "shots": by_scene.pop(scene.number, [])})
    out += [{"number": n, "heading": "", "shots": codes} for n, codes in sorted(by_scene.items())]
    return out


def character_view(store: ProjectPort, name: str) -> View:
    char = find_character(store, name)
    states = []
    for state in look(store).states:
        worn = next((s for n, s in state.characters.items() if _same(n, char.name)), None)
        if worn is not None:
            states.append({"scene": state.scene, "wardrobe": worn.wardrobe, "injuries": worn.injuries,
                           "dirt": worn.dirt, "holding": worn.holding})
    refs = [{"image": p} for p in (project_path(r) for r in char.reference_takes) if p]
    props = {"name": char.name, "description": char.description, "visual": char.visual, "age": char.age,
             "wardrobe": char.wardrobe, "hair": char.hair, "lora": char.lora, "trigger_word": char.trigger_word,
             "voice": voice_words(char), "references": refs, "states": states,
             "scenes": appearances(store, char.name)}
    return View(props, character_text(props), "Art Director", "look")


def character_text(props: dict[str, Any]) -> str:
    lines = [f"{props['name']}" + (f", {props['age']}" if props["age"] else "")]
    for key in ("description", "visual", "wardrobe", "hair"):
        if props[key]:
            lines.append(f"{key.capitalize()}: {props[key]}")
    if props["lora"]:
        trigger = f" (trigger {props['trigger_word']})" if props["trigger_word"] else ""
        lines.append(f"LoRA: {props['lora']}{trigger}")
    lines.append(f"Voice: {props['voice'] or 'not cast yet (/voice ' + props['name'] + ')'}")
    lines.append(f"Reference images: {len(props['references'])}" if props["references"] else
                 f"No reference image yet: /reference {props['name']}")
    for state in props["states"]:
        worn = "; ".join(f"{k} {state[k]}" for k in ("wardrobe", "injuries", "dirt", "holding") if state[k])
        lines.append(f"In scene {state['scene']}: {worn or 'as usual'}")
    scenes = props["scenes"]
    lines.append(f"Appears in {len(scenes)} scene{'s' if len(scenes) != 1 else ''}:" if scenes else
                 "Appears in no scene yet.")
    for scene in scenes:
        shots = ", ".join(scene["shots"]) or "no shot yet"
        lines.append(f"  Scene {scene['number']} {scene['heading']}: {shots}")
    return "\n".join(lines)
