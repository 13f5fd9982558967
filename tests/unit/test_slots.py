"""A tiny model's drafts slot by slot (crews/slots.py) on a scripted chat model: what each filler asks, that its
choices go through the grammar as enums of the lists and its free text as plain questions, and that it returns
the same valid Draft as the crewAI path."""

from __future__ import annotations

import json

import pytest
import yaml

from agents.llm.fake import SchemaFakeChatModel, plain_answer
from agents.llm.structured import StructuredLLM
from crews.runner import CONFIG, CrewRunner, question
from studio import vocabulary as V
from studio.drafts import (
    BeatsDraft, BriefDraft, CharacterDraft, ContinuityDraft, IntentDraft, PlaceDraft, SceneDraft, ShotRefinement,
    StyleDraft, TreatmentDraft,
)
from studio.errors import AuteurError
from studio.models import ShotSize

FILM = {"title": "Night Shift", "genre": "drama", "tone": "quiet", "logline": "A waitress knows the stranger.",
        "notes": "none"}


@pytest.fixture
def model():
    return SchemaFakeChatModel()


@pytest.fixture
def crew(model):
    llm = StructuredLLM(model, name="fake/tiny")
    llm.tiny = True
    return CrewRunner(llm)


def choices(model) -> list[dict]:
    return [c for c in model.calls if c["schema"] is not None]


def plain(model) -> list[dict]:
    return [c for c in model.calls if c["schema"] is None]


def enums(call: dict) -> dict[str, list]:
    return {k: v["enum"] for k, v in call["schema"]["properties"].items() if "enum" in v}


def test_brief_chooses_genre_and_tone_from_the_lists_and_asks_title_and_logline(crew, model):
    model.replies.extend([json.dumps({"genre": "comedy", "tone": "wry"}), "Pie at Midnight",
                          "A waitress wants to close early, but a stranger will not leave.\nAnd more talk."])
    draft = crew.run("brief", {"idea": "a waitress and a stranger", "notes": "none", "memory": "x"}, BriefDraft)
    assert isinstance(draft, BriefDraft)
    assert (draft.title, draft.genre, draft.tone) == ("Pie at Midnight", "comedy", "wry")
    assert draft.logline == "A waitress wants to close early, but a stranger will not leave."  # its first line
    [choice] = choices(model)
    assert enums(choice) == {"genre": list(V.GENRES), "tone": list(V.TONES)}
    asked = plain(model)
    assert len(asked) == 2 and all("a waitress and a stranger" in c["messages"][-1] for c in asked)
    assert asked[0]["messages"][0].startswith("You are the Producer")  # the agent's role as a short system message
    assert all(c["max_tokens"] and c["max_tokens"] <= 120 for c in asked)


def test_a_choice_outside_the_list_is_never_kept(crew, model):
    model.replies.extend([json.dumps({"medium": "<img src='https://x.example/a.png'>", "palette": "sepia",
                                      "lighting": "neon", "camera": "handheld, close"})])
    draft = crew.run("style", FILM, StyleDraft)
    assert draft.medium == V.MEDIA[0] and draft.palette == "sepia" and draft.camera == "handheld, close"
    assert enums(choices(model)[0]) == {"medium": list(V.MEDIA), "palette": list(V.PALETTES),
                                        "lighting": list(V.LIGHTING), "camera": list(V.CAMERA)}
    assert not plain(model)


def test_treatment_is_three_variants_asked_a_sentence_at_a_time(crew, model):
    draft = crew.run("treatment", {**FILM, "minutes": "3"}, TreatmentDraft)
    assert len(draft.variants) == 3 and not choices(model)
    asked = [c["messages"][-1] for c in plain(model)]
    assert len(asked) == 3 * 5  # a title, a logline and three parts each
    assert sum("Tell only its beginning" in q for q in asked) == 3 and sum("its ending" in q for q in asked) == 3
    approaches = {q.split("Tell it ")[1].split(".")[0] for q in asked if "Tell it " in q}
    assert len(approaches) == 3  # three different takes
    assert all(v.text.count(".") >= 3 for v in draft.variants)


def test_beats_ask_one_sentence_per_beat_by_name(crew, model):
    from studio.pipeline import sized

    draft = crew.run("beats", {**FILM, "beat_names": "Opening image; Catalyst; Finale", "count": "3"}, BeatsDraft,
                     schema=sized(BeatsDraft, beats=3))
    assert len(draft.beats) == 3 and all(b.description for b in draft.beats)
    assert [c["messages"][-1].split("The story beat: ")[1].split(".")[0] for c in plain(model)] == [
        "Opening image", "Catalyst", "Finale"]


def test_a_scene_chooses_place_time_and_speakers_from_the_story_so_far(crew, model):
    model.replies.extend([json.dumps({"int_ext": "INT", "location": "SUNRISE DINER", "time": "NIGHT",
                                      "speaker1": "NELL", "speaker2": "WALT"}),
                          "Nell pours coffee for a man who will not look up.", "You used to come here.",
                          "Not for years."])
    inputs = {**FILM, "logline": "A waitress at the lighthouse diner.", "number": "2", "scenes": "4",
              "cast": ["NELL", "WALT"], "previous": "SUNRISE DINER: rain on the glass", "beats": "Catalyst: x"}
    draft = crew.run("script", inputs, SceneDraft)
    assert isinstance(draft, SceneDraft) and draft.location == "SUNRISE DINER" and draft.time == "NIGHT"
    assert [(d.character, d.line) for d in draft.dialogue] == [("NELL", "You used to come here."),
                                                               ("WALT", "Not for years.")]
    lists = enums(choices(model)[0])
    assert lists["int_ext"] == ["INT", "EXT"]
    assert lists["location"][0] == "SUNRISE DINER" and set(lists["location"][1:3]) == {"LIGHTHOUSE", "DINER"}
    assert set(lists["location"]) >= {p.upper() for p in V.PLACES}
    assert lists["speaker1"][:2] == ["NELL", "WALT"] and "CONTINUOUS" in lists["time"]
    action, first, second = (c["messages"][-1] for c in plain(model))
    assert "what do we see" in action.lower() and "Nell and Walt" in action and "sunrise diner" in action
    assert "The speaker: Nell." in first and "Nell pours coffee" in first and "The speaker: Walt." in second


def test_the_first_scene_has_no_continuous_time_and_one_speaker_when_both_choices_agree(crew, model):
    names = [n.upper() for n in V.NAMES]
    model.replies.append(json.dumps({"int_ext": "EXT", "location": "BEACH", "time": "DAWN", "speaker1": names[3],
                                     "speaker2": names[3]}))
    draft = crew.run("script", {**FILM, "number": "1", "cast": "new characters", "previous": "none"}, SceneDraft)
    assert [d.character for d in draft.dialogue] == [names[3]] and draft.int_ext == "EXT"
    times = enums(choices(model)[0])["time"]
    assert "CONTINUOUS" not in times and "LATER" not in times


def test_a_character_keeps_the_scripts_age_and_words(crew, model):
    model.replies.append(json.dumps({"build": "a wiry frame", "hair": "red hair", "colour": "teal",
                                     "garment": "apron"}))
    draft = crew.run("character", {**FILM, "name": "NELL", "facts": "NELL (40s), a waitress in a faded pink uniform",
                                   "scenes": ["Nell pours.", "NELL: Coffee?"]}, CharacterDraft)
    assert draft.age == "40s" and draft.visual == "a wiry frame, red hair" and draft.wardrobe == "teal apron"
    assert draft.description.startswith("NELL (40s), a waitress")  # the script's words: nothing asked
    assert "age" not in enums(choices(model)[0]) and not plain(model)


def test_a_character_the_script_says_nothing_about_gets_an_age_band_and_a_description(crew, model):
    draft = crew.run("character", {**FILM, "name": "DEE", "facts": "none"}, CharacterDraft)
    lists = enums(choices(model)[0])
    assert sorted(lists["age"]) == sorted(V.AGE_BANDS) and draft.age in V.AGE_BANDS
    assert set(lists["hair"]) == set(V.HAIR) and draft.wardrobe
    [asked] = plain(model)
    assert "describe dee" in asked["messages"][-1].lower() and draft.description


def test_a_locations_light_follows_its_times(crew, model):
    draft = crew.run("location", {**FILM, "name": "SUNRISE DINER - KITCHEN", "int_ext": "INT", "times": ["NIGHT"],
                                  "first_action": "Nell leans on the walk-in."}, PlaceDraft)
    lists = enums(choices(model)[0])
    assert set(lists["light"]) == set(V.NIGHT_LIGHTS) and set(lists["mood"]) == set(V.MOODS)
    assert "sunrise diner kitchen interior" in draft.visual and draft.description
    assert "at night" in plain(model)[0]["messages"][-1]


def test_a_prop_is_described_as_chosen(crew, model):
    model.replies.append(json.dumps({"condition": "chipped", "colour": "white"}))
    draft = crew.run("prop", {"title": "Night Shift", "name": "MUG", "sentence": "Nell sets a MUG down."}, PlaceDraft)
    assert draft.visual == "chipped white mug"
    assert plain(model)[0]["messages"][-1] == "Describe the chipped white mug in one sentence."


def test_shots_change_at_most_two_from_the_shot_vocabulary(crew, model):
    model.replies.extend([json.dumps({"changes": [
        {"shot": 2, "size": "CU", "angle": "keep", "movement": "push-in"},
        {"shot": 2, "size": "ECU", "angle": "low", "movement": "keep"},  # the same shot again: dropped
        {"shot": 1, "size": "keep", "angle": "keep", "movement": "keep"},  # no change at all: dropped
    ]}), "closer, to see her decide"])
    draft = crew.run("shots", {"scene": "1: INT. DINER - NIGHT", "shots": "1: WS; 2: MS; 3: CU", "count": "3"},
                     ShotRefinement)
    [change] = draft.changes
    assert (change.shot, change.size, change.angle, change.movement) == (2, ShotSize.CU, None, "push-in")
    assert change.notes == "closer, to see her decide"
    schema = choices(model)[0]["schema"]["properties"]["changes"]
    assert schema["maxItems"] == 2 and schema["items"]["properties"]["shot"]["enum"] == [1, 2, 3]
    assert schema["items"]["properties"]["size"]["enum"] == ["keep", *(s.value for s in ShotSize)]


def test_continuity_is_not_guessed(crew, model):
    assert crew.run("continuity", {"characters": "NELL"}, ContinuityDraft).changes == []
    assert model.calls == []


def test_intent_is_one_grammar_call(crew, model):
    model.replies.append(json.dumps({"intent": "pick", "number": 2}))
    draft = crew.run("intent", {"recent": "", "stage": "treatment", "text": "the second one"}, IntentDraft)
    assert (draft.intent, draft.number) == ("pick", 2)
    assert "approve" in enums(model.calls[0])["intent"] and "the second one" in model.calls[0]["messages"][-1]


def test_long_answers_are_cut_at_words_to_the_drafts_bounds(crew, model):
    model.replies.extend([json.dumps({"genre": "drama", "tone": "tender"}), "word " * 40, "A logline."])
    draft = crew.run("brief", {"idea": "x"}, BriefDraft)
    assert len(draft.title) <= 60 and draft.title.endswith("word")


def test_ask_formats_leniently_and_names_a_missing_question():
    assert question("Describe {name}.[ At {time}.] [Here: {x}]", {"name": "Nell", "time": "none", "x": ["a", "b"]}) \
        == "Describe Nell. Here: a; b"
    assert question("Who is {name} in {title}?", {}) == "Who is in?"
    crew = CrewRunner(StructuredLLM(SchemaFakeChatModel(), name="fake"))
    with pytest.raises(AuteurError, match="no question for its field 'plot'"):
        crew.ask("brief", "plot", {})


def test_ask_takes_the_first_line_and_no_unfinished_sentence(crew, model):
    model.replies.append("\n  The diner hums under a dead neon sign. Rain runs down the glass and the\nmore")
    assert crew.ask("location", "description", {"name": "diner"}) == "The diner hums under a dead neon sign."
    assert model.calls[-1]["max_tokens"] and model.calls[-1]["schema"] is None


def test_every_field_has_a_question_and_the_fake_answers_each_in_words():
    tasks = yaml.safe_load((CONFIG / "tasks.yaml").read_text())
    inputs = {**FILM, "name": "Nell", "idea": "a waitress", "facts": "a waitress", "beat": "Catalyst",
              "speaker": "Nell", "action": "She pours.", "scene": "1", "shot": "2", "change": "CU",
              "line": "More coffee?"}
    expected = {"brief": {"title", "logline", "genre", "tone"}, "treatment": {"title", "logline", "text"},
                "beats": {"description"}, "script": {"action", "line", "location", "punch"},
                "character": {"description", "visual", "wardrobe", "age"}, "location": {"description", "visual"},
                "prop": {"description", "visual"}, "style": {"medium", "palette", "lighting", "camera"},
                "continuity": {"change"}, "shots": {"notes"}}
    for task, fields in expected.items():
        assert set(tasks[task]["fields"]) == fields, task
        for field, template in tasks[task]["fields"].items():
            answer = plain_answer(question(template, inputs))
            assert answer != "Understood." and "{" not in answer, (task, field, answer)


def test_the_lexicon_is_found_once_per_sample(crew):
    first = crew.lexicon("The waitress pours the coffee and looks at the stranger.")
    assert first is crew.lexicon("The waitress pours the coffee and looks at the stranger.")
    assert first.is_word("coffee") and not first.is_word("MORNINGAMONYDUEBEL")
