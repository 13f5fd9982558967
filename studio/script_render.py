"""A screenwriter's draft (scenes of action and dialogue) → a Fountain screenplay.

The draft comes from a language model; the Fountain is written by code, so the
script always parses: headings are well-formed, names are character cues,
speakers are introduced in capitals, and scenes are joined by transitions.
"""

from __future__ import annotations

import re

from studio.drafts import ScriptDraft, clean_location, clean_name, one_line, plain_words
from studio.fountain import Element, ElementType, FountainDocument, TitleField, write


def _introduce(action: str, names: list[str], introduced: set[str]) -> str:
    """Write a character's first mention in capitals, as screenplays do."""
    for name in names:
        if name in introduced:
            continue
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        if pattern.search(action):
            action = pattern.sub(name, action, count=1)
            introduced.add(name)
    return action


def render_script(draft: ScriptDraft, *, title: str, author: str = "Auteur") -> str:
    elements: list[Element] = [Element(type=ElementType.ACTION, text="FADE IN:")]
    introduced: set[str] = set()
    for k, scene in enumerate(draft.scenes):
        location = clean_location(scene.location)
        heading = f"{scene.int_ext}. {location} - {scene.time}"
        elements.append(Element(type=ElementType.SCENE_HEADING, text=heading))
        speakers = list(dict.fromkeys(clean_name(d.character) for d in scene.dialogue if d.line.strip()))
        action = plain_words(scene.action) or f"We are at the {location.lower()}."
        action = _introduce(action, speakers, introduced)
        missing = [s for s in speakers if s not in introduced]
        if missing:
            action += " " + ", ".join(missing) + (" is here." if len(missing) == 1 else " are here.")
            introduced.update(missing)
        elements.append(Element(type=ElementType.ACTION, text=action))
        for line in scene.dialogue:
            text = plain_words(line.line)
            if not text:
                continue
            elements.append(Element(type=ElementType.CHARACTER, text=clean_name(line.character)))
            elements.append(Element(type=ElementType.DIALOGUE, text=text))
        if k < len(draft.scenes) - 1:
            elements.append(Element(type=ElementType.TRANSITION, text="CUT TO:"))
    elements.append(Element(type=ElementType.TRANSITION, text="FADE OUT.", forced=True))
    title_page = [TitleField(key="Title", value=one_line(title) or "Untitled"),
                  TitleField(key="Credit", value="Written by"), TitleField(key="Author", value=author)]
    return write(FountainDocument(title_page=title_page, elements=elements))
