"""The conversation engine on the in-memory fakes of its ports: no disk, no Git, no model."""

from __future__ import annotations

import pytest

from studio.coverage import LENS_FOR_SIZE, plan
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.errors import AuteurError
from studio.fountain import parse
from studio.models import ShotSize, Treatment, TreatmentVariant
from studio.project import Author
from studio.stages import Stage, StageStatus
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeMemory, FakeRenderer, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()


def talk(session: Session, *said: str) -> list:
    events = []
    for text in said:
        events.extend(session.handle(Turn(text=text)))
    return events


def texts(events, kind: str | None = None) -> list[str]:
    return [e.text for e in events if kind is None or e.kind == kind]


@pytest.fixture
def workspace():
    return FakeWorkspace()


@pytest.fixture
def crew():
    return FakeCrew({"intent": {"intent": "other"}})


@pytest.fixture
def session(workspace, crew):
    s = Session(workspace, crew, user="Dana Director")
    list(s.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    return s


def with_shots(session: Session) -> None:
    store = session.require_project()
    script = store.read_script()
    shots = plan(parse(script.fountain), store.breakdown())
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")


def test_an_uploaded_screenplay_opens_a_project_and_asks_for_approval(workspace, crew):
    session = Session(workspace, crew)
    events = list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    assert workspace.slugs() == ["night-shift"]
    artifact = next(e for e in events if e.kind == "artifact")
    assert artifact.stage == "breakdown" and artifact.text.startswith("Breakdown: ")
    assert artifact.data["slug"] == "night-shift"
    question = events[-1]
    assert question.kind == "question" and "Approve" in question.options
    assert session.store.manifest().status(Stage.SCRIPT) is StageStatus.DRAFT


def test_approval_in_words_approves_the_stage_offered(session):
    offered = next(e for e in session.greet() if e.kind == "question").stage
    events = talk(session, "looks good")  # praise is no approval: the word is asked for
    assert events[-1].kind == "question" and "Say 'approve'" in events[-1].text
    assert session.store.manifest().status(Stage(offered)) is not StageStatus.APPROVED
    events = talk(session, "approve it")
    assert f"{offered.capitalize()} approved and saved" in " ".join(texts(events))
    assert session.store.manifest().status(Stage(offered)) is StageStatus.APPROVED
    assert session.store.history(limit=1)[0].trailers["Auteur-Action"] == "approve"


@pytest.mark.parametrize("tools", [False, True])
def test_the_classifier_never_approves_on_a_guess(workspace, tools):
    """Words no rule reads are asked about. A model that calls tools is asked for its reading (counted), and even
    its 'approve' only shapes the question; a model that only fills slots is not asked at all."""
    crew = FakeCrew({"intent": {"intent": "approve"}}, tools=tools)
    session = Session(workspace, crew)
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    before = session.store.manifest().statuses()
    events = talk(session, "hmm, fine by me I suppose")
    assert [c[0] for c in crew.calls] == (["intent"] if tools else [])
    assert events[-1].kind == "question" and "Do you want me to" in events[-1].text
    assert "approve the brief" in events[-1].text and "Approve" in events[-1].options
    assert session.store.manifest().statuses() == before
    assert session.conversation_usage.calls == (1 if tools else 0)  # counted, saved with the next stage


def test_an_unknown_command_is_an_error_that_names_the_fix(session):
    events = talk(session, "/stauts")
    assert events[0].kind == "error"
    assert events[0].data["error"] == "there is no command /stauts" and "/status" in events[0].data["fix"]


def test_one_turn_at_a_time_changes_a_project_but_reading_goes_through(workspace, crew, session):
    other = Session(workspace, crew, project=session.store.slug)
    held = session.store.turn_lock()
    held.acquire()
    try:
        busy = talk(other, "approve")
        assert busy[0].kind == "error" and busy[0].data == {"busy": True}
        status = talk(other, "/status")
        assert status[0].kind == "message" and status[0].data["stages"]["script"] == "draft"
    finally:
        held.release()
    assert session.store.manifest().status(Stage.BRIEF) is StageStatus.DRAFT  # nothing changed meanwhile
    assert "approved" in " ".join(texts(talk(other, "approve")))


def test_revise_notes_for_a_stage_nobody_writes_are_refused_with_the_fix(session):
    events = talk(session, "/revise breakdown: merge scenes 2 and 3")
    assert events[0].kind == "error" and "not written by the crew" in events[0].data["error"]
    assert "revise the script" in events[0].data["fix"]


def test_redo_a_shot_in_words_changes_only_that_shot(session):
    with_shots(session)
    before = {s.code: s for s in session.store.read(Stage.SHOTS).shots}
    events = talk(session, "redo shot 1.1 as a low angle close-up")
    after = {s.code: s for s in session.store.read(Stage.SHOTS).shots}
    first = after["S01_SH001"]
    assert (first.size.value, first.angle.value) == ("CU", "low")
    assert first.lens_mm == LENS_FOR_SIZE[ShotSize.CU]
    assert before["S01_SH001"].size is not ShotSize.CU
    assert all(after[c].size == before[c].size for c in before if c != "S01_SH001")
    said = next(e for e in events if e.author == "Cinematographer")
    assert said.text.startswith("S01_SH001 is now") and said.data["shot"]["angle"] == "low"
    newest = [c for c in session.store.history() if c.trailers.get("Auteur-Action") != "decision"][0]
    assert newest.author == "Dana Director"  # the person asked: their commit; their words are kept as a decision


def test_the_render_gate_renders_only_after_a_yes(workspace, crew):
    renderer = FakeRenderer()
    session = Session(workspace, crew, renderer=renderer)
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    with_shots(session)
    shots = len(session.store.read(Stage.SHOTS).shots)
    asked = talk(session, "/render boards")
    assert asked[-1].kind == "question" and asked[-1].text.startswith("Estimate: ")
    assert asked[-1].data["jobs"] == shots and renderer.runs == 0
    assert "nothing rendered" in talk(session, "no")[0].text and renderer.runs == 0
    talk(session, "/render boards scene 1")
    done = talk(session, "yes")
    assert renderer.runs == 1
    takes = [e for e in done if e.kind == "artifact"]
    scene_one = [s for s in session.store.read(Stage.SHOTS).shots if s.scene == 1]
    assert len(takes) == len(scene_one) and all(e.data["media"] == "image" for e in takes)
    assert all(e.data["path"].startswith("/fake/night-shift/03_Renders/") for e in takes)
    assert all("/fake/" not in e.text for e in done)  # paths travel as data, never in the words
    assert done[-1].kind == "question" and done[-1].options == ["Render clips", "Cut", "Approve boards"]


def test_a_render_asked_in_other_words_goes_to_the_cinematographer_with_tools(workspace):
    def direct(agent: str, request: str) -> str:
        session.store.add_take(1, 2)
        return "Here is shot 1.2 again, darker."

    crew = FakeCrew({}, tools=True, direct=direct)
    session = Session(workspace, crew, renderer=FakeRenderer())
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    # Words the rules cannot read as a change of a shot ("that diner frame", "fog rolling in").
    events = talk(session, "can I see that frame again with fog rolling in?")
    assert crew.calls[0] == ("direct:cinematographer", {"request": "can I see that frame again with fog rolling in?"})
    new = [e for e in events if e.kind == "artifact"]
    assert [e.text for e in new] == ["New take: S01_SH002_take01.png"]


def test_memory_that_cannot_start_is_a_notice_and_the_work_goes_on(workspace, crew):
    def broken(store):
        raise AuteurError("Qdrant is not reachable", "start it, or set AUTEUR_MEMORY=off")

    session = Session(workspace, crew, memory=broken)
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    events = talk(session, "/recall what did we decide?")
    assert events[0].kind == "error" and events[0].data["error"] == "memory is off for this project"
    assert any(e.kind == "message" and e.text.startswith("Memory is off for now: Qdrant is not reachable")
               for e in events)


def test_recall_answers_with_sources(workspace, crew):
    class Hit:
        kind, key, source, commit, text = "decision", "d1", "decisions.jsonl", "abcdef1234", "She keeps the photo."

        def to_dict(self):
            return {"kind": self.kind, "text": self.text}

    memory = FakeMemory([Hit()])
    session = Session(workspace, crew, memory=lambda store: memory)
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    events = talk(session, "/recall the photograph?")
    assert memory.asked == ["the photograph?"]
    assert events[0].text == "1. [decision d1, decisions.jsonl@abcdef1] She keeps the photo."


def test_every_registered_command_has_usage_and_help():
    from studio.engine.commands import REGISTRY

    assert {"help", "status", "approve", "render", "takes", "export"} <= set(REGISTRY.commands)
    for command in REGISTRY.commands.values():
        assert command.usage.startswith(f"/{command.name}") and command.help
    assert REGISTRY.reads_only("/status") and not REGISTRY.reads_only("/approve")


def test_approving_a_treatment_takes_variant_one_without_loading_a_model(workspace):
    def no_model():
        raise AssertionError("approving must not load the crew")

    session = Session(workspace, no_model)
    store = session.workspace.create("Night Shift")
    session.store = store
    variants = [TreatmentVariant(title=f"Take {k}", logline=f"Version {k}.") for k in (1, 2, 3)]
    store.save(Stage.TREATMENT, Treatment(variants=variants), author=Author.agent("Screenwriter"), summary="three")
    events = talk(session, "/approve treatment")
    assert store.read(Stage.TREATMENT).chosen == 0
    assert store.manifest().status(Stage.TREATMENT) is StageStatus.APPROVED
    said = texts(events)
    assert "Variant 1, \u201cTake 1\u201d, it is." in said and "Treatment approved and saved." in said
    assert [c.trailers.get("Auteur-Action") for c in store.history(limit=3)] == ["approve", "pick", "draft"]
