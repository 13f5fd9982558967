"""'show me the script', 'let me see scene 2', 'what does Nell look like?', 'the board of shot 1.2', 'play the cut':
the artifact a person asks to see, shown as it is now (nothing is changed or drafted)."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.conversation import Conversation
from studio.engine.describe import describe
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.intents import Intent
from studio.models import Cut, Look, TakeKind, shot_code
from studio.stages import Stage

SHOWN_CHARS = 6000  # of a script in one message; the whole is an export away


def show_target(conv: Conversation, intent: Intent) -> Iterator[Event]:  # noqa: C901 - one arm per thing shown
    store = conv.require_project()
    target = intent.target
    if target == "script":
        script = store.read_script()
        if script is None:
            raise StageError("there is no script yet", "say 'next' until the Screenwriter drafts it, or upload one")
        text = script.fountain
        more = "" if len(text) <= SHOWN_CHARS else "\n…\n(the rest: /export fountain or /export pdf)"
        yield Event("artifact", f"```\n{text[:SHOWN_CHARS]}{more}\n```", author="Screenwriter", stage="script",
                    data={"show": "script", "pages": script.pages, "scenes": script.scene_count})
    elif target == "scene":
        yield from _scene(conv, intent.scene or conv.scene_focus)
    elif target == "look":
        yield from _look(conv, intent.value)
    elif target == "shots":
        if intent.scene:
            conv.scene_focus = intent.scene
        yield from conv.run_command(f"/shots {intent.scene or ''}".strip())
    elif target in ("board", "takes", "prompt"):
        scene, number = intent.shot or (conv.scene_focus, 1)
        conv.scene_focus = scene
        if target == "takes":
            yield from conv.run_command(f"/takes {shot_code(scene, number)}")
        elif target == "prompt":
            yield from conv.run_command(f"/prompt {shot_code(scene, number)}")
        else:
            yield from _board(conv, scene, number)
    elif target == "cut":
        cut = store.read(Stage.CUT)
        if not isinstance(cut, Cut) or not cut.path:
            raise StageError("there is no cut yet", "say 'render the cut' (it uses each shot's active take)")
        from studio.engine.describe import shot_staleness

        old = shot_staleness(store).cut
        note = " — made before the latest changes: /render cut makes it again" if old else ""
        yield Event("artifact", f"The cut: {len(cut.entries)} shots, {cut.duration_s:.0f} s{note}", stage="cut",
                    data={"path": store.locate(cut.path), "media": "video", "out_of_date": old})
    elif target == "stage" and intent.stage is not None:
        conv.focus = intent.stage
        yield say(describe(store, intent.stage), author=intent.stage.lead, stage=intent.stage.value)
    else:
        raise StageError("I could not tell what to show", "say 'show me the script', 'scene 2', 'Nell's look', "
                                                          "'the shots of scene 2', 'the board of shot 1.2' or 'the cut'")


def _scene(conv: Conversation, number: int) -> Iterator[Event]:
    store = conv.require_project()
    breakdown = store.breakdown()
    script = store.read_script()
    scene = next((s for s in breakdown.scenes if s.number == number), None)
    if scene is None or script is None:
        raise StageError(f"there is no scene {number}", f"the script has {len(breakdown.scenes)} scenes (/scenes)")
    conv.scene_focus = number
    lines = script.fountain.splitlines()
    headings = [k for k, line in enumerate(lines) if _is_heading(line)]
    if len(headings) >= number:
        start = headings[number - 1]
        end = headings[number] if len(headings) > number else len(lines)
        text = "\n".join(lines[start:end]).strip()
    else:
        text = scene.heading
    yield Event("artifact", f"```\n{text[:SHOWN_CHARS]}\n```", author="Screenwriter", stage="script",
                data={"show": "scene", "scene": number, "heading": scene.heading})


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(re.match(r"^(?:INT|EXT|EST|INT\.?/EXT|I/E)[\s./]", stripped, re.IGNORECASE)) or \
        (stripped.startswith(".") and len(stripped) > 1 and stripped[1] != ".")


def _look(conv: Conversation, name: str) -> Iterator[Event]:
    store = conv.require_project()
    look = store.read(Stage.LOOK)
    if not isinstance(look, Look):
        raise StageError("there is no look yet", "say 'next' until the Art Director drafts it")
    if not name:
        yield say(describe(store, Stage.LOOK), author="Art Director", stage="look")
        return
    char = look.character(name)
    if char is not None:
        looks = char.visual or char.description
        parts = [f"{char.name}" + (f" ({char.age})" if char.age and char.age not in looks else "") +
                 (f": {looks}" if looks else ""), f"Wears {char.wardrobe}" if char.wardrobe else "",
                 f"Hair: {char.hair.removeprefix('hair: ')}" if char.hair else ""]
        states = [f"scene {s.scene}: {st.wardrobe}" for s in look.states for k, st in s.characters.items()
                  if k.upper() == char.name.upper() and st.wardrobe and st.wardrobe != char.wardrobe]
        if states:
            parts.append("In " + "; ".join(states))
        yield say(". ".join(p.rstrip(". ") for p in parts if p) + ".", author="Art Director", stage="look",
                  data={"character": char.model_dump(mode="json")})
        return
    place = look.location(name)
    if place is not None:
        yield say(f"{place.name}: {place.visual or place.description}", author="Art Director", stage="look",
                  data={"location": place.model_dump(mode="json")})
        return
    prop = next((p for p in look.props if p.name.upper() == name.upper()), None)
    if prop is not None:
        yield say(f"{prop.name}: {prop.visual or prop.description}", author="Art Director", stage="look",
                  data={"prop": prop.model_dump(mode="json")})
        return
    raise StageError(f"there is no {name} in the look", "the look has: " + ", ".join(
        [c.name for c in look.characters] + [loc.name for loc in look.locations])[:300])


def _board(conv: Conversation, scene: int, number: int) -> Iterator[Event]:
    store = conv.require_project()
    code = shot_code(scene, number)
    board = next((t for t in store.takes(scene, number) if t.active and t.kind is TakeKind.IMAGE), None)
    if board is None:
        raise StageError(f"{code} has no board yet", f"say 'render shot {scene}.{number}' to draw it")
    from studio.engine.describe import shot_staleness

    old = code in shot_staleness(store).boards
    note = f" — drawn before the shot or its prompt changed: say 'render shot {scene}.{number}' for a new one" \
        if old else ""
    yield Event("artifact", f"{code} take {board.number} (active){note}", author="Cinematographer", stage="boards",
                data={"path": store.locate(board.path), "media": "image", "shot": code, "take": board.number,
                      "out_of_date": old})
