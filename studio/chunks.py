"""Chunks for semantic memory: pieces of a project that answer questions on their own.

A screenplay is chunked the way people ask about it: a scene, a beat, a
character, a shot, a decision. Every chunk has a stable key (kind + key), so
re-indexing replaces a chunk instead of duplicating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studio.breakdown import scene_chunks
from studio.fountain import ElementType, parse
from studio.models import BeatSheet, Brief, Look, Prompts, ShotList, Take, Treatment
from studio.source import Source
from studio.stages import Stage

MAX_CHUNK_CHARS = 2400
PASSAGE_WORDS = 70  # sentence-embedding models read about 256 word pieces; a passage stays under that
OVERLAP_WORDS = 25
# A story's passage is prose that reads on: longer windows (still under the model's 256 word pieces) and less
# overlap than a scene's, so a novel is about 2,000 pieces to embed, not 5,000.
STORY_WORDS = 150
STORY_OVERLAP = 20


@dataclass(frozen=True)
class Chunk:
    kind: str  # brief, treatment, beat, scene, character, location, prop, style, shot, prompt, take, decision
    key: str
    text: str
    stage: str
    source: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    part: int = 0  # a long scene is several passages under one key


def scene_texts(fountain: str) -> list[tuple[str, str]]:
    """(heading, readable text) for every scene: action as written, dialogue as 'NAME: line'."""
    _, chunks = scene_chunks(parse(fountain))
    out = []
    for chunk in chunks:
        heading = chunk[0].plain
        lines: list[str] = [heading]
        speaker = ""
        for el in chunk[1:]:
            if el.type is ElementType.CHARACTER:
                speaker = el.text
            elif el.type in (ElementType.DIALOGUE, ElementType.LYRICS):
                lines.append(f"{speaker}: {' '.join(el.plain.split())}")
            elif el.type is ElementType.PARENTHETICAL:
                lines.append(f"{speaker} {el.plain}")
            elif el.type in (ElementType.ACTION, ElementType.CENTERED, ElementType.SYNOPSIS):
                lines.append(" ".join(el.plain.split()))
        out.append((heading, "\n".join(lines)))
    return out


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHUNK_CHARS else text[: MAX_CHUNK_CHARS - 1] + "…"


def brief_chunks(brief: Brief, source: str) -> list[Chunk]:
    parts = [f"Title: {brief.title}", f"Logline: {brief.logline}", f"Genre: {brief.genre}", f"Tone: {brief.tone}",
             f"Runtime: {brief.runtime_minutes:g} minutes", f"Aspect ratio: {brief.aspect_ratio.value}"]
    parts += [f"Reference: {r}" for r in brief.references]
    if brief.authors:
        parts.append("Written by " + ", ".join(brief.authors))
    return [Chunk("brief", "brief", _cut("\n".join(p for p in parts if not p.endswith(": "))),
                  Stage.BRIEF.value, source)]


def treatment_chunks(t: Treatment, source: str) -> list[Chunk]:
    out = []
    for k, v in enumerate(t.variants, start=1):
        chosen = " (the chosen variant)" if t.chosen == k - 1 else ""
        out.append(Chunk("treatment", str(k), _cut(f"Treatment variant {k}{chosen}: {v.title}\n{v.logline}\n{v.text}"),
                         Stage.TREATMENT.value, source))
    return out


def beat_chunks(b: BeatSheet, source: str) -> list[Chunk]:
    return [Chunk("beat", str(k), _cut(f"Beat {k} ({b.structure.value}, act {beat.act}): {beat.name}. "
                                       f"{beat.description}"), Stage.BEATS.value, source)
            for k, beat in enumerate(b.beats, start=1)]


def passages(text: str, words: int = PASSAGE_WORDS, overlap: int = OVERLAP_WORDS) -> list[str]:
    """Overlapping windows of about ``words`` words, so nothing in a long scene is out of reach."""
    tokens = text.split(" ")
    if len(tokens) <= words:
        return [text]
    out, start = [], 0
    while start < len(tokens):
        out.append(" ".join(tokens[start:start + words]))
        if start + words >= len(tokens):
            break
        start += words - overlap
    return out


def script_chunks(fountain: str, source: str) -> list[Chunk]:
    """A scene per key; a long scene in passages, each opening with the scene's heading."""
    out = []
    for k, (heading, text) in enumerate(scene_texts(fountain), start=1):
        body = text.split("\n", 1)[1] if "\n" in text else ""
        for part, passage in enumerate(passages(body.replace("\n", " \n ")) if body else [""]):
            out.append(Chunk("scene", str(k), _cut(f"Scene {k}. {heading}. {passage}".replace(" \n ", "\n")),
                             Stage.SCRIPT.value, source, {"heading": heading}, part))
    return out


def source_chunks(story: Source, source: str) -> list[Chunk]:
    """A passage of an adapted story per key (its id, 'p12'), in parts a sentence model reads whole: /recall
    "where does she first see the whale?" answers with the passage and where it sits."""
    out = []
    for p in story.passages:
        label = f"Story passage {p.id}" + (f" (chapter {p.chapter})" if story.skeleton.chapters > 1 else "")
        for part, text in enumerate(passages(p.text, STORY_WORDS, STORY_OVERLAP)):
            out.append(Chunk("passage", p.id, _cut(f"{label}: {text}"), Stage.BRIEF.value, source,
                             {"chapter": p.chapter, "start": p.start}, part))
    return out


def look_chunks(look: Look, source: str) -> list[Chunk]:
    out = []
    for c in look.characters:
        text = f"Character {c.name}: {c.description} Looks: {c.visual}. Age {c.age}. Wardrobe: {c.wardrobe}."
        out.append(Chunk("character", c.name.upper(), _cut(text), Stage.LOOK.value, source))
    for loc in look.locations:
        out.append(Chunk("location", loc.name.upper(), _cut(f"Location {loc.name}: {loc.description} {loc.visual}"),
                         Stage.LOOK.value, source))
    for p in look.props:
        out.append(Chunk("prop", p.name.upper(), _cut(f"Prop {p.name}: {p.description} {p.visual} "
                                                      f"(scenes {', '.join(map(str, p.scenes))})"),
                         Stage.LOOK.value, source))
    s = look.style
    out.append(Chunk("style", "style", _cut(f"Style capsule {s.name}: medium {s.medium}; palette {s.palette}; "
                                            f"lighting {s.lighting}; camera {s.camera}; {s.positive}"),
                     Stage.LOOK.value, source))
    for state in look.states:
        for name, st in state.characters.items():
            details = "; ".join(f"{k} {v}" for k, v in st.model_dump().items() if v)
            if details:
                out.append(Chunk("state", f"{state.scene}:{name.upper()}",
                                 f"In scene {state.scene}, {name}: {details}.", Stage.LOOK.value, source))
    return out


def shot_chunks(shots: ShotList, source: str) -> list[Chunk]:
    return [Chunk("shot", s.code, _cut(f"Shot {s.code}: {s.size.value} {s.angle.value} {s.movement.value}, "
                                       f"{s.lens_mm}mm, {s.duration_s:g}s. {s.action} {s.dialogue} {s.notes}"),
                  Stage.SHOTS.value, source) for s in shots.shots]


def prompt_chunks(prompts: Prompts, source: str) -> list[Chunk]:
    return [Chunk("prompt", f"S{p.scene:02d}_SH{p.number:03d}",
                  _cut(f"Prompt for S{p.scene:02d}_SH{p.number:03d}: {p.frame_override or p.frame_prompt}"),
                  Stage.PROMPTS.value, source) for p in prompts.prompts]


def take_chunk(take: Take) -> Chunk:
    stage = Stage.BOARDS if take.kind.value == "image" else Stage.CLIPS
    return Chunk("take", take.name + take.path.rsplit(".", 1)[-1],
                 _cut(f"Take {take.name} ({take.kind.value}) of S{take.scene:02d}_SH{take.shot:03d}: model "
                      f"{take.model or 'unknown'}, seed {take.seed}, prompt: {take.prompt}"),
                 stage.value, take.path)


def decision_chunk(number: int, text: str, stage: str, who: str, source: str) -> Chunk:
    return Chunk("decision", str(number), _cut(f"Decision by {who} on the {stage}: {text}"), stage, source)
