"""A stale stage redrafted to the same content waits for the person's approval (real store and Git, the schema
crew): the prompts, stale after an edit of the shots that changes no prompt, are redrafted by 'next', come back
the same, and are a draft to approve, not stale again with the same question forever."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from studio.stages import Stage, StageStatus
from tests.cli_helpers import at_prompts, invoke

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"


def talk(session, text: str) -> list:
    from studio.engine.events import Turn

    return list(session.handle(Turn(text=text)))


def test_next_on_stale_prompts_that_come_back_the_same_asks_for_approval_once(workspace_dir, tmp_path, monkeypatch):
    from config.container import Container

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = at_prompts(SCRIPT)
    session = Container().session(project=slug)
    store = session.require_project()
    assert store.manifest().status(Stage.PROMPTS) is StageStatus.APPROVED
    prompts = store.read(Stage.PROMPTS)

    # The person edits a shot's notes (no part of its prompt) and approves the shots again: the prompts are stale.
    shots = json.loads(store.read(Stage.SHOTS).model_dump_json())
    shots["shots"][0]["notes"] = "hold on the rain a beat longer"
    edited = tmp_path / "shots.json"
    edited.write_text(json.dumps(shots))
    invoke("edit", "shots", str(edited), "-p", slug)
    talk(session, "/approve shots")
    assert store.manifest().status(Stage.PROMPTS) is StageStatus.STALE

    commits = len(subprocess.run(["git", "log", "--oneline"], cwd=store.path, capture_output=True, text=True,
                                 check=True).stdout.splitlines())
    events = talk(session, "next")
    assert store.read(Stage.PROMPTS) == prompts, "the same prompts"
    assert store.manifest().status(Stage.PROMPTS) is StageStatus.DRAFT, "looked at again: a draft to approve"
    log = subprocess.run(["git", "log", "--oneline"], cwd=store.path, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert len(log) == commits + 1 and log[0].split(" ", 1)[1].startswith("prompts:"), "in a commit"
    asked = [e for e in events if e.kind == "question"]
    assert asked and "Approve" in asked[-1].options, [e.text for e in events]

    talk(session, "/approve prompts")
    assert store.manifest().status(Stage.PROMPTS) is StageStatus.APPROVED
    again = talk(session, "next")
    assert not any("came back with the same prompts" in e.text for e in again), [e.text for e in again]


def test_what_went_stale_is_said_without_redoing_zero_stages_with_the_crew(workspace_dir, tmp_path, monkeypatch):
    from config.container import Container
    from studio.engine.describe import stale_text
    from studio.models import Angle

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = at_prompts(SCRIPT, boards=(1,))
    store = Container().session(project=slug).require_project()
    # Two shots drawn from lower, their prompts assembled again: their boards are out of date.
    shots = store.read(Stage.SHOTS)
    for shot in shots.shots[:2]:
        shot.angle = Angle.HIGH if shot.angle is Angle.LOW else Angle.LOW
    from studio.models import Look
    from studio.prompts import assemble

    prompts = assemble(shots, store.breakdown(), store.read(Stage.LOOK) or Look(), store.read(Stage.PROMPTS))
    store.amend({Stage.SHOTS: shots, Stage.PROMPTS: prompts}, author=store.user(), summary="two shots lower")

    text = stale_text(store, Stage.SHOTS, [Stage.PROMPTS, Stage.BOARDS])
    assert "Redoing 0" not in text and "with the crew" not in text, text
    assert "The prompts are rebuilt by code" in text and "/render stale redoes the 2 boards out of date" in text, text
    one = stale_text(store, Stage.LOOK, [Stage.SHOTS, Stage.PROMPTS, Stage.BOARDS])
    assert "Redoing 1 stage with the crew (the rest is rebuilt by code)" in one, one
