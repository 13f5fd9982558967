"""What the agents are asked to return: small, bounded, typed drafts.

Each model here is the JSON schema a language model must fill (enforced as a
grammar on llama.cpp). Strings and lists are bounded so that a small model
cannot run away; code turns the drafts into the film model (names fixed,
Fountain rendered, coverage kept), so every stage stays valid whatever the
model writes.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from studio.models import Angle, Movement, ShotSize


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class BriefDraft(Draft):
    """The Producer's brief from an idea."""

    title: str = Field(min_length=1, max_length=60, description="a short film title")
    logline: str = Field(max_length=240, description="one sentence: who wants what, and what stands in the way")
    genre: str = Field(max_length=40)
    tone: str = Field(max_length=60)


class TreatmentOption(Draft):
    title: str = Field(max_length=60)
    logline: str = Field(max_length=240)
    text: str = Field(max_length=1200, description="the story in a few paragraphs of present-tense prose")


class TreatmentDraft(Draft):
    """Three different takes on the story."""

    variants: list[TreatmentOption] = Field(min_length=3, max_length=3)


class BeatDraft(Draft):
    description: str = Field(max_length=300, description="what happens in this beat")


class BeatsDraft(Draft):
    beats: list[BeatDraft] = Field(min_length=1, max_length=15)


TimeOfDay = Literal["DAY", "NIGHT", "MORNING", "EVENING", "DAWN", "DUSK", "CONTINUOUS", "LATER"]


class LineDraft(Draft):
    character: str = Field(min_length=1, max_length=24, description="the speaker's name")
    line: str = Field(min_length=1, max_length=160, description="what they say")


class SceneDraft(Draft):
    """One scene: where, when, what we see, who says what (at least one line)."""

    int_ext: Literal["INT", "EXT"]
    location: str = Field(min_length=1, max_length=40)
    time: TimeOfDay
    action: str = Field(min_length=1, max_length=300, description="what we see, present tense")
    dialogue: list[LineDraft] = Field(min_length=1, max_length=6)


class ScriptDraft(Draft):
    scenes: list[SceneDraft] = Field(min_length=1, max_length=20)


class CharacterDraft(Draft):
    description: str = Field(max_length=160)
    visual: str = Field(max_length=160, description="how they look, in words fit for an image prompt")
    age: str = Field(max_length=20)
    wardrobe: str = Field(max_length=80)


class PlaceDraft(Draft):
    description: str = Field(max_length=160)
    visual: str = Field(max_length=160)


class StyleDraft(Draft):
    medium: str = Field(max_length=80)
    palette: str = Field(max_length=100)
    lighting: str = Field(max_length=100)
    camera: str = Field(max_length=100)


class LookDraft(Draft):
    characters: list[CharacterDraft] = Field(default_factory=list, max_length=12)
    locations: list[PlaceDraft] = Field(default_factory=list, max_length=12)
    props: list[PlaceDraft] = Field(default_factory=list, max_length=12)
    style: StyleDraft


class StateChange(Draft):
    scene: int = Field(ge=1, le=200)
    name: str = Field(max_length=40, description="a character or prop")
    change: str = Field(max_length=120, description="what is different from now on: a torn coat, a cut, mud")
    kind: Literal["wardrobe", "injuries", "dirt", "holding", "condition"]


class ContinuityDraft(Draft):
    changes: list[StateChange] = Field(default_factory=list, max_length=8)


class ShotChange(Draft):
    shot: int = Field(ge=1, le=200, description="the shot number within the scene")
    size: ShotSize | None = None
    angle: Angle | None = None
    movement: Movement | None = None
    lens_mm: int | None = Field(default=None, ge=12, le=200)
    notes: str = Field(default="", max_length=80)


class ShotRefinement(Draft):
    """The few shots worth changing; the rest of the coverage stays."""

    changes: list[ShotChange] = Field(default_factory=list, max_length=4)


Intent = Literal["approve", "next", "revise", "pick", "status", "help", "other"]


class IntentDraft(Draft):
    intent: Intent
    number: int | None = Field(default=None, ge=1, le=99)


def clean_name(name: str, fallback: str = "SOMEONE") -> str:
    """A speaker's name as a character cue: capitals, letters, digits and spaces; '(V.O.)' dropped."""
    cleaned = re.sub(r"\([^)]*\)", "", name)
    cleaned = re.sub(r"[^A-Za-z0-9 '\-]", "", cleaned).strip().upper()
    cleaned = re.sub(r"\s+", " ", cleaned)[:24]
    return cleaned if any(ch.isalpha() for ch in cleaned) else fallback


def clean_location(text: str, fallback: str = "SOMEWHERE") -> str:
    cleaned = re.sub(r"[^\w '\-]|_", " ", text).strip().upper()  # any alphabet's letters: ZÜRICH, CAFÉ
    cleaned = re.sub(r"\s+", " ", cleaned).replace(" - ", " ")[:40].strip(" -")
    return cleaned or fallback


def one_line(text: str) -> str:
    return " ".join(text.split())


def plain_words(text: str) -> str:
    """Model text made safe for Fountain: no boneyard or note markers, not a lone parenthetical."""
    text = one_line(text.replace("/*", " ").replace("*/", " ").replace("[[", "(").replace("]]", ")"))
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text
