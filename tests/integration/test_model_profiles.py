"""Model profiles that do not load say why and what to do; the conversation goes on."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from typer.testing import CliRunner

from agents.llm.factory import structured_llm
from agents.llm.profiles import ModelProfileError, get_profile
from agents.llm.structured import ModelUnavailable
from studio.drafts import BriefDraft
from ui.cli import app


class _Refuse(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.dumps({"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                     "code": "invalid_api_key"}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_server():
    server = HTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ModelProfileError) as exc:
        get_profile("gpt-9000")
    assert "llamacpp/smollm2-135m" in exc.value.fix


def test_missing_model_file(monkeypatch):
    monkeypatch.setenv("AUTEUR_GGUF_PATH", "/nowhere/model.gguf")
    with pytest.raises(ModelProfileError, match="does not exist"):
        structured_llm("llamacpp/local")


def test_api_profile_without_a_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelProfileError, match="needs an API key") as exc:
        structured_llm("openai/gpt-4o-mini")
    assert "OPENAI_API_KEY" in exc.value.fix


def test_unreachable_server(monkeypatch):
    monkeypatch.setenv("AUTEUR_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    llm = structured_llm("openai-compatible/local")
    with pytest.raises(ModelUnavailable) as exc:
        llm.complete([{"role": "user", "content": "hi"}], BriefDraft)
    assert "could not answer" in exc.value.problem and "server is running" in exc.value.fix


def test_bad_key(monkeypatch, refusing_server):
    monkeypatch.setenv("AUTEUR_LLM_BASE_URL", refusing_server)
    monkeypatch.setenv("AUTEUR_LLM_API_KEY", "sk-wrong")
    llm = structured_llm("openai-compatible/local")
    with pytest.raises(ModelUnavailable) as exc:
        llm.complete([{"role": "user", "content": "hi"}], BriefDraft)
    assert "AuthenticationError" in exc.value.problem or "401" in exc.value.problem


def test_cli_run_reports_a_profile_that_does_not_load(workspace_dir, monkeypatch):
    monkeypatch.setenv("AUTEUR_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    result = CliRunner().invoke(app, ["run", "--idea", "A lighthouse keeper finds a message in a bottle",
                                      "--model", "openai-compatible/local", "--yes"])
    assert result.exit_code == 1
    assert "could not answer" in result.stderr and "Fix:" in result.stderr
    # Nothing was drafted, so the failed start leaves no project behind (a rerun would make another).
    assert [p.name for p in workspace_dir.iterdir() if not p.name.startswith(".")] == []
    status = CliRunner().invoke(app, ["status", "--json"])
    assert status.exit_code == 1, "no project was left to report on"


def test_empty_idea_and_unknown_until(workspace_dir):
    result = CliRunner().invoke(app, ["run", "--idea", "  ", "--yes"])
    assert result.exit_code == 1 and "idea is empty" in result.stderr
    result = CliRunner().invoke(app, ["run", "--idea", "x y z", "--until", "boards"])
    assert result.exit_code == 1 and "render tools" in result.stderr
