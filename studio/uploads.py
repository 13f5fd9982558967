"""The one upload policy: which files a person may bring in, how large, and what their content must look like.

Chainlit, Slack, the terminal and the engine all ask this module; none keeps a list of its own.
"""

from __future__ import annotations

from typing import Literal

from studio.errors import AuteurError

MB = 1024 * 1024
TEXT_SCREENPLAY_TYPES = (".fountain", ".spmd", ".txt", ".md")  # Fountain is plain text, often kept as .md
CONVERTED_SCREENPLAY_TYPES = (".fdx", ".pdf")  # turned into Fountain by tools.imports
SCREENPLAY_TYPES = TEXT_SCREENPLAY_TYPES + CONVERTED_SCREENPLAY_TYPES
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".webp")
MAX_SCREENPLAY = 20 * MB  # a PDF or FDX file (a PDF with its fonts, FDX's verbose XML)
MAX_FOUNTAIN = 1 * MB  # Fountain text: about 900 pages (a feature is ~120 pages, ~200 KB); also PDF's and FDX's text
MAX_IMAGE = 20 * MB
HEAD_BYTES = 8192  # how much of a file's start check_upload looks at

# What the parsers of screenplays take at most (tools.imports reads PDFs in a child process under these).
MAX_PDF_PAGES = 400  # a feature screenplay is about 120 pages
PDF_SECONDS = 120.0  # wall-clock time to read a PDF's text (a dense 120-page feature: 10-30 s)
PDF_MEMORY_MB = 1024  # address space of the process that reads a PDF
MAX_FDX_DEPTH = 64  # Final Draft nests about 6 deep (FinalDraft > Content > Paragraph > DualDialogue > ...)
MAX_FDX_ELEMENTS = 200_000  # a feature is ~20,000 elements
OTHER_FORMATS = "export the screenplay as Fountain or FDX"

UploadKind = Literal["screenplay", "image"]
KINDS: tuple[UploadKind, ...] = ("screenplay", "image")


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
    if suffix in IMAGE_TYPES:
        return "image"
    return None


def check_name(name: str, size: int | None = None, *, accept: tuple[UploadKind, ...] = KINDS) -> UploadKind:
    """The kind of file a name promises, or UploadRefused; with ``size``, its size is checked too.

    ``accept`` narrows the kinds a face takes (Slack takes screenplays only)."""
    suffix = suffix_of(name)
    kind = kind_of(name)
    if kind is None or kind not in accept:
        if accept == ("screenplay",):
            raise UploadRefused(f"{name} is not a screenplay file Auteur can read ({suffix or 'no extension'})",
                                "upload a screenplay as Fountain (.fountain), Final Draft (.fdx) or PDF")
        raise UploadRefused(f"{name} is not a screenplay or a reference image ({suffix or 'no extension'})",
                            "upload a screenplay as Fountain (.fountain), Final Draft (.fdx) or PDF, "
                            "or a reference image as PNG, JPEG or WebP")
    limit = size_limit(name) or MAX_IMAGE
    if size is not None and size > limit:
        what = "a Fountain screenplay" if suffix in TEXT_SCREENPLAY_TYPES else f"a {kind}"
        raise UploadRefused(f"{name} is {size / MB:.2f} MB, more than the {limit / MB:g} MB {what} may have",
                            "export a smaller file (a text PDF, or the image at a lower resolution) and "
                            "upload it again" if kind == "image" or suffix == ".pdf" else
                            "split the screenplay, or check that this is the right file")
    if size == 0:
        raise UploadRefused(f"{name} is empty", "upload the file again; it may not have finished saving")
    return kind


def size_limit(name: str) -> int | None:
    """The most bytes a file of this name may have (None for a name the policy does not take)."""
    suffix = suffix_of(name)
    if suffix in TEXT_SCREENPLAY_TYPES:
        return MAX_FOUNTAIN
    if suffix in CONVERTED_SCREENPLAY_TYPES:
        return MAX_SCREENPLAY
    return MAX_IMAGE if suffix in IMAGE_TYPES else None


def check_upload(name: str, size: int, head: bytes, *, accept: tuple[UploadKind, ...] = KINDS) -> UploadKind:
    """'screenplay' or 'image' for a file of ``size`` bytes starting with ``head`` (its first
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
        raise UploadRefused(f"{name} is not a text file, so it cannot be a Fountain screenplay",
                            "export the screenplay as Fountain (plain text), FDX or PDF")
    return kind


def looks_like_image(suffix: str, head: bytes) -> bool:
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return False
