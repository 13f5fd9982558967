"""Shared fixtures: an isolated workspace per test, and no network but loopback."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "fountain"
SAMPLES = REPO / "studio" / "samples"


def _is_loopback(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Any connection outside loopback fails the test that made it."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(address):
        if not _is_loopback(address):
            raise AssertionError(f"test tried to open a connection outside loopback: {address!r}")

    def connect(self, address):
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def workspace_dir(tmp_path, monkeypatch) -> Path:
    ws = tmp_path / "workspace"
    monkeypatch.setenv("AUTEUR_WORKSPACE", str(ws))
    monkeypatch.setenv("AUTEUR_USER_NAME", "Dana Director")
    monkeypatch.setenv("AUTEUR_USER_EMAIL", "dana@example.test")
    monkeypatch.setenv("AUTEUR_LOCK_TIMEOUT", "20")
    # Semantic memory loads torch and an embedding model: on where a test is about it.
    monkeypatch.setenv("AUTEUR_MEMORY", "off")
    monkeypatch.delenv("QDRANT_URL", raising=False)
    return ws


@pytest.fixture
def settings(workspace_dir):
    from config.settings import Settings

    return Settings.from_env()


@pytest.fixture
def workspace(settings):
    from memory.workspace import Workspace

    return Workspace(settings)


@pytest.fixture
def night_shift_bytes() -> bytes:
    return (SAMPLES / "night_shift.fountain").read_bytes()


@pytest.fixture
def imported(workspace, night_shift_bytes):
    """A project with the sample screenplay imported."""
    store = workspace.create("Night Shift")
    store.import_script("night_shift.fountain", night_shift_bytes)
    return store


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright holds an event loop open in the main thread while a module of them runs."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
