"""The crew through the conversation engine: real crewAI, real store and Git, a scripted model."""

from __future__ import annotations

import json
import subprocess

import pytest

from agents.llm.fake import SchemaFakeChatModel
from agents.llm.structured import StructuredLLM
from crews.runner import CrewRunner
from studio.breakdown import break_down
from studio.coverage import uncovered_dialogue
from studio.fountain import parse
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.stages import Stage

IDEA = "A night-shift waitress recognises the stranger at the counter"


@pytest.fixture
def fake_model():
    return SchemaFakeChatModel()


@pytest.fixture
def session(workspace, fake_model):
    crew = CrewRunner(StructuredLLM(fake_model, name="fake/scripted"))
    return Session(workspace, crew)


def talk(session, *texts):
    events = []
    for text in texts:
        events.extend(session.handle(Turn(text=text)))
    return events


def git_log(store) -> list[str]:
    return subprocess.run(["git", "log", "--format=%an|%s"], cwd=store.path, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def test_run_to_prompts_approving_each_stage(session, fake_model):
    session.auto_approve = True
    events = list(session.run_until(Stage.PROMPTS, idea=IDEA))
    assert not [e for e in events if e.kind == "error"], [e.text for e in events if e.kind == "error"]
    store = session.store
    m = store.manifest()
    for stage in ("brief", "treatment", "beats", "script", "breakdown", "look", "shots", "prompts"):
        assert m.status(Stage(stage)).value == "approved", stage
    assert m.status(Stage.BOARDS).value == "empty"
    # The story in Git: each draft authored by the agent that did the work, then approved by the person.
    log = git_log(store)
    drafts = {line.split("|")[1].split(":")[0]: line.split("|")[0] for line in log if ": approve" not in line}
    assert drafts["brief"] == "Producer" and drafts["treatment"] == "Screenwriter"
    assert drafts["script"] == "Screenwriter" and drafts["look"] == "Art Director"
    assert drafts["shots"] == "Cinematographer" and drafts["prompts"] == "Cinematographer"
    assert all(line.startswith("Dana Director|") for line in log if ": approve" in line)
    # Every stage is valid film data.
    script = store.read_script()
    doc = parse(script.fountain)
    bd = break_down(doc)
    assert len(bd.scenes) >= 2 and bd.characters
    shots = store.read(Stage.SHOTS)
    assert uncovered_dialogue(doc, bd, shots) == []
    for scene in bd.scenes:
        total = sum(s.duration_s for s in shots.shots if s.scene == scene.number)
        assert abs(total - scene.seconds) <= 0.15 * scene.seconds + 1e-9
    prompts = store.read(Stage.PROMPTS)
    assert [(p.scene, p.number) for p in prompts.prompts] == [(s.scene, s.number) for s in shots.shots]
    assert all(p.frame_prompt and p.video_prompt for p in prompts.prompts)
    # Accounting per stage, from the calls the model really got.
    assert m.llm["shots"].calls == len(bd.scenes)
    assert m.llm_total().calls == len(fake_model.calls)
    assert m.llm["brief"].tokens > 0


def test_conversation_variants_revision_and_staleness(session, fake_model):
    events = talk(session, IDEA)
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events)
    talk(session, "approve", "next")
    events = talk(session, "let's use variant 2")
    assert session.store.read(Stage.TREATMENT).chosen == 1
    assert any("Variant 2" in e.text for e in events)
    talk(session, "approve", "next", "approve", "next", "approve")
    m = session.store.manifest()
    assert m.status(Stage.SCRIPT).value == "approved" and m.status(Stage.BREAKDOWN).value == "draft"
    # A revision of an approved stage: the notes reach the Screenwriter, and downstream goes stale.
    calls = len(fake_model.calls)
    events = talk(session, "/revise treatment: make the ending hopeful")
    assert "make the ending hopeful" in " ".join(fake_model.calls[calls]["messages"])
    m = session.store.manifest()
    assert m.status(Stage.TREATMENT).value == "draft"
    assert m.status(Stage.BEATS).value == "stale" and m.status(Stage.SCRIPT).value == "stale"
    stale_note = [e.text for e in events if "stale" in e.text]
    assert stale_note and "beats" in stale_note[0] and "script" in stale_note[0]


def test_routing_and_refusals_keep_the_conversation_going(session, fake_model):
    events = talk(session, "/approve")
    assert events[0].kind == "error" and "no project" in events[0].text
    events = talk(session, "hi")
    assert events[0].kind == "error" and "in a sentence" in events[0].text
    talk(session, IDEA)
    events = talk(session, "/revise plot: more rain")
    assert events[0].kind == "error" and "no stage called 'plot'" in events[0].text
    events = talk(session, "/frobnicate")
    assert events[0].kind == "error" and "/help" in events[0].text
    talk(session, "approve")
    events = talk(session, "approve")
    assert events[0].kind == "error" and "nothing is waiting" in events[0].text
    events = talk(session, "/revise beats: more rain")
    assert events[0].kind == "error" and "nothing to revise" in events[0].text
    assert session.store.manifest().status(Stage.BEATS).value == "empty", "nothing approved by accident"
    # Words no rule reads are asked about; the crew (a model that calls no tools) is not asked to guess.
    calls = len(fake_model.calls)
    events = talk(session, "hmm, whatever you think")
    assert events[-1].kind == "question" and "Do you want me to" in events[-1].text
    assert len(fake_model.calls) == calls and session.store.manifest().status(Stage.TREATMENT).value == "empty"
    events = talk(session, "next")
    assert any(e.kind == "artifact" and e.stage == "treatment" for e in events)


def test_invalid_json_twice_does_not_lose_the_stage(session, fake_model):
    """A model that gives no valid JSON even after the repair: each field is asked again in words (or written
    by rule), and the stage is drafted whole."""
    talk(session, IDEA, "approve")
    fake_model.replies.extend(["{not json", "still not json"])
    events = talk(session, "next")
    assert not [e for e in events if e.kind == "error"], [e.text for e in events if e.kind == "error"]
    treatment = session.store.read(Stage.TREATMENT)
    assert len(treatment.variants) == 3 and all(v.title and v.logline and v.text for v in treatment.variants)
    assert session.store.manifest().status(Stage.TREATMENT).value == "draft"


def test_redo_a_shot_in_words(session):
    session.auto_approve = True
    list(session.run_until(Stage.PROMPTS, idea=IDEA))
    session.auto_approve = False
    prompts_before = session.store.read(Stage.PROMPTS).prompts
    before = prompts_before[1].frame_prompt
    events = talk(session, "redo shot 2 as a low angle close-up on an 85mm")
    shot = next(s for s in session.store.read(Stage.SHOTS).shots if s.scene == 1 and s.number == 2)
    assert (shot.angle.value, shot.size.value, shot.lens_mm) == ("low", "CU", 85)
    # One shot changed is not a new shot list: both stages keep their approval; that shot's prompt is new.
    assert session.store.manifest().status(Stage.SHOTS).value == "approved"
    assert session.store.manifest().status(Stage.PROMPTS).value == "approved"
    others = [p for k, p in enumerate(session.store.read(Stage.PROMPTS).prompts) if k != 1]
    assert [p.frame_prompt for p in others] == [p.frame_prompt for k, p in enumerate(prompts_before) if k != 1]
    after = session.store.read(Stage.PROMPTS).prompts[1].frame_prompt
    assert after != before and "low angle" in after and "85mm" in after
    assert any("S01_SH002 is now" in e.text for e in events)


def test_commands_answer(session):
    session.auto_approve = True
    list(session.run_until(Stage.SHOTS, idea=IDEA))
    texts = {cmd: " ".join(e.text for e in talk(session, cmd)) for cmd in
             ("/status", "/scenes", "/shots 1", "/variants", "/history", "/help", "/branch list")}
    assert "shots      approved" in texts["/status"] and "Model work:" in texts["/status"]
    assert "INT." in texts["/scenes"] or "EXT." in texts["/scenes"]
    assert "S01_SH001" in texts["/shots 1"]
    assert "1." in texts["/variants"]
    assert "approve" in texts["/history"]
    assert "/revise" in texts["/help"]
    assert "*main" in texts["/branch list"]


def test_prompt_overrides_survive_regeneration(session):
    session.auto_approve = True
    list(session.run_until(Stage.PROMPTS, idea=IDEA))
    session.auto_approve = False
    events = talk(session, "/prompt 1.2 a lone figure at a neon counter, rain, 1970s film still")
    assert "yours" in events[0].text
    talk(session, "/prompt 1.2 video: slow push-in on the counter")
    talk(session, "/revise prompts: again please")
    p = next(p for p in session.store.read(Stage.PROMPTS).prompts if (p.scene, p.number) == (1, 2))
    assert p.frame_override == "a lone figure at a neon counter, rain, 1970s film still"
    assert p.video_override == "slow push-in on the counter"
    events = talk(session, "/prompt 1.2 reset")
    p = next(p for p in session.store.read(Stage.PROMPTS).prompts if (p.scene, p.number) == (1, 2))
    assert p.frame_override is None and p.video_override == "slow push-in on the counter"


def test_staleness_message_says_what_redoing_costs(session, fake_model):
    session.auto_approve = True
    list(session.run_until(Stage.SHOTS, idea=IDEA))
    session.auto_approve = False
    first = session.store.read(Stage.LOOK).characters[0].name
    fake_model.replies.append(json.dumps({"description": "A tired woman.", "visual": "black and white film look",
                                          "age": "30s", "wardrobe": "a grey coat"}))
    events = talk(session, "/revise look: everything in black and white")
    assert "black and white film look" in session.store.read(Stage.LOOK).character(first).visual
    note = next(e.text for e in events if "stale" in e.text)
    assert "shots" in note and "model calls" in note


def test_words_that_are_not_approvals(session, fake_model):
    talk(session, IDEA)
    events = talk(session, "ok, but make the title shorter")
    assert session.store.manifest().status(Stage.BRIEF).value == "draft", "a note with 'ok' is not an approval"
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events), "it went to the Producer as notes"
    fake_model.replies.append(json.dumps({"intent": "approve", "number": None}))
    events = talk(session, "hmm, fine I suppose")
    assert events[0].kind == "question" and "approve" in events[0].text.lower()
    assert session.store.manifest().status(Stage.BRIEF).value == "draft", "never approved on a guess"
    talk(session, "approve")
    events = talk(session, "yes")  # to "Next: the Screenwriter will draft the treatment. Go ahead?"
    assert any(e.kind == "artifact" and e.stage == "treatment" for e in events)
    events = talk(session, "can you take 2 minutes off the runtime")
    assert session.store.read(Stage.TREATMENT).chosen is None, "'take 2' inside a note is not a pick"
    talk(session, "approve")
    assert session.store.read(Stage.TREATMENT).chosen == 0, "approving the treatment settles on a variant"


def test_the_idea_can_come_after_new(session):
    talk(session, "/new Rain Check")
    events = talk(session, IDEA)
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events)
    assert session.store.slug == "rain-check"
    assert IDEA in session.store.read(Stage.BRIEF).references[0]


def test_an_imported_screenplay_is_never_redrafted(session, workspace):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"
    events = list(session.handle(Turn(upload=("night_shift.fountain", sample.read_bytes()))))
    assert any(e.kind == "artifact" for e in events)
    before = session.store.read_script().fountain
    events = talk(session, "/revise script: tighten the dialogue in scene 2")
    assert events[0].kind == "error" and "imported" in events[0].text
    assert session.store.read_script().fountain == before
    events = talk(session, "/revise prompts: warmer")
    assert events[0].kind == "error" and "/prompt SHOT TEXT" in events[0].text


def test_classifier_and_failed_work_are_counted_apart(workspace, fake_model):
    # A model that calls tools gives its reading of words no rule reads; that call is the conversation's.
    session = Session(workspace, CrewRunner(StructuredLLM(fake_model, name="fake/scripted"), tools=lambda key: []))
    talk(session, IDEA, "approve")
    fake_model.replies.append(json.dumps({"intent": "next", "number": None}))
    events = talk(session, "hmm, whatever you think")
    assert "draft the next stage" in events[-1].text and "Next" in events[-1].options, "its reading is offered"
    talk(session, "next")
    m = session.store.manifest()
    assert m.llm["conversation"].calls == 1, "the Producer's classifying is counted"
    assert m.llm["treatment"].calls == 1, "and not billed to the treatment"
    fake_model.replies.extend(["{bad", "{bad"])
    talk(session, "approve", "next")  # the beats come back as no JSON twice: each beat asked again in words
    m = session.store.manifest()
    assert "failed" not in m.llm and m.llm["beats"].calls == 2 + 8
    assert m.llm_total().calls == len(fake_model.calls)
