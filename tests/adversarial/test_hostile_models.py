"""A hostile or broken "model server" on loopback, and a chat user who reaches for the model switch.

Discovery asks loopback ports for their models. Whatever answers there (an answer dripped a byte at a time,
JSON nested past what the parser takes, megabytes of model ids, ids with spaces, markup or control characters),
the studio neither crashes nor hangs: the port is ignored (or only its sane ids are kept), and `auteur model`
and `/model` still list the profiles. And in a studio several people share, `/model NAME` cannot point the crew
at a port discovery did not find, nor switch at all when the operator turned switching off.

The servers are real sockets on 127.0.0.1, each connection answered in its own thread.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest
from typer.testing import CliRunner

from agents.llm import discover as discovery
from agents.llm.discover import Found, Server, discover, offer, profile_states
from config.settings import Settings
from studio.engine.events import Turn

BAD_IDS = ["good-7b", "library/llama3:8b", "my model 7b", "x`![p](http://127.0.0.9/pixel.png)`",
           "<script>alert(1)</script>", "../../../etc/x", "\x1b[31mRED\x1b[0m", "a\nb", "evil/../../x", "y" * 300]


def _body(mode: str) -> bytes:
    if mode == "deep":  # nested JSON small enough to be read whole: the parser's recursion gives up
        return b"[" * 60000 + b"]" * 60000
    if mode == "deep-big":
        return b"[" * 200000 + b"]" * 200000
    if mode == "ids":
        return json.dumps({"data": [{"id": i} for i in BAD_IDS]}).encode()
    if mode == "huge":
        return json.dumps({"data": [{"id": f"m{i}-7b"} for i in range(60000)]}).encode()
    if mode == "chunked":
        return json.dumps({"data": [{"id": "good-7b"}, {"id": "library/llama3:8b"}]}).encode()
    if mode == "many":  # a long list, but within what is read: only the first ones are kept
        return json.dumps({"data": [{"id": f"m{i}-7b"} for i in range(500)]}).encode()
    return b'{"data": [' + b" " * 100000 + b"]}"  # drip, drip-head


class Hostile:
    """A loopback server answering every request in ``mode``."""

    def __init__(self, mode: str) -> None:
        self.mode, self.stop = mode, threading.Event()
        self.body = _body(mode)  # made once: the server answers at once
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            body = self.body
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            if self.mode == "chunked":  # well formed, as Go's net/http (Ollama) sends a long answer
                chunks = [body[i:i + 7] for i in range(0, len(body), 7)]
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                             + b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n")
            elif self.mode.startswith("drip"):
                data = head + body if self.mode == "drip-head" else body
                if self.mode == "drip":
                    conn.sendall(head)
                for byte in data:  # one byte every 0.1 s: each read gets something, the answer never ends
                    if self.stop.wait(0.1):
                        return
                    conn.send(bytes([byte]))
            else:
                conn.sendall(head + body)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def env(monkeypatch, workspace_dir):
    monkeypatch.setenv("AUTEUR_MODEL", "fake/schema")
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "AUTEUR_GGUF_PATH", "OLLAMA_BASE_URL", "AUTEUR_LLM_BASE_URL",
                "AUTEUR_USERS", "AUTEUR_PASSWORD", "AUTEUR_AUTH_HEADER", "AUTEUR_MODEL_SWITCH"):
        monkeypatch.delenv(var, raising=False)
    discovery._cache.clear()
    yield monkeypatch
    discovery._cache.clear()


@pytest.fixture
def hostile(request, env):
    server = Hostile(request.param)
    env.setenv("AUTEUR_LLM_PORTS", str(server.port))
    yield server
    server.close()


def _bounded(call, limit_s: float = 15.0):
    """call() in a thread: its result, or a failure when it does not return (a hang, not a timing)."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit_s)
    assert not thread.is_alive(), f"{call} did not return: a hostile server hangs the studio"
    if "error" in box:
        raise box["error"]
    return box["value"]


def _clean(text: str) -> bool:
    return not any(bad in text for bad in ("![", "<script", "\x1b", "http://127.0.0.9", "my model 7b", "etc/x"))


@pytest.mark.parametrize("hostile", ["deep", "deep-big", "drip", "drip-head", "huge"], indirect=True)
def test_a_broken_server_is_ignored_and_discovery_returns(hostile):
    found = _bounded(lambda: discover(Settings.from_env(), fresh=True))
    server = found.server(hostile.port)
    assert server is None or (server.busy and not server.models), "a port that answers no model list offers none"
    assert found.profile_names() == []
    states = _bounded(lambda: profile_states(Settings.from_env()))
    assert "llamacpp/smollm2-135m" in {s.name for s in states}
    assert "ollama serve" in offer(found), "the Producer's notice still says how to connect a model"


@pytest.mark.parametrize("hostile", ["deep", "drip"], indirect=True)
def test_auteur_model_and_the_chat_list_the_profiles_beside_a_broken_server(hostile):
    from config.container import Container
    from ui.cli import app
    from ui.cli.crew import tiny_model_notice

    listed = _bounded(lambda: CliRunner().invoke(app, ["model"]))
    assert listed.exit_code == 0, listed.output
    assert "llamacpp/smollm2-135m" in listed.stdout and "Traceback" not in listed.output
    session = Container().session()
    [listing] = _bounded(lambda: list(session.handle(Turn(text="/model"))))
    assert listing.kind == "message" and "llamacpp/smollm2-135m" in {p["name"] for p in listing.data["profiles"]}
    _bounded(lambda: tiny_model_notice("llamacpp/smollm2-135m", Settings.from_env()))  # `auteur run`'s notice


@pytest.mark.parametrize("hostile", ["ids"], indirect=True)
def test_only_model_ids_a_profile_can_name_are_kept_and_none_reaches_a_message(hostile):
    from config.container import Container

    found = _bounded(lambda: discover(Settings.from_env(), fresh=True))
    server = found.server(hostile.port)
    assert server is not None and "good-7b" in server.models and "library/llama3:8b" in server.models
    for model in server.models:
        assert _clean(model) and " " not in model and len(model) <= 100, model
    text = offer(found)
    assert f"local/{hostile.port}/good-7b" in text and _clean(text), text

    session = Container().session()
    [listing] = _bounded(lambda: list(session.handle(Turn(text="/model"))))
    assert listing.kind == "message", listing.text
    names = {p["name"] for p in listing.data["profiles"]}
    assert {f"local/{hostile.port}/good-7b", f"local/{hostile.port}/library/llama3:8b"} <= names
    assert _clean(listing.text) and _clean(json.dumps(listing.data)), listing.text
    [switched] = list(session.handle(Turn(text=f"/model local/{hostile.port}/library/llama3:8b")))
    assert "now works with" in switched.text, "a model id with a slash is still a profile that parses"


@pytest.mark.parametrize("hostile", ["chunked"], indirect=True)
def test_an_answer_in_chunks_is_read(hostile):
    server = _bounded(lambda: discover(Settings.from_env(), fresh=True)).server(hostile.port)
    assert server is not None and server.models == ("good-7b", "library/llama3:8b")


@pytest.mark.parametrize("hostile", ["many"], indirect=True)
def test_a_long_model_list_is_cut(hostile):
    server = _bounded(lambda: discover(Settings.from_env(), fresh=True)).server(hostile.port)
    assert server is not None and 0 < len(server.models) <= discovery.MAX_MODELS


def test_a_name_no_profile_can_be_made_of_is_left_out_of_the_list(env):
    env.setenv("AUTEUR_LLM_PORTS", "")
    found = Found((Server(9, "an OpenAI-compatible server", False, ("my model 7b", "ok-7b")),), (), (9,))
    names = [s.name for s in profile_states(Settings.from_env(), found=found)]
    assert "local/9/ok-7b" in names and not any("my model" in n for n in names)


# ------------------------------------------------------------------ the switch in a shared studio

@pytest.fixture
def model_server(env):
    """A well-behaved OpenAI-compatible server on loopback, the one port discovery asks."""
    from tests.integration.test_model_discovery import OPENAI_SERVER, _serve

    server = _serve(OPENAI_SERVER)
    env.setenv("AUTEUR_LLM_PORTS", str(server.server_address[1]))
    yield f"local/{server.server_address[1]}/Qwen2.5-7B-Instruct.gguf"
    server.shutdown()


@pytest.fixture
def other_port():
    """A loopback port with a model server discovery was not told to ask."""
    from tests.integration.test_model_discovery import OPENAI_SERVER, _serve

    server = _serve(OPENAI_SERVER)
    yield server.server_address[1]
    server.shutdown()


def test_a_chat_switches_only_to_profiles_it_was_offered(model_server, other_port):
    from config.container import Container

    session = Container().session()
    other = other_port
    [event] = list(session.handle(Turn(text=f"/model local/{other}/Qwen2.5-7B-Instruct.gguf")))
    assert event.kind == "error" and "not one this studio offers" in event.text, event.text
    assert session.models.current == "fake/schema" and session.crew.llm.name == "fake/schema", "nothing changed"
    [event] = list(session.handle(Turn(text="/model openai/gpt-4-32k")))
    assert event.kind == "error" and "not one this studio offers" in event.text
    [event] = list(session.handle(Turn(text="/model local/1/x![p](http://127.0.0.9/p.png)")))
    assert event.kind == "error" and "127.0.0.9" not in event.text and "![" not in event.text
    [event] = list(session.handle(Turn(text=f"/model {model_server}")))
    assert event.kind == "message" and session.crew.llm.name == model_server, "what discovery found may be used"


@pytest.mark.parametrize("sign_in", [("AUTEUR_USERS", "ann:pw1,bob:pw2"), ("AUTEUR_PASSWORD", "pw"),
                                     ("AUTEUR_AUTH_HEADER", "X-Forwarded-User")])
def test_a_studio_with_sign_in_does_not_switch_models_unless_the_operator_says(model_server, env, sign_in):
    from config.container import Container

    env.setenv(*sign_in)
    assert not Settings.from_env().model_switch_on
    session = Container().session()
    [event] = list(session.handle(Turn(text=f"/model {model_server}")))
    assert event.kind == "error" and "switching models is turned off on this studio" in event.text
    assert "AUTEUR_MODEL_SWITCH=on" in event.text + json.dumps(event.data)
    assert session.crew.llm.name == "fake/schema", "nothing changed"
    [listing] = list(session.handle(Turn(text="/model")))
    assert listing.kind == "message" and model_server in {p["name"] for p in listing.data["profiles"]}
    assert "turned off" in listing.text and "Say `/model NAME` to switch" not in listing.text
    assert f"`/model {model_server}`" not in session.models.offer(), "the chat is not told to say what it cannot"

    env.setenv("AUTEUR_MODEL_SWITCH", "on")
    session = Container().session()
    [event] = list(session.handle(Turn(text=f"/model {model_server}")))
    assert event.kind == "message" and session.crew.llm.name == model_server


def test_switching_can_be_turned_off_without_sign_in_and_the_terminal_still_switches(model_server, env, other_port):
    from config.container import Container
    from ui.cli import app

    assert Settings.from_env().model_switch_on, "a single-user studio switches by default"
    env.setenv("AUTEUR_MODEL_SWITCH", "off")
    session = Container().session()
    [event] = list(session.handle(Turn(text=f"/model {model_server}")))
    assert event.kind == "error" and "switching models is turned off" in event.text
    env.delenv("AUTEUR_MODEL")
    chose = CliRunner().invoke(app, ["model", model_server])
    assert chose.exit_code == 0, chose.output  # the operator at the keyboard
    assert json.loads(CliRunner().invoke(app, ["model", "--json"]).stdout)["current"] == model_server
    other = other_port
    chose = CliRunner().invoke(app, ["model", f"local/{other}/Qwen2.5-7B-Instruct.gguf"])
    assert chose.exit_code == 0, "the operator may point the crew at a port of their choice"
