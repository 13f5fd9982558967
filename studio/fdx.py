"""Final Draft XML (.fdx) ↔ FountainDocument.

Paragraphs are typed Scene Heading, Action, Character, Dialogue, Parenthetical,
Transition (and General, Shot, Lyrics on the way in). The title page travels as
FDX's TitlePage content. Files are written with the standard library and read with defusedxml: an
upload is untrusted, so no DTD, entity or external reference is read, and its size, depth and number
of elements are bounded (the limits are studio.uploads').
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from studio.errors import NotAScreenplay
from studio.fountain.elements import EMPHASIS_SPANS, Element, ElementType, FountainDocument, TitleField, plain_text
from studio.uploads import MAX_FDX_DEPTH, MAX_FDX_ELEMENTS, MAX_SCREENPLAY, MB, OTHER_FORMATS, UploadRefused

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


def read_xml(data: bytes, name: str) -> ET.Element:
    """The XML tree of an uploaded .fdx, or a refusal naming the limit and the fix: at most MAX_SCREENPLAY
    bytes, MAX_FDX_DEPTH deep and MAX_FDX_ELEMENTS elements, and no DTD (so no entity, expanded or external).
    The tree is abandoned as soon as a limit is passed, before the rest is read."""
    resave = f"save it again from Final Draft (File > Save As > .fdx), or {OTHER_FORMATS}"
    if len(data) > MAX_SCREENPLAY:
        raise UploadRefused(f"{name} is {len(data) / MB:.1f} MB, more than the {MAX_SCREENPLAY // MB} MB a "
                            "Final Draft file may have", f"split the screenplay, or {OTHER_FORMATS}")
    root: ET.Element | None = None
    depth = count = 0
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True,
                                        forbid_entities=True, forbid_external=True):
            if event == "end":
                depth -= 1
                continue
            depth, count = depth + 1, count + 1
            if root is None:
                root = element
            if depth > MAX_FDX_DEPTH:
                raise UploadRefused(f"{name} nests its XML more than {MAX_FDX_DEPTH} elements deep (a Final "
                                    "Draft file nests about 6)", resave)
            if count > MAX_FDX_ELEMENTS:
                raise UploadRefused(f"{name} has more than {MAX_FDX_ELEMENTS:,} XML elements (a feature "
                                    "screenplay has about 20,000)", f"split the screenplay, or {OTHER_FORMATS}")
    except DefusedXmlException:
        raise UploadRefused(f"{name} declares a document type (<!DOCTYPE ...>) with entities, which Final Draft "
                            "files never have: Auteur does not read them", resave) from None
    except ET.ParseError as exc:
        raise NotAScreenplay(f"{name} is not a valid Final Draft file: {exc}", resave) from None
    if root is None:
        raise NotAScreenplay(f"{name} is not a valid Final Draft file: it has no XML element", resave)
    return root


def from_fdx(data: bytes, name: str = "script.fdx") -> FountainDocument:
    root = read_xml(data, name)
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
