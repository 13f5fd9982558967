"""A person's edits survive the crew (issue 14, point 3): what a person changed is marked as theirs (`mark`), a
redraft of the shots or the look puts it back and says so (`keep`), unless the notes ask to start over.

The models are the film model's; the pipeline runs on the in-memory store and a scripted crew (tests/fakes.py)
over the bundled screenplay, with the real coverage and craft rules."""

from __future__ import annotations

import pytest

from studio.coverage import floor_seconds
from studio.models import (
    Angle, Character, CharacterState, Look, Movement, SceneState, Shot, ShotList, ShotSize, StyleCapsule,
)
from studio.person import drops_person, keep, keeping, mark
from studio.pipeline import Pipeline
from studio.project import Author
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeProject, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()
LINES = "NELL: " + " ".join(["word"] * 20)  # 20 words: 8 s to say, and a breath


def shots(*specs: tuple[int, int, float], **fields) -> ShotList:
    return ShotList(shots=[Shot(scene=sc, number=n, duration_s=d, **fields) for sc, n, d in specs])


def look(wardrobe: str, *, scene_wardrobe: str | None = None, person: list[str] | None = None) -> Look:
    nell = Character(name="NELL", wardrobe=wardrobe, person=person or [])
    states = [SceneState(scene=k, characters={"NELL": CharacterState(wardrobe=scene_wardrobe or wardrobe)})
              for k in (1, 2)]
    return Look(characters=[nell, Character(name="WALT", wardrobe="a flannel shirt")], states=states,
                style=StyleCapsule(palette="cold neon"))


# ---------------------------------------------------------------- mark


def test_a_person_s_edit_of_the_shots_marks_the_fields_they_changed():
    before = shots((1, 1, 3.0), (1, 2, 3.0), (2, 1, 4.0))
    after = before.model_copy(deep=True)
    after.shots[1].angle = Angle.LOW
    after.shots[1].time_of_day = "DUSK"
    after.shots[2].action = "Nell pours the coffee."
    marked = mark(before, after)
    assert [s.person for s in marked.shots] == [[], ["angle", "time_of_day"], ["action"]]
    assert after.shots[1].person == [], "the model handed in is not changed"
    # a second edit adds to the marks; marks the person kept in the file stay
    again = marked.model_copy(deep=True)
    again.shots[1].lens_mm = 85
    assert mark(marked, again).shots[1].person == ["angle", "time_of_day", "lens_mm"]
    # a shot the person added is theirs where it differs from a plain shot
    added = after.model_copy(deep=True)
    added.shots.append(Shot(scene=2, number=2, size=ShotSize.CU, duration_s=2.0))
    assert mark(before, added).shots[3].person == ["size", "duration_s"]


def test_nothing_is_marked_without_a_before_nor_in_other_stages():
    after = shots((1, 1, 3.0))
    assert mark(None, after).shots[0].person == []
    from studio.models import Brief
    brief = Brief(title="Night Shift")
    assert mark(Brief(title="x"), brief) is brief


def test_a_person_s_edit_of_the_look_marks_characters_and_scene_wardrobe():
    before = look("a faded pink uniform")
    after = before.model_copy(deep=True)
    after.characters[0].wardrobe = "a red coat"
    after.characters[1].hair = "grey, cropped"
    after.states[1].characters["NELL"].wardrobe = "a red coat, soaked"
    marked = mark(before, after)
    assert marked.character("NELL").person == ["wardrobe", "scene wardrobe"]
    assert marked.character("WALT").person == ["hair"]


# ---------------------------------------------------------------- keep: shots


def test_a_redraft_keeps_a_person_s_angle_and_says_so():
    before = shots((1, 1, 3.0), (1, 2, 3.0))
    before.shots[1].angle, before.shots[1].person = Angle.LOW, ["angle"]
    drafted = shots((1, 1, 3.0), (1, 2, 3.0))
    drafted.shots[1].movement = Movement.PUSH_IN  # the crew's own change to the shot stays
    model, kept = keep(before, drafted)
    assert (model.shots[1].angle, model.shots[1].movement) == (Angle.LOW, Movement.PUSH_IN)
    assert model.shots[1].person == ["angle"] and kept == ["S01_SH002 angle low"]
    assert drafted.shots[1].angle is Angle.EYE_LEVEL, "the redraft handed in is not changed"


def test_shots_saved_before_person_existed_keep_what_their_notes_say_was_redone():
    before = shots((1, 1, 3.0), (1, 2, 3.0))
    before.shots[1] = before.shots[1].model_copy(update={
        "size": ShotSize.CU, "angle": Angle.LOW, "lens_mm": 85,
        "notes": "action beat; redone as a low angle close-up"})
    model, kept = keep(before, shots((1, 1, 3.0), (1, 2, 3.0)))
    shot = model.shots[1]
    assert (shot.size, shot.angle, shot.lens_mm) == (ShotSize.CU, Angle.LOW, 85), "the lens follows their size"
    assert sorted(kept) == ["S01_SH002 angle low", "S01_SH002 size CU"]
    assert sorted(shot.person) == ["angle", "size"], "from now on the marks say it"


def test_a_shot_gone_from_the_redraft_is_said_to_be_lost():
    before = shots((1, 1, 3.0), (1, 9, 3.0))
    before.shots[1].size, before.shots[1].person = ShotSize.ECU, ["size"]
    found = keeping(before, shots((1, 1, 3.0)))
    assert found.kept == []
    assert found.lost == ["S01_SH009 is gone from the redraft; your change to it could not be kept"]


def test_a_person_s_duration_is_held_and_the_other_shots_share_the_rest():
    before = shots((1, 1, 2.0), (1, 2, 3.0), (1, 3, 5.0))
    before.shots[1].duration_s, before.shots[1].person = 6.0, ["duration_s"]
    model, kept = keep(before, shots((1, 1, 2.0), (1, 2, 3.0), (1, 3, 5.0)))
    durations = [s.duration_s for s in model.shots]
    assert durations[1] == 6.0 and kept == ["S01_SH002 duration 6 s"]
    assert sum(durations) == pytest.approx(10.0, abs=0.2), "the scene keeps its time"
    assert durations[0] < durations[2], "the others give way in proportion"


def test_a_person_s_duration_is_never_shorter_than_the_lines():
    before = shots((1, 1, 2.0), (1, 2, 9.0))
    before.shots[1] = before.shots[1].model_copy(update={"dialogue": LINES, "duration_s": 2.0,
                                                         "person": ["duration_s"]})
    drafted = shots((1, 1, 2.0), (1, 2, 9.0))
    drafted.shots[1].dialogue = LINES
    found = keeping(before, drafted)
    assert found.model.shots[1].duration_s == pytest.approx(floor_seconds(found.model.shots[1]))
    assert found.lost == ["S01_SH002: your 2 s is shorter than its lines take to say; it is 8.5 s"]


def test_a_shot_whose_scene_moved_is_lost_never_pasted_on_the_shot_that_took_its_number():
    # The person changed S02_SH003 of the diner; the writer then put a highway scene before it: the diner is now
    # scene 3, and scene 2 is the highway. Scene 1 did not move: its shot is kept.
    before = shots((1, 1, 3.0), (2, 3, 3.0))
    before.shots[0].angle, before.shots[0].person = Angle.LOW, ["angle"]
    before.shots[1].action, before.shots[1].person = "NELL'S HANDS TREMBLE ON THE MUG", ["action"]
    drafted = shots((1, 1, 3.0), (2, 3, 3.0), (3, 3, 3.0), action="as the crew drew it")
    headings = ({1: "INT. DINER - NIGHT", 2: "EXT. SUNRISE DINER - NIGHT"},
                {1: "INT. DINER - NIGHT", 2: "EXT. HIGHWAY - NIGHT", 3: "ext. sunrise  diner - night"})
    found = keeping(before, drafted, headings=headings)
    assert [s.action for s in found.model.shots] == ["as the crew drew it"] * 3, "pasted on no shot"
    assert found.model.shots[1].person == [] and found.kept == ["S01_SH001 angle low"]
    assert found.lost == ["S02_SH003: your change (action NELL'S HANDS TREMBLE ON THE MUG) was made in scene 2 "
                          "(EXT. SUNRISE DINER - NIGHT), which is now scene 3; it was not put on another shot: make "
                          "it again on the shot you mean (probably S03_SH003)"]
    # Without the headings (a store that cannot say), shots are matched by number, as before.
    assert keep(before, drafted)[1] == ["S01_SH001 angle low", "S02_SH003 action NELL'S HANDS TREMBLE ON THE MUG"]


class HistoryProject(FakeProject):
    """A store that can read a stage as it was at a revision (memory.ProjectStore.read_at)."""

    def read_at(self, stage: Stage, rev: str):
        found = next(c for log in self.logs.values() for c in log if c.commit.startswith(rev))
        art = found.snapshot[1].get(stage)
        return art.model_copy(deep=True) if art is not None else None


def test_the_pipeline_does_not_move_a_person_s_shot_to_a_scene_inserted_before_it():
    store = HistoryProject("Night Shift", "night-shift")
    store.import_script("night_shift.fountain", SAMPLE)
    pipeline = Pipeline(store, FakeCrew({"shots": {"changes": []}}))
    pipeline.draft(Stage.SHOTS)
    shot_list = store.read(Stage.SHOTS)
    mine = next(s for s in shot_list.shots if s.code == "S02_SH003")
    mine.action, mine.person = "NELL'S HANDS TREMBLE ON THE MUG", ["action"]
    store.amend({Stage.SHOTS: shot_list}, author=store.user(), summary="S02_SH003 by hand")
    old_heading = store.breakdown().scenes[1].heading
    script = store.read_script().fountain.replace(old_heading, f"EXT. HIGHWAY - NIGHT\n\nA truck roars past in "
                                                               f"the rain.\n\n{old_heading}", 1)
    store.import_script("night_shift.fountain", script.encode("utf-8"))
    assert store.breakdown().scenes[2].heading == old_heading, "the diner is scene 3 now"
    store.record_decision("redo the shot list", stage=Stage.SHOTS)  # after the script: it changes no shot

    done = pipeline.draft(Stage.SHOTS)
    actions = [s.action for s in store.read(Stage.SHOTS).shots]
    assert "NELL'S HANDS TREMBLE ON THE MUG" not in actions, "never pasted on another shot"
    assert done.kept == [] and len(done.lost) == 1 and "which is now scene 3" in done.lost[0]


# ---------------------------------------------------------------- keep: look


def test_a_redraft_of_the_look_keeps_a_person_s_wardrobe_in_every_scene():
    before = look("a red coat", person=["wardrobe"])
    drafted = look("a faded pink uniform")
    drafted.characters[1].wardrobe = "a denim jacket"  # not the person's: the crew's redraft stands
    model, kept = keep(before, drafted)
    assert model.character("NELL").wardrobe == "a red coat" and model.character("NELL").person == ["wardrobe"]
    assert [s.characters["NELL"].wardrobe for s in model.states] == ["a red coat", "a red coat"]
    assert model.character("WALT").wardrobe == "a denim jacket"
    assert kept == ["NELL wardrobe a red coat"]


def test_a_person_s_scene_wardrobe_is_kept_and_a_lost_character_is_said():
    before = look("a faded pink uniform", person=["scene wardrobe"])
    before.states[1].characters["NELL"].wardrobe = "a red coat"
    before.characters.append(Character(name="ROY", age="50s", person=["age"]))
    found = keeping(before, look("a faded pink uniform"))
    assert [s.characters["NELL"].wardrobe for s in found.model.states] == ["a faded pink uniform", "a red coat"]
    assert found.kept == ["NELL wardrobe in scene 2"]
    assert found.lost == ["ROY is gone from the redraft; your change to it could not be kept"]


# ---------------------------------------------------------------- the notes


@pytest.mark.parametrize("notes", ["start from scratch", "Start over please", "reset the shots",
                                   "drop my changes", "ignore my changes and go wider", "discard my edits",
                                   "redo it, forget all my changes"])
def test_notes_that_drop_the_person_s_changes(notes):
    assert drops_person(notes)


@pytest.mark.parametrize("notes", ["more coverage", "keep my changes", "don't start over, just tighten scene 2",
                                   "do not reset my changes", "a wider master", ""])
def test_notes_that_keep_them(notes):
    assert not drops_person(notes)


# ---------------------------------------------------------------- the pipeline and the Producer


def imported() -> FakeProject:
    store = FakeProject("Night Shift", "night-shift")
    store.import_script("night_shift.fountain", SAMPLE)
    return store


# The Cinematographer's refinement of every scene puts shot 2 high: it would undo the person's low angle. Asked
# again with notes, it also tilts shot 3.
def HIGH(inputs: dict) -> dict:
    more = [{"shot": 3, "angle": "dutch"}] if inputs["notes"] != "none" else []
    return {"changes": [{"shot": 2, "angle": "high"}, *more]}


def person_sets_shot_1_2_low(store: FakeProject) -> None:
    shot_list = store.read(Stage.SHOTS)
    shot = next(s for s in shot_list.shots if s.code == "S01_SH002")
    shot.angle, shot.person = Angle.LOW, ["angle"]
    store.amend({Stage.SHOTS: shot_list}, author=Author("Dana Director", "dana@example.test"),
                summary="S01_SH002 from lower")


def angle_of(store: FakeProject, code: str) -> Angle:
    return next(s.angle for s in store.read(Stage.SHOTS).shots if s.code == code)


def test_the_pipeline_s_redraft_of_the_shots_keeps_the_person_s_angle():
    store = imported()
    pipeline = Pipeline(store, FakeCrew({"shots": HIGH}))
    first = pipeline.draft(Stage.SHOTS)
    assert first.kept == [] and angle_of(store, "S01_SH002") is Angle.HIGH
    person_sets_shot_1_2_low(store)
    done = pipeline.draft(Stage.SHOTS, notes="more coverage")
    assert angle_of(store, "S01_SH002") is Angle.LOW, "the person's angle survives the crew"
    assert angle_of(store, "S02_SH002") is Angle.HIGH, "the crew's redraft stands elsewhere"
    assert done.kept == ["S01_SH002 angle low"] and done.lost == []
    assert "kept 1 of your changes" in store.history(limit=1)[0].message
    assert next(s for s in store.read(Stage.SHOTS).shots if s.code == "S01_SH002").person == ["angle"]


def test_from_scratch_drops_the_person_s_changes():
    store = imported()
    pipeline = Pipeline(store, FakeCrew({"shots": HIGH}))
    pipeline.draft(Stage.SHOTS)
    person_sets_shot_1_2_low(store)
    done = pipeline.draft(Stage.SHOTS, notes="start from scratch")
    assert angle_of(store, "S01_SH002") is Angle.HIGH and done.kept == []
    assert next(s for s in store.read(Stage.SHOTS).shots if s.code == "S01_SH002").person == []


def test_the_craft_rules_leave_a_person_s_choice_alone():
    store = imported()
    pipeline = Pipeline(store, FakeCrew({"shots": {"changes": []}}))
    pipeline.draft(Stage.SHOTS)
    shot_list = store.read(Stage.SHOTS)
    first = shot_list.shots[0]  # the establishing shot: the rules would make a close-up a WS again
    first.size, first.lens_mm, first.person = ShotSize.CU, 85, ["size", "lens_mm"]
    store.amend({Stage.SHOTS: shot_list}, author=store.user(), summary="S01_SH001 as a close-up")
    done = pipeline.draft(Stage.SHOTS, notes="more coverage")
    again = store.read(Stage.SHOTS).shots[0]
    assert (again.size, again.lens_mm) == (ShotSize.CU, 85)
    assert done.kept == ["S01_SH001 size CU", "S01_SH001 lens 85 mm"]
    assert not [c for c in done.corrections if c.startswith("S01_SH001")]


def test_the_producer_says_which_changes_it_kept():
    from studio.engine.events import Turn
    from studio.engine.session import Session

    workspace = FakeWorkspace()
    session = Session(workspace, FakeCrew({"shots": HIGH, "intent": {"intent": "other"}}), user="Dana Director")
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    store = session.store
    Pipeline(store, FakeCrew({"shots": HIGH})).draft(Stage.SHOTS)
    person_sets_shot_1_2_low(store)
    events = list(session.handle(Turn(text="/revise shots: more coverage")))
    said = [e for e in events if e.kind == "message" and e.text.startswith("Kept your changes")]
    assert [e.text for e in said] == ["Kept your changes: S01_SH002 angle low."]
    assert said[0].data["kept"] == ["S01_SH002 angle low"]
    assert angle_of(store, "S01_SH002") is Angle.LOW


LOOK_ANSWERS = {
    "character": {"description": "tired but kind", "visual": "tired eyes, warm smile", "age": "40s",
                  "wardrobe": "a faded pink uniform"},
    "location": {"description": "a small diner at night", "visual": "neon sign, wet street"},
    "prop": {"description": "an old photograph", "visual": "faded colours"},
    "style": {"medium": "35mm film", "palette": "cold neon and warm amber", "lighting": "low key practical lights",
              "camera": "static wide lens"},
    "continuity": {"changes": []},
}


def test_the_pipeline_s_redraft_of_the_look_keeps_the_person_s_wardrobe():
    store = imported()
    pipeline = Pipeline(store, FakeCrew(LOOK_ANSWERS))
    pipeline.draft(Stage.LOOK)
    mine = store.read(Stage.LOOK)
    nell = mine.character("NELL")
    nell.wardrobe, nell.person = "a red coat", ["wardrobe"]
    for state in mine.states:
        if "NELL" in state.characters:
            state.characters["NELL"].wardrobe = "a red coat"
    store.amend({Stage.LOOK: mine}, author=store.user(), summary="NELL wears a red coat")
    done = pipeline.draft(Stage.LOOK, notes="grittier")
    again = store.read(Stage.LOOK)
    assert again.character("NELL").wardrobe == "a red coat" and done.kept == ["NELL wardrobe a red coat"]
    worn = {s.characters["NELL"].wardrobe for s in again.states if "NELL" in s.characters}
    assert worn == {"a red coat"}, "in every scene"
    assert again.character("WALT").person == []
