"""Make expected.json scenes for the pdf_* corpus folders from a source independent of Auteur's readers.

Not run by the tests. Two sources:

* a Fountain screenplay, parsed by PyPI ``jouvence`` 0.4.2 (another parser): each scene's heading, its
  character cues without extensions (``BOB (CONT'D)`` → ``BOB``) and one speech per cue;
* a Final Draft file, read here from its own XML (``Paragraph Type="Scene Heading"`` / ``"Character"``),
  with one correction by hand: a Character paragraph whose whole text is in parentheses is not a speaker.

Run it in a throwaway venv (``pip install jouvence``)::

    python pdf_expected.py fountain SCRIPT.fountain  >  scenes.json
    python pdf_expected.py fdx SCRIPT.fdx            >  scenes.json
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET

EXTENSION = re.compile(r"\s*\([^()]*\)\s*$")


def speaker(cue: str) -> str:
    """The cue as printed, without its extensions and the dual-dialogue caret, upper case."""
    name = cue.strip().lstrip("@").rstrip("^").strip()
    while EXTENSION.search(name) and not name.startswith("("):
        name = EXTENSION.sub("", name)
    return " ".join(name.split()).upper()


def from_fountain(path: str) -> list[dict]:
    from jouvence.document import TYPE_CHARACTER
    from jouvence.parser import JouvenceParser

    doc = JouvenceParser().parseString(open(path, encoding="utf-8").read())
    scenes = []
    for scene in doc.scenes:
        if scene.header is None:  # the text before the first heading is no scene
            continue
        cues = [speaker(p.text) for p in scene.paragraphs if p.type == TYPE_CHARACTER]
        scenes.append({"heading": " ".join(scene.header.split()), "speakers": sorted(set(cues)),
                       "dialogue": len(cues)})
    return scenes


def from_fdx(path: str) -> list[dict]:
    content = ET.parse(path).getroot().find("Content")
    assert content is not None
    scenes: list[dict] = []
    for para in content.iter("Paragraph"):
        text = " ".join("".join(t.text or "" for t in para.findall("Text")).split())
        kind = para.get("Type")
        if kind == "Scene Heading":
            scenes.append({"heading": text.upper(), "cues": []})
        elif kind == "Character" and scenes and not (text.startswith("(") and text.endswith(")")):
            # a Character paragraph that is all parenthetical ("(INTO PHONE)") is a direction the transcriber
            # typed as a cue: on the page it reads as the speaker's parenthetical, not as a new speaker
            scenes[-1]["cues"].append(speaker(text))
    return [{"heading": s["heading"], "speakers": sorted(set(s["cues"])), "dialogue": len(s["cues"])}
            for s in scenes]


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print(json.dumps(from_fountain(path) if kind == "fountain" else from_fdx(path), indent=1))
