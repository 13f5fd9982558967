"""Screenplays from other tools: Final Draft (.fdx) and text PDF, turned into Fountain."""

from __future__ import annotations

from pathlib import PurePath

from studio.errors import NotAScreenplay
from studio.uploads import SCREENPLAY_TYPES


def to_fountain(name: str, data: bytes) -> bytes:
    """The screenplay as Fountain bytes, whatever it came as (Fountain passes through)."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".fdx":
        from studio.fdx import from_fdx
        from studio.fountain import write

        return write(from_fdx(data, name)).encode("utf-8")
    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise NotAScreenplay(f"{name} is not a PDF file (it does not start with %PDF)",
                                 "export the screenplay again as PDF, or as Fountain or FDX")
        from tools.imports.pdf_script import pdf_to_fountain

        return pdf_to_fountain(data, name).encode("utf-8")
    if suffix and suffix not in SCREENPLAY_TYPES:
        raise NotAScreenplay(f"{name}: Auteur reads Fountain, Final Draft (.fdx) and PDF screenplays",
                             "export the screenplay from your writing app in one of those formats")
    return data
