"""A text PDF screenplay is read by where its lines sit on the page (tools.imports.pdf_script / pdf_layout).

Each PDF here is drawn in the test with fpdf2 (Courier 12, US letter), every line placed at the column the
screenplay standard gives it (heading/action 1.5", dialogue 2.5", parenthetical 3.0", cue 3.7", scene numbers at
0.75" and 7.4", page numbers top right at 0.5"): what a reader sees on such a page is obvious by construction.
The real PDFs (afterwriting, screenplain, Fade In) are in tests/corpus/screenplays/pdf_* and run through
tests/integration/test_screenplay_corpus.py.
"""

from __future__ import annotations


from studio.fountain import ElementType, parse
from studio.screenplay import read_fountain
from tools.imports.pdf_script import pdf_to_fountain

Line = tuple[float, int, str]  # (left edge in inches, line number on the page from the 1" top margin, text)


def drawn(*pages: list[Line]) -> bytes:
    """A PDF whose pages hold exactly these lines, six lines an inch."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.set_auto_page_break(False)
    pdf.set_font("Courier", size=12)
    for lines in pages:
        pdf.add_page()
        for inch, row, text in lines:
            pdf.set_xy(inch * 72, 72 + row * 12)
            pdf.cell(text=text)
    return bytes(pdf.output())


def scenes_of(data: bytes) -> list[tuple[str, list[str], int]]:
    breakdown = read_fountain("drawn.pdf", pdf_to_fountain(data, "drawn.pdf").encode()).breakdown
    return [(s.heading, sorted(set(s.characters)), s.dialogue_count) for s in breakdown.scenes]


def test_a_dialogue_line_that_starts_like_a_heading_stays_dialogue() -> None:
    data = drawn([(1.5, 0, "INT. KITCHEN - NIGHT"),
                  (3.7, 2, "ANN"), (2.5, 3, "EXT. is where we should be tonight,"), (2.5, 4, "out in the cold."),
                  (3.7, 6, "BEN"), (2.5, 7, "INT. is warmer.")])
    assert scenes_of(data) == [("INT. KITCHEN - NIGHT", ["ANN", "BEN"], 2)]


def test_more_and_contd_across_a_page_break_is_one_speech() -> None:
    first = [(1.5, 0, "EXT. HARBOUR - DAWN"), (3.7, 2, "NELL"), (2.5, 3, "The boats went out before light,"),
             (2.5, 4, "all of them but ours."), (3.7, 5, "(MORE)"), (6.5, 56, "(CONTINUED)")]
    second = [(7.2, -6, "2."), (1.5, -3, "CONTINUED:"), (3.7, 0, "NELL (CONT'D)"), (2.5, 1, "Ours stayed."),
              (3.7, 3, "TOM"), (2.5, 4, "Then we row.")]
    text = pdf_to_fountain(drawn(first, second), "drawn.pdf")
    speeches = [e for e in parse(text).elements if e.type is ElementType.CHARACTER]
    assert [e.text for e in speeches] == ["NELL", "TOM"]
    assert "Ours stayed." in text and "(MORE)" not in text and "CONTINUED" not in text
    assert scenes_of(drawn(first, second)) == [("EXT. HARBOUR - DAWN", ["NELL", "TOM"], 2)]


def test_side_by_side_dual_dialogue_is_two_speeches_the_second_dual() -> None:
    data = drawn([(1.5, 0, "INT. STAIRWELL - DAY"), (1.5, 2, "They meet halfway."),
                  (2.5, 4, "ANN"), (5.5, 4, "BEN"),
                  (2.0, 5, "EXT. is where"), (5.0, 5, "No, we stay in"),
                  (2.0, 6, "we should be."), (5.0, 6, "here."),
                  (1.5, 8, "They sit.")])
    doc = parse(pdf_to_fountain(data, "drawn.pdf"))
    cues = [(e.text, e.dual) for e in doc.elements if e.type is ElementType.CHARACTER]
    assert cues == [("ANN", False), ("BEN", True)]
    lines = [e.text for e in doc.elements if e.type is ElementType.DIALOGUE]
    assert lines == ["EXT. is where\nwe should be.", "No, we stay in\nhere."]
    assert scenes_of(data) == [("INT. STAIRWELL - DAY", ["ANN", "BEN"], 2)]


def test_page_numbers_stars_and_margin_scene_numbers_are_not_the_script() -> None:
    page = [(7.2, -6, "12."), (0.75, 0, "4A"), (1.5, 0, "THE OLD MILL"), (7.4, 0, "4A"),
            (1.5, 2, "Dust in the light."), (7.6, 2, "*"),
            (3.7, 4, "MILLER"), (2.5, 5, "Nobody comes here now."), (7.6, 5, "*"),
            (0.75, 7, "5"), (1.5, 7, "EXT. MILL POND - CONTINUOUS"), (7.4, 7, "5"),
            (3.7, 9, "MILLER"), (2.5, 10, "Nobody.")]
    text = pdf_to_fountain(drawn(page), "drawn.pdf")
    assert "12." not in text and "*" not in text and "4A" not in text
    # a heading without INT./EXT. is known by the scene numbers printed beside it
    assert scenes_of(drawn(page)) == [("THE OLD MILL", ["MILLER"], 1), ("EXT. MILL POND - CONTINUOUS", ["MILLER"], 1)]


def test_columns_are_learned_per_document() -> None:
    """An app that sets action at 1.25", dialogue at 2.55", parentheticals at 3.15" and cues at 3.75" (Fade In)."""
    data = drawn([(1.25, 0, "INT. NEWSROOM - DAY"), (1.25, 2, "Phones ring."),
                  (3.75, 4, "HILDY"), (3.15, 5, "(to Walter)"), (2.55, 6, "Hello, Walter."),
                  (3.75, 8, "WALTER"), (2.55, 9, "Hildy!"), (1.25, 11, "He stands."),
                  (3.75, 13, "HILDY"), (2.55, 14, "Sit down.")])
    doc = parse(pdf_to_fountain(data, "drawn.pdf"))
    assert [e.text for e in doc.elements if e.type is ElementType.PARENTHETICAL] == ["(to Walter)"]
    assert scenes_of(data) == [("INT. NEWSROOM - DAY", ["HILDY", "WALTER"], 3)]


def test_a_capitalised_action_line_is_not_a_cue() -> None:
    data = drawn([(1.5, 0, "INT. HALL - NIGHT"), (1.5, 2, "A SHOT RINGS OUT."), (1.5, 3, "Everyone ducks."),
                  (3.7, 5, "MAX"), (2.5, 6, "Down!")])
    assert scenes_of(data) == [("INT. HALL - NIGHT", ["MAX"], 1)]


def test_a_scene_number_with_a_dash_and_a_letter_is_margin_furniture() -> None:
    """Fountain allows scene numbers such as "2-B" (screenplain prints them in both margins): not the heading."""
    page = [(0.75, 0, "2"), (1.5, 0, "INT. A FOURTH PLACE - DAY"), (7.4, 0, "2"),
            (1.5, 2, "Not numbered."),
            (0.75, 4, "2-B"), (1.5, 4, "INT. A FIFTH PLACE - DAY"), (7.4, 4, "2-B"),
            (1.5, 5, "Numbered 2-B.")]
    text = pdf_to_fountain(drawn(page), "drawn.pdf")
    assert "2-B INT" not in text and "DAY 2-B" not in text
    assert [s[0] for s in scenes_of(drawn(page))] == ["INT. A FOURTH PLACE - DAY", "INT. A FIFTH PLACE - DAY"]
