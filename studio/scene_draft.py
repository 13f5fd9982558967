"""The script, scene by scene: each scene one small call, its fields vetted (studio.fields), a failed field
repaired once and then written by rule from the beat it carries (studio.fallbacks).

A line of dialogue that fails is dropped when the scene keeps another; a scene left with none gets a plain line,
so every scene still has someone speaking (coverage and the breakdown expect it)."""

from __future__ import annotations

from functools import partial
from typing import Any

from studio import fallbacks as rule
from studio.drafts import LineDraft, SceneDraft, clean_name, one_line
from studio.fields import Vetter, bound, framed, spoken
from studio.models import Beat, Brief


def _excerpt(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SceneWriter:
    """Asks the crew for scene after scene; keeps the vetted scenes and the cast so far."""

    def __init__(self, vetter: Vetter, brief: Brief, story: str) -> None:
        self.v = vetter
        self.brief = brief
        self.story = story
        self.base_known = vetter.known
        self.scenes: list[SceneDraft] = []
        self.cast: list[str] = []

    @property
    def cast_text(self) -> str:
        return ", ".join(self.cast)

    def write(self, k: int, count: int, beats: list[Beat], *, notes: str, memory: str) -> SceneDraft:
        previous = self.scenes[-1] if self.scenes else None
        inputs: dict[str, Any] = {
            "title": self.brief.title, "logline": self.brief.logline, "treatment": _excerpt(self.story, 800),
            "beats": _excerpt(" | ".join(f"{b.name}: {b.description}" for b in beats), 500) or "free",
            "number": str(k), "scenes": str(count), "cast": ", ".join(self.cast) or "new characters",
            "previous": _excerpt(f"{previous.location}: {previous.action}", 300) if previous else "none",
            "notes": notes, "memory": memory,
        }
        self.v.known = (*self.base_known, *self.cast, *(w for n in self.cast for w in rule.words(n)))
        draft = self.v.run("script", inputs, SceneDraft, lambda: SceneDraft.model_construct(
            int_ext="INT", location="", time="DAY", action="", dialogue=[]))
        beat = beats[0] if beats else Beat(name="Story", description="")
        location = self.v.field(
            draft.location, task="script", name="location", kind="place", max_chars=bound(SceneDraft, "location"),
            label=f"script: scene {k} location", inputs=inputs,
            fallback=lambda: rule.scene_location(previous.location if previous else "",
                                                 f"{self.brief.logline} {self.story}", k))
        speakers = ", ".join(dict.fromkeys(clean_name(d.character) for d in draft.dialogue if d.character.strip()))
        action = self.v.field(
            draft.action, task="script", name="action", kind="sentence", max_chars=bound(SceneDraft, "action"),
            label=f"script: scene {k} action",
            inputs={**inputs, "location": location, "time": draft.time, "speakers": speakers or self.cast_text},
            fallback=lambda: rule.scene_action(beat.name, beat.description, self.brief.logline),
            keep=lambda text: not framed(text))
        dialogue = self._dialogue(k, draft.dialogue, {**inputs, "action": action}, beat.act)
        scene = SceneDraft.model_construct(int_ext=draft.int_ext, location=location, time=draft.time, action=action,
                                           dialogue=dialogue)
        self.scenes.append(scene)
        self.cast.extend(n for n in dict.fromkeys(clean_name(d.character) for d in dialogue) if n not in self.cast)
        return scene

    def _dialogue(self, k: int, lines: list[LineDraft], inputs: dict[str, Any], act: int) -> list[LineDraft]:
        kept: list[LineDraft] = []
        for n, said in enumerate(lines, start=1):
            speaker = self.v.field(said.character, task="script", name="character", kind="name",
                                   max_chars=bound(LineDraft, "character"), label=f"script: scene {k}, line {n} speaker",
                                   inputs={**inputs, "line": said.line},
                                   fallback=lambda: rule.speaker(self.cast, k))
            # 'Elena: Oh, thank you.' is Elena's line; narration about its own speaker is nobody's.
            cast = [*self.cast, *(clean_name(d.character) for d in lines if d.character.strip())]
            line = self.v.field(said.line, task="script", name="line", kind="line", max_chars=bound(LineDraft, "line"),
                                label=f"script: scene {k}, {speaker}'s line {n} (dropped)",
                                inputs={**inputs, "speaker": speaker, "character": speaker}, fallback="",
                                prepare=partial(spoken, speaker=speaker, cast=cast))
            if line:
                kept.append(LineDraft.model_construct(character=speaker, line=line))
        if not kept:
            speaker = self.cast[0] if self.cast else rule.speaker([], k)
            kept.append(LineDraft.model_construct(character=speaker, line=rule.dialogue_line(act)))
            self.v.fallbacks.append(f"script: scene {k} dialogue")
        return kept
