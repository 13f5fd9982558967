"""A story brought in as prose: its text cut into passages, and the skeleton found in it.

The skeleton is what an adaptation is built on: the story's characters, places, time frame, events and quoted
speech, each pointing at the passages it was found in (``p12``), so that a treatment's paragraph, a beat or a
scene can cite where it comes from and a person can check it. It is found by rule (studio.skeleton), not by a
model, so it holds on the built-in model too; a model only fills short slots around it.

On disk (memory.layout): the text as read in ``02_Source_Creative/Source/source.txt``, this model in
``source.json`` beside it; both belong to the brief stage.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from pydantic import Field

from studio.models import Model

PASSAGE_CHARS = 1200  # a passage is a paragraph, or a long one's sentences up to about this many characters
MAX_STORY_WORDS = 300_000  # a long novel is 150,000-200,000 words; a 2,000-page text (600,000) is refused
STORY_FORMATS = ("txt", "md", "docx", "epub", "pdf")
PASSAGE_ID = re.compile(r"^p[1-9]\d*$")

StoryFormat = Literal["txt", "md", "docx", "epub", "pdf"]


class Passage(Model):
    """A stretch of the story, in reading order: its id is what everything else points at."""

    id: str = Field(pattern=PASSAGE_ID.pattern, description="'p1', 'p2', … in reading order")
    chapter: int = Field(default=1, ge=1, description="the chapter it sits in (1 when the text has none)")
    start: int = Field(ge=0, description="offset of its first character in source.txt")
    end: int = Field(ge=0, description="offset just after its last character in source.txt")
    text: str = Field(max_length=4 * PASSAGE_CHARS)


class StoryCharacter(Model):
    name: str = Field(max_length=80, description="as the story names them most: 'Ahab', 'Mrs. Hale'")
    aliases: list[str] = Field(default_factory=list, max_length=10, description="other names for them in the text")
    mentions: int = Field(default=0, ge=0)
    speaks: int = Field(default=0, ge=0, description="quoted lines attributed to them")
    passages: list[str] = Field(default_factory=list, max_length=50, description="where they appear, first first")


class StoryPlace(Model):
    name: str = Field(max_length=80, description="'the Pequod', 'Nantucket', 'the kitchen'")
    interior: bool | None = Field(default=None, description="True inside, False outside, None when unknown")
    mentions: int = Field(default=0, ge=0)
    passages: list[str] = Field(default_factory=list, max_length=50)


class Quote(Model):
    """A line of quoted speech, as written (without its quotation marks)."""

    text: str = Field(max_length=600)
    speaker: str = Field(default="", max_length=80, description="a StoryCharacter's name, '' when unattributed")
    passage: str


class StoryEvent(Model):
    """Something that happens, at the level of a paragraph: its words are the source's own."""

    number: int = Field(ge=1)
    passage: str
    text: str = Field(max_length=400, description="the sentence(s) of the passage that say what happens")
    characters: list[str] = Field(default_factory=list, max_length=10)
    place: str = Field(default="", max_length=80)
    time: str = Field(default="", max_length=40, description="DAY, NIGHT, MORNING, … when the passage says")


class Span(Model):
    """How much of the story the film covers for the brief's runtime."""

    events: list[int] = Field(default_factory=list, description="the numbers of the events the film tells")
    first: str = Field(default="", description="the first passage covered")
    last: str = Field(default="", description="the last passage covered")
    minutes: float = Field(default=0.0, ge=0, description="the runtime the span was chosen for")
    minutes_whole: float = Field(default=0.0, ge=0, description="about what telling the whole story would run")
    note: str = Field(default="", max_length=600, description="the proposal in words, for the person")


class Skeleton(Model):
    title: str = Field(default="", max_length=200)
    author: str = Field(default="", max_length=200)
    language: str = Field(default="en", max_length=10)
    words: int = Field(default=0, ge=0)
    chapters: int = Field(default=1, ge=1)
    time_frame: str = Field(default="", max_length=200, description="'1850s', 'one winter', '' when unsaid")
    characters: list[StoryCharacter] = Field(default_factory=list, max_length=60)
    places: list[StoryPlace] = Field(default_factory=list, max_length=60)
    events: list[StoryEvent] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    span: Span = Field(default_factory=Span)


class Source(Model):
    """The story a project adapts (``source.json``); its text as read is ``source.txt``."""

    name: str = Field(max_length=255, description="the file it came from, as the person named it")
    format: StoryFormat = "txt"
    passages: list[Passage] = Field(default_factory=list)
    skeleton: Skeleton = Field(default_factory=Skeleton)

    def passage(self, pid: str) -> Passage | None:
        for p in self.passages:
            if p.id == pid:
                return p
        return None


def cite(passages: list[str]) -> str:
    """'[p3, p7]' — how a treatment, a beat or a scene note names the passages it comes from."""
    return "[" + ", ".join(passages) + "]" if passages else ""


CITATION = re.compile(r"\[(p[1-9]\d*(?:,\s*p[1-9]\d*)*)\]")


def cited(text: str) -> list[str]:
    """The passage ids a text cites: 'She runs [p3, p4].' → ['p3', 'p4']."""
    return [pid.strip() for m in CITATION.finditer(text) for pid in m.group(1).split(",")]


def source_json(source: Source) -> str:
    """``source.json`` as written: the passages by their offsets into ``source.txt`` (their text is not kept
    twice: a novel would be in the repository twice at each version)."""
    return source.model_dump_json(indent=2, exclude={"passages": {"__all__": {"text"}}}) + "\n"


def read_source_json(data: bytes | str, text: str) -> Source:
    """The Source of ``source.json``, each passage's text cut from ``text`` (source.txt) by its offsets."""
    raw = json.loads(data)
    for p in raw.get("passages") or []:
        if isinstance(p, dict) and "text" not in p:
            start, end = p.get("start"), p.get("end")
            p["text"] = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
    return Source.model_validate(raw)
