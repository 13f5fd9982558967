"""studio.script_ops on small hand-written scripts whose result a reader can see: the scene or line touched
changes, every other byte stays as written, and the Fountain parser reads the result as the scenes meant."""

from __future__ import annotations

import pytest

from studio import script_ops as ops
from studio.breakdown import break_down
from studio.errors import StageError
from studio.fountain import parse
from studio.models import Beat, BeatSheet
from tests.conftest import SAMPLES

SCRIPT = """Title: Three Rooms
Author: A. Writer

FADE IN:

INT. KITCHEN - NIGHT

Ann stirs a pot. [[a note
over two lines]]

ANN
(quietly)
It's late.

BOB
Not yet.

CUT TO:

EXT. GARDEN - DAY

/* INT. BONEYARD - DAY

An old scene, kept aside. */
Rain on the roses.

BOB
Come in.

INT. HALL - NIGHT

Ann waits by the door.

> FADE OUT.
"""


def headings(text: str) -> list[str]:
    return [s.heading for s in break_down(parse(text)).scenes]


def test_the_script_is_cut_at_its_headings_not_inside_boneyard_or_notes():
    lay = ops.layout(SCRIPT)
    assert [s.splitlines()[0] for s in lay.scenes] == ["INT. KITCHEN - NIGHT", "EXT. GARDEN - DAY", "INT. HALL - NIGHT"]
    assert lay.before.endswith("FADE IN:\n\n") and lay.ending == "> FADE OUT.\n"
    assert lay.text() == SCRIPT


def test_cut_removes_the_scene_and_keeps_every_other_byte():
    new = ops.cut_scene(SCRIPT, 2)
    assert headings(new) == ["INT. KITCHEN - NIGHT", "INT. HALL - NIGHT"]
    start, end = SCRIPT.index("EXT. GARDEN"), SCRIPT.index("INT. HALL")
    assert new == SCRIPT[:start] + SCRIPT[end:]


def test_cutting_the_last_scene_keeps_the_ending_last():
    new = ops.cut_scene(SCRIPT, 3)
    assert headings(new) == ["INT. KITCHEN - NIGHT", "EXT. GARDEN - DAY"]
    assert new.endswith("Come in.\n\n> FADE OUT.\n")


def test_move_puts_the_scene_after_another_and_the_ending_stays_last():
    new = ops.move_scene(SCRIPT, 1, after=3)
    assert headings(new) == ["EXT. GARDEN - DAY", "INT. HALL - NIGHT", "INT. KITCHEN - NIGHT"]
    assert new.startswith(SCRIPT[:SCRIPT.index("INT. KITCHEN")])  # the title page and FADE IN: untouched
    assert new.endswith("CUT TO:\n\n> FADE OUT.\n")
    kitchen = SCRIPT[SCRIPT.index("INT. KITCHEN"):SCRIPT.index("EXT. GARDEN")]
    assert kitchen in new, "the scene moved as written, its note and parenthetical with it"
    assert ops.move_scene(new, 3, before=1) == SCRIPT


def test_the_last_scene_moved_up_gets_the_blank_line_a_heading_needs():
    text = "INT. A - DAY\n\nOne.\n\nINT. B - DAY\n\nTwo."  # no line break at the very end
    new = ops.move_scene(text, 2, before=1)
    assert headings(new) == ["INT. B - DAY", "INT. A - DAY"]
    assert new == "INT. B - DAY\n\nTwo.\n\nINT. A - DAY\n\nOne.\n\n"  # each scene as written, B closed


def test_crlf_stays_crlf():
    text = SCRIPT.replace("\n", "\r\n")
    new = ops.move_scene(text, 2, before=1)
    assert "\n" not in new.replace("\r\n", "")
    assert headings(new) == ["EXT. GARDEN - DAY", "INT. KITCHEN - NIGHT", "INT. HALL - NIGHT"]


@pytest.mark.parametrize("call, words", [
    (lambda: ops.cut_scene(SCRIPT, 4), "there is no scene 4: the script has 3 scenes"),
    (lambda: ops.cut_scene(SCRIPT, 0), "there is no scene 0"),
    (lambda: ops.move_scene(SCRIPT, 2, before=2), "cannot move before itself"),
    (lambda: ops.move_scene(SCRIPT, 1, before=2), "already before scene 2"),
    (lambda: ops.cut_scene("INT. A - DAY\n\nOne.\n", 1), "only scene"),
])
def test_out_of_range_and_no_op_are_clear_errors(call, words):
    with pytest.raises(StageError) as err:
        call()
    assert words in err.value.problem and err.value.fix


def test_replace_scene_swaps_one_scene_only():
    new = ops.replace_scene(SCRIPT, 2, "EXT. ORCHARD - DUSK\n\nApples fall.\n\nBOB\nLook.\n")
    assert headings(new) == ["INT. KITCHEN - NIGHT", "EXT. ORCHARD - DUSK", "INT. HALL - NIGHT"]
    assert new.startswith(SCRIPT[:SCRIPT.index("EXT. GARDEN")]) and new.endswith(SCRIPT[SCRIPT.index("INT. HALL"):])
    with pytest.raises(StageError) as err:
        ops.replace_scene(SCRIPT, 2, "Apples fall.\n\nEXT. ORCHARD - DUSK\n\nMore.")
    assert "starts with its heading" in err.value.problem


def test_set_line_changes_the_words_and_keeps_cue_and_parenthetical():
    assert [(s.character, s.text) for s in ops.speeches(SCRIPT, 1)] == [("ANN", "It's late."), ("BOB", "Not yet.")]
    new = ops.set_line(SCRIPT, 1, 1, "  Too   late now. ")
    assert new == SCRIPT.replace("(quietly)\nIt's late.", "(quietly)\nToo late now.")
    assert ops.speeches(new, 1)[0].text == "Too late now."


def test_set_line_on_the_last_speech_with_no_final_line_break():
    text = "INT. A - DAY\n\nBOB\nHi."
    assert ops.set_line(text, 1, 1, "Hello there.") == "INT. A - DAY\n\nBOB\nHello there.\n"


@pytest.mark.parametrize("speech, text, words", [
    (3, "Fine.", "scene 1 has no speech 3: it has 2"),
    (1, "", "the new line is empty"),
    (1, "(beat)", "would not be spoken words"),
    (1, "a [[note]]", "would not be spoken words"),
])
def test_set_line_refuses_what_is_not_a_line(speech, text, words):
    with pytest.raises(StageError) as err:
        ops.set_line(SCRIPT, 1, speech, text)
    assert words in err.value.problem


def test_speech_of_names_the_one_speech_or_the_choices():
    assert ops.speech_of(SCRIPT, 1, "bob") == 2
    with pytest.raises(StageError) as err:
        ops.speech_of(SCRIPT, 3, "ANN")
    assert "does not speak in scene 3" in err.value.problem


def test_the_bundled_sample_cut_and_moved_keeps_its_other_scenes_exactly():
    text = (SAMPLES / "night_shift.fountain").read_text(encoding="utf-8")
    before = break_down(parse(text)).scenes
    after = break_down(parse(ops.move_scene(ops.cut_scene(text, 3), 1, after=2))).scenes
    kept = [before[1], before[0], *before[3:]]
    assert [(s.heading, s.characters, s.dialogue_count) for s in after] == \
        [(s.heading, s.characters, s.dialogue_count) for s in kept]


# ---------------------------------------------------------------- beats

SHEET = BeatSheet(beats=[
    Beat(name="Setup", description="Nell works the night shift. The diner is empty.", act=1, sources=["p1"]),
    Beat(name="Inciting Incident", description="Walt walks in out of the rain.", act=1),
    Beat(name="Climax", description="Walt tells her who he is.", act=3, sources=["p9"]),
])


def test_split_beat_at_the_middle_sentence_or_at_the_words_given():
    two = ops.split_beat(SHEET, 1)
    assert [(b.name, b.description, b.sources) for b in two.beats[:2]] == [
        ("Setup", "Nell works the night shift.", ["p1"]), ("Setup (continued)", "The diner is empty.", ["p1"])]
    at = ops.split_beat(SHEET, 2, "out of")
    assert [b.description for b in at.beats[1:3]] == ["Walt walks in", "out of the rain."]
    with pytest.raises(StageError) as err:
        ops.split_beat(SHEET, 2)
    assert "one sentence" in err.value.problem and "/beat split 2 at" in err.value.fix
    with pytest.raises(StageError) as err:
        ops.split_beat(SHEET, 2, "a storm")
    assert "is not in beat 2" in err.value.problem


def test_merge_beats_next_to_each_other_only():
    merged = ops.merge_beats(SHEET, 2, 1)
    assert len(merged.beats) == 2 and merged.beats[0].name == "Setup + Inciting Incident"
    assert merged.beats[0].description == "Nell works the night shift. The diner is empty. Walt walks in out of the rain."
    assert ops.merge_beats(ops.split_beat(SHEET, 1), 1, 2).beats[0] == SHEET.beats[0]
    with pytest.raises(StageError) as err:
        ops.merge_beats(SHEET, 1, 3)
    assert "not next to each other" in err.value.problem and "/beat move 3 to 2" in err.value.fix


def test_move_beat_to_a_place_and_before_after():
    moved = ops.move_beat(SHEET, 3, ops.position_after_move(3, before=1))
    assert [b.name for b in moved.beats] == ["Climax", "Setup", "Inciting Incident"]
    moved = ops.move_beat(SHEET, 1, ops.position_after_move(1, after=2))
    assert [b.name for b in moved.beats] == ["Inciting Incident", "Setup", "Climax"]
    with pytest.raises(StageError) as err:
        ops.move_beat(SHEET, 4, 1)
    assert "there is no beat 4: the beat sheet has 3 beats" in err.value.problem


def test_set_speaker_rewrites_only_the_cue_line():
    """The speech's cue names the new speaker, its (V.O.) and dual mark kept, CONT'D dropped; every other byte stays."""
    script = ("INT. KITCHEN - NIGHT\r\n\r\nANNA (V.O.)\r\nWhere were you?\r\n\r\nPAUL (CONT'D) ^\r\nOut.\r\n\r\n"
              "ANNA\r\n(softly)\r\nCome in.\r\n")
    got = ops.set_speaker(script, 1, 1, "Mrs. Dale")
    assert got == script.replace("ANNA (V.O.)", "MRS. DALE (V.O.)", 1)
    assert ops.set_speaker(script, 1, 2, "anna") == script.replace("PAUL (CONT'D) ^", "ANNA ^", 1)
    assert ops.set_speaker(script, 1, 3, "José") == script.replace("ANNA\r\n(softly)", "JOSÉ\r\n(softly)", 1)
    with pytest.raises(StageError, match="has no speech 4"):
        ops.set_speaker(script, 1, 4, "PAUL")
