"""Sound: the voice cast for each speaking character, the cues a film's sound is made of, their takes, and the
targets of the mix.

A dialogue shot is spoken as one take per shot (its key is the shot's code, ``S01_SH003``); room tone, effects
and music are cues derived from the script, the shots and the beat sheet, each rendered as takes of its own
(keys ``S01_AMB``, ``S01_FX02``, ``M01``). Every sound take is a WAV under ``03_Renders/Sound/<KEY>/`` with a JSON
sidecar (a ``SoundTake``); which take of each key is active lives in the sound plan
(``02_Source_Creative/Sound/sound.json``), as boards.json does for boards.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from studio.base import inside_project

SAMPLE_RATE = 48_000  # every sound take, stem and mix
ESPEAK = "espeak-ng"  # the embedded voice engine
TEMP_SOUND = "cpu-temp"  # the CPU's labelled temp effects and score
TEMP_LABEL = "TEMP"  # what a temp take, stem and cut say of themselves
DEFAULT_LUFS = -16.0  # integrated loudness of the mix (streaming); -23 for broadcast (EBU R128)
DEFAULT_TRUE_PEAK = -1.0  # dBTP
BREATH_S = 0.4  # a dialogue shot holds at least its spoken lines and a breath
MAX_LINE_WORDS = 400  # longer speeches are spoken in parts of at most this many words
KEY_RE = re.compile(r"^[A-Z0-9][A-Z0-9_]{1,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class VoiceProfile(_Strict):
    """A character's voice, engine-neutral: pitch on espeak-ng's 0–99 scale (a neural engine shifts by it), rate in
    words per minute, and a line of direction a person can read and a prompt-driven engine can use."""

    engine: str = Field(default=ESPEAK, max_length=40, description="espeak-ng, or a neural family: vits")
    voice: str = Field(default="en-us", max_length=80,
                       description="the engine's voice: espeak-ng 'en-us+f3'; a speaker number of a multi-speaker model")
    model: str = Field(default="", max_length=300,
                       description="a neural engine's local folder, or a Hugging Face repo id in the local cache")
    pitch: int = Field(default=50, ge=0, le=99)
    rate: int = Field(default=165, ge=80, le=400, description="words per minute")
    direction: str = Field(default="", max_length=200, description="'dry, tired, slow to answer'")
    person: list[str] = Field(default_factory=list, max_length=10, description="the fields a person set")

    @field_validator("voice", "engine")
    @classmethod
    def _plain(cls, v: str) -> str:
        if v and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_+.\-]*", v):
            raise ValueError(f"{v!r} is not a voice name (letters, digits and + - _ . only)")
        return v

    @property
    def text(self) -> str:
        """'espeak-ng en-us+f3, pitch 62, 150 wpm: bright, quick'."""
        head = f"{self.engine} {self.voice}".strip() if self.engine == ESPEAK or not self.model else \
            f"{self.engine} {self.model.rstrip('/').rsplit('/', 1)[-1]} {self.voice}".strip()
        return f"{head}, pitch {self.pitch}, {self.rate} wpm" + (f": {self.direction}" if self.direction else "")


class Delivery(str, Enum):
    ON = "on"  # the speaker is in the scene
    VO = "vo"  # voice-over: dry, close, not in the room
    OS = "os"  # off screen (O.S., O.C.): in the room, out of view: further, duller


class SpokenLine(_Strict):
    """One speech of a dialogue shot as it will be said: the words only (no cue, no parenthetical)."""

    shot: str = Field(description="the shot's code, S01_SH003")
    scene: int = Field(ge=1)
    number: int = Field(ge=1, description="the shot's number in its scene")
    speaker: str = Field(max_length=100)
    text: str = Field(max_length=20000)
    delivery: Delivery = Delivery.ON
    parenthetical: str = Field(default="", max_length=300)
    dual: bool = Field(default=False, description="dual dialogue: said over the speech before it")


class Track(str, Enum):
    DIALOGUE = "dialogue"
    EFFECTS = "effects"
    MUSIC = "music"


class CueKind(str, Enum):
    DIALOGUE = "dialogue"  # a dialogue shot's lines (key: the shot's code)
    AMBIENCE = "ambience"  # a scene's room tone (key: S01_AMB)
    EFFECT = "effect"  # a sound the script names (key: S01_FX01)
    MUSIC = "music"  # the score of a scene or a run of scenes (key: M01)

    @property
    def track(self) -> Track:
        return {CueKind.DIALOGUE: Track.DIALOGUE, CueKind.MUSIC: Track.MUSIC}.get(self, Track.EFFECTS)


class SoundCue(_Strict):
    """An effect, a room tone or a stretch of score, placed on the film by scene and shot (so a refit of the
    shots' durations moves it with them)."""

    id: str = Field(description="S01_AMB, S01_FX02, M01")
    kind: CueKind
    prompt: str = Field(max_length=600, description="what a generator is asked for: 'steady rain on a tin roof'")
    scene: int = Field(ge=1, description="the scene it starts in")
    shot: int | None = Field(default=None, ge=1, description="the shot it starts in; None: the scene's start")
    last_scene: int | None = Field(default=None, ge=1, description="music and room tone: the last scene it spans")
    offset_s: float = Field(default=0.0, ge=0, le=600, description="from the start of its shot (or scene)")
    duration_s: float | None = Field(default=None, gt=0, le=3600, description="None: as long as its span")
    source: str = Field(default="", max_length=300, description="the script's words it comes from")
    mood: str = Field(default="", max_length=120, description="music: the mood it plays")
    person: list[str] = Field(default_factory=list, max_length=10, description="the fields a person set")

    @field_validator("id")
    @classmethod
    def _key(cls, v: str) -> str:
        if not KEY_RE.match(v):
            raise ValueError(f"{v!r} is not a cue id (capitals, digits and _ only)")
        return v


class SoundPlan(_Strict):
    """02_Source_Creative/Sound/sound.json: the cues, and which take of each key (a cue's id, or a dialogue
    shot's code) is active."""

    cues: list[SoundCue] = Field(default_factory=list)
    active: dict[str, int] = Field(default_factory=dict, description="key → take number")
    chosen: list[str] = Field(default_factory=list, description="keys whose active take the person chose")

    def cue(self, key: str) -> SoundCue | None:
        return next((c for c in self.cues if c.id == key), None)


class SoundTake(_Strict):
    """One sound take: ``03_Renders/Sound/<KEY>/<KEY>_take02.wav`` and this, its sidecar. Never overwritten."""

    key: str
    kind: str = "audio"
    track: Track
    number: int = Field(ge=1)
    path: str = Field(description="relative to the project folder")
    seconds: float = Field(ge=0)
    engine: str = ""
    voice: str = Field(default="", description="dialogue: the profile's text; cues: empty")
    prompt: str = Field(default="", max_length=2000, description="cues: what the generator was asked for")
    text: str = Field(default="", max_length=40000, description="dialogue: the words said")
    lines: list[dict[str, Any]] = Field(default_factory=list,
                                        description="dialogue: each line's speaker, text, delivery, voice, start_s, "
                                                    "seconds within the take")
    temp: bool = Field(default=False, description="a CPU temp track, labelled as such")
    seed: int = 0
    parameters: dict[str, Any] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)
    job_id: str | None = None
    created: str = ""
    active: bool = False

    @field_validator("path")
    @classmethod
    def _relative(cls, v: str) -> str:
        return inside_project(v)


class CutAudio(_Strict):
    """The mixed track of a cut, as measured after the mix."""

    integrated_lufs: float
    true_peak_dbtp: float
    target_lufs: float = DEFAULT_LUFS
    target_true_peak: float = DEFAULT_TRUE_PEAK
    sample_rate: int = SAMPLE_RATE
    takes: dict[str, str] = Field(default_factory=dict, description="key → the sound take's path the mix used")
    temp: list[str] = Field(default_factory=list, description="the tracks that are CPU temp tracks")
    lines: int = 0
    seconds: float = 0.0
