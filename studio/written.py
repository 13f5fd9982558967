"""What the crew wrote in a project: the text of every field a language model fills, stage by stage.

For measuring the crew's words (bench/quality.py, the tests on the real model): the junk rate is taken over
these, not over what code writes (shot codes, headings rebuilt from the script, prompt boilerplate). An
imported screenplay is a person's words, so its script is not the crew's; a drafted one is.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from studio.fountain import ElementType, parse
from studio.models import BeatSheet, Brief, Look, Script, ShotList, Treatment

_CRAFT_NOTES = re.compile(r"^(establishing shot|master|single|cutaway|action beat|insert: .*|over .*'s shoulder|"
                          r".* is heard \(.*\)|continued|redone as .*)$", re.IGNORECASE)


def _strings(model: BaseModel | None, fields: tuple[str, ...]) -> list[str]:
    if model is None:
        return []
    return [v for f in fields if isinstance(v := getattr(model, f, ""), str) and v.strip()]


def script_text(script: Script | None) -> list[str]:
    """The scene headings, action and dialogue of a screenplay."""
    if script is None:
        return []
    doc = parse(script.fountain)
    kinds = (ElementType.SCENE_HEADING, ElementType.ACTION, ElementType.DIALOGUE)
    return [el.plain for el in doc.elements if el.type in kinds and el.plain.strip()]


def crew_text(brief: Brief | None, treatment: Treatment | None, beats: BeatSheet | None, script: Script | None,
              look: Look | None, shots: ShotList | None, *, imported: bool) -> dict[str, list[str]]:
    """stage → the strings the crew wrote there (a stage not drafted by the crew gives [])."""
    out: dict[str, list[str]] = {}
    out["brief"] = [] if imported else _strings(brief, ("title", "logline", "genre", "tone"))
    out["treatment"] = [s for v in (treatment.variants if treatment else [])
                        for s in _strings(v, ("title", "logline", "text"))]
    out["beats"] = [b.description for b in (beats.beats if beats else []) if b.description.strip()]
    out["script"] = [] if imported else script_text(script)
    look_text: list[str] = []
    if look is not None:
        for c in look.characters:
            look_text += _strings(c, ("description", "visual", "age", "wardrobe"))
        for place in look.locations:
            look_text += _strings(place, ("description", "visual"))
        for p in look.props:
            look_text += _strings(p, ("description", "visual"))
        look_text += _strings(look.style, ("medium", "palette", "lighting", "camera"))
        for state in look.states:
            for cs in state.characters.values():
                look_text += _strings(cs, ("wardrobe", "injuries", "dirt", "holding"))
            for ps in state.props.values():
                look_text += _strings(ps, ("condition", "held_by"))
    out["look"] = look_text
    notes = []
    for shot in shots.shots if shots else []:
        for part in shot.notes.split(";"):
            part = part.strip()
            if part and not _CRAFT_NOTES.match(part):
                notes.append(part)
    out["shots"] = notes
    return out
