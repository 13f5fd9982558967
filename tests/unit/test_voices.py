"""Casting voices, changing them in words, and the lines each dialogue shot speaks.

The expectations are a person's reading of the scripts below (written beside each assertion): who is a woman or a
man by what the script says plainly, which speech is off screen, voice-over or the second half of a dual dialogue,
which parenthetical stands over which words. The shot lists come from the real parser, breakdown and coverage.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studio import coverage
from studio.breakdown import break_down
from studio.dialogue import delivery_of, dual_with, spoken_lines, unspeakable
from studio.fountain import parse
from studio.models import Breakdown, Character, Look, Scene, Shot, ShotList
from studio.sound import ESPEAK, Delivery, VoiceProfile
from studio.voices import adjust, cast, voice_for, voice_lines

SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "samples" / "night_shift.fountain"

KITCHEN = """Title: Voices Test

INT. KITCHEN - NIGHT

MARTA (30s) stirs a pot. She does not look up.

GUS (70s) shuffles in, rubbing his hands against the cold.

MARTA
(quietly)
You're late.
(beat)
Again.

TOMAS (O.S.)
The bus broke down!

NARRATOR (V.O.)
It had not broken down.

BRAD
Left!

CAROL ^
Right!

MARTA
...

EXT. STREET - DAY

TOMAS (O.C.)
Hello.

GUS
Hello yourself.
"""


def _shots(text: str) -> ShotList:
    doc = parse(text)
    return coverage.plan(doc, break_down(doc))


def _by_speaker(text: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for lines in spoken_lines(_shots(text), text).values():
        for line in lines:
            found.setdefault(line.speaker, []).append(line)
    return found


# ---------------------------------------------------------------- spoken_lines

def test_deliveries_parentheticals_and_dual_dialogue_as_the_script_writes_them():
    lines = _by_speaker(KITCHEN)
    marta = lines["MARTA"]
    # MARTA says "You're late. Again." with (quietly) before it and (beat) between: directions, never said.
    assert [m.text for m in marta] == ["You're late. Again."]
    assert marta[0].parenthetical == "(quietly) (beat)"
    assert marta[0].delivery is Delivery.ON
    # TOMAS (O.S.) in the kitchen and (O.C.) in the street: off screen both times.
    assert [(t.scene, t.delivery) for t in lines["TOMAS"]] == [(1, Delivery.OS), (2, Delivery.OS)]
    assert lines["NARRATOR"][0].delivery is Delivery.VO
    # CAROL ^ is the second speech of a dual dialogue with BRAD: said over his.
    assert lines["CAROL"][0].dual is True and lines["BRAD"][0].dual is False
    assert lines["GUS"][0].text == "Hello yourself." and lines["GUS"][0].scene == 2
    # CAROL's take starts where BRAD's shot starts; nobody else overlaps.
    assert dual_with(_shots(KITCHEN), KITCHEN) == {lines["CAROL"][0].shot: lines["BRAD"][0].shot}


FERRY = """Title: Dual Test

INT. FERRY - NIGHT

ANNA
...!?

Ben turns away.

BEN ^
Not tonight.

BEN (O.S.)
I heard that!

BEN ^
Me again.

BRAD
Left!

CAROL ^
Right!

DEE ^
Up!
"""


def test_dual_dialogue_pairs_with_the_speech_just_before_it_and_never_with_the_same_speaker():
    """Review 9, the reviewer's case read by a person: BEN's "Not tonight." has an action line ("Ben turns away.")
    between it and ANNA's "...!?", so it is no dual dialogue; BEN's "Me again." follows BEN's own speech, and a
    man does not talk over himself; CAROL's "Right!" is said over BRAD's "Left!", and DEE's "Up!" (after CAROL's)
    over the same moment, where BRAD's shot starts."""
    shots = _shots(FERRY)
    by_words = {ln.text: ln for lines in spoken_lines(shots, FERRY).values() for ln in lines}
    assert not by_words["Not tonight."].dual and not by_words["Me again."].dual
    assert by_words["Right!"].dual and by_words["Up!"].dual
    brad, carol, dee = (by_words[w].shot for w in ("Left!", "Right!", "Up!"))
    assert dual_with(shots, FERRY) == {carol: brad, dee: brad}


def test_a_line_with_no_letters_is_left_out_and_named():
    shots = _shots(KITCHEN)
    spoken = spoken_lines(shots, KITCHEN)
    ellipsis = next(s for s in shots.shots if s.dialogue == "MARTA: ...")
    assert ellipsis.code not in spoken
    assert unspeakable(shots) == [ellipsis.code]
    assert all(line.text for lines in spoken.values() for line in lines)


def test_a_long_speech_covered_by_several_shots_keeps_each_parenthetical_with_its_words():
    first = "I walked the whole road from the quarry to the river, and nobody stopped, not one car, not one truck. " * 3
    second = "So I sat on the bridge and I counted the boats until the light went. That is the whole story."
    text = f"INT. PORCH - DUSK\n\nIDA\n(tired)\n{first.strip()}\n(beat)\n{second}\n"
    shots = _shots(text)
    parts = [line for lines in spoken_lines(shots, text).values() for line in lines]
    assert len(parts) >= 2  # coverage splits a speech over ~300 characters
    assert " ".join(p.text for p in parts) == " ".join(f"{first} {second}".split())
    # (tired) opens the speech: the first shot. (beat) stands where "So I sat" begins: the shot that says it.
    assert parts[0].parenthetical == "(tired)"
    holder = [p for p in parts if "(beat)" in p.parenthetical]
    assert len(holder) == 1 and "So I sat" in holder[0].text
    assert all(p.parenthetical == "" for p in parts if p is not parts[0] and p is not holder[0])


def test_a_shot_a_person_wrote_by_hand_keeps_its_speakers_and_its_own_directions():
    shots = ShotList(shots=[
        Shot(scene=1, number=1, dialogue="ANN: (whispering) Is he gone?\nBEN (V.O.): Long gone.", characters=["ANN"]),
        Shot(scene=1, number=2, dialogue="No name here, just words.", characters=["CLEO"]),
        Shot(scene=1, number=3, dialogue="DAN: ?!", characters=["DAN"]),
        Shot(scene=1, number=4, dialogue="EVE: I *really* mean it.", characters=["EVE"]),
    ])
    spoken = spoken_lines(shots, "")
    ann, ben = spoken["S01_SH001"]
    assert (ann.speaker, ann.text, ann.parenthetical) == ("ANN", "Is he gone?", "(whispering)")
    assert (ben.speaker, ben.text, ben.delivery) == ("BEN", "Long gone.", Delivery.VO)
    assert spoken["S01_SH002"][0].speaker == "CLEO"
    assert "S01_SH003" not in spoken and unspeakable(shots) == ["S01_SH003"]
    assert spoken["S01_SH004"][0].text == "I really mean it."  # Fountain's emphasis marks are not said


@pytest.mark.parametrize("extensions,expected", [
    (["V.O."], Delivery.VO), (["VO"], Delivery.VO), (["O.S."], Delivery.OS), (["O.C."], Delivery.OS),
    (["OFF"], Delivery.OS), (["CONT'D"], Delivery.ON), (["CONT'D", "O.S."], Delivery.OS), ([], Delivery.ON)])
def test_cue_extensions(extensions, expected):
    assert delivery_of(extensions) is expected


# ---------------------------------------------------------------- cast

def _night_shift() -> tuple[Look, Breakdown, str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return Look(), break_down(parse(text)), text


def _female(p: VoiceProfile) -> bool:
    return p.voice.split("+")[1].startswith("f")


def test_every_speaking_character_gets_a_distinct_voice_and_the_same_script_casts_the_same():
    look, breakdown, text = _night_shift()
    cast_look, names = cast(look, breakdown, text)
    assert sorted(names) == sorted(breakdown.characters)
    profiles = {c.name: c.voice for c in cast_look.characters}
    assert all(p is not None and p.engine == ESPEAK and p.direction for p in profiles.values())
    for scene in breakdown.scenes:  # no two people of a scene share a variant and a pitch
        pairs = [(profiles[n].voice, profiles[n].pitch) for n in scene.characters]
        assert len(pairs) == len(set(pairs))
    assert cast(look, breakdown, text) == (cast_look, names)


def test_a_neural_voice_model_set_for_the_studio_speaks_for_every_new_character():
    look, breakdown, text = _night_shift()
    espeak, _ = cast(look, breakdown, text)
    neural, names = cast(look, breakdown, text, model="/models/mms-tts-eng")
    voices = {c.name: c.voice for c in neural.characters}
    assert {(v.engine, v.model) for v in voices.values() if v} == {("vits", "/models/mms-tts-eng")}
    assert len({v.voice for v in voices.values() if v}) == len(names)  # a speaker of the model each
    for before in espeak.characters:  # the rate and direction cast for each are kept
        after = voices[before.name]
        assert before.voice and after and (after.rate, after.direction) == (before.voice.rate, before.voice.direction)


def test_gender_and_age_come_from_what_the_script_says_plainly():
    look, breakdown, text = _night_shift()
    profiles = {c.name: c.voice for c in cast(look, breakdown, text)[0].characters}
    # "WALT (60s) does: ... He looks at the diner": a man in his sixties.
    walt = profiles["WALT"]
    assert not _female(walt) and "60s" in walt.direction and walt.rate < 165
    # "Roy comes out of the kitchen, wiping his hands": a man.
    assert not _female(profiles["ROY"])
    snippet = ("INT. ROOM - DAY\n\nZELDA (30s) shakes her head. She sits.\n\nZELDA\nNo.\n\nOLD MAN\nYes.\n\n"
               "MARGARET\nMaybe.\n\nQUILLON\nNever.\n")
    look2, _ = cast(Look(), break_down(parse(snippet)), snippet)
    zelda, old = look2.character("ZELDA").voice, look2.character("OLD MAN").voice
    # "ZELDA (30s) shakes her head. She sits.": a woman in her thirties.
    assert _female(zelda) and zelda.pitch > 50 and "woman, 30s" in zelda.direction
    assert not _female(old) and old.pitch < zelda.pitch and old.rate < zelda.rate
    # MARGARET: a given name a reader takes for a woman's; QUILLON: nothing to go on, and the direction says so.
    assert _female(look2.character("MARGARET").voice)
    assert "no gender cue" in look2.character("QUILLON").voice.direction


def test_a_possessive_in_a_sentence_naming_one_character_is_a_plain_cue():
    """User F5. Night Shift: "Dee shrinks back into her crossword." (the sentence names DEE alone): a woman.
    The user's script: "JONAH, 20s, runs in out of the rain, shaking his umbrella.": a man. A possessive that may
    be someone else's is no cue: "Nell hands him his pie" says nothing of NELL's sex, nor "Kit hands her the
    keys" of KIT's."""
    look, breakdown, text = _night_shift()
    profiles = {c.name: c.voice for c in cast(look, breakdown, text)[0].characters}
    assert _female(profiles["DEE"]) and "no gender cue" not in profiles["DEE"].direction
    assert _female(profiles["NELL"]) and not _female(profiles["WALT"]) and not _female(profiles["ROY"])
    snippet = ("EXT. BUS SHELTER - NIGHT\n\nJONAH, 20s, runs in out of the rain, shaking his umbrella.\n\n"
               "JONAH\nIs this the stop?\n\nINT. DINER - NIGHT\n\nQUILLON hands him his pie.\n\n"
               "QUILLON\nEat.\n\nZANE hands her the keys.\n\nZANE\nGo.\n")
    voices = {c.name: c.voice for c in cast(Look(), break_down(parse(snippet)), snippet)[0].characters}
    assert not _female(voices["JONAH"]) and "a man, 20s" in voices["JONAH"].direction
    assert "no gender cue" in voices["QUILLON"].direction and "no gender cue" in voices["ZANE"].direction


def test_no_plain_cue_is_said_not_guessed_and_a_description_in_the_look_counts():
    breakdown = Breakdown(characters=["SAM", "ALEX"], scenes=[Scene(number=1, scene_number="1", heading="INT. X",
                                                                     characters=["SAM", "ALEX"])])
    look = Look(characters=[Character(name="ALEX", description="A retired schoolteacher, a Scottish woman.")])
    cast_look, _ = cast(look, breakdown)
    sam, alex = cast_look.character("SAM").voice, cast_look.character("ALEX").voice
    assert "no gender cue" in sam.direction
    assert _female(alex) and alex.voice.startswith("en-gb-scotland+")


def test_a_voice_already_there_is_never_changed_and_its_pair_is_not_reused():
    look, breakdown, text = _night_shift()
    mine = VoiceProfile(voice="en-us+m1", pitch=40, rate=150, direction="gravel", person=["voice", "pitch"])
    look.characters.append(Character(name="WALT", voice=mine))
    cast_look, names = cast(look, breakdown, text)
    assert "WALT" not in names and cast_look.character("WALT").voice == mine
    others = [c.voice for c in cast_look.characters if c.name != "WALT"]
    assert ("en-us+m1", 40) not in {(p.voice, p.pitch) for p in others}


def test_voice_for_an_uncast_speaker_is_apart_from_the_taken_ones():
    taken = [VoiceProfile(voice="en-us+m1", pitch=38), VoiceProfile(voice="en-us+f3", pitch=58)]
    extra = voice_for("STRANGER", taken)
    assert (extra.voice, extra.pitch) not in {(p.voice, p.pitch) for p in taken}


def test_voice_lines_for_chat():
    look = Look(characters=[Character(name="MARTA", voice=VoiceProfile(voice="en-us+f3", pitch=62, rate=150,
                                                                      direction="bright, quick")),
                            Character(name="GUS")])
    assert voice_lines(look) == ["MARTA — espeak-ng en-us+f3, pitch 62, 150 wpm: bright, quick",
                                 "GUS — no voice yet (one is cast when sound is first rendered)"]


# ---------------------------------------------------------------- adjust

BASE = VoiceProfile(voice="en-us+m3", pitch=40, rate=160, direction="even")


@pytest.mark.parametrize("words,pitch,rate,fields", [
    ("lower, slower", 30, 140, ["pitch", "rate"]),
    ("much lower", 20, 160, ["pitch"]),
    ("deeper and a bit faster", 30, 170, ["pitch", "rate"]),
    ("higher", 50, 160, ["pitch"]),
    ("pitch 30", 30, 160, ["pitch"]),
    ("rate 140", 40, 140, ["rate"]),
    ("180 wpm", 40, 180, ["rate"]),
    ("older", 34, 145, ["pitch", "rate"]),
    ("younger", 46, 175, ["pitch", "rate"]),
])
def test_adjust_in_words(words, pitch, rate, fields):
    new, unclear = adjust(BASE, words)
    assert (new.pitch, new.rate, unclear) == (pitch, rate, [])
    assert new.person == fields and new.voice == BASE.voice


def test_younger_quickens_a_voice_only_up_to_a_natural_pace():
    """User F11: 'younger' raised 170 to 185 wpm and sounded rushed; it stops at 190, and never slows a voice a
    person set faster."""
    assert adjust(BASE.model_copy(update={"rate": 185}), "younger")[0].rate == 190
    assert adjust(BASE, "much younger")[0].rate == 190
    assert adjust(BASE.model_copy(update={"rate": 220}), "younger")[0].rate == 220
    assert adjust(BASE.model_copy(update={"rate": 220}), "older")[0].rate == 205


def test_adjust_voice_engine_and_direction():
    woman, unclear = adjust(BASE, "a woman's voice")
    assert woman.voice == "en-us+f3" and woman.pitch == 60 and unclear == []
    gb, _ = adjust(BASE, "voice en-gb+m3")
    assert gb.voice == "en-gb+m3" and gb.person == ["voice"]
    neural, _ = adjust(BASE, "engine vits model /models/mms-tts-eng")
    assert (neural.engine, neural.model) == ("vits", "/models/mms-tts-eng")
    back, _ = adjust(neural.model_copy(update={"voice": "3"}), "engine espeak-ng")
    assert (back.engine, back.model, back.voice) == (ESPEAK, "", "en-us")
    tired, _ = adjust(BASE, "slower, direction: tired, slow to answer")
    assert tired.direction == "tired, slow to answer" and tired.rate == 140


def test_adjust_says_back_what_it_did_not_understand_or_could_not_do():
    new, unclear = adjust(BASE, "lower, louder, with more swagger")
    assert new.pitch == 30 and unclear == ["louder", "with more swagger"]
    same, unclear = adjust(BASE, "pitch 300")
    assert same.pitch == 40 and unclear and "0 to 99" in unclear[0]
    floor, unclear = adjust(BASE.model_copy(update={"pitch": 0}), "lower")
    assert floor.pitch == 0 and "already 0" in unclear[0]
    engine, unclear = adjust(BASE, "engine kokoro")
    assert engine.engine == ESPEAK and "espeak-ng and vits" in unclear[0]
    nothing, unclear = adjust(BASE, "   ")
    assert nothing == BASE.model_copy(update={"person": []}) and "nothing to change" in unclear[0]
