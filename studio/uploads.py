"""The one upload policy: which files a person may bring in, how large, and what their content must look like.

Chainlit, Slack, the terminal and the engine all ask this module; none keeps a list of its own.

Three kinds: a screenplay, a story in prose, a reference image. A name alone cannot always tell a screenplay
from a story (.txt, .md and .pdf hold either): those are kind "screenplay" by name and their content decides
(studio.story_text.classify); .docx and .epub are kind "story". The limits by name are the larger of the two
readings (a novel's .txt is larger than a screenplay's): the reader of each then holds the text to its own.
"""

from __future__ import annotations

from typing import Literal

from studio.errors import AuteurError

MB = 1024 * 1024
TEXT_SCREENPLAY_TYPES = (".fountain", ".spmd", ".txt", ".md")  # Fountain is plain text, often kept as .md
CONVERTED_SCREENPLAY_TYPES = (".fdx", ".pdf")  # turned into Fountain by tools.imports
SCREENPLAY_TYPES = TEXT_SCREENPLAY_TYPES + CONVERTED_SCREENPLAY_TYPES
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp")
SCREENPLAY_ONLY_TYPES = (".fdx", ".fountain", ".spmd")  # screenplays whatever they hold
STORY_ONLY_TYPES = (".docx", ".epub")  # a story in a word processor's or an e-book's file (zipped XML)
STORY_TYPES = (".txt", ".md", ".pdf") + STORY_ONLY_TYPES  # what may hold a story in prose
MAX_SCREENPLAY = 20 * MB  # a PDF or FDX file (a PDF with its fonts, FDX's verbose XML)
MAX_FOUNTAIN = 1 * MB  # Fountain text: about 900 pages (a feature is ~120 pages, ~200 KB); also PDF's and FDX's text
MAX_IMAGE = 20 * MB
MAX_STORY_TEXT = 4 * MB  # a .txt or .md story: a long novel is 1-1.5 MB of text (MAX_STORY_WORDS words ~2 MB)
MAX_STORY_FILE = 20 * MB  # a .docx or .epub (zipped, with its images and fonts)
MAX_STORY_UNZIPPED = 64 * MB  # what the text parts of a .docx or .epub may unpack to (a zip bomb goes past it)
MAX_STORY_ENTRIES = 5_000  # files inside a .docx or .epub (a novel's epub has a few hundred)
MAX_STORY_PDF_PAGES = 1_000  # a novel in PDF is 300-600 pages; a 2,000-page text is refused
STORY_PDF_SECONDS = 300.0  # reading a novel's text from its PDF: about 0.1-0.3 s a page
HEAD_BYTES = 8192  # how much of a file's start check_upload looks at

# What the parsers of screenplays take at most (tools.imports reads PDFs in a child process under these).
MAX_PDF_PAGES = 400  # a feature screenplay is about 120 pages
PDF_SECONDS = 120.0  # wall-clock time to read a PDF's text (a dense 120-page feature: 10-30 s)
PDF_MEMORY_MB = 1024  # address space of the process that reads a PDF
MAX_FDX_DEPTH = 64  # Final Draft nests about 6 deep (FinalDraft > Content > Paragraph > DualDialogue > ...)
MAX_FDX_ELEMENTS = 200_000  # a feature is ~20,000 elements
OTHER_FORMATS = "export the screenplay as Fountain or FDX"
STORY_FORMATS_SAID = "plain text (.txt, .md), Word (.docx), EPUB or a text PDF"

UploadKind = Literal["screenplay", "story", "image"]
KINDS: tuple[UploadKind, ...] = ("screenplay", "story", "image")


class UploadRefused(AuteurError):
    """A file the studio will not pass on: wrong type, too large, or not what its name says."""


def suffix_of(name: str) -> str:
    """'Night.Shift.FDX' → '.fdx'; '' when the name has none."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def kind_of(name: str) -> UploadKind | None:
    suffix = suffix_of(name)
    if suffix in SCREENPLAY_TYPES:
        return "screenplay"
    if suffix in STORY_ONLY_TYPES:
        return "story"
    if suffix in IMAGE_TYPES:
        return "image"
    return None


def check_name(name: str, size: int | None = None, *, accept: tuple[UploadKind, ...] = KINDS) -> UploadKind:
    """The kind of file a name promises, or UploadRefused; with ``size``, its size is checked too.

    ``accept`` narrows the kinds a face takes (Slack takes screenplays only)."""
    suffix = suffix_of(name)
    kind = kind_of(name)
    if kind is None or kind not in accept:
        raise UploadRefused(f"{name} is not {_what_is_taken(accept)} ({suffix or 'no extension'})",
                            f"upload {_how_to_bring(accept)}")
    limit = size_limit(name) or MAX_IMAGE
    if size is not None and size > limit:
        raise UploadRefused(f"{name} is {size / MB:.2f} MB, more than the {limit / MB:g} MB {_what_may(suffix)} "
                            "may have", _smaller(suffix))
    if size == 0:
        raise UploadRefused(f"{name} is empty", "upload the file again; it may not have finished saving")
    return kind


_NAMES = {"screenplay": "a screenplay", "story": "a story", "image": "a reference image"}
_HOW = {"screenplay": "a screenplay as Fountain (.fountain), Final Draft (.fdx) or PDF",
        "story": f"a story as {STORY_FORMATS_SAID}",
        "image": "a reference image as PNG, JPEG or WebP"}


def _what_is_taken(accept: tuple[UploadKind, ...]) -> str:
    """'a screenplay file Auteur can read', or 'a screenplay, a story or a reference image'."""
    if accept == ("screenplay",):
        return "a screenplay file Auteur can read"
    names = [_NAMES[k] for k in KINDS if k in accept]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _how_to_bring(accept: tuple[UploadKind, ...]) -> str:
    hows = [_HOW[k] for k in KINDS if k in accept]
    return ", ".join(hows[:-1]) + ", or " + hows[-1] if len(hows) > 1 else "".join(hows)


def _what_may(suffix: str) -> str:
    """Who the size limit of a suffix is for, as the refusal says it."""
    if suffix in (".fountain", ".spmd"):
        return "a Fountain screenplay"
    if suffix in (".txt", ".md"):
        return "a text file (a story or a Fountain screenplay)"
    if suffix in STORY_ONLY_TYPES:
        return f"a story's {suffix.lstrip('.').upper()} file"
    if suffix in CONVERTED_SCREENPLAY_TYPES:
        return "a screenplay" if suffix == ".fdx" else "a PDF"
    return "an image"


def _smaller(suffix: str) -> str:
    if suffix in IMAGE_TYPES or suffix == ".pdf":
        return "export a smaller file (a text PDF, or the image at a lower resolution) and upload it again"
    if suffix in (".txt", ".md") + STORY_ONLY_TYPES:
        return ("split the text into parts (a novel: bring the chapters you want to adapt), or check that this "
                "is the right file")
    return "split the screenplay, or check that this is the right file"


def size_limit(name: str) -> int | None:
    """The most bytes a file of this name may have (None for a name the policy does not take)."""
    suffix = suffix_of(name)
    if suffix in (".txt", ".md"):
        return MAX_STORY_TEXT  # a story's; a screenplay's text is held to MAX_FOUNTAIN when it is read
    if suffix in TEXT_SCREENPLAY_TYPES:
        return MAX_FOUNTAIN
    if suffix in STORY_ONLY_TYPES:
        return MAX_STORY_FILE
    if suffix in CONVERTED_SCREENPLAY_TYPES:
        return MAX_SCREENPLAY
    return MAX_IMAGE if suffix in IMAGE_TYPES else None


def check_upload(name: str, size: int, head: bytes, *, accept: tuple[UploadKind, ...] = KINDS) -> UploadKind:
    """'screenplay', 'story' or 'image' for a file of ``size`` bytes starting with ``head`` (its first
    HEAD_BYTES), or UploadRefused naming the problem and the fix."""
    kind = check_name(name, size, accept=accept)
    suffix = suffix_of(name)
    head = head[:HEAD_BYTES]
    if kind == "image" and not looks_like_image(suffix, head):
        raise UploadRefused(f"{name} is not a {suffix.lstrip('.').upper()} image (its content says otherwise)",
                            "save it again as PNG, JPEG or WebP and upload that file")
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise UploadRefused(f"{name} is not a PDF (it does not start like one)",
                            "export the screenplay as PDF again, or upload the Fountain or FDX file")
    if suffix in TEXT_SCREENPLAY_TYPES and b"\0" in head:
        raise UploadRefused(f"{name} is not a text file, so it cannot be a Fountain screenplay or a story",
                            "export the screenplay as Fountain (plain text), FDX or PDF, or save the story as "
                            "plain text")
    if suffix in STORY_ONLY_TYPES and not head.startswith(b"PK\x03\x04"):
        raise UploadRefused(f"{name} is not a real {suffix.lstrip('.').upper()} file (it does not start like one)",
                            f"save the story again as {suffix.lstrip('.').upper()} from your writing app, or as "
                            "plain text (.txt)")
    return kind


def looks_like_image(suffix: str, head: bytes) -> bool:
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return False
