"""A story in prose from the file a person brings: plain text, Markdown, Word (.docx), EPUB or a text PDF,
read into one plain text whose paragraphs are separated by a blank line and whose chapter headings are paragraphs
of their own starting with "# ", with the title and author the file gives.

Within limits, like every upload reader (studio.uploads): a text file by its size, a .docx or .epub by how much
its zip unpacks to and how many entries it has (tools.imports.story_zip), a PDF in a child process by its pages,
time and memory (tools.imports.pdf_reader). What the reader cannot take is refused with the problem and the fix.

A text or PDF that is a screenplay is passed through as it reads, so that the caller's classify() sees its cues
and headings (a .txt screenplay is imported as a screenplay); a .docx or .epub that holds a screenplay is refused:
Auteur reads screenplays as Fountain, FDX or PDF.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from studio.errors import AuteurError
from studio.screenplay import decode_text
from studio.story_text import NotAStory, blocks_of, classify
from studio.uploads import MAX_STORY_TEXT, MB, STORY_FORMATS_SAID, STORY_TYPES, UploadRefused
from tools.imports.pdf_reader import PdfLimits, story_pdf_limits
from tools.imports.story_zip import StoryText


RESAVE_TEXT = "save the story as UTF-8 plain text from your editor, then bring it again"
GUTENBERG_START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
GUTENBERG_END = re.compile(r"^\s*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
GUTENBERG_FIELD = re.compile(r"^(Title|Author):\s*(\S.{0,198})$")
CHAPTER = re.compile(r"^(?:CHAPTER|Chapter|BOOK|Book|PART|Part|PROLOGUE|Prologue|EPILOGUE|Epilogue|ACT|Act)\b"
                     r"[^\n]{0,80}$|^[IVXLC]{1,7}\.?$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.{1,200}?)\s*#*\s*$")
MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,2}|_{1,2})(?=\S)([^*_\n]{1,500}?)(?<=\S)\1(?![\w*_])")


def read_story(name: str, data: bytes, pdf_limits: PdfLimits | None = None, *, encoding: str | None = None,
               as_prose: bool = False) -> StoryText:
    """The story in ``data`` (a file named ``name``), or an AuteurError naming the problem and the fix.

    ``encoding`` names a text file's encoding (``--encoding``) when it is not told by the bytes; ``as_prose`` is
    the person's word that a .docx or .epub is a story even where it is shaped as a screenplay
    (``auteur import --as prose``)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in STORY_TYPES:
        raise NotAStory(f"{name} is not a file a story can be read from ({suffix or 'no extension'})",
                        f"save the story as {STORY_FORMATS_SAID}")
    if not data.strip():
        raise NotAStory(f"{name} is empty", "bring the file again; it may not have finished saving")
    if suffix in (".docx", ".epub"):
        from tools.imports.story_zip import read_docx, read_epub

        return (read_docx if suffix == ".docx" else read_epub)(name, data, as_prose=as_prose)
    if suffix == ".pdf":
        return read_pdf_story(name, data, pdf_limits)
    return read_text_story(name, data, markdown=suffix == ".md", encoding=encoding)


# ------------------------------------------------------------ plain text and Markdown


def read_text_story(name: str, data: bytes, *, markdown: bool = False, encoding: str | None = None) -> StoryText:
    """A .txt or .md story: decoded, Project Gutenberg's header and licence cut off, hard-wrapped lines joined
    into paragraphs, chapter headings marked "# ". A screenplay comes back as it was written."""
    text = decode_story(name, data, encoding).replace("\r\n", "\n").replace("\r", "\n")
    fmt = "md" if markdown else "txt"
    if classify(text) == "screenplay":
        return StoryText(text=text, title="", author="", format=fmt)
    body, title, author = strip_gutenberg(text)
    paragraphs = [_paragraph(block, markdown) for block in blocks_of(body)]
    paragraphs = [p for p in paragraphs if p.strip("# ")]
    if markdown and not title and paragraphs and paragraphs[0].startswith("# "):
        title = paragraphs[0][2:].strip()
    return StoryText(text="\n\n".join(paragraphs), title=title, author=author, format=fmt)


def decode_story(name: str, data: bytes, encoding: str | None = None) -> str:
    """The text of a story file (studio.screenplay.decode_text: a named encoding, a byte-order mark, UTF-16,
    UTF-8, Windows-1252). A story may be larger than a screenplay (MAX_STORY_TEXT)."""
    if len(data) > MAX_STORY_TEXT:
        raise UploadRefused(f"{name} is {len(data) / MB:.1f} MB of text, more than the {MAX_STORY_TEXT / MB:g} MB "
                            "a story may have (a long novel is about 1.5 MB)",
                            "bring the part you want to film (a chapter, a few chapters) as its own file")
    return decode_text(name, data, encoding, refused=NotAStory, what="text",
                       resave=f"save the story as {STORY_FORMATS_SAID}")[0]


def strip_gutenberg(text: str) -> tuple[str, str, str]:
    """(body, title, author): a Project Gutenberg e-text without its header (up to the '*** START OF …' line)
    and its licence (from '*** END OF …'); other texts as they are, with no title or author."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines[:2000]) if GUTENBERG_START.match(line)), None)
    if start is None:
        return text, "", ""
    fields: dict[str, str] = {m.group(1): m.group(2) for line in lines[:start]
                              if (m := GUTENBERG_FIELD.match(line.strip()))}
    end = next((i for i in range(len(lines) - 1, start, -1) if GUTENBERG_END.match(lines[i])), len(lines))
    body = "\n".join(lines[start + 1:end])
    return body, fields.get("Title", "").strip(), fields.get("Author", "").strip()


def _paragraph(block: str, markdown: bool) -> str:
    """One paragraph on one line: hard-wrapped lines joined with a space, a chapter heading marked '# '."""
    lines = [line.strip() for line in block.split("\n")]
    if markdown:
        heading = MARKDOWN_HEADING.match(lines[0])
        if heading and len(lines) == 1:
            return "# " + _inline_markdown(heading.group(2))
        lines = [_inline_markdown(line.lstrip(">").strip()) for line in lines]
    joined = " ".join(line for line in lines if line)
    if len(lines) <= 2 and CHAPTER.match(lines[0]):
        return "# " + joined
    return joined


def _inline_markdown(line: str) -> str:
    """A Markdown line as a reader sees it: links and images by their text, *emphasis* without its marks."""
    return MARKDOWN_EMPHASIS.sub(r"\2", MARKDOWN_LINK.sub(r"\1", line))


# ------------------------------------------------------------ PDF


def read_pdf_story(name: str, data: bytes, limits: PdfLimits | None = None) -> StoryText:
    """A text PDF's story, read in the child process under the story limits (more pages than a screenplay)."""
    from tools.imports.pdf_reader import read_pdf_text

    if not data.startswith(b"%PDF"):
        raise NotAStory(f"{name} is not a PDF file (it does not start with %PDF)",
                        "export the story again as PDF, or save it as plain text or Word (.docx)")
    text = read_pdf_text(data, name, limits or story_pdf_limits())
    if not text.strip():
        raise AuteurError(f"{name} has no text to read", "export the story as a text PDF, or as plain text")
    if classify(text) == "screenplay":
        return StoryText(text=text, title="", author="", format="pdf")
    paragraphs = [_paragraph(block, False) for block in blocks_of(text)]
    return StoryText(text="\n\n".join(paragraphs), title="", author="", format="pdf")
