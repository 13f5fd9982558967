from __future__ import annotations

import pytest

from studio.errors import StageError
from studio.stages import (
    STAGE_ORDER, Stage, StageStatus, check_approvable, default_stages, next_stage, record_approval,
    record_derived, record_edit, unapproved_upstream,
)

A, D, E, S = StageStatus.APPROVED, StageStatus.DRAFT, StageStatus.EMPTY, StageStatus.STALE


def states(**statuses):
    stages = default_stages()
    for name, status in statuses.items():
        stages[Stage(name)].status = status
    return stages


def test_twelve_stages_in_pipeline_order():
    assert [s.value for s in STAGE_ORDER] == [
        "brief", "treatment", "beats", "script", "breakdown", "look", "shots", "prompts",
        "boards", "clips", "cut", "export"]
    assert Stage.SCRIPT.downstream[0] is Stage.BREAKDOWN
    assert Stage.EXPORT.downstream == []
    assert Stage.BRIEF.upstream == []


def test_editing_an_approved_stage_makes_downstream_with_content_stale():
    stages = states(brief=A, treatment=A, beats=A, script=A, breakdown=A, look=D, shots=A, prompts=E)
    t = record_edit(stages, Stage.SCRIPT)
    assert stages[Stage.SCRIPT].status is D
    assert stages[Stage.BREAKDOWN].status is S
    assert stages[Stage.LOOK].status is S
    assert stages[Stage.SHOTS].status is S
    assert stages[Stage.PROMPTS].status is E, "a stage with no content is not stale"
    assert stages[Stage.BEATS].status is A, "upstream is untouched"
    assert t.made_stale == [Stage.BREAKDOWN, Stage.LOOK, Stage.SHOTS]
    assert stages[Stage.SHOTS].stale_because == "script"


def test_editing_a_draft_stage_does_not_cascade():
    stages = states(script=D, breakdown=A)
    t = record_edit(stages, Stage.SCRIPT)
    assert t.made_stale == []
    assert stages[Stage.BREAKDOWN].status is A


def test_editing_a_stale_stage_cascades_again():
    stages = states(script=S, breakdown=D, look=A)
    t = record_edit(stages, Stage.SCRIPT)
    assert t.made_stale == [Stage.BREAKDOWN, Stage.LOOK]


def test_removing_content_empties_the_stage():
    stages = states(look=D)
    record_edit(stages, Stage.LOOK, has_content=False)
    assert stages[Stage.LOOK].status is E


def test_derived_stage_is_draft_unless_it_had_been_approved():
    stages = states(breakdown=E)
    record_derived(stages, Stage.BREAKDOWN)
    assert stages[Stage.BREAKDOWN].status is D
    stages = states(breakdown=A)
    record_derived(stages, Stage.BREAKDOWN)
    assert stages[Stage.BREAKDOWN].status is S


def test_approve_rules():
    stages = states(script=D, brief=D)
    with pytest.raises(StageError, match="empty"):
        check_approvable(stages, Stage.SHOTS)
    record_approval(stages, Stage.SCRIPT)
    assert stages[Stage.SCRIPT].status is A
    with pytest.raises(StageError, match="already approved"):
        record_approval(stages, Stage.SCRIPT)
    assert unapproved_upstream(stages, Stage.SCRIPT) == [Stage.BRIEF]
    stages[Stage.SCRIPT].status = S
    record_approval(stages, Stage.SCRIPT)
    assert stages[Stage.SCRIPT].status is A


def test_next_stage_is_first_unapproved():
    assert next_stage(states()) is Stage.BRIEF
    assert next_stage(states(brief=A, treatment=A)) is Stage.BEATS
    assert next_stage({s: type(v)(status=A) for s, v in default_stages().items()}) is None


@pytest.mark.parametrize("text,stage", [("script", Stage.SCRIPT), ("Script", Stage.SCRIPT), ("4", Stage.SCRIPT),
                                        ("stage 7", Stage.SHOTS), ("shotlist", Stage.SHOTS)])
def test_stage_names(text, stage):
    assert Stage.parse(text) is stage


def test_unknown_stage_names_the_choices():
    with pytest.raises(StageError) as exc:
        Stage.parse("storyline")
    assert "storyline" in exc.value.problem and "treatment" in exc.value.fix
