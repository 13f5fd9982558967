"""Scoped changes, as a director asks for them: one thing changes and nothing else does.

"Nell wears a red coat" changes NELL's wardrobe (in every scene, or from the scene named on), "the diner is
lit by neon" a location's look, "the photograph is torn from scene 4" a prop's state, "scene 2 at dawn" the time of
day of that scene's shots. Only the prompts of the shots the change touches are assembled again (the character's
shots in those scenes, the location's shots, the shots that show the prop); every other prompt stays as it was,
byte for byte. The look (or the shot list) and the prompts are saved in ONE commit (ProjectPort.amend): no stage
changes status, and what went out of date is so shot by shot (a take's ``made_from`` no longer matches).

The value is the person's words, kept as they said them (cleaned, never merged with the old value), and checked as
any input is: no control characters, no web address, markup or code, within the field's length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from pydantic import BaseModel

from studio.errors import StageError
from studio.models import (Breakdown, Character, CharacterState, Location, Look, Prompts, Prop, PropState,
                           SceneState, ShotList, shot_code)
from studio.ports import ProjectPort
from studio.project import Author
from studio.prompts import HAIR_WORDS, LIGHT_FOR_TIME, shot_prompt
from studio.stages import Stage
from studio.vetting import vet

CHARACTER_ASPECTS = ("wardrobe", "hair", "age", "look")
LOCATION_ASPECTS = ("look", "time_of_day")
PROP_ASPECTS = ("state", "look")
STYLE_ASPECTS = ("palette", "lighting", "medium")
SCENE_ASPECTS = ("time_of_day", "mood")
# The longest each value may be: the model's field (a wardrobe is also a scene's CharacterState.wardrobe, 200).
LIMITS = {"wardrobe": 200, "hair": 200, "age": 50, "look": 400, "state": 200, "palette": 300, "lighting": 300,
          "medium": 200, "time_of_day": 40, "mood": 120}
TIME_SYNONYMS = {"TWILIGHT": "DUSK", "BLUE HOUR": "DUSK", "NIGHTFALL": "DUSK", "GOLDEN HOUR": "MAGIC HOUR",
                 "SUNDOWN": "SUNSET", "DAYBREAK": "DAWN", "FIRST LIGHT": "DAWN", "MIDDAY": "NOON",
                 "DAYTIME": "DAY", "DAYLIGHT": "DAY", "NIGHTTIME": "NIGHT"}
_AGE = re.compile(r"\b(in (their|his|her) (early |mid-?|late )?\w+|(early |mid-?|late )?\d0s|\d{1,3}[- ]?(years?|yrs?)"
                  r"[- ]old|aged \w+|(middle-aged|elderly|young|teenage|old))\b", re.I)
_SHOWN = 5


@dataclass
class Scoped:
    """What a scoped change did, for the Producer to say."""

    commit: str | None  # the commit of the change (None: nothing changed)
    said: str  # one sentence, no final period: "NELL's wardrobe is now a red coat in every scene"
    prompts: list[str] = field(default_factory=list)  # shot codes whose prompts were assembled again (changed)
    not_done: list[str] = field(default_factory=list)  # parts not done, each naming why and the fix


class _AnyWord:
    """A lexicon that knows every word: a person's words are theirs (names, slang); only their form is checked."""

    languages: tuple[str, ...] = ("en",)

    def is_word(self, word: str) -> bool:
        return True


def clean_value(value: str, what: str, limit: int) -> str:
    """The person's words for ``what``, cleaned (control and invisible characters out, spaces collapsed, a final
    period off), or a StageError naming what is wrong with them."""
    text = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cf") or c in "\t\n\r")
    text = " ".join(text.split()).strip().rstrip(".").strip()
    shown = text if len(text) <= 40 else text[:37] + "…"
    if not text:
        raise StageError(f"I did not get the new {what}", "say it in words, e.g. 'Nell wears a red coat'")
    if len(text) > limit:
        raise StageError(f"the {what} \u201c{shown}\u201d is longer than {limit} characters",
                         "say it in fewer words")
    verdict = vet(text, "phrase", _AnyWord(), max_chars=limit)
    if not verdict.ok:
        raise StageError(f"I can't use \u201c{shown}\u201d as the {what}: it {'; '.join(verdict.problems)}",
                         "say it in plain words, without addresses, markup or code")
    return verdict.text.rstrip(".").strip()


def time_of_day(value: str) -> str:
    """'at dusk' → 'DUSK': a heading word in capitals (studio.prompts.LIGHT_FOR_TIME has its light)."""
    text = clean_value(value, "time of day", LIMITS["time_of_day"]).upper()
    text = re.sub(r"^(AT|IN THE|BY|DURING|AROUND)\s+", "", text).strip()
    text = TIME_SYNONYMS.get(text, text)
    if text not in LIGHT_FOR_TIME and not re.fullmatch(r"[A-Z]+(?:[ -][A-Z]+)?", text):
        raise StageError(f"\u201c{value.strip()[:40]}\u201d is not a time of day I know",
                         "say dawn, morning, day, afternoon, dusk, evening, night or midnight")
    return text


# ---------------------------------------------------------------- prompts of some shots, assembled again


def reassemble(store: ProjectPort, shots: set[tuple[int, int]], *, shot_list: ShotList | None = None,
               look: Look | None = None) -> Prompts | None:
    """The current prompts with only the entries of ``shots`` assembled again (a person's overrides kept); every
    other entry stays as it is. None: there are no prompts yet. ``shot_list`` and ``look``: as they will be saved
    (default: as saved now)."""
    prompts = store.read(Stage.PROMPTS)
    if not isinstance(prompts, Prompts):
        return None
    if shot_list is None:
        saved = store.read(Stage.SHOTS)
        shot_list = saved if isinstance(saved, ShotList) else ShotList()
    if look is None:
        saved = store.read(Stage.LOOK)
        look = saved if isinstance(saved, Look) else Look()
    breakdown = store.read(Stage.BREAKDOWN)
    breakdown = breakdown if isinstance(breakdown, Breakdown) else Breakdown()
    by_key = {(s.scene, s.number): s for s in shot_list.shots}
    out = prompts.model_copy(deep=True)
    have = set()
    for k, entry in enumerate(out.prompts):
        key = (entry.scene, entry.number)
        have.add(key)
        if key in shots and key in by_key:
            out.prompts[k] = shot_prompt(by_key[key], breakdown, look, entry)
    missing = [by_key[key] for key in shots if key in by_key and key not in have]
    if missing:  # a shot the prompts lack: its entry is made, in shot-list order
        out.prompts += [shot_prompt(s, breakdown, look) for s in missing]
        order = {key: k for k, key in enumerate(by_key)}
        out.prompts.sort(key=lambda p: order.get((p.scene, p.number), len(order)))
    return out


# ---------------------------------------------------------------- a change to the look


def change_look(store: ProjectPort, target: str, aspect: str, value: str, *, scene: int | None = None,
                from_scene: bool = False, author: Author) -> Scoped:
    """A character's wardrobe / hair / age / look, a location's look / time of day, a prop's state / look, the
    style's palette / lighting / medium. A wardrobe or a prop's state holds in every scene (``scene`` None), from
    ``scene`` on (``from_scene``) or in that scene only; the rest is one for the whole film."""
    look = store.read(Stage.LOOK)
    if not isinstance(look, Look):
        raise StageError("there is no look yet, so there is nothing to change in it",
                         "draft the look first ('next' until the look)")
    look = look.model_copy(deep=True)
    shot_list = _shots(store)
    breakdown = store.read(Stage.BREAKDOWN)
    breakdown = breakdown if isinstance(breakdown, Breakdown) else Breakdown()
    scenes = _scenes(breakdown, shot_list, scene, from_scene)
    where = _where(scene, from_scene)
    kind, obj = _resolve(look, target, aspect)
    touched: set[tuple[int, int]]
    new_shots: ShotList | None = None
    if isinstance(obj, Character):
        value = clean_value(value, aspect, LIMITS[aspect])
        touched = _character_change(look, breakdown, shot_list, obj, aspect, value, scenes)
        said = (f"{obj.name}'s wardrobe is now {value} {where}" if aspect == "wardrobe"
                else f"{obj.name} now looks like {value}" if aspect == "look" else f"{obj.name}'s {aspect} is now {value}")
    elif isinstance(obj, Location):
        scenes_there = {s.number for s in breakdown.scenes if s.location.upper() == obj.name.upper()}
        touched = {(s.scene, s.number) for s in shot_list.shots if s.scene in scenes_there}
        if aspect == "time_of_day":
            value = time_of_day(value)
            new_shots, touched = _set_shots(shot_list, scenes_there & scenes, "time_of_day", value)
            said = f"the shots at {obj.name} are now at {value.lower()} {where}"
        else:
            value = clean_value(value, "look", LIMITS["look"])
            obj.visual = value
            _mark(obj.person, "visual")
            said = f"{obj.name} now looks like {value}"
    elif isinstance(obj, Prop):  # its look is also its state in the scenes (PropState.condition, 200 at most)
        value = clean_value(value, aspect, LIMITS["state"])
        touched = _prop_change(look, breakdown, shot_list, obj, aspect, value, scenes)
        said = f"the {obj.name.lower()} is now {value} {where}"
    else:  # the style
        value = clean_value(value, aspect, LIMITS[aspect])
        setattr(look.style, aspect, value)
        touched = {(s.scene, s.number) for s in shot_list.shots}
        said = f"the style's {aspect} is now {value}"
    if scene is not None and kind != "prop" and aspect not in ("wardrobe", "time_of_day"):
        said += f" (a {kind}'s {aspect} is one for the whole film: it changed in every scene)"
    before = store.read(Stage.LOOK)
    artifacts: dict[Stage, BaseModel] = {}
    if new_shots is None and before != look:
        artifacts[Stage.LOOK] = look
    if new_shots is not None and new_shots != shot_list:
        artifacts[Stage.SHOTS] = new_shots
    return _save(store, artifacts, touched, new_shots or shot_list, look, author=author,
                 summary=f"{obj.name if obj is not None else 'style'} {aspect.replace('_', ' ')}: {value} "
                         f"({where})"[:200], said=said)


def change_scene(store: ProjectPort, scene: int, aspect: str, value: str, *, author: Author) -> Scoped:
    """The time of day or the mood of every shot of one scene (each marked as the person's in ``Shot.person``);
    their prompts assembled again; shots and prompts saved in one change."""
    if aspect not in SCENE_ASPECTS:
        raise StageError(f"a scene has no {aspect.replace('_', ' ')!r} I can change",
                         "change a scene's time of day or its mood, or name a shot or a character")
    shot_list = _shots(store)
    if not shot_list.shots:
        raise StageError("there is no shot list yet", "draft the shots first ('next' until the shots)")
    numbers = sorted({s.scene for s in shot_list.shots})
    if scene not in numbers:
        raise StageError(f"scene {scene} has no shots", f"the shot list has scenes {numbers[0]} to {numbers[-1]}")
    value = time_of_day(value) if aspect == "time_of_day" else clean_value(value, "mood", LIMITS["mood"])
    new_shots, touched = _set_shots(shot_list, {scene}, aspect, value)
    mood = value if re.search(r"\bmood\b", value, re.I) else f"{value} mood"
    if not re.match(r"(a|an|the|my|this|that)\b", mood, re.I):
        mood = f"{'an' if mood[0].lower() in 'aeiou' else 'a'} {mood}"
    said = (f"the shots of scene {scene} are now at {value.lower()}" if aspect == "time_of_day"
            else f"the shots of scene {scene} now have {mood}")
    look = store.read(Stage.LOOK)
    artifacts: dict[Stage, BaseModel] = {Stage.SHOTS: new_shots} if new_shots != shot_list else {}
    return _save(store, artifacts, touched, new_shots, look if isinstance(look, Look) else Look(), author=author,
                 summary=f"scene {scene} {aspect.replace('_', ' ')}: {value}", said=said)


# ---------------------------------------------------------------- the parts


def _shots(store: ProjectPort) -> ShotList:
    saved = store.read(Stage.SHOTS)
    return saved.model_copy(deep=True) if isinstance(saved, ShotList) else ShotList()


def _scenes(breakdown: Breakdown, shot_list: ShotList, scene: int | None, from_scene: bool) -> set[int]:
    """The scenes a change holds in: all, ``scene`` on, or ``scene`` alone."""
    every = {s.number for s in breakdown.scenes} | {s.scene for s in shot_list.shots}
    if scene is None:
        return every
    if scene not in every:
        span = f"scenes 1 to {max(every)}" if every else "no scenes yet"
        raise StageError(f"there is no scene {scene}", f"the script has {span}")
    return {n for n in every if n >= scene} if from_scene else {scene}


def _where(scene: int | None, from_scene: bool) -> str:
    if scene is None:
        return "in every scene"
    return f"from scene {scene} on" if from_scene else f"in scene {scene}"


def _resolve(look: Look, target: str, aspect: str) -> tuple[str, Character | Location | Prop | None]:
    """What ``target`` names in the look, checked against the aspect asked."""
    name = re.sub(r"['’]s$", "", " ".join(target.split())).strip()
    if name.lower() in ("", "style", "the style", "look", "the look") and aspect in STYLE_ASPECTS:
        return "style", None
    found: list[tuple[str, Character | Location | Prop | None, tuple[str, ...]]] = [
        ("character", look.character(name), CHARACTER_ASPECTS), ("location", look.location(name), LOCATION_ASPECTS),
        ("prop", next((p for p in look.props if p.name.upper() == name.upper()), None), PROP_ASPECTS)]
    for kind, obj, aspects in found:
        if obj is not None and aspect in aspects:
            return kind, obj
    for kind, obj, aspects in found:
        if obj is not None:
            raise StageError(f"a {kind} has no {aspect.replace('_', ' ')} I can change",
                             f"change {obj.name}'s {', '.join(a.replace('_', ' ') for a in aspects)}")
    kind, names = ("character", [c.name for c in look.characters])
    if aspect in ("state",):
        kind, names = "prop", [p.name for p in look.props]
    elif aspect == "time_of_day":
        kind, names = "location", [loc.name for loc in look.locations]
    elif aspect == "look":
        kind = "character, place or prop"
        names = [*(c.name for c in look.characters), *(loc.name for loc in look.locations), *(p.name for p in look.props)]
    elif aspect in STYLE_ASPECTS:
        names = ["the style"]
    if not names:
        raise StageError(f"there is no {kind} called {name or '…'} in the look: it has none yet",
                         "draft the look first ('next' until the look)")
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    raise StageError(f"there is no {kind} called {name or '…'} in the look", f"the look has {shown}: name one of them")


def _mark(person: list[str], *names: str) -> None:
    for n in names:
        if n not in person and len(person) < 20:
            person.append(n)


def _present(name: str, breakdown: Breakdown, shot_list: ShotList) -> set[int]:
    """The scenes a character is in: the breakdown's (speaking or introduced), and any shot of them."""
    key = name.upper()
    scenes = {s.number for s in breakdown.scenes if key in {c.upper() for c in (*s.characters, *s.introduced)}}
    return scenes | {s.scene for s in shot_list.shots if key in {c.upper() for c in s.characters}}


def _state(look: Look, scene: int) -> SceneState:
    state = look.state(scene)
    if state is None:
        state = SceneState(scene=scene)
        look.states.append(state)
        look.states.sort(key=lambda s: s.scene)
    return state


def _character_change(look: Look, breakdown: Breakdown, shot_list: ShotList, char: Character, aspect: str,
                      value: str, scenes: set[int]) -> set[tuple[int, int]]:
    """The change made in ``look``; the shots of the character it touches."""
    key = char.name.upper()
    every = scenes >= {s.number for s in breakdown.scenes} | {s.scene for s in shot_list.shots}
    if aspect == "wardrobe":
        _mark(char.person, "wardrobe")
        if every:
            char.wardrobe = value
            for state in look.states:
                for name, st in state.characters.items():
                    if name.upper() == key:
                        st.wardrobe = value
        else:
            for number in sorted(scenes & _present(char.name, breakdown, shot_list)):
                state = _state(look, number)
                name = next((n for n in state.characters if n.upper() == key), char.name)
                state.characters.setdefault(name, CharacterState()).wardrobe = value
    else:  # one for the whole film
        scenes = {s.number for s in breakdown.scenes} | {s.scene for s in shot_list.shots}
        if aspect == "look":
            char.visual = value
            _mark(char.person, "visual")
        elif aspect == "hair":  # the visual's old hair would contradict the new: it goes
            char.hair = value
            _mark(char.person, "hair")
            _drop_parts(char, lambda part: bool(HAIR_WORDS.search(part)))
        else:
            char.age = value
            _mark(char.person, "age")
            _drop_parts(char, lambda part: bool(_AGE.search(part)))
            words = (f"{value} years old" if value.isdigit() else
                     f"in their {value}" if re.fullmatch(r"((early|mid-?|late) ?)?\d0s", value, re.I) else value)
            char.visual = ", ".join(p for p in (words, char.visual) if p)[:600]
            _mark(char.person, "visual")
    return {(s.scene, s.number) for s in shot_list.shots
            if s.scene in scenes and key in {c.upper() for c in s.characters}}


def _drop_parts(char: Character, matches: Callable[[str], bool]) -> None:
    """Take out of the character's visual the comma-separated parts that ``matches``."""
    parts = [p.strip() for p in char.visual.split(",")]
    kept = [p for p in parts if p and not matches(p)]
    if len(kept) != len([p for p in parts if p]):
        char.visual = ", ".join(kept)
        _mark(char.person, "visual")


def _prop_change(look: Look, breakdown: Breakdown, shot_list: ShotList, prop: Prop, aspect: str, value: str,
                 scenes: set[int]) -> set[tuple[int, int]]:
    """A prop's state (or look, which it also shows in every scene it is in) in the scenes concerned; the shots that
    show it (the prompts name a prop's state where the shot's action names the prop)."""
    key = prop.name.upper()
    if aspect == "look":
        prop.visual = value
        _mark(prop.person, "visual")
    there = set(prop.scenes) | {s.number for s in breakdown.scenes if key in {p.upper() for p in s.props}}
    there |= {st.scene for st in look.states if key in {p.upper() for p in st.props}}
    for number in sorted(scenes & there):
        state = _state(look, number)
        name = next((n for n in state.props if n.upper() == key), prop.name)
        state.props.setdefault(name, PropState()).condition = value
    return {(s.scene, s.number) for s in shot_list.shots
            if s.scene in scenes & there and prop.name.lower() in s.action.lower()}


def _set_shots(shot_list: ShotList, scenes: set[int], aspect: str, value: str
               ) -> tuple[ShotList, set[tuple[int, int]]]:
    """A copy of the shot list with ``aspect`` of every shot of ``scenes`` set to ``value`` (and marked)."""
    out = shot_list.model_copy(deep=True)
    touched: set[tuple[int, int]] = set()
    for shot in out.shots:
        if shot.scene in scenes:
            setattr(shot, aspect, value)
            _mark(shot.person, aspect)
            touched.add((shot.scene, shot.number))
    return out, touched


def _save(store: ProjectPort, artifacts: dict[Stage, BaseModel], touched: set[tuple[int, int]],
          shot_list: ShotList, look: Look, *, author: Author, summary: str, said: str) -> Scoped:
    before = store.read(Stage.PROMPTS)
    prompts = reassemble(store, touched, shot_list=shot_list, look=look)
    changed: list[str] = []
    not_done: list[str] = []
    if prompts is not None and isinstance(before, Prompts):
        old = {(p.scene, p.number): p for p in before.prompts}
        changed = [shot_code(p.scene, p.number) for p in prompts.prompts if old.get((p.scene, p.number)) != p]
        if changed:
            artifacts[Stage.PROMPTS] = prompts
        own = [shot_code(p.scene, p.number) for p in prompts.prompts
               if shot_code(p.scene, p.number) in changed and (p.frame_override or p.video_override)]
        if own:
            not_done.append(f"{_codes(own)} {'keeps' if len(own) == 1 else 'keep'} the prompt you wrote, which does "
                            "not show this change: edit it there if it should")
    if not artifacts:
        for now, already in ((" is now ", " is already "), (" are now ", " are already "),
                             (" now have ", " already have "), (" now looks like ", " already looks like ")):
            said = said.replace(now, already, 1)
        return Scoped(None, f"{said}: nothing changed", [], not_done)
    change = store.amend(artifacts, author=author, summary=summary)
    return Scoped(change.commit, said, changed, not_done)


def _codes(codes: list[str]) -> str:
    return ", ".join(codes[:_SHOWN]) + (f" and {len(codes) - _SHOWN} more" if len(codes) > _SHOWN else "")

