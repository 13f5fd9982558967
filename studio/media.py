"""Takes, the cut and the exports: what renders leave in a project, and where."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from studio.base import Model, inside_project
from studio.sound import CutAudio

__all__ = ["TAKE_EXTENSIONS", "ActiveTakes", "Cut", "CutAudio", "CutEntry", "ExportRecord", "Exports", "Take",
           "TakeKind", "shot_code", "shot_frames", "take_name"]


def shot_code(scene: int, shot: int) -> str:
    return f"S{scene:02d}_SH{shot:03d}"


def shot_frames(duration_s: float, fps: float) -> int:
    """How many whole frames a shot of ``duration_s`` seconds gets in the cut: the renderer (tools.render.cut),
    the timeline exports and the review's times all lay each shot out this way, so a time in the video lands on
    the shot this says."""
    return max(1, round(duration_s * fps))


class TakeKind(str, Enum):
    IMAGE = "image"
    VIDEO = "video"


TAKE_EXTENSIONS: dict[TakeKind, tuple[str, ...]] = {
    TakeKind.IMAGE: (".png", ".jpg", ".jpeg", ".webp"),
    TakeKind.VIDEO: (".mp4", ".mov", ".webm"),
}


class Take(Model):
    """One render of a shot. Takes are never overwritten; one is active per shot and kind."""

    scene: int = Field(ge=1)
    shot: int = Field(ge=1)
    kind: TakeKind
    number: int = Field(ge=1)
    path: str = Field(description="relative to the project folder")
    seed: int | None = None
    model: str = ""
    prompt: str = ""
    negative_prompt: str = ""
    parameters: dict[Any, Any] = Field(default_factory=dict)
    timings: dict[Any, Any] = Field(default_factory=dict)
    job_id: str | None = None
    created: str = ""
    active: bool = False

    @field_validator("path")
    @classmethod
    def _relative(cls, v: str) -> str:
        return inside_project(v)

    @property
    def name(self) -> str:
        return take_name(self.scene, self.shot, self.number)


def take_name(scene: int, shot: int, number: int) -> str:
    """S01_SH003_take02: deterministic, sortable, never reused."""
    return f"{shot_code(scene, shot)}_take{number:02d}"


# ---------------------------------------------------------------- cut


class CutEntry(Model):
    scene: int
    shot: int
    take: str | None = None
    duration_s: float = Field(gt=0)


class Cut(Model):
    version: int = Field(default=0, ge=0, description="1 for the project's first cut, +1 for each cut made after "
                                                      "it: review notes are kept per version (0: made before "
                                                      "cuts were numbered)")
    fps: float = 24.0
    entries: list[CutEntry] = Field(default_factory=list)
    path: str = Field(default="", description="the cut's MP4, relative to the project folder")
    width: int = 0
    height: int = 0
    audio: CutAudio | None = Field(default=None, description="its mixed sound, as measured; None: a silent cut")

    @property
    def duration_s(self) -> float:
        return sum(e.duration_s for e in self.entries)


class ExportRecord(Model):
    kind: str
    path: str
    created: str = ""


class Exports(Model):
    exports: list[ExportRecord] = Field(default_factory=list)


class ActiveTakes(Model):
    """Which take of each shot is active, for one kind (boards: images; clips: videos)."""

    active: dict[str, int] = Field(default_factory=dict, description="shot code → take number")
    chosen: list[str] = Field(default_factory=list,
                              description="shot codes whose active take the person chose (/take): a batch render "
                                          "keeps it, a render the person asks of that shot replaces it")
