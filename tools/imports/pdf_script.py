"""A text PDF screenplay → Fountain, by where each line sits on the page.

Screenplay layout is positional: headings and action at 1.5", dialogue at 2.5",
parentheticals at about 3.1", character cues at about 3.7", transitions to the
right. Scene numbers in the margins and page numbers are dropped.

This runs in the child process of tools.imports.pdf_reader, never in the server's.
"""

from __future__ import annotations

import re

from studio.errors import NotAScreenplay
from studio.fountain.parser import HEADING_RE
from studio.uploads import MAX_FOUNTAIN, MAX_PDF_PAGES, MB, OTHER_FORMATS, UploadRefused

INCH = 72.0


def _lines(page) -> list[tuple[float, float, str, float]]:
    """(top, x0, text, x1) for every printed line of a page, top to bottom."""
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5, y_tolerance=2)
    rows: dict[int, list] = {}
    for w in words:
        rows.setdefault(round(w["top"] / 3), []).append(w)
    out = []
    for key in sorted(rows):
        ws = sorted(rows[key], key=lambda w: w["x0"])
        # drop scene numbers in the margins
        ws = [w for w in ws if INCH * 1.2 <= w["x0"] <= INCH * 7.3 or w["x1"] > INCH * 7.6 and w["x0"] > INCH * 5]
        if not ws:
            continue
        text = " ".join(w["text"] for w in ws)
        out.append((ws[0]["top"], ws[0]["x0"], text, ws[-1]["x1"]))
    return out


def pdf_to_fountain(data: bytes, name: str, *, max_pages: int = MAX_PDF_PAGES) -> str:
    import io

    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except MemoryError:
        raise  # the child process that reads it names the limit
    except Exception as exc:
        raise NotAScreenplay(f"{name} is not a readable PDF ({type(exc).__name__})",
                             "export the screenplay again as PDF, or as Fountain or FDX") from None
    out: list[str] = []
    last_kind = None
    last_top = None
    with pdf:
        pages = list(pdf.pages)
        if not pages:
            raise NotAScreenplay(f"{name} has no pages", "export the screenplay again")
        if len(pages) > max_pages:
            raise UploadRefused(f"{name} has {len(pages):,} pages, more than the {max_pages} a screenplay PDF "
                                "may have", f"split the PDF into parts of at most {max_pages} pages, or "
                                            f"{OTHER_FORMATS}")
        text_found = False
        size = 0
        for page in pages:
            lines = _lines(page)
            page.close()  # its objects and layout, cached by pdfplumber, are not needed again
            size += sum(len(line[2]) + 2 for line in lines)
            if size > MAX_FOUNTAIN:
                raise UploadRefused(f"the text of {name} is more than the {MAX_FOUNTAIN / MB:g} MB (about 900 "
                                    "pages) a screenplay may have", f"split the PDF, or {OTHER_FORMATS}")
            for top, x0, text, x1 in lines:
                text_found = True
                inch = x0 / INCH
                if top < INCH * 0.8 and re.fullmatch(r"\d+\.?", text):
                    continue  # page number
                gap = last_top is not None and top - last_top > 14
                upper = text == text.upper() and any(c.isalpha() for c in text)
                if HEADING_RE.match(text):
                    kind = "heading"
                elif upper and text.endswith("TO:") or (upper and x1 > INCH * 7.2 and inch > 4.5):
                    kind = "transition"
                elif inch >= 3.4 and upper and inch < 5.5:
                    kind = "character"
                elif 2.8 <= inch < 3.4 and text.startswith("("):
                    kind = "paren"
                elif 2.2 <= inch < 3.4 and last_kind in ("character", "paren", "dialogue"):
                    kind = "dialogue"
                else:
                    kind = "action"
                new_block = kind in ("heading", "character", "transition") or gap or (
                    kind == "action" and last_kind not in ("action",))
                if kind in ("dialogue", "paren") and last_kind in ("character", "paren", "dialogue") and not (
                        gap and kind == "dialogue" and last_kind == "dialogue"):
                    new_block = False
                if new_block and out and out[-1] != "":
                    out.append("")
                if kind == "transition" and not text.endswith("TO:"):
                    text = "> " + text
                if kind == "heading" and not HEADING_RE.match(text):
                    text = "." + text
                if kind == "action" and upper and not text.endswith("TO:"):
                    text = "!" + text if new_block else text
                out.append(text)
                last_kind, last_top = kind, top
            last_top = None
    if not text_found:
        raise NotAScreenplay(f"{name} has no text layer (a scan?)",
                             "export the screenplay as a text PDF, Fountain or FDX from your writing app")
    return "\n".join(out).strip() + "\n"
