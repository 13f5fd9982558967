"""Final Draft XML (.fdx) ↔ FountainDocument.

Paragraphs are typed Scene Heading, Action, Character, Dialogue, Parenthetical,
Transition (and General, Shot, Lyrics on the way in). The title page travels as
FDX's TitlePage content. Files are written with the standard library; an upload is untrusted, so its XML
is read outside the domain, by tools.imports.fdx_reader (defusedxml, within studio.uploads' limits).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from studio.errors import NotAScreenplay
from studio.fountain.elements import EMPHASIS_SPANS, Element, ElementType, FountainDocument, TitleField, plain_text

TYPE_OUT = {
    ElementType.SCENE_HEADING: "Scene Heading",
    ElementType.ACTION: "Action",
    ElementType.CHARACTER: "Character",
    ElementType.DIALOGUE: "Dialogue",
    ElementType.PARENTHETICAL: "Parenthetical",
    ElementType.TRANSITION: "Transition",
    ElementType.CENTERED: "Action",
    ElementType.LYRICS: "Lyrics",
}
TYPE_IN = {
    "scene heading": ElementType.SCENE_HEADING, "action": ElementType.ACTION, "general": ElementType.ACTION,
    "character": ElementType.CHARACTER, "dialogue": ElementType.DIALOGUE,
    "parenthetical": ElementType.PARENTHETICAL, "transition": ElementType.TRANSITION, "shot": ElementType.ACTION,
    "lyrics": ElementType.LYRICS, "cast list": ElementType.ACTION, "new act": ElementType.SECTION,
    "end of act": ElementType.SECTION,
}


RUN_RE = re.compile("(" + "|".join(EMPHASIS_SPANS) + ")")  # groups 2-5: the four kinds of emphasis
STYLES = {2: "Bold+Italic", 3: "Bold", 4: "Italic", 5: "Underline"}
MARKS = {"Bold+Italic": "***", "Bold": "**", "Italic": "*", "Underline": "_"}


def _runs(line: str) -> list[tuple[str, str | None]]:
    """Fountain emphasis → (text, FDX style) runs."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in RUN_RE.finditer(line):
        if m.start() > pos:
            out.append((plain_text(line[pos:m.start()]), None))
        group = next(g for g in (2, 3, 4, 5) if m.group(g) is not None)
        out.append((plain_text(m.group(group)), STYLES[group]))
        pos = m.end()
    if pos < len(line) or not out:
        out.append((plain_text(line[pos:]), None))
    return out


def _paragraph(parent: ET.Element, kind: str, text: str, *, styled: bool = True, **attrs: str) -> ET.Element:
    p = ET.SubElement(parent, "Paragraph", {"Type": kind, **attrs})
    for k, line in enumerate(text.split("\n")):
        if k:
            ET.SubElement(p, "Text").text = ""
        for run, style in (_runs(line) if styled else [(line, None)]):
            t = ET.SubElement(p, "Text", {"Style": style} if style else {})
            t.text = run
    return p


def to_fdx(doc: FountainDocument) -> str:
    root = ET.Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    content = ET.SubElement(root, "Content")
    for el in doc.elements:
        kind = TYPE_OUT.get(el.type)
        if kind is None:
            continue  # sections, synopses, notes, page breaks are not printed
        text = el.text
        if el.type is ElementType.CHARACTER:
            text = el.text + "".join(f" ({x})" for x in el.extensions)
        attrs = {}
        if el.type is ElementType.SCENE_HEADING and el.scene_number:
            attrs["Number"] = el.scene_number
        p = _paragraph(content, kind, text, styled=el.type is not ElementType.CHARACTER, **attrs)
        if el.type is ElementType.CENTERED:
            p.set("Alignment", "Center")
        if el.type is ElementType.CHARACTER and el.dual:
            p.set("DualDialogue", "Yes")
    if doc.title_page:
        tp = ET.SubElement(root, "TitlePage")
        tp_content = ET.SubElement(tp, "Content")
        for f in doc.title_page:
            for k, line in enumerate(plain_text(f.value).split("\n")):
                p = ET.SubElement(tp_content, "Paragraph", Type="General", Alignment="Center")
                ET.SubElement(p, "Text", Key=f.key if k == 0 else "").text = line
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _text(p: ET.Element) -> str:
    parts = []
    for t in p.iter("Text"):
        run = (t.text or "").replace("*", "\\*").replace("_", "\\_")
        mark = MARKS.get(t.get("Style") or "", "") if run.strip() else ""
        parts.append(f"{mark}{run}{mark}" if mark else run)
    return "".join(parts) if len(parts) < 2 else "\n".join(x for x in _join_lines(parts))


def _join_lines(parts: list[str]) -> list[str]:
    """FDX splits a paragraph into styled runs; an empty run marks a line break we wrote."""
    lines, current = [], ""
    for part in parts:
        if part == "":
            lines.append(current)
            current = ""
        else:
            current += part
    lines.append(current)
    return lines


def from_fdx(root: ET.Element, name: str = "script.fdx") -> FountainDocument:
    """The screenplay in a Final Draft document, from its XML tree (read from an upload by
    tools.imports.fdx_reader, with its limits)."""
    if root.tag != "FinalDraft":
        raise NotAScreenplay(f"{name} is XML but not a Final Draft document (its root is <{root.tag}>)",
                             "export the screenplay from Final Draft as .fdx")
    content = root.find("Content")
    if content is None:
        raise NotAScreenplay(f"{name} has no script content", "check that the file is the whole screenplay")
    elements: list[Element] = []
    for p in content.findall("Paragraph"):
        kind = TYPE_IN.get((p.get("Type") or "action").strip().lower(), ElementType.ACTION)
        text = _text(p).strip("\n")
        if not text.strip():
            continue
        if kind is ElementType.CHARACTER:
            from studio.fountain.parser import split_cue

            cue, extensions, dual, _ = split_cue(text.strip())
            elements.append(Element(type=kind, text=cue, extensions=extensions,
                                    dual=dual or (p.get("DualDialogue") or "").lower() == "yes"))
        elif kind is ElementType.SCENE_HEADING:
            elements.append(Element(type=kind, text=" ".join(text.split()), scene_number=p.get("Number") or None))
        elif kind is ElementType.ACTION and (p.get("Alignment") or "").lower() == "center":
            elements.append(Element(type=ElementType.CENTERED, text=text.strip()))
        elif kind is ElementType.SECTION:
            elements.append(Element(type=kind, text=text.strip(), depth=1))
        else:
            elements.append(Element(type=kind, text=text.strip() if kind is not ElementType.ACTION else text))
    title_page: list[TitleField] = []
    tp = root.find("TitlePage/Content")
    if tp is not None:
        for p in tp.findall("Paragraph"):
            for t in p.findall("Text"):
                key = t.get("Key")
                line = (t.text or "").strip()
                if key:
                    title_page.append(TitleField(key=key, value=line))
                elif title_page and line:
                    title_page[-1].value += "\n" + line
                elif line and not title_page:
                    title_page.append(TitleField(key="Title", value=line))
    if not any(e.type is ElementType.SCENE_HEADING for e in elements) and not any(
            e.type is ElementType.CHARACTER for e in elements):
        raise NotAScreenplay(f"{name} has no scene headings and no dialogue",
                             "check that the file is a screenplay, not a blank template")
    return FountainDocument(title_page=title_page, elements=elements)


def looks_like_fdx(data: bytes) -> bool:
    return bool(re.search(rb"<FinalDraft\b", data[:2000]))
