"""Review notes, the pure parts: time codes as editors and people write them, the shot under a time in a cut, and
the sorting of a note into the stage that fixes it and the agent who owns that stage.

Expected values are worked out by hand: a time code's seconds by arithmetic (00:00:07:12 at 24 fps is 7 s and
12/24 s), the shot under a time by laying the cut's durations end to end on paper, and each note's category as a
film crew reads the note (a smeared face is the renderer's, "too slow" the edit's, a red coat the costume's)."""

from __future__ import annotations

import pytest

from studio.errors import AuteurError
from studio.media import Cut, CutEntry
from studio.review import (
    OWNER, Category, ReviewNote, ReviewNotes, classify, looks_like_time, parse_time, shot_at, spans, split_code,
    time_text,
)


@pytest.mark.parametrize(("word", "fps", "seconds"), [
    ("0:07.5", 24, 7.5), ("7.5s", 24, 7.5), ("7.5", 24, 7.5), ("12 sec", 24, 12.0), ("00:00:07:12", 24, 7.5),
    ("00:01:02:06", 25, 62.24), ("1:02:03.25", 24, 3723.25), ("0:00", 24, 0.0), ("2:30", 24, 150.0),
    ("01:00:00;15", 30, 3600.5),
])
def test_time_codes_read_as_an_editor_writes_them(word, fps, seconds):
    assert parse_time(word, fps) == pytest.approx(seconds)


@pytest.mark.parametrize(("word", "fps", "why"), [
    ("00:00:07:30", 24, "frames under 24"), ("0:75", 24, "minutes:seconds"), ("soon", 24, "0:07.5"),
    ("00:61:00:00", 24, "frames under 24"),
])
def test_a_time_code_that_is_not_one_says_how_to_write_it(word, fps, why):
    with pytest.raises(AuteurError) as caught:
        parse_time(word, fps)
    assert why in caught.value.fix


def test_times_and_shot_codes_are_told_apart():
    assert all(looks_like_time(w) for w in ("0:07.5", "7.5s", "00:00:07:12", "12"))
    assert not any(looks_like_time(w) for w in ("S02_SH003", "S02_SH003:", "her", "slow"))
    assert time_text(29.0) == "0:29.0" and time_text(75.25) == "1:15.2"


def cut() -> Cut:
    # S01_SH001 0–2, S01_SH002 2–5, S02_SH001 5–6.5 (by hand)
    return Cut(version=2, fps=24, entries=[CutEntry(scene=1, shot=1, duration_s=2.0, take="a.png"),
                                           CutEntry(scene=1, shot=2, duration_s=3.0, take="b.png"),
                                           CutEntry(scene=2, shot=1, duration_s=1.5, take="c.png")])


@pytest.mark.parametrize(("seconds", "code"), [
    (0.0, "S01_SH001"), (1.99, "S01_SH001"), (2.0, "S01_SH002"), (4.99, "S01_SH002"), (5.0, "S02_SH001"),
    (6.5, "S02_SH001"),
])
def test_a_time_falls_on_the_shot_the_durations_put_there(seconds, code):
    assert shot_at(cut(), seconds) == code


def test_a_time_past_the_end_of_the_cut_is_refused_with_its_length():
    with pytest.raises(AuteurError) as caught:
        shot_at(cut(), 6.6)
    assert "0:06.5" in caught.value.problem and "between 0:00.0 and 0:06.5" in caught.value.fix


def test_the_cut_laid_out_gives_each_shot_its_start_end_and_take():
    assert spans(cut()) == [("S01_SH001", 0.0, 2.0, "a.png"), ("S01_SH002", 2.0, 5.0, "b.png"),
                            ("S02_SH001", 5.0, 6.5, "c.png")]


# As a crew reads these notes (one person's reading, written down before the rules were run on them).
READINGS = [
    ("her coat should be red", Category.LOOK),
    ("too slow here", Category.TIMING),
    ("the face is smeared", Category.RENDER),
    ("closer on her", Category.SHOT_DESIGN),
    ("she wouldn't say that", Category.SCRIPT),
    ("the pie isn't in the shot", Category.PROMPT),
    ("this drags, cut it sooner", Category.TIMING),
    ("hands look deformed, extra fingers", Category.RENDER),
    ("try a low angle on a 24mm", Category.SHOT_DESIGN),
    ("Walt should look older, grey beard", Category.LOOK),
    ("there should be rain on the window", Category.PROMPT),
    ("the line is too on the nose", Category.SCRIPT),
    ("hold it two seconds longer", Category.TIMING),
    ("the red coat is blurry", Category.RENDER),  # a colour, but the trouble is the picture: the renderer's
    ("wider, we need to see the diner", Category.SHOT_DESIGN),
    ("hmm", Category.PROMPT),  # nothing to go on: the picture is not what they want
]


@pytest.mark.parametrize(("text", "category"), READINGS)
def test_a_note_goes_to_the_stage_a_crew_would_send_it_to(text, category):
    assert classify(text) is category


def test_each_stage_has_the_agent_who_owns_it():
    assert OWNER[Category.SCRIPT] == "Screenwriter" and OWNER[Category.LOOK] == "Art Director"
    assert {OWNER[c] for c in (Category.SHOT_DESIGN, Category.PROMPT, Category.RENDER, Category.TIMING)} == \
        {"Cinematographer"}


def test_a_shot_code_at_the_start_of_a_note_attaches_it():
    assert split_code("S02_SH003: her coat should be red") == ("S02_SH003", "her coat should be red")
    assert split_code("s2_sh3 - too dark") == ("S2_SH3", "too dark")
    assert split_code("too slow here") == (None, "too slow here")


def test_notes_are_numbered_across_cuts_and_found_by_id():
    notes = ReviewNotes(notes=[ReviewNote(id="n1", cut=1, code="S01_SH001", text="x", category=Category.TIMING,
                                          agent="Cinematographer"),
                               ReviewNote(id="n2", cut=2, code="S01_SH001", text="y", category=Category.LOOK,
                                          agent="Art Director")])
    assert notes.next_id() == "n3" and [n.id for n in notes.of_cut(2)] == ["n2"] and notes.get("N1").text == "x"
    with pytest.raises(AuteurError) as caught:
        notes.get("n9")
    assert "/notes" in caught.value.fix
