"""The screenplay as a PDF in standard layout: Courier 12, 1.5" left margin, scene numbers, title page."""

from __future__ import annotations

import textwrap
from pathlib import Path

from studio.fountain import ElementType, FountainDocument, plain_text

INCH = 72.0
LINE = 12.0  # Courier 12: six lines an inch
PAGE_W, PAGE_H = 8.5 * INCH, 11 * INCH
TOP, BOTTOM = 1 * INCH, 1 * INCH
# left edge (inches from the page's left) and width in characters (Courier 12: 10 a inch)
LAYOUT = {
    ElementType.SCENE_HEADING: (1.5, 60),
    ElementType.ACTION: (1.5, 60),
    ElementType.CHARACTER: (3.7, 38),
    ElementType.PARENTHETICAL: (3.1, 25),
    ElementType.DIALOGUE: (2.5, 35),
    ElementType.LYRICS: (2.5, 35),
    ElementType.TRANSITION: (1.5, 60),
    ElementType.CENTERED: (1.5, 60),
}
SPACE_BEFORE = {ElementType.SCENE_HEADING: 2, ElementType.ACTION: 1, ElementType.CHARACTER: 1,
                ElementType.TRANSITION: 1, ElementType.CENTERED: 1}


def _latin(text: str) -> str:
    """Courier is a core font: keep to Latin-1, with typographic quotes made plain."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "--", "\u2013": "-",
             "\u2026": "...", "\u00a0": " "}
    return "".join(table.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")


def write_script_pdf(doc: FountainDocument, path: Path) -> int:
    """Write the PDF; return its page count."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Courier", size=12)
    pdf.set_title(_latin(doc.title or "Screenplay"))
    pdf.set_creator("Auteur")

    if doc.title_page:
        pdf.add_page()
        title = plain_text(doc.title_value("title") or "")
        y = 3.5 * INCH
        for line in title.split("\n"):
            pdf.set_xy(0, y)
            pdf.cell(PAGE_W, LINE, _latin(line.upper()), align="C")
            y += LINE
        y += LINE * 2
        for key in ("credit", "author", "authors", "source"):
            value = doc.title_value(key)
            if value:
                for line in plain_text(value).split("\n"):
                    pdf.set_xy(0, y)
                    pdf.cell(PAGE_W, LINE, _latin(line), align="C")
                    y += LINE
                y += LINE
        y = PAGE_H - BOTTOM - 5 * LINE
        for key in ("draft date", "contact"):
            value = doc.title_value(key)
            if value:
                for line in plain_text(value).split("\n"):
                    pdf.set_xy(1.5 * INCH, y)
                    pdf.cell(4 * INCH, LINE, _latin(line))
                    y += LINE

    state = {"y": PAGE_H, "page": 0}

    def new_page() -> None:
        pdf.add_page()
        state["page"] += 1
        state["y"] = TOP
        if state["page"] > 1:
            pdf.set_xy(PAGE_W - 1 * INCH - 40, 0.5 * INCH)
            pdf.cell(40, LINE, f"{state['page']}.", align="R")

    def room(lines: int) -> None:
        if state["y"] + lines * LINE > PAGE_H - BOTTOM:
            new_page()

    from studio.breakdown import scene_labels

    headings = [e for e in doc.elements if e.type is ElementType.SCENE_HEADING]
    labels = {id(h): label for h, label in zip(headings, scene_labels(headings))}
    new_page()
    first = True
    for el in doc.elements:
        if el.type is ElementType.PAGE_BREAK:
            new_page()
            first = True
            continue
        if el.type not in LAYOUT:
            continue
        left, width = LAYOUT[el.type]
        text = plain_text(el.text)
        if el.type is ElementType.CHARACTER:
            text = el.text + "".join(f" ({x})" for x in el.extensions)
        if el.type in (ElementType.SCENE_HEADING, ElementType.CHARACTER, ElementType.TRANSITION):
            text = text.upper()
        lines: list[str] = []
        for raw in text.split("\n"):
            lines += textwrap.wrap(raw, width) or [""]
        gap = 0 if first else SPACE_BEFORE.get(el.type, 0)
        # keep a heading or a cue with what follows it
        room(gap + len(lines) + (2 if el.type in (ElementType.SCENE_HEADING, ElementType.CHARACTER) else 0))
        if state["y"] > TOP:
            state["y"] += gap * LINE
        first = False
        for line in lines:
            if el.type is ElementType.TRANSITION:
                pdf.set_xy(1.5 * INCH, state["y"])
                pdf.cell(6 * INCH, LINE, _latin(line), align="R")
            elif el.type is ElementType.CENTERED:
                pdf.set_xy(1.5 * INCH, state["y"])
                pdf.cell(6 * INCH, LINE, _latin(line), align="C")
            else:
                pdf.set_xy(left * INCH, state["y"])
                pdf.cell(width * 7.2, LINE, _latin(line))
            if el.type is ElementType.SCENE_HEADING and line is lines[0]:
                number = _latin(labels[id(el)])
                pdf.set_xy(0.75 * INCH, state["y"])
                pdf.cell(0.6 * INCH, LINE, number)
                pdf.set_xy(7.4 * INCH, state["y"])
                pdf.cell(0.6 * INCH, LINE, number)
            state["y"] += LINE
            room(1)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return pdf.pages_count
