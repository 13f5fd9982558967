"""The parts of a Fountain screenplay, as typed elements."""

from __future__ import annotations

import re
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class ElementType(str, Enum):
    SCENE_HEADING = "scene_heading"
    ACTION = "action"
    CHARACTER = "character"
    PARENTHETICAL = "parenthetical"
    DIALOGUE = "dialogue"
    TRANSITION = "transition"
    CENTERED = "centered"
    LYRICS = "lyrics"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    NOTE = "note"
    PAGE_BREAK = "page_break"


class Element(BaseModel):
    """One element of the script body.

    ``text`` keeps Fountain's emphasis markup (``*``, ``**``, ``_``) and drops notes,
    which go to ``notes``. For a character cue, ``text`` is the normalised name and
    ``extensions`` holds ``V.O.``, ``O.S.``, ``CONT'D`` and the like.
    """

    model_config = ConfigDict(extra="forbid")

    type: ElementType
    text: str = ""
    forced: bool = False
    scene_number: str | None = None
    depth: int = Field(default=0, ge=0, description="section level: '#' is 1")
    extensions: list[str] = Field(default_factory=list)
    dual: bool = Field(default=False, description="the second cue of dual dialogue ('^')")
    notes: list[str] = Field(default_factory=list)

    @property
    def plain(self) -> str:
        return plain_text(self.text)


class TitleField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    value: str


class FountainDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title_page: list[TitleField] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)

    def title_value(self, *keys: str) -> str | None:
        wanted = {k.lower() for k in keys}
        for f in self.title_page:
            if f.key.lower() in wanted:
                return f.value
        return None

    @property
    def title(self) -> str:
        return plain_text(self.title_value("title") or "")

    def of_type(self, kind: ElementType) -> list[Element]:
        return [e for e in self.elements if e.type is kind]


_ESCAPES = {"\\*": "\x01", "\\_": "\x02", "\\\\": "\x03"}
# Each span stops at the next mark of its kind, so a line of unclosed marks (`*a *a *a …`) is read in linear
# time, not by rescanning the rest of the line from every mark.
EMPHASIS_SPANS = (r"\*\*\*(?=\S)((?:(?!\*\*\*).)+?)(?<=\S)\*\*\*", r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*",
                  r"\*(?=\S)([^*\n]+?)(?<=\S)\*", r"_(?=\S)([^_\n]+?)(?<=\S)_")
_EMPHASIS = [re.compile(span) for span in EMPHASIS_SPANS]


def plain_text(text: str) -> str:
    """Fountain text without emphasis markers; escaped ``\\*`` and ``\\_`` become literal."""
    for esc, mark in _ESCAPES.items():
        text = text.replace(esc, mark)
    for pattern in _EMPHASIS:
        text = pattern.sub(r"\1", text)
    return text.replace("\x01", "*").replace("\x02", "_").replace("\x03", "\\")
