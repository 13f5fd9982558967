"""Timing from the voice (studio.sound_timing): dialogue shots grow to hold their speech and go back toward the
crew's length when the speech gets shorter (never below it), the person's timing is said to be overruled, and a
duration-only change is no change of the picture."""

from __future__ import annotations

from studio.models import Shot, ShotList
from studio.render import shot_digest
from studio.sound import BREATH_S
from studio.sound_timing import MAX_SHOT_S, needed_seconds, picture_digest, refit


def shots() -> ShotList:
    return ShotList(shots=[
        Shot(scene=1, number=1, duration_s=4.0, action="The diner at night."),
        Shot(scene=1, number=2, duration_s=2.0, dialogue="MARTA: Coffee?", characters=["MARTA"]),
        Shot(scene=1, number=3, duration_s=5.0, dialogue="JOE: Black.", characters=["JOE"]),
        Shot(scene=1, number=4, duration_s=1.5, dialogue="JOE: Make it two.", characters=["JOE"],
             person=["duration_s"]),
    ])


def test_a_dialogue_shot_grows_to_its_speech_and_a_breath():
    new, changes = refit(shots(), {"S01_SH002": 3.04})
    # 3.04 s of speech + 0.4 s breath = 3.44 s, up to the next tenth: 3.5 s (a person's arithmetic).
    assert BREATH_S == 0.4
    assert new.shots[1].duration_s == 3.5
    assert changes == ["S01_SH002 2 → 3.5 s"]
    assert [s.duration_s for s in new.shots if s.number != 2] == [4.0, 5.0, 1.5], "the others are untouched"
    assert shots().shots[1].duration_s == 2.0, "the shot list given is not changed in place"


def test_a_shot_long_enough_is_never_shortened():
    new, changes = refit(shots(), {"S01_SH003": 1.0, "S01_SH001": 0.5})
    assert new == shots() and changes == []


def test_a_fitted_shot_goes_back_toward_the_crews_length_when_its_lines_get_shorter():
    longer, _ = refit(shots(), {"S01_SH002": 3.04})
    assert (longer.shots[1].duration_s, longer.shots[1].fitted_from) == (3.5, 2.0)
    faster, changes = refit(longer, {"S01_SH002": 2.0})  # a faster voice: 2.0 + 0.4 s = 2.4 s
    assert faster.shots[1].duration_s == 2.4 and changes == ["S01_SH002 3.5 → 2.4 s"]
    back, _ = refit(faster, {"S01_SH002": 0.5})  # never below the 2.0 s the crew gave it
    assert (back.shots[1].duration_s, back.shots[1].fitted_from) == (2.0, None)
    timed, _ = refit(shots(), {"S01_SH004": 2.2})
    again, changes = refit(timed, {"S01_SH004": 0.3})
    assert again.shots[3].duration_s == 2.6 and changes == [], "a shot the person timed is never shortened"


def test_a_take_drawn_before_takes_recorded_their_picture_stays_fresh_when_its_shot_is_fitted():
    from studio.engine.describe import _ShotCheck
    from studio.models import Take, TakeKind
    from studio.stages import Stage

    before = shots()
    old = before.shots[1]
    take = Take(scene=1, shot=2, kind=TakeKind.IMAGE, number=1, path="03_Renders/x.png", active=True,
                parameters={"made_from": {"shot": shot_digest(old), "prompt": ""}})  # no "picture": made long ago

    class Store:
        def __init__(self, shot_list: ShotList) -> None:
            self.shot_list = shot_list

        def read(self, stage):
            return self.shot_list if stage is Stage.SHOTS else None

        def takes(self, scene, number):
            return [take] if (scene, number) == (1, 2) else []

    fitted, _ = refit(before, {"S01_SH002": 3.04})
    assert _ShotCheck(Store(fitted), fitted)._take("S01_SH002", TakeKind.IMAGE) == (None, False)
    reworded = fitted.model_copy(deep=True)
    reworded.shots[1].action = "Marta pours."
    assert _ShotCheck(Store(reworded), reworded)._take("S01_SH002", TakeKind.IMAGE) == (Stage.SHOTS, False)


def test_the_persons_timing_is_lengthened_only_as_needed_and_said():
    new, changes = refit(shots(), {"S01_SH004": 2.2})
    assert new.shots[3].duration_s == 2.6
    assert len(changes) == 1 and "you timed it at 1.5 s" in changes[0] and "2.2 s" in changes[0]
    assert new.shots[3].person == ["duration_s"]


def test_a_monologue_longer_than_a_shot_fills_it_and_says_to_split_it():
    new, changes = refit(shots(), {"S01_SH002": 900.0})
    assert new.shots[1].duration_s == MAX_SHOT_S
    assert "split the speech" in changes[0]


def test_needed_seconds_rounds_up_to_the_tenth():
    assert needed_seconds(1.0) == 1.4
    assert needed_seconds(1.01) == 1.5
    assert needed_seconds(0.0) == 0.4


def test_the_picture_digest_ignores_the_duration_and_nothing_else():
    a = shots().shots[1]
    longer = a.model_copy(update={"duration_s": 9.0})
    reworded = a.model_copy(update={"action": "MARTA pours."})
    assert picture_digest(a) == picture_digest(longer)
    assert shot_digest(a) != shot_digest(longer), "the whole shot's digest still sees the duration"
    assert picture_digest(a) != picture_digest(reworded)
    assert picture_digest(a) == picture_digest(a.model_copy(update={"person": ["action"]})), "who set it: no change"


def test_a_cue_lasts_from_its_start_to_the_end_of_its_span_on_the_shot_lists_clock():
    from studio.sound import CueKind, SoundCue
    from tools.sound.plan import SceneClock, cue_seconds

    film = ShotList(shots=[*shots().shots, Shot(scene=2, number=1, duration_s=6.0),
                           Shot(scene=2, number=2, duration_s=4.0)])
    clock = SceneClock(film)
    # Scene 1 lasts 4 + 2 + 5 + 1.5 = 12.5 s; scene 2 lasts 10 s (added up by hand from the shots above).
    assert (clock.scene_start[2], clock.scene_end[1], clock.total) == (12.5, 12.5, 22.5)
    room = SoundCue(id="S01_AMB", kind=CueKind.AMBIENCE, prompt="room tone", scene=1, last_scene=1)
    score = SoundCue(id="M01", kind=CueKind.MUSIC, prompt="score", scene=1, last_scene=2)
    door = SoundCue(id="S01_FX01", kind=CueKind.EFFECT, prompt="a door", scene=1, shot=3, offset_s=1.0)
    rain = SoundCue(id="S02_FX01", kind=CueKind.EFFECT, prompt="rain", scene=2, shot=2, last_scene=2)
    held = SoundCue(id="S02_FX02", kind=CueKind.EFFECT, prompt="thunder", scene=2, duration_s=3.0)
    assert cue_seconds(room, clock) == 12.5
    assert cue_seconds(score, clock) == 22.5, "one bed over both scenes"
    assert cue_seconds(door, clock) == 4.0, "shot 3 runs 6–11 s; the door comes 1 s in, to the shot's end"
    assert cue_seconds(rain, clock) == 4.0, "from shot 2.2 to the end of scene 2"
    assert cue_seconds(held, clock) == 3.0
