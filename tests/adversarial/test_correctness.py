"""Correctness holes from the review (issue 12, point 8), each against the real parts: the real store on Git, the
`auteur` command (in process, and once as a real process), the engine, the sketch renderer and the real Slack app.

- the `mp4` export is the cut the project records, not the newest file that looks like a cut;
- scene 100 is scene 100 (never a slice of S100_SH001) in the chat, the CLI and the exports;
- every render goes through the budget gate: `show me shot …`, the agents' render tools, `auteur render --json`;
- a Slack body that is not JSON is a 400 or a 401, never a 500 with a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_helpers import invoke, js
from tests.integration.test_slack import SECRET, SlackRig, fake, signature, slack_env  # noqa: F401  (fixtures)


def century_fountain() -> str:
    """A screenplay of 100 scenes: scene 10 and scene 100 both exist."""
    scenes = [f"INT. ROOM {n} - DAY\n\nMARA waits in room {n}.\n" for n in range(1, 101)]
    return "Title: A Hundred Rooms\n\n" + "\n".join(scenes)


@pytest.fixture
def century(workspace_dir, tmp_path, monkeypatch):
    """A project whose shot list has shot 1 of scene 10 and shot 1 of scene 100 (and no others)."""
    from memory.workspace import Workspace
    from config.settings import Settings
    from studio.models import Shot, ShotList, ShotSize
    from studio.project import Author
    from studio.stages import Stage

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    script = tmp_path / "hundred.fountain"
    script.write_text(century_fountain())
    slug = js("import", str(script))["slug"]
    store = Workspace(Settings.from_env()).open(slug)
    shots = ShotList(shots=[Shot(scene=10, number=1, size=ShotSize.WS, action="Room ten, wide.", characters=["MARA"]),
                            Shot(scene=100, number=1, size=ShotSize.CU, action="Room one hundred, close.",
                                 characters=["MARA"])])
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="two shots")
    return store


def session_on(store, **kw):
    from config.container import Container

    return Container().session(project=store.slug, **kw)


def talk(session, text=None, choice=None):
    from studio.engine.events import Turn

    return list(session.handle(Turn(text=text, choice=choice)))


# ---------------------------------------------------------------- scene 100 is not scene 10


def test_scene_100_is_not_scene_10_in_the_exports_the_chat_and_the_cli(century):
    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    assert [t.path for t in store.takes(10, 1)] == ["03_Renders/Scene_10/Shot_001/S10_SH001_take01.png"]
    assert [t.path for t in store.takes(100, 1)] == ["03_Renders/Scene_100/Shot_001/S100_SH001_take01.png"]
    # The shot list's board column names each shot's own board (a slice made S100_SH001 scene 10).
    made = js("export", "shotlist-csv", "-p", store.slug)
    rows = {r["shot"]: r["board"] for r in csv.DictReader(io.StringIO(Path(made["path"]).read_text()))}
    assert rows == {"S10_SH001": "S10_SH001_take01.png", "S100_SH001": "S100_SH001_take01.png"}
    # The chat: `show me shot 100.1 …` and `redo shot S100_SH001 as …` are about scene 100.
    session = session_on(store)
    asked = talk(session, "show me shot 100.1 at dusk")
    assert asked[-1].kind == "question" and asked[-1].text.startswith("Estimate: 1 board at")
    done = talk(session, "yes")
    assert any(e.kind == "artifact" and e.data.get("shot") == "S100_SH001" for e in done)
    assert len(store.takes(100, 1)) == 2 and len(store.takes(10, 1)) == 1
    assert "dusk" in store.takes(100, 1)[-1].prompt
    talk(session, "redo shot S100_SH001 as a low angle")
    from studio.stages import Stage

    shots = {s.code: s for s in store.read(Stage.SHOTS).shots}
    assert shots["S100_SH001"].angle.value == "low" and shots["S10_SH001"].angle.value != "low"
    # The CLI: `auteur takes 100.1` and `auteur takes S100_SH001` list scene 100's takes, not scene 10's.
    for name in ("100.1", "S100_SH001", "s100_sh1"):
        listed = js("takes", name, "-p", store.slug)
        assert [t["path"].split("/")[1] for t in listed] == ["Scene_100", "Scene_100"], name


# ---------------------------------------------------------------- the mp4 export is the recorded cut


def test_the_mp4_export_is_the_cut_the_project_records(century):
    from studio.stages import Stage

    store = century
    invoke("render", "boards", "-p", store.slug, "--yes", "--json")
    first = js("render", "cut", "-p", store.slug)
    second = js("render", "cut", "-p", store.slug)
    assert first["path"].endswith("cut_v01.mp4") and second["path"].endswith("cut_v02.mp4")
    v1, v2 = Path(first["path"]).read_bytes(), Path(second["path"]).read_bytes()
    # Put the first cut back: the project now records cut_v01, though cut_v02 is the newest file.
    rev = store.history(Stage.CUT)[1].commit
    store.restore(Stage.CUT, rev)
    assert store.read(Stage.CUT).path.endswith("cut_v01.mp4")
    Path(second["path"]).write_bytes(v2 + b"newer")  # v01 and v02 can be alike: tell them apart
    exported = js("export", "mp4", "-p", store.slug)
    assert Path(exported["path"]).read_bytes() == v1, "the recorded cut, not the newest file"
    # A file that merely looks newer (a stray cut in the cache) is never taken either.
    stray = store.path / "05_Cache" / "cut_v99.mp4"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not the cut")
    assert Path(js("export", "mp4", "-p", store.slug)["path"]).read_bytes() == v1
    # The recorded file gone: said, with the way back, and no absolute path.
    (store.path / store.read(Stage.CUT).path).unlink()
    gone = invoke("export", "mp4", "-p", store.slug, ok=False)
    assert gone.exit_code == 1 and "cut_v01.mp4 is missing" in gone.stderr and "auteur render cut" in gone.stderr
    assert str(store.path) not in gone.stderr


# ---------------------------------------------------------------- every render goes through the gate


def test_render_json_without_yes_shows_the_estimate_and_renders_nothing(century):
    store = century
    exe = Path(sys.executable).parent / "auteur"
    env = {**os.environ}
    result = subprocess.run([str(exe), "render", "boards", "-p", store.slug, "--json"], env=env, capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result.stderr
    shown = json.loads(result.stdout)
    assert shown["rendered"] is False and shown["jobs"] == 2 and shown["estimate"]["shots"] == 2
    assert "waits for a yes" in result.stderr and "--yes" in result.stderr and "Traceback" not in result.stderr
    assert store.takes(10, 1) == [] and store.takes(100, 1) == []
    # Not on a terminal and without --json: the same refusal.
    plain = invoke("render", "boards", "-p", store.slug, ok=False)
    assert plain.exit_code == 1 and store.takes(10, 1) == []
    # With --yes it renders.
    made = js("render", "boards", "-p", store.slug, "--yes")
    assert len(made) == 2 and len(store.takes(10, 1)) == 1


def test_show_me_a_shot_asks_before_it_renders(century):
    store = century
    session = session_on(store)
    asked = talk(session, "show me shot 10.1 from lower")
    assert asked[-1].kind == "question" and asked[-1].options == ["Render", "Not now"]
    assert "Estimate: " in asked[-1].text and store.takes(10, 1) == []
    assert "nothing rendered" in talk(session, "not now")[0].text.lower()
    assert store.takes(10, 1) == []


def test_the_agents_render_tools_wait_for_the_persons_yes(century):
    store = century
    session = session_on(store)
    # The tools as the studio gives them to the crew.
    board, clip = session.crew.tools("cinematographer")
    [reference] = session.crew.tools("art_director")
    answer = board.run(shot="S100_SH001", notes="from lower, at dusk")
    assert answer.startswith("Not rendered yet: 1 board at") and store.takes(100, 1) == []
    assert clip.run(shot="10.1").startswith("Not rendered yet: 1 clip at") and store.takes(10, 1) == []
    assert "/reference MARA" in reference.run(subject="MARA")
    assert not (store.path / "01_Assets" / "Characters" / "MARA").exists()
    # Through the conversation's gate: the render waits with its estimate, and runs on the yes.
    from studio.engine.render_gate import tool_gate
    from tools.render.crew_tools import tools_for

    board, _ = tools_for("cinematographer", session.require_project, session.renderer, gate=tool_gate(session))
    assert board.run(shot="S100_SH001", notes="at dusk").startswith("Not rendered yet")
    assert session.pending_render is not None and store.takes(100, 1) == []
    done = list(session.confirm_render())
    assert any(e.kind == "artifact" for e in done)
    [take] = store.takes(100, 1)
    assert take.prompt.endswith("at dusk")


def test_a_capable_model_asking_for_a_render_gets_the_estimate_first(century):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from agents.llm.structured import StructuredLLM
    from crews.runner import CrewRunner
    from studio.engine.render_gate import tool_gate
    from tools.render.crew_tools import tools_for

    store = century
    session = session_on(store)
    script = FakeListChatModel(responses=[
        'Thought: a new board of the last room.\nAction: render_board\n'
        'Action Input: {"shot": "S100_SH001", "notes": "darker, rain on the glass"}',
        "Thought: I know the final answer.\nFinal Answer: The board of S100_SH001 waits for your yes.",
    ])
    llm = StructuredLLM(script, name="scripted/tools", mode="json")
    session._crew = CrewRunner(llm, tools=lambda key: tools_for(key, session.require_project, session.renderer,
                                                                  gate=tool_gate(session)))
    events = talk(session, "can we see the last shot again, but darker?")
    assert events[-1].kind == "question" and events[-1].text.startswith("Estimate: 1 board at")
    assert store.takes(100, 1) == []
    done = talk(session, choice="Render")
    assert any(e.kind == "artifact" and e.data["path"].endswith("S100_SH001_take01.png") for e in done)
    assert store.takes(100, 1)[-1].prompt.endswith("darker, rain on the glass")


# ---------------------------------------------------------------- Slack bodies that are not JSON


@pytest.fixture
def rig(slack_env, fake):  # noqa: F811
    rig = SlackRig(slack_env, fake)
    yield rig
    rig.close()


@pytest.mark.parametrize("body,content_type", [
    (b"{this is not json", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"a string"', "application/json"),
    (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00 not utf-8", "application/json"),
], ids=["broken-json", "json-list", "json-string", "payload-not-json", "not-utf8"])
def test_a_slack_body_that_is_not_json_is_refused_without_a_traceback(rig, fake, caplog, body,  # noqa: F811
                                                                       content_type):
    caplog.set_level(logging.DEBUG)
    before = len(fake.calls)
    # Unsigned (or signed with another secret): 401, whatever the body.
    stamp = str(int(time.time()))
    code, answer = rig.post(body, content_type, sign="v0=" + "0" * 64)
    assert code == 401 and b"Traceback" not in answer
    code, answer = rig.post(body, content_type, sign=signature(body, stamp, "another-secret"), timestamp=stamp)
    assert code == 401 and b"Traceback" not in answer
    code, answer = rig.post(body, content_type, timestamp="soon", sign="v0=x")
    assert code == 401 and b"Traceback" not in answer
    # Signed, but not a Slack event: 400.
    if body.startswith(b"\xff"):
        return  # a signature over bytes that are not UTF-8 cannot be made the way Slack makes them
    code, answer = rig.post(body, content_type, sign=signature(body, stamp, SECRET), timestamp=stamp)
    assert code == 400 and b"Traceback" not in answer and b"not a Slack event" in answer
    rig.idle()
    assert len(fake.calls) == before and not rig.studio._sessions, "nothing ran"
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()], \
        [r.getMessage() for r in caplog.records]
