"""A text PDF screenplay → Fountain, by where each line sits on the page (tools.imports.pdf_layout).

A line is a heading, action, cue, parenthetical, dialogue or transition by its column, whatever it says: a
dialogue line that begins "EXT." stays dialogue. A heading is a capitalised line at the action margin that a
reader knows as one: it starts INT./EXT., carries scene numbers in the margins, or is set in bold where the
document's INT./EXT. headings are. A speech broken by a page ("(MORE)" at the foot, "NAME (CONT'D)" at the top
of the next page) is one speech; cues side by side are dual dialogue (the right one marked ``^``).

This runs in the child process of tools.imports.pdf_reader, never in the server's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.errors import NotAScreenplay
from studio.fountain.parser import HEADING_RE, split_cue
from studio.uploads import MAX_FOUNTAIN, MAX_PDF_PAGES, MB, OTHER_FORMATS, UploadRefused
from tools.imports.pdf_layout import (Columns, open_pdf, Row, is_dual_cues, is_page_furniture, is_upper, learn_columns,
                                      page_rows, split_dual)

MORE_RE = re.compile(r"^\(\s*MORE\s*\)$", re.IGNORECASE)
TRANSITION_RE = re.compile(r"(?:TO:|IN:|OUT\.|OUT:)$")


@dataclass
class Speech:
    cue: str
    dual: bool = False
    lines: list[tuple[str, str]] = field(default_factory=list)  # ("paren" | "dialogue", text)
    more: bool = False  # "(MORE)" closed it at the foot of a page

    @property
    def name(self) -> str:
        return split_cue(self.cue)[0].upper()


Element = tuple[str, object]  # ("heading", str) | ("action", list[str]) | ("transition", str) | ("speech", Speech)


class Reader:
    """Walks the rows of the whole document in order and builds its elements."""

    def __init__(self, rows: list[Row], columns: Columns) -> None:
        self.rows = rows
        self.cols = columns
        self.out: list[Element] = []
        self.speech: Speech | None = None
        self.paren_open = False
        keyword = [r for r in rows if columns.zone(r.x0) == "action" and HEADING_RE.match(r.text)]
        # the document sets its INT./EXT. headings in bold: a bold capitalised line there is a heading too
        self.bold_headings = bool(keyword) and sum(r.bold for r in keyword) * 2 > len(keyword)
        heights = sorted(b.top - a.top for a, b in zip(rows, rows[1:]) if a.page == b.page and b.top > a.top)
        self.line = heights[len(heights) // 4] if heights else 12.0

    def read(self) -> list[Element]:
        i = 0
        prev: Row | None = None
        while i < len(self.rows):
            row = self.rows[i]
            new_page = prev is None or prev.page != row.page
            gap = new_page or row.top - prev.top > self.line * 1.5  # type: ignore[union-attr]
            if is_page_furniture(row):
                i += 1
                continue
            if is_dual_cues(row, self.cols):
                i = self._dual(i)
                prev = self.rows[i - 1]
                continue
            self._row(row, gap, new_page)
            prev = row
            i += 1
        self._end_speech()
        return self.out

    # ------------------------------------------------------------------ one row
    def _row(self, row: Row, gap: bool, new_page: bool) -> None:
        text = " ".join(row.text.split())
        zone = self.cols.zone(row.x0)
        if self.speech is not None and MORE_RE.match(text):
            self.speech.more = True
            return
        if self.speech is not None and self.speech.more and new_page and zone == "cue" \
                and split_cue(text)[0].upper() == self.speech.name:
            self.speech.more = False  # "NAME (CONT'D)" on the next page: the same speech goes on
            return
        if gap and not self._speech_goes_on(text, zone, new_page):
            self._end_speech()
        if zone == "cue" and is_upper(split_cue(text)[0]) and not text.startswith("(") and self.speech is None:
            self.speech = Speech(text)
            self.paren_open = False
            return
        if self.speech is not None and zone in ("dialogue", "paren", "cue"):
            self._speech_line(text, zone)
            return
        self._end_speech()
        if zone == "right":
            self._right(text)
        elif zone == "action" and is_upper(text) and self._is_heading(row, text):
            self._heading(text, gap)
        else:
            self._action(text, gap)

    def _speech_goes_on(self, text: str, zone: str, new_page: bool) -> bool:
        """A blank line ends a speech, except where a page broke it, or where a cue stands alone
        and a parenthetical follows after a blank line (a direction typed as a cue of its own)."""
        if self.speech is None:
            return False
        if new_page and (self.speech.more or not self.speech.lines or zone in ("dialogue", "paren")):
            return True  # the page broke the speech (with or without "(MORE)"), or left its cue at the foot
        return not self.speech.lines and zone in ("paren", "cue") and text.startswith("(") \
            and not MORE_RE.match(text)

    def _is_heading(self, row: Row, text: str) -> bool:
        return bool(row.numbered or HEADING_RE.match(text) or (self.bold_headings and row.bold))

    def _heading(self, text: str, gap: bool) -> None:
        last = self.out[-1] if self.out else None
        if not gap and last is not None and last[0] == "heading":  # a long heading wrapped onto two lines
            self.out[-1] = ("heading", f"{last[1]} {text}")
        else:
            self.out.append(("heading", text))

    def _action(self, text: str, gap: bool) -> None:
        last = self.out[-1] if self.out else None
        if not gap and last is not None and last[0] == "action":
            lines = last[1]
            assert isinstance(lines, list)
            lines.append(text)
        else:
            self.out.append(("action", [text]))

    def _right(self, text: str) -> None:
        """Against the right margin: a transition when capitalised, else a line of action."""
        if is_upper(text):
            self.out.append(("transition", text))
        else:
            self._action(text, True)

    def _speech_line(self, text: str, zone: str) -> None:
        speech = self.speech
        assert speech is not None
        if zone in ("paren", "cue") and (text.startswith("(") or self.paren_open):
            if self.paren_open and speech.lines and speech.lines[-1][0] == "paren":
                speech.lines[-1] = ("paren", f"{speech.lines[-1][1]} {text}")
            else:
                speech.lines.append(("paren", text))
            self.paren_open = ")" not in text
            return
        self.paren_open = False
        speech.lines.append(("dialogue", text))

    def _end_speech(self) -> None:
        speech, self.speech = self.speech, None
        if speech is None:
            return
        if speech.lines:
            self.out.append(("speech", speech))
        else:  # capitals in the cue column with nothing under them: a centred line of action
            self.out.append(("action", [speech.cue]))

    # ------------------------------------------------------------------ dual dialogue
    def _dual(self, start: int) -> int:
        """Rows from a side-by-side cue row to the next blank line: two speeches, the second marked dual."""
        self._end_speech()
        end = start + 1
        while end < len(self.rows) and self.rows[end].page == self.rows[start].page \
                and self.rows[end].top - self.rows[end - 1].top <= self.line * 1.5:
            end += 1
        for k, column in enumerate(split_dual(self.rows[start:end])):
            speech = Speech(column[0], dual=k == 1)
            self.speech, self.paren_open = speech, False
            for text in column[1:]:
                if not MORE_RE.match(text):
                    self._speech_line(text, "paren" if text.startswith("(") or self.paren_open else "dialogue")
            self._end_speech()
        return end


def to_text(elements: list[Element]) -> str:
    """The elements as Fountain, each forced where its text alone could be read as something else."""
    out: list[str] = []
    for kind, value in elements:
        if kind == "heading":
            text = str(value)
            out.append(text if HEADING_RE.match(text) else "." + text.lstrip("."))
        elif kind == "transition":
            out.append("> " + str(value))
        elif kind == "action":
            assert isinstance(value, list)
            out.append("\n".join("!" + line for line in value))
        else:
            assert isinstance(value, Speech)
            cue = "@" + value.cue + (" ^" if value.dual else "")
            out.append("\n".join([cue, *(text for _, text in value.lines)]))
    return "\n\n".join(out).strip() + "\n"


def pdf_to_fountain(data: bytes, name: str, *, max_pages: int = MAX_PDF_PAGES) -> str:
    pdf = open_pdf(data, name, NotAScreenplay, "export the screenplay again as PDF, or as Fountain or FDX")
    rows: list[Row] = []
    with pdf:
        pages = list(pdf.pages)
        if not pages:
            raise NotAScreenplay(f"{name} has no pages", "export the screenplay again")
        if len(pages) > max_pages:
            raise UploadRefused(f"{name} has {len(pages):,} pages, more than the {max_pages} a screenplay PDF "
                                "may have", f"split the PDF into parts of at most {max_pages} pages, or "
                                            f"{OTHER_FORMATS}")
        size = 0
        for index, page in enumerate(pages):
            found = page_rows(page, index)
            page.close()  # its objects and layout, cached by pdfplumber, are not needed again
            size += sum(len(row.text) + 2 for row in found)
            if size > MAX_FOUNTAIN:
                raise UploadRefused(f"the text of {name} is more than the {MAX_FOUNTAIN / MB:g} MB (about 900 "
                                    "pages) a screenplay may have", f"split the PDF, or {OTHER_FORMATS}")
            rows += found
    if not rows:
        raise NotAScreenplay(f"{name} has no text layer (a scan?)",
                             "export the screenplay as a text PDF, Fountain or FDX from your writing app")
    return to_text(Reader(rows, learn_columns(rows)).read())
