"""The slot fillers on the real embedded model (SmolLM2-135M through llama.cpp): valid drafts whose every choice
is from its list. (How good its prose is, is for vetting to judge: studio/vetting.py.) And the crewAI path of
the new look tasks, on real crewAI, with list inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.llm.fake import SchemaFakeChatModel
from agents.llm.structured import StructuredLLM
from crews.runner import CrewRunner
from studio import vocabulary as V
from studio.breakdown import break_down
from studio.drafts import BriefDraft, CharacterDraft, PlaceDraft, SceneDraft, StyleDraft
from studio.fountain import parse

SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "samples" / "night_shift.fountain"


@pytest.fixture(scope="module")
def crew():
    from agents.llm.factory import structured_llm

    llm = structured_llm("llamacpp/smollm2-135m")
    assert llm.tiny
    return CrewRunner(llm)


def test_a_brief_on_the_real_model(crew):
    draft = crew.run("brief", {"idea": "A lighthouse keeper finds a message in a bottle", "notes": "none",
                               "memory": "nothing recorded yet"}, BriefDraft)
    assert isinstance(draft, BriefDraft) and draft.title.strip()
    assert draft.genre in V.GENRES and draft.tone in V.TONES
    usage = crew.take_usage()
    assert usage.calls == 3  # one choice, two questions


def test_a_scene_on_the_real_model(crew):
    inputs = {"title": "The Keeper", "logline": "A lighthouse keeper finds a message in a bottle.",
              "treatment": "The keeper walks the beach at dawn.", "beats": "Setup: the keeper walks the beach",
              "number": "2", "scenes": "4", "cast": ["MARA"], "previous": "LIGHTHOUSE: she climbs the stairs",
              "notes": "none", "memory": "nothing recorded yet"}
    draft = crew.run("script", inputs, SceneDraft)
    places = {"LIGHTHOUSE", *(p.upper() for p in V.PLACES)}
    speakers = {"MARA", *(n.upper() for n in V.NAMES)}
    assert draft.int_ext in ("INT", "EXT") and draft.location in places
    assert 1 <= len(draft.dialogue) <= 2 and all(d.character in speakers and d.line for d in draft.dialogue)
    assert draft.action
    assert crew.take_usage().calls == 2 + len(draft.dialogue)  # the choice, the action, each line


def test_a_character_of_the_bundled_sample_on_the_real_model(crew):
    doc = parse(SAMPLE.read_text(encoding="utf-8"))
    assert "NELL" in break_down(doc).characters
    draft = crew.run("character", {"title": "Night Shift", "genre": "drama", "tone": "quiet and tense",
                                   "name": "NELL", "facts": "NELL (40s), in a faded pink uniform",
                                   "scenes": ["NELL: Coffee?", "Nell sets a MUG in front of him."]}, CharacterDraft)
    assert draft.age == "40s"  # the script's, not the model's
    build, hair = draft.visual.split(", ", 1)
    assert build in V.BUILDS and hair in V.HAIR
    assert any(draft.wardrobe == f"{c} {g}" for c in V.COLOURS for g in V.GARMENTS)


def test_a_location_and_the_style_on_the_real_model(crew):
    place = crew.run("location", {"title": "Night Shift", "genre": "drama", "tone": "quiet", "name": "SUNRISE DINER",
                                  "int_ext": "EXT", "times": ["NIGHT"], "first_action": "A diner squats by a highway."},
                     PlaceDraft)
    mood, light = place.visual.split(" sunrise diner exterior, ")
    assert mood in V.MOODS and light in V.NIGHT_LIGHTS
    style = crew.run("style", {"title": "Night Shift", "genre": "drama", "tone": "quiet",
                               "logline": "A waitress knows the stranger."}, StyleDraft)
    assert (style.medium, style.palette, style.lighting, style.camera) in [
        (m, p, li, c) for m in V.MEDIA for p in V.PALETTES for li in V.LIGHTING for c in V.CAMERA]


def test_the_look_tasks_on_crewai_take_lists_and_facts(workspace):
    """A model that is not tiny: the one-task crewAI crew, its inputs (lists, missing keys) made words."""
    model = SchemaFakeChatModel()
    crew = CrewRunner(StructuredLLM(model, name="fake/crewai"))
    draft = crew.run("character", {"title": "Night Shift", "name": "NELL", "facts": "a waitress",
                                   "scenes": ["NELL: Coffee?", "Nell pours."]}, CharacterDraft)
    assert isinstance(draft, CharacterDraft) and draft.visual
    prompt = " ".join(model.calls[0]["messages"])
    assert "NELL: Coffee?; Nell pours." in prompt and "Character: NELL" in prompt
    assert model.calls[0]["schema"]["properties"]["visual"]  # the draft's schema, through the grammar
    for task in ("location", "prop", "style"):
        assert isinstance(crew.run(task, {"title": "Night Shift", "name": "MUG"},
                                   StyleDraft if task == "style" else PlaceDraft), StyleDraft | PlaceDraft)
