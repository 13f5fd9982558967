"""Changing one shot as a director says it: 'a low angle close-up on an 85mm, slow push-in', 'from lower, at dusk'.

A domain operation: the conversation ("redo shot 3 as …", "show me shot 1.2 from lower, at dusk") and the
Cinematographer's render tools both come here. `shot_changes` reads words into the shot's fields (size, angle,
move, lens, duration, time of day, mood); `change_shot` applies them to that one shot and nothing else: the fields
set are marked as the person's (`Shot.person`, which a redraft by the crew keeps), that shot's prompt alone is
assembled again, and shots and prompts are saved in one scoped change (studio.ports.ProjectPort.amend), so no
stage goes back to draft or stale and no other shot (nor its boards and clips) changes.

The craft rules (studio.craft) hold after a change, with one exception: what a person explicitly asked for wins.
Their words name a size, an angle or a lens, and a rule that would undo that choice is waived for that shot (a
director may want a close-up establishing shot); a lens they did not name follows the size they did. The other
rules still hold (the master keeps every speaker), and the dialogue floor always does: no shot is cut shorter than
its lines take to say. A model's words (`strict=True`, the Cinematographer's tools) waive nothing and are not
marked as the person's.
"""

from __future__ import annotations

import math
import re
from typing import Any

from studio.coverage import LENS_FOR_SIZE
from studio.craft import Correction, enforce, speech_seconds
from studio.errors import StageError
from studio.models import Angle, Movement, Shot, ShotList, ShotSize, shot_code
from studio.ports import ChangeResult, ProjectPort
from studio.project import Author
from studio.stages import Stage

SIZE_WORDS = [(r"extreme close[- ]?up|\becu\b", ShotSize.ECU), (r"medium close[- ]?up|\bmcu\b", ShotSize.MCU),
              (r"close[- ]?up|\bcu\b", ShotSize.CU), (r"extreme wide|\bews\b", ShotSize.EWS),
              (r"medium (long|wide)|\bmls\b", ShotSize.MLS), (r"wide|\bws\b|long shot", ShotSize.WS),
              (r"medium|\bms\b", ShotSize.MS)]
ANGLE_WORDS = [(r"low[- ]angle|from (?:below|lower)", Angle.LOW), (r"high[- ]angle|from (?:above|higher)", Angle.HIGH),
               (r"overhead|bird'?s[- ]eye|top[- ]down", Angle.OVERHEAD), (r"dutch|canted", Angle.DUTCH),
               (r"over[- ]the[- ]shoulder|\bots\b", Angle.OVER_THE_SHOULDER), (r"\bpov\b|point of view", Angle.POV),
               (r"eye[- ]level", Angle.EYE_LEVEL)]
MOVE_WORDS = [(r"dolly[- ]in", Movement.DOLLY_IN), (r"dolly[- ]out", Movement.DOLLY_OUT),
              (r"push[- ]in", Movement.PUSH_IN), (r"pull[- ]out|pull[- ]back", Movement.PULL_OUT),
              (r"zoom[- ]in", Movement.ZOOM_IN), (r"zoom[- ]out", Movement.ZOOM_OUT), (r"\bpan", Movement.PAN),
              (r"\btilt", Movement.TILT), (r"track|follow", Movement.TRACK), (r"handheld", Movement.HANDHELD),
              (r"crane|jib", Movement.CRANE), (r"static|locked[- ]off", Movement.STATIC)]
# A time of day in words → the heading word (studio.prompts.LIGHT_FOR_TIME has its light). "at", "in the",
# "by" before it belong to it: what picture_words leaves over is never "at".
_AT = r"(?:\b(?:at|in|by|during|around|just before|just after)\s+(?:the\s+)?)?"
TIME_WORDS = [(r"blue hour|twilight|dusk|nightfall", "DUSK"), (r"golden hour|magic hour", "MAGIC HOUR"),
              (r"sunset|sundown", "SUNSET"), (r"sunrise|sunup", "SUNRISE"), (r"dawn|first light|daybreak", "DAWN"),
              (r"midnight", "MIDNIGHT"), (r"late night", "LATE NIGHT"), (r"night(?:time)?", "NIGHT"),
              (r"noon|midday", "NOON"), (r"afternoon", "AFTERNOON"), (r"morning", "MORNING"),
              (r"evening", "EVENING"), (r"day(?:time|light)?", "DAY")]
TIMES_OF_DAY = ("DUSK", "DAWN", "NIGHT", "DAY", "MORNING", "EVENING", "SUNSET", "SUNRISE", "NOON", "AFTERNOON",
                "MAGIC HOUR", "MIDNIGHT", "LATE NIGHT")
_DURATION = (r"(?:\b(?:for|lasting|hold(?: it)? for|make it)\s+)?(\d{1,3}(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b"
             r"(?:\s+long)?")
_MOOD = r"\b(?:mood|feel(?:s|ing)?)\s+(?:of\s+|is\s+|more\s+)?([a-z][a-z-]{2,30})\b(?:\s+mood)?" \
        r"|\b([a-z][a-z-]{2,30})\s+mood\b"
_NOT_MOODS = {"the", "a", "an", "like", "it", "this", "that", "low", "high", "wide", "close", "lower", "higher"}
FIELDS = ("size", "angle", "movement", "lens_mm", "duration_s", "time_of_day", "mood")
ALIASES = {"lens": "lens_mm", "duration": "duration_s", "move": "movement", "time": "time_of_day"}
ASK = "name a size, angle, move, lens, time of day, duration or mood"


def _time_pattern(words: str) -> str:
    return _AT + r"\b(?:" + words + r")\b"


def shot_changes(words: str) -> dict[str, Any]:
    """'a low angle close-up on a 85mm, slow push-in, at dusk, 4 seconds' → size, angle, movement, lens,
    time of day and duration (and a mood: 'mood tense', 'feel eerie')."""
    changes: dict[str, Any] = {}
    for table, key in ((SIZE_WORDS, "size"), (ANGLE_WORDS, "angle"), (MOVE_WORDS, "movement")):
        for pattern, value in table:
            if re.search(pattern, words, re.IGNORECASE):
                changes[key] = value
                break
    lens = re.search(r"(\d{2,3})\s*mm", words)
    if lens:
        changes["lens_mm"] = max(8, min(600, int(lens.group(1))))
    for pattern, time in TIME_WORDS:
        if re.search(_time_pattern(pattern), words, re.IGNORECASE):
            changes["time_of_day"] = time
            break
    seconds = re.search(_DURATION, words, re.IGNORECASE)
    if seconds and 0 < float(seconds.group(1)) <= 600:
        changes["duration_s"] = float(seconds.group(1))
    for m in re.finditer(_MOOD, words, re.IGNORECASE):
        mood = (m.group(1) or m.group(2) or "").lower()
        if mood and mood not in _NOT_MOODS and not _vocabulary(mood):
            changes["mood"] = mood
            break
    return changes


def _vocabulary(word: str) -> bool:
    """Whether a word is one of the shot vocabulary's (a size, angle, move or time), never a mood."""
    tables = [p for p, _ in SIZE_WORDS + ANGLE_WORDS + MOVE_WORDS] + [_time_pattern(p) for p, _ in TIME_WORDS]
    return any(re.search(p, word, re.IGNORECASE) for p in tables)


def picture_words(words: str) -> str:
    """What is left of a request once what became a field is taken out: 'from lower, at dusk, in the rain' →
    'rain'. Nothing of a time of day, duration or mood is left over to contradict the prompt."""
    extra = words
    for table in (SIZE_WORDS, ANGLE_WORDS, MOVE_WORDS):
        for pattern, _ in table:
            extra = re.sub(pattern + r"\w*", " ", extra, flags=re.IGNORECASE)
    for pattern, _ in TIME_WORDS:
        extra = re.sub(_time_pattern(pattern), " ", extra, flags=re.IGNORECASE)
    extra = re.sub(r"(\d{2,3})\s*mm\b|" + _DURATION, " ", extra, flags=re.IGNORECASE)
    extra = re.sub(_MOOD, lambda m: " " if (m.group(1) or m.group(2) or "").lower() not in _NOT_MOODS else m.group(0),
                   extra, flags=re.IGNORECASE)
    extra = re.sub(r"\b(from|as|with|a|an|the|angle|shot|in|at|on|and|but|please|lens|camera|make it|it|me|"
                   r"again|now|another|new|one more time|slow|slowly|gentle|gently|quick|quickly)\b", " ",
                   extra, flags=re.IGNORECASE)
    return re.sub(r"[\s,;.]+", " ", extra).strip()


def normalized(changes: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Changes as the shot holds them (enums, millimetres, seconds, a heading word), from values or the words a
    parser gave ('low', '85', '4', 'dusk'); and a sentence for each one that cannot be a shot's."""
    done: dict[str, Any] = {}
    not_done: list[str] = []
    enums: dict[str, Any] = {"size": ShotSize, "angle": Angle, "movement": Movement}
    for key, value in changes.items():
        key = ALIASES.get(key, key)
        said = getattr(value, "value", value)
        try:
            if key in enums:
                done[key] = value if isinstance(value, enums[key]) else _enum(enums[key], str(value), key)
            elif key == "lens_mm":
                mm = float(str(value).lower().replace("mm", "").strip())
                if not 8 <= mm <= 600:  # said, not clamped: 0 mm is no lens, and 100000 mm no one's choice
                    not_done.append(f"{str(said)!r} is no lens for a shot: a lens is 8 to 600 mm")
                    continue
                done[key] = int(mm)
            elif key == "duration_s":
                seconds = float(str(value).lower().rstrip("s").replace("second", "").strip())
                if not 0 < seconds <= 600:
                    not_done.append(f"{str(said)!r} is no length for a shot: a shot lasts more than 0 and at most "
                                    "600 seconds")
                    continue
                done[key] = seconds
            elif key == "time_of_day":
                done[key] = _time(str(value))
            elif key == "mood":
                mood = " ".join(str(value).split())[:120]
                if not mood:
                    raise ValueError(value)
                done[key] = mood
            else:
                not_done.append(f"a shot has no {key.replace('_', ' ')} to change ({ASK})")
        except ValueError:
            field = {"lens_mm": "lens", "duration_s": "duration", "time_of_day": "time of day"}.get(key, key)
            not_done.append(f"I could not tell what {str(said)!r} should make the {field}: {ASK}")
    return done, not_done


def _enum(kind: Any, text: str, key: str) -> Any:
    for member in kind:
        if text.strip().lower() in (member.value.lower(), member.name.lower().replace("_", " ")):
            return member
    found = shot_changes(text if key != "angle" or " " in text else f"{text} angle").get(key)
    if found is None:
        raise ValueError(text)
    return found


def _time(text: str) -> str:
    upper = " ".join(text.upper().split())
    if upper in TIMES_OF_DAY:
        return upper
    found = shot_changes(text).get("time_of_day")
    if found is None:
        raise ValueError(text)
    return str(found)


def _described(key: str, value: Any) -> str:
    value = getattr(value, "value", value)
    if key == "duration_s":
        return f"{float(value):g} s long"
    return {"size": f"size {value}", "angle": f"angle {value}", "movement": f"move {value}",
            "lens_mm": f"lens {value} mm", "time_of_day": f"at {str(value).lower()}",
            "mood": f"mood {value}"}.get(key, f"{key} {value}")


def described(changes: dict[str, Any]) -> str:
    """'angle low, at dusk': what changed, in words."""
    return ", ".join(_described(k, v) for k, v in changes.items())


def change_shot(store: ProjectPort, scene: int, number: int, changes: dict[str, Any], *, words: str = "",
                strict: bool = False, author: Author | None = None,
                ) -> tuple[ChangeResult, Shot, dict[str, Any], list[str]]:
    """Change one shot as asked, keep the craft rules (see the module's note), assemble its prompt again and save
    shots and prompts in one scoped change: (the change, the shot, what changed with its final values, a sentence
    for each part not done). ``author``: who asked (a person's request is their commit); else the Cinematographer."""
    from studio.scoped import reassemble  # helper S's module: the prompts of only the shots named

    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError("there is no shot list yet", "draft the shots first ('next' until the shots stage)")
    shot = next((s for s in shots.shots if s.scene == scene and s.number == number), None)
    code = shot_code(scene, number)
    if shot is None:
        raise StageError(f"there is no shot {code}", f"see /shots {scene} for the shots of scene {scene}")
    wanted, not_done = normalized(changes)
    if not wanted:
        raise StageError(not_done[0] if not_done else f"I could not tell what to change in {code}",
                         f"{ASK} (e.g. 'shot {scene}.{number} from lower, at dusk')")
    asked = {k for k in wanted if k in ("size", "angle", "lens_mm")}  # before the lens that follows the size
    if not strict:  # what the person asked of this shot before stays theirs too
        asked |= {k for k in shot.person if k in ("size", "angle", "lens_mm")}
        for earlier in re.findall(r"redone as ([^;]+)", shot.notes):  # shots saved before `person`
            asked |= {k for k in shot_changes(earlier) if k in ("size", "angle", "lens_mm")}
    if "size" in wanted and "lens_mm" not in wanted:
        wanted["lens_mm"] = LENS_FOR_SIZE[wanted["size"]]
    before = {key: getattr(shot, key) for key in FIELDS}
    for key, value in wanted.items():
        setattr(shot, key, value)
    if not strict:
        shot.person = [*shot.person, *(k for k in wanted if k not in shot.person)][:20]
    if words.strip():
        shot.notes = f"{shot.notes}; redone as {' '.join(words.split())}".strip("; ")[-1000:]
    the_scene = next((s for s in store.breakdown().scenes if s.number == scene), None)
    corrections: list[Correction] = []
    if the_scene is not None:
        # The rules for this shot only (another shot of the scene may hold a person's earlier choice), and no
        # refit of the scene's durations: the other shots stay as they are, boards and clips with them.
        corrections = enforce([shot], the_scene.model_copy(update={"seconds": 0.0}),
                              waive={} if strict else {shot.code: asked})
    floor = math.ceil(speech_seconds(shot.dialogue) * 10 - 1e-6) / 10
    if "duration_s" in wanted and shot.duration_s < floor:
        shot.duration_s = floor
    if "duration_s" in wanted and shot.duration_s != wanted["duration_s"]:
        not_done.append(f"{code} stays {shot.duration_s:g} s, not {wanted['duration_s']:g} s: its lines take "
                        f"{floor:g} s to say")
    for key in FIELDS:  # what the shot is now, where a rule changed it too
        if key in wanted or getattr(shot, key) != before[key]:
            wanted[key] = getattr(shot, key)
    prompts = reassemble(store, {(scene, number)}, shot_list=shots)
    if prompts is not None and any(k in wanted for k in ("time_of_day", "mood")):
        entry = next((p for p in prompts.prompts if (p.scene, p.number) == (scene, number)), None)
        if entry is not None and entry.frame_override:
            not_done.append(f"{code} keeps the frame prompt you wrote for it, so its board does not show the new "
                            f"{'time of day' if 'time_of_day' in wanted else 'mood'}: edit that prompt to add it")
    summary = f"redo {code} as {(' '.join(words.split()) or described(wanted))[:60]}"
    if corrections:
        summary += "; corrected " + "; ".join(str(c) for c in corrections)[:300]
    artifacts: dict[Stage, Any] = {Stage.SHOTS: shots}
    if prompts is not None:
        artifacts[Stage.PROMPTS] = prompts
    change = store.amend(artifacts, author=author or Author.agent("Cinematographer"), summary=summary, action="revise")
    return change, shot, wanted, not_done


def revise_shot(store: ProjectPort, scene: int, number: int, words: str, *,
                strict: bool = False) -> tuple[ChangeResult, Shot, dict[str, Any]]:
    """Change one shot as the words say (size, angle, move, lens, duration, time of day, mood): change_shot with
    shot_changes(words). (the change, the shot, what changed, with the final value of anything a rule corrected)."""
    changes = shot_changes(words)
    if not changes:
        raise StageError(f"I could not tell what to change in {words!r}", ASK.capitalize() + " (85mm, at dusk)")
    change, shot, done, _ = change_shot(store, scene, number, changes, words=words, strict=strict)
    return change, shot, done
