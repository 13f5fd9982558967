"""Expected breakdown of a Final Draft (.fdx) screenplay, read from the file's own XML (not run by the tests).

Written from Final Draft's document format, independently of studio/fdx.py:

- ``<FinalDraft><Content>`` holds the script as ``<Paragraph Type="...">`` elements in reading order. A
  paragraph's printed text is its own ``<Text>`` children (runs), joined as they are: Final Draft splits a line
  into runs wherever the font, style or revision changes, without any break between them.
- A paragraph may carry other elements that are not printed on the page: ``<SceneProperties>`` (with the
  scene's ``<Summary>`` and ``<SceneArcBeats>``), ``<ScriptNote>``, ``<DynamicLabel>``... Their paragraphs are
  never part of the script, so only direct ``<Text>`` children count.
- Dual dialogue (Final Draft 8 and later) is a ``<Paragraph>`` holding ``<DualDialogue>``, which holds the two
  speeches' Character / Parenthetical / Dialogue paragraphs.
- A Character paragraph whose whole text is in parentheses ("(INTO PHONE)", a transcription slip) is read as a
  reader reads the page: a parenthetical of the speech under way, not a speaker and not a new speech (by hand).
- A Character paragraph with no Dialogue or Parenthetical right after it heads no speech (a cue left over
  above action): nobody speaks there.
- Every ``Scene Heading`` paragraph with text starts a scene, whatever it says ("MONTAGE", "LATER"...); Final
  Draft prints headings and character cues in capitals: the AllCaps font style of those elements in the
  file's ``<ElementSettings>`` (every template has it).

The breakdown follows tests/integration/test_screenplay_corpus.py: per scene its heading as printed (upper case,
whitespace collapsed), the speakers (cue in capitals without its extensions such as (V.O.) or (CONT'D)) and the
number of character cues. What comes before the first scene heading belongs to no scene.

Usage: python fdx_expect.py script.fdx  → prints the "scenes" list as JSON.
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

EXTENSION = re.compile(r"\s*\([^()]*\)\s*$")
PARENTHETICAL = re.compile(r"^\(.*\)$")


def script_paragraphs(content: ET.Element) -> Iterator[ET.Element]:
    """The script's paragraphs in reading order, the two sides of a dual dialogue included."""
    for child in content:
        if child.tag == "DualDialogue":
            yield from child.findall("Paragraph")
        elif child.tag == "Paragraph":
            dual = child.find("DualDialogue")
            if dual is not None:
                yield from dual.findall("Paragraph")
            else:
                yield child


def printed_text(paragraph: ET.Element) -> str:
    """The paragraph's own runs, joined; whitespace collapsed as a reader sees one line."""
    return " ".join("".join(t.text or "" for t in paragraph.findall("Text")).split())


def kind_of(paragraph: ET.Element) -> str:
    return (paragraph.get("Type") or "").strip().lower()


def speaker(cue: str) -> str:
    name = cue
    while EXTENSION.search(name):
        name = EXTENSION.sub("", name)
    return " ".join(name.split())


def in_capitals(root: ET.Element, element: str) -> bool:
    """Final Draft prints an element in capitals when its ElementSettings font style has AllCaps; a file with
    no settings opens with Final Draft's default template, where headings and cues are AllCaps."""
    for setting in root.findall("ElementSettings"):
        if (setting.get("Type") or "").strip().lower() == element:
            font = setting.find("FontSpec")
            return font is not None and "allcaps" in (font.get("Style") or "").lower()
    return not root.findall("ElementSettings")


def scenes(path: str) -> list[dict[str, object]]:
    root = ET.parse(path).getroot()
    heading_caps, cue_caps = in_capitals(root, "scene heading"), in_capitals(root, "character")
    content = root.find("Content")
    assert root.tag == "FinalDraft" and content is not None, f"{path} is not a Final Draft script"
    out: list[dict[str, object]] = []
    printed = [(kind_of(p), printed_text(p)) for p in script_paragraphs(content)]
    printed = [("parenthetical" if kind == "character" and PARENTHETICAL.match(text) else kind, text)
               for kind, text in printed if text]
    for k, (kind, text) in enumerate(printed):
        speech_follows = k + 1 < len(printed) and printed[k + 1][0] in ("dialogue", "parenthetical")
        if kind == "scene heading":
            out.append({"heading": text.upper() if heading_caps else text, "speakers": [], "dialogue": 0})
        elif kind == "character" and not speech_follows:  # "(INTO PHONE)" typed as a cue is a parenthetical
            continue  # a cue left with no speech under it ("WALTER" before action): nobody speaks
        elif kind == "character" and out:
            scene = out[-1]
            names = set(scene["speakers"])  # type: ignore[arg-type]
            names.add(speaker(text.upper() if cue_caps else text))
            scene["speakers"] = sorted(names)
            scene["dialogue"] = int(scene["dialogue"]) + 1  # type: ignore[call-overload]
    return out


if __name__ == "__main__":
    print(json.dumps(scenes(sys.argv[1]), indent=1, ensure_ascii=False))
