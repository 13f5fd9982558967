"""The approval traps of both labelled sets (bench/intents/), said one after another in one conversation on the
real store and Git with the schema-filling crew: the project's history gains no approval."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

SETS = Path(__file__).resolve().parents[2] / "bench" / "intents"
TRAPS = [json.loads(line)["text"] for name in ("director.jsonl", "director_fresh.jsonl")
         for line in (SETS / name).read_text(encoding="utf-8").splitlines()
         if line.strip() and json.loads(line).get("trap")]


def approvals(path: Path) -> int:
    log = subprocess.run(["git", "log", "--format=%B"], cwd=path, capture_output=True, text=True, check=True).stdout
    return log.count("Auteur-Action: approve")


def test_no_trap_approves_anything_in_a_real_conversation(workspace_dir, monkeypatch, night_shift_bytes):
    from config.container import Container
    from studio.engine.events import Turn
    from studio.stages import Stage, StageStatus

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    session = Container().session()
    list(session.handle(Turn(upload=("night_shift.fountain", night_shift_bytes))))
    for _ in range(3):
        list(session.handle(Turn(text="approve")))
    list(session.handle(Turn(text="next")))  # the look, drafted: it waits for approval
    store = session.require_project()
    assert store.manifest().status(Stage.LOOK) is StageStatus.DRAFT
    before = approvals(store.path)
    assert len(TRAPS) >= 60
    offered = next(e for e in session.greet() if e.kind == "question")
    assert offered.data.get("approval") == "look"
    for text in TRAPS:
        for asked in (None, offered):  # said on its own, and as the answer to "Approve it?"
            session.last_question = asked
            events = list(session.handle(Turn(text=text)))
            assert approvals(store.path) == before, (text, [e.text for e in events])
    assert store.manifest().status(Stage.LOOK) is not StageStatus.APPROVED
