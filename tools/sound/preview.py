"""A listening copy of the film's sound, or of one scene's: the active takes placed, ducked and mastered as the
cut's track will be (tools.sound.mix and master), written under 05_Cache (git-ignored, never a take) for a face to
play after /render sound. A scene's copy is that scene mixed on its own (its score starts with it).
"""

from __future__ import annotations

from studio.errors import StageError
from studio.models import ShotList
from studio.sound import TEMP_LABEL
from studio.stages import Stage

PREVIEW_FOLDER = "05_Cache/sound"


def preview(store, *, scene: int | None = None) -> str:
    """The preview WAV's path in the project (16-bit stereo, 48 kHz, mastered to the project's loudness); its name
    ends in _TEMP when a CPU temp track is in it."""
    from memory.atomic import contained, write_bytes
    from tools.sound.master import mastered_mix
    from tools.sound.wav import wav_bytes

    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError(f"{store.slug} has no shot list to play", "draft the shots first")
    settings = store.manifest().settings
    if scene is not None:  # the scene alone, as if it were the film: mixing and measuring 6 minutes to hear 1 is waste
        shots = ShotList(shots=[s for s in shots.shots if s.scene == scene])
        if not shots.shots:
            raise StageError(f"scene {scene} has no shots", "see /scenes for the scene numbers")
    done = mastered_mix(store, shots, settings.fps, settings)
    if done is None:
        raise StageError("there is no sound to play yet", "render it first: /render sound")
    stereo = done.stereo
    temp = f"_{TEMP_LABEL}" if done.mix.temp else ""  # a temp score says so in the very name of what is played
    name = f"preview_s{scene:02d}{temp}.wav" if scene is not None else f"preview_film{temp}.wav"
    rel = f"{PREVIEW_FOLDER}/{name}"
    write_bytes(contained(store.path, rel), wav_bytes(stereo, bits=16))
    return rel

