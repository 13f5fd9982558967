"""The project manifest (`project.json`) and the rules for names that become paths."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator

from studio.errors import InvalidName
from studio.stages import Stage, StageState, StageStatus, default_stages

MANIFEST_VERSION = 1
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


@dataclass(frozen=True)
class Author:
    """Who a change is by: the person, or the agent that did the work."""

    name: str
    email: str

    @classmethod
    def agent(cls, role: str) -> Author:
        return cls(role, f"{role.lower().replace(' ', '-')}@auteur.local")


class Usage(BaseModel):
    """Language-model work: calls, tokens and seconds."""

    model_config = ConfigDict(extra="forbid")

    calls: int = 0
    tokens: int = 0
    seconds: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(calls=self.calls + other.calls, tokens=self.tokens + other.tokens,
                     seconds=round(self.seconds + other.seconds, 3))


class ProjectSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fps: float = Field(default=24.0, gt=0, le=120)
    aspect_ratio: str = "1.85:1"
    quality_tier: str = "draft"
    model_profile: str = "llamacpp/smollm2-135m"
    loudness_lufs: float = Field(default=-16.0, ge=-40, le=-5,
                                 description="the mix's integrated loudness: -16 streaming, -23 broadcast (EBU R128)")
    true_peak_db: float = Field(default=-1.0, ge=-9, le=0, description="the mix's ceiling in dBTP")

    @property
    def aspect(self) -> float:
        """'1.85:1' → 1.85, width over height."""
        w, h = self.aspect_ratio.split(":")
        return float(w) / float(h)


class Project(BaseModel):
    """What `project.json` holds: identity, settings and the state of every stage."""

    model_config = ConfigDict(extra="forbid")

    version: int = MANIFEST_VERSION
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    slug: str
    title: str
    created: str = ""
    settings: ProjectSettings = Field(default_factory=ProjectSettings)
    stages: dict[Stage, StageState] = Field(default_factory=default_stages)
    llm: dict[str, Usage] = Field(default_factory=dict, description="language-model work per stage")

    @field_validator("stages")
    @classmethod
    def _all_stages(cls, v: dict[Stage, StageState]) -> dict[Stage, StageState]:
        full = default_stages()
        full.update(v)
        return full

    def status(self, stage: Stage) -> StageStatus:
        return self.stages[stage].status

    def llm_total(self) -> Usage:
        total = Usage()
        for usage in self.llm.values():
            total = total + usage
        return total

    def statuses(self) -> dict[str, str]:
        return {stage.value: state.status.value for stage, state in self.stages.items()}


def check_title(title: str) -> str:
    """A title is free text, but it names a folder: refuse what would make a path."""
    t = title.strip()
    if not t:
        raise InvalidName("the project title is empty", 'give the film a title, e.g. auteur new "Night Shift"')
    if len(t) > 200:
        raise InvalidName(f"the title is {len(t)} characters long", "use a title of at most 200 characters")
    for bad in ("/", "\\"):
        if bad in t:
            raise InvalidName(
                f"the title {title!r} contains {bad!r}, which would make a path, not a folder name",
                f"choose a title without '/', '\\' or '..' (e.g. {t.replace(bad, ' ').strip()!r})",
            )
    if t in (".", "..") or re.search(r"(?<!\.)\.\.(?!\.)", t):
        raise InvalidName(
            f"the title {title!r} contains '..', which would point outside the workspace",
            "choose a title without '/', '\\' or '..'",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in t):
        raise InvalidName(f"the title {title!r} contains control characters", "type the title as plain text")
    return t


def slugify(title: str) -> str:
    """'The Last Train!' → 'the-last-train'. Accents are folded; anything else becomes '-'."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:64].rstrip("-")


def check_slug(slug: str) -> str:
    if not SLUG_RE.match(slug):
        raise InvalidName(
            f"{slug!r} is not a usable project slug",
            "a slug has lower-case letters, digits and '-' only, 1 to 64 characters (e.g. night-shift)",
        )
    return slug
