"""A story's text PDF → plain text, paragraphs separated by a blank line, by where each line sits on the page.

A PDF has lines, not paragraphs. A new paragraph starts where the gap above a line is clearly larger than the
usual line spacing, where a line is indented from the text's left edge (a first-line indent), or where the line
before it stopped short of the right edge after a full stop. Inside a paragraph a line that reached the right edge
is joined to the next with a space (a word hyphenated over the break is joined whole); a line that stopped short
keeps its line break, so a screenplay read this way still shows its cues over their speeches. Page numbers and
running heads (the same line at the top of many pages) are dropped.

A PDF with no text at all is a scan (pages of images) and is refused with the fix (run OCR, or export the text).
Runs in the child process of tools.imports.pdf_reader, never in the server's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from studio.errors import AuteurError
from studio.fountain.parser import HEADING_RE
from studio.source import MAX_STORY_WORDS
from studio.uploads import MAX_STORY_PDF_PAGES, UploadRefused
from tools.imports.pdf_layout import open_pdf

PAGE_NUMBER = re.compile(r"^[-–—(\[ ]*(?:\d{1,4}|[ivxlcIVXLC]{1,7})[-–—)\] ]*$|^(?:Page|page)\s+\d{1,4}(?: of \d+)?$")
SENTENCE_END = re.compile(r"[.!?…:][\"'”’)]*$")
INDENT = 6.0  # points: a first-line indent is at least this far in from the text's left edge
SHORT = 0.85  # a line whose right end falls before this share of the text's width stopped short
SCAN_FIX = ("run OCR on it (your PDF app's 'Recognise text', or ocrmypdf) and bring the PDF with its text, or "
            "export it as text: a story as plain text (.txt), a screenplay as Fountain or FDX")


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


def pdf_to_text(data: bytes, name: str, *, max_pages: int = MAX_STORY_PDF_PAGES) -> str:
    """The story's paragraphs, or an AuteurError: no text layer (a scan), too many pages or words."""
    pages, images = _read_lines(data, name, max_pages)
    lines = [line for page in _without_furniture(pages) for line in page]
    if sum(len(line.text.split()) for line in lines) < 5:
        scanned = "a scanned PDF (images only)" if images else "a PDF with no text"
        raise AuteurError(f"{name} is {scanned}: it has no text Auteur can read", SCAN_FIX)
    return "\n\n".join(_paragraphs(lines)) + "\n"


def _read_lines(data: bytes, name: str, max_pages: int) -> tuple[list[list[Line]], int]:
    """Every page's printed lines, top to bottom, and how many images the pages hold."""
    pdf = open_pdf(data, name, AuteurError, "export the story again as PDF, or save it as plain text (.txt)")
    pages: list[list[Line]] = []
    images = words = 0
    with pdf:
        if len(pdf.pages) > max_pages:
            raise UploadRefused(f"{name} has {len(pdf.pages):,} pages, more than the {max_pages:,} a story's PDF "
                                "may have (a long novel is about 600)",
                                f"split the PDF into parts of at most {max_pages} pages, or save the story as "
                                "plain text (.txt)")
        for number, page in enumerate(pdf.pages):
            images += len(page.images)
            found = [Line(number, float(t["top"]), float(t["bottom"]), float(t["x0"]), float(t["x1"]),
                          " ".join(str(t["text"]).split()))
                     for t in page.extract_text_lines(return_chars=False)]
            page.close()  # its layout, cached by pdfplumber, is not needed again
            pages.append([line for line in found if line.text])
            words += sum(len(line.text.split()) for line in pages[-1])
            if words > MAX_STORY_WORDS:
                raise UploadRefused(f"{name} has more than {MAX_STORY_WORDS:,} words by page {number + 1} of "
                                    f"{len(pdf.pages):,}: more than a long novel, which Auteur adapts at most",
                                    "bring the part you want to film (a chapter, a few chapters) as its own PDF")
    return pages, images


def _without_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages without page numbers (a number alone at the top or bottom) and running heads (the first line of
    at least three pages and a quarter of them, numbers aside)."""
    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    firsts = Counter(key(page[0]) for page in pages if len(page) >= 3)  # a page of one line has no head
    heads = {k for k, n in firsts.items() if n >= 3 and n >= len(pages) / 4}
    out = []
    for page in pages:
        kept = [line for i, line in enumerate(page)
                if not ((i == 0 or i == len(page) - 1) and PAGE_NUMBER.match(line.text))]
        if len(kept) >= 3 and key(kept[0]) in heads:
            kept = kept[1:]
        out.append(kept)
    return out


def _paragraphs(lines: list[Line]) -> list[str]:
    left = _mode(round(line.x0) for line in lines)
    right = max(line.x1 for line in lines)
    spacing = _mode(round(b.top - a.top) for a, b in zip(lines, lines[1:]) if b.page == a.page and b.top > a.top)
    width = max(1.0, right - left)
    paragraphs: list[str] = []
    text = ""
    previous: Line | None = None
    for line in lines:
        if previous is None or _starts_paragraph(previous, line, left, width, spacing):
            if text:
                paragraphs.append(text)
            text = line.text
        elif previous.x1 >= left + SHORT * width:  # a full line: the paragraph flows on
            text = _join(text, line.text)
        else:
            text += "\n" + line.text
        previous = line
    if text:
        paragraphs.append(text)
    return paragraphs


def _starts_paragraph(previous: Line, line: Line, left: float, width: float, spacing: float) -> bool:
    if HEADING_RE.match(line.text) or HEADING_RE.match(previous.text):
        return True  # a scene heading is a paragraph of its own (a screenplay read as text stays one)
    if line.page == previous.page and line.top - previous.top > 1.5 * max(spacing, 1.0):
        return True
    at_left = abs(previous.x0 - left) <= 2
    if at_left and line.x0 - previous.x0 >= INDENT:
        return True  # a first-line indent, or a block set in from the text (a cue, a quotation)
    short = previous.x1 < left + SHORT * width
    return at_left and abs(line.x0 - left) <= 2 and short and bool(SENTENCE_END.search(previous.text))


def _join(text: str, more: str) -> str:
    """A paragraph's text and its next line: 'ex-' + 'ample' → 'example' (a word broken over the line)."""
    if re.search(r"[a-z]-$", text) and more[:1].islower():
        return text[:-1] + more
    return text + " " + more


def _mode(values) -> float:  # type: ignore[no-untyped-def]
    counts = Counter(values)
    return float(counts.most_common(1)[0][0]) if counts else 0.0
