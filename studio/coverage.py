"""Standard coverage: a deterministic shot list for each scene.

The plan a first AD would expect before the director's touch: an establishing
shot when the place is new, a master, a shot for every speech (over-the-shoulders
when two people talk, singles otherwise), inserts for the props that matter and a
cutaway to whoever watches without speaking. Every line of dialogue is covered,
and the durations are scaled to the scene's estimated screen time.
"""

from __future__ import annotations

import math
import re

from studio.breakdown import scene_chunks
from studio.fountain.elements import Element, ElementType, FountainDocument
from studio.models import Angle, Breakdown, Movement, Scene, Shot, ShotList, ShotRole, ShotSize

WORDS_PER_SECOND = 2.5  # spoken dialogue
BREATH_S = 0.5  # a dialogue shot holds a beat beyond its last word
MIN_SHOT_S = 1.0
MAX_SHOT_S = 60.0
TOLERANCE = 0.15

LENS_FOR_SIZE = {
    ShotSize.EWS: 18, ShotSize.WS: 24, ShotSize.MLS: 35, ShotSize.MS: 40,
    ShotSize.MCU: 50, ShotSize.CU: 85, ShotSize.ECU: 100,
}


def _words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


# "NELL: ", "McALLISTER: ", "YOUNG IDA (V.O.): " - the speaker coverage writes before a shot's lines.
_SPEAKER_RE = re.compile(r"^\s*(?:Mc|Mac)?[A-Z0-9][A-Z0-9 .'’&-]{0,60}(?:\s*\([^()\n]{0,40}\))?:\s+")


def spoken(dialogue: str) -> str:
    """A shot's dialogue without the 'NAME: ' that coverage writes before it (the name is not said)."""
    return _SPEAKER_RE.sub("", dialogue, count=1)


def speech_seconds(dialogue: str) -> float:
    """How long a shot's lines take to say at WORDS_PER_SECOND, plus a breath; 0 when it has none."""
    words = _words(spoken(dialogue))
    return round(words / WORDS_PER_SECOND + BREATH_S, 1) if words else 0.0


def floor_seconds(shot: Shot) -> float:
    """The shortest a shot may be: MIN_SHOT_S, and for a dialogue shot the time its lines take."""
    return max(MIN_SHOT_S, speech_seconds(shot.dialogue))


def _first_sentence(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", flat)
    sentence = m.group(1) if m else flat
    return sentence[:limit].rstrip()


def _shot(scene: int, size: ShotSize, role: ShotRole, *, angle: Angle = Angle.EYE_LEVEL,
          movement: Movement = Movement.STATIC, action: str = "", dialogue: str = "",
          characters: list[str] | None = None, notes: str = "", seconds: float = 3.0) -> Shot:
    return Shot(scene=scene, number=1, size=size, angle=angle, movement=movement, lens_mm=LENS_FOR_SIZE[size],
                duration_s=max(MIN_SHOT_S, round(seconds, 1)), action=action[:1000], dialogue=dialogue[:2000],
                characters=characters or [], notes=notes[:1000], role=role)


def plan_scene(scene: Scene, elements: list[Element], *, new_location: bool) -> list[Shot]:
    """Coverage for one scene, before timing is fitted to the scene's length."""
    n = scene.number
    present = list(dict.fromkeys([*scene.characters, *scene.introduced]))
    actions = [e for e in elements if e.type is ElementType.ACTION]
    first_action = _first_sentence(actions[0].plain) if actions else scene.heading
    shots: list[Shot] = []

    if new_location or scene.int_ext in ("EXT", "EST") or not scene.characters:
        size = ShotSize.EWS if scene.int_ext in ("EXT", "EST") else ShotSize.WS
        angle = Angle.HIGH if scene.int_ext == "EST" else Angle.EYE_LEVEL
        shots.append(_shot(n, size, "establishing", angle=angle, movement=Movement.STATIC if scene.characters else Movement.PAN,
                           action=f"Establishing: {scene.location or scene.heading}. {first_action}",
                           notes="establishing shot", seconds=3.0))
    if scene.characters:
        shots.append(_shot(n, ShotSize.MLS, "master", action=f"Master: {first_action}", characters=present,
                           notes="master", seconds=4.0))

    speakers = scene.characters
    two_hander = len(speakers) == 2
    props_left = list(scene.props)
    cutaway_done = False
    non_speaking = [c for c in scene.introduced if c.upper() not in {s.upper() for s in speakers}]
    i = 0
    seen_action = 0
    while i < len(elements):
        el = elements[i]
        if el.type is ElementType.ACTION:
            seen_action += 1
            text = el.plain
            mentioned = [p for p in props_left if re.search(rf"\b{re.escape(p)}\b", text)]
            if seen_action > 1 or not shots:
                who = [c for c in present if re.search(rf"\b{re.escape(c)}\b", text, re.IGNORECASE)]
                shots.append(_shot(n, ShotSize.MS, "action", movement=Movement.TRACK if re.search(
                    r"\b(walks?|runs?|drives?|crosses|moves?|follows?)\b", text, re.IGNORECASE) else Movement.STATIC,
                    action=_first_sentence(text), characters=who, notes="action beat",
                    seconds=1.0 + _words(text) / 4))
            for prop in mentioned:
                props_left.remove(prop)
                shots.append(_shot(n, ShotSize.CU, "insert",
                                   action=f"Insert: the {prop.lower()}. {_first_sentence(text)}",
                                   notes=f"insert: {prop}", seconds=2.0))
            i += 1
            continue
        if el.type is ElementType.CHARACTER:
            speaker = next((s for s in speakers if s.upper() == el.text.upper()), el.text)
            lines: list[str] = []
            notes: list[str] = []
            i += 1
            while i < len(elements) and elements[i].type in (
                    ElementType.DIALOGUE, ElementType.PARENTHETICAL, ElementType.LYRICS):
                said = elements[i]
                if said.type is ElementType.PARENTHETICAL:
                    notes.append(said.plain.strip("() "))
                else:
                    lines.append(" ".join(said.plain.split()))
                i += 1
            speech = " ".join(lines)
            words = _words(speech)
            if two_hander:
                other = next(s for s in speakers if s.upper() != speaker.upper())
                size, angle, who = ShotSize.MCU, Angle.OVER_THE_SHOULDER, [speaker, other]
                note = f"over {other}'s shoulder"
            else:
                size, angle, who = (ShotSize.CU if words > 30 else ShotSize.MCU), Angle.EYE_LEVEL, [speaker]
                note = "single"
            if el.extensions and any(x.upper().replace(".", "") in ("VO", "OS", "OC") for x in el.extensions):
                who = [c for c in who if c.upper() != speaker.upper()] or present[:1]
                note = f"{speaker} is heard ({', '.join(el.extensions)})"
                size = ShotSize.MS
                if len(who) < 2:  # nobody left to look past: a plain eye-level shot of the listener
                    angle = Angle.EYE_LEVEL
            if notes:
                note += "; " + "; ".join(notes)
            parts = _speech_parts(speech)
            for k, part in enumerate(parts):
                # A long speech is covered in several shots, pushing in as it goes on.
                part_size = size if k == 0 else (ShotSize.CU if size is not ShotSize.CU else ShotSize.MCU)
                shots.append(_shot(n, part_size, "dialogue", angle=angle, action=f"{speaker} speaks.", characters=who,
                                   dialogue=f"{speaker}: {part}", notes=note if k == 0 else f"{note}; continued",
                                   seconds=1.0 + _words(part) / WORDS_PER_SECOND))
            if non_speaking and not cutaway_done:
                watcher = non_speaking[0]
                shots.append(_shot(n, ShotSize.MCU, "cutaway", action=f"Cutaway: {watcher} reacts.", characters=[watcher],
                                   notes="cutaway", seconds=1.5))
                cutaway_done = True
            continue
        i += 1
    for prop in props_left:  # props named only in passing still get their insert
        shots.append(_shot(n, ShotSize.CU, "insert", action=f"Insert: the {prop.lower()}.", notes=f"insert: {prop}",
                           seconds=2.0))
    shots = _thin(shots, scene.seconds)
    for k, shot in enumerate(shots, start=1):
        shot.number = k
    return fit_durations(shots, scene.seconds)


SPEECH_CHARS = 300


def _speech_parts(speech: str) -> list[str]:
    """Split a long speech at sentence ends into parts of about SPEECH_CHARS characters."""
    if len(speech) <= SPEECH_CHARS:
        return [speech]
    sentences = re.split(r"(?<=[.!?…])\s+", speech)
    parts, current = [], ""
    for sentence in sentences:
        while len(sentence) > SPEECH_CHARS:  # one endless sentence: cut at a space
            cut = sentence.rfind(" ", 0, SPEECH_CHARS)
            cut = cut if cut > 0 else SPEECH_CHARS
            if current:
                parts.append(current)
                current = ""
            parts.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if current and len(current) + 1 + len(sentence) > SPEECH_CHARS:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return parts


def _thin(shots: list[Shot], target_s: float) -> list[Shot]:
    """When even the shortest shots overrun the scene, drop what is not dialogue: action beats
    first, then cutaways, then inserts (the establishing shot and the master stay). A scene long only because its
    lines take long to say keeps its shots: it runs long (see fit_durations)."""
    for kind in ("action", "cutaway", "insert"):
        while len(shots) * MIN_SHOT_S > target_s * (1 + TOLERANCE):
            victims = [s for s in shots if s.role == kind]
            if not victims:
                break
            shots.remove(victims[-1])
    return shots


def fit_durations(shots: list[Shot], target_s: float) -> list[Shot]:
    """Scale the shots' durations so that they add up to the scene's screen time.

    No shot goes under its floor (MIN_SHOT_S; for a dialogue shot, the time its lines take to say) nor, unless
    its lines need it, over MAX_SHOT_S: a shot held at a bound keeps it and the others share what is left. When the
    floors alone exceed the scene, every shot sits at its floor and the scene runs long: dialogue is not cut."""
    if not shots or target_s <= 0:
        return shots
    floors = [floor_seconds(s) for s in shots]
    ceilings = [max(MAX_SHOT_S, f) for f in floors]
    held: dict[int, float] = {}  # index → the bound it is held at
    for _ in range(len(shots) + 1):
        free = [k for k in range(len(shots)) if k not in held]
        budget = target_s - sum(held.values())
        weight = sum(shots[k].duration_s for k in free)
        factor = budget / weight if free and weight > 0 else 0.0
        over = {k: floors[k] for k in free if shots[k].duration_s * factor < floors[k]}
        over |= {k: ceilings[k] for k in free if shots[k].duration_s * factor > ceilings[k]}
        if not over:
            break
        held |= over
    for k, s in enumerate(shots):
        seconds = held[k] if k in held else s.duration_s * factor
        s.duration_s = max(math.ceil(floors[k] * 10 - 1e-6) / 10, round(seconds, 1))
    return shots


def within_tolerance(shots: list[Shot], target_s: float) -> bool:
    """The shots add up to the scene's time, or are all at their floors (the scene runs long: dialogue is not cut)."""
    total = sum(s.duration_s for s in shots)
    floors = sum(math.ceil(floor_seconds(s) * 10 - 1e-6) / 10 for s in shots)
    return abs(total - target_s) <= target_s * TOLERANCE or total <= floors + 0.05 * len(shots)


def plan(doc: FountainDocument, breakdown: Breakdown) -> ShotList:
    """Coverage for every scene of the script."""
    _, chunks = scene_chunks(doc)
    shots: list[Shot] = []
    previous_location = None
    for scene, chunk in zip(breakdown.scenes, chunks):
        new_location = scene.location.upper() != (previous_location or "").upper()
        shots.extend(plan_scene(scene, chunk[1:], new_location=new_location))
        previous_location = scene.location
    return ShotList(shots=shots)


def uncovered_dialogue(doc: FountainDocument, breakdown: Breakdown, shots: ShotList) -> list[tuple[int, str]]:
    """Speeches of the script that no shot carries: (scene, speaker)."""
    _, chunks = scene_chunks(doc)
    missing = []
    for scene, chunk in zip(breakdown.scenes, chunks):
        carried = " ".join(s.dialogue.split(": ", 1)[-1] for s in shots.shots if s.scene == scene.number)
        for k, el in enumerate(chunk):
            if el.type is ElementType.DIALOGUE:
                speech = " ".join(el.plain.split())
                if speech and speech not in carried:
                    cue = next((c.text for c in reversed(chunk[:k]) if c.type is ElementType.CHARACTER), "?")
                    missing.append((scene.number, cue))
    return missing
