"""Where each printed line of a screenplay PDF sits: rows of words, the page furniture around them, the columns.

A screenplay is laid out by position, not by words: headings and action start at the left margin (about 1.5"),
dialogue about an inch to its right, parentheticals half an inch further, character cues further still,
transitions against the right margin. Writing apps differ by a few tenths of an inch (Fade In sets action at
1.25", screenplain cues at 3.4", afterwriting at 3.5"), so the columns are learned from each document: the most
used left edges, in the order the standard gives them.

Page furniture is not the screenplay: page numbers and running headers/footers (the top and bottom margins),
scene numbers printed in the left and right margins of a heading (kept only as the fact that the row was a
numbered heading), revision stars in the right margin, "(CONTINUED)" / "CONTINUED:" between pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from studio.errors import AuteurError
from studio.fountain.parser import HEADING_RE

INCH = 72.0
TOP_BAND = 0.8 * INCH  # page numbers and running headers sit above the 1" top margin
BOTTOM_BAND = 0.75 * INCH  # footers and "(CONTINUED)" below the 1" bottom margin
# "12", "12A", "A12", "12.1", and Fountain's "2-B" (a dash and a letter)
SCENE_NUMBER_RE = re.compile(r"^[A-Z]{0,2}\d{1,4}[A-Z]{0,3}(?:[-.](?:\d{1,3}[A-Z]?|[A-Z]{1,2})){0,2}\.?$")
STARS_RE = re.compile(r"^\*+$")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}[A-Z]?\.?(?:\s*\(?(?:rev|revised)\.?\)?)?$", re.IGNORECASE)
CONTINUED_RE = re.compile(r"^\(?\s*CONTINUED\s*\)?\s*:?\s*(?:\(\d+\))?$", re.IGNORECASE)


@dataclass
class Word:
    x0: float
    x1: float
    text: str
    bold: bool


@dataclass
class Row:
    """One printed line: its page, its vertical position and its words left to right."""

    page: int
    top: float
    words: list[Word]
    numbered: bool = False  # a scene number stood in a margin of this row (so it is a heading)
    segments: list[list[Word]] = field(default_factory=list)  # words grouped where a wide gap separates them

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


def open_pdf(data: bytes, name: str, refused: type[AuteurError], fix: str) -> Any:
    """The PDF opened by pdfplumber (in the child process that reads it), or ``refused`` naming it unreadable;
    a MemoryError passes on, for the child to name the memory limit."""
    import io

    try:
        import pdfplumber

        return pdfplumber.open(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:
        raise refused(f"{name} is not a readable PDF ({type(exc).__name__})", fix) from None


def is_upper(text: str) -> bool:
    """Capitals only (digits and punctuation allowed), with at least one letter."""
    return any(c.isalpha() for c in text) and text == text.upper()


def _char_width(words: list[dict]) -> float:
    """The width of one character in this page's type (Courier 12: 7.2 pt), from its longer words."""
    widths = [(w["x1"] - w["x0"]) / len(w["text"]) for w in words if len(w["text"]) >= 3]
    widths.sort()
    return widths[len(widths) // 2] if widths else 7.2


def _segments(words: list[Word], char: float) -> list[list[Word]]:
    """Split a row where the gap between two words is wider than about two characters: a margin number, a
    revision star or the second column of dual dialogue is a segment of its own."""
    out: list[list[Word]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word.x0 - prev.x1 > 2.4 * char:
            out.append([word])
        else:
            out[-1].append(word)
    return out


def page_rows(page, index: int) -> list[Row]:
    """The rows of one pdfplumber page, top to bottom, without its page furniture."""
    raw = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, use_text_flow=False,
                             extra_attrs=["fontname"])
    if not raw:
        return []
    char = _char_width(raw)
    raw.sort(key=lambda w: (w["top"], w["x0"]))
    groups: list[list[dict]] = []
    for w in raw:
        if groups and abs(w["top"] - groups[-1][0]["top"]) <= 3:
            groups[-1].append(w)
        else:
            groups.append([w])
    rows = []
    for group in groups:
        top = group[0]["top"]
        if top < TOP_BAND or top > float(page.height) - BOTTOM_BAND:
            continue  # page numbers, running headers and footers, "(CONTINUED)" at the foot
        words = [Word(w["x0"], w["x1"], w["text"], "bold" in str(w.get("fontname", "")).lower())
                 for w in sorted(group, key=lambda w: w["x0"])]
        row = _without_margins(Row(index, top, words), char, float(page.width))
        if row is not None:
            rows.append(row)
    return rows


def _without_margins(row: Row, char: float, width: float) -> Row | None:
    """Drop scene numbers in the margins and revision stars on the right; None if nothing else is left."""
    segments = _segments(row.words, char)
    while len(segments) > 1 and STARS_RE.match(" ".join(w.text for w in segments[-1])):
        segments.pop()
    if len(segments) == 1 and STARS_RE.match(segments[0][0].text) and segments[0][0].x0 > width * 0.75:
        return None  # a row holding only a revision mark
    for words in segments:  # a star glued to the end of the text, right of the page's text
        while len(words) > 1 and STARS_RE.match(words[-1].text) and words[-1].x0 > width * 0.8:
            words.pop()
    if len(segments) > 1 and SCENE_NUMBER_RE.match(" ".join(w.text for w in segments[-1])):
        segments.pop()
        row.numbered = True
    if len(segments) > 1 and SCENE_NUMBER_RE.match(" ".join(w.text for w in segments[0])) \
            and segments[0][-1].x1 < 1.45 * INCH:
        segments.pop(0)
        row.numbered = True
    row.segments = segments
    row.words = [w for words in segments for w in words]
    return row


@dataclass(frozen=True)
class Columns:
    """The left edges (points) of the document's columns and the right edge of its action."""

    action: float
    dialogue: float
    paren: float
    cue: float
    right: float

    def zone(self, x0: float) -> str:
        """Which column a line starting at ``x0`` belongs to (the nearest boundary between two columns)."""
        if x0 < (self.action + self.dialogue) / 2:
            return "action"
        if x0 < (self.dialogue + self.paren) / 2:
            return "dialogue"
        if x0 < (self.paren + self.cue) / 2 - 0.05 * INCH:
            return "paren"
        if x0 < max(self.cue + 1.4 * INCH, 5.2 * INCH) and x0 < 5.45 * INCH:
            return "cue"
        return "right"


def _most_common(counts: Counter[float], low: float, high: float) -> float | None:
    inside = [(n, x) for x, n in counts.items() if low < x < high]
    return max(inside)[1] if inside else None


def learn_columns(rows: list[Row]) -> Columns:
    """The columns this document uses: the left margin is the leftmost edge many lines share; dialogue is the
    most used edge about an inch to its right; cues the most used edge of capitals further right."""
    single = [r for r in rows if len(r.segments) == 1]
    edges: Counter[float] = Counter(round(r.x0 / INCH * 20) / 20 * INCH for r in single)
    total = sum(edges.values()) or 1
    common = sorted(x for x, n in edges.items() if n >= max(2, total * 0.03))
    headings: Counter[float] = Counter(round(r.x0 / INCH * 20) / 20 * INCH for r in single
                                       if HEADING_RE.match(r.text) and is_upper(r.text))
    # the margin INT./EXT. headings start at, else the leftmost edge many lines share
    action = headings.most_common(1)[0][0] if headings else common[0] if common else 1.5 * INCH
    dialogue = _most_common(edges, action + 0.5 * INCH, action + 1.6 * INCH) or action + 1.0 * INCH
    caps: Counter[float] = Counter(round(r.x0 / INCH * 20) / 20 * INCH for r in single
                                   if is_upper(r.text) and not r.text.startswith("("))
    cue = _most_common(caps, dialogue + 0.6 * INCH, action + 3.1 * INCH) or dialogue + 1.2 * INCH
    parens: Counter[float] = Counter(round(r.x0 / INCH * 20) / 20 * INCH for r in single
                                     if r.text.startswith("(") and r.text.upper() != "(MORE)")
    paren = _most_common(parens, dialogue + 0.2 * INCH, cue - 0.2 * INCH) or (dialogue + cue) / 2
    ends = sorted(r.x1 for r in single if abs(r.x0 - action) < 0.1 * INCH)
    right = ends[int(len(ends) * 0.95)] if ends else 7.5 * INCH
    return Columns(action, dialogue, paren, cue, right)


def is_dual_cues(row: Row, columns: Columns) -> bool:
    """Two cues side by side: two capitalised segments, one left and one right of the page's middle, both
    right of the action margin."""
    if len(row.segments) != 2:
        return False
    left, right = (" ".join(w.text for w in s) for s in row.segments)
    return (is_upper(left) and is_upper(right) and row.segments[0][0].x0 > columns.action + 0.3 * INCH
            and row.segments[0][0].x0 < 4.3 * INCH and row.segments[1][0].x0 >= 4.3 * INCH)


def split_dual(rows: list[Row]) -> tuple[list[str], list[str]]:
    """The left and right column of a dual-dialogue block, line by line; the right column starts where the
    cue row's right segment starts, less the indent a cue has over its dialogue."""
    starts = [r.segments[-1][0].x0 for r in rows if len(r.segments) > 1]
    starts += [r.x0 for r in rows if len(r.segments) == 1 and r.x0 >= 4.3 * INCH]
    boundary = min(starts) - 0.05 * INCH
    left: list[str] = []
    right: list[str] = []
    for row in rows:
        lw = [w.text for w in row.words if w.x0 < boundary]
        rw = [w.text for w in row.words if w.x0 >= boundary]
        if lw:
            left.append(" ".join(lw))
        if rw:
            right.append(" ".join(rw))
    return left, right


def is_page_furniture(row: Row) -> bool:
    """A "(CONTINUED)" / "CONTINUED:" line, or a lone page number against the right margin, inside the text
    area (some apps print them within the 1" margins)."""
    return bool(CONTINUED_RE.match(row.text) or (PAGE_NUMBER_RE.match(row.text) and row.x0 > 5.5 * INCH))
