"""The script in screenplay layout: scene by scene, each element typed as a page draws it, and a plain text
layout (cues and dialogue indented as on the page) for a terminal."""

from __future__ import annotations

from typing import Any

from studio.errors import StageError
from studio.fountain import parse
from studio.fountain.elements import Element, ElementType
from studio.ports import ProjectPort
from studio.views import View

SHOWN = {ElementType.SCENE_HEADING: "heading", ElementType.ACTION: "action", ElementType.CHARACTER: "character",
         ElementType.PARENTHETICAL: "parenthetical", ElementType.DIALOGUE: "dialogue",
         ElementType.TRANSITION: "transition", ElementType.LYRICS: "lyrics", ElementType.CENTERED: "centered"}
INDENT = {"character": 22, "parenthetical": 16, "dialogue": 10, "lyrics": 10, "transition": 45, "centered": 20}


def _text(element: Element) -> str:
    text = element.plain
    if element.type is ElementType.CHARACTER and element.extensions:
        text += " " + " ".join(f"({x})" for x in element.extensions)
    if element.type is ElementType.PARENTHETICAL and not text.startswith("("):
        text = f"({text})"
    return text


def script_view(store: ProjectPort) -> View:
    script = store.read_script()
    if script is None or not script.fountain.strip():
        raise StageError("there is no script yet", "write it first (say 'next' until the script), or upload a "
                                                   "screenplay")
    doc = parse(script.fountain)
    scenes: list[dict[str, Any]] = []
    headings = 0
    for element in doc.elements:
        kind = SHOWN.get(element.type)
        if kind is None:
            continue
        if kind == "heading":
            headings += 1
            scenes.append({"number": headings, "elements": []})
        elif not scenes:  # what comes before the first heading (FADE IN:) is scene 0
            scenes.append({"number": 0, "elements": []})
        scenes[-1]["elements"].append({"type": kind, "text": _text(element)})
    props = {"title": script.title or doc.title or store.manifest().title, "pages": round(script.pages, 1),
             "scenes": scenes}
    return View(props, script_text(props), "Screenwriter", "script")


def script_text(props: dict[str, Any]) -> str:
    """The screenplay laid out in plain text: headings and action at the margin, cues and lines indented."""
    lines = [str(props["title"]).upper(), f"({props['pages']:g} pages)", ""]
    for scene in props["scenes"]:
        for element in scene["elements"]:
            kind, text = element["type"], element["text"]
            if kind in ("heading", "action"):
                lines += ["", text.upper() if kind == "heading" else text]
            elif kind == "character":
                lines += ["", " " * INDENT[kind] + text.upper()]
            else:
                lines += [" " * INDENT[kind] + part for part in text.splitlines() or [""]]
    return "\n".join(lines).strip("\n") + "\n"
