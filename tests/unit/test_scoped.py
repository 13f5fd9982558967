"""Scoped changes on the fakes: a wardrobe, hair, a prop or a scene's time of day changes only the prompts of the
shots it touches, in one commit, and no stage changes status; what went out of date is told shot by shot."""

from __future__ import annotations

import pytest

from studio.continuity import carry_forward
from studio.coverage import plan
from studio.engine.describe import shot_staleness, staleness_text
from studio.errors import StageError
from studio.fountain import parse
from studio.models import Character, Location, Look, Prompts, Prop, StyleCapsule
from studio.project import Author
from studio.prompts import assemble
from studio.render import json_digest, shot_digest
from studio.scoped import change_look, change_scene, reassemble
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeProject, FakeRenderer

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()
ME = Author("Dana Director", "dana@example.test")


@pytest.fixture
def store() -> FakeProject:
    """The sample screenplay with a look, its shots and their prompts, all approved."""
    project = FakeProject("Night Shift", "night-shift")
    project.import_script("night_shift.fountain", SAMPLE)
    bd = project.breakdown()
    look = Look(characters=[Character(name=n, visual=f"{n.lower()} in their 40s, straight blonde hair",
                                      wardrobe="a faded pink uniform" if n == "NELL" else "work clothes")
                            for n in ("NELL", "WALT", "ROY", "DEE")],
                locations=[Location(name=loc, visual=f"{loc.lower()} at night") for loc in bd.locations],
                props=[Prop(name="PHOTOGRAPH", scenes=[3, 4, 5, 6, 8]), Prop(name="MUG", scenes=[2, 6])],
                style=StyleCapsule(medium="pencil storyboard sketch", palette="teal and amber"))
    look.states = carry_forward(bd, look, [])
    shots = plan(parse(project.read_script().fountain), bd)
    for stage in (Stage.BRIEF, Stage.SCRIPT, Stage.BREAKDOWN):
        project.approve(stage)
    for stage, art in ((Stage.LOOK, look), (Stage.SHOTS, shots), (Stage.PROMPTS, assemble(shots, bd, look))):
        project.save(stage, art, author=Author.agent("Crew"), summary="draft")
        project.approve(stage)
    return project


def entries(store: FakeProject) -> dict[str, str]:
    prompts = store.read(Stage.PROMPTS)
    return {f"S{p.scene:02d}_SH{p.number:03d}": p.model_dump_json() for p in prompts.prompts}


def codes_with(store: FakeProject, name: str, scenes: range | None = None) -> set[str]:
    """The oracle: the shot list's own characters, independent of the change."""
    return {s.code for s in store.read(Stage.SHOTS).shots
            if name in s.characters and (scenes is None or s.scene in scenes)}


def statuses(store: FakeProject) -> dict[str, str]:
    return store.manifest().statuses()


def test_a_wardrobe_note_reassembles_exactly_the_prompts_of_that_characters_shots(store):
    prompts = store.read(Stage.PROMPTS)  # a prompt that assembling every prompt again would lose
    prompts.prompts[0].frame_prompt += ", written by hand"
    store.amend({Stage.PROMPTS: prompts}, author=ME, summary="by hand")
    assert prompts.prompts[0].scene == 1
    before, status, commits = entries(store), statuses(store), len(store.history())
    done = change_look(store, "NELL", "wardrobe", "a red coat.", author=ME)
    after = entries(store)
    nell = codes_with(store, "NELL")
    assert nell and set(done.prompts) == nell == {c for c in after if after[c] != before[c]}
    assert all(after[c] == before[c] for c in after if c not in nell), "every other prompt stays byte for byte"
    assert "written by hand" in after["S01_SH001"]
    assert all("wearing a red coat" in after[c] for c in nell) and "wearing a faded pink" not in "".join(after.values())
    assert done.said == "NELL's wardrobe is now a red coat in every scene" and done.not_done == []
    assert statuses(store) == status, "no stage changes status: the shots stay approved"
    assert len(store.history()) == commits + 1 and store.history()[0].commit == done.commit
    assert store.history()[0].trailers["Auteur-Stages"] == "look, prompts"
    look = store.read(Stage.LOOK)
    nell_look = look.character("NELL")
    assert nell_look.wardrobe == "a red coat" and nell_look.person == ["wardrobe"]
    assert all(st.characters["NELL"].wardrobe == "a red coat" for st in look.states if "NELL" in st.characters)
    assert look.character("WALT") == Character(name="WALT", visual="walt in their 40s, straight blonde hair",
                                               wardrobe="work clothes")


def test_from_a_scene_on_and_in_one_scene_only(store):
    before = entries(store)
    done = change_look(store, "nell", "wardrobe", "a grey raincoat", scene=4, from_scene=True, author=ME)
    later = codes_with(store, "NELL", range(4, 99))
    assert later and set(done.prompts) == later
    assert done.said == "NELL's wardrobe is now a grey raincoat from scene 4 on"
    look = store.read(Stage.LOOK)
    assert look.character("NELL").wardrobe == "a faded pink uniform", "before scene 4 she wears what she wore"
    worn = {st.scene: st.characters["NELL"].wardrobe for st in look.states if "NELL" in st.characters}
    assert {n for n, w in worn.items() if w == "a grey raincoat"} == {n for n in worn if n >= 4}
    after = entries(store)
    assert all(after[c] == before[c] for c in after if c not in later)

    only = change_look(store, "NELL", "wardrobe", "an apron", scene=6, author=ME)
    assert set(only.prompts) == codes_with(store, "NELL", range(6, 7))
    worn = {st.scene: st.characters["NELL"].wardrobe for st in store.read(Stage.LOOK).states
            if "NELL" in st.characters}
    assert worn[6] == "an apron" and worn[7] == "a grey raincoat"


def test_a_scenes_time_of_day_is_the_light_of_its_shots_and_nothing_else(store):
    before, status = entries(store), statuses(store)
    done = change_scene(store, 2, "time_of_day", "at dusk", author=ME)
    scene2 = {s.code for s in store.read(Stage.SHOTS).shots if s.scene == 2}
    assert set(done.prompts) == scene2 and done.said == "the shots of scene 2 are now at dusk"
    prompts = store.read(Stage.PROMPTS).prompts
    for p in prompts:
        if p.scene == 2:
            light = p.frame_prompt.split(", teal and amber")[0]
            assert "dusk, blue hour" in light and "night, practical lights" not in p.frame_prompt
    after = entries(store)
    assert all(after[c] == before[c] for c in after if c not in scene2)
    shots = store.read(Stage.SHOTS).shots
    assert all(s.time_of_day == "DUSK" and s.person == ["time_of_day"] for s in shots if s.scene == 2)
    assert all(s.time_of_day == "" and s.person == [] for s in shots if s.scene != 2)
    assert statuses(store) == status
    assert store.history()[0].trailers["Auteur-Stages"] == "shots, prompts"
    mood = change_scene(store, 3, "mood", "tense", author=ME)
    assert mood.prompts and all("tense mood" in entries(store)[c] for c in mood.prompts)


def test_hair_and_a_props_state_reach_only_their_shots(store):
    hair = change_look(store, "WALT", "hair", "red", author=ME)
    assert set(hair.prompts) == codes_with(store, "WALT")
    walt = store.read(Stage.LOOK).character("WALT")
    assert walt.visual == "walt in their 40s" and walt.hair == "red" and set(walt.person) == {"hair", "visual"}
    assert all("Walt (walt in their 40s, red hair" in entries(store)[c] for c in hair.prompts)
    torn = change_look(store, "PHOTOGRAPH", "state", "torn in half", scene=5, from_scene=True, author=ME)
    showing = {s.code for s in store.read(Stage.SHOTS).shots if s.scene >= 5 and "photograph" in s.action.lower()}
    assert showing and set(torn.prompts) == showing
    assert all("photograph torn in half" in entries(store)[c] for c in showing)


def test_what_cannot_be_changed_is_named_with_the_fix_and_nothing_is_saved(store):
    commits = len(store.history())
    with pytest.raises(StageError) as err:
        change_look(store, "NELLY", "wardrobe", "a red coat", author=ME)
    assert err.value.problem == "there is no character called NELLY in the look"
    assert "NELL, WALT, ROY, DEE" in err.value.fix
    for target, aspect, value, words in [("MUG", "wardrobe", "red", "a prop has no wardrobe"),
                                         ("NELL", "wardrobe", "see https://example.com/coat", "web address"),
                                         ("NELL", "wardrobe", "<b>red</b>", "markup"),
                                         ("NELL", "wardrobe", "red " * 60, "longer than 200 characters"),
                                         ("NELL", "wardrobe", "  ", "did not get")]:
        with pytest.raises(StageError) as err:
            change_look(store, target, aspect, value, author=ME)
        assert words in err.value.problem and err.value.fix
    with pytest.raises(StageError, match="there is no scene 12"):
        change_look(store, "NELL", "wardrobe", "red", scene=12, author=ME)
    with pytest.raises(StageError, match="not a time of day"):
        change_scene(store, 2, "time_of_day", "when the cows come home", author=ME)
    assert len(store.history()) == commits
    assert change_look(store, "NELL", "wardrobe", "a red coat\x00\u200b", author=ME).commit is not None
    assert store.read(Stage.LOOK).character("NELL").wardrobe == "a red coat", "control characters are taken out"
    empty = FakeProject("Empty", "empty")
    with pytest.raises(StageError) as err:
        change_look(empty, "NELL", "wardrobe", "red", author=ME)
    assert "draft the look first" in err.value.fix


def test_reassemble_touches_only_the_shots_named_and_keeps_overrides(store):
    prompts = store.read(Stage.PROMPTS)
    prompts.prompts[1].frame_override = "my own words"
    store.save(Stage.PROMPTS, prompts, author=ME, summary="override")
    look = store.read(Stage.LOOK)
    look.style.palette = "black and white"
    first, second = prompts.prompts[0], prompts.prompts[1]
    again = reassemble(store, {(first.scene, first.number), (second.scene, second.number)}, look=look)
    assert isinstance(again, Prompts)
    assert "black and white" in again.prompts[0].frame_prompt and again.prompts[1].frame_override == "my own words"
    assert again.prompts[2:] == prompts.prompts[2:]
    assert reassemble(FakeProject("Empty", "empty"), {(1, 1)}) is None


def drawn(store: FakeProject) -> None:
    """A board of every shot, recording what it was made from (as tools.render.execute does)."""
    by_shot = {(p.scene, p.number): p for p in store.read(Stage.PROMPTS).prompts}
    for shot in store.read(Stage.SHOTS).shots:
        take = store.add_take(shot.scene, shot.number)
        take.parameters["made_from"] = {"shot": shot_digest(shot),
                                        "prompt": json_digest(by_shot[shot.scene, shot.number].model_dump_json())}


def test_only_the_boards_of_the_shots_changed_are_stale_and_the_producer_says_what_redoing_costs(store):
    drawn(store)
    assert shot_staleness(store).boards == [] and staleness_text(store, FakeRenderer()) == ""
    done = change_look(store, "ROY", "wardrobe", "a stained apron", author=ME)
    stale = shot_staleness(store)
    shots = store.read(Stage.SHOTS).shots
    roy = [s.code for s in shots if "ROY" in s.characters]
    assert stale.boards == roy == done.prompts and stale.clips == [] and not stale.cut
    assert stale.drawn == len(shots) and stale.filmed == 0
    assert stale.shots(roy) == [(s.scene, s.number) for s in shots if "ROY" in s.characters]
    renderer = FakeRenderer()
    text = staleness_text(store, renderer)
    assert text.startswith(f"The boards of {len(roy)} shots ({roy[0]}, {roy[1]} and {len(roy) - 2} more) are now "
                           "out of date; redoing them: ")
    assert f"{len(roy)} boards at tier sketch" in text and text.endswith("(/render stale).")
    assert renderer.plans[-1]["shots"] == [(int(c[1:3]), int(c[-3:])) for c in roy]
    assert staleness_text(store, None).endswith("/render stale redoes them.")


@pytest.fixture
def conv(store):
    from studio.engine.conversation import Conversation
    from tests.fakes import FakeCrew, FakeWorkspace

    workspace = FakeWorkspace()
    workspace.projects[store.slug] = store
    return Conversation(workspace, FakeCrew({}), project=store.slug, renderer=FakeRenderer())


def test_render_stale_renders_only_the_shots_out_of_date_behind_the_estimate(conv, store):
    from studio.engine.commands.renders import render
    from studio.engine.render_gate import run_pending

    drawn(store)
    nothing = list(render(conv, "stale"))
    assert [e.text for e in nothing] == ["No boards are out of date."] and conv.pending_render is None
    change_look(store, "DEE", "wardrobe", "a denim jacket", author=ME)
    dee = [(s.scene, s.number) for s in store.read(Stage.SHOTS).shots if "DEE" in s.characters]
    asked = list(render(conv, "boards stale"))
    assert asked[0].text.startswith(f"{len(dee)} boards out of date: ")
    assert asked[-1].kind == "question" and asked[-1].text.startswith(f"Estimate: {len(dee)} boards")
    assert conv.renderer.plans[-1]["shots"] == dee and conv.renderer.runs == 0, "nothing renders before a yes"
    list(run_pending(conv))
    assert conv.renderer.runs == 1
    assert all(len(store.takes(*key)) == (2 if key in dee else 1) for key in
               [(s.scene, s.number) for s in store.read(Stage.SHOTS).shots])
    in_scene = list(render(conv, "stale scene 1"))
    assert in_scene[0].text == "No boards are out of date in scene 1."


def test_status_counts_the_shots_out_of_date(conv, store):
    from studio.engine.commands.projects import status

    drawn(store)
    change_look(store, "ROY", "hair", "grey", author=ME)
    said = next(status(conv, ""))
    roy = [s.code for s in store.read(Stage.SHOTS).shots if "ROY" in s.characters]
    total = len(store.read(Stage.SHOTS).shots)
    assert f"boards: {len(roy)} of {total} shots out of date ({', '.join(roy[:3])} and {len(roy) - 3} more): " \
           "/render boards stale" in said.text
    assert said.data["stale_shots"]["boards"] == roy and "clips:" not in said.text


def test_a_shots_own_time_of_day_mood_and_a_characters_hair_in_the_prompt_words():
    from studio.models import Breakdown, Scene, Shot
    from studio.prompts import frame_prompt

    bd = Breakdown(scenes=[Scene(number=1, scene_number="1", heading="INT. DINER - NIGHT", int_ext="INT",
                                 location="DINER", time_of_day="NIGHT")])
    look = Look(characters=[Character(name="NELL", visual="tired eyes", wardrobe="a red coat")],
                style=StyleCapsule(medium="pencil storyboard sketch"))
    shot = Shot(scene=1, number=1, action="She waits.", characters=["NELL"])
    plain = ("pencil storyboard sketch, medium shot of Nell (tired eyes, wearing a red coat), eye-level, 35mm lens, "
             "She waits, interior diner, night, practical lights")
    assert frame_prompt(shot, bd, look) == plain, "a shot without the new fields is written as before"
    assert frame_prompt(shot.model_copy(update={"time_of_day": "NIGHT"}), bd, look) == plain
    dusk = frame_prompt(shot.model_copy(update={"time_of_day": "DUSK", "mood": "tense"}), bd, look)
    assert dusk == plain.replace("night, practical lights", "dusk, blue hour, tense mood")
    look.characters[0].hair = "grey"
    assert frame_prompt(shot, bd, look) == plain.replace("tired eyes,", "tired eyes, grey hair,")
    look.characters[0].hair = "a tight bun"
    assert "tired eyes, a tight bun, wearing" in frame_prompt(shot, bd, look)
