"""Fountain syntax, element by element, and the writer's round trip."""

from __future__ import annotations

import pytest

from studio.breakdown import break_down, lines_to_eighths, parse_heading
from studio.fountain import ElementType as T
from studio.fountain import parse, plain_text, write


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in parse(text).elements]


def test_title_page_with_multiline_values():
    doc = parse("Title:\n    _**BRICK & STEEL**_\n    _**FULL RETIRED**_\nCredit: Written by\n"
                "Author: Stu\nContact:\n\tOne Street\n\tTown\n\nINT. A - DAY\n")
    assert [f.key for f in doc.title_page] == ["Title", "Credit", "Author", "Contact"]
    assert doc.title == "BRICK & STEEL\nFULL RETIRED"
    assert doc.title_value("contact") == "One Street\nTown"
    assert doc.elements[0].type is T.SCENE_HEADING


def test_no_title_page_when_the_script_starts_with_fade_in():
    doc = parse("FADE IN:\n\nINT. A - DAY\n")
    assert doc.title_page == []


@pytest.mark.parametrize("line", ["INT. DINER - NIGHT", "EXT. ROAD - DAY", "EST. CITY - DAWN",
                                  "INT./EXT. CAR - MOVING", "INT/EXT CAR - DAY", "I/E CAR - DAY",
                                  "int. kitchen - day"])
def test_scene_heading_prefixes(line):
    assert kinds(f"\n{line}\n\nAction.\n")[0] == ("scene_heading", line)


def test_not_a_heading_without_dot_or_space():
    assert kinds("\nEXTRA credit is due.\n")[0][0] == "action"
    assert kinds("\nINTERIOR design matters.\n")[0][0] == "action"


def test_forced_heading_and_scene_numbers():
    doc = parse("\n.FLASHBACK - THE BEACH #12A#\n\nWaves.\n\nINT. HOUSE - DAY #1.1#\n")
    h1, h2 = doc.of_type(T.SCENE_HEADING)
    assert (h1.text, h1.forced, h1.scene_number) == ("FLASHBACK - THE BEACH", True, "12A")
    assert (h2.text, h2.scene_number) == ("INT. HOUSE - DAY", "1.1")
    assert kinds("\n...and then nothing.\n")[0][0] == "action", "an ellipsis is not a forced heading"


def test_character_extensions_forced_and_dual():
    doc = parse("\nMOM (O.S.)\nLuke!\n\n@McCLANE (V.O.) (CONT'D)\nYippee.\n\nHANS ^\nNo.\n"
                "\nDOC (CONT’D)\nAgain.\n")
    cues = doc.of_type(T.CHARACTER)
    assert [(c.text, c.extensions, c.dual, c.forced) for c in cues] == [
        ("MOM", ["O.S."], False, False),
        ("McCLANE", ["V.O.", "CONT'D"], False, True),
        ("HANS", [], True, False),
        ("DOC", ["CONT’D"], False, False),
    ]


def test_all_caps_line_with_blank_after_is_action_not_character():
    assert kinds("\nTHE DOOR OPENS.\n\nINT. A - DAY\n")[0] == ("action", "THE DOOR OPENS.")


def test_dialogue_parentheticals_and_two_space_lines():
    doc = parse("\nANNA\n(beat)\nI know.\n(quietly)\nI always knew.\n  \nAlways.\n")
    assert [(e.type.value, e.text) for e in doc.elements] == [
        ("character", "ANNA"), ("parenthetical", "(beat)"), ("dialogue", "I know."),
        ("parenthetical", "(quietly)"), ("dialogue", "I always knew.\n\nAlways."),
    ]


def test_transitions_centered_lyrics_sections_synopses_page_breaks():
    doc = parse("\nCUT TO:\n\n> FADE OUT.\n\n>THE END<\n\n~Willow, weep\n~for me\n\n# Act One\n\n"
                "## Sequence\n\n= She finds the key.\n\n===\n")
    assert [(e.type.value, e.text, e.depth) for e in doc.elements] == [
        ("transition", "CUT TO:", 0), ("transition", "FADE OUT.", 0), ("centered", "THE END", 0),
        ("lyrics", "Willow, weep\nfor me", 0), ("section", "Act One", 1), ("section", "Sequence", 2),
        ("synopsis", "She finds the key.", 0), ("page_break", "", 0),
    ]


def test_transition_needs_blank_lines_around_it():
    assert kinds("\nHe said CUT TO:\nthen left.\n")[0][0] == "action"


def test_forced_action_keeps_indentation():
    doc = parse("\n!SCANLINES FLICKER\nacross the screen.\n\n\t\tIndented poem line.\n")
    a, b = doc.of_type(T.ACTION)
    assert a.text == "SCANLINES FLICKER\nacross the screen." and a.forced
    assert b.text == "\t\tIndented poem line."


def test_notes_inline_standalone_and_multiline():
    doc = parse("\nINT. A - DAY\n\nShe runs. [[faster?]]\n\n[[A note\non two lines]]\n\nBOB\nHi. [[too short]]\n")
    action = doc.of_type(T.ACTION)[0]
    assert action.text == "She runs." and action.notes == ["faster?"]
    assert doc.of_type(T.NOTE)[0].text == "A note on two lines"
    assert doc.of_type(T.DIALOGUE)[0].notes == ["too short"]


def test_boneyard_is_never_content():
    doc = parse("\nINT. A - DAY\n\n/*\nEXT. CUT SCENE - NIGHT\n\nGHOST\nBoo.\n*/\n\nReal action.\n")
    assert [e.type for e in doc.elements] == [T.SCENE_HEADING, T.ACTION]
    assert "GHOST" not in write(doc)


def test_emphasis_and_escapes():
    assert plain_text("*italic* **bold** ***both*** _under_ \\*literal\\*") == "italic bold both under *literal*"
    doc = parse("\nShe reads: **STOP**.\n")
    assert doc.elements[0].text == "She reads: **STOP**."


def test_windows_line_endings_and_bom():
    doc = parse("\ufeffTitle: X\r\n\r\nINT. A - DAY\r\n\r\nBOB\r\nHi.\r\n")
    assert doc.title == "X" and [e.type for e in doc.elements] == [T.SCENE_HEADING, T.CHARACTER, T.DIALOGUE]


@pytest.mark.parametrize("heading,expected", [
    ("INT. DINER - KITCHEN - NIGHT", ("INT", "DINER - KITCHEN", "NIGHT")),
    ("EXT. ROAD", ("EXT", "ROAD", None)),
    ("I/E CAR - MOMENTS LATER", ("INT/EXT", "CAR", "MOMENTS LATER")),
    ("INT./EXT. CAR - DAY", ("INT/EXT", "CAR", "DAY")),
    ("EST. CITY - DAWN", ("EST", "CITY", "DAWN")),
    ("FLASHBACK - THE BEACH", (None, "FLASHBACK - THE BEACH", None)),
    ("int. kitchen - day", ("INT", "kitchen", "DAY")),
])
def test_heading_parts(heading, expected):
    assert parse_heading(heading) == expected


def test_breakdown_counts_speakers_dialogue_and_time():
    text = "\nINT. A - DAY\n\nANNA (30s) enters with a LETTER.\n\nANNA\nHi.\n\nBOB (O.S.)\nHey.\n\nANNA (CONT'D)\nBye.\n"
    bd = break_down(parse(text))
    (scene,) = bd.scenes
    assert scene.characters == ["ANNA", "BOB"]
    assert scene.dialogue_count == 3
    assert scene.introduced == ["ANNA"] and scene.props == ["LETTER"]
    assert scene.eighths == lines_to_eighths(scene.lines) >= 1
    assert scene.seconds == round(scene.lines * 60 / 55, 1)


def test_a_full_page_is_eight_eighths_and_about_a_minute():
    # 27 one-line action paragraphs and a heading: 2 + 27 * 2 = 56 lines, one page.
    text = "\nINT. A - DAY\n\n" + "\n\n".join(f"Beat {i}." for i in range(27)) + "\n"
    (scene,) = break_down(parse(text)).scenes
    assert scene.lines == 56
    assert scene.eighths == 8 and scene.seconds == 61.1


def test_long_lines_wrap_at_the_layout_width():
    short = break_down(parse("\nINT. A - DAY\n\nWord.\n")).scenes[0].lines
    long = break_down(parse("\nINT. A - DAY\n\n" + "word " * 60 + "\n")).scenes[0].lines
    assert long - short == 4, "300 characters of action take five lines at 60 characters"


def test_writer_forces_what_would_be_misread():
    from studio.fountain import Element, FountainDocument

    doc = FountainDocument(elements=[
        Element(type=T.SCENE_HEADING, text="DREAM SEQUENCE", forced=True),
        Element(type=T.ACTION, text="INT. looks like a heading"),
        Element(type=T.ACTION, text="LOUD NOISES\nfill the room."),
        Element(type=T.CHARACTER, text="McCLANE", extensions=["V.O."]),
        Element(type=T.DIALOGUE, text="Hi."),
        Element(type=T.TRANSITION, text="FADE OUT.", forced=True),
    ])
    text = write(doc)
    assert ".DREAM SEQUENCE" in text and "!INT. looks" in text and "!LOUD NOISES" in text
    assert "@McCLANE (V.O.)" in text and "> FADE OUT." in text
    assert content(parse(text)) == content(doc)


def content(doc) -> list[dict]:
    """What a document says, leaving out how it was written (forced or natural)."""
    return [e.model_dump(exclude={"forced"}) for e in doc.elements]


def test_dual_dialogue_stands_side_by_side():
    one_after_other = "\nINT. A - DAY\n\nANNA\nYes.\n\nBOB\nNo.\n"
    side_by_side = "\nINT. A - DAY\n\nANNA\nYes.\n\nBOB ^\nNo.\n"
    longer_partner = "\nINT. A - DAY\n\nANNA\nYes.\n\nBOB ^\nNo.\nNo.\nNo.\n"
    lines = [break_down(parse(t)).scenes[0].lines for t in (one_after_other, side_by_side, longer_partner)]
    assert lines == [8, 5, 7]


def test_scene_numbers_never_collide():
    doc = parse("\nINT. A - DAY #3#\n\nx\n\nINT. B - DAY\n\nx\n\nINT. C - DAY\n\nx\n")
    assert [s.scene_number for s in break_down(doc).scenes] == ["3", "2", "3A"]


@pytest.mark.parametrize("text", [".INTERCUT - BOB/ALICE", ".ESTATE GROUNDS", ".EXTRA LONG SHOT"])
def test_forced_headings_that_start_like_a_prefix(text):
    (scene,) = break_down(parse(f"\n{text}\n\nx\n")).scenes
    assert scene.int_ext is None and scene.location == text[1:]


def test_time_of_day_with_a_year_and_late_night():
    assert parse_heading("INT. HOUSE - DAY (1985)")[2] == "DAY"
    assert parse_heading("EXT. ROAD - LATE NIGHT")[1:] == ("ROAD", "LATE NIGHT")


def test_notes_inside_an_action_paragraph_and_lone_bang_round_trip():
    for text in ("\nHe walks in.\n[[a note]]\nHe sits.\n", "\n!\n", "\nA line.\n!\nAnother.\n"):
        doc = parse(text)
        assert content(parse(write(doc))) == content(doc), text
    doc = parse("\nHe walks in.\n[[a note]]\nHe sits.\n")
    assert [(e.type.value, e.text, e.notes) for e in doc.elements] == [
        ("action", "He walks in.\nHe sits.", ["a note"])]
    assert parse("\n!\n").elements == []


def test_an_unclosed_note_does_not_swallow_the_script():
    doc = parse("\nINT. A - DAY\n\nShe waits [[unfinished thought\n\nBOB\nHi.\n\nINT. B - DAY\n\nx ]]\n")
    assert len(doc.of_type(T.SCENE_HEADING)) == 2 and doc.of_type(T.CHARACTER)[0].text == "BOB"


def test_dialogue_edge_cases():
    doc = parse("\nINT. A - DAY\nBOB\n(to Ann,\nquietly)\nHi.\n~la la\n\n*ANN*\nHey.\n\nCUT TO:\nEXT. B - DAY\n")
    assert [(e.type.value, e.text) for e in doc.elements] == [
        ("scene_heading", "INT. A - DAY"), ("character", "BOB"), ("parenthetical", "(to Ann, quietly)"),
        ("dialogue", "Hi."), ("lyrics", "la la"), ("character", "ANN"), ("dialogue", "Hey."),
        ("transition", "CUT TO:"), ("scene_heading", "EXT. B - DAY"),
    ]
    assert content(parse(write(doc))) == content(doc)


def test_title_page_with_an_unlisted_first_key():
    doc = parse("Logline: A waitress remembers.\nTitle: Night Shift\n\nINT. A - DAY\n")
    assert doc.title == "Night Shift" and doc.title_value("logline") == "A waitress remembers."
    doc = parse("Mood: grim\nTitle: X\n\nINT. A - DAY\n")
    assert doc.title == "X"
    assert parse("Here: is a sentence with a colon.\n\nINT. A - DAY\n").title_page == []
