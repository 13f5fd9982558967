"""An uploaded Final Draft file's XML, read with defusedxml within the upload policy's limits (studio.uploads):
no DTD, entity or external reference, and its size, depth and number of elements bounded."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from studio.errors import NotAScreenplay
from studio.fdx import from_fdx
from studio.fountain.elements import FountainDocument
from studio.uploads import MAX_FDX_DEPTH, MAX_FDX_ELEMENTS, MAX_SCREENPLAY, MB, OTHER_FORMATS, UploadRefused


def read_fdx(data: bytes, name: str = "script.fdx") -> FountainDocument:
    """The screenplay in an uploaded .fdx, or a refusal naming the problem and the fix."""
    return from_fdx(read_xml(data, name), name)


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
