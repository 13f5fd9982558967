"""A real model in one step: the model servers on this machine are found, every profile says whether it can be
used (ready, server down, key missing, ...), and `/model` / `auteur model` list them and switch.

The servers here are real HTTP servers on loopback that answer as Ollama and an OpenAI-compatible server do
(their own API shapes), a web page that is no model server (as the studio's own Chainlit on 8000), one that takes
the connection and never answers, and a port where nothing listens. The real llama.cpp server is in
test_openai_server.py.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from agents.llm import discover as discovery
from agents.llm.discover import discover, model_name, profile_states, tiny_by_name
from agents.llm.profiles import get_profile
from config.settings import Settings
from studio.engine.events import Turn

KEY = "sk-test-not-a-real-key-31337"


def _serve(routes: dict[str, tuple[int, str, str]]):
    """A loopback HTTP server answering GET/POST paths with (status, content type, body)."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            status, kind, body = routes.get(self.path, (404, "text/html", "<html>not found</html>"))
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _answer  # noqa: N815 (http.server's naming)

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _json(value) -> tuple[int, str, str]:
    return 200, "application/json", json.dumps(value)


OLLAMA = {
    "/api/tags": _json({"models": [{"name": "llama3.1:latest", "details": {"parameter_size": "8.0B"}},
                                   {"name": "smollm2:135m", "details": {"parameter_size": "134.52M"}}]}),
    "/v1/models": _json({"object": "list", "data": [{"id": "llama3.1:latest"}, {"id": "smollm2:135m"}]}),
}
OPENAI_SERVER = {"/v1/models": _json({"object": "list", "data": [{"id": "/srv/models/Qwen2.5-7B-Instruct.gguf"}]})}
WEB_PAGE = {"/v1/models": (200, "text/html", "<!doctype html><html>the studio</html>"),
            "/api/tags": (200, "text/html", "<!doctype html><html>the studio</html>")}


@pytest.fixture
def servers(monkeypatch, workspace_dir):
    """Ollama-like, OpenAI-like, a web page, a silent listener and a free port; the ports discovery asks."""
    made = [_serve(OLLAMA), _serve(OPENAI_SERVER), _serve(WEB_PAGE)]
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # takes connections, never answers
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    free_port = free.getsockname()[1]
    free.close()  # nothing listens there now
    ports = {"ollama": made[0].server_address[1], "openai": made[1].server_address[1],
             "web": made[2].server_address[1], "silent": silent.getsockname()[1], "free": free_port}
    monkeypatch.setenv("AUTEUR_LLM_PORTS", ",".join(str(ports[k]) for k in ("ollama", "openai", "web", "silent",
                                                                             "free")))
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AUTEUR_GGUF_PATH", "OLLAMA_BASE_URL", "AUTEUR_LLM_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    discovery._cache.clear()
    yield ports
    for server in made:
        server.shutdown()
    silent.close()
    discovery._cache.clear()


def test_discovery_finds_the_model_servers_and_nothing_else(servers):
    found = discover(Settings.from_env(), fresh=True)
    by_port = {s.port: s for s in found.servers}
    assert set(by_port) == {servers["ollama"], servers["openai"], servers["silent"]}, \
        "the web page and the free port are no model servers"
    ollama, openai, silent = by_port[servers["ollama"]], by_port[servers["openai"]], by_port[servers["silent"]]
    assert ollama.kind == "Ollama" and ollama.models == ("llama3.1", "smollm2:135m")
    assert ollama.tiny == {"smollm2:135m"}
    assert openai.models == ("Qwen2.5-7B-Instruct.gguf",), "a model file's folder on the server is never shown"
    assert silent.busy and not silent.models
    assert found.profile_names() == [f"local/{servers['ollama']}/llama3.1", f"local/{servers['ollama']}/smollm2:135m",
                                     f"local/{servers['openai']}/Qwen2.5-7B-Instruct.gguf"]


def test_discovery_asks_loopback_by_number_and_can_be_turned_off(servers, monkeypatch):
    asked: list[object] = []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        asked.append(("lookup", host))
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        asked.append(("connect", address[0]))
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    discover(Settings.from_env(), fresh=True)
    assert asked and {host for _, host in asked} == {"127.0.0.1"}, asked
    asked.clear()
    monkeypatch.setenv("AUTEUR_LLM_PORTS", "")
    assert discover(Settings.from_env(), fresh=True).servers == () and asked == []


def test_every_profile_has_a_state(servers, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OLLAMA_BASE_URL", f"http://127.0.0.1:{servers['ollama']}/v1")
    monkeypatch.setenv("AUTEUR_LLM_BASE_URL", f"http://127.0.0.1:{servers['free']}/v1")
    states = {s.name: s for s in profile_states(Settings.from_env())}
    assert states["llamacpp/smollm2-135m"].state == "ready" and states["llamacpp/smollm2-135m"].tiny
    assert states["llamacpp/local"].state == "model file missing" and "AUTEUR_GGUF_PATH" in states["llamacpp/local"].fix
    assert states["openai-compatible/local"].state == "server down"
    assert states["ollama/llama3.1"].state == "ready", "Ollama (OLLAMA_BASE_URL) has llama3.1"
    assert states["openai/gpt-4o-mini"].state == "ready", "OPENAI_API_KEY is set"
    assert states["anthropic/claude-sonnet"].state in ("key missing", "not installed")
    found = states[f"local/{servers['openai']}/Qwen2.5-7B-Instruct.gguf"]
    assert found.state == "ready" and found.found == f"an OpenAI-compatible server on port {servers['openai']}"
    assert states[f"local/{servers['ollama']}/smollm2:135m"].tiny
    missing = discovery.profile_state("ollama/mistral", Settings.from_env())
    assert missing.state == "model not on server" and "ollama pull mistral" in missing.fix
    busy = discovery.profile_state(f"local/{servers['silent']}/anything", Settings.from_env())
    assert busy.usable, "a server in the middle of a call is not taken for a server that is down"
    monkeypatch.delenv("OPENAI_API_KEY")
    assert discovery.profile_state("openai/gpt-4o-mini", Settings.from_env()).state == "key missing"


def test_the_model_command_lists_and_switches_the_crew(servers, monkeypatch):
    from config.container import Container

    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AUTEUR_LLM_BASE_URL", f"http://127.0.0.1:{servers['free']}/v1")
    session = Container().session()
    assert session.crew.llm.name == "fake/schema"
    [listing] = list(session.handle(Turn(text="/model")))
    assert listing.data["current"] == "fake/schema"
    assert {p["name"]: p["state"] for p in listing.data["profiles"]}["openai/gpt-4o-mini"] == "ready"
    assert KEY not in listing.text and KEY not in json.dumps(listing.data), "a key is never shown"

    name = f"local/{servers['openai']}/Qwen2.5-7B-Instruct.gguf"
    [switched] = list(session.handle(Turn(text=f"/model {name}")))
    assert switched.kind == "message" and "now works with" in switched.text
    assert session.models.current == name and session.crew.llm.name == name, "the next call uses the new model"

    # A chat switches only to config/models.yaml's profiles and those discovery found (the terminal, below, to any).
    for refused, why in ((f"local/{servers['free']}/x", "not one this studio offers"),
                         ("nosuch/model", "no model profile"), ("openai-compatible/local", "server down")):
        [event] = list(session.handle(Turn(text=f"/model {refused}")))
        assert event.kind == "error" and why in event.text and event.data["fix"]
        assert session.models.current == name and session.crew.llm.name == name, "nothing changed"


def test_auteur_model_remembers_the_choice_for_the_workspace(servers, monkeypatch):
    from ui.cli import app

    monkeypatch.delenv("AUTEUR_MODEL")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    listed = CliRunner().invoke(app, ["model"])
    assert listed.exit_code == 0, listed.output
    assert "llamacpp/smollm2-135m" in listed.stdout and "server down" in listed.stdout and KEY not in listed.output

    name = f"local/{servers['ollama']}/llama3.1"
    chose = CliRunner().invoke(app, ["model", name])
    assert chose.exit_code == 0, chose.output
    assert get_profile(None, Settings.from_env()).name == name, "auteur run and chat use it from now on"
    assert json.loads(CliRunner().invoke(app, ["model", "--json"]).stdout)["current"] == name

    refused = CliRunner().invoke(app, ["model", f"local/{servers['free']}/x"])
    assert refused.exit_code == 1 and "server down" in refused.stderr and "Fix:" in refused.stderr
    assert get_profile(None, Settings.from_env()).name == name, "a refused switch changes nothing"

    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    assert get_profile(None, Settings.from_env()).name == "fake/schema", "AUTEUR_MODEL wins"
    monkeypatch.delenv("AUTEUR_MODEL")
    assert CliRunner().invoke(app, ["model", "--forget"]).exit_code == 0
    assert get_profile(None, Settings.from_env()).name == "llamacpp/smollm2-135m"


def test_the_tiny_model_notice_offers_what_was_found(servers, monkeypatch):
    from ui.web.chat_settings import model_profiles, tiny_notice

    notice = tiny_notice(None, Settings.from_env())
    assert f"Ollama is running here with llama3.1 (also smollm2:135m): say `/model local/{servers['ollama']}/llama3.1`" \
        in notice
    assert f"/model local/{servers['openai']}/Qwen2.5-7B-Instruct.gguf" in notice
    assert f"local/{servers['ollama']}/llama3.1" in model_profiles(Settings.from_env())[1], "the settings panel too"

    monkeypatch.setenv("AUTEUR_LLM_PORTS", str(servers["free"]))
    discovery._cache.clear()
    notice = tiny_notice(None, Settings.from_env())
    assert "ollama serve" in notice and "AUTEUR_MODEL" in notice and "OPENAI_API_KEY" in notice
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    notice = tiny_notice(None, Settings.from_env())
    assert "OPENAI_API_KEY is set: say `/model openai/gpt-4o-mini`" in notice and KEY not in notice


def test_the_structured_output_a_server_takes_is_chosen(monkeypatch):
    from agents.llm.factory import structured_mode

    refusing = _serve({"/v1/chat/completions": (500, "application/json", json.dumps({"error": {"message": (
        "Input should be 'text' or 'json_object' (body, response_format, type)")}}))})
    taking = _serve({"/v1/chat/completions": _json({"choices": [{"message": {"content": "{}"}}]})})
    try:
        assert structured_mode(f"http://127.0.0.1:{refusing.server_address[1]}/v1", "m") == "grammar"
        assert structured_mode(f"http://127.0.0.1:{taking.server_address[1]}/v1", "m") == "native"
        assert structured_mode("http://127.0.0.1:9/v1", "m", "json_object") == "grammar", "the profile may say"
    finally:
        refusing.shutdown()
        taking.shutdown()


def test_model_names():
    assert tiny_by_name("SmolLM2-135M-Instruct.Q4_1.gguf") and tiny_by_name("qwen2.5:0.5b")
    assert not tiny_by_name("llama3.1:8b") and not tiny_by_name("gpt-4o-mini") and not tiny_by_name("llama3.1")
    assert model_name("/home/someone/models/x.gguf") == "x.gguf" and model_name("llama3.1:latest") == "llama3.1"
    assert model_name("meta-llama/Llama-3.1-8B-Instruct") == "meta-llama/Llama-3.1-8B-Instruct"
    profile = get_profile("local/8080/meta-llama/Llama-3.1-8B-Instruct", Settings.from_env({}))
    assert profile.provider == "openai-compatible" and profile.get("base_url") == "http://127.0.0.1:8080/v1"
    assert profile.get("model") == "meta-llama/Llama-3.1-8B-Instruct" and not profile.tiny


def test_the_terminal_notice_offers_what_was_found(servers, capsys):
    from ui.cli.crew import tiny_model_notice

    tiny_model_notice(None, Settings.from_env())
    said = capsys.readouterr().err
    assert f"Ollama is running here with llama3.1 (also smollm2:135m): say `auteur model local/{servers['ollama']}" \
           "/llama3.1` to use it" in said
