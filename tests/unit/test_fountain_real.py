"""What real Fountain files do that our samples did not: notes over several lines (even over an empty line)
anywhere, notes inside character cues, boneyards inside boneyards, Windows line ends and lines of spaces.

Each input is small and written so that the expected reading is plain to a reader of the Fountain spec
(https://fountain.io/syntax); the real files themselves are in tests/corpus/screenplays (fountain_*).
"""

from __future__ import annotations

from pathlib import Path

from studio.breakdown import break_down
from studio.fountain.elements import ElementType as T
from studio.fountain.parser import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "screenplays"


def scenes(text: str) -> list[tuple[str, list[str], int]]:
    """(heading, speakers, speeches) per scene, as the breakdown gives them."""
    return [(s.heading, s.characters, s.dialogue_count) for s in break_down(parse(text)).scenes]


def test_a_note_over_several_lines_after_a_heading_leaves_the_heading_clean() -> None:
    text = ("EXT. MAST FARM - NIGHT[[Near Plattsmouth Nebraska.\nRivers nearby: Platte joins Missouri River]]\n\n"
            "Wheat fields.\n\nHENRY\nWas it like this with me?\n")
    doc = parse(text)
    heading = doc.of_type(T.SCENE_HEADING)[0]
    assert heading.text == "EXT. MAST FARM - NIGHT"
    assert heading.notes == ["Near Plattsmouth Nebraska. Rivers nearby: Platte joins Missouri River"]
    assert scenes(text) == [("EXT. MAST FARM - NIGHT", ["HENRY"], 1)]


def test_a_note_with_an_empty_line_inside_is_still_one_note() -> None:
    """The spec asks for two spaces on such a line; apps and writers leave it empty, and the note must not leak."""
    for gap in ("\n\n", "\n  \n", "\r\n\r\n"):
        text = (f"EXT. MAST FARM - NIGHT [[Near Plattsmouth Nebraska.{gap}Rivers nearby.]]\n\n"
                "Wheat fields.\n\nINT. MAST HOUSE - CONTINUOUS\n\nWALTER\nEasy.\n")
        assert scenes(text) == [("EXT. MAST FARM - NIGHT", [], 0), ("INT. MAST HOUSE - CONTINUOUS", ["WALTER"], 1)]
        assert parse(text).of_type(T.SCENE_HEADING)[0].notes == ["Near Plattsmouth Nebraska. Rivers nearby."]


def test_notes_over_lines_inside_action_and_dialogue() -> None:
    doc = parse("INT. A - DAY\n\nShe waits. [[is this\ntoo slow?]] Then runs.\n\nBOB\nHi. [[first\n\nline]] There.\n")
    action = doc.of_type(T.ACTION)[0]
    assert (action.text, action.notes) == ("She waits. Then runs.", ["is this too slow?"])
    assert doc.of_type(T.DIALOGUE)[0].text == "Hi. There."


def test_an_unclosed_note_swallows_neither_scenes_nor_the_notes_after_it() -> None:
    text = ("INT. A - DAY\n\nShe waits [[unfinished\n\nBOB\nHi.\n\nINT. B - DAY\n\nA door. [[a real note]]\n\n"
            "EXT. C - NIGHT\n\nx ]]\n")
    assert [h for h, _, _ in scenes(text)] == ["INT. A - DAY", "INT. B - DAY", "EXT. C - NIGHT"]
    doc = parse(text)
    assert [a.notes for a in doc.of_type(T.ACTION) if a.notes] == [["a real note"]]
    # A '[[' that a later '[[' interrupts is text, the later one a note.
    doc = parse("INT. A - DAY\n\nOdd [[ bracket\n\nShe sits. [[mine\n\nall mine]]\n")
    assert [(a.text, a.notes) for a in doc.of_type(T.ACTION)] == [
        ("Odd [[ bracket", []), ("She sits.", ["mine all mine"])]


def test_notes_inside_character_cues() -> None:
    text = ("INT. A - DAY\n\nBOB [[he is tired]]\nHi.\n\nALICE (V.O.) [[record\nthis later]]\nYo.\n\n"
            "CAROL[[x]] ^\nSame time.\n")
    doc = parse(text)
    cues = doc.of_type(T.CHARACTER)
    assert [(c.text, c.extensions, c.dual, c.notes) for c in cues] == [
        ("BOB", [], False, ["he is tired"]), ("ALICE", ["V.O."], False, ["record this later"]),
        ("CAROL", [], True, ["x"])]
    assert scenes(text) == [("INT. A - DAY", ["BOB", "ALICE", "CAROL"], 3)]


def test_a_boneyard_inside_a_boneyard() -> None:
    text = ("INT. A - DAY\n\n/* cut: /* older cut */\n\nEXT. DROPPED - DAY\n\nGHOST\nBoo.\n*/\n\nBOB\nHi.\n\n"
            "EXT. B - DAY /* maybe NIGHT */\n\nALICE\nYo.\n")
    assert scenes(text) == [("INT. A - DAY", ["BOB"], 1), ("EXT. B - DAY", ["ALICE"], 1)]


def test_unmatched_boneyard_marks_are_text() -> None:
    # A '*/' with nothing open is text; an outer '/*' that never closes is text, but the pair inside it still goes.
    doc = parse("INT. A - DAY\n\nRate: 3 */ 4.\n\nA /* b /* c */ d.\n")
    assert [a.text for a in doc.of_type(T.ACTION)] == ["Rate: 3 */ 4.", "A /* b d."]


def test_windows_and_old_mac_line_ends_read_as_unix_ones() -> None:
    unix = "Title: X\n\nINT. A - DAY\n\nBOB\n(quietly)\nHi.\n\nEXT. B - NIGHT\n\nALICE\nYo.\n\nCUT TO:\n"
    assert scenes(unix.replace("\n", "\r\n")) == scenes(unix) == scenes(unix.replace("\n", "\r"))
    assert scenes(unix) == [("INT. A - DAY", ["BOB"], 1), ("EXT. B - NIGHT", ["ALICE"], 1)]
    assert "\r" not in "".join(e.text for e in parse(unix.replace("\n", "\r\n")).elements)


def test_a_line_of_spaces_is_a_blank_line() -> None:
    text = "INT. A - DAY\n   \nBOB\nHi.\n \t \nEXT. B - NIGHT\n\t\nALICE\nYo.\n    \nThe door shuts.\n"
    assert scenes(text) == [("INT. A - DAY", ["BOB"], 1), ("EXT. B - NIGHT", ["ALICE"], 1)]
    assert [a.text for a in parse(text).of_type(T.ACTION)] == ["The door shuts."]


def test_the_two_space_line_keeps_a_speech_going_and_other_blank_lines_end_it() -> None:
    doc = parse("INT. A - DAY\n\nCAROL\nOne.\n  \nTwo.\n\nShe leaves.\n")
    assert [(e.type, e.text) for e in doc.elements[1:]] == [
        (T.CHARACTER, "CAROL"), (T.DIALOGUE, "One.\n\nTwo."), (T.ACTION, "She leaves.")]
    doc = parse("INT. A - DAY\n\nCAROL\nOne.\n\t\nShe leaves.\n")
    assert [(e.type, e.text) for e in doc.elements[1:]] == [
        (T.CHARACTER, "CAROL"), (T.DIALOGUE, "One."), (T.ACTION, "She leaves.")]


def test_a_real_crlf_file_reads_as_its_lf_copy() -> None:
    """pulpit__fire.fountain is published with Windows line ends: the same script with Unix ones is the oracle."""
    data = (CORPUS / "fountain_pulpit_fire" / "script.fountain").read_bytes()
    assert b"\r\n" in data
    crlf = data.decode("utf-8")
    assert scenes(crlf) == scenes(crlf.replace("\r\n", "\n"))
    assert scenes(crlf) == [("INT. SUPERNACLE--DAY", ["NOB"], 9)]
