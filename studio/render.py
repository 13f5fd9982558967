"""Render requests, results, quality tiers and render jobs: the shapes every backend and runner share.

A render job is one take of one shot (a board or a clip) or one reference image.
Its id is a hash of what decides the pixels (project, shot, kind, prompt, seed,
model, parameters), so submitting the same job twice, or a worker redoing a job
it lost, never makes a second take.
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Any, Callable

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from studio.errors import AuteurError
from studio.models import Shot

# ---------------------------------------------------------------- quality tiers


class ImageTier(BaseModel):
    """A tier's settings for images, named as diffusers names its call arguments.

    A quality file written before the names followed diffusers (``steps``, ``guidance``,
    ``frames``) is still read: each field takes its older name too.
    """

    model_config = ConfigDict(extra="forbid")

    model: str = Field(default="", description="a local folder, or a Hugging Face repo id found in the local cache")
    num_inference_steps: int = Field(default=4, ge=1, le=200,
                                     validation_alias=AliasChoices("num_inference_steps", "steps"))
    width: int = Field(default=1024, ge=64, le=4096)
    height: int = Field(default=576, ge=64, le=4096)
    guidance_scale: float = Field(default=0.0, ge=0, le=30, validation_alias=AliasChoices("guidance_scale", "guidance"))

    @field_validator("width", "height")
    @classmethod
    def _by_eight(cls, v: int) -> int:
        if v % 8:
            raise ValueError(f"{v} is not divisible by 8; diffusion models need sizes in multiples of 8 "
                             f"(try {v - v % 8} or {v - v % 8 + 8})")
        return v


class VideoTier(ImageTier):
    num_frames: int = Field(default=25, ge=0, le=1000, description="0: as many as the shot's duration needs",
                            validation_alias=AliasChoices("num_frames", "frames"))
    fps: float = Field(default=24.0, gt=0, le=120)


class QualityTier(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    gpu: bool = Field(default=True, description="needs a CUDA GPU; on a CPU the sketch and animatic stand in")
    gpu_seconds_per_image: float = 5.0
    gpu_seconds_per_clip: float = 60.0
    image: ImageTier = Field(default_factory=ImageTier)
    video: VideoTier = Field(default_factory=VideoTier)


def frame_height(width: int, aspect: float) -> int:
    """The height of a ``width``-wide picture at ``aspect``, in the blocks of 8 pixels renderers work in."""
    return max(8, int(round(width / aspect / 8) * 8))


SKETCH = "sketch"  # the CPU storyboard renderer
ANIMATIC = "animatic"  # the CPU camera-move renderer
CPU_SECONDS_PER_BOARD = 0.3
CPU_SECONDS_PER_CLIP_SECOND = 0.6


# ---------------------------------------------------------------- render requests


class RenderKind(str, Enum):
    BOARD = "board"  # a keyframe image of a shot
    CLIP = "clip"  # a video of a shot, from its keyframe
    REFERENCE = "reference"  # a reference image of a character or location
    SOUND = "sound"  # a sound take: a dialogue shot's lines, a room tone, an effect or a stretch of score


class LoraWeights(BaseModel):
    path: str
    trigger: str = ""
    scale: float = Field(default=0.8, ge=0, le=2)


class RenderRequest(BaseModel):
    """What a backend needs to make one image or one clip, in diffusers' words.

    ``seed`` is a number; the diffusers backend makes the torch ``generator`` from it.
    """

    model_config = ConfigDict(extra="forbid")

    kind: RenderKind
    prompt: str = ""
    negative_prompt: str = ""
    seed: int = 0
    model: str = SKETCH
    width: int = 640
    height: int = 360
    num_inference_steps: int = 4
    guidance_scale: float = 0.0
    num_frames: int = Field(default=25, description="0: as many as duration_s at fps needs")
    fps: float = 24.0
    duration_s: float = 3.0
    shot: Shot | None = None
    heading: str = ""
    init_image: str | None = Field(default=None, description="absolute path of the keyframe a clip starts from")
    init_box: list[int] | None = Field(default=None, description="the picture's box (l, t, r, b) in the keyframe "
                                                                   "file, when it carries a caption strip")
    references: list[str] = Field(default_factory=list, description="absolute paths of reference images")
    loras: list[LoraWeights] = Field(default_factory=list)
    offload: bool = False

    def check(self) -> None:
        for name in ("width", "height"):
            v = getattr(self, name)
            if v % 8:
                raise AuteurError(f"the {name} {v} is not divisible by 8",
                                  f"use {v - v % 8} or {v - v % 8 + 8} (diffusion models work in blocks of 8 pixels)")


class RenderOutput(BaseModel):
    data: bytes
    suffix: str  # ".png" or ".mp4"
    model: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict)


Progress = Callable[[float, str], None]  # (fraction 0..1, what is happening)
Cancelled = Callable[[], bool]


class JobCancelled(AuteurError):
    def __init__(self, job: str = "") -> None:
        super().__init__(f"the render job {job} was cancelled".replace("  ", " "),
                         "nothing was saved; render the shot again when you want it")


# ---------------------------------------------------------------- jobs


class JobStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobSpec(BaseModel):
    """One render job: which take of which shot, and everything that decides its pixels."""

    model_config = ConfigDict(extra="forbid")

    project: str
    kind: RenderKind
    scene: int | None = None
    shot: int | None = None
    subject: str = Field(default="", description="the character or location of a reference image")
    tier: str = "draft"
    seed: int = 0
    prompt: str = ""
    negative_prompt: str = ""
    model: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)
    branch: str = ""
    activate: bool = Field(default=False, description="the take becomes the shot's active one (a person asked for "
                                                      "this render of this shot)")

    @property
    def id(self) -> str:
        # `activate` off is left out, so a job's id is what it was before jobs could activate their take.
        key = self.model_dump(mode="json", exclude=set() if self.activate else {"activate"})
        blob = json.dumps(key, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()[:20]

    @property
    def label(self) -> str:
        if self.kind is RenderKind.SOUND:  # "sound S01_SH003", "sound M01"
            return f"sound {self.subject}"
        if self.scene is not None and self.shot is not None:
            return f"{self.kind.value} S{self.scene:02d}_SH{self.shot:03d}"
        return f"{self.kind.value} {self.subject}".strip()


class JobState(BaseModel):
    id: str
    spec: JobSpec
    status: JobStatus = JobStatus.QUEUED
    progress: float = 0.0
    message: str = ""
    take: str | None = Field(default=None, description="the take's path in the project, when done")
    error: str | None = None
    attempts: int = 0
    created: str = ""
    updated: str = ""
    runner: str = "local"
    owner: str = Field(default="", description="host:pid of the process running it (the local runner)")


class JobEvent(BaseModel):
    """A job's progress as the engine sees it (in process, or through Redis pub/sub)."""

    id: str
    label: str = ""
    status: JobStatus
    progress: float = 0.0
    message: str = ""
    take: str | None = None
    error: str | None = None

    @classmethod
    def of(cls, state: JobState) -> JobEvent:
        return cls(id=state.id, label=state.spec.label, status=state.status, progress=state.progress,
                   message=state.message, take=state.take, error=state.error)


# ---------------------------------------------------------------- estimates


class Estimate(BaseModel):
    """What a batch render will cost, shown before it runs (the budget gate)."""

    shots: int
    kind: RenderKind
    tier: str
    device: str  # "gpu" or "cpu"
    seconds: float
    renderer: str

    @property
    def text(self) -> str:
        noun = {RenderKind.BOARD: "board", RenderKind.SOUND: "sound take"}.get(self.kind, "clip")
        what = noun + ("s" if self.shots != 1 else "")
        if self.device == "gpu":
            amount = f"about {max(1, round(self.seconds))} GPU-seconds"
        elif self.seconds < 1:
            amount = "under a second of CPU time"
        elif self.seconds < 120:
            amount = f"about {self.seconds:.0f} s of CPU time"
        else:
            amount = f"about {self.seconds / 60:.1f} min of CPU time"
        return f"{self.shots} {what} at tier {self.tier} with {self.renderer}: {amount}"


def shot_heading(heading: str, time_of_day: str, scene_time: str = "") -> str:
    """A scene's heading with a shot's own time of day in place of the scene's (``scene_time``, as the breakdown
    read it from the heading): ('INT. DINER - NIGHT', 'DUSK', 'NIGHT') → 'INT. DINER - DUSK'. A shot without one
    keeps the heading as it is."""
    time_of_day = " ".join(time_of_day.split()).upper()
    if not time_of_day:
        return heading
    scene_time = " ".join(scene_time.split()).upper()
    head = heading.rstrip()
    if scene_time and head.upper().endswith(scene_time):
        head = head[: len(head) - len(scene_time)].rstrip(" -–—/")
    return f"{head} - {time_of_day}" if head else time_of_day


def picture_json(shot: Shot) -> str:
    """The shot as a render sees it, in JSON. Who set a field (``person``) changes no picture; a time of day or a
    mood left empty is left out, so shots saved before shots had them digest as they did then; so is the length a
    shot had before it was fitted to its voice (studio.sound_timing)."""
    empty = {key for key in ("time_of_day", "mood") if not getattr(shot, key)}
    return shot.model_dump_json(exclude={"person", "fitted_from", *empty})


def shot_digest(shot: Shot) -> str:
    """What a take's ``made_from["shot"]`` records of its shot, and what the staleness checks compare with it."""
    return json_digest(picture_json(shot))


def json_digest(text: str) -> str:
    """sha256 of a model's JSON: what a take records in ``made_from`` (its shot and prompt as rendered), and what
    the export checks compare with the shot list of now."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
