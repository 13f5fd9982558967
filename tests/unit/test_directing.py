"""A director's words through the whole engine (studio.engine.directing) on the in-memory fakes: what is
approved, changed and asked. The labelled set (bench/intents/director.jsonl) is a person's reading of each line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.coverage import plan
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.fountain import parse
from studio.models import Character, Look, SceneState, CharacterState
from studio.project import Author
from studio.stages import Stage, StageStatus
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()
SET = Path(__file__).resolve().parents[2] / "bench" / "intents" / "director.jsonl"
LINES = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def studio_at_the_shots() -> Session:
    """The sample imported, brief to look approved, the shots drafted and waiting for approval."""
    session = Session(FakeWorkspace(), FakeCrew({"intent": {"intent": "approve"}}), user="Dana Director")
    list(session.handle(Turn(upload=("night_shift.fountain", SAMPLE))))
    store = session.require_project()
    for stage in (Stage.BRIEF, Stage.SCRIPT, Stage.BREAKDOWN):
        store.approve(stage)
    breakdown = store.breakdown()
    look = Look(characters=[Character(name=n, wardrobe="a faded pink uniform" if n == "NELL" else "work clothes")
                            for n in ("NELL", "WALT", "ROY", "DEE")],
                states=[SceneState(scene=2, characters={"NELL": CharacterState(wardrobe="a faded pink uniform")})])
    store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look")
    store.approve(Stage.LOOK)
    shots = plan(parse(store.read_script().fountain), breakdown)
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")
    session.focus = Stage.SHOTS
    return session


def approved(session: Session) -> set[Stage]:
    m = session.require_project().manifest()
    return {s for s in Stage if m.status(s) is StageStatus.APPROVED}


@pytest.mark.parametrize("line", [x for x in LINES if not any(i["kind"] == "approve" for i in x["intents"])],
                         ids=lambda x: x["text"][:50])
def test_no_line_that_is_not_an_approval_approves_anything(line):
    session = studio_at_the_shots()
    before = approved(session)
    events = list(session.handle(Turn(text=line["text"])))
    assert approved(session) <= before, [e.text for e in events]  # nothing newly approved (an undo may un-approve)
    assert not any(e.data.get("status") == "approved" for e in events)


def test_the_issues_coat_note_changes_the_look_not_the_shot_list():
    session = studio_at_the_shots()
    store = session.require_project()
    shots_before = store.read(Stage.SHOTS).model_dump()
    events = list(session.handle(Turn(text="Nell should always wear a red coat")))
    look = store.read(Stage.LOOK)
    assert "red coat" in look.character("NELL").wardrobe, [e.text for e in events]
    assert all("red coat" in st.characters["NELL"].wardrobe for st in look.states if "NELL" in st.characters)
    assert store.read(Stage.SHOTS).model_dump() == shots_before, "no shot was redrafted"
    assert not [e for e in events if e.kind == "question" and "approv" in e.text.lower()]
    assert any("red coat" in t for t, _, _ in store.decisions), "kept as a decision, for recall"


def test_an_unclear_message_is_asked_about_and_nothing_changes():
    session = studio_at_the_shots()
    store = session.require_project()
    before = (approved(session), len(store.history()))
    events = list(session.handle(Turn(text="hmm, nell's coat")))
    assert events[-1].kind == "question" and "Do you want me to" in events[-1].text
    assert "Nell's coat" in events[-1].text and "approve the shots" in events[-1].text
    assert (approved(session), len(store.history())) == before
    assert session.crew.calls == [], "a model that cannot call tools is not asked to guess"


def test_what_was_decided_is_answered_with_its_source_when_memory_is_off():
    session = studio_at_the_shots()
    list(session.handle(Turn(text="Nell should always wear a red coat")))
    events = list(session.handle(Turn(text="what did we decide about the coat?")))
    answer = events[-1]
    assert "coat" in answer.text.lower() and answer.data["hits"], answer.text
    assert all(h["commit"] or h["source"] == "look" for h in answer.data["hits"])


def test_undo_takes_back_the_coat():
    session = studio_at_the_shots()
    store = session.require_project()
    list(session.handle(Turn(text="Nell should always wear a red coat")))
    events = list(session.handle(Turn(text="undo that")))
    assert any(e.text.startswith("Undone:") for e in events), [e.text for e in events]
    assert store.read(Stage.LOOK).character("NELL").wardrobe == "a faded pink uniform"


def test_several_requests_in_one_message_are_each_done_or_named():
    session = studio_at_the_shots()
    store = session.require_project()
    events = list(session.handle(Turn(text="give Walt a grey beard and show me the script")))
    assert store.read(Stage.LOOK).character("WALT").hair, [e.text for e in events]
    assert any(e.kind == "artifact" and "SUNRISE DINER" in e.text for e in events)


@pytest.mark.parametrize("first", ["wait, don't approve", "hmm, nell's coat", "yes", "back to the shots",
                                   "show me shot 1.2"])
@pytest.mark.parametrize("then", ["yes", "sure", "ok", "perfect", "great", "yes go ahead"])
def test_a_yes_approves_only_the_approval_question(first, then):
    """A bare yes (or praise) after any other question than the Producer's approval question approves nothing."""
    session = studio_at_the_shots()
    before = approved(session)
    events = list(session.handle(Turn(text=first))) + list(session.handle(Turn(text=then)))
    assert approved(session) == before, [e.text for e in events]


def test_a_yes_to_the_approval_question_approves_that_stage():
    session = studio_at_the_shots()
    offered = next(e for e in session.greet() if e.kind == "question")  # the last thing the person saw
    assert offered.data.get("approval") == "shots"
    events = list(session.handle(Turn(text="yes")))
    assert Stage.SHOTS in approved(session), [e.text for e in events]


def test_an_approval_said_with_a_request_that_failed_is_not_done():
    session = studio_at_the_shots()
    events = list(session.handle(Turn(text="make shot 9.9 a close-up and approve the shots")))
    assert Stage.SHOTS not in approved(session)
    [note] = [e for e in events if e.data.get("not_done")]
    assert "did not approve the shots" in note.text


def test_wider_and_shorter_step_from_the_shot_as_it_is():
    session = studio_at_the_shots()
    store = session.require_project()
    shot = next(s for s in store.read(Stage.SHOTS).shots if s.scene == 2 and s.size.value not in ("EWS",))
    list(session.handle(Turn(text=f"make shot {shot.scene}.{shot.number} wider")))
    after = next(s for s in store.read(Stage.SHOTS).shots if (s.scene, s.number) == (shot.scene, shot.number))
    order = ["ECU", "CU", "MCU", "MS", "MLS", "WS", "EWS"]
    assert order.index(after.size.value) == order.index(shot.size.value) + 1


def test_a_branch_named_in_words_is_made_and_switched_back():
    session = studio_at_the_shots()
    store = session.require_project()
    events = list(session.handle(Turn(text="make a branch called red coat")))
    assert store.branch == "red-coat", [e.text for e in events]
    events = list(session.handle(Turn(text="switch to the main branch")))
    assert store.branch == "main", [e.text for e in events]


@pytest.mark.parametrize("praise", ["perfect", "looks great", "love it", "great, thanks"])
def test_praise_never_approves_even_the_stage_offered(praise):
    session = studio_at_the_shots()
    session.greet()  # the approval question is in front
    events = list(session.handle(Turn(text=praise)))
    assert Stage.SHOTS not in approved(session), [e.text for e in events]
    assert events[-1].kind == "question" and "Say 'approve'" in events[-1].text
