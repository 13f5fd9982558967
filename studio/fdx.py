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
    "end of act": ElementType.SECTION, "act break": ElementType.SECTION,
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


def _runs_text(p: ET.Element, *, styled: bool) -> str:
    """A paragraph's printed text: its own ``Text`` runs, joined as they are.

    Final Draft splits a line into runs wherever the font, style or revision changes, with no break between
    them, and keeps a line break inside a paragraph as a newline in a run. Only the paragraph's direct runs
    are printed: the text of a scene's SceneProperties (its summary), ScriptNotes and other nested paragraphs
    is not. An empty run with no attributes at all is the line break our own writer (to_fdx) puts between
    lines; an empty run that carries attributes is nothing.
    """
    parts: list[str] = []
    for t in p.findall("Text"):
        run = (t.text or "").replace("\r\n", "\n").replace("\r", "\n")
        if not run:
            if not t.attrib and parts:
                parts.append("\n")
            continue
        if "allcaps" in (t.get("Style") or "").lower():
            run = run.upper()  # a run styled AllCaps prints in capitals ("CONT'D" in a cue)
        run = run.replace("*", "\\*").replace("_", "\\_")
        mark = MARKS.get(t.get("Style") or "", "") if styled else ""
        if mark:
            run = "\n".join(f"{mark}{line}{mark}" if line.strip() else line for line in run.split("\n"))
        parts.append(run)
    return "".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _flat_paragraphs(content: ET.Element) -> list[tuple[ET.Element, bool]]:
    """The script's paragraphs in reading order, each with whether it is the second speaker of a dual dialogue.

    Final Draft 8 and later keep dual dialogue as a ``Paragraph`` holding ``DualDialogue``, which holds both
    speeches' paragraphs; the second Character cue in it is the one Fountain marks with ``^``."""
    out: list[tuple[ET.Element, bool]] = []
    for child in content:
        dual = _dual_dialogue(child)
        if dual is None:
            if child.tag == "Paragraph":
                out.append((child, False))
            continue
        cues = 0
        for inner in dual.findall("Paragraph"):
            if (inner.get("Type") or "").strip().lower() == "character":
                cues += 1
            out.append((inner, cues > 1))
    return out


def _dual_dialogue(child: ET.Element) -> ET.Element | None:
    """The DualDialogue element a child of <Content> is, or holds (Final Draft wraps it in a Paragraph)."""
    if child.tag == "DualDialogue":
        return child
    if child.tag == "Paragraph":
        return child.find("DualDialogue")
    return None


def _notes(p: ET.Element) -> list[str]:
    """A paragraph's ScriptNotes, each on one line (a note is the writer's, not part of the printed page)."""
    notes = []
    for note in p.findall("ScriptNote"):
        text = _one_line(" ".join(_runs_text(q, styled=False) for q in note.iter("Paragraph")))
        if text:
            notes.append(text.replace("[[", "[").replace("]]", "]"))
    return notes


def _summary(p: ET.Element) -> str:
    """A scene heading's summary (SceneProperties > Summary), on one line, for Fountain's synopsis."""
    props = p.find("SceneProperties")
    if props is None:
        return ""
    summary = props.find("Summary")
    lines = [_runs_text(q, styled=False) for q in summary.iter("Paragraph")] if summary is not None else []
    text = _one_line(" ".join(lines)) or _one_line(props.get("Title") or "")
    return text.replace("[[", "[").replace("]]", "]")


_PAREN_ONLY = re.compile(r"^\(.*\)$", re.S)
_SPEECH = (ElementType.CHARACTER, ElementType.DIALOGUE, ElementType.PARENTHETICAL)


def all_caps_elements(root: ET.Element) -> set[str] | None:
    """The element types Final Draft prints in capitals: those whose ElementSettings font style has AllCaps
    (Scene Heading and Character in every template). None when the file has no ElementSettings: it was not
    saved by Final Draft (our own export, another tool), and its case is as stored."""
    settings = root.findall("ElementSettings")
    if not settings:
        return None
    caps = set()
    for setting in settings:
        font = setting.find("FontSpec")
        if font is not None and "allcaps" in (font.get("Style") or "").lower():
            caps.add((setting.get("Type") or "").strip().lower())
    return caps


def _element(p: ET.Element, dual: bool, previous: Element | None, caps: set[str] | None) -> list[Element]:
    """The Fountain element(s) one Final Draft paragraph prints as (none for an empty paragraph)."""
    type_name = (p.get("Type") or "action").strip().lower()
    kind = TYPE_IN.get(type_name, ElementType.ACTION)
    plain = kind in (ElementType.SCENE_HEADING, ElementType.CHARACTER, ElementType.TRANSITION)
    text = _runs_text(p, styled=not plain).strip("\n")
    if caps is not None and type_name in caps:
        text = text.upper()
    notes = _notes(p)
    if not text.strip():
        return []
    if kind is ElementType.SCENE_HEADING:
        # Final Draft prints headings in capitals (the element's AllCaps style), whatever case the file stores.
        heading = Element(type=kind, text=_one_line(text), scene_number=p.get("Number") or None,
                          notes=notes)
        summary = _summary(p)
        return [heading] + ([Element(type=ElementType.SYNOPSIS, text=summary)] if summary else [])
    if kind is ElementType.CHARACTER:
        return [_cue(_one_line(text), p, dual, previous, notes)]
    if kind is ElementType.ACTION and (p.get("Alignment") or "").lower() == "center":
        return [Element(type=ElementType.CENTERED, text=_one_line(text), notes=notes)]
    if kind is ElementType.SECTION:
        return [Element(type=kind, text=_one_line(text), depth=1, notes=notes)]
    if kind in (ElementType.TRANSITION, ElementType.PARENTHETICAL):
        return [Element(type=kind, text=_one_line(text), notes=notes)]
    return [Element(type=kind, text=text if kind is ElementType.ACTION else text.strip(), notes=notes)]


def _cue(text: str, p: ET.Element, dual: bool, previous: Element | None, notes: list[str]) -> Element:
    """A character cue. A 'cue' that is all parenthetical, '(INTO PHONE)', is a
    parenthetical typed as a cue: it goes on with the speech under way, it is not a speaker."""
    if _PAREN_ONLY.match(text):
        in_speech = previous is not None and previous.type in _SPEECH
        return Element(type=ElementType.PARENTHETICAL if in_speech else ElementType.ACTION, text=text, notes=notes)
    from studio.fountain.parser import split_cue

    cue, extensions, marked_dual, _ = split_cue(text)
    return Element(type=ElementType.CHARACTER, text=cue, extensions=extensions, notes=notes,
                   dual=dual or marked_dual or (p.get("DualDialogue") or "").lower() == "yes")


def _move_cue_notes(elements: list[Element]) -> None:
    """A note anchored on a cue or a parenthetical goes to the speech's next line: Fountain keeps notes inside
    dialogue, where no reader can take them for part of the speaker's name."""
    pending: list[str] = []
    for el in elements:
        if el.type in (ElementType.CHARACTER, ElementType.PARENTHETICAL):
            pending += el.notes
            el.notes = []
        elif pending:
            el.notes = pending + el.notes
            pending = []


def _title_page(root: ET.Element) -> list[TitleField]:
    """Title page fields: keyed runs as our writer makes them, else Final Draft's centred lines read as a
    reader does (the first line is the title; after a 'by' line, the author)."""
    tp = root.find("TitlePage/Content")
    if tp is None:
        return []
    lines: list[tuple[str | None, str]] = []
    for p in tp.findall("Paragraph"):
        keys = [t.get("Key") for t in p.findall("Text") if t.get("Key")]
        line = _one_line(_runs_text(p, styled=False)) if not keys else ""
        if keys:
            for t in p.findall("Text"):
                lines.append((t.get("Key") or None, (t.text or "").strip()))
        elif line:
            lines.append((None, line))
    if any(key for key, _ in lines):
        fields: list[TitleField] = []
        for key, line in lines:
            if key:
                fields.append(TitleField(key=key, value=line))
            elif fields and line:
                fields[-1].value += "\n" + line
        return fields
    return _unkeyed_title(lines)


def _unkeyed_title(lines: list[tuple[str | None, str]]) -> list[TitleField]:
    texts = [line for _, line in lines if line.strip(" .")]
    if not texts:
        return []
    fields = [TitleField(key="Title", value=texts[0])]
    for k, line in enumerate(texts[1:-1], start=1):
        if re.fullmatch(r"(?i)(written |screenplay |teleplay |story )?by", line):
            fields += [TitleField(key="Credit", value=line), TitleField(key="Author", value=texts[k + 1])]
            break
    return fields


def from_fdx(root: ET.Element, name: str = "script.fdx") -> FountainDocument:
    """The screenplay in a Final Draft document, from its XML tree (read from an upload by
    tools.imports.fdx_reader, with its limits). Final Draft 5 to 13 keep the script in ``<Content>`` under the
    root, as typed paragraphs; the title page, element settings, revisions and notes around it are not read."""
    if root.tag != "FinalDraft":
        raise NotAScreenplay(f"{name} is XML but not a Final Draft document (its root is <{root.tag}>)",
                             "export the screenplay from Final Draft as .fdx")
    content = root.find("Content")
    if content is None:
        raise NotAScreenplay(f"{name} has no script content", "check that the file is the whole screenplay")
    elements: list[Element] = []
    caps = all_caps_elements(root)
    for p, dual in _flat_paragraphs(content):
        elements.extend(_element(p, dual, elements[-1] if elements else None, caps))
    _move_cue_notes(elements)
    if not any(e.type is ElementType.SCENE_HEADING for e in elements) and not any(
            e.type is ElementType.CHARACTER for e in elements):
        raise NotAScreenplay(f"{name} has no scene headings and no dialogue",
                             "check that the file is a screenplay, not a blank template")
    return FountainDocument(title_page=_title_page(root), elements=elements)


def looks_like_fdx(data: bytes) -> bool:
    return bool(re.search(rb"<FinalDraft\b", data[:2000]))
