"""Sound cues read from screenplay snippets with the real parser, breakdown and coverage.

What each test expects was written from a person's reading of the snippet beside it (which sounds the action
names, where the scene is and when), not from running studio.cues.
"""

from __future__ import annotations

import math

import pytest

from studio.breakdown import break_down
from studio.coverage import plan
from studio.cues import cue_text, derive_cues, merge_cues, sound_of
from studio.fountain.parser import parse
from studio.models import Beat, BeatSheet, Brief
from studio.sound import CueKind, SoundCue

DINER = """INT. SMALL DINER - NIGHT

Rain lashes the windows. Thunder rumbles somewhere over the hills.

MARTA
We're closed.

The door slams behind Joe. Somewhere in the back, a phone rings.

EXT. HARBOUR - DAY

Waves crash against the pier. A dog starts barking.

JOE
Boat's late.
"""


def cues_of(fountain: str, beats: BeatSheet | None = None, brief: Brief | None = None) -> list[SoundCue]:
    doc = parse(fountain)
    breakdown = break_down(doc)
    return derive_cues(fountain, breakdown, plan(doc, breakdown), beats, brief)


def effects(cues: list[SoundCue], scene: int) -> list[SoundCue]:
    return [c for c in cues if c.kind is CueKind.EFFECT and c.scene == scene]


def test_room_tone_per_scene_from_its_heading():
    cues = cues_of(DINER)
    amb = {c.id: c for c in cues if c.kind is CueKind.AMBIENCE}
    # A person reads: scene 1 is inside a small diner at night; scene 2 outside at a harbour by day.
    assert set(amb) == {"S01_AMB", "S02_AMB"}
    inside, outside = amb["S01_AMB"], amb["S02_AMB"]
    assert "room tone" in inside.prompt and "small diner" in inside.prompt and "at night" in inside.prompt
    assert "outdoor" in outside.prompt and "harbour" in outside.prompt and "by day" in outside.prompt
    assert "birds" in outside.prompt and "crickets" not in outside.prompt  # day outside
    assert inside.source == "INT. SMALL DINER - NIGHT"
    assert (inside.scene, inside.last_scene, inside.shot) == (1, 1, None)


def test_effects_are_the_sounds_the_action_names_in_order():
    cues = cues_of(DINER)
    # Scene 1's action names rain, thunder, a door slamming and a phone ringing; scene 2's waves and a dog.
    one = [sound_of(c.prompt) for c in effects(cues, 1)]
    two = [sound_of(c.prompt) for c in effects(cues, 2)]
    assert one == ["rain", "thunder", "slam", "phone"]
    assert two == ["waves", "dog"]
    slam = effects(cues, 1)[2]
    assert slam.id == "S01_FX03" and slam.source == "The door slams behind Joe."
    assert [c.source for c in effects(cues, 2)] == ["Waves crash against the pier.", "A dog starts barking."]


def test_an_effect_is_anchored_at_the_shot_that_films_its_sentence():
    fountain = DINER
    doc = parse(fountain)
    breakdown = break_down(doc)
    shots = plan(doc, breakdown)
    cues = derive_cues(fountain, breakdown, shots, None, None)
    slam = next(c for c in effects(cues, 1) if sound_of(c.prompt) == "slam")
    shot = next(s for s in shots.shots if s.scene == 1 and s.number == slam.shot)
    assert "door slams" in shot.action.lower()
    rain = effects(cues, 1)[0]
    first = next(s for s in shots.shots if s.scene == 1 and s.number == rain.shot)
    assert "rain lashes" in first.action.lower()


@pytest.mark.parametrize("sentence", [
    "He doesn't start the engine.", "The radio is off.", "She looks at the door.", "He twists his wedding ring.",
    "No rain tonight.", "The engine ticks as it cools.", "Nobody moves.",
])
def test_no_effect_from_a_sentence_that_names_no_sound(sentence):
    cues = cues_of(f"INT. ROOM - DAY\n\n{sentence}\n")
    names = [sound_of(c.prompt) for c in effects(cues, 1)]
    # A person hears no knock-on sound here, except the engine that ticks as it cools (the engine, not a clock).
    assert names == (["engine"] if "ticks" in sentence else [])


@pytest.mark.parametrize(("sentence", "sound"), [
    ("Someone knocked twice.", "knock"), ("Outside, a dog is barking.", "dog"), ("The window shattered.", "glass"),
    ("Footsteps on the stairs.", "footsteps"), ("A siren wails.", "siren"), ("The fire crackles.", "fire"),
    ("Her phone buzzes on the table.", "phone"), ("A train rumbles past.", "train"), ("Wind howls.", "wind"),
    ("The church bells ring.", "bell"), ("He is typing.", "typing"), ("A gunshot.", "gunshot"),
    ("The old clock is ticking.", "clock"), ("The crowd cheers.", "crowd"), ("Birds chirp.", "birds"),
])
def test_words_in_their_forms(sentence, sound):
    cues = cues_of(f"EXT. STREET - DAY\n\n{sentence}\n")
    assert [sound_of(c.prompt) for c in effects(cues, 1)] == [sound]


def test_a_sound_bed_is_one_cue_per_scene():
    cues = cues_of("EXT. FIELD - NIGHT\n\nRain. More rain.\n\nThe rain gets heavier. Thunder. Thunder again.\n")
    names = [sound_of(c.prompt) for c in effects(cues, 1)]
    assert names == ["rain", "thunder", "thunder"]  # rain plays under the scene; each thunderclap is an event


def test_continuous_scenes_keep_the_time_of_day():
    cues = cues_of("INT. HOUSE - NIGHT\n\nQuiet.\n\nINT. HOUSE - KITCHEN - CONTINUOUS\n\nStill quiet.\n")
    kitchen = next(c for c in cues if c.id == "S02_AMB")
    assert "at night" in kitchen.prompt


SEVEN = "\n\n".join(f"INT. ROOM {n} - DAY\n\nShe waits in room {n}." for n in range(1, 8)) + "\n"


def test_music_covers_the_film_end_to_end():
    cues = [c for c in cues_of(SEVEN) if c.kind is CueKind.MUSIC]
    assert cues and len(cues) <= math.ceil(7 / 3)
    assert cues[0].scene == 1 and cues[-1].last_scene == 7
    for a, b in zip(cues, cues[1:], strict=False):
        assert b.scene == (a.last_scene or a.scene) + 1  # no scene without score, none scored twice
    assert [c.id for c in cues] == [f"M{k:02d}" for k in range(1, len(cues) + 1)]


def test_music_follows_the_acts_when_beats_cite_scenes():
    beats = BeatSheet(beats=[
        Beat(name="Setup", act=1, description="Scene 1: she waits, warm and hopeful."),
        Beat(name="Rising Action", act=2, description="Scenes 3-4: a tense standoff, danger at the door."),
        Beat(name="Climax", act=3, description="Scene 6: grief and loss."),
    ])
    cues = [c for c in cues_of(SEVEN, beats=beats) if c.kind is CueKind.MUSIC]
    # A person reads: act 1 is scenes 1-2, act 2 scenes 3-5, act 3 scenes 6-7; each act's words give its mood.
    assert [(c.scene, c.last_scene, c.mood) for c in cues] == [(1, 2, "warm"), (3, 5, "tense"), (6, 7, "sad")]
    assert "minor" in cues[1].prompt and "major" in cues[0].prompt


def test_music_mood_from_the_brief_when_the_scenes_say_nothing():
    cues = [c for c in cues_of(SEVEN, brief=Brief(tone="eerie, haunted", genre="horror")) if c.kind is CueKind.MUSIC]
    assert {c.mood for c in cues} == {"eerie"}
    assert all("brief" in c.source for c in cues)
    plain = [c for c in cues_of(SEVEN) if c.kind is CueKind.MUSIC]
    assert {c.mood for c in plain} == {"neutral"}


def test_a_mood_a_person_asked_of_a_shot_counts():
    doc = parse(SEVEN)
    breakdown = break_down(doc)
    shots = plan(doc, breakdown)
    for shot in shots.shots:
        if shot.scene in (6, 7):
            shot.mood = "eerie and sinister"
    music = [c for c in derive_cues(SEVEN, breakdown, shots, None, None) if c.kind is CueKind.MUSIC]
    assert music[-1].mood == "eerie" and music[-1].last_scene == 7
    assert music[0].mood == "neutral"


def test_person_edits_are_kept():
    derived = cues_of(DINER)
    edited = derived[1].model_copy(update={"prompt": "heavy rain on a tin roof", "person": ["prompt"]})
    added = SoundCue(id="S02_FX09", kind=CueKind.EFFECT, prompt="a foghorn", scene=2, person=["prompt"])
    old = [edited, added, *derived[2:]]
    fresh = cues_of(DINER)
    merged = merge_cues(old, fresh)
    by_id = {c.id: c for c in merged}
    assert by_id[edited.id].prompt == "heavy rain on a tin roof"
    assert by_id["S02_FX09"].prompt == "a foghorn"
    assert len(merged) == len(fresh) + 1
    unedited = derived[2].model_copy(update={"prompt": "something stale"})
    assert merge_cues([unedited], fresh)[2].prompt == fresh[2].prompt  # not edited by a person: derived again


def test_cue_text_for_chat():
    cues = cues_of(DINER)
    slam = next(c for c in cues if sound_of(c.prompt) == "slam")
    text = cue_text(slam)
    assert text.startswith("S01_FX03 effect — scene 1, shot ") and "door slamming" in text
    assert "The door slams behind Joe." in text
    music = next(c for c in cues if c.kind is CueKind.MUSIC)
    assert cue_text(music).startswith("M01 music — ") and f"[{music.mood}]" in cue_text(music)


def test_same_script_same_cues():
    assert cues_of(DINER) == cues_of(DINER)


def test_a_script_with_no_scenes_has_no_cues():
    assert cues_of("Just some words, no heading.\n") == []


SHELTER = """EXT. BUS SHELTER - NIGHT

Rain hammers the roof of the shelter. JONAH runs in out of the rain, shaking his umbrella. He slams his bag down.

JONAH
Is this the stop for the harbour?

INT. MARTA'S KITCHEN - NIGHT

Marta comes in. Keys clatter on the table. The kettle starts to whistle.

MARTA
(quietly)
I know.
"""


def test_a_quiet_drama_with_a_running_man_is_no_action_score():
    """User F7. A person reads SHELTER as a quiet, melancholy two-hander: a man running in from the rain and a
    bag put down hard are no chase. With the brief's tone ("quiet, melancholy"), the score is sad; without a
    brief, nothing in the words names a mood (neutral) — and never "action"."""
    told = [c for c in cues_of(SHELTER, brief=Brief(tone="quiet, melancholy", genre="drama"))
            if c.kind is CueKind.MUSIC]
    assert {c.mood for c in told} == {"sad"}
    plain = [c for c in cues_of(SHELTER) if c.kind is CueKind.MUSIC]
    assert {c.mood for c in plain} == {"neutral"}


def test_the_brief_outweighs_one_stray_word_but_not_a_scene_that_insists():
    """A person reads: one "fight" in a melancholy film is a word, not the score; three are the scene."""
    brief = Brief(tone="melancholy", genre="drama")
    once = "INT. ROOM - DAY\n\nThey fight over the last chair. She sits anyway.\n"
    again = "INT. ROOM - DAY\n\nA fight breaks out. The fight spills into the street. A chase, then another fight.\n"
    assert [c.mood for c in cues_of(once, brief=brief) if c.kind is CueKind.MUSIC] == ["sad"]
    assert [c.mood for c in cues_of(again, brief=brief) if c.kind is CueKind.MUSIC] == ["action"]


def test_an_outdoor_night_under_rain_has_no_crickets_and_keys_and_kettle_are_heard():
    """User F7: "Rain hammers the roof" outside at night: the room tone has rain's company, no crickets. Inside,
    "Keys clatter on the table." and "The kettle starts to whistle." are two sounds a person hears."""
    cues = cues_of(SHELTER)
    shelter = next(c for c in cues if c.id == "S01_AMB")
    assert "outdoor" in shelter.prompt and "crickets" not in shelter.prompt and "birds" not in shelter.prompt
    kitchen = effects(cues, 2)
    assert [sound_of(c.prompt) for c in kitchen] == ["keys", "kettle"], [c.prompt for c in kitchen]
    assert kitchen[0].source == "Keys clatter on the table." and "kettle" in kitchen[1].source.lower()
    dry = cues_of("EXT. FIELD - NIGHT\n\nJONAH waits.\n\nJONAH\nHello?\n")
    assert "crickets" in next(c for c in dry if c.id == "S01_AMB").prompt, "a dry night outside still has them"
