"""A tiny model hands the question back: what the reviewer of issue 13 found saved, word for word, from the real
SmolLM2 on "A retired boxer teaches his granddaughter to ride a bicycle before she moves away". None of it may
reach an artifact: the question's own words are refused, a leading label is taken off, a line is the speaker's
own words, the brief keeps to the idea, a shot note goes with the change it explains, and a start that fails
leaves no project behind.

Real parts: the real word lists (wordfreq), the real vetting, the runner with its real questions
(config/tasks.yaml), the real Git workspace; the crew is scripted (tests/fakes.py)."""

from __future__ import annotations

import json

import pytest

from agents.lexicon import WordfreqLexicon
from agents.llm.fake import SchemaFakeChatModel
from agents.llm.structured import ModelUnavailable, StructuredLLM
from crews.runner import CrewRunner
from crews.slots import Slots
from studio.drafts import PlaceDraft
from studio.engine.session import Session
from studio.fields import question_echo, shares_words, spoken
from studio.models import Brief, ShotSize
from studio.pipeline import Pipeline
from studio.project import Author
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeProject

IDEA = "A retired boxer teaches his granddaughter to ride a bicycle before she moves away"
LEXICON = WordfreqLexicon(("en",))
TREATMENT_TEXT = 'In one or two sentences, tell the beginning of a film about "A Young Knight: A Tale of Adventure".'
BEAT = "In one sentence, the story beat: Rising Action. The knight rides out."
ACTION = "In one or two sentences, we see AIKO and YUKI in a motel room."
NOTE = "The scene: 1, WS - LATER. The shot: 2, POV-UP (not in original movie)."


class AskingCrew(FakeCrew):
    """A scripted crew that says which question it asks for a field, as the real runner does."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.runner = CrewRunner(StructuredLLM(SchemaFakeChatModel(), name="fake"))

    def questions(self, task, field, inputs):
        return self.runner.questions(task, field, inputs)


def crew(answers: dict, asks: dict | None = None) -> AskingCrew:
    return AskingCrew(answers, asks=asks or {}, lexicon=LEXICON)


def with_brief(logline: str = IDEA + ".") -> FakeProject:
    store = FakeProject("Boxer", "boxer")
    store.save(Stage.BRIEF, Brief(title="The Last Round", logline=logline, runtime_minutes=1),
               author=Author.agent("Producer"), summary="brief")
    return store


# ---------------------------------------------------------------- 1. echoes of the question


def test_the_questions_own_words_are_an_echo_and_the_ideas_words_are_not():
    runner = CrewRunner(StructuredLLM(SchemaFakeChatModel(), name="fake"))
    template, asked = runner.questions("treatment", "text", {"logline": IDEA, "part": "its beginning"})
    assert question_echo(TREATMENT_TEXT, "In one or two sentences, tell the beginning of a film about {title}.")
    assert question_echo(TREATMENT_TEXT, "In one or two sentences, present tense, tell what happens in {title}.")
    beat_template, beat_asked = runner.questions("beats", "description", {"logline": IDEA, "beat": "Rising Action"})
    assert question_echo(BEAT, beat_template, beat_asked) == "the story beat"
    assert not question_echo("The retired boxer teaches his granddaughter to ride the bicycle.", template, asked)
    assert not question_echo("He holds the saddle as she wobbles down the lane.", beat_template, beat_asked)


def test_an_answer_that_hands_back_the_question_is_no_answer():
    model = SchemaFakeChatModel(replies=[ACTION, "Aiko counts the motel towels while Yuki watches the door."])
    runner = CrewRunner(StructuredLLM(model, name="fake"))
    inputs = {"logline": IDEA, "location": "motel room", "speakers": "Aiko and Yuki"}
    assert runner.ask("script", "action", inputs) == ""
    assert runner.ask("script", "action", inputs) == "Aiko counts the motel towels while Yuki watches the door."


def test_the_treatment_keeps_no_echo_and_no_other_story():
    store = with_brief()
    variant = {"title": "The story: \"Fighting with Friends\"", "text": TREATMENT_TEXT,
               "logline": "A young knight vs. a group of friends, right? That's all I need to know!"}
    fake = crew({"treatment": {"variants": [variant] * 3}}, {"text": TREATMENT_TEXT, "logline": variant["logline"]})
    done = Pipeline(store, fake).draft(Stage.TREATMENT)
    text = json.dumps(store.read(Stage.TREATMENT).model_dump())
    for junk in ("In one or two sentences", "tell the beginning of", "The story:", "knight", "That's all I need"):
        assert junk not in text, junk
    first = store.read(Stage.TREATMENT).variants[0]
    assert first.title == "Fighting with Friends"  # the label taken off, the title kept
    assert "boxer" in first.logline.lower() and "boxer" in first.text.lower()  # the brief's story, by rule
    assert "treatment: variant 1 logline" in done.fallbacks and "treatment: variant 1 text" in done.fallbacks


def test_a_label_never_carries_what_fails_without_it():
    store = with_brief()
    copied = "The story: A retired boxer teaches his granddaughter to ride a bicycle before she moves away."
    fake = crew({"beats": {"beats": [{"description": copied}] * 3}}, {"description": copied})
    Pipeline(store, fake).draft(Stage.BEATS)
    assert not any(b.description.startswith("The story:") for b in store.read(Stage.BEATS).beats)


def test_beats_and_actions_that_echo_are_repaired_then_written_by_rule():
    store = with_brief()
    fake = crew({"beats": {"beats": [{"description": BEAT}] * 3}},
                {"description": "…can be rephrased to fit your narrative flow better while maintaining clarity."})
    Pipeline(store, fake).draft(Stage.BEATS)
    beats = store.read(Stage.BEATS).beats
    assert not any("story beat" in b.description.lower() or "rephrased" in b.description for b in beats)
    assert all("boxer" in b.description.lower() for b in beats)


# ---------------------------------------------------------------- 2. lines of dialogue


def test_a_line_is_the_speakers_own_words():
    assert spoken("Elena: Oh, thank you.", "ELENA", []) == "Oh, thank you."
    assert spoken('Mateo: "Elena, what\'s goin\' on here?"', "MATEO", ["ELENA"]) == "Elena, what's goin' on here?"
    assert spoken("Elena: Oh, thank you.", "MATEO", ["ELENA"]) == "Oh, thank you."
    assert spoken("The night was a perfect setting for Aiko and Yuki to play cards…", "YUKI", ["AIKO"]) == ""
    assert spoken("Aiko, you know I hate cards.", "YUKI", ["AIKO"]) == "Aiko, you know I hate cards."
    assert spoken("The voice: \"Demon, DEMON.\"", "DMITRI", ["SOFIA"]) == "Demon, DEMON."
    assert spoken("Sofia, \"I have no idea what you're talking about.\"", "SOFIA", []) == \
        "I have no idea what you're talking about."
    assert spoken("The line is: \"Luca, you're the only one I know who's not a monster.\"", "LUCA", []) == ""
    assert spoken("Note: the door is locked.", "YUKI", ["AIKO"]) == "Note: the door is locked."
    assert spoken("The old man's eyes welled up with his own, and he said to them all: \"I don't know what I'd do "
                  "without you, Maya.", "PABLO", ["MAYA"]) == "I don't know what I'd do without you, Maya."


def test_the_script_saves_no_speaker_names_in_lines_and_no_narration():
    store = with_brief()
    scene = {"int_ext": "INT", "location": "MOTEL ROOM", "time": "NIGHT",
             "action": "Aiko deals the cards on the bed while Yuki watches the rain.",
             "dialogue": [{"character": "ELENA", "line": "Elena: Oh, thank you."},
                          {"character": "MATEO", "line": 'Mateo: "Elena, what\'s goin\' on here?"'},
                          {"character": "YUKI", "line": "The night was a perfect setting for Aiko and Yuki to play "
                                                        "cards…"}]}
    done = Pipeline(store, crew({"script": scene})).draft(Stage.SCRIPT)
    fountain = store.read_script().fountain
    assert "Oh, thank you." in fountain and "Elena, what's goin' on here?" in fountain
    assert "Elena:" not in fountain and "Mateo:" not in fountain and "perfect setting" not in fountain
    assert "script: scene 1, YUKI's line 3 (dropped)" in done.fallbacks


# ---------------------------------------------------------------- 3. the idea wins in the brief


def test_a_logline_that_talks_of_the_film_falls_back_to_the_idea():
    store = FakeProject("Boxer", "boxer")
    said = ("The film is set in a high-end anime fantasy world, with a main character who's retired and has been "
            "tasked to teach her granddaughter how to ride.")
    answer = {"title": "Retired Boxer", "logline": said, "genre": "drama", "tone": "warm"}
    Pipeline(store, crew({"brief": answer}, {"logline": said})).draft(Stage.BRIEF, idea=IDEA)
    assert store.read(Stage.BRIEF).logline == IDEA + "."


def test_a_brief_with_nothing_of_the_idea_falls_back_to_the_idea():
    assert not shares_words("A Young Knight: A Tale of Adventure", IDEA) and shares_words("Riding Lessons", IDEA)
    store = FakeProject("Boxer", "boxer")
    answer = {"title": "A Young Knight: A Tale of Adventure", "logline": 'The film: "Fighting with Friends".',
              "genre": "drama", "tone": "warm"}
    done = Pipeline(store, crew({"brief": answer}, {"title": answer["title"], "logline": answer["logline"]})).draft(
        Stage.BRIEF, idea=IDEA)
    brief = store.read(Stage.BRIEF)
    assert brief.title == "Retired Boxer Teaches Granddaughter" and brief.logline == IDEA + "."
    assert {"brief: title", "brief: logline"} <= set(done.fallbacks)


def test_a_labelled_title_of_the_idea_keeps_its_words():
    store = FakeProject("Boxer", "boxer")
    answer = {"title": "Title idea: The Boxer's Bicycle", "logline": "Logline: A boxer teaches her to ride.",
              "genre": "drama", "tone": "warm"}
    Pipeline(store, crew({"brief": answer})).draft(Stage.BRIEF, idea=IDEA)
    brief = store.read(Stage.BRIEF)
    assert (brief.title, brief.logline) == ("The Boxer's Bicycle", "A boxer teaches her to ride.")


# ---------------------------------------------------------------- 4. shot notes


def imported() -> FakeProject:
    store = FakeProject("Night Shift", "night-shift")
    store.import_script("night_shift.fountain", (SAMPLES / "night_shift.fountain").read_bytes())
    return store


def test_a_note_that_echoes_the_question_or_explains_a_reverted_change_is_dropped():
    store = imported()
    changes = {"changes": [{"shot": 1, "size": "ECU", "notes": "tight on the eyes"},  # reverted: WS
                           {"shot": 2, "angle": "low", "notes": NOTE},
                           {"shot": 3, "angle": "high", "notes": "to feel how small she is"}]}
    done = Pipeline(store, crew({"shots": lambda i: changes if i["scene"].startswith("1:") else {"changes": []}},
                                {"notes": NOTE})).draft(Stage.SHOTS)
    shots = store.read(Stage.SHOTS).shots
    notes = " ".join(s.notes for s in shots)
    assert shots[0].size is ShotSize.WS and "tight on the eyes" not in notes
    assert "The scene:" not in notes and "LATER" not in notes and "POV" not in notes
    assert "shots: scene 1 shot 2 note (dropped)" in done.fallbacks
    assert "to feel how small she is" in shots[2].notes  # a change the craft rules kept keeps its reason


# ---------------------------------------------------------------- 5. times of day in words


@pytest.mark.parametrize("time, said", [("DAY", "by day"), ("NIGHT", "at night"), ("DUSK", "at dusk"),
                                        ("MORNING", "in the morning"), ("EVENING", "in the evening")])
def test_a_place_is_asked_about_at_its_time_in_plain_english(time, said):
    model = SchemaFakeChatModel()
    llm = StructuredLLM(model, name="fake/tiny")
    llm.tiny = True
    CrewRunner(llm).run("location", {"title": "Motel", "name": "MOTEL ROOM", "int_ext": "INT", "times": [time],
                                     "first_action": "none"}, PlaceDraft)
    asked = [c["messages"][-1] for c in model.calls if c["schema"] is None][0]
    assert f"motel room {said}" in asked and " at day" not in asked


@pytest.mark.parametrize("time", ["CONTINUOUS", "LATER"])
def test_continuous_and_later_are_no_time_of_day(time):
    model = SchemaFakeChatModel()
    llm = StructuredLLM(model, name="fake/tiny")
    llm.tiny = True
    Slots(CrewRunner(llm)).fill_location({"name": "MOTEL ROOM", "times": [time]}, {})
    asked = [c["messages"][-1] for c in model.calls if c["schema"] is None][0]
    assert "continuous" not in asked.lower() and "later" not in asked.lower()


# ---------------------------------------------------------------- 6. a failed start leaves no project


def test_an_unreachable_model_leaves_no_project_behind(workspace):
    down = ModelUnavailable("the model profile 'local/19999/qwen-7b' could not answer: ConnectError: refused",
                            "check that the server is running")
    session = Session(workspace, FakeCrew({"brief": down}, lexicon=LEXICON), user="Dana Director")
    for _ in range(2):  # and a rerun makes none either
        events = list(session.run_until(Stage.BRIEF, idea=IDEA))
        assert events[-1].kind == "error" and "local/19999/qwen-7b" in events[-1].text
        assert workspace.slugs() == [] and session.store is None
    assert not [p for p in workspace.root.iterdir() if not p.name.startswith(".")]
