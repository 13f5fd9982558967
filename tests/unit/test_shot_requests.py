"""One shot changed as a director asks ("shot 1.2 from lower, at dusk"), on the in-memory fakes: that shot alone,
its prompt assembled again, no stage back to draft, every part done or said not done; the board asked for becomes
the shot's active take and the Producer says so."""

from __future__ import annotations

import pytest

from studio.engine.conversation import Conversation
from studio.engine.render_gate import run_pending
from studio.render import picture_json
from studio.engine.shot_requests import apply_shot_changes, redo_shot, show_shot
from studio.errors import StageError
from studio.models import Angle, ShotSize, TakeKind
from studio.render import RenderKind
from studio.shot_revision import change_shot, picture_words, revise_shot, shot_changes
from studio.stages import Stage
from tests.drafted import drafted_sample
from tests.fakes import FakeCrew



@pytest.fixture
def conv() -> Conversation:
    """The sample with its shots and prompts drafted, and a board of every shot of scene 1."""
    workspace, store, renderer = drafted_sample()
    return Conversation(workspace, FakeCrew({}), project=store.slug, renderer=renderer)


def _shots(store) -> dict:
    return {s.code: s for s in store.read(Stage.SHOTS).shots}


def _prompts(store) -> dict:
    return {f"S{p.scene:02d}_SH{p.number:03d}": p for p in store.read(Stage.PROMPTS).prompts}


def test_the_words_of_a_shot_request_become_its_fields_and_leave_nothing_over():
    assert shot_changes("from lower, at dusk") == {"angle": Angle.LOW, "time_of_day": "DUSK"}
    assert shot_changes("in the blue hour")["time_of_day"] == "DUSK"
    assert shot_changes("golden hour")["time_of_day"] == "MAGIC HOUR"
    assert shot_changes("at dawn, 4 seconds") == {"time_of_day": "DAWN", "duration_s": 4.0}
    assert shot_changes("mood tense")["mood"] == "tense" and shot_changes("make it feel eerie")["mood"] == "eerie"
    assert picture_words("from lower, at dusk") == "", "no 'at dusk' left over beside the prompt's light"
    assert picture_words("a close-up at dusk, in the rain") == "rain"


def test_a_shot_changed_at_dusk_changes_that_shot_and_its_prompt_only(conv):
    store = conv.require_project()
    before_shots, before_prompts = _shots(store), _prompts(store)
    statuses = store.manifest().statuses()
    change, shot, done, not_done = change_shot(store, 1, 2, shot_changes("from lower, at dusk"),
                                               words="from lower, at dusk")
    assert (shot.angle, shot.time_of_day) == (Angle.LOW, "DUSK") and done == {"angle": Angle.LOW,
                                                                               "time_of_day": "DUSK"}
    assert not_done == [] and {"angle", "time_of_day"} <= set(shot.person)
    after_shots, after_prompts = _shots(store), _prompts(store)
    assert after_shots["S01_SH002"].time_of_day == "DUSK"
    prompt = after_prompts["S01_SH002"].frame_prompt
    assert "dusk" in prompt and "night" not in prompt.lower(), prompt
    others = [c for c in before_shots if c != "S01_SH002"]
    assert all(picture_json(after_shots[c]) == picture_json(before_shots[c]) for c in others)
    assert all(after_prompts[c] == before_prompts[c] for c in others)
    assert store.manifest().statuses() == statuses, "no stage went back to draft or stale"
    commit = store.history(limit=1)[0]
    assert commit.commit == change.commit and commit.trailers["Auteur-Stages"] == "shots, prompts"


def test_a_shot_made_longer_keeps_the_others_and_a_too_short_one_keeps_its_lines(conv):
    store = conv.require_project()
    before = _shots(store)
    _, shot, done, not_done = change_shot(store, 1, 2, {"duration": "4"})
    assert shot.duration_s == 4.0 and not_done == []
    assert all(s.duration_s == before[c].duration_s for c, s in _shots(store).items() if c != "S01_SH002")
    talker = next(s for s in before.values() if s.dialogue and s.duration_s > 1.5)
    _, shot, _, not_done = change_shot(store, talker.scene, talker.number, {"duration_s": 0.5})
    assert shot.duration_s >= 1.0 and "its lines take" in not_done[0]


def test_the_parsers_words_are_typed_and_a_value_that_is_no_shots_is_said(conv):
    events = list(apply_shot_changes(conv, 1, 2, {"angle": "low", "lens": "85", "angle_of_view": "wide"}))
    [said] = events
    shot = _shots(conv.require_project())["S01_SH002"]
    assert (shot.angle, shot.lens_mm) == (Angle.LOW, 85)
    assert said.author == "Cinematographer" and said.text.startswith("S01_SH002 is now angle low, lens 85 mm.")
    assert said.data["commit"] and said.data["shot"]["angle"] == "low"
    assert said.data["not_done"] and "angle of view" in said.text


def test_redo_says_each_part_it_could_not_do_and_drafts_no_stage(conv):
    store = conv.require_project()
    statuses = store.manifest().statuses()
    events = list(redo_shot(conv, "1.2", "a close-up at dusk, sparkly"))
    texts = [e.text for e in events]
    assert texts[0].startswith("S01_SH002 is now size CU") and "at dusk" in texts[0]
    assert "I could not tell what 'sparkly' should change" in texts[1]
    assert store.manifest().statuses() == statuses
    assert _shots(store)["S01_SH002"].size is ShotSize.CU
    with pytest.raises(StageError, match="sparkly"):
        list(redo_shot(conv, "1.2", "sparkly"))


def test_a_board_asked_for_becomes_the_active_take_and_the_producer_says_so(conv):
    store, renderer = conv.require_project(), conv.renderer
    asked = list(show_shot(conv, "1.2", "from lower, at dusk"))
    assert asked[-1].kind == "question" and asked[-1].text.startswith("Estimate: ")
    assert renderer.plans[-1]["activate"] is True and renderer.plans[-1]["prompt"] is None
    events = list(run_pending(conv))
    takes = [t for t in store.takes(1, 2) if t.kind is TakeKind.IMAGE]
    assert [(t.number, t.active) for t in takes] == [(1, False), (2, True)]
    said = [e.text for e in events if e.kind == "message"]
    assert "S01_SH002 take 2 is now the active board: the storyboard and the cut use it." in said
    # A plain batch leaves the person's choice where it is, and says nothing of it.
    renderer.run(store, RenderKind.BOARD, shots=[(1, 2)])
    assert [t.active for t in store.takes(1, 2)] == [False, True, False]


def test_the_agents_tool_path_still_revises_by_the_words(conv):
    store = conv.require_project()
    _, shot, changes = revise_shot(store, 1, 2, "from lower, at dusk", strict=True)
    assert changes == {"angle": Angle.LOW, "time_of_day": "DUSK"} and shot.person == []


def test_words_that_are_no_field_go_into_this_boards_prompt_only_and_it_is_said(conv):
    asked = list(show_shot(conv, "1.2", "at dusk, in the rain"))
    said = [e.text for e in asked if e.kind == "message"]
    assert any("'rain' is no part of a shot" in t for t in said), said
    prompt = conv.renderer.plans[-1]["prompt"]
    assert prompt.endswith(", rain") and "dusk" in prompt and "at dusk" not in prompt


def test_a_render_the_cinematographers_tools_set_up_for_one_shot_activates_its_take(conv):
    from studio.engine.render_gate import tool_gate

    store = conv.require_project()
    plan = conv.renderer.plan(store, RenderKind.BOARD, shots=[(1, 3)], activate=True)
    assert tool_gate(conv)(RenderKind.BOARD, [(1, 3)], None, plan) is False  # it waits for the yes
    assert conv.pending_render is not None and conv.pending_render.activate
    events = list(run_pending(conv))
    assert [t.active for t in store.takes(1, 3)] == [False, True]
    assert any(e.text.startswith("S01_SH003 take 2 is now the active board") for e in events)
