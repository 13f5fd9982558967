"""Memory in the conversation: decisions kept, recalled with /recall, and given to the agents."""

from __future__ import annotations

from agents.llm.fake import SchemaFakeChatModel
from agents.llm.structured import StructuredLLM
from crews.runner import CrewRunner
from memory.recall import memory_for
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.stages import Stage

IDEA = "A night-shift waitress recognises the stranger at the counter"


def test_a_revision_uses_a_decision_made_ten_turns_earlier(workspace, settings):
    model = SchemaFakeChatModel()
    session = Session(workspace, CrewRunner(StructuredLLM(model, name="fake")),
                      memory=lambda store: memory_for(store, settings))

    def talk(text):
        return list(session.handle(Turn(text=text)))

    talk(IDEA)
    events = talk("Nell should always wear her grandmother's red wool scarf")
    assert session.store.history(limit=5)[0].trailers["Auteur-Action"] == "decision"
    assert any("kept" in e.text and "decision" in e.text for e in events), "no look yet: kept for it"
    for text in ("approve", "next", "approve", "next", "approve", "next", "/status", "approve", "/scenes"):
        talk(text)
    assert len(session.turns) > 20
    assert session.store.manifest().status(Stage.BREAKDOWN).value == "draft"
    before = len(model.calls)
    talk("/revise script: give the ending more rain")
    prompts = [" ".join(c["messages"]) for c in model.calls[before:]]
    assert prompts and all("red wool scarf" in p for p in prompts), "every scene call remembers the scarf"
    events = talk("/recall what did we decide about the scarf?")
    hits = events[0].data["hits"]
    assert hits[0]["kind"] == "decision" and "scarf" in hits[0]["text"]
    assert hits[0]["source"] == "04_Project_Files/decisions.jsonl"


def test_without_memory_the_studio_goes_on(workspace):
    from memory.semantic import MemoryUnavailable

    def broken(store):
        raise MemoryUnavailable("the memory folder is in use by another Auteur process", "close it")

    session = Session(workspace, CrewRunner(StructuredLLM(SchemaFakeChatModel(), name="fake")), memory=broken)
    events = list(session.handle(Turn(text=IDEA)))
    assert any(e.kind == "artifact" and e.stage == "brief" for e in events)
    notices = [e.text for e in events if "Memory is off" in e.text]
    assert len(notices) == 1 and "without recall" in notices[0]
    events = list(session.handle(Turn(text="/recall anything")))
    assert events[0].kind == "error" and "memory is off" in events[0].text


def test_producer_gets_the_recent_turns(workspace):
    model = SchemaFakeChatModel()
    # A model that calls tools is asked for its reading of words no rule reads, with the turns so far.
    session = Session(workspace, CrewRunner(StructuredLLM(model, name="fake"), tools=lambda key: []))
    list(session.handle(Turn(text=IDEA)))
    model.replies.append('{"intent": "other", "number": null}')
    list(session.handle(Turn(text="hmm, the thing with the light")))
    classifier = [" ".join(c["messages"]) for c in model.calls
                  if 'said: "hmm, the thing with the light"' in " ".join(c["messages"])]
    assert len(classifier) == 1
    assert IDEA in classifier[0], "the Producer sees the conversation so far"
    assert "Producer:" in classifier[0]


def test_shot_design_gets_the_scene_and_the_end_of_the_one_before(workspace, settings):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"
    model = SchemaFakeChatModel()
    session = Session(workspace, CrewRunner(StructuredLLM(model, name="fake")),
                      memory=lambda store: memory_for(store, settings))
    list(session.handle(Turn(upload=("night_shift.fountain", sample.read_bytes()))))
    session.auto_approve = True
    list(session.run_until(Stage.SHOTS))
    shot_calls = [" ".join(c["messages"]) for c in model.calls if "The standard coverage has" in " ".join(c["messages"])]
    assert len(shot_calls) == 8
    assert "This scene: INT. SUNRISE DINER - KITCHEN" in shot_calls[2]
    assert "End of the scene before:" in shot_calls[2] and "End of the scene before:" not in shot_calls[0]
