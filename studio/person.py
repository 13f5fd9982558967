"""A person's edits survive the crew.

What a person changed by hand (`auteur edit`, the web's editor, a change to one shot or one character) is marked
as theirs: the field names go into the object's ``person`` (`mark`). When the crew redrafts the shots or the look,
those fields are put back on the redraft (`keep`, and `Theirs` for the shot list while it is being drafted), and
what was kept, or could not be, is said in words a person reads: "S01_SH002 angle low", "NELL wardrobe a red coat",
"S01_SH009 is gone from the redraft; your change to it could not be kept".

Shots are matched by (scene, number) and, when the pipeline knows them, the scene's heading before and after: a
person's shot whose scene moved (a scene inserted before it) is said to be lost, never pasted on the shot that now
has its number. The look's characters, locations and props are matched by name (any case). Shots saved
before ``person`` existed carry a person's choices only in their notes ("…; redone as a low angle close-up"): what
those words name (size, angle, move, lens) counts as theirs. A person's duration is held; the scene's other shots
share what is left of its time (studio.coverage.fit_durations), and no shot is shorter than its lines take to say.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from studio.coverage import LENS_FOR_SIZE, fit_durations, floor_seconds
from studio.craft import LENS_RANGE
from studio.models import CharacterState, Look, SceneState, Shot, ShotList, StyleCapsule, shot_code
from studio.shot_revision import shot_changes

SHOT_FIELDS = ("size", "angle", "movement", "lens_mm", "duration_s", "action", "dialogue", "time_of_day", "mood",
               "characters")
LOOK_FIELDS = ("wardrobe", "hair", "age", "visual", "description")  # those each of Character/Location/Prop has
STYLE_FIELDS = ("name", "medium", "palette", "lighting", "camera", "references", "positive", "negative")
SCENE_WARDROBE = "scene wardrobe"  # a Character's mark: the person set its wardrobe in some scenes' states
_SAID = {"lens_mm": "lens", "duration_s": "duration", "time_of_day": "time of day"}
_GONE = "is gone from the redraft; your change to it could not be kept"
Headings = tuple[Mapping[int, str], Mapping[int, str]]  # scene number → heading: as the shots were made, and now

_DROP = re.compile(
    r"\b(?:from scratch|start(?:ing)? (?:over|afresh|again)|reset|"
    r"(?:drop|ignore|discard|forget|lose|scrap|undo|override|throw away|clear)\s+(?:all\s+)?(?:of\s+)?my\s+"
    r"(?:own\s+)?(?:changes|edits|choices|tweaks|fixes))\b", re.IGNORECASE)
_NOT = re.compile(r"\b(?:don'?t|do not|never|without|no need to)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def drops_person(notes: str) -> bool:
    """The notes ask the crew to drop the person's own changes: 'from scratch', 'start over', 'reset',
    'drop my changes', 'ignore my changes', 'discard my edits'. Said with a 'don't' before it, they do not."""
    return any(not _NOT.search(notes[: m.start()]) for m in _DROP.finditer(notes))


# ---------------------------------------------------------------- words


def said(name: str, value: Any) -> str:
    """A field and its value as a person reads them: 'angle low', 'lens 85 mm', 'wardrobe a red coat'."""
    if isinstance(value, Enum):
        text = str(value.value)
    elif name == "lens_mm":
        text = f"{value} mm"
    elif name == "duration_s":
        text = f"{value:g} s"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "none"
    else:
        text = " ".join(str(value).split()) or "(empty)"
        text = text if len(text) <= 40 else text[:39].rstrip() + "…"
    return f"{_SAID.get(name, name)} {text}"


def _union(marks: Iterable[str], more: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*marks, *more]))[:20]


# ---------------------------------------------------------------- marking a person's edit


def mark(before: BaseModel | None, after: BaseModel) -> BaseModel:
    """A shot list or look a person edited, with each changed field's name added to its object's ``person``
    (shots matched by (scene, number), look objects by name; a new one: the fields it sets). Nothing is marked
    without a ``before`` (the person wrote all of it), nor for other stages."""
    if isinstance(after, ShotList) and isinstance(before, ShotList):
        marked = after.model_copy(deep=True)
        old = {(s.scene, s.number): s for s in before.shots}
        for shot in marked.shots:
            prev = old.get((shot.scene, shot.number)) or Shot(scene=shot.scene, number=shot.number)
            shot.person = _union(shot.person, (f for f in SHOT_FIELDS if getattr(shot, f) != getattr(prev, f)))
        return marked
    if isinstance(after, Look) and isinstance(before, Look):
        return _mark_look(before, after.model_copy(deep=True))
    return after


def _mark_look(before: Look, look: Look) -> Look:
    for kind in ("characters", "locations", "props"):
        old = {o.name.upper(): o for o in getattr(before, kind)}
        for obj in getattr(look, kind):
            prev = old.get(obj.name.upper()) or type(obj)(name=obj.name)
            obj.person = _union(obj.person, (f for f in LOOK_FIELDS
                                             if f in type(obj).model_fields and getattr(obj, f) != getattr(prev, f)))
    if "person" in StyleCapsule.model_fields:  # the style's marks, once the style capsule has them
        style: Any = look.style
        style.person = _union(style.person, (f for f in STYLE_FIELDS
                                             if getattr(look.style, f) != getattr(before.style, f)))
    for state in look.states:
        prev = before.state(state.scene) or SceneState(scene=state.scene)
        for name, now in state.characters.items():
            was = _state_of(prev, name)
            character = look.character(name)
            if character is not None and now.wardrobe != (was.wardrobe if was else ""):
                character.person = _union(character.person, [SCENE_WARDROBE])
    return look


def _state_of(state: SceneState, name: str) -> CharacterState | None:
    return next((s for n, s in state.characters.items() if n.upper() == name.upper()), None)


# ---------------------------------------------------------------- keeping it on a redraft


@dataclass
class Kept:
    model: BaseModel
    kept: list[str] = field(default_factory=list)  # "S01_SH002 angle low", "NELL wardrobe a red coat"
    lost: list[str] = field(default_factory=list)  # sentences: what could not be kept, and why


def keep(before: BaseModel | None, drafted: BaseModel, *,
         headings: Headings | None = None) -> tuple[BaseModel, list[str]]:
    """The crew's redraft with the person's fields put back; what was kept, in words (`keeping` also says what
    could not be kept). ``headings``: the scenes' headings as the shots were made and now (see `Theirs`)."""
    found = keeping(before, drafted, headings=headings)
    return found.model, found.kept


def keeping(before: BaseModel | None, drafted: BaseModel, *, headings: Headings | None = None) -> Kept:
    """`keep`, with the sentences of what could not be kept: a shot or a character gone from the redraft, a shot
    whose scene moved, a duration shorter than the shot's lines take to say."""
    if isinstance(drafted, ShotList) and isinstance(before, ShotList):
        shots = drafted.model_copy(deep=True)
        theirs = Theirs(before, headings=headings)
        kept: list[str] = []
        for scene in dict.fromkeys(s.scene for s in shots.shots):
            in_scene = [s for s in shots.shots if s.scene == scene]
            seconds = sum(s.duration_s for s in in_scene)  # the scene's time as the crew fitted it
            kept += theirs.put_back(in_scene)
            theirs.fit(in_scene, seconds, only_held=True)
        return Kept(shots, kept, theirs.lost())
    if isinstance(drafted, Look) and isinstance(before, Look):
        return _keep_look(before, drafted.model_copy(deep=True))
    return Kept(drafted)


def shot_marks(shot: Shot) -> list[str]:
    """The fields of a shot that are the person's: its ``person``, and what its notes' 'redone as …' name."""
    named = [k for words in re.findall(r"redone as ([^;]+)", shot.notes) for k in shot_changes(words)]
    return [f for f in _union(shot.person, named) if f in SHOT_FIELDS]


class Theirs:
    """The person's shots of a shot list, put back on the crew's redraft scene by scene (the pipeline does it
    before the craft rules run, and waives the rules for what is theirs, as studio.shot_revision does).

    ``headings`` (scene number → heading, as the shots were made and now): a person's shot is put back only on the
    shot of the same number in a scene of the same heading. When its scene moved (a scene inserted or removed
    before it), its change is said to be lost, naming where the scene is now, and never lands on another shot."""

    def __init__(self, before: ShotList | None, *, headings: Headings | None = None) -> None:
        self.shots = {(s.scene, s.number): (s, marks) for s in (before.shots if before else [])
                      if (marks := shot_marks(s))}
        self._found: set[tuple[int, int]] = set()
        self._short: dict[str, str] = {}
        self._moved: dict[tuple[int, int], str] = {}
        self._was, self._now = ({n: _heading(h) for n, h in side.items()} for side in (headings or ({}, {})))

    def _theirs(self, shot: Shot) -> tuple[Shot, list[str]] | None:
        """The person's shot of this number, if its scene is still this scene."""
        key = (shot.scene, shot.number)
        found = self.shots.get(key)
        if found is None or key in self._moved:
            return None
        was, now = self._was.get(shot.scene), self._now.get(shot.scene)
        if was is not None and now is not None and was != now:
            self._moved[key] = self._moved_sentence(shot.scene, shot.number, found[1], found[0])
            return None
        return found

    def _moved_sentence(self, scene: int, number: int, marks: list[str], theirs: Shot) -> str:
        was = self._was[scene]
        now = [n for n, h in self._now.items() if h == was]
        where = f"is now scene {now[0]}" if len(now) == 1 else f"is no longer scene {scene}"
        change = ", ".join(said(name, getattr(theirs, name)) for name in marks)
        again = f" (probably {shot_code(now[0], number)})" if len(now) == 1 else ""
        return (f"{shot_code(scene, number)}: your change ({change}) was made in scene {scene} ({was}), which "
                f"{where}; it was not put on another shot: make it again on the shot you mean{again}")

    def __bool__(self) -> bool:
        return bool(self.shots)

    def put_back(self, shots: Sequence[Shot]) -> list[str]:
        """The person's fields back on these shots of the redraft; what was kept, in words."""
        words: list[str] = []
        for shot in shots:
            found = self._theirs(shot)
            if found is None:
                continue
            theirs, marks = found
            theirs = theirs.model_copy(deep=True)  # its lists are not shared with the redraft
            self._found.add((shot.scene, shot.number))
            for name in marks:
                setattr(shot, name, getattr(theirs, name))
                words.append(f"{shot.code} {said(name, getattr(shot, name))}")
            low, high = LENS_RANGE[shot.size]
            if "size" in marks and "lens_mm" not in marks and not low <= shot.lens_mm <= high:
                shot.lens_mm = LENS_FOR_SIZE[shot.size]  # the lens follows the person's size
            shot.person = _union(shot.person, marks)
        return words

    def waived(self, shots: Sequence[Shot]) -> dict[str, list[str]]:
        """What the craft rules leave alone: each shot's fields that are the person's."""
        return {s.code: list(s.person) for s in shots if s.person}

    def fit(self, shots: list[Shot], seconds: float, *, only_held: bool = False) -> None:
        """Fit one scene's durations to its time, holding the person's durations (never under the shot's lines):
        the other shots share what is left. With nothing held, as coverage fits it (or, ``only_held``, as is)."""
        held: dict[int, float] = {}
        for k, shot in enumerate(shots):
            found = self._theirs(shot)
            if found is None or "duration_s" not in found[1]:
                continue
            floor = math.ceil(floor_seconds(shot) * 10 - 1e-6) / 10  # as coverage rounds it
            held[k] = max(found[0].duration_s, floor)
            if found[0].duration_s < floor:
                self._short[shot.code] = (f"{shot.code}: your {found[0].duration_s:g} s is shorter than its lines "
                                          f"take to say; it is {held[k]:g} s")
        if not held:
            if not only_held:
                fit_durations(shots, seconds)
            return
        for k, value in held.items():
            shots[k].duration_s = value
        rest = [s for k, s in enumerate(shots) if k not in held]
        if rest and seconds > 0:
            fit_durations(rest, max(0.1, seconds - sum(held.values())))

    def lost(self) -> list[str]:
        """What could not be kept: the person's shots the redraft no longer has, durations under the lines."""
        for key, (shot, marks) in self.shots.items():
            was, now = self._was.get(key[0]), self._now.get(key[0])
            if key not in self._found and key not in self._moved and was is not None and was != now:
                self._moved[key] = self._moved_sentence(*key, marks, shot)  # its scene moved, and has fewer shots
        gone = [self._moved.get(key) or f"{shot_code(*key)} {_GONE}" for key in self.shots if key not in self._found]
        return [*gone, *self._short.values()]


def _heading(text: str) -> str:
    return " ".join(text.upper().split())


def _keep_look(before: Look, look: Look) -> Kept:
    kept: list[str] = []
    lost: list[str] = []
    for kind in ("characters", "locations", "props"):
        new = {o.name.upper(): o for o in getattr(look, kind)}
        for old in getattr(before, kind):
            marks = [f for f in old.person if f in LOOK_FIELDS and f in type(old).model_fields]
            scenes = kind == "characters" and ("wardrobe" in old.person or SCENE_WARDROBE in old.person)
            if not marks and not scenes:
                continue
            obj = new.get(old.name.upper())
            if obj is None:
                lost.append(f"{old.name} {_GONE}")
                continue
            for name in marks:
                setattr(obj, name, getattr(old, name))
                kept.append(f"{old.name} {said(name, getattr(obj, name))}")
            obj.person = _union(obj.person, old.person)
            if scenes:
                changed = _keep_wardrobe(before, look, old.name)
                if changed and SCENE_WARDROBE in old.person:
                    kept.append(f"{old.name} wardrobe in scene{'s' if len(changed) > 1 else ''} "
                                f"{', '.join(map(str, changed))}")
    if "person" in StyleCapsule.model_fields:
        mine: Any = before.style
        for name in (f for f in mine.person if f in STYLE_FIELDS):
            setattr(look.style, name, getattr(before.style, name))
            kept.append(f"style {said(name, getattr(look.style, name))}")
        style: Any = look.style
        style.person = _union(style.person, mine.person)
    return Kept(look, kept, lost)


def _keep_wardrobe(before: Look, look: Look, name: str) -> list[int]:
    """A character's wardrobe scene by scene as it was before the redraft; the scenes where it differs from the
    crew's. (Which scenes the person set is not recorded: every scene's wardrobe of a marked character is kept.)"""
    changed: list[int] = []
    for state in before.states:
        was = _state_of(state, name)
        if was is None:
            continue
        now_state = look.state(state.scene)
        if now_state is None:
            now_state = SceneState(scene=state.scene)
            look.states = sorted([*look.states, now_state], key=lambda s: s.scene)
        now = _state_of(now_state, name)
        if now is None:
            now = now_state.characters[name] = CharacterState()
        if now.wardrobe != was.wardrobe:
            now.wardrobe = was.wardrobe
            changed.append(state.scene)
    return changed
