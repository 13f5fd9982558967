"""What the owner of a review note proposes: a concrete fix said in words, and the command lines that do it.

The lines are the same commands a person could type (/change, /shot, /prompt, /line, /render), so /fix does
exactly what chat does: the same commits, the same cascade, the same render gate. Each proposal is made from
the project as it is when the note is left (the shot's size, its duration, its prompt, its speech)."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from studio.engine.conversation import Conversation
from studio.models import Shot, ShotList
from studio.ports import ProjectPort
from studio.review import CUT_SHOT, SAID_COLON, Category
from studio.shot_revision import shot_changes
from studio.stages import Stage

SIZE_STEPS = ["ECU", "CU", "MCU", "MS", "MLS", "WS", "EWS"]  # tightest to widest
TIGHTER = re.compile(r"\b(closer|tighter|close-?up|nearer|push in)\b", re.IGNORECASE)
WIDER = re.compile(r"\b(wider|looser|further|farther|pull back|see more)\b", re.IGNORECASE)
LONGER = re.compile(r"\b(too (fast|quick|short)|rushed|longer|hold|linger|lengthen|more time|breathe|a beat)\b",
                    re.IGNORECASE)
SLOWER = re.compile(r"\b(too (quickly|fast|quick)|faster|rushed|slow (it )?down|slower)\b", re.IGNORECASE)
FASTER = re.compile(r"\b(too (slowly|slow)|slowly|slower than|drag\w*|speed (it )?up|faster)\b", re.IGNORECASE)
PUNCH = re.compile(r"^(?:the line (?:is )?)?(?:too )?(?:flat|weak|punch (?:it )?up|punchier|sharper|on the nose|"
                   r"better line|could be better)\W*$", re.IGNORECASE)
SECONDS = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b", re.IGNORECASE)
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{2,300})[\"\u201d]")
PRONOUN = re.compile(r"\b(her|his|their|she|he|they)\b(?:\s+is\b|'s\b)?", re.IGNORECASE)
VERB_AFTER = re.compile(r"(?:\s+is|'s)$", re.IGNORECASE)
GRADE = re.compile(r"\b(white balance|colou?r (cast|grade|grading)|tint(ed)?|graded|(everything|it all|the whole thing) "
                   r"(looks|is) (too )?\w+)\b", re.IGNORECASE)
SHOT_FIELD = {"size": "size", "angle": "angle", "movement": "move", "lens_mm": "lens", "duration_s": "duration"}
MIN_SECONDS, MAX_SECONDS = 0.5, 600.0


def find_shot(store: ProjectPort, code: str) -> Shot:
    shots = store.read(Stage.SHOTS)
    for shot in shots.shots if isinstance(shots, ShotList) else []:
        if shot.code == code:
            return shot
    from studio.errors import StageError

    raise StageError(f"{code} is not a shot of the shot list any more", "see /shots for the shots there are")


def render_lines(code: str, clips: bool) -> list[str]:
    """The shot drawn again: its board, and when the cut is made of clips its clip after it (from the new board —
    a clip alone would leave the board out of date and the storyboard showing the old picture)."""
    return [f"/render boards {code} yes"] + ([f"/render clips {code} yes"] if clips else [])


class Proposal(NamedTuple):
    """What the owner would do: the words said to the person, the command lines that do it (none: the owner asks
    first), and the stage it truly goes to (a look note on a shot with nobody in it is a prompt edit)."""

    words: str
    commands: list[str]
    category: Category


def propose(conv: Conversation, code: str, text: str, category: Category, *, clips: bool) -> Proposal:
    """The fix of a note on shot ``code``, made from the project as it is now. /fix calls this again rather than
    trust the lines stored with the note: notes.json is a file anyone can edit, and what runs is only ever what
    the owner of that category proposes for that shot."""
    shot = find_shot(conv.require_project(), code)
    maker = {Category.LOOK: _look, Category.SHOT_DESIGN: _design, Category.TIMING: _timing,
             Category.PROMPT: _prompt, Category.RENDER: _render, Category.SCRIPT: _script, Category.SOUND: _sound,
             Category.UNCLEAR: _ask}[category]
    words, commands, *used = maker(conv, shot, text, clips)
    return Proposal(words, commands, used[0] if used else category)


def _ask(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    return (f"I can't tell what should change in {shot.code} from \u201c{text[:80]}\u201d, so I won't guess. Is it the "
            f"words, the look, the framing, the timing or a bad render? Say it as a note, e.g. /note {shot.code} "
            f"closer on her, /note {shot.code} too slow, /note {shot.code} the face is smeared.", [])


def _sound(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    """How a line is said: the speaker's voice (/voice), not the words; a shot nobody speaks in is asked about."""
    speech = _speech(conv, shot)
    who = speech[1] if speech is not None else (shot.dialogue.partition(":")[0].strip() if ":" in shot.dialogue
                                                 else "")
    if not who:
        return (f"{shot.code} has no line, so there is no voice of it to change. Which sound is wrong? Say it with "
                f"/voice NAME or /cue CUE.", [])
    if SLOWER.search(text) or FASTER.search(text):
        how = "slower" if SLOWER.search(text) else "faster"
        return (f"That is how {who} says it, not what: I'll make {who}'s voice {how} (the words stay). Render the "
                f"sound and the cut again to hear it.", [f"/voice {who} {how}"])
    direction = " ".join(text.split()).rstrip(".")[:120]
    return (f"That is how {who} says it, not what: I'll give {who}'s voice the direction \u201c{direction}\u201d (the "
            f"words stay). Render the sound and the cut again to hear it.", [f"/voice {who} direction: {direction}"])


def _render(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    kind = "clip" if clips else "board"
    return (f"I'll render {shot.code} again with a new seed (a new {kind} take, made active so the cut uses it); "
            f"its shot and prompt stay as they are.", render_lines(shot.code, clips))


def _timing(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    """A new duration for the shot, never under what the refit keeps (its floor: a dialogue shot lasts as long
    as its lines take to say), so what /fix asks for is what the shot becomes."""
    from studio.coverage import floor_seconds

    said = SECONDS.search(text)
    now = shot.duration_s
    if CUT_SHOT.search(text):  # "cut this shot": a note cannot take a shot out of the shot list; it can make it brief
        floor = max(MIN_SECONDS, math.ceil(floor_seconds(shot) * 10 - 1e-6) / 10)
        if floor >= round(now, 1):
            return (f"{shot.code} is as short as it can be ({now:g} s). Taking a shot out is a change of the shot "
                    "list: /shotlist, or /scene rewrite for the scene.", [])
        return (f"A note cannot take {shot.code} out of the shot list, so I'll make it as short as it may be: "
                f"{now:g} s to {floor:g} s. To remove it, change the shot list (/shotlist). Render the cut again "
                "(/render cut) to see it.", [f"/shot {shot.code} duration {floor:g}"])
    floor = math.ceil(floor_seconds(shot) * 10 - 1e-6) / 10  # as the refit rounds it (studio.person)
    if said:
        seconds = float(said.group(1))
    elif LONGER.search(text):
        seconds = now * 1.4  # a held beat: two fifths longer
    else:
        seconds = now * 0.7  # too slow: a third off, the usual trim of a shot that drags
    asked = seconds
    seconds = round(min(MAX_SECONDS, max(MIN_SECONDS, floor, seconds)), 1)
    if seconds == round(now, 1) and LONGER.search(text):
        seconds = round(now + 0.5, 1)
    why = f"its lines take {floor:g} s to say" if shot.dialogue.strip() else f"no shot is shorter than {floor:g} s"
    if seconds == round(now, 1) or (seconds > now and not (said or LONGER.search(text))):
        instead = (f"A shorter line would do it: say /note {shot.code} the line is too long, and the Screenwriter "
                   f"trims it." if shot.dialogue.strip() else "Cutting the shot out is a change of the shot list "
                   "(/shots).")
        return f"{shot.code} cannot be shorter than {floor:g} s: {why}, and it is {now:g} s now. {instead}", []
    how = "shorten" if seconds < now else "lengthen"
    kept = f" (not {asked:g} s: {why})" if said and seconds > asked else ""
    return (f"I'll {how} {shot.code} from {now:g} s to {seconds:g} s{kept}; the shots around it keep their length. "
            f"Render the cut again (/render cut) to see it.", [f"/shot {shot.code} duration {seconds:g}"])


def _design(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    changes = {k: v for k, v in shot_changes(text).items() if k in SHOT_FIELD}
    if "size" not in changes and (TIGHTER.search(text) or WIDER.search(text)):
        step = -1 if TIGHTER.search(text) else 1
        at = SIZE_STEPS.index(shot.size.value)
        changes["size"] = SIZE_STEPS[max(0, min(len(SIZE_STEPS) - 1, at + step))]
    if not changes:  # words of framing the shot's fields do not hold: they go into its prompt
        return _prompt(conv, shot, text, clips)
    fields = " ".join(f"{SHOT_FIELD[k]} {getattr(v, 'value', v)}" for k, v in changes.items())
    said = ", ".join(f"{SHOT_FIELD[k]} {getattr(v, 'value', v)}" for k, v in changes.items())
    return (f"I'll make {shot.code} {said} (it is {shot.size.value}, {shot.angle.value}, {shot.movement.value}, "
            f"{shot.lens_mm} mm now) and draw it again.", [f"/shot {shot.code} {fields}", *render_lines(shot.code, clips)])


def _look(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]] | tuple[
        str, list[str], Category]:
    """A look note names a character, place or prop (or says 'her' of the one character in the shot): the Art
    Director changes it where it shows (/change, scene by scene), then this shot is drawn again."""
    from studio.engine.directing import read

    if GRADE.search(text):  # the whole picture's colour: the look's light and palette, not a thing in the shot
        return (f"That is the colour of the whole picture, which the boards take from the look's light and palette "
                f"(/look). Say how scene {shot.scene} should be lit, e.g. /change scene {shot.scene} is lit warmer, "
                f"and I'll draw it again; I won't paste the note into a prompt.", [])
    named = _named(text, shot)
    words = named if "scene" in named.lower() else f"{named.rstrip('.!')} in scene {shot.scene}"
    # Read with and without the scene added: 'and approve the script in scene 1' hides the approval it ends with.
    intents = [i for said in dict.fromkeys([named, words]) for i in read(conv, said)[0]]
    if not intents or any(i.kind != "change" or not i.target for i in intents):
        # Only a change may run as /change: words that also read as another order ('then cut scene 2',
        # 'and approve the script') would be carried out by it, so the note goes into this shot's prompt only.
        said, commands = _prompt(conv, shot, text, clips)
        why = ("Nothing of the look is named there" if not any(i.kind == "change" and i.target for i in intents)
               else "Your note says more than a change of the look, and a note only changes its shot")
        return f"{why}, so it is a change of this shot's picture: {said}", commands, Category.PROMPT
    return (f"I'll change the look as you say ({words}), in every shot of scene {shot.scene} it shows in, and draw "
            f"{shot.code} again; the other boards it touches wait for /render stale.",
            [f"/change {words}", *render_lines(shot.code, clips)])


def _named(text: str, shot: Shot) -> str:
    """'her coat should be red' on a shot of NELL alone → "NELL's coat should be red"."""
    if len(shot.characters) != 1 or any(c.lower() in text.lower() for c in shot.characters):
        return text
    name = shot.characters[0]

    def one(m: re.Match[str]) -> str:
        word = m.group(1).lower()
        if word in ("her", "his", "their") and not VERB_AFTER.search(m.group(0)):
            return f"{name}'s"
        return name + m.group(0)[len(m.group(1)):]

    return PRONOUN.sub(one, text, count=1)


def _prompt(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    from studio.prompts import effective

    prompts = conv.require_project().read(Stage.PROMPTS)
    mine = next((p for p in getattr(prompts, "prompts", []) if (p.scene, p.number) == (shot.scene, shot.number)),
                None)
    base = effective(mine)[0] if mine is not None else shot.action
    words = " ".join(text.split()).rstrip(".")
    prompt = f"{base}, {words}" if words.lower() not in base.lower() else base
    return (f"I'll write your words into {shot.code}'s frame prompt (\u201c{words}\u201d, kept when prompts are "
            f"rebuilt) and draw it again.", [f"/prompt {shot.code} {prompt[:1900]}", *render_lines(shot.code, clips)])


def _script(conv: Conversation, shot: Shot, text: str, clips: bool) -> tuple[str, list[str]]:
    """A note on what is said: the shot's speech gets the person's quoted words, or the Screenwriter punches it
    up; a shot without a speech goes back to the Screenwriter's scene rewrite."""
    speech = _speech(conv, shot)
    found = QUOTED.search(text)
    colon = None if found else SAID_COLON.search(text)  # "Nell should say: Do I look…" quotes too
    quoted = found.group(1) if found else (colon.group(2) if colon else None)
    if speech is None:
        notes = " ".join(text.split())[:300]
        return (f"{shot.code} has no line, so I'll rewrite scene {shot.scene} with your note ({notes}); the shots "
                f"of the scene are made again from it.", [f"/scene rewrite {shot.scene} {notes}"])
    k, who, line = speech
    if quoted:
        new = quoted.strip()
        return (f"I'll give {who} your words in scene {shot.scene}, speech {k}: \u201c{new}\u201d (was "
                f"\u201c{line[:80]}\u201d).", [f"/line {shot.scene}.{k} {new}"])
    if PUNCH.match(text.strip()):
        return (f"I'll have the Screenwriter punch up {who}'s line in scene {shot.scene}, speech {k} "
                f"(\u201c{line[:80]}\u201d), keeping what it says.", [f"/line {shot.scene}.{k} punch up"])
    notes = " ".join(text.split())[:240]
    ask = f"change only {who}'s speech {k} (\u201c{line[:60]}\u201d): {notes}"
    return (f"I'll have the Screenwriter rewrite scene {shot.scene} with your note, asking to {ask}; the shots of the "
            f"scene are made again from it.", [f"/scene rewrite {shot.scene} {ask}"])


def _speech(conv: Conversation, shot: Shot) -> tuple[int, str, str] | None:
    """(K, character, words) of the speech the shot holds, numbered as /line numbers them."""
    from studio import script_ops as ops

    if not shot.dialogue.strip():
        return None
    script = conv.require_project().read_script()
    if script is None:
        return None
    who, _, words = shot.dialogue.partition(":")
    for k, speech in enumerate(ops.speeches(script.fountain, shot.scene), start=1):
        if speech.character.upper() == who.strip().upper() and _same(speech.text, words):
            return k, speech.character, speech.text
    return None


def _same(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", s.lower()).split())

    x, y = norm(a), norm(b)
    return bool(x and y) and (x.startswith(y[:40]) or y.startswith(x[:40]))
