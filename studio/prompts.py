"""Prompt assembly: each shot's frame and video prompt, built the same way every time.

A prompt is made from the shot (size, angle, lens, movement, action), the
characters in it as the look describes them and as they are in that scene
(wardrobe, injuries, dirt, what they hold), the location, the time of day and
the style capsule. A person's override of a shot's prompt is kept when the
prompts are assembled again.

A shot's own time of day (a person's "at dusk") wins over its scene's heading: its light alone is named, never
both. A shot's mood and a character's hair go into the words when they are set.
"""

from __future__ import annotations

import re

from studio.models import (
    SHOT_SIZE_NAMES, Angle, Breakdown, Look, Movement, Prompts, Shot, ShotList, ShotPrompt,
)

ANGLE_WORDS = {
    Angle.EYE_LEVEL: "eye-level",
    Angle.HIGH: "high angle looking down",
    Angle.LOW: "low angle looking up",
    Angle.OVERHEAD: "overhead top-down view",
    Angle.DUTCH: "dutch angle, tilted horizon",
    Angle.OVER_THE_SHOULDER: "over-the-shoulder",
    Angle.POV: "point-of-view",
}
MOVEMENT_WORDS = {
    Movement.STATIC: "static locked-off camera",
    Movement.PAN: "slow pan",
    Movement.TILT: "slow tilt",
    Movement.DOLLY_IN: "dolly in",
    Movement.DOLLY_OUT: "dolly out",
    Movement.PUSH_IN: "slow push-in",
    Movement.PULL_OUT: "slow pull-out",
    Movement.TRACK: "tracking shot",
    Movement.ZOOM_IN: "zoom in",
    Movement.ZOOM_OUT: "zoom out",
    Movement.HANDHELD: "handheld camera",
    Movement.CRANE: "crane move",
}
LIGHT_FOR_TIME = {
    "NIGHT": "night, practical lights", "LATE NIGHT": "late night, practical lights",
    "DAWN": "dawn light", "SUNRISE": "sunrise light", "MORNING": "morning light",
    "DAY": "daylight", "NOON": "hard noon light", "AFTERNOON": "afternoon light",
    "EVENING": "evening light", "DUSK": "dusk, blue hour", "SUNSET": "golden hour sunset",
    "MAGIC HOUR": "golden hour", "MIDNIGHT": "midnight darkness",
}
DEFAULT_NEGATIVE = "text, watermark, logo, deformed hands, extra fingers, blurry, low quality"
# Words that already say what they are about: "red hair", "a tight bun"; "tense mood", "an eerie atmosphere".
HAIR_WORDS = re.compile(r"\b(hair|haired|bald|shaved|bob|braids?|braided|bun|ponytail|pigtails|curls|dreadlocks|"
                         r"locks|mohawk|fringe|bangs|buzz ?cut|crew ?cut|afro|mullet|updo)\b", re.I)
_MOOD_WORDS = re.compile(r"\b(mood|moody|atmosphere|feel|feeling|tone|air)\b", re.I)


def _join(parts: list[str]) -> str:
    seen: list[str] = []
    for p in parts:
        p = " ".join(p.split()).strip(" ,.")
        if p and p.lower() not in (s.lower() for s in seen):
            seen.append(p)
    return ", ".join(seen)


def _character_words(shot: Shot, look: Look) -> list[str]:
    state = look.state(shot.scene)
    words = []
    for name in shot.characters:
        char = look.character(name)
        desc = [name.title()]
        if char:
            desc.append(char.visual or char.description[:120])
            if char.hair:
                desc.append(char.hair if HAIR_WORDS.search(char.hair) else f"{char.hair} hair")
        st = state.characters.get(name) if state else None
        if st is None and state:
            st = next((v for k, v in state.characters.items() if k.upper() == name.upper()), None)
        wardrobe = st.wardrobe if st else (char.wardrobe if char else "")
        desc.append(f"wearing {wardrobe}" if wardrobe else "")
        if st:
            desc += [st.injuries, st.dirt, f"holding {st.holding}" if st.holding else ""]
        details = [d for d in (x.strip(" ,.") for x in desc[1:]) if d]
        words.append(f"{desc[0]} ({', '.join(details)})" if details else desc[0])
    return words


def light(time_of_day: str) -> str:
    """The light words of a heading's time of day: 'DUSK' → 'dusk, blue hour'."""
    return LIGHT_FOR_TIME.get(time_of_day, time_of_day.lower())


def frame_prompt(shot: Shot, breakdown: Breakdown, look: Look) -> str:
    scene = next((s for s in breakdown.scenes if s.number == shot.scene), None)
    style = look.style
    location = look.location(scene.location) if scene else None
    subject = "; ".join(_character_words(shot, look)) or "the setting"
    parts = [
        style.medium or "cinematic storyboard frame",
        f"{SHOT_SIZE_NAMES[shot.size]} of {subject}",
        ANGLE_WORDS[shot.angle],
        f"{shot.lens_mm}mm lens",
        shot.action,
    ]
    if scene:
        parts.append(f"{'interior' if scene.int_ext == 'INT' else 'exterior' if scene.int_ext else ''} "
                     f"{scene.location.lower()}")
        if location and location.visual:
            parts.append(location.visual)
    time_of_day = shot.time_of_day.strip().upper() or (scene.time_of_day if scene else None)
    if time_of_day:
        parts.append(light(time_of_day))
    if shot.mood.strip():
        parts.append(shot.mood if _MOOD_WORDS.search(shot.mood) else f"{shot.mood} mood")
    state = look.state(shot.scene)
    if state:
        for prop, ps in state.props.items():
            if prop.lower() in shot.action.lower() and ps.condition:
                parts.append(f"{prop.lower()} {ps.condition}")
    parts += [style.palette, style.lighting, style.camera, style.positive]
    return _join(parts)[:2000]


def video_prompt(shot: Shot, breakdown: Breakdown, look: Look) -> str:
    base = frame_prompt(shot, breakdown, look)
    motion = MOVEMENT_WORDS[shot.movement]
    return _join([motion, base, f"{shot.duration_s:g} seconds"])[:2000]


def assemble(shots: ShotList, breakdown: Breakdown, look: Look, previous: Prompts | None = None) -> Prompts:
    """Prompts for every shot; overrides from ``previous`` are kept, shot by shot."""
    kept = {(p.scene, p.number): p for p in (previous.prompts if previous else [])}
    return Prompts(prompts=[shot_prompt(shot, breakdown, look, kept.get((shot.scene, shot.number)))
                            for shot in shots.shots])


def shot_prompt(shot: Shot, breakdown: Breakdown, look: Look, old: ShotPrompt | None = None) -> ShotPrompt:
    """One shot's prompts, assembled; the person's overrides from ``old`` are kept."""
    return ShotPrompt(
        scene=shot.scene, number=shot.number,
        frame_prompt=frame_prompt(shot, breakdown, look),
        video_prompt=video_prompt(shot, breakdown, look),
        negative_prompt=_join([look.style.negative, DEFAULT_NEGATIVE])[:1000],
        frame_override=old.frame_override if old else None,
        video_override=old.video_override if old else None,
    )


def effective(prompt: ShotPrompt) -> tuple[str, str]:
    """The prompts a render uses: the person's override where there is one."""
    return prompt.frame_override or prompt.frame_prompt, prompt.video_override or prompt.video_prompt
