"""A wardrobe note on the bundled screenplay, with the real project store (Git) and real sketch boards: exactly the
prompts of the character's shots change, only their boards are stale, no stage changes status, one commit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_helpers import at_prompts

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "studio/samples/night_shift.fountain"
PROMPTS = "02_Source_Creative/Prompts/prompts.json"


@pytest.fixture
def drawn(workspace_dir, monkeypatch):
    """night_shift up to its prompts (every stage approved), and the sketch boards of scenes 1 to 3."""
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    return workspace_dir / at_prompts(SAMPLE, boards=(1, 2, 3))


def git_log(path: Path) -> list[str]:
    return subprocess.run(["git", "log", "--format=%H %s"], cwd=path, capture_output=True, text=True,
                          check=True).stdout.splitlines()


def by_code(path: Path) -> dict[str, str]:
    """Each prompt entry as it is written in the project's file, by shot code."""
    prompts = json.loads((path / PROMPTS).read_text())["prompts"]
    return {f"S{p['scene']:02d}_SH{p['number']:03d}": json.dumps(p, sort_keys=True) for p in prompts}


def test_a_wardrobe_note_changes_only_nells_prompts_and_stales_only_her_boards(drawn):
    from config.settings import Settings
    from memory.workspace import Workspace
    from studio.engine.describe import shot_staleness, staleness_text
    from studio.scoped import change_look
    from studio.stages import Stage

    store = Workspace(Settings.from_env()).open(drawn.name)
    assert shot_staleness(store).boards == [], "the boards were drawn from the prompts of now"
    # A prompt entry of a shot without Nell (scene 5, not drawn), written otherwise than the assembly would: a
    # change that assembled every prompt again would lose it.
    prompts = store.read(Stage.PROMPTS)
    odd = next(p for p in prompts.prompts if p.scene == 5)
    odd.frame_prompt += ", written by hand"
    store.amend({Stage.PROMPTS: prompts}, author=store.user(), summary="a prompt by hand")
    statuses = store.manifest().statuses()
    assert statuses["shots"] == statuses["look"] == statuses["prompts"] == "approved"
    before, commits = by_code(drawn), git_log(drawn)
    shots = json.loads((drawn / "02_Source_Creative/ShotLists/shots.json").read_text())["shots"]
    code = {(s["scene"], s["number"]): f"S{s['scene']:02d}_SH{s['number']:03d}" for s in shots}
    nell = {code[s["scene"], s["number"]] for s in shots if "NELL" in s["characters"]}  # the shot list's own word

    done = change_look(store, "NELL", "wardrobe", "a red coat", author=store.user())

    after = by_code(drawn)
    assert set(before) == set(after)
    assert {c for c in after if after[c] != before[c]} == nell == set(done.prompts)
    assert all("wearing a red coat" in after[c] for c in nell)
    assert "written by hand" in after[f"S05_SH{odd.number:03d}"]
    look = json.loads((drawn / "01_Assets/look.json").read_text())
    assert next(c for c in look["characters"] if c["name"] == "NELL")["wardrobe"] == "a red coat"
    assert "red coat" not in json.dumps([c for c in look["characters"] if c["name"] != "NELL"])

    drawn_shots = {code[s["scene"], s["number"]] for s in shots if s["scene"] <= 3}
    stale = shot_staleness(store)
    assert set(stale.boards) == nell & drawn_shots and stale.boards and stale.clips == [] and not stale.cut
    assert stale.drawn == len(drawn_shots)
    assert store.manifest().statuses() == statuses, "the shots stage (and every other) keeps its status"
    log = git_log(drawn)
    assert len(log) == len(commits) + 1 and log[1:] == commits and log[0].split()[0] == done.commit
    assert log[0].split(" ", 1)[1].startswith("look: NELL wardrobe: a red coat")
    shown = subprocess.run(["git", "show", "--name-only", "--format=", done.commit], cwd=drawn, capture_output=True,
                           text=True, check=True).stdout.split()
    assert set(shown) >= {"01_Assets/look.json", PROMPTS} and "02_Source_Creative/ShotLists/shots.json" not in shown

    # Redrawing the stale boards, and only those, brings the storyboard up to date.
    from config.container import Container
    from studio.render import RenderKind

    renderer = Container(Settings.from_env()).render_service()
    text = staleness_text(store, renderer)
    assert text.startswith(f"The boards of {len(stale.boards)} shots ({stale.boards[0]}, ")
    assert f"{len(stale.boards)} boards at tier " in text and text.endswith("(/render stale).")
    batch = renderer.run(store, RenderKind.BOARD, shots=stale.shots(stale.boards), tier="sketch")
    assert not batch.failed and len(batch.states) == len(stale.boards)
    assert shot_staleness(store).boards == [] and staleness_text(store, renderer) == ""
    assert store.read(Stage.SHOTS) is not None
