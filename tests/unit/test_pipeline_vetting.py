"""What a model writes is vetted before a stage is saved: the junk a tiny model really gave (word for word, from
issue 13) is repaired once, then written by rule from the script or the brief, and the stage says so.

The pipeline runs on the in-memory store and a scripted crew (tests/fakes.py), with the real word lists
(agents.lexicon over wordfreq), the real vetting, facts and craft rules."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from agents.lexicon import WordfreqLexicon
from agents.llm.structured import ModelUnavailable, StructuredOutputError
from studio.craft import violations
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.fallbacks import PLACES
from studio.fountain import parse
from studio.models import Brief, Look, ShotSize
from studio.pipeline import Pipeline
from studio.project import Author
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeProject, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()
IDEA = "A night-shift waitress recognises the stranger at the counter"
IMG = "<img src='https://i.luckyworldsincredibleaboard_com/images-20186374'>"
RUN_TOGETHER = "Establishing: MORNINGAMONYDUEBELWINNEDADEMARCIE-AUTORO. PLATFORMTESSAMEPROPERTIESOF"
HEADING_JUNK = "NEMONYDENDABESSAKEDADASANACHEZABANLAHARG"
ECHO = "A short film title"
AGE_JUNK = "<18"
TALK = "It seems you have no idea how old your characters look"
JUNK = (IMG, "luckyworlds", "https", "MORNINGAMONY", "PLATFORMTESS", HEADING_JUNK, ECHO, AGE_JUNK, TALK, "][",
        "write_sentence")
LEXICON = WordfreqLexicon(("en",))


def crew(answers: dict, asks: dict | None = None) -> FakeCrew:
    return FakeCrew(answers, asks=asks or {}, lexicon=LEXICON)


def imported() -> FakeProject:
    store = FakeProject("Night Shift", "night-shift")
    store.import_script("night_shift.fountain", SAMPLE)
    return store


def no_junk(model) -> None:
    text = json.dumps(model.model_dump(), ensure_ascii=False)
    assert not [j for j in JUNK if j in text], [j for j in JUNK if j in text]


JUNK_LOOK = {
    "character": {"description": TALK, "visual": IMG, "age": AGE_JUNK, "wardrobe": ""},
    "location": {"description": RUN_TOGETHER[:160], "visual": HEADING_JUNK},
    "prop": {"description": "", "visual": "]["},
    "style": {"medium": "write_sentence", "palette": "the the the the the", "lighting": "", "camera": ECHO},
    "continuity": {"changes": [{"scene": 2, "name": "NELL", "change": "<b>torn</b>", "kind": "wardrobe"}]},
}
JUNK_ASKS = {"visual": IMG, "description": TALK, "age": AGE_JUNK, "wardrobe": "", "medium": "",
             "palette": "][", "lighting": "As an AI, I cannot see light.", "camera": "", "change": ""}


def test_the_look_keeps_none_of_the_junk_and_the_scripts_ages():
    store = imported()
    fake = crew(JUNK_LOOK, JUNK_ASKS)
    done = Pipeline(store, fake).draft(Stage.LOOK)
    look: Look = store.read(Stage.LOOK)
    no_junk(look)
    ages = {c.name: c.age for c in look.characters}
    assert ages == {"NELL": "40s", "WALT": "60s", "ROY": "50s", "DEE": "30s"}
    nell = look.character("NELL")
    assert "faded pink uniform" in nell.description and nell.visual.startswith("in their 40s")
    assert nell.wardrobe == "a faded pink uniform"
    for item in [*look.characters, *look.locations, *look.props]:
        assert item.description and item.visual, item
    assert all([look.style.medium, look.style.palette, look.style.lighting, look.style.camera])
    diner = look.location("SUNRISE DINER")
    assert diner.int_ext == "INT/EXT" and "at night" in diner.visual
    # One small call per character, location and prop, and one for the style: no call holds the whole look.
    tasks = Counter(task for task, _ in fake.calls)
    assert tasks == {"character": 4, "location": 4, "prop": 8, "style": 1, "continuity": 1}
    # Each failed field was asked again once, then written by rule, and the stage says which.
    assert max(Counter((t, f, i.get("name")) for t, f, i in fake.asked).values()) == 1
    assert sorted(i["name"] for t, f, i in fake.asked if (t, f) == ("character", "visual")) == sorted(ages)
    assert not [1 for t, f, _ in fake.asked if f in ("age", "description") and t == "character"]  # the script's
    assert "look: NELL's visual" in done.fallbacks and "look: style camera" in done.fallbacks
    assert "look: continuity in scene 2 (dropped)" in done.fallbacks
    assert "by rule" in store.history(limit=1)[0].message


def test_a_repair_that_answers_well_is_kept_and_the_models_ages_lose_to_the_script():
    store = imported()
    answers = dict(JUNK_LOOK, character=lambda i: {
        "description": "A waitress.", "age": "58", "wardrobe": "a pink uniform",
        "visual": "a woman in her late fifties, tired eyes" if i["name"] == "NELL" else IMG})
    fake = crew(answers, {("character", "visual"): "tired eyes, hair pinned up, a pink uniform"})
    done = Pipeline(store, fake).draft(Stage.LOOK)
    look: Look = store.read(Stage.LOOK)
    assert look.character("NELL").visual == "in their 40s, a woman, tired eyes"
    assert look.character("WALT").visual == "in their 60s, tired eyes, hair pinned up, a pink uniform"
    assert look.character("WALT").age == "60s"  # the model said 58
    assert [i["name"] for t, f, i in fake.asked if f == "visual" and t == "character"] == ["DEE", "WALT", "ROY"]
    assert not [f for f in done.fallbacks if "visual" in f and "'s" in f]


def test_a_look_for_forty_scenes_and_twenty_five_characters_is_many_small_calls():
    names = [f"{first}" for first in ("ADA", "BEN", "CARA", "DAN", "EVA", "FINN", "GUS", "HAL", "IDA", "JO", "KAI",
                                      "LIV", "MAX", "NED", "OLA", "PIA", "RAY", "SAL", "TESS", "UMA", "VIC", "WES",
                                      "YARA", "ZED", "ABE")]
    scenes = []
    for k in range(40):
        a, b = names[k % 25], names[(k + 1) % 25]
        scenes.append(f"INT. ROOM {k + 1} - NIGHT\n\n{a} ({2 + k % 5}0s) waits by the LAMP {k + 1}.\n\n"
                      f"{a}\nYou came back.\n\n{b}\nI never left.\n")
    store = FakeProject("Long", "long")
    store.import_script("long.fountain", ("Title: Long\n\n" + "\n".join(scenes)).encode())
    seen: list[str] = []

    def character(inputs: dict) -> dict:
        seen.append(inputs["name"])
        assert isinstance(inputs["scenes"], list) and len(inputs["scenes"]) <= 6
        return {"description": f"{inputs['name'].title()} waits.", "visual": "a tired face, a grey coat",
                "age": "30s", "wardrobe": "a grey coat"}

    fake = crew({"character": character, "location": {"description": "A bare room.", "visual": "a bare room"},
                 "prop": {"description": "A lamp.", "visual": "a brass lamp"},
                 "style": {"medium": "35mm film", "palette": "warm amber", "lighting": "low key",
                           "camera": "static frames"}, "continuity": {"changes": []}})
    Pipeline(store, fake).draft(Stage.LOOK)
    look: Look = store.read(Stage.LOOK)
    assert sorted(seen) == sorted(names) and len(look.characters) == 25 and len(look.locations) == 40
    assert look.character("ADA").age == "20s" and look.character("BEN").age == "30s"  # the script's, not "30s" all
    assert Counter(t for t, _ in fake.calls)["location"] == 40 and "look" not in {t for t, _ in fake.calls}


def test_the_brief_refuses_its_own_schema_and_falls_back_to_the_idea():
    store = FakeProject("Night Shift", "night-shift")
    fake = crew({"brief": {"title": ECHO, "logline": "", "genre": "drama", "tone": TALK}},
                {"title": ECHO, "logline": "", "tone": "][ ]["})
    done = Pipeline(store, fake).draft(Stage.BRIEF, idea=IDEA)
    brief: Brief = store.read(Stage.BRIEF)
    no_junk(brief)
    assert brief.title == "Night-shift Waitress Recognises Stranger"
    assert brief.logline == IDEA + "." and brief.genre == "drama" and brief.tone == "grounded"
    assert sorted(f for _, f, _ in fake.asked) == ["logline", "title", "tone"]
    assert done.fallbacks == ["brief: title", "brief: logline", "brief: tone"]


def test_prose_instead_of_json_loses_no_stage():
    store = FakeProject("Night Shift", "night-shift")
    prose = StructuredOutputError("the model 'llamacpp/smollm2-135m' gave no valid BriefDraft after a repair "
                                  "attempt: Expecting value", "ask again")
    fake = crew({"brief": prose, "treatment": prose, "beats": prose},
                {("brief", "title"): "The Long Night Shift", ("brief", "genre"): "drama"})
    pipeline = Pipeline(store, fake)
    done = pipeline.draft(Stage.BRIEF, idea=IDEA)
    assert store.read(Stage.BRIEF).title == "The Long Night Shift"  # the repair, asked in plain words, was good
    assert done.fallbacks == ["brief: logline", "brief: tone"]
    done = pipeline.draft(Stage.TREATMENT)
    variants = store.read(Stage.TREATMENT).variants
    assert len(variants) == 3 and all(v.title and v.logline and v.text for v in variants)
    assert len({v.text for v in variants}) == 3 and "treatment: variant 2 text" in done.fallbacks
    pipeline.draft(Stage.BEATS)
    beats = store.read(Stage.BEATS).beats
    assert [b.name for b in beats][:2] == ["Setup", "Inciting Incident"] and all(b.description for b in beats)
    assert beats[0].description.startswith("Setup: a night-shift waitress")


def test_an_unreachable_model_names_the_stage_and_the_model_and_saves_nothing():
    store = imported()
    down = ModelUnavailable("the model profile 'ollama/llama3.1' could not answer: ConnectError: refused",
                            "check that the server is running")
    before = len(store.history())
    with pytest.raises(ModelUnavailable) as exc:
        Pipeline(store, crew(dict(JUNK_LOOK, style=down))).draft(Stage.LOOK)
    assert "the look stage" in exc.value.problem and "ollama/llama3.1" in exc.value.problem
    # A repair that finds the server gone stops the stage the same way: nothing half-written is saved.
    with pytest.raises(ModelUnavailable, match="look stage"):
        Pipeline(store, crew(JUNK_LOOK, {"visual": down})).draft(Stage.LOOK)
    assert store.read(Stage.LOOK) is None and len(store.history()) == before


def test_the_script_keeps_no_junk_and_every_scene_speaks():
    store = FakeProject("Night Shift", "night-shift")
    store.save(Stage.BRIEF, Brief(title="Night Shift", logline=IDEA + ".", runtime_minutes=1.5),
               author=Author.agent("Producer"), summary="brief")
    scene = {"int_ext": "INT", "location": HEADING_JUNK, "time": "NIGHT", "action": RUN_TOGETHER[:300],
             "dialogue": [{"character": "NELL", "line": "As an AI language model, I cannot write dialogue."}, {"character": "NELL", "line": "Coffee?"},
                          {"character": "<b>", "line": "no no no no no no no no"}]}
    lonely = dict(scene, dialogue=[{"character": "WALT", "line": IMG}])
    fake = crew({"script": lambda i: scene if i["number"] == "1" else lonely},
                {"location": "the the the", "action": "", "line": ""})
    done = Pipeline(store, fake).draft(Stage.SCRIPT)
    fountain = store.read_script().fountain
    assert not [j for j in (*JUNK, "no no no", "As an AI") if j in fountain]
    doc = parse(fountain)
    assert "NELL" in fountain and "Coffee?" in fountain
    headings = [el.plain for el in doc.elements if el.type.value == "scene_heading"]
    assert len(headings) == 2 and all(any(p in h for p in PLACES) for h in headings)
    assert "script: scene 1 location" in done.fallbacks and "script: scene 2 dialogue" in done.fallbacks
    assert "script: scene 1, NELL's line 1 (dropped)" in done.fallbacks
    assert store.read(Stage.BREAKDOWN).scenes[1].dialogue_count == 1  # a plain line, not an empty scene


def test_a_refinement_that_breaks_the_craft_rules_is_corrected_and_noted():
    store = imported()
    ecu = {"changes": [{"shot": 1, "size": "ECU", "angle": "low", "lens_mm": 20, "notes": IMG},
                       {"shot": 2, "size": "ECU", "lens_mm": 20, "notes": "tight on the eyes"}]}
    fake = crew({"shots": ecu}, {"notes": "][ ]["})
    done = Pipeline(store, fake).draft(Stage.SHOTS)
    shots = store.read(Stage.SHOTS)
    no_junk(shots)
    assert violations(shots, store.breakdown()) == []
    first = shots.shots[0]
    assert (first.code, first.role, first.size, first.lens_mm) == ("S01_SH001", "establishing", ShotSize.WS, 24)
    assert "S01_SH001: establishing shots are WS or wider (ECU → WS, 20 mm → 24 mm)" in done.corrections
    assert "shots: scene 1 shot 1 note (dropped)" in done.fallbacks
    # the craft rules took shot 2 back from the ECU it asked for: its note no longer explains the shot
    assert not any("tight on the eyes" in s.notes for s in shots.shots)
    assert "shot corrections" in store.history(limit=1)[0].message


def test_a_refinement_that_is_not_json_leaves_the_coverage():
    store = imported()
    fake = crew({"shots": StructuredOutputError("no valid ShotRefinement", "ask again")})
    done = Pipeline(store, fake).draft(Stage.SHOTS)
    assert violations(store.read(Stage.SHOTS), store.breakdown()) == [] and not done.corrections
    assert done.fallbacks[0] == "shots: scene 1 refinement (none: the model's answer was not usable)"


def test_the_producer_says_what_was_written_by_rule_and_what_was_corrected():
    workspace = FakeWorkspace()
    ecu = {"changes": [{"shot": 1, "size": "ECU", "angle": "low", "lens_mm": 20}]}
    fake = FakeCrew(dict(JUNK_LOOK, intent={"intent": "other"}, shots=ecu), asks=JUNK_ASKS, lexicon=LEXICON)
    session = Session(workspace, fake, user="Dana Director")
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    events = [e for said in ("/approve brief", "/approve script", "/approve breakdown", "next")
              for e in session.handle(Turn(text=said))]
    assert any(e.kind == "artifact" and e.stage == "look" for e in events)
    note = next(e for e in events if e.kind == "message" and "written by rule" in e.text)
    fallbacks = note.data["fallbacks"]
    assert len(fallbacks) > 20 and note.text == (
        f"{len(fallbacks)} fields were written by rule instead of the model: look: DEE's visual, look: DEE's "
        f"wardrobe, look: NELL's visual, look: NELL's wardrobe, look: WALT's visual and {len(fallbacks) - 5} more "
        "(the model's answers were not usable).")
    events = [e for said in ("/approve look", "next") for e in session.handle(Turn(text=said))]
    note = next(e for e in events if e.kind == "message" and "corrected" in e.text)
    assert note.text.startswith("8 shots corrected: S01_SH001: establishing shots are WS or wider (ECU → WS, "
                                "20 mm → 24 mm), ") and note.text.endswith(" more.")
    assert len(note.data["corrections"]) == 8


def test_an_age_the_script_does_not_state_is_the_models_when_it_is_an_age_else_blank():
    store = FakeProject("Two", "two")
    store.import_script("two.fountain", b"Title: Two\n\nINT. HALL - DAY\n\nMARA waits. JONAH paces.\n\n"
                                        b"MARA\nYou came.\n\nJONAH\nI did.\n")
    fake = crew(dict(JUNK_LOOK, character=lambda i: dict(JUNK_LOOK["character"], age=(
        "late twenties" if i["name"] == "MARA" else AGE_JUNK))), JUNK_ASKS)
    done = Pipeline(store, fake).draft(Stage.LOOK)
    look: Look = store.read(Stage.LOOK)
    assert look.character("MARA").age == "late twenties" and look.character("JONAH").age == ""
    assert "look: JONAH's age (left blank: the script does not say)" in done.fallbacks
    assert look.character("JONAH").description == "Jonah paces."  # what the script says of him
    no_junk(look)
