"""The real embedded model (SmolLM2-135M through llama.cpp): weak prose, valid film data.

One whole `auteur run` from an idea to prompts, in process, with every socket
watched: nothing may connect outside loopback, and nothing may even look up a
host name.
"""

from __future__ import annotations

import json
import socket

import pytest
from typer.testing import CliRunner

from studio.breakdown import break_down
from studio.coverage import uncovered_dialogue
from studio.fountain import parse
from studio.stages import Stage

IDEA = "A night-shift waitress recognises the stranger at the counter"


@pytest.fixture
def watched_sockets(monkeypatch):
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1", b"localhost"):
            attempts.append(f"lookup {host}")
            raise OSError(f"name lookup of {host} blocked in tests")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self, address):
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(f"connect {address}")
            raise OSError("blocked")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


@pytest.mark.slow
def test_auteur_run_with_the_embedded_model(workspace_dir, watched_sockets, monkeypatch):
    monkeypatch.delenv("AUTEUR_MODEL", raising=False)
    monkeypatch.setenv("AUTEUR_MEMORY", "on")  # the whole studio: Qdrant and the embeddings too, offline
    from ui.cli import app

    result = CliRunner().invoke(app, ["run", "--idea", IDEA, "--until", "prompts", "--yes", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    out = json.loads(result.stdout)
    assert out["stages"] == {**{s: "approved" for s in ("brief", "treatment", "beats", "script", "breakdown",
                                                        "look", "shots", "prompts")},
                             **{s: "empty" for s in ("boards", "clips", "cut", "export")}}
    assert out["llm"]["calls"] >= 8 and out["llm"]["tokens"] > 0 and out["llm"]["seconds"] > 0
    assert watched_sockets == [], f"network outside loopback: {watched_sockets}"

    from config.settings import Settings
    from memory.workspace import Workspace

    store = Workspace(Settings.from_env()).open(out["slug"])
    treatment = store.read(Stage.TREATMENT)
    assert len(treatment.variants) == 3
    beats = store.read(Stage.BEATS)
    assert [b.name for b in beats.beats][:2] == ["Setup", "Inciting Incident"]
    doc = parse(store.read_script().fountain)
    bd = break_down(doc)
    assert len(bd.scenes) >= 2 and bd.characters, "the script parses, with speaking characters"
    look = store.read(Stage.LOOK)
    assert [c.name for c in look.characters] == bd.characters
    shots = store.read(Stage.SHOTS)
    assert uncovered_dialogue(doc, bd, shots) == []
    assert len(store.read(Stage.PROMPTS).prompts) == len(shots.shots)
