"""Craft rules (studio.craft): violating shots are corrected and reported; fresh coverage breaks none of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.breakdown import break_down
from studio.coverage import LENS_FOR_SIZE, fit_durations, plan, uncovered_dialogue
from studio.craft import LENS_RANGE, Correction, enforce, speech_seconds, violations
from studio.fountain import parse
from studio.models import Angle, Breakdown, Scene, Shot, ShotList, ShotSize
from studio.shot_revision import revise_shot
from studio.stages import Stage
from tests.fakes import FakeProject

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "tests/golden/fountain").glob("*.fountain")) + [REPO / "studio/samples/night_shift.fountain"]
TWENTY_WORDS = "NELL: " + " ".join(["word"] * 20)


def scene(**kw) -> Scene:
    base = dict(number=1, scene_number="1", heading="INT. DINER - NIGHT", int_ext="INT", location="DINER",
                characters=["NELL", "WALT"], props=["PHOTOGRAPH"], seconds=0.0)
    return Scene(**{**base, **kw})


# (the violating shot, the rule named, the change said, a check on the corrected shot)
CASES = [
    (Shot(scene=1, number=1, size=ShotSize.ECU, lens_mm=20, role="establishing"),
     "establishing shots are WS or wider", "ECU → WS, 20 mm → 24 mm",
     lambda s: s.size is ShotSize.WS and s.lens_mm == 24),
    (Shot(scene=1, number=2, size=ShotSize.MLS, lens_mm=35, role="master", characters=["NELL"]),
     "a scene's master holds every speaker", "adds WALT", lambda s: s.characters == ["NELL", "WALT"]),
    (Shot(scene=1, number=2, size=ShotSize.MCU, lens_mm=50, role="master", characters=["NELL", "WALT"]),
     "a scene's master is MLS or wider", "MCU → MLS, 50 mm → 35 mm",
     lambda s: s.size is ShotSize.MLS and s.lens_mm == 35),
    (Shot(scene=1, number=3, size=ShotSize.MCU, lens_mm=50, angle=Angle.OVER_THE_SHOULDER, characters=["NELL"],
          role="dialogue"),
     "an over-the-shoulder needs two characters", "over-the-shoulder → eye-level",
     lambda s: s.angle is Angle.EYE_LEVEL),
    (Shot(scene=1, number=4, size=ShotSize.WS, lens_mm=24, role="insert", notes="insert: PHOTOGRAPH",
          action="Insert: the photograph."),
     "an insert is a CU or ECU of its prop", "WS → CU, 24 mm → 85 mm",
     lambda s: s.size is ShotSize.CU and s.lens_mm == 85),
    (Shot(scene=1, number=5, size=ShotSize.MCU, lens_mm=50, duration_s=1.0, role="dialogue", characters=["NELL"],
          dialogue=TWENTY_WORDS),
     "a dialogue shot lasts as long as its lines take to say", "1 s → 8.5 s", lambda s: s.duration_s == 8.5),
    (Shot(scene=1, number=6, size=ShotSize.WS, lens_mm=135, role="action"),
     "the lens follows the size (a WS takes 16-40 mm)", "135 mm → 24 mm", lambda s: s.lens_mm == 24),
]


@pytest.mark.parametrize("shot,rule,change,fixed", CASES, ids=[c[1][:30] for c in CASES])
def test_each_rule_corrects_the_shot_and_says_what_it_changed(shot, rule, change, fixed):
    shots = [shot.model_copy(deep=True)]
    assert violations(ShotList(shots=shots), Breakdown(scenes=[scene()])) == [Correction(shot.code, rule, change)]
    assert shots[0] == shot  # violations() changes nothing
    corrections = enforce(shots, scene())
    assert corrections == [Correction(shot.code, rule, change)]
    assert fixed(shots[0])
    assert str(corrections[0]) == f"{shot.code}: {rule} ({change})"
    assert enforce(shots, scene()) == []  # corrected once and for all


def test_a_shot_breaking_several_rules_gets_every_correction():
    shot = Shot(scene=1, number=1, size=ShotSize.ECU, lens_mm=20, role="master", angle=Angle.OVER_THE_SHOULDER)
    corrections = enforce([shot], scene())
    assert [c.rule for c in corrections] == ["a scene's master is MLS or wider", "a scene's master holds every speaker"]
    assert (shot.size, shot.lens_mm, shot.characters, shot.angle) == (ShotSize.MLS, 35, ["NELL", "WALT"],
                                                                     Angle.OVER_THE_SHOULDER)


def test_an_insert_that_lost_its_prop_names_it_again():
    shot = Shot(scene=1, number=1, size=ShotSize.CU, lens_mm=85, notes="insert: PHOTOGRAPH; tighter",
                action="A hand on the counter.")
    corrections = enforce([shot], scene())
    assert [c.change for c in corrections] == ["the action names the photograph"]
    assert shot.action == "Insert: the photograph. A hand on the counter."


def test_a_lengthened_dialogue_shot_takes_its_time_from_the_others():
    shots = [Shot(scene=1, number=1, size=ShotSize.MS, lens_mm=40, duration_s=10.0, role="action"),
             Shot(scene=1, number=2, size=ShotSize.MCU, lens_mm=50, duration_s=1.0, dialogue=TWENTY_WORDS,
                  characters=["NELL"])]
    enforce(shots, scene(seconds=11.0))
    assert shots[1].duration_s == 8.5
    assert shots[0].duration_s == pytest.approx(2.5)  # the scene keeps its length


def test_the_lens_ranges_hold_the_standard_lens_of_each_size():
    for size, (low, high) in LENS_RANGE.items():
        assert low <= LENS_FOR_SIZE[size] <= high


def test_speech_seconds_counts_the_lines_not_the_speaker():
    assert speech_seconds(TWENTY_WORDS) == speech_seconds(" ".join(["word"] * 20)) == 8.5
    assert speech_seconds("McALLISTER: Get off my lawn.") == speech_seconds("Get off my lawn.") == 2.1
    assert speech_seconds("Listen: we go now.") == 2.1  # a word of the line, not a speaker: it is said
    assert speech_seconds("") == 0.0


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_fresh_coverage_breaks_no_rule(path):
    doc = parse(path.read_text())
    bd = break_down(doc)
    shots = plan(doc, bd)
    assert violations(shots, bd) == []
    assert all(s.role for s in shots.shots)
    for s in shots.shots:
        assert s.duration_s >= speech_seconds(s.dialogue)


def test_a_voice_over_in_a_two_hander_is_not_an_over_the_shoulder_of_nobody():
    doc = parse("\nINT. CAR - NIGHT\n\nNELL (40s) drives. WALT (60s) sleeps.\n\nNELL\nYou awake?\n\n"
                "WALT (V.O.)\nI was dreaming of the sea, and of the house we had there once.\n\nNELL\nSure.\n")
    bd = break_down(doc)
    shots = plan(doc, bd)
    heard = next(s for s in shots.shots if "is heard" in s.notes)
    assert heard.characters == ["NELL"] and heard.angle is Angle.EYE_LEVEL
    assert violations(shots, bd) == [] and uncovered_dialogue(doc, bd, shots) == []


def test_fit_durations_keeps_every_dialogue_floor_and_lets_the_others_give_way():
    talk = [Shot(scene=1, number=k, duration_s=3.0, dialogue=TWENTY_WORDS) for k in (1, 2)]
    rest = [Shot(scene=1, number=k, duration_s=6.0) for k in (3, 4)]
    shots = fit_durations([*talk, *rest], 25.0)
    assert [s.duration_s for s in shots[:2]] == [8.5, 8.5]
    assert [s.duration_s for s in shots[2:]] == [4.0, 4.0]
    assert sum(s.duration_s for s in shots) == pytest.approx(25.0)


def test_when_the_lines_alone_overrun_the_scene_it_runs_long_and_nothing_is_cut():
    shots = fit_durations([Shot(scene=1, number=1, duration_s=3.0, dialogue=TWENTY_WORDS),
                           Shot(scene=1, number=2, duration_s=3.0)], 5.0)
    assert [s.duration_s for s in shots] == [8.5, 1.0]


def test_a_shot_list_saved_before_roles_reads_them_from_its_notes():
    notes = {"establishing shot": "establishing", "master; tighter": "master", "insert: PHOTOGRAPH": "insert",
             "cutaway": "cutaway", "action beat": "action", "single": "dialogue", "over WALT's shoulder": "dialogue",
             "WALT is heard (V.O.)": "dialogue", "": ""}
    old = {"shots": [{"scene": 1, "number": k, "notes": n} for k, n in enumerate(notes, start=1)]}
    shots = ShotList.model_validate_json(json.dumps(old))
    assert [s.role for s in shots.shots] == list(notes.values())
    assert ShotList.model_validate_json(shots.model_dump_json()) == shots


def _store(text: str) -> FakeProject:
    doc = parse(text)
    store = FakeProject("Diner", "diner")
    bd = break_down(doc)
    store.artifacts[Stage.BREAKDOWN] = bd
    store.artifacts[Stage.SHOTS] = plan(doc, bd)
    return store


DINER = ("\nINT. DINER - NIGHT\n\nNELL (40s) pours coffee. WALT (60s) slides a PHOTOGRAPH over.\n\n"
         "NELL\nWhere did you get this? I have not seen it in twenty years, not since the fair.\n\n"
         "WALT\nI took it.\n")


def test_a_persons_request_wins_over_the_rules_it_names():
    store = _store(DINER)
    _, shot, changes = revise_shot(store, 1, 1, "an extreme close-up")  # the establishing shot
    assert (shot.size, shot.lens_mm) == (ShotSize.ECU, LENS_FOR_SIZE[ShotSize.ECU])
    assert changes == {"size": ShotSize.ECU, "lens_mm": LENS_FOR_SIZE[ShotSize.ECU]}
    saved = store.read(Stage.SHOTS)
    assert saved.shots[0].size is ShotSize.ECU


def test_a_models_request_is_held_to_every_rule():
    store = _store(DINER)
    _, shot, changes = revise_shot(store, 1, 1, "an extreme close-up on a 20mm", strict=True)
    assert (shot.size, shot.lens_mm) == (ShotSize.WS, 24)
    assert changes == {"size": ShotSize.WS, "lens_mm": 24}
    assert "establishing shots are WS or wider" in store.history(limit=1)[0].message
    assert violations(store.read(Stage.SHOTS), store.breakdown()) == []


def test_a_revised_scene_still_gives_its_lines_their_time():
    store = _store(DINER)
    speech = next(s for s in store.read(Stage.SHOTS).shots if s.dialogue.startswith("NELL"))
    revise_shot(store, 1, speech.number, "a close-up")
    shots = store.read(Stage.SHOTS).shots
    assert all(s.duration_s >= speech_seconds(s.dialogue) for s in shots)
    assert violations(store.read(Stage.SHOTS), store.breakdown()) == []


def test_a_persons_earlier_choice_survives_their_next_request_and_the_next_shot():
    store = _store(DINER)
    revise_shot(store, 1, 1, "an extreme close-up")  # the establishing shot, as the person wants it
    _, shot, _ = revise_shot(store, 1, 1, "on a 135mm")  # then only the lens
    assert (shot.size, shot.lens_mm) == (ShotSize.ECU, 135), "the size they chose before is still theirs"
    revise_shot(store, 1, 2, "from a low angle")  # another shot of the scene
    first = store.read(Stage.SHOTS).shots[0]
    assert (first.size, first.lens_mm) == (ShotSize.ECU, 135), "revising shot 2 does not undo shot 1"
