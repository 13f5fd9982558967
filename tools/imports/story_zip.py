"""A story in a Word (.docx) or EPUB file: zipped XML, read with the standard zipfile and defusedxml, bounded.

Bounds (studio.uploads): at most MAX_STORY_ENTRIES entries, and the parts read (never the images or fonts) may
unpack to MAX_STORY_UNZIPPED bytes in all: a zip bomb is stopped as it inflates, whatever sizes its directory
claims. XML is read with no DTD entities and no external references; Word's document, the largest part, is
streamed with its depth and element count bounded. A name inside the zip is only ever a key into the zip: nothing
is written to disk.

An .epub whose content is encrypted (DRM: Adobe's rights.xml, Apple's sinf.xml, or encryption.xml naming the
chapters; the font obfuscation of the EPUB standard is not DRM) is refused with the fix, as is a .docx or .epub
that holds a screenplay (Auteur reads screenplays as Fountain, FDX or PDF).
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from studio.errors import AuteurError
from studio.story_text import NotAStory, classify
from studio.uploads import MAX_STORY_ENTRIES, MAX_STORY_FILE, MAX_STORY_TEXT, MAX_STORY_UNZIPPED, MB, UploadRefused

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DC = "{http://purl.org/dc/elements/1.1/}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
ENC = "{http://www.w3.org/2001/04/xmlenc#}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
MAX_XML_DEPTH = 256  # Word nests tables in tables; a chapter's XHTML a few dozen deep
MAX_XML_ELEMENTS = 1_000_000  # a novel in Word is about 500,000 elements (and reads in about 4 s)
MAX_XHTML_TAGS = 600_000  # a novel's chapters in XHTML have about 100,000 tags; HTMLParser takes ~10 s a million
MAX_METADATA = 2 * MB  # container.xml, an OPF, core.xml, styles.xml
SCREENPLAY_STYLES = ("scene heading", "character", "dialogue", "parenthetical", "transition")
SCREENPLAY_IN_WORD = ("export it from your writing app as Fountain, FDX or PDF and import that (or, if it is a "
                      "story, import it with --as prose)")


@dataclass(frozen=True)
class StoryText:
    text: str  # paragraphs separated by one blank line; a chapter heading is a paragraph starting with "# "
    title: str  # from the file's metadata (docx core.xml, epub dc:title, a Markdown "# " first line), else ""
    author: str
    format: str  # "txt" | "md" | "docx" | "epub" | "pdf"


class Unzipped:
    """The parts of a zip, read by name within one budget of unpacked bytes."""

    def __init__(self, name: str, data: bytes, what: str) -> None:
        self.name, self.what, self.left = name, what, MAX_STORY_UNZIPPED
        if len(data) > MAX_STORY_FILE:
            raise UploadRefused(f"{name} is {len(data) / MB:.1f} MB, more than the {MAX_STORY_FILE // MB} MB a "
                                f"story's {what} file may have", "save it without its images, or as plain text")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            entries = len(self.zip.infolist())
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise NotAStory(f"{name} is not a valid {what} file (its zip is damaged)",
                            f"save it again as {what} from your writing app, or as plain text (.txt)") from None
        if entries > MAX_STORY_ENTRIES:
            raise UploadRefused(f"{name} holds {entries:,} files, more than the {MAX_STORY_ENTRIES:,} a story's "
                                f"{what} may hold", "save the story again, or as plain text (.txt)")

    def names(self) -> list[str]:
        return self.zip.namelist()

    def read(self, part: str, limit: int | None = None) -> bytes | None:
        """The unpacked bytes of ``part`` (None when the zip has no such part), counted against the budget."""
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            return None
        cap = min(self.left, limit or self.left)
        try:
            with self.zip.open(info) as stream:
                data = stream.read(cap + 1)
        except RuntimeError:  # zipfile: "File ... is encrypted, password required"
            raise AuteurError(f"{self.name} is protected by a password", "save it again without a password, "
                                                                         "or as plain text (.txt)") from None
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
            raise NotAStory(f"{self.name} is damaged: a part of it cannot be unpacked",
                            f"save it again as {self.what}, or as plain text (.txt)") from None
        if len(data) > cap:
            raise UploadRefused(f"{self.name} unpacks to more than the {cap / MB:g} MB a story's {self.what} may "
                                "hold (a zip bomb, or a file full of something other than text)",
                                "save the story again, or as plain text (.txt)")
        self.left -= len(data)
        return data


def parse_small_xml(box: Unzipped, part: str) -> ET.Element | None:
    """A small XML part (metadata, styles, container) as a tree, with no DTD; None when absent or unreadable."""
    data = box.read(part, MAX_METADATA)
    if data is None:
        return None
    try:
        return fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ET.ParseError):
        return None


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split())[:200] if element is not None else ""


# ------------------------------------------------------------ Word


def read_docx(name: str, data: bytes, *, as_prose: bool = False):  # -> StoryText

    box = Unzipped(name, data, "Word (.docx)")
    main = _main_document(box)
    xml = box.read(main)
    if xml is None:
        raise NotAStory(f"{name} is not a Word document (it has no word/document.xml)",
                        "save it again as Word (.docx), or as plain text (.txt)")
    styles = _styles(box)
    paragraphs = list(_docx_paragraphs(name, xml, styles))
    if not as_prose and _screenplay_in_word(paragraphs):
        raise NotAStory(f"{name} is a screenplay saved as Word, not a story in prose", SCREENPLAY_IN_WORD)
    core = parse_small_xml(box, "docProps/core.xml")
    title = _text(core.find(f"{DC}title")) if core is not None else ""
    author = _text(core.find(f"{DC}creator")) if core is not None else ""
    text = "\n\n".join(("# " + t) if style == "heading" else t for style, t in paragraphs)
    return StoryText(text=text, title=title, author=author, format="docx")


def _main_document(box: Unzipped) -> str:
    """The main document part named by the package's relationships (word/document.xml in every Word file)."""
    rels = parse_small_xml(box, "_rels/.rels")
    for rel in rels.iter(f"{REL}Relationship") if rels is not None else []:
        if rel.get("Type") == OFFICE_DOCUMENT and rel.get("Target"):
            return posixpath.normpath(unquote(rel.get("Target", "")).lstrip("/"))
    return "word/document.xml"


def _styles(box: Unzipped) -> dict[str, str]:
    """Paragraph style id → 'heading', 'title' or its name in lower case ('scene heading', 'normal')."""
    root = parse_small_xml(box, "word/styles.xml")
    out: dict[str, str] = {}
    for style in root.iter(f"{W}style") if root is not None else []:
        sid = style.get(f"{W}styleId") or ""
        name_el = style.find(f"{W}name")
        label = (name_el.get(f"{W}val") if name_el is not None else None) or sid
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        out[sid] = _style_kind(label, outline is not None and (outline.get(f"{W}val") or "9") in "012")
    return out


def _style_kind(label: str, outline: bool) -> str:
    low = label.lower()
    if low == "title":
        return "title"
    if re.fullmatch(r"heading ?[1-3]", low) or outline:
        return "heading"
    return low


def _docx_paragraphs(name: str, xml: bytes, styles: dict[str, str]):
    """(style kind, text) of every paragraph with text, in order, streamed: text split over runs is joined as
    it is, tabs and line breaks become spaces, deleted text of tracked changes (w:delText) is left out."""
    depth = count = 0
    parts: list[str] = []
    style = ""
    try:
        for event, element in iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth, count = depth + 1, count + 1
                if depth > MAX_XML_DEPTH or count > MAX_XML_ELEMENTS:
                    raise UploadRefused(f"{name} nests or repeats its XML beyond what a Word file has "
                                        f"({MAX_XML_DEPTH} deep, {MAX_XML_ELEMENTS:,} elements)",
                                        "save the story again from Word, or as plain text (.txt)")
                continue
            depth -= 1
            tag = element.tag
            if tag == f"{W}t":
                parts.append(element.text or "")
            elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                parts.append(" ")
            elif tag == f"{W}pStyle":
                style = styles.get(element.get(f"{W}val") or "", (element.get(f"{W}val") or "").lower())
            elif tag == f"{W}p":
                text = " ".join("".join(parts).split())
                if text:
                    yield ("heading" if style in ("heading", "title") else style), text
                parts, style = [], ""
                element.clear()
    except DefusedXmlException:
        raise UploadRefused(f"{name} declares a document type with entities, which Word files never have",
                            "save the story again from Word, or as plain text (.txt)") from None
    except ET.ParseError as exc:
        raise NotAStory(f"{name} is not a valid Word document ({exc})",
                        "save it again as Word (.docx), or as plain text (.txt)") from None


def _screenplay_in_word(paragraphs: list[tuple[str, str]]) -> bool:
    """A screenplay written in Word: its paragraphs carry screenwriting styles (Scene Heading, Character…), or
    laid out as Fountain would read them (a cue joined to the speech under it) it classifies as a screenplay."""
    styled = sum(1 for style, _ in paragraphs if style in SCREENPLAY_STYLES)
    if paragraphs and styled / len(paragraphs) >= 0.3:
        return True
    lines: list[str] = []
    for _, text in paragraphs:
        cue_before = bool(lines) and lines[-1].isupper() and len(lines[-1]) <= 40
        lines.append(("\n" if cue_before else "\n\n") + text)
    return classify("".join(lines)) == "screenplay"


# ------------------------------------------------------------ EPUB


def read_epub(name: str, data: bytes, *, as_prose: bool = False):  # -> StoryText

    box = Unzipped(name, data, "EPUB")
    refuse_drm(name, box)
    opf_path = _rootfile(name, box)
    opf = parse_small_xml(box, opf_path)
    if opf is None:
        raise NotAStory(f"{name} is not a valid EPUB (its package file cannot be read)",
                        "save it again as EPUB from your e-book tool, or as plain text (.txt)")
    budget = _Budget(name)
    chapters = [_xhtml_paragraphs(box.read(part) or b"", budget) for part in _spine(opf, opf_path)]
    paragraphs = [p for chapter in chapters for p in chapter]
    if not as_prose and classify("\n\n".join(paragraphs)) == "screenplay":
        raise NotAStory(f"{name} is a screenplay saved as an e-book, not a story in prose", SCREENPLAY_IN_WORD)
    return StoryText(text="\n\n".join(paragraphs), title=_text(opf.find(f"{OPF}metadata/{DC}title")),
                     author=_text(opf.find(f"{OPF}metadata/{DC}creator")), format="epub")


def refuse_drm(name: str, box: Unzipped) -> None:
    """An e-book locked to a reader app cannot be read: Adobe's rights.xml, Apple's sinf.xml, or an
    encryption.xml that encrypts more than fonts."""
    names = set(box.names())
    locked = "META-INF/rights.xml" in names or "META-INF/sinf.xml" in names
    enc = parse_small_xml(box, "META-INF/encryption.xml") if "META-INF/encryption.xml" in names else None
    for item in enc.iter(f"{ENC}EncryptedData") if enc is not None else []:
        method = item.find(f"{ENC}EncryptionMethod")
        uri = item.find(f"{ENC}CipherData/{ENC}CipherReference")
        target = (uri.get("URI") or "") if uri is not None else ""
        if (method is None or method.get("Algorithm") not in FONT_OBFUSCATION) or \
                target.lower().endswith((".xhtml", ".html", ".htm", ".xml")):
            locked = True
    if locked:
        raise AuteurError(f"{name} is protected by DRM (its text is encrypted for one reader app), so Auteur "
                          "cannot read it", "bring a DRM-free copy of the story (public-domain books are "
                                            "DRM-free, e.g. from Project Gutenberg or Standard Ebooks), or its "
                                            "text as .txt")


def _rootfile(name: str, box: Unzipped) -> str:
    container = parse_small_xml(box, "META-INF/container.xml")
    rootfile = container.find(f"{CONTAINER}rootfiles/{CONTAINER}rootfile") if container is not None else None
    if rootfile is None or not rootfile.get("full-path"):
        raise NotAStory(f"{name} is not a valid EPUB (META-INF/container.xml is missing or names no package)",
                        "save it again as EPUB from your e-book tool, or as plain text (.txt)")
    return posixpath.normpath(unquote(rootfile.get("full-path", "")))


def _spine(opf: ET.Element, opf_path: str) -> list[str]:
    """The parts of the book in reading order (the spine), as names inside the zip."""
    base = posixpath.dirname(opf_path)
    hrefs = {item.get("id"): item.get("href", "") for item in opf.iter(f"{OPF}item")}
    parts = []
    for ref in opf.iter(f"{OPF}itemref"):
        href = hrefs.get(ref.get("idref"))
        if href and ref.get("linear", "yes") != "no":
            parts.append(posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0]))))
    return parts


BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "pre",
          "dd", "dt", "figcaption"}
SKIPPED = {"head", "script", "style", "title", "svg", "math", "nav"}


class _Budget:
    """What a whole e-book may hold, counted across its chapters while they are read: tags (millions of tiny
    ones zip into a few kilobytes and take minutes to parse) and text (a chapter repeated in the spine)."""

    def __init__(self, name: str) -> None:
        self.name, self.tags, self.chars = name, 0, 0

    def tag(self) -> None:
        self.tags += 1
        if self.tags > MAX_XHTML_TAGS:
            raise UploadRefused(f"{self.name} has more than {MAX_XHTML_TAGS:,} XHTML tags (a novel has about "
                                "100,000)", "save it again from your e-book tool, or bring the story as plain "
                                            "text (.txt)")

    def text(self, size: int) -> None:
        self.chars += size
        if self.chars > MAX_STORY_TEXT:
            raise UploadRefused(f"{self.name} holds more than {MAX_STORY_TEXT / MB:g} MB of text (a long novel is "
                                "about 1.5 MB)", "bring the part you want to film (a chapter, a few chapters) "
                                                 "as its own file")


class _Paragraphs(HTMLParser):
    """The paragraphs of an XHTML chapter: block elements break them, h1/h2 become "# " headings, <br> a space.
    HTMLParser reads entities (&nbsp;, &mdash;) without a DTD and never loads anything."""

    def __init__(self, budget: _Budget) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.paragraphs: list[str] = []
        self.parts: list[str] = []
        self.heading = False
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.budget.tag()
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.flush()
            self.heading = tag in ("h1", "h2")
        elif tag == "br":
            self.parts.append(" ")

    def handle_comment(self, data: str) -> None:
        self.budget.tag()

    def handle_endtag(self, tag: str) -> None:
        self.budget.tag()
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.budget.text(len(data))
            self.parts.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.paragraphs.append(("# " + text) if self.heading else text)
        self.parts, self.heading = [], False


def _xhtml_paragraphs(data: bytes, budget: _Budget) -> list[str]:
    reader = _Paragraphs(budget)
    reader.feed(data.decode("utf-8", errors="replace"))
    reader.close()
    reader.flush()
    return reader.paragraphs
