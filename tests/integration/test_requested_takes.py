"""'show me shot 1.2 from lower, at dusk' on a real project (Git, the sketch renderer, the in-process job runner):
the shot changes as asked and nothing else does, and the board made becomes the active take that the storyboard
and the cut use."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.models import TakeKind
from studio.render import RenderKind, picture_json
from studio.stages import Stage
from tests.cli_helpers import invoke, js

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests/golden/fountain/01_last_call.fountain"  # scene 1 at NIGHT; small enough to cut quickly


@pytest.fixture
def project(workspace_dir, monkeypatch):
    """Shots and prompts drafted and approved by the schema crew, and a sketch board of every shot."""
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    slug = js("import", str(SCRIPT))["slug"]
    invoke("run", "-p", slug, "--until", "prompts", "--yes")
    invoke("render", "boards", "-p", slug, "--tier", "sketch", "--yes")
    return workspace_dir / slug


def _by_code(models) -> dict:
    return {f"S{m.scene:02d}_SH{m.number:03d}": m for m in models}


def test_a_shot_asked_for_at_dusk_is_changed_alone_and_its_board_becomes_the_active_take(project):
    from config.container import Container
    from config.settings import Settings
    from studio.engine.events import Turn
    from tools.exports import active_media
    from tools.render.execute import build_request
    from tools.render.plan import plan

    session = Container().session(project=project.name)
    store = session.require_project()
    statuses = store.manifest().statuses()
    shots, prompts = _by_code(store.read(Stage.SHOTS).shots), _by_code(store.read(Stage.PROMPTS).prompts)
    assert shots["S01_SH002"].time_of_day == "" and "night" in prompts["S01_SH002"].frame_prompt.lower()
    [first] = [t for t in store.takes(1, 2) if t.kind is TakeKind.IMAGE]

    asked = list(session.handle(Turn(text="show me shot 1.2 from lower, at dusk")))
    assert any(e.kind == "question" and e.text.startswith("Estimate: 1 board at") for e in asked), "the gate first"
    assert len(store.takes(1, 2)) == 1, "nothing renders before the yes"
    now, now_prompts = _by_code(store.read(Stage.SHOTS).shots), _by_code(store.read(Stage.PROMPTS).prompts)
    shot = now["S01_SH002"]
    assert (shot.angle.value, shot.time_of_day) == ("low", "DUSK") and {"angle", "time_of_day"} <= set(shot.person)
    frame = now_prompts["S01_SH002"].frame_prompt.lower()
    assert "dusk" in frame and "night" not in frame, frame
    assert store.manifest().statuses() == statuses, "no stage went back to draft or stale"
    others = [code for code in shots if code != "S01_SH002"]
    assert all(picture_json(now[c]) == picture_json(shots[c]) for c in others), "no other shot changed"
    assert all(now_prompts[c] == prompts[c] for c in others), "no other prompt changed"
    said = " ".join(e.text for e in asked if e.kind == "message")
    assert "S01_SH002 is now" in said and "dusk" in said.lower()

    events = list(session.handle(Turn(text="yes")))
    takes = [t for t in store.takes(1, 2) if t.kind is TakeKind.IMAGE]
    new = takes[-1]
    assert [t.number for t in takes] == [first.number, first.number + 1] and new.active and not takes[0].active
    assert "dusk" in new.prompt and "night" not in new.prompt.lower()
    assert any(e.kind == "message" and e.text == f"S01_SH002 take {new.number} is now the active board: the "
               f"storyboard and the cut use it." for e in events), [e.text for e in events]
    # The storyboard's exports and the cut use it.
    assert active_media(store, TakeKind.IMAGE)["S01_SH002"] == store.path / new.path
    list(session.handle(Turn(text="/render cut")))
    cut = store.read(Stage.CUT)
    entry = next(e for e in cut.entries if (e.scene, e.shot) == (1, 2))
    assert entry.take == new.path
    # Its caption names the shot's own time of day.
    spec = plan(store, RenderKind.BOARD, Settings.from_env(), shots=[(1, 2)], tier="sketch").specs[0]
    request, _, _ = build_request(store, spec, Settings.from_env())
    assert request.heading.endswith(" - DUSK") and "NIGHT" not in request.heading, request.heading


def test_a_shot_asked_for_at_dusk_before_there_are_prompts_is_drawn_at_dusk(workspace_dir, tmp_path, monkeypatch):
    """No look, no prompts yet: the board's prompt is the shot's action with the light of its own time of day,
    and the Cinematographer does not claim a prompt that does not exist."""
    from config.container import Container
    from studio.engine.events import Turn
    from studio.models import Shot, ShotList, ShotSize
    from studio.project import Author

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    script = tmp_path / "one.fountain"
    script.write_text("Title: One\n\nINT. ROOM - NIGHT\n\nMARA waits.\n\nINT. HALL - DAY\n\nMARA walks.\n")
    slug = js("import", str(script))["slug"]
    session = Container().session(project=slug)
    store = session.require_project()
    store.save(Stage.SHOTS, ShotList(shots=[Shot(scene=1, number=1, size=ShotSize.CU, action="Mara waits.",
                                                 characters=["MARA"])]),
               author=Author.agent("Cinematographer"), summary="one shot")
    asked = list(session.handle(Turn(text="show me shot 1.1 at dusk")))
    said = " ".join(e.text for e in asked if e.kind == "message")
    assert "S01_SH001 is now at dusk" in said and "Its prompt says so" not in said, said
    done = list(session.handle(Turn(text="yes")))
    said = [e.text for e in done]
    assert "The Cinematographer starts 1 board…" in said and done[-1].text.startswith("1 board rendered."), said
    [take] = store.takes(1, 1)
    assert take.prompt.startswith("Mara waits") and "dusk, blue hour" in take.prompt, take.prompt


def test_no_to_a_one_shot_render_names_how_to_ask_for_that_shot_again():
    from studio.engine.conversation import PendingRender
    from studio.engine.render_gate import declined
    from studio.intents import parse

    one = declined(PendingRender(RenderKind.BOARD, None, None, [(1, 2)], None, None, True))  # type: ignore[arg-type]
    assert one == "Fine, nothing rendered. Say 'render shot 1.2' when you want it."
    [again] = parse(one.split("'")[1])
    assert (again.kind, again.target, again.shot) == ("render", "shot", (1, 2)), "what it says to say renders it"
    scene = declined(PendingRender(RenderKind.CLIP, 2, None, None, None, None))  # type: ignore[arg-type]
    assert scene == "Fine, nothing rendered. Say /render clips scene 2 when you want them."
