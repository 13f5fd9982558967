"""Screenplays from other tools: Final Draft (.fdx) and text PDF, turned into Fountain, within the limits
of the upload policy (studio.uploads): an FDX is read by defusedxml with its size, depth and elements
bounded; a PDF in a child process with its pages, time and memory bounded (pdf_reader)."""

from __future__ import annotations

from pathlib import PurePath

from studio.errors import NotAScreenplay
from studio.uploads import SCREENPLAY_TYPES
from tools.imports.pdf_reader import PdfLimits, read_pdf


def to_fountain(name: str, data: bytes, pdf_limits: PdfLimits | None = None) -> bytes:
    """The screenplay as Fountain bytes, whatever it came as (Fountain passes through)."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".fdx":
        from studio.fountain import write
        from tools.imports.fdx_reader import read_fdx

        return write(read_fdx(data, name)).encode("utf-8")
    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise NotAScreenplay(f"{name} is not a PDF file (it does not start with %PDF)",
                                 "export the screenplay again as PDF, or as Fountain or FDX")
        return read_pdf(data, name, pdf_limits).encode("utf-8")
    if suffix and suffix not in SCREENPLAY_TYPES:
        raise NotAScreenplay(f"{name}: Auteur reads Fountain, Final Draft (.fdx) and PDF screenplays",
                             "export the screenplay from your writing app in one of those formats")
    return data
